//! One Muon step against one Adam step on the default MLP (digits, 16 tanh units, 1210 parameters;
//! issue 14's target: Muon at most 3x Adam natively). A step is what the run loop does per step:
//! one batch-32 gradient and the method's update. The updates alone are timed too: Muon's
//! Newton–Schulz on the 16 x 64 and 10 x 16 weight matrices (five quintic steps each) and Adam on
//! the biases, against Adam's elementwise moments on all 1210 parameters.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use steepest::data::{load, DatasetKind};
use steepest::objective::{Activation, Network, Objective};
use steepest::optimizer::method::{Method, ADAM, MUON};
use steepest::optimizer::StepSize;

/// Each method at the learning rate of the muon-vs-adam-digits preset.
const METHODS: [(&str, &Method, f64); 2] = [("Adam", &ADAM, 0.01), ("Muon", &MUON, 0.03)];
const BATCH: usize = 32;

fn bench(c: &mut Criterion) {
    let (train, _) = load(DatasetKind::Digits, 1);
    let net = Network::new(train, &[16], Activation::Tanh, 1e-4);
    let batches: Vec<Vec<usize>> =
        (0..net.rows()).collect::<Vec<_>>().chunks_exact(BATCH).map(|b| b.to_vec()).collect();
    let mut group = c.benchmark_group("muon_vs_adam_digits_mlp16");
    for (name, method, lr) in METHODS {
        let mut chain = method.chain(&method.defaults(), StepSize::Const(lr), &net.layout());
        let (mut x, mut g, mut t) = (net.init(1, 1.0), vec![0.0; net.dim()], 0usize);
        group.bench_function(format!("{name}: one step (batch-{BATCH} gradient and update)"), |b| {
            b.iter(|| {
                net.batch_value_and_gradient(&x, &batches[t % batches.len()], &mut g);
                t += 1;
                chain.update(&mut g, t);
                x.iter_mut().zip(&g).for_each(|(xi, ui)| *xi -= ui);
            })
        });
        // The update alone, on the same gradient each time (the state still advances).
        net.batch_value_and_gradient(&x, &batches[0], &mut g);
        let mut u = g.clone();
        group.bench_function(format!("{name}: the update alone"), |b| {
            b.iter(|| {
                u.copy_from_slice(&g);
                t += 1;
                black_box(chain.update(&mut u, t));
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
