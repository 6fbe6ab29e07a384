//! The parameter table: every parameter's type, range, default and one-line help. The spec's
//! `Default` impls, its validation, the URL codec, the CLI's schema and the page's controls all
//! read it.

use super::{SpecError, MAX_D, MAX_SEED, MAX_STEPS, PROBLEM_KINDS, SPEC_VERSION};
use crate::optimizer::{Hyper, METHODS, METHOD_IDS};
use serde::{Deserialize, Serialize, Serializer};

/// The type, range and default of one parameter. A method hyperparameter has no default here:
/// each method has its own (`optimizer::METHODS`).
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    Integer {
        min: u64,
        max: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        default: Option<u64>,
    },
    /// A float in [min, max], or (min, max] when `min_exclusive`.
    Float {
        min: f64,
        max: f64,
        min_exclusive: bool,
        max_exclusive: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        default: Option<f64>,
        log_scale: bool,
    },
    Choice {
        choices: &'static [&'static str],
        default: &'static str,
    },
    Boolean {
        default: bool,
    },
    /// Optional list of numbers (length and limits are checked against other fields).
    Vector,
    /// Optional square matrix given as rows; the example is what the page fills in when the
    /// problem kind becomes matrix.
    Matrix {
        example: &'static [&'static [f64]],
    },
    /// Optional free text.
    Text,
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct Param {
    /// Dotted path; `methods[]` stands for each method entry.
    pub name: &'static str,
    /// The name people write ("λ_max", "start distance"): the page's label; the dotted name goes
    /// into the help.
    pub label: &'static str,
    /// What one press of ArrowUp in the page's box does to a number.
    #[serde(flatten)]
    pub step: Option<Step>,
    pub group: &'static str,
    #[serde(flatten)]
    pub kind: Kind,
    pub help: &'static str,
    /// When the parameter matters. The page hides the control otherwise; the value still
    /// travels in the spec.
    pub when: When,
}

/// One step of a numeric parameter: added (`step`) on a linear scale, or multiplied by
/// (`step_factor`) where values span decades (a step size, a target).
#[derive(Clone, Copy, Debug, Serialize)]
pub enum Step {
    #[serde(rename = "step")]
    Add(f64),
    #[serde(rename = "step_factor")]
    Times(f64),
}

/// When a parameter matters; serialised as a list of (parameter, allowed values) pairs that
/// must all hold (a `methods[]` parameter refers to the same method), empty for always.
#[derive(Clone, Copy, Debug)]
pub enum When {
    Always,
    All(&'static [(&'static str, &'static [&'static str])]),
    /// A method hyperparameter: for the methods whose rows declare it.
    Reads(Hyper),
}

impl Serialize for When {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            When::Always => s.collect_seq(std::iter::empty::<()>()),
            When::All(pairs) => pairs.serialize(s),
            When::Reads(h) => {
                let ids: Vec<&str> = METHODS.iter().filter(|m| m.default_of(*h).is_some()).map(|m| m.id).collect();
                [("methods[].kind", ids)].serialize(s)
            }
        }
    }
}

/// A group of parameters: the page shows each under its title.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Group {
    pub name: &'static str,
    pub title: &'static str,
}

/// The parameter groups in the order the page shows them ("meta" has no controls). The page
/// reads names and titles from the schema, never its own copy.
pub const GROUPS: &[Group] = &[
    Group { name: "problem", title: "Problem" },
    Group { name: "methods", title: "Methods" },
    Group { name: "run", title: "Run" },
    Group { name: "sweep", title: "Sweep map" },
    Group { name: "analysis", title: "Hessian analysis" },
];

const fn float(min: f64, max: f64, default: f64) -> Kind {
    Kind::Float { min, max, min_exclusive: false, max_exclusive: false, default: Some(default), log_scale: false }
}
const fn positive(max: f64, default: f64, log_scale: bool) -> Kind {
    Kind::Float { min: 0.0, max, min_exclusive: true, max_exclusive: false, default: Some(default), log_scale }
}
const fn unit_open(default: f64) -> Kind {
    Kind::Float {
        min: 0.0,
        max: 1.0,
        min_exclusive: false,
        max_exclusive: true,
        default: Some(default),
        log_scale: false,
    }
}
const fn integer(min: u64, max: u64, default: u64) -> Kind {
    Kind::Integer { min, max, default: Some(default) }
}
/// A decay rate of a method: in [0, 1), default per method.
const DECAY: Kind =
    Kind::Float { min: 0.0, max: 1.0, min_exclusive: false, max_exclusive: true, default: None, log_scale: false };

/// The example matrix: a tridiagonal Hessian whose exact L_inf is 13, at the sign vector
/// (1, 1, 1): 4 + 3 + 2 + 2 (1 + 1).
const EXAMPLE_MATRIX: &[&[f64]] = &[&[4.0, 1.0, 0.0], &[1.0, 3.0, 1.0], &[0.0, 1.0, 2.0]];

pub const SPECTRUM_KINDS: &[&str] = &["uniform", "geometric", "outliers"];
pub const START_KINDS: &[&str] = &["gaussian", "ones"];
pub const RULES: &[&str] = &["auto", "theory", "const"];

/// Every parameter. The single source of truth for defaults, ranges and help.
pub static PARAMS: &[Param] = &[
    Param { name: "version", label: "spec version", step: Some(Step::Add(1.0)), group: "meta", kind: integer(1, SPEC_VERSION, SPEC_VERSION), help: "spec format version" , when: When::Always },
    Param { name: "problem.kind", label: "problem", step: None, group: "problem", kind: Kind::Choice { choices: &PROBLEM_KINDS, default: "quadratic" }, help: "objective: generated quadratic, 2-D quadratic, your own matrix, Rosenbrock, or a softmax classifier on real data" , when: When::Always },
    Param { name: "problem.d", label: "dimension d", step: Some(Step::Add(1.0)), group: "problem", kind: integer(1, MAX_D, 20), help: "dimension (quadratic, rosenbrock >= 2)" , when: When::All(&[("problem.kind", &["quadratic", "rosenbrock"])]) },
    Param { name: "problem.spectrum", label: "spectrum", step: None, group: "problem", kind: Kind::Choice { choices: SPECTRUM_KINDS, default: "outliers" }, help: "eigenvalues: evenly spaced, geometric, or k outliers at lambda_max above a bulk at lambda_min" , when: When::All(&[("problem.kind", &["quadratic"])]) },
    Param { name: "problem.lambda_max", label: "λ_max", step: Some(Step::Times(2.0)), group: "problem", kind: positive(1e8, 100.0, true), help: "largest eigenvalue (quad2d: the first eigenvalue)" , when: When::All(&[("problem.kind", &["quadratic", "quad2d"])]) },
    Param { name: "problem.lambda_min", label: "λ_min", step: Some(Step::Times(2.0)), group: "problem", kind: positive(1e8, 1.0, true), help: "smallest eigenvalue, at most lambda_max (quad2d: the second eigenvalue)" , when: When::All(&[("problem.kind", &["quadratic", "quad2d"])]) },
    Param { name: "problem.outliers", label: "outliers", step: Some(Step::Add(1.0)), group: "problem", kind: integer(0, MAX_D, 2), help: "number of outlier eigenvalues at lambda_max (spectrum outliers), at most d" , when: When::All(&[("problem.kind", &["quadratic"]), ("problem.spectrum", &["outliers"])]) },
    Param { name: "problem.rotation", label: "rotation", step: Some(Step::Add(0.05)), group: "problem", kind: float(0.0, 1.0, 0.0), help: "0 = diagonal Hessian, 1 = Haar-random rotation; eigenvalues stay fixed" , when: When::All(&[("problem.kind", &["quadratic"])]) },
    Param { name: "problem.shape", label: "matrix shape [m, n]", step: None, group: "problem", kind: Kind::Vector, help: "the variable as an m x n matrix: [m, n] with m n = d (x = vec(X), row-major), for per-layer norms and Muon; empty: a plain vector", when: When::All(&[("problem.kind", &["quadratic", "matrix"])]) },
    Param { name: "problem.rotate_sides", label: "rotate both sides", step: None, group: "problem", kind: Kind::Boolean { default: false }, help: "rotate the matrix variable's two sides, X -> U X V^T with Haar U, V (seeded; needs shape): GD and the spectral methods do not notice, sign methods do", when: When::All(&[("problem.kind", &["quadratic", "matrix"])]) },
    Param { name: "problem.angle", label: "angle (degrees)", step: Some(Step::Add(5.0)), group: "problem", kind: float(-180.0, 180.0, 30.0), help: "quad2d: angle of the first eigenvector in degrees" , when: When::All(&[("problem.kind", &["quad2d"])]) },
    Param { name: "problem.dataset", label: "data set", step: None, group: "problem", kind: Kind::Choice { choices: &["digits", "breast_cancer"], default: "digits" }, help: "data set (shipped): 8x8 handwritten digits (10 classes) or breast cancer (2 classes); 80% train, seeded split", when: When::All(&[("problem.kind", &["network"])]) },
    Param { name: "problem.hidden", label: "hidden units", step: Some(Step::Add(1.0)), group: "problem", kind: integer(0, 64, 16), help: "units of the first hidden layer; 0 is multinomial logistic regression (at most 10000 parameters in all; above 2000 the Hessian is read by Lanczos only)", when: When::All(&[("problem.kind", &["network"])]) },
    Param { name: "problem.hidden2", label: "second hidden layer", step: Some(Step::Add(1.0)), group: "problem", kind: integer(0, 64, 0), help: "units of a second hidden layer; 0 for one hidden layer (at most 10000 parameters in all)", when: When::All(&[("problem.kind", &["network"])]) },
    Param { name: "problem.activation", label: "activation", step: None, group: "problem", kind: Kind::Choice { choices: &["tanh", "relu"], default: "tanh" }, help: "activation of the hidden layers", when: When::All(&[("problem.kind", &["network"])]) },
    Param { name: "problem.l2", label: "weight decay", step: Some(Step::Times(10.0)), group: "problem", kind: float(0.0, 1.0, 1e-4), help: "L2 penalty (l2/2) ||W||^2 on the weights", when: When::All(&[("problem.kind", &["network"])]) },
    Param { name: "problem.class_zipf", label: "class Zipf exponent", step: Some(Step::Add(0.25)), group: "problem", kind: float(0.0, 4.0, 0.0), help: "heavy-tailed classes: the training set keeps round(c (r+1)^-s) rows of the class of rank r (seeded order; c the smallest class count), so frequencies follow a Zipf law with exponent s; runs report the training loss of the frequent, middle and rare classes; 0 = every row (the test set stays whole)", when: When::All(&[("problem.kind", &["network"])]) },
    Param { name: "problem.rotate_params", label: "rotated parameters", step: None, group: "problem", kind: Kind::Boolean { default: false }, help: "optimise in a Haar-randomly rotated parameter space x = Q z (seeded): GD does not notice, sign methods do", when: When::All(&[("problem.kind", &["network", "rosenbrock"])]) },
    Param { name: "problem.seed", label: "seed", step: Some(Step::Add(1.0)), group: "problem", kind: integer(0, MAX_SEED, 1), help: "seed of every random choice (rotation, start point)" , when: When::Always },
    Param { name: "problem.start", label: "start point", step: None, group: "problem", kind: Kind::Choice { choices: START_KINDS, default: "gaussian" }, help: "start point x0 = x* + start_scale z, z standard normal or all ones (network: weights N(0, start_scale^2 / fan_in), biases 0)" , when: When::Always },
    Param { name: "problem.start_scale", label: "start distance", step: Some(Step::Times(2.0)), group: "problem", kind: positive(1e6, 1.0, true), help: "distance scale of the start point from the minimiser" , when: When::Always },
    Param { name: "problem.x0", label: "start point x₀", step: None, group: "problem", kind: Kind::Vector, help: "explicit start point (d numbers); overrides start" , when: When::Always },
    Param { name: "problem.matrix", label: "your matrix", step: None, group: "problem", kind: Kind::Matrix { example: EXAMPLE_MATRIX }, help: "your Hessian as rows (kind matrix): square, finite, symmetric to 1e-9 relative" , when: When::All(&[("problem.kind", &["matrix"])]) },
    Param { name: "methods[].kind", label: "method", step: None, group: "methods", kind: Kind::Choice { choices: &METHOD_IDS, default: "gd" }, help: "the optimiser" , when: When::Always },
    Param { name: "methods[].rule", label: "step rule", step: None, group: "methods", kind: Kind::Choice { choices: RULES, default: "auto" }, help: "step rule: theory (||g||_*/L, or 1/L for GD), const (lr), or auto (theory where the method and objective allow it)" , when: When::Always },
    Param { name: "methods[].lr", label: "step size", step: Some(Step::Times(2.0)), group: "methods", kind: positive(1e6, 1.0, true), help: "constant step, or multiplier of the theory step (default 1 for theory, 0.01 for const)" , when: When::Always },
    Param { name: "methods[].tune", label: "tune the step", step: None, group: "methods", kind: Kind::Boolean { default: false }, help: "choose lr by the grid search of run.tune_*" , when: When::Always },
    Param { name: "methods[].schedule", label: "schedule", step: None, group: "methods", kind: Kind::Choice { choices: &["constant", "cosine", "step"], default: "constant" }, help: "step-size schedule over run.steps: constant, cosine decay to 0, or tenfold steps at 1/3 and 2/3", when: When::Always },
    Param { name: "methods[].beta", label: "β", step: Some(Step::Add(0.01)), group: "methods", kind: DECAY, help: "momentum / first-moment decay (heavy ball, Nesterov, signum, Adam beta1, Lion beta1)", when: When::Reads(Hyper::Beta) },
    Param { name: "methods[].beta2", label: "β₂", step: Some(Step::Add(0.001)), group: "methods", kind: DECAY, help: "second decay (Adam beta2, 0.999 by default; Lion beta2, 0.99 by default)", when: When::Reads(Hyper::Beta2) },
    Param { name: "methods[].eps", label: "ε", step: Some(Step::Times(10.0)), group: "methods", kind: Kind::Float { min: 0.0, max: 1.0, min_exclusive: true, max_exclusive: false, default: None, log_scale: true }, help: "Adam's epsilon, added outside the square root", when: When::Reads(Hyper::Eps) },
    Param { name: "methods[].p", label: "p", step: Some(Step::Add(0.5)), group: "methods", kind: Kind::Float { min: 1.0, max: 100.0, min_exclusive: true, max_exclusive: false, default: None, log_scale: false }, help: "p of the l_p norm (method lp)", when: When::Reads(Hyper::P) },
    Param { name: "methods[].block", label: "block size", step: Some(Step::Add(1.0)), group: "methods", kind: Kind::Integer { min: 1, max: MAX_D, default: None }, help: "block size of the block-l2 norm (method block)", when: When::Reads(Hyper::Block) },
    Param { name: "methods[].label", label: "legend label", step: None, group: "methods", kind: Kind::Text, help: "legend label (default: method and step rule)" , when: When::Always },
    Param { name: "run.steps", label: "steps", step: Some(Step::Add(100.0)), group: "run", kind: integer(1, MAX_STEPS, 500), help: "maximum number of steps" , when: When::Always },
    Param { name: "run.target", label: "target", step: Some(Step::Times(10.0)), group: "run", kind: unit_open(1e-6), help: "stop at relative suboptimality (f - f*)/(f(x0) - f*) <= target; 0 runs all steps" , when: When::Always },
    Param { name: "run.batch", label: "batch size", step: Some(Step::Add(8.0)), group: "run", kind: integer(0, 100_000, 0), help: "minibatch size for network objectives (0: full batch); epochs of seeded shuffles. Each step records the loss of its minibatch; the full training loss, gradient norms and density, and the test loss and accuracy, are measured at run.eval_points steps", when: When::All(&[("problem.kind", &["network"])]) },
    Param { name: "run.eval_points", label: "evaluation points", step: Some(Step::Add(10.0)), group: "run", kind: integer(1, MAX_STEPS, 100), help: "minibatch runs: measure the full training loss, gradient norms and density, and the test loss and accuracy, every floor(steps / eval_points) steps (at least 1) from t = 0, and at the last point; a full pass costs rows / batch steps. Full-batch runs have f at every step and their training curves every floor(steps / 50)", when: When::All(&[("problem.kind", &["network"])]) },
    Param { name: "run.tune_min", label: "tuning: smallest step", step: Some(Step::Times(10.0)), group: "run", kind: positive(1e6, 1e-4, true), help: "smallest step scale of the tuning grid" , when: When::Always },
    Param { name: "run.tune_max", label: "tuning: largest step", step: Some(Step::Times(10.0)), group: "run", kind: positive(1e6, 10.0, true), help: "largest step scale of the tuning grid" , when: When::Always },
    Param { name: "run.tune_points", label: "tuning: grid points", step: Some(Step::Add(1.0)), group: "run", kind: integer(2, 61, 16), help: "number of log-spaced grid values (16 over 1e-4..10 is three per decade)" , when: When::Always },
    Param { name: "analysis.method", label: "method number", step: Some(Step::Add(1.0)), group: "analysis", kind: integer(0, 7, 0), help: "the method (its index in methods) whose iterate the Hessian analysis takes", when: When::Always },
    Param { name: "analysis.step", label: "checkpoint step", step: Some(Step::Add(10.0)), group: "analysis", kind: integer(0, 1_000_000, 0), help: "the checkpoint: the step of that method's run at which the Hessian is taken (0 is the start point; at most run.steps)", when: When::Always },
    Param { name: "analysis.bins", label: "histogram bars", step: Some(Step::Add(5.0)), group: "analysis", kind: integer(4, 200, 40), help: "bars of the eigenvalue histogram", when: When::Always },
    Param { name: "analysis.track", label: "eigenvalue track points", step: Some(Step::Add(1.0)), group: "analysis", kind: integer(0, 20, 0), help: "also follow the largest eigenvalues along the run: at this many points evenly spaced up to analysis.step (Lanczos, 20 Hessian-vector products each; 0 for none)", when: When::Always },
    Param { name: "analysis.sdp", label: "SDP bound above d = 500", step: None, group: "analysis", kind: Kind::Boolean { default: false }, help: "certify an upper bound on L_inf by the SDP also above d = 500 (slow: about 13 s per matrix natively at 1210 parameters, twice that in the page)", when: When::Always },
    Param { name: "sweep.spread_min", label: "smallest spread", step: Some(Step::Times(1.5)), group: "sweep", kind: Kind::Float { min: 1.0, max: 1e4, min_exclusive: false, max_exclusive: false, default: Some(1.5), log_scale: true }, help: "smallest eigenvalue spread lambda_max / lambda_bar of the sweep map", when: When::Always },
    Param { name: "sweep.spread_max", label: "largest spread", step: Some(Step::Times(1.5)), group: "sweep", kind: Kind::Float { min: 1.0, max: 1e4, min_exclusive: false, max_exclusive: false, default: None, log_scale: true }, help: "largest spread; below d / outliers (the spread of k outliers over a bulk cannot exceed d / k); left empty, min(8, 0.8 d / outliers)", when: When::Always },
    Param { name: "sweep.spread_points", label: "spreads", step: Some(Step::Add(1.0)), group: "sweep", kind: integer(2, 16, 6), help: "spreads, log-spaced", when: When::Always },
    Param { name: "sweep.rotation_points", label: "rotations", step: Some(Step::Add(1.0)), group: "sweep", kind: integer(2, 16, 6), help: "rotations, evenly spaced from 0 (diagonal) to 1 (Haar)", when: When::Always },
    Param { name: "sweep.problems", label: "problems per cell", step: Some(Step::Add(1.0)), group: "sweep", kind: integer(1, 20, 5), help: "seeded problems per cell (seeds problem.seed, +1, ...); results are geometric means", when: When::Always },
    Param { name: "sweep.rule", label: "step rule", step: None, group: "sweep", kind: Kind::Choice { choices: &["tuned", "theory"], default: "tuned" }, help: "GD and sign GD with the theory steps 1/L_2 and ||g||_1/L_inf scaled by the best of the sweep.tune_* grid, or exactly the theory steps", when: When::Always },
    Param { name: "sweep.tune_min", label: "tuning: smallest multiplier", step: Some(Step::Times(1.25)), group: "sweep", kind: positive(2.0, 0.25, true), help: "smallest multiplier of the theory step in the sweep's tuning grid (above 2 the guarantee is lost)", when: When::All(&[("sweep.rule", &["tuned"])]) },
    Param { name: "sweep.tune_max", label: "tuning: largest multiplier", step: Some(Step::Times(1.25)), group: "sweep", kind: positive(2.0, 2.0, true), help: "largest multiplier of the theory step in the sweep's tuning grid", when: When::All(&[("sweep.rule", &["tuned"])]) },
    Param { name: "sweep.tune_points", label: "tuning: multipliers", step: Some(Step::Add(1.0)), group: "sweep", kind: integer(2, 31, 13), help: "log-spaced multipliers in the sweep's tuning grid (13 over 0.25..2: steps of 19%)", when: When::All(&[("sweep.rule", &["tuned"])]) },
    Param { name: "sweep.measure", label: "measure", step: None, group: "sweep", kind: Kind::Choice { choices: &["steps", "suboptimality"], default: "steps" }, help: "measured advantage: GD steps / sign GD steps to the target, or GD / sign GD suboptimality after run.steps", when: When::Always },
];

pub fn param(name: &str) -> &'static Param {
    PARAMS.iter().find(|p| p.name == name).unwrap_or_else(|| panic!("no parameter {name}"))
}

pub(super) fn default_int(name: &str) -> u64 {
    match param(name).kind {
        Kind::Integer { default: Some(default), .. } => default,
        _ => unreachable!("{name} is not an integer with a default"),
    }
}
pub(super) fn default_float(name: &str) -> f64 {
    match param(name).kind {
        Kind::Float { default: Some(default), .. } => default,
        _ => unreachable!("{name} is not a float with a default"),
    }
}
pub(super) fn default_choice_id(name: &str) -> &'static str {
    match param(name).kind {
        Kind::Choice { default, .. } => default,
        _ => unreachable!("{name} is not a choice"),
    }
}
pub(super) fn default_choice<T: for<'de> Deserialize<'de>>(name: &str) -> T {
    let default = default_choice_id(name);
    serde_json::from_value(serde_json::Value::String(default.into()))
        .unwrap_or_else(|_| unreachable!("{name}: default {default} is not a choice"))
}
pub(super) fn default_bool(name: &str) -> bool {
    match param(name).kind {
        Kind::Boolean { default } => default,
        _ => unreachable!("{name} is not a boolean"),
    }
}

/// A range as people read it: "1 to 2000", "above 0, up to 1e8", "0 to below 1"; empty for a
/// parameter that is not a number.
pub fn range_text(kind: &Kind) -> String {
    // Powers of ten from 1e5 up read as such, not as a row of zeros.
    let n = |x: f64| if x.abs() >= 1e5 { format!("{x:e}") } else { format!("{x}") };
    match *kind {
        Kind::Integer { min, max, .. } => format!("{min} to {max}"),
        Kind::Float { min, max, min_exclusive, max_exclusive, .. } => match (min_exclusive, max_exclusive) {
            (false, false) => format!("{} to {}", n(min), n(max)),
            (true, false) => format!("above {}, up to {}", n(min), n(max)),
            (false, true) => format!("{} to below {}", n(min), n(max)),
            (true, true) => format!("between {} and {}, exclusive", n(min), n(max)),
        },
        _ => String::new(),
    }
}

/// Describes the allowed range of a table parameter, e.g. "allowed: an integer from 1 to 2000
/// (dimension ...)".
pub fn allowed(name: &str) -> String {
    let p = param(name);
    let range = match p.kind {
        Kind::Integer { .. } => format!("an integer from {}", range_text(&p.kind)),
        Kind::Float { min_exclusive, .. } => {
            format!("a number {}{}", if min_exclusive { "" } else { "from " }, range_text(&p.kind))
        }
        Kind::Choice { choices, .. } => format!("one of {}", choices.join(", ")),
        Kind::Boolean { .. } => "true or false".into(),
        Kind::Vector => "a list of numbers".into(),
        Kind::Matrix { .. } => "a list of rows of numbers".into(),
        Kind::Text => "text".into(),
    };
    format!("allowed: {range} ({})", p.help)
}

/// Checks a number against the range of numeric parameter `name`, naming `field`.
pub fn check_number(field: &str, name: &str, v: f64) -> Result<(), SpecError> {
    match param(name).kind {
        Kind::Integer { .. } if v.fract() == 0.0 && v >= 0.0 && v <= u64::MAX as f64 => {
            check_int(field, name, v as u64)
        }
        Kind::Integer { .. } => Err(SpecError::new(field, v, allowed(name))),
        _ => check_float(field, name, v),
    }
}

pub(super) fn check_int(field: &str, name: &str, v: u64) -> Result<(), SpecError> {
    match param(name).kind {
        Kind::Integer { min, max, .. } if (min..=max).contains(&v) => Ok(()),
        _ => Err(SpecError::new(field, v, allowed(name))),
    }
}

pub(super) fn check_float(field: &str, name: &str, v: f64) -> Result<(), SpecError> {
    let Kind::Float { min, max, min_exclusive, max_exclusive, .. } = param(name).kind else {
        unreachable!("{name} is not a float")
    };
    let above = if min_exclusive { v > min } else { v >= min };
    let below = if max_exclusive { v < max } else { v <= max };
    if v.is_finite() && above && below {
        Ok(())
    } else {
        Err(SpecError::new(field, v, allowed(name)))
    }
}
