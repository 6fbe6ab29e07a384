//! A run's methods shared by the page's pool of workers (www/compute.js): each worker runs some
//! of them on its own copy of the problem, and one worker puts their results together. Each
//! method's result is the one the whole run gives it (`experiment::run_methods_watched`), so the
//! result put together is the whole run's. The results cross back as the JS values the workers
//! sent: the core reads only what the comparisons need of them (`ComparedMethod`), which keeps
//! the page core small.

use super::{from_js, js_error, js_stage_progress, parse_spec, to_js, with_kept};
use crate::experiment::{assemble_run, run_methods_watched, Compared, ComparedMethod, MethodResult};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The results of the spec's methods `which` (indices into its methods, each at most once), in
/// that order; `progress(fraction, stage)` hears the stages and the fraction of these methods'
/// steps done, and cancels as `run`'s does.
#[wasm_bindgen(js_name = runMethods)]
pub fn run_methods(spec: JsValue, which: Vec<u32>, progress: Option<js_sys::Function>) -> Result<JsValue, JsValue> {
    let spec = parse_spec(spec)?;
    let which: Vec<usize> = which.iter().map(|&i| i as usize).collect();
    let methods = with_kept(|kept| run_methods_watched(&spec, kept, &which, &mut js_stage_progress(&progress)))
        .map_err(js_error)?;
    to_js(&methods)
}

/// What `run` returns, from the results of every method of the spec in its order (`runMethods`'
/// parts put together).
#[wasm_bindgen(js_name = assembleRun)]
pub fn assemble_run_js(spec: JsValue, methods: JsValue) -> Result<JsValue, JsValue> {
    let spec = parse_spec(spec)?;
    let read: Vec<ComparedMethod> = from_js(methods.clone(), "methods")?;
    let compared: Vec<Compared> = read.iter().map(ComparedMethod::compared).collect();
    to_js(&with_kept(|kept| assemble_run(&spec, kept, &compared, AsSent(methods))).map_err(js_error)?)
}

/// Runs a spec (a plain JS object; missing fields take their defaults) and returns the result.
/// `progress(fraction, stage)`, when given, hears the stages and the fraction of all steps
/// done; returning false cancels (an Error "cancelled" is thrown). The methods' results are
/// made JS values once, and put into the result as they are, as `assembleRun` does.
#[wasm_bindgen]
pub fn run(spec: JsValue, progress: Option<js_sys::Function>) -> Result<JsValue, JsValue> {
    let spec = parse_spec(spec)?;
    let all: Vec<usize> = (0..spec.methods.len()).collect();
    let result = with_kept(|kept| {
        let methods = run_methods_watched(&spec, kept, &all, &mut js_stage_progress(&progress)).map_err(js_error)?;
        let compared: Vec<Compared> = methods.iter().map(MethodResult::compared).collect();
        assemble_run(&spec, kept, &compared, AsSent(to_js(&methods)?)).map_err(js_error)
    })?;
    to_js(&result)
}

/// The methods' results as JS values, put into the run's result as they are.
#[derive(Serialize)]
struct AsSent(#[serde(with = "serde_wasm_bindgen::preserve")] JsValue);
