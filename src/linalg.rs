//! Dense square matrices and a symmetric eigensolver, written out in plain loops.
//!
//! Why not faer here: faer picks SIMD kernels (with fused multiply-add) at run time on x86_64 but
//! not on wasm32, so its results differ in the last bits between the CLI and the page. The run
//! loop, the problem generators and the smoothness constants that set step sizes must give
//! bit-identical numbers everywhere (same URL, same numbers), so they use this module, whose
//! operation order is fixed and which never fuses multiply-adds.

use crate::norm::dot;

/// A dense n x n matrix, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    n: usize,
    data: Vec<f64>,
}

impl Matrix {
    pub fn zeros(n: usize) -> Self {
        Matrix { n, data: vec![0.0; n * n] }
    }

    pub fn identity(n: usize) -> Self {
        Self::diagonal(&vec![1.0; n])
    }

    pub fn diagonal(diag: &[f64]) -> Self {
        let mut m = Self::zeros(diag.len());
        for (i, v) in diag.iter().enumerate() {
            m.set(i, i, *v);
        }
        m
    }

    /// From rows; the caller has checked that every row has `rows.len()` entries.
    pub fn from_rows(rows: &[Vec<f64>]) -> Self {
        let n = rows.len();
        Matrix { n, data: rows.iter().flat_map(|r| r.iter().copied()).collect() }
    }

    pub fn to_rows(&self) -> Vec<Vec<f64>> {
        self.data.chunks(self.n.max(1)).map(|r| r.to_vec()).take(self.n).collect()
    }

    pub fn n(&self) -> usize {
        self.n
    }

    #[inline]
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.n + j]
    }

    #[inline]
    pub fn set(&mut self, i: usize, j: usize, v: f64) {
        self.data[i * self.n + j] = v;
    }

    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.n..(i + 1) * self.n]
    }

    pub fn row_mut(&mut self, i: usize) -> &mut [f64] {
        &mut self.data[i * self.n..(i + 1) * self.n]
    }

    /// Rows (p, p + 1) <- [[c, s], [-s, c]] (rows p, p + 1), a Givens rotation from the left,
    /// on columns from `from` on (the caller knows the entries before it are zero in both rows).
    pub fn rotate_rows(&mut self, p: usize, from: usize, c: f64, s: f64) {
        let n = self.n;
        let (upper, lower) = self.data.split_at_mut((p + 1) * n);
        rotate_pair(&mut upper[p * n + from..], &mut lower[from..n], c, s);
    }

    /// y = A x.
    pub fn matvec_into(&self, x: &[f64], y: &mut [f64]) {
        for (i, yi) in y.iter_mut().enumerate() {
            *yi = dot(self.row(i), x);
        }
    }

    /// y = A^T x, accumulated row by row (contiguous reads).
    pub fn matvec_transposed_into(&self, x: &[f64], y: &mut [f64]) {
        y.fill(0.0);
        for (i, xi) in x.iter().enumerate() {
            for (yj, aij) in y.iter_mut().zip(self.row(i)) {
                *yj += xi * aij;
            }
        }
    }

    pub fn matvec(&self, x: &[f64]) -> Vec<f64> {
        let mut y = vec![0.0; self.n];
        self.matvec_into(x, &mut y);
        y
    }

    pub fn transpose(&self) -> Matrix {
        let n = self.n;
        Matrix { n, data: (0..n * n).map(|k| self.data[(k % n) * n + k / n]).collect() }
    }

    /// Q^T A Q, as two products of row-major matrices written as row updates (contiguous, in a
    /// fixed order): M = A Q with M_i += A_ik Q_k, then R_i += Q_ki M_k.
    pub fn congruence(&self, q: &Matrix) -> Matrix {
        let n = self.n;
        let mut m = Matrix::zeros(n);
        for i in 0..n {
            for k in 0..n {
                let a = self.data[i * n + k];
                let (mi, qk) = (&mut m.data[i * n..(i + 1) * n], &q.data[k * n..(k + 1) * n]);
                mi.iter_mut().zip(qk).for_each(|(x, y)| *x += a * y);
            }
        }
        let mut r = Matrix::zeros(n);
        for k in 0..n {
            for i in 0..n {
                let qki = q.data[k * n + i];
                let (ri, mk) = (&mut r.data[i * n..(i + 1) * n], &m.data[k * n..(k + 1) * n]);
                ri.iter_mut().zip(mk).for_each(|(x, y)| *x += qki * y);
            }
        }
        r.symmetrize();
        r
    }

    pub fn trace(&self) -> f64 {
        (0..self.n).map(|i| self.get(i, i)).sum()
    }

    /// sum_ij |A_ij|.
    pub fn abs_sum(&self) -> f64 {
        self.data.iter().map(|v| v.abs()).sum()
    }

    pub fn is_finite(&self) -> bool {
        self.data.iter().all(|v| v.is_finite())
    }

    /// Largest |A_ij - A_ji| relative to the largest |A_ij| (0 for the zero matrix).
    pub fn asymmetry(&self) -> f64 {
        let scale = self.data.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if scale == 0.0 {
            return 0.0;
        }
        let mut worst = 0.0f64;
        for i in 0..self.n {
            for j in 0..i {
                worst = worst.max((self.get(i, j) - self.get(j, i)).abs());
            }
        }
        worst / scale
    }

    /// Replaces A by (A + A^T) / 2, removing rounding asymmetry.
    pub fn symmetrize(&mut self) {
        for i in 0..self.n {
            for j in 0..i {
                let v = 0.5 * (self.get(i, j) + self.get(j, i));
                self.set(i, j, v);
                self.set(j, i, v);
            }
        }
    }

    /// Eigenvalues of a symmetric matrix, ascending.
    pub fn sym_eigenvalues(&self) -> Vec<f64> {
        eigen(self, false).0
    }

    /// Eigenvalues (ascending) and eigenvectors (column k of the returned matrix belongs to
    /// eigenvalue k) of a symmetric matrix.
    pub fn sym_eigen(&self) -> (Vec<f64>, Matrix) {
        eigen(self, true)
    }
}

/// (x, y) <- (c x + s y, -s x + c y), elementwise over two equally long slices.
pub fn rotate_pair(x: &mut [f64], y: &mut [f64], c: f64, s: f64) {
    for (a, b) in x.iter_mut().zip(y.iter_mut()) {
        let (u, v) = (*a, *b);
        *a = c * u + s * v;
        *b = -s * u + c * v;
    }
}

/// Householder reduction to tridiagonal form, then the implicit QL algorithm (EISPACK tred2 and
/// tql2, in the form of the public-domain JAMA library). O(d^3); eigenvectors only on request.
fn eigen(a: &Matrix, want_vectors: bool) -> (Vec<f64>, Matrix) {
    let n = a.n;
    if n == 0 {
        return (vec![], Matrix::zeros(0));
    }
    let mut v = ColumnMajor(a.transpose());
    let mut d = vec![0.0; n];
    let mut e = vec![0.0; n];
    tridiagonalize(&mut v, &mut d, &mut e, want_vectors);
    tql2(&mut v, &mut d, &mut e, want_vectors);
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
    (d, if want_vectors { v.transpose() } else { Matrix::zeros(0) })
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

fn tql2(v: &mut ColumnMajor, d: &mut [f64], e: &mut [f64], want_vectors: bool) {
    let n = v.0.n;
    for i in 1..n {
        e[i - 1] = e[i];
    }
    e[n - 1] = 0.0;
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
                    if want_vectors {
                        for k in 0..n {
                            let hk = v.get(k, i + 1);
                            v.set(k, i + 1, s * v.get(k, i) + c * hk);
                            v.set(k, i, c * v.get(k, i) - s * hk);
                        }
                    }
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
}

/// A matrix counts as PSD when its smallest eigenvalue is at least -PSD_TOLERANCE * max |lambda|.
pub const PSD_TOLERANCE: f64 = 1e-10;

/// rho_diag(H) = sum_i |H_ii| / sum_ij |H_ij| (paper-notes section 3); 1 for the zero matrix.
pub fn rho_diag(h: &Matrix) -> f64 {
    let total = h.abs_sum();
    if total == 0.0 {
        return 1.0;
    }
    (0..h.n()).map(|i| h.get(i, i).abs()).sum::<f64>() / total
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::testing::random_symmetric;

    #[test]
    fn eigenpairs_satisfy_a_v_equals_lambda_v_and_are_orthonormal() {
        for (n, seed) in [(1, 1), (2, 2), (5, 3), (17, 4), (40, 5)] {
            let a = random_symmetric(n, seed);
            let (lam, v) = a.sym_eigen();
            for (k, &lam_k) in lam.iter().enumerate() {
                let col: Vec<f64> = (0..n).map(|r| v.get(r, k)).collect();
                let av = a.matvec(&col);
                for r in 0..n {
                    assert!((av[r] - lam_k * col[r]).abs() < 1e-10, "n={n} k={k}");
                }
                for k2 in 0..n {
                    let col2: Vec<f64> = (0..n).map(|r| v.get(r, k2)).collect();
                    let want = if k == k2 { 1.0 } else { 0.0 };
                    assert!((dot(&col, &col2) - want).abs() < 1e-10);
                }
            }
            assert!(lam.windows(2).all(|w| w[0] <= w[1]));
            // Values-only path agrees with the full path.
            let lam2 = a.sym_eigenvalues();
            for (x, y) in lam.iter().zip(&lam2) {
                assert!((x - y).abs() < 1e-10);
            }
        }
    }

    #[test]
    fn congruence_matches_the_definition() {
        let a = random_symmetric(7, 3);
        let q = random_symmetric(7, 4);
        let r = a.congruence(&q);
        for i in 0..7 {
            for j in 0..7 {
                let brute: f64 = (0..7)
                    .flat_map(|k| (0..7).map(move |l| (k, l)))
                    .map(|(k, l)| q.get(k, i) * a.get(k, l) * q.get(l, j))
                    .sum();
                assert!((r.get(i, j) - brute).abs() < 1e-12, "({i},{j}): {} vs {brute}", r.get(i, j));
            }
        }
    }

    #[test]
    fn textbook_spectra() {
        // Diagonal: its entries. All-ones matrix J_n: n once, 0 (n-1) times.
        let lam = Matrix::diagonal(&[3.0, -1.0, 2.0]).sym_eigenvalues();
        assert_eq!(lam, vec![-1.0, 2.0, 3.0]);
        let n = 6;
        let mut j = Matrix::zeros(n);
        for i in 0..n {
            for k in 0..n {
                j.set(i, k, 1.0);
            }
        }
        let lam = j.sym_eigenvalues();
        assert!((lam[n - 1] - n as f64).abs() < 1e-12);
        assert!(lam[..n - 1].iter().all(|l| l.abs() < 1e-12));
        // Tridiagonal Toeplitz (2, -1): 2 - 2 cos(k pi / (n + 1)).
        let n = 12;
        let mut t = Matrix::zeros(n);
        for i in 0..n {
            t.set(i, i, 2.0);
            if i + 1 < n {
                t.set(i, i + 1, -1.0);
                t.set(i + 1, i, -1.0);
            }
        }
        let lam = t.sym_eigenvalues();
        for (k, l) in lam.iter().enumerate() {
            let want = 2.0 - 2.0 * (((k + 1) as f64) * std::f64::consts::PI / (n as f64 + 1.0)).cos();
            assert!((l - want).abs() < 1e-12, "{l} vs {want}");
        }
    }
}
