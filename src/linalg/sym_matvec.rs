//! y = A x for a symmetric A that reads the lower triangle only, once, and still gives every
//! y_k the bits of `dot(row k, x)`: half the memory traffic of the row-by-row product.
//!
//! `dot` adds the term j of <a, b> into partial sum j mod LANES while j lies in the whole chunks
//! (j < body = n - n mod LANES), the rest into a tail summed in order from -0.0, and returns
//! combine(partial sums) + tail. For y_k the terms j <= k are row k's own (A_kj x_j); the terms
//! j > k are A_jk x_j, read from the rows j below. Visiting the rows in increasing order, each
//! output therefore receives the terms of each of its sums in increasing j, the order in which
//! `dot` adds them. So every output keeps its LANES partial sums and its tail, stored as LANES + 1
//! planes of n values (plane q holds partial sum q of every output, plane LANES the tails), and
//! row i adds A_ik x_i to the outputs k < i by one contiguous pass over plane q(i) (i mod LANES,
//! or the tail plane for i >= body), fused with its own dot product.
//!
//! The arithmetic is the same on every vector width (products and sums, never fused), so the
//! AVX-512 and AVX builds of the kernel, the SSE2 one and wasm's give the same bits.
//!
//! The planes are scratch that each thread keeps from one product to the next (a run's every
//! step makes one): the kernel writes every value before it reads it, so what a product leaves in
//! them never reaches the next one's bits.

use crate::norm::{combine, DOT_LANES as LANES};
use std::cell::RefCell;

thread_local! {
    /// This thread's planes, grown to the largest n it has multiplied by.
    static PLANES: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
}

/// y = A x for the n x n row-major `a`, read as the symmetric matrix with its lower triangle.
pub(super) fn sym_matvec_into(a: &[f64], n: usize, x: &[f64], y: &mut [f64]) {
    assert!(a.len() == n * n && x.len() == n && y.len() == n, "sym_matvec_into: sizes differ from n = {n}");
    PLANES.with_borrow_mut(|planes| {
        if planes.len() < (LANES + 1) * n {
            planes.resize((LANES + 1) * n, 0.0);
        }
        lower_widest(a, n, x, y, &mut planes[..(LANES + 1) * n]);
    })
}

/// The kernel of the widest vectors this CPU has, on the caller's (LANES + 1) n planes.
fn lower_widest(a: &[f64], n: usize, x: &[f64], y: &mut [f64], planes: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F (checked above).
            return unsafe { lower_avx512(a, n, x, y, planes) };
        }
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: the CPU has AVX (checked above).
            return unsafe { lower_avx(a, n, x, y, planes) };
        }
    }
    lower::<2>(a, n, x, y, planes)
}

/// Eight rows at a time: with 32 registers of eight lanes, eight chains of additions in flight.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn lower_avx512(a: &[f64], n: usize, x: &[f64], y: &mut [f64], planes: &mut [f64]) {
    lower::<8>(a, n, x, y, planes)
}

/// Two rows at a time, as the portable kernel (SSE2, wasm's simd128): more would not stay in
/// sixteen registers.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
fn lower_avx(a: &[f64], n: usize, x: &[f64], y: &mut [f64], planes: &mut [f64]) {
    lower::<2>(a, n, x, y, planes)
}

/// The kernel (module docs) with rows R at a time, inlined into each vector width's copy, on
/// (LANES + 1) n planes whose contents do not matter: row k stores output k's partial sums
/// before any later row adds to them, and the tails are set to -0.0 first.
#[inline(always)]
fn lower<const R: usize>(a: &[f64], n: usize, x: &[f64], y: &mut [f64], planes: &mut [f64]) {
    const { assert!(LANES.is_multiple_of(R), "a block of rows must not straddle a chunk") };
    let body = n - n % LANES;
    let (lanes, tails) = planes.split_at_mut(LANES * n);
    for i in (0..body).step_by(R) {
        block_of_rows::<R>(a, n, x, i, lanes);
    }
    // Each tail starts from -0.0, as `dot`'s does.
    tails.fill(-0.0);
    for i in body..n {
        tail_row(a, n, x, i, lanes, tails);
    }
    for (k, yk) in y.iter_mut().enumerate() {
        *yk = combine(std::array::from_fn(|l| lanes[l * n + k])) + tails[k];
    }
}

/// Rows i..i + R, all before the tail (i + R <= body): first the columns j < i they share, with
/// one partial sum per row and lane in registers and R independent chains of additions, then
/// the R x R triangle row by row; each row's partial sums are then stored into column i + q of
/// the planes (no row has added there yet: the rows that do come after it). Row r adds A_rj x_r
/// into plane r mod LANES at each j < r.
#[inline(always)]
fn block_of_rows<const R: usize>(a: &[f64], n: usize, x: &[f64], i: usize, lanes: &mut [f64]) {
    let q0 = i % LANES;
    let rows: [&[f64]; R] = std::array::from_fn(|q| &a[(i + q) * n..(i + q) * n + i + q + 1]);
    let xr: [f64; R] = std::array::from_fn(|q| x[i + q]);
    let mut acc = [[0.0f64; LANES]; R];
    let full = i / LANES * LANES;
    {
        let mut planes = lanes[q0 * n..(q0 + R) * n].chunks_exact_mut(n);
        let planes: [&mut [[f64; LANES]]; R] =
            std::array::from_fn(|_| planes.next().expect("R planes").as_chunks_mut().0);
        let hs: [&[[f64; LANES]]; R] = std::array::from_fn(|q| rows[q][..full].as_chunks().0);
        let xs = x[..full].as_chunks::<LANES>().0;
        // Every chunk is copied into registers before the planes are written, so that the
        // compiler need not fear that a store changes a later load.
        for c in 0..xs.len() {
            let xc = xs[c];
            for q in 0..R {
                let (h, mut p) = (hs[q][c], planes[q][c]);
                for l in 0..LANES {
                    acc[q][l] += h[l] * xc[l];
                    p[l] += h[l] * xr[q];
                }
                planes[q][c] = p;
            }
        }
    }
    // The rest of the shared columns: the first i mod LANES lanes of the last chunk.
    for j in full..i {
        for q in 0..R {
            acc[q][j % LANES] += rows[q][j] * x[j];
            lanes[(q0 + q) * n + j] += rows[q][j] * xr[q];
        }
    }
    for q in 0..R {
        let r = i + q;
        for j in i..r {
            acc[q][j % LANES] += rows[q][j] * x[j];
            lanes[(r % LANES) * n + j] += rows[q][j] * xr[q];
        }
        acc[q][r % LANES] += rows[q][r] * xr[q];
        for (l, s) in acc[q].iter().enumerate() {
            lanes[l * n + r] = *s;
        }
    }
}

/// Row i in the tail (i >= body): its terms j < body in the LANES partial sums (whole chunks
/// only), the terms body <= j <= i into its tail in order; it adds A_ij x_i into the tail plane
/// at each j < i (for output j that term lies in the tail).
#[inline(always)]
fn tail_row(a: &[f64], n: usize, x: &[f64], i: usize, lanes: &mut [f64], tails: &mut [f64]) {
    let body = n - n % LANES;
    let row = &a[i * n..i * n + i + 1];
    let xi = x[i];
    let (tails_before, tails_from_i) = tails.split_at_mut(i);
    let hs = row[..body].as_chunks::<LANES>().0;
    let xs = x[..body].as_chunks::<LANES>().0;
    let ts = tails_before[..body].as_chunks_mut::<LANES>().0;
    let mut acc = [0.0f64; LANES];
    for c in 0..hs.len() {
        let (h, xc, mut t) = (hs[c], xs[c], ts[c]);
        for l in 0..LANES {
            acc[l] += h[l] * xc[l];
            t[l] += h[l] * xi;
        }
        ts[c] = t;
    }
    let mut tail = tails_from_i[0];
    for j in body..i {
        tail += row[j] * x[j];
        tails_before[j] += row[j] * xi;
    }
    tail += row[i] * xi;
    for (l, s) in acc.iter().enumerate() {
        lanes[l * n + i] = *s;
    }
    tails_from_i[0] = tail;
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "../../tests/support/awkward.rs"]
mod awkward;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::norm::dot;
    use crate::rng::Rng;

    /// A symmetric matrix of awkward numbers (normals of several scales with exact zeros,
    /// negative zeros and subnormals), so that every sign and rounding case of the sums occurs.
    fn awkward_symmetric(n: usize, rng: &mut Rng) -> Vec<f64> {
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..=i {
                let v = super::awkward::awkward(rng.normal(), i * 7 + j * 3);
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        a
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    /// The first (LANES + 1) n values of `garbage` as planes, every third set to `fill`, the rest
    /// what the products before left there.
    fn scribbled(garbage: &mut [f64], n: usize, fill: f64) -> &mut [f64] {
        let planes = &mut garbage[..(LANES + 1) * n];
        planes.iter_mut().step_by(3).for_each(|v| *v = fill);
        planes
    }

    /// Each kernel runs on planes holding garbage (NaN, and what the product before left there),
    /// as the thread's reused planes do.
    #[test]
    fn every_output_has_the_bits_of_its_rows_dot_product() {
        let mut rng = Rng::new(15);
        let sizes = (1..=40).chain([63, 64, 65, 1000, 17]);
        let mut garbage = vec![f64::NAN; (LANES + 1) * 1000];
        for n in sizes {
            let a = awkward_symmetric(n, &mut rng);
            let mut x = rng.normals(n);
            // Zeros of both signs and a subnormal in x too.
            x[0] = -0.0;
            if n > 3 {
                x[1] = 0.0;
                x[n - 1] *= 1e-310;
            }
            let want: Vec<f64> = (0..n).map(|i| dot(&a[i * n..(i + 1) * n], &x)).collect();
            let mut y = vec![f64::NAN; n];
            // The portable kernel with blocks of every size, and each vector width this machine
            // has.
            for (r, kernel) in [
                (1, lower::<1> as fn(&[f64], usize, &[f64], &mut [f64], &mut [f64])),
                (2, lower::<2>),
                (4, lower::<4>),
                (8, lower::<8>),
            ] {
                y.fill(f64::NAN);
                kernel(&a, n, &x, &mut y, scribbled(&mut garbage, n, f64::NAN));
                assert_eq!(bits(&y), bits(&want), "portable, {r} rows at a time, n = {n}");
            }
            #[cfg(target_arch = "x86_64")]
            {
                if std::arch::is_x86_feature_detected!("avx512f") {
                    // SAFETY: the CPU has AVX-512F.
                    unsafe { lower_avx512(&a, n, &x, &mut y, scribbled(&mut garbage, n, f64::INFINITY)) };
                    assert_eq!(bits(&y), bits(&want), "AVX-512, n = {n}");
                }
                if std::arch::is_x86_feature_detected!("avx") {
                    // SAFETY: the CPU has AVX.
                    unsafe { lower_avx(&a, n, &x, &mut y, scribbled(&mut garbage, n, -1.0)) };
                    assert_eq!(bits(&y), bits(&want), "AVX, n = {n}");
                }
            }
            // And against the plain sum, to rounding (n eps sum_j |A_ij x_j|): the right products.
            for (i, yi) in y.iter().enumerate() {
                let plain: f64 = (0..n).map(|j| a[i * n + j] * x[j]).sum();
                let size: f64 = (0..n).map(|j| (a[i * n + j] * x[j]).abs()).sum();
                assert!(
                    (yi - plain).abs() <= 2.0 * n as f64 * f64::EPSILON * size,
                    "n = {n}, row {i}: {yi} vs {plain}"
                );
            }
        }
    }

    #[test]
    fn only_the_lower_triangle_is_read() {
        let mut rng = Rng::new(16);
        // Smaller after larger: the thread's planes then hold a larger product's leftovers.
        for n in [64, 1, 17, 9] {
            let a = awkward_symmetric(n, &mut rng);
            let mut scribbled = a.clone();
            for i in 0..n {
                for j in i + 1..n {
                    scribbled[i * n + j] = f64::NAN;
                }
            }
            let x = rng.normals(n);
            let (mut want, mut got) = (vec![0.0; n], vec![0.0; n]);
            sym_matvec_into(&a, n, &x, &mut want);
            sym_matvec_into(&scribbled, n, &x, &mut got);
            assert_eq!(bits(&got), bits(&want), "n = {n}");
        }
    }
}
