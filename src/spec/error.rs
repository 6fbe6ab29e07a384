//! The spec's error: which field, what was given, what is allowed.

use serde::Serialize;
use std::fmt;

/// An invalid spec: which field, what was given, what is allowed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpecError {
    pub field: String,
    pub value: String,
    pub allowed: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} is not allowed; {}", self.field, self.value, self.allowed)
    }
}

impl std::error::Error for SpecError {}

impl SpecError {
    pub fn new(field: impl Into<String>, value: impl fmt::Display, allowed: impl Into<String>) -> Self {
        SpecError { field: field.into(), value: value.to_string(), allowed: allowed.into() }
    }
}
