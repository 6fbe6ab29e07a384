//! A square matrix from NumPy's `.npy` file format (`numpy.save`), as specified in
//! `numpy/lib/format.py`: the magic `\x93NUMPY`, a version (1.0, 2.0 or 3.0), the header's length
//! (2 bytes little-endian in 1.0, 4 bytes after), and the header, a Python dict literal such as
//! `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 3), }`, padded with spaces; the data
//! follow, in C (row-major) order unless `fortran_order`.
//!
//! Read are floats (`f8`, `f4`) and integers (`i1`..`i8`, `u1`..`u8`) of either byte order, each
//! converted to the nearest f64; anything else (complex, half precision, booleans, strings,
//! objects, structured arrays) is refused by name, as are shapes other than square 2-D ones. The
//! matrix's own checks (symmetric, finite) are those of every matrix (`check_matrix`).

use super::matrix_input::input;
use crate::spec::MAX_D;
use crate::Error;

/// The first bytes of every `.npy` file.
pub const NPY_MAGIC: &[u8] = b"\x93NUMPY";

/// A number type of the data: its kind ('f', 'i' or 'u'), size in bytes and byte order.
struct Dtype {
    kind: u8,
    size: usize,
    little: bool,
}

impl Dtype {
    /// Reads a descr such as `<f8`, `|u1` or `>i4`; the error names the dtype.
    fn parse(descr: &str) -> Result<Dtype, Error> {
        let refuse = |what: &str| {
            input(format!(
                "npy dtype {descr:?} ({what}) is not read; allowed: float (<f8, <f4) or integer (<i8, <i4, <i2, |i1, and unsigned) arrays"
            ))
        };
        let bytes = descr.as_bytes();
        let (order, kind, size) = match bytes {
            [o, k, rest @ ..] => (*o, *k, std::str::from_utf8(rest).ok().and_then(|s| s.parse::<usize>().ok())),
            _ => return Err(refuse("not a dtype")),
        };
        let little = match order {
            b'<' | b'|' => true,
            b'>' => false,
            _ => return Err(refuse("unknown byte order")),
        };
        let name = match kind {
            b'c' => "complex",
            b'b' => "boolean",
            b'U' | b'S' | b'a' => "text",
            b'O' => "Python objects",
            b'M' | b'm' => "dates or times",
            b'V' => "raw bytes",
            _ => "",
        };
        if !name.is_empty() {
            return Err(refuse(name));
        }
        match (kind, size) {
            (b'f', Some(4 | 8)) | (b'i' | b'u', Some(1 | 2 | 4 | 8)) => {
                Ok(Dtype { kind, size: size.unwrap_or(0), little })
            }
            (b'f', Some(2)) => Err(refuse("half precision")),
            _ => Err(refuse("unknown")),
        }
    }

    /// The value of one element's bytes (`b.len() == self.size`).
    fn value(&self, b: &[u8]) -> f64 {
        let mut raw = [0u8; 8];
        if self.little {
            raw[..self.size].copy_from_slice(b);
        } else {
            raw[..self.size].iter_mut().zip(b.iter().rev()).for_each(|(r, x)| *r = *x);
        }
        let bits = u64::from_le_bytes(raw);
        // Sign-extends an integer of `size` bytes.
        let shift = 64 - 8 * self.size as u32;
        match (self.kind, self.size) {
            (b'f', 8) => f64::from_bits(bits),
            (b'f', _) => f64::from(f32::from_bits(bits as u32)),
            (b'i', _) => (((bits << shift) as i64) >> shift) as f64,
            _ => bits as f64,
        }
    }
}

/// The rows of the square matrix stored in `.npy` bytes; errors name the shape and the dtype.
pub fn npy_rows(bytes: &[u8]) -> Result<Vec<Vec<f64>>, Error> {
    let rest = bytes.strip_prefix(NPY_MAGIC).ok_or_else(|| input("not an .npy file (no \\x93NUMPY magic)"))?;
    let truncated = || input("npy: the file ends inside its header");
    let (&major, rest) = rest.split_first().ok_or_else(truncated)?;
    let rest = rest.get(1..).ok_or_else(truncated)?;
    let (len, rest) = match major {
        1 => (rest.get(..2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize), rest.get(2..)),
        2 | 3 => (rest.get(..4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize), rest.get(4..)),
        v => return Err(input(format!("npy format version {v} is not read; allowed: 1, 2 or 3"))),
    };
    let (len, rest) = (len.ok_or_else(truncated)?, rest.ok_or_else(truncated)?);
    let header = rest.get(..len).ok_or_else(truncated)?;
    let header = std::str::from_utf8(header).map_err(|_| input("npy: the header is not text"))?;
    let Header { descr, fortran_order, shape } = Header::parse(header)?;
    let dtype = Dtype::parse(&descr)?;
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    // Python's spelling of a tuple: (4,) for one entry.
    let shape_text = if dims.len() == 1 { format!("({},)", dims[0]) } else { format!("({})", dims.join(", ")) };
    let n = match shape[..] {
        [r, c] if r == c => r,
        [_, _] => return Err(input(format!("npy shape {shape_text} ({descr}) is not square"))),
        _ => {
            return Err(input(format!(
                "npy shape {shape_text} ({descr}) has {} dimensions; a matrix has 2",
                shape.len()
            )))
        }
    };
    if n > MAX_D as usize {
        return Err(input(format!("npy shape {shape_text}: at most {MAX_D} rows are allowed")));
    }
    let data = &rest[len..];
    if data.len() != n * n * dtype.size {
        return Err(input(format!(
            "npy shape {shape_text} of {descr} needs {} bytes of data; the file has {}",
            n * n * dtype.size,
            data.len()
        )));
    }
    let at = |k: usize| dtype.value(&data[k * dtype.size..(k + 1) * dtype.size]);
    let rows =
        (0..n).map(|i| (0..n).map(|j| if fortran_order { at(j * n + i) } else { at(i * n + j) }).collect()).collect();
    Ok(rows)
}

/// The three entries of an `.npy` header.
struct Header {
    descr: String,
    fortran_order: bool,
    shape: Vec<usize>,
}

impl Header {
    /// Reads the dict literal numpy writes: string keys, and values that are strings, True or
    /// False, or tuples of integers. A structured dtype (a list as descr) is refused by name.
    fn parse(text: &str) -> Result<Header, Error> {
        let bad = |why: &str| input(format!("npy header {:?}: {why}", text.trim()));
        let inner = text.trim().strip_prefix('{').and_then(|t| t.strip_suffix('}')).ok_or_else(|| bad("not a dict"))?;
        let (mut descr, mut fortran, mut shape) = (None, None, None);
        let mut rest = inner.trim_start();
        while !rest.is_empty() {
            let (key, after) = quoted(rest).ok_or_else(|| bad("expected a quoted key"))?;
            let after = after.trim_start().strip_prefix(':').ok_or_else(|| bad("expected ':'"))?.trim_start();
            let (value, after) = match after.as_bytes().first() {
                Some(b'\'' | b'"') => quoted(after).map(|(s, a)| (Value::Text(s), a)),
                Some(b'(') => after.split_once(')').map(|(t, a)| (Value::Tuple(t[1..].to_string()), a)),
                Some(b'[') => return Err(input("npy: structured dtypes (a list of fields) are not read")),
                _ => {
                    let end = after.find([',', '}']).unwrap_or(after.len());
                    Some((Value::Word(after[..end].trim().to_string()), &after[end..]))
                }
            }
            .ok_or_else(|| bad("a value is not closed"))?;
            match (key, value) {
                ("descr", Value::Text(s)) => descr = Some(s.to_string()),
                ("fortran_order", Value::Word(w)) if w == "True" || w == "False" => fortran = Some(w == "True"),
                ("shape", Value::Tuple(t)) => {
                    let dims: Result<Vec<usize>, _> =
                        t.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::parse).collect();
                    shape = Some(dims.map_err(|_| bad("shape is not a tuple of whole numbers"))?);
                }
                (k, _) => return Err(bad(&format!("unexpected entry {k:?}"))),
            }
            rest = after.trim_start();
            rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
        }
        match (descr, fortran, shape) {
            (Some(descr), Some(fortran_order), Some(shape)) => Ok(Header { descr, fortran_order, shape }),
            _ => Err(bad("descr, fortran_order and shape are required")),
        }
    }
}

enum Value<'a> {
    Text(&'a str),
    Tuple(String),
    Word(String),
}

/// A string in single or double quotes at the start of `t`, and what follows it.
fn quoted(t: &str) -> Option<(&str, &str)> {
    let q = t.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let end = t[1..].find(q)? + 1;
    Some((&t[1..end], &t[end + 1..]))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// An .npy file of format 1.0 built byte by byte as the format specifies: magic, version,
    /// header length (u16 LE), the header padded with spaces and ended by '\n' so that the data
    /// start at a multiple of 64 bytes, then the data.
    fn npy(header: &str, data: &[u8]) -> Vec<u8> {
        let mut head = header.to_string();
        while !(NPY_MAGIC.len() + 4 + head.len() + 1).is_multiple_of(64) {
            head.push(' ');
        }
        head.push('\n');
        let mut out = NPY_MAGIC.to_vec();
        out.extend([1, 0]);
        out.extend((head.len() as u16).to_le_bytes());
        out.extend(head.as_bytes());
        out.extend(data);
        out
    }

    fn f8(values: &[f64]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    #[test]
    fn reads_floats_in_c_and_fortran_order() {
        let data = f8(&[2.0, 0.5, 0.5, 1.0]);
        let rows = npy_rows(&npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", &data)).unwrap();
        assert_eq!(rows, vec![vec![2.0, 0.5], vec![0.5, 1.0]]);
        // Column-major storage of [[1, 2], [3, 4]] is 1, 3, 2, 4.
        let data = f8(&[1.0, 3.0, 2.0, 4.0]);
        let rows = npy_rows(&npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", &data)).unwrap();
        assert_eq!(rows, vec![vec![1.0, 2.0], vec![3.0, 4.0]]);
        let data: Vec<u8> = [0.1f32, -3.0].iter().flat_map(|v| v.to_le_bytes()).collect();
        let rows = npy_rows(&npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", &data));
        assert!(rows.unwrap_err().to_string().contains("(1, 2)"));
        let data: Vec<u8> = [0.1f32].iter().flat_map(|v| v.to_le_bytes()).collect();
        let rows = npy_rows(&npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", &data)).unwrap();
        assert_eq!(rows[0][0], f64::from(0.1f32));
    }

    #[test]
    fn reads_integers_of_every_size_and_byte_order() {
        let h = |d: &str| format!("{{'descr': '{d}', 'fortran_order': False, 'shape': (2, 2), }}");
        let want = vec![vec![-3.0, 1.0], vec![1.0, 7.0]];
        let ints = [-3i64, 1, 1, 7];
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("|i1", ints.iter().map(|v| *v as i8 as u8).collect()),
            ("<i2", ints.iter().flat_map(|v| (*v as i16).to_le_bytes()).collect()),
            (">i4", ints.iter().flat_map(|v| (*v as i32).to_be_bytes()).collect()),
            ("<i8", ints.iter().flat_map(|v| v.to_le_bytes()).collect()),
            (">f8", ints.iter().flat_map(|v| (*v as f64).to_be_bytes()).collect()),
        ];
        for (descr, data) in cases {
            assert_eq!(npy_rows(&npy(&h(descr), &data)).unwrap(), want, "{descr}");
        }
        let data: Vec<u8> = [250u8, 1, 1, 255].to_vec();
        assert_eq!(npy_rows(&npy(&h("|u1"), &data)).unwrap(), vec![vec![250.0, 1.0], vec![1.0, 255.0]]);
        let data: Vec<u8> = [u64::MAX, 0, 0, 1].iter().flat_map(|v| v.to_le_bytes()).collect();
        assert_eq!(npy_rows(&npy(&h("<u8"), &data)).unwrap()[0][0], u64::MAX as f64);
    }

    #[test]
    fn refusals_name_the_dtype_or_the_shape() {
        let h = |d: &str, s: &str| format!("{{'descr': '{d}', 'fortran_order': False, 'shape': {s}, }}");
        for (descr, what) in
            [("<c16", "complex"), ("<f2", "half precision"), ("|b1", "boolean"), ("<U3", "text"), ("|O", "objects")]
        {
            let e = npy_rows(&npy(&h(descr, "(1, 1)"), &[0; 16])).unwrap_err().to_string();
            assert!(e.contains(descr) && e.contains(what) && e.contains("allowed"), "{e}");
        }
        let e = npy_rows(&npy(&h("<f8", "(2, 3)"), &[0; 48])).unwrap_err().to_string();
        assert!(e.contains("(2, 3)") && e.contains("<f8") && e.contains("not square"), "{e}");
        let e = npy_rows(&npy(&h("<f8", "(4,)"), &[0; 32])).unwrap_err().to_string();
        assert!(e.contains("(4,)") && e.contains("1 dimensions"), "{e}");
        let e = npy_rows(&npy(&h("<f8", "(2, 2, 2)"), &[0; 64])).unwrap_err().to_string();
        assert!(e.contains("(2, 2, 2)"), "{e}");
        let e = npy_rows(&npy(&h("<f8", "(2, 2)"), &[0; 24])).unwrap_err().to_string();
        assert!(e.contains("needs 32 bytes") && e.contains("has 24"), "{e}");
        let e = npy_rows(&npy(&h("<f8", "(3000, 3000)"), &[])).unwrap_err().to_string();
        assert!(e.contains("(3000, 3000)") && e.contains("2000"), "{e}");
        let e = npy_rows(&npy("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", &[]));
        assert!(e.unwrap_err().to_string().contains("structured"));
        assert!(npy_rows(b"\x93NUMPY\x01").unwrap_err().to_string().contains("ends inside its header"));
        assert!(npy_rows(b"2 1\n1 2").unwrap_err().to_string().contains("magic"));
    }

    #[test]
    fn reads_what_numpy_writes() {
        // Written by numpy 2.4.6: np.save of np.array([[2., -1.], [-1., 3.]]), and of
        // np.asfortranarray(np.array([[1, 2], [2, 5]], dtype=np.int32)); the bytes are kept here
        // so that the test does not need numpy.
        let file = b"\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }                                                          \n\x00\x00\x00\x00\x00\x00\x00@\x00\x00\x00\x00\x00\x00\xf0\xbf\x00\x00\x00\x00\x00\x00\xf0\xbf\x00\x00\x00\x00\x00\x00\x08@";
        assert_eq!(npy_rows(file).unwrap(), vec![vec![2.0, -1.0], vec![-1.0, 3.0]]);
        let file = b"\x93NUMPY\x01\x00v\x00{'descr': '<i4', 'fortran_order': True, 'shape': (2, 2), }                                                           \n\x01\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x05\x00\x00\x00";
        assert_eq!(npy_rows(file).unwrap(), vec![vec![1.0, 2.0], vec![2.0, 5.0]]);
    }
}
