//! Smoothness constants of a Hessian: how far a steepest-descent step under each norm can go,
//! and the geometry (spectrum, diagonal concentration) that decides between GD and sign GD.
//!
//! A quadratic with Hessian H is L-smooth w.r.t. ||.|| with L = sup_{||v|| <= 1} ||H v||_*, the
//! operator norm from ||.|| to its dual (docs/theory.md §1 and §3).

mod anatomy;
mod bounds;
mod lanczos;
mod linf;
mod low_rank;
mod norm_constant;
mod report;
mod sdp;
mod spectral;

pub use anatomy::{heat_map, histogram, mass, weighted_histogram, HeatMap, Histogram, MassReport};
pub use bounds::{local_search, psd_value};
pub use lanczos::{lanczos, quadrature, Extremes};
pub use linf::{linf_branch_and_bound, linf_enumerate, linf_exact, Progress};
pub use low_rank::{linf_low_rank, low_rank_work, LowRankMax};
pub use norm_constant::{smoothness_constant, Constant, LINF_EXACT_MAX_D, SDP_MAX_D};
pub use report::{
    report, report_with_eigenvalues, sdp_work_bound, Estimate, ExactMode, Interval, ReportOptions, SmoothnessReport,
};
pub use sdp::{certificate_from, certify, mixing_method, sdp_rank, solve, Certificate, SdpSolution};
pub use spectral::{spectral_bracket, SpectralBracket, BLOCK_BOUND_MAX_D};
