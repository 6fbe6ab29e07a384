//! Defaults, read from the parameter table by name; a method's hyperparameters have none here
//! (absent, each takes its method's own default from its row).

use super::model::{AnalysisSpec, MethodSpec, ProblemSpec, RunSpec, Spec, SweepSpec};
use super::params::{default_bool, default_choice, default_choice_id, default_float, default_int};
use crate::optimizer::method::{GD, SIGN_GD};
use crate::optimizer::Method;

impl Default for Spec {
    fn default() -> Self {
        Spec {
            version: default_int("version"),
            problem: ProblemSpec::default(),
            methods: vec![MethodSpec::of(&GD), MethodSpec::of(&SIGN_GD)],
            run: RunSpec::default(),
            sweep: SweepSpec::default(),
            analysis: AnalysisSpec::default(),
            hessian: None,
        }
    }
}

impl Default for AnalysisSpec {
    fn default() -> Self {
        AnalysisSpec {
            method: default_int("analysis.method"),
            step: default_int("analysis.step"),
            bins: default_int("analysis.bins"),
            track: default_int("analysis.track"),
            sdp: default_bool("analysis.sdp"),
        }
    }
}

impl Default for SweepSpec {
    fn default() -> Self {
        SweepSpec {
            spread_min: default_float("sweep.spread_min"),
            spread_max: None,
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
            rotate_sides: default_bool("problem.rotate_sides"),
            angle: default_float("problem.angle"),
            seed: default_int("problem.seed"),
            dataset: default_choice("problem.dataset"),
            hidden: default_int("problem.hidden"),
            hidden2: default_int("problem.hidden2"),
            activation: default_choice("problem.activation"),
            l2: default_float("problem.l2"),
            class_zipf: default_float("problem.class_zipf"),
            rotate_params: default_bool("problem.rotate_params"),
            start: default_choice("problem.start"),
            start_scale: default_float("problem.start_scale"),
            x0: None,
            matrix: None,
            shape: None,
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
            eval_points: default_int("run.eval_points"),
            tune_min: default_float("run.tune_min"),
            tune_max: default_float("run.tune_max"),
            tune_points: default_int("run.tune_points"),
        }
    }
}
