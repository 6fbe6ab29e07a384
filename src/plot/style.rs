//! Colours, sizes and tick labels shared by the plots.

use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::element::DashedPathElement;
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

    pub fn font(&self, css: f64) -> TextStyle<'static> {
        ("sans-serif", css * self.scale).into_font().color(&self.fg())
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

/// Draws series i's line through `points` (solid, dashed or dotted: `Look::dash`) with a legend
/// entry `label` drawn the same way.
pub(crate) fn draw_series_line<'a, DB: DrawingBackend + 'a, CT: CoordTranslate<From = (f64, f64)>>(
    chart: &mut ChartContext<'a, DB, CT>,
    points: Vec<(f64, f64)>,
    i: usize,
    label: String,
    look: &Look,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let style = look.series(i).stroke_width(look.px(2.0));
    let anno = match look.dash(i) {
        None => chart.draw_series(LineSeries::new(points, style))?,
        Some((dash, gap)) => chart.draw_series(DashedLineSeries::new(points, dash, gap, style))?,
    };
    // A solid line is one long dash.
    let (dash, gap) = look.dash(i).unwrap_or((1000, 1));
    let len = look.px(20.0) as i32;
    anno.label(label).legend(move |(x, y)| DashedPathElement::new(vec![(x, y), (x + len, y)], dash, gap, style));
    Ok(())
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
pub(crate) fn styled_mesh<'a, 'b, X, Y, XT, YT, DB>(
    chart: &'b mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    look: &Look,
) -> MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    DB: DrawingBackend,
{
    let mut mesh = chart.configure_mesh();
    mesh.label_style(look.font(11.0))
        .axis_desc_style(look.font(12.0))
        .light_line_style(look.grid())
        .bold_line_style(look.fg().mix(0.2))
        .axis_style(look.fg().mix(0.6));
    mesh
}

/// The series labels in the plots' shared style: a translucent box in `position`.
pub(crate) fn draw_legend<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
    look: &Look,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(look.bg().mix(0.85))
        .border_style(look.fg().mix(0.3))
        .label_font(look.font(12.0))
        .margin(look.px(6.0))
        .draw()
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
    use super::{log_tick_label, tick_label};

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
