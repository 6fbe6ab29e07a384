//! Colours, sizes and tick labels shared by the plots.

use super::axis::{Axis, Chart};
use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::element::{DashedPathElement, DynElement, IntoDynElement};
use plotters::prelude::*;

/// Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies; yellow
/// (low contrast on white) comes last.
pub const PALETTE_HEX: [&str; 8] =
    ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];
const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x00, 0x00),
    RGBColor(0xF0, 0xE4, 0x42),
];

/// Device-pixel scale and colour scheme of a drawing.
#[derive(Clone, Copy, Debug)]
pub struct Look {
    /// devicePixelRatio: backing pixels per CSS pixel.
    pub scale: f64,
    pub dark: bool,
}

impl Look {
    /// A length of `css` CSS pixels in backing pixels.
    pub fn px(&self, css: f64) -> u32 {
        (css * self.scale).round().max(1.0) as u32
    }

    /// The family by its variant: plotters reads a family named by text through `to_lowercase`,
    /// whose Unicode tables weighed 10 KB gzipped in each wasm core.
    pub fn font(&self, css: f64) -> TextStyle<'static> {
        (FontFamily::SansSerif, css * self.scale).into_font().color(&self.fg())
    }

    pub fn fg(&self) -> RGBColor {
        if self.dark {
            RGBColor(0xE8, 0xE8, 0xE8)
        } else {
            RGBColor(0x22, 0x22, 0x22)
        }
    }

    pub fn bg(&self) -> RGBColor {
        if self.dark {
            RGBColor(0x1E, 0x1E, 0x1E)
        } else {
            WHITE
        }
    }

    pub fn grid(&self) -> RGBAColor {
        self.fg().mix(0.12)
    }

    pub fn series(&self, i: usize) -> RGBColor {
        let c = PALETTE[i % PALETTE.len()];
        if self.dark && c == RGBColor(0, 0, 0) {
            RGBColor(0xFF, 0xFF, 0xFF)
        } else {
            c
        }
    }

    /// Series i's dash and gap in device pixels, None for solid: lines differ by dash as well as
    /// hue (solid, dashed, dotted, then again), for readers who do not tell the hues apart.
    pub fn dash(&self, i: usize) -> Option<(u32, u32)> {
        match i % 3 {
            0 => None,
            1 => Some((self.px(7.0), self.px(4.0))),
            _ => Some((self.px(2.0), self.px(3.0))),
        }
    }
}

/// A series label's swatch: draws itself at a point (backing pixels of the plot area).
type Swatch<'a, DB> = Box<dyn Fn((i32, i32)) -> DynElement<'a, DB, (i32, i32)> + 'a>;

/// A series label: its text and its swatch, an element drawn at the left end of the swatch
/// column, level with the middle of the text (as plotters' `legend`, but drawn by `draw_legend`).
pub(crate) struct Label<'a, DB: DrawingBackend> {
    text: String,
    swatch: Swatch<'a, DB>,
}

impl<'a, DB: DrawingBackend> Label<'a, DB> {
    pub fn new<E: IntoDynElement<'a, DB, (i32, i32)>>(
        text: impl Into<String>,
        swatch: impl Fn((i32, i32)) -> E + 'a,
    ) -> Self {
        Label { text: text.into(), swatch: Box::new(move |at| swatch(at).into_dyn()) }
    }
}

/// Draws series i's line through `points` in `colour` (solid, dashed or dotted: `Look::dash`);
/// returns its series label `label`, with a swatch drawn the same way.
pub(crate) fn draw_series_line<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart<'a, DB>,
    points: Vec<(f64, f64)>,
    colour: RGBColor,
    i: usize,
    label: String,
    look: &Look,
) -> Result<Label<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let style = colour.stroke_width(look.px(2.0));
    match look.dash(i) {
        None => chart.draw_series(LineSeries::new(points, style))?,
        Some((dash, gap)) => chart.draw_series(DashedLineSeries::new(points, dash, gap, style))?,
    };
    // A solid line is one long dash; the swatch fits the swatch column at every pixel density.
    let (dash, gap) = look.dash(i).unwrap_or((1000, 1));
    let len = look.px(SWATCH) as i32;
    Ok(Label::new(label, move |(x, y)| DashedPathElement::new(vec![(x, y), (x + len, y)], dash, gap, style)))
}

/// The frame of a line or scatter plot: 10 px margins (16 on the right, where the last x tick
/// label overhangs), 38 px for the x ticks and their title, and `y_labels_css` for the y ticks.
pub(crate) fn plot_frame<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, plotters::coord::Shift>,
    look: &Look,
    y_labels_css: f64,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(look.px(10.0))
        .margin_right(look.px(16.0))
        .x_label_area_size(look.px(38.0))
        .y_label_area_size(look.px(y_labels_css));
    builder
}

/// The axes in the plots' shared style: tick labels at 11 px, axis titles at 12 px, a faint
/// grid and grey axes. Callers add titles, formatters and label counts (or override these).
pub(crate) fn styled_mesh<'a, 'b, DB: DrawingBackend>(
    chart: &'b mut Chart<'a, DB>,
    look: &Look,
) -> MeshStyle<'a, 'b, Axis, Axis, DB> {
    let mut mesh = chart.configure_mesh();
    mesh.label_style(look.font(11.0))
        .axis_desc_style(look.font(12.0))
        .light_line_style(look.grid())
        .bold_line_style(look.fg().mix(0.2))
        .axis_style(look.fg().mix(0.6));
    mesh
}

/// Width of the series labels' swatch column, and of a line swatch in it (CSS pixels).
const SWATCH_AREA: f64 = 26.0;
const SWATCH: f64 = 18.0;
/// Inset of the series labels' box from the plot area's corner (plotters' own, backing pixels).
const LEGEND_INSET: i32 = 5;

/// A series label's swatch: a short line in the series' colour and width, within the swatch
/// column at every pixel density.
pub(crate) fn line_swatch(colour: RGBColor, look: &Look) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    let (len, width) = (look.px(SWATCH) as i32, look.px(2.0));
    move |(x, y)| PathElement::new(vec![(x, y), (x + len, y)], colour.stroke_width(width))
}

/// A series label's swatch for a series of points: a dot.
pub(crate) fn dot_swatch(colour: RGBColor, look: &Look) -> impl Fn((i32, i32)) -> Circle<(i32, i32), u32> {
    let (r, at) = (look.px(4.0), look.px(SWATCH / 2.0) as i32);
    move |(x, y)| Circle::new((x + at, y), r, colour.filled())
}

/// The corner of the plot area (`pixels`, backing pixels) where a box of `size` meets the fewest
/// segments of `paths` (polylines in backing pixels, each segment sampled at 9 points): where
/// the series labels hide the least data. Upper right, then upper left, lower right, lower left
/// on a tie.
pub(crate) fn quiet_corner(
    pixels: &(std::ops::Range<i32>, std::ops::Range<i32>),
    size: (i32, i32),
    paths: &[Vec<(i32, i32)>],
) -> SeriesLabelPosition {
    let (xs, ys) = pixels;
    let (right, bottom) = (xs.end - size.0 - LEGEND_INSET, ys.end - size.1 - LEGEND_INSET);
    let (left, top) = (xs.start + LEGEND_INSET, ys.start + LEGEND_INSET);
    let corners = [
        (SeriesLabelPosition::UpperRight, (right, top)),
        (SeriesLabelPosition::UpperLeft, (left, top)),
        (SeriesLabelPosition::LowerRight, (right, bottom)),
        (SeriesLabelPosition::LowerLeft, (left, bottom)),
    ];
    let covered = |(x0, y0): (i32, i32)| {
        let inside = |(x, y): (f64, f64)| {
            x >= x0 as f64 && x <= (x0 + size.0) as f64 && y >= y0 as f64 && y <= (y0 + size.1) as f64
        };
        let segments = paths.iter().flat_map(|p| p.windows(2).map(|s| (s[0], s[1])).chain(p.first().map(|q| (*q, *q))));
        segments
            .filter(|(a, b)| {
                (0..=8).any(|k| {
                    let t = k as f64 / 8.0;
                    inside((a.0 as f64 + t * (b.0 - a.0) as f64, a.1 as f64 + t * (b.1 - a.1) as f64))
                })
            })
            .count()
    };
    corners.into_iter().min_by_key(|(_, at)| covered(*at)).map_or(SeriesLabelPosition::UpperRight, |c| c.0)
}

/// The series labels in the plots' shared style, laid out as plotters lays out its own (lines
/// 1.25 font sizes apart beside the swatch column, margins around) in a translucent box in the
/// corner of `chart` where it covers the fewest of `paths` (data coordinates). Drawn here rather
/// than by plotters, whose series labels measure their texts with the browser's page layout
/// (a layout of the whole page per text); here the backend measures them (the canvas, in wasm).
pub(crate) fn draw_legend<'a, DB: DrawingBackend + 'a>(
    chart: &Chart<'a, DB>,
    area: &DrawingArea<DB, Shift>,
    labels: &[Label<'a, DB>],
    paths: &[Vec<(f64, f64)>],
    look: &Look,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let font = look.font(12.0);
    let sizes = labels.iter().map(|l| area.estimate_text_size(&l.text, &font)).collect::<Result<Vec<_>, _>>()?;
    let line_top = |k: usize| (k as f64 * 1.25 * 12.0 * look.scale).round() as i32;
    let text_w = sizes.iter().map(|s| s.0 as i32).max().unwrap_or(0);
    let text_h = sizes.iter().enumerate().map(|(k, s)| line_top(k) + s.1 as i32).max().unwrap_or(0);
    let (margin, swatches) = (look.px(6.0) as i32, look.px(SWATCH_AREA) as i32);
    let size = (text_w + swatches + 2 * margin, text_h + 2 * margin);
    let pixels: Vec<Vec<(i32, i32)>> =
        paths.iter().map(|p| p.iter().map(|v| chart.backend_coord(v)).collect()).collect();
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let corner = quiet_corner(&(xs.clone(), ys.clone()), size, &pixels);
    // The box's corner within the plot area, LEGEND_INSET from its edges.
    let x = match corner {
        SeriesLabelPosition::UpperLeft | SeriesLabelPosition::LowerLeft => LEGEND_INSET,
        _ => xs.end - xs.start - size.0 - LEGEND_INSET,
    };
    let y = match corner {
        SeriesLabelPosition::UpperLeft | SeriesLabelPosition::UpperRight => LEGEND_INSET,
        _ => ys.end - ys.start - size.1 - LEGEND_INSET,
    };
    let plot = chart.plotting_area().strip_coord_spec();
    let corners = [(x, y), (x + size.0, y + size.1)];
    plot.draw(&Rectangle::new(corners, look.bg().mix(0.85).filled()))?;
    plot.draw(&Rectangle::new(corners, look.fg().mix(0.3)))?;
    for (k, (label, (_, h))) in labels.iter().zip(&sizes).enumerate() {
        let top = y + margin + line_top(k);
        plot.draw(&Text::new(label.text.as_str(), (x + swatches + margin, top), font.clone()))?;
        plot.draw(&(label.swatch)((x + margin, top + *h as i32 / 2)))?;
    }
    Ok(())
}

/// Ticks of a log axis on [lo, hi] with at most `max` of them: 1, 2 and 5 times the powers of
/// ten; only the powers when those are too many (every k-th when still too many); 1 to 9 times
/// them when fewer than two of 1, 2, 5 fall in the range.
pub fn log_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return vec![];
    }
    let (k0, k1) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let within = |mantissas: &[f64]| -> Vec<f64> {
        (k0..=k1)
            .flat_map(|k| mantissas.iter().map(move |m| m * 10f64.powi(k)))
            .filter(|v| *v >= lo * (1.0 - 1e-9) && *v <= hi * (1.0 + 1e-9))
            .collect()
    };
    let max = max.max(2);
    let steps = within(&[1.0, 2.0, 5.0]);
    if steps.len() < 2 {
        return within(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
    }
    if steps.len() <= max {
        return steps;
    }
    let decades = within(&[1.0]);
    let every = decades.len().div_ceil(max);
    decades.into_iter().enumerate().filter(|(i, _)| i % every == 0).map(|(_, v)| v).collect()
}

/// How many tick labels fit along `pixels` backing pixels with labels `font_css` high and a
/// label's height of room between them.
pub(crate) fn label_count(pixels: i32, font_css: f64, look: &Look) -> usize {
    (pixels as f64 / (2.2 * font_css * look.scale)).floor().max(2.0) as usize
}

/// The plots' font at `css` pixels, shrunk (to 8 px at least) until `text` fits in `room` backing
/// pixels: a long caption on a phone keeps all its words.
pub(crate) fn fitted_font<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    css: f64,
    room: u32,
    look: &Look,
) -> TextStyle<'static> {
    let mut size = css;
    while size > 8.0 && widest(area, &[text.to_string()], &look.font(size)) > room {
        size -= 0.5;
    }
    look.font(size)
}

/// The width of the widest of `labels` in `font`, in backing pixels.
pub(crate) fn widest<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, labels: &[String], font: &TextStyle) -> u32 {
    labels.iter().map(|l| area.estimate_text_size(l, font).map_or(0, |s| s.0)).max().unwrap_or(0)
}

/// A linear-axis tick label: plain decimals from 1e-3 to 1e4 (no float noise), otherwise
/// mantissa and exponent with up to three significant digits (2.5e-7, never 9999e-5).
pub fn tick_label(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    if (1e-3..1e4).contains(&v.abs()) {
        let s = format!("{:.3}", (v * 1e3).round() / 1e3);
        return s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    let s = format!("{v:.2e}");
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    format!("{}e{e}", m.trim_end_matches('0').trim_end_matches('.'))
}

/// A log-axis tick label: powers of ten as 1e-5 (1 and 10 plainly), others as `tick_label`.
pub fn log_tick_label(v: f64) -> String {
    if v > 0.0 && v.is_finite() {
        let exp = v.log10().round();
        if (v / 10f64.powf(exp) - 1.0).abs() < 1e-9 {
            return match exp as i32 {
                0 => "1".into(),
                1 => "10".into(),
                e => format!("1e{e}"),
            };
        }
    }
    tick_label(v)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::{log_tick_label, log_ticks, quiet_corner, tick_label};
    use plotters::prelude::SeriesLabelPosition;

    #[test]
    fn log_ticks_label_below_one_and_thin_out_to_fit() {
        // 28 of 36 scatter points lay below 1, where plotters labelled nothing.
        assert_eq!(log_ticks(0.23, 13.0, 10), vec![0.5, 1.0, 2.0, 5.0, 10.0]);
        // Too many of 1, 2, 5: the powers of ten; still too many: every other one.
        assert_eq!(log_ticks(1e-3, 1e3, 6), vec![1e-3, 0.1, 10.0, 1000.0]);
        // Less than one step of 1, 2, 5: 1 to 9 times the power.
        assert_eq!(log_ticks(2.5, 4.5, 10), vec![3.0, 4.0]);
        assert!(log_ticks(0.0, 1.0, 5).is_empty());
    }

    #[test]
    fn the_legend_goes_to_the_corner_with_the_least_data() {
        let plot = (0..200, 0..100);
        // A line rising to the upper right: the legend goes upper left.
        let rising = vec![vec![(0, 99), (100, 50), (199, 0)]];
        assert_eq!(quiet_corner(&plot, (60, 30), &rising), SeriesLabelPosition::UpperLeft);
        // Nothing anywhere: upper right.
        assert_eq!(quiet_corner(&plot, (60, 30), &[]), SeriesLabelPosition::UpperRight);
    }

    #[test]
    fn tick_labels_are_readable() {
        assert_eq!(log_tick_label(1e-5), "1e-5");
        assert_eq!(log_tick_label(0.000099999999999), "1e-4");
        assert_eq!(log_tick_label(1.0), "1");
        assert_eq!(log_tick_label(10.0), "10");
        assert_eq!(log_tick_label(1e3), "1e3");
        assert_eq!(log_tick_label(3e-7), "3e-7");
        assert_eq!(tick_label(100.0), "100");
        assert_eq!(tick_label(250.0), "250");
        assert_eq!(tick_label(2e5), "2e5");
        assert_eq!(tick_label(0.5), "0.5");
        assert_eq!(tick_label(3e-7), "3e-7");
        assert_eq!(tick_label(2.5e-7), "2.5e-7");
        assert_eq!(tick_label(0.125), "0.125");
    }
}
