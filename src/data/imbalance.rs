//! Heavy-tailed class frequencies (docs/theory.md §6 and issue 14): the training set subsampled so
//! that class frequencies follow a Zipf law, and its classes cut into frequency groups, so that a
//! run can show how each method fares on the rare classes.
//!
//! The class of rank r (r = 0 the most frequent; the order of the classes is a seeded shuffle)
//! keeps n_r = max(1, round(c (r + 1)^-s)) of its training rows, c the smallest class count of
//! the full training set, so n_r / n_0 = (r + 1)^-s up to rounding and every class has the rows
//! it needs. Its rows are the first n_r of that class in the training order (itself seeded). The
//! test set stays whole, so test accuracy weighs every class alike. Groups by rank: frequent,
//! middle, rare = floor(3 r / C) (4, 3 and 3 of the digits' 10 classes).

use super::Dataset;
use crate::rng::{Rng, Stream};

/// The frequency groups, in order.
pub const GROUPS: [&str; 3] = ["frequent", "middle", "rare"];

/// How the classes were ranked and kept.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ClassImbalance {
    /// The class at each rank, most frequent first.
    pub by_rank: Vec<usize>,
    /// Training rows kept at each rank.
    pub counts: Vec<usize>,
}

impl ClassImbalance {
    /// The group (0 frequent, 1 middle, 2 rare) of `class`.
    pub fn group(&self, class: usize) -> usize {
        let rank = self.by_rank.iter().position(|c| *c == class).expect("a class of the data set");
        3 * rank / self.by_rank.len()
    }
}

/// The Zipf subsample of `train` with exponent `s` > 0 (seeded by `seed`), and its ranking.
pub fn zipf_subsample(train: &Dataset, s: f64, seed: u64) -> (Dataset, ClassImbalance) {
    let classes = train.classes;
    let mut by_rank: Vec<usize> = (0..classes).collect();
    let mut rng = Rng::stream(seed, Stream::ClassOrder);
    for i in (1..classes).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        by_rank.swap(i, j);
    }
    let smallest = (0..classes).map(|c| train.y.iter().filter(|y| **y == c).count()).min().unwrap_or(0);
    let counts: Vec<usize> =
        (0..classes).map(|r| (libm::round(smallest as f64 * libm::pow(r as f64 + 1.0, -s)) as usize).max(1)).collect();
    let mut kept = vec![0usize; classes];
    let quota = |class: usize| counts[by_rank.iter().position(|c| *c == class).expect("a class")];
    let rows: Vec<usize> = (0..train.rows())
        .filter(|&i| {
            let c = train.y[i];
            kept[c] += 1;
            kept[c] <= quota(c)
        })
        .collect();
    (select(train, &rows), ClassImbalance { by_rank, counts })
}

/// The rows of `data` whose class lies in each group.
pub fn split_by_group(data: &Dataset, imbalance: &ClassImbalance) -> [Dataset; 3] {
    std::array::from_fn(|g| {
        let rows: Vec<usize> = (0..data.rows()).filter(|&i| imbalance.group(data.y[i]) == g).collect();
        select(data, &rows)
    })
}

fn select(data: &Dataset, rows: &[usize]) -> Dataset {
    Dataset {
        features: data.features,
        classes: data.classes,
        x: rows.iter().flat_map(|&i| data.row(i).iter().copied()).collect(),
        y: rows.iter().map(|&i| data.y[i]).collect(),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::data::{load, DatasetKind};

    /// The counts follow the law: n_r = round(c (r + 1)^-s) for the smallest class count c of the
    /// full training set, each class keeps exactly its quota (the first rows of its class in the
    /// training order), the ranking is a seeded shuffle, and the same seed gives the same rows.
    #[test]
    fn counts_follow_the_zipf_law_and_are_seeded() {
        let (train, _) = load(DatasetKind::Digits, 1);
        let c = (0..10).map(|k| train.y.iter().filter(|y| **y == k).count()).min().unwrap();
        let (sub, imb) = zipf_subsample(&train, 1.5, 1);
        for r in 0..10 {
            let want = (c as f64 * (r as f64 + 1.0).powf(-1.5)).round().max(1.0) as usize;
            assert_eq!(imb.counts[r], want, "rank {r}");
            assert_eq!(sub.y.iter().filter(|y| **y == imb.by_rank[r]).count(), want, "rank {r}");
        }
        assert_eq!(imb.counts[0], c);
        // The kept rows of a class are its first rows in the training order, unchanged.
        let first = imb.by_rank[9];
        let at = train.y.iter().position(|y| *y == first).unwrap();
        let kept = sub.y.iter().position(|y| *y == first).unwrap();
        assert_eq!(train.row(at), sub.row(kept));
        let mut sorted = imb.by_rank.clone();
        sorted.sort();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
        assert_eq!(zipf_subsample(&train, 1.5, 1), (sub.clone(), imb.clone()));
        assert_ne!(zipf_subsample(&train, 1.5, 2).1.by_rank, imb.by_rank);
    }

    /// Groups are thirds by rank (4, 3, 3 of ten classes) and partition the rows.
    #[test]
    fn groups_partition_the_rows_by_rank() {
        let (train, _) = load(DatasetKind::Digits, 3);
        let (sub, imb) = zipf_subsample(&train, 1.0, 3);
        let sizes: Vec<usize> = (0..3).map(|g| (0..10).filter(|c| imb.group(*c) == g).count()).collect();
        assert_eq!(sizes, [4, 3, 3]);
        let groups = split_by_group(&sub, &imb);
        assert_eq!(groups.iter().map(Dataset::rows).sum::<usize>(), sub.rows());
        for (g, d) in groups.iter().enumerate() {
            assert!(d.y.iter().all(|y| imb.group(*y) == g));
            let want: usize = (0..10).filter(|r| 3 * r / 10 == g).map(|r| imb.counts[r]).sum();
            assert_eq!(d.rows(), want, "group {g}");
        }
    }
}
