//! Chains of plane rotations of adjacent rows ("sweeps"), applied to a matrix stored by column
//! strips, with every row of a strip loaded and stored once per group of sweeps.
//!
//! A rotation of rows (v, v + 1) acts on each column separately, so a sequence of them can be
//! applied one strip of columns at a time: every entry then sees exactly the same operations in
//! the same order as when each rotation runs along whole rows, and gets the same bits, whatever
//! the strip's width. Within a strip, GROUP sweeps run as a wavefront: sweep k rotates the pair
//! (t - k, t - k + 1) at time t, after sweep k - 1 has finished with both rows (its last use of
//! row t - k + 1 is its rotation of (t - k + 1, t - k + 2) at the same time t), so the order each
//! entry sees is the order of the sweeps run one after another. Row t + 1 enters the chain at
//! time t, each sweep keeps the row it is rotating in a register and passes the row it has
//! finished to the next sweep, and the last sweep's finished row is stored.
//!
//! A strip is as wide as one vector register (`width`): 8 f64 with AVX-512, 4 with AVX, else 2
//! (SSE2), so that the GROUP rows in flight stay in registers. wasm's is 4, two f64x2 registers:
//! each rotation's coefficients are then loaded once for four columns. In Node at d = 2000 (with
//! `SweepGroup::apply` out of line, below) Q_r takes 3.6 s of CPU, against 4.5 s at width 2
//! inlined; width 8 is slower again. The arithmetic is the same
//! on every width: multiplications and additions, never fused.

use super::Matrix;
use std::ops::Range;

/// Sweeps run together over a strip (one register each).
pub(crate) const GROUP: usize = 8;

/// The strip width for this machine (see the module docs); wasm's is 4.
#[cfg(target_arch = "x86_64")]
pub(crate) fn width() -> usize {
    if std::arch::is_x86_feature_detected!("avx512f") {
        8
    } else if std::arch::is_x86_feature_detected!("avx") {
        4
    } else {
        2
    }
}

/// Calls `f::<W>(args)` with W = `width()`: only wasm's width is built for wasm.
macro_rules! by_width {
    ($f:ident ( $($arg:expr),* )) => {{
        #[cfg(target_arch = "x86_64")]
        let out = match $crate::linalg::givens::width() {
            8 => $f::<8>($($arg),*),
            4 => $f::<4>($($arg),*),
            _ => $f::<2>($($arg),*),
        };
        #[cfg(not(target_arch = "x86_64"))]
        let out = $f::<4>($($arg),*);
        out
    }};
}
pub(crate) use by_width;

/// (x, y) <- (c x + t y, -t x + c y) lane by lane: `rotate_pair`'s arithmetic, to the bit. In
/// wasm by pairs of lanes (`rotate_pairs`); natively the loop, which the compiler vectorises to
/// the strip's width.
#[inline(always)]
pub(crate) fn rotate_lanes<const W: usize>(x: &mut [f64; W], y: &mut [f64; W], c: f64, t: f64) {
    #[cfg(target_arch = "wasm32")]
    rotate_pairs(x, y, c, t);
    #[cfg(not(target_arch = "wasm32"))]
    for l in 0..W {
        let (u, v) = (x[l], y[l]);
        x[l] = c * u + t * v;
        y[l] = -t * u + c * v;
    }
}

/// `rotate_lanes` in f64x2 operations (the same IEEE products and sums per lane; c v - t u is
/// -t u + c v to the bit): LLVM does not vectorise the loop for wasm on its own. wasm's width
/// (4) is even.
#[cfg(target_arch = "wasm32")]
#[inline(always)]
fn rotate_pairs<const W: usize>(x: &mut [f64; W], y: &mut [f64; W], c: f64, t: f64) {
    use crate::simd2::F64x2;
    const { assert!(W.is_multiple_of(2), "the strip is whole pairs of lanes") };
    let (cc, tt) = (F64x2::splat(c), F64x2::splat(t));
    for (xp, yp) in x.as_chunks_mut::<2>().0.iter_mut().zip(y.as_chunks_mut::<2>().0) {
        let (u, v) = (F64x2::load(xp), F64x2::load(yp));
        (cc * u + tt * v).store(xp);
        (cc * v - tt * u).store(yp);
    }
}

/// Some consecutive strips of an n x n matrix stored by strips of W columns: strip s holds
/// columns W s.. as n consecutive rows of W values (the last strip padded with zeros), so a sweep
/// down a strip reads memory in order. Strips are independent under row rotations, so different
/// threads can hold different ones.
pub(crate) struct Strips<const W: usize> {
    n: usize,
    /// The index of the first strip held.
    first: usize,
    data: Vec<[f64; W]>,
}

impl<const W: usize> Strips<W> {
    /// The number of strips of an n x n matrix.
    pub fn count(n: usize) -> usize {
        n.div_ceil(W)
    }

    /// Strips `held` of the n x n identity.
    pub fn identity(n: usize, held: Range<usize>) -> Self {
        let mut data = vec![[0.0; W]; n * held.len()];
        for (k, s) in held.clone().enumerate() {
            for (l, col) in (W * s..(W * s + W).min(n)).enumerate() {
                data[k * n + col][l] = 1.0;
            }
        }
        Strips { n, first: held.start, data }
    }

    /// Strip `s` (an index among all strips; it must be held).
    pub fn strip_mut(&mut self, s: usize) -> &mut [[f64; W]] {
        let k = s - self.first;
        &mut self.data[k * self.n..(k + 1) * self.n]
    }

    /// The columns these strips hold, as an n x k row-major block (k of them, the padding left
    /// out).
    pub fn columns(&self) -> Vec<f64> {
        let n = self.n;
        let cols = (W * (self.first + self.data.len() / n.max(1))).min(n) - (W * self.first).min(n);
        let mut block = vec![0.0; n * cols];
        for (k, strip) in self.data.chunks(n.max(1)).enumerate() {
            let (c0, width) = (W * k, W.min(cols - W * k));
            for (i, lanes) in strip.iter().enumerate() {
                block[i * cols + c0..i * cols + c0 + width].copy_from_slice(&lanes[..width]);
            }
        }
        block
    }

    /// Writes the columns these strips hold into `out`.
    pub fn write_to(&self, out: &mut Matrix) {
        for (k, strip) in self.data.chunks(self.n.max(1)).enumerate() {
            let cols = W * (self.first + k)..(W * (self.first + k) + W).min(self.n);
            for (i, lanes) in strip.iter().enumerate() {
                out.row_mut(i)[cols.clone()].copy_from_slice(&lanes[..cols.len()]);
            }
        }
    }
}

/// Up to GROUP sweeps over the rows of a strip, tabulated for the wavefront. Sweep k rotates the
/// pairs (v, v + 1) for v = start_k, start_k + 1, ... in that order, the one at v with the
/// coefficients (c, t) of `rotate_lanes`.
pub(crate) struct SweepGroup {
    /// Sweep k's range of v.
    spans: [(usize, usize); GROUP],
    /// By time t = v + k: sweep k's coefficients at v (meaningful inside its span only).
    table: Vec<[(f64, f64); GROUP]>,
}

impl SweepGroup {
    /// Sweeps given as (start, coefficients) in the order they apply, at most GROUP of them, on
    /// a strip of `rows` rows (each ends by the last pair, rows - 2).
    pub fn new(rows: usize, sweeps: &[(usize, &[(f64, f64)])]) -> Self {
        assert!(sweeps.len() <= GROUP, "at most {GROUP} sweeps run together");
        let mut spans = [(0, 0); GROUP];
        let mut table = vec![[(1.0, 0.0); GROUP]; rows + GROUP];
        for (k, &(start, coef)) in sweeps.iter().enumerate() {
            assert!(coef.is_empty() || start + coef.len() < rows, "sweep {k} runs past the last row");
            spans[k] = (start, start + coef.len());
            for (i, &ct) in coef.iter().enumerate() {
                table[start + i + k][k] = ct;
            }
        }
        SweepGroup { spans, table }
    }

    /// Applies the sweeps to the rows of one strip, as if one after another, with the vector
    /// unit that holds a row in one register where the machine has it. Never inlined: in wasm,
    /// V8 first runs a function as baseline code and swaps in optimised code only at a later
    /// call, so a kernel inlined into one long call (all of Q_r) would run as baseline code
    /// throughout (about 1.3x slower).
    #[inline(never)]
    pub fn apply<const W: usize>(&self, rows: &mut [[f64; W]]) {
        #[cfg(target_arch = "x86_64")]
        {
            if W == 8 && std::arch::is_x86_feature_detected!("avx512f") {
                // SAFETY: the CPU has AVX-512F (checked above).
                return unsafe { self.apply_avx512(rows) };
            }
            if W == 4 && std::arch::is_x86_feature_detected!("avx") {
                // SAFETY: the CPU has AVX (checked above).
                return unsafe { self.apply_avx(rows) };
            }
        }
        self.apply_lanes(rows)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    fn apply_avx512<const W: usize>(&self, rows: &mut [[f64; W]]) {
        self.apply_lanes(rows)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx")]
    fn apply_avx<const W: usize>(&self, rows: &mut [[f64; W]]) {
        self.apply_lanes(rows)
    }

    #[inline(always)]
    fn apply_lanes<const W: usize>(&self, rows: &mut [[f64; W]]) {
        let n = rows.len();
        if n < 2 {
            return;
        }
        // The times at which every sweep is active: no test per sweep inside.
        let lo = (0..GROUP).map(|k| self.spans[k].0 + k).max().unwrap_or(0);
        let hi = (0..GROUP).map(|k| self.spans[k].1 + k).min().unwrap_or(0);
        let mut carry = [[0.0; W]; GROUP];
        carry[0] = rows[0];
        let end = n + GROUP - 1;
        let steady = lo.min(end)..hi.max(lo).min(end);
        for t in 0..steady.start {
            self.step_checked(rows, &mut carry, t);
        }
        for t in steady.clone() {
            // Every sweep active at t, and t + 1 < n because every span ends before n - 1.
            let mut x = rows[t + 1];
            let coef = &self.table[t];
            for k in 0..GROUP {
                rotate_lanes(&mut carry[k], &mut x, coef[k].0, coef[k].1);
                std::mem::swap(&mut carry[k], &mut x);
            }
            // t >= lo >= GROUP - 1: the last sweep is past row 0.
            rows[t + 1 - GROUP] = x;
        }
        for t in steady.end..end {
            self.step_checked(rows, &mut carry, t);
        }
    }

    /// Time t of the wavefront, testing which sweeps are active: an inactive one passes the row
    /// it holds on and keeps the one it is handed.
    #[inline(always)]
    fn step_checked<const W: usize>(&self, rows: &mut [[f64; W]], carry: &mut [[f64; W]; GROUP], t: usize) {
        let n = rows.len();
        let mut x = if t + 1 < n { rows[t + 1] } else { [0.0; W] };
        for (k, (held, &(from, to))) in carry.iter_mut().zip(&self.spans).enumerate() {
            if t >= k && (from..to).contains(&(t - k)) {
                let (c, s) = self.table[t][k];
                rotate_lanes(held, &mut x, c, s);
            }
            std::mem::swap(held, &mut x);
        }
        if t + 1 >= GROUP && t + 1 - GROUP < n {
            rows[t + 1 - GROUP] = x;
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::linalg::rotate_pair;
    use crate::rng::Rng;

    /// The sweeps run one after another along whole rows of a row-major matrix.
    fn one_after_another(a: &mut [Vec<f64>], sweeps: &[(usize, Vec<(f64, f64)>)]) {
        for (start, coef) in sweeps {
            for (i, &(c, t)) in coef.iter().enumerate() {
                let v = start + i;
                let (upper, lower) = a.split_at_mut(v + 1);
                rotate_pair(&mut upper[v], &mut lower[0], c, t);
            }
        }
    }

    /// The group applied to the rows of `a` (8 columns) in strips of width W, as bits by rows.
    fn by_strips<const W: usize>(group: &SweepGroup, a: &[Vec<f64>]) -> Vec<u64> {
        let mut out = vec![0; a.len() * 8];
        for s in 0..8 / W {
            let mut strip: Vec<[f64; W]> = a.iter().map(|row| std::array::from_fn(|l| row[W * s + l])).collect();
            group.apply(&mut strip);
            for (r, lanes) in strip.iter().enumerate() {
                for (l, v) in lanes.iter().enumerate() {
                    out[r * 8 + W * s + l] = v.to_bits();
                }
            }
        }
        out
    }

    #[test]
    fn a_wavefront_gives_every_entry_the_bits_of_the_sweeps_one_after_another() {
        let mut rng = Rng::new(5);
        for (n, count) in [(2, 1), (3, 2), (5, 8), (9, 3), (17, 8), (40, 8), (41, 5), (64, 8)] {
            // Staggered starts and ends, including an empty sweep and ones of a single rotation.
            let sweeps: Vec<(usize, Vec<(f64, f64)>)> = (0..count)
                .map(|k| {
                    let start = (k * 7 + n / 3) % (n - 1);
                    let len = if k == 2 { 0 } else { (n - 1 - start).min(1 + (k * 13 + n) % (n - 1)) };
                    let coef = (0..len).map(|_| libm::sincos(3.0 * rng.normal())).map(|(s, c)| (c, s)).collect();
                    (start, coef)
                })
                .collect();
            let a: Vec<Vec<f64>> = (0..n).map(|_| rng.normals(8)).collect();
            let mut want = a.clone();
            one_after_another(&mut want, &sweeps);
            let want: Vec<u64> = want.concat().iter().map(|v| v.to_bits()).collect();
            let group: Vec<(usize, &[(f64, f64)])> = sweeps.iter().map(|(s, c)| (*s, c.as_slice())).collect();
            let group = SweepGroup::new(n, &group);
            // Every width, each on the vector unit this machine has for it.
            assert_eq!(by_strips::<8>(&group, &a), want, "n = {n}, {count} sweeps, width 8");
            assert_eq!(by_strips::<4>(&group, &a), want, "n = {n}, {count} sweeps, width 4");
            assert_eq!(by_strips::<2>(&group, &a), want, "n = {n}, {count} sweeps, width 2");
        }
    }
}
