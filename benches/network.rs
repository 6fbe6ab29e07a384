//! The network objectives: one epoch of minibatch gradients for the default MLP on the digits
//! (16 tanh units, batches of 32), a full-batch gradient, and the dense Hessian with its
//! spectrum for nets of about 2000 parameters (26 units: 1960; 24 and 12 units: 1990), the
//! Hessian both per layer pair and from Hessian-vector products; the whole Hessian analysis.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use steepest::data::{load, DatasetKind};
use steepest::experiment::{hessian_anatomy, preset};
use steepest::objective::{hessian_by_columns, Activation, Network, Objective};

fn bench(c: &mut Criterion) {
    let (train, _) = load(DatasetKind::Digits, 1);
    let rows = train.rows();
    let mlp = Network::new(train.clone(), &[16], Activation::Tanh, 1e-4);
    let w = mlp.init(1, 1.0);
    let mut g = vec![0.0; mlp.dim()];
    let order: Vec<usize> = (0..rows).collect();
    let mut group = c.benchmark_group("digits_mlp16");
    group.sample_size(10);
    group.bench_function("one epoch of batch-32 gradients", |b| {
        b.iter(|| {
            for batch in order.chunks_exact(32) {
                mlp.batch_gradient(black_box(&w), batch, &mut g);
            }
        })
    });
    group.bench_function("full-batch gradient", |b| b.iter(|| mlp.value_and_gradient(black_box(&w), &mut g)));
    group.finish();

    let big = Network::new(train.clone(), &[26], Activation::Tanh, 1e-4);
    let w = big.init(1, 1.0);
    let mut group = c.benchmark_group("digits_mlp26_1960_params");
    group.sample_size(10);
    group.bench_function("dense Hessian, per layer pair", |b| b.iter(|| black_box(big.hessian(&w))));
    group.bench_function("dense Hessian, 1960 Hessian-vector products", |b| {
        b.iter(|| black_box(hessian_by_columns(&big, &w)))
    });
    let h = big.hessian(&w).unwrap();
    group.bench_function("its eigenvalues", |b| b.iter(|| black_box(h.sym_eigenvalues())));
    group.finish();

    // Two hidden layers, 24 and 12 units: 1990 parameters.
    let deep = Network::new(train, &[24, 12], Activation::Tanh, 1e-4);
    let w = deep.init(1, 1.0);
    let mut group = c.benchmark_group("digits_mlp24x12_1990_params");
    group.sample_size(10);
    group.bench_function("dense Hessian, per layer pair", |b| b.iter(|| black_box(deep.hessian(&w))));
    group.finish();

    // The whole Hessian analysis of the digits-hessian preset (200 Adam steps to the checkpoint,
    // its 8-point eigenvalue track, the Hessian, its spectrum, the rotated twin, both read-outs),
    // and the same for nets of 1960 and 8970 parameters (the last above the dense limit: Lanczos
    // estimates).
    let spec = preset("digits-hessian").unwrap().spec;
    let mut group = c.benchmark_group("hessian_analysis");
    group.sample_size(10);
    for (name, hidden, hidden2) in
        [("1210 parameters (the preset)", 16, 0), ("1960 parameters", 26, 0), ("8970 parameters, Lanczos", 64, 64)]
    {
        let mut s = spec.clone();
        (s.problem.hidden, s.problem.hidden2) = (hidden, hidden2);
        group.bench_function(name, |b| b.iter(|| black_box(hessian_anatomy(&s, &mut |_| true).unwrap())));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
