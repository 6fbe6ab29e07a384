//! Dense square matrices and a symmetric eigensolver, written out in plain loops.
//!
//! Why not faer here: faer picks SIMD kernels (with fused multiply-add) at run time on x86_64 but
//! not on wasm32, so its results differ in the last bits between the CLI and the page. The run
//! loop, the problem generators and the smoothness constants that set step sizes must give
//! bit-identical numbers everywhere (same URL, same numbers), so they use this module, whose
//! operation order is fixed and which never fuses multiply-adds.

mod eigen;
pub(crate) mod givens;
mod gram;
mod householder;
mod sym_matvec;
mod tridiagonal;

pub use eigen::EigenError;
pub use tridiagonal::Tridiagonal;
// The network's forward products share the Gram matrix's tiles of dot products: with AVX its
// 2 x 2 tile, with two lanes its tile of pairs of partial sums.
#[cfg(target_arch = "x86_64")]
pub(crate) use gram::dot_tile;
pub(crate) use gram::pairs_tile;

use crate::norm::{dot, dot_rows};

/// A dense n x n matrix, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    n: usize,
    data: Vec<f64>,
}

/// The order from which the lower-triangle product beats the row-by-row one, natively and in
/// wasm alike. CPU time of 20,000 GD and sign GD steps on a rotated quadratic, lower triangle
/// against rows, medians at load 10 on the 2-core x86_64 VM (AVX-512): release CLI 0.05 against
/// 0.04 s at d = 40, 0.07 against 0.07 at d = 60, 0.13 against 0.12 at d = 80, 0.16 against
/// 0.19 at d = 100, 0.37 against 0.46 at d = 160; the page core in Node 73 against 58 ms at
/// d = 20, 176 against 188 at d = 60, 291 against 333 at d = 100, 592 against 795 at d = 160.
/// The default sweep (d = 20) runs 1.6x slower with it.
const SYM_MATVEC_MIN_N: usize = 100;

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

    /// y = A x, four rows at a time sharing the loads of x; every y_i is summed exactly as
    /// dot(row i, x) sums it, so the bits do not depend on the grouping.
    pub fn matvec_into(&self, x: &[f64], y: &mut [f64]) {
        let n = self.n.max(1);
        let quads = self.data.chunks_exact(4 * n);
        let rest = quads.remainder();
        let mut y4 = y.chunks_exact_mut(4);
        for (rows, yy) in quads.zip(&mut y4) {
            yy.copy_from_slice(&dot_rows(std::array::from_fn::<_, 4, _>(|k| &rows[k * n..(k + 1) * n]), x));
        }
        for (yi, row) in y4.into_remainder().iter_mut().zip(rest.chunks_exact(n)) {
            *yi = dot(row, x);
        }
    }

    /// y = A x for an exactly symmetric A, reading only its lower triangle (half the memory
    /// traffic of `matvec_into`) and giving the same bits (`sym_matvec`). Below
    /// `SYM_MATVEC_MIN_N` the matrix sits in cache, memory traffic costs little, and the
    /// row-by-row product (the same bits) is faster.
    pub fn sym_matvec_into(&self, x: &[f64], y: &mut [f64]) {
        if self.n < SYM_MATVEC_MIN_N {
            self.matvec_into(x, y);
        } else {
            sym_matvec::sym_matvec_into(&self.data, self.n, x, y);
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

    /// A diag(w) A^T, each entry (a_i w) . a_j with the bits of `dot`, telling `done(fraction)`
    /// along the way.
    pub fn weighted_gram(&self, w: &[f64], done: &mut dyn FnMut(f64)) -> Matrix {
        gram::weighted_gram(self, w, done)
    }

    /// Part `part` of `parts` of `weighted_gram`'s rows, for a pool that shares the product:
    /// rows of the lower triangle (the rest 0), telling `tick(fraction)`; `from_lower_rows`
    /// puts the parts together into the matrix `weighted_gram` gives, to the bit.
    pub fn weighted_gram_part(&self, w: &[f64], part: usize, parts: usize, tick: crate::parallel::Tick) -> Vec<f64> {
        gram::weighted_gram_part(self, w, part, parts, tick)
    }

    /// The n x n matrix whose columns are those of `blocks` in order, each block an n x k
    /// row-major matrix of k consecutive columns (None unless they hold n columns of n).
    pub fn from_column_blocks(n: usize, blocks: &[Vec<f64>]) -> Option<Matrix> {
        let widths: Vec<usize> = blocks.iter().map(|b| b.len().checked_div(n).unwrap_or(0)).collect();
        if blocks.iter().zip(&widths).any(|(b, k)| b.len() != n * k) || widths.iter().sum::<usize>() != n {
            return None;
        }
        let mut m = Matrix::zeros(n);
        let mut c0 = 0;
        for (block, &k) in blocks.iter().zip(&widths) {
            for (i, row) in block.chunks_exact(k.max(1)).enumerate() {
                m.row_mut(i)[c0..c0 + k].copy_from_slice(row);
            }
            c0 += k;
        }
        Some(m)
    }

    /// The symmetric n x n matrix whose lower triangle's rows are `parts` in order (None unless
    /// they hold n rows of n).
    pub fn from_lower_rows(n: usize, parts: impl IntoIterator<Item = Vec<f64>>) -> Option<Matrix> {
        gram::from_lower_rows(n, parts)
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

    /// The exponent e with max |A_ij| / 2^e in [1, 2) (0 for the zero matrix): dividing by 2^e
    /// is exact and keeps squares and products of entries far from overflow.
    pub fn exponent_of_largest(&self) -> i32 {
        eigen::exponent_of_largest(&self.data)
    }

    /// 2^e A, exact (barring underflow of entries far below the largest).
    pub fn scaled_by_power_of_two(&self, e: i32) -> Matrix {
        Matrix { n: self.n, data: self.data.iter().map(|v| libm::scalbn(*v, e)).collect() }
    }

    pub fn is_finite(&self) -> bool {
        self.data.iter().all(|v| v.is_finite())
    }

    /// Gershgorin's interval [min_i (A_ii - r_i), max_i (A_ii + r_i)], r_i = sum_(j != i) |A_ij|,
    /// which holds every eigenvalue: the bracket that stands in when the eigensolver fails.
    pub fn gershgorin(&self) -> (f64, f64) {
        (0..self.n).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), i| {
            let a = self.get(i, i);
            let r = self.row(i).iter().map(|v| v.abs()).sum::<f64>() - a.abs();
            (lo.min(a - r), hi.max(a + r))
        })
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
                let (a, b) = (self.get(i, j), self.get(j, i));
                // Halving the sum is exact; halving first only where the sum would overflow.
                let v = if (a + b).is_finite() { 0.5 * (a + b) } else { 0.5 * a + 0.5 * b };
                self.set(i, j, v);
                self.set(j, i, v);
            }
        }
    }

    /// Eigenvalues of a symmetric matrix, ascending.
    pub fn sym_eigenvalues(&self) -> Result<Vec<f64>, EigenError> {
        eigen::eigen(self, false).map(|(values, _)| values)
    }

    /// Eigenvalues (ascending) and eigenvectors (column k of the returned matrix belongs to
    /// eigenvalue k) of a symmetric matrix.
    pub fn sym_eigen(&self) -> Result<(Vec<f64>, Matrix), EigenError> {
        eigen::eigen(self, true)
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

/// A matrix counts as PSD when its smallest eigenvalue is at least -PSD_TOLERANCE * max |lambda|.
pub const PSD_TOLERANCE: f64 = 1e-10;

/// rho_diag(H) = sum_i |H_ii| / sum_ij |H_ij| (docs/theory.md §3); 1 for the zero matrix.
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
        for (n, seed) in [(1, 1), (2, 2), (5, 3), (17, 4), (40, 5), (75, 6)] {
            let a = random_symmetric(n, seed);
            let (lam, v) = a.sym_eigen().unwrap();
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
            let lam2 = a.sym_eigenvalues().unwrap();
            for (x, y) in lam.iter().zip(&lam2) {
                assert!((x - y).abs() < 1e-10);
            }
        }
    }

    #[test]
    fn matvec_gives_each_row_the_bits_of_its_dot_product() {
        for n in [0, 1, 2, 7, 8, 9, 17, 40] {
            let a = random_symmetric(n, n as u64 + 1);
            let x = crate::rng::Rng::new(9).normals(n);
            let want: Vec<f64> = (0..n).map(|i| dot(a.row(i), &x)).collect();
            assert_eq!(a.matvec(&x), want, "n={n}");
            let brute: Vec<f64> = (0..n).map(|i| (0..n).map(|j| a.get(i, j) * x[j]).sum()).collect();
            assert!(want.iter().zip(&brute).all(|(p, q)| (p - q).abs() < 1e-12));
        }
    }

    #[test]
    fn symmetrizing_the_largest_floats_does_not_overflow() {
        let m = f64::MAX;
        let mut a = Matrix::from_rows(&[vec![0.0, m], vec![m, 0.0]]);
        a.symmetrize();
        assert_eq!(a.get(0, 1), m);
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
        let lam = Matrix::diagonal(&[3.0, -1.0, 2.0]).sym_eigenvalues().unwrap();
        assert_eq!(lam, vec![-1.0, 2.0, 3.0]);
        let n = 6;
        let mut j = Matrix::zeros(n);
        for i in 0..n {
            for k in 0..n {
                j.set(i, k, 1.0);
            }
        }
        let lam = j.sym_eigenvalues().unwrap();
        assert!((lam[n - 1] - n as f64).abs() < 1e-12);
        assert!(lam[..n - 1].iter().all(|l| l.abs() < 1e-12));
        // Tridiagonal Toeplitz (2, -1): 2 - 2 cos(k pi / (n + 1)); n = 150 spans five panels of
        // the blocked reduction.
        for n in [12, 150] {
            let mut t = Matrix::zeros(n);
            for i in 0..n {
                t.set(i, i, 2.0);
                if i + 1 < n {
                    t.set(i, i + 1, -1.0);
                    t.set(i + 1, i, -1.0);
                }
            }
            let lam = t.sym_eigenvalues().unwrap();
            for (k, l) in lam.iter().enumerate() {
                let want = 2.0 - 2.0 * (((k + 1) as f64) * std::f64::consts::PI / (n as f64 + 1.0)).cos();
                assert!((l - want).abs() < 1e-12, "{l} vs {want}");
            }
        }
    }
}
