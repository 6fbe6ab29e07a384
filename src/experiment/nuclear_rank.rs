//! The spectral analogue of the gradient density along a run: the nuclear rank
//! nu(g) = (sum_b ||G_b||_*)^2 / ||g||_2^2 of the gradient under the parameters' layout
//! (docs/theory.md §6), in [1, R] with R = sum_b min(rows_b, cols_b). It says how many
//! comparable singular directions the gradient spreads over, which is what spectral descent's
//! per-step advantage over GD scales with, as sign descent's scales with d phi.

use crate::norm::modular::{dual, max_nuclear_rank};
use crate::norm::{nuclear_rank, Block, LayerNorm, Layout};
use crate::optimizer::{Observer, Point};
use serde::{Deserialize, Serialize};
use std::ops::ControlFlow;

/// nu(g_t) at evenly spaced steps t, and its largest possible value R (read back from a
/// result's JSON by the trace plot).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NuclearRanks {
    pub t: Vec<usize>,
    pub value: Vec<f64>,
    pub max: usize,
}

/// Records the nuclear rank at the run's sampled points (an SVD per weight matrix each time).
pub struct NuclearRankRecorder {
    layout: Layout,
    pub ranks: NuclearRanks,
}

impl NuclearRankRecorder {
    /// For parameters of `layout`; None when it has no weight matrix (over vectors alone nu only
    /// counts blocks).
    pub fn new(layout: Layout) -> Option<Self> {
        layout.0.iter().any(|b| matches!(b, Block::Matrix { .. })).then(|| NuclearRankRecorder {
            ranks: NuclearRanks { max: max_nuclear_rank(&layout), ..NuclearRanks::default() },
            layout,
        })
    }
}

impl Observer for NuclearRankRecorder {
    fn observe(&mut self, p: &Point) -> ControlFlow<()> {
        if let Some(full) = p.full.filter(|_| p.sampled) {
            self.ranks.t.push(p.t);
            self.ranks.value.push(nuclear_rank(&self.layout, full.g));
        }
        ControlFlow::Continue(())
    }
}

/// Records the dual norm of spectral descent, sum_b ||G_b||_*, at every point where the full
/// gradient is known (every step: theory steps run on the full batch): what the spectral
/// prediction's guaranteed rate reads (experiment::prediction), as sign GD's reads ||g||_1 from
/// the trace.
pub struct NuclearNormRecorder {
    layout: Layout,
    pub values: Vec<f64>,
}

impl NuclearNormRecorder {
    pub fn new(layout: Layout) -> Self {
        NuclearNormRecorder { layout, values: Vec::new() }
    }
}

impl Observer for NuclearNormRecorder {
    fn observe(&mut self, p: &Point) -> ControlFlow<()> {
        if let Some(full) = p.full {
            self.values.push(dual(&self.layout, LayerNorm::Spectral, full.g));
        }
        ControlFlow::Continue(())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::experiment::run_spec;
    use crate::spec::Spec;

    /// Closed form on a 2 x 2 variable: (sigma_1 + sigma_2)^2 = ||G||_F^2 + 2 |det G|. From
    /// x0 = ones the first gradient is G = H x0 = the eigenvalues laid out row by row. Runs on a
    /// plain vector carry no nuclear rank.
    #[test]
    fn nuclear_rank_along_runs_starts_at_the_closed_form() {
        let json = |shape: &str| {
            format!(
                r#"{{"problem": {{"d": 4, "spectrum": "uniform", "lambda_min": 1, "lambda_max": 4, "start": "ones" {shape}}},
                    "methods": [{{"kind": "spectral"}}, {{"kind": "muon"}}], "run": {{"steps": 100, "target": 0}}}}"#
            )
        };
        let r = run_spec(&Spec::from_json(&json(r#", "shape": [2, 2]"#)).unwrap()).unwrap();
        let (frob2, det) = (1.0 + 4.0 + 9.0 + 16.0, 1.0 * 4.0 - 2.0 * 3.0f64);
        let want = (frob2 + 2.0 * det.abs()) / frob2;
        for m in &r.methods {
            let nu = m.nuclear_rank.as_ref().unwrap();
            assert_eq!(nu.max, 2);
            assert_eq!(nu.t[..3], [0, 2, 4]);
            assert!((nu.value[0] - want).abs() < 1e-14, "{} vs {want}", nu.value[0]);
            assert!(nu.value.iter().all(|v| (1.0 - 1e-12..=2.0 + 1e-12).contains(v)), "{:?}", nu.value);
        }
        let plain = run_spec(&Spec::from_json(&json("")).unwrap()).unwrap();
        assert!(plain.methods.iter().all(|m| m.nuclear_rank.is_none()));
    }
}
