//! The per-step picture of sign GD against GD along a run (docs/theory.md §4): at evenly spaced
//! iterates x_t of any method's run, the ratio of what one sign GD step and one GD step from x_t are
//! guaranteed to achieve,
//!   R(g_t) = (||g_t||_1^2 / L_inf) / (||g_t||_2^2 / L_2) = phi(g_t) d L_2 / L_inf,
//! beside the ratio of what they actually achieve, both theory steps taken from the same x_t:
//!   (f(x_t) - f(x_t - (||g_t||_1 / L_inf) sign g_t)) / (f(x_t) - f(x_t - g_t / L_2)).
//! Two extra function values per recorded point; the run itself is not touched.

use crate::json::nan_as_null;
use crate::norm::{l1, l2};
use crate::optimizer::{Observer, Point};
use serde::{Deserialize, Serialize};
use std::ops::ControlFlow;

/// Recorded points along one run (read back from a result's JSON by the plot and the CSV export,
/// where NaN is null).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StepRatios {
    pub t: Vec<usize>,
    /// R(g_t): the ratio of the guaranteed decreases.
    #[serde(deserialize_with = "nan_as_null::floats")]
    pub guaranteed: Vec<f64>,
    /// The ratio of the decreases the two steps achieve from x_t (NaN, null in JSON, when GD's is
    /// not positive: at the minimiser, or below rounding; `actual_undefined` then says where).
    #[serde(deserialize_with = "nan_as_null::floats")]
    pub actual: Vec<f64>,
    /// Why `actual` has no value at some points, and where the first is; absent when it has one
    /// everywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_undefined: Option<String>,
}

/// R(g) = (||g||_1^2 / L_inf) / (||g||_2^2 / L_2), homogeneous of degree 0 in g and in (L_2,
/// L_inf). When a square or a quotient leaves the normal range (gradients past ~1e154 or below
/// ~1e-154, constants near the ends of the range) it is read as (||g||_1 / ||g||_2)^2 (L_2 /
/// L_inf), whose factors lie in [1, d] and [1/d, 1]; in range the bits are the direct form's.
fn guaranteed(n1: f64, n2: f64, l2: f64, linf: f64) -> f64 {
    let (a, b) = (n1 * n1 / linf, n2 * n2 / l2);
    if a.is_normal() && b.is_normal() {
        a / b
    } else {
        (n1 / n2) * (n1 / n2) * (l2 / linf)
    }
}

/// Records `StepRatios` at the sampled points and the last of a run on an objective with global
/// constants L_2 and L_inf; `f_star` turns values into the suboptimality the points carry.
pub struct StepRatioRecorder {
    l2: f64,
    linf: f64,
    f_star: f64,
    step: Vec<f64>,
    /// Points where the actual ratio had no value, and the first one's t.
    undefined: (usize, usize),
    pub ratios: StepRatios,
}

impl StepRatioRecorder {
    pub fn new(l2: f64, linf: f64, f_star: f64) -> Self {
        StepRatioRecorder { l2, linf, f_star, step: Vec::new(), undefined: (0, 0), ratios: StepRatios::default() }
    }
}

impl Observer for StepRatioRecorder {
    fn observe(&mut self, p: &Point) -> ControlFlow<()> {
        let Some(full) = p.full.filter(|full| (p.sampled || p.stop.is_some()) && full.f.is_finite()) else {
            return ControlFlow::Continue(());
        };
        let (n1, n2) = (l1(full.g), l2(full.g));
        if n2 == 0.0 {
            return ControlFlow::Continue(());
        }
        let decrease = |step: &mut Vec<f64>, scale: f64, direction: &dyn Fn(f64) -> f64| {
            step.clear();
            step.extend(p.x.iter().zip(full.g).map(|(x, g)| x - scale * direction(*g)));
            full.f - (p.objective.value(step) - self.f_star)
        };
        let gd = decrease(&mut self.step, 1.0 / self.l2, &|g| g);
        let sign = decrease(&mut self.step, n1 / self.linf, &|g: f64| if g == 0.0 { 0.0 } else { g.signum() });
        self.ratios.t.push(p.t);
        self.ratios.guaranteed.push(guaranteed(n1, n2, self.l2, self.linf));
        if gd > 0.0 {
            self.ratios.actual.push(sign / gd);
        } else {
            self.ratios.actual.push(f64::NAN);
            let (count, first) = &mut self.undefined;
            *first = if *count == 0 { p.t } else { *first };
            *count += 1;
            self.ratios.actual_undefined = Some(format!(
                "actual is null at {count} of the recorded points, the first at t = {first}: one GD step from \
                 x_t decreases f by nothing in floating point there (x_t at the minimiser, or the decrease \
                 below rounding), so the ratio of the achieved decreases has no value"
            ));
        }
        ControlFlow::Continue(())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::linalg::Matrix;
    use crate::objective::{Objective, Quadratic};
    use crate::optimizer::observe::Full;

    /// A sampled point of a full-batch run with f(x_t) - f* = f and gradient g.
    fn at<'a>(t: usize, x: &'a [f64], f: f64, g: &'a [f64], q: &'a Quadratic) -> Point<'a> {
        Point {
            t,
            x,
            full: Some(Full { f, g, fit: None }),
            batch_f: None,
            sampled: true,
            step: None,
            stop: None,
            objective: q,
        }
    }

    #[test]
    fn on_a_diagonal_quadratic_the_ratios_follow_their_closed_forms() {
        // H = diag(4, 1), x* = 0, so f = (4 x^2 + y^2) / 2; L_2 = 4, L_inf = tr H = 5.
        // From (1, 2): g = (4, 2), ||g||_1 = 6, ||g||_2^2 = 20, R = (36 / 5) / (20 / 4) = 1.44.
        // GD step g / 4 -> (0, 1.5): decrease 4 - 1.125 = 2.875. Sign step 6/5 -> (-0.2, 0.8):
        // f = (0.16 + 0.64) / 2 = 0.4, decrease 3.6; ratio 3.6 / 2.875.
        let q = Quadratic::with_spectrum(Matrix::diagonal(&[4.0, 1.0]), vec![0.0, 0.0], vec![1.0, 4.0]);
        let mut rec = StepRatioRecorder::new(4.0, 5.0, 0.0);
        let point = at(0, &[1.0, 2.0], 4.0, &[4.0, 2.0], &q);
        let _ = rec.observe(&point);
        assert_eq!(rec.ratios.t, vec![0]);
        assert!((rec.ratios.guaranteed[0] - 1.44).abs() < 1e-12);
        assert!((rec.ratios.actual[0] - 3.6 / 2.875).abs() < 1e-12);
        // Not recorded off the schedule, nor where the full gradient is unknown.
        let mut sparse = StepRatioRecorder::new(4.0, 5.0, 0.0);
        let _ = sparse.observe(&Point { t: 1, sampled: false, ..at(1, &[1.0, 2.0], 4.0, &[4.0, 2.0], &q) });
        let _ = sparse.observe(&Point { full: None, ..at(2, &[1.0, 2.0], 4.0, &[4.0, 2.0], &q) });
        assert!(sparse.ratios.t.is_empty());
    }

    /// R(g) is homogeneous of degree 0: the closed form 1.44 of the test above holds for the
    /// gradient scaled by 2^k far past where its squares underflow or overflow. There f underflows
    /// too (k = -1000: f = 0 at x_t and after either step), so the actual ratio has no value,
    /// and `actual_undefined` names where.
    #[test]
    fn the_guaranteed_ratio_is_scale_free_and_an_undefined_actual_ratio_is_named() {
        let q = Quadratic::with_spectrum(Matrix::diagonal(&[4.0, 1.0]), vec![0.0, 0.0], vec![1.0, 4.0]);
        for k in [-1000, -600, 600, 1000] {
            let s = |v: f64| libm::scalbn(v, k);
            // Past the top of the range f overflows, and points with f = inf are not recorded: the
            // gradient alone is scaled there.
            let (x, g) = ([s(1.0).min(1.0), s(2.0).min(2.0)], [s(4.0), s(2.0)]);
            let mut rec = StepRatioRecorder::new(4.0, 5.0, 0.0);
            let f = q.value(&x);
            let _ = rec.observe(&at(3, &x, f, &g, &q));
            let r = &rec.ratios;
            assert!((r.guaranteed[0] - 1.44).abs() < 1e-12, "k = {k}: {}", r.guaranteed[0]);
            if k <= -600 {
                assert!(r.actual[0].is_nan());
                let note = r.actual_undefined.as_deref().expect("named");
                assert!(note.starts_with("actual is null at 1 of the recorded points, the first at t = 3"), "{note}");
            }
        }
        // In range the ratio is the direct form's, bit for bit, and nothing is named.
        let mut rec = StepRatioRecorder::new(4.0, 5.0, 0.0);
        let _ = rec.observe(&at(0, &[1.0, 2.0], 4.0, &[4.0, 2.0], &q));
        let (n1, n2) = (l1(&[4.0, 2.0]), l2(&[4.0, 2.0]));
        assert_eq!(rec.ratios.guaranteed[0], (n1 * n1 / 5.0) / (n2 * n2 / 4.0));
        assert_eq!(rec.ratios.actual_undefined, None);
    }

    /// Fuzz seed 7, case 9716: greedy coordinate descent from (-1.1e6, -6.7e-301) on the default
    /// quad2d lands at t = 1 on a point whose gradient is near 1e-300; R(g_1) was NaN (0 / 0 of
    /// underflowed squares). (GD's and sign GD's theory steps make L_2 and L_inf known, as they were there.) Now every guaranteed ratio is a number and every null actual ratio is
    /// named.
    #[test]
    fn a_gradient_near_1e_minus_300_has_a_guaranteed_ratio() {
        let spec = crate::spec::Spec::from_json(
            r#"{"problem": {"kind": "quad2d", "x0": [-1123342.1845758988, -6.71792739963101e-301]},
                "methods": [{"kind": "coordinate"}, {"kind": "gd", "tune": false}, {"kind": "sign_gd", "tune": false}]}"#,
        )
        .unwrap();
        let r = crate::experiment::run_spec(&spec).unwrap();
        let ratios = r.methods[0].step_ratios.as_ref().expect("recorded");
        assert!(ratios.t.len() >= 2);
        assert!(ratios.guaranteed.iter().all(|v| v.is_finite() && *v > 0.0), "{:?}", ratios.guaranteed);
        assert!(ratios.actual.iter().all(|v| v.is_finite()) || ratios.actual_undefined.is_some());
    }

    /// Along a real run: R(g_t) is the density times the ceiling (phi d L_2 / L_inf, from the trace's
    /// own density), and the actual ratio is what the two theory steps from the kept iterate x_t
    /// achieve on the quadratic, recomputed here by hand.
    #[test]
    fn along_a_run_the_ratios_match_the_trace_and_a_hand_computation() {
        let spec = crate::spec::Spec::from_json(
            r#"{"problem": {"kind": "quad2d", "lambda_max": 10, "lambda_min": 1, "angle": 30, "x0": [2, 1.5]},
                "methods": [{"kind": "gd"}, {"kind": "sign_gd"}], "run": {"steps": 60, "target": 0}}"#,
        )
        .unwrap();
        let r = crate::experiment::run_spec(&spec).unwrap();
        let h = r.problem.hessian.clone().unwrap();
        let xs = r.problem.x_star.clone().unwrap();
        let (l2, linf) =
            (r.methods[0].smoothness.as_ref().unwrap().value, r.methods[1].smoothness.as_ref().unwrap().value);
        let f = |x: &[f64]| {
            let e = [x[0] - xs[0], x[1] - xs[1]];
            0.5 * (e[0] * (h[0][0] * e[0] + h[0][1] * e[1]) + e[1] * (h[1][0] * e[0] + h[1][1] * e[1]))
        };
        for m in &r.methods {
            let ratios = m.step_ratios.as_ref().expect("both constants are known");
            assert!(!ratios.t.is_empty());
            let iterates = m.trace.x.as_ref().unwrap();
            for (k, &t) in ratios.t.iter().enumerate() {
                let want = m.trace.density[t] * 2.0 * l2 / linf;
                assert!((ratios.guaranteed[k] - want).abs() <= 1e-12 * want, "t={t}");
                let x = &iterates[t];
                let e = [x[0] - xs[0], x[1] - xs[1]];
                let g = [h[0][0] * e[0] + h[0][1] * e[1], h[1][0] * e[0] + h[1][1] * e[1]];
                let n1 = g[0].abs() + g[1].abs();
                let gd = f(x) - f(&[x[0] - g[0] / l2, x[1] - g[1] / l2]);
                let sign = f(x) - f(&[x[0] - n1 / linf * g[0].signum(), x[1] - n1 / linf * g[1].signum()]);
                if gd > 1e-12 * f(x) {
                    let got = ratios.actual[k];
                    assert!((got - sign / gd).abs() <= 1e-6 * (sign / gd).abs(), "t={t}: {got} vs {}", sign / gd);
                }
            }
        }
    }
}
