//! Experiments: a validated spec in, plain data out (serialisable, no I/O).

mod anatomy;
mod claims;
mod cost;
mod export;
mod geometry;
mod matrix_input;
mod norm_geometry;
mod npy;
mod nuclear_rank;
mod prediction;
mod presets;
mod problem;
mod rotated;
mod run;
mod step_ratio;
mod sweep;

pub use anatomy::{
    checkpoint_specs, hessian_anatomy, Block, HessianAnatomy, MatrixAnatomy, TrackPoint, CHECKPOINTS_SDP_WORK,
};
pub use claims::{check_claims, Claim, ClaimCheck, ClaimInput, Number};
pub use cost::work_estimate;
pub use export::{to_csv, TraceColumns, TraceProblem, TraceTable};
pub use geometry::{
    dense_hessian, spec_geometry, spec_geometry_kept, trajectory_geometry, PointGeometry, SpecGeometry,
    TrajectoryGeometry,
};
pub use matrix_input::{matrix_file_rows, parse_matrix, parse_rows, read_matrix_file};
pub use norm_geometry::{norm_geometries, NormGeometry};
pub use prediction::{
    guaranteed_rate, predicted_ratio, winner_agreement, Advantage, Compared, ComparedMethod, RunRecord,
};
pub use presets::{preset, preset_names, presets, Preset, View};
pub use problem::{build, Kept, Problem};
pub use rotated::{hessian_part, rotated_size, RotatedHessian};
pub use run::{
    assemble_run, making_share, run_methods_watched, run_spec, run_spec_watched, Accuracy, MethodResult, ProblemInfo,
    RunResult,
};
pub use step_ratio::{StepRatioRecorder, StepRatios};
pub use sweep::{
    assemble_sweep, lambda_max_for_spread, run_sweep, spearman, sweep_cells, sweep_csv, SweepCell, SweepResult,
    SweepTable,
};
