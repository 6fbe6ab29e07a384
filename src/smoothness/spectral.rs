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
//! The bracket is exact when the two meet, e.g. for H = A (x) I acting on the rows of a
//! diagonal-like layer; a rotation of both sides keeps L_spec but not the ball-inclusion bounds.

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
