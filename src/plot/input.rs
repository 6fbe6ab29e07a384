//! What the plots read: the parts of a run result or smoothness report they need, deserialised
//! from the page's JS objects (or from the result itself natively). NaN and infinities arrive
//! as null in JSON and as numbers from JS; both become f64.

use crate::json::nan_as_null;
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct MethodTrace {
    pub label: String,
    #[serde(deserialize_with = "nan_as_null::floats")]
    pub f: Vec<f64>,
    #[serde(deserialize_with = "nan_as_null::floats")]
    pub grad_l2: Vec<f64>,
    #[serde(deserialize_with = "nan_as_null::floats")]
    pub density: Vec<f64>,
    pub status: String,
    pub stopped_at: usize,
}

#[derive(Clone, Debug, Deserialize)]
pub struct TracesInput {
    pub methods: Vec<MethodTrace>,
}

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
