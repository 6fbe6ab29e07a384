//! Extreme eigenvalues from Hessian-vector products alone (Lanczos with full
//! reorthogonalisation), for objectives whose Hessian is never formed.

use crate::linalg::{EigenError, Tridiagonal};
use crate::norm::{dot, l2};
use crate::rng::Rng;

/// The extreme Ritz pairs found.
#[derive(Clone, Debug, PartialEq)]
pub struct Extremes {
    pub lambda_max: f64,
    /// The smallest Ritz value: at least the true lambda_min (Ritz values lie inside the
    /// spectrum), and converged only when |lambda_min| is the larger magnitude.
    pub lambda_min: f64,
    /// Unit eigenvector of lambda_max.
    pub top_vector: Vec<f64>,
    pub iterations: usize,
    /// False when the step budget ran out first: then lambda_max is a lower bound on the true
    /// one and top_vector only its best approximation so far.
    pub converged: bool,
}

/// Lanczos on the symmetric operator `apply` (out = A v) of dimension d, from a seeded random
/// start, until the Ritz value of largest magnitude (what L_2 = max |lambda| needs) has residual
/// |beta_k s_k| <= tol * |theta|, or k = d (then the Ritz values are the exact eigenvalues up to
/// rounding), or k = max_steps (then `converged` is false). Convergence is checked every
/// CHECK_EVERY steps on T_k alone: its two extreme eigenvalues by bisection and the dominant one's
/// eigenvector by inverse iteration, O(k) per check. A non-finite T_k (the operator overflowed or
/// gave NaN) is named, not iterated on.
pub fn lanczos(
    d: usize,
    apply: impl Fn(&[f64], &mut [f64]),
    tol: f64,
    seed: u64,
    max_steps: usize,
) -> Result<Extremes, EigenError> {
    if d == 0 {
        return Ok(Extremes { lambda_max: 0.0, lambda_min: 0.0, top_vector: vec![], iterations: 0, converged: true });
    }
    let max_steps = max_steps.clamp(1, d);
    let mut p = Process::new(Rng::new(seed).normals(d));
    loop {
        let (a, b) = p.step(&apply);
        let k = p.q.len();
        let out_of_budget = k == max_steps && k < d;
        let check = k == d
            || out_of_budget
            || b <= f64::EPSILON * a.abs().max(1.0)
            || k.is_multiple_of(CHECK_EVERY)
            || !b.is_finite();
        if check {
            let t = Tridiagonal::new(&p.alpha, &p.beta)?;
            let (low, high) = (t.eigenvalue(0), t.eigenvalue(k - 1));
            let scale = low.abs().max(high.abs()).max(f64::MIN_POSITIVE);
            let dominant = if high.abs() >= low.abs() { high } else { low };
            let s = t.eigenvector(dominant);
            let converged = k == d || b <= f64::EPSILON * scale || (b * s[k - 1]).abs() <= tol * scale;
            if converged || out_of_budget {
                let s = if dominant == high { s } else { t.eigenvector(high) };
                let mut top = vec![0.0; d];
                for (c, qi) in s.iter().zip(&p.q) {
                    top.iter_mut().zip(qi).for_each(|(t, y)| *t += c * y);
                }
                let n = l2(&top);
                top.iter_mut().for_each(|t| *t /= n);
                let (lambda_max, lambda_min, iterations) = (high, low, k);
                return Ok(Extremes { lambda_max, lambda_min, top_vector: top, iterations, converged });
            }
        }
        p.advance(b);
    }
}

/// Gauss quadrature of the spectral measure of A seen from `start` (Golub and Meurant): after k
/// Lanczos steps, the Ritz values theta_j with weights (s_1j)^2 (first components of T_k's
/// eigenvectors) satisfy sum_j w_j f(theta_j) ~ u^T f(A) u / u^T u, exactly for polynomials of
/// degree < 2k. Averaged over random probes u this estimates the eigenvalue density
/// (stochastic Lanczos quadrature; Ubaru, Chen and Saad 2017). `step_done` runs after each
/// product and cancels on false (then None); a non-finite T_k is named.
pub fn quadrature(
    apply: impl Fn(&[f64], &mut [f64]),
    start: Vec<f64>,
    steps: usize,
    step_done: &mut dyn FnMut() -> bool,
) -> Result<Option<Vec<(f64, f64)>>, EigenError> {
    let d = start.len();
    let mut p = Process::new(start);
    loop {
        let (a, b) = p.step(&apply);
        if !step_done() {
            return Ok(None);
        }
        let k = p.q.len();
        if k >= steps.min(d) || b <= f64::EPSILON * a.abs().max(1.0) || !b.is_finite() {
            return Tridiagonal::new(&p.alpha, &p.beta)?.quadrature().map(Some);
        }
        p.advance(b);
    }
}

/// A Lanczos process with full reorthogonalisation: the orthonormal basis so far and the
/// tridiagonal T_k (diagonal alpha, off-diagonal beta).
struct Process {
    q: Vec<Vec<f64>>,
    alpha: Vec<f64>,
    beta: Vec<f64>,
    v: Vec<f64>,
    w: Vec<f64>,
}

impl Process {
    fn new(mut v: Vec<f64>) -> Self {
        let n0 = l2(&v);
        v.iter_mut().for_each(|x| *x /= n0);
        let w = vec![0.0; v.len()];
        Process { q: Vec::new(), alpha: Vec::new(), beta: Vec::new(), v, w }
    }

    /// Applies A to the current vector and orthogonalises the result against the basis; returns
    /// (alpha_k, beta_k), the new diagonal entry and the residual's norm.
    fn step(&mut self, apply: &impl Fn(&[f64], &mut [f64])) -> (f64, f64) {
        apply(&self.v, &mut self.w);
        let a = dot(&self.w, &self.v);
        self.q.push(self.v.clone());
        self.alpha.push(a);
        // Full reorthogonalisation (twice is enough, Kahan/Parlett): keeps the basis orthonormal
        // so no spurious copies of converged eigenvalues appear.
        for _ in 0..2 {
            for qi in &self.q {
                let c = dot(&self.w, qi);
                self.w.iter_mut().zip(qi).for_each(|(x, y)| *x -= c * y);
            }
        }
        (a, l2(&self.w))
    }

    /// The next basis vector: the residual over its norm b.
    fn advance(&mut self, b: f64) {
        self.beta.push(b);
        self.v = self.w.iter().map(|x| x / b).collect();
    }
}

const CHECK_EVERY: usize = 8;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::objective::{rotated_hessian, spectrum, HaarRotation, SpectrumKind};

    #[test]
    fn matches_the_dense_eigenvalues() {
        for (d, kind, seed) in
            [(50, SpectrumKind::Geometric, 1), (200, SpectrumKind::Outliers, 2), (120, SpectrumKind::Uniform, 3)]
        {
            let lam = spectrum(kind, d, 0.5, 80.0, 3);
            let h = rotated_hessian(&lam, &HaarRotation::new(d, &mut Rng::new(seed)), 1.0);
            let dense = h.sym_eigenvalues().unwrap();
            let ex = lanczos(d, |v, out| h.matvec_into(v, out), 1e-10, 7, d).unwrap();
            assert!(ex.converged);
            let top = dense[d - 1];
            assert!((ex.lambda_max - top).abs() <= 1e-8 * top, "d={d}: {} vs {top}", ex.lambda_max);
            // Ritz values lie inside the spectrum.
            assert!(ex.lambda_min >= dense[0] - 1e-10 * top && ex.lambda_min <= top);
            // The vector is an eigenvector: ||H u - lambda u|| small.
            let hu = h.matvec(&ex.top_vector);
            let r: f64 =
                hu.iter().zip(&ex.top_vector).map(|(a, b)| (a - ex.lambda_max * b).powi(2)).sum::<f64>().sqrt();
            assert!(r <= 1e-4 * top, "residual {r}");
        }
    }

    #[test]
    fn quadrature_weights_sum_to_one_and_reproduce_moments() {
        // For k steps the rule is exact for polynomials of degree < 2k: check the first moments
        // u^T A^m u / u^T u against dense products.
        let d = 60;
        let lam = spectrum(SpectrumKind::Outliers, d, 1.0, 50.0, 3);
        let h = rotated_hessian(&lam, &HaarRotation::new(d, &mut Rng::new(4)), 1.0);
        let u = Rng::new(5).normals(d);
        let nodes = quadrature(|v, out| h.matvec_into(v, out), u.clone(), 10, &mut || true).unwrap().unwrap();
        assert_eq!(nodes.len(), 10);
        let uu = dot(&u, &u);
        let mut power = u.clone();
        for m in 0..6 {
            let exact = dot(&u, &power) / uu;
            let rule: f64 = nodes.iter().map(|(t, w)| w * t.powi(m)).sum();
            assert!((rule - exact).abs() <= 1e-9 * exact.abs().max(1.0), "moment {m}: {rule} vs {exact}");
            power = h.matvec(&power);
        }
        // Run to d steps, the nodes are the eigenvalues the start vector sees.
        let all = quadrature(|v, out| h.matvec_into(v, out), u, d, &mut || true).unwrap().unwrap();
        assert!((all.iter().map(|(t, _)| *t).fold(f64::MIN, f64::max) - 50.0).abs() < 1e-8);
    }

    #[test]
    fn long_runs_on_clustered_spectra_finish_with_the_closed_form() {
        // [-1, 2, -1] of order d: lambda_max = 2 - 2 cos(d pi / (d + 1)), and the top eigenvalues
        // cluster (gaps ~ 1/d^2), so Lanczos runs to k = d; each check costs O(k), not O(k^3).
        let d = 600;
        let apply = |v: &[f64], out: &mut [f64]| {
            for i in 0..d {
                let left = if i > 0 { v[i - 1] } else { 0.0 };
                let right = if i + 1 < d { v[i + 1] } else { 0.0 };
                out[i] = 2.0 * v[i] - left - right;
            }
        };
        let ex = lanczos(d, apply, 1e-10, 3, d).unwrap();
        let want = 2.0 - 2.0 * (d as f64 * std::f64::consts::PI / (d as f64 + 1.0)).cos();
        assert!((ex.lambda_max - want).abs() <= 1e-12 * want, "{} vs {want}", ex.lambda_max);
        let want_min = 2.0 - 2.0 * (std::f64::consts::PI / (d as f64 + 1.0)).cos();
        assert!(ex.lambda_min >= want_min * (1.0 - 1e-9), "Ritz values lie inside the spectrum");
        let mut hu = vec![0.0; d];
        apply(&ex.top_vector, &mut hu);
        let r = hu.iter().zip(&ex.top_vector).map(|(a, b)| (a - ex.lambda_max * b).powi(2)).sum::<f64>().sqrt();
        assert!(r <= 1e-6, "residual {r}");
    }

    #[test]
    fn a_spent_budget_returns_the_ritz_bracket_flagged() {
        // Ritz values lie inside the spectrum: after 20 of 600 steps lambda_max is a lower bound.
        let d = 600;
        let lam: Vec<f64> = (0..d).map(|i| 1.0 + i as f64 / d as f64).collect();
        let ex = lanczos(d, |v, out| out.iter_mut().zip(v).zip(&lam).for_each(|((o, x), l)| *o = l * x), 1e-14, 3, 20)
            .unwrap();
        assert!(!ex.converged && ex.iterations == 20);
        assert!(ex.lambda_max <= lam[d - 1] && ex.lambda_max > 1.9 && ex.lambda_min >= 1.0);
    }
}
