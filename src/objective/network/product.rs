//! The one matrix product behind the network's backward passes and its Hessian assembly:
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
/// Columns and k per block of R: a block (128 KB) stays in cache while every row of tiles passes
/// over it, so large products (the Hessian's) read R from memory once.
const BLOCK_COLS: usize = 64;
const BLOCK_K: usize = 256;

/// out (rows x cols, row-major) += L R for R (inner x cols, row-major). The k blocks are taken
/// in order, each continuing every entry's running sum where the last one stopped.
pub(super) fn add_product(out: &mut [f64], cols: usize, left: Left, right: &[f64], inner: usize) {
    let rows = out.len().checked_div(cols).unwrap_or(0);
    assert!(right.len() >= inner * cols, "the right factor has {} entries, not {inner} x {cols}", right.len());
    // TILE rows of L over a k block, packed k-major (as BLAS packs its panels), zeros past the
    // last row: read once per block, then contiguously by each tile.
    let mut panel = vec![0.0; inner.min(BLOCK_K) * TILE];
    for c_start in (0..cols).step_by(BLOCK_COLS) {
        let c_end = (c_start + BLOCK_COLS).min(cols);
        let full_end = c_end - (c_end - c_start) % TILE;
        for k0 in (0..inner).step_by(BLOCK_K) {
            let k1 = (k0 + BLOCK_K).min(inner);
            let block = &right[k0 * cols..];
            for r0 in (0..rows).step_by(TILE) {
                let height = TILE.min(rows - r0);
                for k in k0..k1 {
                    for r in 0..height {
                        panel[(k - k0) * TILE + r] = left.data[(r0 + r) * left.row + k * left.step];
                    }
                }
                let panel = &panel[..(k1 - k0) * TILE];
                for c0 in (c_start..full_end).step_by(TILE) {
                    tile::<TILE>(out, cols, panel, block, (r0, height), c0);
                }
                for c0 in full_end..c_end {
                    tile::<1>(out, cols, panel, block, (r0, height), c0);
                }
            }
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
    /// layouts of the left factor, and past a block of columns and of k.
    #[test]
    fn equals_one_outer_product_at_a_time() {
        let mut rng = Rng::new(4);
        for (rows, cols, inner) in
            [(1, 1, 1), (3, 5, 2), (4, 4, 7), (9, 6, 33), (16, 64, 32), (6, 70, 300), (5, 0, 3), (4, 3, 0)]
        {
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
