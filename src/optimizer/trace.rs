//! The per-step trace: the default observer, recording what the comparisons plot.

use super::observe::{Observer, Point};
use crate::norm::{density, l1, l2, linf};
use serde::Serialize;
use std::ops::ControlFlow;

/// Per-step records. f, grad_* and density have one entry per point where the full objective was
/// evaluated, at the steps in `t`: every x_0, ..., x_T of a full-batch run, a minibatch run's
/// evaluation points. batch_loss (minibatch runs) and step have one per update: the minibatch
/// loss at x_t of the batch that update used, and its scale. x has every iterate when asked for
/// (`with_iterates`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Trace {
    /// The steps of f, grad_* and density; written out only when some step is missing (a
    /// minibatch run), so a full-batch result reads as it always did.
    #[serde(skip_serializing_if = "is_every_step")]
    pub t: Vec<usize>,
    pub f: Vec<f64>,
    pub grad_l2: Vec<f64>,
    pub grad_l1: Vec<f64>,
    pub grad_linf: Vec<f64>,
    pub density: Vec<f64>,
    /// f_B(x_t), the loss of the minibatch of update t + 1 (also at a step where it diverged):
    /// a noisy measurement of f, never the full loss.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub batch_loss: Vec<f64>,
    pub step: Vec<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x: Option<Vec<Vec<f64>>>,
}

/// Whether steps are 0, 1, 2, ... with none missing.
fn is_every_step(t: &[usize]) -> bool {
    t.iter().enumerate().all(|(k, t)| k == *t)
}

impl Trace {
    /// A trace that also keeps every iterate x_t (for the 2-D/3-D views and exports at small d).
    pub fn with_iterates() -> Self {
        Trace { x: Some(Vec::new()), ..Trace::default() }
    }
}

impl Observer for Trace {
    fn observe(&mut self, p: &Point) -> ControlFlow<()> {
        if let Some(full) = p.full {
            self.t.push(p.t);
            self.f.push(full.f);
            self.grad_l2.push(l2(full.g));
            self.grad_l1.push(l1(full.g));
            self.grad_linf.push(linf(full.g));
            self.density.push(density(full.g));
        }
        self.batch_loss.extend(p.batch_f);
        self.step.extend(p.step);
        if let Some(xs) = self.x.as_mut() {
            xs.push(p.x.to_vec());
        }
        ControlFlow::Continue(())
    }
}
