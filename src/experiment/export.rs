//! CSV export of a run: one row per method and step.
//!
//! It reads a `TraceTable`, the columns of a result, so that the page can export the result
//! object it holds (deserialised in wasm) with the same code as the CLI; the trace plots read
//! the same table.

use super::run::RunResult;
use crate::json::nan_as_null;
use serde::Deserialize;
use std::fmt::Write;

#[derive(Clone, Debug, Deserialize)]
pub struct TraceTable {
    /// What the traces measure: f - f* when f* is known, the loss f itself otherwise.
    #[serde(default)]
    pub problem: TraceProblem,
    pub methods: Vec<TraceColumns>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct TraceProblem {
    #[serde(default)]
    pub f_star: Option<f64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct TraceColumns {
    pub label: String,
    pub status: crate::optimizer::Status,
    pub stopped_at: usize,
    #[serde(deserialize_with = "nan_as_null::floats")]
    pub f: Vec<f64>,
    #[serde(deserialize_with = "nan_as_null::floats")]
    pub grad_l2: Vec<f64>,
    #[serde(deserialize_with = "nan_as_null::floats")]
    pub grad_l1: Vec<f64>,
    #[serde(deserialize_with = "nan_as_null::floats")]
    pub grad_linf: Vec<f64>,
    #[serde(deserialize_with = "nan_as_null::floats")]
    pub density: Vec<f64>,
    #[serde(deserialize_with = "nan_as_null::floats")]
    pub step: Vec<f64>,
    #[serde(default, deserialize_with = "nan_as_null::optional_rows")]
    pub x: Option<Vec<Vec<f64>>>,
    /// Training curves of network runs (only the columns the plots read).
    #[serde(default)]
    pub curves: Option<CurveColumns>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct CurveColumns {
    pub t: Vec<usize>,
    #[serde(deserialize_with = "nan_as_null::floats")]
    pub test_accuracy: Vec<f64>,
}

impl TraceTable {
    pub fn of(result: &RunResult) -> Self {
        serde_json::from_value(serde_json::to_value(result).expect("results serialise"))
            .expect("a result has every column")
    }
}

/// Columns: label, t, f, grad_l2, grad_l1, grad_linf, density, step (the step taken from x_t;
/// empty on the last row), then x0.. when iterates were recorded. Labels are quoted; NaN and
/// infinities are written as NaN, inf, -inf.
pub fn to_csv(table: &TraceTable) -> String {
    let xd = table.methods.iter().find_map(|m| m.x.as_ref().and_then(|x| x.first()).map(Vec::len)).unwrap_or(0);
    let mut out = String::from("label,t,f,grad_l2,grad_l1,grad_linf,density,step");
    for i in 0..xd {
        let _ = write!(out, ",x{i}");
    }
    out.push('\n');
    for m in &table.methods {
        let label = format!("\"{}\"", m.label.replace('"', "\"\""));
        for t in 0..m.f.len() {
            let step = m.step.get(t).map_or(String::new(), |s| s.to_string());
            let _ = write!(
                out,
                "{label},{t},{},{},{},{},{},{step}",
                m.f[t], m.grad_l2[t], m.grad_l1[t], m.grad_linf[t], m.density[t]
            );
            if let Some(xs) = &m.x {
                for v in &xs[t] {
                    let _ = write!(out, ",{v}");
                }
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::spec::Spec;

    /// A run whose iterate overflows (a 1-D quadratic of curvature 2.2e307 with a large step)
    /// exports its last row with NaN where the iterate was infinite, and every row before it.
    #[test]
    fn a_run_whose_iterate_overflows_exports_to_the_last_row() {
        let spec = Spec::from_json(
            r#"{"problem": {"kind": "matrix", "matrix": [[2.2e307]]},
                "methods": [{"kind": "nesterov", "rule": "const", "lr": 36}], "run": {"steps": 50}}"#,
        )
        .unwrap();
        let result = crate::experiment::run_spec(&spec).unwrap();
        let m = &result.methods[0];
        assert_eq!(m.status, crate::optimizer::Status::Diverged);
        let csv = to_csv(&TraceTable::of(&result));
        let rows: Vec<&str> = csv.lines().skip(1).collect();
        assert_eq!(rows.len(), m.trace.f.len());
        assert!(rows[..rows.len() - 1].iter().all(|r| !r.contains("NaN")), "{csv}");
        assert!(rows.last().unwrap().ends_with(",NaN"), "{csv}");
    }
}
