//! Inputs on which the 2-lane `tanh` and `exp` (`steepest::simd2::elementary`) must give
//! `libm`'s bits, and the check: the same in `cargo test` natively and in wasm (Node).
//!
//! Every branch of libm 0.2.16's tanh.rs, expm1.rs and exp.rs: 64 doubles on each side of every
//! threshold they test (and of where the reduction's k changes), both signs; ±0, subnormals,
//! the extremes, ±inf and NaNs; a dense grid over the range where the lanes are computed; and
//! `random` seeded doubles (a third raw bits, a third uniform over the common range, a third of
//! random sign and log-uniform magnitude). Checked as one slice and again shifted by one, so
//! every value meets other neighbours in its pair and the odd last value is covered.

use steepest::rng::Rng;

/// The least non-negative double whose high 32 bits are `high` (libm's thresholds).
fn word(high: u64) -> f64 {
    f64::from_bits(high << 32)
}

/// Values every function is checked on.
fn specials() -> Vec<f64> {
    let mut v = vec![
        0.0,
        f64::MIN_POSITIVE,
        f64::from_bits(1),
        f64::from_bits(0x000f_ffff_ffff_ffff),
        f64::MAX,
        f64::INFINITY,
        1.0,
        0.5,
        2.0,
    ];
    v.extend(v.clone().iter().map(|x| -x));
    v.extend([f64::NAN, -f64::NAN, f64::from_bits(0x7ff0_0000_0000_0001), f64::from_bits(0xfff8_0000_dead_beef)]);
    v
}

/// `at`, its 64 neighbours on each side and all of them negated.
fn around(at: &[f64]) -> Vec<f64> {
    let mut v = Vec::new();
    for &x in at {
        let bits = x.abs().to_bits() as i64;
        for d in -64..=64 {
            let y = f64::from_bits((bits + d).max(0) as u64);
            v.extend([y, -y]);
        }
    }
    v
}

/// `n` points evenly over [-r, r].
fn grid(r: f64, n: usize) -> Vec<f64> {
    (0..=n).map(|i| -r + 2.0 * r * i as f64 / n as f64).collect()
}

fn random(seed: u64, n: usize, range: f64) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| match i % 3 {
            0 => f64::from_bits(rng.next_u64()),
            1 => range * (2.0 * rng.uniform() - 1.0),
            _ => {
                let sign = if rng.next_u64() & 1 == 1 { -1.0 } else { 1.0 };
                sign * libm::exp2(-70.0 + 80.0 * rng.uniform())
            }
        })
        .collect()
}

/// The inputs for tanh: its thresholds on |x| (tanh.rs: 2^-1022, log(5/3)/2, log(3)/2, 20) and
/// expm1's on |2x| (expm1.rs: 2^-54, 0.5 ln2, 1.5 ln2, 56 ln2, and every k's edge, where
/// 2 x / ln2 + 1/2 crosses an integer), 19 and 2^-54 (where the lanes hand over to libm).
pub fn tanh_inputs(random_count: usize) -> Vec<f64> {
    let ln2 = std::f64::consts::LN_2;
    let mut edges =
        vec![word(0x00100000), word(0x3fd058af), word(0x3fe193eb), word(0x40340001), 19.0, word(0x3c900000)];
    edges.extend([word(0x3c900000), word(0x3fd62e43), word(0x3ff0a2b2), word(0x4043687a)].map(|a| a / 2.0));
    edges.extend((1..=60).map(|k| (k as f64 - 0.5) * ln2 / 2.0));
    [specials(), around(&edges), grid(25.0, 200_000), grid(1.0, 100_000), random(15, random_count, 25.0)].concat()
}

/// The inputs for exp: its thresholds (exp.rs: 2^-28, 0.5 ln2, 1.5 ln2, the overflow and
/// underflow edges, 708.39), every k's edge (x / ln2 ± 1/2 crossing an integer) and 700 (where
/// the lanes hand over to libm).
pub fn exp_inputs(random_count: usize) -> Vec<f64> {
    let ln2 = std::f64::consts::LN_2;
    let mut edges = vec![
        word(0x3e300001),
        word(0x3fd62e43),
        word(0x3ff0a2b2),
        word(0x4086232b),
        709.782_712_893_384,
        708.396_418_532_264_1,
        745.133_219_101_941_1,
        700.0,
    ];
    edges.extend((1..=1080).map(|k| (k as f64 - 0.5) * ln2));
    [specials(), around(&edges), grid(750.0, 300_000), grid(2.0, 100_000), random(16, random_count, 750.0)].concat()
}

/// Where `in_place` (on a slice) and `scalar` (one value) differ in bits, on `inputs` as given
/// and shifted by one; at most 10 listed.
pub fn mismatches(inputs: &[f64], in_place: fn(&mut [f64]), scalar: fn(f64) -> f64) -> Vec<String> {
    let mut wrong = Vec::new();
    for shift in [0, 1] {
        let mut out = inputs[shift..].to_vec();
        in_place(&mut out);
        for (x, y) in inputs[shift..].iter().zip(&out) {
            let want = scalar(*x);
            if y.to_bits() != want.to_bits() && wrong.len() < 10 {
                wrong.push(format!("x = {x:e} ({:#018x}): {y:e}, libm {want:e}", x.to_bits()));
            }
        }
    }
    wrong
}
