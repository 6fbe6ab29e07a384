//! Problem generators: an eigenvalue spectrum, and a rotation knob that moves the Hessian from
//! diagonal to Haar-randomly rotated while keeping the eigenvalues exactly.
//!
//! Rotation construction (docs/theory.md, "The generator"). The Givens reduction of a matrix Z
//! with i.i.d. N(0, 1) entries to upper triangular form, P_m ... P_1 Z = R (m = d(d-1)/2, each
//! P_k acting on two adjacent rows with angle a_k = atan2(b, a)), gives Q = P_1^T ... P_m^T, and
//! Q D with D = diag(sign R_ii) is Haar-distributed on O(d) (Mezzadri 2007). D commutes with
//! Lambda, so H = (QD) Lambda (QD)^T = Q Lambda Q^T. The angles need no reduction: column j's
//! rotations see only column j, which the earlier columns' rotations leave i.i.d. N(0, 1) and
//! independent of the angles already found, so running each column's chain on a fresh Gaussian
//! vector of length d - j draws angles with the reduction's joint law in O(d^2) (`chain_angles`).
//! The knob r in [0, 1] scales every angle:
//!   Q_r = P_1(r a_1)^T ... P_m(r a_m)^T,   H_r = Q_r Lambda Q_r^T.
//! Q_0 = I gives the diagonal Hessian (rho_diag = 1); Q_1 gives the Haar-rotated one. Every Q_r is
//! a product of rotations, so it is orthogonal and H_r has exactly the eigenvalues Lambda (up to
//! rounding, about 1e-15 relative per rotation applied). Cost O(d^3): Q_r, then H_r.

use crate::linalg::givens::{by_width, rotate_lanes, Strips, SweepGroup, GROUP};
use crate::linalg::Matrix;
use crate::norm::dot;
use crate::parallel::{self, balanced, Tick};
use crate::rng::Rng;
use serde::{Deserialize, Serialize};
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpectrumKind {
    /// Evenly spaced from lambda_min to lambda_max.
    Uniform,
    /// lambda_max (lambda_min / lambda_max)^(i / (d - 1)): condition number lambda_max / lambda_min.
    Geometric,
    /// k eigenvalues at lambda_max above a bulk of d - k at lambda_min.
    Outliers,
}

/// The eigenvalues, ascending.
pub fn spectrum(kind: SpectrumKind, d: usize, lambda_min: f64, lambda_max: f64, outliers: usize) -> Vec<f64> {
    let frac = |i: usize| if d > 1 { i as f64 / (d - 1) as f64 } else { 1.0 };
    let mut lam: Vec<f64> = match kind {
        SpectrumKind::Uniform => (0..d).map(|i| lambda_min + (lambda_max - lambda_min) * frac(i)).collect(),
        SpectrumKind::Geometric => (0..d).map(|i| lambda_min * libm::pow(lambda_max / lambda_min, frac(i))).collect(),
        SpectrumKind::Outliers => {
            (0..d).map(|i| if i + outliers.min(d) >= d { lambda_max } else { lambda_min }).collect()
        }
    };
    if d >= 2 && kind != SpectrumKind::Outliers {
        // Pin the ends exactly (pow and sums can miss them by an ulp).
        lam[0] = lambda_min;
        lam[d - 1] = lambda_max;
    }
    lam
}

/// The Givens factorisation of a Haar-random orthogonal matrix (see the module docs).
#[derive(Clone, Debug)]
pub struct HaarRotation {
    d: usize,
    /// The angle of each rotation in the order P_1, ..., P_m: column j's (rows (i - 1, i) for
    /// i = d - 1 down to j + 1) from `first_of(d, j)` on.
    angles: Vec<f64>,
}

impl HaarRotation {
    /// The angles of the Givens reduction of a Gaussian d x d matrix, drawn from `rng` column by
    /// column (`chain_angles`).
    pub fn new(d: usize, rng: &mut Rng) -> Self {
        HaarRotation { d, angles: (0..d.saturating_sub(1)).flat_map(|j| chain_angles(&rng.normals(d - j))).collect() }
    }

    pub fn dim(&self) -> usize {
        self.d
    }

    /// Q_r = P_1(r a_1)^T ... P_m(r a_m)^T, accumulated by row rotations (Q <- P_k^T Q for
    /// k = m, ..., 1). Q_1 is the Haar-random rotation (up to column signs).
    pub fn matrix(&self, r: f64) -> Matrix {
        self.matrix_watched(r, &mut |_| ())
    }

    fn matrix_watched(&self, r: f64, done: &mut dyn FnMut(f64)) -> Matrix {
        by_width!(accumulate(self, r, done))
    }

    /// Part `part` of `parts` of Q_r's columns, for a pool that shares the work (the page's
    /// workers): a block of consecutive columns, row-major (none when the cut has fewer parts),
    /// telling `tick(fraction)`. `Matrix::from_column_blocks` of the parts in order is
    /// `matrix(r)`, to the bit: each column is rotated by the same code in any part.
    pub fn matrix_part(&self, r: f64, part: usize, parts: usize, tick: Tick) -> Vec<f64> {
        by_width!(columns_part(self, r, part, parts, tick))
    }
}

/// The index of column j's first rotation among the d (d - 1) / 2: each column j' before it has
/// d - 1 - j'.
fn first_of(d: usize, j: usize) -> usize {
    j * (d - 1) - j * j.saturating_sub(1) / 2
}

/// The angles of one column's chain of the Givens reduction, z being the column's entries from
/// its diagonal down: climbing from the last row, the rotation of rows (i - 1, i) has the angle
/// atan2(b, a) of the pair (a, b) = (z_{i-1}, running entry at i), and leaves at row i - 1 the
/// running entry c a + s b (the norm of the entries folded so far).
///
/// In the reduction of a Gaussian Z the rotations found from earlier columns act on column j
/// through orthogonal maps fixed by those columns alone; Z's columns are independent and an
/// i.i.d. N(0, 1) vector's law is rotation invariant, so column j meets its chain i.i.d. N(0, 1)
/// and independent of every angle found before. A fresh Gaussian z of length d - j per column
/// therefore draws all m angles with the reduction's joint law (Q_r has the same distribution
/// for every r), in O(d^2) instead of the reduction's O(d^3): the first angle uniform on
/// (-pi, pi], the k-th (k >= 2, the running entry then the norm of k Gaussians) in [0, pi]
/// with density proportional to sin^(k - 1) (docs/theory.md).
/// The arithmetic is the reduction's on that column, libm and the same order: the running entry
/// is the `rotate_lanes` output c a - (-s) b.
fn chain_angles(z: &[f64]) -> Vec<f64> {
    let Some((&last, above)) = z.split_last() else { return Vec::new() };
    let mut b = last;
    above
        .iter()
        .rev()
        .map(|&a| {
            let angle = if a == 0.0 && b == 0.0 { 0.0 } else { libm::atan2(b, a) };
            let (c, s) = (libm::cos(angle), libm::sin(angle));
            b = s * b + c * a;
            angle
        })
        .collect()
}

/// Q_r from the rotations, held by strips of W columns, telling `done(fraction)` along the way.
///
/// A row rotation acts on each column separately, so the strips are independent: they are cut
/// into pieces of about equal work, each run on its own (on every core natively, `parallel`)
/// with every rotation applied to its strips in the order below, so every entry gets the same
/// bits whatever the cut and the number of threads.
fn accumulate<const W: usize>(rotation: &HaarRotation, r: f64, done: &mut dyn FnMut(f64)) -> Matrix {
    let (d, coef) = (rotation.d, coefficients(rotation, r));
    let pieces = strip_pieces::<W>(d, parallel::pieces());
    let parts = parallel::map_all(&pieces, |held, tick| rotate_strips::<W>(d, &coef, held.clone(), tick), done);
    let mut out = Matrix::zeros(d);
    for part in parts {
        part.write_to(&mut out);
    }
    out
}

/// Part `part` of `parts` of Q_r's columns (`HaarRotation::matrix_part`).
fn columns_part<const W: usize>(rotation: &HaarRotation, r: f64, part: usize, parts: usize, tick: Tick) -> Vec<f64> {
    match strip_pieces::<W>(rotation.d, parts).get(part) {
        Some(held) => rotate_strips::<W>(rotation.d, &coefficients(rotation, r), held.clone(), tick).columns(),
        None => Vec::new(),
    }
}

/// Each column's coefficients (c, t) = (cos, -sin) of its scaled angles, in the order applied:
/// the reverse of the order found.
fn coefficients(rotation: &HaarRotation, r: f64) -> Vec<(f64, f64)> {
    let d = rotation.d;
    let mut coef = Vec::with_capacity(rotation.angles.len());
    for j in 0..d.saturating_sub(1) {
        let first = first_of(d, j);
        coef.extend(rotation.angles[first..first + d - 1 - j].iter().rev().map(|&angle| {
            let a = r * angle;
            (libm::cos(a), -libm::sin(a))
        }));
    }
    coef
}

/// The strips of W columns cut into at most `count` pieces of about equal work: strip s meets
/// the groups of columns that start before its end, each over d - j0 rows.
fn strip_pieces<const W: usize>(d: usize, count: usize) -> Vec<Range<usize>> {
    let work: Vec<f64> = (0..Strips::<W>::count(d))
        .map(|s| (0..(W * s + W).min(d)).step_by(GROUP).map(|j0| (d - j0) as f64).sum())
        .collect();
    balanced(&work, count)
}

/// Strips `held` of Q_r: the identity's, rotated by `coef` (each column's coefficients in the
/// order applied, by column), telling `tick(fraction)` before each group of columns: after k of
/// the m rotations (in the order applied) about (k / m)^1.5 of the work is done.
///
/// P_k^T = [[c, -s], [s, c]] on rows (p, p + 1), from column j on. The rotations applied before
/// column j's (those of later columns) left Q equal to the identity outside rows and columns
/// after j, so the entries before column j of both rows are zero and stay untouched. Columns are
/// taken by groups of GROUP from the last: the group's own strips one rotation at a time, each
/// from its column on, then every later strip by one wavefront (linalg::givens). Never inlined:
/// Q_r whole and its parts share one copy in the page's wasm.
#[inline(never)]
fn rotate_strips<const W: usize>(d: usize, coef: &[(f64, f64)], held: Range<usize>, tick: Tick) -> Strips<W> {
    let mut q = Strips::<W>::identity(d, held.clone());
    let m = coef.len().max(1) as f64;
    for j0 in (0..d.saturating_sub(1)).step_by(GROUP).rev() {
        let j1 = (j0 + GROUP).min(d - 1);
        tick((((d - 1 - j1) * (d - j1) / 2) as f64 / m).powf(1.5));
        // Sweep k is column j1 - 1 - k: its rotations (p, j) for p = j..d - 1.
        let own = |j: usize| &coef[first_of(d, j)..first_of(d, j) + d - 1 - j];
        let group_strips = j0 / W..((j0 + GROUP) / W).min(Strips::<W>::count(d));
        for j in (j0..j1).rev() {
            for strip in (j / W).max(held.start)..group_strips.end.min(held.end) {
                let from = j.saturating_sub(strip * W);
                let rows = q.strip_mut(strip);
                for (i, &(c, t)) in own(j).iter().enumerate() {
                    let (mut x, mut y) = (rows[j + i], rows[j + i + 1]);
                    rotate_lanes(&mut x, &mut y, c, t);
                    for l in from..W {
                        (rows[j + i][l], rows[j + i + 1][l]) = (x[l], y[l]);
                    }
                }
            }
        }
        let later = group_strips.end.max(held.start)..held.end;
        if !later.is_empty() {
            let sweeps: Vec<(usize, &[(f64, f64)])> = (j0..j1).rev().map(|j| (j - j0, own(j))).collect();
            let group = SweepGroup::new(d - j0, &sweeps);
            for strip in later {
                group.apply(&mut q.strip_mut(strip)[j0..]);
            }
        }
    }
    q
}

/// H_r = Q_r diag(lambda) Q_r^T. Q_r is accumulated by row rotations (Q <- P_k(r a_k)^T Q for
/// k = m, ..., 1), then H_ij = H_ji = dot(Q_i lambda, Q_j) for j <= i (Matrix::weighted_gram).
pub fn rotated_hessian(lambda: &[f64], rotation: &HaarRotation, r: f64) -> Matrix {
    rotated_hessian_watched(lambda, rotation, r, &mut |_| ())
}

/// `rotated_hessian`, telling `done(fraction)` along the way: Q_r takes the first half, the
/// product the second.
pub fn rotated_hessian_watched(lambda: &[f64], rotation: &HaarRotation, r: f64, done: &mut dyn FnMut(f64)) -> Matrix {
    assert_eq!(lambda.len(), rotation.d, "spectrum and rotation dimensions differ");
    if r == 0.0 {
        return Matrix::diagonal(lambda);
    }
    let q = rotation.matrix_watched(r, &mut |f| done(0.5 * f));
    q.weighted_gram(lambda, &mut |f| done(0.5 + 0.5 * f))
}

/// Q diag(lambda) Q^T for a Haar-random orthogonal Q, built as Stewart (1980) builds Q: a product
/// of Householder reflections of Gaussian vectors of falling length, times random signs. The
/// reflections are applied two-sided from the innermost out, so step k touches only the trailing
/// (d - k) x (d - k) block, and only its lower triangle: one pass over it both applies the step
/// and forms the next step's product p = B u, so the matrix streams through memory once per step.
/// (2/3) d^3 multiply-adds in all. Used to set a given Hessian against one with its spectrum but
/// no preferred basis.
pub fn haar_similar(lambda: &[f64], rng: &mut Rng) -> Matrix {
    let d = lambda.len();
    let mut a = Matrix::diagonal(lambda);
    if d < 2 {
        return a;
    }
    // Reflector k acts on coordinates k..d: H_k = I - 2 u u^T with u = (x + sign(x_0) ||x|| e_1)
    // normalised, which maps the Gaussian x onto the first axis.
    let reflectors: Vec<Vec<f64>> = (0..d - 1)
        .map(|k| {
            let mut u = rng.normals(d - k);
            let norm = f64::sqrt(dot(&u, &u));
            u[0] += if u[0] < 0.0 { -norm } else { norm };
            let un = f64::sqrt(dot(&u, &u));
            u.iter_mut().for_each(|v| *v /= un);
            u
        })
        .collect();
    let signs: Vec<f64> = rng.normals(d).iter().map(|z| if *z < 0.0 { -1.0 } else { 1.0 }).collect();
    // Before step k the matrix is diag(lambda_0..lambda_{k-1}) (+) B on k..d, so B u needs only B.
    let k0 = d - 2;
    let mut p: Vec<f64> = reflectors[k0].iter().zip(&lambda[k0..]).map(|(u, l)| u * l).collect();
    for k in (0..=k0).rev() {
        let u = &reflectors[k];
        let m = d - k;
        // H B H = B - u w^T - w u^T with w = 2 p - 2 (u^T p) u.
        let up = dot(&p, u);
        let w: Vec<f64> = p.iter().zip(u).map(|(pi, ui)| 2.0 * pi - 2.0 * up * ui).collect();
        // The next step's p' = B' u' over coordinates k-1..d; row k-1 is still lambda_{k-1} e_1.
        let next = k.checked_sub(1).map(|k1| &reflectors[k1]);
        let mut p_next = vec![0.0; m + 1];
        if let Some(un) = next {
            p_next[0] = lambda[k - 1] * un[0];
        }
        for i in 0..m {
            let (ui, wi) = (u[i], w[i]);
            let row = &mut a.row_mut(k + i)[k..=k + i];
            for ((v, wj), uj) in row.iter_mut().zip(&w[..=i]).zip(&u[..=i]) {
                *v -= ui * wj + wi * uj;
            }
            if let Some(un) = next {
                // Lower-triangle symmetric product: row i gives p'_i its j <= i terms and each
                // p'_j (j < i) its term from column i.
                let (own, below) = (un[1 + i], &un[1..=i]);
                p_next[1 + i] += dot(&row[..i], below) + row[i] * own;
                for (pj, v) in p_next[1..=i].iter_mut().zip(&row[..i]) {
                    *pj += v * own;
                }
            }
        }
        p = p_next;
    }
    for i in 0..d {
        for j in 0..i {
            let v = a.get(i, j) * signs[i] * signs[j];
            a.set(i, j, v);
            a.set(j, i, v);
        }
    }
    a
}

/// A 2-D quadratic's Hessian: eigenvalues l1, l2 along axes turned by `angle_deg`.
pub fn hessian_2d(l1: f64, l2: f64, angle_deg: f64) -> Matrix {
    let t = angle_deg.to_radians();
    let (c, s) = (libm::cos(t), libm::sin(t));
    Matrix::from_rows(&[
        vec![c * c * l1 + s * s * l2, c * s * (l1 - l2)],
        vec![c * s * (l1 - l2), s * s * l1 + c * c * l2],
    ])
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::linalg::{rho_diag, rotate_pair};
    use crate::norm::dot;

    #[test]
    fn spectra_have_their_documented_shape() {
        assert_eq!(spectrum(SpectrumKind::Uniform, 3, 1.0, 3.0, 0), vec![1.0, 2.0, 3.0]);
        let g = spectrum(SpectrumKind::Geometric, 3, 1.0, 100.0, 0);
        assert!((g[1] - 10.0).abs() < 1e-12 && g[0] == 1.0 && g[2] == 100.0);
        assert_eq!(spectrum(SpectrumKind::Outliers, 4, 1.0, 100.0, 1), vec![1.0, 1.0, 1.0, 100.0]);
        assert_eq!(spectrum(SpectrumKind::Outliers, 2, 1.0, 100.0, 0), vec![1.0, 1.0]);
    }

    fn check_spectrum_kept(d: usize, r: f64, seed: u64) -> Matrix {
        let lam = spectrum(SpectrumKind::Geometric, d, 0.5, 200.0, 0);
        let rot = HaarRotation::new(d, &mut Rng::new(seed));
        let h = rotated_hessian(&lam, &rot, r);
        let got = h.sym_eigenvalues().unwrap();
        for (a, b) in got.iter().zip(&lam) {
            assert!((a - b).abs() <= 1e-10 * 200.0, "d={d} r={r}: {a} vs {b}");
        }
        h
    }

    /// The Givens reduction of the Gaussian matrix Z (drawn by rows), every rotation along whole
    /// rows: its angles in the order found, and column j of Z as its chain met it (the rotations
    /// of earlier columns applied), by column.
    fn reduction(d: usize, rng: &mut Rng) -> (Vec<f64>, Vec<Vec<f64>>) {
        let mut z: Vec<Vec<f64>> = (0..d).map(|_| rng.normals(d)).collect();
        let (mut angles, mut met) = (Vec::new(), Vec::new());
        for j in 0..d {
            met.push((j..d).map(|i| z[i][j]).collect());
            for i in (j + 1..d).rev() {
                let (a, b) = (z[i - 1][j], z[i][j]);
                let angle = if libm::hypot(a, b) == 0.0 { 0.0 } else { libm::atan2(b, a) };
                let (upper, lower) = z.split_at_mut(i);
                rotate_pair(&mut upper[i - 1][j..], &mut lower[0][j..], libm::cos(angle), libm::sin(angle));
                angles.push(angle);
            }
        }
        (angles, met)
    }

    /// Q_r and H_r from the rotation's angles as first written, every rotation along whole rows
    /// and H by row dot products: the reference for the strip-wise kernels' bits.
    fn one_rotation_at_a_time(rot: &HaarRotation, r: f64, lambda: &[f64]) -> (Matrix, Matrix) {
        let d = rot.d;
        // Column j's rotations act on rows (i - 1, i), i = d - 1 down to j + 1, from column j on.
        let pairs = (0..d).flat_map(|j| (j + 1..d).rev().map(move |i| (i - 1, j)));
        let mut q = Matrix::identity(d);
        for ((p, j), &angle) in pairs.zip(&rot.angles).collect::<Vec<_>>().into_iter().rev() {
            q.rotate_rows(p, j, libm::cos(r * angle), -libm::sin(r * angle));
        }
        let mut scaled = q.clone();
        for i in 0..d {
            scaled.row_mut(i).iter_mut().zip(lambda).for_each(|(v, l)| *v *= l);
        }
        let mut h = Matrix::zeros(d);
        for i in 0..d {
            for j in 0..=i {
                let v = dot(scaled.row(i), q.row(j));
                h.set(i, j, v);
                h.set(j, i, v);
            }
        }
        (q, h)
    }

    fn bits(m: &Matrix) -> Vec<u64> {
        m.to_rows().concat().iter().map(|v| v.to_bits()).collect()
    }

    #[test]
    fn each_chain_is_the_reductions_chain_on_the_column_it_meets() {
        let to_bits = |v: &[f64]| v.iter().map(|a| a.to_bits()).collect::<Vec<_>>();
        for (d, seed) in [(2, 1), (3, 2), (8, 3), (31, 4)] {
            let (angles, met) = reduction(d, &mut Rng::new(seed));
            let chained: Vec<f64> = met.iter().flat_map(|column| chain_angles(column)).collect();
            assert_eq!(to_bits(&chained), to_bits(&angles), "d = {d}");
        }
        // A zero pair keeps angle 0 (and the running entry 0).
        assert_eq!(chain_angles(&[1.0, 0.0, 0.0]), [0.0, 0.0]);
        assert_eq!(chain_angles(&[5.0]), Vec::<f64>::new());
    }

    /// The CDF of an angle of density proportional to sin^p on [0, pi], by the midpoint rule on
    /// a fine grid (p = 0: uniform).
    fn sin_power_cdf(p: i32) -> impl Fn(f64) -> f64 {
        let n = 20_000;
        let h = std::f64::consts::PI / n as f64;
        let mut cum = vec![0.0];
        for i in 0..n {
            let last = cum[i];
            cum.push(last + libm::sin((i as f64 + 0.5) * h).powi(p));
        }
        let total = cum[n];
        move |t: f64| {
            let x = (t / h).clamp(0.0, n as f64);
            let i = (x as usize).min(n - 1);
            (cum[i] + (x - i as f64) * (cum[i + 1] - cum[i])) / total
        }
    }

    /// sqrt(n) times the Kolmogorov-Smirnov distance of the sample from the CDF.
    fn ks(mut sample: Vec<f64>, cdf: impl Fn(f64) -> f64) -> f64 {
        sample.sort_by(f64::total_cmp);
        let n = sample.len() as f64;
        let d = sample.iter().enumerate().fold(0.0f64, |d, (i, &x)| {
            let f = cdf(x);
            d.max((f - i as f64 / n).abs()).max(((i + 1) as f64 / n - f).abs())
        });
        d * n.sqrt()
    }

    /// The k-th angle of a column's chain: the first uniform on (-pi, pi], the k-th (k >= 2)
    /// with density proportional to sin^(k - 1) on [0, pi]. Checked on the reduction's columns 0
    /// and 3 and on the chains' (and that the uniform law of a naive generator fails): sqrt(n) KS < 2 holds
    /// with probability 0.9993 for each sample of the right law.
    #[test]
    fn the_angles_follow_the_reductions_law() {
        let (d, n) = (12, 3000);
        let samples = |angles_of: &dyn Fn(u64) -> Vec<f64>, j: usize, k: usize| -> Vec<f64> {
            (0..n).map(|seed| angles_of(seed)[first_of(d, j) + k - 1]).collect()
        };
        let reduced = |seed: u64| reduction(d, &mut Rng::new(seed)).0;
        let chained = |seed: u64| HaarRotation::new(d, &mut Rng::new(1_000_000 + seed)).angles;
        for (name, angles_of) in [("reduction", &reduced as &dyn Fn(u64) -> Vec<f64>), ("chains", &chained)] {
            for j in [0, 3] {
                let first = samples(angles_of, j, 1);
                let uniform = ks(first.iter().map(|a| a + std::f64::consts::PI).collect(), |t| {
                    (t / (2.0 * std::f64::consts::PI)).clamp(0.0, 1.0)
                });
                assert!(uniform < 2.0, "{name}, column {j}, angle 1: sqrt(n) KS = {uniform}");
                for k in [2, 3, 5, 8] {
                    let sample = samples(angles_of, j, k);
                    let right = ks(sample.clone(), sin_power_cdf(k as i32 - 1));
                    assert!(right < 2.0, "{name}, column {j}, angle {k}: sqrt(n) KS = {right}");
                    let wrong = ks(sample, sin_power_cdf(0));
                    assert!(wrong > 4.0, "{name}, column {j}, angle {k}: a uniform law not rejected ({wrong})");
                }
            }
        }
    }

    /// Means over `n` seeds of tr Q, (tr Q)^2 and tr(Q^2) for Q = `matrix(1)` of rotations of
    /// order d.
    fn trace_moments(n: u64, mut rotation: impl FnMut(u64) -> HaarRotation) -> [f64; 3] {
        let mut sums = [0.0; 3];
        for seed in 0..n {
            let q = rotation(seed).matrix(1.0);
            let t = q.trace();
            let d = q.n();
            let t2: f64 =
                (0..d).flat_map(|i| (0..d).map(move |k| (i, k))).map(|(i, k)| q.get(i, k) * q.get(k, i)).sum();
            for (s, v) in sums.iter_mut().zip([t, t * t, t2]) {
                *s += v;
            }
        }
        sums.map(|s| s / n as f64)
    }

    /// Q_1 is Haar on SO(d) (a product of rotations; Q D is Haar on O(d) with D fixing the
    /// determinant): for d >= 3, E tr Q = 0, E (tr Q)^2 = 1 and E tr(Q^2) = 1. Each statistic
    /// has a standard deviation below 2, so its mean over 20,000 seeds has one below 0.014: the
    /// tolerance is 6 of them. Uniform angles on (-pi, pi], the law the chains must not have,
    /// miss by far more.
    #[test]
    fn full_rotation_has_the_haar_trace_moments() {
        let n = 20_000;
        for d in [3, 4, 7] {
            let got = trace_moments(n, |seed| HaarRotation::new(d, &mut Rng::new(seed)));
            for (name, g, want) in [("E tr Q", got[0], 0.0), ("E (tr Q)^2", got[1], 1.0), ("E tr Q^2", got[2], 1.0)] {
                assert!((g - want).abs() < 0.085, "d = {d}: {name} = {g}, Haar {want}");
            }
            let uniform = trace_moments(n, |seed| {
                let mut rng = Rng::new(seed);
                let m = d * (d - 1) / 2;
                HaarRotation { d, angles: (0..m).map(|_| (2.0 * rng.uniform() - 1.0) * std::f64::consts::PI).collect() }
            });
            let off = [uniform[0], uniform[1] - 1.0, uniform[2] - 1.0].iter().fold(0.0f64, |m, v| m.max(v.abs()));
            assert!(off > 2.0 * 0.085, "d = {d}: uniform angles give {uniform:?}");
        }
    }

    #[test]
    fn the_strip_wise_rotations_give_the_bits_of_one_rotation_at_a_time() {
        for (d, seed) in
            [(1, 1), (2, 2), (3, 3), (7, 4), (8, 5), (9, 6), (16, 7), (17, 8), (30, 9), (63, 10), (100, 11)]
        {
            let lam = spectrum(SpectrumKind::Geometric, d, 0.01, 100.0, 0);
            let rot = HaarRotation::new(d, &mut Rng::new(seed));
            assert_eq!(rot.angles.len(), d * d.saturating_sub(1) / 2);
            for r in [1.0, 0.37, -0.5] {
                let (q, h) = one_rotation_at_a_time(&rot, r, &lam);
                assert_eq!(bits(&rot.matrix(r)), bits(&q), "Q, d = {d}, r = {r}");
                assert_eq!(bits(&rotated_hessian(&lam, &rot, r)), bits(&h), "H, d = {d}, r = {r}");
                // This machine's strip width, and every other one.
                let done = &mut |_| ();
                for (w, q_w) in [
                    (2, accumulate::<2>(&rot, r, done)),
                    (4, accumulate::<4>(&rot, r, done)),
                    (8, accumulate::<8>(&rot, r, done)),
                ] {
                    assert_eq!(bits(&q_w), bits(&q), "Q, d = {d}, r = {r}, width {w}");
                }
            }
        }
    }

    /// The strips of Q_r and the rows of H_r are cut into pieces by the number of threads:
    /// the bytes do not depend on it (and are those of one rotation at a time).
    #[test]
    fn one_thread_and_four_give_the_same_bytes() {
        let on = |threads: usize, rot: &HaarRotation, lam: &[f64]| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| (bits(&rot.matrix(0.8)), bits(&rotated_hessian(lam, rot, 0.8))))
        };
        for (d, seed) in [(5, 1), (67, 2), (301, 3)] {
            let lam = spectrum(SpectrumKind::Geometric, d, 0.01, 100.0, 0);
            let rot = HaarRotation::new(d, &mut Rng::new(seed));
            let one = on(1, &rot, &lam);
            assert_eq!(on(4, &rot, &lam), one, "d = {d}");
            let (q, h) = one_rotation_at_a_time(&rot, 0.8, &lam);
            assert_eq!(one, (bits(&q), bits(&h)), "d = {d}");
        }
    }

    #[test]
    fn rotation_keeps_the_eigenvalues() {
        for (d, seed) in [(2, 1), (7, 2), (30, 3), (64, 4)] {
            for r in [0.0, 0.1, 0.5, 1.0] {
                check_spectrum_kept(d, r, seed);
            }
        }
    }

    #[test]
    fn rho_diag_is_one_unrotated_and_falls_with_rotation() {
        let d = 40;
        let lam = spectrum(SpectrumKind::Outliers, d, 1.0, 100.0, 3);
        for seed in 1..4 {
            let rot = HaarRotation::new(d, &mut Rng::new(seed));
            let rhos: Vec<f64> =
                [0.0, 0.1, 0.3, 1.0].iter().map(|&r| rho_diag(&rotated_hessian(&lam, &rot, r))).collect();
            assert_eq!(rhos[0], 1.0);
            assert!(rhos.windows(2).all(|w| w[1] < w[0]), "seed {seed}: {rhos:?}");
            assert!(rhos[3] < 0.5, "full rotation should spread mass off the diagonal: {rhos:?}");
        }
    }

    #[test]
    fn haar_similar_keeps_the_spectrum_and_spreads_mass_like_haar() {
        let lam = spectrum(SpectrumKind::Outliers, 60, 1.0, 100.0, 3);
        let h = haar_similar(&lam, &mut Rng::new(3));
        for (a, b) in h.sym_eigenvalues().unwrap().iter().zip(&lam) {
            assert!((a - b).abs() < 1e-10 * 100.0, "{a} vs {b}");
        }
        assert!(h.asymmetry() == 0.0 && (h.trace() - lam.iter().sum::<f64>()).abs() < 1e-9);
        // For Haar Q and H = Q diag(e_1) Q^T, d H_ii averages 1 (E[Q_i1^2] = 1/d).
        let d = 8;
        let mut one = vec![0.0; d];
        one[0] = 1.0;
        let n = 4000;
        let mean: f64 =
            (0..n).map(|s| d as f64 * haar_similar(&one, &mut Rng::new(s)).get(3, 3)).sum::<f64>() / n as f64;
        // Var(d q^2) = 2 d / (d + 2) = 1.6, so the standard error is about 0.02.
        assert!((mean - 1.0).abs() < 0.08, "mean of d H_33: {mean}");
    }

    #[test]
    fn full_rotation_looks_haar() {
        // For Haar Q, E[Q_ij^2] = 1/d. Rotating diag(1, 0, ..., 0) gives H = q q^T with q the first
        // column of Q, so H_ii = q_i^2 averages 1/d; check the mean of d * H_00 over many seeds.
        let d = 8;
        let mut lam = vec![0.0; d];
        lam[d - 1] = 1.0;
        let n = 4000;
        let mut acc = 0.0;
        for seed in 0..n {
            let rot = HaarRotation::new(d, &mut Rng::new(seed));
            acc += d as f64 * rotated_hessian(&lam, &rot, 1.0).get(0, 0);
        }
        let mean = acc / n as f64;
        // q_0^2 ~ Beta(1/2, (d-1)/2): sd of d q_0^2 is about 1.33 for d = 8, so the standard
        // error of the mean is about 0.021.
        assert!((mean - 1.0).abs() < 0.1, "mean of d H_00 = {mean}");
    }

    #[test]
    fn two_d_family() {
        let h = hessian_2d(10.0, 1.0, 90.0);
        assert!((h.get(0, 0) - 1.0).abs() < 1e-12 && (h.get(1, 1) - 10.0).abs() < 1e-12);
        let h = hessian_2d(10.0, 1.0, 30.0);
        let lam = h.sym_eigenvalues().unwrap();
        assert!((lam[0] - 1.0).abs() < 1e-12 && (lam[1] - 10.0).abs() < 1e-12);
    }
}
