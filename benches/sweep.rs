//! The sweep on one core against every core (its cells side by side, src/parallel.rs): the
//! default sweep preset (36 cells) and a 16 x 16 map. Target: at least 1.7x faster on 2 cores.
//! The bytes are the same on any number of threads (experiment::sweep's tests).

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use steepest::experiment::{preset, run_sweep};
use steepest::spec::Spec;

fn bench(c: &mut Criterion) {
    let default = preset("sweep").unwrap().spec;
    let mut map16 = default.clone();
    map16.sweep.spread_points = 16;
    map16.sweep.rotation_points = 16;
    map16.sweep.problems = 1;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    for (name, spec) in [("default", &default), ("16x16", &map16)] {
        for threads in [1, cores] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            group.bench_function(format!("{name} on {threads} thread(s)"), |b| {
                b.iter(|| pool.install(|| black_box(run_sweep(black_box::<&Spec>(spec), &mut |_| true).unwrap())))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
