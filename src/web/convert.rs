//! JavaScript values to JSON values, with JSON's rules.
//!
//! A spec crosses the boundary as a `serde_json::Value`, so the wasm core holds one copy of the
//! path-tracking spec reader (the JSON value's, which the URL codec uses too) instead of a second,
//! JS-specific one (about 12 KB gzipped).
//!
//! The rules are those of `JSON.stringify` then `JSON.parse`, so the page hands the core exactly
//! what the CLI reads from a spec file: an `undefined` property is absent, `undefined` in an array
//! and a non-finite number are `null`, an integral number is an integer (so it can fill a `u64`
//! field) except `-0`, which stays the float `-0.0`.

use js_sys::{Array, Object};
use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

/// Largest integer a JS number holds exactly, 2^53.
const SAFE_INTEGER: f64 = 9_007_199_254_740_992.0;

/// The JSON value of a JS value; `Err` names what JSON cannot hold (a function, symbol or bigint).
pub fn from_js_value(v: &JsValue) -> Result<Value, String> {
    if v.is_null() || v.is_undefined() {
        Ok(Value::Null)
    } else if let Some(b) = v.as_bool() {
        Ok(Value::Bool(b))
    } else if let Some(x) = v.as_f64() {
        Ok(number(x))
    } else if let Some(s) = v.as_string() {
        Ok(Value::String(s))
    } else if Array::is_array(v) {
        Array::from(v).iter().map(|x| from_js_value(&x)).collect::<Result<Vec<_>, _>>().map(Value::Array)
    } else if v.is_object() && !v.is_function() {
        let mut map = Map::new();
        for entry in Object::entries(v.unchecked_ref()).iter() {
            let pair: Array = entry.unchecked_into();
            let value = pair.get(1);
            if !value.is_undefined() {
                map.insert(pair.get(0).as_string().unwrap_or_default(), from_js_value(&value)?);
            }
        }
        Ok(Value::Object(map))
    } else {
        Err(format!("a {} is not allowed (only what JSON holds)", v.js_typeof().as_string().unwrap_or_default()))
    }
}

/// A JS number as JSON reads its shortest text: integral and exact as an integer, else a float.
fn number(x: f64) -> Value {
    let integral = x.fract() == 0.0 && x.abs() <= SAFE_INTEGER && !(x == 0.0 && x.is_sign_negative());
    if integral && x >= 0.0 {
        Value::from(x as u64)
    } else if integral {
        Value::from(x as i64)
    } else {
        Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}
