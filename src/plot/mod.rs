//! Plots drawn with plotters, generic over the backend: the HTML canvas in the browser (see
//! `web.rs`), SVG natively (tests). Each function draws into a drawing area whose size is in
//! device pixels and returns the `Frame` of its plot area in CSS pixels, so that the page can map
//! the pointer to data coordinates for its hover read-out without redrawing.

mod anatomy;
mod axis;
mod bounds;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod colour_vision;
mod geometry2d;
mod input;
mod step_ratio;
mod style;
mod sweep;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod texts;
mod traces;

pub use anatomy::{draw_heat_frame, draw_spectrum, draw_track, heat_rgba, AnatomyInput, HeatSide};
pub use bounds::draw_bounds;
pub use geometry2d::{draw_geometry2d, Geometry2dInput};
pub use input::BoundsInput;
pub use step_ratio::draw_step_ratios;
pub use style::{log_tick_label, tick_label, Look, PALETTE_HEX};
pub use sweep::{draw_sweep_map, draw_sweep_scatter, shared_scale, SweepInput, SweepMap};
pub use traces::{draw_traces, TraceKind};

use axis::Chart;
use plotters::coord::ranged1d::Ranged;
use plotters::prelude::DrawingBackend;
use serde::Serialize;

/// A plot area: its rectangle in CSS pixels and the data ranges it shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Frame {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    pub x_min: f64,
    pub x_max: f64,
    pub y_min: f64,
    pub y_max: f64,
    pub x_log: bool,
    pub y_log: bool,
}

impl Frame {
    /// The frame of `chart`'s plot area: its pixels (backing pixels, converted), the ranges of its
    /// axes and which of them are logarithmic.
    pub(crate) fn of<DB: DrawingBackend>(chart: &Chart<DB>, look: &Look) -> Self {
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let spec = chart.as_coord_spec();
        let (x, y) = (spec.x_spec(), spec.y_spec());
        let (xr, yr) = (x.range(), y.range());
        let s = look.scale;
        Frame {
            left: xs.start as f64 / s,
            right: xs.end as f64 / s,
            top: ys.start as f64 / s,
            bottom: ys.end as f64 / s,
            x_min: xr.start,
            x_max: xr.end,
            y_min: yr.start,
            y_max: yr.end,
            x_log: x.is_log(),
            y_log: y.is_log(),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::texts::svg_text_problems;
    use super::*;
    use crate::experiment::{hessian_anatomy, preset, run_spec, run_sweep, spec_geometry, TraceTable};
    use crate::smoothness::ReportOptions;
    use crate::spec::Spec;

    /// A plot's input read from what the core computed, as the page hands it over.
    fn read<T: serde::de::DeserializeOwned>(v: &impl Serialize) -> T {
        serde_json::from_value(serde_json::to_value(v).unwrap()).unwrap()
    }

    /// Every plot at a desktop size and at a phone's (360 x 240 CSS pixels at 3 device pixels
    /// each) keeps its texts inside the picture and apart, as plotters estimates them (the
    /// browser tests measure them in the canvas).
    #[test]
    fn every_plot_keeps_its_text_at_desktop_and_phone_sizes() {
        let spec = Spec::from_json(r#"{"run": {"steps": 300}}"#).unwrap();
        let traces: TraceTable = read(&run_spec(&spec).unwrap());
        let bounds: BoundsInput = read(&spec_geometry(&spec, &ReportOptions::default(), &mut |_| true).unwrap().report);
        let geo: Geometry2dInput = read(&run_spec(&preset("geometry-2d").unwrap().spec).unwrap());
        let sweep_spec = Spec::from_json(
            r#"{"problem": {"d": 10, "outliers": 1}, "run": {"steps": 2000},
            "sweep": {"spread_min": 1.5, "spread_max": 4, "spread_points": 6, "rotation_points": 3, "problems": 1}}"#,
        )
        .unwrap();
        let sweep: SweepInput = read(&run_sweep(&sweep_spec, &mut |_| true).unwrap());
        let net = Spec::from_json(
            r#"{"problem": {"kind": "network", "dataset": "breast_cancer", "hidden": 3}, "methods": [{"kind": "adam", "lr": 0.01}],
            "run": {"steps": 20, "target": 0}, "analysis": {"step": 20, "track": 4}}"#,
        )
        .unwrap();
        let anatomy: AnatomyInput = read(&hessian_anatomy(&net, &mut |_| true).unwrap());
        let minibatch = Spec::from_json(
            r#"{"problem": {"kind": "network", "dataset": "breast_cancer", "hidden": 3}, "methods": [{"kind": "adam", "lr": 0.01}],
            "run": {"steps": 60, "target": 0, "batch": 16}}"#,
        )
        .unwrap();
        let minibatch: TraceTable = read(&run_spec(&minibatch).unwrap());
        for (size, scale) in [((640, 400), 1.0), ((1080, 720), 3.0)] {
            let look = Look { scale, dark: false };
            let scale_of = shared_scale(&sweep);
            let plots: Vec<(&str, Vec<String>)> = vec![
                ("f", svg_text_problems(size, scale, |a| draw_traces(a, &traces, TraceKind::Suboptimality, &look))),
                ("density", svg_text_problems(size, scale, |a| draw_traces(a, &traces, TraceKind::Density, &look))),
                (
                    "full loss",
                    svg_text_problems(size, scale, |a| draw_traces(a, &minibatch, TraceKind::Suboptimality, &look)),
                ),
                (
                    "minibatch loss",
                    svg_text_problems(size, scale, |a| draw_traces(a, &minibatch, TraceKind::BatchLoss, &look)),
                ),
                ("bounds", svg_text_problems(size, scale, |a| draw_bounds(a, &bounds, &look))),
                ("geo", svg_text_problems(size, scale, |a| draw_geometry2d(a, &geo, 5, &look))),
                (
                    "sweep map",
                    svg_text_problems(size, scale, |a| {
                        draw_sweep_map(a, &sweep, SweepMap::Measured, scale_of, true, &look)
                    }),
                ),
                ("scatter", svg_text_problems(size, scale, |a| draw_sweep_scatter(a, &sweep, &look))),
                ("spectrum", svg_text_problems(size, scale, |a| draw_spectrum(a, &anatomy, &look))),
                ("track", svg_text_problems(size, scale, |a| draw_track(a, &anatomy, &look))),
                ("heat", svg_text_problems(size, scale, |a| draw_heat_frame(a, &anatomy, &look))),
            ];
            for (name, problems) in plots {
                assert!(problems.is_empty(), "{name} at {size:?} x{scale}: {problems:?}");
            }
        }
    }
}
