//! Cost of one optimiser step against its physical floor, one dense H x product.
//! A d = 1000 quadratic (outlier spectrum, fully rotated), 1000 steps each of GD and sign GD.
//! Target: a step costs at most 1.2x the product.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use steepest::experiment::build;
use steepest::optimizer::method::{GD, SIGN_GD};
use steepest::optimizer::{run, RunConfig, StepSize};
use steepest::spec::Spec;

const D: u64 = 1000;
const STEPS: usize = 1000;

fn bench(c: &mut Criterion) {
    let mut spec = Spec::default();
    spec.problem.d = D;
    spec.problem.outliers = 10;
    spec.problem.rotation = 1.0;
    let problem = build(&spec.run_task().unwrap());
    let obj = problem.objective.as_ref();
    let h = obj.constant_hessian().unwrap();
    let x = problem.x0.clone();
    let mut y = vec![0.0; D as usize];
    let cfg = RunConfig::new(STEPS, None);

    let mut group = c.benchmark_group("d1000");
    group.sample_size(10);
    group.bench_function("matvec x1000", |b| {
        b.iter(|| {
            for _ in 0..STEPS {
                h.sym_matvec_into(black_box(&x), &mut y);
            }
            black_box(&y);
        })
    });
    for (name, kind, lr) in [("gd const x1000", &GD, 1e-3), ("sign_gd const x1000", &SIGN_GD, 1e-4)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut chain = kind.chain(&kind.defaults(), StepSize::Const(lr), &obj.layout());
                black_box(run(obj, &problem.x0, &mut chain, &cfg, &mut []))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
