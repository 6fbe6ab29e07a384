//! A rotated quadratic made by the page's pool of workers (www/compute.js), which share no
//! memory: each worker makes a part of Q_r's columns, then, from all of them, a part of H's
//! rows, and the worker that runs the spec keeps H put together (`experiment::RotatedHessian`
//! has the arithmetic: the parts give the bits of the whole).

use super::{js_error, js_progress, parse_spec, to_js, usage, with_kept};
use crate::experiment::{hessian_part, making_share, rotated_size, RotatedHessian};
use crate::linalg::Matrix;
use crate::spec::RunTask;
use js_sys::{Array, Float64Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn task_of(spec: JsValue) -> Result<RunTask, JsValue> {
    parse_spec(spec)?.run_task().map_err(|e| js_error(e.into()))
}

fn not_rotated() -> JsValue {
    usage("spec: its problem is not a rotated quadratic".into())
}

/// The parts a worker sent, as arrays of numbers.
fn parts_of(parts: &Array, what: &str) -> Result<Vec<Vec<f64>>, JsValue> {
    parts
        .iter()
        .map(|p| p.dyn_into::<Float64Array>().map(|a| a.to_vec()))
        .collect::<Result<_, _>>()
        .map_err(|_| usage(format!("{what}: every part is a Float64Array")))
}

/// The rotated quadratic a spec makes, without drawing it: `{d, share}`, `share` being the part
/// of the run's progress that making it takes; null when it makes none (another problem, or
/// rotation 0).
#[wasm_bindgen(js_name = rotatedMaking)]
pub fn rotated_making(spec: JsValue) -> Result<JsValue, JsValue> {
    let task = task_of(spec)?;
    let d = rotated_size(&task);
    to_js(&d.map(|d| Making { d, share: making_share(&task) }))
}

#[derive(Serialize)]
struct Making {
    d: usize,
    share: f64,
}

/// Whether this instance keeps the problem of a spec (made by its last run or report, or
/// `keepRotated`): then running it makes nothing.
#[wasm_bindgen]
pub fn keeps(spec: JsValue) -> Result<bool, JsValue> {
    let task = task_of(spec)?;
    Ok(with_kept(|kept| kept.keeps(&task)))
}

/// Part `part` of `parts` of the spec's Q_r, as a row-major block of consecutive columns (empty
/// when the cut has fewer parts); `progress(fraction)` along the way.
#[wasm_bindgen(js_name = rotationPart)]
pub fn rotation_part(
    spec: JsValue,
    part: usize,
    parts: usize,
    progress: Option<js_sys::Function>,
) -> Result<Vec<f64>, JsValue> {
    let made = RotatedHessian::of(&task_of(spec)?).ok_or_else(not_rotated)?;
    Ok(made.rotation_part(part, parts, &mut js_progress(&progress)))
}

/// Part `part` of `parts` of the spec's H's rows (its lower triangle), from every part of Q_r
/// (`rotationPart`, in order); `progress(fraction)` along the way.
#[wasm_bindgen(js_name = hessianPart)]
pub fn hessian_part_js(
    spec: JsValue,
    rotation_parts: Array,
    part: usize,
    parts: usize,
    progress: Option<js_sys::Function>,
) -> Result<Vec<f64>, JsValue> {
    let task = task_of(spec)?;
    let d = rotated_size(&task).ok_or_else(not_rotated)?;
    let q = parts_of(&rotation_parts, "rotation parts")?;
    hessian_part(&task, &q, part, parts, &mut js_progress(&progress))
        .ok_or_else(|| usage(format!("rotation parts: they do not make the {d} x {d} Q_r")))
}

/// Keeps the spec's problem with the H that the parts of its rows make (`hessianPart`, in
/// order), so that running the spec or reporting on it makes nothing.
#[wasm_bindgen(js_name = keepRotated)]
pub fn keep_rotated(spec: JsValue, hessian_parts: Array) -> Result<(), JsValue> {
    let task = task_of(spec)?;
    let d = rotated_size(&task).ok_or_else(not_rotated)?;
    let h = Matrix::from_lower_rows(d, parts_of(&hessian_parts, "hessian parts")?)
        .ok_or_else(|| usage(format!("hessian parts: they do not make the {d} x {d} H")))?;
    with_kept(|kept| kept.keep_rotated(&task, h));
    Ok(())
}
