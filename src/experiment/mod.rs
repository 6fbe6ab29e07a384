//! Experiments: a validated spec in, plain data out (serialisable, no I/O).

mod anatomy;
mod cost;
mod export;
mod geometry;
mod matrix_input;
mod presets;
mod problem;
mod run;
mod sweep;

pub use anatomy::{hessian_anatomy, Block, HessianAnatomy, MatrixAnatomy, TrackPoint};
pub use cost::work_estimate;
pub use export::{to_csv, TraceColumns, TraceTable};
pub use geometry::{
    dense_hessian, spec_geometry, trajectory_geometry, PointGeometry, SpecGeometry, TrajectoryGeometry,
};
pub use matrix_input::parse_matrix;
pub use presets::{preset, preset_names, presets, Preset, View};
pub use problem::{build, Problem};
pub use run::{run_spec, Accuracy, MethodResult, ProblemInfo, RunResult};
pub use sweep::{lambda_max_for_spread, run_sweep, spearman, sweep_csv, SweepCell, SweepResult};
