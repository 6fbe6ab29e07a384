//! The smoothness constant of a quadratic under each norm, exact where that is cheap and a proven
//! upper bound otherwise (an upper bound keeps the step ||g||_*/L safe: it still decreases f).

use super::linf::{linf_branch_and_bound, linf_exact};
use super::low_rank::linf_low_rank;
use super::sdp::{bilinear_lift, solve};
use super::spectral::spectral_bracket;
use crate::json::nan_as_null;
use crate::linalg::{Matrix, PSD_TOLERANCE};
use crate::norm::l1;
use crate::norm::{LayerNorm, Norm};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Enumeration for L_inf is used up to this dimension (about 0.1 s natively, 0.3 s in wasm).
pub const LINF_EXACT_MAX_D: usize = 22;
/// Beyond enumeration, the certified SDP bound is computed up to this dimension (about 0.5 s).
pub const SDP_MAX_D: usize = 500;
/// Branch-and-bound work allowed for a theory step's L_inf, in row updates (about 50 ms).
const BNB_WORK: u64 = 1 << 26;
/// Identity plus low rank: ranks and candidate-search work (multiply-adds, about 0.1 s) tried
/// before branch and bound. Rank 2 at d = 2000 takes 1.6e7.
pub const LOW_RANK_MAX_RANK: usize = 4;
pub const LOW_RANK_WORK: f64 = 1e8;

/// A smoothness constant and how it was obtained.
/// Deserialised with the results of a run's methods that the page's pool ran apart
/// (`experiment::run::assemble`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Constant {
    #[serde(deserialize_with = "nan_as_null::float")]
    pub value: f64,
    /// True when `value` is the constant itself, false when it is an upper bound.
    pub exact: bool,
    pub method: Cow<'static, str>,
}

/// L for `norm` of the quadratic with Hessian `h`; `spectrum` are its eigenvalues when known.
pub fn smoothness_constant(norm: &Norm, h: &Matrix, spectrum: Option<&[f64]>) -> Constant {
    let d = h.n();
    // Eigenvalues only when a constant needs them (O(d^3)). Should the solver fail (a non-finite
    // entry, or QL past its step budget), Gershgorin's interval stands in for the spectrum: L_2 is
    // then an upper bound, which keeps the step ||g||_* / L safe.
    let computed = std::cell::OnceCell::new();
    let solved = || {
        computed.get_or_init(|| match h.sym_eigenvalues() {
            Ok(lam) => (lam, true),
            Err(_) => {
                let (lo, hi) = h.gershgorin();
                (vec![lo, hi], false)
            }
        })
    };
    let lam = || spectrum.unwrap_or_else(|| &solved().0);
    let l2_exact = || spectrum.is_some() || solved().1;
    let l2 = || lam().iter().fold(0.0f64, |m, l| m.max(l.abs()));
    let psd = || lam().first().is_none_or(|l| *l >= -PSD_TOLERANCE * l2());
    let linf_constant = || linf(h, l2, psd, || lam().first().copied().unwrap_or(0.0));
    match norm {
        Norm::L2 if l2_exact() => Constant { value: l2(), exact: true, method: "max |eigenvalue|".into() },
        Norm::L2 => Constant { value: l2(), exact: false, method: "bound Gershgorin (the eigensolver failed)".into() },
        Norm::LInf | Norm::Block { size: 1 } => linf_constant(),
        Norm::Block { size } if *size >= d => {
            Constant { value: l2(), exact: l2_exact(), method: "one block: max |eigenvalue|".into() }
        }
        Norm::L1 => Constant {
            value: (0..d).flat_map(|i| h.row(i).iter()).fold(0.0f64, |m, v| m.max(v.abs())),
            exact: true,
            method: "max |H_ij|".into(),
        },
        // ||v||_2 <= d^(1/2-1/p) ||v||_p and ||w||_q <= d^(1/q-1/2) ||w||_2 for p >= 2 (q <= 2);
        // for p < 2 both factors are at most 1.
        Norm::Lp { p } => {
            let factor = if *p >= 2.0 { libm::pow(d as f64, 1.0 - 2.0 / p) } else { 1.0 };
            Constant { value: factor * l2(), exact: *p == 2.0, method: "bound d^max(0, 1-2/p) L_2".into() }
        }
        Norm::Block { size } => {
            let ranges: Vec<_> = (0..d.div_ceil(*size)).map(|b| b * size..((b + 1) * size).min(d)).collect();
            blocks_l2(h, &ranges, l2())
        }
        // A max of maxima: the modular l_inf norm is l_inf.
        Norm::Modular { layer: LayerNorm::LInf, .. } => linf_constant(),
        Norm::Modular { layout, layer: LayerNorm::L2 } => {
            blocks_l2(h, &layout.ranges().map(|(_, r)| r).collect::<Vec<_>>(), l2())
        }
        // The bracket of smoothness::spectral (docs/theory.md §6): its proven upper end, exact
        // when the polar power iteration meets it.
        Norm::Modular { layout, layer: LayerNorm::Spectral } => {
            let b = spectral_bracket(h, layout, l2());
            match (psd() && l2_exact(), b.lower >= b.upper) {
                (true, true) => {
                    Constant { value: b.upper, exact: true, method: "polar power iteration meets a bound".into() }
                }
                _ => Constant { value: b.upper, exact: false, method: b.upper_method.into() },
            }
        }
    }
}

/// Blocks of l2 (ranges of the coordinates): ||H v||_* = sum_b ||sum_c H_bc v_c||_2 <= sum_bc
/// ||H_bc||_F, and <= n_blocks L_2.
fn blocks_l2(h: &Matrix, ranges: &[std::ops::Range<usize>], l2: f64) -> Constant {
    let mut frob = 0.0;
    for b in ranges {
        for c in ranges {
            let entries = || b.clone().flat_map(|i| c.clone().map(move |j| h.get(i, j)));
            let s = entries().fold(0.0, |s, v| s + v * v);
            let m = entries().fold(0.0f64, |m, v| m.max(v.abs()));
            // Squares past the range (entries beyond ~1e154) or below its normal part (entries
            // below ~1e-154, where the sum would be 0 for a nonzero block and L with it): the block
            // is read as m ||H_bc / m||_F, m its largest entry; in range the bits are the sum's.
            frob += if (s.is_infinite() || s < f64::MIN_POSITIVE) && m > 0.0 && m.is_finite() {
                m * f64::sqrt(entries().fold(0.0, |s, v| s + (v / m) * (v / m)))
            } else {
                f64::sqrt(s)
            };
        }
    }
    let by_l2 = ranges.len() as f64 * l2;
    if frob <= by_l2 {
        Constant { value: frob, exact: false, method: "bound sum of block Frobenius norms".into() }
    } else {
        Constant { value: by_l2, exact: false, method: "bound n_blocks L_2".into() }
    }
}

/// Exact when H is diagonal, when H is PSD and a multiple of the identity plus low rank (the
/// outlier spectra, rotated or not), when branch and bound (PSD H) finishes within BNB_WORK, or by
/// enumeration up to LINF_EXACT_MAX_D; otherwise the best proven upper bound.
fn linf(h: &Matrix, l2: impl Fn() -> f64, psd: impl Fn() -> bool, lambda_min: impl Fn() -> f64) -> Constant {
    let d = h.n();
    let diagonal = (0..d).all(|i| (0..d).all(|j| i == j || h.get(i, j) == 0.0));
    if diagonal {
        let value = (0..d).map(|i| h.get(i, i).abs()).sum();
        return Constant { value, exact: true, method: "diagonal: sum |H_ii|".into() };
    }
    if psd() {
        if let Some(found) = linf_low_rank(h, lambda_min(), LOW_RANK_MAX_RANK, LOW_RANK_WORK) {
            return Constant {
                value: found.value,
                exact: true,
                method: "identity plus low rank: zonotope vertices".into(),
            };
        }
        // Progress calls come every 2^16 nodes of O(d) work each.
        let allowed = (BNB_WORK / ((1 << 16) * d as u64)).max(1);
        let mut calls = 0;
        if let Some((_, v)) = linf_branch_and_bound(h, None, &mut |_| {
            calls += 1;
            calls <= allowed
        }) {
            return Constant { value: l1(&h.matvec(&v)), exact: true, method: "branch and bound".into() };
        }
    }
    if d <= LINF_EXACT_MAX_D {
        return Constant { value: linf_exact(h).0, exact: true, method: "exact enumeration".into() };
    }
    let mut best = Constant { value: h.abs_sum(), exact: false, method: "bound sum |H_ij|".into() };
    let by_l2 = d as f64 * l2();
    if by_l2 < best.value {
        best = Constant { value: by_l2, exact: false, method: "bound d L_2".into() };
    }
    if d <= SDP_MAX_D {
        // The certified SDP dual: L_sep for PSD H, the bilinear lift's bound otherwise.
        let b = if psd() { h.clone() } else { bilinear_lift(h) };
        let (_, cert) = solve(&b, 1, 1e-6, 20_000);
        if cert.valid && cert.upper < best.value {
            best = Constant { value: cert.upper, exact: false, method: "bound certified SDP dual (L_sep)".into() };
        }
    }
    best
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::norm::{Block, LayerNorm, Layout, Norm};
    use crate::rng::Rng;
    use crate::testing::random_psd;

    /// The block constant is homogeneous of degree 1 in H: at 2^k H, far past where the block
    /// Frobenius norms' squares overflow or underflow, it is 2^k times H's. Fuzz seed 7, case
    /// 5013: a matrix with entries near 1e-300 got L = 0 from squares that underflowed, so the
    /// block method's theory step was infinite and its first step NaN.
    #[test]
    fn block_constants_scale_with_the_matrix() {
        // Near-diagonal, so that the Frobenius sum is the smaller bound.
        let mut h = Matrix::diagonal(&(1..=10).map(f64::from).collect::<Vec<_>>());
        h.set(0, 4, 0.5);
        h.set(4, 0, 0.5);
        let base = smoothness_constant(&Norm::Block { size: 3 }, &h, None);
        assert_eq!(base.method, "bound sum of block Frobenius norms");
        for k in [-1000, -600, 600, 900] {
            let scaled = Matrix::from_rows(
                &(0..10).map(|i| h.row(i).iter().map(|v| libm::scalbn(*v, k)).collect()).collect::<Vec<_>>(),
            );
            let c = smoothness_constant(&Norm::Block { size: 3 }, &scaled, None);
            assert_eq!(c.method, base.method, "k = {k}");
            let want = libm::scalbn(base.value, k);
            assert!((c.value / want - 1.0).abs() < 1e-14, "k = {k}: {} vs {want}", c.value);
        }
    }

    /// Every constant bounds ||H v||_* / ||v|| from above on random and extreme directions.
    #[test]
    fn constants_bound_the_operator_norm() {
        let mut r = Rng::new(9);
        for d in [3, 6, 25] {
            let layers = Layout(vec![Block::Matrix { rows: 2, cols: d / 3 }, Block::Vector { len: d - 2 * (d / 3) }]);
            let modular = |layer| Norm::Modular { layout: layers.clone(), layer };
            let norms = [
                Norm::L2,
                Norm::LInf,
                Norm::L1,
                Norm::Lp { p: 1.5 },
                Norm::Lp { p: 3.0 },
                Norm::Block { size: 2 },
                modular(LayerNorm::Spectral),
                modular(LayerNorm::L2),
                modular(LayerNorm::LInf),
            ];
            let h = random_psd(d, d as u64);
            for norm in &norms {
                let c = smoothness_constant(norm, &h, None);
                for _ in 0..200 {
                    let v = r.normals(d);
                    let ratio = norm.dual(&h.matvec(&v)) / norm.norm(&v);
                    assert!(ratio <= c.value * (1.0 + 1e-12), "{norm:?} d={d}: {ratio} > {}", c.value);
                }
            }
        }
    }
}
