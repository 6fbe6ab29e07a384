//! Exact L_inf for a PSD Hessian that is a multiple of the identity plus a matrix of low rank,
//! H = lambda I + W^T W with W of size k x d (docs/theory.md §3): the family of outlier spectra,
//! whatever their rotation.
//!
//! For a sign vector s, s^T H s = d lambda + ||W s||^2, so L_inf = d lambda + max_s ||W s||^2.
//! The points W s for s in [-1, 1]^d form a zonotope in R^k, and a convex function is maximised at
//! one of its vertices. Every vertex is W sign(W^T c) for a direction c in general position, and
//! the sign pattern only changes where c crosses a hyperplane w_i^T c = 0 (w_i the columns of W).
//! Every cell of that arrangement touches a line c orthogonal to k - 1 of the w_i; along it the other
//! signs are fixed and the k - 1 chosen ones take all 2^(k-1) patterns nearby. Trying every
//! (k - 1)-subset therefore visits every vertex: C(d, k - 1) 2^(k-1) candidates of O(d k) each,
//! polynomial for fixed k (k = 2 at d = 2000: 1.6e7 multiply-adds).
//!
//! The factor W comes from a pivoted Cholesky factorisation of H - lambda_min I, stopped when the
//! remaining diagonal is at rounding level: O(d k^2), no eigenvectors needed. The candidate search
//! runs on that factor; the value returned is ||H s||_1 of the best sign vector with H itself, the
//! same formula as every other bound, so it is exact up to the rounding of H's own entries.

use crate::linalg::Matrix;
use crate::norm::{dot, l1};

/// A sign vector maximising s^T H s, its value ||H s||_1, and the rank k of H - lambda_min I.
#[derive(Clone, Debug, PartialEq)]
pub struct LowRankMax {
    pub value: f64,
    pub signs: Vec<f64>,
    pub rank: usize,
}

/// Residual diagonal below this times max |H_ii| counts as zero: well above the rounding of a
/// rotated matrix (about d eps |H|), far below any eigenvalue gap the generators make.
const RANK_TOLERANCE: f64 = 1e-9;

/// Multiply-adds of the candidate search for rank k at dimension d: C(d, k-1) 2^(k-1) d k.
pub fn low_rank_work(d: usize, k: usize) -> f64 {
    if k == 0 {
        return d as f64;
    }
    let mut subsets = 1.0;
    for i in 0..k - 1 {
        subsets *= (d - i) as f64 / (i + 1) as f64;
    }
    subsets * libm::pow(2.0, (k - 1) as f64) * (d * k) as f64
}

/// max over sign vectors of s^T H s when H - lambda_min I has rank at most `max_rank` (and the search
/// costs at most `max_work` multiply-adds); None otherwise. `lambda_min` is H's smallest eigenvalue;
/// H must be PSD.
pub fn linf_low_rank(h: &Matrix, lambda_min: f64, max_rank: usize, max_work: f64) -> Option<LowRankMax> {
    let d = h.n();
    let scale = (0..d).map(|i| h.get(i, i).abs()).fold(0.0, f64::max);
    let w = pivoted_cholesky(h, lambda_min, RANK_TOLERANCE * scale, max_rank.min(d))?;
    let k = w.len();
    if low_rank_work(d, k) > max_work {
        return None;
    }
    // Columns of W as points in R^k: generator i is (w[0][i], ..., w[k-1][i]).
    let gens: Vec<Vec<f64>> = (0..d).map(|i| w.iter().map(|row| row[i]).collect()).collect();
    let mut best = (f64::NEG_INFINITY, vec![1.0; d]);
    let mut consider = |s: Vec<f64>| {
        let v = weighted_sum(&gens, &s, k);
        let value = dot(&v, &v);
        if value > best.0 {
            best = (value, s);
        }
    };
    if k == 0 {
        consider(vec![1.0; d]);
    }
    for subset in Subsets::new(d, k.saturating_sub(1)) {
        let Some(c) = normal_to(&subset.iter().map(|&i| gens[i].as_slice()).collect::<Vec<_>>(), k) else {
            continue;
        };
        let base: Vec<f64> = gens.iter().map(|g| if dot(g, &c) >= 0.0 { 1.0 } else { -1.0 }).collect();
        for pattern in 0..1usize << subset.len() {
            let mut s = base.clone();
            for (b, &i) in subset.iter().enumerate() {
                s[i] = if pattern >> b & 1 == 1 { 1.0 } else { -1.0 };
            }
            consider(s);
        }
    }
    let signs = improve_by_flips(&gens, best.1, k);
    Some(LowRankMax { value: l1(&h.matvec(&signs)), signs, rank: k })
}

/// Rows of W (k x d) with H - shift I = W^T W up to `tol` on the remaining diagonal, by at most
/// `max_rank` steps of pivoted Cholesky; None when the remainder is still above `tol`.
fn pivoted_cholesky(h: &Matrix, shift: f64, tol: f64, max_rank: usize) -> Option<Vec<Vec<f64>>> {
    let d = h.n();
    let mut rest: Vec<f64> = (0..d).map(|i| h.get(i, i) - shift).collect();
    let mut rows: Vec<Vec<f64>> = Vec::new();
    loop {
        let (p, top) =
            rest.iter().copied().enumerate().fold((0, f64::NEG_INFINITY), |a, (i, r)| if r > a.1 { (i, r) } else { a });
        if d == 0 || top <= tol {
            return Some(rows);
        }
        if rows.len() == max_rank {
            return None;
        }
        let pivot = top.sqrt();
        let row: Vec<f64> = (0..d)
            .map(|i| {
                let m = h.get(i, p) - if i == p { shift } else { 0.0 };
                let earlier: f64 = rows.iter().map(|r| r[i] * r[p]).sum();
                if i == p {
                    pivot
                } else {
                    (m - earlier) / pivot
                }
            })
            .collect();
        for (r, x) in rest.iter_mut().zip(&row) {
            *r -= x * x;
        }
        rest[p] = 0.0;
        rows.push(row);
    }
}

/// sum_i s_i g_i in R^k.
fn weighted_sum(gens: &[Vec<f64>], s: &[f64], k: usize) -> Vec<f64> {
    let mut v = vec![0.0; k];
    for (g, si) in gens.iter().zip(s) {
        for (a, b) in v.iter_mut().zip(g) {
            *a += si * b;
        }
    }
    v
}

/// A unit vector orthogonal to the k - 1 vectors `vs` in R^k, or None when they are dependent:
/// Gram-Schmidt on `vs`, then the coordinate axis with the largest remainder.
fn normal_to(vs: &[&[f64]], k: usize) -> Option<Vec<f64>> {
    let mut basis: Vec<Vec<f64>> = Vec::with_capacity(k);
    let reduce = |basis: &[Vec<f64>], mut x: Vec<f64>| {
        for b in basis {
            let c = dot(b, &x);
            x.iter_mut().zip(b).for_each(|(xi, bi)| *xi -= c * bi);
        }
        x
    };
    for v in vs {
        let r = reduce(&basis, v.to_vec());
        let n = dot(&r, &r).sqrt();
        if n <= 1e-12 * dot(v, v).sqrt() || n == 0.0 {
            return None;
        }
        basis.push(r.into_iter().map(|x| x / n).collect());
    }
    let best = (0..k)
        .map(|j| reduce(&basis, (0..k).map(|i| if i == j { 1.0 } else { 0.0 }).collect()))
        .max_by(|a, b| dot(a, a).total_cmp(&dot(b, b)))?;
    let n = dot(&best, &best).sqrt();
    (n > 0.0).then(|| best.into_iter().map(|x| x / n).collect())
}

/// Single sign flips while they raise ||W s||^2 (flipping s_i changes it by
/// 4 (||g_i||^2 - s_i g_i^T W s)): repairs a tie that rounding put on the wrong side.
fn improve_by_flips(gens: &[Vec<f64>], mut s: Vec<f64>, k: usize) -> Vec<f64> {
    let mut v = weighted_sum(gens, &s, k);
    for _ in 0..gens.len() {
        let mut changed = false;
        for (i, g) in gens.iter().enumerate() {
            if s[i] * dot(g, &v) < dot(g, g) * (1.0 - 1e-12) {
                v.iter_mut().zip(g).for_each(|(a, b)| *a -= 2.0 * s[i] * b);
                s[i] = -s[i];
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    s
}

/// The m-subsets of 0..n in lexicographic order (one empty subset when m = 0).
struct Subsets {
    n: usize,
    next: Option<Vec<usize>>,
}

impl Subsets {
    fn new(n: usize, m: usize) -> Self {
        Subsets { n, next: (m <= n).then(|| (0..m).collect()) }
    }
}

impl Iterator for Subsets {
    type Item = Vec<usize>;

    fn next(&mut self) -> Option<Vec<usize>> {
        let current = self.next.take()?;
        let m = current.len();
        let mut following = current.clone();
        // The rightmost index that can still move right, then its successors packed after it.
        if let Some(i) = (0..m).rev().find(|&i| following[i] < self.n - m + i) {
            following[i] += 1;
            for j in i + 1..m {
                following[j] = following[j - 1] + 1;
            }
            self.next = Some(following);
        }
        Some(current)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::rng::Rng;
    use crate::smoothness::linf_branch_and_bound;
    use crate::testing::brute_quadratic;

    /// lambda I + W^T W with W (k x d) standard normal times `spread`.
    fn identity_plus_low_rank(d: usize, k: usize, lambda: f64, spread: f64, seed: u64) -> Matrix {
        let mut rng = Rng::new(seed);
        let w: Vec<Vec<f64>> = (0..k).map(|_| rng.normals(d).into_iter().map(|x| spread * x).collect()).collect();
        let rows: Vec<Vec<f64>> = (0..d)
            .map(|i| {
                (0..d).map(|j| w.iter().map(|r| r[i] * r[j]).sum::<f64>() + if i == j { lambda } else { 0.0 }).collect()
            })
            .collect();
        Matrix::from_rows(&rows)
    }

    #[test]
    fn subsets_are_every_combination_once() {
        let all: Vec<Vec<usize>> = Subsets::new(5, 2).collect();
        assert_eq!(all.len(), 10);
        assert_eq!(all.first().unwrap(), &vec![0, 1]);
        assert_eq!(all.last().unwrap(), &vec![3, 4]);
        assert_eq!(Subsets::new(4, 0).count(), 1);
        assert_eq!(Subsets::new(3, 4).count(), 0);
    }

    #[test]
    fn equals_brute_force_for_ranks_one_to_three() {
        for (d, k, seed) in [(6, 1, 1), (9, 2, 2), (12, 2, 3), (14, 3, 4), (16, 2, 5), (11, 3, 6), (8, 4, 7)] {
            let h = identity_plus_low_rank(d, k, 0.7, 3.0, seed);
            let lambda_min = h.sym_eigenvalues().unwrap()[0];
            let found = linf_low_rank(&h, lambda_min, 6, 1e9).expect("low rank");
            let truth = brute_quadratic(&h);
            assert_eq!(found.rank, k, "d={d} k={k}");
            assert!((found.value - truth).abs() <= 1e-10 * truth, "d={d} k={k}: {} vs {truth}", found.value);
        }
    }

    #[test]
    fn a_diagonal_outlier_matrix_gives_its_trace() {
        let mut diag = vec![1.0; 30];
        diag[3] = 100.0;
        diag[17] = 100.0;
        let h = Matrix::diagonal(&diag);
        let found = linf_low_rank(&h, 1.0, 4, 1e9).unwrap();
        assert_eq!(found.rank, 2);
        assert_eq!(found.value, h.trace());
    }

    #[test]
    fn refuses_a_matrix_of_full_rank_or_over_budget() {
        let h = crate::testing::random_psd(12, 9);
        let lambda_min = h.sym_eigenvalues().unwrap()[0];
        assert!(linf_low_rank(&h, lambda_min, 4, 1e9).is_none());
        let low = identity_plus_low_rank(40, 3, 1.0, 2.0, 10);
        assert!(linf_low_rank(&low, low.sym_eigenvalues().unwrap()[0], 3, 10.0).is_none());
    }

    /// The generator's family: k outliers at 100 over a bulk at 1, partly or fully rotated.
    fn rotated_outliers(d: usize, k: usize, rotation: f64, seed: u64) -> Matrix {
        use crate::objective::{rotated_hessian, spectrum, HaarRotation, SpectrumKind};
        let lam = spectrum(SpectrumKind::Outliers, d, 1.0, 100.0, k);
        rotated_hessian(&lam, &HaarRotation::new(d, &mut Rng::new(seed)), rotation)
    }

    #[test]
    fn the_generators_rotated_outliers_at_sixty_match_unbudgeted_branch_and_bound() {
        for (rotation, seed) in [(0.3, 202), (0.6, 203), (1.0, 204)] {
            let h = rotated_outliers(60, 2, rotation, seed);
            let found = linf_low_rank(&h, 1.0, 4, 1e9).expect("identity plus rank 2");
            assert_eq!(found.rank, 2);
            let (_, v) = linf_branch_and_bound(&h, None, &mut |_| true).unwrap();
            let bnb = l1(&h.matvec(&v));
            assert!((found.value - bnb).abs() <= 1e-12 * bnb, "rotation {rotation}: {} vs {bnb}", found.value);
        }
    }

    #[test]
    fn at_five_hundred_it_lies_inside_the_certified_bracket_and_beats_every_search() {
        use crate::smoothness::{report, ExactMode, ReportOptions};
        let h = rotated_outliers(500, 2, 1.0, 7);
        let found = linf_low_rank(&h, 1.0, 4, 1e9).unwrap();
        let opts = ReportOptions { exact: ExactMode::Never, ..Default::default() };
        let r = report(&h, &opts, &mut |_| true).unwrap();
        assert!(found.value >= r.linf_lower * (1.0 - 1e-12), "{} below the lower bound {}", found.value, r.linf_lower);
        assert!(found.value <= r.l_sep.unwrap(), "{} above L_sep {:?}", found.value, r.l_sep);
        // s^T H s = d + 99 ||U^T s||^2 <= d + 99 * 2 d (two unit columns): the rank-2 ceiling.
        assert!(found.value <= 500.0 + 99.0 * 1000.0);
    }

    #[test]
    fn agrees_with_branch_and_bound_at_sixty() {
        for (k, seed) in [(2, 11), (3, 12)] {
            let h = identity_plus_low_rank(60, k, 1.0, 1.5, seed);
            let found = linf_low_rank(&h, h.sym_eigenvalues().unwrap()[0], 4, 1e10).unwrap();
            let (bnb, v) = linf_branch_and_bound(&h, None, &mut |_| true).unwrap();
            let bnb_value = l1(&h.matvec(&v));
            assert!(
                (found.value - bnb_value).abs() <= 1e-9 * bnb_value,
                "k={k}: {} vs {bnb_value} ({bnb})",
                found.value
            );
        }
    }
}
