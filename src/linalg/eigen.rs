//! The dense symmetric eigensolver: blocked Householder reduction to tridiagonal form
//! (`householder`), then the implicit QL algorithm (EISPACK tql2, in the form of the public-domain
//! JAMA library) when eigenvectors are wanted, and its root-free form (Pal, Walker and Kahan) when
//! only the eigenvalues are. O(d^3); eigenvectors only on request.
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
        ql_root_free(&mut diag, &mut off)?;
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

/// Eigenvalues of the symmetric tridiagonal matrix with diagonal `d` and off-diagonal `e` (e[i]
/// couples i and i + 1; e[n - 1] is ignored), without eigenvectors: the root-free QL iteration of
/// Pal, Walker and Kahan (as in LAPACK's dsterf). It carries the squares e_i^2 and the rotation's
/// c^2 and s^2, so its inner loop takes two divisions and no square root, where `ql` takes a
/// hypot. On return `d` holds the eigenvalues, unsorted. Each unreduced block is iterated from
/// its end of smaller |diagonal| (the block is reversed when that is its last entry) and, when
/// its largest entry lies outside [2^-400, 2^400], scaled by a power of two first (exact), so
/// that the squares neither overflow nor underflow. At most 30 n steps in all. The entries are
/// finite (`eigen` checks the matrix), though a NaN mostly ends in `NoConvergence` as in `ql`.
pub(super) fn ql_root_free(d: &mut [f64], e: &mut [f64]) -> Result<(), EigenError> {
    let n = d.len();
    let budget = QL_STEPS_PER_EIGENVALUE * n;
    let mut steps = 0;
    let mut start = 0;
    while start < n {
        // The unreduced block start..=end: e[end] is negligible, or end = n - 1.
        let mut end = start;
        while end + 1 < n {
            if e[end].abs() <= f64::sqrt(d[end].abs()) * f64::sqrt(d[end + 1].abs()) * UNIT_ROUNDOFF {
                break;
            }
            end += 1;
        }
        let block = start..end + 1;
        start = end + 1;
        if block.len() == 1 {
            continue;
        }
        let (d, e) = (&mut d[block.clone()], &mut e[block.start..block.end - 1]);
        // (largest = 0 only when a NaN coupling stands among zeros.)
        let largest = d.iter().chain(e.iter()).fold(0.0f64, |m, v| m.max(v.abs()));
        let exponent =
            if largest == 0.0 || (SAFE_MIN..=SAFE_MAX).contains(&largest) { 0 } else { libm::ilogb(largest) };
        if exponent != 0 {
            d.iter_mut().chain(e.iter_mut()).for_each(|v| *v = libm::scalbn(*v, -exponent));
        }
        if d[d.len() - 1].abs() < d[0].abs() {
            d.reverse();
            e.reverse();
        }
        e.iter_mut().for_each(|v| *v *= *v);
        steps = root_free_block(d, e, steps, budget).ok_or(EigenError::NoConvergence { n, steps: budget })?;
        if exponent != 0 {
            d.iter_mut().for_each(|v| *v = libm::scalbn(*v, exponent));
        }
    }
    Ok(())
}

/// 2^-53, the unit roundoff of f64 (LAPACK's eps).
const UNIT_ROUNDOFF: f64 = f64::EPSILON / 2.0;
/// 2^-400 and 2^400: a block whose largest entry lies between them has squares and products of
/// squares well inside f64's range (LAPACK's bounds are about 2^-405 and 2^510).
const SAFE_MIN: f64 = 3.8725919148493183e-121;
const SAFE_MAX: f64 = 2.5822498780869086e120;

/// The iteration on one unreduced block with squared off-diagonal `e2` (k - 1 entries), from its
/// first entry on; returns the steps taken so far, None when they reach `budget`.
fn root_free_block(d: &mut [f64], e2: &mut [f64], mut steps: usize, budget: usize) -> Option<usize> {
    let k = d.len();
    let mut l = 0;
    while l < k {
        // The first negligible e2[m] from l on (m = k - 1 when none).
        let mut m = l;
        // (A NaN never counts as negligible: it runs into the budget.)
        while m + 1 < k && !negligible(e2[m], d[m], d[m + 1]) {
            m += 1;
        }
        if m + 1 < k {
            e2[m] = 0.0;
        }
        if m == l {
            l += 1;
            continue;
        }
        if m == l + 1 {
            let (high, low) = eigenvalues_2x2(d[l], f64::sqrt(e2[l]), d[l + 1]);
            d[l] = high;
            d[l + 1] = low;
            e2[l] = 0.0;
            l += 2;
            continue;
        }
        if steps == budget {
            return None;
        }
        steps += 1;
        // Wilkinson's shift from the leading 2 x 2 block.
        let e = f64::sqrt(e2[l]);
        let t = (d[l + 1] - d[l]) / (2.0 * e);
        let shift = d[l] - e / (t + libm::copysign(libm::hypot(t, 1.0), t));
        let (mut c, mut s) = (1.0, 0.0);
        let mut gamma = d[m] - shift;
        let mut p = gamma * gamma;
        for i in (l..m).rev() {
            let bb = e2[i];
            let r = p + bb;
            if i + 1 != m {
                e2[i + 1] = s * r;
            }
            let old_c = c;
            c = p / r;
            s = bb / r;
            let old_gamma = gamma;
            let alpha = d[i];
            gamma = c * (alpha - shift) - s * old_gamma;
            d[i + 1] = old_gamma + (alpha - gamma);
            p = if c != 0.0 { gamma * gamma / c } else { old_c * bb };
        }
        e2[l] = s * p;
        d[l] = shift + gamma;
    }
    Some(steps)
}

/// Whether the squared coupling e2 of diagonal entries a and b is negligible:
/// e^2 <= u^2 |a b|, u the unit roundoff.
fn negligible(e2: f64, a: f64, b: f64) -> bool {
    e2.abs() <= UNIT_ROUNDOFF * UNIT_ROUNDOFF * (a * b).abs()
}

/// The eigenvalues (larger |.| first, then the other) of [[a, b], [b, c]], the smaller one as
/// det / larger so that it keeps its relative accuracy (LAPACK dlae2).
fn eigenvalues_2x2(a: f64, b: f64, c: f64) -> (f64, f64) {
    let (sum, diff) = (a + c, (a - c).abs());
    let twice_b = (2.0 * b).abs();
    let (big, small) = if a.abs() > c.abs() { (a, c) } else { (c, a) };
    let root = if diff > twice_b {
        diff * f64::sqrt(1.0 + (twice_b / diff) * (twice_b / diff))
    } else if diff < twice_b {
        twice_b * f64::sqrt(1.0 + (diff / twice_b) * (diff / twice_b))
    } else {
        twice_b * std::f64::consts::SQRT_2
    };
    if sum == 0.0 {
        return (0.5 * root, -0.5 * root);
    }
    let first = 0.5 * (sum + libm::copysign(root, sum));
    (first, (big / first) * small - (b / first) * b)
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
        // Without eigenvectors, the root-free iteration: the same spectrum, other low bits.
        for (got, want) in h.sym_eigenvalues().unwrap().iter().zip(&lam) {
            assert!((got - want).abs() <= 1e-13 * 100.0, "{got} vs {want}");
        }
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
        let (mut d, mut e) = (vec![1.0, 2.0, 3.0], vec![1.0, f64::NAN, 0.0]);
        assert_eq!(ql_root_free(&mut d, &mut e), Err(EigenError::NoConvergence { n: 3, steps: 90 }));
    }

    #[test]
    fn the_root_free_iteration_gives_closed_form_spectra_at_every_scale() {
        // s [-1, 2, -1] of order n: eigenvalues s (2 - 2 cos(j pi / (n + 1))); the blocks of
        // entries near 1e+-200 are scaled before their squares are taken.
        for (n, scale) in [(1, 1.0), (2, 1.0), (3, 1e-200), (40, 1.0), (57, 1e200), (100, 3e-250)] {
            let mut d = vec![2.0 * scale; n];
            let mut e = vec![-scale; n];
            ql_root_free(&mut d, &mut e).unwrap();
            d.sort_by(f64::total_cmp);
            for (j, got) in d.iter().enumerate() {
                let want = scale * (2.0 - 2.0 * (((j + 1) as f64) * std::f64::consts::PI / (n as f64 + 1.0)).cos());
                assert!((got - want).abs() <= 1e-14 * 4.0 * scale, "n = {n}, j = {j}: {got} vs {want}");
            }
        }
        // A matrix that splits into blocks of two, one and two entries, and a graded one (entries from 1 to 1e-29, iterated
        // from its small end): the same spectrum as QL with rotations.
        let graded: Vec<f64> = (0..30).map(|i| 10f64.powi(-i)).collect();
        let cases = [
            (vec![4.0, 1.0, 0.0, 0.0, 3.0], vec![1.0, 0.0, 0.0, 2.0, 0.0]),
            (vec![0.0, 0.0], vec![f64::MIN_POSITIVE, 0.0]),
            (graded.clone(), graded.iter().map(|g| 0.5 * g).collect()),
            (graded.iter().rev().copied().collect(), graded.iter().rev().map(|g| 0.5 * g).collect()),
        ];
        for (d, e) in cases {
            let (mut want, mut e_ql) = (d.clone(), e.clone());
            ql(&mut want, &mut e_ql, |_, _, _| {}).unwrap();
            let (mut got, mut e_rf) = (d.clone(), e.clone());
            ql_root_free(&mut got, &mut e_rf).unwrap();
            want.sort_by(f64::total_cmp);
            got.sort_by(f64::total_cmp);
            for (g, w) in got.iter().zip(&want) {
                assert!((g - w).abs() <= 1e-14 * 4.0, "{got:?} vs {want:?}");
            }
        }
    }
}
