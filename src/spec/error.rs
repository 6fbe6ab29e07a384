//! The spec's error: which field, what was given, what is allowed (wrapped by the crate's
//! `Error::Spec`, which keeps the parts all the way to the page).

use serde::Serialize;
use std::fmt;

/// An invalid spec: which field, what was given, what is allowed.
#[derive(Clone, Debug, PartialEq, Serialize, thiserror::Error)]
#[error("{field}: {value} is not allowed; {allowed}")]
pub struct SpecError {
    pub field: String,
    pub value: String,
    pub allowed: String,
}

impl SpecError {
    pub fn new(field: impl Into<String>, value: impl fmt::Display, allowed: impl Into<String>) -> Self {
        SpecError { field: field.into(), value: value.to_string(), allowed: allowed.into() }
    }
}
