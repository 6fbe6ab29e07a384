//! Optimisers: composable update rules (`transform`), the named methods built from them
//! (`method`), the run loop (`run`) and the observers it shows each point to (`observe`; the
//! per-step `trace` is one), step-size tuning (`tune`), and Muon's link (`muon`).

pub mod method;
pub mod muon;
pub mod observe;
pub mod run;
pub mod trace;
pub mod transform;
pub mod tune;

pub use method::{Hyper, Hypers, Method, MethodKind, StepRule, StepSize, Update, METHODS, METHOD_IDS};
pub use observe::{Every, Observer, Point, StageProgress, StepProgress, Ticks};
pub use run::{run, Outcome, RunConfig, Status};
pub use trace::Trace;
pub use transform::Chain;
pub use transform::{Schedule, ScheduleKind};
pub use tune::{log_grid, tune, GridOutcome, TuneReport};
