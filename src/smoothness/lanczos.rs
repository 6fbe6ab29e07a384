//! Extreme eigenvalues from Hessian-vector products alone (Lanczos with full
//! reorthogonalisation), for objectives whose Hessian is never formed.

use crate::linalg::Matrix;
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
}

/// Lanczos on the symmetric operator `apply` (out = A v) of dimension d, from a seeded random
/// start, until the Ritz value of largest magnitude (what L_2 = max |lambda| needs) has residual
/// |beta_k s_k| <= tol * |theta|, or k = d (then the Ritz values are the exact eigenvalues up to
/// rounding). Convergence is checked every CHECK_EVERY steps: each check solves the k x k
/// tridiagonal eigenproblem, O(k^3).
pub fn lanczos(d: usize, apply: impl Fn(&[f64], &mut [f64]), tol: f64, seed: u64) -> Extremes {
    if d == 0 {
        return Extremes { lambda_max: 0.0, lambda_min: 0.0, top_vector: vec![], iterations: 0 };
    }
    let mut p = Process::new(Rng::new(seed).normals(d));
    loop {
        let (a, b) = p.step(&apply);
        let k = p.q.len();
        let check = k == d || b <= f64::EPSILON * a.abs().max(1.0) || k % CHECK_EVERY == 0;
        if check {
            let (theta, s) = tridiagonal_eigen(&p.alpha, &p.beta);
            let scale = theta.iter().fold(0.0f64, |m, t| m.max(t.abs())).max(f64::MIN_POSITIVE);
            let res = |j: usize| (b * s.get(k - 1, j)).abs();
            let dominant = if theta[k - 1].abs() >= theta[0].abs() { k - 1 } else { 0 };
            let done = k == d || b <= f64::EPSILON * scale || res(dominant) <= tol * scale;
            if done {
                let mut top = vec![0.0; d];
                for (i, qi) in p.q.iter().enumerate() {
                    let c = s.get(i, k - 1);
                    top.iter_mut().zip(qi).for_each(|(t, y)| *t += c * y);
                }
                let n = l2(&top);
                top.iter_mut().for_each(|t| *t /= n);
                return Extremes { lambda_max: theta[k - 1], lambda_min: theta[0], top_vector: top, iterations: k };
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
/// product and cancels on false (then None).
pub fn quadrature(
    apply: impl Fn(&[f64], &mut [f64]),
    start: Vec<f64>,
    steps: usize,
    step_done: &mut dyn FnMut() -> bool,
) -> Option<Vec<(f64, f64)>> {
    let d = start.len();
    let mut p = Process::new(start);
    loop {
        let (a, b) = p.step(&apply);
        if !step_done() {
            return None;
        }
        let k = p.q.len();
        if k >= steps.min(d) || b <= f64::EPSILON * a.abs().max(1.0) {
            let (theta, s) = tridiagonal_eigen(&p.alpha, &p.beta);
            return Some((0..k).map(|j| (theta[j], s.get(0, j) * s.get(0, j))).collect());
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

/// Eigenpairs of the symmetric tridiagonal matrix with diagonal `alpha` and off-diagonal `beta`.
fn tridiagonal_eigen(alpha: &[f64], beta: &[f64]) -> (Vec<f64>, Matrix) {
    let k = alpha.len();
    let mut t = Matrix::zeros(k);
    for i in 0..k {
        t.set(i, i, alpha[i]);
        if i + 1 < k {
            t.set(i, i + 1, beta[i]);
            t.set(i + 1, i, beta[i]);
        }
    }
    t.sym_eigen()
}

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
            let dense = h.sym_eigenvalues();
            let ex = lanczos(d, |v, out| h.matvec_into(v, out), 1e-10, 7);
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
        let nodes = quadrature(|v, out| h.matvec_into(v, out), u.clone(), 10, &mut || true).unwrap();
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
        let all = quadrature(|v, out| h.matvec_into(v, out), u, d, &mut || true).unwrap();
        assert!((all.iter().map(|(t, _)| *t).fold(f64::MIN, f64::max) - 50.0).abs() < 1e-8);
    }
}
