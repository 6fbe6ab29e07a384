//! Softmax classifiers on a data set: multinomial logistic regression (no hidden layer) or a
//! one-hidden-layer network (tanh or ReLU), with mean cross-entropy and an L2 penalty on the
//! weights. Exact gradients by backpropagation and exact Hessian-vector products by the
//! R-operator (Pearlmutter 1994): the directional derivative of the backward pass.
//!
//! Parameter layout, each weight matrix row-major (outputs x inputs): without a hidden layer
//! [W (k x f), b (k)]; with h hidden units [W1 (h x f), b1 (h), W2 (k x h), b2 (k)]. The
//! blocks are the layers, for block norms and per-layer read-outs.

use super::Objective;
use crate::data::Dataset;
use crate::norm::dot;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    Tanh,
    Relu,
}

impl Activation {
    fn value(&self, z: f64) -> f64 {
        match self {
            Activation::Tanh => libm::tanh(z),
            Activation::Relu => z.max(0.0),
        }
    }

    /// (first, second) derivative at z, given a = value(z).
    fn derivatives(&self, z: f64, a: f64) -> (f64, f64) {
        match self {
            Activation::Tanh => (1.0 - a * a, -2.0 * a * (1.0 - a * a)),
            Activation::Relu => (if z > 0.0 { 1.0 } else { 0.0 }, 0.0),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Network {
    data: Dataset,
    hidden: usize,
    activation: Activation,
    l2: f64,
}

/// Scratch of one sample's forward pass.
struct Forward {
    z1: Vec<f64>,
    a: Vec<f64>,
    p: Vec<f64>,
    loss: f64,
}

impl Network {
    pub fn new(data: Dataset, hidden: usize, activation: Activation, l2: f64) -> Self {
        Network { data, hidden, activation, l2 }
    }

    /// Parameters of a network on `features` inputs and `classes` outputs.
    pub fn param_count(features: usize, classes: usize, hidden: usize) -> usize {
        if hidden == 0 { classes * (features + 1) } else { hidden * (features + 1) + classes * (hidden + 1) }
    }

    /// Sizes of the parameter blocks (one per weight matrix and bias vector), in layout order.
    pub fn blocks(&self) -> Vec<usize> {
        let (f, k, h) = (self.data.features, self.data.classes, self.hidden);
        if h == 0 { vec![k * f, k] } else { vec![h * f, h, k * h, k] }
    }

    /// Seeded initial parameters: weights N(0, scale^2 / fan_in), biases 0.
    pub fn init(&self, seed: u64, scale: f64) -> Vec<f64> {
        let mut rng = Rng::derive(seed, 4);
        let (f, h) = (self.data.features, self.hidden);
        let fans: Vec<usize> = if h == 0 { vec![f, 0] } else { vec![f, 0, h, 0] };
        self.blocks()
            .iter()
            .zip(fans)
            .flat_map(|(&n, fan)| {
                let sd = if fan == 0 { 0.0 } else { scale / libm::sqrt(fan as f64) };
                rng.normals(n).into_iter().map(move |z| sd * z)
            })
            .collect()
    }

    /// Mean cross-entropy (without the penalty) and classification accuracy of `params` on
    /// `data`, from one forward pass per row.
    pub fn loss_and_accuracy(&self, params: &[f64], data: &Dataset) -> (f64, f64) {
        let (mut loss, mut correct) = (0.0, 0);
        for i in 0..data.rows() {
            let fw = self.forward(params, data.row(i), data.y[i]);
            loss += fw.loss;
            let best = (0..fw.p.len()).fold(0, |b, c| if fw.p[c] > fw.p[b] { c } else { b });
            correct += usize::from(best == data.y[i]);
        }
        let n = data.rows() as f64;
        (loss / n, correct as f64 / n)
    }

    /// Offsets of W1 (or W), b1 (or b), W2, b2.
    fn offsets(&self) -> [usize; 4] {
        let b = self.blocks();
        let mut o = [0; 4];
        for i in 1..b.len() {
            o[i] = o[i - 1] + b[i - 1];
        }
        o
    }

    fn forward(&self, w: &[f64], x: &[f64], y: usize) -> Forward {
        let (f, k, h) = (self.data.features, self.data.classes, self.hidden);
        let o = self.offsets();
        let (z1, a, z) = if h == 0 {
            let z: Vec<f64> = (0..k).map(|c| dot(&w[o[0] + c * f..o[0] + (c + 1) * f], x) + w[o[1] + c]).collect();
            (vec![], vec![], z)
        } else {
            let z1: Vec<f64> = (0..h).map(|j| dot(&w[o[0] + j * f..o[0] + (j + 1) * f], x) + w[o[1] + j]).collect();
            let a: Vec<f64> = z1.iter().map(|z| self.activation.value(*z)).collect();
            let z: Vec<f64> = (0..k).map(|c| dot(&w[o[2] + c * h..o[2] + (c + 1) * h], &a) + w[o[3] + c]).collect();
            (z1, a, z)
        };
        // Softmax and cross-entropy, shifted by the largest logit.
        let m = z.iter().fold(f64::NEG_INFINITY, |a, b| a.max(*b));
        let e: Vec<f64> = z.iter().map(|v| libm::exp(v - m)).collect();
        let s: f64 = e.iter().sum();
        let p: Vec<f64> = e.iter().map(|v| v / s).collect();
        let loss = m + libm::log(s) - z[y];
        Forward { z1, a, p, loss }
    }

    /// Mean loss over `rows` plus the penalty, and its gradient into `g`.
    fn loss_and_gradient(&self, w: &[f64], rows: impl ExactSizeIterator<Item = usize>, g: &mut [f64]) -> f64 {
        let (k, h) = (self.data.classes, self.hidden);
        let o = self.offsets();
        let inv = 1.0 / rows.len().max(1) as f64;
        g.fill(0.0);
        let mut loss = 0.0;
        for i in rows {
            let (x, y) = (self.data.row(i), self.data.y[i]);
            let fw = self.forward(w, x, y);
            loss += fw.loss;
            let mut delta = fw.p.clone();
            delta[y] -= 1.0;
            if h == 0 {
                add_outer(&mut g[o[0]..o[1]], &delta, x, inv);
                g[o[1]..].iter_mut().zip(&delta).for_each(|(gb, d)| *gb += inv * d);
            } else {
                add_outer(&mut g[o[2]..o[3]], &delta, &fw.a, inv);
                g[o[3]..].iter_mut().zip(&delta).for_each(|(gb, d)| *gb += inv * d);
                let delta1: Vec<f64> = (0..h)
                    .map(|j| {
                        let back: f64 = (0..k).map(|c| w[o[2] + c * h + j] * delta[c]).sum();
                        back * self.activation.derivatives(fw.z1[j], fw.a[j]).0
                    })
                    .collect();
                add_outer(&mut g[o[0]..o[1]], &delta1, x, inv);
                g[o[1]..o[2]].iter_mut().zip(&delta1).for_each(|(gb, d)| *gb += inv * d);
            }
        }
        let mut penalty = 0.0;
        for (idx, (gi, wi)) in g.iter_mut().zip(w).enumerate() {
            if self.is_weight(idx) {
                *gi += self.l2 * wi;
                penalty += wi * wi;
            }
        }
        loss * inv + 0.5 * self.l2 * penalty
    }

    /// Weight entries (not biases), for the L2 penalty.
    fn is_weight(&self, i: usize) -> bool {
        let o = self.offsets();
        if self.hidden == 0 { i < o[1] } else { i < o[1] || (o[2]..o[3]).contains(&i) }
    }
}

/// out[r * cols + c] += s * u[r] * v[c]: the outer product u v^T added into a row-major block.
fn add_outer(out: &mut [f64], u: &[f64], v: &[f64], s: f64) {
    for (r, ur) in u.iter().enumerate() {
        let row = &mut out[r * v.len()..(r + 1) * v.len()];
        for (o, vc) in row.iter_mut().zip(v) {
            *o += s * ur * vc;
        }
    }
}

impl Objective for Network {
    fn dim(&self) -> usize {
        Network::param_count(self.data.features, self.data.classes, self.hidden)
    }

    fn value(&self, w: &[f64]) -> f64 {
        let n = self.data.rows();
        let loss: f64 = (0..n).map(|i| self.forward(w, self.data.row(i), self.data.y[i]).loss).sum::<f64>() / n as f64;
        let penalty: f64 = w.iter().enumerate().filter(|(i, _)| self.is_weight(*i)).map(|(_, v)| v * v).sum();
        loss + 0.5 * self.l2 * penalty
    }

    fn value_and_gradient(&self, w: &[f64], g: &mut [f64]) -> f64 {
        self.loss_and_gradient(w, 0..self.data.rows(), g)
    }

    fn rows(&self) -> usize {
        self.data.rows()
    }

    fn batch_gradient(&self, w: &[f64], rows: &[usize], g: &mut [f64]) {
        self.loss_and_gradient(w, rows.iter().copied(), g);
    }

    fn hessian_vector(&self, w: &[f64], v: &[f64], out: &mut [f64]) {
        let (f, k, h) = (self.data.features, self.data.classes, self.hidden);
        let o = self.offsets();
        let n = self.data.rows();
        let inv = 1.0 / n as f64;
        out.fill(0.0);
        for i in 0..n {
            let (x, y) = (self.data.row(i), self.data.y[i]);
            let fw = self.forward(w, x, y);
            // R{z}: the logits' derivative along v.
            let (dz1, da, dz): (Vec<f64>, Vec<f64>, Vec<f64>) = if h == 0 {
                let dz = (0..k).map(|c| dot(&v[o[0] + c * f..o[0] + (c + 1) * f], x) + v[o[1] + c]).collect();
                (vec![], vec![], dz)
            } else {
                let dz1: Vec<f64> = (0..h).map(|j| dot(&v[o[0] + j * f..o[0] + (j + 1) * f], x) + v[o[1] + j]).collect();
                let da: Vec<f64> = (0..h).map(|j| self.activation.derivatives(fw.z1[j], fw.a[j]).0 * dz1[j]).collect();
                let dz = (0..k)
                    .map(|c| dot(&w[o[2] + c * h..o[2] + (c + 1) * h], &da) + dot(&v[o[2] + c * h..o[2] + (c + 1) * h], &fw.a) + v[o[3] + c])
                    .collect();
                (dz1, da, dz)
            };
            // R{delta} = R{p} = p * dz - p (p . dz), the softmax Jacobian applied to dz.
            let pdz = dot(&fw.p, &dz);
            let ddelta: Vec<f64> = fw.p.iter().zip(&dz).map(|(p, d)| p * (d - pdz)).collect();
            if h == 0 {
                add_outer(&mut out[o[0]..o[1]], &ddelta, x, inv);
                out[o[1]..].iter_mut().zip(&ddelta).for_each(|(r, d)| *r += inv * d);
            } else {
                let mut delta = fw.p.clone();
                delta[y] -= 1.0;
                add_outer(&mut out[o[2]..o[3]], &ddelta, &fw.a, inv);
                add_outer(&mut out[o[2]..o[3]], &delta, &da, inv);
                out[o[3]..].iter_mut().zip(&ddelta).for_each(|(r, d)| *r += inv * d);
                let rdelta1: Vec<f64> = (0..h)
                    .map(|j| {
                        let (d1, d2) = self.activation.derivatives(fw.z1[j], fw.a[j]);
                        let back: f64 = (0..k).map(|c| w[o[2] + c * h + j] * delta[c]).sum();
                        let rback: f64 = (0..k).map(|c| v[o[2] + c * h + j] * delta[c] + w[o[2] + c * h + j] * ddelta[c]).sum();
                        rback * d1 + back * d2 * dz1[j]
                    })
                    .collect();
                add_outer(&mut out[o[0]..o[1]], &rdelta1, x, inv);
                out[o[1]..o[2]].iter_mut().zip(&rdelta1).for_each(|(r, d)| *r += inv * d);
            }
        }
        for (idx, (r, vi)) in out.iter_mut().zip(v).enumerate() {
            if self.is_weight(idx) {
                *r += self.l2 * vi;
            }
        }
    }

    fn minimum(&self) -> Option<f64> {
        None
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::data::{load, DatasetKind};

    /// A small slice of the digits, to keep finite differences quick.
    fn small(hidden: usize, activation: Activation) -> Network {
        let (train, _) = load(DatasetKind::Digits, 1);
        let rows = 40;
        let data = Dataset { features: 64, classes: 10, x: train.x[..rows * 64].to_vec(), y: train.y[..rows].to_vec() };
        Network::new(data, hidden, activation, 1e-3)
    }

    #[test]
    fn gradient_and_hessian_vector_products_match_central_differences() {
        for (hidden, act) in [(0, Activation::Tanh), (5, Activation::Tanh), (5, Activation::Relu)] {
            let net = small(hidden, act);
            let d = net.dim();
            let w = net.init(3, 1.0);
            let mut rng = Rng::new(9);
            let v = rng.normals(d);
            let mut g = vec![0.0; d];
            net.value_and_gradient(&w, &mut g);
            let eps = 1e-6;
            let shift = |s: f64| w.iter().zip(&v).map(|(a, b)| a + s * b).collect::<Vec<f64>>();
            // Directional derivative of f and of the gradient along v.
            let fd = (net.value(&shift(eps)) - net.value(&shift(-eps))) / (2.0 * eps);
            assert!((fd - dot(&g, &v)).abs() < 1e-6 * (1.0 + fd.abs()), "h={hidden} {act:?}: {fd} vs {}", dot(&g, &v));
            let (mut gp, mut gm) = (vec![0.0; d], vec![0.0; d]);
            net.value_and_gradient(&shift(eps), &mut gp);
            net.value_and_gradient(&shift(-eps), &mut gm);
            let mut hv = vec![0.0; d];
            net.hessian_vector(&w, &v, &mut hv);
            let scale = hv.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            for i in 0..d {
                let fdi = (gp[i] - gm[i]) / (2.0 * eps);
                // ReLU kinks make the difference quotient slightly off where a unit switches.
                let tol = if act == Activation::Relu { 1e-3 } else { 1e-6 };
                assert!((fdi - hv[i]).abs() < tol * (1.0 + scale), "h={hidden} {act:?} i={i}: {fdi} vs {}", hv[i]);
            }
        }
    }

    #[test]
    fn assembled_hessian_is_symmetric_and_psd_for_logistic_regression() {
        let net = small(0, Activation::Tanh);
        let w = net.init(1, 1.0);
        let h = net.hessian(&w).unwrap();
        assert!(h.asymmetry() < 1e-12, "asymmetry {}", h.asymmetry());
        // Softmax cross-entropy is convex in the logits, so logistic regression's Hessian is PSD.
        assert!(h.sym_eigenvalues()[0] > -1e-12);
        let net = small(4, Activation::Tanh);
        assert!(net.hessian(&net.init(2, 1.0)).unwrap().asymmetry() < 1e-12);
    }
}
