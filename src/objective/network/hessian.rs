//! The network's dense Hessian, assembled one pair of layers at a time from per-sample
//! quantities instead of d Hessian-vector products (each a full pass over the data).
//!
//! Perturb every pre-activation, a_l = W_l u_l + b_l + e_l (u_l is the layer's input). A weight
//! W_l[j,i] then acts like e_l[j] scaled by u_l[i], so with augmented inputs ũ_l = [u_l; 1] and
//! l <= m, one sample contributes
//!
//!   d²ℓ / dW̃_l[j,i] dW̃_m[j',i'] = ũ_l[i] (G_lm[j,j'] ũ_m[i'] + [l < m] δ_m[j'] K_ml[i',j])
//!
//! where δ_m = dℓ/da_m, K_ml = du_m/de_l, and G = d²ℓ/de² is the Hessian over all
//! pre-activations: with A_kl = da_k/de_l, S = diag(p) - p pᵀ the softmax cross-entropy's
//! curvature and D_k = σ''(a_k) ⊙ dℓ/du_{k+1},
//!
//!   G_lm = A_Ll^T S A_Lm + Σ_{k >= max(l,m), k < L} A_kl^T diag(D_k) A_km.
//!
//! Summing over samples makes each block a product Ũ_l^T C_j (samples x inputs, samples x
//! columns): about N d² / 2 multiply-adds in all, in cache-friendly tiles, against the
//! Hessian-vector route's ~20 N d². Each entry's sum runs over the samples in order, so the result
//! is the same on every platform.

use super::pass::backprop;
use super::product::{add_product, Left};
use super::Network;
use crate::linalg::Matrix;
use crate::objective::Objective;

/// Per-layer quantities of all samples, each a samples-major matrix.
struct Samples {
    n: usize,
    /// Augmented inputs ũ_l: n x (in_l + 1).
    inputs: Vec<Vec<f64>>,
    /// δ_l: n x n_l.
    delta: Vec<Vec<f64>>,
    /// G: n x U x U, U the number of pre-activations, layer by layer.
    g: Vec<f64>,
    /// K_ml for l < m, indexed [m][l]: n x in_m x n_l.
    k: Vec<Vec<Vec<f64>>>,
}

/// The dense Hessian of the mean loss plus the penalty at w.
///
/// Each output j of layer l gives its rows of the (l, m) block (l <= m) on its own: these
/// pieces are computed side by side (`parallel::map`), then written in one fixed order, so the
/// matrix is the same whatever the number of threads.
pub(super) fn assemble(net: &Network, w: &[f64]) -> Matrix {
    let s = per_sample(net, w);
    let layers = net.layers();
    let pieces: Vec<(usize, usize, usize)> =
        (0..layers).flat_map(|m| (0..=m).flat_map(move |l| (0..net.sizes[l + 1]).map(move |j| (l, m, j)))).collect();
    let rows = crate::parallel::map_all(&pieces, |&(l, m, j), _| block_rows(net, &s, l, m, j), &mut |_| ());
    let mut h = Matrix::zeros(net.dim());
    for (&(l, m, j), rows) in pieces.iter().zip(&rows) {
        write_block_rows(net, l, m, j, rows, &mut h);
    }
    for i in net.weight_indices() {
        h.set(i, i, h.get(i, i) + net.l2);
    }
    h
}

/// Index of (layer l, output j, augmented input i) in the parameter vector.
fn param_index(net: &Network, l: usize, j: usize, i: usize) -> usize {
    let inputs = net.sizes[l];
    let (wo, bo) = net.offsets[l];
    if i < inputs {
        wo + j * inputs + i
    } else {
        bo + j
    }
}

/// Rows x cols product of small row-major matrices.
fn product(a: &[f64], b: &[f64], rows: usize, inner: usize, cols: usize) -> Vec<f64> {
    let mut out = vec![0.0; rows * cols];
    add_product(&mut out, cols, Left { data: a, row: inner, step: 1 }, b, inner);
    out
}

fn transpose(a: &[f64], rows: usize, cols: usize) -> Vec<f64> {
    (0..rows * cols).map(|k| a[(k % rows) * cols + k / rows]).collect()
}

fn per_sample(net: &Network, w: &[f64]) -> Samples {
    let layers = net.layers();
    let last = layers - 1;
    let n_out: Vec<usize> = net.sizes[1..].to_vec();
    let u_off: Vec<usize> = n_out.iter().scan(0, |at, n| Some(std::mem::replace(at, *at + n))).collect();
    let u = n_out.iter().sum::<usize>();
    let n = net.data.rows();
    let fw = net.forward(w, &net.data, &(0..n).collect::<Vec<usize>>());
    let slopes: Vec<(Vec<f64>, Vec<f64>)> = (0..last).map(|l| fw.slopes(net, l)).collect();
    // Backward pass of all samples: δ_l, and D_k = σ''(a_k) ⊙ dℓ/du_{k+1}.
    let mut delta = vec![Vec::new(); layers];
    let mut curv = vec![Vec::new(); last];
    delta[last] = fw.output_delta();
    for l in (1..layers).rev() {
        let back = backprop(&delta[l], net.weights(w, l), n_out[l]);
        curv[l - 1] = back.iter().zip(&slopes[l - 1].1).map(|(b, d2)| b * d2).collect();
        delta[l - 1] = back.iter().zip(&slopes[l - 1].0).map(|(b, d1)| b * d1).collect();
    }
    let mut s = Samples {
        n,
        inputs: (0..layers)
            .map(|l| fw.inputs[l].chunks_exact(net.sizes[l]).flat_map(|u| u.iter().copied().chain([1.0])).collect())
            .collect(),
        delta,
        g: Vec::with_capacity(n * u * u),
        k: (0..layers).map(|m| vec![Vec::new(); m]).collect(),
    };
    for r in 0..n {
        // Row r of a samples-major matrix with `width` columns.
        let row = |m: &[f64], width: usize| (r * width..(r + 1) * width).map(|i| m[i]).collect::<Vec<f64>>();
        let d1: Vec<Vec<f64>> = (0..last).map(|l| row(&slopes[l].0, n_out[l])).collect();
        let curv: Vec<Vec<f64>> = (0..last).map(|l| row(&curv[l], n_out[l])).collect();
        let p = row(&fw.p, n_out[last]);
        // A[m][l] = da_m/de_l = W_m diag(σ'(a_{m-1})) A[m-1][l], A[l][l] = I.
        let mut a: Vec<Vec<Vec<f64>>> = vec![vec![Vec::new(); layers]; layers];
        for l in 0..layers {
            a[l][l] = (0..n_out[l] * n_out[l]).map(|k| if k / n_out[l] == k % n_out[l] { 1.0 } else { 0.0 }).collect();
            for m in l + 1..layers {
                let (wm, inner) = (net.weights(w, m), n_out[m - 1]);
                let scaled: Vec<f64> =
                    (0..inner * n_out[l]).map(|k| d1[m - 1][k / n_out[l]] * a[m - 1][l][k]).collect();
                a[m][l] = product(wm, &scaled, n_out[m], inner, n_out[l]);
                s.k[m][l].extend_from_slice(&scaled);
            }
        }
        // G over all pre-activations.
        let classes = n_out[last];
        let curvature: Vec<f64> = (0..classes * classes)
            .map(|k| (if k / classes == k % classes { p[k / classes] } else { 0.0 }) - p[k / classes] * p[k % classes])
            .collect();
        let mut g = vec![0.0; u * u];
        for l in 0..layers {
            let at_l = transpose(&a[last][l], classes, n_out[l]);
            for m in 0..layers {
                let sa = product(&curvature, &a[last][m], classes, classes, n_out[m]);
                let mut block = product(&at_l, &sa, n_out[l], classes, n_out[m]);
                for k in l.max(m)..last {
                    let scaled: Vec<f64> =
                        (0..n_out[k] * n_out[m]).map(|t| curv[k][t / n_out[m]] * a[k][m][t]).collect();
                    let extra =
                        product(&transpose(&a[k][l], n_out[k], n_out[l]), &scaled, n_out[l], n_out[k], n_out[m]);
                    block.iter_mut().zip(extra).for_each(|(b, e)| *b += e);
                }
                for j in 0..n_out[l] {
                    g[(u_off[l] + j) * u + u_off[m]..][..n_out[m]]
                        .copy_from_slice(&block[j * n_out[m]..(j + 1) * n_out[m]]);
                }
            }
        }
        s.g.extend_from_slice(&g);
    }
    s
}

/// On a diagonal block only the columns from output j on: the rest is the mirror image.
fn first_column(l: usize, m: usize, j: usize) -> usize {
    if l == m {
        j
    } else {
        0
    }
}

/// The rows of output j of layer l in the (l, m) block (l <= m) of the mean Hessian, from
/// column output `first_column(l, m, j)` on: (in_l + 1) rows of (n_m - first) (in_m + 1).
fn block_rows(net: &Network, s: &Samples, l: usize, m: usize, j: usize) -> Vec<f64> {
    let (n_l, in_l, n_m, in_m) = (net.sizes[l + 1], net.sizes[l], net.sizes[m + 1], net.sizes[m]);
    let u: usize = net.sizes[1..].iter().sum();
    let (ul, um) = (net.sizes[1..l + 1].iter().sum::<usize>(), net.sizes[1..m + 1].iter().sum::<usize>());
    let stride = in_m + 1;
    let inv = 1.0 / s.n as f64;
    let first = first_column(l, m, j);
    let width = (n_m - first) * stride;
    let mut c = Vec::with_capacity(s.n * width);
    for r in 0..s.n {
        let ui = &s.inputs[m][r * stride..(r + 1) * stride];
        let grow = &s.g[r * u * u + (ul + j) * u + um..][..n_m];
        for (jp, g) in grow.iter().enumerate().skip(first) {
            let gv = inv * g;
            let at = c.len();
            c.extend(ui.iter().map(|v| gv * v));
            if l < m {
                let dv = inv * s.delta[m][r * n_m + jp];
                let k = &s.k[m][l][r * in_m * n_l..(r + 1) * in_m * n_l];
                for (ip, cv) in c[at..at + in_m].iter_mut().enumerate() {
                    *cv += dv * k[ip * n_l + j];
                }
            }
        }
    }
    // out[i][q] = Σ_r ũ_l[r][i] c[r][q], the samples in order.
    let mut out = vec![0.0; (in_l + 1) * width];
    add_product(&mut out, width, Left { data: &s.inputs[l], row: 1, step: in_l + 1 }, &c, s.n);
    out
}

/// Writes `block_rows(l, m, j)` into h, and its mirror image.
fn write_block_rows(net: &Network, l: usize, m: usize, j: usize, rows: &[f64], h: &mut Matrix) {
    let (in_l, n_m, in_m) = (net.sizes[l], net.sizes[m + 1], net.sizes[m]);
    let stride = in_m + 1;
    let first = first_column(l, m, j);
    let width = (n_m - first) * stride;
    for i in 0..=in_l {
        let row = param_index(net, l, j, i);
        for (q, v) in rows[i * width..(i + 1) * width].iter().enumerate() {
            let col = param_index(net, m, first + q / stride, q % stride);
            h.set(row, col, *v);
            h.set(col, row, *v);
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::tests::small;
    use super::super::Activation;
    use super::*;

    /// Against the columns H e_i from the R-operator: an independent derivation.
    #[test]
    fn assembled_hessian_matches_hessian_vector_products() {
        for (hidden, act) in [
            (vec![], Activation::Tanh),
            (vec![5], Activation::Tanh),
            (vec![4, 3], Activation::Tanh),
            (vec![4, 3], Activation::Relu),
        ] {
            let net = small(&hidden, act);
            let w = net.init(5, 1.5);
            let h = net.hessian(&w).unwrap();
            let by_columns = crate::objective::hessian_by_columns(&net, &w);
            let scale = h.abs_sum() / net.dim() as f64;
            for i in 0..net.dim() {
                for j in 0..net.dim() {
                    let (a, b) = (h.get(i, j), by_columns.get(i, j));
                    assert!((a - b).abs() < 1e-12 * (1.0 + scale), "{hidden:?} {act:?} ({i},{j}): {a} vs {b}");
                }
            }
        }
    }
    /// The pieces go side by side (parallel::map); the matrix's bits do not depend on the
    /// number of threads.
    #[test]
    fn the_hessian_has_the_same_bits_on_one_thread_and_on_four() {
        let net = small(&[4, 3], Activation::Tanh);
        let w = net.init(5, 1.5);
        let on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let h = pool.install(|| net.hessian(&w).unwrap());
            h.to_rows().concat().iter().map(|v| v.to_bits()).collect::<Vec<u64>>()
        };
        let one = on(1);
        assert_eq!(on(4), one);
        assert_eq!(on(3), one);
    }
}
