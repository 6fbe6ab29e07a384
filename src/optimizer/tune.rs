//! Fair tuning: every method's step scale is chosen by the same log-spaced grid search.
//!
//! The scale is lr for the const rule and the multiplier of ||g||_*/L for the theory rule (the
//! rule itself is kept). Score of a grid value, best first:
//! 1. reached the target: fewer steps is better;
//! 2. did not reach it (or no target): lower final f - f* is better;
//! 3. diverged (or halted): never chosen.
//!
//! Ties go to the smaller step (the lower grid index), the safer choice.

use super::observe::Observer;
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

/// Runs `make_chain(scale)` for every scale of `grid`, each watched by `observers` (a task's
/// progress), and picks the best by the rule above.
pub fn tune(
    obj: &dyn Objective,
    x0: &[f64],
    make_chain: impl Fn(f64) -> Chain,
    cfg: &RunConfig,
    grid: &[f64],
    observers: &mut [&mut dyn Observer],
) -> TuneReport {
    let outcomes: Vec<GridOutcome> = grid
        .iter()
        .map(|&scale| {
            let out = run(obj, x0, &mut make_chain(scale), cfg, observers);
            GridOutcome { scale, status: out.status, stopped_at: out.stopped_at, final_f: out.final_f }
        })
        .collect();
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
    TuneReport { grid: outcomes, best }
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
        let rep =
            tune(&q, &[1.0, 1.0], |s| GD.chain(&GD.defaults(), StepSize::Const(s), &q.layout()), &cfg, &grid, &mut []);
        assert_eq!(rep.best, Some(2));
        assert_eq!(rep.grid[4].status, Status::Diverged);
        assert_eq!(rep.grid[5].status, Status::Diverged);
    }
}
