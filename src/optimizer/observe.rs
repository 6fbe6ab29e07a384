//! The run loop's observer hook, after argmin's `Observe`: observers are called at every evaluated
//! point with a read-only view of the state. They measure and record (the per-step trace, training
//! curves, Hessian read-outs along the way) without touching the iterates, so a run with any set of
//! observers follows the same trajectory as a run with none. An observer can end the run (a
//! cancelled computation, a read-out that failed): the run then stops with `Status::Halted`.

use super::run::Status;
use crate::objective::Objective;
use std::ops::ControlFlow;

/// The state of a run at its evaluated point x_t, before the update from it.
pub struct Point<'a> {
    /// The step index: x_t is the point after t updates.
    pub t: usize,
    pub x: &'a [f64],
    /// f(x_t) - f* (f(x_t) when f* is unknown).
    pub f: f64,
    /// The full gradient at x_t, also on minibatch runs (whose updates use a batch gradient).
    pub g: &'a [f64],
    /// The scale of the update that led to x_t (what `Chain::update` returned); None at t = 0.
    pub step: Option<f64>,
    /// Why the run ends at this point, at its last one; None while it goes on.
    pub stop: Option<Status>,
    pub objective: &'a dyn Objective,
}

impl Point<'_> {
    /// Whether t is a multiple of k (never for k = 0): observing every k steps.
    pub fn every(&self, k: usize) -> bool {
        k > 0 && self.t % k == 0
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
