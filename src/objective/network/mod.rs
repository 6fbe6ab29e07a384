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
mod pass;
mod product;

use super::Objective;
use crate::data::Dataset;
use crate::linalg::Matrix;
use crate::norm::{Block, Layout};
use crate::rng::{Rng, Stream};
use pass::BLOCK_ROWS;
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

    /// `value` at every entry of z (the same bits): tanh by pairs of lanes, which in wasm is
    /// about twice as fast as one call at a time.
    fn apply(&self, z: &[f64]) -> Vec<f64> {
        match self {
            Activation::Tanh => {
                let mut a = z.to_vec();
                crate::simd2::elementary::tanh_in_place(&mut a);
                a
            }
            Activation::Relu => z.iter().map(|v| self.value(*v)).collect(),
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

/// The class with the largest probability (the first of equals).
fn predicted(p: &[f64]) -> usize {
    (0..p.len()).fold(0, |b, c| if p[c] > p[b] { c } else { b })
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
            let sd = scale / f64::sqrt(fan as f64);
            params.extend(rng.normals(out * fan).into_iter().map(|z| sd * z));
            // Bias draws keep the stream aligned with earlier versions; biases start at 0.
            params.extend(rng.normals(out).into_iter().map(|z| 0.0 * z));
        }
        params
    }

    /// Mean cross-entropy (without the penalty) and classification accuracy of `params` on
    /// `data`, from batched forward passes.
    pub fn loss_and_accuracy(&self, params: &[f64], data: &Dataset) -> (f64, f64) {
        let (mut loss, mut correct) = (0.0, 0);
        let all: Vec<usize> = (0..data.rows()).collect();
        for block in all.chunks(BLOCK_ROWS) {
            let fw = self.forward(params, data, block);
            for (p, (l, y)) in fw.p.chunks_exact(data.classes).zip(fw.loss.iter().zip(&fw.labels)) {
                loss += l;
                correct += usize::from(predicted(p) == *y);
            }
        }
        let n = data.rows() as f64;
        (loss / n, correct as f64 / n)
    }

    /// Mean loss over `rows` plus the penalty, and its gradient into `g`.
    fn loss_and_gradient(&self, w: &[f64], rows: &[usize], g: &mut [f64]) -> f64 {
        let (loss, _) = self.sums_and_gradient(w, rows, g);
        loss * (1.0 / rows.len().max(1) as f64) + self.penalty(w)
    }

    /// The sum of the losses over `rows` and how many of them are classified right, from the
    /// pass that adds the mean loss's gradient (with the penalty's) into `g`.
    fn sums_and_gradient(&self, w: &[f64], rows: &[usize], g: &mut [f64]) -> (f64, usize) {
        let inv = 1.0 / rows.len().max(1) as f64;
        g.fill(0.0);
        let (mut loss, mut correct) = (0.0, 0);
        for block in rows.chunks(BLOCK_ROWS) {
            let fw = self.forward(w, &self.data, block);
            fw.loss.iter().for_each(|l| loss += l);
            let classes = self.data.classes;
            correct += fw.p.chunks_exact(classes).zip(&fw.labels).filter(|(p, y)| predicted(p) == **y).count();
            self.add_gradient(w, &fw, inv, g);
        }
        self.add_penalty_gradient(w, g);
        (loss, correct)
    }

    /// (l2 / 2) ||W||², the penalty on the weights.
    fn penalty(&self, w: &[f64]) -> f64 {
        0.5 * self.l2 * self.weight_indices().map(|i| w[i] * w[i]).sum::<f64>()
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

impl Objective for Network {
    fn dim(&self) -> usize {
        self.offsets.last().map_or(0, |(_, b)| b + self.data.classes)
    }

    fn value(&self, w: &[f64]) -> f64 {
        let all: Vec<usize> = (0..self.data.rows()).collect();
        let losses: Vec<f64> =
            all.chunks(BLOCK_ROWS).flat_map(|block| self.forward(w, &self.data, block).loss).collect();
        losses.iter().sum::<f64>() / all.len() as f64 + self.penalty(w)
    }

    fn value_and_gradient(&self, w: &[f64], g: &mut [f64]) -> f64 {
        self.value_gradient_and_fit(w, g).0
    }

    /// The fit from the pass's own sums: the numbers `loss_and_accuracy` on the training rows
    /// would give (the same sums in the same order).
    fn value_gradient_and_fit(&self, w: &[f64], g: &mut [f64]) -> (f64, Option<(f64, f64)>) {
        let all: Vec<usize> = (0..self.data.rows()).collect();
        let (loss, correct) = self.sums_and_gradient(w, &all, g);
        let n = all.len() as f64;
        (loss * (1.0 / all.len().max(1) as f64) + self.penalty(w), Some((loss / n, correct as f64 / n)))
    }

    fn rows(&self) -> usize {
        self.data.rows()
    }

    fn batch_value_and_gradient(&self, w: &[f64], rows: &[usize], g: &mut [f64]) -> f64 {
        self.loss_and_gradient(w, rows, g)
    }

    /// The R-operator: the forward pass's derivative along v, then the backward pass's.
    fn hessian_vector(&self, w: &[f64], v: &[f64], out: &mut [f64]) {
        let all: Vec<usize> = (0..self.data.rows()).collect();
        let inv = 1.0 / all.len() as f64;
        out.fill(0.0);
        for block in all.chunks(BLOCK_ROWS) {
            self.add_hessian_vector(w, v, block, inv, out);
        }
        self.add_penalty_gradient(v, out);
    }

    fn hessian(&self, w: &[f64]) -> Option<Matrix> {
        (self.dim() <= super::DENSE_HESSIAN_MAX_D).then(|| hessian::assemble(self, w))
    }

    fn minimum(&self) -> Option<f64> {
        None
    }

    /// Each layer's W (outputs x inputs) and b.
    fn layout(&self) -> Layout {
        Layout(
            self.sizes
                .windows(2)
                .flat_map(|w| [Block::Matrix { rows: w[1], cols: w[0] }, Block::Vector { len: w[1] }])
                .collect(),
        )
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::data::{load, DatasetKind};
    use crate::norm::dot;

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

    /// The pass one row at a time with vectors (the implementation before batching), for the
    /// test below: per row, the forward pass, then the backward pass adding each layer's outer
    /// products into `g`, and the R-operator's the same way into `hv`.
    fn per_row(net: &Network, w: &[f64], v: &[f64], g: &mut [f64], hv: &mut [f64]) -> f64 {
        let last = net.layers() - 1;
        let n = net.data.rows();
        let inv = 1.0 / n as f64;
        let affine = |p: &[f64], l: usize, u: &[f64]| -> Vec<f64> {
            let wl = net.weights(p, l);
            net.biases(p, l).iter().enumerate().map(|(j, b)| dot(&wl[j * u.len()..(j + 1) * u.len()], u) + b).collect()
        };
        let back = |p: &[f64], l: usize, u: &[f64]| -> Vec<f64> {
            let wl = net.weights(p, l);
            let cols = wl.len() / u.len();
            (0..cols).map(|c| u.iter().enumerate().fold(0.0, |s, (r, ur)| s + wl[r * cols + c] * ur)).collect()
        };
        let outer = |out: &mut [f64], u: &[f64], x: &[f64]| {
            for (r, ur) in u.iter().enumerate() {
                out[r * x.len()..(r + 1) * x.len()].iter_mut().zip(x).for_each(|(o, xc)| *o += inv * ur * xc);
            }
        };
        let (mut loss, act) = (0.0, net.activation);
        g.fill(0.0);
        hv.fill(0.0);
        for i in 0..n {
            let (x, y) = (net.data.row(i), net.data.y[i]);
            let (mut inputs, mut pre, mut r_inputs, mut r_pre) =
                (vec![x.to_vec()], vec![], vec![vec![0.0; x.len()]], vec![]);
            for l in 0..=last {
                let z = affine(w, l, &inputs[l]);
                let mut rz = affine(v, l, &inputs[l]);
                if l > 0 {
                    let wl = net.weights(w, l);
                    let u = &r_inputs[l];
                    rz.iter_mut().enumerate().for_each(|(j, r)| *r += dot(&wl[j * u.len()..(j + 1) * u.len()], u));
                }
                if l < last {
                    let a: Vec<f64> = z.iter().map(|t| act.value(*t)).collect();
                    r_inputs.push(
                        rz.iter().zip(z.iter().zip(&a)).map(|(r, (t, a))| r * act.derivatives(*t, *a).0).collect(),
                    );
                    inputs.push(a);
                }
                pre.push(z);
                r_pre.push(rz);
            }
            let z = &pre[last];
            let m = z.iter().fold(f64::NEG_INFINITY, |a, b| a.max(*b));
            let e: Vec<f64> = z.iter().map(|t| libm::exp(t - m)).collect();
            let s: f64 = e.iter().sum();
            let p: Vec<f64> = e.iter().map(|t| t / s).collect();
            loss += m + libm::log(s) - z[y];
            let pdz = dot(&p, &r_pre[last]);
            let mut rdelta: Vec<f64> = p.iter().zip(&r_pre[last]).map(|(p, d)| p * (d - pdz)).collect();
            let mut delta = p;
            delta[y] -= 1.0;
            for l in (0..=last).rev() {
                let (wo, bo) = net.offsets[l];
                outer(&mut g[wo..bo], &delta, &inputs[l]);
                outer(&mut hv[wo..bo], &rdelta, &inputs[l]);
                if l > 0 {
                    outer(&mut hv[wo..bo], &delta, &r_inputs[l]);
                }
                g[bo..bo + delta.len()].iter_mut().zip(&delta).for_each(|(gb, d)| *gb += inv * d);
                hv[bo..bo + delta.len()].iter_mut().zip(&rdelta).for_each(|(h, d)| *h += inv * d);
                if l > 0 {
                    let slopes: Vec<(f64, f64)> =
                        pre[l - 1].iter().zip(&inputs[l]).map(|(t, a)| act.derivatives(*t, *a)).collect();
                    let b = back(w, l, &delta);
                    let rb: Vec<f64> = back(v, l, &delta).iter().zip(back(w, l, &rdelta)).map(|(a, c)| a + c).collect();
                    rdelta = (0..b.len()).map(|j| rb[j] * slopes[j].0 + b[j] * slopes[j].1 * r_pre[l - 1][j]).collect();
                    delta = b.iter().zip(&slopes).map(|(b, (d1, _))| b * d1).collect();
                }
            }
        }
        net.add_penalty_gradient(w, g);
        net.add_penalty_gradient(v, hv);
        loss * inv + net.penalty(w)
    }

    /// The batched passes against one row at a time: every sum runs in the same order, so the
    /// value, gradient and Hessian-vector product agree to the last bit (and the minibatch
    /// gradient of every row is the full gradient, to the last bit too).
    #[test]
    fn batched_passes_equal_the_pass_one_row_at_a_time() {
        for (hidden, act) in [(vec![], Activation::Tanh), (vec![7], Activation::Relu), (vec![5, 3], Activation::Tanh)] {
            let mut net = small(&hidden, act);
            // More rows than a block, and not a multiple of it.
            let (train, _) = load(DatasetKind::Digits, 2);
            let rows = BLOCK_ROWS * 2 + 9;
            net.data = Dataset { x: train.x[..rows * 64].to_vec(), y: train.y[..rows].to_vec(), ..net.data };
            let d = net.dim();
            let w = net.init(4, 1.2);
            let v = Rng::new(3).normals(d);
            let (mut g0, mut hv0) = (vec![0.0; d], vec![0.0; d]);
            let f0 = per_row(&net, &w, &v, &mut g0, &mut hv0);
            let (mut g, mut hv, mut gb) = (vec![0.0; d], vec![0.0; d], vec![0.0; d]);
            assert_eq!(net.value_and_gradient(&w, &mut g), f0, "{hidden:?}");
            assert_eq!(g, g0, "{hidden:?}");
            // value() divides the sum by n where the gradient's pass multiplies by 1/n.
            assert!((net.value(&w) - f0).abs() <= 1e-15 * f0, "{hidden:?}");
            net.hessian_vector(&w, &v, &mut hv);
            assert_eq!(hv, hv0, "{hidden:?}");
            assert_eq!(net.batch_value_and_gradient(&w, &(0..rows).collect::<Vec<usize>>(), &mut gb), f0, "{hidden:?}");
            assert_eq!(gb, g0, "{hidden:?}");
        }
    }

    /// The minibatch loss is the mean of its rows' losses plus the penalty: against the pass one
    /// row at a time over a data set of exactly those rows in the batch's order (a repeat
    /// included), to the last bit, and its gradient too.
    #[test]
    fn the_minibatch_loss_is_the_mean_over_its_rows() {
        let net = small(&[5], Activation::Tanh);
        let (d, w) = (net.dim(), net.init(6, 1.0));
        let rows = [17, 3, 39, 3, 0, 22, 8];
        let mut sub = net.clone();
        sub.data = Dataset {
            x: rows.iter().flat_map(|r| net.data.row(*r).to_vec()).collect(),
            y: rows.iter().map(|r| net.data.y[*r]).collect(),
            ..net.data.clone()
        };
        let (mut want_g, mut hv, mut g) = (vec![0.0; d], vec![0.0; d], vec![0.0; d]);
        let want = per_row(&sub, &w, &vec![0.0; d], &mut want_g, &mut hv);
        assert_eq!(net.batch_value_and_gradient(&w, &rows, &mut g), want);
        assert_eq!(g, want_g);
        assert!(want > net.penalty(&w) && want != net.value(&w));
    }

    /// The full pass's training fit is the evaluation pass's (`loss_and_accuracy`, a pass of its
    /// own), to the last bit, at the start and at a random point.
    #[test]
    fn the_full_pass_gives_the_training_fit_of_its_point() {
        let net = small(&[5], Activation::Tanh);
        let d = net.dim();
        for w in [net.init(7, 1.0), Rng::new(8).normals(d)] {
            let mut g = vec![0.0; d];
            let (_, fit) = net.value_gradient_and_fit(&w, &mut g);
            let (loss, accuracy) = net.loss_and_accuracy(&w, &net.data);
            let fit = fit.expect("a classifier's full pass gives its fit");
            assert_eq!((fit.0.to_bits(), fit.1.to_bits()), (loss.to_bits(), accuracy.to_bits()));
            assert!(loss > 0.0 && (0.0..=1.0).contains(&accuracy));
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
