//! An objective in a rotated parameter space: g(z) = f(Q z) with Q orthogonal. GD and its
//! momentum variants are equivariant under rotations (their iterates are Q times the original
//! ones), sign-based methods are not: the paper's test of what a basis buys.
//!
//! grad g(z) = Q^T grad f(Q z), and Hess g(z) = Q^T Hess f(Q z) Q.

use super::Objective;
use crate::linalg::Matrix;

pub struct Rotated {
    inner: Box<dyn Objective>,
    q: Matrix,
}

impl Rotated {
    /// `q` must be orthogonal and of the objective's dimension.
    pub fn new(inner: Box<dyn Objective>, q: Matrix) -> Self {
        assert_eq!(inner.dim(), q.n(), "rotation and objective dimensions differ");
        Rotated { inner, q }
    }

    /// z = Q^T x: the rotated coordinates of a point x of the original space.
    pub fn to_rotated(&self, x: &[f64]) -> Vec<f64> {
        let mut z = vec![0.0; x.len()];
        self.q.matvec_transposed_into(x, &mut z);
        z
    }
}

impl Objective for Rotated {
    fn dim(&self) -> usize {
        self.inner.dim()
    }

    fn value(&self, z: &[f64]) -> f64 {
        self.inner.value(&self.q.matvec(z))
    }

    fn value_and_gradient(&self, z: &[f64], g: &mut [f64]) -> f64 {
        self.value_gradient_and_fit(z, g).0
    }

    /// The inner objective's, at x = Q z: the fit is in its own parameters.
    fn value_gradient_and_fit(&self, z: &[f64], g: &mut [f64]) -> (f64, Option<(f64, f64)>) {
        let x = self.q.matvec(z);
        let mut gx = vec![0.0; x.len()];
        let fit = self.inner.value_gradient_and_fit(&x, &mut gx);
        self.q.matvec_transposed_into(&gx, g);
        fit
    }

    fn hessian_vector(&self, z: &[f64], v: &[f64], out: &mut [f64]) {
        let x = self.q.matvec(z);
        let u = self.q.matvec(v);
        let mut w = vec![0.0; x.len()];
        self.inner.hessian_vector(&x, &u, &mut w);
        self.q.matvec_transposed_into(&w, out);
    }

    /// Q^T H(Q z) Q from the inner objective's dense Hessian: two matrix products instead of d
    /// Hessian-vector products.
    fn hessian(&self, z: &[f64]) -> Option<Matrix> {
        self.inner.hessian(&self.q.matvec(z)).map(|h| h.congruence(&self.q))
    }

    /// The inner objective's: an optimiser cuts z into layers as it would cut x, unaware of Q
    /// (which mixes the layers, so per-layer methods notice the rotation).
    fn layout(&self) -> crate::norm::Layout {
        self.inner.layout()
    }

    fn rows(&self) -> usize {
        self.inner.rows()
    }

    fn batch_value_and_gradient(&self, z: &[f64], rows: &[usize], g: &mut [f64]) -> f64 {
        let x = self.q.matvec(z);
        let mut gx = vec![0.0; x.len()];
        let f = self.inner.batch_value_and_gradient(&x, rows, &mut gx);
        self.q.matvec_transposed_into(&gx, g);
        f
    }

    fn minimum(&self) -> Option<f64> {
        self.inner.minimum()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::objective::{HaarRotation, Rosenbrock};
    use crate::optimizer::method::{Method, GD, HEAVY_BALL, SIGN_GD};
    use crate::optimizer::{run, RunConfig, StepSize, Trace};
    use crate::rng::Rng;

    #[test]
    fn dense_hessian_is_the_rotated_inner_hessian() {
        let d = 6;
        let rotated = Rotated::new(Box::new(Rosenbrock::new(d)), HaarRotation::new(d, &mut Rng::new(2)).matrix(1.0));
        let z: Vec<f64> = Rng::new(3).normals(d);
        let (dense, by_columns) = (rotated.hessian(&z).unwrap(), crate::objective::hessian_by_columns(&rotated, &z));
        for i in 0..d {
            for j in 0..d {
                assert!((dense.get(i, j) - by_columns.get(i, j)).abs() < 1e-9 * (1.0 + by_columns.get(i, j).abs()));
            }
        }
    }

    fn curves(kind: &Method, lr: f64) -> (Vec<f64>, Vec<f64>) {
        let d = 6;
        let q = HaarRotation::new(d, &mut Rng::new(5)).matrix(1.0);
        let plain = Rosenbrock::new(d);
        let rotated = Rotated::new(Box::new(Rosenbrock::new(d)), q);
        let x0: Vec<f64> = (0..d).map(|i| if i % 2 == 0 { -1.2 } else { 1.0 }).collect();
        let z0 = rotated.to_rotated(&x0);
        let cfg = RunConfig::new(200, None);
        let (mut a, mut b) = (Trace::default(), Trace::default());
        let chain = || kind.chain(&kind.defaults(), StepSize::Const(lr), &plain.layout());
        run(&plain, &x0, &mut chain(), &cfg, &mut [&mut a]);
        run(&rotated, &z0, &mut chain(), &cfg, &mut [&mut b]);
        (a.f, b.f)
    }

    #[test]
    fn gd_and_momentum_are_rotation_equivariant_and_sign_gd_is_not() {
        for kind in [&GD, &HEAVY_BALL] {
            let (a, b) = curves(kind, 2e-4);
            for (x, y) in a.iter().zip(&b) {
                assert!((x - y).abs() <= 1e-9 * x.abs().max(1e-12), "{kind:?}: {x} vs {y}");
            }
        }
        let (a, b) = curves(&SIGN_GD, 1e-3);
        let worst = a.iter().zip(&b).map(|(x, y)| (x - y).abs() / x.abs()).fold(0.0, f64::max);
        assert!(worst > 1e-3, "sign GD should notice the rotation: {worst}");
    }

    #[test]
    fn gradient_and_hessian_vector_product_are_rotated() {
        let d = 4;
        let q = HaarRotation::new(d, &mut Rng::new(2)).matrix(1.0);
        let r = Rotated::new(Box::new(Rosenbrock::new(d)), q);
        let z = [0.3, -0.2, 0.5, 0.1];
        let v = [1.0, 0.5, -0.25, 2.0];
        let mut g = [0.0; 4];
        r.value_and_gradient(&z, &mut g);
        let mut hv = [0.0; 4];
        r.hessian_vector(&z, &v, &mut hv);
        let eps = 1e-6;
        let shifted = |s: f64| z.iter().zip(&v).map(|(a, b)| a + s * b).collect::<Vec<f64>>();
        let fd = (r.value(&shifted(eps)) - r.value(&shifted(-eps))) / (2.0 * eps);
        assert!((fd - dot(&g, &v)).abs() < 1e-6 * fd.abs().max(1.0));
        let (mut gp, mut gm) = ([0.0; 4], [0.0; 4]);
        r.value_and_gradient(&shifted(eps), &mut gp);
        r.value_and_gradient(&shifted(-eps), &mut gm);
        for i in 0..d {
            assert!(((gp[i] - gm[i]) / (2.0 * eps) - hv[i]).abs() < 1e-4 * hv[i].abs().max(1.0));
        }
    }

    use crate::norm::dot;
}
