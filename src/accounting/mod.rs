//! Article 6 accounting: corresponding adjustments (CA), emissions balances, headroom,
//! BTR Table 4 rows 7–14, the Article 6.4 issuance waterfall, crediting-period effects and
//! host safeguards. The spec is `domain/article6-rules.md`; section numbers (§) below refer to it.
//!
//! This module is pure and exact: emissions, targets and CAs are [`Decimal`] in t CO2e, unit
//! counts are integers (1 unit = 1 t CO2e). It knows nothing of the scenario file format, the
//! registry or the terminal. Its inputs are plain year-indexed series:
//!
//! * [`YearSeries`]: `year → Decimal` (emissions E(t), trajectories, mitigation m(t)).
//! * [`UnitSeries`]: `year → u64` unit counts; the key's meaning (vintage, event year or use
//!   year) is stated by each parameter name, e.g. `first_transferred_by_vintage` is FTv(t).
//!   A missing year in a [`UnitSeries`] means 0 units; a missing year in an emissions series
//!   that a rule needs is an error ([`AccountingError::MissingYear`]).
//!
//! All quantities must lie within ±[`MAX_QUANTITY`] (10^15 t, far above any national
//! inventory): this bound keeps every sum and product inside `Decimal`/`i64` range, so no
//! arithmetic can overflow on user input.
//!
//! How a caller (the simulation) uses it: see [`headroom`] (method → headroom → maximum
//! transferable → per-vintage path) and [`balance`] (evaluate the resulting path).

pub mod balance;
pub mod crediting;
pub mod error;
pub mod headroom;
pub mod method;
pub mod outside;
pub mod period;
pub mod safeguards;
pub mod table4;
pub mod waterfall;

use std::collections::BTreeMap;

use rust_decimal::Decimal;

pub use balance::{
    BalanceInputs, BalanceReport, BudgetCheck, OverallVerdict, YearBalance, YearVerdict,
    averaging_adjustment, corresponding_adjustment, emissions_balance,
};
pub use crediting::{ActivityYear, CREDITING_TAIL_ANSWER, crediting_tail_answer, host_benefit};
pub use error::AccountingError;
pub use headroom::{
    Headroom, PlanLimit, TransferPlan, TransferProfile, YearHeadroom, headroom, max_transferable,
    sellable, sellable_units,
};
pub use method::{AveragingDenominator, CaMethod, NdcKind, NdcTarget, check_method};
pub use outside::{
    OutsideScopeCa, OutsideYear, ndc_scope_first_transfers, outside_emissions_balance,
};
pub use period::{NdcPeriod, VINTAGE_MIN, check_period_match};
pub use safeguards::{
    ActivityTag, CapCheck, EligibilityOutcome, EligibilityRule, MaccThreshold, Measure,
    authorizable, eligibility, exportable, macc_threshold, max_international_credits,
    national_cap_check, on_positive_list, tax_covered,
};
pub use table4::{Table4Inputs, Table4Row, table4_rows};
pub use waterfall::{
    CaBasis, CdmComparison, HOLDER_ONLY_WARNING, LevyRounding, LevyShares, Waterfall,
    cdm_comparison, issuance_waterfall,
};

/// Year-indexed Decimal series in t CO2e (E(t), Traj(t), m(t), …). Key = calendar year.
pub type YearSeries = BTreeMap<i32, Decimal>;

/// Year-indexed unit counts (1 unit = 1 t CO2e). What the key means (vintage, event year, use
/// year) is given by the parameter name. Missing years count as 0.
pub type UnitSeries = BTreeMap<i32, u64>;

/// Largest magnitude accepted for any quantity (t CO2e or units): 10^15.
pub const MAX_QUANTITY: u64 = 1_000_000_000_000_000;

/// Value of `series` in `year`, or [`AccountingError::MissingYear`].
pub(crate) fn required(
    series: &YearSeries,
    name: &'static str,
    year: i32,
) -> Result<Decimal, AccountingError> {
    series
        .get(&year)
        .copied()
        .ok_or(AccountingError::MissingYear { series: name, year })
}

/// Units of `series` in `year` as Decimal (0 when absent).
pub(crate) fn units(series: &UnitSeries, year: i32) -> Decimal {
    Decimal::from(series.get(&year).copied().unwrap_or(0))
}

/// Checks every value of a Decimal series against [`MAX_QUANTITY`].
pub(crate) fn check_series(series: &YearSeries, name: &'static str) -> Result<(), AccountingError> {
    for (&year, &value) in series {
        check_quantity(value, name, Some(year))?;
    }
    Ok(())
}

/// Checks one Decimal quantity against [`MAX_QUANTITY`].
pub(crate) fn check_quantity(
    value: Decimal,
    name: &'static str,
    year: Option<i32>,
) -> Result<(), AccountingError> {
    if value.abs() > Decimal::from(MAX_QUANTITY) {
        return Err(AccountingError::QuantityTooLarge {
            what: name,
            year,
            value: value.to_string(),
        });
    }
    Ok(())
}

/// Checks every value of a unit series against [`MAX_QUANTITY`].
pub(crate) fn check_units(series: &UnitSeries, name: &'static str) -> Result<(), AccountingError> {
    for (&year, &value) in series {
        if value > MAX_QUANTITY {
            return Err(AccountingError::QuantityTooLarge {
                what: name,
                year: Some(year),
                value: value.to_string(),
            });
        }
    }
    Ok(())
}

/// Checks a share (buffer, levy, retention, ratio) lies in [0, 1].
pub(crate) fn check_share(value: Decimal, name: &'static str) -> Result<(), AccountingError> {
    if value < Decimal::ZERO || value > Decimal::ONE {
        return Err(AccountingError::ShareOutOfRange {
            what: name,
            value: value.to_string(),
        });
    }
    Ok(())
}
