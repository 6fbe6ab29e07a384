//! Experiments: a validated spec in, plain data out (serialisable, no I/O).

mod export;
mod problem;
mod run;

pub use export::to_csv;
pub use problem::{build, Problem};
pub use run::{run_spec, MethodResult, ProblemInfo, RunResult};
