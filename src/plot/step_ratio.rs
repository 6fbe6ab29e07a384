//! The per-step picture of sign GD against GD (experiment::step_ratio): at the recorded iterates
//! of each method's run, the guaranteed ratio R(g_t) = phi(g_t) d L_2 / L_inf (solid) and the
//! measured ratio of what a sign GD step and a GD step from x_t achieve (dashed, with dots), one
//! colour per method, on a log axis with the line at 1: above it sign GD's step does better.

use super::axis::Axis;
use super::style::{draw_legend, log_tick_label, plot_frame, styled_mesh, tick_label, Label, Look};
use super::Frame;
use crate::experiment::TraceTable;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Ratios beyond this factor from 1 are drawn at the edge: near the minimiser the measured one
/// divides two decreases close to rounding and can be arbitrarily large.
const CLIP: f64 = 1e4;

/// Draws the ratios of every method that recorded them into `area`; returns the plot area's frame.
pub fn draw_step_ratios<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &TraceTable,
    look: &Look,
) -> Result<Frame, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    area.fill(&look.bg()).map_err(err)?;
    let steps = data.methods.iter().map(|m| m.last_step()).max().unwrap_or(1).max(1);
    let (lo, hi) = log_range(data);
    let mut chart = plot_frame(area, look, 48.0)
        .build_cartesian_2d(Axis::linear(0f64..steps as f64), Axis::log(lo..hi))
        .map_err(err)?;
    styled_mesh(&mut chart, look)
        .x_desc("step t")
        .y_desc("sign GD step / GD step")
        .x_label_formatter(&|v| tick_label(*v))
        .y_label_formatter(&|v| log_tick_label(*v))
        .x_labels(5)
        .y_labels(6)
        .draw()
        .map_err(err)?;
    let fg = look.fg();
    chart
        .draw_series(LineSeries::new([(0.0, 1.0), (steps as f64, 1.0)], fg.mix(0.55).stroke_width(look.px(1.0))))
        .map_err(err)?;
    let width = look.px(2.0);
    let legend_line = move |style: ShapeStyle| {
        move |(x, y): (i32, i32)| PathElement::new(vec![(x, y), (x + 9 * width as i32, y)], style)
    };
    let shown = |v: &f64| *v > 0.0; // NaN fails, as on the trace plots
                                    // The series labels and every drawn point, for the legend's place.
    let mut labels = Vec::new();
    let mut paths = Vec::new();
    for (i, m) in data.methods.iter().enumerate() {
        let Some(r) = &m.step_ratios else { continue };
        let color = look.series(i);
        let points = |values: &[f64]| -> Vec<(f64, f64)> {
            r.t.iter().zip(values).filter(|(_, v)| shown(v)).map(|(t, v)| (*t as f64, v.clamp(lo, hi))).collect()
        };
        let guaranteed = points(&r.guaranteed);
        chart.draw_series(LineSeries::new(guaranteed.clone(), color.stroke_width(width))).map_err(err)?;
        labels.push(Label::new(m.label.clone(), legend_line(color.stroke_width(width))));
        let measured = points(&r.actual);
        let dash = look.px(4.0);
        chart
            .draw_series(DashedLineSeries::new(measured.clone(), dash, dash, color.stroke_width(look.px(1.5))))
            .map_err(err)?;
        chart.draw_series(measured.iter().map(|p| Circle::new(*p, look.px(2.5), color.filled()))).map_err(err)?;
        paths.extend([guaranteed, measured]);
    }
    if data.methods.iter().all(|m| m.step_ratios.is_none()) {
        area.present().map_err(err)?;
        return Ok(Frame::of(&chart, look));
    }
    // What the two line styles mean, in the foreground colour.
    labels.push(Label::new("guaranteed R(g_t)", legend_line(fg.stroke_width(width))));
    labels.push(Label::new("measured", move |(x, y)| {
        EmptyElement::at((x, y))
            + PathElement::new(vec![(0, 0), (4 * width as i32, 0)], fg.stroke_width(width / 2 + 1))
            + Circle::new((9 * width as i32 / 2, 0), width + 1, fg.filled())
    }));
    draw_legend(&chart, area, &labels, &paths, look).map_err(err)?;
    area.present().map_err(err)?;
    Ok(Frame::of(&chart, look))
}

/// Powers of ten around every recorded ratio and 1, within [1/CLIP, CLIP].
fn log_range(data: &TraceTable) -> (f64, f64) {
    let (mut lo, mut hi) = (1.0f64, 1.0f64);
    for r in data.methods.iter().filter_map(|m| m.step_ratios.as_ref()) {
        for v in r.guaranteed.iter().chain(&r.actual).filter(|v| **v > 0.0 && v.is_finite()) {
            lo = lo.min(*v);
            hi = hi.max(*v);
        }
    }
    let decade = |v: f64, round: fn(f64) -> f64| libm::pow(10.0, round(libm::log10(v)));
    (decade(lo.max(1.0 / CLIP), libm::floor).min(0.1), decade(hi.min(CLIP), libm::ceil).max(10.0))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::experiment::{run_spec, TraceTable};
    use crate::spec::Spec;

    fn svg(spec: &str) -> (String, Frame, TraceTable) {
        let result = run_spec(&Spec::from_json(spec).unwrap()).unwrap();
        let table = TraceTable::of(&result);
        let mut out = String::new();
        let frame = {
            let root = SVGBackend::with_string(&mut out, (390, 260)).into_drawing_area();
            draw_step_ratios(&root, &table, &Look { scale: 1.0, dark: false }).unwrap()
        };
        (out, frame, table)
    }

    #[test]
    fn both_ratios_of_both_methods_are_drawn_around_the_line_at_one() {
        let (s, frame, table) =
            svg(r#"{"problem": {"d": 10, "spectrum": "outliers", "outliers": 2, "lambda_max": 100, "rotation": 1},
                "methods": [{"kind": "gd"}, {"kind": "sign_gd"}], "run": {"steps": 3000}}"#);
        assert!(frame.y_log && frame.y_min <= 0.1 && frame.y_max >= 10.0);
        for m in &table.methods {
            let r = m.step_ratios.as_ref().expect("both constants known");
            for v in r.guaranteed.iter().chain(r.actual.iter().filter(|v| v.is_finite())) {
                assert!(*v >= frame.y_min && *v <= frame.y_max, "{v} outside the frame");
            }
            assert!(s.contains(&m.label), "legend names {}", m.label);
        }
        assert!(s.contains("guaranteed R(g_t)") && s.contains("measured"));
        // Every measured point gets its dot.
        let dots: usize = table.methods.iter().map(|m| m.step_ratios.as_ref().unwrap().actual.len()).sum();
        assert!(s.matches("<circle").count() >= dots, "{} dots for {dots} points", s.matches("<circle").count());
    }

    #[test]
    fn a_run_without_the_constants_draws_empty_axes() {
        let (s, frame, table) = svg(r#"{"methods": [{"kind": "adam"}], "run": {"steps": 50}}"#);
        assert!(table.methods.iter().all(|m| m.step_ratios.is_none()));
        assert_eq!((frame.y_min, frame.y_max), (0.1, 10.0));
        assert!(!s.contains("<circle"));
    }
}
