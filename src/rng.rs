//! A small, portable pseudo-random generator.
//!
//! Every random choice in an experiment flows from the spec's seed through this type, so the same
//! spec gives the same numbers natively and in wasm, today and after any dependency update.
//! Algorithm: xoshiro256** (Blackman & Vigna 2018) seeded through SplitMix64; normals by
//! Box-Muller with `libm`'s portable `log`, `sqrt` and `cos`.

/// Every random stream drawn from a spec's seed, with its number. The numbers are part of every
/// result: a new stream takes a new number, and none is ever renumbered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// The Haar rotation of a generated quadratic, or of a rotated parameter space.
    Rotation = 1,
    /// The Gaussian start point.
    Start = 2,
    /// The shuffle that splits a data set into train and test rows.
    DataSplit = 3,
    /// A network's initial weights.
    NetworkInit = 4,
    /// The order of minibatches.
    Batches = 5,
    /// The Haar rotations of a matrix variable's two sides.
    SideRotation = 6,
    /// The order of the classes whose frequencies follow a Zipf law (problem.class_zipf).
    ClassOrder = 7,
    /// The random starts of local search for L_inf.
    LocalSearch = 11,
    /// The Gaussian directions of hyperplane rounding of the SDP solution.
    Rounding = 12,
    /// The Haar rotation the Hessian analysis compares against.
    Comparison = 21,
    /// The Rademacher probes of stochastic Lanczos quadrature.
    Probes = 22,
    /// The Lanczos starts of the eigenvalue track.
    Track = 23,
}

/// xoshiro256** state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// Seeds the four state words with SplitMix64 so that nearby seeds give unrelated streams.
    pub fn new(seed: u64) -> Self {
        let mut z = seed;
        let mut next = || {
            z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut x = z;
            x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            x ^ (x >> 31)
        };
        Rng { s: [next(), next(), next(), next()] }
    }

    /// The independent stream `stream` of a seed, so that e.g. changing the rotation does not
    /// move the start point.
    pub fn stream(seed: u64, stream: Stream) -> Self {
        Rng::new(seed ^ (stream as u64).wrapping_mul(0xD1B5_4A32_D192_ED03).rotate_left(17))
    }

    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Standard normal by Box-Muller (one of the pair; simplicity beats speed here).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(); // in (0, 1]: log is finite
        let u2 = self.uniform();
        f64::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * core::f64::consts::PI * u2)
    }

    /// A vector of `n` standard normals.
    pub fn normals(&mut self, n: usize) -> Vec<f64> {
        (0..n).map(|_| self.normal()).collect()
    }

    /// A vector of `n` random signs (Rademacher), each -1 or 1 with probability 1/2.
    pub fn signs(&mut self, n: usize) -> Vec<f64> {
        (0..n).map(|_| if self.uniform() < 0.5 { -1.0 } else { 1.0 }).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_different_seeds_differ() {
        let a: Vec<u64> = (0..8)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..8)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        let c: Vec<u64> = (0..8)
            .map({
                let mut r = Rng::new(8);
                move |_| r.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    /// Every result depends on the stream numbers: they stay the ones the streams were first
    /// drawn with.
    #[test]
    fn stream_numbers_never_change() {
        let numbers = [
            (Stream::Rotation, 1),
            (Stream::Start, 2),
            (Stream::DataSplit, 3),
            (Stream::NetworkInit, 4),
            (Stream::Batches, 5),
            (Stream::SideRotation, 6),
            (Stream::ClassOrder, 7),
            (Stream::LocalSearch, 11),
            (Stream::Rounding, 12),
            (Stream::Comparison, 21),
            (Stream::Probes, 22),
            (Stream::Track, 23),
        ];
        for (stream, n) in numbers {
            assert_eq!(stream as u64, n, "{stream:?}");
        }
    }

    #[test]
    fn normals_have_unit_moments() {
        // Sample mean and variance of 200k normals: standard errors are about 0.002 and 0.003.
        let mut r = Rng::new(1);
        let xs = r.normals(200_000);
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.015, "var {var}");
    }

    #[test]
    fn uniform_is_in_unit_interval() {
        let mut r = Rng::new(3);
        for _ in 0..10_000 {
            let u = r.uniform();
            assert!((0.0..1.0).contains(&u));
        }
    }
}
