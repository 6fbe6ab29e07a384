//! The CLI reads every number as the page does: serde_json (with `float_roundtrip`) gives the
//! correctly rounded double of a 17-digit decimal, as `str::parse` (core's dec2flt) and
//! JavaScript's `JSON.parse` do; tests/wasm_api.rs checks the same numbers against `JSON.parse`.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/seventeen_digits.rs"]
mod seventeen_digits;

use seventeen_digits::{seventeen_digit_numbers, specs_holding};
use steepest::spec::Spec;

#[test]
fn json_numbers_read_correctly_rounded_and_print_back_shortest() {
    let numbers = seventeen_digit_numbers(10_000, 17);
    let mut wrong = Vec::new();
    for s in &numbers {
        let truth: f64 = s.parse().unwrap();
        let x = match serde_json::from_str::<f64>(s) {
            Ok(x) if x.to_bits() == truth.to_bits() => x,
            read => {
                wrong.push(format!("{s}: read {read:?}, correctly rounded {truth:e}"));
                continue;
            }
        };
        // The shortest round-trip forms (Rust's Display, ryu in serde_json) read back the same.
        assert_eq!(x.to_string().parse::<f64>().unwrap().to_bits(), x.to_bits(), "{s}");
        let printed = serde_json::to_string(&x).unwrap();
        assert_eq!(serde_json::from_str::<f64>(&printed).unwrap().to_bits(), x.to_bits(), "{s} -> {printed}");
    }
    assert!(wrong.is_empty(), "{} of {} misread, e.g. {:?}", wrong.len(), numbers.len(), &wrong[..wrong.len().min(5)]);
}

#[test]
fn specs_hold_their_numbers_exactly() {
    let numbers = seventeen_digit_numbers(10_000, 17);
    let mut checked = 0;
    for (text, truth) in specs_holding(&numbers) {
        let spec = Spec::from_json(&text).unwrap();
        let held: Vec<f64> = match spec.problem.x0 {
            Some(x0) => x0,
            None => spec.methods.iter().map(|m| m.lr.unwrap()).collect(),
        };
        assert_eq!(held.len(), truth.len());
        for (x, t) in held.iter().zip(&truth) {
            assert_eq!(x.to_bits(), t.to_bits(), "read {x:e}, correctly rounded {t:e}");
        }
        checked += held.len();
    }
    // Most numbers fit x0's range, and a good share lr's as well.
    assert!(checked > 6_000, "{checked}");
}
