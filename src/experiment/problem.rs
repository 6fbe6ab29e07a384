//! Builds the objective and the start point a spec describes.

use super::rotated::{eigenvalues, RotatedHessian};
use crate::data::{load, split_by_group, training_set};
use crate::linalg::Matrix;
use crate::norm::Layout;
use crate::objective::{hessian_2d, HaarRotation, Network, Objective, Quadratic, Rosenbrock, Rotated};
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
    build_watched(task, &mut |_| ())
}

/// `build`, telling `done(fraction)` while it makes a rotated quadratic (O(d^3): Q_r from the
/// rotation's angles, then H = Q_r diag(lambda) Q_r^T).
pub fn build_watched(task: &RunTask, done: &mut dyn FnMut(f64)) -> Problem {
    build_from(task, RotatedHessian::of(task).map(|made| made.matrix(done)))
}

/// The problem of `task`, its rotated quadratic's Hessian being `rotated` (made by the caller;
/// None when the task has none to make: `RotatedHessian::of`).
fn build_from(task: &RunTask, rotated: Option<Matrix>) -> Problem {
    let p = &task.problem;
    let d = task.dim();
    let objective: Box<dyn Objective> = match p.kind {
        ProblemKind::Quadratic => {
            let lam = eigenvalues(task);
            let h = rotated.unwrap_or_else(|| Matrix::diagonal(&lam));
            Box::new(Quadratic::with_spectrum(sides(p, h), vec![0.0; d], lam).with_layout(layout(p, d)))
        }
        ProblemKind::Quad2d => {
            let mut lam = vec![p.lambda_max, p.lambda_min];
            lam.sort_by(f64::total_cmp);
            Box::new(Quadratic::with_spectrum(hessian_2d(p.lambda_max, p.lambda_min, p.angle), vec![0.0; 2], lam))
        }
        ProblemKind::Matrix => match task.matrix() {
            Some(h) => Box::new(Quadratic::from_symmetric(sides(p, h.clone())).with_layout(layout(p, d))),
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

/// The last problem built, kept for the next task on the same problem: the page's worker runs a
/// spec, then reports its geometry, and the CLI runs a preset, then checks its claims on the
/// report. A rotated quadratic costs O(d^3) to make (seconds at d = 2000 in wasm), and is then
/// made once.
#[derive(Default)]
pub struct Kept {
    /// The problem and what defines it (`key`).
    last: Option<(Option<String>, Problem)>,
}

impl Kept {
    /// The problem of `task`: the one kept if its problem section is the same, else built
    /// (telling `done(fraction)`) and kept in place of the last.
    pub fn problem(&mut self, task: &RunTask, done: &mut dyn FnMut(f64)) -> &Problem {
        let key = key(task);
        match self.last.take() {
            Some((Some(k), problem)) if Some(&k) == key.as_ref() => {
                done(1.0);
                &self.last.insert((Some(k), problem)).1
            }
            // Another problem: the last one is dropped before the new one is made.
            _ => {
                let problem = build_watched(task, done);
                &self.last.insert((key, problem)).1
            }
        }
    }

    /// Whether the problem of `task` is the one kept.
    pub fn keeps(&self, task: &RunTask) -> bool {
        matches!((&self.last, key(task)), (Some((Some(k), _)), Some(key)) if *k == key)
    }

    /// Keeps the problem of `task` (a rotated quadratic: `RotatedHessian::of`) with `h`, its
    /// Hessian made elsewhere: by the page's pool of workers, in parts.
    pub fn keep_rotated(&mut self, task: &RunTask, h: Matrix) {
        self.last = None;
        self.last = Some((key(task), build_from(task, Some(h))));
    }
}

/// What defines the problem of `task`: its problem section, every float to the bit (its Debug
/// text); None for a problem given as a matrix, which is cheap to make and long to compare.
fn key(task: &RunTask) -> Option<String> {
    task.problem.matrix.is_none().then(|| format!("{:?}", task.problem))
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

/// The variable's layout: the m x n matrix of `problem.shape`, or a plain vector.
fn layout(p: &ProblemSpec, d: usize) -> Layout {
    p.matrix_shape().map_or(Layout::vector(d), |(m, n)| Layout::matrix(m, n))
}

/// The Hessian of f(U^T X V) when `problem.rotate_sides`: K H K^T with K = U (x) V, since
/// vec(U X V^T) = (U (x) V) vec(X) row-major; U (m x m) and V (n x n) Haar, seeded. Same
/// eigenvalues and the same spectral-norm geometry (docs/theory.md §6); H itself otherwise.
fn sides(p: &ProblemSpec, h: Matrix) -> Matrix {
    let Some((m, n)) = p.matrix_shape().filter(|_| p.rotate_sides) else {
        return h;
    };
    let mut rng = Rng::stream(p.seed, Stream::SideRotation);
    let (u, v) = (HaarRotation::new(m, &mut rng).matrix(1.0), HaarRotation::new(n, &mut rng).matrix(1.0));
    // congruence(Q) = Q^T H Q, so Q = K^T: Q[(k, l), (i, j)] = U_ik V_jl.
    let mut q = Matrix::zeros(m * n);
    for (i, k, j, l) in
        (0..m).flat_map(|i| (0..m).flat_map(move |k| (0..n).flat_map(move |j| (0..n).map(move |l| (i, k, j, l)))))
    {
        q.set(k * n + l, i * n + j, u.get(i, k) * v.get(j, l));
    }
    h.congruence(&q)
}

/// The classifier of a network spec, trained on the seeded training split (Zipf-subsampled
/// under problem.class_zipf).
pub(crate) fn network(p: &ProblemSpec) -> Network {
    let (train, _) = training_set(p.dataset, p.seed, p.class_zipf);
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
    /// Under class_zipf: the training rows of the frequent, middle and rare classes.
    groups: Option<[crate::data::Dataset; 3]>,
}

/// Loss (mean cross-entropy, without the penalty) and accuracy on both sets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Evaluation {
    pub train_loss: f64,
    pub train_accuracy: f64,
    pub test_loss: f64,
    pub test_accuracy: f64,
    /// Under class_zipf: the training loss of the frequent, middle and rare classes, whose
    /// average weighted by their rows is train_loss.
    pub group_loss: Option<[f64; 3]>,
}

impl Evaluator {
    /// For a network spec; None for other objectives.
    pub fn of(spec: &Spec) -> Option<Self> {
        let p = &spec.problem;
        (p.kind == ProblemKind::Network).then(|| {
            let (_, test) = load(p.dataset, p.seed);
            let (train, imbalance) = training_set(p.dataset, p.seed, p.class_zipf);
            let groups = imbalance.map(|i| split_by_group(&train, &i));
            Evaluator { net: network(p), train, test, groups }
        })
    }

    /// Parameters `x` in the original (unrotated) space, with the training loss and accuracy
    /// taken from `train_fit` when known (`Objective::value_gradient_and_fit`: the run's full
    /// pass at x) instead of a pass of their own.
    pub fn evaluate(&self, x: &[f64], train_fit: Option<(f64, f64)>) -> Evaluation {
        let (train_loss, train_accuracy) = train_fit.unwrap_or_else(|| self.net.loss_and_accuracy(x, &self.train));
        let (test_loss, test_accuracy) = self.net.loss_and_accuracy(x, &self.test);
        let group_loss = self.groups.as_ref().map(|g| g.each_ref().map(|d| self.net.loss_and_accuracy(x, d).0));
        Evaluation { train_loss, train_accuracy, test_loss, test_accuracy, group_loss }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn problem(json: &str) -> Problem {
        build(&Spec::from_json(json).unwrap().run_task().unwrap())
    }

    /// A kept problem is made once for tasks with the same problem section (whatever their
    /// methods and run), and is the problem `build` makes; a matrix is made every time.
    #[test]
    fn a_kept_problem_is_made_once_per_problem_section() {
        let task = |json: &str| Spec::from_json(json).unwrap().run_task().unwrap();
        let rotated = r#""d": 20, "rotation": 1, "seed": 3"#;
        let a = task(&format!(r#"{{"problem": {{{rotated}}}, "run": {{"steps": 10}}}}"#));
        let same = task(&format!(r#"{{"problem": {{{rotated}}}, "methods": [{{"kind": "adam"}}]}}"#));
        let other = task(r#"{"problem": {"d": 20, "rotation": 1, "seed": 4}}"#);
        let matrix = task(r#"{"problem": {"kind": "matrix", "matrix": [[2, 0], [0, 1]]}}"#);
        let mut kept = Kept::default();
        // A made rotated quadratic reports fractions below 1, a kept problem only 1.
        let mut made = |t: &RunTask| {
            let mut heard = Vec::new();
            let h = kept.problem(t, &mut |f| heard.push(f)).objective.constant_hessian().unwrap().clone();
            assert_eq!(&h, build(t).objective.constant_hessian().unwrap());
            heard != [1.0]
        };
        assert!(made(&a));
        assert!(!made(&same));
        assert!(!made(&a));
        assert!(made(&other));
        assert!(made(&a));
        assert!(made(&matrix) && made(&matrix));
        // A Hessian made elsewhere is kept as the problem's: `a` is then not made again, and
        // `same` shares its problem section.
        let h = build(&other).objective.constant_hessian().unwrap().clone();
        assert!(!kept.keeps(&a));
        kept.keep_rotated(&a, h.clone());
        assert!(kept.keeps(&a) && kept.keeps(&same) && !kept.keeps(&other) && !kept.keeps(&matrix));
        let mut heard = Vec::new();
        assert_eq!(kept.problem(&same, &mut |f| heard.push(f)).objective.constant_hessian(), Some(&h));
        assert_eq!(heard, [1.0]);
    }

    /// Heavy-tailed classes: the training losses of the three frequency groups, weighted by their
    /// rows, sum to the training loss; the network trains on the subsample; without class_zipf
    /// there are no groups, and a data set of two classes refuses it by name.
    #[test]
    fn group_losses_sum_to_the_training_loss_with_their_rows_as_weights() {
        let spec = Spec::from_json(r#"{"problem": {"kind": "network", "hidden": 4, "class_zipf": 1.5}}"#).unwrap();
        let ev = Evaluator::of(&spec).unwrap();
        let p = build(&spec.run_task().unwrap());
        let groups = ev.groups.as_ref().unwrap();
        let n = ev.train.rows();
        assert_eq!(groups.iter().map(|g| g.rows()).sum::<usize>(), n);
        assert_eq!(p.objective.rows(), n);
        assert!(n < 400, "{n} rows kept");
        for x in [p.x0.clone(), Rng::new(3).normals(p.x0.len())] {
            let e = ev.evaluate(&x, None);
            let g = e.group_loss.unwrap();
            let weighted = g.iter().zip(groups).map(|(l, d)| l * d.rows() as f64).sum::<f64>() / n as f64;
            assert!((weighted - e.train_loss).abs() <= 1e-12 * e.train_loss, "{weighted} vs {}", e.train_loss);
        }
        let plain = Spec::from_json(r#"{"problem": {"kind": "network", "hidden": 4}}"#).unwrap();
        assert!(Evaluator::of(&plain).unwrap().evaluate(&p.x0, None).group_loss.is_none());
        let e = Spec::from_json(r#"{"problem": {"kind": "network", "dataset": "breast_cancer", "class_zipf": 1}}"#)
            .and_then(|s| s.run_task().map(|_| ()))
            .unwrap_err();
        assert_eq!(e.field, "problem.class_zipf");
        assert!(e.allowed.contains("at least 3 classes"), "{}", e.allowed);
    }

    /// A shape makes the variable a matrix for per-layer methods; bad shapes are refused by
    /// name, with the allowed range.
    #[test]
    fn shape_sets_the_layout_and_is_checked() {
        let p = problem(r#"{"problem": {"kind": "quadratic", "d": 6, "shape": [3, 2]}}"#);
        assert_eq!(p.objective.layout(), Layout::matrix(3, 2));
        assert_eq!(problem(r#"{"problem": {"d": 6}}"#).objective.layout(), Layout::vector(6));
        let m = problem(r#"{"problem": {"kind": "matrix", "matrix": [[2, 0], [0, 1]], "shape": [1, 2]}}"#);
        assert_eq!(m.objective.layout(), Layout::matrix(1, 2));
        for (json, field, allowed) in [
            (r#"{"problem": {"d": 6, "shape": [4, 2]}}"#, "problem.shape", "m n = d = 6"),
            (r#"{"problem": {"d": 6, "shape": [1.5, 4]}}"#, "problem.shape", "two positive integers"),
            (r#"{"problem": {"d": 6, "shape": [6]}}"#, "problem.shape", "two positive integers"),
            (r#"{"problem": {"kind": "rosenbrock", "d": 6, "shape": [3, 2]}}"#, "problem.shape", "quadratic or matrix"),
            (r#"{"problem": {"d": 6, "rotate_sides": true}}"#, "problem.rotate_sides", "problem.shape"),
        ] {
            let e = Spec::from_json(json).and_then(|s| s.run_task().map(|_| ())).unwrap_err();
            assert_eq!(e.field, field, "{json}");
            assert!(e.allowed.contains(allowed), "{json}: {}", e.allowed);
        }
    }

    /// Closed form: with eigenvalues constant along each row of X (two outliers filling the last
    /// row of a 3 x 2 variable), H = diag(1, 1, 100) (x) I_2; rotating the sides gives
    /// (U diag(1, 1, 100) U^T) (x) I_2: no coupling between columns, equal blocks, the same
    /// eigenvalues.
    #[test]
    fn rotating_the_sides_keeps_the_kronecker_structure_and_the_spectrum() {
        let p = problem(
            r#"{"problem": {"d": 6, "shape": [3, 2], "spectrum": "outliers", "outliers": 2, "rotate_sides": true}}"#,
        );
        let h = p.objective.constant_hessian().unwrap();
        let (m, n) = (3, 2);
        let mut block = Matrix::zeros(m);
        for (i, k) in (0..m).flat_map(|i| (0..m).map(move |k| (i, k))) {
            assert!(h.get(i * n, k * n + 1).abs() < 1e-12 && h.get(i * n + 1, k * n).abs() < 1e-12);
            assert!((h.get(i * n, k * n) - h.get(i * n + 1, k * n + 1)).abs() < 1e-12);
            block.set(i, k, h.get(i * n, k * n));
        }
        assert!(block.get(0, 1).abs() > 1e-3, "the rows are mixed: {:?}", block.to_rows());
        let lam = block.sym_eigenvalues().unwrap();
        for (a, b) in lam.iter().zip([1.0, 1.0, 100.0]) {
            assert!((a - b).abs() < 1e-10, "{lam:?}");
        }
    }
}
