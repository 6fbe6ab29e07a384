//! Each subcommand: read its spec or matrix, call the library, and return the text for stdout.

use crate::output::{self, say};
use crate::source::read_bytes;
use crate::{AnalysisArgs, CliError, Command, Exact, Format, RunArgs, SmoothnessArgs, SourceArgs, SpecArgs, UrlArgs};
use serde::Serialize;
use std::io::IsTerminal;
use std::time::Instant;
use steepest::experiment::{
    build, check_claims, checkpoint_specs, dense_hessian, hessian_anatomy, preset, presets, read_matrix_file,
    run_spec_watched, run_sweep, spec_geometry, spec_geometry_kept, sweep_csv, to_csv, trajectory_geometry, Claim,
    ClaimInput, HessianAnatomy, Kept, SweepTable, TraceTable,
};
use steepest::smoothness::{report, ExactMode, ReportOptions};
use steepest::spec::url::{to_query, URL_MATRIX_MAX};
use steepest::spec::{schema, Spec};

pub fn dispatch(command: Command) -> Result<String, CliError> {
    match command {
        Command::Run(args) => run(&args),
        Command::Sweep(args) => sweep(&args),
        Command::Presets => Ok(serde_json::to_string_pretty(&presets()).expect("presets serialise")),
        Command::Smoothness(args) => smoothness(&args),
        Command::Analysis(args) => analysis(&args),
        Command::Anatomy(args) => {
            say("note: `steepest anatomy` is deprecated; it is now `steepest analysis`");
            analysis(&args)
        }
        Command::HessianMatrix(args) => hessian_matrix(&args),
        Command::Hessian(args) => {
            say("note: `steepest hessian` is deprecated; it is now `steepest hessian-matrix`");
            hessian_matrix(&args)
        }
        Command::Url(args) => url(&args),
        Command::Spec(args) => spec(&args),
    }
}

fn invalid(e: impl std::fmt::Display) -> CliError {
    CliError::failed(format!("invalid spec: {e}"))
}

/// A preset's claims, checked on the results just computed, on stderr (stdout stays the data):
/// one line each, ✓ or ✗, with the numbers it was decided on. With `--set` the settings are no
/// longer the preset's, and the heading says so.
fn print_claims(source: &crate::source::SpecSource, input: impl FnOnce(&[Claim]) -> ClaimInput) {
    let Some(p) = source.preset.as_deref().and_then(preset) else { return };
    if p.claims.is_empty() {
        return;
    }
    let modified = if source.set.is_empty() { "" } else { " (on settings modified by --set)" };
    say(&format!("claims of preset {}{modified}:", p.name));
    for c in check_claims(&p.claims, &input(&p.claims)) {
        let mark = match c.holds {
            Some(true) => "✓",
            Some(false) => "✗",
            None => "?",
        };
        say(&format!("  {mark} {} ({})", c.text, c.evidence));
    }
}

fn run(args: &RunArgs) -> Result<String, CliError> {
    let spec = args.source.spec()?;
    // The claims' report reads the problem the run made.
    let mut kept = Kept::default();
    let result = run_spec_watched(&spec, &mut kept, &mut |_, _| true).map_err(invalid)?;
    print_claims(&args.source, |claims| {
        let report = claims
            .iter()
            .any(Claim::needs_report)
            .then(|| {
                spec_geometry_kept(&spec, &mut kept, &ReportOptions::default(), &mut |_| true).ok().map(|g| g.report)
            })
            .flatten();
        ClaimInput::of(Some(&result), report.as_ref(), None, None)
    });
    Ok(match args.format {
        Format::Json => to_json(&result),
        Format::Csv => to_csv(&TraceTable::of(&result)).trim_end().to_string(),
    })
}

fn sweep(args: &RunArgs) -> Result<String, CliError> {
    let result = run_sweep(&args.source.spec()?, &mut |_| true).map_err(invalid)?;
    print_claims(&args.source, |_| ClaimInput::of(None, None, Some(&result), None));
    Ok(match args.format {
        Format::Json => to_json(&result),
        Format::Csv => sweep_csv(&SweepTable::of(&result)).trim_end().to_string(),
    })
}

/// Checkpoints one `--at` may list (as many as `analysis.track` points): each is a whole analysis,
/// the run to it and the dense spectrum, so the list's length is the command's work.
const MAX_CHECKPOINTS: usize = 20;

fn analysis(args: &AnalysisArgs) -> Result<String, CliError> {
    if let Some(steps) = args.at.as_ref().filter(|s| s.len() > MAX_CHECKPOINTS) {
        return Err(CliError::usage(format!(
            "--at: {} checkpoints given; allowed: at most {MAX_CHECKPOINTS} (each is a whole analysis)",
            steps.len()
        )));
    }
    let spec = args.source.spec()?;
    let analyse = |spec: &Spec, budget_note: Option<String>| {
        let start = Instant::now();
        let report = HessianAnatomy { budget_note, ..hessian_anatomy(spec, &mut |_| true).map_err(invalid)? };
        Ok::<_, CliError>(Timed::since(start, report))
    };
    match &args.at {
        None => {
            let timed = analyse(&spec, None)?;
            print_claims(&args.source, |_| ClaimInput::of(None, None, None, Some(&timed.report)));
            Ok(to_json(&timed))
        }
        Some(steps) => Ok(to_json(
            &checkpoint_specs(&spec, steps)
                .into_iter()
                .map(|(s, note)| analyse(&s, note))
                .collect::<Result<Vec<_>, _>>()?,
        )),
    }
}

fn hessian_matrix(args: &SourceArgs) -> Result<String, CliError> {
    let spec = args.source.spec()?;
    let task = spec.run_task().map_err(|e| CliError::failed(format!("invalid spec: {e}")))?;
    let problem = build(&task);
    let h = dense_hessian(problem.objective.as_ref(), &problem.x0).map_err(|e| CliError::failed(e.to_string()))?;
    Ok(to_json(&serde_json::json!({ "matrix": h.to_rows() })))
}

/// The query the page reads (what differs from the defaults), after `--base` when given. A matrix
/// too large for a link is left out of it, with a note.
fn url(args: &UrlArgs) -> Result<String, CliError> {
    let spec = args.source.spec()?;
    if let Some(n) = spec.problem.matrix.as_ref().map(Vec::len).filter(|n| *n > URL_MATRIX_MAX) {
        say(&format!(
            "note: the {n} x {n} matrix is above {URL_MATRIX_MAX} x {URL_MATRIX_MAX} and is left out of the URL; share the spec (steepest spec) instead"
        ));
    }
    let query = to_query(&spec);
    if let Some(base) = args.base.as_deref().filter(|b| output::escape_controls(b) != *b) {
        return Err(CliError::usage(format!(
            "--base {}: a URL holds no control characters",
            output::escape_controls(base)
        )));
    }
    Ok(match args.base.as_deref() {
        None => query,
        Some(base) if base.ends_with(['?', '&']) => format!("{base}{query}"),
        Some(base) if base.contains('?') => format!("{base}&{query}"),
        Some(base) => format!("{base}?{query}"),
    })
}

fn spec(args: &SpecArgs) -> Result<String, CliError> {
    if args.schema {
        return Ok(serde_json::to_string_pretty(&schema()).expect("schema serialises"));
    }
    let spec = if args.source.is_given() { args.source.spec()? } else { Spec::default() };
    Ok(spec.to_json_pretty())
}

/// A result with the seconds it took.
#[derive(Serialize)]
struct Timed<T: Serialize> {
    #[serde(flatten)]
    report: T,
    seconds: f64,
}

impl<T: Serialize> Timed<T> {
    fn since(start: Instant, report: T) -> Self {
        Timed { report, seconds: start.elapsed().as_secs_f64() }
    }
}

fn smoothness(args: &SmoothnessArgs) -> Result<String, CliError> {
    let exact = match args.exact {
        Exact::Auto => ExactMode::Auto,
        Exact::Always => ExactMode::Always,
        Exact::Never => ExactMode::Never,
    };
    let options = ReportOptions { exact, seed: args.seed, ..Default::default() };
    let start = Instant::now();
    let mut last = Instant::now();
    let show = std::io::stderr().is_terminal();
    // Progress on a terminal, at most once a second; long exact computations can be long.
    let mut progress = |f: f64| {
        if show && last.elapsed().as_secs_f64() >= 1.0 {
            output::progress(f);
            last = Instant::now();
        }
        true
    };
    let failed = |e: steepest::Error| CliError::failed(e.to_string());
    let out = match &args.matrix {
        Some(path) => {
            let h = read_matrix_file(&read_bytes(path)?).map_err(failed)?;
            to_json(&Timed::since(start, report(&h, &options, &mut progress).map_err(failed)?))
        }
        None => {
            let spec = args.source.spec()?;
            match args.along_trajectory {
                Some(points) => {
                    let r = trajectory_geometry(&spec, &options, points.into(), &mut progress)
                        .map_err(|e| CliError::failed(e.to_string()))?;
                    to_json(&Timed::since(start, r))
                }
                None => to_json(&Timed::since(start, spec_geometry(&spec, &options, &mut progress).map_err(failed)?)),
            }
        }
    };
    if show {
        output::progress_done();
    }
    Ok(out)
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("results serialise")
}
