//! CSV export of a run: one row per method and step.
//!
//! It reads a `TraceTable`, the columns of a result, so that the page can export the result
//! object it holds (deserialised in wasm) with the same code as the CLI; the trace plots read
//! the same table.

use super::nuclear_rank::NuclearRanks;
use super::run::RunResult;
use super::step_ratio::StepRatios;
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
    /// The steps of f, grad_* and density when some are missing (minibatch runs); absent, every
    /// step (`steps`).
    #[serde(default)]
    pub t: Option<Vec<usize>>,
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
    /// The minibatch loss at every step of a minibatch run (empty otherwise).
    #[serde(default, deserialize_with = "nan_as_null::floats")]
    pub batch_loss: Vec<f64>,
    #[serde(deserialize_with = "nan_as_null::floats")]
    pub step: Vec<f64>,
    #[serde(default, deserialize_with = "nan_as_null::optional_rows")]
    pub x: Option<Vec<Vec<f64>>>,
    /// Training curves of network runs (only the columns the plots read).
    #[serde(default)]
    pub curves: Option<CurveColumns>,
    /// The per-step picture of sign GD against GD, when the run has both constants.
    #[serde(default)]
    pub step_ratios: Option<StepRatios>,
    /// The gradient's nuclear rank at its recorded steps, when the parameters have weight matrices.
    #[serde(default)]
    pub nuclear_rank: Option<NuclearRanks>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct CurveColumns {
    pub t: Vec<usize>,
    #[serde(deserialize_with = "nan_as_null::floats")]
    pub test_accuracy: Vec<f64>,
    /// Training loss of the frequent, middle and rare classes (heavy-tailed classes only).
    #[serde(default)]
    pub group_loss: Vec<[f64; 3]>,
}

impl TraceColumns {
    /// The step of each entry of f, grad_* and density.
    pub fn steps(&self) -> Vec<usize> {
        self.t.clone().unwrap_or_else(|| (0..self.f.len()).collect())
    }

    /// The last step with a record: the full loss's, or the minibatch loss's on a run that
    /// diverged between evaluation points.
    pub fn last_step(&self) -> usize {
        self.steps().last().copied().unwrap_or(0).max(self.batch_loss.len().saturating_sub(1))
    }
}

impl TraceTable {
    pub fn of(result: &RunResult) -> Self {
        serde_json::from_value(serde_json::to_value(result).expect("results serialise"))
            .expect("a result has every column")
    }
}

/// Columns: label, t, f, grad_l2, grad_l1, grad_linf, density, step (the step taken from x_t;
/// empty on the last row); on minibatch runs minibatch_loss (f_B(x_t) of the batch that step
/// used), with f, grad_* and density empty at the steps between evaluation points; when the run
/// recorded the per-step picture, ratio_guaranteed (R(g_t))
/// and ratio_measured (a sign GD step's decrease over a GD step's from x_t), filled at the steps
/// where they were recorded (ratio_measured empty where it has no value); then x0.. when iterates
/// were recorded. Labels are quoted; NaN and infinities are written as NaN, inf, -inf.
pub fn to_csv(table: &TraceTable) -> String {
    let xd = table.methods.iter().find_map(|m| m.x.as_ref().and_then(|x| x.first()).map(Vec::len)).unwrap_or(0);
    let ratios = table.methods.iter().any(|m| m.step_ratios.is_some());
    let batches = table.methods.iter().any(|m| !m.batch_loss.is_empty());
    let mut out = String::from("label,t,f,grad_l2,grad_l1,grad_linf,density,step");
    if batches {
        out.push_str(",minibatch_loss");
    }
    if ratios {
        out.push_str(",ratio_guaranteed,ratio_measured");
    }
    for i in 0..xd {
        let _ = write!(out, ",x{i}");
    }
    out.push('\n');
    for m in &table.methods {
        let label = format!("\"{}\"", m.label.replace('"', "\"\""));
        let mut next = 0;
        let steps = m.steps();
        let mut k = 0;
        for t in 0..=m.last_step() {
            let step = m.step.get(t).map_or(String::new(), |s| s.to_string());
            if steps.get(k) == Some(&t) {
                let _ = write!(
                    out,
                    "{label},{t},{},{},{},{},{},{step}",
                    m.f[k], m.grad_l2[k], m.grad_l1[k], m.grad_linf[k], m.density[k]
                );
                k += 1;
            } else {
                let _ = write!(out, "{label},{t},,,,,,{step}");
            }
            if batches {
                let _ = write!(out, ",{}", m.batch_loss.get(t).map_or(String::new(), |b| b.to_string()));
            }
            if ratios {
                // Recorded steps increase: `next` is the first not yet written.
                match m.step_ratios.as_ref().filter(|r| r.t.get(next) == Some(&t)) {
                    Some(r) => {
                        // An actual ratio with no value (the run's `actual_undefined` says why)
                        // is an empty cell, as at a step where nothing was recorded.
                        let actual = r.actual[next];
                        let actual = if actual.is_nan() { String::new() } else { actual.to_string() };
                        let _ = write!(out, ",{},{actual}", r.guaranteed[next]);
                        next += 1;
                    }
                    None => out.push_str(",,"),
                }
            }
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

    /// A minibatch run exports one row per step: the minibatch loss on every row that made an
    /// update, f and the gradient columns on the rows of its evaluation points, empty between.
    #[test]
    fn a_minibatch_run_exports_every_step_and_its_evaluation_points() {
        let spec = Spec::from_json(
            r#"{"problem": {"kind": "network", "dataset": "breast_cancer", "hidden": 3},
                "methods": [{"kind": "adam", "lr": 0.01}], "run": {"steps": 20, "target": 0, "batch": 16, "eval_points": 6}}"#,
        )
        .unwrap();
        let result = crate::experiment::run_spec(&spec).unwrap();
        let m = &result.methods[0];
        let csv = to_csv(&TraceTable::of(&result));
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("label,t,f,grad_l2,grad_l1,grad_linf,density,step,minibatch_loss"));
        let rows: Vec<Vec<&str>> = lines.map(|l| l.rsplitn(9, ',').collect::<Vec<_>>()).collect();
        assert_eq!(rows.len(), 21);
        for (t, cells) in rows.iter().enumerate() {
            // Right to left: minibatch_loss, step, density, grad_linf, grad_l1, grad_l2, f, t, label.
            assert_eq!(cells[7], t.to_string());
            match m.trace.t.iter().position(|s| *s == t) {
                Some(k) => assert_eq!(cells[6].parse::<f64>().unwrap(), m.trace.f[k]),
                None => assert_eq!(cells[2..7].concat(), ""),
            }
            match t {
                20 => assert_eq!((cells[0], cells[1]), ("", "")),
                _ => assert_eq!(cells[0].parse::<f64>().unwrap(), m.trace.batch_loss[t]),
            }
        }
        assert_eq!(m.trace.t, vec![0, 3, 6, 9, 12, 15, 18, 20]);
    }

    /// The per-step picture lands on the rows of the steps where it was recorded, and nowhere else.
    #[test]
    fn csv_rows_carry_the_step_ratios_at_their_steps() {
        let spec = crate::spec::Spec::from_json(
            r#"{"problem": {"d": 6, "spectrum": "outliers", "outliers": 1, "lambda_max": 20, "rotation": 0.5},
                "methods": [{"kind": "gd"}, {"kind": "sign_gd"}, {"kind": "adam"}], "run": {"steps": 120, "target": 0}}"#,
        )
        .unwrap();
        let result = super::super::run_spec(&spec).unwrap();
        let csv = to_csv(&TraceTable::of(&result));
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let (g, a) = (header.len() - 2, header.len() - 1);
        assert_eq!((header[g], header[a]), ("ratio_guaranteed", "ratio_measured"));
        let rows: Vec<Vec<&str>> =
            lines.map(|l| l.rsplit(',').collect::<Vec<_>>().into_iter().rev().collect()).collect();
        let mut row = 0;
        for m in &result.methods {
            let recorded = m.step_ratios.as_ref();
            for t in 0..m.trace.f.len() {
                let cells = &rows[row];
                let (cg, ca) = (cells[cells.len() - 2], cells[cells.len() - 1]);
                match recorded.and_then(|r| r.t.iter().position(|s| *s == t).map(|k| (r, k))) {
                    Some((r, k)) => {
                        assert_eq!(cg.parse::<f64>().unwrap(), r.guaranteed[k], "{} t={t}", m.label);
                        match ca {
                            "" => assert!(r.actual[k].is_nan() && r.actual_undefined.is_some(), "{} t={t}", m.label),
                            _ => assert_eq!(ca.parse::<f64>().unwrap(), r.actual[k], "{} t={t}", m.label),
                        }
                    }
                    None => assert_eq!((cg, ca), ("", ""), "{} t={t}", m.label),
                }
                row += 1;
            }
        }
        assert_eq!(row, rows.len());
        assert!(result.methods.iter().all(|m| m.step_ratios.as_ref().is_some_and(|r| r.t.len() > 2)));
    }
}
