//! The `steepest` command line: a thin shell over the library. JSON in, JSON (or CSV) out;
//! errors on stderr with a non-zero exit code.

use serde::Serialize;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;
use std::time::Instant;
use steepest::experiment::{
    build, dense_hessian, hessian_anatomy, parse_matrix, preset, preset_names, presets, run_spec, run_sweep,
    spec_geometry, sweep_csv, to_csv, trajectory_geometry, TraceTable,
};
use steepest::smoothness::{report, ExactMode, ReportOptions};
use steepest::spec::{schema, AnalysisSpec, Spec};

const USAGE: &str = "\
steepest: steepest descent, sign GD and the geometry that decides between them

USAGE:
  steepest run (--spec FILE|- | --preset NAME) [--format json|csv]
      run an experiment spec (JSON; - reads stdin) or a preset and print the traces
  steepest sweep (--spec FILE|- | --preset NAME) [--format json|csv]
      the spread x rotation map of GD against sign GD: measured and predicted advantage per cell
  steepest presets
      list the presets: name, title, what to look at, and the page's URL query
  steepest smoothness (--matrix FILE|- | --spec FILE|-) [--exact auto|always|never] [--seed N]
                      [--along-trajectory N]
      smoothness report of a symmetric matrix ({\"matrix\": [[...]]} or an array of rows) or of a
      spec's objective: L_2, the L_inf bracket (exact when affordable), certified L_sep, rho_diag;
      with --along-trajectory N, the read-outs at N + 1 points of the first method's run and their
      maxima (for objectives whose Hessian changes, e.g. rosenbrock)
  steepest anatomy (--spec FILE|- | --preset NAME) [--at STEP,STEP,...]
      the Hessian analysis at a checkpoint (spec section hessian: method, step, bins): spectrum
      and histogram, rho_diag of the whole and of each layer, the |H_ij| picture and the L_inf
      bracket, each beside a matrix with the same spectrum under a Haar-random rotation; --at
      takes several checkpoints in one call (a JSON array)
  steepest hessian --spec FILE|-
      print a spec's Hessian ({\"matrix\": [[...]]}; at x0 when it is not constant), to take the
      problem to other tools
  steepest spec --defaults      print the default spec
  steepest spec --schema        print every parameter: type, range, default, help
  steepest help                 this text

Any parameter left out of a spec takes its default; see `steepest spec --schema`.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(CliError::Usage(msg)) => {
            eprintln!("error: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(CliError::Failed(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}

enum CliError {
    /// Wrong command line: exit code 2 with the usage text.
    Usage(String),
    /// Bad input or a failed run: exit code 1.
    Failed(String),
}

/// `--flag value` pairs, each flag one of `allowed`.
struct Options<'a>(Vec<(&'a str, &'a str)>);

impl<'a> Options<'a> {
    fn parse(args: &[&'a str], allowed: &[&str]) -> Result<Self, CliError> {
        let mut pairs = Vec::new();
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            if !allowed.contains(flag) {
                return Err(CliError::Usage(format!("unknown option {flag}; allowed here: {}", allowed.join(", "))));
            }
            let value = it.next().ok_or_else(|| CliError::Usage(format!("{flag} needs a value")))?;
            pairs.push((*flag, *value));
        }
        Ok(Options(pairs))
    }

    fn get(&self, flag: &str) -> Option<&'a str> {
        self.0.iter().rev().find(|(f, _)| *f == flag).map(|(_, v)| *v)
    }
}

fn dispatch(args: &[String]) -> Result<String, CliError> {
    let strs: Vec<&str> = args.iter().map(String::as_str).collect();
    match strs.as_slice() {
        [] | ["help" | "--help" | "-h"] => Ok(USAGE.to_string()),
        ["spec", "--defaults"] => Ok(Spec::default().to_json_pretty()),
        ["spec", "--schema"] => Ok(serde_json::to_string_pretty(&schema()).expect("schema serialises")),
        ["presets"] => Ok(serde_json::to_string_pretty(&presets()).expect("presets serialise")),
        ["sweep", rest @ ..] => {
            let opts = Options::parse(rest, &["--spec", "--preset", "--format"])?;
            let spec = spec_or_preset(&opts, "sweep")?;
            let result = run_sweep(&spec, &mut |_| true).map_err(|e| CliError::Failed(format!("invalid spec: {e}")))?;
            match opts.get("--format").unwrap_or("json") {
                "json" => Ok(to_json(&result)),
                "csv" => Ok(sweep_csv(&result).trim_end().to_string()),
                other => Err(CliError::Usage(format!("--format {other}: allowed json or csv"))),
            }
        }
        ["run", rest @ ..] => {
            let opts = Options::parse(rest, &["--spec", "--preset", "--format"])?;
            let spec = spec_or_preset(&opts, "run")?;
            let result = run_spec(&spec).map_err(|e| CliError::Failed(format!("invalid spec: {e}")))?;
            match opts.get("--format").unwrap_or("json") {
                "json" => Ok(to_json(&result)),
                "csv" => Ok(to_csv(&TraceTable::of(&result)).trim_end().to_string()),
                other => Err(CliError::Usage(format!("--format {other}: allowed json or csv"))),
            }
        }
        ["anatomy", rest @ ..] => anatomy(&Options::parse(rest, &["--spec", "--preset", "--at"])?),
        ["hessian", rest @ ..] => {
            let opts = Options::parse(rest, &["--spec"])?;
            let spec =
                read_spec(&opts)?.ok_or_else(|| CliError::Usage("hessian needs --spec FILE or --spec -".into()))?;
            let task = spec.run_task().map_err(|e| CliError::Failed(format!("invalid spec: {e}")))?;
            let problem = build(&task);
            let obj = problem.objective.as_ref();
            let h = dense_hessian(obj, &problem.x0).map_err(|e| CliError::Failed(e.to_string()))?;
            Ok(to_json(&serde_json::json!({ "matrix": h.to_rows() })))
        }
        ["smoothness", rest @ ..] => {
            smoothness(&Options::parse(rest, &["--matrix", "--spec", "--exact", "--seed", "--along-trajectory"])?)
        }
        [cmd, ..] => Err(CliError::Usage(format!("unknown command or options: {cmd}"))),
    }
}

fn anatomy(opts: &Options) -> Result<String, CliError> {
    let spec = spec_or_preset(opts, "anatomy")?;
    let analyse = |step: u64| {
        let start = Instant::now();
        let spec = Spec { analysis: AnalysisSpec { step, ..spec.analysis.clone() }, ..spec.clone() };
        let a = hessian_anatomy(&spec, &mut |_| true).map_err(|e| CliError::Failed(format!("invalid spec: {e}")))?;
        Ok::<_, CliError>(Timed { report: a, seconds: start.elapsed().as_secs_f64() })
    };
    match opts.get("--at") {
        None => Ok(to_json(&analyse(spec.analysis.step)?)),
        Some(list) => {
            let steps = list
                .split(',')
                .map(|s| {
                    s.trim().parse::<u64>().map_err(|_| {
                        CliError::Usage(format!("--at {list}: allowed comma-separated step numbers, e.g. 0,100,200"))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(to_json(&steps.into_iter().map(analyse).collect::<Result<Vec<_>, _>>()?))
        }
    }
}

/// A result with the seconds it took.
#[derive(Serialize)]
struct Timed<T: Serialize> {
    #[serde(flatten)]
    report: T,
    seconds: f64,
}

fn smoothness(opts: &Options) -> Result<String, CliError> {
    let exact = match opts.get("--exact").unwrap_or("auto") {
        "auto" => ExactMode::Auto,
        "always" => ExactMode::Always,
        "never" => ExactMode::Never,
        other => return Err(CliError::Usage(format!("--exact {other}: allowed auto, always or never"))),
    };
    let seed = match opts.get("--seed") {
        Some(s) => {
            s.parse().map_err(|_| CliError::Usage(format!("--seed {s}: allowed an integer from 0 to 2^64 - 1")))?
        }
        None => 1,
    };
    let options = ReportOptions { exact, seed, ..Default::default() };
    let start = Instant::now();
    let mut last = Instant::now();
    let show = std::io::stderr().is_terminal();
    // Progress on a terminal, at most once a second; long exact computations can be long.
    let mut progress = |f: f64| {
        if show && last.elapsed().as_secs_f64() >= 1.0 {
            eprint!("\rexact L_inf: {:>3.0}% ", 100.0 * f);
            last = Instant::now();
        }
        true
    };
    let failed = |e: steepest::Error| CliError::Failed(e.to_string());
    let out = match (opts.get("--matrix"), read_spec(opts)?) {
        (Some(path), None) => {
            let h = parse_matrix(&read_input(path)?).map_err(failed)?;
            let r = report(&h, &options, &mut progress).map_err(failed)?;
            to_json(&Timed { report: r, seconds: start.elapsed().as_secs_f64() })
        }
        (None, Some(spec)) => match opts.get("--along-trajectory") {
            Some(n) => {
                let points = n.parse::<usize>().ok().filter(|p| (1..=200).contains(p)).ok_or_else(|| {
                    CliError::Usage(format!("--along-trajectory {n}: allowed an integer from 1 to 200"))
                })?;
                let r = trajectory_geometry(&spec, &options, points, &mut progress)
                    .map_err(|e| CliError::Failed(e.to_string()))?;
                to_json(&Timed { report: r, seconds: start.elapsed().as_secs_f64() })
            }
            None => {
                let r = spec_geometry(&spec, &options, &mut progress).map_err(failed)?;
                to_json(&Timed { report: r, seconds: start.elapsed().as_secs_f64() })
            }
        },
        _ => return Err(CliError::Usage("smoothness needs exactly one of --matrix or --spec".into())),
    };
    if show {
        eprint!("\r");
    }
    Ok(out)
}

/// The spec of --spec or --preset (exactly one).
fn spec_or_preset(opts: &Options, command: &str) -> Result<Spec, CliError> {
    match (read_spec(opts)?, opts.get("--preset")) {
        (Some(spec), None) => Ok(spec),
        (None, Some(name)) => preset(name)
            .map(|p| p.spec)
            .ok_or_else(|| CliError::Failed(format!("--preset {name}: allowed one of {}", preset_names().join(", ")))),
        _ => Err(CliError::Usage(format!("{command} needs exactly one of --spec FILE|- or --preset NAME"))),
    }
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("results serialise")
}

fn read_spec(opts: &Options) -> Result<Option<Spec>, CliError> {
    match opts.get("--spec") {
        None => Ok(None),
        Some(path) => {
            Spec::from_json(&read_input(path)?).map(Some).map_err(|e| CliError::Failed(format!("invalid spec: {e}")))
        }
    }
}

fn read_input(path: &str) -> Result<String, CliError> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| CliError::Failed(format!("reading stdin: {e}")))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| CliError::Failed(format!("reading {path}: {e}")))
    }
}
