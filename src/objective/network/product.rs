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
    debug_assert!(right.len() >= inner * cols);
    let (full_r, full_c) = (rows - rows % TILE, cols - cols % TILE);
    for r0 in (0..full_r).step_by(TILE) {
        for c0 in (0..full_c).step_by(TILE) {
            tile::<TILE, TILE>(out, cols, left, right, inner, r0, c0);
        }
        for c0 in full_c..cols {
            tile::<TILE, 1>(out, cols, left, right, inner, r0, c0);
        }
    }
    for r0 in full_r..rows {
        for c0 in (0..full_c).step_by(TILE) {
            tile::<1, TILE>(out, cols, left, right, inner, r0, c0);
        }
        for c0 in full_c..cols {
            tile::<1, 1>(out, cols, left, right, inner, r0, c0);
        }
    }
}

/// The R x C block of `out` at (r0, c0), accumulated over every k in registers.
#[inline(always)]
fn tile<const R: usize, const C: usize>(
    out: &mut [f64],
    cols: usize,
    left: Left,
    right: &[f64],
    inner: usize,
    r0: usize,
    c0: usize,
) {
    let mut acc = [[0.0; C]; R];
    for (r, a) in acc.iter_mut().enumerate() {
        a.copy_from_slice(&out[(r0 + r) * cols + c0..][..C]);
    }
    for k in 0..inner {
        let rk: &[f64; C] = right[k * cols + c0..][..C].try_into().unwrap();
        for (r, a) in acc.iter_mut().enumerate() {
            let l = left.data[(r0 + r) * left.row + k * left.step];
            for c in 0..C {
                a[c] += l * rk[c];
            }
        }
    }
    for (r, a) in acc.iter().enumerate() {
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
