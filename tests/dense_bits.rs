//! The dense kernels of a rotated quadratic give `norm::dot`'s bits, natively (`cargo test --test
//! dense_bits`) and in wasm, where their kernels are written in simd128 lanes of their own
//! (`CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test --target
//! wasm32-unknown-unknown --test dense_bits`): every entry of the weighted Gram product is the dot
//! product of its two rows, summed as `dot` sums it. The sizes cover every path of the kernels:
//! fewer than eight columns (the tail alone), whole and partial chunks, odd orders, tiles cut by
//! the matrix's edge and by the diagonal, and more than one block of rows.

#[path = "support/awkward.rs"]
mod awkward;

use steepest::linalg::Matrix;
use steepest::norm::dot;
use steepest::rng::Rng;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Orders below, at and above the tiles (2 and 4 rows), the chunk of 8, and the block of 32 rows.
const ORDERS: [usize; 24] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 16, 17, 23, 31, 32, 33, 40, 63, 67, 130];

/// n awkward numbers (tests/support/awkward.rs).
fn awkward(n: usize, rng: &mut Rng) -> Vec<f64> {
    (0..n).map(|k| awkward::awkward(rng.normal(), k * 7 + n)).collect()
}

#[test]
fn every_gram_entry_has_the_bits_of_its_dot_product() {
    for n in ORDERS {
        let mut rng = Rng::new(40 + n as u64);
        let a = Matrix::from_rows(&(0..n).map(|_| awkward(n, &mut rng)).collect::<Vec<_>>());
        // Weights with a zero, a negative zero and tiny and huge ones too.
        let w = awkward(n, &mut rng);
        let g = a.weighted_gram(&w, &mut |_| ());
        for i in 0..n {
            let scaled: Vec<f64> = a.row(i).iter().zip(&w).map(|(x, y)| x * y).collect();
            for j in 0..=i {
                let want = dot(&scaled, a.row(j)).to_bits();
                assert_eq!((g.get(i, j).to_bits(), g.get(j, i).to_bits()), (want, want), "n = {n}, ({i}, {j})");
            }
        }
    }
}
