//! Runs every method of a spec on its problem: smoothness constants for theory steps, tuning
//! where asked, and one recorded run per method.

use super::nuclear_rank::{NuclearNormRecorder, NuclearRankRecorder, NuclearRanks};
use super::prediction::Compared;
use super::problem::Kept;
use super::step_ratio::{StepRatioRecorder, StepRatios};
use crate::linalg::Matrix;
use crate::norm::{LayerNorm, Layout, Norm};
use crate::optimizer::{
    log_grid, run, tune, Chain, Every, Observer, Outcome, Point, RunConfig, StageProgress, Status, StepProgress,
    StepRule, StepSize, Ticks, Trace, TuneReport, Update,
};
use crate::parallel::{self, Tick};
use crate::smoothness::{smoothness_constant, Constant};
use crate::spec::{MethodSpec, RunTask, Spec};
use crate::Error;
use serde::Serialize;
use std::ops::ControlFlow;

/// Iterates are recorded up to this dimension (for the 2-D/3-D views).
pub const KEEP_X_MAX_D: usize = 3;

/// The methods' results are `M`: their own natively; in the page, when its pool ran them apart,
/// the JS values the workers sent, put in as they are.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunResult<M = Vec<MethodResult>> {
    /// The spec as run, with every default and `auto` made explicit.
    pub spec: Spec,
    pub problem: ProblemInfo,
    pub methods: M,
    /// Sign GD against GD in ceiling, predicted and measured (docs/theory.md §4), when the spec
    /// has both with theory steps.
    pub comparison: Option<super::prediction::Comparison>,
    /// Spectral descent against GD in the same three numbers (docs/theory.md §6), when the spec
    /// has both with theory steps (telling only on a matrix-shaped variable: on a plain vector the
    /// spectral step is GD's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spectral_comparison: Option<super::prediction::SpectralComparison>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProblemInfo {
    pub d: usize,
    /// f* when known; traces then hold f(x_t) - f*, otherwise f(x_t).
    pub f_star: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x_star: Option<Vec<f64>>,
    /// The constant Hessian of a quadratic, when d <= 3 (for the 2-D view).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hessian: Option<Vec<Vec<f64>>>,
    pub x0: Vec<f64>,
    /// Under problem.class_zipf: the classes by rank and the training rows each kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classes: Option<crate::data::ClassImbalance>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MethodResult {
    pub label: String,
    pub kind: &'static str,
    pub rule: StepRule,
    /// The step scale run: lr (const rule) or the multiplier of the theory step; the tuned value
    /// when tuned.
    pub lr: f64,
    /// The smoothness constant the theory step used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smoothness: Option<Constant>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tuning: Option<TuneReport>,
    pub status: Status,
    pub stopped_at: usize,
    pub message: String,
    /// Classification accuracy of the last iterate on the training and test sets (networks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accuracy: Option<Accuracy>,
    /// Train and test loss and accuracy during training, at the run's sampled points (networks;
    /// `run_config`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub curves: Option<Curves>,
    /// At about CURVE_POINTS iterates of this run, R(g_t) = phi(g_t) d L_2 / L_inf beside the
    /// decrease a sign GD step achieves over a GD step from the same iterate
    /// (experiment::step_ratio), when the run's objective has both constants (its spec has GD
    /// and sign GD with theory steps).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_ratios: Option<StepRatios>,
    /// The nuclear rank of the gradient at about CURVE_POINTS iterates (experiment::nuclear_rank),
    /// when the parameters have weight matrices (networks, matrix-shaped quadratics).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nuclear_rank: Option<NuclearRanks>,
    /// sum_b ||G_b||_* at every step, for runs with the spectral theory step (its guarantee's dual
    /// norm, which the spectral comparison reads).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grad_nuclear: Option<Vec<f64>>,
    #[serde(flatten)]
    pub trace: Trace,
}

impl MethodResult {
    /// What the comparisons read of it.
    pub fn compared(&self) -> Compared<'_> {
        Compared {
            kind: self.kind,
            rule: self.rule,
            smoothness: self.smoothness.as_ref(),
            status: self.status,
            stopped_at: self.stopped_at,
            f: &self.trace.f,
            grad_l2: &self.trace.grad_l2,
            grad_l1: &self.trace.grad_l1,
            grad_nuclear: self.grad_nuclear.as_deref(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Accuracy {
    pub train: f64,
    pub test: f64,
}

/// Points of the training curves of a network run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Curves {
    pub t: Vec<usize>,
    pub train_loss: Vec<f64>,
    pub test_loss: Vec<f64>,
    pub train_accuracy: Vec<f64>,
    pub test_accuracy: Vec<f64>,
    /// Under problem.class_zipf: the training loss of the frequent, middle and rare classes at
    /// each point (problem.classes says which classes and how many rows).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub group_loss: Vec<[f64; 3]>,
}

/// A full-batch run's training curves (and other sampled read-outs) are measured at about this
/// many evenly spaced steps; its trace has f at every step.
pub const CURVE_POINTS: usize = 50;

/// Records the training curves of a network run: train and test loss and accuracy of the
/// iterate at the run's sampled points, measured in the network's own parameters, the training
/// fit taken from the run's full pass there.
struct CurveRecorder<'a> {
    evaluator: &'a super::problem::Evaluator,
    problem: &'a super::problem::Problem,
    curves: Curves,
    /// The training fit of the last point seen, with its step t, when the run evaluated it in
    /// full: the final accuracy reuses it when t is the step of the run's last iterate.
    last_fit: Option<(usize, (f64, f64))>,
}

impl Observer for CurveRecorder<'_> {
    fn observe(&mut self, p: &Point) -> ControlFlow<()> {
        let fit = p.full.and_then(|full| full.fit);
        self.last_fit = fit.map(|fit| (p.t, fit));
        if p.sampled {
            let x = self.problem.original(p.x);
            let e = self.evaluator.evaluate(&x, fit);
            let c = &mut self.curves;
            c.t.push(p.t);
            c.train_loss.push(e.train_loss);
            c.test_loss.push(e.test_loss);
            c.train_accuracy.push(e.train_accuracy);
            c.test_accuracy.push(e.test_accuracy);
            c.group_loss.extend(e.group_loss);
        }
        ControlFlow::Continue(())
    }
}

/// Validates and runs `spec`.
pub fn run_spec(spec: &Spec) -> Result<RunResult, Error> {
    run_spec_watched(spec, &mut Kept::default(), &mut |_, _| true)
}

/// Validates and runs `spec`, reporting its stages (making the problem, the smoothness
/// constants, tuning, the runs) and the fraction of all steps done, tuning runs included (and
/// the making of the problem, unless `kept` holds it); a false report cancels
/// (`Error::Cancelled`). The problem is the one `kept` holds when it is the spec's, else it is
/// built and kept.
pub fn run_spec_watched(spec: &Spec, kept: &mut Kept, progress: StageProgress) -> Result<RunResult, Error> {
    let all: Vec<usize> = (0..spec.methods.len()).collect();
    let methods = run_methods_watched(spec, kept, &all, progress)?;
    let task = spec.run_task()?;
    let problem = kept.problem(&task, &mut |_| ());
    Ok(assemble_own(&task, problem, methods))
}

/// Methods `which` of `spec` (indices into its methods, each at most once), in that order, as
/// `run_spec_watched` runs them, with only their runs counted in the progress: the page's pool
/// gives each worker a part of a run's methods, and `assemble_run` puts the parts together.
pub fn run_methods_watched(
    spec: &Spec,
    kept: &mut Kept,
    which: &[usize],
    progress: StageProgress,
) -> Result<Vec<MethodResult>, Error> {
    let task = spec.run_task()?;
    let n = task.methods.len();
    if let Some((_, &i)) = which.iter().enumerate().find(|&(k, &i)| i >= n || which[..k].contains(&i)) {
        return Err(Error::Usage(format!(
            "methods: {i} is given twice or is not a method of the spec (allowed: distinct indices 0 to {})",
            n - 1
        )));
    }
    let runs = which.iter().map(|&i| method_runs(&task, i)).sum();
    let setup = if kept.keeps(&task) { 0 } else { setup_steps(&task) };
    let mut counter = StepProgress::new(progress, setup, runs, task.run.steps as usize);
    if !counter.stage("making the problem") {
        return Err(Error::Cancelled);
    }
    let problem = kept.problem(&task, &mut |f| {
        counter.setup(f);
    });
    counter.setup(1.0);
    let methods = run_methods(&task, problem, which, &mut counter);
    if counter.cancelled() {
        return Err(Error::Cancelled);
    }
    Ok(methods)
}

/// The result of `spec`'s run from what the comparisons read of every method's result (in the
/// spec's order: `run_methods_watched`'s parts, or what the page read back of them), with
/// `methods` in the place of the results, on the problem `kept` holds or builds; parts that are
/// not the spec's methods are refused.
pub fn assemble_run<M>(spec: &Spec, kept: &mut Kept, compared: &[Compared], methods: M) -> Result<RunResult<M>, Error> {
    let task = spec.run_task()?;
    if compared.len() != task.methods.len() || compared.iter().zip(&task.methods).any(|(r, m)| r.kind != m.kind.id) {
        let kinds = |ids: Vec<&str>| ids.join(", ");
        return Err(Error::Usage(format!(
            "methods: results of {} where the spec has {}",
            kinds(compared.iter().map(|r| r.kind).collect()),
            kinds(task.methods.iter().map(|m| m.kind.id).collect())
        )));
    }
    let problem = kept.problem(&task, &mut |_| ());
    Ok(assemble(&task, problem, compared).with_methods(methods))
}

/// The runs of a task's methods, tuning runs included.
fn runs(task: &RunTask) -> usize {
    (0..task.methods.len()).map(|i| method_runs(task, i)).sum()
}

/// The runs of method i of a task: its tuning grid's and its own.
fn method_runs(task: &RunTask, i: usize) -> usize {
    if task.methods[i].tune {
        tuning_grid(task).len() + 1
    } else {
        1
    }
}

/// The share of a run's progress that making its problem takes (`run_spec_watched` reports it
/// done there): the page's pool, which makes a rotated quadratic before the run, shows its
/// progress on the same scale.
pub fn making_share(task: &RunTask) -> f64 {
    let setup = setup_steps(task);
    setup as f64 / (setup + runs(task) * task.run.steps as usize).max(1) as f64
}

/// What making the problem costs, in steps of one method: a rotated quadratic costs about
/// 2 d steps (O(d^3) against d^2 a step; measured at d = 2000: about 35 s against 9 ms a step),
/// anything else next to nothing.
fn setup_steps(task: &RunTask) -> usize {
    super::rotated::rotated_size(task).map_or(0, |d| 2 * d)
}

/// Runs a task on its already built problem (the sweep reads the problem's Hessian too, and
/// builds each problem once).
pub(crate) fn run_problem(task: &RunTask, problem: &super::problem::Problem) -> RunResult {
    run_counted(task, problem, &mut StepProgress::new(&mut |_, _| true, 0, 1, 1))
}

/// `run_problem` with its steps counted by `counter`; a cancelled counter halts every run.
fn run_counted(task: &RunTask, problem: &super::problem::Problem, counter: &mut StepProgress) -> RunResult {
    let all: Vec<usize> = (0..task.methods.len()).collect();
    let methods = run_methods(task, problem, &all, counter);
    assemble_own(task, problem, methods)
}

/// The results of methods `which` of a task, in that order, on its problem: the page's pool runs
/// a spec's methods apart (a worker each) and `assemble` puts them together. Each is what the
/// whole run gives it: its step resolved (tuned when asked) as there, and the constants of every
/// theory step of the spec known before any run, since a run's per-step picture reads L_2 and
/// L_inf whichever methods have them.
pub(crate) fn run_methods(
    task: &RunTask,
    problem: &super::problem::Problem,
    which: &[usize],
    counter: &mut StepProgress,
) -> Vec<MethodResult> {
    let spec = Spec::clone(task);
    let obj = problem.objective.as_ref();
    let d = obj.dim();
    let cfg = run_config(&spec);
    let grid = tuning_grid(&spec);
    let evaluator = super::problem::Evaluator::of(&spec);
    let mut constants: Vec<(Norm, Constant)> = Vec::new();
    // Every step first (tuning included), so that the constants of GD's and sign GD's theory
    // steps are known before any run records the per-step picture; the other methods' constants
    // alone.
    let steps: Vec<Option<ResolvedStep>> = spec
        .methods
        .iter()
        .enumerate()
        .map(|(i, m)| {
            if !which.contains(&i) {
                theory_constant(m, problem, &mut constants);
                return None;
            }
            if m.tune {
                counter.stage("tuning the step sizes");
            } else if matches!(m.step_rule(), StepRule::Theory) {
                counter.stage("the smoothness constants");
            }
            Some(resolve_step(m, problem, &cfg, &grid, &mut constants, counter))
        })
        .collect();
    counter.stage("running the methods");
    let known = |norm: Norm| constants.iter().find(|(n, _)| *n == norm).map(|(_, c)| c.value);
    let picture = match (known(Norm::L2), known(Norm::LInf), obj.minimum()) {
        (Some(l2), Some(linf), Some(f_star)) => Some((l2, linf, f_star)),
        _ => None,
    };
    // The runs side by side where there are cores: each is independent of the others.
    let run_one = |&i: &usize, tick: Tick| {
        let m = &spec.methods[i];
        let step = steps[i].as_ref().expect("a step for each method run");
        let mut trace = if d <= KEEP_X_MAX_D { Trace::with_iterates() } else { Trace::default() };
        let mut recorder = evaluator.as_ref().map(|evaluator| CurveRecorder {
            evaluator,
            problem,
            curves: Curves::default(),
            last_fit: None,
        });
        let mut ratios = picture.map(|(l2, linf, f_star)| StepRatioRecorder::new(l2, linf, f_star));
        let mut ranks = NuclearRankRecorder::new(obj.layout());
        let spectral_theory = step.smoothness.is_some()
            && matches!(
                m.kind.theory_norm(&m.hypers(), &obj.layout()),
                Some(Norm::Modular { layer: LayerNorm::Spectral, .. })
            );
        let mut nuclear = spectral_theory.then(|| NuclearNormRecorder::new(obj.layout()));
        let out = run_resolved(
            &spec,
            i,
            problem,
            step,
            &cfg,
            &mut [&mut trace, &mut recorder, &mut ratios, &mut ranks, &mut nuclear, &mut Ticks::new(tick, cfg.steps)],
        );
        let (curves, last_fit) = recorder.map(|r| (r.curves, r.last_fit)).unzip();
        let step_ratios = ratios.map(|r| r.ratios);
        let rule = step.rule();
        let ResolvedStep { lr, smoothness, tuning } = step.clone();
        let message = match &tuning {
            Some(t) if t.best.is_none() => {
                format!("every tuning grid value diverged; showing the smallest. {}", out.message)
            }
            _ => out.message,
        };
        MethodResult {
            label: label(m, rule, lr, spec.run.batch > 0),
            kind: m.kind.id,
            rule,
            lr,
            smoothness,
            tuning,
            status: out.status,
            stopped_at: out.stopped_at,
            message,
            accuracy: evaluator.as_ref().map(|ev| {
                let x = problem.original(&out.x);
                let fit = last_fit.flatten().filter(|(t, _)| *t == out.stopped_at).map(|(_, fit)| fit);
                let e = ev.evaluate(&x, fit);
                Accuracy { train: e.train_accuracy, test: e.test_accuracy }
            }),
            curves,
            step_ratios,
            nuclear_rank: ranks.map(|r| r.ranks),
            grad_nuclear: nuclear.map(|r| r.values),
            trace,
        }
    };
    let methods = parallel::map(which, run_one, &mut |runs| counter.runs(runs));
    counter.count_runs(which.len());
    // Cancelled: no results (the caller reports the cancellation).
    methods.unwrap_or_default()
}

/// The run's result from its methods' own results.
fn assemble_own(task: &RunTask, problem: &super::problem::Problem, methods: Vec<MethodResult>) -> RunResult {
    let compared: Vec<Compared> = methods.iter().map(MethodResult::compared).collect();
    assemble(task, problem, &compared).with_methods(methods)
}

/// The run's result but its methods' results, from what the comparisons read of each
/// (`compared`, in the spec's order).
fn assemble(task: &RunTask, problem: &super::problem::Problem, compared: &[Compared]) -> RunResult<()> {
    let spec = Spec::clone(task);
    let obj = problem.objective.as_ref();
    let d = obj.dim();
    RunResult {
        problem: ProblemInfo {
            d,
            f_star: obj.minimum(),
            x_star: (d <= KEEP_X_MAX_D).then(|| problem.x_star.clone()),
            hessian: obj.constant_hessian().filter(|_| d <= KEEP_X_MAX_D).map(|h| h.to_rows()),
            x0: problem.x0.clone(),
            classes: (spec.problem.class_zipf > 0.0 && spec.problem.kind == crate::spec::ProblemKind::Network)
                .then(|| crate::data::training_set(spec.problem.dataset, spec.problem.seed, spec.problem.class_zipf).1)
                .flatten(),
        },
        comparison: super::prediction::compare(d, compared),
        spectral_comparison: super::prediction::compare_spectral(&obj.layout(), compared),
        spec,
        methods: (),
    }
}

impl RunResult<()> {
    /// This result with `methods` as its methods' results.
    fn with_methods<M>(self, methods: M) -> RunResult<M> {
        let RunResult { spec, problem, methods: (), comparison, spectral_comparison } = self;
        RunResult { spec, problem, methods, comparison, spectral_comparison }
    }
}

/// How a spec's methods run. The schedule: a minibatch run evaluates the full objective (and
/// samples its read-outs) at `Every::spread(steps, run.eval_points)` and at its last point; a
/// full-batch run, which has f at every step, samples at `Every::spread(steps, CURVE_POINTS)`.
pub(crate) fn run_config(spec: &Spec) -> RunConfig {
    let steps = spec.run.steps as usize;
    let points = if spec.run.batch > 0 { spec.run.eval_points as usize } else { CURVE_POINTS };
    RunConfig {
        steps,
        target: (spec.run.target > 0.0).then_some(spec.run.target),
        batch: spec.run.batch as usize,
        batch_seed: spec.problem.seed,
        every: Every::spread(steps, points),
    }
}

/// The step scales `tune` tries.
pub(crate) fn tuning_grid(spec: &Spec) -> Vec<f64> {
    log_grid(spec.run.tune_min, spec.run.tune_max, spec.run.tune_points as usize)
}

/// A method's step as run: its step scale (tuned on the grid when asked) and the smoothness
/// constant of a theory step (None: the const rule).
#[derive(Clone)]
pub(crate) struct ResolvedStep {
    pub lr: f64,
    pub smoothness: Option<Constant>,
    pub tuning: Option<TuneReport>,
}

impl ResolvedStep {
    pub fn rule(&self) -> StepRule {
        match self.smoothness {
            Some(_) => StepRule::Theory,
            None => StepRule::Const,
        }
    }
}

/// The step size of scale `lr` under the theory step of `smoothness`, or constant.
fn step_size(lr: f64, smoothness: Option<&Constant>) -> StepSize {
    match smoothness {
        Some(c) => StepSize::Theory { lr, smoothness: c.value },
        None => StepSize::Const(lr),
    }
}

/// Method `m`'s chain on parameters of `layout`: its links at step size `step`, then its
/// schedule over `horizon` steps.
fn chain(m: &MethodSpec, step: StepSize, horizon: usize, layout: &Layout) -> Chain {
    m.kind.chain(&m.hypers(), step, layout).with_schedule(m.schedule, horizon)
}

pub(crate) fn resolve_step(
    m: &MethodSpec,
    problem: &super::problem::Problem,
    cfg: &RunConfig,
    grid: &[f64],
    constants: &mut Vec<(Norm, Constant)>,
    counter: &mut StepProgress,
) -> ResolvedStep {
    let obj = problem.objective.as_ref();
    let layout = obj.layout();
    let smoothness = theory_constant(m, problem, constants);
    let make_chain = |lr: f64| chain(m, step_size(lr, smoothness.as_ref()), cfg.steps, &layout);
    let (lr, tuning) = if m.tune {
        let report = tune(obj, &problem.x0, make_chain, cfg, grid, &mut |runs| counter.runs(runs));
        counter.count_runs(grid.len());
        // When every grid value diverged, show the smallest: its divergence is the story. A
        // cancelled tuning has no report; the runs that follow stop at once.
        let lr = grid[report.as_ref().and_then(|r| r.best).unwrap_or(0)];
        (lr, report)
    } else {
        (m.lr_value(), None)
    };
    ResolvedStep { lr, smoothness, tuning }
}

/// Method i of a resolved spec on its own: its step (tuned when asked) and its label.
pub(crate) fn method_step(spec: &Spec, i: usize, problem: &super::problem::Problem) -> (ResolvedStep, String) {
    let m = &spec.methods[i];
    let cfg = run_config(spec);
    let step = resolve_step(
        m,
        problem,
        &cfg,
        &tuning_grid(spec),
        &mut Vec::new(),
        &mut StepProgress::new(&mut |_, _| true, 0, 1, 1),
    );
    let name = label(m, step.rule(), step.lr, spec.run.batch > 0);
    (step, name)
}

/// Runs method i with its resolved step under `cfg`, watched by `observers` (the schedule still
/// spans run.steps, so a shorter run follows the full run's iterates).
pub(crate) fn run_resolved(
    spec: &Spec,
    i: usize,
    problem: &super::problem::Problem,
    step: &ResolvedStep,
    cfg: &RunConfig,
    observers: &mut [&mut dyn Observer],
) -> Outcome {
    let obj = problem.objective.as_ref();
    let step = step_size(step.lr, step.smoothness.as_ref());
    let mut chain = chain(&spec.methods[i], step, spec.run.steps as usize, &obj.layout());
    run(obj, &problem.x0, &mut chain, cfg, observers)
}

/// The smoothness constant of method `m`'s theory step (None: the const rule), computed once per
/// norm in `constants`.
fn theory_constant(
    m: &MethodSpec,
    problem: &super::problem::Problem,
    constants: &mut Vec<(Norm, Constant)>,
) -> Option<Constant> {
    let obj = problem.objective.as_ref();
    // Validation allows the theory rule only on objectives with a constant Hessian.
    match (m.step_rule(), m.kind.theory_norm(&m.hypers(), &obj.layout()), obj.constant_hessian()) {
        (StepRule::Theory, Some(norm), Some(h)) => Some(constant(constants, norm, h, obj.known_spectrum())),
        _ => None,
    }
}

/// The smoothness constant for `norm` of the constant Hessian h, computed once per run.
fn constant(cache: &mut Vec<(Norm, Constant)>, norm: Norm, h: &Matrix, spectrum: Option<&[f64]>) -> Constant {
    if let Some((_, c)) = cache.iter().find(|(n, _)| *n == norm) {
        return c.clone();
    }
    let c = smoothness_constant(&norm, h, spectrum);
    cache.push((norm, c.clone()));
    c
}

fn label(m: &MethodSpec, rule: StepRule, lr: f64, stochastic: bool) -> String {
    if let Some(l) = &m.label {
        return l.clone();
    }
    // On minibatches GD and sign GD are SGD and signSGD.
    let name = match (stochastic, m.kind.stochastic_name) {
        (true, Some(name)) => name.to_string(),
        _ => m.kind.display_name(&m.hypers()),
    };
    let tuned = if m.tune { "tuned " } else { "" };
    let name = match m.schedule {
        crate::optimizer::ScheduleKind::Constant => name,
        s => format!("{name}, {} schedule", s.id()),
    };
    let lr_s = short(lr);
    match (rule, &m.kind.update) {
        (StepRule::Theory, Update::Gradient) => {
            if lr == 1.0 && !m.tune {
                format!("{name} (1/L)")
            } else {
                format!("{name} ({tuned}{lr_s}/L)")
            }
        }
        (StepRule::Theory, Update::Steepest(_) | Update::Links(_)) => {
            if lr == 1.0 && !m.tune {
                format!("{name} (||g||*/L)")
            } else {
                format!("{name} ({tuned}{lr_s} ||g||*/L)")
            }
        }
        (StepRule::Const, _) => format!("{name} ({tuned}lr {lr_s})"),
    }
}

/// Three significant digits, without exponent noise for ordinary values.
fn short(x: f64) -> String {
    let rounded: f64 = format!("{x:.2e}").parse().unwrap_or(x);
    format!("{rounded}")
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::experiment::ComparedMethod;
    use crate::optimizer::METHOD_IDS;
    use crate::spec::PROBLEM_KINDS;

    /// GD and heavy ball on a network trace the same loss curve in a rotated parameter space
    /// (to 1e-9 relative); sign GD does not.
    #[test]
    fn rotating_a_network_changes_sign_gd_but_not_gd() {
        let curves = |rotate: bool| {
            let spec = Spec::from_json(&format!(
                r#"{{"problem": {{"kind": "network", "dataset": "breast_cancer", "hidden": 4, "rotate_params": {rotate}}},
                    "methods": [{{"kind": "gd", "lr": 0.3}}, {{"kind": "heavy_ball", "lr": 0.05}}, {{"kind": "sign_gd", "rule": "const", "lr": 0.01}}],
                    "run": {{"steps": 60, "target": 0}}}}"#
            ))
            .unwrap();
            run_spec(&spec).unwrap().methods.into_iter().map(|m| m.trace.f).collect::<Vec<_>>()
        };
        let (plain, rotated) = (curves(false), curves(true));
        for k in 0..2 {
            for (a, b) in plain[k].iter().zip(&rotated[k]) {
                assert!((a - b).abs() <= 1e-9 * a.abs(), "method {k}: {a} vs {b}");
            }
        }
        let worst = plain[2].iter().zip(&rotated[2]).map(|(a, b)| (a - b).abs() / a.abs()).fold(0.0, f64::max);
        assert!(worst > 1e-3, "sign GD: {worst}");
    }

    /// A run's methods run apart, each part on a problem of its own and in any order, are the
    /// whole run's, to the bit, and put together with what the comparisons read of them (read back
    /// from their JSON) they are the whole run: a tuned step, theory steps whose per-step picture
    /// reads another method's constant, the spectral comparison, a network with curves and
    /// classes, minibatches. The whole run's bytes are the same on one thread and on four (its
    /// methods run side by side). Parts that do not fit the spec are refused by name.
    #[test]
    fn methods_run_apart_and_put_together_are_the_whole_run() {
        let minibatch = Spec::from_json(
            r#"{"problem": {"kind": "network", "dataset": "breast_cancer", "hidden": 4},
                "methods": [{"kind": "adam", "lr": 0.01}, {"kind": "sign_gd", "rule": "const", "lr": 0.01}, {"kind": "gd", "lr": 0.3, "tune": true}],
                "run": {"steps": 40, "batch": 16, "eval_points": 7, "tune_points": 3}}"#,
        )
        .unwrap();
        let mut specs: Vec<Spec> = crate::experiment::presets()
            .into_iter()
            .filter(|p| ["spectral-quadratic", "heavy-tailed-classes", "outliers-rotated"].contains(&p.name))
            .map(|p| p.spec)
            .collect();
        specs.push(minibatch);
        assert_eq!(specs.len(), 4);
        for spec in &specs {
            let on = |threads: usize| {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                pool.install(|| run_spec(spec).unwrap())
            };
            let whole = on(1);
            assert_eq!(serde_json::to_string(&on(4)).unwrap(), serde_json::to_string(&whole).unwrap());
            let n = spec.methods.len();
            // Method n - 1 alone, then the others from the last down, each part on its own problem.
            let parts: [Vec<usize>; 2] = [vec![n - 1], (0..n - 1).rev().collect()];
            let mut methods: Vec<Option<MethodResult>> = vec![None; n];
            for which in &parts {
                let got = run_methods_watched(spec, &mut Kept::default(), which, &mut |_, _| true).unwrap();
                for (&i, m) in which.iter().zip(got) {
                    methods[i] = Some(m);
                }
            }
            let methods: Vec<MethodResult> = methods.into_iter().map(Option::unwrap).collect();
            let read: Vec<ComparedMethod> =
                methods.iter().map(|m| serde_json::from_str(&serde_json::to_string(m).unwrap()).unwrap()).collect();
            let read: Vec<Compared> = read.iter().map(ComparedMethod::compared).collect();
            let together = assemble_run(spec, &mut Kept::default(), &read, methods).unwrap();
            assert_eq!(together, whole, "{}", spec.problem.kind.id());
            let mut wrong = read;
            wrong.swap(0, n - 1);
            let err = assemble_run(spec, &mut Kept::default(), &wrong, ()).unwrap_err().to_string();
            assert!(err.starts_with("methods: results of "), "{err}");
        }
        let spec = &specs[0];
        let n = spec.methods.len();
        for which in [vec![0, 0], vec![n]] {
            let err =
                run_methods_watched(spec, &mut Kept::default(), &which, &mut |_, _| true).unwrap_err().to_string();
            assert!(
                err.starts_with("methods: ") && err.ends_with(&format!("distinct indices 0 to {})", n - 1)),
                "{err}"
            );
        }
    }

    fn network_curves(extra_run: &str, rotate: bool, seed: u64) -> Vec<Vec<f64>> {
        let spec = Spec::from_json(&format!(
            r#"{{"problem": {{"kind": "network", "dataset": "breast_cancer", "hidden": 3, "rotate_params": {rotate}, "seed": {seed}}},
                "methods": [{{"kind": "gd", "lr": 0.3}}, {{"kind": "sign_gd", "rule": "const", "lr": 0.01}}],
                "run": {{"steps": 40, "target": 0 {extra_run}}}}}"#
        ))
        .unwrap();
        run_spec(&spec).unwrap().methods.into_iter().map(|m| m.trace.f).collect()
    }

    fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
        a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol * x.abs())
    }

    /// Minibatch order comes from the seed; a batch of every row is the full gradient (up to
    /// summation order); SGD stays rotation-equivariant with minibatches, signSGD does not.
    #[test]
    fn minibatches_are_seeded_full_batches_agree_and_sgd_is_equivariant() {
        let a = network_curves(r#", "batch": 32"#, false, 1);
        assert_eq!(a, network_curves(r#", "batch": 32"#, false, 1));
        let full = network_curves("", false, 1);
        assert!(!close(&a[0], &full[0], 1e-6), "minibatches should differ from the full batch");
        let all_rows = network_curves(r#", "batch": 455"#, false, 1);
        assert!(close(&all_rows[0], &full[0], 1e-10));
        let rotated = network_curves(r#", "batch": 32"#, true, 1);
        assert!(close(&a[0], &rotated[0], 1e-9), "SGD in a rotated space");
        assert!(!close(&a[1], &rotated[1], 1e-3), "signSGD notices the rotation");
        let e =
            Spec::from_json(r#"{"problem": {"kind": "network", "dataset": "breast_cancer"}, "run": {"batch": 500}}"#)
                .unwrap_err();
        assert_eq!(e.field, "run.batch");
        assert!(e.allowed.contains("455"), "{}", e.allowed);
        assert_eq!(Spec::from_json(r#"{"run": {"batch": 8}}"#).unwrap_err().field, "run.batch");
    }

    /// A minibatch run measures the full loss, the curves and the nuclear ranks at its evaluation
    /// points only, and the minibatch loss at every step; its iterates are those of the run that
    /// evaluated every step (run.eval_points = run.steps), so are the numbers at the points both have.
    #[test]
    fn a_minibatch_run_evaluates_at_its_points_and_follows_the_same_iterates() {
        let spec = |points: u64| {
            Spec::from_json(&format!(
                r#"{{"problem": {{"kind": "network", "dataset": "breast_cancer", "hidden": 3}},
                    "methods": [{{"kind": "adam", "lr": 0.01}}, {{"kind": "sign_gd", "rule": "const", "lr": 0.01}}],
                    "run": {{"steps": 42, "target": 0, "batch": 32, "eval_points": {points}}}}}"#
            ))
            .unwrap()
        };
        let (sparse, every) = (run_spec(&spec(8)).unwrap(), run_spec(&spec(42)).unwrap());
        let schedule: Vec<usize> = (0..=42).filter(|t| t % 5 == 0 || *t == 42).collect();
        for (a, b) in sparse.methods.iter().zip(&every.methods) {
            assert_eq!(a.trace.t, schedule);
            assert_eq!(b.trace.t, (0..=42).collect::<Vec<_>>());
            let at = |v: &[f64]| schedule.iter().map(|t| v[*t]).collect::<Vec<f64>>();
            assert_eq!(a.trace.f, at(&b.trace.f));
            assert_eq!(a.trace.density, at(&b.trace.density));
            assert_eq!((&a.trace.batch_loss, &a.trace.step), (&b.trace.batch_loss, &b.trace.step));
            assert_eq!(a.trace.batch_loss.len(), 42);
            assert_eq!(a.accuracy, b.accuracy);
            let (ca, cb) = (a.curves.as_ref().unwrap(), b.curves.as_ref().unwrap());
            assert_eq!(ca.t, schedule);
            assert_eq!(ca.test_loss, schedule.iter().map(|t| cb.test_loss[*t]).collect::<Vec<_>>());
            assert_eq!(a.nuclear_rank.as_ref().unwrap().t, schedule);
        }
        // The minibatch loss is a noisy measurement of f: near it, not it.
        let m = &every.methods[0];
        let off = m.trace.batch_loss.iter().zip(&m.trace.f).filter(|(b, f)| b != f).count();
        assert!(off > 30, "{off}");
    }

    /// A network run carries train and test curves at evenly spaced steps, ending at the final
    /// iterate's accuracy.
    #[test]
    fn network_runs_carry_training_curves() {
        let spec = Spec::from_json(
            r#"{"problem": {"kind": "network", "hidden": 0}, "methods": [{"kind": "gd", "lr": 0.5}], "run": {"steps": 100, "target": 0}}"#,
        )
        .unwrap();
        let r = run_spec(&spec).unwrap();
        let m = &r.methods[0];
        let c = m.curves.as_ref().unwrap();
        assert_eq!(c.t, (0..=50).map(|k| 2 * k).collect::<Vec<_>>());
        assert!(c.train_loss[50] < 0.5 * c.train_loss[0]);
        assert!(c.test_accuracy[50] >= 0.9, "{}", c.test_accuracy[50]);
        assert_eq!(c.test_accuracy[50], m.accuracy.unwrap().test);
        assert!(m.trace.x.is_none(), "sampled iterates stay out of the result");
    }

    /// Progress covers the set-up, the tuning runs and the runs: stages in order, fractions
    /// that never fall and end at 1, the same numbers as an unwatched run; a false report
    /// cancels.
    #[test]
    fn progress_counts_every_step_and_can_cancel() {
        let spec = Spec::from_json(
            r#"{"problem": {"d": 30, "rotation": 0.5}, "methods": [{"kind": "gd"}, {"kind": "adam", "tune": true}], "run": {"steps": 400, "tune_points": 4}}"#,
        )
        .unwrap();
        let mut heard: Vec<(&str, f64)> = Vec::new();
        let watched = run_spec_watched(&spec, &mut Kept::default(), &mut |stage, f| {
            heard.push((stage, f));
            true
        })
        .unwrap();
        assert_eq!(watched, run_spec(&spec).unwrap());
        assert!(heard.windows(2).all(|w| w[0].1 <= w[1].1), "fractions fall");
        assert_eq!(heard.last().unwrap(), &("running the methods", 1.0));
        let stages: Vec<&str> = heard.iter().map(|h| h.0).fold(Vec::new(), |mut v, s| {
            if v.last() != Some(&s) {
                v.push(s);
            }
            v
        });
        assert_eq!(
            stages,
            ["making the problem", "the smoothness constants", "tuning the step sizes", "running the methods"]
        );
        // The set-up of a rotated quadratic (2 d steps) against 6 runs of 400 steps.
        let setup = heard.iter().filter(|h| h.0 == "making the problem").map(|h| h.1).fold(0.0, f64::max);
        assert!((setup - 60.0 / (60.0 + 6.0 * 400.0)).abs() < 1e-12, "{setup}");
        // Tuning: 4 grid runs, reported while they go.
        assert!(heard.iter().filter(|h| h.0 == "tuning the step sizes").count() > 8);
        let mut calls = 0;
        let cancelled = run_spec_watched(&spec, &mut Kept::default(), &mut |_, f| {
            calls += 1;
            f < 0.3
        });
        assert!(matches!(cancelled, Err(Error::Cancelled)));
        assert!(calls < heard.len(), "the run stopped early");
    }

    /// Every problem kind with every method kind, rules and steps left to their defaults, runs
    /// (no panic, no error) and records a trace from t = 0.
    #[test]
    fn every_problem_with_every_method_runs_on_defaults() {
        for problem in PROBLEM_KINDS {
            for method in METHOD_IDS {
                let json = format!(
                    r#"{{"problem": {{"kind": "{problem}", "d": 3, "matrix": {matrix}}}, "methods": [{{"kind": "{method}"}}], "run": {{"steps": 20}}}}"#,
                    matrix = if problem == "matrix" { "[[2, 1, 0], [1, 3, 1], [0, 1, 1]]" } else { "null" }
                );
                let spec = Spec::from_json(&json).unwrap_or_else(|e| panic!("{problem}/{method}: {e}"));
                let r = run_spec(&spec).unwrap_or_else(|e| panic!("{problem}/{method}: {e}"));
                assert!(!r.methods[0].trace.f.is_empty(), "{problem}/{method}");
            }
        }
    }
}
