//! Muon (Jordan et al. 2024): momentum, then each weight matrix's update replaced by an
//! approximate polar factor from a few Newton–Schulz iterations, scaled for its shape; the
//! other parameters (biases) take Adam. It approximates steepest descent under the per-layer
//! spectral norm (docs/theory.md §6), whose exact direction is `LayerNorm::Spectral`'s.
//!
//! Conventions of `optax.contrib.muon` (its `scale_by_muon` and the Adam partition):
//! - momentum mu <- beta mu + (1 - beta) g, Nesterov by default with optax's bias corrections:
//!   mu_hat = beta mu / (1 - beta^(t+1)) + (1 - beta) g / (1 - beta^t); beta 0.95;
//! - Newton–Schulz on the wide orientation (transposed when rows > cols), after
//!   X <- X / (||X||_F + eps): five steps of X <- a X + (b A + c A^2) X, A = X X^T, with the
//!   quintic coefficients (a, b, c) = (3.4445, -4.7750, 2.0315);
//! - shape scaling sqrt(max(1, rows / cols)) with rows the outputs (optax's kernels are
//!   inputs x outputs and it scales by sqrt(max(1, shape[-1] / shape[-2])): the same factor);
//! - every matrix (ndim 2) takes Muon, the rest Adam with b1 0.9 and the same eps, one lr for both.
//!
//! Where this differs: no weight decay (optax's default is 0 too) and no `adaptive` variant;
//! the biases take plain Adam, while optax passes `nesterov` on to its Adam; Nesterov is always
//! on (optax's default) and the Newton–Schulz steps and coefficients are fixed.

use super::transform::{Adam, Transform};
use crate::norm::{dot, l2, Block, Layout};

/// The quintic Newton–Schulz coefficients (a, b, c).
pub const NS_COEFFS: [f64; 3] = [3.4445, -4.7750, 2.0315];
/// Newton–Schulz steps.
pub const NS_STEPS: usize = 5;
/// Adam's first-moment decay for the non-matrix parameters (optax's adam_b1).
pub const ADAM_B1: f64 = 0.9;

/// Newton–Schulz orthogonalisation of the row-major `rows x cols` matrix `g` into `out`, as
/// optax's `orthogonalize_via_newton_schulz`. Its singular values map through the odd quintic
/// p(s) = a s + b s^3 + c s^5 five times from s / ||G||_F: they land in a band around 1 (measured
/// in the tests), not on 1, while the singular vectors are those of G.
pub fn newton_schulz_into(g: &[f64], rows: usize, cols: usize, eps: f64, steps: usize, out: &mut [f64]) {
    let wide = rows <= cols;
    let (p, q) = if wide { (rows, cols) } else { (cols, rows) };
    let scale = 1.0 / (l2(g) + eps);
    // X (p x q, p <= q), row-major.
    let mut x: Vec<f64> = if wide {
        g.iter().map(|v| v * scale).collect()
    } else {
        transpose(g, rows, cols).map(|v| v * scale).collect()
    };
    let [a, b, c] = NS_COEFFS;
    let (mut gram, mut poly, mut next) = (vec![0.0; p * p], vec![0.0; p * p], vec![0.0; p * q]);
    for _ in 0..steps {
        // A = X X^T, then B = b A + c A A (A is symmetric, so (A A)_ij = <a_i, a_j>).
        for i in 0..p {
            for j in 0..p {
                gram[i * p + j] = dot(&x[i * q..(i + 1) * q], &x[j * q..(j + 1) * q]);
            }
        }
        for i in 0..p {
            for j in 0..p {
                poly[i * p + j] = b * gram[i * p + j] + c * dot(&gram[i * p..(i + 1) * p], &gram[j * p..(j + 1) * p]);
            }
        }
        // X <- a X + B X, each row of B X summed over k in order.
        for i in 0..p {
            let row = &mut next[i * q..(i + 1) * q];
            for (r, xv) in row.iter_mut().zip(&x[i * q..(i + 1) * q]) {
                *r = a * xv;
            }
            let mut bx = vec![0.0; q];
            for k in 0..p {
                let bik = poly[i * p + k];
                for (acc, xv) in bx.iter_mut().zip(&x[k * q..(k + 1) * q]) {
                    *acc += bik * xv;
                }
            }
            for (r, v) in row.iter_mut().zip(&bx) {
                *r += v;
            }
        }
        std::mem::swap(&mut x, &mut next);
    }
    if wide {
        out.copy_from_slice(&x);
    } else {
        for (o, v) in out.iter_mut().zip(transpose(&x, p, q)) {
            *o = v;
        }
    }
}

/// The entries of the transpose of the row-major `rows x cols` matrix `m`, row by row.
fn transpose(m: &[f64], rows: usize, cols: usize) -> impl Iterator<Item = f64> + '_ {
    (0..cols).flat_map(move |j| (0..rows).map(move |i| m[i * cols + j]))
}

/// Muon's direction over a layout (see the module comment); the run's lr follows in the chain.
pub struct Muon {
    layout: Layout,
    beta: f64,
    eps: f64,
    mu: Vec<f64>,
    adam: Adam,
    /// The non-matrix parameters, gathered for Adam.
    rest: Vec<f64>,
    hat: Vec<f64>,
}

impl Muon {
    /// Momentum `beta`, Adam's `beta2` for the non-matrix parameters, `eps` for both.
    pub fn new(layout: Layout, beta: f64, beta2: f64, eps: f64) -> Self {
        Muon { layout, beta, eps, mu: vec![], adam: Adam::new(ADAM_B1, beta2, eps), rest: vec![], hat: vec![] }
    }
}

impl Transform for Muon {
    fn update(&mut self, u: &mut [f64], t: usize) -> f64 {
        self.mu.resize(u.len(), 0.0);
        let beta = self.beta;
        let (c_now, c_next) = (1.0 - libm::pow(beta, t as f64), 1.0 - libm::pow(beta, t as f64 + 1.0));
        self.rest.clear();
        for (block, r) in self.layout.ranges() {
            match block {
                Block::Matrix { rows, cols } => {
                    self.hat.resize(r.len(), 0.0);
                    for ((h, m), g) in self.hat.iter_mut().zip(&mut self.mu[r.clone()]).zip(&u[r.clone()]) {
                        *m = beta * *m + (1.0 - beta) * g;
                        *h = beta * (*m / c_next) + (1.0 - beta) * (g / c_now);
                    }
                    let out = &mut u[r];
                    newton_schulz_into(&self.hat, rows, cols, self.eps, NS_STEPS, out);
                    let shape = f64::sqrt((rows as f64 / cols as f64).max(1.0));
                    out.iter_mut().for_each(|v| *v *= shape);
                }
                Block::Vector { .. } => self.rest.extend_from_slice(&u[r]),
            }
        }
        if !self.rest.is_empty() {
            self.adam.update(&mut self.rest, t);
            let mut rest = self.rest.iter();
            for (block, r) in self.layout.ranges() {
                if let Block::Vector { .. } = block {
                    u[r].iter_mut().zip(&mut rest).for_each(|(v, a)| *v = *a);
                }
            }
        }
        1.0
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::linalg::Matrix;
    use crate::norm::svd::svd;
    use crate::norm::{LayerNorm, Norm};
    use crate::objective::HaarRotation;
    use crate::optimizer::method::{MUON, SIGN_GD, SPECTRAL};
    use crate::optimizer::StepSize;
    use crate::rng::Rng;

    /// The band Newton–Schulz's singular values settle in, in closed form: the quintic p has its
    /// local minimum on (0.6, 1.5) at s* with p'(s*) = 0, i.e. s*^2 the larger root of
    /// 5c x^2 + 3b x + a = 0, and maps [p(s*), p(p(s*))] into itself: [0.6818, 1.1344].
    fn ns_band() -> (f64, f64) {
        let [a, b, c] = NS_COEFFS;
        let x = (-3.0 * b + (9.0 * b * b - 20.0 * a * c).sqrt()) / (10.0 * c);
        let p = |s: f64| a * s + b * s.powi(3) + c * s.powi(5);
        let low = p(x.sqrt());
        (low, p(low))
    }

    /// Newton–Schulz against the exact polar factor U V^T from the SVD, on well-conditioned input
    /// (Gaussian matrices of aspect 4:1 and 16:10, condition about 3 and 9): its singular
    /// vectors are G's (each v_k maps onto u_k alone) and its singular values land in the band.
    #[test]
    fn newton_schulz_approximates_the_exact_polar_factor() {
        let mut rng = Rng::new(1);
        let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
        for (rows, cols) in [(64, 16), (16, 64), (16, 10), (10, 16), (40, 10)] {
            for _ in 0..4 {
                let g = rng.normals(rows * cols);
                let mut o = vec![0.0; rows * cols];
                newton_schulz_into(&g, rows, cols, 1e-8, NS_STEPS, &mut o);
                let exact = svd(&g, rows, cols);
                for (uk, vk) in exact.u.iter().zip(&exact.v) {
                    // O v_k = f(s_k) u_k: the component off u_k is rounding only.
                    let ov: Vec<f64> = (0..rows).map(|i| dot(&o[i * cols..(i + 1) * cols], vk)).collect();
                    let along = dot(&ov, uk);
                    let off: f64 = ov.iter().zip(uk).map(|(a, u)| (a - along * u).powi(2)).sum::<f64>().sqrt();
                    assert!(off < 1e-10, "{rows}x{cols}: off {off:e}");
                    lo = lo.min(along);
                    hi = hi.max(along);
                }
            }
        }
        // Measured [0.68184, 1.13436]: the whole band is reached, and nothing leaves it.
        let (band_lo, band_hi) = ns_band();
        assert!((band_lo - 0.6818).abs() < 1e-4 && (band_hi - 1.1344).abs() < 1e-4, "[{band_lo}, {band_hi}]");
        assert!(lo >= band_lo - 1e-12 && hi <= band_hi + 1e-12, "singular values in [{lo}, {hi}]");
        assert!(lo < band_lo + 0.01 && hi > band_hi - 0.01, "singular values in [{lo}, {hi}]");
    }

    /// The odd quintic applied to a scalar five times: what Newton–Schulz does to each singular
    /// value (and to each entry of a diagonal matrix).
    fn quintic5(mut s: f64) -> f64 {
        let [a, b, c] = NS_COEFFS;
        for _ in 0..NS_STEPS {
            s = a * s + b * s * s * s + c * s * s * s * s * s;
        }
        s
    }

    /// Two steps by hand on a 3 x 2 diagonal weight (rows > cols: transposed, shape factor
    /// sqrt(3/2)) and a bias of two: Nesterov momentum with optax's bias corrections, then the
    /// quintic on each diagonal entry over the Frobenius norm; Adam on the bias.
    #[test]
    fn muon_first_steps_by_hand() {
        let layout = Layout(vec![Block::Matrix { rows: 3, cols: 2 }, Block::Vector { len: 2 }]);
        let lr = 0.1;
        let mut chain = MUON.chain(&MUON.defaults(), StepSize::Const(lr), &layout);
        let g1 = [2.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.5, -3.0];
        let g2 = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0];
        let mut u1 = g1.to_vec();
        chain.update(&mut u1, 1);
        let mut u2 = g2.to_vec();
        chain.update(&mut u2, 2);
        let beta = 0.95f64;
        let shape = 1.5f64.sqrt();
        // Step 1: mu = 0.05 g1; mu_hat = beta mu / (1 - beta^2) + 0.05 g1 / (1 - beta).
        let hat1: Vec<f64> = [2.0, -1.0].iter().map(|g| beta * 0.05 * g / (1.0 - beta * beta) + g).collect();
        // Step 2: mu = beta 0.05 g1 + 0.05 g2; mu_hat = beta mu / (1 - beta^3) + 0.05 g2 / (1 - beta^2).
        let hat2: Vec<f64> = [(2.0, 1.0), (-1.0, 1.0)]
            .iter()
            .map(|(a, b)| beta * (beta * 0.05 * a + 0.05 * b) / (1.0 - beta.powi(3)) + 0.05 * b / (1.0 - beta * beta))
            .collect();
        for (u, hat) in [(&u1, &hat1), (&u2, &hat2)] {
            let f = (hat[0] * hat[0] + hat[1] * hat[1]).sqrt() + 1e-8;
            let want = [lr * shape * quintic5(hat[0] / f), lr * shape * quintic5(hat[1] / f)];
            assert!((u[0] - want[0]).abs() < 1e-12 && (u[3] - want[1]).abs() < 1e-12, "{u:?} vs {want:?}");
            assert!([u[1], u[2], u[4], u[5]].iter().all(|v| v.abs() < 1e-15), "off-diagonal {u:?}");
        }
        // Adam on the bias (b1 0.9, b2 0.999): step 1 is lr g / (|g| + eps).
        assert!((u1[6] - lr * 0.5 / (0.5 + 1e-8)).abs() < 1e-15 && (u1[7] + lr * 3.0 / (3.0 + 1e-8)).abs() < 1e-15);
        let (m, v) = (0.09 * 0.5 + 0.1 * 1.0, 0.000999 * 0.25 + 0.001 * 1.0);
        let want = lr * (m / 0.19) / ((v / (1.0 - 0.999f64.powi(2))).sqrt() + 1e-8);
        assert!((u2[6] - want).abs() < 1e-12, "{} vs {want}", u2[6]);
    }

    fn haar(d: usize, seed: u64) -> Matrix {
        HaarRotation::new(d, &mut Rng::new(seed)).matrix(1.0)
    }

    /// L G R^T for a row-major m x n matrix G and orthogonal L (m x m), R (n x n).
    fn two_sided(l: &Matrix, g: &[f64], r: &Matrix, m: usize, n: usize) -> Vec<f64> {
        let gr: Vec<f64> = (0..m)
            .flat_map(|i| {
                (0..n).map(move |j| (0..n).map(|k| g[i * n + k] * r.get(j, k)).sum::<f64>()).collect::<Vec<_>>()
            })
            .collect();
        (0..m)
            .flat_map(|i| (0..n).map(|j| (0..m).map(|k| l.get(i, k) * gr[k * n + j]).sum::<f64>()).collect::<Vec<_>>())
            .collect()
    }

    /// Equivariance: rotating a layer's gradients on the left and right (G -> L G R^T) rotates
    /// Muon's and the spectral method's updates the same way, over several steps of momentum;
    /// sign descent's update is not rotated (it depends on the basis).
    #[test]
    fn spectral_updates_are_equivariant_to_left_and_right_rotations_and_sign_is_not() {
        let (m, n) = (5, 3);
        let layout = Layout::matrix(m, n);
        let (l, r) = (haar(m, 2), haar(n, 3));
        let mut rng = Rng::new(4);
        let grads: Vec<Vec<f64>> = (0..4).map(|_| rng.normals(m * n)).collect();
        let mut worst = Vec::new();
        for method in [&MUON, &SPECTRAL, &SIGN_GD] {
            let mut plain = method.chain(&method.defaults(), StepSize::Const(0.1), &layout);
            let mut rotated = method.chain(&method.defaults(), StepSize::Const(0.1), &layout);
            let mut err = 0.0f64;
            for (t, g) in grads.iter().enumerate() {
                let mut u = g.clone();
                plain.update(&mut u, t + 1);
                let mut ur = two_sided(&l, g, &r, m, n);
                rotated.update(&mut ur, t + 1);
                let want = two_sided(&l, &u, &r, m, n);
                err = err.max(ur.iter().zip(&want).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max));
            }
            worst.push(err);
        }
        assert!(worst[0] < 1e-12, "Muon: {}", worst[0]);
        assert!(worst[1] < 1e-12, "spectral: {}", worst[1]);
        assert!(worst[2] > 1e-2, "sign GD: {}", worst[2]);
        // The spectral method's direction is the exact polar factor, Muon's the approximate one.
        let g = &grads[0];
        let exact = Norm::Modular { layout: layout.clone(), layer: LayerNorm::Spectral }.direction(g);
        let mut u = g.clone();
        SPECTRAL.chain(&SPECTRAL.defaults(), StepSize::Const(1.0), &layout).update(&mut u, 1);
        assert_eq!(u, exact);
    }
}
