//! JSON Schema calls `3.0` an integer, and so does our OpenAPI document; serde would refuse it for
//! an `i64`. These read any whole number, written either way, and refuse fractions.

use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum Number {
    Integer(i64),
    Float(f64),
}

fn whole(number: Number) -> Option<i64> {
    match number {
        Number::Integer(value) => Some(value),
        // i64::MAX is not exact as a float: the range is checked below 2^63.
        Number::Float(value)
            if value.fract() == 0.0 && value >= -(2f64.powi(63)) && value < 2f64.powi(63) =>
        {
            Some(value as i64)
        }
        Number::Float(_) => None,
    }
}

pub fn whole_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    whole(Number::deserialize(deserializer)?)
        .ok_or_else(|| serde::de::Error::custom("expected a whole number"))
}

pub fn optional_whole_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    Option::<Number>::deserialize(deserializer)?
        .map(|number| {
            whole(number).ok_or_else(|| serde::de::Error::custom("expected a whole number"))
        })
        .transpose()
}

pub fn whole_numbers<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<i64>, D::Error> {
    Vec::<Number>::deserialize(deserializer)?
        .into_iter()
        .map(|number| {
            whole(number).ok_or_else(|| serde::de::Error::custom("expected whole numbers"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Target {
        #[serde(deserialize_with = "whole_number")]
        id: i64,
    }

    fn read(json: &str) -> Option<i64> {
        serde_json::from_str::<Target>(json).ok().map(|t| t.id)
    }

    #[test]
    fn whole_numbers_are_read_either_way_and_fractions_refused() {
        assert_eq!(read(r#"{"id": 42}"#), Some(42));
        assert_eq!(read(r#"{"id": 42.0}"#), Some(42));
        assert_eq!(read(r#"{"id": -7e2}"#), Some(-700));
        assert_eq!(read(r#"{"id": 4.5}"#), None);
        assert_eq!(read(r#"{"id": 1e30}"#), None);
        assert_eq!(read(r#"{"id": "42"}"#), None);
    }
}
