//! Per-step traces, one line per method: suboptimality and gradient norm on log axes, gradient
//! density on [0, 1].

use super::axis::{Axis, Chart};
use super::style::{
    draw_legend, draw_series_line, label_count, log_tick_label, plot_frame, styled_mesh, tick_label, Label, Look,
};
use super::Frame;
use crate::experiment::{TraceColumns, TraceTable};
use crate::optimizer::Status;
use plotters::coord::Shift;
use plotters::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceKind {
    /// f(x_t) - f*, log scale.
    Suboptimality,
    /// ||g_t||_2, log scale.
    GradNorm,
    /// phi(g_t) = ||g||_1^2 / (d ||g||_2^2), linear on [0, 1].
    Density,
    /// Test accuracy of a network run at its curve points, linear on [0, 1].
    TestAccuracy,
    /// The nuclear rank over its largest value, nu(g_t) / R, at its recorded points, on [0, 1]:
    /// the spectral counterpart of the density (docs/theory.md §6).
    NuclearRank,
    /// Under heavy-tailed classes, the training loss of the rare classes at a network run's curve
    /// points, log scale.
    RareClassLoss,
    /// A minibatch run's minibatch loss f_B(x_t) at every step, log scale: a noisy measurement
    /// of f, drawn apart from the full loss.
    BatchLoss,
}

impl TraceKind {
    /// (step, value) points of a method; values may be NaN or infinite.
    fn points(&self, m: &TraceColumns) -> Vec<(f64, f64)> {
        let at_steps = |v: &[f64]| m.steps().into_iter().zip(v).map(|(t, y)| (t as f64, *y)).collect();
        match self {
            TraceKind::Suboptimality => at_steps(&m.f),
            TraceKind::GradNorm => at_steps(&m.grad_l2),
            TraceKind::Density => at_steps(&m.density),
            TraceKind::BatchLoss => m.batch_loss.iter().enumerate().map(|(t, y)| (t as f64, *y)).collect(),
            TraceKind::TestAccuracy => m
                .curves
                .as_ref()
                .map(|c| c.t.iter().zip(&c.test_accuracy).map(|(t, a)| (*t as f64, *a)).collect())
                .unwrap_or_default(),
            TraceKind::NuclearRank => m
                .nuclear_rank
                .as_ref()
                .map(|n| n.t.iter().zip(&n.value).map(|(t, v)| (*t as f64, v / n.max as f64)).collect())
                .unwrap_or_default(),
            TraceKind::RareClassLoss => m
                .curves
                .as_ref()
                .map(|c| c.t.iter().zip(&c.group_loss).map(|(t, g)| (*t as f64, g[2])).collect())
                .unwrap_or_default(),
        }
    }

    /// Plotted on [0, 1] rather than a log axis.
    fn unit_interval(&self) -> bool {
        matches!(self, TraceKind::Density | TraceKind::TestAccuracy | TraceKind::NuclearRank)
    }

    /// The axis title; without f* (networks) the traces hold the loss f itself, which
    /// minibatch runs measure at their evaluation points on the full training set.
    fn y_desc(&self, f_star_known: bool, minibatch: bool) -> &'static str {
        match self {
            TraceKind::Suboptimality if f_star_known => "f(x_t) - f*",
            TraceKind::Suboptimality if minibatch => "full training loss f(x_t)",
            TraceKind::Suboptimality => "loss f(x_t)",
            TraceKind::BatchLoss => "minibatch loss f_B(x_t)",
            TraceKind::GradNorm => "||g_t||_2",
            TraceKind::Density => "density phi(g_t)",
            TraceKind::TestAccuracy => "test accuracy",
            TraceKind::NuclearRank => "nuclear rank nu(g_t) / R",
            TraceKind::RareClassLoss => "training loss, rare classes",
        }
    }
}

/// Draws `kind` for every method into `area`; returns the plot area's frame.
pub fn draw_traces<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &TraceTable,
    kind: TraceKind,
    look: &Look,
) -> Result<Frame, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    area.fill(&look.bg()).map_err(err)?;
    let steps = data.methods.iter().map(|m| m.last_step()).max().unwrap_or(1).max(1);
    let x_range = 0f64..steps as f64;
    let known = data.problem.f_star.is_some();
    let minibatch = data.methods.iter().any(|m| !m.batch_loss.is_empty());
    // Tick labels 12 px high in the plot's height (the area less its margins and x labels).
    let y_labels = label_count(area.dim_in_pixel().1 as i32 - look.px(58.0) as i32, 12.0, look);
    let (y, y_labels, paths) = if kind.unit_interval() {
        let paths: Vec<Vec<(f64, f64)>> =
            data.methods.iter().map(|m| kind.points(m).into_iter().filter(|(_, v)| v.is_finite()).collect()).collect();
        (Axis::linear(0f64..1.0), y_labels.min(6), paths)
    } else {
        let (lo, hi) = log_range(data, kind);
        // Clip to the visible range so that a diverging run leaves the plot at its top edge.
        let paths: Vec<Vec<(f64, f64)>> = data
            .methods
            .iter()
            .map(|m| {
                kind.points(m)
                    .into_iter()
                    .filter(|(_, v)| *v > 0.0) // NaN fails the test; +inf is clamped to the top
                    .map(|(t, v)| (t, v.clamp(lo, hi)))
                    .collect()
            })
            .collect();
        (Axis::log_ticked(lo..hi), y_labels, paths)
    };
    let mut c = plot_frame(area, look, 58.0).build_cartesian_2d(Axis::linear(x_range), y).map_err(err)?;
    styled_mesh(&mut c, look)
        .x_desc("step t")
        .y_desc(kind.y_desc(known, minibatch))
        .label_style(look.font(12.0))
        .axis_desc_style(look.font(13.0))
        .x_label_formatter(&|v| tick_label(*v))
        .y_label_formatter(&|v| if kind.unit_interval() { tick_label(*v) } else { log_tick_label(*v) })
        .x_labels(6)
        .y_labels(y_labels)
        .draw()
        .map_err(err)?;
    let labels = draw_lines(&mut c, data, &paths, look).map_err(err)?;
    draw_legend(&c, area, &labels, &paths, look).map_err(err)?;
    let frame = Frame::of(&c, look);
    area.present().map_err(err)?;
    Ok(frame)
}

/// Powers of ten around the positive finite values; a diverging run's values are capped at 1e4
/// times the largest start value so that the others stay readable.
fn log_range(data: &TraceTable, kind: TraceKind) -> (f64, f64) {
    let start_max = data
        .methods
        .iter()
        .filter_map(|m| kind.points(m).first().map(|p| p.1))
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold(0.0f64, f64::max);
    let cap = if start_max > 0.0 { start_max * 1e4 } else { f64::MAX };
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for m in &data.methods {
        for (_, v) in kind.points(m) {
            if v.is_finite() && v > 0.0 {
                lo = lo.min(v);
                hi = hi.max(v.min(cap));
            }
        }
    }
    if !(lo.is_finite() && hi > 0.0) {
        return (1e-16, 1.0);
    }
    let lo = 10f64.powf(lo.log10().floor()).max(1e-300);
    let hi = 10f64.powf(hi.log10().ceil());
    if hi <= lo {
        (lo, lo * 10.0)
    } else {
        (lo, hi)
    }
}

/// One line per method (`paths[i]` of method i), a cross where a run diverged; returns the
/// series labels.
fn draw_lines<'a, DB: DrawingBackend + 'a>(
    c: &mut Chart<'a, DB>,
    data: &TraceTable,
    paths: &[Vec<(f64, f64)>],
    look: &Look,
) -> Result<Vec<Label<'a, DB>>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut labels = Vec::new();
    for (i, (m, pts)) in data.methods.iter().zip(paths).enumerate() {
        let color = look.series(i);
        let width = look.px(2.0);
        let diverged = m.status == Status::Diverged;
        let label = if diverged { format!("{} (diverged at step {})", m.label, m.stopped_at) } else { m.label.clone() };
        let shown = per_pixel_column(pts, |p| c.backend_coord(p).0);
        labels.push(draw_series_line(c, shown, color, i, label, look)?);
        if let (Some(p), true) = (pts.last(), diverged) {
            c.draw_series(std::iter::once(Cross::new(*p, look.px(6.0), color.stroke_width(width))))?;
        }
    }
    Ok(labels)
}

/// The points of a line (in step order) that a drawing can tell apart: in each backing-pixel
/// column (`column` of a point) the first, the lowest, the highest and the last, in their order
/// (M4 aggregation, Jugel et al. 2014: the line through them covers the pixels the whole line
/// covers). A long run has many steps per column; the read-outs and exports keep every step.
fn per_pixel_column(points: &[(f64, f64)], column: impl Fn(&(f64, f64)) -> i32) -> Vec<(f64, f64)> {
    let mut kept = Vec::new();
    let mut start = 0;
    while start < points.len() {
        let col = column(&points[start]);
        let len = points[start..].iter().take_while(|p| column(p) == col).count();
        let group = &points[start..start + len];
        let extreme = |better: fn(f64, f64) -> bool| {
            (1..len).fold(0, |best, j| if better(group[j].1, group[best].1) { j } else { best })
        };
        let mut picks = [0, extreme(|a, b| a < b), extreme(|a, b| a > b), len - 1];
        picks.sort_unstable();
        let mut last = None;
        for j in picks {
            if last != Some(j) {
                kept.push(group[j]);
                last = Some(j);
            }
        }
        start += len;
    }
    kept
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::experiment::run_spec;
    use crate::spec::Spec;

    fn svg(kind: TraceKind, spec: &str) -> (String, Frame) {
        let result = run_spec(&Spec::from_json(spec).unwrap()).unwrap();
        let data: TraceTable = serde_json::from_value(serde_json::to_value(&result).unwrap()).unwrap();
        let mut out = String::new();
        let frame = {
            let root = SVGBackend::with_string(&mut out, (640, 400)).into_drawing_area();
            draw_traces(&root, &data, kind, &Look { scale: 1.0, dark: false }).unwrap()
        };
        (out, frame)
    }

    #[test]
    fn convergence_plot_has_legend_and_power_of_ten_ticks() {
        let (s, frame) = svg(TraceKind::Suboptimality, "{}");
        assert!(s.contains("GD (1/L)") && s.contains("sign GD (||g||*/L)"));
        assert!(s.contains("\n1e-3\n"), "no power-of-ten tick labels");
        assert!(s.contains("\n100\n") || s.contains("\n200\n"), "plain step labels");
        assert!(!s.contains("9999"));
        assert!(frame.y_log && frame.left < frame.right && frame.top < frame.bottom);
        assert!(frame.y_min > 0.0 && frame.y_max > frame.y_min);
    }

    /// Against brute force on a zigzag of 1000 steps over 37 columns: every column keeps its
    /// first, last, lowest and highest value, at most four points, in step order.
    #[test]
    fn a_line_keeps_per_pixel_column_its_ends_and_extremes() {
        let points: Vec<(f64, f64)> = (0..1000).map(|t| (t as f64, ((t * 7919) % 101) as f64 - 50.0)).collect();
        let column = |p: &(f64, f64)| (p.0 * 37.0 / 1000.0) as i32;
        let kept = per_pixel_column(&points, column);
        assert!(kept.windows(2).all(|w| w[0].0 < w[1].0), "in step order");
        for col in 0..37 {
            let all: Vec<_> = points.iter().filter(|p| column(p) == col).collect();
            let some: Vec<_> = kept.iter().filter(|p| column(p) == col).collect();
            let range = |v: &[&(f64, f64)]| {
                v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)))
            };
            assert!(some.len() <= 4 && some.len() >= 2.min(all.len()), "column {col}: {}", some.len());
            assert_eq!((some[0], some[some.len() - 1]), (all[0], all[all.len() - 1]), "column {col}: ends");
            assert_eq!(range(&some), range(&all), "column {col}: extremes");
        }
        // One point per column stays as it is.
        let sparse: Vec<(f64, f64)> = (0..30).map(|t| (t as f64, t as f64)).collect();
        assert_eq!(per_pixel_column(&sparse, |p| p.0 as i32), sparse);
    }

    #[test]
    fn divergence_is_labelled_not_a_broken_plot() {
        let (s, frame) = svg(
            TraceKind::Suboptimality,
            r#"{"methods": [{"kind": "gd", "rule": "const", "lr": 10}, {"kind": "gd"}], "run": {"steps": 300}}"#,
        );
        assert!(s.contains("(diverged at step"), "legend should say where it diverged");
        assert!(frame.y_max.is_finite());
        let (_, f) = svg(TraceKind::Density, "{}");
        assert_eq!((f.y_min, f.y_max, f.y_log), (0.0, 1.0, false));
    }

    /// Lines differ by dash as well as hue: the first method's line is one path, the second's
    /// (dashed) and third's (dotted) are drawn as many short pieces.
    #[test]
    fn methods_differ_by_dash_as_well_as_hue() {
        let (s, _) = svg(
            TraceKind::Density,
            r#"{"methods": [{"kind": "gd"}, {"kind": "sign_gd"}, {"kind": "heavy_ball", "lr": 0.01}], "run": {"steps": 200, "target": 0}}"#,
        );
        let pieces = |hex: &str| s.matches(&format!("stroke=\"{hex}\"")).count();
        let [solid, dashed, dotted] = [pieces("#0072B2"), pieces("#D55E00"), pieces("#009E73")];
        assert!(solid <= 3, "{solid}");
        assert!(dashed > 10 && dotted > 10, "{dashed} {dotted}");
    }

    /// A network's traces hold the loss itself (f* unknown): the axis says "loss", a
    /// quadratic's says f - f*.
    #[test]
    fn the_axis_names_loss_when_f_star_is_unknown() {
        let net = r#"{"problem": {"kind": "network", "dataset": "breast_cancer", "hidden": 2}, "methods": [{"kind": "gd", "lr": 0.3}], "run": {"steps": 5, "target": 0}}"#;
        let (s, _) = svg(TraceKind::Suboptimality, net);
        assert!(s.contains("loss f(x_t)") && !s.contains("f(x_t) - f*"));
        let (s, _) = svg(TraceKind::Suboptimality, "{}");
        assert!(s.contains("f(x_t) - f*") && !s.contains("loss"));
    }
    /// A minibatch run: the loss plot says it holds the full training loss, drawn at the
    /// evaluation points (x = their steps), and the minibatch loss has its own plot and label.
    #[test]
    fn a_minibatch_run_plots_the_full_loss_at_its_steps_and_the_minibatch_loss_apart() {
        let net = r#"{"problem": {"kind": "network", "dataset": "breast_cancer", "hidden": 2}, "methods": [{"kind": "adam", "lr": 0.01}], "run": {"steps": 40, "target": 0, "batch": 16, "eval_points": 4}}"#;
        let (s, frame) = svg(TraceKind::Suboptimality, net);
        assert!(s.contains("full training loss f(x_t)") && !s.contains("minibatch"));
        assert_eq!((frame.x_min, frame.x_max), (0.0, 40.0));
        let (s, frame) = svg(TraceKind::BatchLoss, net);
        assert!(s.contains("minibatch loss f_B(x_t)"));
        assert_eq!(frame.x_max, 40.0, "the same step axis as the loss plot");
        let result = run_spec(&Spec::from_json(net).unwrap()).unwrap();
        let data: TraceTable = serde_json::from_value(serde_json::to_value(&result).unwrap()).unwrap();
        let steps: Vec<f64> = TraceKind::Suboptimality.points(&data.methods[0]).iter().map(|p| p.0).collect();
        assert_eq!(steps, [0.0, 10.0, 20.0, 30.0, 40.0]);
        assert_eq!(TraceKind::BatchLoss.points(&data.methods[0]).len(), 40);
    }
}
