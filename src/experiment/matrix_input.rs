//! A matrix pasted or read as JSON: `{"matrix": [[...], ...]}` or a bare array of rows.

use crate::linalg::Matrix;
use crate::objective::check_matrix;
use crate::spec::MAX_D;
use crate::Error;
use serde_json::Value;

/// Parses and checks (square, finite, symmetric to 1e-9 relative, at most MAX_D rows) a matrix;
/// the error says what is wrong and where.
pub fn parse_matrix(text: &str) -> Result<Matrix, Error> {
    let value: Value = serde_json::from_str(text).map_err(|e| input(format!("not valid JSON: {e}")))?;
    let rows = match &value {
        Value::Array(rows) => rows,
        Value::Object(map) => match map.get("matrix") {
            Some(Value::Array(rows)) => rows,
            Some(_) => return Err(input("the \"matrix\" key must hold an array of rows")),
            None => return Err(input(EXPECTED)),
        },
        _ => return Err(input(EXPECTED)),
    };
    if rows.len() > MAX_D as usize {
        return Err(input(format!("{} rows; at most {MAX_D} are allowed", rows.len())));
    }
    let mut parsed = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let Value::Array(entries) = row else { return Err(input(format!("row {i} is not an array of numbers"))) };
        let mut r = Vec::with_capacity(entries.len());
        for (j, x) in entries.iter().enumerate() {
            r.push(x.as_f64().ok_or_else(|| input(format!("entry ({i}, {j}) is not a number: {x}")))?);
        }
        parsed.push(r);
    }
    Ok(check_matrix(&parsed, MAX_D as usize)?)
}

const EXPECTED: &str = "expected {\"matrix\": [[...], ...]} or an array of rows";

fn input(why: impl Into<String>) -> Error {
    Error::MatrixInput(why.into())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn accepts_both_forms_and_names_problems() {
        assert_eq!(parse_matrix("[[2, 1], [1, 2]]").unwrap().get(0, 1), 1.0);
        assert_eq!(parse_matrix(r#"{"matrix": [[1]]}"#).unwrap().n(), 1);
        assert!(parse_matrix("[[1, 2], [3, 4]]").unwrap_err().to_string().contains("not symmetric"));
        assert!(parse_matrix("[[1, 2]]").unwrap_err().to_string().contains("not square"));
        assert!(parse_matrix(r#"[[1, "a"], [1, 1]]"#).unwrap_err().to_string().contains("entry (0, 1)"));
        assert!(parse_matrix("{\"m\": 1}").unwrap_err().to_string().contains("expected"));
        assert!(parse_matrix("[[1, 2],").unwrap_err().to_string().contains("not valid JSON"));
    }
}
