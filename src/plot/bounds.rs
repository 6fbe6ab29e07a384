//! The L_inf bracket as a forest plot on a log axis: every lower bound (with its method), every
//! upper bound, the bracket [best lower, best upper], the exact value when known, L_sep, and
//! d L_2 (the numerator of the predicted ratio d L_2 / L_inf).

use super::input::BoundsInput;
use super::style::{log_tick_label, plot_frame, styled_mesh, tick_label, Look};
use super::{Axes, Frame};
use plotters::coord::Shift;
use plotters::prelude::*;

enum Row {
    Point { label: String, value: f64, lower: bool },
    Bracket { lo: f64, hi: f64, exact: Option<f64> },
}

/// Draws the bracket of `r` into `area`; returns the plot area's frame (y in row units).
pub fn draw_bounds<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: &BoundsInput,
    look: &Look,
) -> Result<Frame, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    area.fill(&look.bg()).map_err(err)?;
    let mut rows: Vec<Row> = Vec::new();
    for e in &r.lower_bounds {
        rows.push(Row::Point { label: format!("lower: {}", e.method), value: e.value, lower: true });
    }
    let lo = r.lower_bounds.iter().map(|e| e.value).fold(f64::NEG_INFINITY, f64::max);
    let hi = r.upper_bounds.iter().map(|e| e.value).fold(f64::INFINITY, f64::min);
    rows.push(Row::Bracket { lo, hi, exact: r.linf_exact });
    for e in &r.upper_bounds {
        rows.push(Row::Point { label: format!("upper: {}", e.method), value: e.value, lower: false });
    }
    let values: Vec<f64> =
        r.lower_bounds.iter().chain(&r.upper_bounds).map(|e| e.value).filter(|v| *v > 0.0 && v.is_finite()).collect();
    let (vmin, vmax) = values.iter().fold((f64::INFINITY, 0.0f64), |(a, b), v| (a.min(*v), b.max(*v)));
    let (xlo, xhi) = if vmin.is_finite() && vmax > 0.0 { (vmin / 1.6, vmax * 1.6) } else { (0.1, 10.0) };
    let n = rows.len();
    let labels: Vec<String> = rows
        .iter()
        .map(|row| match row {
            Row::Point { label, .. } => label.clone(),
            Row::Bracket { exact: Some(_), .. } => "L_inf (exact)".into(),
            Row::Bracket { .. } => "L_inf bracket".into(),
        })
        .collect();
    // Row labels take at most 40% of the width; longer ones are cut with an ellipsis.
    let (width, _) = area.dim_in_pixel();
    let max_label = (0.4 * width as f64 / look.scale).min(300.0);
    let max_chars = ((max_label - 12.0) / 6.0).max(8.0) as usize;
    let labels: Vec<String> = labels
        .into_iter()
        .map(|l| {
            if l.chars().count() > max_chars {
                format!("{}…", l.chars().take(max_chars - 1).collect::<String>())
            } else {
                l
            }
        })
        .collect();
    let label_width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(10) as f64 * 6.0 + 12.0;
    let mut chart = plot_frame(area, look, label_width)
        .margin_right(look.px(20.0))
        .build_cartesian_2d((xlo..xhi).log_scale(), -0.5f64..(n as f64 - 0.5))
        .map_err(err)?;
    let row_label = |y: &f64| {
        let i = y.round();
        if (y - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < n {
            labels[n - 1 - i as usize].clone()
        } else {
            String::new()
        }
    };
    styled_mesh(&mut chart, look)
        .x_desc("value (log scale)")
        .x_label_formatter(&|v| log_tick_label(*v))
        .y_label_formatter(&row_label)
        .x_labels(4)
        .y_labels(n * 2 + 1)
        .disable_y_mesh()
        .draw()
        .map_err(err)?;
    let (blue, red, green, fg) = (look.series(0), look.series(1), look.series(2), look.fg());
    let w = look.px(2.0);
    let size = look.px(5.0);
    for (i, row) in rows.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        match row {
            Row::Point { value, lower, .. } if *value > 0.0 => {
                let color = if *lower { blue } else { red };
                let p = (*value, y);
                if *lower {
                    chart.draw_series(std::iter::once(TriangleMarker::new(p, size, color.filled()))).map_err(err)?;
                } else {
                    chart.draw_series(std::iter::once(Circle::new(p, size, color.filled()))).map_err(err)?;
                }
                chart
                    .draw_series(std::iter::once(Text::new(
                        tick_label(*value),
                        (value * 1.08, y + 0.18),
                        look.font(11.0),
                    )))
                    .map_err(err)?;
            }
            Row::Point { .. } => {}
            Row::Bracket { lo, hi, exact } => {
                if *lo > 0.0 && hi.is_finite() {
                    chart
                        .draw_series(std::iter::once(PathElement::new(
                            vec![(*lo, y), (*hi, y)],
                            fg.stroke_width(look.px(4.0)),
                        )))
                        .map_err(err)?;
                }
                if let Some(e) = exact {
                    chart
                        .draw_series(std::iter::once(Circle::new((*e, y), look.px(7.0), green.filled())))
                        .map_err(err)?;
                    chart
                        .draw_series(std::iter::once(Text::new(
                            format!("L_inf = {}", tick_label(*e)),
                            (e * 1.1, y + 0.3),
                            look.font(12.0),
                        )))
                        .map_err(err)?;
                }
            }
        }
    }
    // Reference lines: L_sep and d L_2.
    let mut refs = vec![(r.d as f64 * r.l2, "d L_2")];
    if let Some(s) = r.l_sep {
        refs.push((s, "L_sep"));
    }
    for (v, name) in refs {
        if v > xlo && v < xhi {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(v, -0.5), (v, n as f64 - 0.5)],
                    fg.mix(0.35).stroke_width(w / 2 + 1),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(name.to_string(), (v * 1.03, n as f64 - 0.8), look.font(11.0))))
                .map_err(err)?;
        }
    }
    let pixels = chart.plotting_area().get_pixel_range();
    area.present().map_err(err)?;
    Ok(Frame::new(pixels, Axes { x: (xlo, xhi), y: (-0.5, n as f64 - 0.5), x_log: true, y_log: false }, look))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::linalg::Matrix;
    use crate::smoothness::{report, ReportOptions};

    #[test]
    fn draws_every_bound_with_its_method() {
        let h = Matrix::from_rows(&[vec![4.0, 1.0, 0.5], vec![1.0, 3.0, 1.0], vec![0.5, 1.0, 2.0]]);
        let rep = report(&h, &ReportOptions::default(), &mut |_| true).unwrap();
        let input: BoundsInput = serde_json::from_value(serde_json::to_value(&rep).unwrap()).unwrap();
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, (800, 420)).into_drawing_area();
            draw_bounds(&root, &input, &Look { scale: 1.0, dark: false }).unwrap();
        }
        for e in rep.lower_bounds.iter().chain(&rep.upper_bounds) {
            // (SVG escapes the apostrophe of "eigenvector's".)
            let head = e.method.split('\'').next().unwrap();
            assert!(out.contains(head), "missing {}", e.method);
        }
        assert!(out.contains("L_inf = ") && out.contains("L_sep") && out.contains("d L_2"));
    }
}
