//! G = A diag(w) A^T for a square A, with G_ij = G_ji = dot(a_i * w, a_j) for j <= i: every entry
//! summed exactly as `norm::dot` sums it (eight partial sums over the chunks in order, added
//! pairwise, then the tail), so the bits are those of the row-by-row dot products. The products
//! run by tiles of R x C pairs of rows, so that each chunk loaded serves several pairs, over
//! blocks of BLOCK rows of the left factor, which stay in cache while every earlier row of A
//! passes by once. A tile's partial sums stay in registers: with eight lanes, 4 x 4 tiles with
//! AVX-512 (one register per entry), 2 x 2 otherwise; with two lanes (wasm's simd128) 2 x 4 tiles
//! that run over the rows once per pair of partial sums (`pairs_tile`). The tile changes which
//! entries are computed together, never how one is summed. Natively, pieces of consecutive blocks
//! run on every core (`parallel::map`); each entry is computed by the same code in any piece, so
//! the bits do not depend on the number of threads.

use super::Matrix;
use crate::norm::{combine, dot, tail_dot};
use crate::parallel::{self, Tick};
use std::ops::Range;

/// Rows of the left factor per pass over A.
const BLOCK: usize = 32;

/// A diag(w) A^T, telling `done(fraction)` along the way.
pub(super) fn weighted_gram(a: &Matrix, w: &[f64], done: &mut dyn FnMut(f64)) -> Matrix {
    gram(a, w, done, lower_rows_here)
}

/// Rows of the lower triangle (`lower_rows`) with this machine's tile: in a function of its own
/// per vector unit, so that the tile's registers exist wherever the piece runs. Never inlined:
/// `weighted_gram` and `weighted_gram_part` share one copy of the kernel in the page's wasm.
#[inline(never)]
fn lower_rows_here(left: &Matrix, a: &Matrix, rows: Range<usize>, tick: Tick) -> Vec<f64> {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F (checked above).
            return unsafe { lower_rows_avx512(left, a, rows, tick) };
        }
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: the CPU has AVX (checked above).
            return unsafe { lower_rows_avx(left, a, rows, tick) };
        }
    }
    #[cfg(target_arch = "wasm32")]
    return lower_rows(left, a, rows, tick, tile_simd128);
    #[cfg(not(target_arch = "wasm32"))]
    lower_rows(left, a, rows, tick, dot_tile::<2, 2>)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn lower_rows_avx512(left: &Matrix, a: &Matrix, rows: Range<usize>, tick: Tick) -> Vec<f64> {
    lower_rows(left, a, rows, tick, dot_tile::<4, 4>)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
fn lower_rows_avx(left: &Matrix, a: &Matrix, rows: Range<usize>, tick: Tick) -> Vec<f64> {
    lower_rows(left, a, rows, tick, dot_tile::<2, 2>)
}

/// wasm's tile, in a function of its own that is never inlined: V8 runs a function in its
/// baseline compiler at first and in optimised code only from a later call on (there is no
/// on-stack replacement for wasm), so a product made in one long call would run in baseline code
/// throughout (at d = 2000 in Node, under load: 4.6-5.4 s with this tile inlined, 1.2-1.9 s called
/// tile by tile).
#[cfg(target_arch = "wasm32")]
#[inline(never)]
fn tile_simd128(left: [&[f64]; 2], right: [&[f64]; 4]) -> [[f64; 4]; 2] {
    pairs_tile(left, right)
}

/// The rows of a piece of A diag(w) A^T's lower triangle (`lower_rows`).
type Rows = fn(&Matrix, &Matrix, Range<usize>, Tick) -> Vec<f64>;

fn gram(a: &Matrix, w: &[f64], done: &mut dyn FnMut(f64), lower: Rows) -> Matrix {
    let left = scaled(a, w);
    let rows =
        parallel::map_all(&row_pieces(a.n, parallel::pieces()), |rows, tick| lower(&left, a, rows.clone(), tick), done);
    from_lower_rows(a.n, rows).expect("the pieces cover the rows")
}

/// Part `part` of `parts` of A diag(w) A^T's lower triangle: rows of it (the entries j <= i, the
/// rest 0), by the cut `weighted_gram` makes for `parts` pieces (none when the cut has fewer).
/// A pool that shares the product (the page's workers) puts the parts together with
/// `from_lower_rows`; every entry is the one `weighted_gram` computes.
pub(super) fn weighted_gram_part(a: &Matrix, w: &[f64], part: usize, parts: usize, tick: Tick) -> Vec<f64> {
    match row_pieces(a.n, parts).get(part) {
        Some(rows) => lower_rows_here(&scaled(a, w), a, rows.clone(), tick),
        None => Vec::new(),
    }
}

/// A diag(w), row by row.
fn scaled(a: &Matrix, w: &[f64]) -> Matrix {
    let mut left = a.clone();
    for i in 0..a.n {
        for (v, wk) in left.row_mut(i).iter_mut().zip(w) {
            *v *= wk;
        }
    }
    left
}

/// The rows 0..n cut into at most `count` pieces of whole blocks and about equal work (block i0
/// has i0 + BLOCK products a row).
fn row_pieces(n: usize, count: usize) -> Vec<Range<usize>> {
    let blocks: Vec<usize> = (0..n).step_by(BLOCK).collect();
    let work: Vec<f64> = blocks.iter().map(|&i0| (i0 + BLOCK) as f64).collect();
    parallel::balanced(&work, count)
        .into_iter()
        .map(|piece| blocks[piece.start]..(blocks[piece.end - 1] + BLOCK).min(n))
        .collect()
}

/// The symmetric n x n matrix whose lower triangle's rows are `parts` in order (None unless
/// they hold n rows of n).
pub(super) fn from_lower_rows(n: usize, parts: impl IntoIterator<Item = Vec<f64>>) -> Option<Matrix> {
    let mut data = Vec::with_capacity(n * n);
    parts.into_iter().for_each(|part| data.extend(part));
    if data.len() != n * n {
        return None;
    }
    let mut g = Matrix { n, data };
    for i in 0..n {
        for j in 0..i {
            g.data[j * n + i] = g.data[i * n + j];
        }
    }
    Some(g)
}

/// Rows `rows` of left a^T, entries j <= i only (the rest 0), by blocks of BLOCK rows and R x C
/// tiles of dot products (`tile`), telling `tick(fraction)` before each block.
#[inline(always)]
fn lower_rows<const R: usize, const C: usize>(
    left: &Matrix,
    a: &Matrix,
    rows: Range<usize>,
    tick: Tick,
    tile: impl Fn([&[f64]; R], [&[f64]; C]) -> [[f64; C]; R],
) -> Vec<f64> {
    let n = a.n;
    let mut g = vec![0.0; rows.len() * n];
    let mut set = |i: usize, j: usize, v: f64| g[(i - rows.start) * n + j] = v;
    for i0 in rows.clone().step_by(BLOCK) {
        // Rows before i0 + BLOCK cost about ((i0 - start) / (end - start))^2 of the piece's work.
        tick(((i0 - rows.start) as f64 / rows.len() as f64).powi(2));
        let i1 = (i0 + BLOCK).min(rows.end);
        for j0 in (0..i1).step_by(C) {
            for t0 in (i0..i1).step_by(R) {
                if j0 > t0 + R - 1 {
                    continue;
                }
                if t0 + R <= n && j0 + C <= n {
                    let values =
                        tile(std::array::from_fn(|r| left.row(t0 + r)), std::array::from_fn(|c| a.row(j0 + c)));
                    for (r, values) in values.iter().enumerate() {
                        for (c, &v) in values.iter().enumerate() {
                            let (i, j) = (t0 + r, j0 + c);
                            if j <= i {
                                set(i, j, v);
                            }
                        }
                    }
                } else {
                    for i in t0..(t0 + R).min(n) {
                        for j in j0..(j0 + C).min(i + 1) {
                            set(i, j, dot(left.row(i), a.row(j)));
                        }
                    }
                }
            }
        }
    }
    g
}

/// dot(left_r, right_c) for every r and c, each summed as `dot` sums it; the rows are equally
/// long. (wasm has its own tile, `pairs_tile`.)
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
pub(crate) fn dot_tile<const R: usize, const C: usize>(left: [&[f64]; R], right: [&[f64]; C]) -> [[f64; C]; R] {
    let n = left[0].len();
    let body = n - n % 8;
    let xs: [&[[f64; 8]]; R] = std::array::from_fn(|r| left[r][..body].as_chunks::<8>().0);
    let ys: [&[[f64; 8]]; C] = std::array::from_fn(|c| right[c][..body].as_chunks::<8>().0);
    let mut acc = [[[0.0f64; 8]; C]; R];
    for k in 0..body / 8 {
        let x: [[f64; 8]; R] = std::array::from_fn(|r| xs[r][k]);
        let y: [[f64; 8]; C] = std::array::from_fn(|c| ys[c][k]);
        for r in 0..R {
            for c in 0..C {
                for l in 0..8 {
                    acc[r][c][l] += x[r][l] * y[c][l];
                }
            }
        }
    }
    std::array::from_fn(|r| std::array::from_fn(|c| combine(acc[r][c]) + tail_dot(&left[r][body..], &right[c][body..])))
}

/// dot(left_r, right_c) for every r and c, each summed as `dot` sums it, for two-lane registers
/// (wasm's simd128; SSE2 and NEON natively, for the network's products without AVX): partial
/// sums 2p and 2p + 1 of an entry share a register, which runs over every chunk before pair
/// p + 1 starts, so each partial sum still takes its terms in `dot`'s order. A tile then holds
/// R C registers of sums, not 4 R C, and loads R + C per R C products: the 2 x 2 `dot_tile` needs
/// 16 registers of sums alone and spills on V8's 16.
#[inline(always)]
pub(crate) fn pairs_tile<const R: usize, const C: usize>(left: [&[f64]; R], right: [&[f64]; C]) -> [[f64; C]; R] {
    use crate::norm::DOT_LANES;
    use crate::simd2::F64x2;
    const PAIRS: usize = DOT_LANES / 2;
    let body = left[0].len() - left[0].len() % DOT_LANES;
    let chunks = body / DOT_LANES;
    // The whole chunks of a row, each as its pairs of lanes; inlined, so that the loop below
    // knows every row's length and checks no index.
    #[inline(always)]
    fn pairs(row: &[f64], chunks: usize) -> &[[[f64; 2]; PAIRS]] {
        &row[..chunks * DOT_LANES].as_chunks().0.as_chunks().0[..chunks]
    }
    let xs: [_; R] = std::array::from_fn(|r| pairs(left[r], chunks));
    let ys: [_; C] = std::array::from_fn(|c| pairs(right[c], chunks));
    let mut sums = [[[0.0; DOT_LANES]; C]; R];
    for pair in 0..PAIRS {
        let mut acc = [[F64x2::ZERO; C]; R];
        for k in 0..chunks {
            let x: [F64x2; R] = std::array::from_fn(|r| F64x2::load(&xs[r][k][pair]));
            for c in 0..C {
                let y = F64x2::load(&ys[c][k][pair]);
                for r in 0..R {
                    acc[r][c] = acc[r][c].add_product(x[r], y);
                }
            }
        }
        for r in 0..R {
            for c in 0..C {
                acc[r][c].store(sums[r][c][2 * pair..].first_chunk_mut().expect("a pair of partial sums"));
            }
        }
    }
    std::array::from_fn(|r| {
        std::array::from_fn(|c| combine(sums[r][c]) + tail_dot(&left[r][body..], &right[c][body..]))
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn every_entry_has_the_bits_of_its_dot_product() {
        for n in [0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 33, 40, 67] {
            let mut rng = Rng::new(n as u64 + 3);
            let a = Matrix::from_rows(&(0..n).map(|_| rng.normals(n)).collect::<Vec<_>>());
            let w = rng.normals(n);
            let g = weighted_gram(&a, &w, &mut |_| ());
            // Every tile gives the same bits (the one above is this machine's).
            for other in [
                gram(&a, &w, &mut |_| (), |l, a, r, t| lower_rows(l, a, r, t, dot_tile::<4, 4>)),
                gram(&a, &w, &mut |_| (), |l, a, r, t| lower_rows(l, a, r, t, dot_tile::<2, 2>)),
                gram(&a, &w, &mut |_| (), |l, a, r, t| lower_rows(l, a, r, t, dot_tile::<1, 1>)),
            ] {
                assert_eq!(other, g, "n = {n}");
            }
            for i in 0..n {
                let scaled: Vec<f64> = a.row(i).iter().zip(&w).map(|(x, y)| x * y).collect();
                for j in 0..=i {
                    let want = dot(&scaled, a.row(j)).to_bits();
                    assert_eq!((g.get(i, j).to_bits(), g.get(j, i).to_bits()), (want, want), "n = {n}, ({i}, {j})");
                }
            }
            // And the product itself, summed another way.
            for (i, j) in [(0, 0), (n / 2, n / 3), (n.saturating_sub(1), 0)].into_iter().filter(|_| n > 0) {
                let brute: f64 = (0..n).map(|k| a.get(i, k) * w[k] * a.get(j, k)).sum();
                assert!((g.get(i, j) - brute).abs() < 1e-12 * n as f64, "n = {n}");
            }
        }
    }
}
