//! The dense kernels against numpy (benches/reference_dense.py runs the same cases there):
//! symmetric eigenvalues at d = 1210 and 1960 (goal: within 2x of numpy's eigvalsh), 1000 GD
//! steps x <- x - lr H x at d = 1000 (goal: within 1.2x of a one-thread numpy loop; with the
//! product of the quadratic's gradient, which reads H's lower triangle, and the row-by-row one), and the
//! rotated quadratic Q diag(lambda) Q^T at d = 2000 (goal: within 2x of numpy's QR + Q D Q^T).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use steepest::linalg::Matrix;
use steepest::objective::{rotated_hessian, spectrum, HaarRotation, SpectrumKind};
use steepest::rng::Rng;

/// (A + A^T) / 2 with A standard normal: the matrix numpy's reference decomposes.
fn random_symmetric(d: usize, seed: u64) -> Matrix {
    let mut r = Rng::new(seed);
    let a: Vec<Vec<f64>> = (0..d).map(|_| r.normals(d)).collect();
    Matrix::from_rows(&(0..d).map(|i| (0..d).map(|j| 0.5 * (a[i][j] + a[j][i])).collect()).collect::<Vec<_>>())
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("eigenvalues");
    g.sample_size(10);
    for d in [1210usize, 1960] {
        let h = random_symmetric(d, 1);
        g.bench_with_input(BenchmarkId::from_parameter(d), &h, |b, h| b.iter(|| black_box(h.sym_eigenvalues())));
    }
    g.finish();

    let mut g = c.benchmark_group("gd_1000_steps");
    g.sample_size(10);
    let d = 1000;
    let lam = spectrum(SpectrumKind::Geometric, d, 0.01, 1.0, 0);
    let h = rotated_hessian(&lam, &HaarRotation::new(d, &mut Rng::new(2)), 1.0);
    let x0 = Rng::new(3).normals(d);
    // The product the quadratic's gradient uses (its lower triangle), and the row-by-row one with
    // the same bits.
    type Product = fn(&Matrix, &[f64], &mut [f64]);
    let products: [(&str, Product); 2] = [("lower_triangle", Matrix::sym_matvec_into), ("rows", Matrix::matvec_into)];
    for (name, product) in products {
        g.bench_function(BenchmarkId::new(name, d), |b| {
            b.iter(|| {
                let (mut x, mut grad) = (x0.clone(), vec![0.0; d]);
                for _ in 0..1000 {
                    product(&h, &x, &mut grad);
                    x.iter_mut().zip(&grad).for_each(|(xi, gi)| *xi -= 0.1 * gi);
                }
                black_box(x)
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("rotated_quadratic");
    g.sample_size(10);
    let d = 2000;
    let lam = spectrum(SpectrumKind::Geometric, d, 0.01, 100.0, 0);
    g.bench_function(BenchmarkId::from_parameter(d), |b| {
        b.iter(|| black_box(rotated_hessian(&lam, &HaarRotation::new(d, &mut Rng::new(4)), 1.0)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
