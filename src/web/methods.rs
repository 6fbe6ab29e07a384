//! A run's methods shared by the page's pool of workers (www/compute.js): each worker runs some
//! of them on its own copy of the problem, and one worker puts their results together. Each
//! method's result is the one the whole run gives it (`experiment::run_methods_watched`), so the
//! result put together is the whole run's. The results cross back as the JS values the workers
//! sent: the core reads only what the comparisons need of them (`ComparedMethod`), which keeps
//! the page core small.

use super::{from_js, js_error, js_stage_progress, parse_spec, to_js, with_kept};
use crate::experiment::{assemble_run, run_methods_watched, ComparedMethod};
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
    let compared: Vec<ComparedMethod> = from_js(methods.clone(), "methods")?;
    to_js(&with_kept(|kept| assemble_run(&spec, kept, &compared, AsSent(methods))).map_err(js_error)?)
}

/// The methods' results as the workers sent them, put into the run's result as they are.
#[derive(Serialize)]
struct AsSent(#[serde(with = "serde_wasm_bindgen::preserve")] JsValue);
