//! Awkward numbers for the tests of a kernel's summation order, shared by the unit tests of the
//! crate and the tests beside it.

/// Case `case` of the awkward numbers made of the standard normal z: one case in 11 each is 0,
/// -0, a subnormal, a large value or a negative one, and the rest z itself, so that every sign
/// and rounding case of a sum occurs.
pub fn awkward(z: f64, case: usize) -> f64 {
    match case % 11 {
        0 => 0.0,
        1 => -0.0,
        2 => z * 1e-310,
        3 => z * 1e150,
        4 => -z.abs(),
        _ => z,
    }
}
