//! CSV export of a run: one row per method and step.

use super::run::RunResult;
use std::fmt::Write;

/// Columns: label, t, f, grad_l2, grad_l1, grad_linf, density, step (the step taken from x_t;
/// empty on the last row), then x_0.. when iterates were recorded. Labels are quoted.
pub fn to_csv(result: &RunResult) -> String {
    let xd = result.methods.iter().find_map(|m| m.trace.x.as_ref()).map_or(0, |_| result.problem.d);
    let mut out = String::from("label,t,f,grad_l2,grad_l1,grad_linf,density,step");
    for i in 0..xd {
        let _ = write!(out, ",x{i}");
    }
    out.push('\n');
    for m in &result.methods {
        let tr = &m.trace;
        let label = format!("\"{}\"", m.label.replace('"', "\"\""));
        for t in 0..tr.f.len() {
            let step = tr.step.get(t).map_or(String::new(), |s| s.to_string());
            let _ = write!(
                out,
                "{label},{t},{},{},{},{},{},{step}",
                tr.f[t], tr.grad_l2[t], tr.grad_l1[t], tr.grad_linf[t], tr.density[t]
            );
            if let Some(xs) = &tr.x {
                for v in &xs[t] {
                    let _ = write!(out, ",{v}");
                }
            }
            out.push('\n');
        }
    }
    out
}
