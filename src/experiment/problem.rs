//! Builds the objective and the start point a spec describes.

use crate::data::load;
use crate::objective::{
    hessian_2d, rotated_hessian, spectrum, HaarRotation, Network, Objective, Quadratic, Rosenbrock, Rotated,
};
use crate::rng::{Rng, Stream};
use crate::spec::{ProblemKind, ProblemSpec, RunTask, Spec, StartKind};

pub struct Problem {
    pub objective: Box<dyn Objective>,
    /// Q when the spec optimises in a rotated parameter space x = Q z (`objective` is then in z).
    pub rotation: Option<crate::linalg::Matrix>,
    /// The minimiser (centre of the quadratic, or ones for Rosenbrock).
    pub x_star: Vec<f64>,
    pub x0: Vec<f64>,
}

/// The objective and start point of a run task.
pub fn build(task: &RunTask) -> Problem {
    let p = &task.problem;
    let d = task.dim();
    let objective: Box<dyn Objective> = match p.kind {
        ProblemKind::Quadratic => {
            let lam = spectrum(p.spectrum, d, p.lambda_min, p.lambda_max, p.outliers as usize);
            let h = if p.rotation == 0.0 {
                crate::linalg::Matrix::diagonal(&lam)
            } else {
                let rot = HaarRotation::new(d, &mut Rng::stream(p.seed, Stream::Rotation));
                rotated_hessian(&lam, &rot, p.rotation)
            };
            Box::new(Quadratic::with_spectrum(h, vec![0.0; d], lam))
        }
        ProblemKind::Quad2d => {
            let mut lam = vec![p.lambda_max, p.lambda_min];
            lam.sort_by(f64::total_cmp);
            Box::new(Quadratic::with_spectrum(hessian_2d(p.lambda_max, p.lambda_min, p.angle), vec![0.0; 2], lam))
        }
        ProblemKind::Matrix => match task.matrix() {
            Some(h) => Box::new(Quadratic::from_symmetric(h.clone())),
            None => unreachable!("a run task of kind matrix holds its checked matrix"),
        },
        ProblemKind::Rosenbrock => Box::new(Rosenbrock::new(d)),
        ProblemKind::Network => Box::new(network(p)),
    };
    let x_star = match p.kind {
        ProblemKind::Rosenbrock => vec![1.0; d],
        ProblemKind::Quadratic | ProblemKind::Quad2d | ProblemKind::Matrix | ProblemKind::Network => vec![0.0; d],
    };
    let x0 = match (p.kind, &p.x0) {
        (ProblemKind::Network, None) => network(p).init(p.seed, p.start_scale),
        (_, Some(x0)) => x0.clone(),
        (ProblemKind::Quadratic | ProblemKind::Quad2d | ProblemKind::Matrix | ProblemKind::Rosenbrock, None) => {
            start_point(p, &x_star)
        }
    };
    if p.rotate_params {
        let q = HaarRotation::new(d, &mut Rng::stream(p.seed, Stream::Rotation)).matrix(1.0);
        let rotated = Rotated::new(objective, q.clone());
        // Start from the same point of the original space: z0 = Q^T x0.
        let z0 = rotated.to_rotated(&x0);
        return Problem { objective: Box::new(rotated), rotation: Some(q), x_star, x0: z0 };
    }
    Problem { objective, rotation: None, x_star, x0 }
}

impl Problem {
    /// A point of the optimised space in the original parameters (x = Q z when rotated).
    pub fn original(&self, z: &[f64]) -> Vec<f64> {
        match &self.rotation {
            Some(q) => q.matvec(z),
            None => z.to_vec(),
        }
    }
}

/// The classifier of a network spec, trained on the seeded training split.
pub(crate) fn network(p: &ProblemSpec) -> Network {
    let (train, _) = load(p.dataset, p.seed);
    Network::new(train, &p.hidden_layers(), p.activation, p.l2)
}

/// x* + start_scale z, z standard normal (seeded) or all ones.
fn start_point(p: &ProblemSpec, x_star: &[f64]) -> Vec<f64> {
    let z = match p.start {
        StartKind::Gaussian => Rng::stream(p.seed, Stream::Start).normals(x_star.len()),
        StartKind::Ones => vec![1.0; x_star.len()],
    };
    x_star.iter().zip(&z).map(|(c, zi)| c + p.start_scale * zi).collect()
}

/// Measures a network spec's parameters on its training and test sets.
pub struct Evaluator {
    net: Network,
    train: crate::data::Dataset,
    test: crate::data::Dataset,
}

/// Loss (mean cross-entropy, without the penalty) and accuracy on both sets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Evaluation {
    pub train_loss: f64,
    pub train_accuracy: f64,
    pub test_loss: f64,
    pub test_accuracy: f64,
}

impl Evaluator {
    /// For a network spec; None for other objectives.
    pub fn of(spec: &Spec) -> Option<Self> {
        let p = &spec.problem;
        (p.kind == ProblemKind::Network).then(|| {
            let (train, test) = load(p.dataset, p.seed);
            Evaluator { net: network(p), train, test }
        })
    }

    /// Parameters `x` in the original (unrotated) space.
    pub fn evaluate(&self, x: &[f64]) -> Evaluation {
        let (train_loss, train_accuracy) = self.net.loss_and_accuracy(x, &self.train);
        let (test_loss, test_accuracy) = self.net.loss_and_accuracy(x, &self.test);
        Evaluation { train_loss, train_accuracy, test_loss, test_accuracy }
    }
}
