//! # steepest
//!
//! Steepest descent under norms, sign GD and its relatives, and the smoothness geometry that
//! decides when sign-based methods beat gradient descent (Balles, Pedregosa & Le Roux 2020).
//!
//! Data flows one way: a [`spec::Spec`] (validated) -> [`experiment`] (pure Rust) -> plain result
//! data (serde) -> JSON/CSV, or plots in the browser.
//!
//! - [`data`]: the shipped real data sets (digits, breast cancer), standardised and split.
//! - [`norm`]: norms, dual norms, steepest directions.
//! - [`linalg`]: dense matrices and a deterministic symmetric eigensolver.
//! - [`objective`]: the objective trait, quadratics and their generators, Rosenbrock.
//! - [`optimizer`]: composable update rules, named methods, the run loop, step-size tuning.
//! - [`smoothness`]: smoothness constants per norm, exact L_inf by enumeration.
//! - [`spec`]: every experiment parameter with default, range and help; validation.
//! - [`experiment`]: runs a spec; CSV export.
//! - [`plot`]: plots drawn with plotters, generic over the backend (canvas in wasm, SVG natively).
//! - [`json`]: JSON conventions shared by exports and plots.
//! - [`rng`]: the seeded, portable random generator behind every random choice.
//! - [`error`]: the crate's one error type.
//! - `web` (wasm32 only): the JavaScript API.

pub mod data;
pub mod error;
pub mod experiment;
pub mod json;
pub mod linalg;
pub mod norm;
pub mod objective;
pub mod optimizer;
pub mod parallel;
pub mod plot;
pub mod rng;
pub mod simd2;
pub mod smoothness;
pub mod spec;

pub use error::Error;

#[cfg(target_arch = "wasm32")]
pub mod web;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod testing;
