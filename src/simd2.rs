//! Two f64 lanes with lane-wise IEEE arithmetic: one type for the kernels that need wasm's
//! simd128 spelled out (the Givens strips, the network's 2-lane dot products, the elementary
//! functions of `elementary`). In wasm it is one `v128` register, written out because LLVM does
//! not vectorise these loops for wasm on its own (or vectorises them across the wrong axis, with
//! a splat and a shuffle per product); natively it is a plain `[f64; 2]`, which the compiler maps
//! onto SSE2 or NEON registers. Every operation is a single IEEE operation per lane (products and
//! sums are never fused), so both give the same bits as the same scalar code.

pub mod elementary;

#[cfg(target_arch = "wasm32")]
pub use simd128::{F64x2, Mask};

#[cfg(not(target_arch = "wasm32"))]
pub use plain::{F64x2, Mask};

/// wasm: one simd128 register.
#[cfg(target_arch = "wasm32")]
mod simd128 {
    use core::arch::wasm32::*;

    /// Two f64 lanes.
    #[derive(Clone, Copy)]
    pub struct F64x2(v128);

    /// A lane-wise condition: all bits of a lane set where it holds.
    #[derive(Clone, Copy)]
    pub struct Mask(v128);

    impl F64x2 {
        pub const ZERO: F64x2 = F64x2(f64x2(0.0, 0.0));

        #[inline(always)]
        pub fn new(a: f64, b: f64) -> Self {
            F64x2(f64x2(a, b))
        }

        #[inline(always)]
        pub fn splat(v: f64) -> Self {
            F64x2(f64x2_splat(v))
        }

        #[inline(always)]
        pub fn load(x: &[f64; 2]) -> Self {
            F64x2::new(x[0], x[1])
        }

        #[inline(always)]
        pub fn store(self, out: &mut [f64; 2]) {
            *out = self.to_array();
        }

        #[inline(always)]
        pub fn to_array(self) -> [f64; 2] {
            [f64x2_extract_lane::<0>(self.0), f64x2_extract_lane::<1>(self.0)]
        }

        /// self + x y, lane by lane (rounded twice: no FMA).
        #[inline(always)]
        pub fn add_product(self, x: F64x2, y: F64x2) -> Self {
            F64x2(f64x2_add(self.0, f64x2_mul(x.0, y.0)))
        }

        #[inline(always)]
        pub fn abs(self) -> Self {
            F64x2(f64x2_abs(self.0))
        }

        /// Rounded toward zero (f64x2.trunc), for the lanes' integer parts.
        #[inline(always)]
        pub fn trunc(self) -> Self {
            F64x2(f64x2_trunc(self.0))
        }

        /// 2^k for lanes holding integers k in [-1022, 1023], exactly: k + 2^52 + 1023 holds the
        /// biased exponent 1023 + k in its low mantissa bits, which a shift moves into place.
        #[inline(always)]
        pub fn pow2(self) -> Self {
            let biased = f64x2_add(self.0, f64x2_splat(4503599627371519.0));
            F64x2(i64x2_shl(biased, 52))
        }

        #[inline(always)]
        pub fn lt(self, other: F64x2) -> Mask {
            Mask(f64x2_lt(self.0, other.0))
        }

        #[inline(always)]
        pub fn le(self, other: F64x2) -> Mask {
            Mask(f64x2_le(self.0, other.0))
        }

        #[inline(always)]
        pub fn ge(self, other: F64x2) -> Mask {
            Mask(f64x2_ge(self.0, other.0))
        }

        #[inline(always)]
        pub fn eq(self, other: F64x2) -> Mask {
            Mask(f64x2_eq(self.0, other.0))
        }
    }

    impl Mask {
        /// `yes` in the lanes where the condition holds, else `no`.
        #[inline(always)]
        pub fn select(self, yes: F64x2, no: F64x2) -> F64x2 {
            F64x2(v128_bitselect(yes.0, no.0, self.0))
        }

        #[inline(always)]
        pub fn all(self) -> bool {
            i64x2_all_true(self.0)
        }

        #[inline(always)]
        pub fn to_array(self) -> [bool; 2] {
            [i64x2_extract_lane::<0>(self.0) != 0, i64x2_extract_lane::<1>(self.0) != 0]
        }
    }

    impl core::ops::BitAnd for Mask {
        type Output = Mask;
        #[inline(always)]
        fn bitand(self, other: Mask) -> Mask {
            Mask(v128_and(self.0, other.0))
        }
    }

    macro_rules! lane_op {
        ($trait:ident, $method:ident, $op:ident) => {
            impl core::ops::$trait for F64x2 {
                type Output = F64x2;
                #[inline(always)]
                fn $method(self, other: F64x2) -> F64x2 {
                    F64x2($op(self.0, other.0))
                }
            }
        };
    }
    lane_op!(Add, add, f64x2_add);
    lane_op!(Sub, sub, f64x2_sub);
    lane_op!(Mul, mul, f64x2_mul);
    lane_op!(Div, div, f64x2_div);

    impl core::ops::Neg for F64x2 {
        type Output = F64x2;
        #[inline(always)]
        fn neg(self) -> F64x2 {
            F64x2(f64x2_neg(self.0))
        }
    }
}

/// Natively: the plain pair, lane by lane.
#[cfg(not(target_arch = "wasm32"))]
mod plain {
    /// Two f64 lanes.
    #[derive(Clone, Copy)]
    pub struct F64x2([f64; 2]);

    /// A lane-wise condition.
    #[derive(Clone, Copy)]
    pub struct Mask([bool; 2]);

    impl F64x2 {
        pub const ZERO: F64x2 = F64x2([0.0; 2]);

        #[inline(always)]
        pub fn new(a: f64, b: f64) -> Self {
            F64x2([a, b])
        }

        #[inline(always)]
        pub fn splat(v: f64) -> Self {
            F64x2([v; 2])
        }

        #[inline(always)]
        pub fn load(x: &[f64; 2]) -> Self {
            F64x2(*x)
        }

        #[inline(always)]
        pub fn store(self, out: &mut [f64; 2]) {
            *out = self.0;
        }

        #[inline(always)]
        pub fn to_array(self) -> [f64; 2] {
            self.0
        }

        #[inline(always)]
        fn map(self, f: impl Fn(f64) -> f64) -> Self {
            F64x2([f(self.0[0]), f(self.0[1])])
        }

        #[inline(always)]
        fn zip(self, other: F64x2, f: impl Fn(f64, f64) -> f64) -> Self {
            F64x2([f(self.0[0], other.0[0]), f(self.0[1], other.0[1])])
        }

        #[inline(always)]
        fn test(self, other: F64x2, f: impl Fn(f64, f64) -> bool) -> Mask {
            Mask([f(self.0[0], other.0[0]), f(self.0[1], other.0[1])])
        }

        /// self + x y, lane by lane (rounded twice: no FMA).
        #[inline(always)]
        pub fn add_product(self, x: F64x2, y: F64x2) -> Self {
            self + x * y
        }

        #[inline(always)]
        pub fn abs(self) -> Self {
            self.map(f64::abs)
        }

        /// Rounded toward zero, for lanes below 2^63 in magnitude (the conversion truncates;
        /// `f64::trunc` would be a library call without SSE4.1).
        #[inline(always)]
        pub fn trunc(self) -> Self {
            self.map(|v| v as i64 as f64)
        }

        /// 2^k for lanes holding integers k in [-1022, 1023], exactly (other lanes get some
        /// value, as in wasm, and no overflow panic).
        #[inline(always)]
        pub fn pow2(self) -> Self {
            self.map(|k| f64::from_bits(((k as i64).wrapping_add(1023) as u64) << 52))
        }

        #[inline(always)]
        pub fn lt(self, other: F64x2) -> Mask {
            self.test(other, |a, b| a < b)
        }

        #[inline(always)]
        pub fn le(self, other: F64x2) -> Mask {
            self.test(other, |a, b| a <= b)
        }

        #[inline(always)]
        pub fn ge(self, other: F64x2) -> Mask {
            self.test(other, |a, b| a >= b)
        }

        #[inline(always)]
        pub fn eq(self, other: F64x2) -> Mask {
            self.test(other, |a, b| a == b)
        }
    }

    impl Mask {
        /// `yes` in the lanes where the condition holds, else `no`.
        #[inline(always)]
        pub fn select(self, yes: F64x2, no: F64x2) -> F64x2 {
            F64x2([if self.0[0] { yes.0[0] } else { no.0[0] }, if self.0[1] { yes.0[1] } else { no.0[1] }])
        }

        #[inline(always)]
        pub fn all(self) -> bool {
            self.0[0] && self.0[1]
        }

        #[inline(always)]
        pub fn to_array(self) -> [bool; 2] {
            self.0
        }
    }

    impl core::ops::BitAnd for Mask {
        type Output = Mask;
        #[inline(always)]
        fn bitand(self, other: Mask) -> Mask {
            Mask([self.0[0] && other.0[0], self.0[1] && other.0[1]])
        }
    }

    macro_rules! lane_op {
        ($trait:ident, $method:ident, $op:tt) => {
            impl core::ops::$trait for F64x2 {
                type Output = F64x2;
                #[inline(always)]
                fn $method(self, other: F64x2) -> F64x2 {
                    self.zip(other, |a, b| a $op b)
                }
            }
        };
    }
    lane_op!(Add, add, +);
    lane_op!(Sub, sub, -);
    lane_op!(Mul, mul, *);
    lane_op!(Div, div, /);

    impl core::ops::Neg for F64x2 {
        type Output = F64x2;
        #[inline(always)]
        fn neg(self) -> F64x2 {
            self.map(|v| -v)
        }
    }
}
