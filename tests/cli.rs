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
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
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
            assert!(p["min"].is_number() && p["max"].is_number() && p["default"].is_number(), "{p}");
        }
    }
}
