//! A rough count of the multiply-adds a spec's run takes, so that the page can run small
//! experiments at once on the main thread and send larger ones to a worker with a progress bar.

use crate::norm::{Layout, Norm};
use crate::optimizer::StepRule;
use crate::smoothness::{LINF_EXACT_MAX_D, SDP_MAX_D};
use crate::spec::{ProblemKind, Spec};

/// Multiply-adds, within a small factor.
pub fn work_estimate(spec: &Spec) -> f64 {
    let spec = &spec.resolved();
    let d = spec.dim() as f64;
    let p = &spec.problem;
    let build = match p.kind {
        ProblemKind::Quadratic if p.rotation > 0.0 => 2.0 * d * d * d,
        ProblemKind::Matrix => d * d * d,
        ProblemKind::Quadratic | ProblemKind::Quad2d | ProblemKind::Rosenbrock | ProblemKind::Network => d,
    };
    let per_step = match p.kind {
        ProblemKind::Rosenbrock => 10.0 * d,
        // A pass over the training rows (at most 1438) costs about 3 multiply-adds per
        // parameter and row.
        ProblemKind::Network => 3.0 * 1438.0 * d,
        ProblemKind::Quadratic | ProblemKind::Quad2d | ProblemKind::Matrix => d * d,
    };
    let steps = spec.run.steps as f64;
    let grid = spec.run.tune_points as f64;
    let runs: f64 = spec.methods.iter().map(|m| if m.tune { grid + 1.0 } else { 1.0 }).sum();
    // A theory step under l_inf may need exact enumeration or the SDP bound.
    // (A diagonal Hessian, an unrotated generated quadratic, has L_inf = tr H at once.)
    let diagonal = p.kind == ProblemKind::Quadratic && p.rotation == 0.0;
    let linf = !diagonal
        && spec.methods.iter().any(|m| {
            m.step_rule() == StepRule::Theory && m.kind.theory_norm(&m.hypers(), &Layout::default()) == Some(Norm::LInf)
        });
    // Generated quadratics are PSD: branch and bound, typically a few thousand nodes.
    let psd = matches!(p.kind, ProblemKind::Quadratic | ProblemKind::Quad2d);
    let constants = match (linf, spec.dim()) {
        (false, _) => 0.0,
        (true, _) if psd => 1e3 * d * d,
        (true, n) if n <= LINF_EXACT_MAX_D => d * 2f64.powf(d - 1.0),
        (true, n) if n <= SDP_MAX_D => 300.0 * d * d * (2.0 * d).sqrt() + 4.0 * d * d * d,
        (true, _) => d * d,
    };
    build + constants + runs * steps * per_step
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn grows_with_size_and_tuning() {
        let small = Spec::default();
        let mut big = Spec::default();
        big.problem.d = 1000;
        big.problem.rotation = 1.0;
        let mut tuned = Spec::default();
        tuned.methods[0].tune = true;
        assert!(work_estimate(&small) < 1e7, "{}", work_estimate(&small));
        assert!(work_estimate(&big) > 1e9);
        assert!(work_estimate(&tuned) > 5.0 * work_estimate(&small) / 2.0);
    }
}
