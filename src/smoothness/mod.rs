//! Smoothness constants of a Hessian: how far a steepest-descent step under each norm can go.
//!
//! A quadratic with Hessian H is L-smooth w.r.t. ||.|| with L = sup_{||v|| <= 1} ||H v||_*, the
//! operator norm from ||.|| to its dual (paper-notes sections 1 and 3).

mod linf;
mod norm_constant;

pub use linf::linf_exact;
pub use norm_constant::{smoothness_constant, Constant};
