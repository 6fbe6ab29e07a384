//! The smoothness report of a spec's objective: global for a quadratic (its Hessian is the same
//! everywhere), local at the start point otherwise.

use super::problem::build;
use crate::smoothness::{report, Progress, ReportError, ReportOptions, SmoothnessReport};
use crate::spec::Spec;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpecGeometry {
    /// "global" (constant Hessian) or "local at x0" (the Hessian at the start point only).
    pub scope: &'static str,
    #[serde(flatten)]
    pub report: SmoothnessReport,
}

/// The report of the spec's Hessian (validated spec).
pub fn spec_geometry(spec: &Spec, opts: &ReportOptions, progress: Progress) -> Result<SpecGeometry, ReportError> {
    let problem = build(spec);
    let obj = problem.objective.as_ref();
    let (scope, h) = match obj.constant_hessian() {
        Some(h) => ("global", h.clone()),
        None => ("local at x0", obj.hessian(&problem.x0).expect("d is within the dense limit")),
    };
    Ok(SpecGeometry { scope, report: report(&h, opts, progress)? })
}
