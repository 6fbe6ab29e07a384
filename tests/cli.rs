//! The command line as a user runs it.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn steepest(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_steepest"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The command may exit without reading its input (a usage error): a broken pipe is fine.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn defaults_run_and_print_every_documented_key() {
    let defaults = steepest(&["spec", "--defaults"], "");
    let spec_text = String::from_utf8(defaults.stdout.clone()).unwrap();
    json(&defaults);
    let result = json(&steepest(&["run", "--spec", "-"], &spec_text));
    for m in result["methods"].as_array().unwrap() {
        for key in ["label", "f", "grad_l2", "grad_l1", "density", "step", "status"] {
            assert!(m.get(key).is_some(), "missing {key}");
        }
        assert!(m.get("x").is_none(), "x is only recorded for d <= 3");
    }
    assert_eq!(result["spec"]["methods"][0]["rule"], "theory");
}

#[test]
fn same_spec_same_output() {
    let spec = r#"{"problem": {"rotation": 0.5, "d": 12, "seed": 7}, "methods": [{"kind": "sign_gd"}, {"kind": "adam", "tune": true}], "run": {"steps": 100}}"#;
    let a = steepest(&["run", "--spec", "-"], spec);
    let b = steepest(&["run", "--spec", "-"], spec);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn small_problems_record_iterates_and_csv_has_them() {
    let spec = r#"{"problem": {"kind": "quad2d"}, "methods": [{"kind": "gd"}], "run": {"steps": 5, "target": 0}}"#;
    let result = json(&steepest(&["run", "--spec", "-"], spec));
    assert_eq!(result["methods"][0]["x"].as_array().unwrap().len(), 6);
    let csv = steepest(&["run", "--spec", "-", "--format", "csv"], spec);
    let text = String::from_utf8(csv.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "label,t,f,grad_l2,grad_l1,grad_linf,density,step,x0,x1");
    assert_eq!(lines.len(), 7);
    assert!(lines[6].starts_with("\"GD (1/L)\",5,"));
}

#[test]
fn errors_go_to_stderr_with_nonzero_exit() {
    let out = steepest(&["run", "--spec", "-"], r#"{"run": {"steps": 1000000}}"#);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("run.steps") && err.contains("1 to 100000"), "{err}");
    assert!(out.stdout.is_empty());

    let out = steepest(&["run", "--spec", "-"], "not json");
    assert_eq!(out.status.code(), Some(1));

    let out = steepest(&["frobnicate"], "");
    assert_eq!(out.status.code(), Some(2));
    let out = steepest(&["run"], "");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn schema_has_type_range_default_and_help_for_every_parameter() {
    let schema = json(&steepest(&["spec", "--schema"], ""));
    for p in schema["params"].as_array().unwrap() {
        assert!(p["name"].is_string() && p["type"].is_string() && p["help"].is_string(), "{p}");
        if p["type"] == "integer" || p["type"] == "float" {
            // A method hyperparameter's default is each method's own, listed with the methods.
            let field = p["name"].as_str().unwrap().trim_start_matches("methods[].");
            let per_method = schema["methods"].as_array().unwrap().iter().any(|m| m["defaults"][field].is_number());
            assert!(p["min"].is_number() && p["max"].is_number() && (p["default"].is_number() || per_method), "{p}");
        }
    }
}

#[test]
fn smoothness_of_a_matrix_has_every_documented_key() {
    let out = json(&steepest(&["smoothness", "--matrix", "-"], r#"{"matrix": [[4, 1, 0], [1, 3, 1], [0, 1, 2]]}"#));
    for key in [
        "l2",
        "lambda_max",
        "lambda_mean",
        "trace",
        "abs_sum",
        "rho_diag",
        "linf_lower",
        "linf_upper",
        "linf_exact",
        "l_sep",
        "separable",
        "gap",
        "seconds",
    ] {
        assert!(out.get(key).is_some(), "missing {key}");
    }
    // Brute force: max over sign vectors of v^T H v is at v = (1, 1, 1): 4+3+2 + 2(1+1) = 13.
    assert_eq!(out["linf_exact"], 13.0);
    assert_eq!(out["trace"], 9.0);
    let lsep = out["l_sep"].as_f64().unwrap();
    assert!((13.0..=13.0 * std::f64::consts::FRAC_PI_2).contains(&lsep));
}

#[test]
fn smoothness_never_mode_leaves_exact_null_and_bad_matrices_are_named() {
    let rows: Vec<Vec<f64>> =
        (0..6).map(|i| (0..6).map(|j| if i == j { 3.0 } else { 1.0 / (1.0 + (i + j) as f64) }).collect()).collect();
    let text = serde_json::to_string(&rows).unwrap();
    let out = json(&steepest(&["smoothness", "--matrix", "-", "--exact", "never"], &text));
    assert!(out["linf_exact"].is_null() || out["linf_exact_method"].as_str().unwrap().starts_with("bounds meet"));

    let bad = steepest(&["smoothness", "--matrix", "-"], "[[1, 2], [2.5, 1]]");
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not symmetric"));
    let bad = steepest(&["smoothness", "--matrix", "-", "--exact", "sometimes"], "[[1]]");
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn smoothness_of_a_spec_is_global_for_quadratics_and_local_otherwise() {
    let out = json(&steepest(&["smoothness", "--spec", "-"], r#"{"problem": {"d": 8, "rotation": 0}}"#));
    assert_eq!(out["scope"], "global");
    // Diagonal with 2 eigenvalues at 100 and 6 at 1: L_inf = tr H = 206 = L_sep.
    assert_eq!(out["linf_exact"], 206.0);
    assert_eq!(out["rho_diag"], 1.0);
    let out = json(&steepest(&["smoothness", "--spec", "-"], r#"{"problem": {"kind": "rosenbrock", "d": 3}}"#));
    assert_eq!(out["scope"], "local at x0");
}

#[test]
fn presets_run_by_name_and_list_their_urls() {
    let list = json(&steepest(&["presets"], ""));
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"outliers-diagonal") && names.contains(&"outliers-rotated"));
    for p in list.as_array().unwrap() {
        assert!(p["query"].as_str().unwrap().starts_with(&format!("preset={}&", p["name"].as_str().unwrap())));
        assert!(!p["look_for"].as_str().unwrap().is_empty());
    }
    let out = json(&steepest(&["run", "--preset", "outliers-diagonal"], ""));
    assert_eq!(out["spec"]["problem"]["d"], 10);
    let bad = steepest(&["run", "--preset", "nope"], "");
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("outliers-diagonal"));
}

#[test]
fn sweep_prints_a_map_as_json_or_csv() {
    let spec = r#"{"problem": {"d": 10, "outliers": 1}, "run": {"steps": 3000},
        "sweep": {"spread_min": 1.5, "spread_max": 4, "spread_points": 2, "rotation_points": 2, "problems": 1}}"#;
    let out = json(&steepest(&["sweep", "--spec", "-"], spec));
    assert_eq!(out["cells"].as_array().unwrap().len(), 4);
    assert!(out["spearman"].is_number());
    let csv = steepest(&["sweep", "--spec", "-", "--format", "csv"], spec);
    let text = String::from_utf8(csv.stdout).unwrap();
    assert_eq!(text.lines().count(), 5);
    assert!(text.starts_with("spread,rotation,rho_diag,predicted,measured,censored"));
    let bad =
        steepest(&["sweep", "--spec", "-"], r#"{"problem": {"d": 10, "outliers": 2}, "sweep": {"spread_max": 9}}"#);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("sweep.spread_max"));
}

#[test]
fn smoothness_along_a_trajectory_is_labelled_local() {
    let spec = r#"{"problem": {"kind": "rosenbrock", "d": 4}, "methods": [{"kind": "adam", "lr": 0.01}], "run": {"steps": 300, "target": 0}}"#;
    let out = json(&steepest(&["smoothness", "--spec", "-", "--along-trajectory", "6"], spec));
    assert!(out["scope"].as_str().unwrap().starts_with("local along the trajectory of Adam"));
    let points = out["points"].as_array().unwrap();
    assert_eq!(points.len(), 7);
    let max_l2 = points.iter().map(|p| p["l2"].as_f64().unwrap()).fold(0.0, f64::max);
    assert_eq!(out["max_l2"].as_f64().unwrap(), max_l2);
    let bad = steepest(&["smoothness", "--spec", "-", "--along-trajectory", "0"], spec);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn anatomy_at_several_checkpoints_and_its_errors() {
    let spec = r#"{"problem": {"kind": "rosenbrock", "d": 4}, "methods": [{"kind": "gd", "rule": "const", "lr": 0.001}], "run": {"steps": 50}}"#;
    let out = json(&steepest(&["anatomy", "--spec", "-", "--at", "0,25,50"], spec));
    let list = out.as_array().unwrap();
    assert_eq!(list.iter().map(|a| a["step"].as_u64().unwrap()).collect::<Vec<_>>(), vec![0, 25, 50]);
    // The checkpoints are later iterates of GD, below the start; each analysis carries its
    // spectrum and both matrices' read-outs.
    let f: Vec<f64> = list.iter().map(|a| a["f"].as_f64().unwrap()).collect();
    assert!(f[1] < f[0] && f[2] < f[0], "{f:?}");
    for a in list {
        assert_eq!(a["histogram"]["counts"].as_array().unwrap().iter().map(|c| c.as_f64().unwrap()).sum::<f64>(), 4.0);
        assert!(a["hessian"]["rho_diag"].is_number() && a["rotated"]["heat"]["cells"].as_array().unwrap().len() == 16);
    }
    let bad = steepest(&["anatomy", "--spec", "-", "--at", "0,99"], spec);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("analysis.step"));
    let usage = steepest(&["anatomy", "--spec", "-", "--at", "zero"], spec);
    assert_eq!(usage.status.code(), Some(2));
}
