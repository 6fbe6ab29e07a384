//! The L_inf bracket as a forest plot on a log axis: every lower bound (with its method), every
//! upper bound, the bracket [best lower, best upper], the exact value when known, L_sep, and
//! d L_2 (the numerator of the predicted ratio d L_2 / L_inf).

use super::axis::Axis;
use super::input::BoundsInput;
use super::style::{fitted_font, label_count, log_tick_label, plot_frame, styled_mesh, tick_label, widest, Look};
use super::Frame;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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
    // Row labels whole, in at most 45% of the width: their font shrinks to fit.
    let (width, _) = area.dim_in_pixel();
    let longest =
        labels.iter().max_by_key(|l| widest(area, &[l.to_string()], &look.font(11.0))).cloned().unwrap_or_default();
    let room = (0.45 * width as f64) as u32;
    let label_font = fitted_font(area, &longest, 11.0, room.saturating_sub(look.px(12.0)), look);
    let label_width = widest(area, &labels, &label_font) + look.px(12.0);
    // Half a row more above the rows: the band where the reference lines are named.
    let top = n as f64 - 0.5 + 0.7;
    let mut chart = plot_frame(area, look, label_width as f64 / look.scale)
        .margin_right(look.px(12.0))
        .build_cartesian_2d(Axis::log_ticked(xlo..xhi), Axis::linear(-0.5f64..top))
        .map_err(err)?;
    let (xs, _) = chart.plotting_area().get_pixel_range();
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
        .y_label_style(label_font)
        .x_label_formatter(&|v| log_tick_label(*v))
        .y_label_formatter(&row_label)
        .x_labels(label_count(xs.end - xs.start, 16.0, look))
        .y_labels(((top + 0.5) * 2.0) as usize + 1)
        .disable_y_mesh()
        .draw()
        .map_err(err)?;
    // A value's label right of its marker, or left of it where it would leave the plot; where
    // neither fits (a narrow plot), over the marker, kept within the plot so that it runs into
    // neither the row labels nor the edge.
    let beside = |text: &str, font: TextStyle<'static>, (x, y): (i32, i32), gap: f64| {
        let w = widest(area, &[text.to_string()], &font) as i32;
        let g = look.px(gap) as i32;
        let left = if x + g + w <= xs.end {
            x + g
        } else if x - g - w >= xs.start {
            x - g - w
        } else {
            (xs.end - w).max(xs.start)
        };
        (font.pos(Pos::new(HPos::Left, VPos::Bottom)), (left, y))
    };
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
                let text = tick_label(*value);
                let (style, at) = beside(&text, look.font(11.0), chart.backend_coord(&(*value, y)), 6.0);
                area.draw_text(&text, &style, (at.0, at.1 - look.px(3.0) as i32)).map_err(err)?;
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
                    let text = format!("L_inf = {}", tick_label(*e));
                    let (style, at) = beside(&text, look.font(12.0), chart.backend_coord(&(*e, y)), 9.0);
                    area.draw_text(&text, &style, (at.0, at.1 - look.px(5.0) as i32)).map_err(err)?;
                }
            }
        }
    }
    // Reference lines, L_sep and d L_2, named in the band above the rows: the smaller's name
    // left of its line, the larger's right of it (either flips where it would leave the plot).
    let mut refs = vec![(r.d as f64 * r.l2, "d L_2")];
    if let Some(s) = r.l_sep {
        refs.push((s, "L_sep"));
    }
    refs.retain(|(v, _)| *v > xlo && *v < xhi);
    refs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let band = n as f64 - 0.5 + 0.35;
    for (k, (v, name)) in refs.iter().enumerate() {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(*v, -0.5), (*v, top)],
                fg.mix(0.35).stroke_width(w / 2 + 1),
            )))
            .map_err(err)?;
        let font = look.font(11.0);
        let (x, y) = chart.backend_coord(&(*v, band));
        let (width, g) = (widest(area, &[name.to_string()], &font) as i32, look.px(4.0) as i32);
        let left = if refs.len() > 1 && k == 0 { x - g - width >= xs.start } else { x + g + width > xs.end };
        let (anchor, at) = if left { (HPos::Right, x - g) } else { (HPos::Left, x + g) };
        area.draw_text(name, &font.pos(Pos::new(anchor, VPos::Center)), (at, y)).map_err(err)?;
    }
    area.present().map_err(err)?;
    Ok(Frame::of(&chart, look))
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
