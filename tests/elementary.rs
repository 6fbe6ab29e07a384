//! The 2-lane `tanh` and `exp` give libm's bits on every branch (tests/wasm_api.rs checks the
//! same inputs in wasm).
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/elementary_inputs.rs"]
mod elementary_inputs;

use elementary_inputs::{exp_inputs, mismatches, tanh_inputs};
use steepest::simd2::elementary::{exp_in_place, tanh_in_place};

#[test]
fn two_lane_tanh_gives_the_bits_of_libm() {
    let wrong = mismatches(&tanh_inputs(3_000_000), tanh_in_place, libm::tanh);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn two_lane_exp_gives_the_bits_of_libm() {
    let wrong = mismatches(&exp_inputs(3_000_000), exp_in_place, libm::exp);
    assert!(wrong.is_empty(), "{wrong:#?}");
}
