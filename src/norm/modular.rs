//! Per-layer ("modular") norms: the max over the layers of a layout of each layer's own norm
//! (docs/theory.md §6). For ||x|| = max_b ||x_b||_(b) the dual is sum_b ||g_b||_(b),* and a
//! steepest direction is each layer's own steepest direction, side by side: every block then has
//! norm 1 and <g, s> = sum_b ||g_b||_(b),*.
//!
//! Under the spectral layer norm a vector block is a one-column matrix, whose spectral norm is
//! its l2 norm and whose polar factor is g / ||g||_2; the modular spectral norm of a network is
//! thus the spectral norm on its weight matrices and l2 on its biases.

use super::layout::{Block, Layout};
use super::svd::svd;
use super::{l1, l2, linf, sign};
use serde::{Deserialize, Serialize};

/// The norm of each layer in a modular norm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayerNorm {
    /// Largest singular value; dual nuclear norm; direction the polar factor U V^T.
    Spectral,
    /// Frobenius (l2) norm: layer-wise normalised gradient.
    L2,
    /// Largest entry; dual l1, direction sign(g). As a max of maxima, the modular l_inf norm is
    /// the plain l_inf norm whatever the layout.
    LInf,
}

impl LayerNorm {
    pub fn id(self) -> &'static str {
        match self {
            LayerNorm::Spectral => "spectral",
            LayerNorm::L2 => "l2",
            LayerNorm::LInf => "l_inf",
        }
    }

    fn norm(self, b: Block, x: &[f64]) -> f64 {
        match (self, b) {
            (LayerNorm::Spectral, Block::Matrix { rows, cols }) => svd(x, rows, cols).spectral(),
            (LayerNorm::Spectral, Block::Vector { .. }) | (LayerNorm::L2, _) => l2(x),
            (LayerNorm::LInf, _) => linf(x),
        }
    }

    fn dual(self, b: Block, g: &[f64]) -> f64 {
        match (self, b) {
            (LayerNorm::Spectral, Block::Matrix { rows, cols }) => svd(g, rows, cols).nuclear(),
            (LayerNorm::Spectral, Block::Vector { .. }) | (LayerNorm::L2, _) => l2(g),
            (LayerNorm::LInf, _) => l1(g),
        }
    }

    /// This layer's steepest direction, written into `s`; returns its dual norm.
    fn direction_into(self, b: Block, g: &[f64], s: &mut [f64]) -> f64 {
        match (self, b) {
            (LayerNorm::Spectral, Block::Matrix { rows, cols }) => {
                let d = svd(g, rows, cols);
                d.polar_into(s);
                d.nuclear()
            }
            (LayerNorm::Spectral, Block::Vector { .. }) | (LayerNorm::L2, _) => {
                let n = l2(g);
                for (si, gi) in s.iter_mut().zip(g) {
                    *si = if n == 0.0 { 0.0 } else { gi / n };
                }
                n
            }
            (LayerNorm::LInf, _) => {
                for (si, gi) in s.iter_mut().zip(g) {
                    *si = sign(*gi);
                }
                l1(g)
            }
        }
    }
}

/// max_b ||x_b||_(b).
pub fn norm(layout: &Layout, layer: LayerNorm, x: &[f64]) -> f64 {
    layout.split(x).map(|(b, xb)| layer.norm(b, xb)).fold(0.0, f64::max)
}

/// sum_b ||g_b||_(b),*.
pub fn dual(layout: &Layout, layer: LayerNorm, g: &[f64]) -> f64 {
    layout.split(g).map(|(b, gb)| layer.dual(b, gb)).sum()
}

/// Each layer's steepest direction into its part of `s`; returns the dual norm (one SVD per
/// matrix serves both).
pub fn direction_into(layout: &Layout, layer: LayerNorm, g: &[f64], s: &mut [f64]) -> f64 {
    layout.ranges().map(|(b, r)| layer.direction_into(b, &g[r.clone()], &mut s[r])).sum()
}

/// The nuclear rank (sum_b ||G_b||_*)^2 / ||g||_2^2 of a gradient under a layout, the spectral
/// analogue of the density phi times d: between 1 (a single rank-one layer) and
/// sum_b min(rows_b, cols_b) (vectors count 1), where every layer has equal singular values.
/// 1 for g = 0 by convention, like phi.
pub fn nuclear_rank(layout: &Layout, g: &[f64]) -> f64 {
    let n2 = super::dot(g, g);
    if n2 == 0.0 {
        return 1.0;
    }
    let nuc = dual(layout, LayerNorm::Spectral, g);
    nuc * nuc / n2
}

/// sum_b min(rows_b, cols_b), vectors counting 1: the largest nuclear rank under the layout.
pub fn max_nuclear_rank(layout: &Layout) -> usize {
    layout
        .0
        .iter()
        .map(|b| match *b {
            Block::Matrix { rows, cols } => rows.min(cols),
            Block::Vector { .. } => 1,
        })
        .sum()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::norm::{dot, Norm};
    use crate::rng::Rng;
    use proptest::prelude::*;

    fn layouts() -> impl Strategy<Value = Layout> {
        let block = prop_oneof![
            (1usize..5, 1usize..5).prop_map(|(rows, cols)| Block::Matrix { rows, cols }),
            (1usize..5).prop_map(|len| Block::Vector { len }),
        ];
        prop::collection::vec(block, 1..4).prop_map(Layout)
    }

    fn layer_norms() -> impl Strategy<Value = LayerNorm> {
        prop_oneof![Just(LayerNorm::Spectral), Just(LayerNorm::L2), Just(LayerNorm::LInf)]
    }

    proptest! {
        /// The defining property of a steepest direction, per layer and combined: every block of
        /// s has norm 1 (or 0 where g's block is 0), and <g, s> is the dual norm.
        #[test]
        fn direction_is_unit_and_attains_dual(layout in layouts(), layer in layer_norms(), seed in 0u64..1000) {
            let g = Rng::new(seed).normals(layout.dim());
            let norm = Norm::Modular { layout: layout.clone(), layer };
            let s = norm.direction(&g);
            let d = norm.dual(&g);
            prop_assert!((norm.norm(&s) - 1.0).abs() < 1e-12, "||s|| = {}", norm.norm(&s));
            for ((b, sb), (_, gb)) in layout.split(&s).zip(layout.split(&g)) {
                prop_assert!((layer.norm(b, sb) - 1.0).abs() < 1e-12 || crate::norm::linf(gb) == 0.0);
            }
            prop_assert!((dot(&g, &s) - d).abs() <= 1e-12 * d, "<g, s> = {} vs {d}", dot(&g, &s));
        }

        /// Nuclear rank lies in [1, sum_b min(rows_b, cols_b)].
        #[test]
        fn nuclear_rank_in_range(layout in layouts(), seed in 0u64..1000) {
            let g = Rng::new(seed).normals(layout.dim());
            let r = nuclear_rank(&layout, &g);
            prop_assert!(r >= 1.0 - 1e-12 && r <= max_nuclear_rank(&layout) as f64 + 1e-12, "{r}");
        }
    }

    /// Brute force: no V of unit spectral norm beats the polar factor in <G, V>, over thousands
    /// of random V (random matrices scaled to spectral norm 1, random orthogonal-like ones, and
    /// perturbations of the polar factor itself), for tall, wide and square G.
    #[test]
    fn no_unit_spectral_matrix_beats_the_polar_factor() {
        let mut rng = Rng::new(11);
        for (rows, cols) in [(3, 2), (2, 4), (3, 3)] {
            let layout = Layout::matrix(rows, cols);
            let spectral = Norm::Modular { layout, layer: LayerNorm::Spectral };
            let g = rng.normals(rows * cols);
            let p = spectral.direction(&g);
            let best = dot(&g, &p);
            for k in 0..3000 {
                let v = match k % 3 {
                    0 => rng.normals(rows * cols),
                    // Near the polar factor: where a wrong answer would show first.
                    1 => p.iter().map(|x| x + 0.05 * rng.normal()).collect(),
                    _ => spectral.direction(&rng.normals(rows * cols)),
                };
                let n = spectral.norm(&v);
                let value = dot(&g, &v) / n;
                assert!(value <= best * (1.0 + 1e-12), "{rows}x{cols}: <G, V> = {value} > {best}");
            }
            // The bound is attained only by the polar factor: a tiny step away loses.
            let nudged: Vec<f64> = p.iter().enumerate().map(|(i, x)| x + if i == 0 { 1e-3 } else { 0.0 }).collect();
            assert!(dot(&g, &nudged) / spectral.norm(&nudged) < best);
        }
    }

    /// Identities with the vector norms: modular l_inf is l_inf; modular l2 over equal vector
    /// blocks is the block-l2 norm; a spectral layer over vectors only is the l2 layer.
    #[test]
    fn modular_norms_meet_the_vector_norms() {
        let g = Rng::new(5).normals(12);
        let blocks = Layout(vec![Block::Vector { len: 4 }; 3]);
        let pairs = [
            (
                Norm::Modular { layout: Layout(vec![Block::Matrix { rows: 2, cols: 3 }; 2]), layer: LayerNorm::LInf },
                Norm::LInf,
            ),
            (Norm::Modular { layout: blocks.clone(), layer: LayerNorm::L2 }, Norm::Block { size: 4 }),
            (
                Norm::Modular { layout: blocks.clone(), layer: LayerNorm::Spectral },
                Norm::Modular { layout: blocks, layer: LayerNorm::L2 },
            ),
        ];
        for (a, b) in pairs {
            assert_eq!(a.norm(&g), b.norm(&g), "{}", a.name());
            assert_eq!(a.dual(&g), b.dual(&g), "{}", a.name());
            assert_eq!(a.direction(&g), b.direction(&g), "{}", a.name());
        }
    }

    /// Closed form: for G = diag(3, 1) in a 2 x 3 matrix the spectral norm is 3, the nuclear norm
    /// 4, the polar factor [[1, 0, 0], [0, 1, 0]] and the nuclear rank 16 / 10.
    #[test]
    fn diagonal_matrix_by_hand() {
        let layout = Layout::matrix(2, 3);
        let g = [3.0, 0.0, 0.0, 0.0, -1.0, 0.0];
        let n = Norm::Modular { layout: layout.clone(), layer: LayerNorm::Spectral };
        assert!((n.norm(&g) - 3.0).abs() < 1e-15);
        assert!((n.dual(&g) - 4.0).abs() < 1e-15);
        let s = n.direction(&g);
        let want = [1.0, 0.0, 0.0, 0.0, -1.0, 0.0];
        assert!(s.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-15), "{s:?}");
        assert!((nuclear_rank(&layout, &g) - 1.6).abs() < 1e-15);
    }
}
