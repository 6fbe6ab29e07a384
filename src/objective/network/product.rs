//! The one matrix product behind the network's batched passes and its Hessian assembly:
//!
//!   out[r][c] += Σ_k L[r][k] R[k][c],   k = 0, 1, ..., inner - 1 in this order,
//!
//! with one rounding per multiply and per add (Rust never fuses them). Every entry is a running
//! sum over k in order, exactly as a loop over samples adding one outer product at a time, so the
//! result does not depend on the tiling, the platform or the SIMD width: natively and in wasm the
//! bits are the same. Speed comes from tiles of `out` held in registers while k runs (the lanes
//! of a tile are independent sums, which the compiler vectorises without reordering anything).

/// How the left factor is laid out: L[r][k] = left[r * row + k * step]. (row = inner, step = 1)
/// is a row-major L; (row = 1, step = rows) is L = Aᵀ for a row-major A, samples first.
#[derive(Clone, Copy)]
pub(super) struct Left<'a> {
    pub data: &'a [f64],
    pub row: usize,
    pub step: usize,
}

/// Tile of `out`: 4 x 4 entries, eight 2-lane registers, with room left for the operands.
const TILE: usize = 4;

/// out (rows x cols, row-major) += L R for R (inner x cols, row-major).
pub(super) fn add_product(out: &mut [f64], cols: usize, left: Left, right: &[f64], inner: usize) {
    let rows = out.len().checked_div(cols).unwrap_or(0);
    assert!(right.len() >= inner * cols, "the right factor has {} entries, not {inner} x {cols}", right.len());
    // TILE rows of L packed k-major (as BLAS packs its panels), zeros past the last row: read
    // once per row of tiles, then contiguously by each tile.
    let mut panel = vec![0.0; inner * TILE];
    for r0 in (0..rows).step_by(TILE) {
        let height = TILE.min(rows - r0);
        for k in 0..inner {
            for r in 0..height {
                panel[k * TILE + r] = left.data[(r0 + r) * left.row + k * left.step];
            }
        }
        let full_c = cols - cols % TILE;
        for c0 in (0..full_c).step_by(TILE) {
            tile::<TILE>(out, cols, &panel, right, (r0, height), c0);
        }
        for c0 in full_c..cols {
            tile::<1>(out, cols, &panel, right, (r0, height), c0);
        }
    }
}

/// The `height` x C block of `out` at (r0, c0), accumulated over every k in registers.
#[inline(always)]
fn tile<const C: usize>(
    out: &mut [f64],
    cols: usize,
    panel: &[f64],
    right: &[f64],
    (r0, height): (usize, usize),
    c0: usize,
) {
    let mut acc = [[0.0; C]; TILE];
    for (r, a) in acc.iter_mut().enumerate().take(height) {
        a.copy_from_slice(&out[(r0 + r) * cols + c0..][..C]);
    }
    for (lk, rk) in panel.chunks_exact(TILE).zip(right.chunks_exact(cols)) {
        let rk = &rk[c0..c0 + C];
        for (a, l) in acc.iter_mut().zip(lk) {
            for (ac, rc) in a.iter_mut().zip(rk) {
                *ac += l * rc;
            }
        }
    }
    for (r, a) in acc.iter().enumerate().take(height) {
        out[(r0 + r) * cols + c0..][..C].copy_from_slice(a);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::rng::Rng;

    /// Against the textbook triple loop with k outermost (one outer product at a time): the same
    /// order of operations, so the same bits, for every shape around the tile edges and both
    /// layouts of the left factor.
    #[test]
    fn equals_one_outer_product_at_a_time() {
        let mut rng = Rng::new(4);
        for (rows, cols, inner) in [(1, 1, 1), (3, 5, 2), (4, 4, 7), (9, 6, 33), (16, 64, 32), (5, 0, 3), (4, 3, 0)] {
            let a = rng.normals(rows * inner);
            let b = rng.normals(inner * cols);
            let start = rng.normals(rows * cols);
            let mut expected = start.clone();
            for k in 0..inner {
                for r in 0..rows {
                    for c in 0..cols {
                        expected[r * cols + c] += a[r * inner + k] * b[k * cols + c];
                    }
                }
            }
            let mut out = start.clone();
            add_product(&mut out, cols, Left { data: &a, row: inner, step: 1 }, &b, inner);
            assert_eq!(out, expected, "row-major left, {rows} x {cols} x {inner}");
            // The same L stored transposed, samples first.
            let at: Vec<f64> = (0..inner * rows).map(|t| a[(t % rows) * inner + t / rows]).collect();
            let mut out = start;
            add_product(&mut out, cols, Left { data: &at, row: 1, step: rows }, &b, inner);
            assert_eq!(out, expected, "transposed left, {rows} x {cols} x {inner}");
        }
    }
}
