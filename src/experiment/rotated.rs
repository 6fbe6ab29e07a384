//! The Hessian of a spec's rotated quadratic, H_r = Q_r diag(lambda) Q_r^T (docs/theory.md, "The
//! generator"), made whole or in parts by a pool: natively the threads of `parallel` share it;
//! the page, whose workers share no memory, hands each worker a part of Q_r's columns, then
//! (with all of Q_r) a part of H's rows, and puts H together in the worker that runs the spec
//! (`Kept::keep_rotated`). Every entry is computed by the code that computes it in one piece,
//! so the parts give the bits of the whole.

use crate::linalg::Matrix;
use crate::objective::{rotated_hessian_watched, spectrum, HaarRotation};
use crate::parallel::Tick;
use crate::rng::{Rng, Stream};
use crate::spec::{ProblemKind, RunTask};

/// What H_r is made of: the spectrum, the rotation's angles and the knob r.
pub struct RotatedHessian {
    lambda: Vec<f64>,
    rotation: HaarRotation,
    r: f64,
}

/// The size d of the rotated quadratic `task` makes (None for another problem, or r = 0:
/// diagonal), without drawing it.
pub fn rotated_size(task: &RunTask) -> Option<usize> {
    (task.problem.kind == ProblemKind::Quadratic && task.problem.rotation != 0.0).then(|| task.dim())
}

/// The eigenvalues of the quadratic (kind quadratic) `task` makes.
pub(super) fn eigenvalues(task: &RunTask) -> Vec<f64> {
    let p = &task.problem;
    spectrum(p.spectrum, task.dim(), p.lambda_min, p.lambda_max, p.outliers as usize)
}

/// Part `part` of `parts` of the rows of the H_r that `task` makes (its lower triangle,
/// `Matrix::weighted_gram_part`), from every part of its Q_r's columns in order
/// (`RotatedHessian::rotation_part`), without drawing the rotation again; None for another
/// problem, or unless the parts make a d x d matrix.
pub fn hessian_part(
    task: &RunTask,
    rotation_parts: &[Vec<f64>],
    part: usize,
    parts: usize,
    tick: Tick,
) -> Option<Vec<f64>> {
    let q = Matrix::from_column_blocks(rotated_size(task)?, rotation_parts)?;
    Some(q.weighted_gram_part(&eigenvalues(task), part, parts, tick))
}

impl RotatedHessian {
    /// The rotated quadratic `task` makes (None for another problem, or r = 0: diagonal).
    pub fn of(task: &RunTask) -> Option<Self> {
        let d = rotated_size(task)?;
        let p = &task.problem;
        Some(RotatedHessian {
            lambda: eigenvalues(task),
            rotation: HaarRotation::new(d, &mut Rng::stream(p.seed, Stream::Rotation)),
            r: p.rotation,
        })
    }

    /// H_r whole, telling `done(fraction)`.
    pub fn matrix(&self, done: &mut dyn FnMut(f64)) -> Matrix {
        rotated_hessian_watched(&self.lambda, &self.rotation, self.r, done)
    }

    /// Part `part` of `parts` of Q_r's columns: a row-major block of consecutive columns
    /// (`HaarRotation::matrix_part`).
    pub fn rotation_part(&self, part: usize, parts: usize, tick: Tick) -> Vec<f64> {
        self.rotation.matrix_part(self.r, part, parts, tick)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::spec::Spec;

    fn task(json: &str) -> RunTask {
        Spec::from_json(json).unwrap().run_task().unwrap()
    }

    /// The parts, put together as the page does, give H_r's bits for any number of parts
    /// (more parts than pieces leave some empty), at sizes around the strip widths and the
    /// Gram product's block of rows; and what is not a rotated quadratic has no parts.
    #[test]
    fn parts_put_together_are_the_whole_to_the_bit() {
        for (d, r) in [(2, 1.0), (5, 1.0), (9, 0.37), (33, 1.0), (70, 0.6)] {
            let t = task(&format!(r#"{{"problem": {{"d": {d}, "rotation": {r}, "seed": 4}}}}"#));
            let made = RotatedHessian::of(&t).unwrap();
            let whole = made.matrix(&mut |_| ());
            for parts in [1, 2, 3, 7] {
                let q: Vec<Vec<f64>> = (0..parts).map(|k| made.rotation_part(k, parts, &mut |_| true)).collect();
                let rows = (0..parts).map(|k| hessian_part(&t, &q, k, parts, &mut |_| true).unwrap());
                assert_eq!(Matrix::from_lower_rows(d, rows).unwrap(), whole, "d = {d}, {parts} parts");
            }
            assert!(hessian_part(&t, &[vec![0.0; d]], 0, 1, &mut |_| true).is_none() || d == 1);
        }
        assert!(RotatedHessian::of(&task(r#"{"problem": {"d": 5, "rotation": 0}}"#)).is_none());
        assert!(RotatedHessian::of(&task(r#"{"problem": {"kind": "rosenbrock", "d": 5}}"#)).is_none());
    }
}
