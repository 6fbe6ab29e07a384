//! Plots drawn with plotters, generic over the backend: the HTML canvas in the browser (see
//! `web.rs`), SVG natively (tests). Each function draws into a drawing area whose size is in
//! device pixels and returns the `Frame` of its plot area in CSS pixels, so that the page can map
//! the pointer to data coordinates for its hover read-out without redrawing.

mod anatomy;
mod bounds;
mod geometry2d;
mod input;
mod step_ratio;
mod style;
mod sweep;
mod traces;

pub use anatomy::{draw_heat_frame, draw_spectrum, draw_track, heat_rgba, AnatomyInput, HeatSide};
pub use bounds::draw_bounds;
pub use geometry2d::{draw_geometry2d, Geometry2dInput};
pub use input::BoundsInput;
pub use step_ratio::draw_step_ratios;
pub use style::{log_tick_label, tick_label, Look, PALETTE_HEX};
pub use sweep::{draw_sweep_map, draw_sweep_scatter, shared_scale, SweepInput, SweepMap};
pub use traces::{draw_traces, TraceKind};

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

/// Data ranges of a frame, with whether each axis is logarithmic.
pub(crate) struct Axes {
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub x_log: bool,
    pub y_log: bool,
}

impl Frame {
    /// The frame of a plotting area whose pixel range (backing pixels) is `pixels`.
    pub(crate) fn new(pixels: (std::ops::Range<i32>, std::ops::Range<i32>), axes: Axes, look: &Look) -> Self {
        let (xs, ys) = pixels;
        let s = look.scale;
        Frame {
            left: xs.start as f64 / s,
            right: xs.end as f64 / s,
            top: ys.start as f64 / s,
            bottom: ys.end as f64 / s,
            x_min: axes.x.0,
            x_max: axes.x.1,
            y_min: axes.y.0,
            y_max: axes.y.1,
            x_log: axes.x_log,
            y_log: axes.y_log,
        }
    }
}
