//! The network objectives: the page's training run of the digits-mlp preset's network (16 tanh
//! units, 1210 parameters) through `run_spec`: 200 Adam steps on batches of 32, each recording its
//! minibatch loss, and at the 101 evaluation points the full training loss and gradient (norms,
//! density, nuclear rank) and the train and test loss and accuracy: the work
//! benches/reference_jax.py times for jax.jit; the 200 steps alone; one epoch of minibatch
//! gradients and a full-batch gradient; the dense Hessian
//! with its spectrum for nets of about 2000 parameters (26 units: 1960; 24 and 12 units: 1990),
//! the Hessian both per layer pair and from Hessian-vector products; the whole Hessian analysis.

use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;
use std::hint::black_box;
use steepest::data::{load, DatasetKind};
use steepest::experiment::{build, hessian_anatomy, preset, run_spec};
use steepest::objective::{hessian_by_columns, Activation, Network, Objective};
use steepest::optimizer::method::{Hyper, ADAM};
use steepest::optimizer::StepSize;
use steepest::rng::{Rng, Stream};
use steepest::spec::Spec;

const STEPS: usize = 200;
const BATCH: usize = 32;
const LR: f64 = 0.01;

/// The page's training run: the digits-mlp preset with Adam alone (101 evaluation points, the
/// default).
const PAGE_RUN: &str = r#"{"problem": {"kind": "network", "dataset": "digits", "hidden": 16, "activation": "tanh"},
    "methods": [{"kind": "adam", "lr": 0.01}], "run": {"steps": 200, "target": 0, "batch": 32}}"#;

/// The rows of each step's batch: epochs of seeded shuffles, the run loop's own (`Batches`: the
/// same stream, shuffled afresh whenever an epoch has no whole batch left).
fn batches(rows: usize, seed: u64) -> Vec<Vec<usize>> {
    let mut rng = Rng::stream(seed, Stream::Batches);
    let mut order: Vec<usize> = (0..rows).collect();
    let mut out = Vec::with_capacity(STEPS);
    while out.len() < STEPS {
        for i in (1..rows).rev() {
            order.swap(i, (rng.next_u64() % (i as u64 + 1)) as usize);
        }
        out.extend(order.chunks_exact(BATCH).map(|b| b.to_vec()).take(STEPS - out.len()));
    }
    out
}

/// The equal-work loop: one minibatch gradient and one Adam update per step, nothing else.
fn train(net: &dyn Objective, x0: &[f64], batches: &[Vec<usize>]) -> Vec<f64> {
    let mut chain = ADAM.chain(&ADAM.defaults(), StepSize::Const(LR), &net.layout());
    let mut x = x0.to_vec();
    let mut g = vec![0.0; x.len()];
    for (t, rows) in batches.iter().enumerate() {
        net.batch_value_and_gradient(&x, rows, &mut g);
        chain.update(&mut g, t + 1);
        x.iter_mut().zip(&g).for_each(|(xi, ui)| *xi -= ui);
    }
    x
}

/// Writes the training work (data, start, batches, hyperparameters, the evaluation points), our
/// end point and what the page's run recorded to target/bench-network/adam_digits_mlp16.json for
/// benches/reference_jax.py.
fn export(spec: &Spec, x0: &[f64], batches: &[Vec<usize>], end: &[f64]) {
    let (train, test) = load(DatasetKind::Digits, spec.problem.seed);
    let hyper = ADAM.defaults();
    let run = run_spec(spec).unwrap();
    let m = &run.methods[0];
    let curves = m.curves.as_ref().unwrap();
    let work = json!({
        "features": train.features, "hidden": 16, "classes": train.classes, "l2": spec.problem.l2,
        "x": train.x, "y": train.y, "x_test": test.x, "y_test": test.y, "w0": x0, "batches": batches,
        "lr": LR, "beta1": hyper(Hyper::Beta), "beta2": hyper(Hyper::Beta2), "eps": hyper(Hyper::Eps), "w_end": end,
        "eval_t": m.trace.t, "f": m.trace.f, "test_accuracy": curves.test_accuracy, "batch_loss": m.trace.batch_loss,
    });
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench-network");
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(format!("{dir}/adam_digits_mlp16.json"), work.to_string()).unwrap();
}

fn bench(c: &mut Criterion) {
    let spec = Spec::from_json(PAGE_RUN).unwrap();
    let problem = build(&spec.run_task().unwrap());
    let net = problem.objective.as_ref();
    let steps = batches(net.rows(), spec.problem.seed);
    export(&spec, &problem.x0, &steps, &train(net, &problem.x0, &steps));
    let mut group = c.benchmark_group("adam_digits_mlp16");
    group.sample_size(20);
    group.bench_function("page run, 101 eval points (the jax.jit comparison)", |b| {
        b.iter(|| black_box(run_spec(&spec).unwrap()))
    });
    group.bench_function("200 steps alone, batch 32", |b| {
        b.iter(|| black_box(train(net, black_box(&problem.x0), &steps)))
    });
    group.finish();

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
                mlp.batch_value_and_gradient(black_box(&w), batch, &mut g);
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
