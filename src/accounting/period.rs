//! NDC implementation period P = {t0, …, T} (§2) and the period rules of §5.3.

use serde::{Deserialize, Serialize};

use super::error::AccountingError;

/// First allowed vintage for Article 6 ITMOs (§5.3, `vintage_min`).
pub const VINTAGE_MIN: i32 = 2021;

/// Longest supported NDC period, in years (real periods are 5 or 10 years).
pub const MAX_PERIOD_YEARS: u32 = 50;

/// NDC implementation period P = {first, …, last}; `last` is the target year T.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NdcPeriod {
    first: i32,
    last: i32,
}

impl NdcPeriod {
    /// A period `first..=last`; error if reversed or longer than [`MAX_PERIOD_YEARS`].
    pub fn new(first: i32, last: i32) -> Result<Self, AccountingError> {
        let span = i64::from(last) - i64::from(first) + 1;
        if span < 1 || span > i64::from(MAX_PERIOD_YEARS) {
            return Err(AccountingError::InvalidPeriod {
                first,
                last,
                max: MAX_PERIOD_YEARS,
            });
        }
        Ok(Self { first, last })
    }

    /// t0, the first year of the period.
    pub fn first(&self) -> i32 {
        self.first
    }

    /// T, the last year of the period (the target year of a single-year NDC).
    pub fn last(&self) -> i32 {
        self.last
    }

    /// T, the target/end year.
    pub fn target_year(&self) -> i32 {
        self.last
    }

    /// N = |P|, the number of years in the period.
    pub fn len(&self) -> u32 {
        // span is in 1..=MAX_PERIOD_YEARS by construction.
        (self.last - self.first + 1).unsigned_abs()
    }

    /// Always false: a period has at least one year.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Whether `year` ∈ P.
    pub fn contains(&self, year: i32) -> bool {
        (self.first..=self.last).contains(&year)
    }

    /// The years of P in ascending order.
    pub fn years(&self) -> impl Iterator<Item = i32> + use<> {
        self.first..=self.last
    }

    /// n(k) = k − t0 + 1, the elapsed years at reporting year k ∈ P (§2).
    pub fn elapsed_years(&self, k: i32) -> Result<u32, AccountingError> {
        self.require(k)?;
        Ok((k - self.first + 1).unsigned_abs())
    }

    /// Ok if `year` ∈ P, else [`AccountingError::YearOutsidePeriod`].
    pub fn require(&self, year: i32) -> Result<(), AccountingError> {
        if self.contains(year) {
            Ok(())
        } else {
            Err(AccountingError::YearOutsidePeriod {
                year,
                first: self.first,
                last: self.last,
            })
        }
    }
}

/// §5.3 period rules for one ITMO: vintage ≥ [`VINTAGE_MIN`] and vintage and use year in the
/// same NDC period (no carry-over).
pub fn check_period_match(
    period: &NdcPeriod,
    vintage: i32,
    use_year: i32,
) -> Result<(), AccountingError> {
    if vintage < VINTAGE_MIN {
        return Err(AccountingError::VintageTooEarly {
            vintage,
            min: VINTAGE_MIN,
        });
    }
    if !(period.contains(vintage) && period.contains(use_year)) {
        return Err(AccountingError::PeriodMismatch {
            vintage,
            use_year,
            first: period.first,
            last: period.last,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_2021_2030_has_ten_years_and_elapsed_counts_from_one() {
        let p = NdcPeriod::new(2021, 2030).unwrap();
        assert_eq!(p.len(), 10);
        assert_eq!(p.target_year(), 2030);
        assert_eq!(p.elapsed_years(2021).unwrap(), 1);
        assert_eq!(p.elapsed_years(2024).unwrap(), 4);
        assert!(p.elapsed_years(2031).is_err());
    }

    #[test]
    fn reversed_or_huge_period_is_rejected() {
        assert!(matches!(
            NdcPeriod::new(2030, 2021),
            Err(AccountingError::InvalidPeriod { .. })
        ));
        assert!(NdcPeriod::new(2021, 2021 + 50).is_err());
        assert!(NdcPeriod::new(i32::MIN, i32::MAX).is_err());
    }

    #[test]
    fn period_rules_reject_early_vintage_and_carry_over() {
        let p = NdcPeriod::new(2021, 2030).unwrap();
        assert!(check_period_match(&p, 2021, 2030).is_ok());
        assert!(matches!(
            check_period_match(&p, 2020, 2021),
            Err(AccountingError::VintageTooEarly { .. })
        ));
        assert!(matches!(
            check_period_match(&p, 2030, 2031),
            Err(AccountingError::PeriodMismatch { .. })
        ));
    }
}
