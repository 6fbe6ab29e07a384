//! The experiment spec: every parameter of an experiment, with its default, allowed range and a
//! one-line help, in one table (`PARAMS`). The CLI, the URL codec and the page's controls all read
//! this table; validation reads its ranges, and the `Default` impls read its defaults.
//!
//! Limits that keep any input from exhausting memory: d <= 2000 (a dense Hessian is d^2 floats,
//! 32 MB at the limit), steps <= 100000, at most 8 methods (traces hold 7 floats per step and
//! method: 45 MB at the limits), tuning grids of at most 61 values.
//!
//! By concern: the types (`model`), their defaults (`defaults`), the table (`params`),
//! validation into a task type per task (`validate`: `RunTask`, `SweepTask`, `AnalysisTask`),
//! the error (`error`), the schema (`schema`) and the URL codec (`url`).

mod bounded;
mod defaults;
mod error;
mod model;
mod params;
mod schema;
mod text;
pub mod url;
mod validate;

pub use error::SpecError;
pub use model::{
    auto_spread_max, AnalysisSpec, MethodSpec, ProblemKind, ProblemSpec, Rule, RunSpec, Spec, StartKind, SweepMeasure,
    SweepRule, SweepSpec, PROBLEM_KINDS,
};
pub use params::{
    allowed, check_number, param, range_text, Kind, Param, Step, When, PARAMS, RULES, SPECTRUM_KINDS, START_KINDS,
};
pub use schema::schema;
pub use text::{acts_on_text, escape_controls};
pub use validate::{AnalysisTask, Read, RunTask, SweepTask, MAX_ABS_X0};

pub const SPEC_VERSION: u64 = 1;
pub const MAX_D: u64 = 2000;
/// Networks may be larger than MAX_D: they never form a d x d matrix unless asked for the dense
/// Hessian (which stops at DENSE_HESSIAN_MAX_D); above it the Hessian is read by Lanczos.
pub const MAX_NETWORK_PARAMS: usize = 10_000;
pub const MAX_STEPS: u64 = 100_000;
pub const MAX_METHODS: usize = 8;
/// Largest integer a JS number holds exactly: seeds round-trip through the URL and the page.
pub const MAX_SEED: u64 = (1 << 53) - 1;
/// The most text a spec or matrix file may hold: MAX_D x MAX_D numbers of up to 32 characters
/// (17 digits, sign, point, exponent, separators) and 1 MiB for everything else. Readers stop
/// there, so `--spec /dev/zero` fails at once instead of filling memory.
pub const MAX_INPUT_BYTES: u64 = MAX_D * MAX_D * 32 + (1 << 20);
