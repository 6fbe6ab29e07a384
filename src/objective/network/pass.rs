//! The network's passes over a batch of rows at once, each layer a matrix over the batch:
//! forward (activations, softmax, losses; U Wᵀ one `dot` per entry), backward (the gradient) and
//! the R-operator (the Hessian-vector product), whose sums over rows and units are register-tiled
//! products (`product.rs`). Every sum runs over the features, units or rows in the same order as
//! one row at a time would, so batching changes speed, not numbers.
//!
//! With U_l the layer inputs (rows x in_l, U_0 = X) and Z_l = U_l W_lᵀ + b_l:
//!   forward   U_{l+1} = σ(Z_l),  P = softmax(Z_L);
//!   backward  Δ_L = P - Y,  ∇W_l = Δ_lᵀ U_l / n,  ∇b_l = Σ_rows Δ_l / n,  Δ_{l-1} = (Δ_l W_l) ⊙ σ'(Z_{l-1}).

use super::product::{add_product, Left};
use super::Network;
use crate::data::Dataset;
use crate::norm::dot;
use crate::simd2::elementary;

/// Rows per block of a pass over many rows: the block's activations stay in cache, and the
/// gradient's running sums still take the rows in order.
pub(super) const BLOCK_ROWS: usize = 64;

/// The forward pass of a batch: every layer's input and pre-activations, the softmax output and
/// each row's loss, all rows-major.
pub(super) struct Forward {
    pub rows: usize,
    /// U_l: the batch's features for the first layer, else the previous layer's activations.
    pub inputs: Vec<Vec<f64>>,
    /// Z_l of the hidden layers.
    pub pre: Vec<Vec<f64>>,
    /// Softmax probabilities, rows x classes.
    pub p: Vec<f64>,
    /// Cross-entropy of each row.
    pub loss: Vec<f64>,
    /// The rows' classes.
    pub labels: Vec<usize>,
}

impl Forward {
    /// (σ', σ'') at every pre-activation of hidden layer l, from Z_l and σ(Z_l) = U_{l+1}.
    pub fn slopes(&self, net: &Network, l: usize) -> (Vec<f64>, Vec<f64>) {
        self.pre[l].iter().zip(&self.inputs[l + 1]).map(|(z, a)| net.activation.derivatives(*z, *a)).unzip()
    }

    /// Δ_L = P - Y: the loss's gradient at the logits, row by row.
    pub fn output_delta(&self) -> Vec<f64> {
        let classes = self.p.len() / self.rows.max(1);
        let mut delta = self.p.clone();
        for (r, y) in self.labels.iter().enumerate() {
            delta[r * classes + y] -= 1.0;
        }
        delta
    }
}

/// U Wᵀ for a layer's W (outputs x fan, row-major), each entry one `dot` (as the per-row pass
/// computed it), by tiles sized to the vector registers. With AVX (4 lanes): 2 x 2 tiles of rows
/// of U and of W (`dot_tile`, every load serving two products). With 2 lanes (wasm simd128,
/// SSE2, NEON) that tile's 16 registers of partial sums spill (in wasm it ran 2.5x slower than
/// one `dot` at a time), so: a row of U against 5 rows of W, one pair of partial sums at a time
/// (`pairs_tile`). Every entry is summed exactly as `dot` sums it, so the bits are the same.
fn products(u: &[f64], w: &[f64], fan: usize) -> Vec<f64> {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: the CPU has AVX (checked above).
            return unsafe { products_avx(u, w, fan) };
        }
    }
    products_by_pairs(u, w, fan)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
fn products_avx(u: &[f64], w: &[f64], fan: usize) -> Vec<f64> {
    tiled_products::<2, 2>(u, w, fan, crate::linalg::dot_tile::<2, 2>)
}

fn products_by_pairs(u: &[f64], w: &[f64], fan: usize) -> Vec<f64> {
    tiled_products::<1, 5>(u, w, fan, crate::linalg::pairs_tile::<1, 5>)
}

/// U Wᵀ by tiles of R rows of U and C rows of W, whose R x C dots `tile` gives; the entries
/// past the last whole tile by `dot`.
#[inline(always)]
fn tiled_products<const R: usize, const C: usize>(
    u: &[f64],
    w: &[f64],
    fan: usize,
    tile: impl Fn([&[f64]; R], [&[f64]; C]) -> [[f64; C]; R],
) -> Vec<f64> {
    let (rows, outputs) = (u.len() / fan.max(1), w.len() / fan.max(1));
    let mut z = vec![0.0; rows * outputs];
    if fan == 0 {
        return z;
    }
    let (full_r, full_c) = (rows - rows % R, outputs - outputs % C);
    let (u_row, w_row) = (|r: usize| &u[r * fan..(r + 1) * fan], |c: usize| &w[c * fan..(c + 1) * fan]);
    for r in (0..full_r).step_by(R) {
        for c in (0..full_c).step_by(C) {
            let values = tile(std::array::from_fn(|i| u_row(r + i)), std::array::from_fn(|j| w_row(c + j)));
            for (i, values) in values.iter().enumerate() {
                z[(r + i) * outputs + c..][..C].copy_from_slice(values);
            }
        }
    }
    for r in 0..rows {
        let cols = if r < full_r { full_c..outputs } else { 0..outputs };
        for c in cols {
            z[r * outputs + c] = dot(w_row(c), u_row(r));
        }
    }
    z
}

/// Z = U Wᵀ + b.
fn affine(u: &[f64], w: &[f64], b: &[f64]) -> Vec<f64> {
    let mut z = products(u, w, w.len() / b.len());
    for zr in z.chunks_exact_mut(b.len()) {
        zr.iter_mut().zip(b).for_each(|(z, b)| *z += b);
    }
    z
}

/// Δ W for a batch of Δ (rows x outputs) through a layer's W (outputs x inputs): the
/// backpropagated signal, summed over the outputs in order.
pub(super) fn backprop(delta: &[f64], w: &[f64], outputs: usize) -> Vec<f64> {
    let inputs = w.len() / outputs;
    let rows = delta.len() / outputs;
    let mut back = vec![0.0; rows * inputs];
    add_product(&mut back, inputs, Left { data: delta, row: outputs, step: 1 }, w, outputs);
    back
}

impl Network {
    /// The forward pass of `rows` of `data` at parameters w.
    pub(super) fn forward(&self, w: &[f64], data: &Dataset, rows: &[usize]) -> Forward {
        let last = self.layers() - 1;
        let mut inputs = Vec::with_capacity(last + 1);
        let mut x = Vec::with_capacity(rows.len() * data.features);
        rows.iter().for_each(|i| x.extend_from_slice(data.row(*i)));
        inputs.push(x);
        let mut pre = Vec::with_capacity(last);
        for l in 0..last {
            let z = affine(&inputs[l], self.weights(w, l), self.biases(w, l));
            inputs.push(self.activation.apply(&z));
            pre.push(z);
        }
        let z = affine(&inputs[last], self.weights(w, last), self.biases(w, last));
        let classes = self.sizes[last + 1];
        let labels: Vec<usize> = rows.iter().map(|i| data.y[*i]).collect();
        // Softmax and cross-entropy, each row shifted by its largest logit m; the whole batch's
        // exp(z - m) at once, by pairs.
        let largest: Vec<f64> =
            z.chunks_exact(classes).map(|zr| zr.iter().fold(f64::NEG_INFINITY, |a, b| a.max(*b))).collect();
        let mut p: Vec<f64> =
            z.chunks_exact(classes).zip(&largest).flat_map(|(zr, m)| zr.iter().map(move |v| v - m)).collect();
        elementary::exp_in_place(&mut p);
        let mut loss = Vec::with_capacity(rows.len());
        for ((e, zr), (m, y)) in
            p.chunks_exact_mut(classes).zip(z.chunks_exact(classes)).zip(largest.iter().zip(&labels))
        {
            let s: f64 = e.iter().sum();
            e.iter_mut().for_each(|v| *v /= s);
            loss.push(m + libm::log(s) - zr[*y]);
        }
        Forward { rows: rows.len(), inputs, pre, p, loss, labels }
    }

    /// Adds the batch's share of the loss gradient, scale · Σ_rows ∇ℓ_row, into g.
    pub(super) fn add_gradient(&self, w: &[f64], fw: &Forward, scale: f64, g: &mut [f64]) {
        let mut delta = fw.output_delta();
        for l in (0..self.layers()).rev() {
            let outputs = self.sizes[l + 1];
            let scaled: Vec<f64> = delta.iter().map(|d| scale * d).collect();
            self.add_layer_gradient(g, l, &scaled, &fw.inputs[l]);
            if l > 0 {
                let back = backprop(&delta, self.weights(w, l), outputs);
                let (d1, _) = fw.slopes(self, l - 1);
                delta = back.iter().zip(&d1).map(|(b, s)| b * s).collect();
            }
        }
    }

    /// g_W += Lᵀ U and g_b += Σ_rows of L for layer l, with L the layer's (scaled) output
    /// signals and U its inputs, rows in order.
    fn add_layer_gradient(&self, g: &mut [f64], l: usize, signal: &[f64], inputs: &[f64]) {
        let (wo, bo) = self.offsets[l];
        let (outputs, fan) = (self.sizes[l + 1], self.sizes[l]);
        let rows = signal.len() / outputs;
        add_product(&mut g[wo..bo], fan, Left { data: signal, row: 1, step: outputs }, inputs, rows);
        for row in signal.chunks_exact(outputs) {
            g[bo..bo + outputs].iter_mut().zip(row).for_each(|(gb, s)| *gb += s);
        }
    }

    /// Adds scale · Σ_rows H_row v into out: the R-operator (Pearlmutter 1994), the forward
    /// pass's derivative along v, then the backward pass's.
    pub(super) fn add_hessian_vector(&self, w: &[f64], v: &[f64], rows: &[usize], scale: f64, out: &mut [f64]) {
        let last = self.layers() - 1;
        let fw = self.forward(w, &self.data, rows);
        let slopes: Vec<(Vec<f64>, Vec<f64>)> = (0..last).map(|l| fw.slopes(self, l)).collect();
        // R{z_l}, the pre-activations' derivative along v, and R{u_{l+1}} = σ'(z_l) R{z_l}.
        let mut r_pre: Vec<Vec<f64>> = Vec::with_capacity(last + 1);
        let mut r_act: Vec<Vec<f64>> = Vec::with_capacity(last);
        for l in 0..=last {
            let mut ra = affine(&fw.inputs[l], self.weights(v, l), self.biases(v, l));
            if l > 0 {
                let through = products(&r_act[l - 1], self.weights(w, l), self.sizes[l]);
                ra.iter_mut().zip(through).for_each(|(r, t)| *r += t);
            }
            if l < last {
                r_act.push(ra.iter().zip(&slopes[l].0).map(|(r, d1)| r * d1).collect());
            }
            r_pre.push(ra);
        }
        // R{Δ_L} = the softmax Jacobian applied to R{z}: p ⊙ (R{z} - p · R{z}), row by row.
        let classes = self.sizes[last + 1];
        let mut rdelta: Vec<f64> =
            fw.p.chunks_exact(classes)
                .zip(r_pre[last].chunks_exact(classes))
                .flat_map(|(p, rz)| {
                    let pdz = dot(p, rz);
                    p.iter().zip(rz).map(move |(p, d)| p * (d - pdz))
                })
                .collect();
        let mut delta = fw.output_delta();
        for l in (0..=last).rev() {
            let outputs = self.sizes[l + 1];
            let scaled_r: Vec<f64> = rdelta.iter().map(|d| scale * d).collect();
            if l == 0 {
                self.add_layer_gradient(out, l, &scaled_r, &fw.inputs[l]);
            } else {
                // Per row, R{Δ_l} ⊗ U_l and then Δ_l ⊗ R{U_l}: one product over both terms of
                // every row, interleaved, keeps that order.
                let fan = self.sizes[l];
                let (mut signal, mut inputs) =
                    (Vec::with_capacity(2 * rdelta.len()), Vec::with_capacity(2 * r_act[l - 1].len()));
                for r in 0..fw.rows {
                    signal.extend_from_slice(&scaled_r[r * outputs..(r + 1) * outputs]);
                    signal.extend(delta[r * outputs..(r + 1) * outputs].iter().map(|d| scale * d));
                    inputs.extend_from_slice(&fw.inputs[l][r * fan..(r + 1) * fan]);
                    inputs.extend_from_slice(&r_act[l - 1][r * fan..(r + 1) * fan]);
                }
                let (wo, bo) = self.offsets[l];
                add_product(&mut out[wo..bo], fan, Left { data: &signal, row: 1, step: outputs }, &inputs, 2 * fw.rows);
                for row in scaled_r.chunks_exact(outputs) {
                    out[bo..bo + outputs].iter_mut().zip(row).for_each(|(o, s)| *o += s);
                }
                let back = backprop(&delta, self.weights(w, l), outputs);
                let mut rback = backprop(&delta, self.weights(v, l), outputs);
                rback.iter_mut().zip(backprop(&rdelta, self.weights(w, l), outputs)).for_each(|(a, b)| *a += b);
                let (d1, d2) = &slopes[l - 1];
                rdelta = (0..back.len()).map(|j| rback[j] * d1[j] + back[j] * d2[j] * r_pre[l - 1][j]).collect();
                delta = back.iter().zip(d1).map(|(b, s)| b * s).collect();
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::rng::Rng;

    /// Both tilings (the one this CPU dispatches to and the 2-lane one wasm runs) give every
    /// entry of U Wᵀ the bits of its own `dot`, for shapes around the tiles' edges: fans below,
    /// at and past a chunk of eight, outputs not a multiple of the tile, odd rows, empty factors.
    #[test]
    fn every_tiling_gives_each_entry_the_bits_of_its_dot() {
        let mut rng = Rng::new(11);
        for (rows, outputs, fan) in [
            (64, 16, 64),
            (64, 10, 16),
            (29, 16, 64),
            (7, 13, 5),
            (5, 11, 21),
            (3, 3, 3),
            (1, 6, 9),
            (0, 4, 8),
            (4, 0, 8),
        ] {
            let (u, w) = (rng.normals(rows * fan), rng.normals(outputs * fan));
            let want: Vec<u64> = (0..rows * outputs)
                .map(|i| dot(&w[(i % outputs) * fan..][..fan], &u[(i / outputs) * fan..][..fan]).to_bits())
                .collect();
            for (name, z) in [("dispatched", products(&u, &w, fan)), ("pairs", products_by_pairs(&u, &w, fan))] {
                assert_eq!(
                    z.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                    want,
                    "{name}: {rows} x {outputs} x {fan}"
                );
            }
        }
    }
}
