//! Read-outs of a Hessian's shape, beyond its smoothness constants: where its mass sits (on the
//! diagonal, in blocks), a picture of |H_ij| small enough to draw, and a histogram of its
//! spectrum. Paper-notes section 3: sign descent gains when mass concentrates on the diagonal
//! (rho_diag near 1) and the spectrum has outliers (lambda_max >> lambda_bar).

use crate::linalg::{rho_diag, Matrix};
use serde::Serialize;
use std::ops::Range;

/// Eigenvalue counts in equal bins over [lo, hi] (fractional when estimated).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Histogram {
    pub lo: f64,
    pub hi: f64,
    pub counts: Vec<f64>,
}

/// |H_ij| pooled onto a size x size grid by the maximum over each cell, row-major: the largest
/// entry of a cell keeps thin structure (a diagonal, block edges) visible after pooling.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HeatMap {
    pub size: usize,
    pub cells: Vec<f64>,
    /// Index where each cell row (and column) starts in H: cell k covers [starts[k], starts[k + 1]).
    pub starts: Vec<usize>,
}

/// Where a matrix's absolute mass sits.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MassReport {
    /// sum_i |H_ii| / sum_ij |H_ij|.
    pub rho_diag: f64,
    /// Share of sum |H_ij| inside the diagonal blocks: 1 for a block-diagonal matrix.
    pub block_mass: f64,
    /// rho_diag of each diagonal block on its own.
    pub block_rho_diag: Vec<f64>,
}

pub fn histogram(eigenvalues: &[f64], bins: usize) -> Histogram {
    weighted_histogram(eigenvalues.iter().map(|l| (*l, 1.0)), bins)
}

/// Sums of weights in equal bins over the values' range: estimated counts when each value
/// (a Ritz value) stands for a weight of eigenvalues.
pub fn weighted_histogram(weighted: impl Iterator<Item = (f64, f64)> + Clone, bins: usize) -> Histogram {
    let lo = weighted.clone().map(|(v, _)| v).fold(f64::INFINITY, f64::min);
    let hi = weighted.clone().map(|(v, _)| v).fold(f64::NEG_INFINITY, f64::max);
    let mut counts = vec![0.0; bins.max(1)];
    if !lo.is_finite() {
        return Histogram { lo: 0.0, hi: 0.0, counts };
    }
    let width = (hi - lo) / counts.len() as f64;
    for (v, w) in weighted {
        let k = if width > 0.0 { ((v - lo) / width) as usize } else { 0 };
        counts[k.min(bins.max(1) - 1)] += w;
    }
    Histogram { lo, hi, counts }
}

pub fn heat_map(h: &Matrix, size: usize) -> HeatMap {
    let d = h.n();
    let size = size.min(d).max(1);
    let starts: Vec<usize> = (0..=size).map(|k| k * d / size).collect();
    let cell_of: Vec<usize> = (0..d).map(|i| starts.partition_point(|s| *s <= i) - 1).collect();
    let mut cells = vec![0.0f64; size * size];
    for i in 0..d {
        let row = &mut cells[cell_of[i] * size..(cell_of[i] + 1) * size];
        for (j, v) in h.row(i).iter().enumerate() {
            let c = &mut row[cell_of[j]];
            *c = c.max(v.abs());
        }
    }
    HeatMap { size, cells, starts }
}

pub fn mass(h: &Matrix, blocks: &[Range<usize>]) -> MassReport {
    let total = h.abs_sum();
    let inside: f64 = blocks
        .iter()
        .map(|b| b.clone().map(|i| h.row(i)[b.clone()].iter().map(|v| v.abs()).sum::<f64>()).sum::<f64>())
        .sum();
    let block_rho_diag = blocks.iter().map(|b| rho_diag(&submatrix(h, b.clone()))).collect();
    MassReport { rho_diag: rho_diag(h), block_mass: if total > 0.0 { inside / total } else { 1.0 }, block_rho_diag }
}

fn submatrix(h: &Matrix, r: Range<usize>) -> Matrix {
    Matrix::from_rows(&r.clone().map(|i| h.row(i)[r.clone()].to_vec()).collect::<Vec<_>>())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn histogram_counts_every_eigenvalue_once_in_its_bin() {
        let h = histogram(&[0.0, 0.1, 0.5, 0.99, 1.0], 4);
        assert_eq!((h.lo, h.hi), (0.0, 1.0));
        assert_eq!(h.counts, vec![2.0, 0.0, 1.0, 2.0]);
        assert_eq!(histogram(&[2.0, 2.0], 3).counts, vec![2.0, 0.0, 0.0]);
    }

    #[test]
    fn heat_map_takes_the_largest_entry_of_each_cell() {
        let h = Matrix::from_rows(&[vec![1.0, -5.0, 0.0], vec![-5.0, 2.0, 0.5], vec![0.0, 0.5, -3.0]]);
        let m = heat_map(&h, 2);
        assert_eq!(m.starts, vec![0, 1, 3]);
        assert_eq!(m.cells, vec![1.0, 5.0, 5.0, 3.0]);
        assert_eq!(heat_map(&h, 10).size, 3);
    }

    #[test]
    fn mass_of_a_block_diagonal_matrix_is_all_inside_its_blocks() {
        let h = Matrix::from_rows(&[vec![2.0, 1.0, 0.0], vec![1.0, 2.0, 0.0], vec![0.0, 0.0, 4.0]]);
        let m = mass(&h, &[0..2, 2..3]);
        assert_eq!(m.block_mass, 1.0);
        assert_eq!(m.block_rho_diag, vec![4.0 / 6.0, 1.0]);
        assert_eq!(m.rho_diag, 8.0 / 10.0);
        assert!((mass(&h, &[0..1, 1..3]).block_mass - 8.0 / 10.0).abs() < 1e-15);
    }
}
