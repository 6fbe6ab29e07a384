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
            // A default that follows other fields is stated as its rule.
            let auto = p["auto"].is_string() && p["default"].is_null();
            assert!(
                p["min"].is_number() && p["max"].is_number() && (p["default"].is_number() || per_method || auto),
                "{p}"
            );
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
fn smoothness_reads_npy_and_text_matrix_files() {
    // The 3 x 3 matrix of the test above, whose exact L_inf is 13 by brute force, written by
    // `numpy.save(f, np.array([[4, 1, 0], [1, 3, 1], [0, 1, 2]], dtype=np.int64))` (numpy 2.4.6),
    // and by hand as text in the forms people write; then a complex matrix, `np.array([[1j]])`.
    let npy = b"\x93NUMPY\x01\x00v\x00{'descr': '<i8', 'fortran_order': False, 'shape': (3, 3), }                                                          \n\x04\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00";
    let dir = std::env::temp_dir().join(format!("steepest-cli-matrix-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files: [(&str, &[u8]); 3] =
        [("h.npy", npy), ("h.csv", b"4,1,0\n1,3,1\n0,1,2\n"), ("h.txt", b"4 1 0; 1 3 1; 0 1 2")];
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = json(&steepest(&["smoothness", "--matrix", path.to_str().unwrap()], ""));
        assert_eq!((out["linf_exact"].as_f64(), out["trace"].as_f64()), (Some(13.0), Some(9.0)), "{name}");
    }
    let bad = dir.join("complex.npy");
    std::fs::write(&bad, b"\x93NUMPY\x01\x00v\x00{'descr': '<c16', 'fortran_order': False, 'shape': (1, 1), }                                                         \n\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xf0?").unwrap();
    let out = steepest(&["smoothness", "--matrix", bad.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("<c16") && err.contains("complex"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
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
    // An unknown preset is a usage error, listing the names.
    let bad = steepest(&["run", "--preset", "nope"], "");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("outliers-diagonal"));
}

#[test]
fn sweep_prints_a_map_as_json_or_csv() {
    let spec = r#"{"problem": {"d": 10, "outliers": 1}, "run": {"steps": 3000},
        "sweep": {"spread_min": 1.5, "spread_max": 4, "spread_points": 2, "rotation_points": 2, "problems": 1}}"#;
    let out = json(&steepest(&["sweep", "--spec", "-"], spec));
    assert_eq!(out["cells"].as_array().unwrap().len(), 4);
    for number in ["ceiling", "predicted"] {
        assert!(out[number]["spearman"].is_number() && out[number]["winners"].is_number(), "{number}");
    }
    for field in ["ceiling", "predicted", "measured"] {
        assert!(out["cells"][0][field].as_f64().is_some_and(|v| v > 0.0), "{field}");
    }
    let csv = steepest(&["sweep", "--spec", "-", "--format", "csv"], spec);
    let text = String::from_utf8(csv.stdout).unwrap();
    assert_eq!(text.lines().count(), 5);
    assert!(text.starts_with("spread,rotation,rho_diag,ceiling,predicted,measured,censored,linf_exact\n"));
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
        // GD's and sign descent's geometry at the checkpoint; a plain vector has no spectral one.
        let norms: Vec<&str> = a["geometry"].as_array().unwrap().iter().map(|n| n["norm"].as_str().unwrap()).collect();
        assert_eq!(norms, ["l2", "linf"]);
    }
    let bad = steepest(&["anatomy", "--spec", "-", "--at", "0,99"], spec);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("analysis.step"));
    let usage = steepest(&["anatomy", "--spec", "-", "--at", "zero"], spec);
    assert_eq!(usage.status.code(), Some(2));
    // Fuzz reproducer (seed 1, case 74): 150 checkpoints were 150 analyses, minutes of work; the
    // list is refused by name, at once.
    let many = vec!["3"; 150].join(",");
    let long = steepest(&["anatomy", "--spec", "-", "--at", &many], spec);
    assert_eq!(long.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&long.stderr).contains("--at: 150 checkpoints given; allowed: at most 20"));
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn every_subcommand_has_help_and_the_binary_a_version() {
    let help = steepest(&["--help"], "");
    assert!(help.status.success());
    let commands = ["run", "sweep", "presets", "smoothness", "analysis", "hessian-matrix", "url", "spec"];
    for c in commands {
        assert!(text(&help.stdout).contains(&format!("\n  {c} ")), "{c} missing from --help");
        let sub = steepest(&[c, "--help"], "");
        assert!(sub.status.success(), "{c} --help");
        assert!(text(&sub.stdout).contains(&format!("Usage: steepest {c}")), "{c}: {}", text(&sub.stdout));
    }
    let version = steepest(&["--version"], "");
    assert_eq!(text(&version.stdout), format!("steepest {}\n", env!("CARGO_PKG_VERSION")));
    // The bare command prints the help, as it always did.
    assert_eq!(steepest(&[], "").stdout, help.stdout);
}

#[test]
fn flags_take_their_value_after_an_equals_sign() {
    let spec = r#"{"problem": {"kind": "quad2d"}, "methods": [{"kind": "gd"}], "run": {"steps": 5, "target": 0}}"#;
    let spaced = steepest(&["run", "--spec", "-", "--format", "csv"], spec);
    let joined = steepest(&["run", "--spec=-", "--format=csv"], spec);
    assert!(joined.status.success());
    assert_eq!(joined.stdout, spaced.stdout);
}

#[test]
fn a_bare_spec_prints_the_defaults() {
    let bare = steepest(&["spec"], "");
    assert!(bare.status.success());
    assert_eq!(bare.stdout, steepest(&["spec", "--defaults"], "").stdout);
    let defaults = json(&bare);
    assert_eq!(defaults["methods"].as_array().unwrap().len(), 2);
}

#[test]
fn set_takes_the_page_keys_over_a_spec_a_preset_or_the_defaults() {
    let spec = json(&steepest(&["spec", "--set", "d=50", "--set", "rotation=0.3", "--set", "m1.lr=0.25"], ""));
    assert_eq!(spec["problem"]["d"], 50);
    assert_eq!(spec["problem"]["rotation"], 0.3);
    assert_eq!(spec["methods"][0]["kind"], "gd");
    assert_eq!((&spec["methods"][1]["kind"], &spec["methods"][1]["lr"]), (&"sign_gd".into(), &0.25.into()));
    // Over a preset: only the named field changes.
    let preset = json(&steepest(&["spec", "--preset", "outliers-rotated"], ""));
    let mut changed = json(&steepest(&["spec", "--preset", "outliers-rotated", "--set", "steps=77"], ""));
    assert_eq!(changed["run"]["steps"], 77);
    changed["run"]["steps"] = preset["run"]["steps"].clone();
    assert_eq!(changed, preset);
    // Over a spec file, and the run uses it.
    let out = json(&steepest(
        &["run", "--spec", "-", "--set", "m0=adam", "--set", "m0.lr=0.01"],
        r#"{"run": {"steps": 20}}"#,
    ));
    assert_eq!(out["spec"]["run"]["steps"], 20);
    assert_eq!(out["methods"].as_array().unwrap().len(), 1);
    assert_eq!(out["methods"][0]["kind"], "adam");
    assert_eq!(out["methods"][0]["lr"], 0.01);
}

#[test]
fn bad_set_pairs_are_usage_errors_naming_the_key_and_range() {
    let out = steepest(&["run", "--set", "d=5000", "--set", "bogus=1", "--set", "m0.lr=fast"], "");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines[0].starts_with("error: --set d = 5000") && lines[0].contains("1 to 2000"), "{err}");
    assert!(lines[1].contains("unknown parameter bogus"), "{err}");
    assert!(lines[2].contains("m0.lr") && lines[2].contains("not a finite number"), "{err}");
    assert!(out.stdout.is_empty());
    // Page keys are not spec keys; a pair needs its '='.
    assert_eq!(steepest(&["run", "--set", "view=sweep"], "").status.code(), Some(2));
    assert_eq!(steepest(&["run", "--set", "d"], "").status.code(), Some(2));
    // Each pair is fine alone, the spec they make is not: exit 1, as for a bad spec file.
    let out = steepest(&["run", "--set", "lambda_max=50", "--set", "lambda_min=80"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("problem.lambda_min"));
}

#[test]
fn url_prints_the_query_the_page_reads() {
    let list = json(&steepest(&["presets"], ""));
    for p in list.as_array().unwrap() {
        let name = p["name"].as_str().unwrap();
        let url = steepest(&["url", "--preset", name], "");
        assert_eq!(
            text(&url.stdout),
            format!("{}\n", p["query"].as_str().unwrap().strip_prefix(&format!("preset={name}&")).unwrap())
        );
    }
    let query = text(&steepest(&["url", "--set", "d=50", "--set", "m0=adam", "--set", "m0.lr=0.125"], "").stdout);
    // Only what differs from the defaults, and the version.
    assert_eq!(query, "v=1&d=50&m0=adam&m0.lr=0.125\n");
    assert_eq!(text(&steepest(&["url", "--set", "steps=500"], "").stdout), "v=1\n");
    // The query fed back as pairs gives the same spec.
    let pairs: Vec<String> = query.trim_end().split('&').flat_map(|kv| ["--set".to_string(), kv.to_string()]).collect();
    let mut args = vec!["spec"];
    args.extend(pairs.iter().map(String::as_str));
    let back = json(&steepest(&args, ""));
    assert_eq!(back, json(&steepest(&["spec", "--set", "d=50", "--set", "m0=adam", "--set", "m0.lr=0.125"], "")));
    let full = text(&steepest(&["url", "--set", "d=5", "--base", "http://127.0.0.1:8080/"], "").stdout);
    assert!(full.starts_with("http://127.0.0.1:8080/?v=1&"), "{full}");
    let embedded = text(&steepest(&["url", "--set", "d=5", "--base", "https://host/steepest/?embed=1"], "").stdout);
    assert!(embedded.starts_with("https://host/steepest/?embed=1&v=1&"), "{embedded}");
    // A matrix too large for a link is left out of it, with a note.
    let rows: Vec<Vec<u8>> = (0..31).map(|i| (0..31).map(|j| u8::from(i == j)).collect()).collect();
    let spec = serde_json::json!({"problem": {"kind": "matrix", "matrix": rows}}).to_string();
    let out = steepest(&["url", "--spec", "-"], &spec);
    assert_eq!(text(&out.stdout), "v=1&problem=matrix\n");
    assert!(text(&out.stderr).contains("31 x 31 matrix is above 30 x 30"), "{}", text(&out.stderr));
}

#[test]
fn old_command_names_still_work_with_a_deprecation_note() {
    let spec = r#"{"problem": {"kind": "quad2d"}}"#;
    let new = steepest(&["hessian-matrix", "--spec", "-"], spec);
    let old = steepest(&["hessian", "--spec", "-"], spec);
    assert_eq!(old.stdout, new.stdout);
    assert!(json(&new)["matrix"].is_array() && new.stderr.is_empty());
    assert!(text(&old.stderr).contains("deprecated") && text(&old.stderr).contains("hessian-matrix"));

    let spec = r#"{"problem": {"kind": "rosenbrock", "d": 3}, "methods": [{"kind": "gd", "rule": "const", "lr": 0.001}], "run": {"steps": 5}}"#;
    let new = json(&steepest(&["analysis", "--spec", "-"], spec));
    let old = steepest(&["anatomy", "--spec", "-"], spec);
    assert!(text(&old.stderr).contains("deprecated") && text(&old.stderr).contains("analysis"));
    assert_eq!(json(&old)["spectrum"], new["spectrum"]);
}

#[test]
fn a_closed_or_full_stdout_ends_without_a_panic() {
    // The run prints about 140 kB, more than a pipe holds: the write meets the closed pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_steepest"))
        .args(["run", "--preset", "outliers-diagonal"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Quietly: the preset's checked claims, and nothing about the pipe.
    assert!(text(&out.stderr).starts_with("claims of preset outliers-diagonal:"), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("error") && !text(&out.stderr).contains("panick"), "{}", text(&out.stderr));

    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_steepest")).arg("presets").stdout(full).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("error: writing the output:"), "{}", text(&out.stderr));
}

#[cfg(unix)]
#[test]
fn file_names_are_paths_not_text() {
    use std::os::unix::ffi::OsStrExt;
    let dir = std::env::temp_dir().join(format!("steepest-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(std::ffi::OsStr::from_bytes(b"caf\xe9.json"));
    std::fs::write(&path, r#"{"problem": {"kind": "quad2d"}, "run": {"steps": 3}}"#).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_steepest")).arg("run").arg("--spec").arg(&path).output().unwrap();
    assert_eq!(json(&out)["spec"]["run"]["steps"], 3);
    let missing = dir.join(std::ffi::OsStr::from_bytes(b"nope\xff.json"));
    let out = Command::new(env!("CARGO_BIN_EXE_steepest")).arg("run").arg("--spec").arg(&missing).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("error: reading "), "{}", text(&out.stderr));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Fuzz reproducers (seed 7, cases 490, 588): text options given bytes that are not UTF-8 are
/// named, with the value as far as it reads.
#[cfg(unix)]
#[test]
fn text_options_that_are_not_utf8_are_named() {
    use std::os::unix::ffi::OsStrExt;
    for option in ["--set", "--preset"] {
        let out = Command::new(env!("CARGO_BIN_EXE_steepest"))
            .args(["run", option])
            .arg(std::ffi::OsStr::from_bytes(b"caf\xe9=1"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            text(&out.stderr).trim_end(),
            format!(
                "error: {option}: caf\u{fffd}=1 is not valid UTF-8; it takes text (file names may hold other bytes)"
            )
        );
    }
}

/// Endless input stops at MAX_INPUT_BYTES, and the message's size is the README's: 129,048,576
/// bytes, 123 MiB (it said "123 MB" where the README said 129 MB).
#[cfg(unix)]
#[test]
fn endless_input_stops_at_the_documented_size() {
    let out = steepest(&["run", "--spec", "/dev/zero"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("error: reading /dev/zero: more than 129048576 bytes (123 MiB); "),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn messages_escape_control_characters() {
    // A spec whose method kind would clear the screen and reverse the text that follows.
    let out = steepest(&["run", "--spec", "-"], r#"{"methods": [{"kind": "\u001b[2J\u202e\u0000"}]}"#);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains(r"\u{1b}[2J\u{202e}\u{0}"), "{err}");
    assert!(!err.chars().any(|c| c.is_control() && c != '\n' || c == '\u{202e}'), "{err:?}");
    // The same through --set, and through the argument parser's own errors.
    let cases: [(&[&str], &str); 2] = [
        (&["run", "--set", "m0=\u{1b}]0;owned\u{7}"], r"\u{1b}]0;owned\u{7}"),
        (&["run", "--preset", "sweep", "--format", "\u{202e}csv"], r"\u{202e}csv"),
    ];
    for (args, shown) in cases {
        let out = steepest(args, "");
        assert_eq!(out.status.code(), Some(2));
        let err = text(&out.stderr);
        assert!(err.contains(shown), "{err}");
        assert!(!err.chars().any(|c| c.is_control() && c != '\n' || c == '\u{202e}'), "{err:?}");
    }
}
