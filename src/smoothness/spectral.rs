//! The smoothness constant of a quadratic with PSD Hessian H under the per-layer spectral norm,
//! L_spec = max { x^T H x : ||x|| <= 1 } (docs/theory.md §6), bracketed:
//!
//! - lower bounds: lambda_1 (the top eigenvector has per-layer spectral norm at most its l2
//!   norm 1), improved by a power-like iteration over polar factors, x <- s(H x) with s the
//!   per-layer steepest direction: for PSD H, x^T H x is convex, so
//!   s(Hx)^T H s(Hx) >= x^T H x + 2 <H x, s(H x) - x> >= x^T H x, and the value never falls;
//! - upper bounds, each proven: R L_2 with R = sum_b min(rows_b, cols_b) (Cauchy–Schwarz), and
//!   ball inclusion: a matrix of spectral norm at most 1 has every row (and every column) of l2
//!   norm at most 1, so the unit ball lies in the unit ball of the block-l2 norm over rows (and
//!   over columns), whose constant is at most sum_bc ||H_bc||_2 (operator norms of the blocks,
//!   from the SVD): ||H v||_* = sum_b ||sum_c H_bc v_c||_2 <= sum_bc ||H_bc||_2 ||v_c||_2.
//!
//! - for a single m x n matrix variable, the Kronecker bound: with H = A (x) B + E (A (x) B the
//!   nearest Kronecker product, E the rest), L_spec <= sum_{i <= min(m, n)} sigma_i(A) sigma_i(B)
//!   + R ||E||_F, which is L_spec itself for H = A (x) B with A, B PSD (docs/theory.md §6).
//!
//! The bracket is exact when the two meet, e.g. for H = A (x) I acting on the rows of a
//! diagonal-like layer; a rotation of both sides keeps L_spec but not the ball-inclusion bounds,
//! and keeps the Kronecker bound: (U (x) V)(A (x) B)(U (x) V)^T = (U A U^T) (x) (V B V^T).

use crate::linalg::Matrix;
use crate::norm::modular::max_nuclear_rank;
use crate::norm::svd::svd;
use crate::norm::{dot, Block, LayerNorm, Layout, Norm};
use crate::rng::{Rng, Stream};

/// Iterations of the polar power iteration per start (it stops earlier when the value is still).
const POWER_STEPS: usize = 200;
/// Seeded Gaussian starts of the iteration (a start at an eigenvector can stall at a fixed point
/// below the maximum, e.g. a single row of X).
const POWER_STARTS: usize = 4;
/// The ball-inclusion bounds take an SVD per pair of rows (columns): computed up to this
/// dimension (at d = 256 about 0.1 s natively).
pub const BLOCK_BOUND_MAX_D: usize = 256;
/// Power steps for the nearest Kronecker product (one suffices for an exact one; any factors give
/// a valid bound, the residual pays for the rest).
const KRONECKER_STEPS: usize = 8;
/// The Kronecker bound replaces a smaller bound only when it is lower by more than rounding, so
/// that a bracket closed by the other bounds keeps its bits.
const KRONECKER_MARGIN: f64 = 1e-12;

/// L_spec in [lower, upper], with the method that gave each end.
#[derive(Clone, Debug, PartialEq)]
pub struct SpectralBracket {
    pub lower: f64,
    pub lower_method: &'static str,
    pub upper: f64,
    pub upper_method: &'static str,
}

/// The bracket for PSD `h` under the per-layer spectral norm of `layout`, with `l2` = lambda_1.
pub fn spectral_bracket(h: &Matrix, layout: &Layout, l2: f64) -> SpectralBracket {
    let norm = Norm::Modular { layout: layout.clone(), layer: LayerNorm::Spectral };
    let (mut lower, mut lower_method) = (l2, "lambda_1");
    let mut rng = Rng::stream(0, Stream::LocalSearch);
    for _ in 0..POWER_STARTS {
        let power = polar_power(h, &norm, &rng.normals(h.n()));
        if power > lower {
            (lower, lower_method) = (power, "polar power iteration");
        }
    }
    let (mut upper, mut upper_method) = (max_nuclear_rank(layout) as f64 * l2, "sum_b min(m_b, n_b) L_2");
    if h.n() <= BLOCK_BOUND_MAX_D {
        for (bound, method) in [
            (blocks_operator_bound(h, &cut(layout, false)), "rows: sum of block operator norms"),
            (blocks_operator_bound(h, &cut(layout, true)), "columns: sum of block operator norms"),
        ] {
            if bound < upper {
                (upper, upper_method) = (bound, method);
            }
        }
    }
    if let [Block::Matrix { rows, cols }] = layout.0[..] {
        let bound = kronecker_bound(h, rows, cols);
        if bound < upper * (1.0 - KRONECKER_MARGIN) {
            (upper, upper_method) = (bound, "Kronecker: sum_i sigma_i(A) sigma_i(B) + R ||H - A (x) B||_F");
        }
    }
    // Rounding in the lower bound's value may pass an exact upper bound by an ulp or two.
    SpectralBracket { lower: lower.min(upper), lower_method, upper, upper_method }
}

/// x <- s(H x) from the unit-norm direction of `start`, until the value x^T H x stops rising.
fn polar_power(h: &Matrix, norm: &Norm, start: &[f64]) -> f64 {
    let mut x = norm.direction(start);
    let mut value = dot(&x, &h.matvec(&x));
    for _ in 0..POWER_STEPS {
        let next = norm.direction(&h.matvec(&x));
        let v = dot(&next, &h.matvec(&next));
        if v <= value * (1.0 + 1e-15) {
            break;
        }
        (x, value) = (next, v);
    }
    value
}

/// The Kronecker bound for one m x n matrix variable (x = vec(X) row-major, so (A (x) B) x is
/// vec(A X B^T)). A (x) B is the nearest Kronecker product of Van Loan and Pitsianis: the top
/// singular pair of H rearranged as R[(i, k), (j, l)] = H[(i, j), (k, l)] (vec(A) vec(B)^T), from
/// power steps on vec(B) starting at I. Then for ||V||_2, ||W||_2 <= 1, von Neumann's trace
/// inequality and sigma_i(V B W^T) <= ||V||_2 ||W||_2 sigma_i(B) give
///   <W, A V B> = tr(A V B W^T) <= sum_{i <= min(m, n)} sigma_i(A) sigma_i(B)
/// (V B W^T has rank at most min(m, n)), and the rest E = H - A (x) B adds at most
/// ||E||_2 ||v||_2 ||w||_2 <= R ||E||_F. A and B are symmetrised first (any factors are valid).
fn kronecker_bound(h: &Matrix, m: usize, n: usize) -> f64 {
    // H[(i, j), (k, l)]: block (i, k) of H holds the n x n entries (j, l).
    let at = |i: usize, k: usize, j: usize, l: usize| h.get(i * n + j, k * n + l);
    let mut b: Vec<f64> = (0..n * n).map(|jl| if jl / n == jl % n { 1.0 } else { 0.0 }).collect();
    let mut a = vec![0.0; m * m];
    for step in 0..KRONECKER_STEPS {
        // vec(A) = R vec(B): A_ik = <H_ik, B>.
        for (ik, aik) in a.iter_mut().enumerate() {
            let (i, k) = (ik / m, ik % m);
            *aik = (0..n * n).map(|jl| at(i, k, jl / n, jl % n) * b[jl]).sum();
        }
        if step + 1 == KRONECKER_STEPS {
            break;
        }
        // vec(B) = R^T vec(A) / ||R^T vec(A)||_2.
        for (jl, bjl) in b.iter_mut().enumerate() {
            let (j, l) = (jl / n, jl % n);
            *bjl = (0..m * m).map(|ik| a[ik] * at(ik / m, ik % m, j, l)).sum();
        }
        let norm = f64::sqrt(dot(&b, &b));
        if norm == 0.0 {
            return f64::INFINITY;
        }
        b.iter_mut().for_each(|v| *v /= norm);
    }
    let (a, b) = (symmetrised(&a, m), symmetrised(&b, n));
    let mut residual = 0.0;
    for (i, k, j, l) in
        (0..m).flat_map(|i| (0..m).flat_map(move |k| (0..n).flat_map(move |j| (0..n).map(move |l| (i, k, j, l)))))
    {
        let e = at(i, k, j, l) - a.get(i, k) * b.get(j, l);
        residual += e * e;
    }
    let singular = |x: &Matrix| -> Option<Vec<f64>> {
        let mut s: Vec<f64> = x.sym_eigenvalues().ok()?.iter().map(|v| v.abs()).collect();
        s.sort_by(|p, q| q.total_cmp(p));
        Some(s)
    };
    let (Some(sa), Some(sb)) = (singular(&a), singular(&b)) else {
        return f64::INFINITY;
    };
    let kron: f64 = sa.iter().zip(&sb).map(|(x, y)| x * y).sum();
    kron + m.min(n) as f64 * f64::sqrt(residual)
}

/// (X + X^T) / 2 of a row-major n x n matrix.
fn symmetrised(x: &[f64], n: usize) -> Matrix {
    Matrix::from_rows(
        &(0..n).map(|i| (0..n).map(|j| 0.5 * (x[i * n + j] + x[j * n + i])).collect()).collect::<Vec<_>>(),
    )
}

/// The coordinates of each row (or each column) of every matrix block, and of each vector block
/// whole (a vector is a one-column matrix: its one column is itself).
fn cut(layout: &Layout, columns: bool) -> Vec<Vec<usize>> {
    let mut sets = Vec::new();
    for (b, r) in layout.ranges() {
        match b {
            Block::Matrix { rows, cols } if columns => {
                sets.extend((0..cols).map(|j| (0..rows).map(|i| r.start + i * cols + j).collect()))
            }
            Block::Matrix { rows, cols } => {
                sets.extend((0..rows).map(|i| (r.start + i * cols..r.start + (i + 1) * cols).collect()))
            }
            Block::Vector { .. } => sets.push(r.collect()),
        }
    }
    sets
}

/// sum over pairs of coordinate sets (b, c) of the largest singular value of H_bc.
fn blocks_operator_bound(h: &Matrix, sets: &[Vec<usize>]) -> f64 {
    let mut total = 0.0;
    for b in sets {
        for c in sets {
            let block: Vec<f64> = b.iter().flat_map(|&i| c.iter().map(move |&j| h.get(i, j))).collect();
            if block.iter().any(|v| *v != 0.0) {
                total += svd(&block, b.len(), c.len()).spectral();
            }
        }
    }
    total
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::rng::Rng;
    use crate::testing::random_psd;

    /// Brute force: x^T H x over many points of the unit ball (random directions scaled to norm
    /// 1, and polar factors of random matrices) stays under the upper bound.
    #[test]
    fn bracket_holds_against_sampled_points_of_the_ball() {
        let mut rng = Rng::new(21);
        for (seed, layout) in [
            (1, Layout::matrix(3, 3)),
            (2, Layout::matrix(2, 4)),
            (3, Layout(vec![Block::Matrix { rows: 3, cols: 2 }, Block::Vector { len: 3 }])),
        ] {
            let d = layout.dim();
            let h = random_psd(d, seed);
            let l2 = *h.sym_eigenvalues().unwrap().last().unwrap();
            let b = spectral_bracket(&h, &layout, l2);
            assert!(l2 <= b.lower && b.lower <= b.upper, "{b:?}");
            let norm = Norm::Modular { layout: layout.clone(), layer: LayerNorm::Spectral };
            let mut best = 0.0f64;
            for k in 0..4000 {
                let v = rng.normals(d);
                let x: Vec<f64> = if k % 2 == 0 {
                    let n = norm.norm(&v);
                    v.iter().map(|vi| vi / n).collect()
                } else {
                    norm.direction(&v)
                };
                best = best.max(dot(&x, &h.matvec(&x)));
            }
            assert!(best <= b.upper * (1.0 + 1e-12), "{layout}: sampled {best} above {}", b.upper);
        }
    }

    /// Brute force: H = A (x) B with A, B random PSD (3 x 3 and 2 x 2, and 2 x 2 and 3 x 3), then
    /// both sides rotated by seeded Haar rotations. The Kronecker bound is the closed form
    /// sum_{i <= 2} a_i b_i (eigenvalues, largest first), the value of X = sum_i u_i v_i^T (the top
    /// eigenvectors paired, spectral norm 1), which the polar power iteration meets; and no point
    /// of the unit ball sampled (scaled random matrices, polar factors) does better.
    #[test]
    fn a_kronecker_hessian_rotated_on_both_sides_keeps_its_exact_bracket() {
        use crate::objective::HaarRotation;
        let mut rng = Rng::new(8);
        for (m, n, seed) in [(3, 2, 1), (2, 3, 2)] {
            let (a, b) = (random_psd(m, seed), random_psd(n, seed + 10));
            let mut h = Matrix::zeros(m * n);
            for (i, k, j, l) in (0..m)
                .flat_map(|i| (0..m).flat_map(move |k| (0..n).flat_map(move |j| (0..n).map(move |l| (i, k, j, l)))))
            {
                h.set(i * n + j, k * n + l, a.get(i, k) * b.get(j, l));
            }
            let (u, v) = (HaarRotation::new(m, &mut rng).matrix(1.0), HaarRotation::new(n, &mut rng).matrix(1.0));
            let mut q = Matrix::zeros(m * n);
            for (i, k, j, l) in (0..m)
                .flat_map(|i| (0..m).flat_map(move |k| (0..n).flat_map(move |j| (0..n).map(move |l| (i, k, j, l)))))
            {
                q.set(k * n + l, i * n + j, u.get(i, k) * v.get(j, l));
            }
            let h = h.congruence(&q);
            let (mut ea, mut eb) = (a.sym_eigenvalues().unwrap(), b.sym_eigenvalues().unwrap());
            ea.reverse();
            eb.reverse();
            let want = ea[0] * eb[0] + ea[1] * eb[1];
            let eig = h.sym_eigenvalues().unwrap();
            let layout = Layout::matrix(m, n);
            let br = spectral_bracket(&h, &layout, *eig.last().unwrap());
            assert!((br.upper - want).abs() <= 1e-9 * want, "{m}x{n}: {br:?} vs {want}");
            assert!((br.lower - want).abs() <= 1e-9 * want && br.upper_method.starts_with("Kronecker"), "{br:?}");
            let norm = Norm::Modular { layout: layout.clone(), layer: LayerNorm::Spectral };
            let mut best = 0.0f64;
            for k in 0..4000 {
                let g = rng.normals(m * n);
                let x = if k % 2 == 0 { g.iter().map(|gi| gi / norm.norm(&g)).collect() } else { norm.direction(&g) };
                best = best.max(dot(&x, &h.matvec(&x)));
            }
            assert!(best <= br.upper * (1.0 + 1e-12), "sampled {best} above {}", br.upper);
        }
    }

    /// Closed form: for H = diag(a) (x) I_n (each row of X weighted by a_i), L_spec is the sum of
    /// the min(m, n) largest a_i; here m = n, so tr A. The row bound meets the iteration.
    #[test]
    fn rows_weighted_by_a_diagonal_are_exact() {
        let a = [100.0, 1.0, 1.0, 1.0];
        let (m, n) = (4, 4);
        let diag: Vec<f64> = a.iter().flat_map(|ai| std::iter::repeat_n(*ai, n)).collect();
        let h = Matrix::diagonal(&diag);
        let b = spectral_bracket(&h, &Layout::matrix(m, n), 100.0);
        assert!((b.lower - 103.0).abs() < 1e-12 && (b.upper - 103.0).abs() < 1e-12, "{b:?}");
    }
}
