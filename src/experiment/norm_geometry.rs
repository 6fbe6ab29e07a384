//! GD's, sign descent's and spectral descent's geometry side by side at the Hessian analysis's
//! checkpoint (docs/theory.md §4 and §6). Steepest descent under a norm with smoothness constant
//! L is guaranteed to remove ||g||_*^2 / (2 L) per step, GD ||g||_2^2 / (2 L_2), so each norm is
//! described by the same numbers, each one kind of thing:
//!
//! - its constant L (a certified bracket; the theory step uses the upper end);
//! - the **ceiling** D L_2 / L of its per-step gain over GD, D the largest spread (1, d or R);
//! - the **measured** spread of the checkpoint's gradient ||g||_*^2 / ||g||_2^2: d phi(g) for l_inf,
//!   the nuclear rank nu(g) for the per-layer spectral norm, 1 for l_2;
//! - the **predicted** gain of this gradient, spread L_2 / L (the ceiling weighted by spread / D);
//! - the **measured** gain: one theory step's decrease over GD's, on the quadratic model
//!   m(s) = <g, s> - s^T H s / 2 at the checkpoint (f itself on a quadratic).

use crate::linalg::Matrix;
use crate::norm::modular::max_nuclear_rank;
use crate::norm::{dot, l2 as l2_norm, Block, LayerNorm, Layout, Norm};
use crate::smoothness::{spectral_bracket, Interval};
use serde::Serialize;

/// One norm's numbers at the checkpoint.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NormGeometry {
    /// `l2` (GD), `linf` (sign descent) or `spectral` (the per-layer spectral norm).
    pub norm: &'static str,
    /// The smoothness constant L in [low, high] (equal when exact), and how each end was found.
    pub smoothness: Interval,
    pub smoothness_method: String,
    /// D L_2 / L: the most one step can be guaranteed to gain over GD's (1 for H = 0, its value at
    /// c I as c -> 0).
    pub ceiling: Interval,
    /// ||g||_*^2 / ||g||_2^2 at the checkpoint, in [1, max_spread]; None at a zero gradient.
    pub spread: Option<f64>,
    /// D: d for l_inf, R = sum_b min(rows_b, cols_b) for the spectral norm, 1 for l_2.
    pub max_spread: usize,
    /// spread L_2 / L: this gradient's guaranteed gain per step over GD's.
    pub predicted: Option<Interval>,
    /// The decrease of the model under this norm's theory step (||g||_* / L_high along the steepest
    /// direction) over GD's (||g||_2 / L_2); None where GD's is not positive.
    pub measured: Option<f64>,
}

/// The three geometries of the dense Hessian `h` at a point with gradient `g`, given L_2 (largest
/// |eigenvalue|) and L_inf's bracket from the smoothness report; the spectral one only when the
/// parameters' `layout` has a weight matrix (over vectors alone it is l_2 per block).
pub fn norm_geometries(h: &Matrix, g: &[f64], layout: &Layout, l2: f64, linf: (Interval, String)) -> Vec<NormGeometry> {
    let d = h.n();
    let mut norms = vec![
        (Norm::L2, "l2", 1, Interval { low: l2, high: l2 }, "max |eigenvalue|".to_string()),
        (Norm::LInf, "linf", d, linf.0, linf.1),
    ];
    if layout.0.iter().any(|b| matches!(b, Block::Matrix { .. })) {
        let b = spectral_bracket(h, layout, l2);
        norms.push((
            Norm::Modular { layout: layout.clone(), layer: LayerNorm::Spectral },
            "spectral",
            max_nuclear_rank(layout),
            Interval { low: b.lower, high: b.upper },
            format!("{} / {}", b.lower_method, b.upper_method),
        ));
    }
    let n2 = l2_norm(g);
    let gd_decrease = model_decrease(h, g, &Norm::L2, l2);
    norms
        .into_iter()
        .map(|(norm, id, max_spread, l, method)| {
            let spread = (n2 > 0.0).then(|| {
                let ratio = norm.dual(g) / n2;
                ratio * ratio
            });
            let gain = |s: f64| match l2 {
                0.0 => Interval { low: 1.0, high: 1.0 },
                _ => Interval { low: s * l2 / l.high, high: s * l2 / l.low },
            };
            let decrease = model_decrease(h, g, &norm, l.high);
            NormGeometry {
                norm: id,
                smoothness: l,
                smoothness_method: method,
                ceiling: gain(max_spread as f64),
                spread,
                max_spread,
                predicted: spread.filter(|_| l2 > 0.0).map(gain),
                measured: (gd_decrease > 0.0).then(|| decrease / gd_decrease),
            }
        })
        .collect()
}

/// m(s) = <g, s> - s^T H s / 2 for the theory step s = (||g||_* / l) (steepest direction of g).
fn model_decrease(h: &Matrix, g: &[f64], norm: &Norm, l: f64) -> f64 {
    let scale = norm.dual(g) / l;
    let s: Vec<f64> = norm.direction(g).iter().map(|v| scale * v).collect();
    dot(g, &s) - 0.5 * dot(&s, &h.matvec(&s))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// Closed form: H = diag(a) (x) I_n on an m x n matrix X (row i weighted by a_i, m = n = 3,
    /// a = (9, 3, 1)). L_2 = 9, L_inf = L_spec = tr A = 13 (both exact), so the ceilings are 1,
    /// 9 n m / 13 = 81 / 13 and n 9 / 13 = 27 / 13. At G = diag(1, -2, 0.5) (a diagonal gradient)
    /// the spread under l_inf is ||g||_1^2 / ||g||_2^2 = 12.25 / 5.25 and under the spectral norm
    /// the same (singular values |G_ii|), and both theory steps are the same step: the same
    /// measured gain, by hand: s = (3.5 / 13) sign(g), m(s) = 3.5^2 / 13 - (3.5 / 13)^2 13 / 2.
    #[test]
    fn a_row_weighted_kronecker_hessian_has_its_closed_forms() {
        let a = [9.0, 3.0, 1.0];
        let diag: Vec<f64> = a.iter().flat_map(|ai| [*ai; 3]).collect();
        let h = Matrix::diagonal(&diag);
        let x = [1.0, 0.0, 0.0, 0.0, -2.0, 0.0, 0.0, 0.0, 0.5];
        let g = h.matvec(&x);
        let linf = (Interval { low: 13.0, high: 13.0 }, "exact".to_string());
        let geo = norm_geometries(&h, &g, &Layout::matrix(3, 3), 9.0, linf);
        assert_eq!(geo.iter().map(|n| n.norm).collect::<Vec<_>>(), ["l2", "linf", "spectral"]);
        let [l2, sign, spectral] = &geo[..] else { unreachable!() };
        assert_eq!((l2.ceiling.low, l2.spread, l2.measured), (1.0, Some(1.0), Some(1.0)));
        assert_eq!((sign.max_spread, spectral.max_spread), (9, 3));
        assert!((spectral.smoothness.low - 13.0).abs() < 1e-12 && (spectral.smoothness.high - 13.0).abs() < 1e-12);
        assert!((sign.ceiling.low - 81.0 / 13.0).abs() < 1e-12 && (spectral.ceiling.high - 27.0 / 13.0).abs() < 1e-12);
        // g = H x = (9, 0, 0, 0, -6, 0, 0, 0, 0.5): ||g||_1 = 15.5, ||g||_2^2 = 117.25.
        let spread = 15.5 * 15.5 / 117.25;
        for n in [sign, spectral] {
            assert!((n.spread.unwrap() - spread).abs() < 1e-12, "{n:?}");
            let p = n.predicted.unwrap();
            assert!((p.low - spread * 9.0 / 13.0).abs() < 1e-12 && (p.high - p.low).abs() < 1e-12);
        }
        let f = |y: &[f64]| 0.5 * dot(y, &h.matvec(y));
        let step = |scale: f64, dir: &dyn Fn(f64) -> f64| {
            let y: Vec<f64> = x.iter().zip(&g).map(|(xi, gi)| xi - scale * dir(*gi)).collect();
            f(&x) - f(&y)
        };
        let want = step(15.5 / 13.0, &|v| crate::norm::sign(v)) / step(1.0 / 9.0, &|v| v);
        for n in [sign, spectral] {
            assert!((n.measured.unwrap() - want).abs() < 1e-12 * want, "{n:?} vs {want}");
        }
        // The guarantee behind the prediction: the step removes at least ||g||_1^2 / (2 L_inf).
        assert!(step(15.5 / 13.0, &|v| crate::norm::sign(v)) >= 15.5 * 15.5 / 26.0 - 1e-12);
    }

    /// A plain vector has no spectral geometry, and H = 0 at a zero gradient gives ceilings 1 and
    /// nothing predicted or measured.
    #[test]
    fn vectors_have_two_geometries_and_a_zero_hessian_names_none() {
        let h = Matrix::zeros(4);
        let geo =
            norm_geometries(&h, &[0.0; 4], &Layout::vector(4), 0.0, (Interval { low: 0.0, high: 0.0 }, "".into()));
        assert_eq!(geo.len(), 2);
        for n in &geo {
            assert_eq!(
                (n.ceiling, n.spread, n.predicted, n.measured),
                (Interval { low: 1.0, high: 1.0 }, None, None, None)
            );
        }
    }
}
