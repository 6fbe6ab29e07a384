//! Householder reduction of a symmetric matrix to tridiagonal form, T = Q^T A Q, blocked as in
//! LAPACK's dsytrd (lower triangle; Dongarra, Du Croz, Hammarling and Hanson's panel scheme).
//!
//! Reflector j (I - tau v v^T, v_0 = 1) zeroes column j below the subdiagonal. A panel of PANEL
//! columns is reduced with the trailing matrix left as it was at the panel's start; its pending
//! update A <- A - V W^T - W V^T is applied to each panel column just before it is reduced and
//! folded into each product A v, and is applied to the trailing matrix once per panel, a
//! rank-2 PANEL update with PANEL times the arithmetic per memory access of the unblocked
//! algorithm's rank-2 updates. Half the work stays in the products A v, one pass over the
//! trailing triangle per column.
//!
//! Every loop has a fixed order and no fused multiply-add, so the result is the same natively
//! and in wasm.

use super::Matrix;
use crate::norm::{combine, dot, DOT_LANES as LANES};

/// Columns per panel.
const PANEL: usize = 32;

/// The tridiagonal matrix (diagonal, off-diagonal with off[i] coupling i and i + 1 and
/// off[n - 1] = 0) and, on request, the reflectors (v over rows j + 1..n, tau) in order.
pub(super) struct Reduced {
    pub diag: Vec<f64>,
    pub off: Vec<f64>,
    pub reflectors: Vec<(Vec<f64>, f64)>,
}

/// Reduces symmetric `a` (its lower triangle is read) to tridiagonal form.
pub(super) fn tridiagonalize(a: Matrix, keep_reflectors: bool) -> Reduced {
    let n = a.n;
    let mut a = a.data;
    let mut diag = vec![0.0; n];
    let mut off = vec![0.0; n];
    let mut reflectors = Vec::new();
    // Panel vectors by row: vp[r * PANEL + k] is V's entry in row r, panel column k.
    let mut vp = vec![0.0; n * PANEL];
    let mut wp = vec![0.0; n * PANEL];
    let mut x = Vec::with_capacity(n);
    let mut y = vec![0.0; n];
    for i0 in (0..n).step_by(PANEL) {
        let nb = PANEL.min(n - i0);
        vp.fill(0.0);
        wp.fill(0.0);
        for k in 0..nb {
            let j = i0 + k;
            // Column j (rows j..n) with the panel's pending update applied.
            x.clear();
            x.extend((j..n).map(|r| a[r * n + j]));
            if k > 0 {
                let (vj, wj) = (&vp[j * PANEL..j * PANEL + k], &wp[j * PANEL..j * PANEL + k]);
                for (xr, r) in x.iter_mut().zip(j..n) {
                    *xr -= pair_dot(&vp[r * PANEL..r * PANEL + k], wj, &wp[r * PANEL..r * PANEL + k], vj);
                }
            }
            diag[j] = x[0];
            if j + 1 == n {
                break;
            }
            let (beta, tau) = reflector(&mut x[1..]);
            off[j] = beta;
            let v = &x[1..];
            let s = j + 1;
            // w = tau (A v - V (W^T v) - W (V^T v)), then w += alpha v with
            // alpha = -tau (w^T v) / 2, so that A - v w^T - w v^T = H A H on the trailing block.
            let y = &mut y[..n - s];
            symv_lower(&a, n, s, v, y);
            if k > 0 {
                let mut p = [0.0; PANEL];
                let mut q = [0.0; PANEL];
                for (r, vr) in (s..n).zip(v) {
                    for m in 0..k {
                        p[m] += wp[r * PANEL + m] * vr;
                        q[m] += vp[r * PANEL + m] * vr;
                    }
                }
                for (yr, r) in y.iter_mut().zip(s..n) {
                    *yr -= pair_dot(&vp[r * PANEL..r * PANEL + k], &p[..k], &wp[r * PANEL..r * PANEL + k], &q[..k]);
                }
            }
            y.iter_mut().for_each(|w| *w *= tau);
            let alpha = -0.5 * tau * dot(y, v);
            y.iter_mut().zip(v).for_each(|(w, vr)| *w += alpha * vr);
            for ((r, vr), wr) in (s..n).zip(v).zip(y.iter()) {
                vp[r * PANEL + k] = *vr;
                wp[r * PANEL + k] = *wr;
            }
            if keep_reflectors {
                reflectors.push((v.to_vec(), tau));
            }
        }
        if i0 + nb < n {
            rank_2k_update(&mut a, n, i0 + nb, &vp, &wp, nb);
        }
    }
    Reduced { diag, off, reflectors }
}

/// The two kernels below on the widest vector unit the machine has (run-time detection, as in
/// `givens`): each loop they vectorise runs over independent entries, every entry's operations
/// in the same order on every width and never fused, so the width changes no bit.
macro_rules! on_widest_unit {
    ($name:ident: $avx512:ident => $k512:expr, $avx:ident => $kavx:expr, else $kany:expr,
        ($($arg:ident: $ty:ty),*)) => {
        fn $name($($arg: $ty),*) {
            #[cfg(target_arch = "x86_64")]
            {
                if std::arch::is_x86_feature_detected!("avx512f") {
                    // SAFETY: the CPU has AVX-512F (checked above).
                    return unsafe { $avx512($($arg),*) };
                }
                if std::arch::is_x86_feature_detected!("avx") {
                    // SAFETY: the CPU has AVX (checked above).
                    return unsafe { $avx($($arg),*) };
                }
            }
            $kany($($arg),*)
        }

        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx512f")]
        fn $avx512($($arg: $ty),*) {
            $k512($($arg),*)
        }

        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx")]
        fn $avx($($arg: $ty),*) {
            $kavx($($arg),*)
        }
    };
}

// Rows per block of the product and column blocks per pass of the update: with 32 registers of
// eight lanes (AVX-512) eight rows and four blocks stay in registers, with sixteen of four (AVX)
// or of two (SSE2, wasm's simd128) two rows and one block.
on_widest_unit!(symv_lower: symv_lower_avx512 => symv_lower_lanes::<8>, symv_lower_avx => symv_lower_lanes::<2>,
    else symv_lower_lanes::<2>, (a: &[f64], n: usize, s: usize, v: &[f64], y: &mut [f64]));
on_widest_unit!(rank_2k_update: rank_2k_update_avx512 => rank_2k_update_lanes::<4, 2>,
    rank_2k_update_avx => rank_2k_update_lanes::<2, 1>, else rank_2k_update_lanes::<2, 1>,
    (a: &mut [f64], n: usize, t0: usize, vp: &[f64], wp: &[f64], nb: usize));

/// sum_m (a_m b_m + c_m d_m), in order.
#[inline(always)]
fn pair_dot(a: &[f64], b: &[f64], c: &[f64], d: &[f64]) -> f64 {
    let mut s = 0.0;
    for m in 0..a.len() {
        s += a[m] * b[m] + c[m] * d[m];
    }
    s
}

/// Turns x into v = (1, x_1 / (alpha - beta), ...) with (I - tau v v^T) x = (beta, 0, ..., 0)
/// (LAPACK dlarfg); returns (beta, tau). tau = 0 (no reflection) when x_1.. is already zero.
fn reflector(x: &mut [f64]) -> (f64, f64) {
    let alpha = x[0];
    x[0] = 1.0;
    let rest = &mut x[1..];
    let xnorm = f64::sqrt(dot(rest, rest));
    if xnorm == 0.0 {
        return (alpha, 0.0);
    }
    let beta = -libm::copysign(libm::hypot(alpha, xnorm), alpha);
    let scale = 1.0 / (alpha - beta);
    rest.iter_mut().for_each(|v| *v *= scale);
    (beta, (beta - alpha) / beta)
}

/// y = A v for the trailing block A[s.., s..] of the row-major n x n `a`, reading its lower
/// triangle once, rows in increasing order: row r sets y_r = dot(A_r[..r], v[..r]) + A_rr v_r
/// (its own terms, summed as `norm::dot` sums them: eight partial sums over the whole chunks of
/// eight columns, added pairwise, then the rest in order) and adds A_rc v_r into every y_c,
/// c < r. So y_r = (own_r + A_rr v_r) + A_(r+1) r v_(r+1) + ... + A_(m-1) r v_(m-1), in that
/// order, whatever the number R of rows handled together (R divides 8, so the rows of a block
/// share their whole chunks): each vector width takes the R that fits its registers.
#[inline(always)]
fn symv_lower_lanes<const R: usize>(a: &[f64], n: usize, s: usize, v: &[f64], y: &mut [f64]) {
    let m = n - s;
    let mut i = 0;
    while i + R <= m {
        symv_rows::<R>(a, n, s, v, y, i);
        i += R;
    }
    while i < m {
        symv_rows::<1>(a, n, s, v, y, i);
        i += 1;
    }
}

/// Rows i..i + R of the trailing block (i a multiple of R): first the whole chunks of eight
/// columns they share, with one partial sum per row and lane in registers, then per row the rest
/// of its columns, its diagonal entry and its y_r.
#[allow(clippy::needless_range_loop)] // lanes, rows and columns indexed together
#[inline(always)]
fn symv_rows<const R: usize>(a: &[f64], n: usize, s: usize, v: &[f64], y: &mut [f64], i: usize) {
    const { assert!(LANES.is_multiple_of(R), "a block of rows must not straddle a chunk") };
    let rows: [&[f64]; R] = std::array::from_fn(|q| &a[(s + i + q) * n + s..(s + i + q) * n + s + i + q + 1]);
    let f: [f64; R] = std::array::from_fn(|q| v[i + q]);
    let full = i / LANES * LANES;
    let mut acc = [[0.0f64; LANES]; R];
    {
        let hs: [&[[f64; LANES]]; R] = std::array::from_fn(|q| rows[q][..full].as_chunks().0);
        let vs = v[..full].as_chunks::<LANES>().0;
        let ys = y[..full].as_chunks_mut::<LANES>().0;
        for c in 0..vs.len() {
            let (vc, mut yc) = (vs[c], ys[c]);
            for q in 0..R {
                let h = hs[q][c];
                for l in 0..LANES {
                    acc[q][l] += h[l] * vc[l];
                    yc[l] += h[l] * f[q];
                }
            }
            ys[c] = yc;
        }
    }
    for q in 0..R {
        let (r, row) = (i + q, rows[q]);
        let mut tail = -0.0;
        for c in full..r {
            tail += row[c] * v[c];
            y[c] += row[c] * f[q];
        }
        y[r] = (combine(acc[q]) + tail) + row[r] * f[q];
    }
}

/// A[t0.., t0..] -= V W^T + W V^T on the lower triangle, entry by entry over the panel's
/// columns in order: A_rc -= V_rm W_cm + W_rm V_cm for m = 0, 1, .... (W_cm, V_cm) are packed by
/// blocks of eight columns so that the loop over m streams through contiguous memory, and a tile
/// of R rows by G blocks is kept in registers through the panel, so each packed load serves R
/// rows and each row's (V_rm, W_rm) G blocks. R and G change no bit: each entry's subtractions
/// stay in the order of m.
#[inline(always)]
fn rank_2k_update_lanes<const R: usize, const G: usize>(
    a: &mut [f64],
    n: usize,
    t0: usize,
    vp: &[f64],
    wp: &[f64],
    nb: usize,
) {
    let blocks = (n - t0).div_ceil(B);
    // packed[b nb + m] = (W, V) of the columns t0 + b B.. t0 + b B + B, panel column m.
    let mut packed = vec![[0.0; 2 * B]; blocks * nb];
    for c in t0..n {
        let (b, t) = ((c - t0) / B, (c - t0) % B);
        for m in 0..nb {
            packed[b * nb + m][t] = wp[c * PANEL + m];
            packed[b * nb + m][B + t] = vp[c * PANEL + m];
        }
    }
    let panel = Panel { packed: &packed, vp: vp.as_chunks().0, wp: wp.as_chunks().0, nb };
    let mut r = t0;
    // Rows R at a time over the blocks every row of the tile has whole (those of its first,
    // shortest row), then each row's remaining entries alone.
    while r + R <= n {
        let shared = (r + 1 - t0) / B;
        let mut b = 0;
        while b + G <= shared {
            panel.tile::<R, G>(a, n, t0, r, b);
            b += G;
        }
        while b < shared {
            panel.tile::<R, 1>(a, n, t0, r, b);
            b += 1;
        }
        for q in 0..R {
            panel.row_from(a, n, t0, r + q, shared);
        }
        r += R;
    }
    for r in r..n {
        panel.row_from(a, n, t0, r, 0);
    }
}

/// Columns per packed block of the rank-2k update.
const B: usize = 8;

/// A panel's V and W by row (row r at [r]), and packed by blocks of columns
/// (`rank_2k_update_lanes`).
struct Panel<'a> {
    packed: &'a [[f64; 2 * B]],
    vp: &'a [[f64; PANEL]],
    wp: &'a [[f64; PANEL]],
    nb: usize,
}

impl Panel<'_> {
    /// Rows r..r + R, blocks b..b + G of the columns from t0.
    #[allow(clippy::needless_range_loop)] // rows, blocks and lanes indexed together
    #[inline(always)]
    fn tile<const R: usize, const G: usize>(&self, a: &mut [f64], n: usize, t0: usize, r: usize, b: usize) {
        let at = |q: usize, k: usize| (r + q) * n + t0 + (b + k) * B;
        let mut acc = [[[0.0; B]; G]; R];
        for q in 0..R {
            for k in 0..G {
                acc[q][k].copy_from_slice(&a[at(q, k)..at(q, k) + B]);
            }
        }
        let nb = self.nb.min(PANEL);
        let (vs, ws): ([&[f64; PANEL]; R], [&[f64; PANEL]; R]) =
            (std::array::from_fn(|q| &self.vp[r + q]), std::array::from_fn(|q| &self.wp[r + q]));
        let pk: [&[[f64; 2 * B]]; G] = std::array::from_fn(|k| &self.packed[(b + k) * self.nb..][..nb]);
        for m in 0..nb {
            for k in 0..G {
                let wv = pk[k][m];
                for q in 0..R {
                    let (x, z) = (vs[q][m], ws[q][m]);
                    for t in 0..B {
                        acc[q][k][t] -= x * wv[t] + z * wv[B + t];
                    }
                }
            }
        }
        for q in 0..R {
            for k in 0..G {
                a[at(q, k)..at(q, k) + B].copy_from_slice(&acc[q][k]);
            }
        }
    }

    /// Row r's entries from block b on (up to its diagonal): its whole blocks one at a time,
    /// then the last entries one by one.
    #[inline(always)]
    fn row_from(&self, a: &mut [f64], n: usize, t0: usize, r: usize, b: usize) {
        let whole = (r + 1 - t0) / B;
        for b in b..whole {
            self.tile::<1, 1>(a, n, t0, r, b);
        }
        let nb = self.nb.min(PANEL);
        let (vr, wr) = (&self.vp[r], &self.wp[r]);
        for c in t0 + whole * B..=r {
            let t = (c - t0) % B;
            let mut acc = a[r * n + c];
            for m in 0..nb {
                let wv = self.packed[whole * self.nb + m];
                acc -= vr[m] * wv[t] + wr[m] * wv[B + t];
            }
            a[r * n + c] = acc;
        }
    }
}

/// Q = H_0 H_1 ... H_(n-2) from the reflectors, stored by columns (column c at [c n..(c + 1) n]):
/// applied to the identity from the last reflector back, H_j touching rows j + 1.. of columns
/// j + 1.. only (the earlier columns are still unit vectors there).
pub(super) fn accumulate_q(n: usize, reflectors: &[(Vec<f64>, f64)]) -> Vec<f64> {
    let mut z = vec![0.0; n * n];
    for c in 0..n {
        z[c * n + c] = 1.0;
    }
    for (j, (v, tau)) in reflectors.iter().enumerate().rev() {
        if *tau == 0.0 {
            continue;
        }
        for c in j + 1..n {
            let col = &mut z[c * n + j + 1..(c + 1) * n];
            let f = tau * dot(v, col);
            col.iter_mut().zip(v).for_each(|(x, vr)| *x -= f * vr);
        }
    }
    z
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::testing::random_symmetric;

    /// Sizes around the blocks of rows, of columns and of chunks, from one row to several panels.
    const SIZES: [usize; 10] = [1, 2, 7, 8, 9, 15, 17, 40, 77, 130];

    fn values(count: usize, seed: usize) -> Vec<f64> {
        (0..count).map(|i| ((i * 7919 + seed * 104_729) % 1009) as f64 / 97.0 - 5.2).collect()
    }

    /// The product's definition written out entry by entry: y_r = dot(A_r[..r], v[..r]) + A_rr v_r,
    /// then + A_cr v_c for c = r + 1, r + 2, ... in order.
    fn symv_by_definition(a: &[f64], n: usize, s: usize, v: &[f64]) -> Vec<f64> {
        let at = |r: usize, c: usize| a[(s + r) * n + s + c];
        (0..n - s)
            .map(|r| {
                let own: Vec<f64> = (0..r).map(|c| at(r, c)).collect();
                (r + 1..n - s).fold(dot(&own, &v[..r]) + at(r, r) * v[r], |y, c| y + at(c, r) * v[c])
            })
            .collect()
    }

    #[test]
    fn the_product_has_the_bits_of_its_definition_on_every_width() {
        for n in SIZES {
            let a = random_symmetric(n, n as u64);
            for s in [0, 1, 3, n / 2, n - 1].into_iter().filter(|s| *s < n) {
                let v = values(n - s, s);
                let want = symv_by_definition(&a.data, n, s, &v);
                let run = |kernel: fn(&[f64], usize, usize, &[f64], &mut [f64])| {
                    let mut y = vec![f64::NAN; n - s];
                    kernel(&a.data, n, s, &v, &mut y);
                    y
                };
                assert_eq!(run(symv_lower), want, "n = {n}, s = {s}");
                assert_eq!(run(symv_lower_lanes::<1>), want, "n = {n}, s = {s}");
                assert_eq!(run(symv_lower_lanes::<2>), want, "n = {n}, s = {s}");
                assert_eq!(run(symv_lower_lanes::<8>), want, "n = {n}, s = {s}");
                #[cfg(target_arch = "x86_64")]
                if std::arch::is_x86_feature_detected!("avx") {
                    // SAFETY: the CPU has AVX (checked above).
                    assert_eq!(run(|a, n, s, v, y| unsafe { symv_lower_avx(a, n, s, v, y) }), want);
                }
            }
        }
    }

    #[test]
    fn the_update_has_the_bits_of_its_definition_on_every_tile() {
        for n in SIZES {
            let a = random_symmetric(n, 3 + n as u64);
            for t0 in [0, 1, n / 3, n - 1].into_iter().filter(|t| *t < n) {
                let nb = PANEL.min(n - t0);
                let (vp, wp) = (values(n * PANEL, 1), values(n * PANEL, 2));
                // A_rc -= V_rm W_cm + W_rm V_cm for m = 0, 1, ..., entry by entry.
                let mut want = a.data.clone();
                for r in t0..n {
                    for c in t0..=r {
                        for m in 0..nb {
                            want[r * n + c] -=
                                vp[r * PANEL + m] * wp[c * PANEL + m] + wp[r * PANEL + m] * vp[c * PANEL + m];
                        }
                    }
                }
                type Update = fn(&mut [f64], usize, usize, &[f64], &[f64], usize);
                let kernels: [Update; 5] = [
                    rank_2k_update,
                    rank_2k_update_lanes::<1, 1>,
                    rank_2k_update_lanes::<2, 1>,
                    rank_2k_update_lanes::<4, 2>,
                    rank_2k_update_lanes::<3, 5>,
                ];
                for kernel in kernels {
                    let mut got = a.data.clone();
                    kernel(&mut got, n, t0, &vp, &wp, nb);
                    assert_eq!(got, want, "n = {n}, t0 = {t0}");
                }
            }
        }
    }

    #[test]
    fn the_tridiagonal_keeps_trace_and_frobenius_norm() {
        // T = Q^T A Q: the same trace and the same sum of squares (2 sum off^2 for the two sides).
        for n in [1, 33, 200] {
            let a = random_symmetric(n, 11);
            let (trace, frobenius2) = (0..n).fold((0.0, 0.0), |(t, f), r| {
                (t + a.get(r, r), f + (0..n).map(|c| a.get(r, c) * a.get(r, c)).sum::<f64>())
            });
            let t = tridiagonalize(a, false);
            let t_trace: f64 = t.diag.iter().sum();
            let t_frobenius2: f64 =
                t.diag.iter().map(|d| d * d).sum::<f64>() + 2.0 * t.off.iter().map(|e| e * e).sum::<f64>();
            assert!((t_trace - trace).abs() <= 1e-12 * frobenius2.sqrt() * n as f64, "{t_trace} vs {trace}");
            assert!((t_frobenius2 - frobenius2).abs() <= 1e-12 * frobenius2, "{t_frobenius2} vs {frobenius2}");
        }
    }
}
