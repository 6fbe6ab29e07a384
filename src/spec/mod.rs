//! The experiment spec: every parameter of an experiment, with its default, allowed range and a
//! one-line help, in one table (`PARAMS`). The CLI, the URL codec and the page's controls all read
//! this table; validation reads its ranges, and the `Default` impls read its defaults.
//!
//! Limits that keep any input from exhausting memory: d <= 2000 (a dense Hessian is d^2 floats,
//! 32 MB at the limit), steps <= 100000, at most 8 methods (traces hold 7 floats per step and
//! method: 45 MB at the limits), tuning grids of at most 61 values.

mod params;
pub mod url;

pub use params::{allowed, check_number, param, Kind, Param, When, PARAMS, RULES, SPECTRUM_KINDS, START_KINDS};
use params::{check_float, check_int, default_bool, default_choice, default_choice_id, default_float, default_int};

use crate::data::DatasetKind;
use crate::objective::{Activation, Network, SpectrumKind};
use crate::optimizer::method::{method_id, GD, SIGN_GD};
use crate::optimizer::{Hyper, Method, MethodKind, ScheduleKind, StepRule, METHODS};
use serde::{Deserialize, Serialize};
use std::fmt;

pub const SPEC_VERSION: u64 = 1;
pub const MAX_D: u64 = 2000;
/// Networks may be larger than MAX_D: they never form a d x d matrix unless asked for the dense
/// Hessian (which stops at DENSE_HESSIAN_MAX_D); above it the Hessian is read by Lanczos.
pub const MAX_NETWORK_PARAMS: usize = 10_000;
pub const MAX_STEPS: u64 = 100_000;
pub const MAX_METHODS: usize = 8;
/// Largest integer a JS number holds exactly: seeds round-trip through the URL and the page.
pub const MAX_SEED: u64 = (1 << 53) - 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    Quadratic,
    Quad2d,
    Matrix,
    Rosenbrock,
    Network,
}

impl ProblemKind {
    /// Every kind, in the order of the spec's choices.
    pub const ALL: [ProblemKind; 5] = [
        ProblemKind::Quadratic,
        ProblemKind::Quad2d,
        ProblemKind::Matrix,
        ProblemKind::Rosenbrock,
        ProblemKind::Network,
    ];

    /// The spec name (serde's), e.g. "quad2d".
    pub const fn id(self) -> &'static str {
        match self {
            ProblemKind::Quadratic => "quadratic",
            ProblemKind::Quad2d => "quad2d",
            ProblemKind::Matrix => "matrix",
            ProblemKind::Rosenbrock => "rosenbrock",
            ProblemKind::Network => "network",
        }
    }

    /// Whether the objective has a global smoothness constant (a constant Hessian), which theory
    /// steps need.
    pub fn has_global_smoothness(self) -> bool {
        match self {
            ProblemKind::Quadratic | ProblemKind::Quad2d | ProblemKind::Matrix => true,
            ProblemKind::Rosenbrock | ProblemKind::Network => false,
        }
    }
}

/// The kinds' ids, in order (the choices of `problem.kind`).
pub const PROBLEM_KINDS: [&str; ProblemKind::ALL.len()] = {
    let mut ids = [""; ProblemKind::ALL.len()];
    let mut i = 0;
    while i < ids.len() {
        ids[i] = ProblemKind::ALL[i].id();
        i += 1;
    }
    ids
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartKind {
    Gaussian,
    Ones,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    Auto,
    Theory,
    Const,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Spec {
    pub version: u64,
    pub problem: ProblemSpec,
    pub methods: Vec<MethodSpec>,
    pub run: RunSpec,
    /// The spread x rotation map (`steepest sweep`); the problem and run sections give the
    /// rest (d, outliers, lambda_min, seed, steps, target, tuning grid).
    pub sweep: SweepSpec,
    /// The Hessian analysis at a checkpoint of one method's run (`steepest anatomy`, the page's
    /// Hessian view).
    pub hessian: HessianSpec,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProblemSpec {
    pub kind: ProblemKind,
    pub d: u64,
    pub spectrum: SpectrumKind,
    pub lambda_max: f64,
    pub lambda_min: f64,
    pub outliers: u64,
    pub rotation: f64,
    pub angle: f64,
    pub seed: u64,
    pub dataset: DatasetKind,
    pub hidden: u64,
    pub hidden2: u64,
    pub activation: Activation,
    pub l2: f64,
    pub rotate_params: bool,
    pub start: StartKind,
    pub start_scale: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x0: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matrix: Option<Vec<Vec<f64>>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MethodSpec {
    #[serde(with = "method_id")]
    pub kind: MethodKind,
    pub rule: Rule,
    /// None: 1 for the theory rule, 0.01 for const (filled in by `resolve`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lr: Option<f64>,
    pub tune: bool,
    pub schedule: ScheduleKind,
    /// The hyperparameters (see `Hyper`); None: the method's own default (filled in by
    /// `resolve` for the ones it reads; the others are dropped there).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beta: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beta2: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eps: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RunSpec {
    pub steps: u64,
    pub target: f64,
    pub batch: u64,
    pub tune_min: f64,
    pub tune_max: f64,
    pub tune_points: u64,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            version: default_int("version"),
            problem: ProblemSpec::default(),
            methods: vec![MethodSpec::of(&GD), MethodSpec::of(&SIGN_GD)],
            run: RunSpec::default(),
            sweep: SweepSpec::default(),
            hessian: HessianSpec::default(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SweepRule {
    Theory,
    Tuned,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SweepMeasure {
    Steps,
    Suboptimality,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SweepSpec {
    pub spread_min: f64,
    pub spread_max: f64,
    pub spread_points: u64,
    pub rotation_points: u64,
    pub problems: u64,
    pub rule: SweepRule,
    pub tune_min: f64,
    pub tune_max: f64,
    pub tune_points: u64,
    pub measure: SweepMeasure,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HessianSpec {
    pub method: u64,
    pub step: u64,
    pub bins: u64,
    pub track: u64,
    pub sdp: bool,
}

impl Default for HessianSpec {
    fn default() -> Self {
        HessianSpec {
            method: default_int("hessian.method"),
            step: default_int("hessian.step"),
            bins: default_int("hessian.bins"),
            track: default_int("hessian.track"),
            sdp: default_bool("hessian.sdp"),
        }
    }
}

impl Default for SweepSpec {
    fn default() -> Self {
        SweepSpec {
            spread_min: default_float("sweep.spread_min"),
            spread_max: default_float("sweep.spread_max"),
            spread_points: default_int("sweep.spread_points"),
            rotation_points: default_int("sweep.rotation_points"),
            problems: default_int("sweep.problems"),
            rule: default_choice("sweep.rule"),
            tune_min: default_float("sweep.tune_min"),
            tune_max: default_float("sweep.tune_max"),
            tune_points: default_int("sweep.tune_points"),
            measure: default_choice("sweep.measure"),
        }
    }
}

impl Default for ProblemSpec {
    fn default() -> Self {
        ProblemSpec {
            kind: default_choice("problem.kind"),
            d: default_int("problem.d"),
            spectrum: default_choice("problem.spectrum"),
            lambda_max: default_float("problem.lambda_max"),
            lambda_min: default_float("problem.lambda_min"),
            outliers: default_int("problem.outliers"),
            rotation: default_float("problem.rotation"),
            angle: default_float("problem.angle"),
            seed: default_int("problem.seed"),
            dataset: default_choice("problem.dataset"),
            hidden: default_int("problem.hidden"),
            hidden2: default_int("problem.hidden2"),
            activation: default_choice("problem.activation"),
            l2: default_float("problem.l2"),
            rotate_params: default_bool("problem.rotate_params"),
            start: default_choice("problem.start"),
            start_scale: default_float("problem.start_scale"),
            x0: None,
            matrix: None,
        }
    }
}

impl Default for MethodSpec {
    fn default() -> Self {
        let kind = default_choice_id("methods[].kind");
        MethodSpec {
            kind: Method::by_id(kind).unwrap_or_else(|| unreachable!("methods[].kind: default {kind} is not a method")),
            rule: default_choice("methods[].rule"),
            lr: None,
            tune: default_bool("methods[].tune"),
            schedule: default_choice("methods[].schedule"),
            beta: None,
            beta2: None,
            eps: None,
            p: None,
            block: None,
            label: None,
        }
    }
}

impl Default for RunSpec {
    fn default() -> Self {
        RunSpec {
            steps: default_int("run.steps"),
            target: default_float("run.target"),
            batch: default_int("run.batch"),
            tune_min: default_float("run.tune_min"),
            tune_max: default_float("run.tune_max"),
            tune_points: default_int("run.tune_points"),
        }
    }
}

impl MethodSpec {
    /// A method of `kind` with every other field at its default.
    pub fn of(kind: MethodKind) -> Self {
        MethodSpec { kind, ..Default::default() }
    }

    /// An optional number field (lr or a hyperparameter) by its spec name: Some(value given);
    /// None for other fields.
    fn optional_number(&self, field: &str) -> Option<Option<f64>> {
        match field {
            "lr" => Some(self.lr),
            _ => Hyper::from_id(field).map(|h| self.given(h)),
        }
    }

    /// The value given for hyperparameter `h`, if any.
    pub fn given(&self, h: Hyper) -> Option<f64> {
        match h {
            Hyper::Beta => self.beta,
            Hyper::Beta2 => self.beta2,
            Hyper::Eps => self.eps,
            Hyper::P => self.p,
            Hyper::Block => self.block.map(|b| b as f64),
        }
    }

    fn set(&mut self, h: Hyper, v: Option<f64>) {
        match h {
            Hyper::Beta => self.beta = v,
            Hyper::Beta2 => self.beta2 = v,
            Hyper::Eps => self.eps = v,
            Hyper::P => self.p = v,
            Hyper::Block => self.block = v.map(|b| b as u64),
        }
    }

    /// Hyperparameter `h` as the method reads it: the value given, else the method's default.
    /// Methods read only the hyperparameters they declare (tested for every row).
    pub fn hyper(&self, h: Hyper) -> f64 {
        let default = self.kind.default_of(h);
        self.given(h).or(default).unwrap_or_else(|| unreachable!("{} does not read {}", self.kind.id, h.id()))
    }

    /// The method's hyperparameter source.
    pub fn hypers(&self) -> impl Fn(Hyper) -> f64 + '_ {
        |h| self.hyper(h)
    }

    /// The concrete step rule: auto is theory where the method has one.
    pub fn step_rule(&self) -> StepRule {
        match self.rule {
            Rule::Theory => StepRule::Theory,
            Rule::Const => StepRule::Const,
            Rule::Auto if self.kind.theory_norm(&self.hypers()).is_some() => StepRule::Theory,
            Rule::Auto => StepRule::Const,
        }
    }

    /// lr, or its rule's default: 1 for theory (the exact theory step), 0.01 for const.
    pub fn lr_value(&self) -> f64 {
        self.lr.unwrap_or(match self.step_rule() {
            StepRule::Theory => 1.0,
            StepRule::Const => 0.01,
        })
    }
}

/// An invalid spec: which field, what was given, what is allowed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpecError {
    pub field: String,
    pub value: String,
    pub allowed: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} is not allowed; {}", self.field, self.value, self.allowed)
    }
}

impl std::error::Error for SpecError {}

impl SpecError {
    pub fn new(field: impl Into<String>, value: impl fmt::Display, allowed: impl Into<String>) -> Self {
        SpecError { field: field.into(), value: value.to_string(), allowed: allowed.into() }
    }
}

/// Largest |x0_i| accepted, so that f(x0) stays finite for any allowed Hessian.
pub const MAX_ABS_X0: f64 = 1e12;

impl ProblemSpec {
    /// Widths of the network's hidden layers (none: logistic regression).
    pub fn hidden_layers(&self) -> Vec<usize> {
        [self.hidden, self.hidden2].into_iter().take_while(|h| *h > 0).map(|h| h as usize).collect()
    }
}

impl Spec {
    /// Parses JSON, naming the field of any type error or unknown key, then validates.
    pub fn from_json(text: &str) -> Result<Spec, SpecError> {
        Spec::deserialize_checked(&mut serde_json::Deserializer::from_str(text))
    }

    /// Deserialises from any serde format (JSON text, a JS object in wasm), naming the failing
    /// field by its path, then validates.
    pub fn deserialize_checked<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Spec, SpecError>
    where
        D::Error: fmt::Display,
    {
        let spec: Spec = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." { "spec".to_string() } else { path };
            SpecError::new(field, "the value given", format!("{}", e.inner()))
        })?;
        spec.validate()?;
        Ok(spec)
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a spec always serialises")
    }

    /// The spec with every `auto` and default-by-rule value made explicit: what was run. An
    /// `auto` rule is theory where the method has one and the objective a global smoothness
    /// constant (not Rosenbrock), const otherwise.
    pub fn resolved(&self) -> Spec {
        let mut s = self.clone();
        let global = self.problem.kind.has_global_smoothness();
        for m in &mut s.methods {
            m.rule = match (m.rule, m.step_rule(), global) {
                (Rule::Auto, _, false) | (_, StepRule::Const, _) => Rule::Const,
                (_, StepRule::Theory, _) => Rule::Theory,
            };
            m.lr = Some(m.lr_value());
            for h in Hyper::ALL {
                let used = m.kind.default_of(h).map(|default| m.given(h).unwrap_or(default));
                m.set(h, used);
            }
        }
        s
    }

    /// The problem's dimension as run (quad2d is always 2; matrix takes the matrix's size).
    pub fn dim(&self) -> usize {
        match self.problem.kind {
            ProblemKind::Quad2d => 2,
            ProblemKind::Matrix => self.problem.matrix.as_ref().map_or(0, |m| m.len()),
            ProblemKind::Network => {
                let data = self.problem.dataset;
                Network::param_count(data.features(), data.classes(), &self.problem.hidden_layers())
            }
            ProblemKind::Quadratic | ProblemKind::Rosenbrock => self.problem.d as usize,
        }
    }

    /// Checks every numeric field against its range in the table, then the cross-field rules.
    pub fn validate(&self) -> Result<(), SpecError> {
        self.check_ranges()?;
        let p = &self.problem;
        if p.kind == ProblemKind::Quadratic {
            if p.lambda_min > p.lambda_max {
                return Err(SpecError::new(
                    "problem.lambda_min",
                    p.lambda_min,
                    format!("allowed: at most problem.lambda_max = {}", p.lambda_max),
                ));
            }
            if p.spectrum == SpectrumKind::Outliers && p.outliers > p.d {
                return Err(SpecError::new(
                    "problem.outliers",
                    p.outliers,
                    format!("allowed: at most problem.d = {}", p.d),
                ));
            }
        }
        if p.kind == ProblemKind::Rosenbrock && p.d < 2 {
            return Err(SpecError::new("problem.d", p.d, "allowed: at least 2 for rosenbrock"));
        }
        if p.rotate_params && p.kind.has_global_smoothness() {
            return Err(SpecError::new(
                "problem.rotate_params",
                true,
                "allowed only for network and rosenbrock (quadratics have problem.rotation, which keeps their smoothness constants)",
            ));
        }
        if p.kind == ProblemKind::Network && p.hidden2 > 0 && p.hidden == 0 {
            return Err(SpecError::new(
                "problem.hidden2",
                p.hidden2,
                "allowed: 0 when problem.hidden is 0 (a second hidden layer needs a first)",
            ));
        }
        if p.kind == ProblemKind::Network && self.dim() > MAX_NETWORK_PARAMS {
            return Err(SpecError::new(
                "problem.hidden",
                p.hidden,
                format!("allowed: a network of at most {MAX_NETWORK_PARAMS} parameters (this one has {})", self.dim()),
            ));
        }
        if p.rotate_params && self.dim() > MAX_D as usize {
            return Err(SpecError::new(
                "problem.rotate_params",
                true,
                format!("allowed for at most {MAX_D} parameters (the rotation is a dense d x d matrix; this problem has {})", self.dim()),
            ));
        }
        match (&p.matrix, p.kind) {
            (None, ProblemKind::Matrix) => {
                return Err(SpecError::new(
                    "problem.matrix",
                    "nothing",
                    "allowed: a square symmetric matrix as rows, required for kind matrix",
                ))
            }
            (Some(rows), ProblemKind::Matrix) => {
                crate::objective::check_matrix(rows, MAX_D as usize)
                    .map_err(|e| SpecError::new("problem.matrix", "the matrix given", format!("{e}")))?;
            }
            (Some(_), _) => {
                return Err(SpecError::new("problem.matrix", "a matrix", "allowed only with problem.kind = matrix"))
            }
            (None, _) => {}
        }
        let d = self.dim();
        if let Some(x0) = &p.x0 {
            if x0.len() != d {
                return Err(SpecError::new(
                    "problem.x0",
                    format!("{} numbers", x0.len()),
                    format!("allowed: exactly d = {d} numbers"),
                ));
            }
            if let Some(i) = x0.iter().position(|v| !v.is_finite() || v.abs() > MAX_ABS_X0) {
                return Err(SpecError::new(
                    format!("problem.x0[{i}]"),
                    x0[i],
                    format!("allowed: a finite number with |x| <= {MAX_ABS_X0:e}"),
                ));
            }
        }
        if self.methods.is_empty() || self.methods.len() > MAX_METHODS {
            return Err(SpecError::new(
                "methods",
                format!("{} methods", self.methods.len()),
                format!("allowed: 1 to {MAX_METHODS} methods"),
            ));
        }
        for (i, m) in self.methods.iter().enumerate() {
            let f = |name: &str| format!("methods[{i}].{name}");
            if let Some(label) = &m.label {
                if label.chars().count() > 80 {
                    return Err(SpecError::new(
                        f("label"),
                        format!("{} characters", label.chars().count()),
                        "allowed: at most 80 characters",
                    ));
                }
            }
            if m.rule == Rule::Theory {
                if m.kind.theory_norm(&m.hypers()).is_none() {
                    return Err(SpecError::new(
                        f("rule"),
                        "theory",
                        format!("allowed for {}: const or auto (it has no smoothness step)", m.kind.id),
                    ));
                }
                if !p.kind.has_global_smoothness() {
                    return Err(SpecError::new(
                        f("rule"),
                        "theory",
                        format!("allowed for {}: const (it has no global smoothness constant)", p.kind.id()),
                    ));
                }
            }
        }
        let r = &self.run;
        if r.tune_min >= r.tune_max {
            return Err(SpecError::new(
                "run.tune_max",
                r.tune_max,
                format!("allowed: greater than run.tune_min = {}", r.tune_min),
            ));
        }
        if r.batch > 0 {
            if p.kind != ProblemKind::Network {
                return Err(SpecError::new(
                    "run.batch",
                    r.batch,
                    "allowed: 0 (full batch) unless problem.kind = network",
                ));
            }
            let rows = (crate::data::TRAIN_FRACTION * p.dataset.rows() as f64).round() as u64;
            if r.batch > rows {
                return Err(SpecError::new(
                    "run.batch",
                    r.batch,
                    format!("allowed: at most the {rows} training rows of {}", p.dataset.name()),
                ));
            }
        }
        let w = &self.sweep;
        if w.tune_min >= w.tune_max {
            return Err(SpecError::new(
                "sweep.tune_max",
                w.tune_max,
                format!("allowed: greater than sweep.tune_min = {}", w.tune_min),
            ));
        }
        if w.spread_min > w.spread_max {
            return Err(SpecError::new(
                "sweep.spread_max",
                w.spread_max,
                format!("allowed: at least sweep.spread_min = {}", w.spread_min),
            ));
        }
        Ok(())
    }

    /// Every integer and float field against its table range, in table order (method fields
    /// for each method). A float that serialises as null is NaN or infinite; a method's
    /// optional numbers (lr, hyperparameters) are read from the method itself.
    fn check_ranges(&self) -> Result<(), SpecError> {
        let json = serde_json::to_value(self).expect("a spec serialises");
        for p in PARAMS {
            let targets: Vec<(String, &serde_json::Value)> = match p.name.split_once('.') {
                None => vec![(p.name.to_string(), &json[p.name])],
                Some(("methods[]", f)) => json["methods"]
                    .as_array()
                    .map(|ms| ms.iter().enumerate().map(|(i, m)| (format!("methods[{i}].{f}"), &m[f])).collect())
                    .unwrap_or_default(),
                Some((group, f)) => vec![(p.name.to_string(), &json[group][f])],
            };
            for (i, (field, v)) in targets.into_iter().enumerate() {
                let numeric = matches!(p.kind, Kind::Integer { .. } | Kind::Float { .. });
                match p.name.strip_prefix("methods[].").and_then(|f| self.methods[i].optional_number(f)) {
                    Some(None) => {}
                    Some(Some(x)) => check_number(&field, p.name, x)?,
                    None if !numeric => {}
                    None => match p.kind {
                        Kind::Integer { .. } => check_int(&field, p.name, v.as_u64().unwrap_or(u64::MAX))?,
                        _ => check_float(&field, p.name, v.as_f64().unwrap_or(f64::NAN))?,
                    },
                }
            }
        }
        Ok(())
    }

    /// Refuses a network spec whose data set the core does not hold (in the page: not fetched
    /// yet). Separate from `validate`, which depends on the spec alone.
    pub fn check_data(&self) -> Result<(), SpecError> {
        let d = self.problem.dataset;
        if self.problem.kind == ProblemKind::Network && !crate::data::available(d) {
            return Err(SpecError::new(
                "problem.dataset",
                d.name(),
                "allowed: a data set loaded into the core (the page fetches it first)",
            ));
        }
        Ok(())
    }

    /// The extra rules the Hessian analysis needs (checked by it, not by plain runs, so that a
    /// shorter run in the page does not fail for a checkpoint it no longer reaches).
    pub fn validate_hessian(&self) -> Result<(), SpecError> {
        self.validate()?;
        let h = &self.hessian;
        if h.method as usize >= self.methods.len() {
            return Err(SpecError::new(
                "hessian.method",
                h.method,
                format!("allowed: 0 to {} (the index of one of the methods)", self.methods.len() - 1),
            ));
        }
        if h.step > self.run.steps {
            return Err(SpecError::new(
                "hessian.step",
                h.step,
                format!("allowed: 0 to run.steps = {}", self.run.steps),
            ));
        }
        Ok(())
    }

    /// The extra rules a sweep needs (a generated quadratic with outliers whose spread can reach
    /// sweep.spread_max); checked by `steepest sweep`, not by plain runs.
    pub fn validate_sweep(&self) -> Result<(), SpecError> {
        self.validate()?;
        let p = &self.problem;
        if p.kind != ProblemKind::Quadratic || p.spectrum != SpectrumKind::Outliers {
            return Err(SpecError::new(
                "problem.kind",
                format!("{:?} with spectrum {:?}", p.kind, p.spectrum).to_lowercase(),
                "allowed for a sweep: quadratic with spectrum outliers",
            ));
        }
        if p.outliers == 0 || p.outliers >= p.d {
            return Err(SpecError::new(
                "problem.outliers",
                p.outliers,
                format!("allowed for a sweep: 1 to d - 1 = {}", p.d - 1),
            ));
        }
        let limit = p.d as f64 / p.outliers as f64;
        if self.sweep.spread_max >= limit {
            return Err(SpecError::new(
                "sweep.spread_max",
                self.sweep.spread_max,
                format!("allowed: below d / outliers = {limit}"),
            ));
        }
        Ok(())
    }
}

/// The schema: every parameter with type, range, default and help, and every method with its
/// own hyperparameter defaults (what `steepest spec --schema` prints and what the page builds
/// its controls from).
pub fn schema() -> serde_json::Value {
    let methods: Vec<serde_json::Value> = METHODS
        .iter()
        .map(|m| {
            let defaults: serde_json::Map<String, serde_json::Value> =
                m.hyper.iter().map(|(h, v)| (h.id().to_string(), (*v).into())).collect();
            let norm = m.theory_norm(&m.defaults()).map(|n| n.name());
            serde_json::json!({ "id": m.id, "name": m.display_name(&m.defaults()), "theory_norm": norm, "defaults": defaults })
        })
        .collect();
    serde_json::json!({
        "version": SPEC_VERSION,
        "limits": { "max_d": MAX_D, "max_network_params": MAX_NETWORK_PARAMS, "max_steps": MAX_STEPS, "max_methods": MAX_METHODS },
        "params": PARAMS,
        "methods": methods,
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_round_trip() {
        let s = Spec::default();
        s.validate().unwrap();
        let back = Spec::from_json(&s.to_json_pretty()).unwrap();
        assert_eq!(back, s);
        let r = s.resolved();
        assert_eq!(Spec::from_json(&serde_json::to_string(&r).unwrap()).unwrap(), r);
    }

    #[test]
    fn every_choice_in_the_table_parses() {
        for p in PARAMS {
            if let Kind::Choice { choices, default } = p.kind {
                assert!(choices.contains(&default), "{}", p.name);
                for c in choices {
                    let field = p.name.rsplit('.').next().unwrap();
                    let body = if p.name.starts_with("methods") {
                        format!(r#"{{"methods": [{{"{field}": "{c}"}}]}}"#)
                    } else {
                        let group = p.name.split('.').next().unwrap();
                        format!(r#"{{"{group}": {{"{field}": "{c}"}}}}"#)
                    };
                    let parsed: Result<Spec, _> = serde_json::from_str(&body);
                    assert!(parsed.is_ok(), "{}: {c}: {:?}", p.name, parsed.err());
                }
            }
        }
        // The problem kinds listed are serde's names of ProblemKind::ALL.
        for k in ProblemKind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), k.id());
        }
    }

    /// Every field of a spec with every optional field set has a row in the parameter table,
    /// and every row names a field.
    #[test]
    fn every_spec_field_has_a_parameter_row() {
        let mut s = Spec::default();
        s.problem.x0 = Some(vec![0.0; s.dim()]);
        s.problem.matrix = Some(vec![vec![1.0]]);
        s.methods[0] = MethodSpec {
            lr: Some(0.1),
            beta: Some(0.5),
            beta2: Some(0.5),
            eps: Some(0.1),
            p: Some(2.0),
            block: Some(1),
            label: Some("x".into()),
            ..MethodSpec::of(&GD)
        };
        let json = serde_json::to_value(&s).unwrap();
        let mut fields = Vec::new();
        for (k, v) in json.as_object().unwrap() {
            match v {
                serde_json::Value::Object(group) => fields.extend(group.keys().map(|f| format!("{k}.{f}"))),
                serde_json::Value::Array(methods) => {
                    fields.extend(methods[0].as_object().unwrap().keys().map(|f| format!("{k}[].{f}")))
                }
                _ => fields.push(k.clone()),
            }
        }
        let mut rows: Vec<String> = PARAMS.iter().map(|p| p.name.to_string()).collect();
        fields.sort();
        rows.sort();
        assert_eq!(fields, rows);
    }

    /// A hyperparameter's control shows for exactly the methods that read it, and the schema
    /// carries each method's own defaults.
    #[test]
    fn hyperparameter_controls_follow_the_method_rows() {
        let schema = schema();
        for h in Hyper::ALL {
            let name = format!("methods[].{}", h.id());
            let row = schema["params"].as_array().unwrap().iter().find(|p| p["name"] == name.as_str()).unwrap();
            assert!(row.get("default").is_none(), "{name}: the default is each method's");
            let shown: Vec<&str> = row["when"][0][1].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
            let readers: Vec<&str> = METHODS.iter().filter(|m| m.default_of(h).is_some()).map(|m| m.id).collect();
            assert_eq!((row["when"][0][0].as_str(), shown), (Some("methods[].kind"), readers), "{name}");
        }
        let lion = schema["methods"].as_array().unwrap().iter().find(|m| m["id"] == "lion").unwrap();
        assert_eq!(lion["defaults"], serde_json::json!({"beta": 0.9, "beta2": 0.99}));
        let adam = schema["methods"].as_array().unwrap().iter().find(|m| m["id"] == "adam").unwrap();
        assert_eq!(adam["defaults"]["beta2"], 0.999);
    }

    /// An absent hyperparameter takes the method's own default, a given one is kept (old specs
    /// wrote every hyperparameter for every method), and the resolved spec lists exactly the
    /// ones the method read.
    #[test]
    fn hyperparameters_default_per_method_and_resolve_to_what_was_read() {
        let s = Spec::from_json(
            r#"{"methods": [{"kind": "lion"}, {"kind": "adam"}, {"kind": "lion", "beta2": 0.999},
                {"kind": "gd", "beta": 0.9, "beta2": 0.999, "eps": 1e-8, "p": 3, "block": 2}]}"#,
        )
        .unwrap();
        assert_eq!(s.methods[0].beta2, None);
        assert_eq!(s.methods[0].hyper(Hyper::Beta2), 0.99);
        assert_eq!(s.methods[1].hyper(Hyper::Beta2), 0.999);
        assert_eq!(s.methods[2].hyper(Hyper::Beta2), 0.999);
        let r = s.resolved();
        assert_eq!((r.methods[0].beta, r.methods[0].beta2, r.methods[0].eps), (Some(0.9), Some(0.99), None));
        assert_eq!(r.methods[2].beta2, Some(0.999));
        let gd = &r.methods[3];
        assert_eq!((gd.beta, gd.beta2, gd.eps, gd.p, gd.block), (None, None, None, None, None));
        let e = Spec::from_json(r#"{"methods": [{"kind": "lion", "beta2": 1}]}"#).unwrap_err();
        assert_eq!(e.field, "methods[0].beta2");
        let mut nan = Spec::default();
        nan.methods[0].beta = Some(f64::NAN);
        assert_eq!(nan.validate().unwrap_err().field, "methods[0].beta");
    }

    #[test]
    fn errors_name_the_field_value_and_range() {
        let e = Spec::from_json(r#"{"problem": {"d": 5000}}"#).unwrap_err();
        assert_eq!(e.field, "problem.d");
        assert_eq!(e.value, "5000");
        assert!(e.allowed.contains("1 to 2000"), "{}", e.allowed);

        let e = Spec::from_json(r#"{"problem": {"rotation": 1.5}}"#).unwrap_err();
        assert_eq!((e.field.as_str(), e.value.as_str()), ("problem.rotation", "1.5"));
        assert!(e.allowed.contains("[0, 1]"));

        let e = Spec::from_json(r#"{"methods": [{"kind": "gd"}, {"kind": "adam", "rule": "theory"}]}"#).unwrap_err();
        assert_eq!(e.field, "methods[1].rule");

        let e = Spec::from_json(r#"{"methods": [{"kind": "gd", "lr": -1}]}"#).unwrap_err();
        assert_eq!(e.field, "methods[0].lr");

        let e = Spec::from_json(r#"{"problem": {"dd": 3}}"#).unwrap_err();
        assert_eq!(e.field, "problem.dd");
        assert!(e.allowed.contains("unknown field `dd`"), "{}", e.allowed);

        let e = Spec::from_json(r#"{"methods": [{"kind": "sgd"}]}"#).unwrap_err();
        assert_eq!(e.field, "methods[0].kind");
        assert!(e.allowed.contains("unknown variant"));

        let e = Spec::from_json(r#"{"problem": {"kind": "matrix", "matrix": [[1, 2], [3, 1]]}}"#).unwrap_err();
        assert_eq!(e.field, "problem.matrix");
        assert!(e.allowed.contains("not symmetric"));

        let e = Spec::from_json(r#"{"run": {"steps": 0}}"#).unwrap_err();
        assert_eq!(e.field, "run.steps");

        let e = Spec::from_json(r#"{"problem": {"d": 3, "x0": [1, 2]}}"#).unwrap_err();
        assert_eq!(e.field, "problem.x0");

        let e = Spec::from_json(r#"{"methods": []}"#).unwrap_err();
        assert_eq!(e.field, "methods");
    }

    /// Every numeric parameter of the table is range-checked and named: a value above its
    /// maximum is refused with the field's own path.
    #[test]
    fn every_numeric_parameter_is_range_checked() {
        for p in PARAMS {
            let above = match p.kind {
                Kind::Integer { max, .. } => serde_json::json!(max as f64 + 1.0),
                Kind::Float { max, .. } => serde_json::json!(max * 2.0 + 1.0),
                _ => continue,
            };
            let mut json = serde_json::to_value(Spec::default()).unwrap();
            let field = match p.name.split_once('.') {
                None => {
                    json[p.name] = above;
                    p.name.to_string()
                }
                Some(("methods[]", f)) => {
                    json["methods"][1][f] = above;
                    format!("methods[1].{f}")
                }
                Some((g, f)) => {
                    json[g][f] = above;
                    p.name.to_string()
                }
            };
            let e = Spec::from_json(&json.to_string()).unwrap_err();
            assert_eq!(e.field, field, "{}: {e}", p.name);
        }
        let mut s = Spec::default();
        s.problem.rotation = f64::NAN;
        assert_eq!(s.validate().unwrap_err().field, "problem.rotation");
    }

    #[test]
    fn auto_rule_and_lr_defaults_resolve() {
        let s = Spec::from_json(r#"{"methods": [{"kind": "sign_gd"}, {"kind": "adam"}]}"#).unwrap().resolved();
        assert_eq!((s.methods[0].rule, s.methods[0].lr), (Rule::Theory, Some(1.0)));
        assert_eq!((s.methods[1].rule, s.methods[1].lr), (Rule::Const, Some(0.01)));
        // Rosenbrock has no global smoothness constant: auto means const there.
        let s = Spec::from_json(r#"{"problem": {"kind": "rosenbrock"}}"#).unwrap().resolved();
        assert_eq!((s.methods[0].rule, s.methods[0].lr), (Rule::Const, Some(0.01)));
    }
}
