//! Year-indexed series as trainers write them (`{ 2021 = 1800, 2030 = 2300 }`), with linear
//! interpolation between the given years.
//!
//! Invariant: keys are years parsed from the TOML keys; the map is ordered (BTreeMap), so
//! interpolation can search neighbours. Values are exact decimals in the file's unit.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A sparse series of values by calendar year.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct YearMap(pub BTreeMap<i32, Decimal>);

impl YearMap {
    /// The series as a participant types it: `{ 2021 = 1800, 2030 = 2300 }`.
    pub fn to_inline_table(&self) -> String {
        let items: Vec<String> = self
            .0
            .iter()
            .map(|(y, v)| format!("{y} = {}", v.normalize()))
            .collect();
        format!("{{ {} }}", items.join(", "))
    }

    /// First and last year given, if any.
    pub fn span(&self) -> Option<(i32, i32)> {
        Some((*self.0.keys().next()?, *self.0.keys().next_back()?))
    }

    /// Linear interpolation at `year`; `None` outside the given years.
    ///
    /// `v(y) = v(a) + (v(b) − v(a)) · (y − a) / (b − a)` for the nearest given years a ≤ y ≤ b.
    pub fn at(&self, year: i32) -> Option<Decimal> {
        if let Some(v) = self.0.get(&year) {
            return Some(*v);
        }
        let (a, va) = self.0.range(..year).next_back()?;
        let (b, vb) = self.0.range(year..).next()?;
        let frac = Decimal::from(year - a) / Decimal::from(b - a);
        Some(*va + (*vb - *va) * frac)
    }

    /// Value at `year`, zero outside the given years (activities that have not started or ended).
    pub fn at_or_zero(&self, year: i32) -> Decimal {
        self.at(year).unwrap_or(Decimal::ZERO)
    }

    /// True when the given years cover every year of `first..=last`.
    pub fn covers(&self, first: i32, last: i32) -> bool {
        matches!(self.span(), Some((a, b)) if a <= first && b >= last)
    }

    /// The same series with every value multiplied (unit conversion).
    pub fn scaled(&self, k: Decimal) -> YearMap {
        YearMap(self.0.iter().map(|(y, v)| (*y, *v * k)).collect())
    }
}

impl Serialize for YearMap {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (y, v) in &self.0 {
            m.serialize_entry(&y.to_string(), &super::decimal_num::Num(*v))?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for YearMap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<String, super::decimal_num::Num>::deserialize(d)?;
        let mut out = BTreeMap::new();
        for (k, v) in raw {
            let year: i32 = k.trim().parse().map_err(|_| {
                serde::de::Error::custom(format!(
                    "`{k}` is not a year; write years as keys, e.g. {{ 2021 = 100, 2030 = 80 }}"
                ))
            })?;
            out.insert(year, v.0);
        }
        Ok(YearMap(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn m(pairs: &[(i32, Decimal)]) -> YearMap {
        YearMap(pairs.iter().copied().collect())
    }

    #[test]
    fn interpolates_linearly_between_given_years() {
        let s = m(&[(2021, dec!(1800)), (2030, dec!(2300))]);
        // 1800 + 500 * 4/9 = 2022.222…
        assert_eq!(s.at(2025).unwrap().round_dp(3), dec!(2022.222));
        assert_eq!(s.at(2021), Some(dec!(1800)));
        assert_eq!(s.at(2030), Some(dec!(2300)));
        assert_eq!(s.at(2020), None);
        assert_eq!(s.at(2031), None);
        assert_eq!(s.at_or_zero(2031), Decimal::ZERO);
    }

    #[test]
    fn interpolates_through_negative_values() {
        let s = m(&[(2020, dec!(-10)), (2030, dec!(10))]);
        assert_eq!(s.at(2025), Some(dec!(0)));
    }

    #[test]
    fn coverage() {
        let s = m(&[(2021, dec!(1)), (2030, dec!(1))]);
        assert!(s.covers(2021, 2030));
        assert!(!s.covers(2021, 2035));
    }
}
