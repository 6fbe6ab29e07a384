//! The run loop's observer hook, after argmin's `Observe`: observers are called at every evaluated
//! point with a read-only view of the state. They measure and record (the per-step trace, training
//! curves, Hessian read-outs along the way) without touching the iterates, so a run with any set of
//! observers follows the same trajectory as a run with none. An observer can end the run (a
//! cancelled computation, a read-out that failed): the run then stops with `Status::Halted`.

use super::run::Status;
use crate::objective::Objective;
use std::ops::ControlFlow;

/// The state of a run at x_t, before the update from it.
pub struct Point<'a> {
    /// The step index: x_t is the point after t updates.
    pub t: usize,
    pub x: &'a [f64],
    /// The full objective at x_t: at every point of a full-batch run, at the evaluation points
    /// of a minibatch run (`RunConfig::every`: a full pass costs rows / batch minibatch steps).
    pub full: Option<Full<'a>>,
    /// The minibatch loss f_B(x_t) of the batch whose gradient makes the update from x_t
    /// (minibatch runs; None at the last point, which makes no update).
    pub batch_f: Option<f64>,
    /// On the run's schedule of sampled read-outs (training curves, nuclear ranks): the points of
    /// `RunConfig::every`, and a minibatch run's last point. `full` is there at each.
    pub sampled: bool,
    /// The scale of the update that led to x_t (what `Chain::update` returned); None at t = 0.
    pub step: Option<f64>,
    /// Why the run ends at this point, at its last one; None while it goes on.
    pub stop: Option<Status>,
    pub objective: &'a dyn Objective,
}

/// The full objective at a point: f(x_t) - f* (f(x_t) when f* is unknown) and grad f(x_t), and
/// a classifier's training fit from the same pass (`Objective::value_gradient_and_fit`).
#[derive(Clone, Copy)]
pub struct Full<'a> {
    pub f: f64,
    pub g: &'a [f64],
    /// The mean training loss (without the penalty) and accuracy at x_t, in the classifier's own
    /// parameters; None for objectives that are not classifiers.
    pub fit: Option<(f64, f64)>,
}

/// Evenly spaced points of a run, t = 0, k, 2k, ... for a spacing k >= 1: the one schedule
/// behind the run's sampled read-outs and a minibatch run's evaluations (`RunConfig::every`),
/// the progress reports and tuning ticks, and the eigenvalue track and read-outs along a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Every(usize);

impl Every {
    /// Every point of the run.
    pub const STEP: Every = Every(1);

    /// Every k-th point (k = 0 reads as 1).
    pub fn nth(k: usize) -> Self {
        Every(k.max(1))
    }

    /// About `points` + 1 points over a run of `steps` steps: the widest spacing that still
    /// fits `points` spacings into it, k = max(1, floor(steps / points)).
    pub fn spread(steps: usize, points: usize) -> Self {
        Every::nth(steps / points.max(1))
    }

    /// k, the steps between two points.
    pub fn spacing(self) -> usize {
        self.0
    }

    /// Whether x_t is on the schedule.
    pub fn has(self, t: usize) -> bool {
        t.is_multiple_of(self.0)
    }
}

/// Something that watches a run: called at x_0, x_1, ... in order, the last point included.
pub trait Observer {
    /// `Break` ends the run here, with `Status::Halted`.
    fn observe(&mut self, point: &Point) -> ControlFlow<()>;
}

/// An optional observer (say, training curves only for networks) observes nothing when absent.
impl<O: Observer> Observer for Option<O> {
    fn observe(&mut self, point: &Point) -> ControlFlow<()> {
        self.as_mut().map_or(ControlFlow::Continue(()), |o| o.observe(point))
    }
}

/// A progress callback of a task with named stages: `report(stage, fraction done)`; false
/// cancels.
pub type StageProgress<'a> = &'a mut dyn FnMut(&'static str, f64) -> bool;

/// Counts the steps of a task made of a set-up worth `setup` steps, then runs of `steps` steps
/// each, `runs` of them in all (tuning runs included), and reports the fraction done at the
/// points of `every` and at each run's end (a run that stops early counts in full). A false
/// report halts the run, and every later run at its first point: a cancelled computation.
pub struct StepProgress<'a> {
    report: StageProgress<'a>,
    stage: &'static str,
    setup: usize,
    steps: usize,
    total: f64,
    every: Every,
    done: usize,
    cancelled: bool,
}

impl<'a> StepProgress<'a> {
    /// About 200 reports a run: cheap next to the steps, smooth for a progress bar.
    pub fn new(report: StageProgress<'a>, setup: usize, runs: usize, steps: usize) -> Self {
        let total = (setup + runs * steps).max(1) as f64;
        let every = Every::spread(steps, 200);
        StepProgress { report, stage: "", setup, steps, total, every, done: 0, cancelled: false }
    }

    /// Tells that `fraction` of the set-up is done; false once cancelled.
    pub fn setup(&mut self, fraction: f64) -> bool {
        self.done = (fraction * self.setup as f64) as usize;
        self.tell(self.done)
    }

    /// Enters `stage` and reports it; false once cancelled.
    pub fn stage(&mut self, stage: &'static str) -> bool {
        self.stage = stage;
        self.tell(self.done)
    }

    /// Tells that `runs` more runs are done, a fraction counting a run under way by its steps
    /// (runs side by side, which report no points: `tune`); false once cancelled.
    pub fn runs(&mut self, runs: f64) -> bool {
        self.tell(self.done + (runs * self.steps as f64) as usize)
    }

    /// Counts `runs` runs as done, after their last report through `runs`.
    pub fn count_runs(&mut self, runs: usize) {
        self.done += runs * self.steps;
    }

    pub fn cancelled(&self) -> bool {
        self.cancelled
    }

    fn tell(&mut self, done: usize) -> bool {
        if !self.cancelled && !(self.report)(self.stage, done as f64 / self.total) {
            self.cancelled = true;
        }
        !self.cancelled
    }
}

impl Observer for StepProgress<'_> {
    fn observe(&mut self, p: &Point) -> ControlFlow<()> {
        if self.cancelled {
            return ControlFlow::Break(());
        }
        let going = match p.stop {
            Some(_) => {
                self.done += self.steps;
                self.tell(self.done)
            }
            None if self.every.has(p.t) => self.tell(self.done + p.t),
            None => true,
        };
        if going {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    }
}

/// Tells a run's progress to a `parallel::map` tick (the fraction of its steps), about 100 times
/// a run; a false tick halts it.
pub struct Ticks<'a> {
    tick: crate::parallel::Tick<'a>,
    every: Every,
    steps: usize,
}

impl<'a> Ticks<'a> {
    pub fn new(tick: crate::parallel::Tick<'a>, steps: usize) -> Self {
        Ticks { tick, every: Every::spread(steps, 100), steps }
    }
}

impl Observer for Ticks<'_> {
    fn observe(&mut self, p: &Point) -> ControlFlow<()> {
        if p.stop.is_none() && !self.every.has(p.t) {
            return ControlFlow::Continue(());
        }
        let fraction = if p.stop.is_some() { 1.0 } else { p.t as f64 / self.steps as f64 };
        if (self.tick)(fraction) {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// The points of a spread schedule against a brute-force list: 0, k, 2k, ... up to the last
    /// step for the widest k >= 1 with `points` k <= steps (1 when there is none); so at least
    /// points + 1 of them (all steps + 1 when there are fewer steps) and fewer than 2 points + 2.
    #[test]
    fn a_spread_schedule_has_the_widest_spacing_that_fits() {
        for steps in 0..120 {
            for points in 0..40 {
                let k = (1..=steps).rev().find(|k| points.max(1) * k <= steps).unwrap_or(1);
                let want: Vec<usize> = (0..=steps).step_by(k).collect();
                let every = Every::spread(steps, points);
                let got: Vec<usize> = (0..=steps).filter(|t| every.has(*t)).collect();
                assert_eq!(got, want, "steps {steps}, points {points}");
                assert!(got.len() >= (points.max(1) + 1).min(steps + 1), "steps {steps}, points {points}");
                assert!(got.len() < 2 * points.max(1) + 2, "steps {steps}, points {points}");
            }
        }
        assert_eq!((Every::nth(0), Every::nth(1)), (Every::STEP, Every::STEP));
    }
}
