//! The `steepest` command line: a thin shell over the library. JSON in, JSON (or CSV) out;
//! errors on stderr with exit code 1, or 2 for a malformed command line.
//!
//! Native only: clap is a native dependency, so the wasm core never carries it. Cargo still
//! builds every binary for `cargo test --target wasm32-unknown-unknown`; there it is empty.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

mod commands;
mod output;
mod source;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use source::{SpecSource, SOURCE_ARGS};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "steepest",
    version,
    about = "steepest: steepest descent, sign GD and the geometry that decides between them",
    after_help = "Any parameter left out of a spec takes its default; see `steepest spec --schema`.",
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run an experiment and print the spec as run and each method's traces
    Run(RunArgs),
    /// The spread x rotation map of GD against sign GD: measured and predicted advantage per cell
    Sweep(RunArgs),
    /// List the presets: name, title, what to look at, and the page's URL query
    Presets,
    /// Smoothness report of a symmetric matrix or of a spec's objective
    #[command(
        long_about = "Smoothness report of a symmetric matrix (a NumPy .npy file, {\"matrix\": [[...]]}, an array of \
        rows, or rows of numbers as in a CSV file) or of \
        a spec's objective: L_2, the L_inf bracket (exact when affordable), certified L_sep, rho_diag. With \
        --along-trajectory N, the read-outs at N + 1 points of the first method's run and their maxima (for \
        objectives whose Hessian changes, e.g. rosenbrock), within a work budget of 2^33 counted as d^3 a read-out \
        (budget_note says where it stopped)."
    )]
    Smoothness(SmoothnessArgs),
    /// The Hessian analysis at a checkpoint
    #[command(
        long_about = "The Hessian analysis at a checkpoint (the spec's analysis settings: method, step, bins): \
        spectrum and histogram, rho_diag of the whole and of each layer, the |H_ij| picture and the L_inf bracket, \
        each beside a matrix with the same spectrum under a Haar-random rotation. --at takes several checkpoints \
        in one call (a JSON array)."
    )]
    Analysis(AnalysisArgs),
    /// Deprecated name of `analysis`
    #[command(hide = true)]
    Anatomy(AnalysisArgs),
    /// Print a spec's Hessian ({"matrix": [[...]]}; at x0 when it is not constant), for other tools
    HessianMatrix(SourceArgs),
    /// Deprecated name of `hessian-matrix`
    #[command(hide = true)]
    Hessian(SourceArgs),
    /// Print the page's URL query of a spec (the whole URL with --base)
    Url(UrlArgs),
    /// Print the default spec (also with no options), a spec, or every parameter's schema
    Spec(SpecArgs),
}

#[derive(Args)]
#[command(group(ArgGroup::new("source").args(SOURCE_ARGS).required(true).multiple(true)))]
pub struct SourceArgs {
    #[command(flatten)]
    pub source: SpecSource,
}

#[derive(Args)]
#[command(group(ArgGroup::new("source").args(SOURCE_ARGS).required(true).multiple(true)))]
pub struct RunArgs {
    #[command(flatten)]
    pub source: SpecSource,
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

#[derive(Args)]
#[command(group(ArgGroup::new("input").args(["matrix", "spec", "preset", "set"]).required(true).multiple(true)))]
pub struct SmoothnessArgs {
    /// A symmetric matrix: .npy, JSON, or rows of numbers (CSV, spaces, `;`); - reads stdin
    #[arg(long, value_name = "FILE", conflicts_with_all = SOURCE_ARGS)]
    pub matrix: Option<PathBuf>,
    #[command(flatten)]
    pub source: SpecSource,
    /// Exact L_inf: when it takes about a second (auto), always, or never
    #[arg(long, value_enum, default_value_t = Exact::Auto)]
    pub exact: Exact,
    /// Seed of the randomised bounds
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The read-outs at N + 1 points along the first method's run
    #[arg(long, value_name = "N", conflicts_with = "matrix", value_parser = clap::value_parser!(u16).range(1..=200))]
    pub along_trajectory: Option<u16>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Exact {
    Auto,
    Always,
    Never,
}

#[derive(Args)]
#[command(group(ArgGroup::new("source").args(SOURCE_ARGS).required(true).multiple(true)))]
pub struct AnalysisArgs {
    #[command(flatten)]
    pub source: SpecSource,
    /// Several checkpoints in one call, e.g. 0,100,200
    #[arg(long, value_name = "STEP,...", value_delimiter = ',', value_parser = step)]
    pub at: Option<Vec<u64>>,
}

fn step(s: &str) -> Result<u64, String> {
    s.trim().parse().map_err(|_| "allowed comma-separated step numbers, e.g. 0,100,200".into())
}

#[derive(Args)]
#[command(group(ArgGroup::new("source").args(SOURCE_ARGS).required(true).multiple(true)))]
pub struct UrlArgs {
    #[command(flatten)]
    pub source: SpecSource,
    /// The page's address, e.g. http://127.0.0.1:8080/
    #[arg(long, value_name = "URL")]
    pub base: Option<String>,
}

#[derive(Args)]
pub struct SpecArgs {
    /// The default spec (also printed with no options)
    #[arg(long, conflicts_with_all = ["schema", "spec", "preset", "set"])]
    pub defaults: bool,
    /// Every parameter: type, range, default, help
    #[arg(long, conflicts_with_all = SOURCE_ARGS)]
    pub schema: bool,
    #[command(flatten)]
    pub source: SpecSource,
}

/// A failed command: its messages for stderr and the exit code (1: bad input or a failed run;
/// 2: a malformed command line).
pub struct CliError {
    pub code: u8,
    pub messages: Vec<String>,
}

impl CliError {
    pub fn failed(message: String) -> Self {
        CliError { code: 1, messages: vec![message] }
    }

    pub fn usage(message: String) -> Self {
        CliError { code: 2, messages: vec![message] }
    }
}

fn main() -> ExitCode {
    let command = match Cli::try_parse() {
        Ok(cli) => cli.command,
        Err(e) => return clap_exit(&e),
    };
    match commands::dispatch(command).and_then(|out| output::print(&out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            for m in &e.messages {
                output::say(&format!("error: {m}"));
            }
            ExitCode::from(e.code)
        }
    }
}

/// Help and version go to stdout (exit 0), as does the help for a bare `steepest`; parse errors
/// go to stderr through the same escaping as every message (exit 2).
fn clap_exit(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind::{DisplayHelp, DisplayHelpOnMissingArgumentOrSubcommand, DisplayVersion};
    let text = e.render().to_string();
    match e.kind() {
        DisplayHelp | DisplayVersion | DisplayHelpOnMissingArgumentOrSubcommand => match output::print(text.trim_end())
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                e.messages.iter().for_each(|m| output::say(&format!("error: {m}")));
                ExitCode::from(e.code)
            }
        },
        clap::error::ErrorKind::InvalidUtf8 => {
            output::say(&invalid_utf8().unwrap_or(text));
            ExitCode::from(2)
        }
        _ => {
            output::say(text.trim_end());
            ExitCode::from(2)
        }
    }
}

/// Clap says only that some argument is not UTF-8; this names it, by the option it is the value
/// of when there is one (file names are read as paths and may hold any bytes; text may not).
fn invalid_utf8() -> Option<String> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let i = (1..args.len()).find(|&i| args[i].to_str().is_none())?;
    let shown = args[i].to_string_lossy();
    Some(match args[i - 1].to_str().filter(|a| a.starts_with("--")) {
        Some(option) => {
            format!("error: {option}: {shown} is not valid UTF-8; it takes text (file names may hold other bytes)")
        }
        None => format!("error: argument {i}, {shown}, is not valid UTF-8"),
    })
}
