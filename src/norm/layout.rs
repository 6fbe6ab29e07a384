//! How a parameter vector is cut into layers: weight matrices (row-major) and vectors (biases,
//! or a whole unstructured parameter), in order. Per-layer norms and Muon read it; an objective
//! says its own (`Objective::layout`), a plain vector by default.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One layer block of a parameter vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "block")]
pub enum Block {
    /// A `rows x cols` matrix, row-major.
    Matrix { rows: usize, cols: usize },
    /// A vector of `len` numbers.
    Vector { len: usize },
}

impl Block {
    pub fn len(self) -> usize {
        match self {
            Block::Matrix { rows, cols } => rows * cols,
            Block::Vector { len } => len,
        }
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// The blocks of a parameter vector, in order; their lengths add up to its dimension.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout(pub Vec<Block>);

impl Layout {
    /// One unstructured vector of d numbers.
    pub fn vector(d: usize) -> Layout {
        Layout(vec![Block::Vector { len: d }])
    }

    /// One `rows x cols` matrix.
    pub fn matrix(rows: usize, cols: usize) -> Layout {
        Layout(vec![Block::Matrix { rows, cols }])
    }

    pub fn dim(&self) -> usize {
        self.0.iter().map(|b| b.len()).sum()
    }

    /// The blocks with their parts of `x` (which has `dim()` numbers).
    pub fn split<'a>(&'a self, x: &'a [f64]) -> impl Iterator<Item = (Block, &'a [f64])> + 'a {
        debug_assert_eq!(x.len(), self.dim());
        let mut at = 0;
        self.0.iter().map(move |b| {
            at += b.len();
            (*b, &x[at - b.len()..at])
        })
    }

    /// The blocks with their ranges in the parameter vector.
    pub fn ranges(&self) -> impl Iterator<Item = (Block, std::ops::Range<usize>)> + '_ {
        let mut at = 0;
        self.0.iter().map(move |b| {
            at += b.len();
            (*b, at - b.len()..at)
        })
    }
}

/// E.g. "16x64, 16, 10x16, 10".
impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|b| match b {
                Block::Matrix { rows, cols } => format!("{rows}x{cols}"),
                Block::Vector { len } => format!("{len}"),
            })
            .collect();
        f.write_str(&parts.join(", "))
    }
}
