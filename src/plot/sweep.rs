//! The sweep map: three heat maps (the ceiling d L_2 / L_inf, the prediction from the guarantees
//! along the runs, and the measured advantage of sign GD) on one diverging colour scale, with a
//! colour bar, and a scatter of measured against both predictions.

use super::axis::Axis;
use super::style::{fitted_font, label_count, log_tick_label, styled_mesh, tick_label, widest, Look};
use super::Frame;
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct SweepCellInput {
    pub spread: f64,
    pub rotation: f64,
    pub rho_diag: f64,
    pub ceiling: f64,
    pub predicted: f64,
    pub measured: f64,
}

/// A prediction's agreement with the measured advantage over the cells.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct AgreementInput {
    pub spearman: f64,
    pub winners: f64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SweepInput {
    pub spreads: Vec<f64>,
    pub rotations: Vec<f64>,
    pub cells: Vec<SweepCellInput>,
    pub ceiling: AgreementInput,
    pub predicted: AgreementInput,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepMap {
    Ceiling,
    Predicted,
    Measured,
}

impl SweepMap {
    fn of(self, c: &SweepCellInput) -> f64 {
        match self {
            SweepMap::Ceiling => c.ceiling,
            SweepMap::Predicted => c.predicted,
            SweepMap::Measured => c.measured,
        }
    }
}

/// Diverging blue-white-red (ColorBrewer RdBu ends): t in [-1, 1], negative favours GD.
fn diverging(t: f64) -> RGBColor {
    let t = t.clamp(-1.0, 1.0);
    let (end, w) = if t < 0.0 { ((0x21, 0x66, 0xAC), -t) } else { ((0xB2, 0x18, 0x2B), t) };
    let mix = |a: u8| (255.0 + (a as f64 - 255.0) * w).round() as u8;
    RGBColor(mix(end.0), mix(end.1), mix(end.2))
}

/// The shared colour-scale half-width: the largest |log2 ratio| over both maps (at least 1).
pub fn shared_scale(data: &SweepInput) -> f64 {
    data.cells
        .iter()
        .flat_map(|c| [c.ceiling, c.predicted, c.measured])
        .filter(|v| *v > 0.0 && v.is_finite())
        .map(|v| v.log2().abs())
        .fold(1.0, f64::max)
}

/// One heat map; cells are rectangles (a few dozen of them). Returns the frame in cell units:
/// x from 0 to the number of spreads, y from 0 to the number of rotations.
pub fn draw_sweep_map<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &SweepInput,
    which: SweepMap,
    scale: f64,
    colour_bar: bool,
    look: &Look,
) -> Result<Frame, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    area.fill(&look.bg()).map_err(err)?;
    let (nx, ny) = (data.spreads.len(), data.rotations.len());
    let (w, _) = area.dim_in_pixel();
    let (plot_area, bar_area) = area.split_horizontally(if colour_bar { w - look.px(BAR_WIDTH) } else { w });
    let rho_of_row = |j: usize| {
        let row: Vec<f64> = data.cells.iter().filter(|c| c.rotation == data.rotations[j]).map(|c| c.rho_diag).collect();
        row.iter().sum::<f64>() / row.len().max(1) as f64
    };
    let row_labels: Vec<String> =
        (0..ny).map(|j| format!("rot {} (rho {:.2})", tick_label(data.rotations[j]), rho_of_row(j))).collect();
    let title = match which {
        SweepMap::Ceiling => "ceiling d L_2 / L_inf",
        SweepMap::Predicted => "predicted (guarantees along the runs)",
        SweepMap::Measured => "measured advantage",
    };
    let (pw, _) = plot_area.dim_in_pixel();
    // The row labels' width as measured, beside their tick marks.
    let label_width = widest(area, &row_labels, &look.font(11.0)) + look.px(12.0);
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(look.px(8.0))
        .caption(title, fitted_font(area, title, 13.0, pw.saturating_sub(look.px(16.0)), look))
        .x_label_area_size(look.px(40.0))
        .y_label_area_size(label_width)
        .build_cartesian_2d(Axis::linear(0f64..nx as f64), Axis::linear(0f64..ny as f64))
        .map_err(err)?;
    // Every k-th spread named, as many as fit side by side (a narrow embed names fewer).
    let spread_labels: Vec<String> = data.spreads.iter().map(|s| tick_label((s * 100.0).round() / 100.0)).collect();
    let (xs, _) = chart.plotting_area().get_pixel_range();
    let cell_px = (xs.end - xs.start).max(1) as u32 / nx.max(1) as u32;
    let every =
        (widest(area, &spread_labels, &look.font(11.0)) + look.px(6.0)).div_ceil(cell_px.max(1)).max(1) as usize;
    let x_fmt = move |x: &f64| {
        let i = x.floor() as usize;
        if (x - i as f64 - 0.5).abs() < 1e-6 && i < spread_labels.len() && i.is_multiple_of(every) {
            spread_labels[i].clone()
        } else {
            String::new()
        }
    };
    let x_desc = "spread lambda_max / lambda_bar";
    let y_fmt = move |y: &f64| {
        let j = y.floor() as usize;
        if (y - j as f64 - 0.5).abs() < 1e-6 && j < row_labels.len() {
            row_labels[j].clone()
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(x_desc)
        .label_style(look.font(11.0))
        .axis_desc_style(fitted_font(area, x_desc, 12.0, (xs.end - xs.start) as u32, look))
        .x_labels(4 * nx + 1)
        .y_labels(4 * ny + 1)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .axis_style(look.fg().mix(0.6))
        .draw()
        .map_err(err)?;
    // Cell values at 11 px, smaller when the widest does not fit a cell (a phone), in the
    // cell's middle; none where they cannot fit at all (a narrow embed: hover and Data have them).
    let values: Vec<String> = data.cells.iter().map(|c| format!("{:.2}", which.of(c))).collect();
    let room = cell_px.saturating_sub(look.px(4.0));
    let value_font = fitted_font(area, values.iter().max_by_key(|v| v.len()).map_or("", |v| v), 11.0, room, look);
    let show_values = widest(area, &values, &value_font) <= room;
    for (j, r) in data.rotations.iter().enumerate() {
        for (i, s) in data.spreads.iter().enumerate() {
            let Some(c) = data.cells.iter().find(|c| c.rotation == *r && c.spread == *s) else { continue };
            let v = which.of(c);
            let colour =
                if v > 0.0 && v.is_finite() { diverging(v.log2() / scale) } else { RGBColor(0x99, 0x99, 0x99) };
            let (x0, y0) = (i as f64, j as f64);
            chart
                .draw_series(std::iter::once(Rectangle::new([(x0, y0), (x0 + 1.0, y0 + 1.0)], colour.filled())))
                .map_err(err)?;
            let dark_cell = v > 0.0 && (v.log2() / scale).abs() > 0.6;
            let text_colour = if dark_cell { WHITE } else { BLACK };
            let style = value_font.color(&text_colour).pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Center,
            ));
            if show_values {
                chart
                    .draw_series(std::iter::once(Text::new(format!("{:.2}", v), (x0 + 0.5, y0 + 0.5), style)))
                    .map_err(err)?;
            }
        }
    }
    if colour_bar {
        draw_colour_bar(&bar_area, scale, look).map_err(err)?;
    }
    let frame = Frame::of(&chart, look);
    area.present().map_err(err)?;
    Ok(frame)
}

/// Width of the colour bar beside the measured map (CSS pixels): its title, tick labels, bar.
const BAR_WIDTH: f64 = 84.0;

/// A vertical colour bar: ratios from 2^-scale (GD ahead, blue) to 2^scale (sign GD ahead, red),
/// ticked at 1, 2 and 5 times powers of ten, titled with what the colour means.
fn draw_colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scale: f64,
    look: &Look,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (lo, hi) = (2f64.powf(-scale), 2f64.powf(scale));
    let (top, bottom) = (look.px(30.0), look.px(48.0));
    let height = area.dim_in_pixel().1 as i32 - (top + bottom) as i32;
    let mut chart = ChartBuilder::on(area)
        .margin_top(top)
        .margin_bottom(bottom)
        .margin_right(look.px(4.0))
        .y_label_area_size(look.px(56.0))
        .build_cartesian_2d(Axis::linear(0f64..1.0), Axis::log_ticked(lo..hi))?;
    let title = "sign GD ahead above 1";
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .label_style(look.font(10.0))
        .y_desc(title)
        .axis_desc_style(fitted_font(area, title, 11.0, height.max(0) as u32, look))
        .y_label_formatter(&|v| log_tick_label(*v))
        .y_labels(label_count(height, 10.0, look))
        .draw()?;
    let steps = 64;
    for k in 0..steps {
        let (a, b) =
            (-scale + 2.0 * scale * k as f64 / steps as f64, -scale + 2.0 * scale * (k + 1) as f64 / steps as f64);
        let colour = diverging((a + b) / 2.0 / scale);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, 2f64.powf(a)), (1.0, 2f64.powf(b))],
            colour.filled(),
        )))?;
    }
    Ok(())
}

/// Measured against both predictions, log-log, with the line y = x: the prediction from the
/// guarantees along the runs as filled dots, the ceiling as rings, coloured by rotation, and each
/// one's Spearman rho in the caption.
pub fn draw_sweep_scatter<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &SweepInput,
    look: &Look,
) -> Result<Frame, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    area.fill(&look.bg()).map_err(err)?;
    let vals: Vec<f64> = data
        .cells
        .iter()
        .flat_map(|c| [c.measured, c.predicted, c.ceiling])
        .filter(|v| *v > 0.0 && v.is_finite())
        .collect();
    let lo = vals.iter().cloned().fold(f64::INFINITY, f64::min).min(0.9) / 1.3;
    let hi = vals.iter().cloned().fold(0.0, f64::max).max(1.1) * 1.3;
    let (w, h) = area.dim_in_pixel();
    let caption = format!(
        "Spearman rho: predicted {:.2} (dots), ceiling {:.2} (rings)",
        data.predicted.spearman, data.ceiling.spearman
    );
    let x_desc = "predicted (dots), ceiling d L_2 / L_inf (rings)";
    let room = w.saturating_sub(look.px(72.0));
    let mut chart = ChartBuilder::on(area)
        .margin(look.px(10.0))
        .caption(&caption, fitted_font(area, &caption, 13.0, w.saturating_sub(look.px(20.0)), look))
        .x_label_area_size(look.px(40.0))
        .y_label_area_size(look.px(52.0))
        .build_cartesian_2d(Axis::log_ticked(lo..hi), Axis::log_ticked(lo..hi))
        .map_err(err)?;
    styled_mesh(&mut chart, look)
        .x_desc(x_desc)
        .y_desc("measured advantage")
        .axis_desc_style(fitted_font(area, x_desc, 12.0, room, look))
        .x_label_formatter(&|v| log_tick_label(*v))
        .y_label_formatter(&|v| log_tick_label(*v))
        .x_labels(label_count(room as i32, 18.0, look))
        .y_labels(label_count(h as i32 - look.px(90.0) as i32, 11.0, look))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(vec![(lo, lo), (hi, hi)], look.fg().mix(0.4).stroke_width(look.px(1.0))))
        .map_err(err)?;
    let nr = data.rotations.len().max(2) - 1;
    for c in &data.cells {
        let j = data.rotations.iter().position(|r| *r == c.rotation).unwrap_or(0);
        let colour = diverging(1.0 - 2.0 * j as f64 / nr as f64);
        if c.measured > 0.0 && c.ceiling > 0.0 {
            let ring = colour.stroke_width(look.px(1.5));
            chart
                .draw_series(std::iter::once(Circle::new((c.ceiling, c.measured), look.px(4.0), ring)))
                .map_err(err)?;
        }
        if c.measured > 0.0 && c.predicted > 0.0 {
            chart
                .draw_series(std::iter::once(Circle::new((c.predicted, c.measured), look.px(4.0), colour.filled())))
                .map_err(err)?;
        }
    }
    area.present().map_err(err)?;
    Ok(Frame::of(&chart, look))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::experiment::run_sweep;
    use crate::spec::Spec;

    #[test]
    fn colour_scale_is_white_at_parity_and_symmetric() {
        assert_eq!(diverging(0.0), RGBColor(255, 255, 255));
        assert_eq!(diverging(1.0), RGBColor(0xB2, 0x18, 0x2B));
        assert_eq!(diverging(-1.0), RGBColor(0x21, 0x66, 0xAC));
        assert_eq!(diverging(7.0), diverging(1.0));
    }

    #[test]
    fn maps_and_scatter_draw_every_cell() {
        let spec = Spec::from_json(
            r#"{"problem": {"d": 10, "outliers": 1}, "run": {"steps": 3000},
            "sweep": {"spread_min": 1.5, "spread_max": 4, "spread_points": 3, "rotation_points": 2, "problems": 1}}"#,
        )
        .unwrap();
        let r = run_sweep(&spec, &mut |_| true).unwrap();
        let data: SweepInput = serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
        let look = Look { scale: 1.0, dark: false };
        let scale = shared_scale(&data);
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, (600, 400)).into_drawing_area();
            let f = draw_sweep_map(&root, &data, SweepMap::Predicted, scale, true, &look).unwrap();
            assert_eq!((f.x_max, f.y_max), (3.0, 2.0));
        }
        for c in &data.cells {
            assert!(out.contains(&format!("{:.2}", c.predicted)), "cell {c:?}");
        }
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, (600, 400)).into_drawing_area();
            draw_sweep_scatter(&root, &data, &look).unwrap();
        }
        assert!(out.contains(&format!("predicted {:.2} (dots)", data.predicted.spearman)));
        // A ring (ceiling) and a dot (prediction) per cell.
        assert_eq!(out.matches("<circle").count(), 2 * data.cells.len());
    }
}
