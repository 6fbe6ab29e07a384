//! One axis type for every figure. Plotters compiles its chart code (builder, mesh, series
//! labels, coordinate mapping) once per coordinate type; with a linear axis, a log axis and a log
//! axis with our own ticks in every combination the figures compiled it eight times over, most of
//! the plots' weight in the page's wasm. `Axis` is each of those behind one type, mapping and
//! ticking exactly as plotters' own types do (it hands the work to them).

use super::style::log_ticks;
use plotters::coord::combinators::LogCoord;
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::{Cartesian2d, ChartContext, IntoLogRange};
use std::ops::Range;

/// An axis over f64 values: linear, or logarithmic with plotters' ticks (every power of ten, with
/// lighter lines between) or with `log_ticks` (1, 2, 5 times the powers; no lighter lines).
pub enum Axis {
    Linear(RangedCoordf64),
    Log(LogCoord<f64>),
    LogTicked(LogCoord<f64>),
}

impl Axis {
    pub fn linear(range: Range<f64>) -> Self {
        Axis::Linear(range.into())
    }

    pub fn log(range: Range<f64>) -> Self {
        Axis::Log(range.log_scale().into())
    }

    /// A log axis ticked by `log_ticks`.
    pub fn log_ticked(range: Range<f64>) -> Self {
        Axis::LogTicked(range.log_scale().into())
    }

    pub fn is_log(&self) -> bool {
        !matches!(self, Axis::Linear(_))
    }
}

impl Ranged for Axis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        match self {
            Axis::Linear(a) => a.map(value, limit),
            Axis::Log(a) | Axis::LogTicked(a) => a.map(value, limit),
        }
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        match self {
            Axis::Linear(a) => a.key_points(hint),
            Axis::Log(a) => a.key_points(hint),
            Axis::LogTicked(_) if hint.weight().allow_light_points() => vec![],
            Axis::LogTicked(a) => {
                let r = a.range();
                log_ticks(r.start, r.end, hint.max_num_points())
            }
        }
    }

    fn range(&self) -> Range<f64> {
        match self {
            Axis::Linear(a) => a.range(),
            Axis::Log(a) | Axis::LogTicked(a) => a.range(),
        }
    }
}

/// Every figure names its tick labels; unnamed ones print the value.
impl ValueFormatter<f64> for Axis {
    fn format(value: &f64) -> String {
        format!("{value:?}")
    }
}

/// The one chart type of the figures.
pub type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;
