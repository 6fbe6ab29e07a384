//! The exported JavaScript API, run in Node by wasm-bindgen-test-runner.
#![cfg(target_arch = "wasm32")]

#[path = "support/elementary_inputs.rs"]
mod elementary_inputs;
#[path = "support/seventeen_digits.rs"]
mod seventeen_digits;

use elementary_inputs::{exp_inputs, mismatches, tanh_inputs};
use js_sys::Reflect;
use seventeen_digits::{seventeen_digit_numbers, specs_holding};
use steepest::experiment::parse_rows;
use steepest::simd2::elementary::{exp_in_place, tanh_in_place};
use steepest::spec::Spec;
use steepest::web;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn parse(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

#[wasm_bindgen_test]
fn default_spec_round_trips_through_resolve() {
    let spec = web::default_spec().unwrap();
    let resolved = web::resolve_spec(spec).unwrap();
    let methods = js_sys::Array::from(&get(&resolved, "methods"));
    assert_eq!(methods.length(), 2);
    assert_eq!(get(&methods.get(0), "rule").as_string().unwrap(), "theory");
}

#[wasm_bindgen_test]
fn run_returns_traces_that_start_at_the_start() {
    // GD with step 1/L on diag(1, 4) from x0 = (1, 1): f0 = (1 + 4)/2 = 2.5, and
    // x1 = (1 - 1/4, 1 - 4/4) = (0.75, 0): f1 = 0.75^2 / 2 = 0.28125.
    let spec = parse(
        r#"{"problem": {"kind": "matrix", "matrix": [[1, 0], [0, 4]], "x0": [1, 1]},
        "methods": [{"kind": "gd"}], "run": {"steps": 3, "target": 0}}"#,
    );
    let result = web::run(spec, None).unwrap();
    let m = js_sys::Array::from(&get(&result, "methods")).get(0);
    let f = js_sys::Array::from(&get(&m, "f"));
    assert_eq!(f.length(), 4);
    assert_eq!(f.get(0).as_f64().unwrap(), 2.5);
    assert_eq!(f.get(1).as_f64().unwrap(), 0.28125);
    assert_eq!(get(&m, "status").as_string().unwrap(), "max_steps");
}

#[wasm_bindgen_test]
fn errors_are_js_errors_naming_the_field() {
    let err = web::run(parse(r#"{"problem": {"d": 0}}"#), None).unwrap_err();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&err, "field").as_string().unwrap(), "problem.d");
    let msg = js_sys::Error::from(err).message().as_string().unwrap();
    assert!(msg.contains("1 to 2000"), "{msg}");

    let err = web::run(parse(r#"{"methods": [{"kind": "adam", "lr": "fast"}]}"#), None).unwrap_err();
    assert_eq!(get(&err, "field").as_string().unwrap(), "methods[0].lr");
}

#[wasm_bindgen_test]
fn schema_lists_every_parameter() {
    let schema = web::schema().unwrap();
    let params = js_sys::Array::from(&get(&schema, "params"));
    assert_eq!(params.length() as usize, steepest::spec::PARAMS.len());
    let d = params.iter().find(|p| get(p, "name").as_string().unwrap() == "problem.d").unwrap();
    assert_eq!(get(&d, "max").as_f64().unwrap(), 2000.0);
}

#[wasm_bindgen_test]
fn smoothness_of_a_pasted_matrix_and_of_a_spec() {
    // Brute force: max over sign vectors of v^T H v is at v = (1, 1, 1): 4+3+2 + 2(1+1) = 13.
    let r = web::smoothness(JsValue::from_str("[[4, 1, 0], [1, 3, 1], [0, 1, 2]]"), JsValue::UNDEFINED, None).unwrap();
    assert_eq!(get(&r, "linf_exact").as_f64().unwrap(), 13.0);
    assert!(get(&r, "psd").as_bool().unwrap());

    let spec = parse(r#"{"problem": {"d": 8, "rotation": 0}}"#);
    let r = web::smoothness(spec, JsValue::UNDEFINED, None).unwrap();
    assert_eq!(get(&r, "scope").as_string().unwrap(), "global");
    assert_eq!(get(&r, "linf_exact").as_f64().unwrap(), 206.0);

    let err = web::smoothness(JsValue::from_str("[[1, 2], [3, 1]]"), JsValue::UNDEFINED, None).unwrap_err();
    assert_eq!(get(&err, "field").as_string().unwrap(), "problem.matrix");
    let msg = js_sys::Error::from(err).message().as_string().unwrap();
    assert!(msg.contains("not symmetric"), "{msg}");
}

#[wasm_bindgen_test]
fn network_specs_need_their_data_set_registered_first() {
    let spec = parse(
        r#"{"problem": {"kind": "network", "dataset": "breast_cancer", "hidden": 0}, "methods": [{"kind": "gd", "lr": 0.5}], "run": {"steps": 5}}"#,
    );
    let err = web::run(spec.clone(), None).unwrap_err();
    assert_eq!(get(&err, "field").as_string().unwrap(), "problem.dataset");
    // The smoothness report refuses it the same way, with the field.
    let err = web::smoothness(spec.clone(), JsValue::UNDEFINED, None).unwrap_err();
    assert_eq!(get(&err, "field").as_string().unwrap(), "problem.dataset");
    assert_eq!(
        get(&err, "allowed").as_string().unwrap(),
        "allowed: a data set loaded into the core (the page fetches it first)"
    );
    assert!(!web::has_dataset("breast_cancer"));
    assert!(web::register_dataset("breast_cancer", vec![0u8; 10]).is_err());
    assert!(web::register_dataset("mnist", vec![]).is_err());
}

#[wasm_bindgen_test]
fn hessian_anatomy_of_a_diagonal_quadratic_and_a_bad_checkpoint() {
    // diag(1, ..., 1, 9, 9) in d = 6: tr = 22, rho_diag = 1, and L_inf = tr H exactly.
    let spec = parse(
        r#"{"problem": {"kind": "quadratic", "d": 6, "spectrum": "outliers", "outliers": 2, "lambda_max": 9, "lambda_min": 1, "rotation": 0}}"#,
    );
    let a = web::hessian_anatomy_js(spec, None).unwrap();
    assert_eq!(get(&a, "d").as_f64(), Some(6.0));
    assert_eq!(get(&get(&a, "hessian"), "rho_diag").as_f64(), Some(1.0));
    assert_eq!(get(&get(&a, "hessian"), "linf_exact").as_f64(), Some(22.0));
    assert!(get(&get(&a, "rotated"), "rho_diag").as_f64().unwrap() < 1.0);
    let err = web::hessian_anatomy_js(parse(r#"{"run": {"steps": 5}, "analysis": {"step": 6}}"#), None).unwrap_err();
    assert_eq!(get(&err, "field").as_string().as_deref(), Some("analysis.step"));
    assert_eq!(
        web::spec_dimension(parse(r#"{"problem": {"kind": "network", "hidden": 16, "hidden2": 8}}"#)).unwrap(),
        16 * 65 + 8 * 17 + 10 * 9
    );
}

fn numbers(v: &JsValue) -> Vec<f64> {
    js_sys::Array::from(v).iter().map(|x| x.as_f64().unwrap()).collect()
}

/// The page reads numbers with JavaScript (`JSON.parse`, `Number`); the core's own text reader
/// (`parse_rows`: a pasted matrix, `steepest smoothness --matrix`) with Rust's correctly rounded
/// `str::parse`, natively and here alike. Both must give every one of 10,000 hard 17-digit
/// numbers exactly; tests/exact_numbers.rs checks the CLI's JSON reader against the same truth.
#[wasm_bindgen_test]
fn numbers_read_as_json_parse_reads_them() {
    let numbers = seventeen_digit_numbers(10_000, 17);
    let text = format!("[{}]", numbers.join(","));
    let page = self::numbers(&parse(&text));
    // The text reader takes at most MAX_D numbers a row, so it reads them as rows of 2000.
    let chunks: Vec<&[String]> = numbers.chunks(2000).collect();
    let json_rows: Vec<String> = chunks.iter().map(|c| format!("[{}]", c.join(","))).collect();
    let core: Vec<f64> = parse_rows(&format!("[{}]", json_rows.join(","))).unwrap().concat();
    let text_rows: Vec<String> = chunks.iter().map(|c| c.join(" ")).collect();
    let rows: Vec<f64> = parse_rows(&text_rows.join("\n")).unwrap().concat();
    assert_eq!((core.len(), rows.len(), page.len()), (numbers.len(), numbers.len(), numbers.len()));
    for (((s, x), j), r) in numbers.iter().zip(&core).zip(&page).zip(&rows) {
        assert_eq!((x.to_bits(), r.to_bits()), (j.to_bits(), j.to_bits()), "{s}: core {x:e}, JSON.parse {j:e}");
        assert_eq!(x.to_bits(), s.parse::<f64>().unwrap().to_bits(), "{s}");
        // Each side's shortest form, read by the other, gives the number back (== rather than
        // bits: JSON.stringify writes -0 as 0).
        assert_eq!(parse(&serde_json::to_string(x).unwrap()).as_f64().unwrap(), *j, "{s}");
        let js_printed = js_sys::JSON::stringify(&JsValue::from_f64(*j)).unwrap().as_string().unwrap();
        assert_eq!(js_printed.parse::<f64>().unwrap(), *x, "{s} printed by JS as {js_printed}");
    }
}

/// A spec read on the page (JSON.parse, then the core) holds exactly the numbers written.
#[wasm_bindgen_test]
fn specs_hold_the_numbers_json_parse_reads() {
    for (text, truth) in specs_holding(&seventeen_digit_numbers(10_000, 17)) {
        let page = web::resolve_spec(parse(&text)).unwrap();
        let spec: Spec = serde_wasm_bindgen::from_value(page).unwrap();
        let got: Vec<f64> = match spec.problem.x0 {
            Some(x0) => x0,
            None => spec.methods.iter().map(|m| m.lr.unwrap()).collect(),
        };
        assert_eq!(got.len(), truth.len());
        for (p, t) in got.iter().zip(&truth) {
            assert_eq!(p.to_bits(), t.to_bits(), "page {p:e}, exact {t:e}");
        }
    }
}

/// The page's spec objects are read by JSON's rules: an `undefined` property is absent (it takes
/// its default), `-0` stays a negative zero, and a value JSON cannot hold is refused by name.
#[wasm_bindgen_test]
fn spec_objects_are_read_by_jsons_rules() {
    let spec = parse(r#"{"problem": {"d": 2, "x0": [1, 1]}}"#);
    let problem = get(&spec, "problem");
    Reflect::set(&problem, &"rotation".into(), &JsValue::UNDEFINED).unwrap();
    let x0 = js_sys::Array::of2(&JsValue::from_f64(-0.0), &JsValue::from_f64(3.0));
    Reflect::set(&problem, &"x0".into(), &x0).unwrap();
    let resolved = get(&web::resolve_spec(spec.clone()).unwrap(), "problem");
    assert_eq!(get(&resolved, "rotation").as_f64().unwrap(), Spec::default().problem.rotation);
    let read = numbers(&get(&resolved, "x0"));
    assert!(read[0] == 0.0 && read[0].is_sign_negative() && read[1] == 3.0, "{read:?}");

    Reflect::set(&problem, &"d".into(), &js_sys::Function::new_no_args("")).unwrap();
    let err = js_sys::Error::from(web::resolve_spec(spec).unwrap_err()).message().as_string().unwrap();
    assert!(err.contains("spec") && err.contains("function"), "{err}");
}

/// The page's pool computes a sweep in shares of cells (`sweepCells`) and puts them together
/// (`assembleSweep`): the same JSON as `sweep` in one call; a share beyond the grid names `cells`.
#[wasm_bindgen_test]
fn a_sweep_in_shares_of_cells_is_the_whole_sweep() {
    let spec = || {
        parse(
            r#"{"problem": {"d": 8, "outliers": 2}, "run": {"steps": 400},
                "sweep": {"spread_max": 3, "spread_points": 3, "rotation_points": 2, "problems": 1, "tune_points": 3}}"#,
        )
    };
    let whole = js_sys::JSON::stringify(&web::sweep(spec(), None).unwrap()).unwrap();
    let cells = js_sys::Array::new();
    for share in [vec![0, 2, 4], vec![1, 3, 5]] {
        let got = js_sys::Array::from(&web::sweep_cells_js(spec(), share.clone(), None).unwrap());
        assert_eq!(got.length(), 3);
        for (j, &i) in share.iter().enumerate() {
            cells.set(i, got.get(j as u32));
        }
    }
    let assembled = js_sys::JSON::stringify(&web::assemble_sweep_js(spec(), cells.into()).unwrap()).unwrap();
    assert_eq!(assembled, whole);
    let e = web::sweep_cells_js(spec(), vec![6], None).unwrap_err();
    assert_eq!(get(&e, "field").as_string().unwrap(), "cells");
}

/// The page's pool makes a rotated quadratic in parts (www/compute.js): the parts kept give the
/// run of the whole, and parts that do not fit are refused by name.
#[wasm_bindgen_test]
fn a_rotated_quadratic_made_in_parts_runs_as_the_whole() {
    let spec = || parse(r#"{"problem": {"d": 37, "rotation": 0.8, "seed": 917}, "run": {"steps": 30}}"#);
    let other = || parse(r#"{"problem": {"d": 5, "rotation": 1, "seed": 918}, "run": {"steps": 3}}"#);
    let making = web::rotated_making(spec()).unwrap();
    assert_eq!(get(&making, "d").as_f64(), Some(37.0));
    // Making it counts as 2 d steps of one method against 2 methods of 30 steps.
    assert_eq!(get(&making, "share").as_f64(), Some(74.0 / 134.0));
    assert!(web::rotated_making(parse(r#"{"problem": {"d": 37, "rotation": 0}}"#)).unwrap().is_null());
    let parts = 3;
    let columns = js_sys::Array::new();
    for k in 0..parts {
        columns.push(&js_sys::Float64Array::from(&web::rotation_part(spec(), k, parts, None).unwrap()[..]));
    }
    let rows = js_sys::Array::new();
    for k in 0..parts {
        rows.push(&js_sys::Float64Array::from(
            &web::hessian_part_js(spec(), columns.clone(), k, parts, None).unwrap()[..],
        ));
    }
    web::run(other(), None).unwrap();
    assert!(!web::keeps(spec()).unwrap());
    web::keep_rotated(spec(), rows.clone()).unwrap();
    assert!(web::keeps(spec()).unwrap());
    let from_parts = js_sys::JSON::stringify(&web::run(spec(), None).unwrap()).unwrap();
    web::run(other(), None).unwrap();
    let whole = js_sys::JSON::stringify(&web::run(spec(), None).unwrap()).unwrap();
    assert_eq!(from_parts, whole);
    let message = |e: JsValue| e.dyn_into::<js_sys::Error>().unwrap().message().as_string().unwrap();
    columns.pop();
    assert!(message(web::hessian_part_js(spec(), columns, 0, parts, None).unwrap_err()).contains("rotation parts"));
    rows.shift();
    assert!(message(web::keep_rotated(spec(), rows).unwrap_err()).contains("hessian parts"));
    assert!(message(web::keep_rotated(other(), js_sys::Array::of1(&JsValue::from(1))).unwrap_err())
        .contains("Float64Array"));
}

/// The page's pool runs a run's methods apart (www/compute.js): the parts, each run on an instance
/// that has not kept the problem and in any order, put together are the whole run: a tuned step,
/// the spectral comparison, a method that diverges. Parts that do not fit the spec are refused
/// by name.
#[wasm_bindgen_test]
fn methods_run_apart_and_put_together_are_the_whole_run() {
    let spectral = steepest::experiment::presets().into_iter().find(|p| p.name == "spectral-quadratic").unwrap().spec;
    let specs = [
        serde_json::to_string(&spectral).unwrap(),
        r#"{"problem": {"d": 6, "rotation": 0.5, "seed": 3}, "run": {"steps": 40},
            "methods": [{"kind": "gd"}, {"kind": "gd", "rule": "const", "lr": 100}, {"kind": "sign_gd"}]}"#
            .to_string(),
    ];
    let other = || parse(r#"{"problem": {"d": 5, "rotation": 1, "seed": 918}, "run": {"steps": 3}}"#);
    let text = |v: &JsValue| js_sys::JSON::stringify(v).unwrap().as_string().unwrap();
    for json in &specs {
        let n = get(&parse(json), "methods").unchecked_into::<js_sys::Array>().length();
        let whole = web::run(parse(json), None).unwrap();
        let methods = js_sys::Array::new_with_length(n);
        for i in (0..n).rev() {
            web::run(other(), None).unwrap();
            methods.set(i, js_sys::Array::from(&web::run_methods(parse(json), vec![i], None).unwrap()).get(0));
        }
        let together = web::assemble_run_js(parse(json), methods.clone().into()).unwrap();
        assert_eq!(text(&together), text(&whole));
        if json.contains("\"lr\": 100") {
            assert_eq!(get(&methods.get(1), "status").as_string().as_deref(), Some("diverged"));
        }
    }
    let message = |e: JsValue| e.dyn_into::<js_sys::Error>().unwrap().message().as_string().unwrap();
    let spec = || parse(&specs[1]);
    assert!(message(web::run_methods(spec(), vec![3], None).unwrap_err())
        .starts_with("methods: 3 is given twice or is not"));
    let parts = js_sys::Array::from(&web::run_methods(spec(), vec![2, 0], None).unwrap());
    assert!(message(web::assemble_run_js(spec(), parts.into()).unwrap_err())
        .starts_with("methods: results of sign_gd, gd where"));
}

/// The 2-lane tanh and exp in f64x2 give libm's bits on every branch, as natively
/// (tests/elementary.rs).
#[wasm_bindgen_test]
fn two_lane_tanh_and_exp_give_the_bits_of_libm() {
    let wrong = mismatches(&tanh_inputs(3_000_000), tanh_in_place, libm::tanh);
    assert!(wrong.is_empty(), "tanh: {wrong:#?}");
    let wrong = mismatches(&exp_inputs(3_000_000), exp_in_place, libm::exp);
    assert!(wrong.is_empty(), "exp: {wrong:#?}");
}
