//! The JavaScript API (wasm32 only): a thin shell that moves specs and results across the
//! boundary with serde-wasm-bindgen. Errors arrive in JS as `Error` objects whose message names
//! the field and whose `field`, `value` and `allowed` properties carry the parts.

use crate::experiment::run_spec;
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
