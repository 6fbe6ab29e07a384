//! The parameter table: every parameter's type, range, default and one-line help. The spec's
//! `Default` impls, its validation, the URL codec, the CLI's schema and the page's controls all
//! read it.

use super::{SpecError, MAX_D, MAX_SEED, MAX_STEPS, SPEC_VERSION};
use serde::{Deserialize, Serialize};

/// The type, range and default of one parameter.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    Integer {
        min: u64,
        max: u64,
        default: u64,
    },
    /// A float in [min, max], or (min, max] when `min_exclusive`.
    Float {
        min: f64,
        max: f64,
        min_exclusive: bool,
        max_exclusive: bool,
        default: f64,
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
    /// Optional square matrix given as rows.
    Matrix,
    /// Optional free text.
    Text,
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct Param {
    /// Dotted path; `methods[]` stands for each method entry.
    pub name: &'static str,
    pub group: &'static str,
    #[serde(flatten)]
    pub kind: Kind,
    pub help: &'static str,
    /// When the parameter matters: every (parameter, allowed values) pair must hold (a
    /// `methods[]` parameter refers to the same method). Empty: always. The page hides the
    /// control otherwise; the value still travels in the spec.
    pub when: &'static [(&'static str, &'static [&'static str])],
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
    Group { name: "hessian", title: "Hessian analysis" },
];

const fn float(min: f64, max: f64, default: f64) -> Kind {
    Kind::Float { min, max, min_exclusive: false, max_exclusive: false, default, log_scale: false }
}
const fn positive(max: f64, default: f64, log_scale: bool) -> Kind {
    Kind::Float { min: 0.0, max, min_exclusive: true, max_exclusive: false, default, log_scale }
}
const fn unit_open(default: f64) -> Kind {
    Kind::Float { min: 0.0, max: 1.0, min_exclusive: false, max_exclusive: true, default, log_scale: false }
}

pub const PROBLEM_KINDS: &[&str] = &["quadratic", "quad2d", "matrix", "rosenbrock", "network"];
pub const SPECTRUM_KINDS: &[&str] = &["uniform", "geometric", "outliers"];
pub const START_KINDS: &[&str] = &["gaussian", "ones"];
pub const RULES: &[&str] = &["auto", "theory", "const"];
pub const METHOD_KINDS: &[&str] = &[
    "gd",
    "sign_gd",
    "normalized_gd",
    "coordinate",
    "lp",
    "block",
    "heavy_ball",
    "nesterov",
    "signum",
    "adam",
    "lion",
];

/// Every parameter. The single source of truth for defaults, ranges and help.
pub static PARAMS: &[Param] = &[
    Param { name: "version", group: "meta", kind: Kind::Integer { min: 1, max: SPEC_VERSION, default: SPEC_VERSION }, help: "spec format version" , when: &[] },
    Param { name: "problem.kind", group: "problem", kind: Kind::Choice { choices: PROBLEM_KINDS, default: "quadratic" }, help: "objective: generated quadratic, 2-D quadratic, your own matrix, Rosenbrock, or a softmax classifier on real data" , when: &[] },
    Param { name: "problem.d", group: "problem", kind: Kind::Integer { min: 1, max: MAX_D, default: 20 }, help: "dimension (quadratic, rosenbrock >= 2)" , when: &[("problem.kind", &["quadratic", "rosenbrock"])] },
    Param { name: "problem.spectrum", group: "problem", kind: Kind::Choice { choices: SPECTRUM_KINDS, default: "outliers" }, help: "eigenvalues: evenly spaced, geometric, or k outliers at lambda_max above a bulk at lambda_min" , when: &[("problem.kind", &["quadratic"])] },
    Param { name: "problem.lambda_max", group: "problem", kind: positive(1e8, 100.0, true), help: "largest eigenvalue (quad2d: the first eigenvalue)" , when: &[("problem.kind", &["quadratic", "quad2d"])] },
    Param { name: "problem.lambda_min", group: "problem", kind: positive(1e8, 1.0, true), help: "smallest eigenvalue, at most lambda_max (quad2d: the second eigenvalue)" , when: &[("problem.kind", &["quadratic", "quad2d"])] },
    Param { name: "problem.outliers", group: "problem", kind: Kind::Integer { min: 0, max: MAX_D, default: 2 }, help: "number of outlier eigenvalues at lambda_max (spectrum outliers), at most d" , when: &[("problem.kind", &["quadratic"]), ("problem.spectrum", &["outliers"])] },
    Param { name: "problem.rotation", group: "problem", kind: float(0.0, 1.0, 0.0), help: "0 = diagonal Hessian, 1 = Haar-random rotation; eigenvalues stay fixed" , when: &[("problem.kind", &["quadratic"])] },
    Param { name: "problem.angle", group: "problem", kind: float(-180.0, 180.0, 30.0), help: "quad2d: angle of the first eigenvector in degrees" , when: &[("problem.kind", &["quad2d"])] },
    Param { name: "problem.dataset", group: "problem", kind: Kind::Choice { choices: &["digits", "breast_cancer"], default: "digits" }, help: "data set (shipped): 8x8 handwritten digits (10 classes) or breast cancer (2 classes); 80% train, seeded split", when: &[("problem.kind", &["network"])] },
    Param { name: "problem.hidden", group: "problem", kind: Kind::Integer { min: 0, max: 64, default: 16 }, help: "units of the first hidden layer; 0 is multinomial logistic regression (at most 10000 parameters in all; above 2000 the Hessian is read by Lanczos only)", when: &[("problem.kind", &["network"])] },
    Param { name: "problem.hidden2", group: "problem", kind: Kind::Integer { min: 0, max: 64, default: 0 }, help: "units of a second hidden layer; 0 for one hidden layer (at most 10000 parameters in all)", when: &[("problem.kind", &["network"])] },
    Param { name: "problem.activation", group: "problem", kind: Kind::Choice { choices: &["tanh", "relu"], default: "tanh" }, help: "activation of the hidden layers", when: &[("problem.kind", &["network"])] },
    Param { name: "problem.l2", group: "problem", kind: float(0.0, 1.0, 1e-4), help: "L2 penalty (l2/2) ||W||^2 on the weights", when: &[("problem.kind", &["network"])] },
    Param { name: "problem.rotate_params", group: "problem", kind: Kind::Boolean { default: false }, help: "optimise in a Haar-randomly rotated parameter space x = Q z (seeded): GD does not notice, sign methods do", when: &[("problem.kind", &["network", "rosenbrock"])] },
    Param { name: "problem.seed", group: "problem", kind: Kind::Integer { min: 0, max: MAX_SEED, default: 1 }, help: "seed of every random choice (rotation, start point)" , when: &[] },
    Param { name: "problem.start", group: "problem", kind: Kind::Choice { choices: START_KINDS, default: "gaussian" }, help: "start point x0 = x* + start_scale z, z standard normal or all ones (network: weights N(0, start_scale^2 / fan_in), biases 0)" , when: &[] },
    Param { name: "problem.start_scale", group: "problem", kind: positive(1e6, 1.0, true), help: "distance scale of the start point from the minimiser" , when: &[] },
    Param { name: "problem.x0", group: "problem", kind: Kind::Vector, help: "explicit start point (d numbers); overrides start" , when: &[] },
    Param { name: "problem.matrix", group: "problem", kind: Kind::Matrix, help: "your Hessian as rows (kind matrix): square, finite, symmetric to 1e-9 relative" , when: &[("problem.kind", &["matrix"])] },
    Param { name: "methods[].kind", group: "methods", kind: Kind::Choice { choices: METHOD_KINDS, default: "gd" }, help: "the optimiser" , when: &[] },
    Param { name: "methods[].rule", group: "methods", kind: Kind::Choice { choices: RULES, default: "auto" }, help: "step rule: theory (||g||_*/L, or 1/L for GD), const (lr), or auto (theory where the method and objective allow it)" , when: &[] },
    Param { name: "methods[].lr", group: "methods", kind: positive(1e6, 1.0, true), help: "constant step, or multiplier of the theory step (default 1 for theory, 0.01 for const)" , when: &[] },
    Param { name: "methods[].tune", group: "methods", kind: Kind::Boolean { default: false }, help: "choose lr by the grid search of run.tune_*" , when: &[] },
    Param { name: "methods[].schedule", group: "methods", kind: Kind::Choice { choices: &["constant", "cosine", "step"], default: "constant" }, help: "step-size schedule over run.steps: constant, cosine decay to 0, or tenfold steps at 1/3 and 2/3", when: &[] },
    Param { name: "methods[].beta", group: "methods", kind: unit_open(0.9), help: "momentum / first-moment decay (heavy ball, Nesterov, signum, Adam beta1, Lion beta1)" , when: &[("methods[].kind", &["heavy_ball", "nesterov", "signum", "adam", "lion"])] },
    Param { name: "methods[].beta2", group: "methods", kind: unit_open(0.999), help: "second decay (Adam beta2; Lion beta2, for which 0.99 is usual)" , when: &[("methods[].kind", &["adam", "lion"])] },
    Param { name: "methods[].eps", group: "methods", kind: positive(1.0, 1e-8, true), help: "Adam's epsilon, added outside the square root" , when: &[("methods[].kind", &["adam"])] },
    Param { name: "methods[].p", group: "methods", kind: Kind::Float { min: 1.0, max: 100.0, min_exclusive: true, max_exclusive: false, default: 3.0, log_scale: false }, help: "p of the l_p norm (method lp)" , when: &[("methods[].kind", &["lp"])] },
    Param { name: "methods[].block", group: "methods", kind: Kind::Integer { min: 1, max: MAX_D, default: 2 }, help: "block size of the block-l2 norm (method block)" , when: &[("methods[].kind", &["block"])] },
    Param { name: "methods[].label", group: "methods", kind: Kind::Text, help: "legend label (default: method and step rule)" , when: &[] },
    Param { name: "run.steps", group: "run", kind: Kind::Integer { min: 1, max: MAX_STEPS, default: 500 }, help: "maximum number of steps" , when: &[] },
    Param { name: "run.target", group: "run", kind: unit_open(1e-6), help: "stop at relative suboptimality (f - f*)/(f(x0) - f*) <= target; 0 runs all steps" , when: &[] },
    Param { name: "run.batch", group: "run", kind: Kind::Integer { min: 0, max: 100_000, default: 0 }, help: "minibatch size for network objectives (0: full batch); epochs of seeded shuffles, recorded values always on the full training set", when: &[("problem.kind", &["network"])] },
    Param { name: "run.tune_min", group: "run", kind: positive(1e6, 1e-4, true), help: "smallest step scale of the tuning grid" , when: &[] },
    Param { name: "run.tune_max", group: "run", kind: positive(1e6, 10.0, true), help: "largest step scale of the tuning grid" , when: &[] },
    Param { name: "run.tune_points", group: "run", kind: Kind::Integer { min: 2, max: 61, default: 16 }, help: "number of log-spaced grid values (16 over 1e-4..10 is three per decade)" , when: &[] },
    Param { name: "hessian.method", group: "hessian", kind: Kind::Integer { min: 0, max: 7, default: 0 }, help: "the method (its index in methods) whose iterate the Hessian analysis takes", when: &[] },
    Param { name: "hessian.step", group: "hessian", kind: Kind::Integer { min: 0, max: 1_000_000, default: 0 }, help: "the checkpoint: the step of that method's run at which the Hessian is taken (0 is the start point; at most run.steps)", when: &[] },
    Param { name: "hessian.bins", group: "hessian", kind: Kind::Integer { min: 4, max: 200, default: 40 }, help: "bars of the eigenvalue histogram", when: &[] },
    Param { name: "hessian.track", group: "hessian", kind: Kind::Integer { min: 0, max: 20, default: 0 }, help: "also follow the largest eigenvalues along the run: at this many points evenly spaced up to hessian.step (Lanczos, 20 Hessian-vector products each; 0 for none)", when: &[] },
    Param { name: "hessian.sdp", group: "hessian", kind: Kind::Boolean { default: false }, help: "certify an upper bound on L_inf by the SDP also above d = 500 (slow: about 13 s per matrix natively at 1210 parameters, twice that in the page)", when: &[] },
    Param { name: "sweep.spread_min", group: "sweep", kind: Kind::Float { min: 1.0, max: 1e4, min_exclusive: false, max_exclusive: false, default: 1.5, log_scale: true }, help: "smallest eigenvalue spread lambda_max / lambda_bar of the sweep map", when: &[] },
    Param { name: "sweep.spread_max", group: "sweep", kind: Kind::Float { min: 1.0, max: 1e4, min_exclusive: false, max_exclusive: false, default: 8.0, log_scale: true }, help: "largest spread; below d / outliers (the spread of k outliers over a bulk cannot exceed d / k)", when: &[] },
    Param { name: "sweep.spread_points", group: "sweep", kind: Kind::Integer { min: 2, max: 16, default: 6 }, help: "spreads, log-spaced", when: &[] },
    Param { name: "sweep.rotation_points", group: "sweep", kind: Kind::Integer { min: 2, max: 16, default: 6 }, help: "rotations, evenly spaced from 0 (diagonal) to 1 (Haar)", when: &[] },
    Param { name: "sweep.problems", group: "sweep", kind: Kind::Integer { min: 1, max: 20, default: 5 }, help: "seeded problems per cell (seeds problem.seed, +1, ...); results are geometric means", when: &[] },
    Param { name: "sweep.rule", group: "sweep", kind: Kind::Choice { choices: &["tuned", "theory"], default: "tuned" }, help: "GD and sign GD with the theory steps 1/L_2 and ||g||_1/L_inf scaled by the best of the sweep.tune_* grid, or exactly the theory steps", when: &[] },
    Param { name: "sweep.tune_min", group: "sweep", kind: positive(2.0, 0.25, true), help: "smallest multiplier of the theory step in the sweep's tuning grid (above 2 the guarantee is lost)", when: &[("sweep.rule", &["tuned"])] },
    Param { name: "sweep.tune_max", group: "sweep", kind: positive(2.0, 2.0, true), help: "largest multiplier of the theory step in the sweep's tuning grid", when: &[("sweep.rule", &["tuned"])] },
    Param { name: "sweep.tune_points", group: "sweep", kind: Kind::Integer { min: 2, max: 31, default: 13 }, help: "log-spaced multipliers in the sweep's tuning grid (13 over 0.25..2: steps of 19%)", when: &[("sweep.rule", &["tuned"])] },
    Param { name: "sweep.measure", group: "sweep", kind: Kind::Choice { choices: &["steps", "suboptimality"], default: "steps" }, help: "measured advantage: GD steps / sign GD steps to the target, or GD / sign GD suboptimality after run.steps", when: &[] },
];

pub fn param(name: &str) -> &'static Param {
    PARAMS.iter().find(|p| p.name == name).unwrap_or_else(|| panic!("no parameter {name}"))
}

pub(super) fn default_int(name: &str) -> u64 {
    match param(name).kind {
        Kind::Integer { default, .. } => default,
        _ => unreachable!("{name} is not an integer"),
    }
}
pub(super) fn default_float(name: &str) -> f64 {
    match param(name).kind {
        Kind::Float { default, .. } => default,
        _ => unreachable!("{name} is not a float"),
    }
}
pub(super) fn default_choice<T: for<'de> Deserialize<'de>>(name: &str) -> T {
    match param(name).kind {
        Kind::Choice { default, .. } => serde_json::from_value(serde_json::Value::String(default.into()))
            .unwrap_or_else(|_| unreachable!("{name}: default {default} is not a choice")),
        _ => unreachable!("{name} is not a choice"),
    }
}
pub(super) fn default_bool(name: &str) -> bool {
    match param(name).kind {
        Kind::Boolean { default } => default,
        _ => unreachable!("{name} is not a boolean"),
    }
}

/// Describes the allowed range of a table parameter, e.g. "allowed: 1 to 2000 (dimension ...)".
pub fn allowed(name: &str) -> String {
    let p = param(name);
    let range = match p.kind {
        Kind::Integer { min, max, .. } => format!("an integer from {min} to {max}"),
        Kind::Float { min, max, min_exclusive, max_exclusive, .. } => format!(
            "a number in {}{min}, {max}{}",
            if min_exclusive { "(" } else { "[" },
            if max_exclusive { ")" } else { "]" }
        ),
        Kind::Choice { choices, .. } => format!("one of {}", choices.join(", ")),
        Kind::Boolean { .. } => "true or false".into(),
        Kind::Vector => "a list of numbers".into(),
        Kind::Matrix => "a list of rows of numbers".into(),
        Kind::Text => "text".into(),
    };
    format!("allowed: {range} ({})", p.help)
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
