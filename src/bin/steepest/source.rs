//! Where a command's spec comes from: a JSON file (or stdin), a preset or the defaults, with
//! `--set KEY=VALUE` pairs applied over it by the page's URL decoder, so a link and a command
//! line say the same thing.

use crate::CliError;
use clap::builder::PossibleValuesParser;
use clap::Args;
use std::io::Read;
use std::path::{Path, PathBuf};
use steepest::experiment::{preset, preset_names};
use steepest::spec::url::apply_pairs;
use steepest::spec::{Spec, MAX_D, MAX_INPUT_BYTES};

#[derive(Args)]
pub struct SpecSource {
    /// A JSON spec; - reads stdin
    #[arg(long, value_name = "FILE", conflicts_with = "preset")]
    pub spec: Option<PathBuf>,
    /// A preset by name (`steepest presets` describes them)
    #[arg(long, value_name = "NAME", value_parser = PossibleValuesParser::new(preset_names()))]
    pub preset: Option<String>,
    /// Set a parameter by its key in the page's URL (repeatable): d=50, m1=adam, m1.lr=0.1
    ///
    /// Set a parameter by its key in the page's URL, over the spec, the preset or the defaults
    /// (repeatable): d=50, rotation=0.3, m1=adam, m1.lr=0.1. The keys are those of `steepest url`
    /// and of a link to the page. A method's fields alone (m0.lr=0.1) change that method; giving a
    /// method's kind (m1=adam) makes the methods exactly those named, as in a link.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = key_value)]
    pub set: Vec<(String, String)>,
}

/// The argument ids of a spec source, for groups that require one.
pub const SOURCE_ARGS: [&str; 3] = ["spec", "preset", "set"];

impl SpecSource {
    pub fn is_given(&self) -> bool {
        self.spec.is_some() || self.preset.is_some() || !self.set.is_empty()
    }

    /// The spec, validated. A bad `--set` pair is a usage error (exit 2) carrying the decoder's
    /// message; a spec that breaks a rule as a whole fails like a bad spec file (exit 1).
    pub fn spec(&self) -> Result<Spec, CliError> {
        let base = match (&self.spec, &self.preset) {
            (Some(path), _) => read_spec(path)?,
            (None, Some(name)) => preset(name).map(|p| p.spec).ok_or_else(|| {
                CliError::usage(format!("--preset {name}: allowed one of {}", preset_names().join(", ")))
            })?,
            (None, None) => Spec::default(),
        };
        if self.set.is_empty() {
            return Ok(base);
        }
        let spec = apply_pairs(&base, &self.set).map_err(|issues| CliError {
            code: 2,
            messages: issues.into_iter().map(|i| format!("--set {}", i.message)).collect(),
        })?;
        spec.validate().map_err(|e| CliError::failed(format!("invalid spec: {e}")))?;
        Ok(spec)
    }
}

/// Parses `KEY=VALUE` (the value may hold further `=`).
fn key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err("expected KEY=VALUE with a page URL key, e.g. d=50 or m0.lr=0.1".into()),
    }
}

fn read_spec(path: &Path) -> Result<Spec, CliError> {
    Spec::from_json(&read_input(path)?).map_err(|e| CliError::failed(format!("invalid spec: {e}")))
}

/// The text of a file, or of stdin for `-`. Paths are taken as the OS gives them (any bytes).
fn read_input(path: &Path) -> Result<String, CliError> {
    String::from_utf8(read_bytes(path)?)
        .map_err(|_| CliError::failed(format!("reading {}: not UTF-8 text", path.display())))
}

/// The bytes of a file, or of stdin for `-`: at most MAX_INPUT_BYTES, so an endless or
/// oversized input is refused there, by name, before it fills memory.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, CliError> {
    let (name, reader): (String, Box<dyn Read>) = if path.as_os_str() == "-" {
        ("stdin".into(), Box::new(std::io::stdin()))
    } else {
        let file =
            std::fs::File::open(path).map_err(|e| CliError::failed(format!("reading {}: {e}", path.display())))?;
        (path.display().to_string(), Box::new(file))
    };
    let mut b = Vec::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut b)
        .map_err(|e| CliError::failed(format!("reading {name}: {e}")))?;
    if b.len() as u64 > MAX_INPUT_BYTES {
        return Err(CliError::failed(format!(
            "reading {name}: more than {MAX_INPUT_BYTES} bytes ({} MiB); a spec or matrix holds at most {MAX_D} x {MAX_D} numbers",
            MAX_INPUT_BYTES >> 20
        )));
    }
    Ok(b)
}
