//! Emission quantity units of a scenario file (t, kt, Mt CO2e) and exact conversion to tonnes.
//!
//! A scenario file states its quantities as plain numbers in the file's unit
//! (`[scenario] unit = "ktCO2e"`); internally everything is exact `Decimal` tonnes.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The unit of emission quantities written in a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuantityUnit {
    /// tonnes CO2e
    T,
    /// thousand tonnes CO2e
    Kt,
    /// million tonnes CO2e
    Mt,
}

impl QuantityUnit {
    /// Accepted spellings: `t`, `tCO2e`, `kt`, `ktCO2e`, `Mt`, `MtCO2e` (also `tCO2eq`, `Gg`
    /// for kt and `Tg` for Mt, as inventories write them). Case matters for `Mt` vs `mt`? No:
    /// `mt` is accepted as Mt because nobody means millitonnes here.
    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim();
        let base = t
            .strip_suffix("CO2e")
            .or_else(|| t.strip_suffix("CO2eq"))
            .or_else(|| t.strip_suffix("co2e"))
            .or_else(|| t.strip_suffix("CO2-eq"))
            .unwrap_or(t)
            .trim();
        match base {
            "t" | "T" | "tonne" | "tonnes" => Some(Self::T),
            "kt" | "Kt" | "KT" | "Gg" => Some(Self::Kt),
            "Mt" | "MT" | "mt" | "Tg" => Some(Self::Mt),
            _ => None,
        }
    }

    /// Tonnes in one of this unit.
    pub fn tonnes_per_unit(self) -> Decimal {
        match self {
            Self::T => Decimal::ONE,
            Self::Kt => Decimal::from(1_000),
            Self::Mt => Decimal::from(1_000_000),
        }
    }

    /// A value written in this unit, in tonnes.
    pub fn to_tonnes(self, v: Decimal) -> Decimal {
        v * self.tonnes_per_unit()
    }

    /// Tonnes expressed in this unit.
    pub fn from_tonnes(self, t: Decimal) -> Decimal {
        (t / self.tonnes_per_unit()).normalize()
    }

    /// Canonical spelling used when writing files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::T => "tCO2e",
            Self::Kt => "ktCO2e",
            Self::Mt => "MtCO2e",
        }
    }

    /// Short label for tables: `t`, `kt`, `Mt`.
    pub fn short(self) -> &'static str {
        match self {
            Self::T => "t",
            Self::Kt => "kt",
            Self::Mt => "Mt",
        }
    }
}

impl fmt::Display for QuantityUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for QuantityUnit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for QuantityUnit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        QuantityUnit::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unit `{s}` is not understood; write one of tCO2e, ktCO2e, MtCO2e"
            ))
        })
    }
}

/// Format a tonnes figure for people: thousands separators, rounded to `dp` decimals, in `unit`.
/// Negative values (net sinks) keep their sign.
pub fn format_quantity(tonnes: Decimal, unit: QuantityUnit, dp: u32) -> String {
    let v = unit.from_tonnes(tonnes);
    format!("{} {}", group_thousands(v, dp), unit.short())
}

/// `1234567.5` → `1,234,567.5` with exactly `dp` decimals.
pub fn group_thousands(v: Decimal, dp: u32) -> String {
    let s = format!(
        "{:.*}",
        dp as usize,
        v.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    );
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s.as_str()),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let sign = if out.chars().all(|c| c == '0' || c == ',')
        && frac.is_none_or(|f| f.chars().all(|c| c == '0'))
    {
        ""
    } else {
        sign
    };
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn parses_the_spellings_trainers_write() {
        assert_eq!(QuantityUnit::parse("ktCO2e"), Some(QuantityUnit::Kt));
        assert_eq!(QuantityUnit::parse("MtCO2e"), Some(QuantityUnit::Mt));
        assert_eq!(QuantityUnit::parse("t"), Some(QuantityUnit::T));
        assert_eq!(QuantityUnit::parse("Gg"), Some(QuantityUnit::Kt));
        assert_eq!(QuantityUnit::parse("kg"), None);
        assert_eq!(QuantityUnit::parse(""), None);
    }

    #[test]
    fn converts_exactly() {
        assert_eq!(QuantityUnit::Kt.to_tonnes(dec!(2.5)), dec!(2500));
        assert_eq!(QuantityUnit::Mt.from_tonnes(dec!(1500000)), dec!(1.5));
    }

    #[test]
    fn groups_thousands_and_keeps_sinks_negative() {
        assert_eq!(group_thousands(dec!(1234567.25), 1), "1,234,567.3");
        assert_eq!(group_thousands(dec!(-9200), 0), "-9,200");
        assert_eq!(group_thousands(dec!(999), 0), "999");
        assert_eq!(group_thousands(dec!(-0.01), 0), "0");
        assert_eq!(
            format_quantity(dec!(-9200000), QuantityUnit::Mt, 1),
            "-9.2 Mt"
        );
    }
}
