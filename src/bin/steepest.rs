//! The `steepest` command line: a thin shell over the library. JSON in, JSON (or CSV) out;
//! errors on stderr with a non-zero exit code.

use std::io::Read;
use std::process::ExitCode;
use steepest::experiment::{run_spec, to_csv};
use steepest::spec::{schema, Spec};

const USAGE: &str = "\
steepest: steepest descent, sign GD and the geometry that decides between them

USAGE:
  steepest run --spec FILE|- [--format json|csv]   run an experiment spec (JSON); - reads stdin
  steepest spec --defaults                          print the default spec
  steepest spec --schema                            print every parameter: type, range, default, help
  steepest help                                     this text

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

fn dispatch(args: &[String]) -> Result<String, CliError> {
    let strs: Vec<&str> = args.iter().map(String::as_str).collect();
    match strs.as_slice() {
        [] | ["help" | "--help" | "-h"] => Ok(USAGE.to_string()),
        ["spec", "--defaults"] => Ok(Spec::default().to_json_pretty()),
        ["spec", "--schema"] => Ok(serde_json::to_string_pretty(&schema()).expect("schema serialises")),
        ["run", rest @ ..] => {
            let spec_path = option(rest, "--spec")?.ok_or_else(|| CliError::Usage("run needs --spec FILE or --spec -".into()))?;
            let format = option(rest, "--format")?.unwrap_or("json");
            let text = read_input(spec_path)?;
            let spec = Spec::from_json(&text).map_err(|e| CliError::Failed(format!("invalid spec: {e}")))?;
            let result = run_spec(&spec).map_err(|e| CliError::Failed(format!("invalid spec: {e}")))?;
            match format {
                "json" => Ok(serde_json::to_string(&result).expect("results serialise")),
                "csv" => Ok(to_csv(&result).trim_end().to_string()),
                other => Err(CliError::Usage(format!("--format {other}: allowed json or csv"))),
            }
        }
        [cmd, ..] => Err(CliError::Usage(format!("unknown command or options: {cmd}"))),
    }
}

/// The value after `name`, checking that every argument is a known option with a value.
fn option<'a>(args: &[&'a str], name: &str) -> Result<Option<&'a str>, CliError> {
    let mut found = None;
    let mut i = 0;
    while i < args.len() {
        match (args[i], args.get(i + 1)) {
            (flag @ ("--spec" | "--format"), Some(value)) => {
                if flag == name {
                    found = Some(*value);
                }
                i += 2;
            }
            (flag @ ("--spec" | "--format"), None) => return Err(CliError::Usage(format!("{flag} needs a value"))),
            (other, _) => return Err(CliError::Usage(format!("unknown option {other}"))),
        }
    }
    Ok(found)
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
