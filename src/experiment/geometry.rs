//! The smoothness report of a spec's objective: global for a quadratic (its Hessian is the same
//! everywhere), local otherwise: at the start point, or sampled along the first method's
//! trajectory with the maximum of each read-out (a lower bound on its sup over the region).

use super::problem::{build, Kept};
use super::run::{method_step, run_config, run_resolved};
use crate::linalg::Matrix;
use crate::objective::{Objective, DENSE_HESSIAN_MAX_D};
use crate::optimizer::{Every, Observer, Point, RunConfig};
use crate::smoothness::{report, ExactMode, Progress, ReportOptions, SmoothnessReport};
use crate::spec::Spec;
use crate::Error;
use serde::Serialize;
use std::ops::ControlFlow;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpecGeometry {
    /// "global" (constant Hessian) or "local at x0" (the Hessian at the start point only).
    pub scope: &'static str,
    #[serde(flatten)]
    pub report: SmoothnessReport,
}

/// The report of the spec's Hessian (validated spec).
pub fn spec_geometry(spec: &Spec, opts: &ReportOptions, progress: Progress) -> Result<SpecGeometry, Error> {
    spec_geometry_kept(spec, &mut Kept::default(), opts, progress)
}

/// `spec_geometry` of the problem `kept` holds when it is the spec's (else built and kept).
pub fn spec_geometry_kept(
    spec: &Spec,
    kept: &mut Kept,
    opts: &ReportOptions,
    progress: Progress,
) -> Result<SpecGeometry, Error> {
    let task = spec.run_task()?;
    let problem = kept.problem(&task, &mut |_| ());
    let obj = problem.objective.as_ref();
    let (scope, h) = match obj.constant_hessian() {
        Some(h) => ("global", h.clone()),
        None => ("local at x0", dense_hessian(obj, &problem.x0)?),
    };
    Ok(SpecGeometry { scope, report: report(&h, opts, progress)? })
}

/// The dense Hessian at x, or why there is none.
pub fn dense_hessian(obj: &dyn Objective, x: &[f64]) -> Result<Matrix, Error> {
    obj.hessian(x).ok_or(Error::DenseLimit { d: obj.dim(), max: DENSE_HESSIAN_MAX_D })
}

/// The read-outs of the Hessian at one point of a trajectory.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PointGeometry {
    pub t: usize,
    pub l2: f64,
    pub lambda_mean: f64,
    pub rho_diag: f64,
    pub linf_lower: f64,
    pub linf_upper: f64,
    pub linf_exact: Option<f64>,
    pub psd: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrajectoryGeometry {
    /// "local along the trajectory of <method label>".
    pub scope: String,
    pub points: Vec<PointGeometry>,
    /// Largest L_2 seen: a lower bound on the sup of ||H(x)||_2 over the region the method visits.
    pub max_l2: f64,
    /// Largest lower bound on ||H(x)||_{inf,1} seen, and largest upper bound.
    pub max_linf_lower: f64,
    pub max_linf_upper: f64,
    /// Why the read-outs stopped before the run's end (their work budget was spent); the points
    /// read and their maxima stand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget_note: Option<String>,
}

/// Work allowed to the read-outs of one trajectory, counted as d^3 per read-out (the dense
/// Hessian, its eigenvalues and the bounds are each O(d^3)): 2^33, about ten seconds natively.
/// Every one of the at most 201 read-outs fits up to d = 349; at the d = 1210 digits network
/// (about 2 s a read-out) four do. The first read-out is always made (the one report that
/// `smoothness --spec` makes). Without it, 201 read-outs of that network took minutes (fuzz seed
/// 7, cases 806 and 2779).
pub const TRAJECTORY_WORK: u64 = 1 << 33;

/// A read-out's share of TRAJECTORY_WORK: d^3.
fn read_out_work(d: usize) -> u64 {
    (d as u64).pow(3)
}

/// Runs the spec's first method (with the step it was given or tuned to) and reports the
/// Hessian's geometry at `points` evenly spaced iterates (exact L_inf when it is quick), as many
/// of them as TRAJECTORY_WORK allows: past it the run stops and `budget_note` says where.
pub fn trajectory_geometry(
    spec: &Spec,
    opts: &ReportOptions,
    points: usize,
    progress: Progress,
) -> Result<TrajectoryGeometry, Error> {
    trajectory_geometry_within(spec, opts, points, TRAJECTORY_WORK, progress)
}

/// `trajectory_geometry` with the read-outs' work budget given.
fn trajectory_geometry_within(
    spec: &Spec,
    opts: &ReportOptions,
    points: usize,
    budget: u64,
    progress: Progress,
) -> Result<TrajectoryGeometry, Error> {
    let task = spec.run_task()?;
    let problem = build(&task);
    let spec: &Spec = &task;
    let (step, label) = method_step(spec, 0, &problem);
    let quick = ReportOptions {
        exact: if opts.exact == ExactMode::Always { ExactMode::Always } else { ExactMode::Never },
        ..opts.clone()
    };
    let mut cfg = run_config(spec);
    // One run, unless it stops before its spacing is settled (see Readouts): then once more to
    // where it stopped, spaced for that length.
    let d = problem.objective.dim();
    let (out, budget_note) = loop {
        let mut along = Readouts::planned(cfg.steps, points, (d, budget), &quick, &mut *progress);
        let stopped_at = run_resolved(spec, 0, &problem, &step, &cfg, &mut [&mut along]).stopped_at;
        if let Some(e) = along.failed {
            return Err(e);
        }
        if along.spent {
            let (read, last) = (along.done.len(), along.done.last().map_or(0, |p| p.t));
            let note = format!(
                "read-outs stopped after {read} (the last at t = {last}): their work budget of {:.2e} (d^3 = \
                 {:.2e} a read-out at d = {d}) is spent; the maxima are over the points read, lower bounds on the \
                 sups all the same",
                budget as f64,
                read_out_work(d) as f64
            );
            break (along.done, Some(note));
        }
        if Every::spread(stopped_at, points) == along.every {
            break (along.done, None);
        }
        cfg = RunConfig { steps: stopped_at, target: None, ..cfg };
    };
    let max = |f: fn(&PointGeometry) -> f64| out.iter().map(f).fold(f64::NEG_INFINITY, f64::max);
    Ok(TrajectoryGeometry {
        scope: format!("local along the trajectory of {label}"),
        max_l2: max(|p| p.l2),
        max_linf_lower: max(|p| p.linf_lower),
        max_linf_upper: max(|p| p.linf_upper),
        points: out,
        budget_note,
    })
}

/// The Hessian's read-outs at the points of `every`, taken as the run passes them: `points` + 1
/// evenly spaced over a run that stops at step s (`Every::spread(s, points)`, so the last is at
/// most `points` spacings from the start). The spacing depends on where the run stops, known only
/// at its end, so it is planned for a run to the last step, and iterates wait until stopping can
/// no longer change it: spread(t) grows with t, so from the first t with spread(t) = every on,
/// any stop keeps it. A run that stops earlier leaves its iterates waiting, and the caller runs
/// it again to that step.
struct Readouts<'a> {
    every: Every,
    points: usize,
    opts: &'a ReportOptions,
    waiting: Vec<(usize, Vec<f64>)>,
    done: Vec<PointGeometry>,
    /// How many read-outs a run to the last step takes within the budget (for the progress
    /// fraction).
    expected: usize,
    progress: Progress<'a>,
    /// Why the run was halted: a read-out failed or the progress callback cancelled.
    failed: Option<Error>,
    /// The work of the read-outs so far, of each, and allowed (TRAJECTORY_WORK's units).
    work: u64,
    each: u64,
    budget: u64,
    /// The run was halted because the next read-out would pass TRAJECTORY_WORK.
    spent: bool,
}

impl<'a> Readouts<'a> {
    /// Read-outs at the points of spread(steps, points) at dimension d within `budget`.
    fn planned(
        steps: usize,
        points: usize,
        (d, budget): (usize, u64),
        opts: &'a ReportOptions,
        progress: Progress<'a>,
    ) -> Self {
        let every = Every::spread(steps, points);
        let each = read_out_work(d);
        let affordable = (budget / each.max(1)).max(1) as usize;
        Readouts {
            every,
            points,
            opts,
            waiting: vec![],
            done: vec![],
            expected: (steps / every.spacing() + 1).min(affordable),
            progress,
            failed: None,
            work: 0,
            each,
            budget,
            spent: false,
        }
    }

    fn read_out(&mut self, obj: &dyn Objective, t: usize, x: &[f64]) -> Result<(), Error> {
        let h = dense_hessian(obj, x)?;
        let r = report(&h, self.opts, &mut |_| true)?;
        self.done.push(PointGeometry {
            t,
            l2: r.l2,
            lambda_mean: r.lambda_mean,
            rho_diag: r.rho_diag,
            linf_lower: r.linf_lower,
            linf_upper: r.linf_upper,
            linf_exact: r.linf_exact,
            psd: r.psd,
        });
        match (self.progress)(self.done.len() as f64 / self.expected as f64) {
            true => Ok(()),
            false => Err(Error::Cancelled),
        }
    }
}

impl Observer for Readouts<'_> {
    fn observe(&mut self, p: &Point) -> ControlFlow<()> {
        if self.every.has(p.t) {
            self.waiting.push((p.t, p.x.to_vec()));
        }
        if Every::spread(p.t, self.points) == self.every {
            for (t, x) in std::mem::take(&mut self.waiting) {
                if !self.done.is_empty() && self.work + self.each > self.budget {
                    self.spent = true;
                    return ControlFlow::Break(());
                }
                self.work += self.each;
                if let Err(e) = self.read_out(p.objective, t, &x) {
                    self.failed = Some(e);
                    return ControlFlow::Break(());
                }
            }
        }
        ControlFlow::Continue(())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn rosenbrock_geometry_along_gd_matches_the_hessian_at_each_point() {
        let spec = Spec::from_json(
            r#"{"problem": {"kind": "rosenbrock", "d": 2, "x0": [-1.2, 1]}, "methods": [{"kind": "gd", "rule": "const", "lr": 0.001}],
                "run": {"steps": 400, "target": 0}}"#,
        )
        .unwrap();
        let g = trajectory_geometry(&spec, &ReportOptions::default(), 8, &mut |_| true).unwrap();
        assert!(g.scope.starts_with("local along the trajectory of GD"));
        assert_eq!(g.points.len(), 9);
        assert_eq!(g.points[0].t, 0);
        // At x0 = (-1.2, 1): H = [[1200 x^2 - 400 y + 2, -400 x], [-400 x, 200]] = [[1330, 480], [480, 200]].
        let (a, b, c) = (1330.0f64, 480.0f64, 200.0f64);
        let lmax = (a + c) / 2.0 + (((a - c) / 2.0).powi(2) + b * b).sqrt();
        assert!((g.points[0].l2 - lmax).abs() < 1e-9 * lmax);
        // PSD there: L_inf = max over signs of v^T H v = a + c + 2|b| = 2490.
        assert!(g.points[0].linf_lower <= 2490.0 + 1e-9 && g.points[0].linf_upper >= 2490.0 - 1e-9);
        assert!(g.max_l2 >= g.points.iter().map(|p| p.l2).fold(0.0, f64::max));
    }

    /// The read-outs are spaced over the run as it went: a run that reaches its target at step s
    /// is read at the points of the same run told to stop at s, whether the early stop changes
    /// the spacing planned for all steps (5000 planned, 722 run: every 144, not every 1000) or
    /// not (724 planned: every 144 either way).
    #[test]
    fn a_run_that_stops_early_is_read_where_it_went() {
        let spec = |steps: u64, target: f64| {
            Spec::from_json(&format!(
                r#"{{"problem": {{"kind": "rosenbrock", "d": 2, "x0": [-1.2, 1]}}, "methods": [{{"kind": "adam", "lr": 0.05}}],
                    "run": {{"steps": {steps}, "target": {target}}}}}"#
            ))
            .unwrap()
        };
        let along = |s: &Spec| trajectory_geometry(s, &ReportOptions::default(), 5, &mut |_| true).unwrap();
        let stopped_at = crate::experiment::run_spec(&spec(5000, 1e-3)).unwrap().methods[0].stopped_at;
        assert_eq!(stopped_at, 722);
        let cut = along(&spec(722, 0.0));
        assert_eq!(cut.points.iter().map(|p| p.t).collect::<Vec<_>>(), [0, 144, 288, 432, 576, 720]);
        assert_eq!(along(&spec(5000, 1e-3)), cut);
        assert_eq!(along(&spec(724, 1e-3)), cut);
    }

    /// Fuzz seed 7, cases 806 and 2779: `--along-trajectory` on the digits network read the
    /// Hessian (d = 1210, about 2 s each) at every point asked for, minutes in all. Within a work
    /// budget the read-outs stop once the next would pass it: the points read are the unbudgeted
    /// run's first ones, bit for bit, and the note says where they stopped. (A network of d = 160,
    /// 3 read-outs' worth of budget, stands in for the budget's real size.)
    #[test]
    fn read_outs_past_their_work_budget_stop_with_a_note() {
        let spec = Spec::from_json(
            r#"{"problem": {"kind": "network", "hidden": 2}, "methods": [{"kind": "adam", "lr": 0.01}],
                "run": {"steps": 10, "target": 0}}"#,
        )
        .unwrap();
        let d: u64 = 64 * 2 + 2 + 2 * 10 + 10;
        let opts = ReportOptions::default();
        let all = trajectory_geometry(&spec, &opts, 10, &mut |_| true).unwrap();
        assert_eq!((all.points.len(), &all.budget_note), (11, &None));
        let cut = trajectory_geometry_within(&spec, &opts, 10, 3 * d.pow(3) + d, &mut |_| true).unwrap();
        assert_eq!(cut.points, all.points[..3]);
        assert_eq!(cut.max_l2, all.points[..3].iter().map(|p| p.l2).fold(f64::NEG_INFINITY, f64::max));
        let note = cut.budget_note.expect("named");
        assert!(note.starts_with("read-outs stopped after 3 (the last at t = 2)"), "{note}");
        // The first read-out is made whatever the budget.
        assert_eq!(trajectory_geometry_within(&spec, &opts, 10, 0, &mut |_| true).unwrap().points, all.points[..1]);
        // The real budget: all 201 read-outs up to d = 349, four at the d = 1210 digits network.
        assert!(201 * read_out_work(349) <= TRAJECTORY_WORK && 201 * read_out_work(350) > TRAJECTORY_WORK);
        assert_eq!(TRAJECTORY_WORK / read_out_work(1210), 4);
    }

    #[test]
    fn a_network_beyond_the_dense_limit_is_refused_with_a_reason() {
        let spec = Spec::from_json(
            r#"{"problem": {"kind": "network", "dataset": "breast_cancer", "hidden": 64, "hidden2": 30}}"#,
        )
        .unwrap();
        let e = spec_geometry(&spec, &ReportOptions::default(), &mut |_| true).unwrap_err().to_string();
        assert!(e.contains("at most 2000 parameters") && e.contains("Lanczos"), "{e}");
    }
}
