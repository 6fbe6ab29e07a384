//! libm's `tanh` and `exp` (libm 0.2.16, after FreeBSD's msun) on two lanes at once, to the bit.
//!
//! The scalar functions branch on the argument's exponent. Here every lane in the common range
//! runs the same IEEE operations as its branch of the scalar code, computed for both lanes, and
//! the branch's result is picked per lane (a select, not a jump); a lane outside that range
//! (tiny, huge, infinite, NaN) takes the scalar libm call itself. Either way every lane gets
//! libm's bits. In wasm this halves the work of the network's activations and softmax, where
//! the scalar `tanh` (with its `expm1`) and `exp` took about a third of the training run.
//!
//! libm tests its branches on the high word of |x| (`hx > 0x3fd62e42`); for a non-negative x
//! that is the comparison |x| >= `word(0x3fd62e43)`, with `word(h)` the least double whose high
//! word is h.

// libm's literals, verbatim (more digits than a double holds), so they read against its source.
#![allow(clippy::excessive_precision)]

use super::{F64x2, Mask};

/// The least non-negative double whose high 32 bits are `high`.
const fn word(high: u64) -> f64 {
    f64::from_bits(high << 32)
}

// expm1's constants (s_expm1.c).
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
/// libm's INVLN2, 0x3ff71547652b82fe: 1 / ln 2 rounded, which is std's log2(e).
const INVLN2: f64 = std::f64::consts::LOG2_E;
const Q1: f64 = -3.33333333333331316428e-02;
const Q2: f64 = 1.58730158725481460165e-03;
const Q3: f64 = -7.93650757867487942473e-05;
const Q4: f64 = 4.00821782732936239552e-06;
const Q5: f64 = -2.01099218183624371326e-07;

// exp's polynomial (e_exp.c); its LN2HI, LN2LO and INVLN2 are expm1's.
const P1: f64 = 1.66666666666666019037e-01;
const P2: f64 = -2.77777777770155933842e-03;
const P3: f64 = 6.61375632143793436117e-05;
const P4: f64 = -1.65339022054652515390e-06;
const P5: f64 = 4.13813679705723846039e-08;

/// tanh's lanes by `tanh`, an odd last value by `libm::tanh`: the bits of `libm::tanh` on each.
pub fn tanh_in_place(values: &mut [f64]) {
    map_in_place(values, tanh, libm::tanh);
}

/// exp's lanes by `exp`, an odd last value by `libm::exp`: the bits of `libm::exp` on each.
pub fn exp_in_place(values: &mut [f64]) {
    map_in_place(values, exp, libm::exp);
}

#[inline(always)]
fn map_in_place(values: &mut [f64], pair: impl Fn(F64x2) -> F64x2, one: impl Fn(f64) -> f64) {
    let (pairs, last) = values.as_chunks_mut::<2>();
    for p in pairs {
        pair(F64x2::load(p)).store(p);
    }
    last.iter_mut().for_each(|v| *v = one(*v));
}

/// `computed` in the lanes `inside` the common range, `scalar(x)` in the others.
#[inline(always)]
fn or_scalar(computed: F64x2, x: F64x2, inside: Mask, scalar: fn(f64) -> f64) -> F64x2 {
    if inside.all() {
        return computed;
    }
    let ([c0, c1], [x0, x1], [in0, in1]) = (computed.to_array(), x.to_array(), inside.to_array());
    F64x2::new(if in0 { c0 } else { scalar(x0) }, if in1 { c1 } else { scalar(x1) })
}

/// libm's tanh of both lanes. tanh.rs, with |x| = s, for 2^-54 <= s <= 19 (else the scalar
/// call):
///   s > log(3)/2:      1 - 2 / (expm1(2 s) + 2)
///   s > log(5/3)/2:    t / (t + 2),   t = expm1(2 s)
///   else:              -t / (t + 2),  t = expm1(-2 s)
/// and the sign of x. expm1's argument a then lies in [-0.52, 38], past its tiny and huge
/// cases.
#[inline]
pub fn tanh(x: F64x2) -> F64x2 {
    let s = x.abs();
    let inside = s.ge(F64x2::splat(word(0x3c900000))) & s.le(F64x2::splat(19.0));
    let large = s.ge(F64x2::splat(word(0x3fe193eb)));
    let small = s.lt(F64x2::splat(word(0x3fd058af)));
    let two_s = F64x2::splat(2.0) * s;
    let t = expm1(small.select(-two_s, two_s));
    let two = F64x2::splat(2.0);
    let q = large.select(two, small.select(-t, t)) / (t + two);
    let t = large.select(F64x2::splat(1.0) - q, q);
    or_scalar(x.lt(F64x2::ZERO).select(-t, t), x, inside, libm::tanh)
}

/// libm's expm1 for 2^-54 <= |a| and -1.5 ln2 < a <= 38 (what `tanh` passes): the reduction
/// a = k ln2 + r (k = 0 for |a| <= 0.5 ln2, ±1 below 1.5 ln2, else trunc(a / ln2 + 1/2), so
/// -1 <= k <= 55), the rational approximation on r, and k's reconstruction of expm1.rs.
#[inline(always)]
fn expm1(a: F64x2) -> F64x2 {
    let (one, half) = (F64x2::splat(1.0), F64x2::splat(0.5));
    let aa = a.abs();
    let k_zero = aa.lt(F64x2::splat(word(0x3fd62e43)));
    let k_unit = aa.lt(F64x2::splat(word(0x3ff0a2b2)));
    let negative = a.lt(F64x2::ZERO);
    let k_general = (F64x2::splat(INVLN2) * a + negative.select(-half, half)).trunc();
    let k = k_zero.select(F64x2::ZERO, k_unit.select(negative.select(-one, one), k_general));
    // With k = 0: hi = a, lo = 0, x = a and c = 0, as libm has them.
    let hi = a - k * F64x2::splat(LN2_HI);
    let lo = k * F64x2::splat(LN2_LO);
    let x = hi - lo;
    let c = (hi - x) - lo;

    let hfx = half * x;
    let hxs = x * hfx;
    let poly = F64x2::splat(Q4) + hxs * F64x2::splat(Q5);
    let poly = F64x2::splat(Q1) + hxs * (F64x2::splat(Q2) + hxs * (F64x2::splat(Q3) + hxs * poly));
    let r1 = one + hxs * poly;
    let t = F64x2::splat(3.0) - r1 * hfx;
    let e = hxs * ((r1 - t) / (F64x2::splat(6.0) - x * t));
    let when_k_zero = x - (x * e - hxs);

    let e = x * (e - c) - c;
    let e = e - hxs;
    let when_k_minus_one = half * (x - e) - half;
    let two = F64x2::splat(2.0);
    let below = F64x2::splat(-2.0) * (e - (x + half));
    let when_k_one = x.lt(F64x2::splat(-0.25)).select(below, one + two * (x - e));
    let (twopk, uf) = (k.pow2(), (-k).pow2());
    let when_k_below_20 = (x - e + (one - uf)) * twopk;
    let when_k_from_20 = (x - (e + uf) + one) * twopk;

    let by_k = k.lt(F64x2::splat(20.0)).select(when_k_below_20, when_k_from_20);
    let by_k = k.eq(one).select(when_k_one, by_k);
    let by_k = k.eq(-one).select(when_k_minus_one, by_k);
    k_zero.select(when_k_zero, by_k)
}

/// libm's exp of both lanes, for |x| <= 700 (else the scalar call, so that every result here is
/// a normal number and libm's `scalbn(y, k)` is the exact product y 2^k). exp.rs: 1 + x for
/// |x| <= 2^-28, else x = k ln2 + r (k = ±1 below 1.5 ln2, else trunc(x / ln2 ± 1/2); k = 0 and
/// r = x for |x| <= 0.5 ln2) and 2^k (1 + (r c / (2 - c) - lo + hi)), c the polynomial in r².
#[inline]
pub fn exp(x: F64x2) -> F64x2 {
    let (one, half) = (F64x2::splat(1.0), F64x2::splat(0.5));
    let s = x.abs();
    let inside = s.le(F64x2::splat(700.0));
    let tiny = s.lt(F64x2::splat(word(0x3e300001)));
    let reduced = s.ge(F64x2::splat(word(0x3fd62e43)));
    let general = s.ge(F64x2::splat(word(0x3ff0a2b2)));
    let negative = x.lt(F64x2::ZERO);
    let k_general = (F64x2::splat(INVLN2) * x + negative.select(-half, half)).trunc();
    let k = general.select(k_general, reduced.select(negative.select(-one, one), F64x2::ZERO));
    let hi = x - k * F64x2::splat(LN2_HI);
    let lo = k * F64x2::splat(LN2_LO);
    let r = hi - lo;

    let rr = r * r;
    let poly = F64x2::splat(P3) + rr * (F64x2::splat(P4) + rr * F64x2::splat(P5));
    let c = r - rr * (F64x2::splat(P1) + rr * (F64x2::splat(P2) + rr * poly));
    let y = one + ((r * c / (F64x2::splat(2.0) - c) - lo) + hi);
    or_scalar(tiny.select(one + x, y * k.pow2()), x, inside, libm::exp)
}
