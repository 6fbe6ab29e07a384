//! The JavaScript API (wasm32 only): a thin shell. Specs come in as JSON values (`convert`, one
//! spec reader shared with the URL codec); results and plot inputs cross with serde-wasm-bindgen
//! (through JSON values they measured 17 KB larger). Every error is the crate's `Error`, turned into a JS
//! `Error` in one place (`js_error`): its message is the error's text, and an error about a
//! spec field carries `field` (and for a spec error `value` and `allowed`) as properties.

use crate::experiment::{
    assemble_sweep, matrix_file_rows, parse_matrix, presets as all_presets, run_sweep, spec_geometry_kept, sweep_cells,
    sweep_csv, to_csv, work_estimate, Kept, SweepTable, TraceTable,
};
use crate::plot::{
    draw_bounds, draw_geometry2d, draw_step_ratios, draw_sweep_map, draw_sweep_scatter, draw_traces, shared_scale,
    BoundsInput, Geometry2dInput, Look, SweepInput, SweepMap, TraceKind, PALETTE_HEX,
};
use crate::smoothness::{report, ExactMode, ReportOptions};
use crate::spec::url::{from_query, to_query};
use crate::spec::{schema as spec_schema, Spec};
use crate::Error;
use canvas::Canvas;
pub(crate) use convert::from_js_value;
use plotters::prelude::IntoDrawingArea;
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

mod canvas;
mod convert;
#[cfg(feature = "full")]
mod full;
mod methods;
mod rotated;
#[cfg(feature = "full")]
pub use full::*;
pub use methods::*;
pub use rotated::*;

/// The one conversion of an error to JS: an Error with the text, and the field's parts.
fn js_error(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    let parts = match &e {
        Error::Spec(s) => {
            vec![("field", s.field.as_str()), ("value", s.value.as_str()), ("allowed", s.allowed.as_str())]
        }
        _ => e.field().map(|f| ("field", f)).into_iter().collect(),
    };
    for (key, value) in parts {
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&err, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    err.into()
}

fn usage(message: String) -> JsValue {
    js_error(Error::Usage(message))
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error(Error::Internal(format!("could not convert the result: {e}"))))
}

/// Reads a JS object into `T`, naming `what` in the error.
fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| usage(format!("{what}: {e}")))
}

thread_local! {
    /// The run result read last, with the JS object it was read from: the page draws up to four
    /// figures of one result (and exports it), and reading its traces takes about 1 ms each time.
    /// Results are read as `run` returned them; an object changed in place is not read again.
    static TRACES: RefCell<Option<(JsValue, Rc<TraceTable>)>> = const { RefCell::new(None) };
    /// The problem of the spec run or reported on last: a worker runs a spec, then reports its
    /// geometry, and makes a rotated quadratic (seconds at d = 2000) once for both.
    static KEPT: RefCell<Kept> = RefCell::new(Kept::default());
}

/// `work` with the kept problem (a fresh one if a progress callback has re-entered the core
/// while it is in use).
fn with_kept<R>(work: impl FnOnce(&mut Kept) -> R) -> R {
    KEPT.with(|kept| match kept.try_borrow_mut() {
        Ok(mut kept) => work(&mut kept),
        Err(_) => work(&mut Kept::default()),
    })
}

/// The traces of a result object returned by `run`, read once per object.
fn trace_table(result: JsValue) -> Result<Rc<TraceTable>, JsValue> {
    let last = TRACES.with_borrow(|c| c.as_ref().filter(|(js, _)| *js == result).map(|(_, t)| t.clone()));
    if let Some(table) = last {
        return Ok(table);
    }
    let table = Rc::new(from_js::<TraceTable>(result.clone(), "result")?);
    TRACES.set(Some((result, table.clone())));
    Ok(table)
}

/// A progress callback for the core: calls `progress(fraction)`; a false return (or a throw)
/// cancels.
fn js_progress(progress: &Option<js_sys::Function>) -> impl FnMut(f64) -> bool + '_ {
    move |f: f64| match progress {
        Some(cb) => {
            cb.call1(&JsValue::NULL, &JsValue::from_f64(f)).map(|r| r.as_bool() != Some(false)).unwrap_or(false)
        }
        None => true,
    }
}

/// A progress callback with stages: calls `progress(fraction, stage)`; a false return (or a
/// throw) cancels.
fn js_stage_progress(progress: &Option<js_sys::Function>) -> impl FnMut(&'static str, f64) -> bool + '_ {
    move |stage: &'static str, f: f64| match progress {
        Some(cb) => cb
            .call2(&JsValue::NULL, &JsValue::from_f64(f), &JsValue::from_str(stage))
            .map(|r| r.as_bool() != Some(false))
            .unwrap_or(false),
        None => true,
    }
}

/// A drawing's frame, or its error as a JS Error.
fn drawn(frame: Result<crate::plot::Frame, String>) -> Result<JsValue, JsValue> {
    to_js(&frame.map_err(|e| js_error(Error::Plot(e)))?)
}

fn parse_spec(spec: JsValue) -> Result<Spec, JsValue> {
    let json = from_js_value(&spec).map_err(|e| usage(format!("spec: {e}")))?;
    Spec::deserialize_checked(json).map_err(|e| js_error(e.into()))
}

/// The spec with every field at its default.
#[wasm_bindgen(js_name = defaultSpec)]
pub fn default_spec() -> Result<JsValue, JsValue> {
    to_js(&Spec::default())
}

/// Every parameter with type, range, default and help.
#[wasm_bindgen]
pub fn schema() -> Result<JsValue, JsValue> {
    to_js(&spec_schema())
}

/// Validates a spec and returns it resolved (defaults and `auto` made explicit).
#[wasm_bindgen(js_name = resolveSpec)]
pub fn resolve_spec(spec: JsValue) -> Result<JsValue, JsValue> {
    to_js(&parse_spec(spec)?.resolved())
}

/// Options of `smoothness`: `{exact: "auto" | "always" | "never", seed, exact_work}` (all
/// optional).
#[derive(serde::Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct SmoothnessOptions {
    exact: Option<ExactMode>,
    seed: Option<u64>,
    /// Work budget of exact L_inf in auto mode (row updates); the page's main thread keeps it
    /// to a few milliseconds.
    exact_work: Option<f64>,
}

/// The smoothness report of a matrix (a JSON string: `{"matrix": [[...]]}` or an array of rows,
/// as pasted by a user) or of a spec's objective (a JS object). `progress(fraction)` is called
/// during long exact computations; returning false cancels (an Error "cancelled" is thrown).
#[wasm_bindgen]
pub fn smoothness(input: JsValue, options: JsValue, progress: Option<js_sys::Function>) -> Result<JsValue, JsValue> {
    let opts: SmoothnessOptions = if options.is_undefined() || options.is_null() {
        SmoothnessOptions::default()
    } else {
        from_js(options, "options")?
    };
    let defaults = ReportOptions::default();
    let opts = ReportOptions {
        exact: opts.exact.unwrap_or(defaults.exact),
        seed: opts.seed.unwrap_or(defaults.seed),
        exact_work: opts.exact_work.map_or(defaults.exact_work, |w| w.clamp(1.0, 1e12) as u64),
        ..defaults
    };
    let mut callback = js_progress(&progress);
    match input.as_string() {
        Some(text) => {
            let h = parse_matrix(&text).map_err(js_error)?;
            to_js(&report(&h, &opts, &mut callback).map_err(js_error)?)
        }
        None => {
            let spec = parse_spec(input)?;
            to_js(&with_kept(|kept| spec_geometry_kept(&spec, kept, &opts, &mut callback)).map_err(js_error)?)
        }
    }
}

/// The rows of a matrix typed, pasted or dropped as a file, given as bytes (a NumPy `.npy` file,
/// JSON, or rows of numbers), read as `steepest smoothness --matrix` reads a file; errors name the
/// row and column, or the `.npy` file's shape and dtype. Shape and values are checked with the
/// spec (`problem.matrix`).
#[wasm_bindgen(js_name = matrixRows)]
pub fn matrix_rows(bytes: Vec<u8>) -> Result<JsValue, JsValue> {
    to_js(&matrix_file_rows(&bytes).map_err(js_error)?)
}

/// Checks preset `name`'s claims on the results the page holds (`{run, report, sweep, analysis}`,
/// each optional): `[{claim, text, holds, evidence}]`, `holds` null while a result is missing.
#[wasm_bindgen(js_name = checkClaims)]
pub fn check_claims_js(name: &str, results: JsValue) -> Result<JsValue, JsValue> {
    let p = crate::experiment::preset(name).ok_or_else(|| usage(format!("preset {name}: there is no such preset")))?;
    let input: crate::experiment::ClaimInput = from_js(results, "results")?;
    to_js(&crate::experiment::check_claims(&p.claims, &input))
}

/// Decodes a URL query into `{spec, issues}`; never throws: every unusable parameter is an issue
/// `{param, value, message}` and only that field keeps its default.
#[wasm_bindgen(js_name = specFromQuery)]
pub fn spec_from_query(query: &str) -> Result<JsValue, JsValue> {
    to_js(&from_query(query))
}

/// The URL query (without `?`) of a valid spec.
#[wasm_bindgen(js_name = specToQuery)]
pub fn spec_to_query(spec: JsValue) -> Result<String, JsValue> {
    Ok(to_query(&parse_spec(spec)?))
}

/// Rough multiply-adds of running the spec (to choose between the main thread and a worker).
#[wasm_bindgen(js_name = workEstimate)]
pub fn work_estimate_js(spec: JsValue) -> Result<f64, JsValue> {
    Ok(work_estimate(&parse_spec(spec)?))
}

/// The CSV of a result object returned by `run`.
#[wasm_bindgen(js_name = toCsv)]
pub fn to_csv_js(result: JsValue) -> Result<String, JsValue> {
    let table = trace_table(result)?;
    Ok(to_csv(&table))
}

/// The CSV of a sweep object returned by `sweep` (the columns of `steepest sweep --format csv`).
#[wasm_bindgen(js_name = sweepCsv)]
pub fn sweep_csv_js(sweep: JsValue) -> Result<String, JsValue> {
    let table: SweepTable = from_js(sweep, "sweep")?;
    Ok(sweep_csv(&table))
}

/// The series colours, in legend order (Okabe-Ito).
#[wasm_bindgen]
pub fn palette() -> Vec<String> {
    PALETTE_HEX.iter().map(|s| s.to_string()).collect()
}

fn canvas_area(
    canvas: HtmlCanvasElement,
) -> Result<plotters::drawing::DrawingArea<Canvas, plotters::coord::Shift>, JsValue> {
    Canvas::new(canvas).map(|b| b.into_drawing_area()).ok_or_else(|| usage("the canvas has no 2-D context".into()))
}

/// Draws a trace plot (`kind`: "f", "batch", "grad", "density", "accuracy", "nuclear" or "rare") of a run
/// result on `canvas`, whose backing size the caller has set to its CSS size times `dpr`.
/// Returns the plot frame in CSS pixels for hover read-outs.
#[wasm_bindgen(js_name = drawTraces)]
pub fn draw_traces_js(
    canvas: HtmlCanvasElement,
    result: JsValue,
    kind: &str,
    dpr: f64,
    dark: bool,
) -> Result<JsValue, JsValue> {
    let kind = match kind {
        "f" => TraceKind::Suboptimality,
        "batch" => TraceKind::BatchLoss,
        "grad" => TraceKind::GradNorm,
        "density" => TraceKind::Density,
        "accuracy" => TraceKind::TestAccuracy,
        "nuclear" => TraceKind::NuclearRank,
        "rare" => TraceKind::RareClassLoss,
        other => {
            return Err(usage(format!("plot kind {other}: allowed f, batch, grad, density, accuracy, nuclear, rare")))
        }
    };
    let data = trace_table(result)?;
    drawn(draw_traces(&canvas_area(canvas)?, &data, kind, &Look { scale: dpr, dark }))
}

/// Draws the per-step picture of a run result, R(g_t) beside the measured step ratio, on
/// `canvas` (see `drawTraces`).
#[wasm_bindgen(js_name = drawStepRatios)]
pub fn draw_step_ratios_js(
    canvas: HtmlCanvasElement,
    result: JsValue,
    dpr: f64,
    dark: bool,
) -> Result<JsValue, JsValue> {
    let data = trace_table(result)?;
    drawn(draw_step_ratios(&canvas_area(canvas)?, &data, &Look { scale: dpr, dark }))
}

/// Draws the L_inf bracket of a smoothness report on `canvas` (see `drawTraces`).
#[wasm_bindgen(js_name = drawBounds)]
pub fn draw_bounds_js(canvas: HtmlCanvasElement, report: JsValue, dpr: f64, dark: bool) -> Result<JsValue, JsValue> {
    let data: BoundsInput = from_js(report, "report")?;
    drawn(draw_bounds(&canvas_area(canvas)?, &data, &Look { scale: dpr, dark }))
}

/// The presets: `{name, title, look_for, view, spec, query}`.
#[wasm_bindgen]
pub fn presets() -> Result<JsValue, JsValue> {
    to_js(&all_presets())
}

/// The sweep map of a spec (see `steepest sweep`); `progress(fraction)` after each cell,
/// returning false cancels (an Error "cancelled" is thrown).
#[wasm_bindgen]
pub fn sweep(spec: JsValue, progress: Option<js_sys::Function>) -> Result<JsValue, JsValue> {
    let spec = parse_spec(spec)?;
    let mut callback = js_progress(&progress);
    to_js(&run_sweep(&spec, &mut callback).map_err(js_error)?)
}

/// Cells `cells` of the sweep of a spec (indices into its row-major grid, rotations outer): one
/// worker's share of a sweep that the page splits across its pool of workers (www/compute.js).
/// `progress(fraction of these cells)`; returning false cancels.
#[wasm_bindgen(js_name = sweepCells)]
pub fn sweep_cells_js(spec: JsValue, cells: Vec<u32>, progress: Option<js_sys::Function>) -> Result<JsValue, JsValue> {
    let spec = parse_spec(spec)?;
    let which: Vec<usize> = cells.iter().map(|&i| i as usize).collect();
    let mut callback = js_progress(&progress);
    to_js(&sweep_cells(&spec, &which, &mut callback).map_err(js_error)?)
}

/// The sweep result of a spec from all its cells in grid order (the pool's shares of
/// `sweepCells` put together): what `sweep` returns.
#[wasm_bindgen(js_name = assembleSweep)]
pub fn assemble_sweep_js(spec: JsValue, cells: JsValue) -> Result<JsValue, JsValue> {
    let spec = parse_spec(spec)?;
    to_js(&assemble_sweep(&spec, from_js(cells, "cells")?).map_err(js_error)?)
}

/// Draws one heat map of a sweep result (`which`: "ceiling", "predicted" or "measured"); the maps
/// share one colour scale, and the measured one carries the colour bar.
#[wasm_bindgen(js_name = drawSweepMap)]
pub fn draw_sweep_map_js(
    canvas: HtmlCanvasElement,
    result: JsValue,
    which: &str,
    dpr: f64,
    dark: bool,
) -> Result<JsValue, JsValue> {
    let which = match which {
        "ceiling" => SweepMap::Ceiling,
        "predicted" => SweepMap::Predicted,
        "measured" => SweepMap::Measured,
        other => return Err(usage(format!("map {other}: allowed ceiling, predicted, measured"))),
    };
    let data: SweepInput = from_js(result, "sweep")?;
    let scale = shared_scale(&data);
    drawn(draw_sweep_map(
        &canvas_area(canvas)?,
        &data,
        which,
        scale,
        which == SweepMap::Measured,
        &Look { scale: dpr, dark },
    ))
}

/// Draws the measured advantage of a sweep result against its prediction and its ceiling.
#[wasm_bindgen(js_name = drawSweepScatter)]
pub fn draw_sweep_scatter_js(
    canvas: HtmlCanvasElement,
    result: JsValue,
    dpr: f64,
    dark: bool,
) -> Result<JsValue, JsValue> {
    let data: SweepInput = from_js(result, "sweep")?;
    drawn(draw_sweep_scatter(&canvas_area(canvas)?, &data, &Look { scale: dpr, dark }))
}

/// Draws the 2-D view of a run result on a 2-D quadratic at animation step `step`: contours,
/// unit balls and steepest directions at the first method's current point, trajectories.
#[wasm_bindgen(js_name = drawGeometry2d)]
pub fn draw_geometry2d_js(
    canvas: HtmlCanvasElement,
    result: JsValue,
    step: usize,
    dpr: f64,
    dark: bool,
) -> Result<JsValue, JsValue> {
    let data: Geometry2dInput = from_js(result, "result")?;
    drawn(draw_geometry2d(&canvas_area(canvas)?, &data, step, &Look { scale: dpr, dark }))
}

/// The problem's dimension as run (the number of parameters of a network).
#[wasm_bindgen(js_name = specDimension)]
pub fn spec_dimension(spec: JsValue) -> Result<usize, JsValue> {
    Ok(parse_spec(spec)?.dim())
}

/// Whether this is the full core (networks, data sets, the Hessian view) or the page core
/// without them (see `web::full`); the page loads the full core when it needs it and this is
/// false.
#[wasm_bindgen(js_name = fullCore)]
pub fn full_core() -> bool {
    cfg!(feature = "full")
}
