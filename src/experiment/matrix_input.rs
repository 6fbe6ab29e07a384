//! A matrix pasted or read as JSON: `{"matrix": [[...], ...]}` or a bare array of rows.

use crate::linalg::Matrix;
use crate::objective::check_matrix;
use crate::spec::MAX_D;
use serde_json::Value;

/// Parses and checks (square, finite, symmetric to 1e-9 relative, at most MAX_D rows) a matrix;
/// the error says what is wrong and where.
pub fn parse_matrix(text: &str) -> Result<Matrix, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("matrix: not valid JSON: {e}"))?;
    let rows = match &value {
        Value::Array(rows) => rows,
        Value::Object(map) => match map.get("matrix") {
            Some(Value::Array(rows)) => rows,
            Some(_) => return Err("matrix: the \"matrix\" key must hold an array of rows".into()),
            None => return Err("matrix: expected {\"matrix\": [[...], ...]} or an array of rows".into()),
        },
        _ => return Err("matrix: expected {\"matrix\": [[...], ...]} or an array of rows".into()),
    };
    if rows.len() > MAX_D as usize {
        return Err(format!("matrix: {} rows; at most {MAX_D} are allowed", rows.len()));
    }
    let mut parsed = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let Value::Array(entries) = row else { return Err(format!("matrix: row {i} is not an array of numbers")) };
        let mut r = Vec::with_capacity(entries.len());
        for (j, x) in entries.iter().enumerate() {
            r.push(x.as_f64().ok_or_else(|| format!("matrix: entry ({i}, {j}) is not a number: {x}"))?);
        }
        parsed.push(r);
    }
    check_matrix(&parsed, MAX_D as usize).map_err(|e| format!("matrix: {e}"))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn accepts_both_forms_and_names_problems() {
        assert_eq!(parse_matrix("[[2, 1], [1, 2]]").unwrap().get(0, 1), 1.0);
        assert_eq!(parse_matrix(r#"{"matrix": [[1]]}"#).unwrap().n(), 1);
        assert!(parse_matrix("[[1, 2], [3, 4]]").unwrap_err().contains("not symmetric"));
        assert!(parse_matrix("[[1, 2]]").unwrap_err().contains("not square"));
        assert!(parse_matrix(r#"[[1, "a"], [1, 1]]"#).unwrap_err().contains("entry (0, 1)"));
        assert!(parse_matrix("{\"m\": 1}").unwrap_err().contains("expected"));
        assert!(parse_matrix("[[1, 2],").unwrap_err().contains("not valid JSON"));
    }
}
