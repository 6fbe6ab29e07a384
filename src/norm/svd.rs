//! The singular value decomposition of a small rectangular matrix by one-sided Jacobi
//! (Hestenes 1958), and what the spectral geometry needs from it: singular values, the nuclear
//! norm and the polar factor U V^T (docs/theory.md §6).
//!
//! One-sided Jacobi orthogonalises the columns of the tall orientation of A by plane rotations,
//! column pairs (i, j), i < j, in a fixed cyclic order, until a sweep rotates nothing: then
//! A V = W with orthogonal columns, sigma_j = ||w_j||_2 and u_j = w_j / sigma_j. The order, the
//! dot products (`norm::dot`) and `libm` make the result the same bits natively and in wasm; it is
//! accurate to a few ulps relative to sigma_max, which is all the layer matrices here need.
//!
//! Matrices are row-major slices of `rows x cols` numbers.

use super::dot;

/// Sweeps allowed before giving up (Jacobi converges quadratically: about 6 to 10 suffice);
/// only a non-finite input reaches the cap, and then the values are NaN anyway.
const MAX_SWEEPS: usize = 60;

/// A pair of columns counts as orthogonal when |<w_i, w_j>| <= TOLERANCE ||w_i|| ||w_j||.
const TOLERANCE: f64 = 1e-15;

/// A = U diag(s) V^T with r = min(rows, cols) singular triplets, in the Jacobi order (not sorted).
#[derive(Clone, Debug)]
pub struct Svd {
    pub rows: usize,
    pub cols: usize,
    /// Singular values, r of them, non-negative.
    pub s: Vec<f64>,
    /// Left singular vectors as r columns of length rows (column k is u[k]); zero for s_k = 0.
    pub u: Vec<Vec<f64>>,
    /// Right singular vectors as r columns of length cols.
    pub v: Vec<Vec<f64>>,
}

/// Largest |log2| of max |a_ij| the rotations run on as given: beyond it the squares in their dot
/// products under- or overflow (a gradient of entries near 1e-301 gave NaN steps).
const MAX_EXPONENT: i32 = 500;

/// The SVD of the row-major `rows x cols` matrix `a`. It is scale-invariant: for max |a_ij| far
/// from 1 (past 2^±500) it is the SVD of 2^-e A, exact, with the singular values times 2^e; other
/// matrices run as given, so their bits are unchanged.
pub fn svd(a: &[f64], rows: usize, cols: usize) -> Svd {
    let largest = a.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let e = if largest > 0.0 && largest.is_finite() { libm::ilogb(largest) } else { 0 };
    if e.abs() <= MAX_EXPONENT {
        return jacobi(a, rows, cols);
    }
    let scaled: Vec<f64> = a.iter().map(|x| libm::scalbn(*x, -e)).collect();
    let mut r = jacobi(&scaled, rows, cols);
    r.s.iter_mut().for_each(|s| *s = libm::scalbn(*s, e));
    r
}

/// One-sided Jacobi on `a` as given.
fn jacobi(a: &[f64], rows: usize, cols: usize) -> Svd {
    debug_assert_eq!(a.len(), rows * cols);
    // Work on the tall orientation B (m x n, m >= n): B = A, or A^T; columns stored contiguously.
    let tall = rows >= cols;
    let (m, n) = if tall { (rows, cols) } else { (cols, rows) };
    let entry = |i: usize, j: usize| if tall { a[i * cols + j] } else { a[j * cols + i] };
    let mut w: Vec<Vec<f64>> = (0..n).map(|j| (0..m).map(|i| entry(i, j)).collect()).collect();
    let mut v: Vec<Vec<f64>> = (0..n).map(|j| (0..n).map(|i| if i == j { 1.0 } else { 0.0 }).collect()).collect();
    for _ in 0..MAX_SWEEPS {
        let mut rotated = false;
        for i in 0..n {
            for j in i + 1..n {
                let (alpha, beta, gamma) = (dot(&w[i], &w[i]), dot(&w[j], &w[j]), dot(&w[i], &w[j]));
                if gamma == 0.0 || gamma.abs() <= TOLERANCE * f64::sqrt(alpha) * f64::sqrt(beta) {
                    continue;
                }
                rotated = true;
                // The rotation [c s; -s c] that makes the pair orthogonal: t = tan(theta) is the
                // smaller root of t^2 + 2 zeta t - 1 = 0 (the rotation of angle at most pi/4).
                let zeta = (beta - alpha) / (2.0 * gamma);
                let t = if zeta >= 0.0 { 1.0 } else { -1.0 } / (zeta.abs() + libm::hypot(1.0, zeta));
                let c = 1.0 / libm::hypot(1.0, t);
                let s = c * t;
                rotate(&mut w, i, j, c, s);
                rotate(&mut v, i, j, c, s);
            }
        }
        if !rotated {
            break;
        }
    }
    let s: Vec<f64> = w.iter().map(|col| f64::sqrt(dot(col, col))).collect();
    let u: Vec<Vec<f64>> =
        w.iter().zip(&s).map(|(col, sk)| col.iter().map(|x| if *sk > 0.0 { x / sk } else { 0.0 }).collect()).collect();
    // B = U S V^T; for A = B^T the roles of U and V swap.
    let (u, v) = if tall { (u, v) } else { (v, u) };
    Svd { rows, cols, s, u, v }
}

/// (w_i, w_j) <- (c w_i - s w_j, s w_i + c w_j).
fn rotate(w: &mut [Vec<f64>], i: usize, j: usize, c: f64, s: f64) {
    let (head, tail) = w.split_at_mut(j);
    for (x, y) in head[i].iter_mut().zip(tail[0].iter_mut()) {
        let (a, b) = (*x, *y);
        *x = c * a - s * b;
        *y = s * a + c * b;
    }
}

impl Svd {
    /// The singular values in descending order.
    pub fn sorted_values(&self) -> Vec<f64> {
        let mut s = self.s.clone();
        s.sort_by(|a, b| b.total_cmp(a));
        s
    }

    /// ||A||_* = sum of the singular values (the dual of the spectral norm).
    pub fn nuclear(&self) -> f64 {
        self.s.iter().sum()
    }

    /// ||A||_2 = the largest singular value.
    pub fn spectral(&self) -> f64 {
        self.s.iter().fold(0.0, |m, s| m.max(*s))
    }

    /// The polar factor U_r V_r^T over the singular values above the numerical rank cut
    /// sigma_max max(rows, cols) eps, written row-major into `out`: ||out||_2 = 1 (0 for A = 0)
    /// and <A, out> = ||A||_* up to rounding. Below the cut a singular direction is noise, and
    /// any partial isometry on the rank-r part attains the dual norm (docs/theory.md §6).
    pub fn polar_into(&self, out: &mut [f64]) {
        debug_assert_eq!(out.len(), self.rows * self.cols);
        out.fill(0.0);
        let cut = self.spectral() * self.rows.max(self.cols) as f64 * f64::EPSILON;
        for ((sk, uk), vk) in self.s.iter().zip(&self.u).zip(&self.v) {
            if *sk <= cut {
                continue;
            }
            for (row, ui) in out.chunks_exact_mut(self.cols).zip(uk) {
                for (o, vj) in row.iter_mut().zip(vk) {
                    *o += ui * vj;
                }
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::rng::Rng;

    /// A = sum_k s_k u_k v_k^T, rebuilt plainly.
    fn rebuild(d: &Svd) -> Vec<f64> {
        let mut a = vec![0.0; d.rows * d.cols];
        for k in 0..d.s.len() {
            for i in 0..d.rows {
                for j in 0..d.cols {
                    a[i * d.cols + j] += d.s[k] * d.u[k][i] * d.v[k][j];
                }
            }
        }
        a
    }

    fn gram_is_identity(cols: &[Vec<f64>], keep: &[bool]) -> f64 {
        let mut worst = 0.0f64;
        for (i, a) in cols.iter().enumerate() {
            for (j, b) in cols.iter().enumerate() {
                if keep[i] && keep[j] {
                    let want = if i == j { 1.0 } else { 0.0 };
                    worst = worst.max((dot(a, b) - want).abs());
                }
            }
        }
        worst
    }

    /// Identity: U S V^T rebuilds A, U and V have orthonormal columns, for tall, wide and square
    /// matrices, and for a rank-deficient one.
    #[test]
    fn factors_rebuild_the_matrix_with_orthonormal_columns() {
        let mut rng = Rng::new(7);
        let low_rank = {
            let (p, q) = (rng.normals(5), rng.normals(4));
            p.iter().flat_map(|pi| q.iter().map(move |qj| pi * qj)).collect::<Vec<f64>>()
        };
        let cases = [(6, 3, rng.normals(18)), (3, 7, rng.normals(21)), (5, 5, rng.normals(25)), (5, 4, low_rank)];
        for (rows, cols, a) in cases {
            let d = svd(&a, rows, cols);
            assert_eq!(d.s.len(), rows.min(cols));
            let scale = d.spectral();
            let err = rebuild(&d).iter().zip(&a).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max);
            assert!(err <= 1e-14 * scale, "{rows}x{cols}: rebuild error {err:e}");
            let keep: Vec<bool> = d.s.iter().map(|s| *s > 1e-12 * scale).collect();
            assert!(gram_is_identity(&d.u, &keep) < 1e-14, "{rows}x{cols}: U");
            assert!(gram_is_identity(&d.v, &vec![true; d.v.len()]) < 1e-14, "{rows}x{cols}: V");
        }
    }

    /// Scale invariance: 2^k A has the factors of A and its singular values times 2^k, exactly,
    /// where the squares under- or overflow (fuzz seed 7 case 1783: a gradient near 1e-301 gave
    /// the spectral method a NaN step).
    #[test]
    fn extreme_scales_give_the_scaled_singular_values() {
        let a = Rng::new(3).normals(12);
        let base = svd(&a, 4, 3);
        for k in [-1000, -600, 600, 1000] {
            let big: Vec<f64> = a.iter().map(|x| libm::scalbn(*x, k)).collect();
            let d = svd(&big, 4, 3);
            let want: Vec<f64> = base.s.iter().map(|s| libm::scalbn(*s, k)).collect();
            assert_eq!((d.s, d.u, d.v), (want, base.u.clone(), base.v.clone()), "2^{k}");
        }
    }

    /// Closed form: the singular values of a 2 x 2 matrix are the square roots of the
    /// eigenvalues of A^T A, (tr +- sqrt(tr^2 - 4 det)) / 2.
    #[test]
    fn two_by_two_singular_values_in_closed_form() {
        let a = [3.0, 1.0, -2.0, 4.0];
        let ata = [a[0] * a[0] + a[2] * a[2], a[0] * a[1] + a[2] * a[3], a[1] * a[1] + a[3] * a[3]];
        let (tr, det) = (ata[0] + ata[2], ata[0] * ata[2] - ata[1] * ata[1]);
        let disc = f64::sqrt(tr * tr - 4.0 * det);
        let want = [f64::sqrt((tr + disc) / 2.0), f64::sqrt((tr - disc) / 2.0)];
        let got = svd(&a, 2, 2).sorted_values();
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-14 * want[0], "{g} vs {w}");
        }
    }

    /// The polar factor of A has every singular value 1 (on A's rank) and attains the nuclear
    /// norm; the nuclear norm of the polar factor of a rank-1 matrix is 1.
    #[test]
    fn polar_factor_is_a_partial_isometry_attaining_the_nuclear_norm() {
        let mut rng = Rng::new(3);
        for (rows, cols) in [(4, 3), (2, 6), (5, 5)] {
            let a = rng.normals(rows * cols);
            let d = svd(&a, rows, cols);
            let mut p = vec![0.0; rows * cols];
            d.polar_into(&mut p);
            for s in svd(&p, rows, cols).s {
                assert!((s - 1.0).abs() < 1e-14, "{rows}x{cols}: {s}");
            }
            assert!((dot(&a, &p) - d.nuclear()).abs() < 1e-13 * d.nuclear());
        }
        let mut p = vec![0.0; 6];
        svd(&[1.0, 2.0, 2.0, 4.0, 3.0, 6.0], 3, 2).polar_into(&mut p);
        assert!((svd(&p, 3, 2).nuclear() - 1.0).abs() < 1e-14);
    }
}
