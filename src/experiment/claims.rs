//! Claims: the sentences of a preset's story that talk about a result, in a form a machine can
//! check. The page evaluates them on the result it has just computed and shows each with a tick or
//! a cross; `steepest run --preset NAME` prints them with their outcomes; a test asserts that every
//! preset's claims hold at its defaults. A claim is never a number typed into prose: its sentence is
//! built here, and its evidence quotes the numbers it was checked on.
//!
//! The input is a view of the results as JSON (the shape `run_spec`, the smoothness report, the
//! sweep and the Hessian analysis serialise to), read with only the fields a claim needs, so the
//! page can hand back what it holds and the CLI what it computed.

use super::prediction::{winner_agreement, Advantage};
use serde::{Deserialize, Serialize};

/// Which of the three advantage numbers (docs/theory.md §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Number {
    Ceiling,
    Predicted,
    Measured,
}

/// A checkable statement about a result. Method indices refer to the spec's `methods`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "claim", rename_all = "snake_case")]
pub enum Claim {
    /// `faster` reaches the target, and in fewer steps than `slower` (which may miss it).
    FewerSteps { faster: usize, slower: usize },
    /// Sign GD's advantage over GD by `number` is above 1 (or below, when `above` is false).
    Advantage { number: Number, above: bool },
    /// Spectral descent's advantage over GD by `number` is above 1 (or below).
    SpectralAdvantage { number: Number, above: bool },
    /// L_inf is known exactly and equals `value` (to 1e-9 relative).
    LinfEquals { value: f64 },
    /// The certified L_sep exceeds L_inf and stays within Nesterov's pi/2 of it.
    SeparableGap,
    /// `method`'s test accuracy at the end is at least `value`.
    TestAccuracy { method: usize, value: f64 },
    /// Under heavy-tailed classes, `method`'s training loss on the rare classes falls by a
    /// smaller fraction than on the frequent ones (first to last curve point): it stalls there.
    RareClassesLag { method: usize },
    /// Under heavy-tailed classes, `better` ends with a lower training loss on the rare classes
    /// than `worse`.
    LowerRareLoss { better: usize, worse: usize },
    /// The sweep's predicted advantage names the winner (side of 1) in at least `share` of the cells.
    SweepWinners { share: f64 },
    /// In the Hessian analysis's eigenvalue track, the largest eigenvalue at the checkpoint is below
    /// its value at the start.
    TopEigenvalueShrinks,
    /// The Hessian's rho_diag exceeds its rotated twin's.
    MoreDiagonalThanTwin,
}

/// A claim's outcome: its sentence, whether it holds (None: the result it needs is not there), and
/// the numbers it was checked on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClaimCheck {
    pub claim: Claim,
    pub text: String,
    pub holds: Option<bool>,
    pub evidence: String,
}

/// The results a claim may read; each part is optional.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ClaimInput {
    #[serde(default)]
    pub run: Option<RunView>,
    #[serde(default)]
    pub report: Option<ReportView>,
    #[serde(default)]
    pub sweep: Option<SweepView>,
    #[serde(default)]
    pub analysis: Option<AnalysisView>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RunView {
    pub methods: Vec<MethodView>,
    /// The run's comparison of sign GD with GD (its three numbers; the rest is not read).
    #[serde(default)]
    pub comparison: Option<Advantage>,
    /// The run's comparison of spectral descent with GD.
    #[serde(default)]
    pub spectral_comparison: Option<Advantage>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct MethodView {
    pub label: String,
    pub status: String,
    pub stopped_at: usize,
    #[serde(default)]
    pub accuracy: Option<AccuracyView>,
    #[serde(default)]
    pub curves: Option<CurvesView>,
}

/// A network run's training loss by class-frequency group (frequent, middle, rare) at its curve
/// points; empty without heavy-tailed classes.
#[derive(Clone, Debug, Deserialize)]
pub struct CurvesView {
    #[serde(default)]
    pub group_loss: Vec<[f64; 3]>,
}

#[derive(Clone, Copy, Debug, Deserialize)]
pub struct AccuracyView {
    pub test: f64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ReportView {
    pub linf_exact: Option<f64>,
    pub l_sep: Option<f64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SweepView {
    pub cells: Vec<Advantage>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct AnalysisView {
    pub track: Vec<TrackView>,
    pub hessian: Option<MassView>,
    pub rotated: Option<MassView>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct TrackView {
    pub step: usize,
    pub top: Vec<f64>,
}

#[derive(Clone, Copy, Debug, Deserialize)]
pub struct MassView {
    pub rho_diag: f64,
}

/// Three significant digits, as the tables print.
fn num(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = (2 - libm::floor(libm::log10(x.abs())) as i32).max(0) as usize;
    format!("{x:.digits$}")
}

impl Claim {
    /// The claim's sentence; method names come from the run when it is there.
    pub fn text(&self, input: &ClaimInput) -> String {
        let name = |i: usize| {
            input.run.as_ref().and_then(|r| r.methods.get(i)).map_or(format!("method {i}"), |m| m.label.clone())
        };
        match self {
            Claim::FewerSteps { faster, slower } => {
                format!("{} reaches the target in fewer steps than {}", name(*faster), name(*slower))
            }
            Claim::Advantage { number, above } => {
                let what = match number {
                    Number::Ceiling => "the ceiling d L₂ / L∞",
                    Number::Predicted => "the predicted advantage of sign GD",
                    Number::Measured => "the measured advantage of sign GD (GD's steps over sign GD's)",
                };
                format!("{what} is {} 1", if *above { "above" } else { "below" })
            }
            Claim::SpectralAdvantage { number, above } => {
                let what = match number {
                    Number::Ceiling => "the spectral ceiling R L₂ / L_spec",
                    Number::Predicted => "the predicted advantage of spectral descent",
                    Number::Measured => "the measured advantage of spectral descent (GD's steps over its)",
                };
                format!("{what} is {} 1", if *above { "above" } else { "below" })
            }
            Claim::LinfEquals { value } => format!("L∞ is exactly {}", num(*value)),
            Claim::SeparableGap => "the best separable constant L_sep exceeds L∞, by at most a factor π/2".into(),
            Claim::TestAccuracy { method, value } => {
                format!("{} ends with a test accuracy of at least {}%", name(*method), num(100.0 * value))
            }
            Claim::RareClassesLag { method } => format!(
                "{}'s training loss on the rare classes falls by a smaller fraction than on the frequent ones",
                name(*method)
            ),
            Claim::LowerRareLoss { better, worse } => {
                format!("{} ends with a lower training loss on the rare classes than {}", name(*better), name(*worse))
            }
            Claim::SweepWinners { share } => {
                format!("the prediction names the winner in at least {}% of the cells", num(100.0 * share))
            }
            Claim::TopEigenvalueShrinks => "the largest eigenvalue shrinks between the start and the checkpoint".into(),
            Claim::MoreDiagonalThanTwin => {
                "the Hessian is more concentrated on its diagonal than its rotated twin".into()
            }
        }
    }

    /// Whether deciding the claim needs the smoothness report (the CLI computes it only then).
    pub fn needs_report(&self) -> bool {
        matches!(self, Claim::LinfEquals { .. } | Claim::SeparableGap)
    }

    /// Whether the claim holds on `input`, with the numbers it was decided on. Undecided, it says
    /// whether its results are still to come or lack what it needs (after an edit that removed a
    /// method, say).
    pub fn check(&self, input: &ClaimInput) -> ClaimCheck {
        let (holds, evidence) = match self.decide(input) {
            Some((h, e)) => (Some(h), e),
            None if self.results_present(input) => (None, "does not apply to these results".to_string()),
            None => (None, "not computed yet".to_string()),
        };
        ClaimCheck { claim: self.clone(), text: self.text(input), holds, evidence }
    }

    /// Whether the part of the results the claim reads is there.
    fn results_present(&self, input: &ClaimInput) -> bool {
        match self {
            Claim::FewerSteps { .. }
            | Claim::Advantage { .. }
            | Claim::SpectralAdvantage { .. }
            | Claim::TestAccuracy { .. }
            | Claim::RareClassesLag { .. }
            | Claim::LowerRareLoss { .. } => input.run.is_some(),
            Claim::LinfEquals { .. } | Claim::SeparableGap => input.report.is_some(),
            Claim::SweepWinners { .. } => input.sweep.is_some(),
            Claim::TopEigenvalueShrinks | Claim::MoreDiagonalThanTwin => input.analysis.is_some(),
        }
    }

    fn decide(&self, input: &ClaimInput) -> Option<(bool, String)> {
        match self {
            Claim::FewerSteps { faster, slower } => {
                let run = input.run.as_ref()?;
                let (a, b) = (run.methods.get(*faster)?, run.methods.get(*slower)?);
                let reached = |m: &MethodView| m.status == "target";
                let count = |m: &MethodView| {
                    if reached(m) {
                        format!("{} steps", m.stopped_at)
                    } else {
                        format!("target missed in {} steps", m.stopped_at)
                    }
                };
                let holds = reached(a) && (!reached(b) || a.stopped_at < b.stopped_at);
                Some((holds, format!("{} against {}", count(a), count(b))))
            }
            Claim::Advantage { number, above } | Claim::SpectralAdvantage { number, above } => {
                let run = input.run.as_ref()?;
                let adv =
                    if matches!(self, Claim::Advantage { .. }) { run.comparison } else { run.spectral_comparison };
                let adv = adv?;
                let v = match number {
                    Number::Ceiling => adv.ceiling,
                    Number::Predicted => adv.predicted,
                    Number::Measured => adv.measured,
                };
                Some((if *above { v > 1.0 } else { v < 1.0 }, num(v)))
            }
            Claim::LinfEquals { value } => {
                let exact = input.report.as_ref()?.linf_exact;
                let holds = exact.is_some_and(|e| (e - value).abs() <= 1e-9 * value.abs());
                Some((holds, exact.map_or("L∞ not known exactly".into(), |e| format!("L∞ = {}", num(e)))))
            }
            Claim::SeparableGap => {
                let r = input.report.as_ref()?;
                let (sep, linf) = (r.l_sep?, r.linf_exact?);
                let ratio = sep / linf;
                Some((ratio > 1.0 && ratio <= std::f64::consts::FRAC_PI_2, format!("L_sep / L∞ = {}", num(ratio))))
            }
            Claim::TestAccuracy { method, value } => {
                let acc = input.run.as_ref()?.methods.get(*method)?.accuracy?;
                Some((acc.test >= *value, format!("{}%", num(100.0 * acc.test))))
            }
            Claim::RareClassesLag { method } => {
                let groups = group_losses(input, *method)?;
                let (first, last) = (groups.first()?, groups.last()?);
                let fell = |k: usize| 1.0 - last[k] / first[k];
                Some((
                    fell(2) < fell(0),
                    format!(
                        "rare {} → {} ({}% less), frequent {} → {} ({}% less)",
                        num(first[2]),
                        num(last[2]),
                        num(100.0 * fell(2)),
                        num(first[0]),
                        num(last[0]),
                        num(100.0 * fell(0))
                    ),
                ))
            }
            Claim::LowerRareLoss { better, worse } => {
                let rare = |i: usize| group_losses(input, i).and_then(|g| g.last()).map(|l| l[2]);
                let (a, b) = (rare(*better)?, rare(*worse)?);
                Some((a < b, format!("{} against {}", num(a), num(b))))
            }
            Claim::SweepWinners { share } => {
                let cells = &input.sweep.as_ref()?.cells;
                let (p, m): (Vec<f64>, Vec<f64>) = cells.iter().map(|c| (c.predicted, c.measured)).unzip();
                let got = winner_agreement(&p, &m);
                Some((got >= *share, format!("{}% of {} cells", num(100.0 * got), cells.len())))
            }
            Claim::TopEigenvalueShrinks => {
                let track = &input.analysis.as_ref()?.track;
                let (first, last) = (track.first()?, track.last()?);
                let (a, b) = (*first.top.first()?, *last.top.first()?);
                Some((
                    last.step > first.step && b < a,
                    format!("{} at step {}, {} at step {}", num(a), first.step, num(b), last.step),
                ))
            }
            Claim::MoreDiagonalThanTwin => {
                let a = input.analysis.as_ref()?;
                let (h, r) = (a.hessian?.rho_diag, a.rotated?.rho_diag);
                Some((h > r, format!("ρ_diag {} against {} for the twin", num(h), num(r))))
            }
        }
    }
}

/// A method's training losses by class-frequency group, when its run has them.
fn group_losses(input: &ClaimInput, method: usize) -> Option<&[[f64; 3]]> {
    let g = &input.run.as_ref()?.methods.get(method)?.curves.as_ref()?.group_loss;
    (!g.is_empty()).then_some(g.as_slice())
}

impl ClaimInput {
    /// The input from results as the core computes them (each optional), read through their JSON
    /// exactly as the page hands them over.
    pub fn of(
        run: Option<&super::RunResult>,
        report: Option<&crate::smoothness::SmoothnessReport>,
        sweep: Option<&super::SweepResult>,
        analysis: Option<&super::HessianAnatomy>,
    ) -> ClaimInput {
        let value = serde_json::json!({ "run": run, "report": report, "sweep": sweep, "analysis": analysis });
        serde_json::from_value(value).expect("results serialise to what claims read")
    }
}

/// Checks every claim of a list.
pub fn check_claims(claims: &[Claim], input: &ClaimInput) -> Vec<ClaimCheck> {
    claims.iter().map(|c| c.check(input)).collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn input(json: &str) -> ClaimInput {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn advantage_claims_read_the_runs_comparison() {
        let i = input(
            r#"{"run": {"methods": [], "comparison": {"gd": 0, "sign_gd": 1, "ceiling": 1.3, "predicted": 0.35,
                "measured": 0.26, "measure": "steps", "linf_exact": true, "linf_method": "x"}}}"#,
        );
        assert_eq!(Claim::Advantage { number: Number::Ceiling, above: true }.check(&i).holds, Some(true));
        let p = Claim::Advantage { number: Number::Predicted, above: false }.check(&i);
        assert_eq!((p.holds, p.evidence.as_str()), (Some(true), "0.350"));
        assert_eq!(Claim::Advantage { number: Number::Measured, above: true }.check(&i).holds, Some(false));
    }

    #[test]
    fn spectral_advantage_claims_read_the_spectral_comparison() {
        let i = input(
            r#"{"run": {"methods": [], "comparison": {"ceiling": 0.5, "predicted": 0.5, "measured": 0.5},
                "spectral_comparison": {"ceiling": 1.76, "predicted": 0.98, "measured": 2.79}}}"#,
        );
        let c = Claim::SpectralAdvantage { number: Number::Ceiling, above: true }.check(&i);
        assert_eq!((c.holds, c.evidence.as_str()), (Some(true), "1.76"));
        assert_eq!(Claim::SpectralAdvantage { number: Number::Predicted, above: true }.check(&i).holds, Some(false));
        assert_eq!(Claim::SpectralAdvantage { number: Number::Measured, above: false }.check(&i).holds, Some(false));
        let none = input(r#"{"run": {"methods": [], "comparison": {"ceiling": 2, "predicted": 2, "measured": 2}}}"#);
        let c = Claim::SpectralAdvantage { number: Number::Ceiling, above: true }.check(&none);
        assert_eq!((c.holds, c.evidence.as_str()), (None, "does not apply to these results"));
    }

    #[test]
    fn rare_class_claims_read_the_group_losses_at_the_first_and_last_points() {
        let i = input(
            r#"{"run": {"methods": [
                {"label": "GD", "status": "max_steps", "stopped_at": 9, "curves": {"group_loss": [[2.0, 2.2, 2.4], [0.5, 1.5, 2.0]]}},
                {"label": "Adam", "status": "max_steps", "stopped_at": 9, "curves": {"group_loss": [[2.0, 2.2, 2.4], [0.2, 0.2, 0.1]]}},
                {"label": "plain", "status": "max_steps", "stopped_at": 9, "curves": {}}]}}"#,
        );
        // GD: rare 2.4 -> 2.0 (17% less), frequent 2.0 -> 0.5 (75% less).
        let lag = Claim::RareClassesLag { method: 0 }.check(&i);
        assert_eq!(lag.holds, Some(true), "{}", lag.evidence);
        assert_eq!(lag.evidence, "rare 2.40 → 2.00 (16.7% less), frequent 2.00 → 0.500 (75.0% less)");
        assert_eq!(Claim::RareClassesLag { method: 1 }.check(&i).holds, Some(false));
        let lower = Claim::LowerRareLoss { better: 1, worse: 0 }.check(&i);
        assert_eq!((lower.holds, lower.evidence.as_str()), (Some(true), "0.100 against 2.00"));
        assert_eq!(lower.text, "Adam ends with a lower training loss on the rare classes than GD");
        assert_eq!(Claim::LowerRareLoss { better: 0, worse: 1 }.check(&i).holds, Some(false));
        let none = Claim::RareClassesLag { method: 2 }.check(&i);
        assert_eq!((none.holds, none.evidence.as_str()), (None, "does not apply to these results"));
    }

    #[test]
    fn fewer_steps_needs_the_faster_one_to_reach_the_target() {
        let i = input(
            r#"{"run": {"methods": [
                {"label": "GD", "status": "target", "stopped_at": 553, "f": []},
                {"label": "sign GD", "status": "target", "stopped_at": 394},
                {"label": "slow", "status": "max_steps", "stopped_at": 5000}]}}"#,
        );
        let c = Claim::FewerSteps { faster: 1, slower: 0 }.check(&i);
        assert_eq!(c.holds, Some(true));
        assert_eq!(c.text, "sign GD reaches the target in fewer steps than GD");
        assert_eq!(c.evidence, "394 steps against 553 steps");
        assert_eq!(Claim::FewerSteps { faster: 0, slower: 1 }.check(&i).holds, Some(false));
        assert_eq!(Claim::FewerSteps { faster: 0, slower: 2 }.check(&i).holds, Some(true));
        assert_eq!(Claim::FewerSteps { faster: 2, slower: 0 }.check(&i).holds, Some(false));
    }

    #[test]
    fn a_claim_without_its_result_is_undecided() {
        let c = Claim::LinfEquals { value: 16.0 }.check(&ClaimInput::default());
        assert_eq!(c.holds, None);
        assert_eq!(c.evidence, "not computed yet");
        // A run without the method or the comparison a claim needs (an edit removed sign GD).
        let i = input(r#"{"run": {"methods": [{"label": "GD", "status": "target", "stopped_at": 9}]}}"#);
        for claim in [SIGN_FASTER, Claim::Advantage { number: Number::Predicted, above: true }] {
            let c = claim.check(&i);
            assert_eq!((c.holds, c.evidence.as_str()), (None, "does not apply to these results"), "{claim:?}");
        }
    }

    const SIGN_FASTER: Claim = Claim::FewerSteps { faster: 1, slower: 0 };

    #[test]
    fn report_claims_read_the_exact_constants() {
        let i = input(r#"{"report": {"linf_exact": 16.0, "l_sep": 18.09, "rho_diag": 0.5}}"#);
        assert_eq!(Claim::LinfEquals { value: 16.0 }.check(&i).holds, Some(true));
        assert_eq!(Claim::LinfEquals { value: 17.0 }.check(&i).holds, Some(false));
        let gap = Claim::SeparableGap.check(&i);
        assert_eq!((gap.holds, gap.evidence.as_str()), (Some(true), "L_sep / L∞ = 1.13"));
    }

    #[test]
    fn sweep_claims_count_winners() {
        // 3 of 4 winners named.
        let i = input(
            r#"{"sweep": {"cells": [
                {"ceiling": 4.0, "predicted": 0.5, "measured": 0.4},
                {"ceiling": 3.0, "predicted": 0.8, "measured": 0.9},
                {"ceiling": 2.0, "predicted": 0.9, "measured": 1.2},
                {"ceiling": 1.5, "predicted": 2.0, "measured": 3.0}]}}"#,
        );
        let w = Claim::SweepWinners { share: 0.75 }.check(&i);
        assert_eq!((w.holds, w.evidence.as_str()), (Some(true), "75.0% of 4 cells"));
        assert_eq!(Claim::SweepWinners { share: 0.8 }.check(&i).holds, Some(false));
    }

    #[test]
    fn numbers_keep_three_significant_digits() {
        assert_eq!(num(1.1302), "1.13");
        assert_eq!(num(553.0), "553");
        assert_eq!(num(0.02213), "0.0221");
        assert_eq!(num(95.0), "95.0");
    }
}
