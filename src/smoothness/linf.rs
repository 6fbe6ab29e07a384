//! The exact l_inf smoothness constant L_inf = ||H||_{inf,1} = max_{v in {-1,1}^d} ||H v||_1.
//!
//! For any symmetric H, ||H||_{inf,1} = max_{v, w} w^T H v over sign vectors, and for fixed v the
//! best w is sign(H v), which gives ||H v||_1. For PSD H this equals max_v v^T H v
//! (docs/theory.md §3). Two exact algorithms:
//! - Gray-code enumeration (any symmetric H): half of the sign vectors (v and -v give the same
//!   value), in an order where each step flips one sign, so u = H v is updated with one row of H:
//!   O(d) per vector, O(d 2^(d-1)) in all.
//! - Branch and bound (PSD H), "Russian doll" style: it solves the trailing problems
//!   S_k = max over v_k.. of v^T H[k.., k..] v for k = d-1 down to 0, and in each prunes a partial
//!   assignment a of v_k..v_{m-1} by the upper bound
//!   a^T H_AA a + 2 ||H_UA a||_1 + S_m  (U = the unassigned m..d-1),
//!   since v^T H v = a^T H_AA a + 2 u^T H_UA a + u^T H_UU u. Far faster than enumeration when
//!   H is near diagonal or has a dominant direction; no better in the worst case.
//!
//! Both report progress and stop early when the callback returns false.

use crate::linalg::Matrix;
use crate::norm::l1;

/// Called with the fraction done (0..1); returning false cancels.
pub type Progress<'a> = &'a mut dyn FnMut(f64) -> bool;

/// How often (in visited vectors or nodes) progress is reported.
const REPORT_EVERY: u64 = 1 << 16;

/// Exact ||H||_{inf,1} by Gray-code enumeration and a maximising sign vector.
pub fn linf_exact(h: &Matrix) -> (f64, Vec<f64>) {
    linf_enumerate(h, &mut |_| true).expect("not cancelled")
}

/// Gray-code enumeration with progress; None when cancelled.
pub fn linf_enumerate(h: &Matrix, progress: Progress) -> Option<(f64, Vec<f64>)> {
    let d = h.n();
    if d == 0 {
        return Some((0.0, vec![]));
    }
    let mut v = vec![1.0; d];
    let mut u: Vec<f64> = (0..d).map(|i| h.row(i).iter().sum()).collect();
    let mut best = l1(&u);
    let mut best_v = v.clone();
    // Coordinate 0 stays +1; flips range over coordinates 1..d.
    let count: u64 = 1u64 << (d - 1);
    for i in 1..count {
        if i % REPORT_EVERY == 0 && !progress(i as f64 / count as f64) {
            return None;
        }
        let k = 1 + i.trailing_zeros() as usize;
        let delta = -2.0 * v[k];
        v[k] = -v[k];
        // H is symmetric: column k is row k.
        for (ui, hk) in u.iter_mut().zip(h.row(k)) {
            *ui += delta * hk;
        }
        let val = l1(&u);
        if val > best {
            best = val;
            best_v.copy_from_slice(&v);
        }
    }
    Some((best, best_v))
}

/// Branch and bound for PSD H (max v^T H v); None when cancelled. `start`, a good sign vector
/// (e.g. from local search), makes pruning effective from the first node of the full problem.
pub fn linf_branch_and_bound(h: &Matrix, start: Option<&[f64]>, progress: Progress) -> Option<(f64, Vec<f64>)> {
    let d = h.n();
    if d == 0 {
        return Some((0.0, vec![]));
    }
    // suffix[k] = S_k, suffix[d] = 0; best_tail[k] = a maximiser of S_k (entries k..d).
    let mut suffix = vec![0.0; d + 1];
    let mut best_tail: Vec<f64> = vec![0.0; d];
    let mut nodes: u64 = 0;
    for k in (0..d).rev() {
        // Start from the previous optimum extended by the better sign of v_k.
        let mut v = best_tail.clone();
        v[k] = 1.0;
        let cross: f64 = (k + 1..d).map(|j| h.get(k, j) * v[j]).sum();
        let mut best = h.get(k, k) + suffix[k + 1] + 2.0 * cross.abs();
        if cross < 0.0 {
            for x in v[k + 1..].iter_mut() {
                *x = -*x;
            }
        }
        if let (0, Some(s0)) = (k, start) {
            // Normalised to v_0 = +1 like every vector searched here.
            let s0: Vec<f64> = s0.iter().map(|x| if s0[0] < 0.0 { -x } else { *x }).collect();
            let val = crate::norm::dot(&s0, &h.matvec(&s0));
            if val > best {
                best = val;
                v = s0;
            }
        }
        let mut best_v = v.clone();
        // Depth-first search over v_{k+1}..v_{d-1} with v_k = +1 (symmetry).
        let mut a = vec![0.0; d];
        a[k] = 1.0;
        // w = H[:, A] a, q = a^T H_AA a.
        let mut w: Vec<f64> = (0..d).map(|i| h.get(i, k)).collect();
        let mut q = h.get(k, k);
        // Stack of (depth m, sign tried next): explicit to avoid recursion limits.
        let mut m = k + 1;
        let mut next_sign: Vec<u8> = vec![0; d + 1];
        loop {
            if m == d {
                if q > best {
                    best = q;
                    best_v[k..].copy_from_slice(&a[k..]);
                }
            } else {
                nodes += 1;
                if nodes.is_multiple_of(REPORT_EVERY) && !progress((d - k) as f64 / d as f64) {
                    return None;
                }
                let tail: f64 = w[m..].iter().map(|x| x.abs()).sum();
                if q + 2.0 * tail + suffix[m] > best && next_sign[m] < 2 {
                    let s = if next_sign[m] == 0 { 1.0 } else { -1.0 };
                    next_sign[m] += 1;
                    // Assign v_m = s.
                    q += 2.0 * s * w[m] + h.get(m, m);
                    a[m] = s;
                    for (wi, hm) in w.iter_mut().zip(h.row(m)) {
                        *wi += s * hm;
                    }
                    m += 1;
                    continue;
                }
                next_sign[m] = 0;
            }
            // Backtrack: undo v_{m-1}.
            m -= 1;
            if m == k {
                break;
            }
            let s = a[m];
            for (wi, hm) in w.iter_mut().zip(h.row(m)) {
                *wi -= s * hm;
            }
            q -= 2.0 * s * w[m] + h.get(m, m);
            a[m] = 0.0;
        }
        suffix[k] = best;
        best_tail = best_v;
    }
    Some((suffix[0], best_tail))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::testing::{brute_bilinear, brute_quadratic, random_psd, random_symmetric};

    fn random(d: usize, seed: u64, psd: bool) -> Matrix {
        if psd {
            random_psd(d, seed)
        } else {
            random_symmetric(d, seed)
        }
    }

    #[test]
    fn enumeration_matches_brute_force() {
        for d in 1..=12 {
            for (seed, psd) in [(d as u64, true), (100 + d as u64, false)] {
                let h = random(d, seed, psd);
                let (exact, v) = linf_exact(&h);
                let truth = brute_bilinear(&h);
                assert!((exact - truth).abs() <= 1e-12 * truth.abs().max(1.0), "d={d} psd={psd}: {exact} vs {truth}");
                assert!((l1(&h.matvec(&v)) - exact).abs() <= 1e-9 * exact.max(1.0));
            }
        }
    }

    #[test]
    fn branch_and_bound_matches_brute_force_on_psd() {
        for d in 1..=12 {
            for seed in 0..3 {
                let h = random_psd(d, 1000 + 10 * d as u64 + seed);
                let truth = brute_quadratic(&h);
                let (bb, v) = linf_branch_and_bound(&h, None, &mut |_| true).unwrap();
                assert!((bb - truth).abs() <= 1e-12 * truth, "d={d}: {bb} vs {truth}");
                assert!((crate::norm::dot(&v, &h.matvec(&v)) - bb).abs() <= 1e-9 * bb);
            }
        }
    }

    #[test]
    fn textbook_cases() {
        // Diagonal: tr |H|. All-ones: d^2.
        let (l, _) = linf_exact(&Matrix::diagonal(&[3.0, 1.0, 2.0, 0.5]));
        assert_eq!(l, 6.5);
        let d = 7;
        let mut ones = Matrix::zeros(d);
        for i in 0..d {
            for j in 0..d {
                ones.set(i, j, 1.0);
            }
        }
        assert_eq!(linf_exact(&ones).0, (d * d) as f64);
        assert_eq!(linf_branch_and_bound(&ones, None, &mut |_| true).unwrap().0, (d * d) as f64);
    }

    #[test]
    fn cancellation_stops_early() {
        let h = random_psd(20, 5);
        let mut calls = 0;
        assert!(linf_enumerate(&h, &mut |_| {
            calls += 1;
            calls < 3
        })
        .is_none());
        assert_eq!(calls, 3);
    }
}
