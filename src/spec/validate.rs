//! Validation: every number against its table range, then the rules between fields, and the
//! extra rules of each task. A task type (`RunTask`, `SweepTask`, `AnalysisTask`) is made only
//! here, so what its checks established holds wherever one is used.

use super::model::{auto_spread_max, AnalysisSpec, ProblemKind, Rule, Spec, AUTO_SPREAD_MAX};
use super::params::{check_float, check_int, check_number, Kind, PARAMS};
use super::{acts_on_text, SpecError, MAX_D, MAX_METHODS, MAX_NETWORK_PARAMS};
use crate::linalg::Matrix;
use crate::objective::SpectrumKind;
use std::fmt;
use std::ops::Deref;

/// A spec as read: valid, with a warning for each deprecated name the input used (for the
/// caller to show).
#[derive(Clone, Debug, PartialEq)]
pub struct Read {
    pub spec: Spec,
    pub warnings: Vec<String>,
}

/// A spec checked for a run (and the data it needs) and resolved (every default and `auto`
/// explicit), with the user's Hessian as checked: what runs, smoothness reports and the
/// Hessian analysis take.
#[derive(Clone, Debug)]
pub struct RunTask {
    spec: Spec,
    /// The checked, exactly symmetric Hessian of kind matrix; None for the other kinds.
    matrix: Option<Matrix>,
}

impl RunTask {
    /// The Hessian of kind matrix (None for the other kinds).
    pub fn matrix(&self) -> Option<&Matrix> {
        self.matrix.as_ref()
    }
}

impl Deref for RunTask {
    type Target = Spec;
    fn deref(&self) -> &Spec {
        &self.spec
    }
}

/// A run task fit for the sweep: a generated quadratic with outliers whose spread can reach
/// sweep.spread_max.
#[derive(Clone, Debug)]
pub struct SweepTask(RunTask);

impl Deref for SweepTask {
    type Target = RunTask;
    fn deref(&self) -> &RunTask {
        &self.0
    }
}

/// A run task with a checkpoint it reaches: the Hessian analysis of method `method` after
/// `analysis.step` steps.
#[derive(Clone, Debug)]
pub struct AnalysisTask {
    run: RunTask,
    method: usize,
}

impl AnalysisTask {
    /// The index of the method analysed (one of the spec's).
    pub fn method(&self) -> usize {
        self.method
    }
}

impl Deref for AnalysisTask {
    type Target = RunTask;
    fn deref(&self) -> &RunTask {
        &self.run
    }
}

/// Largest |x0_i| accepted, so that f(x0) stays finite for any allowed Hessian.
pub const MAX_ABS_X0: f64 = 1e12;

impl Spec {
    /// Parses JSON, naming the field of any type error or unknown key, then validates.
    pub fn from_json(text: &str) -> Result<Spec, SpecError> {
        Ok(Spec::read_json(text)?.spec)
    }

    /// `from_json`, with a warning for each deprecated name the text used.
    pub fn read_json(text: &str) -> Result<Read, SpecError> {
        #[cfg(not(target_arch = "wasm32"))]
        let read = Spec::read(&mut serde_json::Deserializer::from_str(text));
        // In wasm the text is parsed by JavaScript's JSON.parse (correctly rounded, as serde_json's
        // float_roundtrip) and read as the page's spec objects are, from its JSON value: one copy
        // of the path-tracking spec reader in the wasm core (about 12 KB gzipped each).
        #[cfg(target_arch = "wasm32")]
        let read = match js_sys::JSON::parse(text).ok().and_then(|v| crate::web::from_js_value(&v).ok()) {
            Some(value) => Spec::read(value),
            None => Err(SpecError::new("spec", "the text given", "allowed: a JSON object (it is not valid JSON)")),
        };
        read
    }

    /// Deserialises from any serde format (JSON text, a JS object in wasm), naming the failing
    /// field by its path, then validates.
    pub fn deserialize_checked<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Spec, SpecError>
    where
        D::Error: fmt::Display,
    {
        Ok(Spec::read(de)?.spec)
    }

    /// `deserialize_checked`, with a warning for each deprecated name the input used (their
    /// values are read under the new names).
    pub fn read<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Read, SpecError>
    where
        D::Error: fmt::Display,
    {
        let read = Spec::read_unchecked(de)?;
        read.spec.validate()?;
        Ok(read)
    }

    /// `read` without the validation (the URL codec validates, and resets the failing field):
    /// every deserializer of a spec goes through this one generic function, so the wasm core
    /// holds one copy per deserializer type.
    pub fn read_unchecked<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Read, SpecError>
    where
        D::Error: fmt::Display,
    {
        let mut spec: Spec = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." { "spec".to_string() } else { path };
            SpecError::new(field, "the value given", format!("{}", e.inner()))
        })?;
        let mut warnings = Vec::new();
        if let Some(old) = spec.hessian.take() {
            if spec.analysis != AnalysisSpec::default() {
                return Err(SpecError::new(
                    "hessian",
                    "a section beside analysis",
                    "allowed: one of analysis and hessian, its deprecated name",
                ));
            }
            spec.analysis = old;
            warnings
                .push("the spec section hessian is deprecated: it is now called analysis (read as analysis)".into());
        }
        Ok(Read { spec, warnings })
    }

    /// Checks every numeric field against its range in the table, then the cross-field rules.
    pub fn validate(&self) -> Result<(), SpecError> {
        self.check().map(|_| ())
    }

    /// Validates for a run, with the data it needs: the resolved task.
    pub fn run_task(&self) -> Result<RunTask, SpecError> {
        let matrix = self.check()?;
        self.check_data()?;
        Ok(RunTask { spec: self.resolved(), matrix })
    }

    /// `problem.shape`: two positive integers m, n with m n = d, on the kinds with a matrix
    /// variable; `problem.rotate_sides` needs it.
    fn check_shape(&self, d: usize) -> Result<(), SpecError> {
        let p = &self.problem;
        let Some(shape) = &p.shape else {
            if p.rotate_sides {
                return Err(SpecError::new(
                    "problem.rotate_sides",
                    true,
                    "allowed only with problem.shape (the sides of a matrix variable)",
                ));
            }
            return Ok(());
        };
        if !matches!(p.kind, ProblemKind::Quadratic | ProblemKind::Matrix) {
            return Err(SpecError::new(
                "problem.shape",
                "a shape",
                "allowed only with problem.kind quadratic or matrix",
            ));
        }
        let positive = |v: &f64| v.is_finite() && v.fract() == 0.0 && *v >= 1.0 && *v <= d as f64;
        if shape.len() != 2 || !shape.iter().all(positive) {
            return Err(SpecError::new(
                "problem.shape",
                format!("{shape:?}"),
                format!("allowed: two positive integers [m, n] with m n = d = {d}"),
            ));
        }
        if shape[0] * shape[1] != d as f64 {
            return Err(SpecError::new(
                "problem.shape",
                format!("[{}, {}]", shape[0], shape[1]),
                format!("allowed: m n = d = {d}"),
            ));
        }
        Ok(())
    }

    /// `validate`, returning the checked matrix of kind matrix.
    fn check(&self) -> Result<Option<Matrix>, SpecError> {
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
        if p.kind == ProblemKind::Network && p.class_zipf > 0.0 && p.dataset.classes() < 3 {
            return Err(SpecError::new(
                "problem.class_zipf",
                p.class_zipf,
                format!(
                    "allowed: 0 for {} (frequent, middle and rare groups need at least 3 classes)",
                    p.dataset.name()
                ),
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
        let matrix = match (&p.matrix, p.kind) {
            (None, ProblemKind::Matrix) => {
                return Err(SpecError::new(
                    "problem.matrix",
                    "nothing",
                    "allowed: a square symmetric matrix as rows, required for kind matrix",
                ))
            }
            (Some(rows), ProblemKind::Matrix) => Some(
                crate::objective::check_matrix(rows, MAX_D as usize)
                    .map_err(|e| SpecError::new("problem.matrix", "the matrix given", format!("{e}")))?,
            ),
            (Some(_), _) => {
                return Err(SpecError::new("problem.matrix", "a matrix", "allowed only with problem.kind = matrix"))
            }
            (None, _) => None,
        };
        let d = self.dim();
        self.check_shape(d)?;
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
                // A label is printed in tables, legends, CSV and terminals: nothing in it may act
                // on them (ANSI escapes, bidi overrides, line breaks).
                if let Some((k, c)) = label.chars().enumerate().find(|(_, c)| acts_on_text(*c)) {
                    return Err(SpecError::new(
                        f("label"),
                        format!("character {k} ({})", c.escape_unicode()),
                        "allowed: printable text, without control, bidi or line-separator characters",
                    ));
                }
            }
            if m.rule == Rule::Theory {
                if !m.kind.has_theory_step() {
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
            let rows = crate::data::training_rows(p.dataset, p.seed, p.class_zipf) as u64;
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
        if let Some(max) = w.spread_max.filter(|&max| w.spread_min > max) {
            return Err(SpecError::new(
                "sweep.spread_max",
                max,
                format!("allowed: at least sweep.spread_min = {}", w.spread_min),
            ));
        }
        Ok(matrix)
    }

    /// Every integer and float field against its table range, in table order (method fields
    /// for each method). A float that serialises as null is NaN or infinite; optional numbers
    /// (a method's lr and hyperparameters, sweep.spread_max) are read from the spec itself, where
    /// None (absent) and NaN differ.
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
                let optional = match p.name.strip_prefix("methods[].") {
                    Some(f) => self.methods[i].optional_number(f),
                    None => self.auto_number(p.name),
                };
                match optional {
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
    /// yet; in the page core: never, see data::with_bytes). Separate from `validate`, which
    /// depends on the spec alone.
    pub fn check_data(&self) -> Result<(), SpecError> {
        let d = self.problem.dataset;
        if self.problem.kind == ProblemKind::Network && !crate::data::available(d) {
            let allowed = if cfg!(feature = "full") {
                "allowed: a data set loaded into the core (the page fetches it first)"
            } else {
                "allowed: none in the page core, which has no networks (the page loads the full core for them)"
            };
            return Err(SpecError::new("problem.dataset", d.name(), allowed));
        }
        Ok(())
    }

    /// Validates for the Hessian analysis: a run task, and a checkpoint it reaches (checked by
    /// the analysis, not by plain runs, so that a shorter run in the page does not fail for a
    /// checkpoint it no longer reaches).
    pub fn analysis_task(&self) -> Result<AnalysisTask, SpecError> {
        let run = self.run_task()?;
        let h = &self.analysis;
        if h.method as usize >= self.methods.len() {
            return Err(SpecError::new(
                "analysis.method",
                h.method,
                format!("allowed: 0 to {} (the index of one of the methods)", self.methods.len() - 1),
            ));
        }
        if h.step > self.run.steps {
            return Err(SpecError::new(
                "analysis.step",
                h.step,
                format!("allowed: 0 to run.steps = {}", self.run.steps),
            ));
        }
        Ok(AnalysisTask { run, method: h.method as usize })
    }

    /// Validates for a sweep: a run task of a generated quadratic with outliers whose spread
    /// can reach sweep.spread_max (checked by `steepest sweep`, not by plain runs).
    pub fn sweep_task(&self) -> Result<SweepTask, SpecError> {
        let run = self.run_task()?;
        let p = &self.problem;
        if p.kind != ProblemKind::Quadratic || p.spectrum != SpectrumKind::Outliers {
            return Err(SpecError::new(
                "problem.kind",
                format!("{:?} with spectrum {:?}", p.kind, p.spectrum).to_ascii_lowercase(),
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
        let w = &self.sweep;
        match w.spread_max {
            Some(max) if max >= limit => {
                return Err(SpecError::new("sweep.spread_max", max, format!("allowed: below d / outliers = {limit}")))
            }
            None if w.spread_min > auto_spread_max(p.d, p.outliers) => {
                return Err(SpecError::new(
                    "sweep.spread_min",
                    w.spread_min,
                    format!(
                        "allowed: at most the largest spread, min({AUTO_SPREAD_MAX}, 0.8 d / outliers) = {} while sweep.spread_max is empty (or set sweep.spread_max, below d / outliers = {limit})",
                        auto_spread_max(p.d, p.outliers)
                    ),
                ))
            }
            _ => {}
        }
        Ok(SweepTask(run))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::optimizer::method::GD;
    use crate::optimizer::{Hyper, METHODS};
    use crate::spec::{schema, MethodSpec, ProblemKind};

    #[test]
    fn auto_defaults_are_floats_left_empty_that_resolve_to_a_number() {
        let s = Spec::default();
        for crate::spec::model::AutoDefault { name, .. } in crate::spec::model::AUTO_DEFAULTS {
            assert!(matches!(crate::spec::param(name).kind, Kind::Float { default: None, .. }), "{name}");
            assert_eq!(s.auto_number(name), Some(None), "{name} is empty by default");
            assert!(matches!(s.resolved().auto_number(name), Some(Some(x)) if x.is_finite()), "{name} resolves");
        }
    }

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

    /// A label that would act on a terminal, a table or a CSV file is refused by name, without
    /// echoing the character raw; ordinary Unicode passes.
    #[test]
    fn labels_with_control_or_bidi_characters_are_refused() {
        for (label, shown) in [("a\u{1b}[2J", "\\u{1b}"), ("\u{202e}evil", "\\u{202e}"), ("two\nlines", "\\u{a}")] {
            let mut s = Spec::default();
            s.methods[0].label = Some(label.into());
            let e = s.validate().unwrap_err();
            assert_eq!(e.field, "methods[0].label");
            assert!(e.value.contains(shown) && !e.to_string().contains(label), "{e}");
        }
        let mut s = Spec::default();
        s.methods[0].label = Some("λ_max ≥ 2, café (Adam)".into());
        assert!(s.validate().is_ok());
    }

    /// Every field of a spec with every optional field set has a row in the parameter table,
    /// and every row names a field.
    #[test]
    fn every_spec_field_has_a_parameter_row() {
        let mut s = Spec::default();
        s.problem.x0 = Some(vec![0.0; s.dim()]);
        s.problem.matrix = Some(vec![vec![1.0]]);
        s.problem.shape = Some(vec![1.0, 1.0]);
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
        assert!(e.allowed.contains("a number from 0 to 1"), "{}", e.allowed);

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

    /// The section `hessian` is read as `analysis`, with a warning; never both.
    #[test]
    fn the_old_section_name_is_read_with_a_warning() {
        let old = Spec::read_json(r#"{"run": {"steps": 30}, "hessian": {"method": 1, "step": 20}}"#).unwrap();
        assert_eq!((old.spec.analysis.method, old.spec.analysis.step), (1, 20));
        assert_eq!(old.spec.hessian, None);
        assert_eq!(old.warnings.len(), 1);
        assert!(old.warnings[0].contains("deprecated"), "{:?}", old.warnings);
        let new = Spec::read_json(r#"{"run": {"steps": 30}, "analysis": {"method": 1, "step": 20}}"#).unwrap();
        assert_eq!((new.spec, new.warnings), (old.spec.clone(), vec![]));
        assert!(!old.spec.to_json_pretty().contains("hessian"));
        let both = Spec::from_json(r#"{"hessian": {"step": 1}, "analysis": {"step": 2}}"#).unwrap_err();
        assert_eq!(both.field, "hessian");
        let e = Spec::from_json(r#"{"hessian": {"step": 501}}"#).unwrap().analysis_task().unwrap_err();
        assert_eq!(e.field, "analysis.step");
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
