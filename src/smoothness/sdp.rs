//! The semidefinite relaxation of max_{z in {-1,1}^n} z^T B z and its certified dual.
//!
//! Primal: max { tr(B X) : X PSD, diag X = 1 }, solved in the low-rank form X = V^T V with unit
//! columns v_i in R^k, k = ceil(sqrt(2n)) + 1 (Burer-Monteiro; at this rank local optima are
//! global for generic B), by the "mixing method" of Wang, Chang & Kolter (2017): cyclic exact
//! coordinate updates v_i <- g_i / ||g_i||, g_i = sum_{j != i} B_ij v_j, each of which raises the
//! objective by 2 (||g_i|| - <g_i, v_i>).
//!
//! Dual: min { sum_i l_i : diag(l) - B PSD }. At the primal optimum the multipliers are
//! l_i = B_ii + ||g_i||. We certify them: with A = diag(l) - B and the symmetric eigensolver's
//! smallest eigenvalue mu, the certificate is accepted when mu >= tau = 4 n eps ||A||_F, which
//! exceeds the eigensolver's backward error, so A is PSD for certain and sum_i l_i is a proven
//! upper bound on the SDP value, hence on max z^T B z. When mu < tau every l_i is raised by
//! 2 tau - mu (a uniform shift adds that much to every eigenvalue of A) and the check repeats.
//!
//! For PSD B the SDP value is L_sep, the best separable smoothness constant, and
//! L_inf <= L_sep <= (pi/2) L_inf (Nesterov 1998).

use crate::linalg::Matrix;
use crate::norm::{dot, l2};
use crate::rng::Rng;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq)]
pub struct SdpSolution {
    /// Row i is the unit vector v_i (length `rank`).
    pub v: Vec<Vec<f64>>,
    /// tr(B V^T V): a lower bound on the SDP value.
    pub primal: f64,
    pub sweeps: usize,
}

/// A dual certificate: diag(l) - B is PSD, so sum l_i bounds the SDP value from above.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Certificate {
    pub l: Vec<f64>,
    pub upper: f64,
    /// Smallest eigenvalue of diag(l) - B as computed, and the margin it must clear.
    pub min_eigenvalue: f64,
    pub tolerance: f64,
    pub valid: bool,
}

/// The over-relaxation factor omega of the coordinate updates (see the module docs).
const OVER_RELAXATION: f64 = 0.75;

/// The rank of the factorisation for an n x n problem.
pub fn sdp_rank(n: usize) -> usize {
    ((2.0 * n as f64).sqrt().ceil() as usize + 1).min(n.max(1))
}

/// Solves to a certified relative gap (l_sep - primal) / l_sep <= `gap`, or until `max_sweeps`
/// sweeps: mixing-method sweeps to a per-sweep tolerance that tightens 100-fold whenever the
/// certificate it yields is not yet good enough.
pub fn solve(b: &Matrix, seed: u64, gap: f64, max_sweeps: usize) -> (SdpSolution, Certificate) {
    let mut sol = mixing_method(b, seed, 1e-9, max_sweeps);
    let mut tol = 1e-9;
    loop {
        let cert = certificate_from(b, &sol);
        let reached = cert.valid && (cert.upper - sol.primal) <= gap * cert.upper.abs();
        if reached || sol.sweeps >= max_sweeps || tol < 1e-30 {
            return (sol, cert);
        }
        tol *= 1e-2;
        sol = resume(b, sol, tol, max_sweeps);
    }
}

/// Runs mixing-method sweeps from a seeded random start until a sweep raises the objective by
/// at most `tol` |objective| (or `max_sweeps` sweeps in all).
pub fn mixing_method(b: &Matrix, seed: u64, tol: f64, max_sweeps: usize) -> SdpSolution {
    let n = b.n();
    let rank = sdp_rank(n);
    let mut rng = Rng::new(seed);
    let v: Vec<Vec<f64>> = (0..n)
        .map(|_| {
            let mut x = rng.normals(rank);
            let nx = l2(&x);
            x.iter_mut().for_each(|t| *t /= nx);
            x
        })
        .collect();
    resume(b, SdpSolution { primal: primal_value(b, &v), v, sweeps: 0 }, tol, max_sweeps)
}

/// More sweeps on a solution. Internally the vectors are stored transposed (row k holds
/// coordinate k of every v_j), so g_i = sum_j B_ij v_j - B_ii v_i is k dot products of length n
/// with contiguous rows, the fastest form of this O(n k) work.
fn resume(b: &Matrix, sol: SdpSolution, tol: f64, max_sweeps: usize) -> SdpSolution {
    let n = b.n();
    let rank = sol.v.first().map_or(0, |x| x.len());
    let SdpSolution { v, mut sweeps, primal: mut objective } = sol;
    let mut vt: Vec<Vec<f64>> = (0..rank).map(|k| v.iter().map(|vj| vj[k]).collect()).collect();
    let mut g = vec![0.0; rank];
    let mut next = vec![0.0; rank];
    let mut omega = OVER_RELAXATION;
    while sweeps < max_sweeps {
        sweeps += 1;
        let mut increase = 0.0;
        for i in 0..n {
            let (row, bii) = (b.row(i), b.get(i, i));
            for (gk, vk) in g.iter_mut().zip(&vt) {
                *gk = dot(row, vk) - bii * vk[i];
            }
            let ng = l2(&g);
            if ng == 0.0 {
                continue;
            }
            for ((nk, gk), vk) in next.iter_mut().zip(&g).zip(&vt) {
                let u = gk / ng;
                *nk = u + omega * (u - vk[i]);
            }
            let nn = l2(&next);
            let (mut before, mut after) = (0.0, 0.0);
            for ((nk, gk), vk) in next.iter().zip(&g).zip(vt.iter_mut()) {
                before += gk * vk[i];
                vk[i] = nk / nn;
                after += gk * vk[i];
            }
            increase += 2.0 * (after - before);
        }
        objective += increase;
        if increase < 0.0 {
            omega = 0.0;
        } else if increase <= tol * objective.abs().max(f64::MIN_POSITIVE) {
            break;
        }
    }
    let v: Vec<Vec<f64>> = (0..n).map(|j| vt.iter().map(|vk| vk[j]).collect()).collect();
    SdpSolution { primal: primal_value(b, &v), v, sweeps }
}

/// g = sum_{j != i} B_ij v_j.
fn neighbour_sum(b: &Matrix, v: &[Vec<f64>], i: usize, g: &mut [f64]) {
    g.fill(0.0);
    for (j, (bij, vj)) in b.row(i).iter().zip(v).enumerate() {
        if j != i && *bij != 0.0 {
            g.iter_mut().zip(vj).for_each(|(gk, vk)| *gk += bij * vk);
        }
    }
}

fn primal_value(b: &Matrix, v: &[Vec<f64>]) -> f64 {
    let n = b.n();
    let mut total = 0.0;
    for i in 0..n {
        total += b.get(i, i) * dot(&v[i], &v[i]);
        for j in 0..i {
            total += 2.0 * b.get(i, j) * dot(&v[i], &v[j]);
        }
    }
    total
}

/// B = 1/2 [[0, H], [H, 0]], so that z^T B z = w^T H v for z = (w, v).
pub fn bilinear_lift(h: &Matrix) -> Matrix {
    let d = h.n();
    let mut b = Matrix::zeros(2 * d);
    for i in 0..d {
        for j in 0..d {
            let v = 0.5 * h.get(i, j);
            b.set(i, d + j, v);
            b.set(d + j, i, v);
        }
    }
    b
}

/// Checks that diag(l) - B is PSD with the margin described in the module docs.
pub fn certify(b: &Matrix, l: &[f64]) -> Certificate {
    let n = b.n();
    let mut a = Matrix::zeros(n);
    let mut frob = 0.0;
    for (i, li) in l.iter().enumerate() {
        for j in 0..n {
            let v = if i == j { li - b.get(i, i) } else { -b.get(i, j) };
            a.set(i, j, v);
            frob += v * v;
        }
    }
    let tolerance = 4.0 * n as f64 * f64::EPSILON * frob.sqrt();
    // Gershgorin's lower end is a weaker but still valid bound should the eigensolver fail.
    let min_eigenvalue =
        a.sym_eigenvalues().map_or_else(|_| a.gershgorin().0, |lam| lam.first().copied().unwrap_or(0.0));
    Certificate { l: l.to_vec(), upper: l.iter().sum(), min_eigenvalue, tolerance, valid: min_eigenvalue >= tolerance }
}

/// The certified dual of a primal solution: l_i = B_ii + ||g_i||, shifted until the check passes.
pub fn certificate_from(b: &Matrix, sol: &SdpSolution) -> Certificate {
    let n = b.n();
    let mut g = vec![0.0; sol.v.first().map_or(0, |x| x.len())];
    let mut l: Vec<f64> = (0..n)
        .map(|i| {
            neighbour_sum(b, &sol.v, i, &mut g);
            b.get(i, i) + l2(&g)
        })
        .collect();
    let mut cert = certify(b, &l);
    for _ in 0..8 {
        if cert.valid {
            break;
        }
        let shift = 2.0 * cert.tolerance - cert.min_eigenvalue;
        l.iter_mut().for_each(|x| *x += shift);
        cert = certify(b, &l);
    }
    cert
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::smoothness::linf::linf_exact;
    use crate::testing::random_psd;

    #[test]
    fn diagonal_sdp_value_is_the_trace() {
        let b = Matrix::diagonal(&[3.0, 1.0, 2.0]);
        let sol = mixing_method(&b, 1, 1e-12, 1000);
        let cert = certificate_from(&b, &sol);
        assert!(cert.valid);
        assert!((cert.upper - 6.0).abs() < 1e-9, "{}", cert.upper);
    }

    #[test]
    fn certified_bound_sits_between_linf_and_pi_over_two_linf() {
        for (d, seed) in [(5, 1), (8, 2), (12, 3)] {
            let h = random_psd(d, seed);
            let (linf, _) = linf_exact(&h);
            let sol = mixing_method(&h, 7, 1e-12, 10_000);
            let cert = certificate_from(&h, &sol);
            assert!(cert.valid);
            assert!(sol.primal <= cert.upper * (1.0 + 1e-12));
            assert!((cert.upper - sol.primal) / cert.upper < 1e-6, "gap {} vs {}", cert.upper, sol.primal);
            assert!(
                linf <= cert.upper * (1.0 + 1e-12) && cert.upper <= std::f64::consts::FRAC_PI_2 * linf,
                "d={d}: {linf} {}",
                cert.upper
            );
        }
    }

    #[test]
    fn perturbed_certificate_fails() {
        let h = random_psd(10, 4);
        let cert = certificate_from(&h, &mixing_method(&h, 3, 1e-12, 10_000));
        assert!(cert.valid);
        // Lowering one multiplier below what PSD needs breaks the certificate: at the optimum
        // diag(l) - H is singular, so any decrease of size well above the tolerance must fail.
        let mut l = cert.l.clone();
        l[3] -= 1e-6 * cert.upper;
        assert!(!certify(&h, &l).valid);
    }
}
