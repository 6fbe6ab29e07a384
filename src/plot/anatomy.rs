//! Pictures of the Hessian analysis: the eigenvalue histogram (log counts, so single outliers
//! show beside a bulk of hundreds), and the |H_ij| heat maps of the Hessian and of its
//! same-spectrum rotation on one log colour scale. The heat map's cells are an RGBA image painted
//! by the caller (one image, not thousands of rectangles); this module draws its axes, block
//! labels and colour bar, and computes the image.

use super::axis::Axis;
use super::style::{
    draw_legend, draw_series_line, label_count, line_swatch, log_tick_label, plot_frame, styled_mesh, tick_label,
    Label, Look,
};
use super::Frame;
use plotters::coord::Shift;
use plotters::prelude::*;
use serde::Deserialize;

/// Decades of |H_ij| the colour scale spans below the largest entry.
pub const DECADES: f64 = 6.0;

#[derive(Clone, Debug, Deserialize)]
pub struct HistogramInput {
    pub lo: f64,
    pub hi: f64,
    pub counts: Vec<f64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct HeatInput {
    pub size: usize,
    pub cells: Vec<f64>,
    pub starts: Vec<usize>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SideInput {
    pub heat: HeatInput,
}

#[derive(Clone, Debug, Deserialize)]
pub struct BlockInput {
    pub name: String,
    pub start: usize,
    pub len: usize,
}

#[derive(Clone, Debug, Deserialize)]
pub struct TrackInput {
    pub step: usize,
    pub top: Vec<f64>,
}

/// The fields of a `HessianAnatomy` the pictures need.
#[derive(Clone, Debug, Deserialize)]
pub struct AnatomyInput {
    pub d: usize,
    pub lambda_bar: f64,
    pub histogram: HistogramInput,
    pub blocks: Vec<BlockInput>,
    #[serde(default)]
    pub track: Vec<TrackInput>,
    /// None when the Hessian was never formed (Lanczos estimates only).
    pub hessian: Option<SideInput>,
    pub rotated: Option<SideInput>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeatSide {
    Hessian,
    Rotated,
}

impl AnatomyInput {
    pub fn heat(&self, side: HeatSide) -> Option<&HeatInput> {
        match side {
            HeatSide::Hessian => self.hessian.as_ref(),
            HeatSide::Rotated => self.rotated.as_ref(),
        }
        .map(|s| &s.heat)
    }

    /// The top of the shared colour scale: the largest |H_ij| of either matrix.
    fn heat_max(&self) -> f64 {
        [HeatSide::Hessian, HeatSide::Rotated]
            .iter()
            .filter_map(|s| self.heat(*s))
            .flat_map(|h| &h.cells)
            .fold(0.0, |m, v| m.max(*v))
    }
}

/// Viridis (matplotlib's perceptually uniform map) through five of its stops, t in [0, 1].
fn viridis(t: f64) -> [u8; 3] {
    const STOPS: [[f64; 3]; 5] =
        [[68.0, 1.0, 84.0], [59.0, 82.0, 139.0], [33.0, 145.0, 140.0], [94.0, 201.0, 98.0], [253.0, 231.0, 37.0]];
    let x = t.clamp(0.0, 1.0) * 4.0;
    let k = (x.floor() as usize).min(3);
    let f = x - k as f64;
    let mix = |c: usize| (STOPS[k][c] + (STOPS[k + 1][c] - STOPS[k][c]) * f).round() as u8;
    [mix(0), mix(1), mix(2)]
}

/// Position of |v| on the shared log scale: 0 at max / 10^DECADES, 1 at max.
fn scale_position(v: f64, max: f64) -> Option<f64> {
    (v > 0.0 && max > 0.0).then(|| 1.0 + (v / max).log10() / DECADES)
}

/// The heat map's cells as RGBA, row-major from the top-left (row 0 of H at the top); exact
/// zeros take the background colour. Empty when the matrix was not formed.
pub fn heat_rgba(data: &AnatomyInput, side: HeatSide, look: &Look) -> Vec<u8> {
    let max = data.heat_max();
    let bg = look.bg();
    let Some(heat) = data.heat(side) else { return vec![] };
    heat.cells
        .iter()
        .flat_map(|v| match scale_position(*v, max) {
            Some(t) => {
                let [r, g, b] = viridis(t);
                [r, g, b, 255]
            }
            None => [bg.0, bg.1, bg.2, 255],
        })
        .collect()
}

/// The eigenvalue histogram; returns the frame (x: eigenvalue, y: count on a log axis).
pub fn draw_spectrum<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &AnatomyInput,
    look: &Look,
) -> Result<Frame, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    area.fill(&look.bg()).map_err(err)?;
    let h = &data.histogram;
    let bins = h.counts.len().max(1);
    let pad = ((h.hi - h.lo) * 0.02).max(1e-12);
    let (x0, x1) = (h.lo - pad, h.hi + pad);
    let top = h.counts.iter().copied().fold(1.0, f64::max);
    let (y0, y1) = (0.7, top * 1.6);
    let mut chart =
        plot_frame(area, look, 48.0).build_cartesian_2d(Axis::linear(x0..x1), Axis::log_ticked(y0..y1)).map_err(err)?;
    styled_mesh(&mut chart, look)
        .x_desc("eigenvalue")
        .y_desc("count (log)")
        .x_label_formatter(&|v| tick_label(*v))
        .y_label_formatter(&|v| log_tick_label(*v))
        .x_labels(6)
        .y_labels(label_count(area.dim_in_pixel().1 as i32 - look.px(58.0) as i32, 11.0, look))
        .draw()
        .map_err(err)?;
    let width = (h.hi - h.lo) / bins as f64;
    let bar = look.series(0);
    chart
        .draw_series(h.counts.iter().enumerate().filter(|(_, c)| **c > 0.0).map(|(k, c)| {
            let a = h.lo + k as f64 * width;
            // A spectrum of one value has zero width: give its bar the padding's width.
            let b = if width > 0.0 { a + width } else { a + pad };
            Rectangle::new([(a, 0.7), (b, c.max(0.7))], bar.mix(0.85).filled())
        }))
        .map_err(err)?;
    let mean = look.series(1);
    let mean_line = vec![(data.lambda_bar, y0), (data.lambda_bar, y1)];
    let label = format!("mean eigenvalue λ̄ = {}", tick_label(data.lambda_bar));
    chart
        .draw_series(std::iter::once(PathElement::new(mean_line.clone(), mean.stroke_width(look.px(2.0)))))
        .map_err(err)?;
    // The legend avoids the bars (each a line from the axis to its count) and the mean.
    let bars = h.counts.iter().enumerate().filter(|(_, c)| **c > 0.0).map(|(k, c)| {
        let mid = h.lo + (k as f64 + 0.5) * width;
        vec![(mid, y0), (mid, c.max(y0))]
    });
    let paths: Vec<Vec<(f64, f64)>> = bars.chain([mean_line]).collect();
    draw_legend(&chart, area, &[Label::new(label, line_swatch(mean, look))], &paths, look).map_err(err)?;
    area.present().map_err(err)?;
    Ok(Frame::of(&chart, look))
}

/// The palette colour of the track's rank k: the palette without its green, which under
/// deuteranopia comes within CIEDE2000 16 of the purple and 21 of the vermillion beside it; without
/// it, ranks that look alike differ by dash (tested in `colour_vision`). The page's hover read-out
/// (www/figures.js) colours the ranks the same way.
pub(crate) fn track_series(k: usize) -> usize {
    if k < 2 {
        k
    } else {
        k + 1
    }
}

/// The largest eigenvalues along the run: one line per rank (largest, second, ...), the
/// checkpoint last. Returns the frame (x: step, y: eigenvalue).
pub fn draw_track<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &AnatomyInput,
    look: &Look,
) -> Result<Frame, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    area.fill(&look.bg()).map_err(err)?;
    let t = &data.track;
    let x1 = t.last().map_or(1.0, |p| p.step.max(1) as f64);
    let values = t.iter().flat_map(|p| &p.top).copied();
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    let (lo, hi) = if lo.is_finite() { (lo.min(0.0), hi.max(lo + 1e-12) * 1.08) } else { (0.0, 1.0) };
    let mut chart =
        plot_frame(area, look, 52.0).build_cartesian_2d(Axis::linear(0f64..x1), Axis::linear(lo..hi)).map_err(err)?;
    styled_mesh(&mut chart, look)
        .x_desc("step")
        .y_desc("eigenvalue")
        .x_label_formatter(&|v| format!("{}", v.round()))
        .y_label_formatter(&|v| tick_label(*v))
        .draw()
        .map_err(err)?;
    let ranks = t.iter().map(|p| p.top.len()).max().unwrap_or(0);
    let (mut labels, mut paths) = (Vec::new(), Vec::new());
    for k in 0..ranks {
        let colour = look.series(track_series(k));
        let points: Vec<(f64, f64)> = t.iter().filter_map(|p| p.top.get(k).map(|v| (p.step as f64, *v))).collect();
        let name = match k {
            0 => "largest".to_string(),
            1 => "2nd".to_string(),
            2 => "3rd".to_string(),
            k => format!("{}th", k + 1),
        };
        labels.push(draw_series_line(&mut chart, points.clone(), colour, k, name, look).map_err(err)?);
        chart.draw_series(points.iter().map(|p| Circle::new(*p, look.px(3.0), colour.filled()))).map_err(err)?;
        paths.push(points);
    }
    draw_legend(&chart, area, &labels, &paths, look).map_err(err)?;
    area.present().map_err(err)?;
    Ok(Frame::of(&chart, look))
}

/// The heat map's axes (parameter index, row 0 at the top), with each block's name at its middle
/// on the left and a colour bar on the right. The plot area is left for the caller's image; the
/// frame's y runs from d (bottom) to 0 (top).
pub fn draw_heat_frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &AnatomyInput,
    look: &Look,
) -> Result<Frame, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    area.fill(&look.bg()).map_err(err)?;
    let (w, h) = area.dim_in_pixel();
    // Square plot area: whatever the box, the matrix is not stretched.
    let bar_w = look.px(84.0);
    let left = look.px(if data.blocks.is_empty() { 48.0 } else { 96.0 });
    let bottom = look.px(34.0);
    let margin = look.px(10.0);
    let side_px =
        (w.saturating_sub(bar_w + left + 2 * margin)).min(h.saturating_sub(bottom + 2 * margin)).max(look.px(40.0));
    let (plot_column, rest) = area.split_horizontally(left + side_px + 2 * margin);
    let (plot_box, _) = plot_column.split_vertically(bottom + side_px + 2 * margin);
    let (bar_column, _) = rest.split_horizontally(bar_w);
    let (bar_area, _) = bar_column.split_vertically(bottom + side_px + 2 * margin);
    let d = data.d as f64;
    let mut chart = ChartBuilder::on(&plot_box)
        .margin(margin)
        .x_label_area_size(bottom)
        .y_label_area_size(left)
        .build_cartesian_2d(Axis::linear(0f64..d), Axis::linear(d..0f64))
        .map_err(err)?;
    let mut mesh = chart.configure_mesh();
    mesh.disable_mesh()
        .x_desc("parameter index")
        .label_style(look.font(11.0))
        .axis_desc_style(look.font(12.0))
        .x_labels(5)
        .y_labels(5)
        .axis_style(look.fg().mix(0.6))
        .x_label_formatter(&|v| format!("{}", v.round()))
        .y_label_formatter(&|v| format!("{}", v.round()));
    if !data.blocks.is_empty() {
        mesh.disable_y_axis();
    }
    mesh.draw().map_err(err)?;
    // Block names at the middle of each block, left of the picture.
    let style = look.font(11.0).pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Right,
        plotters::style::text_anchor::VPos::Center,
    ));
    for b in &data.blocks {
        let (x, y) = chart.backend_coord(&(0.0, b.start as f64 + b.len as f64 / 2.0));
        let name = b.name.split(':').next().unwrap_or("");
        plot_box.draw_text(name, &style, (x - look.px(6.0) as i32, y)).map_err(err)?;
    }
    let frame = Frame::of(&chart, look);
    draw_colour_bar(&bar_area, data.heat_max(), look).map_err(err)?;
    area.present().map_err(err)?;
    Ok(frame)
}

/// The shared colour scale of |H_ij|, from max / 10^DECADES to max.
fn draw_colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    max: f64,
    look: &Look,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    if max <= 0.0 {
        return Ok(());
    }
    let lo = max / 10f64.powf(DECADES);
    // Labels right of the bar, where nothing else is drawn, and the title beyond them.
    let (top, bottom) = (look.px(10.0), look.px(44.0));
    let height = area.dim_in_pixel().1 as i32 - (top + bottom) as i32;
    let mut chart = ChartBuilder::on(area)
        .margin_top(top)
        .margin_bottom(bottom)
        .margin_left(look.px(8.0))
        .right_y_label_area_size(look.px(58.0))
        .build_cartesian_2d(Axis::linear(0f64..1.0), Axis::log_ticked(lo..max))?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .label_style(look.font(10.0))
        .y_desc("|H_ij|")
        .axis_desc_style(look.font(11.0))
        .y_label_formatter(&|v| log_tick_label(*v))
        .y_labels(label_count(height, 10.0, look))
        .draw()?;
    let steps = 48;
    chart.draw_series((0..steps).map(|k| {
        let (a, b) = (k as f64 / steps as f64, (k + 1) as f64 / steps as f64);
        let [r, g, bl] = viridis((a + b) / 2.0);
        let v = |t: f64| lo * 10f64.powf(t * DECADES);
        Rectangle::new([(0.0, v(a)), (1.0, v(b))], RGBColor(r, g, bl).filled())
    }))?;
    Ok(())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use plotters::prelude::SVGBackend;

    fn input() -> AnatomyInput {
        let heat = |cells: Vec<f64>| SideInput { heat: HeatInput { size: 2, cells, starts: vec![0, 2, 4] } };
        AnatomyInput {
            d: 4,
            lambda_bar: 1.5,
            histogram: HistogramInput { lo: 0.0, hi: 3.0, counts: vec![2.0, 0.0, 2.0] },
            blocks: vec![
                BlockInput { name: "layer 1: 2 → 1".into(), start: 0, len: 3 },
                BlockInput { name: "layer 2: 1 → 1".into(), start: 3, len: 1 },
            ],
            track: vec![TrackInput { step: 0, top: vec![3.0, 1.0] }, TrackInput { step: 10, top: vec![5.0, 2.0] }],
            hessian: Some(heat(vec![2.0, 0.0, 0.0, 2e-3])),
            rotated: Some(heat(vec![1.0, 1.0, 1.0, 1.0])),
        }
    }

    #[test]
    fn the_colour_scale_is_shared_and_logarithmic() {
        let data = input();
        let look = Look { scale: 1.0, dark: false };
        let img = heat_rgba(&data, HeatSide::Hessian, &look);
        assert_eq!(img.len(), 4 * 4);
        // The largest entry (2, in either matrix) is the top colour; zeros are the background;
        // 2e-3 is three of the six decades down, the middle stop.
        assert_eq!(img[..3], viridis(1.0));
        assert_eq!(img[4..7], [255, 255, 255]);
        assert_eq!(img[12..15], viridis(0.5));
        let rot = heat_rgba(&data, HeatSide::Rotated, &look);
        assert_eq!(rot[..3], viridis(1.0 + (0.5f64).log10() / DECADES));
    }

    #[test]
    fn histogram_and_heat_frame_draw_with_their_labels() {
        let data = input();
        let look = Look { scale: 1.0, dark: false };
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (480, 300)).into_drawing_area();
            let f = draw_spectrum(&area, &data, &look).unwrap();
            assert!(f.y_log && f.x_min < 0.0 && f.x_max > 3.0);
        }
        assert!(svg.contains("mean eigenvalue"));
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (480, 400)).into_drawing_area();
            let f = draw_heat_frame(&area, &data, &look).unwrap();
            // Square: the matrix is not stretched.
            assert!(((f.right - f.left) - (f.bottom - f.top)).abs() <= 1.0, "{f:?}");
            assert_eq!((f.y_min, f.y_max), (4.0, 0.0));
        }
        assert!(svg.contains("layer 1") && svg.contains("layer 2"));
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (480, 300)).into_drawing_area();
            let f = draw_track(&area, &data, &look).unwrap();
            assert_eq!((f.x_min, f.x_max), (0.0, 10.0));
            assert!(f.y_min <= 0.0 && f.y_max >= 5.0);
        }
        assert!(svg.contains("largest") && svg.contains("2nd"));
    }
}
