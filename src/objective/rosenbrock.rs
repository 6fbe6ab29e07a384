//! f(x) = sum_{i<d-1} [100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2]; minimum 0 at x = (1, ..., 1).

use super::Objective;

#[derive(Clone, Debug)]
pub struct Rosenbrock {
    d: usize,
}

impl Rosenbrock {
    /// d >= 2 (checked by the spec).
    pub fn new(d: usize) -> Self {
        Rosenbrock { d }
    }
}

impl Objective for Rosenbrock {
    fn dim(&self) -> usize {
        self.d
    }

    fn value(&self, x: &[f64]) -> f64 {
        x.windows(2)
            .map(|w| {
                let (a, b) = (w[1] - w[0] * w[0], 1.0 - w[0]);
                100.0 * a * a + b * b
            })
            .sum()
    }

    fn value_and_gradient(&self, x: &[f64], g: &mut [f64]) -> f64 {
        g.fill(0.0);
        for i in 0..self.d - 1 {
            let t = x[i + 1] - x[i] * x[i];
            g[i] += -400.0 * x[i] * t - 2.0 * (1.0 - x[i]);
            g[i + 1] += 200.0 * t;
        }
        self.value(x)
    }

    /// H_ii = 1200 x_i^2 - 400 x_{i+1} + 2 (i < d-1) + 200 (i > 0); H_{i,i+1} = -400 x_i.
    fn hessian_vector(&self, x: &[f64], v: &[f64], out: &mut [f64]) {
        out.fill(0.0);
        for i in 0..self.d - 1 {
            let hii = 1200.0 * x[i] * x[i] - 400.0 * x[i + 1] + 2.0;
            let off = -400.0 * x[i];
            out[i] += hii * v[i] + off * v[i + 1];
            out[i + 1] += off * v[i] + 200.0 * v[i + 1];
        }
    }

    fn minimum(&self) -> Option<f64> {
        Some(0.0)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn derivatives_match_finite_differences() {
        let f = Rosenbrock::new(4);
        let x = [-1.2, 1.0, 0.3, -0.4];
        let mut g = [0.0; 4];
        f.value_and_gradient(&x, &mut g);
        let h = 1e-6;
        for i in 0..4 {
            let (mut xp, mut xm) = (x, x);
            xp[i] += h;
            xm[i] -= h;
            assert!(((f.value(&xp) - f.value(&xm)) / (2.0 * h) - g[i]).abs() < 1e-4);
            // Hessian column i by differences of gradients.
            let (mut gp, mut gm) = ([0.0; 4], [0.0; 4]);
            f.value_and_gradient(&xp, &mut gp);
            f.value_and_gradient(&xm, &mut gm);
            let hess = f.hessian(&x).unwrap();
            for k in 0..4 {
                assert!(((gp[k] - gm[k]) / (2.0 * h) - hess.get(k, i)).abs() < 1e-3);
            }
        }
        assert_eq!(f.value(&[1.0; 4]), 0.0);
    }
}
