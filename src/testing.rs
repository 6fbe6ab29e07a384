//! Fixtures shared by the unit tests: seeded random matrices and brute-force truths written
//! plainly (every sign vector, no cleverness), for checking the clever code against.

use crate::linalg::Matrix;
use crate::norm::dot;
use crate::rng::Rng;

/// (A + A^T) / 2 with A standard normal.
pub fn random_symmetric(d: usize, seed: u64) -> Matrix {
    let mut r = Rng::new(seed);
    let a: Vec<Vec<f64>> = (0..d).map(|_| r.normals(d)).collect();
    Matrix::from_rows(&(0..d).map(|i| (0..d).map(|j| 0.5 * (a[i][j] + a[j][i])).collect()).collect::<Vec<_>>())
}

/// A A^T with A standard normal (a Wishart matrix).
pub fn random_psd(d: usize, seed: u64) -> Matrix {
    let mut r = Rng::new(seed);
    let a: Vec<Vec<f64>> = (0..d).map(|_| r.normals(d)).collect();
    Matrix::from_rows(&(0..d).map(|i| (0..d).map(|j| dot(&a[i], &a[j])).collect()).collect::<Vec<_>>())
}

/// Every vector in {-1, 1}^d.
pub fn sign_vectors(d: usize) -> impl Iterator<Item = Vec<f64>> {
    (0..1u64 << d).map(move |m| (0..d).map(|i| if m >> i & 1 == 1 { 1.0 } else { -1.0 }).collect())
}

/// max over all pairs of sign vectors of w^T H v: ||H||_{inf,1} for any H.
pub fn brute_bilinear(h: &Matrix) -> f64 {
    let d = h.n();
    let mut best = f64::NEG_INFINITY;
    for v in sign_vectors(d) {
        let hv = h.matvec(&v);
        for w in sign_vectors(d) {
            best = best.max(w.iter().zip(&hv).map(|(a, b)| a * b).sum());
        }
    }
    best
}

/// max over sign vectors of v^T H v: ||H||_{inf,1} for PSD H.
pub fn brute_quadratic(h: &Matrix) -> f64 {
    sign_vectors(h.n()).map(|v| dot(&v, &h.matvec(&v))).fold(f64::NEG_INFINITY, f64::max)
}
