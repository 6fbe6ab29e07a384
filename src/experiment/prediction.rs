//! Sign GD against GD in three numbers, each named for what it is (docs/theory.md §4):
//!
//! - **ceiling** d L_2 / L_inf: how far sign descent's per-step guarantee can exceed GD's, reached
//!   only by perfectly dense gradients (density phi = 1);
//! - **predicted**: the paper's guarantees applied along the two actual runs, turned into a ratio of
//!   steps to the target;
//! - **measured**: GD's steps over sign GD's steps to the target (or another measure, named).
//!
//! Derivation of the prediction. At an iterate x_t with gradient g_t, the steepest-descent step under
//! a norm with smoothness constant L guarantees f(x_t) - f(x_{t+1}) >= ||g_t||_*^2 / (2 L), so the
//! suboptimality falls at least by the fraction
//!   a_t = ||g_t||_*^2 / (2 L (f(x_t) - f*)),  in [0, 1]
//! (1 is the bound f* <= f(x_t) - ||g_t||_*^2 / (2 L), from the same smoothness). If a run shrank
//! f - f* by exactly that fraction every step, after N steps it would be prod_t (1 - a_t) of its start,
//! so it reaches a relative target eps after N = ln(1/eps) / r steps with the mean rate
//!   r = (1/T) sum_{t<T} -ln(1 - a_t)
//! over the T steps it took. GD's dual norm is ||g||_2 with L_2, sign GD's ||g||_1 with L_inf, so
//!   predicted = N_GD / N_sign = r_sign / r_GD,
//! each rate averaged over that method's own iterates. Because ||g||_1^2 = phi(g) d ||g||_2^2, the
//! prediction is the ceiling weighted by the density the runs actually meet: a per-step ceiling of
//! 1.3 with sign GD's gradients at phi = 0.25 predicts that GD wins. The guarantee is the one of the
//! theory step (multiplier 1) at every visited iterate, whatever multiplier the run used: a tuned
//! multiplier eta scales the worst-case guarantee by eta (2 - eta), which vanishes at eta = 2 where
//! runs still progress, so it would say nothing there.
//!
//! Spectral descent against GD (docs/theory.md §6) has the same three numbers: the ceiling
//! R L_2 / L_spec with R = sum_b min(rows_b, cols_b), the prediction r_spectral / r_GD with the dual
//! norm sum_b ||G_b||_* and L_spec in the spectral run's guarantee (the nuclear rank nu(g) in the
//! role of d phi(g)), and GD's steps over spectral descent's.

use crate::json::nan_as_null;
use crate::norm::modular::max_nuclear_rank;
use crate::norm::Layout;
use crate::optimizer::{Status, StepRule};
use crate::smoothness::Constant;
use serde::{Deserialize, Serialize};

/// What a comparison reads of one method's run: a `MethodResult`'s fields
/// (`MethodResult::compared`), or the same fields read back from the result of a method that a
/// worker of the page's pool ran (`ComparedMethod`).
pub struct Compared<'a> {
    pub kind: &'a str,
    pub rule: StepRule,
    pub smoothness: Option<&'a Constant>,
    pub status: Status,
    pub stopped_at: usize,
    pub f: &'a [f64],
    pub grad_l2: &'a [f64],
    pub grad_l1: &'a [f64],
    pub grad_nuclear: Option<&'a [f64]>,
}

/// The fields of a method's result that a comparison reads, deserialised (from the page, whose
/// values keep NaN and the infinities; JSON's null reads as NaN).
#[derive(Clone, Debug, Deserialize)]
pub struct ComparedMethod {
    pub kind: String,
    rule: StepRule,
    #[serde(default)]
    smoothness: Option<Constant>,
    status: Status,
    stopped_at: usize,
    #[serde(deserialize_with = "nan_as_null::floats")]
    f: Vec<f64>,
    #[serde(deserialize_with = "nan_as_null::floats")]
    grad_l2: Vec<f64>,
    #[serde(deserialize_with = "nan_as_null::floats")]
    grad_l1: Vec<f64>,
    #[serde(default)]
    grad_nuclear: Option<Vec<f64>>,
}

impl ComparedMethod {
    pub fn compared(&self) -> Compared<'_> {
        Compared {
            kind: &self.kind,
            rule: self.rule,
            smoothness: self.smoothness.as_ref(),
            status: self.status,
            stopped_at: self.stopped_at,
            f: &self.f,
            grad_l2: &self.grad_l2,
            grad_l1: &self.grad_l1,
            grad_nuclear: self.grad_nuclear.as_deref(),
        }
    }
}

/// The three numbers for one pair of runs (or the geometric means over a sweep cell's problems).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Advantage {
    /// d L_2 / L_inf.
    pub ceiling: f64,
    /// r_sign / r_GD: the guarantees along the runs as a ratio of steps to the target.
    pub predicted: f64,
    /// GD's steps over sign GD's (above 1: sign GD ahead).
    pub measured: f64,
}

/// A run's record as the prediction reads it: f(x_t) - f* and the dual norm of g_t at t = 0..=T,
/// and the smoothness constant of its norm.
#[derive(Clone, Copy, Debug)]
pub struct RunRecord<'a> {
    pub suboptimality: &'a [f64],
    pub dual_grad: &'a [f64],
    pub smoothness: f64,
    /// Steps taken (T): the rate averages over t < T.
    pub steps: usize,
}

/// What the measured number is: GD's steps over sign GD's to the target when both reached it,
/// otherwise GD's final f - f* over sign GD's (a different quantity from the per-step prediction,
/// and named so wherever it is shown).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Steps,
    FinalSuboptimality,
}

/// Sign GD against GD on one run: the first GD and the first sign GD with theory steps.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Their indices in the spec's methods.
    pub gd: usize,
    pub sign_gd: usize,
    #[serde(flatten)]
    pub advantage: Advantage,
    pub measure: Measure,
    /// Whether L_inf is the constant itself; when it is an upper bound, the ceiling and the
    /// prediction are lower bounds.
    pub linf_exact: bool,
    pub linf_method: std::borrow::Cow<'static, str>,
    /// The case in which the runs give the three numbers no value of their own, and the values
    /// taken: `ZERO_HESSIAN` or `AT_THE_MINIMUM`.
    pub degenerate: Option<&'static str>,
}

/// What `Comparison::degenerate` says for H = 0 (its value at c I as c -> 0 for the ceiling).
pub const ZERO_HESSIAN: &str = "H = 0: every method stops at once (every point is a minimiser); both need 0 steps, so the predicted and measured ratios are 1, and the ceiling d L_2 / L_inf takes its value at c I as c -> 0, which is 1";
/// What `Comparison::degenerate` says when the runs start at a minimiser of a nonzero H.
pub const AT_THE_MINIMUM: &str = "f(x_0) = f*: both methods stop at once; both need 0 steps, so the predicted and measured ratios are 1 (the ceiling d L_2 / L_inf stands)";

/// The comparison of a run's methods, when it has a GD and a sign GD with theory steps and the
/// prediction is defined (both runs took a step from a point above the minimum), or both
/// stopped at once at the minimum: a named case (`degenerate`), with ratios of 0 steps to 0.
pub fn compare(d: usize, methods: &[Compared]) -> Option<Comparison> {
    let p = against_gd(methods, "sign_gd", d, |s| Some(s.grad_l1))?;
    Some(Comparison {
        gd: p.gd,
        sign_gd: p.other,
        advantage: p.advantage,
        measure: p.measure,
        linf_exact: p.constant.exact,
        linf_method: p.constant.method.clone(),
        degenerate: p.case.map(|c| match c {
            AtOnce::ZeroHessian => ZERO_HESSIAN,
            AtOnce::AtTheMinimum => AT_THE_MINIMUM,
        }),
    })
}

/// GD against another steepest descent on one run, as `compare` and `compare_spectral` report it.
struct Pair<'a> {
    gd: usize,
    other: usize,
    advantage: Advantage,
    measure: Measure,
    /// The other method's smoothness constant (its theory step's).
    constant: &'a Constant,
    /// Set when both runs stopped at once.
    case: Option<AtOnce>,
}

/// Why both runs of a comparison stopped at once.
enum AtOnce {
    /// H = 0; the ceiling takes its value at c I as c -> 0, which is 1.
    ZeroHessian,
    /// The start is a minimiser of a nonzero H; the ceiling stands.
    AtTheMinimum,
}

/// GD against the first method of `kind`, both with theory steps: the ceiling `dim` L_2 / L (dim
/// = d for sign descent, R for spectral descent), the prediction from both runs' guarantees
/// (`dual_grad`: the other run's gradient in its dual norm), and the measurement. None when a
/// method or a constant is missing, or the prediction is undefined.
fn against_gd<'a>(
    methods: &'a [Compared<'a>],
    kind: &str,
    dim: usize,
    dual_grad: impl Fn(&'a Compared<'a>) -> Option<&'a [f64]>,
) -> Option<Pair<'a>> {
    let find = |kind: &str| methods.iter().position(|m| m.kind == kind && m.rule == StepRule::Theory);
    let (gd, other) = (find("gd")?, find(kind)?);
    let (g, s) = (&methods[gd], &methods[other]);
    let (l2, constant, dual) = (g.smoothness?, s.smoothness?, dual_grad(s)?);
    let ceiling = dim as f64 * l2.value / constant.value;
    if at_once(g) && at_once(s) {
        let zero = l2.value == 0.0 && constant.value == 0.0;
        return Some(Pair {
            gd,
            other,
            advantage: Advantage { ceiling: if zero { 1.0 } else { ceiling }, predicted: 1.0, measured: 1.0 },
            measure: Measure::Steps,
            constant,
            case: Some(if zero { AtOnce::ZeroHessian } else { AtOnce::AtTheMinimum }),
        });
    }
    let gd_run = RunRecord { suboptimality: g.f, dual_grad: g.grad_l2, smoothness: l2.value, steps: g.stopped_at };
    let other_run = RunRecord { suboptimality: s.f, dual_grad: dual, smoothness: constant.value, steps: s.stopped_at };
    let predicted = predicted_ratio(&gd_run, &other_run)?;
    let (measure, measured) = measure(g, s);
    Some(Pair { gd, other, advantage: Advantage { ceiling, predicted, measured }, measure, constant, case: None })
}

/// Whether a run stopped at its start, at the target: then both runs of a comparison need 0 steps.
fn at_once(m: &Compared) -> bool {
    m.status == Status::Target && m.stopped_at == 0
}

/// GD's steps over the other method's when both reached the target, else the ratio of their final
/// f - f*.
fn measure(gd: &Compared, other: &Compared) -> (Measure, f64) {
    if gd.status == Status::Target && other.status == Status::Target {
        (Measure::Steps, gd.stopped_at.max(1) as f64 / other.stopped_at.max(1) as f64)
    } else {
        let last = |m: &Compared| m.f.last().copied().unwrap_or(f64::NAN);
        (Measure::FinalSuboptimality, last(gd) / last(other))
    }
}

/// Spectral descent against GD on one run: the first GD and the first spectral method with theory
/// steps (docs/theory.md §6).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpectralComparison {
    /// Their indices in the spec's methods.
    pub gd: usize,
    pub spectral: usize,
    /// ceiling R L_2 / L_spec, predicted r_spectral / r_GD, measured GD's steps over spectral's.
    #[serde(flatten)]
    pub advantage: Advantage,
    pub measure: Measure,
    /// R = sum_b min(rows_b, cols_b), the largest nuclear rank.
    pub max_nuclear_rank: usize,
    /// Whether L_spec is the constant itself; when it is the bracket's upper end, the ceiling and
    /// the prediction are those of the step as run, and lower bounds for the exact constant.
    pub spec_exact: bool,
    pub spec_method: std::borrow::Cow<'static, str>,
    /// The case in which the runs give the three numbers no value of their own, and the values
    /// taken: `SPECTRAL_ZERO_HESSIAN` or `SPECTRAL_AT_THE_MINIMUM`.
    pub degenerate: Option<&'static str>,
}

/// What `SpectralComparison::degenerate` says for H = 0 (its value at c I as c -> 0 for the
/// ceiling: L_2 = c and L_spec = R c, the bound R L_2 being attained by c I).
pub const SPECTRAL_ZERO_HESSIAN: &str = "H = 0: every method stops at once (every point is a minimiser); both need 0 steps, so the predicted and measured ratios are 1, and the ceiling R L_2 / L_spec takes its value at c I as c -> 0, which is 1";
/// What `SpectralComparison::degenerate` says when the runs start at a minimiser of a nonzero H.
pub const SPECTRAL_AT_THE_MINIMUM: &str = "f(x_0) = f*: both methods stop at once; both need 0 steps, so the predicted and measured ratios are 1 (the ceiling R L_2 / L_spec stands)";

/// The spectral comparison of a run's methods on parameters of `layout`, when it has a GD and a
/// spectral method with theory steps and the prediction is defined, or both stopped at once at
/// the minimum: a named case (`degenerate`), with ratios of 0 steps to 0.
pub fn compare_spectral(layout: &Layout, methods: &[Compared]) -> Option<SpectralComparison> {
    let r = max_nuclear_rank(layout);
    let p = against_gd(methods, "spectral", r, |s| s.grad_nuclear)?;
    Some(SpectralComparison {
        gd: p.gd,
        spectral: p.other,
        advantage: p.advantage,
        measure: p.measure,
        max_nuclear_rank: r,
        spec_exact: p.constant.exact,
        spec_method: p.constant.method.clone(),
        degenerate: p.case.map(|c| match c {
            AtOnce::ZeroHessian => SPECTRAL_ZERO_HESSIAN,
            AtOnce::AtTheMinimum => SPECTRAL_AT_THE_MINIMUM,
        }),
    })
}

/// Largest guaranteed fraction used: a_t = 1 (f* reached in one step by the guarantee) would make
/// the rate infinite; this keeps it finite (-ln(1e-15) = 34.5 per step).
const MAX_FRACTION: f64 = 1.0 - 1e-15;

/// The mean guaranteed rate (1/T) sum_{t<T} -ln(1 - a_t); None when no step had f - f* > 0 (a run
/// that starts at the minimiser has nothing to predict).
pub fn guaranteed_rate(run: &RunRecord) -> Option<f64> {
    let steps = run.steps.min(run.suboptimality.len()).min(run.dual_grad.len());
    let mut sum = 0.0;
    let mut n = 0usize;
    for t in 0..steps {
        let gap = run.suboptimality[t];
        if !(gap > 0.0 && gap.is_finite()) {
            break;
        }
        let a = guaranteed_fraction(run.dual_grad[t], run.smoothness, gap).min(MAX_FRACTION);
        sum += -libm::log1p(-a);
        n += 1;
    }
    (n > 0).then(|| sum / n as f64)
}

/// a = g^2 / (2 L gap), of degree 0 under H -> c H (g, L, gap scale by c) and x -> c x (g by c,
/// gap by c^2): computed with g and L scaled into [1, 2) and gap by the matching power of two
/// (all exact), so that a Hessian or a start near 0 or near the largest float cannot underflow
/// g^2 to 0 or overflow it. Where nothing under- or overflows, the bits are the formula's.
fn guaranteed_fraction(g: f64, l: f64, gap: f64) -> f64 {
    if !(g.is_normal() && l.is_normal()) {
        return g * g / (2.0 * l * gap);
    }
    let (eg, el) = (libm::ilogb(g), libm::ilogb(l));
    let (g, l, gap) = (libm::scalbn(g, -eg), libm::scalbn(l, -el), libm::scalbn(gap, el - 2 * eg));
    g * g / (2.0 * l * gap)
}

/// r_sign / r_GD; None when either rate is undefined or zero.
pub fn predicted_ratio(gd: &RunRecord, sign: &RunRecord) -> Option<f64> {
    let (rg, rs) = (guaranteed_rate(gd)?, guaranteed_rate(sign)?);
    (rg > 0.0 && rs.is_finite()).then(|| rs / rg)
}

/// The fraction of cells in which `prediction` names the winner of `measured`: log ratios of the
/// same sign (a tie at exactly 1 counts as agreement only with a tie).
pub fn winner_agreement(prediction: &[f64], measured: &[f64]) -> f64 {
    let side = |x: f64| (x > 1.0) as i8 - (x < 1.0) as i8;
    let hits = prediction.iter().zip(measured).filter(|(p, m)| side(**p) == side(**m)).count();
    hits as f64 / prediction.len().max(1) as f64
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// A record whose guaranteed fraction is exactly `a` at every step: f_t = (1 - a)^t, and
    /// ||g_t||^2 = 2 L a f_t.
    fn geometric(a: f64, l: f64, steps: usize) -> (Vec<f64>, Vec<f64>) {
        let f: Vec<f64> = (0..=steps).map(|t| (1.0 - a).powi(t as i32)).collect();
        let g = f.iter().map(|ft| (2.0 * l * a * ft).sqrt()).collect();
        (f, g)
    }

    #[test]
    fn a_constant_fraction_gives_its_log_rate_and_the_ratio_of_step_counts() {
        let (fg, gg) = geometric(0.01, 100.0, 50);
        let (fs, gs) = geometric(0.04, 700.0, 50);
        let gd = RunRecord { suboptimality: &fg, dual_grad: &gg, smoothness: 100.0, steps: 50 };
        let sign = RunRecord { suboptimality: &fs, dual_grad: &gs, smoothness: 700.0, steps: 50 };
        let rg = guaranteed_rate(&gd).unwrap();
        assert!((rg - -(0.99f64).ln()).abs() < 1e-12);
        // Steps to 1e-6 at those exact rates: ln(1e6) / r each; the ratio is the prediction.
        let (ng, ns) = (1e6f64.ln() / -(0.99f64).ln(), 1e6f64.ln() / -(0.96f64).ln());
        assert!((predicted_ratio(&gd, &sign).unwrap() - ng / ns).abs() < 1e-9);
    }

    #[test]
    fn gd_on_a_quadratic_meets_its_guarantee_step_by_step() {
        // f = (x^2 + 4 y^2) / 2, L_2 = 4, GD step 1/4: x shrinks by 3/4, y is solved in one step.
        // From (1, 0): f_t = (9/16)^t / 2, g = (3/4)^t, a_t = (9/16)^t / (2 * 4 * (9/16)^t / 2) = 1/4.
        let f: Vec<f64> = (0..=20).map(|t| 0.5 * (0.5625f64).powi(t)).collect();
        let g: Vec<f64> = (0..=20).map(|t| 0.75f64.powi(t)).collect();
        let rate = guaranteed_rate(&RunRecord { suboptimality: &f, dual_grad: &g, smoothness: 4.0, steps: 20 });
        assert!((rate.unwrap() - -(0.75f64).ln()).abs() < 1e-12);
    }

    #[test]
    fn a_run_at_the_minimiser_has_no_rate() {
        let z = [0.0, 0.0];
        assert_eq!(guaranteed_rate(&RunRecord { suboptimality: &z, dual_grad: &z, smoothness: 1.0, steps: 1 }), None);
    }

    fn run(json: &str) -> crate::experiment::RunResult {
        crate::experiment::run_spec(&crate::spec::Spec::from_json(json).unwrap()).unwrap()
    }

    /// Closed form: on H = diag(a) (x) I_3 (row i of X weighted by a_i) from a diagonal X_0, the
    /// gradient stays diagonal, its polar factor is the sign of its diagonal and its nuclear norm
    /// the l1 norm of the diagonal, and L_spec = tr A = L_inf of diag(a): spectral descent on X is
    /// sign GD on diag(a), and the two comparisons agree number for number (ceiling 3 * 9 / 13).
    #[test]
    fn spectral_descent_from_a_diagonal_start_is_sign_gd_and_compares_the_same() {
        let run_spec = |problem: &str, method: &str| {
            run(&format!(
                r#"{{"problem": {{"kind": "matrix", {problem}}}, "methods": [{{"kind": "gd"}}, {{"kind": "{method}"}}],
                    "run": {{"steps": 5000, "target": 1e-6}}}}"#
            ))
        };
        let sign = run_spec(r#""matrix": [[9, 0, 0], [0, 3, 0], [0, 0, 1]], "x0": [1, -2, 0.5]"#, "sign_gd");
        let mut rows = vec![vec![0.0; 9]; 9];
        for (i, a) in [9.0, 3.0, 1.0].iter().enumerate() {
            for j in 0..3 {
                rows[3 * i + j][3 * i + j] = *a;
            }
        }
        let spectral = run_spec(
            &format!(r#""matrix": {rows:?}, "shape": [3, 3], "x0": [1, 0, 0, 0, -2, 0, 0, 0, 0.5]"#),
            "spectral",
        );
        let (c, s) = (sign.comparison.unwrap(), spectral.spectral_comparison.unwrap());
        assert!((s.advantage.ceiling - 27.0 / 13.0).abs() < 1e-12 && s.spec_exact, "{s:?}");
        assert_eq!(s.max_nuclear_rank, 3);
        assert!((c.advantage.ceiling - s.advantage.ceiling).abs() < 1e-12);
        assert!((c.advantage.predicted - s.advantage.predicted).abs() < 1e-9 * c.advantage.predicted, "{c:?} {s:?}");
        assert_eq!((c.measure, c.advantage.measured), (s.measure, s.advantage.measured));
        assert!(c.advantage.measured > 1.0 && s.advantage.predicted > 1.0);
    }

    /// Identity: on a 1 x n variable the spectral norm is the l2 norm, L_spec = L_2, and the spectral
    /// theory step is GD's: ceiling, prediction and measurement are all 1 (the first two to rounding). The recorded nuclear norm
    /// agrees with the nuclear rank curve: ||g||_*^2 = nu(g) ||g||_2^2.
    #[test]
    fn spectral_descent_on_a_single_row_is_gd() {
        let r = run(r#"{"problem": {"d": 6, "shape": [1, 6], "spectrum": "uniform", "lambda_max": 10, "rotation": 1},
                "methods": [{"kind": "gd"}, {"kind": "spectral"}], "run": {"steps": 2000, "target": 1e-6}}"#);
        let s = r.spectral_comparison.unwrap();
        assert_eq!((s.advantage.measured, s.measure), (1.0, Measure::Steps));
        assert!((s.advantage.ceiling - 1.0).abs() < 1e-12 && (s.advantage.predicted - 1.0).abs() < 1e-12, "{s:?}");
        assert!(r.comparison.is_none() && r.methods[0].grad_nuclear.is_none());
        let m = &r.methods[1];
        let (nu, nuclear) = (m.nuclear_rank.as_ref().unwrap(), m.grad_nuclear.as_ref().unwrap());
        assert_eq!(nuclear.len(), m.trace.f.len());
        for (t, v) in nu.t.iter().zip(&nu.value) {
            let want = v * m.trace.grad_l2[*t] * m.trace.grad_l2[*t];
            assert!((nuclear[*t] * nuclear[*t] - want).abs() <= 1e-12 * want, "t = {t}");
        }
    }

    /// Brute force on small random cases: the spectral theory step from random points removes at
    /// least its guarantee ||g||_*^2 / (2 L_spec) (the fraction a_t the prediction counts), and the
    /// per-step ratio of guarantees nu(g) L_2 / L_spec never passes the ceiling R L_2 / L_spec.
    #[test]
    fn the_spectral_guarantee_and_ceiling_hold_at_random_points() {
        use crate::norm::{dot, nuclear_rank, Block, LayerNorm, Norm};
        let mut rng = crate::rng::Rng::new(5);
        for (seed, layout) in [
            (1, Layout::matrix(2, 3)),
            (2, Layout::matrix(3, 3)),
            (3, Layout(vec![Block::Matrix { rows: 2, cols: 2 }, Block::Vector { len: 2 }])),
        ] {
            let d = layout.dim();
            let h = crate::testing::random_psd(d, seed);
            let norm = Norm::Modular { layout: layout.clone(), layer: LayerNorm::Spectral };
            let lspec = crate::smoothness::smoothness_constant(&norm, &h, None).value;
            let l2 = *h.sym_eigenvalues().unwrap().last().unwrap();
            let ceiling = max_nuclear_rank(&layout) as f64 * l2 / lspec;
            let f = |x: &[f64]| 0.5 * dot(x, &h.matvec(x));
            for _ in 0..500 {
                let x = rng.normals(d);
                let g = h.matvec(&x);
                let (dual, s) = (norm.dual(&g), norm.direction(&g));
                let y: Vec<f64> = x.iter().zip(&s).map(|(xi, si)| xi - dual / lspec * si).collect();
                let guarantee = dual * dual / (2.0 * lspec);
                assert!(f(&x) - f(&y) >= guarantee * (1.0 - 1e-10), "{layout}: {} < {guarantee}", f(&x) - f(&y));
                assert!(nuclear_rank(&layout, &g) * l2 / lspec <= ceiling * (1.0 + 1e-12));
            }
        }
    }

    #[test]
    fn the_guaranteed_fraction_is_the_formula_and_survives_extreme_scales() {
        // Ordinary values: the very bits of g^2 / (2 L gap).
        for (g, l, gap) in [(3.7, 12.5, 0.9), (1e-3, 7e4, 2e-9), (123.0, 0.5, 4e5)] {
            assert_eq!(guaranteed_fraction(g, l, gap).to_bits(), (g * g / (2.0 * l * gap)).to_bits());
        }
        // H -> c H and x -> c x leave it unchanged where g^2 would underflow or overflow.
        let a = guaranteed_fraction(3.0, 4.0, 2.0);
        assert_eq!(a, 9.0 / 16.0);
        for c in [2f64.powi(-990), 2f64.powi(600)] {
            assert_eq!(guaranteed_fraction(3.0 * c, 4.0 * c, 2.0 * c), a);
        }
        // x -> 1e-160 x: g^2 = 9e-320 underflows, the fraction does not (gap = 2e-320 is subnormal,
        // good to about 4 digits).
        assert!((guaranteed_fraction(3e-160, 4.0, 2e-320) / a - 1.0).abs() < 1e-3);
        assert_eq!(guaranteed_fraction(0.0, 4.0, 2.0), 0.0);
    }

    fn comparison_of(matrix: &str) -> Comparison {
        let spec = crate::spec::Spec::from_json(&format!(r#"{{"problem": {{"kind": "matrix", "matrix": {matrix}}}}}"#));
        let r = crate::experiment::run_spec(&spec.unwrap()).unwrap();
        r.comparison.clone().unwrap_or_else(|| panic!("a named comparison, never null: {:?}", r.methods))
    }

    #[test]
    fn a_zero_hessian_is_a_named_tie_and_a_near_zero_one_compares_like_its_scaled_up_self() {
        let zero = comparison_of("[[0, 0], [0, 0]]");
        assert_eq!(
            (zero.advantage, zero.degenerate),
            (Advantage { ceiling: 1.0, predicted: 1.0, measured: 1.0 }, Some(ZERO_HESSIAN))
        );
        // 2^-1000 H: every number of the comparison is of degree 0 in H (g^2 underflowed to 0
        // before, leaving no prediction).
        let base = comparison_of("[[2, 1], [1, 3]]");
        let tiny = comparison_of(&format!(
            "[[{0:e}, {1:e}], [{1:e}, {2:e}]]",
            2.0 * 2f64.powi(-1000),
            2f64.powi(-1000),
            3.0 * 2f64.powi(-1000)
        ));
        assert_eq!(base.degenerate, None);
        for (a, b) in [
            (base.advantage.ceiling, tiny.advantage.ceiling),
            (base.advantage.predicted, tiny.advantage.predicted),
            (base.advantage.measured, tiny.advantage.measured),
        ] {
            assert!((a - b).abs() <= 1e-12 * a, "{base:?} vs {tiny:?}");
        }
    }

    #[test]
    fn a_start_at_the_minimiser_is_a_named_tie_with_the_ceiling() {
        let spec = crate::spec::Spec::from_json(
            r#"{"problem": {"kind": "matrix", "matrix": [[2, 0], [0, 1]], "x0": [0, 0]}}"#,
        );
        let c = crate::experiment::run_spec(&spec.unwrap()).unwrap().comparison.unwrap();
        // Diagonal: L_inf = tr H = 3, L_2 = 2, so the ceiling is 2 * 2 / 3.
        assert_eq!(c.degenerate, Some(AT_THE_MINIMUM));
        assert_eq!((c.advantage.predicted, c.advantage.measured), (1.0, 1.0));
        assert!((c.advantage.ceiling - 4.0 / 3.0).abs() < 1e-12);
    }

    /// H = 0 on a 2 x 2 variable: a named tie (ceiling 1, the limit of c I, where L_spec = 2 c =
    /// R L_2); a start at the minimiser of H = diag(4, 1) (x) I_2 keeps the ceiling
    /// R L_2 / L_spec = 2 * 4 / (4 + 1).
    #[test]
    fn the_spectral_comparison_names_a_zero_hessian_and_a_start_at_the_minimiser() {
        let spectral = |matrix: &str, x0: &str| {
            let json = format!(
                r#"{{"problem": {{"kind": "matrix", "matrix": {matrix}, "shape": [2, 2], "x0": {x0}}},
                    "methods": [{{"kind": "gd"}}, {{"kind": "spectral"}}]}}"#
            );
            let r = run(&json);
            r.spectral_comparison.clone().unwrap_or_else(|| panic!("a named comparison, never null: {:?}", r.methods))
        };
        let zero = spectral("[[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]", "[1, -2, 3, 0.5]");
        assert_eq!(
            (zero.advantage, zero.degenerate),
            (Advantage { ceiling: 1.0, predicted: 1.0, measured: 1.0 }, Some(SPECTRAL_ZERO_HESSIAN))
        );
        let at_min = spectral("[[4, 0, 0, 0], [0, 4, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]", "[0, 0, 0, 0]");
        assert_eq!(at_min.degenerate, Some(SPECTRAL_AT_THE_MINIMUM));
        assert_eq!((at_min.advantage.predicted, at_min.advantage.measured), (1.0, 1.0));
        assert!((at_min.advantage.ceiling - 8.0 / 5.0).abs() < 1e-12, "{at_min:?}");
    }

    #[test]
    fn winners_are_named_by_the_side_of_one() {
        assert_eq!(winner_agreement(&[2.0, 0.5, 3.0, 1.0], &[1.5, 0.9, 0.8, 1.0]), 0.75);
    }
}
