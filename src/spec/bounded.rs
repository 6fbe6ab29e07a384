//! Lists of a spec read with their length limit checked as they are read: a spec holding 10^8
//! numbers fails at the first number past the limit, naming the field, before it takes memory.

use super::{MAX_D, MAX_NETWORK_PARAMS};
use serde::de::{Deserializer, Error as _, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use std::marker::PhantomData;

/// At most MAX items of T.
struct AtMost<const MAX: usize, T>(Vec<T>);

impl<'de, const MAX: usize, T: Deserialize<'de>> Deserialize<'de> for AtMost<MAX, T> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct Items<const MAX: usize, T>(PhantomData<T>);
        impl<'de, const MAX: usize, T: Deserialize<'de>> Visitor<'de> for Items<MAX, T> {
            type Value = AtMost<MAX, T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "an array of at most {MAX} items")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX));
                while let Some(x) = seq.next_element()? {
                    if out.len() == MAX {
                        return Err(A::Error::custom(format!("more than {MAX} items; at most {MAX} are allowed")));
                    }
                    out.push(x);
                }
                Ok(AtMost(out))
            }
        }
        de.deserialize_seq(Items::<MAX, T>(PhantomData))
    }
}

/// problem.x0: at most one number per parameter of the largest network.
pub fn vector<'de, D: Deserializer<'de>>(de: D) -> Result<Option<Vec<f64>>, D::Error> {
    Ok(Option::<AtMost<MAX_NETWORK_PARAMS, f64>>::deserialize(de)?.map(|v| v.0))
}

/// problem.matrix: at most MAX_D rows of at most MAX_D numbers.
pub fn matrix<'de, D: Deserializer<'de>>(de: D) -> Result<Option<Vec<Vec<f64>>>, D::Error> {
    const N: usize = MAX_D as usize;
    let rows = Option::<AtMost<N, AtMost<N, f64>>>::deserialize(de)?;
    Ok(rows.map(|rows| rows.0.into_iter().map(|r| r.0).collect()))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::spec::Spec;

    /// Past the limit the reader stops with the field named; at the limit it reads on (and the
    /// spec's own rules judge the length).
    #[test]
    fn lists_past_their_limit_are_refused_by_name() {
        let x0 = |n: usize| format!(r#"{{"problem": {{"x0": [{}0]}}}}"#, "0,".repeat(n - 1));
        let e = Spec::from_json(&x0(10_001)).unwrap_err();
        assert!(e.field.starts_with("problem.x0") && e.allowed.contains("at most 10000"), "{e}");
        assert!(Spec::from_json(&x0(10_000)).unwrap_err().to_string().contains("exactly d = 20"));
        let row = |n: usize| format!(r#"{{"problem": {{"kind": "matrix", "matrix": [[{}0]]}}}}"#, "0,".repeat(n - 1));
        let e = Spec::from_json(&row(2001)).unwrap_err();
        assert!(e.field.starts_with("problem.matrix") && e.allowed.contains("at most 2000"), "{e}");
        let rows = format!(r#"{{"problem": {{"kind": "matrix", "matrix": [{}[0]]}}}}"#, "[0],".repeat(2000));
        assert!(Spec::from_json(&rows).unwrap_err().allowed.contains("at most 2000"));
    }
}
