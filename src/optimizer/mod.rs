//! Optimisers: composable update rules (`transform`), the named methods built from them
//! (`method`), the run loop that records a trace (`run`), and step-size tuning (`tune`).

pub mod method;
pub mod run;
pub mod transform;
pub mod tune;

pub use method::{Hyper, Hypers, Method, MethodKind, StepRule, StepSize, Update, METHODS, METHOD_IDS};
pub use run::{run, Outcome, RunConfig, Status, Trace};
pub use transform::Chain;
pub use transform::{Schedule, ScheduleKind};
pub use tune::{log_grid, tune, GridOutcome, TuneReport};
