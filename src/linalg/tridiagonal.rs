//! Symmetric tridiagonal matrices, the T_k of a Lanczos run: one eigenvalue by Sturm-sequence
//! bisection and its eigenvector by inverse iteration, O(k) each, so Lanczos can test convergence
//! every few steps without re-solving a k x k eigenproblem (that made L_2 of a 2000 x 2000 matrix
//! take minutes); and the Gauss quadrature rule (every eigenvalue with the squared first component
//! of its eigenvector, Golub and Welsch 1969) by QL carrying one row of the eigenvectors, O(k^2).
//!
//! Like the dense solver, the matrix is scaled by a power of two that brings its largest |entry|
//! into [1, 2) (exact), so squares of entries cannot overflow.

use super::eigen::{exponent_of_largest, ql, EigenError};
use crate::norm::dot;

/// Bisection halvings at most: from the Gershgorin interval to a relative width of 2 eps takes
/// about 60; the cap only guards the loop.
const MAX_BISECTIONS: usize = 200;
/// Inverse-iteration solves: the computed eigenvalue is within O(eps ||T||) of the true one, so
/// each solve shrinks the other components by about eps relative to the wanted one.
const INVERSE_ITERATIONS: usize = 3;

/// A symmetric tridiagonal matrix, stored scaled by 2^-exponent.
#[derive(Clone, Debug)]
pub struct Tridiagonal {
    diag: Vec<f64>,
    off: Vec<f64>,
    exponent: i32,
}

impl Tridiagonal {
    /// Diagonal `diag` (k entries) and off-diagonal `off` (k - 1 entries), all finite.
    pub fn new(diag: &[f64], off: &[f64]) -> Result<Self, EigenError> {
        assert_eq!(off.len() + 1, diag.len().max(1), "a k x k tridiagonal has k - 1 off-diagonal entries");
        if !diag.iter().chain(off).all(|v| v.is_finite()) {
            return Err(EigenError::NotFinite);
        }
        let exponent = exponent_of_largest(diag).max(exponent_of_largest(off));
        let scaled = |v: &[f64]| v.iter().map(|x| libm::scalbn(*x, -exponent)).collect();
        Ok(Tridiagonal { diag: scaled(diag), off: scaled(off), exponent })
    }

    pub fn n(&self) -> usize {
        self.diag.len()
    }

    /// The smallest pivot allowed in a Sturm sequence (LAPACK dstebz's pivmin).
    fn pivmin(&self) -> f64 {
        f64::MIN_POSITIVE * self.off.iter().fold(1.0f64, |m, e| m.max(e * e))
    }

    /// How many eigenvalues are <= x: the number of non-positive pivots of the LDL^T
    /// factorisation of T - x I (Sylvester's law of inertia); tiny pivots become -pivmin.
    fn count_at_most(&self, x: f64, pivmin: f64) -> usize {
        let mut count = 0;
        let mut q = 1.0;
        for (i, a) in self.diag.iter().enumerate() {
            let coupling = if i == 0 { 0.0 } else { self.off[i - 1] * self.off[i - 1] / q };
            q = a - x - coupling;
            if q.abs() < pivmin {
                q = -pivmin;
            }
            if q <= 0.0 {
                count += 1;
            }
        }
        count
    }

    /// Largest |entry| sum of a row, an upper bound on every |eigenvalue| (Gershgorin).
    fn row_norm(&self) -> f64 {
        (0..self.n())
            .map(|i| {
                let left = if i > 0 { self.off[i - 1].abs() } else { 0.0 };
                let right = self.off.get(i).map_or(0.0, |e| e.abs());
                self.diag[i].abs() + left + right
            })
            .fold(0.0, f64::max)
    }

    /// The j-th smallest eigenvalue (from 0), by bisection on the Sturm count to within
    /// 2 eps max(|lambda|, ||T||_inf): its interval [lo, hi] always holds lambda_j.
    pub fn eigenvalue(&self, j: usize) -> f64 {
        assert!(j < self.n(), "eigenvalue {j} of a {} x {} matrix", self.n(), self.n());
        let pivmin = self.pivmin();
        let norm = self.row_norm();
        let slack = 2.0 * f64::EPSILON * norm + pivmin;
        let (mut lo, mut hi) = (-norm - slack, norm + slack);
        for _ in 0..MAX_BISECTIONS {
            let mid = 0.5 * (lo + hi);
            if hi - lo <= 2.0 * f64::EPSILON * norm || mid <= lo || mid >= hi {
                break;
            }
            if self.count_at_most(mid, pivmin) > j {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        libm::scalbn(0.5 * (lo + hi), self.exponent)
    }

    /// A unit eigenvector of `lambda` (an eigenvalue from `eigenvalue`), by inverse iteration
    /// from the all-ones vector: solves (T - lambda I) x = b with Gaussian elimination and
    /// partial pivoting (LAPACK dgttrf/dgttrs), a zero pivot replaced by eps ||T||.
    pub fn eigenvector(&self, lambda: f64) -> Vec<f64> {
        let n = self.n();
        let shift = libm::scalbn(lambda, -self.exponent);
        let tiny = f64::EPSILON * self.row_norm().max(f64::MIN_POSITIVE);
        let lu = ShiftedLu::new(&self.diag, &self.off, shift, tiny);
        let mut x = vec![1.0; n];
        for _ in 0..INVERSE_ITERATIONS {
            lu.solve(&mut x);
            let largest = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            x.iter_mut().for_each(|v| *v /= largest);
            let norm = f64::sqrt(dot(&x, &x));
            x.iter_mut().for_each(|v| *v /= norm);
        }
        x
    }

    /// Every eigenvalue (ascending) with the square of the first component of its unit
    /// eigenvector: the Gauss quadrature nodes and weights of the spectral measure seen from e_1.
    pub fn quadrature(&self) -> Result<Vec<(f64, f64)>, EigenError> {
        let n = self.n();
        let mut d = self.diag.clone();
        let mut e = self.off.clone();
        e.push(0.0);
        let mut first = vec![0.0; n];
        if n > 0 {
            first[0] = 1.0;
        }
        ql(&mut d, &mut e, |i, c, s| {
            let hk = first[i + 1];
            first[i + 1] = s * first[i] + c * hk;
            first[i] = c * first[i] - s * hk;
        })?;
        let mut nodes: Vec<(f64, f64)> =
            d.iter().zip(&first).map(|(t, w)| (libm::scalbn(*t, self.exponent), w * w)).collect();
        nodes.sort_by(|a, b| a.0.total_cmp(&b.0));
        Ok(nodes)
    }
}

/// P (T - shift I) = L U for tridiagonal T: L unit lower bidiagonal (multipliers `low`), U upper
/// with two superdiagonals (`up`, `up2`), `swapped[i]` when rows i and i + 1 were exchanged.
struct ShiftedLu {
    diag: Vec<f64>,
    low: Vec<f64>,
    up: Vec<f64>,
    up2: Vec<f64>,
    swapped: Vec<bool>,
}

impl ShiftedLu {
    fn new(diag: &[f64], off: &[f64], shift: f64, tiny: f64) -> Self {
        let n = diag.len();
        let mut d: Vec<f64> = diag.iter().map(|a| a - shift).collect();
        let mut low = off.to_vec();
        let mut up = off.to_vec();
        let mut up2 = vec![0.0; n.saturating_sub(2)];
        let mut swapped = vec![false; n.saturating_sub(1)];
        for i in 0..n.saturating_sub(1) {
            if d[i].abs() >= low[i].abs() {
                if d[i] == 0.0 {
                    d[i] = tiny;
                }
                let fact = low[i] / d[i];
                low[i] = fact;
                d[i + 1] -= fact * up[i];
            } else {
                let fact = d[i] / low[i];
                d[i] = low[i];
                low[i] = fact;
                let temp = up[i];
                up[i] = d[i + 1];
                d[i + 1] = temp - fact * d[i + 1];
                if i + 2 < n {
                    up2[i] = up[i + 1];
                    up[i + 1] *= -fact;
                }
                swapped[i] = true;
            }
        }
        if let Some(last) = d.last_mut() {
            if *last == 0.0 {
                *last = tiny;
            }
        }
        ShiftedLu { diag: d, low, up, up2, swapped }
    }

    /// b <- (T - shift I)^-1 b.
    fn solve(&self, b: &mut [f64]) {
        let n = b.len();
        for i in 0..n.saturating_sub(1) {
            if self.swapped[i] {
                b.swap(i, i + 1);
            }
            b[i + 1] -= self.low[i] * b[i];
        }
        for i in (0..n).rev() {
            let mut v = b[i];
            if i + 1 < n {
                v -= self.up[i] * b[i + 1];
            }
            if i + 2 < n {
                v -= self.up2[i] * b[i + 2];
            }
            b[i] = v / self.diag[i];
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// The [-1, 2, -1] matrix of order n: eigenvalues 2 - 2 cos(j pi / (n + 1)), eigenvectors
    /// sin(i j pi / (n + 1)), first components of the unit eigenvectors squared
    /// 2 sin^2(j pi / (n + 1)) / (n + 1).
    fn second_difference(n: usize) -> Tridiagonal {
        Tridiagonal::new(&vec![2.0; n], &vec![-1.0; n - 1]).unwrap()
    }

    fn angle(j: usize, n: usize) -> f64 {
        j as f64 * std::f64::consts::PI / (n as f64 + 1.0)
    }

    #[test]
    fn bisection_and_inverse_iteration_match_the_closed_form() {
        for n in [1, 2, 7, 300] {
            let t = second_difference(n);
            for j in [0, n / 2, n - 1] {
                let want = 2.0 - 2.0 * angle(j + 1, n).cos();
                let got = t.eigenvalue(j);
                assert!((got - want).abs() <= 1e-14 * 4.0, "n={n} j={j}: {got} vs {want}");
                let v = t.eigenvector(got);
                let norm = f64::sqrt((1..=n).map(|i| angle(i * (j + 1), n).sin().powi(2)).sum());
                let sign = if v[0] < 0.0 { -1.0 } else { 1.0 };
                for (i, vi) in v.iter().enumerate() {
                    let exact = angle((i + 1) * (j + 1), n).sin() / norm;
                    assert!((sign * vi - exact).abs() < 1e-10, "n={n} j={j} i={i}: {vi} vs {exact}");
                }
            }
        }
    }

    #[test]
    fn quadrature_gives_every_eigenvalue_and_its_first_component() {
        let n = 40;
        let nodes = second_difference(n).quadrature().unwrap();
        for (j, (t, w)) in nodes.iter().enumerate() {
            let a = angle(j + 1, n);
            assert!((t - (2.0 - 2.0 * a.cos())).abs() < 1e-13, "{t}");
            assert!((w - 2.0 * a.sin().powi(2) / (n as f64 + 1.0)).abs() < 1e-13, "{w}");
        }
    }

    #[test]
    fn huge_entries_scale_and_non_finite_ones_are_named() {
        // [[0, b], [b, 0]]: eigenvalues -b and b, even where b^2 overflows.
        let t = Tridiagonal::new(&[0.0, 0.0], &[1e300]).unwrap();
        for (j, want) in [(0, -1e300), (1, 1e300)] {
            assert!((t.eigenvalue(j) / want - 1.0).abs() < 1e-15, "{}", t.eigenvalue(j));
        }
        assert!(matches!(Tridiagonal::new(&[f64::NAN], &[]), Err(EigenError::NotFinite)));
    }
}
