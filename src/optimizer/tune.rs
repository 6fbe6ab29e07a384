//! Fair tuning: every method's step scale is chosen by the same log-spaced grid search.
//!
//! The scale is lr for the const rule and the multiplier of ||g||_*/L for the theory rule (the
//! rule itself is kept). Score of a grid value, best first:
//! 1. reached the target: fewer steps is better;
//! 2. did not reach it (or no target): lower final f - f* is better;
//! 3. diverged (or halted): never chosen.
//!
//! Ties go to the smaller step (the lower grid index), the safer choice.

use super::observe::Ticks;
use super::run::{run, RunConfig, Status};
use super::transform::Chain;
use crate::objective::Objective;
use serde::Serialize;

/// n values log-spaced from lo to hi inclusive: lo (hi/lo)^(i/(n-1)).
pub fn log_grid(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if n <= 1 {
        return vec![lo];
    }
    (0..n)
        .map(|i| match i {
            0 => lo,
            _ if i == n - 1 => hi,
            _ => lo * libm::pow(hi / lo, i as f64 / (n - 1) as f64),
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GridOutcome {
    pub scale: f64,
    pub status: Status,
    pub stopped_at: usize,
    pub final_f: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TuneReport {
    pub grid: Vec<GridOutcome>,
    /// Index of the chosen grid value; None when every value diverged.
    pub best: Option<usize>,
}

/// Runs `make_chain(scale)` for every scale of `grid`, side by side where there are cores
/// (`parallel::map`: each run is independent, and the outcomes come back in grid order), and
/// picks the best by the rule above. `progress(runs done)`, a fraction counting the steps of the
/// runs under way; false halts them and starts no more, and gives None.
pub fn tune(
    obj: &dyn Objective,
    x0: &[f64],
    make_chain: impl Fn(f64) -> Chain + Sync,
    cfg: &RunConfig,
    grid: &[f64],
    progress: &mut dyn FnMut(f64) -> bool,
) -> Option<TuneReport> {
    let outcomes = crate::parallel::map(
        grid,
        |&scale, tick| {
            let out = run(obj, x0, &mut make_chain(scale), cfg, &mut [&mut Ticks::new(tick, cfg.steps)]);
            GridOutcome { scale, status: out.status, stopped_at: out.stopped_at, final_f: out.final_f }
        },
        progress,
    )?;
    let key = |o: &GridOutcome| match o.status {
        Status::Target => Some((0, o.stopped_at as f64)),
        Status::MaxSteps | Status::Stationary => Some((1, o.final_f)),
        Status::Diverged | Status::Halted => None,
    };
    let best = outcomes
        .iter()
        .enumerate()
        .filter_map(|(i, o)| key(o).map(|k| (k, i)))
        .min_by(|(a, i), (b, j)| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(i.cmp(j)))
        .map(|(_, i)| i);
    Some(TuneReport { grid: outcomes, best })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::linalg::Matrix;
    use crate::objective::Quadratic;
    use crate::optimizer::method::GD;
    use crate::optimizer::StepSize;

    #[test]
    fn grid_is_log_spaced_with_exact_ends() {
        let g = log_grid(1e-3, 1e1, 5);
        assert_eq!(g[0], 1e-3);
        assert_eq!(g[4], 1e1);
        for w in g.windows(2) {
            assert!((w[1] / w[0] - 10.0).abs() < 1e-12);
        }
    }

    #[test]
    fn tuned_gd_finds_the_best_grid_step() {
        // On diag(1, 10), GD with step a converges at rate max(|1 - a|, |1 - 10 a|), best at
        // a = 2/11. The grid holds 0.1, 0.18.., 0.2 .., and larger values that diverge (a > 0.2).
        let q = Quadratic::with_spectrum(Matrix::diagonal(&[1.0, 10.0]), vec![0.0, 0.0], vec![1.0, 10.0]);
        let grid = [0.01, 0.1, 2.0 / 11.0, 0.19, 0.25, 1.0];
        let cfg = RunConfig::new(2000, Some(1e-10));
        let rep = tune(
            &q,
            &[1.0, 1.0],
            |s| GD.chain(&GD.defaults(), StepSize::Const(s), &q.layout()),
            &cfg,
            &grid,
            &mut |_| true,
        )
        .unwrap();
        assert_eq!(rep.best, Some(2));
        assert_eq!(rep.grid[4].status, Status::Diverged);
        assert_eq!(rep.grid[5].status, Status::Diverged);
    }

    /// The grid's runs go side by side (parallel::map); the report's bytes do not depend on the
    /// number of threads, and each outcome is that of its scale run on its own.
    #[test]
    fn a_tuning_gives_the_same_bytes_on_one_thread_and_on_four() {
        let q =
            Quadratic::with_spectrum(Matrix::diagonal(&[1.0, 3.0, 10.0]), vec![0.5, 0.0, -1.0], vec![1.0, 3.0, 10.0]);
        let grid = log_grid(1e-3, 1.0, 16);
        let cfg = RunConfig::new(500, Some(1e-8));
        let chain = |s| GD.chain(&GD.defaults(), StepSize::Const(s), &q.layout());
        let on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| serde_json::to_string(&tune(&q, &[1.0; 3], chain, &cfg, &grid, &mut |_| true)).unwrap())
        };
        let one = on(1);
        assert_eq!(on(4), one);
        let report = tune(&q, &[1.0; 3], chain, &cfg, &grid, &mut |_| true).unwrap();
        for (o, &scale) in report.grid.iter().zip(&grid) {
            let alone = run(&q, &[1.0; 3], &mut chain(scale), &cfg, &mut []);
            assert_eq!(
                (o.status, o.stopped_at, o.final_f.to_bits()),
                (alone.status, alone.stopped_at, alone.final_f.to_bits())
            );
        }
        let statuses: Vec<Status> = report.grid.iter().map(|o| o.status).collect();
        assert!(statuses.contains(&Status::Target) && statuses.contains(&Status::Diverged), "{statuses:?}");
    }
}
