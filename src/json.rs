//! JSON conventions shared by the exports and the plots.

/// Reads lists of numbers in which null stands for NaN: serde_json writes NaN and infinities as
/// null, so a result read back from JSON has nulls where a run diverged.
pub mod nan_as_null {
    use serde::{Deserialize, Deserializer};

    pub fn floats<'de, D: Deserializer<'de>>(de: D) -> Result<Vec<f64>, D::Error> {
        let v: Vec<Option<f64>> = Deserialize::deserialize(de)?;
        Ok(v.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect())
    }

    /// Optional rows of numbers (iterates x_t), nulls read as NaN.
    pub fn optional_rows<'de, D: Deserializer<'de>>(de: D) -> Result<Option<Vec<Vec<f64>>>, D::Error> {
        let v: Option<Vec<Vec<Option<f64>>>> = Deserialize::deserialize(de)?;
        Ok(v.map(|rows| rows.into_iter().map(|r| r.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect()).collect()))
    }

    /// One number, null read as NaN.
    pub fn float<'de, D: Deserializer<'de>>(de: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(de)?.unwrap_or(f64::NAN))
    }
}
