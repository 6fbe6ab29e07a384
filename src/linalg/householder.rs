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
use crate::norm::dot;

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
    ($name:ident, $lanes:ident, $avx512:ident, $avx:ident, ($($arg:ident: $ty:ty),*)) => {
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
            $lanes($($arg),*)
        }

        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx512f")]
        fn $avx512($($arg: $ty),*) {
            $lanes($($arg),*)
        }

        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx")]
        fn $avx($($arg: $ty),*) {
            $lanes($($arg),*)
        }
    };
}

on_widest_unit!(symv_lower, symv_lower_lanes, symv_lower_avx512, symv_lower_avx,
    (a: &[f64], n: usize, s: usize, v: &[f64], y: &mut [f64]));
on_widest_unit!(rank_2k_update, rank_2k_update_lanes, rank_2k_update_avx512, rank_2k_update_avx,
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
    let xnorm = libm::sqrt(dot(rest, rest));
    if xnorm == 0.0 {
        return (alpha, 0.0);
    }
    let beta = -libm::copysign(libm::hypot(alpha, xnorm), alpha);
    let scale = 1.0 / (alpha - beta);
    rest.iter_mut().for_each(|v| *v *= scale);
    (beta, (beta - alpha) / beta)
}

/// y = A v for the trailing block A[s.., s..] of the row-major n x n `a`, reading its lower
/// triangle once: row r gives y_r its dot product with v and adds A_rc v_r into every y_c, c < r.
/// Rows go four at a time, so each y_c is loaded and stored once per four rows.
#[allow(clippy::needless_range_loop)] // lanes, rows and columns indexed together
#[inline(always)]
fn symv_lower_lanes(a: &[f64], n: usize, s: usize, v: &[f64], y: &mut [f64]) {
    y.fill(0.0);
    let m = n - s;
    let row = |i: usize| &a[(s + i) * n + s..(s + i) * n + s + i + 1];
    // The first m mod 4 rows (the shortest) one at a time, then blocks of four.
    for i in 0..m % 4 {
        let r = row(i);
        let mut t = 0.0;
        for c in 0..i {
            t += r[c] * v[c];
            y[c] += r[c] * v[i];
        }
        y[i] += t + r[i] * v[i];
    }
    let mut i = m % 4;
    while i + 4 <= m {
        let (r0, r1, r2, r3) = (&row(i)[..i], &row(i + 1)[..i], &row(i + 2)[..i], &row(i + 3)[..i]);
        let (f0, f1, f2, f3) = (v[i], v[i + 1], v[i + 2], v[i + 3]);
        let (vv, yy) = (&v[..i], &mut y[..i]);
        // Per row two partial sums (even and odd columns), added at the end.
        let mut acc = [[0.0f64; 2]; 4];
        for k in 0..i / 2 {
            for t in 0..2 {
                let c = 2 * k + t;
                let (a0, a1, a2, a3) = (r0[c], r1[c], r2[c], r3[c]);
                acc[0][t] += a0 * vv[c];
                acc[1][t] += a1 * vv[c];
                acc[2][t] += a2 * vv[c];
                acc[3][t] += a3 * vv[c];
                yy[c] += ((a0 * f0 + a1 * f1) + a2 * f2) + a3 * f3;
            }
        }
        if i % 2 == 1 {
            let c = i - 1;
            let (a0, a1, a2, a3) = (r0[c], r1[c], r2[c], r3[c]);
            acc[0][0] += a0 * vv[c];
            acc[1][0] += a1 * vv[c];
            acc[2][0] += a2 * vv[c];
            acc[3][0] += a3 * vv[c];
            yy[c] += ((a0 * f0 + a1 * f1) + a2 * f2) + a3 * f3;
        }
        // The 4 x 4 diagonal block, row by row.
        for q in 0..4 {
            let r = row(i + q);
            let mut t = acc[q][0] + acc[q][1];
            for c in i..i + q {
                t += r[c] * v[c];
                y[c] += r[c] * v[i + q];
            }
            y[i + q] += t + r[i + q] * v[i + q];
        }
        i += 4;
    }
}

/// A[t0.., t0..] -= V W^T + W V^T on the lower triangle, entry by entry over the panel's
/// columns in order: A_rc -= V_rm W_cm + W_rm V_cm for m = 0, 1, .... Eight columns of a row are
/// kept in registers through the panel, reading (W_cm, V_cm) packed by blocks of eight columns
/// so that the loop over m streams through contiguous memory.
#[inline(always)]
fn rank_2k_update_lanes(a: &mut [f64], n: usize, t0: usize, vp: &[f64], wp: &[f64], nb: usize) {
    const B: usize = 8;
    let blocks = (n - t0).div_ceil(B);
    // packed[((b nb + m) 2 + 0) B + t] = W of column t0 + b B + t, panel column m; + 1: V.
    let mut packed = vec![0.0; blocks * nb * 2 * B];
    for c in t0..n {
        let (b, t) = ((c - t0) / B, (c - t0) % B);
        for m in 0..nb {
            packed[((b * nb + m) * 2) * B + t] = wp[c * PANEL + m];
            packed[((b * nb + m) * 2 + 1) * B + t] = vp[c * PANEL + m];
        }
    }
    for r in t0..n {
        let (vr, wr) = (&vp[r * PANEL..r * PANEL + nb], &wp[r * PANEL..r * PANEL + nb]);
        let row = &mut a[r * n + t0..r * n + r + 1];
        let full = row.len() / B;
        for (b, chunk) in row.chunks_exact_mut(B).enumerate() {
            let mut acc = [0.0; B];
            acc.copy_from_slice(chunk);
            let pk = &packed[b * nb * 2 * B..(b + 1) * nb * 2 * B];
            for (m, wv) in pk.chunks_exact(2 * B).enumerate() {
                let (x, z) = (vr[m], wr[m]);
                for t in 0..B {
                    acc[t] -= x * wv[t] + z * wv[B + t];
                }
            }
            chunk.copy_from_slice(&acc);
        }
        let pk = &packed[full * nb * 2 * B..];
        for (t, entry) in row[full * B..].iter_mut().enumerate() {
            let mut acc = *entry;
            for m in 0..nb {
                acc -= vr[m] * pk[m * 2 * B + t] + wr[m] * pk[m * 2 * B + B + t];
            }
            *entry = acc;
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
