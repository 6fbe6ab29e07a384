//! The Hessian analysis at a checkpoint (spec section `hessian`): the Hessian of the objective at
//! one method's iterate after `hessian.step` steps, its spectrum and where its mass sits, set
//! against a matrix with the same spectrum under a Haar-random rotation. The rotated matrix has
//! no preferred basis, so the difference between the two is what the objective's own basis (for
//! a network: its layers and units) buys a sign method (paper-notes section 3).

use super::geometry::GeometryError;
use super::problem::{build, network};
use super::run::{label, resolve_step, run_config, tuning_grid};
use crate::linalg::Matrix;
use crate::objective::{haar_similar, Objective};
use crate::optimizer::{run, RunConfig};
use crate::rng::Rng;
use crate::smoothness::{heat_map, histogram, mass, report_with_eigenvalues, ExactMode, HeatMap, Histogram, Interval, MassReport, Progress, ReportError, ReportOptions};
use crate::spec::{ProblemKind, Spec};
use serde::Serialize;

/// Cells per side of the |H_ij| pictures.
pub const HEAT_MAP_SIZE: usize = 160;
/// Largest eigenvalues listed.
const TOP: usize = 10;
/// RNG stream of the comparison rotation.
const STREAM_COMPARISON: u64 = 21;

/// A named range of parameters (a network layer's weights and biases).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Block {
    pub name: String,
    pub start: usize,
    pub len: usize,
}

/// The read-outs of one matrix: the objective's Hessian or its rotated twin.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MatrixAnatomy {
    #[serde(flatten)]
    pub mass: MassReport,
    pub linf_lower: f64,
    pub linf_upper: f64,
    pub linf_exact: Option<f64>,
    /// d L_2 / L_inf: sign descent's predicted advantage over GD (an interval while L_inf is).
    pub predicted_ratio: Interval,
    pub heat: HeatMap,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HessianAnatomy {
    /// Where the Hessian was taken, in words.
    pub scope: String,
    pub method: String,
    /// The step actually reached (earlier than asked when the run stopped first).
    pub step: usize,
    /// f at the checkpoint (training loss plus penalty for a network).
    pub f: f64,
    pub d: usize,
    pub psd: bool,
    pub lambda_max: f64,
    pub lambda_min: f64,
    /// Mean eigenvalue tr H / d.
    pub lambda_bar: f64,
    /// lambda_max / lambda_bar: the outliers' reach (paper-notes section 3); None unless
    /// lambda_bar > 0.
    pub spread: Option<f64>,
    /// The largest eigenvalues, largest first.
    pub top: Vec<f64>,
    pub histogram: Histogram,
    pub blocks: Vec<Block>,
    pub hessian: MatrixAnatomy,
    pub rotated: MatrixAnatomy,
}

/// The analysis of a spec at its checkpoint (validated here, with `validate_hessian`).
pub fn hessian_anatomy(spec: &Spec, progress: Progress) -> Result<HessianAnatomy, GeometryError> {
    spec.validate_hessian().map_err(GeometryError::Spec)?;
    spec.check_data().map_err(GeometryError::Spec)?;
    let cancelled = || GeometryError::Report(ReportError::Cancelled);
    let problem = build(spec);
    let (z, method, step) = checkpoint(spec, &problem);
    if !progress(0.1) {
        return Err(cancelled());
    }
    let f = problem.objective.value(&z);
    // A network's Hessian is taken in its own parameters, even when the run optimised rotated
    // ones: the rotated run's Hessian is that matrix turned by Q, which the comparison shows.
    let (h, blocks, basis) = if spec.problem.kind == ProblemKind::Network {
        let net = network(&spec.problem);
        let blocks = net
            .layer_ranges()
            .iter()
            .zip(net.layer_shapes())
            .enumerate()
            .map(|(k, (r, (i, o)))| Block { name: format!("layer {}: {i} → {o}", k + 1), start: r.start, len: r.len() })
            .collect();
        let basis = if problem.rotation.is_some() { ", in the network's own parameters (the run's were rotated)" } else { "" };
        (net.hessian(&problem.original(&z)).expect("validated: d within the dense limit"), blocks, basis)
    } else {
        let obj = problem.objective.as_ref();
        let h = obj.constant_hessian().cloned().or_else(|| obj.hessian(&z)).expect("validated: d within the dense limit");
        (h, vec![], "")
    };
    if !progress(0.4) {
        return Err(cancelled());
    }
    let eigenvalues = h.sym_eigenvalues();
    if !progress(0.6) {
        return Err(cancelled());
    }
    let rotated = haar_similar(&eigenvalues, &mut Rng::derive(spec.problem.seed, STREAM_COMPARISON));
    if !progress(0.75) {
        return Err(cancelled());
    }
    let ranges: Vec<_> = blocks.iter().map(|b: &Block| b.start..b.start + b.len).collect();
    let opts = ReportOptions { exact: ExactMode::Auto, seed: spec.problem.seed, starts: 4, exact_work: 1 << 24, ..ReportOptions::default() };
    let side = |m: &Matrix| -> Result<(MatrixAnatomy, bool), GeometryError> {
        let r = report_with_eigenvalues(m, eigenvalues.clone(), &opts, &mut |_| true).map_err(GeometryError::Report)?;
        let anatomy = MatrixAnatomy {
            mass: mass(m, &ranges),
            linf_lower: r.linf_lower,
            linf_upper: r.linf_upper,
            linf_exact: r.linf_exact,
            predicted_ratio: r.predicted_ratio,
            heat: heat_map(m, HEAT_MAP_SIZE),
        };
        Ok((anatomy, r.psd))
    };
    let (hessian, psd) = side(&h)?;
    if !progress(0.9) {
        return Err(cancelled());
    }
    let (rotated, _) = side(&rotated)?;
    let d = eigenvalues.len();
    let lambda_bar = h.trace() / d.max(1) as f64;
    let scope = if step == 0 && spec.hessian.step == 0 {
        format!("at the start point{basis}")
    } else {
        format!("after {step} steps of {method}{basis}")
    };
    Ok(HessianAnatomy {
        scope,
        method,
        step,
        f,
        d,
        psd,
        lambda_max: eigenvalues.last().copied().unwrap_or(0.0),
        lambda_min: eigenvalues.first().copied().unwrap_or(0.0),
        lambda_bar,
        spread: (lambda_bar > 0.0).then(|| eigenvalues.last().copied().unwrap_or(0.0) / lambda_bar),
        top: eigenvalues.iter().rev().take(TOP).copied().collect(),
        histogram: histogram(&eigenvalues, spec.hessian.bins as usize),
        blocks,
        hessian,
        rotated,
    })
}

/// The iterate of method `hessian.method` after `hessian.step` steps of its run (the step size it
/// was given or tuned to, the schedule of the whole run), its label, and the step reached. Only
/// that method runs, and only to the checkpoint.
fn checkpoint(spec: &Spec, problem: &super::problem::Problem) -> (Vec<f64>, String, usize) {
    let spec = spec.resolved();
    let m = &spec.methods[spec.hessian.method as usize];
    let obj = problem.objective.as_ref();
    let cfg = run_config(&spec, obj.dim());
    let step = resolve_step(m, problem, &cfg, &tuning_grid(&spec), &mut Vec::new());
    let name = label(m, step.rule, step.lr, spec.run.batch > 0);
    let steps = spec.hessian.step as usize;
    if steps == 0 {
        return (problem.x0.clone(), name, 0);
    }
    let mut chain = m.chain(step.rule, step.lr, step.smoothness.as_ref().map(|c| c.value), cfg.steps);
    let out = run(obj, &problem.x0, &mut chain, &RunConfig { steps, x_every: 0, ..cfg }, None);
    (out.x, name, out.stopped_at)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_diagonal_quadratic_is_all_diagonal_and_its_rotation_is_not() {
        let spec = Spec::from_json(r#"{"problem": {"kind": "quadratic", "d": 40, "spectrum": "outliers", "outliers": 2, "lambda_max": 50, "rotation": 0}}"#).unwrap();
        let a = hessian_anatomy(&spec, &mut |_| true).unwrap();
        assert_eq!(a.scope, "at the start point");
        assert_eq!(a.hessian.mass.rho_diag, 1.0);
        assert!(a.rotated.mass.rho_diag < 0.5, "{}", a.rotated.mass.rho_diag);
        // Diagonal H: L_inf = tr H exactly, so d L_2 / L_inf = lambda_max / lambda_bar.
        assert_eq!(a.hessian.linf_exact, Some(a.lambda_bar * 40.0));
        assert!((a.hessian.predicted_ratio.low - a.spread.unwrap()).abs() < 1e-12);
        assert_eq!(a.histogram.counts.iter().sum::<usize>(), 40);
        assert_eq!(a.top[..2], [50.0, 50.0]);
    }

    #[test]
    fn a_network_checkpoint_has_layer_blocks_and_a_later_iterate() {
        let spec = Spec::from_json(
            r#"{"problem": {"kind": "network", "dataset": "breast_cancer", "hidden": 4, "hidden2": 3},
                "methods": [{"kind": "adam", "lr": 0.01}], "run": {"steps": 30}, "hessian": {"step": 20}}"#,
        )
        .unwrap();
        let a = hessian_anatomy(&spec, &mut |_| true).unwrap();
        assert_eq!(a.step, 20);
        assert!(a.scope.starts_with("after 20 steps of Adam"), "{}", a.scope);
        let lens: Vec<usize> = a.blocks.iter().map(|b| b.len).collect();
        assert_eq!(lens, vec![4 * 31, 3 * 5, 2 * 4]);
        assert_eq!(a.d, lens.iter().sum::<usize>());
        assert_eq!(a.hessian.mass.block_rho_diag.len(), 3);
        let start = hessian_anatomy(&Spec { hessian: crate::spec::HessianSpec { step: 0, ..spec.hessian.clone() }, ..spec.clone() }, &mut |_| true).unwrap();
        assert!(a.f < start.f, "training lowers the loss: {} vs {}", a.f, start.f);
        // The checkpoint is the run's own iterate: f there is the run's trace at step 20.
        let run = crate::experiment::run_spec(&spec).unwrap();
        assert_eq!(a.f, run.methods[0].trace.f[20]);
        assert_eq!(start.f, run.methods[0].trace.f[0]);
        // The rotation keeps the spectrum, so the trace, and moves mass off the diagonal.
        assert!(a.rotated.mass.rho_diag < a.hessian.mass.rho_diag);
    }

    #[test]
    fn a_checkpoint_past_the_run_is_refused_by_name() {
        let spec = Spec::from_json(r#"{"run": {"steps": 10}, "hessian": {"step": 11}}"#).unwrap();
        let e = hessian_anatomy(&spec, &mut |_| true).unwrap_err().to_string();
        assert!(e.contains("hessian.step") && e.contains("0 to run.steps = 10"), "{e}");
        let spec = Spec::from_json(r#"{"hessian": {"method": 2}}"#).unwrap();
        assert!(hessian_anatomy(&spec, &mut |_| true).unwrap_err().to_string().contains("hessian.method"));
    }
}
