//! What the full core adds to the page core (the `full` feature, see Cargo.toml): the data sets,
//! so network specs can be built, and the Hessian view's analysis and figures. The page starts
//! with the page core and loads the full one when a spec or view first needs it (www/core.js).

use super::{canvas_area, drawn, from_js, js_error, js_progress, parse_spec, to_js, usage};
use crate::experiment::hessian_anatomy;
use crate::plot::{draw_heat_frame, draw_spectrum, draw_track, heat_rgba, AnatomyInput, HeatSide, Look};
use crate::Error;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// The Hessian analysis of a spec at its checkpoint (see `steepest anatomy`); `progress(fraction)`
/// between its stages, returning false cancels (an Error "cancelled" is thrown).
#[wasm_bindgen(js_name = hessianAnatomy)]
pub fn hessian_anatomy_js(spec: JsValue, progress: Option<js_sys::Function>) -> Result<JsValue, JsValue> {
    let spec = parse_spec(spec)?;
    let mut callback = js_progress(&progress);
    to_js(&hessian_anatomy(&spec, &mut callback).map_err(js_error)?)
}

/// Draws the eigenvalue histogram of a Hessian analysis.
#[wasm_bindgen(js_name = drawSpectrum)]
pub fn draw_spectrum_js(canvas: HtmlCanvasElement, anatomy: JsValue, dpr: f64, dark: bool) -> Result<JsValue, JsValue> {
    let data: AnatomyInput = from_js(anatomy, "anatomy")?;
    drawn(draw_spectrum(&canvas_area(canvas)?, &data, &Look { scale: dpr, dark }))
}

/// Draws the largest eigenvalues along the run of a Hessian analysis (`analysis.track`).
#[wasm_bindgen(js_name = drawTrack)]
pub fn draw_track_js(canvas: HtmlCanvasElement, anatomy: JsValue, dpr: f64, dark: bool) -> Result<JsValue, JsValue> {
    let data: AnatomyInput = from_js(anatomy, "anatomy")?;
    drawn(draw_track(&canvas_area(canvas)?, &data, &Look { scale: dpr, dark }))
}

/// A heat map's cells and frame.
#[derive(Serialize)]
struct HeatDrawing {
    frame: crate::plot::Frame,
    size: usize,
    rgba: Vec<u8>,
}

/// Draws the axes and colour bar of one |H_ij| heat map (`side`: "hessian" or "rotated") and
/// returns `{frame, size, rgba}`: the caller paints the size x size RGBA cells into the frame.
#[wasm_bindgen(js_name = drawHeatMap)]
pub fn draw_heat_map_js(
    canvas: HtmlCanvasElement,
    anatomy: JsValue,
    side: &str,
    dpr: f64,
    dark: bool,
) -> Result<JsValue, JsValue> {
    let side = match side {
        "hessian" => HeatSide::Hessian,
        "rotated" => HeatSide::Rotated,
        other => return Err(usage(format!("heat map {other}: allowed hessian, rotated"))),
    };
    let data: AnatomyInput = from_js(anatomy, "anatomy")?;
    let look = Look { scale: dpr, dark };
    let frame = draw_heat_frame(&canvas_area(canvas)?, &data, &look).map_err(|e| js_error(Error::Plot(e)))?;
    let Some(size) = data.heat(side).map(|h| h.size) else {
        return Err(usage("the Hessian was not formed (above the dense limit): no heat map".into()));
    };
    to_js(&HeatDrawing { frame, size, rgba: heat_rgba(&data, side, &look) })
}

/// Hands a shipped data file (fetched by the page from data/NAME.bin) to the core; `name` is
/// "digits" or "breast_cancer".
#[wasm_bindgen(js_name = registerDataset)]
pub fn register_dataset(name: &str, bytes: Vec<u8>) -> Result<(), JsValue> {
    let kind: crate::data::DatasetKind = serde_json::from_value(serde_json::Value::String(name.into()))
        .map_err(|_| usage(format!("dataset {name}: allowed digits, breast_cancer")))?;
    crate::data::register(kind, bytes).map_err(js_error)
}

/// Whether a data set is loaded (see registerDataset).
#[wasm_bindgen(js_name = hasDataset)]
pub fn has_dataset(name: &str) -> bool {
    serde_json::from_value::<crate::data::DatasetKind>(serde_json::Value::String(name.into()))
        .is_ok_and(crate::data::available)
}
