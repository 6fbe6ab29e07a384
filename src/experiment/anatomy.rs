//! The Hessian analysis at a checkpoint (spec section `analysis`): the Hessian of the objective at
//! one method's iterate after `analysis.step` steps, its spectrum and where its mass sits, set
//! against a matrix with the same spectrum under a Haar-random rotation. The rotated matrix has
//! no preferred basis, so the difference between the two is what the objective's own basis (for
//! a network: its layers and units) buys a sign method (docs/theory.md §3).

use super::norm_geometry::{norm_geometries, NormGeometry};
use super::problem::{build, network};
use super::run::{method_step, run_config, run_resolved};
use crate::linalg::Matrix;
use crate::norm::Layout;
use crate::objective::{haar_similar, Objective, DENSE_HESSIAN_MAX_D};
use crate::optimizer::{Every, Observer, Point, RunConfig, Status};
use crate::rng::{Rng, Stream};
use crate::smoothness::{
    heat_map, histogram, mass, quadrature, report_with_eigenvalues, weighted_histogram, ExactMode, HeatMap, Histogram,
    Interval, MassReport, Progress, ReportOptions,
};
use crate::smoothness::{sdp_work_bound, SDP_MAX_D};
use crate::spec::{AnalysisTask, ProblemKind, Spec};
use crate::Error;
use serde::Serialize;
use std::ops::ControlFlow;

/// Cells per side of the |H_ij| pictures.
pub const HEAT_MAP_SIZE: usize = 160;
/// Largest eigenvalues listed.
const TOP: usize = 10;

/// A named range of parameters (a network layer's weights and biases).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Block {
    pub name: String,
    pub start: usize,
    pub len: usize,
}

/// The largest eigenvalues of the Hessian at one step of the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrackPoint {
    pub step: usize,
    /// Largest first.
    pub top: Vec<f64>,
}

/// Eigenvalues followed along the run, and the Lanczos steps that estimate them.
const TRACK_TOP: usize = 5;
const TRACK_STEPS: usize = 20;

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

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HessianAnatomy {
    /// Where the Hessian was taken, in words.
    pub scope: String,
    /// How the spectrum was obtained: exactly from the dense Hessian, or estimated by Lanczos.
    pub spectrum_method: String,
    pub method: String,
    /// The step actually reached (earlier than asked when the run stopped first).
    pub step: usize,
    /// f at the checkpoint (training loss plus penalty for a network).
    pub f: f64,
    pub d: usize,
    pub lambda_max: f64,
    pub lambda_min: f64,
    /// Mean eigenvalue tr H / d.
    pub lambda_bar: f64,
    /// lambda_max / lambda_bar: the outliers' reach (docs/theory.md §3); None unless
    /// lambda_bar > 0.
    pub spread: Option<f64>,
    /// The largest eigenvalues, largest first.
    pub top: Vec<f64>,
    pub histogram: Histogram,
    pub blocks: Vec<Block>,
    /// The largest eigenvalues at earlier points of the run (`analysis.track`), the checkpoint last.
    pub track: Vec<TrackPoint>,
    /// The read-outs that need the dense matrix: None above DENSE_HESSIAN_MAX_D.
    pub hessian: Option<MatrixAnatomy>,
    pub rotated: Option<MatrixAnatomy>,
    /// GD's, sign descent's and (with weight matrices) spectral descent's numbers at the
    /// checkpoint, side by side (experiment::norm_geometry): empty when the Hessian is not formed.
    pub geometry: Vec<NormGeometry>,
    /// Why analysis.sdp was not honoured at this checkpoint of a list (`checkpoint_specs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget_note: Option<String>,
}

/// Work allowed to the SDPs that analysis.sdp adds above SDP_MAX_D over one list of checkpoints
/// (`steepest analysis --at`), counted as each checkpoint's bound on the sweeps of its two SDPs,
/// the Hessian's and its rotated twin's, on the 2d x 2d lift (`sdp_work_bound`): 2^35 multiply-adds,
/// about 15 to 30 s natively. The first checkpoint always has its SDPs (the one that `analysis`
/// alone makes); at the d = 1131 network its two take about 26 s, so no second fits, and at
/// d = 600 four do. Without it, four checkpoints of that network took over 107 s of CPU (fuzz seed
/// 7, case 3802).
pub const CHECKPOINTS_SDP_WORK: u64 = 1 << 35;

/// The spec of each checkpoint in `steps`: the given one with analysis.step set, and analysis.sdp
/// kept while the SDPs fit in CHECKPOINTS_SDP_WORK; past it, analysis.sdp off and the note that
/// says so, for the analysis's `budget_note`.
pub fn checkpoint_specs(spec: &Spec, steps: &[u64]) -> Vec<(Spec, Option<String>)> {
    let d = spec.dim();
    let work =
        if spec.analysis.sdp && d > SDP_MAX_D && d <= DENSE_HESSIAN_MAX_D { 2 * sdp_work_bound(2 * d) } else { 0 };
    let mut honoured = 0u64;
    steps
        .iter()
        .map(|&step| {
            let mut at = spec.clone();
            at.analysis.step = step;
            let mut note = None;
            if honoured > 0 && (honoured + 1) * work > CHECKPOINTS_SDP_WORK {
                at.analysis.sdp = false;
                note = Some(format!(
                    "analysis.sdp not honoured here: the SDPs of the first {honoured} checkpoint(s) spent the list's \
                     budget of {:.2e} multiply-adds ({:.2e} a checkpoint at d = {d}); the L_inf bracket is the quick one",
                    CHECKPOINTS_SDP_WORK as f64, work as f64
                ));
            } else {
                honoured += 1;
            }
            (at, note)
        })
        .collect()
}

/// The analysis of a spec at its checkpoint (validated here into an `AnalysisTask`): from the
/// dense Hessian up to DENSE_HESSIAN_MAX_D parameters, by Lanczos beyond.
pub fn hessian_anatomy(spec: &Spec, progress: Progress) -> Result<HessianAnatomy, Error> {
    let task = spec.analysis_task()?;
    let problem = build(&task);
    let Checkpoint { x: z, label: method, step, mut track } = checkpoint(&task, &problem, &mut *progress)?;
    let spec: &Spec = &task;
    if !progress(0.1) {
        return Err(Error::Cancelled);
    }
    let obj = problem.objective.as_ref();
    let f = obj.value(&z);
    let blocks = if spec.problem.kind == ProblemKind::Network {
        let net = network(&spec.problem);
        net.layer_ranges()
            .iter()
            .zip(net.layer_shapes())
            .enumerate()
            .map(|(k, (r, (i, o)))| Block {
                name: format!("layer {}: {i} → {o}", k + 1), start: r.start, len: r.len()
            })
            .collect()
    } else {
        vec![]
    };
    let mut scope = if step == 0 && spec.analysis.step == 0 {
        "at the start point".to_string()
    } else {
        format!("after {step} steps of {method}")
    };
    // A network's Hessian is taken in its own parameters, even when the run optimised rotated
    // ones: the rotated run's Hessian is that matrix turned by Q, which the comparison shows.
    // Objectives form it up to DENSE_HESSIAN_MAX_D parameters.
    // The gradient and the layout go with the Hessian's coordinates.
    let network_hessian = spec.problem.kind == ProblemKind::Network;
    let dense = if network_hessian {
        let (net, x) = (network(&spec.problem), problem.original(&z));
        net.hessian(&x).map(|h| (h, gradient(&net, &x), net.layout()))
    } else {
        let h = obj.constant_hessian().cloned().or_else(|| obj.hessian(&z));
        h.map(|h| (h, gradient(obj, &z), obj.layout()))
    };
    let spectrum = match dense {
        Some((h, g, layout)) => {
            if network_hessian && problem.rotation.is_some() {
                scope.push_str(", in the network's own parameters (the run's were rotated)");
            }
            dense_spectrum(h, &g, &layout, &blocks, spec, progress)?
        }
        None => {
            scope.push_str(&format!(
                " (above {DENSE_HESSIAN_MAX_D} parameters the Hessian is never formed: Lanczos estimates)"
            ));
            lanczos_spectrum(obj, &z, spec, progress)?
        }
    };
    if spec.analysis.track > 0 {
        track.push(TrackPoint { step, top: spectrum.top.iter().take(TRACK_TOP).copied().collect() });
    }
    Ok(HessianAnatomy { scope, method, step, f, blocks, track, ..spectrum })
}

fn gradient(obj: &(impl Objective + ?Sized), x: &[f64]) -> Vec<f64> {
    let mut g = vec![0.0; x.len()];
    obj.value_and_gradient(x, &mut g);
    g
}

/// The spectrum and both matrices' read-outs from the dense Hessian h, and the norms' geometry
/// with the gradient g under `layout` (the run fields are filled in by the caller).
fn dense_spectrum(
    h: Matrix,
    g: &[f64],
    layout: &Layout,
    blocks: &[Block],
    spec: &Spec,
    progress: Progress,
) -> Result<HessianAnatomy, Error> {
    if !progress(0.4) {
        return Err(Error::Cancelled);
    }
    let eigenvalues = h.sym_eigenvalues()?;
    if !progress(0.6) {
        return Err(Error::Cancelled);
    }
    let rotated = haar_similar(&eigenvalues, &mut Rng::stream(spec.problem.seed, Stream::Comparison));
    if !progress(0.75) {
        return Err(Error::Cancelled);
    }
    let ranges: Vec<_> = blocks.iter().map(|b| b.start..b.start + b.len).collect();
    let defaults = ReportOptions::default();
    let sdp_max_d = if spec.analysis.sdp { DENSE_HESSIAN_MAX_D } else { defaults.sdp_max_d };
    let opts = ReportOptions {
        exact: ExactMode::Auto,
        seed: spec.problem.seed,
        starts: 4,
        exact_work: 1 << 24,
        sdp_max_d,
        ..defaults
    };
    let side = |m: &Matrix| -> Result<(MatrixAnatomy, (Interval, String)), Error> {
        let r = report_with_eigenvalues(m, eigenvalues.clone(), &opts, &mut |_| true)?;
        let linf = match (r.linf_exact, r.linf_exact_method) {
            (Some(e), Some(method)) => (Interval { low: e, high: e }, method),
            _ => (
                Interval { low: r.linf_lower, high: r.linf_upper },
                format!("{} / {}", r.linf_lower_method, r.linf_upper_method),
            ),
        };
        let anatomy = MatrixAnatomy {
            mass: mass(m, &ranges),
            linf_lower: r.linf_lower,
            linf_upper: r.linf_upper,
            linf_exact: r.linf_exact,
            predicted_ratio: r.predicted_ratio,
            heat: heat_map(m, HEAT_MAP_SIZE),
        };
        Ok((anatomy, linf))
    };
    let (hessian, linf) = side(&h)?;
    let l2 = eigenvalues.iter().fold(0.0f64, |m, l| m.max(l.abs()));
    let geometry = norm_geometries(&h, g, layout, l2, linf);
    if !progress(0.9) {
        return Err(Error::Cancelled);
    }
    let (rotated, _) = side(&rotated)?;
    let d = eigenvalues.len();
    let lambda_bar = h.trace() / d.max(1) as f64;
    let lambda_max = eigenvalues.last().copied().unwrap_or(0.0);
    Ok(HessianAnatomy {
        spectrum_method: "all eigenvalues of the dense Hessian".into(),
        d,
        lambda_max,
        lambda_min: eigenvalues.first().copied().unwrap_or(0.0),
        lambda_bar,
        spread: (lambda_bar > 0.0).then(|| lambda_max / lambda_bar),
        top: eigenvalues.iter().rev().take(TOP).copied().collect(),
        histogram: histogram(&eigenvalues, spec.analysis.bins as usize),
        hessian: Some(hessian),
        rotated: Some(rotated),
        geometry,
        ..HessianAnatomy::default()
    })
}

/// Probe vectors and Lanczos steps of the estimates above the dense limit.
const PROBES: usize = 3;
const PROBE_STEPS: usize = 50;

/// Spectrum estimates from Hessian-vector products alone (stochastic Lanczos quadrature over
/// Rademacher probes u, ||u||^2 = d): the density from the Ritz values and weights, lambda_bar from
/// the quadrature's mean (u^T H u / d, Hutchinson's trace estimate), the largest eigenvalues from
/// the first probe's Ritz values (outliers converge first), and lambda_min as the smallest Ritz
/// value (an upper bound on it). Mass, heat maps and L_inf need the matrix: left out.
fn lanczos_spectrum(obj: &dyn Objective, z: &[f64], spec: &Spec, progress: Progress) -> Result<HessianAnatomy, Error> {
    let d = obj.dim();
    let mut rng = Rng::stream(spec.problem.seed, Stream::Probes);
    let total = (PROBES * PROBE_STEPS.min(d)) as f64;
    let mut done = 0.0;
    let mut probes = Vec::with_capacity(PROBES);
    for _ in 0..PROBES {
        let u = rng.signs(d);
        let mut step_done = || {
            done += 1.0;
            progress(0.1 + 0.9 * done / total)
        };
        let nodes = quadrature(|v, out| obj.hessian_vector(z, v, out), u, PROBE_STEPS, &mut step_done)?
            .ok_or(Error::Cancelled)?;
        probes.push(nodes);
    }
    let all: Vec<f64> = probes.iter().flatten().map(|(t, _)| *t).collect();
    let lambda_bar = probes.iter().map(|p| p.iter().map(|(t, w)| t * w).sum::<f64>()).sum::<f64>() / PROBES as f64;
    let mut top: Vec<f64> = probes[0].iter().map(|(t, _)| *t).collect();
    top.sort_by(|a, b| b.total_cmp(a));
    top.truncate(TOP);
    let lambda_max = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // Each Ritz value carries its weight, scaled to d eigenvalues in all.
    let hist = weighted_histogram(
        probes.iter().flatten().map(|(t, w)| (*t, w * d as f64 / PROBES as f64)),
        spec.analysis.bins as usize,
    );
    Ok(HessianAnatomy {
        spectrum_method: format!(
            "stochastic Lanczos quadrature: {PROBES} Rademacher probes x {} steps (the histogram's counts are estimates; the largest eigenvalues are Ritz values)",
            PROBE_STEPS.min(d)
        ),
        d,
        lambda_max,
        lambda_min: all.iter().copied().fold(f64::INFINITY, f64::min),
        lambda_bar,
        spread: (lambda_bar > 0.0).then(|| lambda_max / lambda_bar),
        top,
        histogram: hist,
        ..HessianAnatomy::default()
    })
}

/// The iterate of method `analysis.method` after `analysis.step` steps of its run (the step size it
/// was given or tuned to, the schedule of the whole run), its label, the step reached, and the
/// eigenvalue track at `analysis.track` evenly spaced earlier steps. Only that method runs, and
/// only to the checkpoint; the track's Lanczos runs report progress up to 0.1.
fn checkpoint(task: &AnalysisTask, problem: &super::problem::Problem, progress: Progress) -> Result<Checkpoint, Error> {
    let spec: &Spec = task;
    let i = task.method();
    let (step, label) = method_step(spec, i, problem);
    let steps = spec.analysis.step as usize;
    let every = (spec.analysis.track > 0).then(|| Every::spread(steps, spec.analysis.track as usize));
    let cfg = RunConfig { steps, ..run_config(spec) };
    let mut track = EigenTrack {
        every,
        steps,
        rng: Rng::stream(spec.problem.seed, Stream::Track),
        points: Vec::new(),
        progress,
        failed: None,
    };
    let out = run_resolved(spec, i, problem, &step, &cfg, &mut [&mut track]);
    if out.status == Status::Halted {
        return Err(track.failed.unwrap_or(Error::Cancelled));
    }
    Ok(Checkpoint { x: out.x, label, step: out.stopped_at, track: track.points })
}

struct Checkpoint {
    x: Vec<f64>,
    label: String,
    step: usize,
    track: Vec<TrackPoint>,
}

/// The TRACK_TOP largest Ritz values of the Hessian at the points of `every` (none when no track
/// is asked for), before the run's last point (whose eigenvalues the analysis computes in full
/// and adds): TRACK_STEPS Lanczos steps from a seeded Rademacher start, as the outliers converge
/// first. Halts the run when cancelled.
struct EigenTrack<'a> {
    every: Option<Every>,
    /// The checkpoint's step, for the progress fraction.
    steps: usize,
    rng: Rng,
    points: Vec<TrackPoint>,
    progress: Progress<'a>,
    /// Why the track halted the run, when it was not a cancellation.
    failed: Option<Error>,
}

impl Observer for EigenTrack<'_> {
    fn observe(&mut self, p: &Point) -> ControlFlow<()> {
        if !self.every.is_some_and(|e| e.has(p.t)) || p.stop.is_some() {
            return ControlFlow::Continue(());
        }
        let u = self.rng.signs(p.x.len());
        let nodes = match quadrature(|v, out| p.objective.hessian_vector(p.x, v, out), u, TRACK_STEPS, &mut || true) {
            Ok(Some(nodes)) => nodes,
            Ok(None) => return ControlFlow::Break(()),
            Err(e) => {
                self.failed = Some(e.into());
                return ControlFlow::Break(());
            }
        };
        let mut top: Vec<f64> = nodes.iter().map(|(theta, _)| *theta).collect();
        top.sort_by(|a, b| b.total_cmp(a));
        top.truncate(TRACK_TOP);
        self.points.push(TrackPoint { step: p.t, top });
        match (self.progress)(0.1 * p.t as f64 / self.steps as f64) {
            true => ControlFlow::Continue(()),
            false => ControlFlow::Break(()),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_diagonal_quadratic_is_all_diagonal_and_its_rotation_is_not() {
        let spec = Spec::from_json(r#"{"problem": {"kind": "quadratic", "d": 40, "spectrum": "outliers", "outliers": 2, "lambda_max": 50, "rotation": 0}}"#).unwrap();
        let a = hessian_anatomy(&spec, &mut |_| true).unwrap();
        assert_eq!(a.scope, "at the start point");
        assert_eq!(a.hessian.as_ref().unwrap().mass.rho_diag, 1.0);
        assert!(a.rotated.as_ref().unwrap().mass.rho_diag < 0.5, "{}", a.rotated.as_ref().unwrap().mass.rho_diag);
        // Diagonal H: L_inf = tr H exactly, so d L_2 / L_inf = lambda_max / lambda_bar.
        assert_eq!(a.hessian.as_ref().unwrap().linf_exact, Some(a.lambda_bar * 40.0));
        assert!((a.hessian.as_ref().unwrap().predicted_ratio.low - a.spread.unwrap()).abs() < 1e-12);
        assert_eq!(a.histogram.counts.iter().sum::<f64>(), 40.0);
        assert_eq!(a.top[..2], [50.0, 50.0]);
    }

    /// At the start point the geometry's spreads are the run's own records at t = 0 (d phi(g_0) and
    /// nu(g_0), from other code), and on H = diag(1, 1, 10) (x) I_3 the constants have closed forms:
    /// L_2 = 10, L_inf = tr H = 36, L_spec = 1 + 1 + 10 = 12 (the rows' weights), ceilings 1, 2.5, 2.5.
    #[test]
    fn the_geometry_at_the_start_matches_the_run_and_the_closed_forms() {
        let json = r#"{"problem": {"kind": "quadratic", "d": 9, "shape": [3, 3], "spectrum": "outliers", "outliers": 3, "lambda_max": 10, "lambda_min": 1},
            "methods": [{"kind": "spectral"}, {"kind": "sign_gd"}], "run": {"steps": 10}}"#;
        let spec = Spec::from_json(json).unwrap();
        let a = hessian_anatomy(&spec, &mut |_| true).unwrap();
        let [l2, sign, spectral] = &a.geometry[..] else { panic!("{:?}", a.geometry) };
        assert_eq!((l2.norm, sign.norm, spectral.norm), ("l2", "linf", "spectral"));
        let close = |x: f64, want: f64| (x - want).abs() <= 1e-12 * want;
        for (n, l, ceiling) in [(l2, 10.0, 1.0), (sign, 36.0, 2.5), (spectral, 12.0, 2.5)] {
            assert!(close(n.smoothness.low, l) && close(n.smoothness.high, l), "{n:?}");
            assert!(close(n.ceiling.low, ceiling) && close(n.ceiling.high, ceiling), "{n:?}");
        }
        let run = crate::experiment::run_spec(&spec).unwrap();
        let (nu, phi) = (run.methods[0].nuclear_rank.as_ref().unwrap().value[0], run.methods[1].trace.density[0]);
        assert!(close(spectral.spread.unwrap(), nu), "{:?} vs {nu}", spectral.spread);
        assert!(close(sign.spread.unwrap(), 9.0 * phi), "{:?} vs {}", sign.spread, 9.0 * phi);
        assert_eq!(l2.spread, Some(1.0));
        assert!(close(spectral.predicted.unwrap().low, nu * 10.0 / 12.0));
    }

    #[test]
    fn a_network_checkpoint_has_layer_blocks_and_a_later_iterate() {
        let spec = Spec::from_json(
            r#"{"problem": {"kind": "network", "dataset": "breast_cancer", "hidden": 4, "hidden2": 3},
                "methods": [{"kind": "adam", "lr": 0.01}], "run": {"steps": 30}, "analysis": {"step": 20}}"#,
        )
        .unwrap();
        let a = hessian_anatomy(&spec, &mut |_| true).unwrap();
        assert_eq!(a.step, 20);
        assert!(a.scope.starts_with("after 20 steps of Adam"), "{}", a.scope);
        let lens: Vec<usize> = a.blocks.iter().map(|b| b.len).collect();
        assert_eq!(lens, vec![4 * 31, 3 * 5, 2 * 4]);
        assert_eq!(a.d, lens.iter().sum::<usize>());
        assert_eq!(a.hessian.as_ref().unwrap().mass.block_rho_diag.len(), 3);
        // Three weight matrices: the spectral geometry joins, its largest spread
        // R = (4 + 1) + (3 + 1) + (2 + 1) (a bias vector counts 1), its bracket in [L_2, R L_2].
        let spectral = &a.geometry[2];
        assert_eq!((spectral.norm, spectral.max_spread), ("spectral", 12));
        let l2 = a.geometry[0].smoothness.high;
        assert!(l2 <= spectral.smoothness.low && spectral.smoothness.high <= 12.0 * l2 * (1.0 + 1e-12));
        let start = hessian_anatomy(
            &Spec { analysis: crate::spec::AnalysisSpec { step: 0, ..spec.analysis.clone() }, ..spec.clone() },
            &mut |_| true,
        )
        .unwrap();
        assert!(a.f < start.f, "training lowers the loss: {} vs {}", a.f, start.f);
        // The checkpoint is the run's own iterate: f there is the run's trace at step 20.
        let run = crate::experiment::run_spec(&spec).unwrap();
        assert_eq!(a.f, run.methods[0].trace.f[20]);
        assert_eq!(start.f, run.methods[0].trace.f[0]);
        // The rotation keeps the spectrum, so the trace, and moves mass off the diagonal.
        assert!(a.rotated.as_ref().unwrap().mass.rho_diag < a.hessian.as_ref().unwrap().mass.rho_diag);
    }

    /// Above the dense limit the estimates come from Lanczos; checked against the dense answer
    /// by running the same estimator below the limit.
    #[test]
    fn lanczos_estimates_agree_with_the_dense_spectrum() {
        let spec = Spec::from_json(r#"{"problem": {"kind": "network", "dataset": "breast_cancer", "hidden": 8}, "methods": [{"kind": "adam", "lr": 0.01}], "run": {"steps": 40}, "analysis": {"step": 40}}"#).unwrap();
        let dense = hessian_anatomy(&spec, &mut |_| true).unwrap();
        let task = spec.analysis_task().unwrap();
        let problem = build(&task);
        let z = checkpoint(&task, &problem, &mut |_| true).unwrap().x;
        let est = lanczos_spectrum(problem.objective.as_ref(), &z, &spec, &mut |_| true).unwrap();
        assert!(est.spectrum_method.starts_with("stochastic Lanczos quadrature"));
        // Outliers converge first: the top Ritz values match the top eigenvalues.
        for k in 0..3 {
            assert!(
                (est.top[k] - dense.top[k]).abs() <= 1e-6 * dense.top[0],
                "{k}: {} vs {}",
                est.top[k],
                dense.top[k]
            );
        }
        assert!(est.lambda_min >= dense.lambda_min - 1e-9);
        // Hutchinson's estimate of the mean eigenvalue, from three probes: within 30%.
        assert!(
            (est.lambda_bar - dense.lambda_bar).abs() <= 0.3 * dense.lambda_bar,
            "{} vs {}",
            est.lambda_bar,
            dense.lambda_bar
        );
        assert!((est.histogram.counts.iter().sum::<f64>() - dense.d as f64).abs() < 1e-6 * dense.d as f64);
    }

    #[test]
    fn a_network_above_the_dense_limit_gets_lanczos_read_outs_only() {
        let spec = Spec::from_json(r#"{"problem": {"kind": "network", "dataset": "breast_cancer", "hidden": 64, "hidden2": 30}, "run": {"steps": 1}, "methods": [{"kind": "gd", "lr": 0.1}]}"#).unwrap();
        assert!(spec.dim() > DENSE_HESSIAN_MAX_D);
        let a = hessian_anatomy(&spec, &mut |_| true).unwrap();
        assert!(a.hessian.is_none() && a.rotated.is_none());
        assert!(a.scope.contains("Lanczos"), "{}", a.scope);
        assert!(a.lambda_max >= a.top[1] && a.top.len() == 10);
        assert_eq!(a.blocks.len(), 3);
    }

    #[test]
    fn the_track_follows_the_top_eigenvalues_of_earlier_iterates() {
        let json = |step: u64, track: u64| {
            format!(
                r#"{{"problem": {{"kind": "network", "dataset": "breast_cancer", "hidden": 6}}, "methods": [{{"kind": "adam", "lr": 0.02}}],
                "run": {{"steps": 60}}, "analysis": {{"step": {step}, "track": {track}}}}}"#
            )
        };
        let a = hessian_anatomy(&Spec::from_json(&json(60, 4)).unwrap(), &mut |_| true).unwrap();
        assert_eq!(a.track.iter().map(|p| p.step).collect::<Vec<_>>(), vec![0, 15, 30, 45, 60]);
        assert_eq!(a.track[4].top, a.top[..5]);
        // Each earlier point against the dense eigenvalues at that step.
        for p in &a.track[..4] {
            let dense = hessian_anatomy(&Spec::from_json(&json(p.step as u64, 0)).unwrap(), &mut |_| true).unwrap();
            assert!(
                (p.top[0] - dense.top[0]).abs() <= 1e-6 * dense.top[0],
                "step {}: {} vs {}",
                p.step,
                p.top[0],
                dense.top[0]
            );
            assert!(
                p.top.iter().zip(&dense.top).all(|(r, e)| *r <= e + 1e-9),
                "Ritz values lie below the eigenvalues they estimate"
            );
        }
        assert!(hessian_anatomy(&Spec::from_json(&json(60, 0)).unwrap(), &mut |_| true).unwrap().track.is_empty());
    }

    /// Cancelling at a track point stops the checkpoint's run there: no later track point, and
    /// no report of the run's end (progress 0.1).
    #[test]
    fn the_track_cancels_the_run_under_way() {
        let spec = Spec::from_json(
            r#"{"problem": {"kind": "network", "dataset": "breast_cancer", "hidden": 6}, "methods": [{"kind": "adam", "lr": 0.02}],
                "run": {"steps": 60}, "analysis": {"step": 60, "track": 4}}"#,
        )
        .unwrap();
        let mut calls = Vec::new();
        let e = hessian_anatomy(&spec, &mut |f| {
            calls.push(f);
            calls.len() < 3
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "cancelled");
        assert_eq!(calls.len(), 3, "{calls:?}");
        assert!(calls.iter().all(|f| *f < 0.1), "{calls:?}");
    }

    #[test]
    fn the_sdp_option_tightens_the_bracket_above_d_500() {
        let json = |sdp: bool| {
            format!(
                r#"{{"problem": {{"kind": "quadratic", "d": 520, "spectrum": "outliers", "outliers": 5, "lambda_max": 50, "rotation": 1}}, "analysis": {{"sdp": {sdp}}}}}"#
            )
        };
        let quick = hessian_anatomy(&Spec::from_json(&json(false)).unwrap(), &mut |_| true).unwrap().hessian.unwrap();
        let sdp = hessian_anatomy(&Spec::from_json(&json(true)).unwrap(), &mut |_| true).unwrap().hessian.unwrap();
        // Without the SDP the upper end is d L_2 = 520 x 50 (sum |H_ij| is larger for a rotated H).
        assert!((quick.linf_upper - 26000.0).abs() < 1e-6, "{}", quick.linf_upper);
        assert!(sdp.linf_upper < 0.95 * quick.linf_upper, "{} vs {}", sdp.linf_upper, quick.linf_upper);
        assert!(
            sdp.linf_upper >= sdp.linf_lower && (sdp.linf_lower - quick.linf_lower).abs() <= 0.05 * quick.linf_lower
        );
    }

    #[test]
    fn checkpoints_share_one_budget_for_the_sdps_above_d_500() {
        let spec = |d: u64, sdp: bool| {
            Spec::from_json(&format!(r#"{{"problem": {{"d": {d}, "outliers": 2}}, "analysis": {{"sdp": {sdp}}}}}"#))
                .unwrap()
        };
        let steps = [0, 10, 20, 30, 40, 50];
        let sdp_flags = |s: &Spec| checkpoint_specs(s, &steps).iter().map(|(s, _)| s.analysis.sdp).collect::<Vec<_>>();
        // Each checkpoint's spec is the given one at its step.
        let list = checkpoint_specs(&spec(600, true), &steps);
        assert_eq!(list.iter().map(|(s, _)| s.analysis.step).collect::<Vec<_>>(), steps);
        // Below SDP_MAX_D the option adds nothing, so nothing is spent; off, nothing either.
        assert_eq!(sdp_flags(&spec(400, true)), [true; 6]);
        assert_eq!(sdp_flags(&spec(1131, false)), [false; 6]);
        // At d = 600 a checkpoint's two SDPs bound at 2 x 50 sweeps of 1200^2 x 50 multiply-adds:
        // four fit in 2^35 (4 x 7.2e9 = 2.9e10 <= 3.4e10 < 5 x 7.2e9).
        assert_eq!(2 * sdp_work_bound(1200), 2 * 50 * 1200 * 1200 * 50);
        assert_eq!(sdp_flags(&spec(600, true)), [true, true, true, true, false, false]);
        let note = list[4].1.as_deref().expect("named");
        assert!(note.contains("first 4 checkpoint(s)") && note.contains("d = 600"), "{note}");
        assert_eq!(list[5].1, list[4].1);
        assert!(list[..4].iter().all(|(_, n)| n.is_none()));
        // At d = 1131 the first checkpoint alone spends it; it always has its SDPs.
        assert_eq!(sdp_flags(&spec(1131, true)), [true, false, false, false, false, false]);
    }

    #[test]
    fn a_checkpoint_past_the_run_is_refused_by_name() {
        let spec = Spec::from_json(r#"{"run": {"steps": 10}, "analysis": {"step": 11}}"#).unwrap();
        let e = hessian_anatomy(&spec, &mut |_| true).unwrap_err().to_string();
        assert!(e.contains("analysis.step") && e.contains("0 to run.steps = 10"), "{e}");
        let spec = Spec::from_json(r#"{"analysis": {"method": 2}}"#).unwrap();
        assert!(hessian_anatomy(&spec, &mut |_| true).unwrap_err().to_string().contains("analysis.method"));
    }
}
