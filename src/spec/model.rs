//! The spec's types: every parameter of an experiment, as JSON, the URL and the page write it.
//! A method's hyperparameters are optional: absent, they take the method's own default.

use crate::data::DatasetKind;
use crate::objective::{Activation, Network, SpectrumKind};
use crate::optimizer::method::method_id;
use crate::optimizer::{Hyper, MethodKind, ScheduleKind, StepRule};
use serde::{Deserialize, Serialize};

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
    pub analysis: AnalysisSpec,
    /// `analysis` under its old name: still read (reading moves it to `analysis` with a
    /// deprecation warning), never written.
    #[serde(default, skip_serializing)]
    pub hessian: Option<AnalysisSpec>,
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
    /// Rotate the matrix variable's two sides (X -> U X V^T, Haar U and V; needs `shape`).
    pub rotate_sides: bool,
    pub angle: f64,
    pub seed: u64,
    pub dataset: DatasetKind,
    pub hidden: u64,
    pub hidden2: u64,
    pub activation: Activation,
    pub l2: f64,
    /// Zipf exponent s of the training set's class frequencies (data::zipf_subsample); 0: all rows.
    pub class_zipf: f64,
    pub rotate_params: bool,
    pub start: StartKind,
    pub start_scale: f64,
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "super::bounded::vector")]
    pub x0: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "super::bounded::matrix")]
    pub matrix: Option<Vec<Vec<f64>>>,
    /// [m, n]: the variable is an m x n matrix, x = vec(X) row-major (quadratic and matrix
    /// kinds); None: a plain vector. Numbers, as every list of the spec; validation asks for
    /// integers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shape: Option<Vec<f64>>,
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
    /// Evaluation points of a minibatch run (`experiment::run::run_config`).
    pub eval_points: u64,
    pub tune_min: f64,
    pub tune_max: f64,
    pub tune_points: u64,
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
    /// None: `auto_spread_max` of the problem, so that the default sweep fits any d and outliers.
    pub spread_max: Option<f64>,
    pub spread_points: u64,
    pub rotation_points: u64,
    pub problems: u64,
    pub rule: SweepRule,
    pub tune_min: f64,
    pub tune_max: f64,
    pub tune_points: u64,
    pub measure: SweepMeasure,
}

impl Spec {
    /// A field of `AUTO_DEFAULTS` by its spec name: Some(value given); None for other fields.
    pub(super) fn auto_number(&self, name: &str) -> Option<Option<f64>> {
        AUTO_DEFAULTS.iter().find(|a| a.name == name).map(|a| (a.given)(self))
    }
}

impl SweepSpec {
    /// The largest spread of the map: as given, or else `auto_spread_max(d, outliers)`.
    pub fn spread_max_for(&self, d: u64, outliers: u64) -> f64 {
        self.spread_max.unwrap_or_else(|| auto_spread_max(d, outliers))
    }
}

/// The default largest spread: min(8, 0.8 d / k). k outliers at lambda_max over a bulk at
/// lambda_min have spread lambda_max / lambda_bar < d / k, and near d / k the bulk vanishes
/// (lambda_max / lambda_min = s (d - k) / (d - s k)); 0.8 d / k keeps that ratio at
/// most 4 (d - k) / k.
pub fn auto_spread_max(d: u64, outliers: u64) -> f64 {
    if outliers == 0 {
        return AUTO_SPREAD_MAX;
    }
    // 4 d / (5 k) as one correctly rounded division, so that it reads as written (1.2, not 1.2000000000000002).
    AUTO_SPREAD_MAX.min((4 * d) as f64 / (5 * outliers) as f64)
}

/// The default largest spread wherever d / outliers allows it.
pub const AUTO_SPREAD_MAX: f64 = 8.0;

/// A parameter outside the methods whose default follows other fields: left empty, `resolved`
/// fills it in.
pub struct AutoDefault {
    pub name: &'static str,
    /// The rule, as the schema states it.
    pub rule: &'static str,
    /// The value given, if any.
    pub given: fn(&Spec) -> Option<f64>,
}

pub const AUTO_DEFAULTS: &[AutoDefault] =
    &[AutoDefault { name: "sweep.spread_max", rule: "min(8, 0.8 d / outliers)", given: |s| s.sweep.spread_max }];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalysisSpec {
    pub method: u64,
    pub step: u64,
    pub bins: u64,
    pub track: u64,
    pub sdp: bool,
}

impl MethodSpec {
    /// A method of `kind` with every other field at its default.
    pub fn of(kind: MethodKind) -> Self {
        MethodSpec { kind, ..Default::default() }
    }

    /// An optional number field (lr or a hyperparameter) by its spec name: Some(value given);
    /// None for other fields.
    pub(super) fn optional_number(&self, field: &str) -> Option<Option<f64>> {
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
            Rule::Auto if self.kind.has_theory_step() => StepRule::Theory,
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

impl ProblemSpec {
    /// (m, n) of a validated `shape`.
    pub fn matrix_shape(&self) -> Option<(usize, usize)> {
        self.shape.as_ref().map(|s| (s[0] as usize, s[1] as usize))
    }

    /// Widths of the network's hidden layers (none: logistic regression).
    pub fn hidden_layers(&self) -> Vec<usize> {
        [self.hidden, self.hidden2].into_iter().take_while(|h| *h > 0).map(|h| h as usize).collect()
    }
}

impl Spec {
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
        s.sweep.spread_max = Some(self.sweep.spread_max_for(self.problem.d, self.problem.outliers));
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
}
