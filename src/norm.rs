//! Norms, their duals, and steepest-descent directions.
//!
//! For a norm ||.|| with dual ||g||_* = max_{||s|| <= 1} <g, s>, the steepest direction is a
//! maximiser s: ||s|| = 1 and <g, s> = ||g||_* (docs/theory.md §1). Where the maximiser is not
//! unique the choice below is deterministic:
//! - l_inf: s_i = sign(g_i) with sign(0) = 0 (zero coordinates do not move, as in sign GD);
//! - l_1: the coordinate of largest |g_i|, the lowest index among ties;
//! - block: blocks whose gradient is zero get s_b = 0.
//!
//! For g = 0 every direction attains the dual norm 0; we return s = 0 (no move).
//!
//! Norms over a parameter vector cut into matrices and vectors (`layout`) are the per-layer
//! norms of `modular`, with the SVD of `svd` behind the spectral one.

mod layout;
pub mod modular;
pub mod svd;

pub use layout::{Block, Layout};
pub use modular::{nuclear_rank, LayerNorm};
use serde::{Deserialize, Serialize};

/// A norm on R^d.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "norm")]
pub enum Norm {
    L2,
    LInf,
    L1,
    /// l_p with 1 < p < inf; dual l_q with q = p / (p - 1).
    Lp {
        p: f64,
    },
    /// max over consecutive blocks of `size` coordinates (the last may be shorter) of the block's
    /// l2 norm; dual: the sum of block l2 norms.
    Block {
        size: usize,
    },
    /// Per layer of `layout`: max over its blocks of each block's `layer` norm; dual: the sum
    /// of the blocks' dual norms (docs/theory.md §6).
    Modular {
        layout: Layout,
        layer: LayerNorm,
    },
}

/// The partial sums of `dot`: term k of a dot product goes into sum k mod DOT_LANES.
pub(crate) const DOT_LANES: usize = 8;

/// <a, b> over the common length, summed in eight interleaved partial sums and then pairwise.
/// The order is fixed by this code, so results are the same on every platform, while the
/// independent partial sums let the compiler use SIMD lanes (about 4x a single running sum).
/// Indexed loops over fixed-size chunks rather than iterator adapters: the kernel then needs no
/// inlining of library code to vectorise (the wasm core is built with a low inlining threshold).
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (xs, x_tail) = a[..n].as_chunks::<DOT_LANES>();
    let (ys, y_tail) = b[..n].as_chunks::<DOT_LANES>();
    let ys = &ys[..xs.len()];
    let mut acc = [0.0f64; DOT_LANES];
    for c in 0..xs.len() {
        let (x, y) = (&xs[c], &ys[c]);
        for k in 0..DOT_LANES {
            acc[k] += x[k] * y[k];
        }
    }
    combine(acc) + tail_dot(x_tail, y_tail)
}

/// <r, x> for each of R equally long rows r, each summed exactly as `dot` sums it (the same
/// bits), with every load of x shared: the matrix-vector product's kernel.
pub fn dot_rows<const R: usize>(rows: [&[f64]; R], x: &[f64]) -> [f64; R] {
    let n = rows.iter().fold(x.len(), |m, r| m.min(r.len()));
    let (body, x_tail) = x[..n].split_at(n - n % DOT_LANES);
    let mut acc = [[0.0f64; DOT_LANES]; R];
    for (c, y) in body.chunks_exact(DOT_LANES).enumerate() {
        for (acc_r, row) in acc.iter_mut().zip(&rows) {
            let p = &row[DOT_LANES * c..DOT_LANES * (c + 1)];
            for k in 0..DOT_LANES {
                acc_r[k] += p[k] * y[k];
            }
        }
    }
    let mut out = [0.0; R];
    for ((o, acc_r), row) in out.iter_mut().zip(acc).zip(&rows) {
        *o = combine(acc_r) + tail_dot(&row[body.len()..n], x_tail);
    }
    out
}

/// The eight partial sums of `dot`, added pairwise.
#[inline(always)]
pub(crate) fn combine(acc: [f64; DOT_LANES]) -> f64 {
    ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
}

/// The last (fewer than eight) products of `dot`, summed in order.
#[inline(always)]
pub(crate) fn tail_dot(a: &[f64], b: &[f64]) -> f64 {
    // From -0.0, as f64's `Sum` starts (an empty tail adds nothing, not even a sign).
    let mut s = -0.0;
    for k in 0..a.len().min(b.len()) {
        s += a[k] * b[k];
    }
    s
}

/// ||x||_2 = sqrt(<x, x>); when the squares overflow (entries past ~1e154) or their sum falls
/// below the normal range (entries below ~1e-154, where it would lose digits or be 0 for a
/// nonzero x), m ||x / m||_2 with m = max |x_i| instead, finite and nonzero whenever the norm is
/// (the ordinary path's bits are unchanged).
pub fn l2(x: &[f64]) -> f64 {
    let s = dot(x, x);
    match (s.is_infinite() || s < f64::MIN_POSITIVE, linf(x)) {
        (true, m) if m.is_finite() && m > 0.0 => m * f64::sqrt(dot(&over(x, m), &over(x, m))),
        _ => f64::sqrt(s),
    }
}

/// x / m.
fn over(x: &[f64], m: f64) -> Vec<f64> {
    x.iter().map(|v| v / m).collect()
}

pub fn l1(x: &[f64]) -> f64 {
    x.iter().map(|v| v.abs()).sum()
}

pub fn linf(x: &[f64]) -> f64 {
    x.iter().fold(0.0, |m, v| m.max(v.abs()))
}

fn lp(x: &[f64], p: f64) -> f64 {
    // Scaled by the largest entry so |x_i|^p neither overflows nor underflows.
    let m = linf(x);
    if m == 0.0 || !m.is_finite() {
        return m;
    }
    let s: f64 = x.iter().map(|v| libm::pow(v.abs() / m, p)).sum();
    m * libm::pow(s, 1.0 / p)
}

/// Gradient density phi(g) = ||g||_1^2 / (d ||g||_2^2), in [1/d, 1]; 1 for g = 0 by convention
/// (it never matters: a zero gradient ends the run).
/// It is scale-invariant, so a gradient whose squares overflow or underflow is read as
/// g / max |g_i|.
pub fn density(g: &[f64]) -> f64 {
    let (n2, m) = (dot(g, g), linf(g));
    if m == 0.0 {
        return 1.0;
    }
    if (n2.is_infinite() || n2 < f64::MIN_POSITIVE) && m.is_finite() {
        return density(&over(g, m));
    }
    let n1 = l1(g);
    n1 * n1 / (g.len() as f64 * n2)
}

fn blocks(x: &[f64], size: usize) -> impl Iterator<Item = &[f64]> {
    x.chunks(size.max(1))
}

impl Norm {
    /// Human-readable name, used in labels.
    pub fn name(&self) -> String {
        match self {
            Norm::L2 => "l2".into(),
            Norm::LInf => "l_inf".into(),
            Norm::L1 => "l1".into(),
            Norm::Lp { p } => format!("l_{p}"),
            Norm::Block { size } => format!("block-l2({size})"),
            Norm::Modular { layer, .. } => format!("{} per layer", layer.id()),
        }
    }

    pub fn norm(&self, x: &[f64]) -> f64 {
        match *self {
            Norm::L2 => l2(x),
            Norm::LInf => linf(x),
            Norm::L1 => l1(x),
            Norm::Lp { p } => lp(x, p),
            Norm::Block { size } => blocks(x, size).map(l2).fold(0.0, f64::max),
            Norm::Modular { ref layout, layer } => modular::norm(layout, layer, x),
        }
    }

    pub fn dual(&self, g: &[f64]) -> f64 {
        match *self {
            Norm::L2 => l2(g),
            Norm::LInf => l1(g),
            Norm::L1 => linf(g),
            Norm::Lp { p } => lp(g, p / (p - 1.0)),
            Norm::Block { size } => blocks(g, size).map(l2).sum(),
            Norm::Modular { ref layout, layer } => modular::dual(layout, layer, g),
        }
    }

    /// Writes the steepest direction for `g` into `s` (same length): ||s|| = 1, <g, s> = ||g||_*.
    pub fn direction_into(&self, g: &[f64], s: &mut [f64]) {
        debug_assert_eq!(g.len(), s.len());
        match *self {
            Norm::L2 => scale_into(g, l2(g), s),
            Norm::LInf => {
                for (si, gi) in s.iter_mut().zip(g) {
                    *si = sign(*gi);
                }
            }
            Norm::L1 => {
                s.fill(0.0);
                let mut best = 0;
                for (i, gi) in g.iter().enumerate() {
                    if gi.abs() > g[best].abs() {
                        best = i;
                    }
                }
                if !g.is_empty() {
                    s[best] = sign(g[best]);
                }
            }
            Norm::Lp { p } => {
                // s_i = sign(g_i) |g_i|^(q-1) / ||g||_q^(q-1), computed as (|g_i| / ||g||_q)^(q-1).
                let q = p / (p - 1.0);
                let nq = lp(g, q);
                for (si, gi) in s.iter_mut().zip(g) {
                    *si = if nq == 0.0 { 0.0 } else { sign(*gi) * libm::pow(gi.abs() / nq, q - 1.0) };
                }
            }
            Norm::Block { size } => {
                for (sb, gb) in s.chunks_mut(size.max(1)).zip(blocks(g, size)) {
                    scale_into(gb, l2(gb), sb);
                }
            }
            Norm::Modular { ref layout, layer } => {
                modular::direction_into(layout, layer, g, s);
            }
        }
    }

    pub fn direction(&self, g: &[f64]) -> Vec<f64> {
        let mut s = vec![0.0; g.len()];
        self.direction_into(g, &mut s);
        s
    }
}

/// sign with sign(0) = 0.
pub fn sign(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// s = g / n, or 0 when n = 0.
fn scale_into(g: &[f64], n: f64, s: &mut [f64]) {
    for (si, gi) in s.iter_mut().zip(g) {
        *si = if n == 0.0 { 0.0 } else { gi / n };
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn norms() -> impl Strategy<Value = Norm> {
        prop_oneof![
            Just(Norm::L2),
            Just(Norm::LInf),
            Just(Norm::L1),
            (1.05f64..8.0).prop_map(|p| Norm::Lp { p }),
            (1usize..6).prop_map(|size| Norm::Block { size }),
        ]
    }

    proptest! {
        /// The defining property of a steepest direction: unit norm, and it attains the dual norm.
        #[test]
        fn direction_is_unit_and_attains_dual(norm in norms(), g in prop::collection::vec(-1e3f64..1e3, 1..40)) {
            prop_assume!(linf(&g) > 1e-9);
            let s = norm.direction(&g);
            let dual = norm.dual(&g);
            prop_assert!((norm.norm(&s) - 1.0).abs() < 1e-9, "||s|| = {}", norm.norm(&s));
            prop_assert!((dot(&g, &s) - dual).abs() <= 1e-9 * dual.max(1.0), "<g,s> = {} vs {}", dot(&g, &s), dual);
        }

        /// Hoelder: <g, v> <= ||g||_* ||v|| for any v, so no other unit vector beats the direction.
        #[test]
        fn dual_bounds_every_inner_product(norm in norms(),
            gv in prop::collection::vec((-10f64..10.0, -10f64..10.0), 1..30)) {
            let (g, v): (Vec<f64>, Vec<f64>) = gv.into_iter().unzip();
            let lhs = dot(&g, &v);
            let rhs = norm.dual(&g) * norm.norm(&v);
            prop_assert!(lhs <= rhs + 1e-9 * rhs.abs().max(1.0));
        }

        /// The l_p family meets l_2 at p = 2.
        #[test]
        fn lp_at_two_is_l2(g in prop::collection::vec(-5f64..5.0, 1..20)) {
            let n = Norm::Lp { p: 2.0 };
            prop_assert!((n.norm(&g) - l2(&g)).abs() < 1e-12 * l2(&g).max(1.0));
        }

        /// Scaled far past the point where squares overflow, l2 scales exactly and the density
        /// stays put.
        #[test]
        fn huge_vectors_keep_their_norm_and_density(g in prop::collection::vec(-5f64..5.0, 1..50), e in 520i32..1000) {
            prop_assume!(linf(&g) > 0.0);
            let big: Vec<f64> = g.iter().map(|v| libm::scalbn(*v, e)).collect();
            let m = linf(&g);
            prop_assert_eq!(l2(&big), libm::scalbn(m * l2(&over(&g, m)), e));
            prop_assert!((l2(&big) / libm::scalbn(l2(&g), e) - 1.0).abs() < 1e-14);
            prop_assert!((density(&big) - density(&g)).abs() < 1e-14);
        }

        /// Scaled down to where the squares underflow (to 0 or to subnormals), the same.
        #[test]
        fn tiny_vectors_keep_their_norm_and_density(g in prop::collection::vec(-5f64..5.0, 1..50), e in -1000i32..-520) {
            prop_assume!(linf(&g) > 0.0);
            let tiny: Vec<f64> = g.iter().map(|v| libm::scalbn(*v, e)).collect();
            prop_assert!(l2(&tiny) > 0.0);
            prop_assert!((l2(&tiny) / libm::scalbn(l2(&g), e) - 1.0).abs() < 1e-14);
            prop_assert!((density(&tiny) - density(&g)).abs() < 1e-14);
        }

        #[test]
        fn density_in_range(g in prop::collection::vec(-5f64..5.0, 1..50)) {
            prop_assume!(linf(&g) > 0.0);
            let phi = density(&g);
            let d = g.len() as f64;
            prop_assert!(phi >= 1.0 / d - 1e-12 && phi <= 1.0 + 1e-12);
        }
    }

    #[test]
    fn documented_tie_breaking() {
        assert_eq!(Norm::L1.direction(&[1.0, -3.0, 3.0]), vec![0.0, -1.0, 0.0]);
        assert_eq!(Norm::LInf.direction(&[2.0, 0.0, -0.5]), vec![1.0, 0.0, -1.0]);
        assert_eq!(Norm::Block { size: 2 }.direction(&[0.0, 0.0, 3.0, 4.0]), vec![0.0, 0.0, 0.6, 0.8]);
        assert_eq!(Norm::L2.direction(&[0.0, 0.0]), vec![0.0, 0.0]);
    }

    #[test]
    fn block_of_size_one_is_linf() {
        let g = [1.5, -2.0, 0.25];
        let b = Norm::Block { size: 1 };
        assert_eq!(b.dual(&g), l1(&g));
        assert_eq!(b.norm(&g), linf(&g));
        assert_eq!(b.direction(&g), Norm::LInf.direction(&g));
    }
}
