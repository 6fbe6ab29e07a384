//! The real data sets shipped with Steepest (see data/README.md for sources, licences and
//! checksums), decoded, standardised and split into seeded train and test sets.
//!
//! Natively the files are compiled in. In the browser they would double the page's weight, so
//! the page fetches a file from its own site when a spec first needs it and hands the bytes
//! over with `register` (the web API's registerDataset); until then a run asking for it is
//! refused with a message naming problem.dataset. The page core (the wasm built without the
//! `full` feature) holds no data set at all, so no network can be built in it and the
//! network code is left out of it: `with_bytes` is where that is decided.

mod imbalance;

pub use imbalance::{split_by_group, zipf_subsample, ClassImbalance, GROUPS};

use crate::rng::{Rng, Stream};
use serde::{Deserialize, Serialize};

#[cfg(not(target_arch = "wasm32"))]
const DIGITS: &[u8] = include_bytes!("../../data/digits.bin");
#[cfg(not(target_arch = "wasm32"))]
const BREAST_CANCER: &[u8] = include_bytes!("../../data/breast_cancer.bin");

/// Bytes of each file: 1797 rows of 65 bytes, 569 rows of 121 bytes.
#[cfg(all(target_arch = "wasm32", feature = "full"))]
const DIGITS_LEN: usize = 1797 * 65;
#[cfg(all(target_arch = "wasm32", feature = "full"))]
const BREAST_CANCER_LEN: usize = 569 * 121;

#[cfg(all(target_arch = "wasm32", feature = "full"))]
thread_local! {
    static REGISTERED: std::cell::RefCell<Vec<(DatasetKind, std::rc::Rc<Vec<u8>>)>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl DatasetKind {
    /// Rows of the whole data set (train and test).
    pub fn rows(&self) -> usize {
        match self {
            DatasetKind::Digits => 1797,
            DatasetKind::BreastCancer => 569,
        }
    }

    /// Features per row (a network's inputs).
    pub fn features(&self) -> usize {
        match self {
            DatasetKind::Digits => 64,
            DatasetKind::BreastCancer => 30,
        }
    }

    /// Classes (a network's outputs).
    pub fn classes(&self) -> usize {
        match self {
            DatasetKind::Digits => 10,
            DatasetKind::BreastCancer => 2,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            DatasetKind::Digits => "digits",
            DatasetKind::BreastCancer => "breast_cancer",
        }
    }
}

/// Hands the bytes of a data file to the core (the page does this after fetching
/// data/NAME.bin); checks their size and labels.
#[cfg(all(target_arch = "wasm32", feature = "full"))]
pub fn register(kind: DatasetKind, bytes: Vec<u8>) -> Result<(), crate::Error> {
    let (len, row) = match kind {
        DatasetKind::Digits => (DIGITS_LEN, 65),
        DatasetKind::BreastCancer => (BREAST_CANCER_LEN, 121),
    };
    if bytes.len() != len || bytes.chunks_exact(row).any(|r| r[row - 1] as usize >= kind.classes()) {
        return Err(crate::Error::DataFile { name: kind.name(), len: bytes.len(), expected: len });
    }
    REGISTERED.with(|r| r.borrow_mut().push((kind, std::rc::Rc::new(bytes))));
    Ok(())
}

/// Whether the data set's bytes are at hand: always natively, once registered in the full
/// wasm core, never in the page core.
#[cfg(all(target_arch = "wasm32", feature = "full"))]
pub fn available(kind: DatasetKind) -> bool {
    REGISTERED.with(|r| r.borrow().iter().any(|(k, _)| *k == kind))
}

#[cfg(all(target_arch = "wasm32", not(feature = "full")))]
pub fn available(_kind: DatasetKind) -> bool {
    false
}

#[cfg(not(target_arch = "wasm32"))]
pub fn available(_kind: DatasetKind) -> bool {
    true
}

#[cfg(not(target_arch = "wasm32"))]
fn with_bytes<T>(kind: DatasetKind, f: impl FnOnce(&[u8]) -> T) -> T {
    f(match kind {
        DatasetKind::Digits => DIGITS,
        DatasetKind::BreastCancer => BREAST_CANCER,
    })
}

#[cfg(all(target_arch = "wasm32", feature = "full"))]
fn with_bytes<T>(kind: DatasetKind, f: impl FnOnce(&[u8]) -> T) -> T {
    let bytes = REGISTERED
        .with(|r| r.borrow().iter().find(|(k, _)| *k == kind).map(|(_, b)| b.clone()))
        .expect("checked by data::available before the problem is built");
    f(&bytes)
}

/// The page core: no data set, so everything that builds a network is unreachable and left
/// out of its wasm.
#[cfg(all(target_arch = "wasm32", not(feature = "full")))]
fn with_bytes<T>(_kind: DatasetKind, _f: impl FnOnce(&[u8]) -> T) -> T {
    unreachable!("the page core holds no data set: Spec::check_data refuses network specs before a problem is built")
}

/// Fraction of the rows used for training; the rest is the test set.
pub const TRAIN_FRACTION: f64 = 0.8;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatasetKind {
    /// 8 x 8 handwritten digits: 1797 images, 64 features, 10 classes.
    Digits,
    /// Breast Cancer Wisconsin (Diagnostic): 569 rows, 30 features, 2 classes.
    BreastCancer,
}

/// Rows of standardised features with class labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub features: usize,
    pub classes: usize,
    /// Row-major, `features` values per row.
    pub x: Vec<f64>,
    pub y: Vec<usize>,
}

impl Dataset {
    pub fn rows(&self) -> usize {
        self.y.len()
    }

    pub fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.features..(i + 1) * self.features]
    }
}

/// The raw rows of a data set, as stored.
fn decode(kind: DatasetKind) -> Dataset {
    with_bytes(kind, |bytes| decode_bytes(kind, bytes))
}

fn decode_bytes(kind: DatasetKind, bytes: &[u8]) -> Dataset {
    match kind {
        DatasetKind::Digits => {
            let rows = bytes.chunks_exact(65);
            Dataset {
                features: kind.features(),
                classes: kind.classes(),
                x: rows.clone().flat_map(|r| r[..64].iter().map(|v| *v as f64)).collect(),
                y: rows.map(|r| r[64] as usize).collect(),
            }
        }
        DatasetKind::BreastCancer => {
            let rows = bytes.chunks_exact(121);
            Dataset {
                features: kind.features(),
                classes: kind.classes(),
                x: rows
                    .clone()
                    .flat_map(|r| r[..120].chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f64))
                    .collect(),
                y: rows.map(|r| r[120] as usize).collect(),
            }
        }
    }
}

/// (train, test): rows shuffled by the seed, the first TRAIN_FRACTION for training, and every
/// feature standardised with the training rows' mean and standard deviation (constant features
/// become 0).
pub fn load(kind: DatasetKind, seed: u64) -> (Dataset, Dataset) {
    let all = decode(kind);
    let n = all.rows();
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = Rng::stream(seed, Stream::DataSplit);
    for i in (1..n).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    let n_train = (TRAIN_FRACTION * n as f64).round() as usize;
    let f = all.features;
    let (mut mean, mut var) = (vec![0.0; f], vec![0.0; f]);
    for &i in &order[..n_train] {
        for (m, v) in mean.iter_mut().zip(all.row(i)) {
            *m += v / n_train as f64;
        }
    }
    for &i in &order[..n_train] {
        for ((s, v), m) in var.iter_mut().zip(all.row(i)).zip(&mean) {
            *s += (v - m) * (v - m) / n_train as f64;
        }
    }
    let sd: Vec<f64> = var.iter().map(|v| f64::sqrt(*v)).collect();
    let subset = |rows: &[usize]| Dataset {
        features: f,
        classes: all.classes,
        x: rows
            .iter()
            .flat_map(|&i| {
                all.row(i).iter().zip(&mean).zip(&sd).map(|((v, m), s)| if *s > 0.0 { (v - m) / s } else { 0.0 })
            })
            .collect(),
        y: rows.iter().map(|&i| all.y[i]).collect(),
    };
    (subset(&order[..n_train]), subset(&order[n_train..]))
}

/// The training rows a network of this data set trains on: the seeded split's, Zipf-subsampled
/// when `zipf` > 0 (with the ranking of its classes).
pub fn training_set(kind: DatasetKind, seed: u64, zipf: f64) -> (Dataset, Option<ClassImbalance>) {
    let (train, _) = load(kind, seed);
    if zipf > 0.0 {
        let (sub, imbalance) = zipf_subsample(&train, zipf, seed);
        (sub, Some(imbalance))
    } else {
        (train, None)
    }
}

/// How many rows `training_set` holds; under a Zipf law without the data at hand (the page
/// before it fetched them), the full split's, an upper bound.
pub fn training_rows(kind: DatasetKind, seed: u64, zipf: f64) -> usize {
    if zipf > 0.0 && available(kind) {
        training_set(kind, seed, zipf).0.rows()
    } else {
        (TRAIN_FRACTION * kind.rows() as f64).round() as usize
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn hex(bytes: &[u8]) -> String {
        Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn shipped_files_match_their_recorded_checksums() {
        assert_eq!(hex(DIGITS), "68aea062d35a127749050fa0e52dca09d6569ac08092c925610e0954e172dde2");
        assert_eq!(hex(BREAST_CANCER), "5c3d7890cac66f735b180fa29bb4333034164d2af606dc05c5ba3485a89f552c");
    }

    #[test]
    fn shapes_labels_and_standardisation() {
        let d = decode(DatasetKind::Digits);
        assert_eq!((d.rows(), d.features, d.classes), (1797, 64, 10));
        // Every digit occurs about 180 times.
        for c in 0..10 {
            let count = d.y.iter().filter(|y| **y == c).count();
            assert!((170..=190).contains(&count), "digit {c}: {count}");
        }
        let b = decode(DatasetKind::BreastCancer);
        assert_eq!((b.rows(), b.features, b.classes), (569, 30, 2));
        assert_eq!(b.y.iter().filter(|y| **y == 1).count(), 357); // benign
        let (train, test) = load(DatasetKind::BreastCancer, 1);
        assert_eq!((train.rows(), test.rows()), (455, 114));
        for j in 0..30 {
            let col: Vec<f64> = (0..train.rows()).map(|i| train.row(i)[j]).collect();
            let mean = col.iter().sum::<f64>() / col.len() as f64;
            let var = col.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / col.len() as f64;
            assert!(mean.abs() < 1e-12 && (var - 1.0).abs() < 1e-9, "feature {j}: {mean} {var}");
        }
        // The split depends on the seed only.
        assert_eq!(load(DatasetKind::Digits, 7), load(DatasetKind::Digits, 7));
        assert_ne!(load(DatasetKind::Digits, 7).1.y, load(DatasetKind::Digits, 8).1.y);
    }
}
