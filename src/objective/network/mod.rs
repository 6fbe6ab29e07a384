//! Softmax classifiers on a data set: multinomial logistic regression (no hidden layer) or a
//! network with one or two hidden layers (tanh or ReLU), with mean cross-entropy and an L2
//! penalty on the weights. Exact gradients by backpropagation, exact Hessian-vector products by
//! the R-operator (Pearlmutter 1994): the directional derivative of the backward pass, and the
//! dense Hessian assembled per layer pair (see `hessian.rs`).
//!
//! Parameter layout: layer by layer, each as [W (outputs x inputs, row-major), b (outputs)].
//! The blocks are these weight matrices and bias vectors, for block norms and per-layer
//! read-outs.

mod hessian;

use super::Objective;
use crate::data::Dataset;
use crate::linalg::Matrix;
use crate::norm::dot;
use crate::rng::{Rng, Stream};
use serde::{Deserialize, Serialize};
use std::ops::Range;

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
    /// Units per layer, inputs first and classes last: [f, h1, ..., k].
    sizes: Vec<usize>,
    /// Start of each layer's W and of its b in the parameter vector.
    offsets: Vec<(usize, usize)>,
    activation: Activation,
    l2: f64,
}

/// One sample's forward pass: pre-activations and activations of the hidden layers, and the
/// softmax output.
struct Forward {
    pre: Vec<Vec<f64>>,
    act: Vec<Vec<f64>>,
    p: Vec<f64>,
    loss: f64,
}

impl Forward {
    /// The input of layer l: the sample for the first layer, else the previous activation.
    fn input<'a>(&'a self, x: &'a [f64], l: usize) -> &'a [f64] {
        if l == 0 {
            x
        } else {
            &self.act[l - 1]
        }
    }

    /// (first, second) derivatives of the activation at hidden layer l.
    fn slopes(&self, activation: Activation, l: usize) -> Vec<(f64, f64)> {
        self.pre[l].iter().zip(&self.act[l]).map(|(z, a)| activation.derivatives(*z, *a)).collect()
    }
}

impl Network {
    /// A network with the given hidden layer widths (none: logistic regression).
    pub fn new(data: Dataset, hidden: &[usize], activation: Activation, l2: f64) -> Self {
        let sizes: Vec<usize> =
            std::iter::once(data.features).chain(hidden.iter().copied()).chain(std::iter::once(data.classes)).collect();
        let mut offsets = Vec::new();
        let mut at = 0;
        for l in 0..sizes.len() - 1 {
            offsets.push((at, at + sizes[l + 1] * sizes[l]));
            at += sizes[l + 1] * (sizes[l] + 1);
        }
        Network { data, sizes, offsets, activation, l2 }
    }

    /// Parameters of a network on `features` inputs and `classes` outputs.
    pub fn param_count(features: usize, classes: usize, hidden: &[usize]) -> usize {
        let sizes: Vec<usize> =
            std::iter::once(features).chain(hidden.iter().copied()).chain(std::iter::once(classes)).collect();
        sizes.windows(2).map(|w| w[1] * (w[0] + 1)).sum()
    }

    fn layers(&self) -> usize {
        self.sizes.len() - 1
    }

    /// Sizes of the parameter blocks (each weight matrix and bias vector), in layout order.
    pub fn blocks(&self) -> Vec<usize> {
        self.sizes.windows(2).flat_map(|w| [w[1] * w[0], w[1]]).collect()
    }

    /// (inputs, outputs) of each layer.
    pub fn layer_shapes(&self) -> Vec<(usize, usize)> {
        self.sizes.windows(2).map(|w| (w[0], w[1])).collect()
    }

    /// Parameter ranges of the layers (a layer's weights and biases are contiguous).
    pub fn layer_ranges(&self) -> Vec<Range<usize>> {
        self.offsets.iter().zip(&self.sizes[1..]).map(|((w, b), n)| *w..b + n).collect()
    }

    fn weights<'a>(&self, w: &'a [f64], l: usize) -> &'a [f64] {
        &w[self.offsets[l].0..self.offsets[l].1]
    }

    fn biases<'a>(&self, w: &'a [f64], l: usize) -> &'a [f64] {
        &w[self.offsets[l].1..self.offsets[l].1 + self.sizes[l + 1]]
    }

    /// Seeded initial parameters: weights N(0, scale^2 / fan_in), biases 0.
    pub fn init(&self, seed: u64, scale: f64) -> Vec<f64> {
        let mut rng = Rng::stream(seed, Stream::NetworkInit);
        let mut params = Vec::with_capacity(self.dim());
        for l in 0..self.layers() {
            let (fan, out) = (self.sizes[l], self.sizes[l + 1]);
            let sd = scale / libm::sqrt(fan as f64);
            params.extend(rng.normals(out * fan).into_iter().map(|z| sd * z));
            // Bias draws keep the stream aligned with earlier versions; biases start at 0.
            params.extend(rng.normals(out).into_iter().map(|z| 0.0 * z));
        }
        params
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

    /// W_l u + b_l.
    fn affine(&self, w: &[f64], l: usize, u: &[f64]) -> Vec<f64> {
        let wl = self.weights(w, l);
        self.biases(w, l).iter().enumerate().map(|(j, b)| dot(&wl[j * u.len()..(j + 1) * u.len()], u) + b).collect()
    }

    fn forward(&self, w: &[f64], x: &[f64], y: usize) -> Forward {
        let last = self.layers() - 1;
        let (mut pre, mut act) = (Vec::with_capacity(last), Vec::with_capacity(last));
        let mut z = self.affine(w, 0, x);
        for l in 1..=last {
            let a: Vec<f64> = z.iter().map(|v| self.activation.value(*v)).collect();
            let next = self.affine(w, l, &a);
            pre.push(std::mem::replace(&mut z, next));
            act.push(a);
        }
        // Softmax and cross-entropy, shifted by the largest logit.
        let m = z.iter().fold(f64::NEG_INFINITY, |a, b| a.max(*b));
        let e: Vec<f64> = z.iter().map(|v| libm::exp(v - m)).collect();
        let s: f64 = e.iter().sum();
        let p: Vec<f64> = e.iter().map(|v| v / s).collect();
        let loss = m + libm::log(s) - z[y];
        Forward { pre, act, p, loss }
    }

    /// Mean loss over `rows` plus the penalty, and its gradient into `g`.
    fn loss_and_gradient(&self, w: &[f64], rows: impl ExactSizeIterator<Item = usize>, g: &mut [f64]) -> f64 {
        let inv = 1.0 / rows.len().max(1) as f64;
        g.fill(0.0);
        let mut loss = 0.0;
        for i in rows {
            let (x, y) = (self.data.row(i), self.data.y[i]);
            let fw = self.forward(w, x, y);
            loss += fw.loss;
            let mut delta = fw.p.clone();
            delta[y] -= 1.0;
            for l in (0..self.layers()).rev() {
                let (wo, bo) = self.offsets[l];
                add_outer(&mut g[wo..bo], &delta, fw.input(x, l), inv);
                g[bo..bo + delta.len()].iter_mut().zip(&delta).for_each(|(gb, d)| *gb += inv * d);
                if l > 0 {
                    let back = transposed_product(self.weights(w, l), &delta);
                    delta = back.iter().zip(fw.slopes(self.activation, l - 1)).map(|(b, (d1, _))| b * d1).collect();
                }
            }
        }
        self.add_penalty_gradient(w, g);
        loss * inv + 0.5 * self.l2 * self.weight_indices().map(|i| w[i] * w[i]).sum::<f64>()
    }

    /// Indices of the weights (not the biases): the L2 penalty's support.
    fn weight_indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.offsets.iter().flat_map(|(w, b)| *w..*b)
    }

    /// out += l2 v on the weights: the penalty's gradient at v, or its Hessian applied to v.
    fn add_penalty_gradient(&self, v: &[f64], out: &mut [f64]) {
        for i in self.weight_indices() {
            out[i] += self.l2 * v[i];
        }
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

/// W^T u for a row-major W with u.len() rows: backpropagation through a layer.
fn transposed_product(w: &[f64], u: &[f64]) -> Vec<f64> {
    let cols = w.len() / u.len();
    let mut out = vec![0.0; cols];
    for (r, ur) in u.iter().enumerate() {
        for (o, wc) in out.iter_mut().zip(&w[r * cols..(r + 1) * cols]) {
            *o += wc * ur;
        }
    }
    out
}

impl Objective for Network {
    fn dim(&self) -> usize {
        self.offsets.last().map_or(0, |(_, b)| b + self.data.classes)
    }

    fn value(&self, w: &[f64]) -> f64 {
        let n = self.data.rows();
        let loss: f64 = (0..n).map(|i| self.forward(w, self.data.row(i), self.data.y[i]).loss).sum::<f64>() / n as f64;
        loss + 0.5 * self.l2 * self.weight_indices().map(|i| w[i] * w[i]).sum::<f64>()
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

    /// The R-operator: the forward pass's derivative along v, then the backward pass's.
    fn hessian_vector(&self, w: &[f64], v: &[f64], out: &mut [f64]) {
        let n = self.data.rows();
        let inv = 1.0 / n as f64;
        let last = self.layers() - 1;
        out.fill(0.0);
        for i in 0..n {
            let (x, y) = (self.data.row(i), self.data.y[i]);
            let fw = self.forward(w, x, y);
            // R{a_l}, the pre-activations' derivative along v, and R{h_l} of the activations.
            let mut r_pre: Vec<Vec<f64>> = Vec::with_capacity(last + 1);
            let mut r_act: Vec<Vec<f64>> = Vec::with_capacity(last);
            for l in 0..=last {
                let input = fw.input(x, l);
                let mut ra = self.affine(v, l, input);
                if l > 0 {
                    let through = self.weights(w, l);
                    let rin: &Vec<f64> = &r_act[l - 1];
                    for (j, r) in ra.iter_mut().enumerate() {
                        *r += dot(&through[j * rin.len()..(j + 1) * rin.len()], rin);
                    }
                }
                if l < last {
                    r_act.push(ra.iter().zip(fw.slopes(self.activation, l)).map(|(r, (d1, _))| r * d1).collect());
                }
                r_pre.push(ra);
            }
            // R{delta} at the logits = the softmax Jacobian applied to R{z}: p * (Rz - p . Rz).
            let rz = &r_pre[last];
            let pdz = dot(&fw.p, rz);
            let mut rdelta: Vec<f64> = fw.p.iter().zip(rz).map(|(p, d)| p * (d - pdz)).collect();
            let mut delta = fw.p.clone();
            delta[y] -= 1.0;
            for l in (0..=last).rev() {
                let (wo, bo) = self.offsets[l];
                add_outer(&mut out[wo..bo], &rdelta, fw.input(x, l), inv);
                if l > 0 {
                    add_outer(&mut out[wo..bo], &delta, &r_act[l - 1], inv);
                }
                out[bo..bo + rdelta.len()].iter_mut().zip(&rdelta).for_each(|(r, d)| *r += inv * d);
                if l > 0 {
                    let back = transposed_product(self.weights(w, l), &delta);
                    let mut rback = transposed_product(self.weights(v, l), &delta);
                    rback.iter_mut().zip(transposed_product(self.weights(w, l), &rdelta)).for_each(|(a, b)| *a += b);
                    let slopes = fw.slopes(self.activation, l - 1);
                    rdelta = (0..back.len())
                        .map(|j| rback[j] * slopes[j].0 + back[j] * slopes[j].1 * r_pre[l - 1][j])
                        .collect();
                    delta = back.iter().zip(&slopes).map(|(b, (d1, _))| b * d1).collect();
                }
            }
        }
        self.add_penalty_gradient(v, out);
    }

    fn hessian(&self, w: &[f64]) -> Option<Matrix> {
        (self.dim() <= super::DENSE_HESSIAN_MAX_D).then(|| hessian::assemble(self, w))
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
    pub(super) fn small(hidden: &[usize], activation: Activation) -> Network {
        let (train, _) = load(DatasetKind::Digits, 1);
        let rows = 40;
        let data = Dataset { features: 64, classes: 10, x: train.x[..rows * 64].to_vec(), y: train.y[..rows].to_vec() };
        Network::new(data, hidden, activation, 1e-3)
    }

    #[test]
    fn gradient_and_hessian_vector_products_match_central_differences() {
        for (hidden, act) in [
            (vec![], Activation::Tanh),
            (vec![5], Activation::Tanh),
            (vec![5], Activation::Relu),
            (vec![4, 3], Activation::Tanh),
        ] {
            let net = small(&hidden, act);
            let d = net.dim();
            assert_eq!(d, Network::param_count(64, 10, &hidden));
            let w = net.init(3, 1.0);
            let mut rng = Rng::new(9);
            let v = rng.normals(d);
            let mut g = vec![0.0; d];
            net.value_and_gradient(&w, &mut g);
            let eps = 1e-6;
            let shift = |s: f64| w.iter().zip(&v).map(|(a, b)| a + s * b).collect::<Vec<f64>>();
            // Directional derivative of f and of the gradient along v.
            let fd = (net.value(&shift(eps)) - net.value(&shift(-eps))) / (2.0 * eps);
            assert!((fd - dot(&g, &v)).abs() < 1e-6 * (1.0 + fd.abs()), "{hidden:?} {act:?}: {fd} vs {}", dot(&g, &v));
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
                assert!((fdi - hv[i]).abs() < tol * (1.0 + scale), "{hidden:?} {act:?} i={i}: {fdi} vs {}", hv[i]);
            }
        }
    }

    #[test]
    fn assembled_hessian_is_symmetric_and_psd_for_logistic_regression() {
        let net = small(&[], Activation::Tanh);
        let h = net.hessian(&net.init(1, 1.0)).unwrap();
        assert_eq!(h.asymmetry(), 0.0);
        // Softmax cross-entropy is convex in the logits, so logistic regression's Hessian is PSD.
        assert!(h.sym_eigenvalues().unwrap()[0] > -1e-12);
        let net = small(&[4, 3], Activation::Tanh);
        assert_eq!(net.hessian(&net.init(2, 1.0)).unwrap().asymmetry(), 0.0);
    }

    #[test]
    fn layout_blocks_and_layers_agree() {
        let net = small(&[4, 3], Activation::Relu);
        assert_eq!(net.blocks(), vec![4 * 64, 4, 3 * 4, 3, 10 * 3, 10]);
        assert_eq!(net.layer_ranges(), vec![0..260, 260..275, 275..315]);
        assert_eq!(net.dim(), 315);
    }
}
