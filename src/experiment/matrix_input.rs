//! A matrix pasted, typed or read from a file, in any of the forms people write one:
//! - JSON: `{"matrix": [[...], ...]}` or a bare array of rows `[[2, 1], [1, 2]]`;
//! - text: rows separated by newlines or `;`, numbers by spaces, commas or tabs (`2 1; 1 2`, CSV);
//! - a file's bytes: NumPy's `.npy` (`npy`), or any of the text forms.
//!
//! Numbers are read by Rust's own correctly rounded `str::parse::<f64>`, the same code natively
//! and in wasm and the same value JavaScript's `Number` and `JSON.parse` give, so a matrix means the
//! same numbers in the CLI and in the page. Errors name the row and the column.

use super::npy::{npy_rows, NPY_MAGIC};
use crate::linalg::Matrix;
use crate::objective::check_matrix;
use crate::spec::MAX_D;
use crate::Error;

/// Parses and checks (square, finite, symmetric to 1e-9 relative, at most MAX_D rows) a matrix;
/// the error says what is wrong and where.
pub fn parse_matrix(text: &str) -> Result<Matrix, Error> {
    Ok(check_matrix(&parse_rows(text)?, MAX_D as usize)?)
}

/// Reads and checks (as `parse_matrix`) the matrix in a file's bytes (`matrix_file_rows`).
pub fn read_matrix_file(bytes: &[u8]) -> Result<Matrix, Error> {
    Ok(check_matrix(&matrix_file_rows(bytes)?, MAX_D as usize)?)
}

/// The rows of a matrix in a file's bytes: an `.npy` file (recognised by its magic), else text in
/// one of the forms `parse_rows` reads.
pub fn matrix_file_rows(bytes: &[u8]) -> Result<Vec<Vec<f64>>, Error> {
    if bytes.starts_with(NPY_MAGIC) {
        return npy_rows(bytes);
    }
    parse_rows(std::str::from_utf8(bytes).map_err(|_| input("the file is neither text nor an .npy file"))?)
}

/// The rows of a matrix in one of the accepted forms, before any check of shape or values.
pub fn parse_rows(text: &str) -> Result<Vec<Vec<f64>>, Error> {
    let t = text.trim();
    Ok(match t.chars().next() {
        None => return Err(input("empty: expected rows of numbers")),
        Some('{') => json_rows(unwrap_matrix_key(t)?)?,
        Some('[') => json_rows(t)?,
        Some(_) => text_rows(t)?,
    })
}

const EXPECTED: &str = "expected {\"matrix\": [[...], ...]}, an array of rows, or rows of numbers";

pub(super) fn input(why: impl Into<String>) -> Error {
    Error::MatrixInput(why.into())
}

/// Refuses row i or column j past MAX_D as it is read, before it takes memory: a file of one
/// endless row stops at its 2001st number.
fn within_limit(i: usize, j: usize) -> Result<(), Error> {
    match (i, j) {
        (i, _) if i >= MAX_D as usize => Err(input(format!("more than {MAX_D} rows; at most {MAX_D} are allowed"))),
        (i, j) if j >= MAX_D as usize => {
            Err(input(format!("row {i}: more than {MAX_D} numbers; at most {MAX_D} are allowed")))
        }
        _ => Ok(()),
    }
}

/// One number, named by its position when it is not one (a JSON `null`, a word, `1,5`).
fn number(token: &str, i: usize, j: usize) -> Result<f64, Error> {
    token.parse::<f64>().map_err(|_| input(format!("row {i}, column {j}: {token:?} is not a number")))
}

/// Rows separated by newlines or ';', numbers by spaces, commas or tabs; blank rows are skipped.
fn text_rows(t: &str) -> Result<Vec<Vec<f64>>, Error> {
    t.split(['\n', ';'])
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .enumerate()
        .map(|(i, r)| {
            within_limit(i, 0)?;
            r.split([' ', ',', '\t', '\r'])
                .filter(|x| !x.is_empty())
                .enumerate()
                .map(|(j, x)| within_limit(i, j).and_then(|()| number(x, i, j)))
                .collect()
        })
        .collect()
}

/// `{"matrix": X}` -> X (the only key allowed).
fn unwrap_matrix_key(t: &str) -> Result<&str, Error> {
    let inner = t.strip_prefix('{').and_then(|s| s.strip_suffix('}')).ok_or_else(|| input(EXPECTED))?.trim();
    let rest = inner.strip_prefix("\"matrix\"").ok_or_else(|| input(EXPECTED))?.trim_start();
    rest.strip_prefix(':').map(str::trim).ok_or_else(|| input(EXPECTED))
}

/// A JSON array of arrays of numbers, read token by token: brackets, commas and number tokens.
fn json_rows(t: &str) -> Result<Vec<Vec<f64>>, Error> {
    let malformed = |why: &str| input(format!("not valid JSON: {why}"));
    let mut rows: Vec<Vec<f64>> = Vec::new();
    let mut depth = 0usize;
    // Whether the next item of the current array may start (after '[' or ',').
    let mut expect_item = false;
    let mut closed = false;
    let mut chars = t.char_indices().peekable();
    while let Some((k, c)) = chars.next() {
        if closed && !c.is_whitespace() {
            return Err(malformed("text after the matrix"));
        }
        match c {
            c if c.is_whitespace() => {}
            '[' => {
                if depth == 1 && !expect_item {
                    return Err(malformed("a comma is missing between rows"));
                }
                depth += 1;
                if depth > 2 {
                    return Err(input(format!("row {} is not an array of numbers", rows.len().saturating_sub(1))));
                }
                if depth == 2 {
                    within_limit(rows.len(), 0)?;
                    rows.push(Vec::new());
                }
                expect_item = true;
            }
            ']' => {
                if depth == 0 {
                    return Err(malformed("an unopened ']'"));
                }
                let row = rows.last().map_or(0, Vec::len);
                let empty = if depth == 2 { row == 0 } else { rows.is_empty() };
                if expect_item && !empty {
                    return Err(malformed("a trailing comma"));
                }
                depth -= 1;
                closed = depth == 0;
                expect_item = false;
            }
            ',' => {
                if expect_item || depth == 0 {
                    return Err(malformed("a comma without an item before it"));
                }
                expect_item = true;
            }
            _ => {
                let end = t[k..]
                    .find(|c: char| c == ',' || c == ']' || c == '[' || c.is_whitespace())
                    .map_or(t.len(), |e| k + e);
                let token = &t[k..end];
                while chars.peek().is_some_and(|(i, _)| *i < end) {
                    chars.next();
                }
                let i = rows.len().saturating_sub(1);
                if depth != 2 {
                    return Err(input(format!("row {} is not an array of numbers", rows.len())));
                }
                if !expect_item {
                    return Err(malformed("a comma is missing between numbers"));
                }
                let row = rows.last_mut().expect("depth 2 is inside a row");
                within_limit(i, row.len())?;
                row.push(number(token, i, row.len())?);
                expect_item = false;
            }
        }
    }
    if !closed {
        return Err(malformed("the matrix is not closed with ']'"));
    }
    Ok(rows)
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
        assert!(parse_matrix(r#"[[1, "a"], [1, 1]]"#).unwrap_err().to_string().contains("row 0, column 1"));
        assert!(parse_matrix("{\"m\": 1}").unwrap_err().to_string().contains("expected"));
        assert!(parse_matrix("[[1, 2],").unwrap_err().to_string().contains("not valid JSON"));
    }

    /// An endless row or an endless list of rows stops at the first number past the limit, in
    /// every form, with the row named.
    #[test]
    fn input_past_the_size_limit_is_refused_as_it_is_read() {
        let n = MAX_D as usize + 1;
        let one_row = format!("[[{}0]]", "0,".repeat(n));
        let rows = format!("[{}[0]]", "[0],".repeat(n));
        let text_row = "0 ".repeat(n);
        let text_rows = "0\n".repeat(n);
        for (text, says) in [
            (&one_row, "row 0: more than 2000 numbers"),
            (&rows, "more than 2000 rows"),
            (&text_row, "row 0: more"),
            (&text_rows, "more than 2000 rows"),
        ] {
            assert!(parse_rows(text).unwrap_err().to_string().contains(says), "{says}");
        }
        assert_eq!(parse_rows(&format!("[[{}0]]", "0,".repeat(n - 2))).unwrap()[0].len(), n - 1);
    }

    #[test]
    fn text_rows_take_newlines_semicolons_spaces_commas_and_tabs() {
        let want = vec![vec![2.0, -1.0], vec![-1.0, 2.0]];
        for text in ["2 -1\n-1 2", "2,-1;-1,2", "2\t-1\r\n-1\t2\n", " 2, -1 ;\n\n -1 ,2 "] {
            assert_eq!(parse_rows(text).unwrap(), want, "{text:?}");
        }
        let e = parse_rows("1 2\n3 x").unwrap_err().to_string();
        assert!(e.contains("row 1, column 1") && e.contains("\"x\""), "{e}");
    }

    #[test]
    fn json_forms_read_like_json_parse() {
        assert_eq!(parse_rows("[[1e-3, 2.5E2], [-0.0, 3]]").unwrap(), vec![vec![1e-3, 250.0], vec![-0.0, 3.0]]);
        assert_eq!(parse_rows(" { \"matrix\" : [ [ 1 ] ] } ").unwrap(), vec![vec![1.0]]);
        assert_eq!(parse_rows("[]").unwrap(), Vec::<Vec<f64>>::new());
        for (bad, why) in [
            ("[[1, 2] [3, 4]]", "comma is missing between rows"),
            ("[[1 2]]", "comma is missing between numbers"),
            ("[[1, 2,]]", "trailing comma"),
            ("[[1], [2]] x", "text after"),
            ("[[[1]]]", "not an array of numbers"),
            ("[1, 2]", "row 0 is not an array of numbers"),
            ("[[1, null]]", "row 0, column 1"),
        ] {
            let e = parse_rows(bad).unwrap_err().to_string();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn files_are_npy_by_their_magic_and_text_otherwise() {
        assert_eq!(matrix_file_rows(b"2,1\n1,2\n").unwrap(), vec![vec![2.0, 1.0], vec![1.0, 2.0]]);
        assert!(matrix_file_rows(b"\x93NUMPY\x09\x00").unwrap_err().to_string().contains("version 9"));
        assert!(matrix_file_rows(b"\xff\xfe1").unwrap_err().to_string().contains("neither text nor"));
    }

    #[test]
    fn long_numbers_reach_the_parser_whole() {
        // Decimals an inexact reader rounds to a neighbouring double; tokens must arrive uncut.
        for s in ["4.5892272650244980e-2", "2.2250738585072011e-308", "9007199254740993", "0.30000000000000004"] {
            let rows = parse_rows(&format!("[[{s}]]")).unwrap();
            assert_eq!(rows[0][0].to_bits(), s.parse::<f64>().unwrap().to_bits(), "{s}");
            assert_eq!(parse_rows(s).unwrap()[0][0].to_bits(), s.parse::<f64>().unwrap().to_bits());
        }
    }
}
