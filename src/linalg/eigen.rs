//! The dense symmetric eigensolver: blocked Householder reduction to tridiagonal form
//! (`householder`), then the implicit QL algorithm (EISPACK tql2, in the form of the public-domain
//! JAMA library). O(d^3); eigenvectors only on request.
//!
//! The matrix is first scaled by a power of two that brings its largest |entry| into [1, 2): the
//! scaling is exact and every step of both algorithms is homogeneous of degree 0 or 1 in the
//! matrix, so the eigenvalues of 2^k A are exactly 2^k times those of A, but squares and products
//! of entries can no longer overflow (entries of 1e300 once made QL loop on NaN forever).

use super::householder::{accumulate_q, tridiagonalize, Reduced};
use super::Matrix;

/// Why the eigensolver gave no answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EigenError {
    /// An entry is NaN or infinite.
    #[error("the matrix has an entry that is not a finite number")]
    NotFinite,
    /// The QL iteration used its whole budget of 30 n steps (LAPACK's dsteqr cap) without
    /// splitting the tridiagonal matrix into 1 x 1 blocks.
    #[error("the eigenvalue iteration did not converge within {steps} QL steps (30 n for n = {n})")]
    NoConvergence { n: usize, steps: usize },
}

/// QL steps allowed per eigenvalue, as in LAPACK.
const QL_STEPS_PER_EIGENVALUE: usize = 30;

/// The exponent e with max |a_ij| / 2^e in [1, 2) (0 for the zero matrix).
pub(super) fn exponent_of_largest(values: &[f64]) -> i32 {
    let largest = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if largest == 0.0 {
        0
    } else {
        libm::ilogb(largest)
    }
}

pub(super) fn eigen(a: &Matrix, want_vectors: bool) -> Result<(Vec<f64>, Matrix), EigenError> {
    let n = a.n;
    if n == 0 {
        return Ok((vec![], Matrix::zeros(0)));
    }
    if !a.is_finite() {
        return Err(EigenError::NotFinite);
    }
    let exponent = a.exponent_of_largest();
    let Reduced { mut diag, mut off, reflectors } = tridiagonalize(a.scaled_by_power_of_two(-exponent), want_vectors);
    // The eigenvector matrix by columns (column c at [c n..(c + 1) n]): QL rotates pairs of them.
    let mut z = if want_vectors { accumulate_q(n, &reflectors) } else { vec![] };
    if want_vectors {
        ql(&mut diag, &mut off, |i, c, s| {
            let (left, right) = z.split_at_mut((i + 1) * n);
            rotate_columns(&mut left[i * n..], &mut right[..n], c, s);
        })?;
    } else {
        ql(&mut diag, &mut off, |_, _, _| {})?;
    }
    let mut d = diag;
    d.iter_mut().for_each(|x| *x = libm::scalbn(*x, exponent));
    // Sort ascending (selection sort keeps eigenvector columns paired; O(n^2) swaps at most).
    for i in 0..n {
        let mut k = i;
        for j in i + 1..n {
            if d[j] < d[k] {
                k = j;
            }
        }
        if k != i {
            d.swap(i, k);
            if want_vectors {
                for c in 0..n {
                    z.swap(i * n + c, k * n + c);
                }
            }
        }
    }
    // z holds the eigenvectors as rows: its transpose has them as columns.
    Ok((d, if want_vectors { Matrix { n, data: z }.transpose() } else { Matrix::zeros(0) }))
}

/// Columns (x, y) of V <- (c x - s y, s x + c y): the plane rotation QL applies to the
/// eigenvector matrix.
fn rotate_columns(x: &mut [f64], y: &mut [f64], c: f64, s: f64) {
    for (a, b) in x.iter_mut().zip(y.iter_mut()) {
        let hk = *b;
        *b = s * *a + c * hk;
        *a = c * *a - s * hk;
    }
}

/// Implicit QL with Wilkinson shifts on the symmetric tridiagonal matrix with diagonal `d` and
/// off-diagonal `e` (e[i] couples i and i + 1; e[n - 1] is ignored). On return `d` holds the
/// eigenvalues, unsorted. Every plane rotation (i, c, s) of the iteration is handed to `rotate`,
/// which applies it to columns i and i + 1 of whatever eigenvector rows the caller tracks. At most
/// 30 n QL steps in all (LAPACK's cap): a NaN, or a matrix that never splits, ends in
/// `NoConvergence` instead of a loop that never ends.
pub(super) fn ql(d: &mut [f64], e: &mut [f64], mut rotate: impl FnMut(usize, f64, f64)) -> Result<(), EigenError> {
    let n = d.len();
    if n == 0 {
        return Ok(());
    }
    e[n - 1] = 0.0;
    let budget = QL_STEPS_PER_EIGENVALUE * n;
    let mut steps = 0;
    let mut f = 0.0;
    let mut tst1 = 0.0f64;
    let eps = f64::EPSILON;
    for l in 0..n {
        tst1 = tst1.max(d[l].abs() + e[l].abs());
        let mut m = l;
        while m < n - 1 && e[m].abs() > eps * tst1 {
            m += 1;
        }
        if m > l {
            loop {
                steps += 1;
                if steps > budget {
                    return Err(EigenError::NoConvergence { n, steps: budget });
                }
                let mut g = d[l];
                let mut p = (d[l + 1] - g) / (2.0 * e[l]);
                let mut r = libm::hypot(p, 1.0);
                if p < 0.0 {
                    r = -r;
                }
                d[l] = e[l] / (p + r);
                d[l + 1] = e[l] * (p + r);
                let dl1 = d[l + 1];
                let mut h = g - d[l];
                for di in d.iter_mut().skip(l + 2) {
                    *di -= h;
                }
                f += h;
                p = d[m];
                let mut c = 1.0;
                let mut c2 = c;
                let mut c3 = c;
                let el1 = e[l + 1];
                let mut s = 0.0;
                let mut s2 = 0.0;
                for i in (l..m).rev() {
                    c3 = c2;
                    c2 = c;
                    s2 = s;
                    g = c * e[i];
                    h = c * p;
                    r = libm::hypot(p, e[i]);
                    e[i + 1] = s * r;
                    s = e[i] / r;
                    c = p / r;
                    p = c * d[i] - s * g;
                    d[i + 1] = h + s * (c * g + s * d[i]);
                    rotate(i, c, s);
                }
                p = -s * s2 * c3 * el1 * e[l] / dl1;
                e[l] = s * p;
                d[l] = c * p;
                if e[l].abs() <= eps * tst1 {
                    break;
                }
            }
        }
        d[l] += f;
        e[l] = 0.0;
    }
    Ok(())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::testing::random_symmetric;

    #[test]
    fn huge_and_tiny_matrices_scale_exactly() {
        // [[0, b], [b, 0]] has eigenvalues -b and b for any b; the 2 x 2 with 1e300 off the
        // diagonal once looped forever (b^2 overflowed).
        for b in [1e300, f64::MAX, 1e-300, 5e-324] {
            let lam = Matrix::from_rows(&[vec![0.0, b], vec![b, 0.0]]).sym_eigenvalues().unwrap();
            assert!(
                (lam[0] + b).abs() <= 4.0 * f64::EPSILON * b && (lam[1] - b).abs() <= 4.0 * f64::EPSILON * b,
                "{b}: {lam:?}"
            );
        }
        assert_eq!(Matrix::from_rows(&[vec![-1e300]]).sym_eigenvalues().unwrap(), vec![-1e300]);
        // A power-of-two multiple has exactly the multiplied eigenvalues.
        let a = random_symmetric(30, 7);
        let base = a.sym_eigenvalues().unwrap();
        for k in [-1000, -300, -1, 1, 5, 900] {
            let b = a.scaled_by_power_of_two(k);
            let want: Vec<f64> = base.iter().map(|x| libm::scalbn(*x, k)).collect();
            assert_eq!(b.sym_eigenvalues().unwrap(), want, "2^{k}");
        }
    }

    #[test]
    fn a_rotated_spectrum_is_recovered_across_many_panels() {
        // Q diag(lambda) Q^T with Q Haar-random: the eigenvalues are lambda by construction.
        use crate::objective::{rotated_hessian, spectrum, HaarRotation, SpectrumKind};
        let d = 150;
        let lam = spectrum(SpectrumKind::Geometric, d, 0.01, 100.0, 0);
        let h = rotated_hessian(&lam, &HaarRotation::new(d, &mut crate::rng::Rng::new(8)), 1.0);
        let (values, vectors) = h.sym_eigen().unwrap();
        assert_eq!(values, h.sym_eigenvalues().unwrap());
        for (k, (got, want)) in values.iter().zip(&lam).enumerate() {
            assert!((got - want).abs() <= 1e-13 * 100.0, "{got} vs {want}");
            let v: Vec<f64> = (0..d).map(|r| vectors.get(r, k)).collect();
            let hv = h.matvec(&v);
            assert!(hv.iter().zip(&v).all(|(a, b)| (a - got * b).abs() < 1e-11), "eigenvector {k}");
        }
    }

    #[test]
    fn non_finite_entries_and_exhausted_budgets_are_named() {
        let mut a = Matrix::identity(3);
        a.set(1, 2, f64::NAN);
        assert_eq!(a.sym_eigenvalues(), Err(EigenError::NotFinite));
        a.set(1, 2, f64::INFINITY);
        assert_eq!(a.sym_eigen().map(|_| ()), Err(EigenError::NotFinite));
        // A NaN inside the tridiagonal never passes the split test: QL stops at its cap.
        let (mut d, mut e) = (vec![1.0, 2.0, 3.0], vec![1.0, f64::NAN, 0.0]);
        assert_eq!(ql(&mut d, &mut e, |_, _, _| {}), Err(EigenError::NoConvergence { n: 3, steps: 90 }));
    }
}
