//! The dense symmetric eigensolver: Householder reduction to tridiagonal form, then the implicit
//! QL algorithm (EISPACK tred2 and tql2, in the form of the public-domain JAMA library). O(d^3);
//! eigenvectors only on request.
//!
//! The matrix is first scaled by a power of two that brings its largest |entry| into [1, 2): the
//! scaling is exact, every step of both algorithms is homogeneous of degree 0 or 1 in the matrix,
//! so the eigenvalues are those of the unscaled computation bit for bit, but squares and products
//! of entries can no longer overflow (entries of 1e300 once made QL loop on NaN forever).

use super::Matrix;

/// Why the eigensolver gave no answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EigenError {
    /// An entry is NaN or infinite.
    NotFinite,
    /// The QL iteration used its whole budget of 30 n steps (LAPACK's dsteqr cap) without
    /// splitting the tridiagonal matrix into 1 x 1 blocks.
    NoConvergence { n: usize, steps: usize },
}

impl std::fmt::Display for EigenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EigenError::NotFinite => write!(f, "the matrix has an entry that is not a finite number"),
            EigenError::NoConvergence { n, steps } => {
                write!(f, "the eigenvalue iteration did not converge within {steps} QL steps (30 n for n = {n})")
            }
        }
    }
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
    let mut v = ColumnMajor(a.scaled_by_power_of_two(-exponent).transpose());
    let mut d = vec![0.0; n];
    let mut e = vec![0.0; n];
    tridiagonalize(&mut v, &mut d, &mut e, want_vectors);
    // tred2 leaves the off-diagonal in e[1..n]; QL wants e[i] coupling i and i + 1.
    e.rotate_left(1);
    e[n - 1] = 0.0;
    if want_vectors {
        ql(&mut d, &mut e, |i, c, s| {
            let (left, right) = v.0.data.split_at_mut((i + 1) * n);
            rotate_columns(&mut left[i * n..], &mut right[..n], c, s);
        })?;
    } else {
        ql(&mut d, &mut e, |_, _, _| {})?;
    }
    d.iter_mut().for_each(|x| *x = libm::scalbn(*x, exponent));
    // Sort ascending (selection sort keeps eigenvector columns paired; O(n^2) swaps at most).
    let mut v = v.0;
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
                // Column i of V is row i of the stored transpose.
                for c in 0..n {
                    v.data.swap(i * n + c, k * n + c);
                }
            }
        }
    }
    Ok((d, if want_vectors { v.transpose() } else { Matrix::zeros(0) }))
}

/// Columns (x, y) of V <- (c x - s y, s x + c y): the plane rotation QL applies to the
/// eigenvector matrix (columns are contiguous in the transposed storage).
fn rotate_columns(x: &mut [f64], y: &mut [f64], c: f64, s: f64) {
    for (a, b) in x.iter_mut().zip(y.iter_mut()) {
        let hk = *b;
        *b = s * *a + c * hk;
        *a = c * *a - s * hk;
    }
}

/// The eigensolver's working matrix V, stored transposed. The published algorithm runs its inner
/// loops down columns of V; storing V^T makes them contiguous (about 4x faster at d = 2000) while
/// every arithmetic operation, and so every bit of the result, stays the same.
struct ColumnMajor(Matrix);

impl ColumnMajor {
    #[inline(always)]
    fn get(&self, i: usize, j: usize) -> f64 {
        self.0.data[j * self.0.n + i]
    }

    #[inline(always)]
    fn set(&mut self, i: usize, j: usize, v: f64) {
        self.0.data[j * self.0.n + i] = v;
    }

    fn column(&self, j: usize) -> &[f64] {
        &self.0.data[j * self.0.n..(j + 1) * self.0.n]
    }

    fn column_mut(&mut self, j: usize) -> &mut [f64] {
        &mut self.0.data[j * self.0.n..(j + 1) * self.0.n]
    }
}

/// One column of the symmetric product inside the Householder step: returns col . d and adds
/// f col into e. Four fixed partial sums break the add chain (the loop's cost at large d) and keep
/// the order of operations, and so the result, the same on every platform.
fn symv_column(col: &[f64], d: &[f64], e: &mut [f64], f: f64) -> f64 {
    let mut acc = [0.0; 4];
    let (c4, d4, e4) = (col.chunks_exact(4), d.chunks_exact(4), e.chunks_exact_mut(4));
    let (cr, dr) = (c4.remainder(), d4.remainder());
    for ((c, dd), ee) in c4.zip(d4).zip(e4) {
        for t in 0..4 {
            acc[t] += c[t] * dd[t];
            ee[t] += c[t] * f;
        }
    }
    let n4 = col.len() - cr.len();
    for (t, (c, dd)) in cr.iter().zip(dr).enumerate() {
        acc[t] += c * dd;
        e[n4 + t] += c * f;
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3])
}

#[allow(clippy::needless_range_loop)] // indices follow the published algorithm
fn tridiagonalize(v: &mut ColumnMajor, d: &mut [f64], e: &mut [f64], want_vectors: bool) {
    let n = v.0.n;
    for j in 0..n {
        d[j] = v.get(n - 1, j);
    }
    for i in (1..n).rev() {
        let mut scale = 0.0;
        let mut h = 0.0;
        for dk in d.iter().take(i) {
            scale += dk.abs();
        }
        if scale == 0.0 {
            e[i] = d[i - 1];
            for j in 0..i {
                d[j] = v.get(i - 1, j);
                v.set(i, j, 0.0);
                v.set(j, i, 0.0);
            }
        } else {
            for dk in d.iter_mut().take(i) {
                *dk /= scale;
                h += *dk * *dk;
            }
            let mut f = d[i - 1];
            let mut g = libm::sqrt(h);
            if f > 0.0 {
                g = -g;
            }
            e[i] = scale * g;
            h -= f * g;
            d[i - 1] = f - g;
            e[..i].fill(0.0);
            for j in 0..i {
                f = d[j];
                v.set(j, i, f);
                let col = &v.column(j)[j + 1..i];
                e[j] += v.get(j, j) * f + symv_column(col, &d[j + 1..i], &mut e[j + 1..i], f);
            }
            f = 0.0;
            for j in 0..i {
                e[j] /= h;
                f += e[j] * d[j];
            }
            let hh = f / (h + h);
            for j in 0..i {
                e[j] -= hh * d[j];
            }
            for j in 0..i {
                f = d[j];
                g = e[j];
                for ((vk, ek), dk) in v.column_mut(j)[j..i].iter_mut().zip(&e[j..i]).zip(&d[j..i]) {
                    *vk -= f * ek + g * dk;
                }
                d[j] = v.get(i - 1, j);
                v.set(i, j, 0.0);
            }
        }
        d[i] = h;
    }
    if !want_vectors {
        for (i, di) in d.iter_mut().enumerate() {
            *di = v.get(i, i);
        }
        e[0] = 0.0;
        return;
    }
    // Accumulate the transformations.
    for i in 0..n - 1 {
        v.set(n - 1, i, v.get(i, i));
        v.set(i, i, 1.0);
        let h = d[i + 1];
        if h != 0.0 {
            for k in 0..=i {
                d[k] = v.get(k, i + 1) / h;
            }
            for j in 0..=i {
                let mut g = 0.0;
                for k in 0..=i {
                    g += v.get(k, i + 1) * v.get(k, j);
                }
                for k in 0..=i {
                    let val = v.get(k, j) - g * d[k];
                    v.set(k, j, val);
                }
            }
        }
        for k in 0..=i {
            v.set(k, i + 1, 0.0);
        }
    }
    for j in 0..n {
        d[j] = v.get(n - 1, j);
        v.set(n - 1, j, 0.0);
    }
    v.set(n - 1, n - 1, 1.0);
    e[0] = 0.0;
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
            assert!((lam[0] + b).abs() <= 4.0 * f64::EPSILON * b && lam[1] == b, "{b}: {lam:?}");
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
