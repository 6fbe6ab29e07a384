//! The 2-D view of a quadratic: contours of f, the unit balls of l2, l_inf, l1 and l_3 at the
//! current point with each norm's steepest-descent direction, and every method's trajectory up
//! to the current step. Equal scales on both axes, so that circles look round.

use super::axis::Axis;
use super::style::{dot_swatch, draw_legend, styled_mesh, tick_label, Label, Look};
use super::Frame;
use crate::linalg::Matrix;
use crate::norm::Norm;
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct ProblemInput {
    pub hessian: Vec<Vec<f64>>,
    pub x_star: Vec<f64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct PathInput {
    pub label: String,
    pub x: Vec<Vec<f64>>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Geometry2dInput {
    pub problem: ProblemInput,
    pub methods: Vec<PathInput>,
}

const BALLS: [(Norm, &str); 4] =
    [(Norm::L2, "l2"), (Norm::LInf, "l_inf"), (Norm::L1, "l1"), (Norm::Lp { p: 3.0 }, "l_3")];

/// Draws the view at step `step` (clamped to each trajectory's length).
pub fn draw_geometry2d<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &Geometry2dInput,
    step: usize,
    look: &Look,
) -> Result<Frame, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    area.fill(&look.bg()).map_err(err)?;
    if data.problem.hessian.len() != 2 || data.methods.iter().any(|m| m.x.first().is_none_or(|p| p.len() != 2)) {
        return Err("the 2-D view needs a 2-D quadratic".into());
    }
    let h = Matrix::from_rows(&data.problem.hessian);
    let c = &data.problem.x_star;
    // View: every trajectory point and the minimiser, padded, with equal units per pixel.
    let pts: Vec<(f64, f64)> =
        data.methods.iter().flat_map(|m| m.x.iter().map(|p| (p[0], p[1]))).chain([(c[0], c[1])]).collect();
    let (mut x0, mut x1, mut y0, mut y1) =
        pts.iter().fold((f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY), |(a, b, cc, d), p| {
            (a.min(p.0), b.max(p.0), cc.min(p.1), d.max(p.1))
        });
    let span = (x1 - x0).max(y1 - y0).max(1e-9) * 1.3;
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let (w, hgt) = area.dim_in_pixel();
    let aspect = (w as f64 - look.px(60.0) as f64) / (hgt as f64 - look.px(50.0) as f64).max(1.0);
    let (sx, sy) = if aspect >= 1.0 { (span * aspect, span) } else { (span, span / aspect) };
    (x0, x1, y0, y1) = (cx - sx / 2.0, cx + sx / 2.0, cy - sy / 2.0, cy + sy / 2.0);
    let mut chart = ChartBuilder::on(area)
        .margin(look.px(10.0))
        .x_label_area_size(look.px(30.0))
        .y_label_area_size(look.px(44.0))
        .build_cartesian_2d(Axis::linear(x0..x1), Axis::linear(y0..y1))
        .map_err(err)?;
    styled_mesh(&mut chart, look)
        .light_line_style(TRANSPARENT)
        .bold_line_style(look.fg().mix(0.12))
        .x_label_formatter(&|v| tick_label(*v))
        .y_label_formatter(&|v| tick_label(*v))
        .draw()
        .map_err(err)?;
    // Contours: {z : z^T H z / 2 = level}, z(theta) = sqrt(2 level) V diag(1/sqrt(lambda)) (cos, sin).
    let (lam, v) = h.sym_eigen().map_err(|e| e.to_string())?;
    let start = data.methods.first().map(|m| m.x[0].clone()).unwrap_or_else(|| vec![c[0] + 1.0, c[1]]);
    let z0 = [start[0] - c[0], start[1] - c[1]];
    let f0 = 0.5
        * (z0[0] * (h.get(0, 0) * z0[0] + h.get(0, 1) * z0[1]) + z0[1] * (h.get(1, 0) * z0[0] + h.get(1, 1) * z0[1]));
    if lam[0] > 0.0 && f0 > 0.0 {
        for k in 0..10 {
            let level = f0 * libm::pow(0.35, k as f64);
            let ring: Vec<(f64, f64)> = (0..=96)
                .map(|i| {
                    let t = i as f64 / 96.0 * std::f64::consts::TAU;
                    let (a, b) = (
                        libm::cos(t) * f64::sqrt(2.0 * level / lam[0]),
                        libm::sin(t) * f64::sqrt(2.0 * level / lam[1]),
                    );
                    (c[0] + v.get(0, 0) * a + v.get(0, 1) * b, c[1] + v.get(1, 0) * a + v.get(1, 1) * b)
                })
                .collect();
            chart.draw_series(LineSeries::new(ring, look.fg().mix(0.25).stroke_width(look.px(1.0)))).map_err(err)?;
        }
    }
    chart
        .draw_series(std::iter::once(Cross::new((c[0], c[1]), look.px(5.0), look.fg().stroke_width(look.px(2.0)))))
        .map_err(err)?;
    // Where each trajectory is at `step`; the unit balls are drawn at the first one's point.
    let current = data.methods.first().map(|m| {
        let p = &m.x[step.min(m.x.len() - 1)];
        (p[0], p[1])
    });
    // Unit balls and steepest-descent directions -s, under the trajectories.
    let mut drawn: Vec<Vec<(f64, f64)>> = Vec::new();
    if let Some(p) = current {
        let r = 0.12 * (x1 - x0).min(y1 - y0);
        let g = [
            h.get(0, 0) * (p.0 - c[0]) + h.get(0, 1) * (p.1 - c[1]),
            h.get(1, 0) * (p.0 - c[0]) + h.get(1, 1) * (p.1 - c[1]),
        ];
        let font = look.font(11.0);
        // Each name at its direction's tip, moved down past any name already placed there.
        let mut placed: Vec<[i32; 4]> = Vec::new();
        for (k, (norm, name)) in BALLS.iter().enumerate() {
            let colour = look.fg().mix(0.3 + 0.12 * k as f64);
            let ring: Vec<(f64, f64)> = (0..=128)
                .map(|i| {
                    let t = i as f64 / 128.0 * std::f64::consts::TAU;
                    let u = [libm::cos(t), libm::sin(t)];
                    let n = norm.norm(&u);
                    (p.0 + r * u[0] / n, p.1 + r * u[1] / n)
                })
                .collect();
            chart.draw_series(LineSeries::new(ring.clone(), colour.stroke_width(look.px(1.0)))).map_err(err)?;
            let s = norm.direction(&g);
            let tip = (p.0 - r * s[0], p.1 - r * s[1]);
            chart.draw_series(LineSeries::new(vec![p, tip], colour.stroke_width(look.px(1.5)))).map_err(err)?;
            drawn.extend([ring, vec![p, tip]]);
            let (tw, th) = area.estimate_text_size(name, &font).map_err(err)?;
            let (tx, mut ty) = chart.backend_coord(&tip);
            while let Some(b) =
                placed.iter().find(|b| tx < b[2] && tx + tw as i32 > b[0] && ty < b[3] && ty + th as i32 > b[1])
            {
                ty = b[3] + 1;
            }
            placed.push([tx, ty, tx + tw as i32, ty + th as i32]);
            area.draw_text(name, &font, (tx, ty)).map_err(err)?;
        }
    }
    // Trajectories up to `step`, over the balls.
    let mut labels = Vec::new();
    for (i, m) in data.methods.iter().enumerate() {
        let colour = look.series(i);
        let upto = step.min(m.x.len() - 1);
        let path: Vec<(f64, f64)> = m.x[..=upto].iter().map(|p| (p[0], p[1])).collect();
        let last = *path.last().expect("a trajectory has its start");
        chart.draw_series(LineSeries::new(path.clone(), colour.stroke_width(look.px(2.0)))).map_err(err)?;
        chart.draw_series(std::iter::once(Circle::new(last, look.px(4.0), colour.filled()))).map_err(err)?;
        labels.push(Label::new(m.label.clone(), dot_swatch(colour, look)));
        drawn.push(path);
    }
    // The legend goes where it covers the least of the trajectories, balls and directions.
    draw_legend(&chart, area, &labels, &drawn, look).map_err(err)?;
    area.present().map_err(err)?;
    Ok(Frame::of(&chart, look))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::experiment::{preset, run_spec};

    #[test]
    fn draws_contours_balls_directions_and_paths() {
        let r = run_spec(&preset("geometry-2d").unwrap().spec).unwrap();
        let data: Geometry2dInput = serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
        let mut out = String::new();
        let frame = {
            let root = SVGBackend::with_string(&mut out, (600, 600)).into_drawing_area();
            draw_geometry2d(&root, &data, 5, &Look { scale: 1.0, dark: false }).unwrap()
        };
        for name in ["l2", "l_inf", "l1", "l_3", "GD (1/L)", "sign GD"] {
            assert!(out.contains(name), "missing {name}");
        }
        // Equal units per pixel on both axes.
        let ux = (frame.x_max - frame.x_min) / (frame.right - frame.left);
        let uy = (frame.y_max - frame.y_min) / (frame.bottom - frame.top);
        assert!((ux / uy - 1.0).abs() < 0.05, "{ux} vs {uy}");
        // The start point and the minimiser are in view.
        assert!(frame.x_min < 0.0 && frame.x_max > 2.0 && frame.y_min < 0.0 && frame.y_max > 1.5);
    }
}
