//! Dates as sources give them: a year (`2023`), a month (`2025-02`) or a day (`2025-02-28`).
//! They sort by their earliest possible day, so `2025` comes before `2025-02`.

use std::fmt;

/// A year, year-month or full date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

/// Why a date string is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("`{0}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")]
    Format(String),
    #[error("`{0}` is not a calendar date")]
    NoSuchDay(String),
    #[error("year {0} is outside 1990–2100")]
    Year(i32),
}

impl PartialDate {
    /// Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a real calendar day, year 1990–2100).
    pub fn parse(s: &str) -> Result<Self, DateError> {
        let fmt_err = || DateError::Format(s.to_string());
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Result<u32, DateError> {
            if p.len() != len || !p.chars().all(|c| c.is_ascii_digit()) {
                return Err(fmt_err());
            }
            p.parse::<u32>().map_err(|_| fmt_err())
        };
        let (y, m, d) = match parts.as_slice() {
            [y] => (num(y, 4)?, None, None),
            [y, m] => (num(y, 4)?, Some(num(m, 2)?), None),
            [y, m, d] => (num(y, 4)?, Some(num(m, 2)?), Some(num(d, 2)?)),
            _ => return Err(fmt_err()),
        };
        let year = i32::try_from(y).map_err(|_| fmt_err())?;
        if !(1990..=2100).contains(&year) {
            return Err(DateError::Year(year));
        }
        if let Some(m) = m
            && !(1..=12).contains(&m)
        {
            return Err(DateError::NoSuchDay(s.to_string()));
        }
        if let (Some(m), Some(d)) = (m, d)
            && chrono::NaiveDate::from_ymd_opt(year, m, d).is_none()
        {
            return Err(DateError::NoSuchDay(s.to_string()));
        }
        Ok(PartialDate {
            year,
            month: m,
            day: d,
        })
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// Sort key for an optional date string: undated or unreadable dates sort last.
pub fn sort_key(s: Option<&str>) -> (bool, Option<PartialDate>) {
    match s.map(PartialDate::parse) {
        Some(Ok(d)) => (false, Some(d)),
        _ => (true, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_three_precisions() {
        assert_eq!(
            PartialDate::parse("2023"),
            Ok(PartialDate {
                year: 2023,
                month: None,
                day: None
            })
        );
        assert_eq!(
            PartialDate::parse("2025-02").map(|d| d.to_string()),
            Ok("2025-02".to_string())
        );
        assert_eq!(
            PartialDate::parse("2025-02-28").map(|d| d.day),
            Ok(Some(28))
        );
    }

    #[test]
    fn refuses_bad_dates() {
        assert!(matches!(
            PartialDate::parse("2025-02-30"),
            Err(DateError::NoSuchDay(_))
        ));
        assert!(matches!(
            PartialDate::parse("2025-13"),
            Err(DateError::NoSuchDay(_))
        ));
        assert!(matches!(
            PartialDate::parse("Feb 2025"),
            Err(DateError::Format(_))
        ));
        assert!(matches!(
            PartialDate::parse("25-02"),
            Err(DateError::Format(_))
        ));
        assert!(matches!(
            PartialDate::parse("1985"),
            Err(DateError::Year(1985))
        ));
    }

    #[test]
    fn year_sorts_before_its_months() {
        let a = PartialDate::parse("2025").ok();
        let b = PartialDate::parse("2025-02").ok();
        let c = PartialDate::parse("2024-12-31").ok();
        assert!(c < a && a < b);
        assert!(sort_key(Some("2030")) < sort_key(None));
    }
}
