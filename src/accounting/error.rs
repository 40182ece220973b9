//! Typed errors of the accounting module. Each message names what is wrong and how to fix it.

use thiserror::Error;

use super::method::{CaMethod, NdcKind};

/// Everything that can go wrong when applying the Article 6 accounting rules to inputs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AccountingError {
    /// The NDC period is empty, reversed or implausibly long.
    #[error(
        "invalid NDC period {first}–{last}: the first year must not be after the last and the period may span at most {max} years; fix the period bounds (e.g. 2021–2030)"
    )]
    InvalidPeriod { first: i32, last: i32, max: u32 },

    /// A year lies outside the NDC period where a year inside it is required.
    #[error(
        "year {year} is outside the NDC period {first}–{last}; use a year inside the period or change the period"
    )]
    YearOutsidePeriod { year: i32, first: i32, last: i32 },

    /// A series lacks a year that the rule needs.
    #[error(
        "{series} has no value for {year}; add a value (a projection for future years) for every year of the NDC period"
    )]
    MissingYear { series: &'static str, year: i32 },

    /// The CA method is not allowed for the NDC kind (§5).
    #[error(
        "CA method {method:?} is not allowed for a {kind:?} NDC; choose one of {allowed:?} (rules §5)"
    )]
    MethodNotAllowed {
        method: CaMethod,
        kind: NdcKind,
        allowed: [CaMethod; 2],
    },

    /// The method needs a target shape the NDC does not give.
    #[error("CA method {method:?} needs {needs}; {fix}")]
    TargetMismatch {
        method: CaMethod,
        needs: &'static str,
        fix: &'static str,
    },

    /// A share (buffer, levy, retention, transfer ratio) is outside [0, 1].
    #[error("{what} = {value} is outside [0, 1]; give a fraction such as 0.05 for 5 %")]
    ShareOutOfRange { what: &'static str, value: String },

    /// SOP and OMGE shares together exceed 1.
    #[error(
        "levy shares SOP {sop} + OMGE {omge} exceed 1; lower the shares (defaults: SOP 0.05, OMGE 0.02)"
    )]
    LevySharesExceedOne { sop: String, omge: String },

    /// Rounding the levies up made them exceed the issuance.
    #[error(
        "rounded levies SOP {sop} + OMGE {omge} exceed the {issued} units issued; issue more units or use levy rounding `down`/`nearest`"
    )]
    LeviesExceedIssuance { issued: u64, sop: u64, omge: u64 },

    /// A quantity exceeds the supported magnitude.
    #[error("{what}{} = {value} exceeds the supported magnitude of 10^15 t CO2e; check the unit (t, not kt or g)", year.map(|y| format!(" in {y}")).unwrap_or_default())]
    QuantityTooLarge {
        what: &'static str,
        year: Option<i32>,
        value: String,
    },

    /// A quantity that must not be negative is negative.
    #[error("{what} = {value} is negative; give a value ≥ 0")]
    NegativeQuantity { what: &'static str, value: String },

    /// A vintage distribution has no positive weight in the period.
    #[error(
        "the vintage distribution has no positive weight; give at least one vintage in the NDC period a weight > 0"
    )]
    EmptyDistribution,

    /// A vintage is before the first allowed vintage (§5.3).
    #[error(
        "vintage {vintage} is before {min}; Article 6 ITMOs must have vintage {min} or later (rules §5.3)"
    )]
    VintageTooEarly { vintage: i32, min: i32 },

    /// Vintage and use lie in different NDC periods (§5.3, no carry-over).
    #[error(
        "vintage {vintage} and use year {use_year} are not both in the NDC period {first}–{last}; carry-over between periods is not allowed (rules §5.3)"
    )]
    PeriodMismatch {
        vintage: i32,
        use_year: i32,
        first: i32,
        last: i32,
    },

    /// An intermediate result exceeded the exact arithmetic range.
    #[error("arithmetic overflow while computing {what}; reduce the magnitudes of the inputs")]
    Overflow { what: &'static str },
}
