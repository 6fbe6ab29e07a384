//! What the plots read of a smoothness report, deserialised from the page's JS object (or from
//! the report itself natively). Run results are read as `experiment::TraceTable`.

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct EstimateInput {
    pub value: f64,
    pub method: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct BoundsInput {
    pub d: usize,
    pub l2: f64,
    pub lower_bounds: Vec<EstimateInput>,
    pub upper_bounds: Vec<EstimateInput>,
    pub linf_exact: Option<f64>,
    pub l_sep: Option<f64>,
}
