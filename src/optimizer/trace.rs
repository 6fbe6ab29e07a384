//! The per-step trace: the default observer, recording what the comparisons plot.

use super::observe::{Observer, Point};
use crate::norm::{density, l1, l2, linf};
use serde::Serialize;
use std::ops::ControlFlow;

/// Per-step records. f, grad_* and density have one entry per evaluated point x_0, ..., x_T;
/// step has one per update; x every iterate when asked for (`with_iterates`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Trace {
    pub f: Vec<f64>,
    pub grad_l2: Vec<f64>,
    pub grad_l1: Vec<f64>,
    pub grad_linf: Vec<f64>,
    pub density: Vec<f64>,
    pub step: Vec<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x: Option<Vec<Vec<f64>>>,
}

impl Trace {
    /// A trace that also keeps every iterate x_t (for the 2-D/3-D views and exports at small d).
    pub fn with_iterates() -> Self {
        Trace { x: Some(Vec::new()), ..Trace::default() }
    }
}

impl Observer for Trace {
    fn observe(&mut self, p: &Point) -> ControlFlow<()> {
        self.f.push(p.f);
        self.grad_l2.push(l2(p.g));
        self.grad_l1.push(l1(p.g));
        self.grad_linf.push(linf(p.g));
        self.density.push(density(p.g));
        self.step.extend(p.step);
        if let Some(xs) = self.x.as_mut() {
            xs.push(p.x.to_vec());
        }
        ControlFlow::Continue(())
    }
}
