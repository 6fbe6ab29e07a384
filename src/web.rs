//! The JavaScript API (wasm32 only): a thin shell that moves specs and results across the
//! boundary with serde-wasm-bindgen. Errors arrive in JS as `Error` objects whose message names
//! the field and whose `field`, `value` and `allowed` properties carry the parts.

use crate::experiment::{parse_matrix, run_spec, spec_geometry};
use crate::smoothness::{report, ExactMode, ReportOptions};
use crate::spec::{schema as spec_schema, Spec, SpecError};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_sys::Error::new(&format!("internal: could not convert the result: {e}")).into())
}

fn spec_error(e: &SpecError) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    for (key, value) in [("field", &e.field), ("value", &e.value), ("allowed", &e.allowed)] {
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&err, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    err.into()
}

fn parse_spec(spec: JsValue) -> Result<Spec, JsValue> {
    Spec::deserialize_checked(serde_wasm_bindgen::Deserializer::from(spec)).map_err(|e| spec_error(&e))
}

/// Runs a spec (a plain JS object; missing fields take their defaults) and returns the result.
#[wasm_bindgen]
pub fn run(spec: JsValue) -> Result<JsValue, JsValue> {
    let spec = parse_spec(spec)?;
    let result = run_spec(&spec).map_err(|e| spec_error(&e))?;
    to_js(&result)
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

/// Options of `smoothness`: `{exact: "auto" | "always" | "never", seed}` (both optional).
#[derive(serde::Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct SmoothnessOptions {
    exact: Option<ExactMode>,
    seed: Option<u64>,
}

/// The smoothness report of a matrix (a JSON string: `{"matrix": [[...]]}` or an array of rows,
/// as pasted by a user) or of a spec's objective (a JS object). `progress(fraction)` is called
/// during long exact computations; returning false cancels (an Error "cancelled" is thrown).
#[wasm_bindgen]
pub fn smoothness(input: JsValue, options: JsValue, progress: Option<js_sys::Function>) -> Result<JsValue, JsValue> {
    let opts: SmoothnessOptions = if options.is_undefined() || options.is_null() {
        SmoothnessOptions::default()
    } else {
        serde_wasm_bindgen::from_value(options).map_err(|e| js_sys::Error::new(&format!("options: {e}")))?
    };
    let defaults = ReportOptions::default();
    let opts = ReportOptions { exact: opts.exact.unwrap_or(defaults.exact), seed: opts.seed.unwrap_or(defaults.seed), ..defaults };
    let mut callback = |f: f64| match &progress {
        Some(cb) => cb.call1(&JsValue::NULL, &JsValue::from_f64(f)).map(|r| r.as_bool() != Some(false)).unwrap_or(false),
        None => true,
    };
    let failed = |e: crate::smoothness::ReportError| JsValue::from(js_sys::Error::new(&e.to_string()));
    match input.as_string() {
        Some(text) => {
            let h = parse_matrix(&text).map_err(|e| {
                let err = js_sys::Error::new(&e);
                let _ = js_sys::Reflect::set(&err, &JsValue::from_str("field"), &JsValue::from_str("problem.matrix"));
                JsValue::from(err)
            })?;
            to_js(&report(&h, &opts, &mut callback).map_err(failed)?)
        }
        None => to_js(&spec_geometry(&parse_spec(input)?, &opts, &mut callback).map_err(failed)?),
    }
}
