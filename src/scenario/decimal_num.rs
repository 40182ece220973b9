//! Serde helper: exact decimals written as TOML numbers (not strings), so files stay friendly
//! to hand-editing. TOML floats are read through their shortest decimal representation, which
//! is exact for every number a person types.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

/// A `Decimal` that (de)serializes as a TOML integer or float.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Num(pub Decimal);

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0.normalize();
        if d.scale() == 0
            && let Some(i) = d.to_i64()
        {
            return s.serialize_i64(i);
        }
        match d.to_f64() {
            Some(f) => s.serialize_f64(f),
            None => s.serialize_str(&d.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <Decimal as Deserialize>::deserialize(d).map(Num)
    }
}

/// `#[serde(with = "decimal_num::plain")]` for `Decimal` fields.
pub mod plain {
    use super::*;
    pub fn serialize<S: serde::Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        Num(*v).serialize(s)
    }
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        Num::deserialize(d).map(|n| n.0)
    }
}

/// `#[serde(with = "decimal_num::opt", default, skip_serializing_if = "Option::is_none")]`.
pub mod opt {
    use super::*;
    pub fn serialize<S: serde::Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => Num(*v).serialize(s),
            None => s.serialize_none(),
        }
    }
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Decimal>, D::Error> {
        Num::deserialize(d).map(|n| Some(n.0))
    }
}
