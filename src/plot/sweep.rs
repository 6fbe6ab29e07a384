//! The sweep map: three heat maps (the ceiling d L_2 / L_inf, the prediction from the guarantees
//! along the runs, and the measured advantage of sign GD) on one diverging colour scale, with a
//! colour bar, and a scatter of measured against both predictions.

use super::style::{log_tick_label, styled_mesh, tick_label, Look};
use super::{Axes, Frame};
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
    let (plot_area, bar_area) = if colour_bar {
        let (w, _) = area.dim_in_pixel();
        area.split_horizontally(w - look.px(70.0))
    } else {
        let (w, _) = area.dim_in_pixel();
        area.split_horizontally(w)
    };
    let rho_of_row = |j: usize| {
        let row: Vec<f64> = data.cells.iter().filter(|c| c.rotation == data.rotations[j]).map(|c| c.rho_diag).collect();
        row.iter().sum::<f64>() / row.len().max(1) as f64
    };
    let title = match which {
        SweepMap::Ceiling => "ceiling d L_2 / L_inf",
        SweepMap::Predicted => "predicted (guarantees along the runs)",
        SweepMap::Measured => "measured advantage",
    };
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(look.px(8.0))
        .caption(title, look.font(13.0))
        .x_label_area_size(look.px(40.0))
        .y_label_area_size(look.px(92.0))
        .build_cartesian_2d(0f64..nx as f64, 0f64..ny as f64)
        .map_err(err)?;
    let spreads = data.spreads.clone();
    let rotations = data.rotations.clone();
    let x_fmt = move |x: &f64| {
        let i = x.floor() as usize;
        if (x - i as f64 - 0.5).abs() < 1e-6 && i < spreads.len() {
            tick_label((spreads[i] * 100.0).round() / 100.0)
        } else {
            String::new()
        }
    };
    let y_fmt = move |y: &f64| {
        let j = y.floor() as usize;
        if (y - j as f64 - 0.5).abs() < 1e-6 && j < rotations.len() {
            format!("rot {} (rho {:.2})", tick_label(rotations[j]), rho_of_row(j))
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("spread lambda_max / lambda_bar")
        .label_style(look.font(11.0))
        .axis_desc_style(look.font(12.0))
        .x_labels(4 * nx + 1)
        .y_labels(4 * ny + 1)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .axis_style(look.fg().mix(0.6))
        .draw()
        .map_err(err)?;
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
            let style = ("sans-serif", 11.0 * look.scale).into_font().color(&text_colour).pos(
                plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Center,
                    plotters::style::text_anchor::VPos::Center,
                ),
            );
            chart
                .draw_series(std::iter::once(Text::new(format!("{:.2}", v), (x0 + 0.5, y0 + 0.5), style)))
                .map_err(err)?;
        }
    }
    if colour_bar {
        draw_colour_bar(&bar_area, scale, look).map_err(err)?;
    }
    let pixels = chart.plotting_area().get_pixel_range();
    area.present().map_err(err)?;
    Ok(Frame::new(pixels, Axes { x: (0.0, nx as f64), y: (0.0, ny as f64), x_log: false, y_log: false }, look))
}

/// A vertical colour bar: ratios from 2^-scale (GD ahead, blue) to 2^scale (sign GD ahead, red).
fn draw_colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scale: f64,
    look: &Look,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chart = ChartBuilder::on(area)
        .margin_top(look.px(30.0))
        .margin_bottom(look.px(48.0))
        .margin_right(look.px(4.0))
        .y_label_area_size(look.px(40.0))
        .build_cartesian_2d(0f64..1.0, (2f64.powf(-scale)..2f64.powf(scale)).log_scale())?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .label_style(look.font(10.0))
        .y_label_formatter(&|v| log_tick_label(*v))
        .y_labels(7)
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
    let mut chart = ChartBuilder::on(area)
        .margin(look.px(10.0))
        .caption(
            format!(
                "measured against predicted (rho {:.2}, dots) and ceiling (rho {:.2}, rings)",
                data.predicted.spearman, data.ceiling.spearman
            ),
            look.font(13.0),
        )
        .x_label_area_size(look.px(40.0))
        .y_label_area_size(look.px(52.0))
        .build_cartesian_2d((lo..hi).log_scale(), (lo..hi).log_scale())
        .map_err(err)?;
    styled_mesh(&mut chart, look)
        .x_desc("predicted (dots), ceiling d L_2 / L_inf (rings)")
        .y_desc("measured advantage")
        .x_label_formatter(&|v| log_tick_label(*v))
        .y_label_formatter(&|v| log_tick_label(*v))
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
    let pixels = chart.plotting_area().get_pixel_range();
    area.present().map_err(err)?;
    Ok(Frame::new(pixels, Axes { x: (lo, hi), y: (lo, hi), x_log: true, y_log: true }, look))
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
        assert!(out.contains(&format!("rho {:.2}, dots", data.predicted.spearman)));
        // A ring (ceiling) and a dot (prediction) per cell.
        assert_eq!(out.matches("<circle").count(), 2 * data.cells.len());
    }
}
