//! Seeded decimal numbers of 17 significant digits (`-1.2345678901234567e-89`), for checking that
//! every reader of a spec (serde_json in the CLI and in the wasm core, `JSON.parse` on the page)
//! reads each one as the same double: the correctly rounded one. Seventeen digits are where a
//! reader that is not correctly rounded goes wrong, and a printed double can need all of them.
//!
//! Of every ten numbers: four are uniform over the finite range; one is subnormal (or rounds to
//! zero); one lies at an extreme (near f64::MAX, the smallest normal or the smallest subnormal);
//! four lie next to the midpoint between two neighbouring doubles, where rounding is closest to
//! a tie.

use steepest::rng::Rng;

/// `n` numbers from `seed`, as JSON number literals.
pub fn seventeen_digit_numbers(n: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..n).map(|i| number(&mut rng, i % 10)).collect()
}

/// 17 random digits with a nonzero lead: 10^16 <= m < 10^17.
fn mantissa(rng: &mut Rng) -> u64 {
    10u64.pow(16) + rng.next_u64() % (9 * 10u64.pow(16))
}

fn below(rng: &mut Rng, n: u64) -> u64 {
    rng.next_u64() % n
}

fn number(rng: &mut Rng, kind: usize) -> String {
    let sign = if rng.next_u64() & 1 == 1 { "-" } else { "" };
    let (m, e) = match kind {
        0..=3 => (mantissa(rng), below(rng, 615) as i64 - 307),
        4 => (mantissa(rng), below(rng, 16) as i64 - 324),
        5 => {
            // (lowest mantissa, how many, exponent). The largest double is 1.7976931348623157e308;
            // above 1.79769313486231580793...e308 a reader must overflow, so stop at ...158.
            let (low, count, e) = match below(rng, 3) {
                0 => (17976931348623157 - 100, 102, 308),
                1 => (22250738585072014 - 50, 101, -308),
                _ => (49406564584124654 - 50, 101, -324),
            };
            (low + below(rng, count), e)
        }
        _ => near_midpoint(rng),
    };
    let digits = m.to_string();
    format!("{sign}{}.{}e{e}", &digits[..1], &digits[1..])
}

/// A 17-digit decimal (mantissa, exponent of its lead digit) next to the midpoint between a random
/// normal double x and the next one up: the midpoint is computed from both neighbours printed
/// with 30 correctly rounded digits, then rounded down or up to 17 digits.
fn near_midpoint(rng: &mut Rng) -> (u64, i64) {
    loop {
        let x = f64::from_bits(rng.next_u64() >> 1);
        let next = f64::from_bits(x.to_bits() + 1);
        if !x.is_normal() || !next.is_finite() {
            continue;
        }
        let (lo, e_lo) = thirty_digits(x);
        let (hi, e_hi) = thirty_digits(next);
        if e_lo != e_hi {
            continue;
        }
        let mid = (lo + hi) / 2;
        let m = (mid / 10u128.pow(13)) as u64 + below(rng, 2);
        if m < 10u64.pow(17) {
            return (m, e_lo);
        }
    }
}

/// x printed with 30 significant digits: (the digits as an integer, the exponent of the first).
fn thirty_digits(x: f64) -> (u128, i64) {
    let text = format!("{x:.29e}");
    let (digits, e) = text.split_once('e').expect("exponent form");
    (digits.replace('.', "").parse().expect("digits"), e.parse().expect("exponent"))
}

/// Specs that hold `numbers` where the schema allows them, each with the correctly rounded
/// values (`str::parse`) it holds in order: x0 for |x| <= 1e12 (up to 2000 a spec, d = their
/// count), and lr for 0 < x <= 1e6 (8 const-step methods a spec).
pub fn specs_holding(numbers: &[String]) -> Vec<(String, Vec<f64>)> {
    let parsed: Vec<(&str, f64)> = numbers.iter().map(|s| (s.as_str(), s.parse().expect("a number"))).collect();
    let x0: Vec<_> = parsed.iter().filter(|(_, x)| x.abs() <= 1e12).collect();
    let lr: Vec<_> = parsed.iter().filter(|(_, x)| *x > 0.0 && *x <= 1e6).collect();
    let x0_specs = x0.chunks(2000).map(|c| {
        let list: Vec<&str> = c.iter().map(|(s, _)| *s).collect();
        (
            format!(r#"{{"problem": {{"d": {}, "x0": [{}]}}}}"#, c.len(), list.join(",")),
            c.iter().map(|(_, x)| *x).collect(),
        )
    });
    let lr_specs = lr.chunks(8).map(|c| {
        let methods: Vec<String> =
            c.iter().map(|(s, _)| format!(r#"{{"kind": "gd", "rule": "const", "lr": {s}}}"#)).collect();
        (format!(r#"{{"methods": [{}]}}"#, methods.join(",")), c.iter().map(|(_, x)| *x).collect())
    });
    x0_specs.chain(lr_specs).collect()
}
