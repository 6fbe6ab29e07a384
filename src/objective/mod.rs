//! Objectives: value, gradient, Hessian-vector product, the dense Hessian when d is small, and
//! the minimum when it is known.

mod generate;
mod network;
mod quadratic;
mod rosenbrock;
mod rotated;

pub use generate::{
    haar_similar, hessian_2d, rotated_hessian, rotated_hessian_watched, spectrum, HaarRotation, SpectrumKind,
};
pub use network::{Activation, Network};
pub use quadratic::{check_matrix, MatrixError, Quadratic, SYMMETRY_TOLERANCE};
pub use rosenbrock::Rosenbrock;
pub use rotated::Rotated;

use crate::linalg::Matrix;
use crate::norm::Layout;

/// Dense Hessians are formed only up to this dimension (8 MB per 1000 x 1000 matrix).
pub const DENSE_HESSIAN_MAX_D: usize = 2000;

/// Sync: independent runs on one objective go side by side (a tuning grid, `parallel::map`).
pub trait Objective: Sync {
    fn dim(&self) -> usize;

    fn value(&self, x: &[f64]) -> f64;

    /// Writes grad f(x) into `g` and returns f(x); objectives override it when the two share
    /// work (a quadratic needs one matrix-vector product for both).
    fn value_and_gradient(&self, x: &[f64], g: &mut [f64]) -> f64;

    /// Writes H(x) v into `out`.
    fn hessian_vector(&self, x: &[f64], v: &[f64], out: &mut [f64]);

    /// The dense Hessian at x, or None when d > DENSE_HESSIAN_MAX_D.
    fn hessian(&self, x: &[f64]) -> Option<Matrix> {
        (self.dim() <= DENSE_HESSIAN_MAX_D).then(|| hessian_by_columns(self, x))
    }

    /// Rows of the data set behind an objective that is a mean of per-row losses (0 otherwise):
    /// minibatch methods sample them.
    fn rows(&self) -> usize {
        0
    }

    /// The minibatch loss f_B(x) = (1/|B|) sum_{i in B} l_i(x) (plus any penalty) over `rows` = B,
    /// returned, and its gradient into `g`: the one pass a minibatch step needs gives both.
    /// Objectives without rows give their full value and gradient.
    fn batch_value_and_gradient(&self, x: &[f64], rows: &[usize], g: &mut [f64]) -> f64 {
        let _ = rows;
        self.value_and_gradient(x, g)
    }

    /// `value_and_gradient`, and with it a classifier's training fit at x: the mean training loss
    /// (without any penalty) and the accuracy, which its full pass computes on the way. The run
    /// hands it to the training curve, which would otherwise make a pass of its own. None for
    /// objectives that are not classifiers.
    fn value_gradient_and_fit(&self, x: &[f64], g: &mut [f64]) -> (f64, Option<(f64, f64)>) {
        (self.value_and_gradient(x, g), None)
    }

    /// f* = min f when it is known.
    fn minimum(&self) -> Option<f64>;

    /// The Hessian when it is the same everywhere (a quadratic): global smoothness constants
    /// then follow from it. None for other objectives.
    fn constant_hessian(&self) -> Option<&Matrix> {
        None
    }

    /// Eigenvalues of the constant Hessian when known by construction (ascending).
    fn known_spectrum(&self) -> Option<&[f64]> {
        None
    }

    /// How the parameters are cut into weight matrices and vectors (per-layer norms and Muon
    /// read it): one plain vector unless the objective says otherwise.
    fn layout(&self) -> Layout {
        Layout::vector(self.dim())
    }
}

/// The dense Hessian column by column, H e_j from d Hessian-vector products: the general route,
/// which objectives with structure replace by something faster.
pub fn hessian_by_columns<F: Objective + ?Sized>(f: &F, x: &[f64]) -> Matrix {
    let d = f.dim();
    let mut h = Matrix::zeros(d);
    let mut e = vec![0.0; d];
    let mut col = vec![0.0; d];
    for j in 0..d {
        e[j] = 1.0;
        f.hessian_vector(x, &e, &mut col);
        e[j] = 0.0;
        for (i, c) in col.iter().enumerate() {
            h.set(i, j, *c);
        }
    }
    h
}
