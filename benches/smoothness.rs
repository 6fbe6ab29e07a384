//! Smoothness estimators on Haar-rotated quadratics (the paper's setting).
//! Targets: exact L_inf at d = 24 under 0.5 s in wasm; L_sep to relative gap 1e-6 at d = 200
//! under 100 ms natively.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use steepest::linalg::Matrix;
use steepest::objective::{rotated_hessian, spectrum, HaarRotation, SpectrumKind};
use steepest::rng::Rng;
use steepest::smoothness::{lanczos, linf_branch_and_bound, linf_enumerate, solve};

/// Outlier spectrum (d/10 outliers at 100 over a bulk at 1), Haar-rotated.
pub fn rotated_outliers(d: usize, seed: u64) -> Matrix {
    let lam = spectrum(SpectrumKind::Outliers, d, 1.0, 100.0, (d / 10).max(1));
    rotated_hessian(&lam, &HaarRotation::new(d, &mut Rng::new(seed)), 1.0)
}

/// A A^T with A standard normal, d x d.
fn wishart(d: usize, seed: u64) -> Matrix {
    let mut r = Rng::new(seed);
    let a: Vec<Vec<f64>> = (0..d).map(|_| r.normals(d)).collect();
    Matrix::from_rows(&(0..d).map(|i| (0..d).map(|j| steepest::norm::dot(&a[i], &a[j])).collect()).collect::<Vec<_>>())
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("linf_exact");
    g.sample_size(10);
    for d in [20usize, 24, 28] {
        let h = rotated_outliers(d, 1);
        g.bench_with_input(BenchmarkId::new("gray_code", d), &h, |b, h| {
            b.iter(|| black_box(linf_enumerate(h, &mut |_| true)))
        });
        // Branch and bound on the paper's matrices (a few outliers: it prunes almost everything)
        // and on full-rank Wishart matrices (its hard case).
        g.bench_with_input(BenchmarkId::new("branch_and_bound_outliers", d), &h, |b, h| {
            b.iter(|| black_box(linf_branch_and_bound(h, None, &mut |_| true)))
        });
        let w = wishart(d, 5);
        g.bench_with_input(BenchmarkId::new("branch_and_bound_wishart", d), &w, |b, h| {
            b.iter(|| black_box(linf_branch_and_bound(h, None, &mut |_| true)))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("l_sep_gap_1e-6");
    g.sample_size(10);
    for d in [100usize, 200, 500] {
        let h = rotated_outliers(d, 2);
        g.bench_with_input(BenchmarkId::from_parameter(d), &h, |b, h| b.iter(|| black_box(solve(h, 1, 1e-6, 100_000))));
    }
    g.finish();

    let mut g = c.benchmark_group("lambda_max_d1000");
    g.sample_size(10);
    // A geometric spectrum: Lanczos on the outlier spectrum would converge in three steps.
    let lam = spectrum(SpectrumKind::Geometric, 1000, 0.01, 100.0, 0);
    let h = rotated_hessian(&lam, &HaarRotation::new(1000, &mut Rng::new(3)), 1.0);
    g.bench_function("lanczos", |b| {
        b.iter(|| black_box(lanczos(1000, |v, out| h.matvec_into(v, out), 1e-10, 1, 1000)))
    });
    g.bench_function("dense_eigenvalues", |b| b.iter(|| black_box(h.sym_eigenvalues())));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
