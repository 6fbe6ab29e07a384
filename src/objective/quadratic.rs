//! f(x) = 1/2 (x - x*)^T H (x - x*).

use super::Objective;
use crate::linalg::{Matrix, PSD_TOLERANCE};
use crate::norm::{dot, Layout};

/// A quadratic with symmetric Hessian H and centre x*. For PSD H the minimum is f* = 0 at x*;
/// otherwise f is unbounded below and the minimum is unknown (None).
#[derive(Clone, Debug)]
pub struct Quadratic {
    h: Matrix,
    x_star: Vec<f64>,
    f_star: Option<f64>,
    spectrum: Option<Vec<f64>>,
    /// The variable's shape: a plain vector, or an m x n matrix X with x = vec(X) row-major.
    layout: Layout,
    /// H's diagonal when H is diagonal (every generated problem at rotation 0): its products
    /// then cost d instead of d^2 (`product`).
    diagonal: Option<Vec<f64>>,
}

/// Why a user-given matrix was refused (wrapped by the crate's `Error::Matrix`).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum MatrixError {
    #[error("the matrix is empty; give at least one row")]
    Empty,
    #[error("the matrix is not square: row {row} has {len} entries, expected {n}")]
    NotSquare { row: usize, len: usize, n: usize },
    #[error("entry ({row}, {col}) is not a finite number")]
    NotFinite { row: usize, col: usize },
    #[error(
        "the matrix is not symmetric: entries ({row}, {col}) and ({col}, {row}) differ by {relative:.3e} relative to the largest entry (allowed 1e-9)"
    )]
    NotSymmetric { row: usize, col: usize, relative: f64 },
    #[error("the matrix is {n} x {n}; at most {max} x {max} is allowed")]
    TooLarge { n: usize, max: usize },
}

/// Relative asymmetry tolerated in a user matrix (rounding in a pasted matrix); it is then
/// symmetrised exactly.
pub const SYMMETRY_TOLERANCE: f64 = 1e-9;

impl Quadratic {
    /// From a Hessian whose spectrum is known by construction (always PSD in our generators),
    /// exactly symmetric: the products read its lower triangle.
    pub fn with_spectrum(h: Matrix, x_star: Vec<f64>, spectrum: Vec<f64>) -> Self {
        debug_assert_eq!(h.asymmetry(), 0.0, "the Hessian is not exactly symmetric");
        let psd = spectrum.first().is_none_or(|l| *l >= 0.0);
        let layout = Layout::vector(h.n());
        let diagonal = diagonal_of(&h);
        Quadratic { h, x_star, f_star: psd.then_some(0.0), spectrum: Some(spectrum), layout, diagonal }
    }

    /// From a user's matrix as `check_matrix` returns it (exactly symmetric), tested for PSD.
    pub fn from_symmetric(h: Matrix) -> Self {
        debug_assert_eq!(h.asymmetry(), 0.0, "the Hessian is not exactly symmetric");
        let n = h.n();
        // The eigensolver fails only on a pathological matrix (no convergence in 30 n sweeps);
        // then Gershgorin's proven lower bound decides PSD, and the spectrum is left to whoever
        // needs it (they fall back to bounds too).
        let (psd, spectrum) = match h.sym_eigenvalues() {
            Ok(spectrum) => {
                let scale = spectrum.iter().fold(0.0f64, |m, l| m.max(l.abs()));
                (spectrum[0] >= -PSD_TOLERANCE * scale, Some(spectrum))
            }
            Err(_) => (h.gershgorin().0 >= 0.0, None),
        };
        let diagonal = diagonal_of(&h);
        Quadratic { h, x_star: vec![0.0; n], f_star: psd.then_some(0.0), spectrum, layout: Layout::vector(n), diagonal }
    }

    /// The same quadratic over a variable of `layout` (of the same dimension).
    pub fn with_layout(self, layout: Layout) -> Self {
        assert_eq!(layout.dim(), self.h.n(), "layout and Hessian dimensions differ");
        Quadratic { layout, ..self }
    }

    pub fn hessian_matrix(&self) -> &Matrix {
        &self.h
    }

    pub fn x_star(&self) -> &[f64] {
        &self.x_star
    }

    /// out = H v, with the bits of `Matrix::sym_matvec_into` (each out_k those of dot(row k, v)).
    /// For a diagonal H that dot adds to h_kk v_k only products 0 v_j = ±0 (a sum that starts at
    /// +0), which leave a nonzero value as it is and make a zero +0: out_k = h_kk v_k + 0 exactly,
    /// while every v_j is finite (0 inf is NaN: then the full product).
    fn product(&self, v: &[f64], out: &mut [f64]) {
        match &self.diagonal {
            Some(diag) if v.iter().all(|x| x.is_finite()) => {
                for ((o, h), x) in out.iter_mut().zip(diag).zip(v) {
                    *o = h * x + 0.0;
                }
            }
            _ => self.h.sym_matvec_into(v, out),
        }
    }
}

/// H's diagonal when every entry off it is zero.
fn diagonal_of(h: &Matrix) -> Option<Vec<f64>> {
    let n = h.n();
    (0..n)
        .all(|i| h.row(i).iter().enumerate().all(|(j, v)| i == j || *v == 0.0))
        .then(|| (0..n).map(|i| h.get(i, i)).collect())
}

/// Checks a matrix given as rows and returns it exactly symmetrised.
pub fn check_matrix(rows: &[Vec<f64>], max_n: usize) -> Result<Matrix, MatrixError> {
    let n = rows.len();
    if n == 0 {
        return Err(MatrixError::Empty);
    }
    if n > max_n {
        return Err(MatrixError::TooLarge { n, max: max_n });
    }
    for (i, r) in rows.iter().enumerate() {
        if r.len() != n {
            return Err(MatrixError::NotSquare { row: i, len: r.len(), n });
        }
        if let Some(j) = r.iter().position(|v| !v.is_finite()) {
            return Err(MatrixError::NotFinite { row: i, col: j });
        }
    }
    let mut h = Matrix::from_rows(rows);
    let scale = rows.iter().flatten().fold(0.0f64, |m, v| m.max(v.abs()));
    for i in 0..n {
        for j in 0..i {
            let diff = (h.get(i, j) - h.get(j, i)).abs();
            if diff > SYMMETRY_TOLERANCE * scale {
                return Err(MatrixError::NotSymmetric { row: i, col: j, relative: diff / scale });
            }
        }
    }
    h.symmetrize();
    Ok(h)
}

impl Objective for Quadratic {
    fn dim(&self) -> usize {
        self.h.n()
    }

    fn value(&self, x: &[f64]) -> f64 {
        let mut g = vec![0.0; x.len()];
        self.value_and_gradient(x, &mut g)
    }

    /// g = H (x - x*), f = 1/2 <x - x*, g>: one matrix-vector product for both, over H's lower
    /// triangle (H is exactly symmetric), or its diagonal.
    fn value_and_gradient(&self, x: &[f64], g: &mut [f64]) -> f64 {
        let z: Vec<f64> = x.iter().zip(&self.x_star).map(|(a, b)| a - b).collect();
        self.product(&z, g);
        0.5 * dot(&z, g)
    }

    fn hessian_vector(&self, _x: &[f64], v: &[f64], out: &mut [f64]) {
        self.product(v, out);
    }

    fn hessian(&self, _x: &[f64]) -> Option<Matrix> {
        Some(self.h.clone())
    }

    fn minimum(&self) -> Option<f64> {
        self.f_star
    }

    fn constant_hessian(&self) -> Option<&Matrix> {
        Some(&self.h)
    }

    fn known_spectrum(&self) -> Option<&[f64]> {
        self.spectrum.as_deref()
    }

    fn layout(&self) -> Layout {
        self.layout.clone()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_matrices_with_reasons() {
        assert_eq!(check_matrix(&[], 10), Err(MatrixError::Empty));
        assert!(matches!(check_matrix(&[vec![1.0, 2.0]], 10), Err(MatrixError::NotSquare { row: 0, len: 2, n: 1 })));
        assert!(matches!(
            check_matrix(&[vec![1.0, f64::NAN], vec![0.0, 1.0]], 10),
            Err(MatrixError::NotFinite { row: 0, col: 1 })
        ));
        assert!(matches!(
            check_matrix(&[vec![1.0, 2.0], vec![2.1, 1.0]], 10),
            Err(MatrixError::NotSymmetric { row: 1, col: 0, .. })
        ));
        assert!(matches!(check_matrix(&vec![vec![1.0; 3]; 3], 2), Err(MatrixError::TooLarge { n: 3, max: 2 })));
        // Rounding-level asymmetry passes and is removed.
        let h = check_matrix(&[vec![1.0, 0.5], vec![0.5 + 1e-12, 1.0]], 10).unwrap();
        assert_eq!(h.get(0, 1), h.get(1, 0));
    }

    fn from_rows(rows: &[Vec<f64>]) -> Quadratic {
        Quadratic::from_symmetric(check_matrix(rows, 10).unwrap())
    }

    /// A diagonal H's products by its diagonal have the bits of the row-by-row product: zeros on
    /// the diagonal, -0 and zeros in v, products that overflow or underflow, and v with an
    /// infinite or NaN entry (0 inf is NaN in every row); an H with one entry off the diagonal
    /// is not taken for diagonal.
    #[test]
    fn a_diagonal_hessians_products_have_the_bits_of_the_full_product() {
        let mut rng = crate::rng::Rng::new(5);
        for d in [1, 2, 7, 9, 130] {
            let mut diag = rng.normals(d);
            diag[0] = 0.0;
            diag[d / 2] = -0.0;
            diag[d - 1] *= 1e300;
            let q = Quadratic::with_spectrum(Matrix::diagonal(&diag), vec![0.0; d], vec![0.0; d]);
            assert!(q.diagonal.is_some());
            let mut vs = vec![rng.normals(d), vec![-0.0; d], vec![0.0; d]];
            let mut v = rng.normals(d);
            v[d - 1] = 1e10;
            v[d / 3] = -0.0;
            vs.push(v.clone());
            v[d / 4] = 1e-320;
            vs.push(v.clone());
            v[d / 2] = f64::INFINITY;
            vs.push(v.clone());
            v[d / 2] = f64::NAN;
            vs.push(v);
            for v in vs {
                let mut got = vec![7.0; d];
                q.hessian_vector(&[], &v, &mut got);
                let want = q.h.matvec(&v);
                for (k, (a, b)) in got.iter().zip(&want).enumerate() {
                    assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()), "d = {d}, k = {k}: {a} vs {b}");
                }
            }
        }
        let mut h = Matrix::diagonal(&[1.0, 2.0, 3.0]);
        h.set(2, 0, 1e-300);
        h.set(0, 2, 1e-300);
        assert!(Quadratic::from_symmetric(h).diagonal.is_none());
    }

    #[test]
    fn psd_decides_whether_the_minimum_is_known() {
        let psd = from_rows(&[vec![2.0, 1.0], vec![1.0, 2.0]]);
        assert_eq!(psd.minimum(), Some(0.0));
        let indefinite = from_rows(&[vec![1.0, 2.0], vec![2.0, 1.0]]);
        assert_eq!(indefinite.minimum(), None);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let q = from_rows(&[vec![3.0, 1.0, 0.0], vec![1.0, 2.0, -1.0], vec![0.0, -1.0, 4.0]]);
        let x = [0.3, -1.2, 0.7];
        let mut g = [0.0; 3];
        q.value_and_gradient(&x, &mut g);
        for i in 0..3 {
            let h = 1e-6;
            let mut xp = x;
            let mut xm = x;
            xp[i] += h;
            xm[i] -= h;
            let fd = (q.value(&xp) - q.value(&xm)) / (2.0 * h);
            assert!((fd - g[i]).abs() < 1e-7);
        }
    }
}
