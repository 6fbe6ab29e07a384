//! The crate's one error type. A spec error keeps its field, value and allowed range all the
//! way to the page (`web` turns every `Error` into a JS Error carrying them); a cancelled
//! computation is one variant, whichever computation it was.

use crate::objective::MatrixError;
use crate::spec::SpecError;

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Error {
    /// An invalid spec: which field, what was given, what is allowed.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// A matrix given on its own (pasted in the page, `--matrix`) that cannot be read.
    #[error("matrix: {0}")]
    MatrixInput(String),
    /// A matrix given on its own that is not a usable Hessian.
    #[error("matrix: {0}")]
    Matrix(#[from] MatrixError),
    /// The caller asked for the dense Hessian of a problem above the dense limit.
    #[error(
        "the dense Hessian is formed for at most {max} parameters and this problem has {d}; the Hessian analysis (steepest anatomy, the page's Hessian view) reads it by Lanczos"
    )]
    DenseLimit { d: usize, max: usize },
    /// Exact L_inf of an indefinite matrix enumerates 2^(d-1) sign vectors: refused above `max`.
    #[error(
        "exact L_inf of an indefinite {d} x {d} matrix needs 2^{exponent} sign vectors, and each further dimension doubles the time; --exact always allows d <= {max} (a few seconds), and --exact auto gives the certified bracket instead", exponent = .d - 1
    )]
    TooLargeForExact { d: usize, max: usize },
    /// The symmetric eigensolver failed (no convergence within its budget).
    #[error(transparent)]
    Eigen(#[from] crate::linalg::EigenError),
    /// A constant of the matrix exceeds the largest float, though the work on the matrix scaled to
    /// largest entry 1 did not overflow.
    #[error("{field} of this matrix exceeds the largest float ({max:e}); scale the matrix down", max = f64::MAX)]
    Overflow { field: &'static str },
    /// A data file handed to the core that is not the shipped data set.
    #[error("{name}: the file is not the shipped data set ({len} bytes, expected {expected})")]
    DataFile { name: &'static str, len: usize, expected: usize },
    /// A call of the JavaScript API with an argument it does not take.
    #[error("{0}")]
    Usage(String),
    /// A plot that could not be drawn.
    #[error("{0}")]
    Plot(String),
    /// A result that could not be handed over (a bug, not an input).
    #[error("internal: {0}")]
    Internal(String),
    /// The caller's progress callback asked to stop.
    #[error("cancelled")]
    Cancelled,
}

impl Error {
    /// The spec field the error is about, when there is one (a matrix given on its own is the
    /// page's `problem.matrix`).
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Spec(e) => Some(&e.field),
            Error::MatrixInput(_) | Error::Matrix(_) => Some("problem.matrix"),
            Error::DenseLimit { .. }
            | Error::TooLargeForExact { .. }
            | Error::Eigen(_)
            | Error::Overflow { .. }
            | Error::DataFile { .. }
            | Error::Usage(_)
            | Error::Plot(_)
            | Error::Internal(_)
            | Error::Cancelled => None,
        }
    }
}
