//! BTR Table 4 (Article 6 structured summary) rows 7–14 per year (§10).
//!
//! ```text
//! row 7  FTe_ndc(t)            first transfers for NDC purposes, keyed by EVENT year
//! row 8  FTe_oimp(t)           first transfers for OIMP, keyed by event year
//! row 9  U(t)                  uses towards the NDC, keyed by use year
//! row 10 Net(t) = row 7 + row 8 − row 9
//! row 11 averaging only: A_interim(t) = Cum(t) / d(t)   (d default: elapsed years)
//! row 12 CA: trajectory/budget FTv(t) − U(t) (vintage-keyed); averaging A_final in T,
//!        A_interim(t) shown as indicative for t < T
//! row 13 Cum(t) = Σ_{t0..t} row 10
//! row 14 EB(t) = row 5 + row 12   (plus, NOT minus: a published workbook gets the sign wrong)
//! ```
//! Check [D]: at period end, when every vintage and use year lies in P, Σ row 12 (trajectory
//! methods) = row 13(T).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::balance::averaging_adjustment;
use super::error::AccountingError;
use super::method::{AveragingDenominator, CaMethod};
use super::period::NdcPeriod;
use super::{UnitSeries, YearSeries, check_series, check_units, required};

/// Inputs of [`table4_rows`]. Unit series: missing years are 0.
#[derive(Debug, Clone, Copy)]
pub struct Table4Inputs<'a> {
    pub period: NdcPeriod,
    pub method: CaMethod,
    /// Row 5: E(t), every t ∈ P.
    pub emissions: &'a YearSeries,
    /// FTe_ndc(t), keyed by first-transfer event year.
    pub first_transferred_ndc_by_event: &'a UnitSeries,
    /// FTe_oimp(t), keyed by first-transfer event year.
    pub first_transferred_oimp_by_event: &'a UnitSeries,
    /// U(t), keyed by use year.
    pub used_by_use_year: &'a UnitSeries,
    /// FTv(t), all purposes, keyed by vintage.
    pub first_transferred_by_vintage: &'a UnitSeries,
    /// Denominator of row 11 / interim row 12 (default `ElapsedYears`).
    pub interim_denominator: AveragingDenominator,
}

/// Rows 5 and 7–14 of Table 4 for one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table4Row {
    pub year: i32,
    pub row5_emissions: Decimal,
    pub row7_first_transferred_ndc: u64,
    pub row8_first_transferred_oimp: u64,
    pub row9_used: u64,
    pub row10_net: i64,
    /// Averaging only.
    pub row11_averaging_interim: Option<Decimal>,
    pub row12_corresponding_adjustment: Decimal,
    /// True when row 12 is an indicative A_interim (averaging, t < T).
    pub row12_indicative: bool,
    pub row13_cumulative: i64,
    pub row14_emissions_balance: Decimal,
}

/// Table 4 rows for every t ∈ P, ascending.
pub fn table4_rows(inputs: Table4Inputs<'_>) -> Result<Vec<Table4Row>, AccountingError> {
    let p = inputs.period;
    check_series(inputs.emissions, "emissions E(t)")?;
    check_units(inputs.first_transferred_ndc_by_event, "FTe_ndc(t)")?;
    check_units(inputs.first_transferred_oimp_by_event, "FTe_oimp(t)")?;
    check_units(inputs.used_by_use_year, "U(t)")?;
    check_units(inputs.first_transferred_by_vintage, "FTv(t)")?;
    let get = |s: &UnitSeries, t: i32| s.get(&t).copied().unwrap_or(0);
    // All unit values are ≤ 10^15 (checked), so i64 sums over ≤ 50 years cannot overflow.
    let signed = |x: u64| i64::try_from(x).unwrap_or(i64::MAX);

    // FTe over both purposes, for the interim average of the cumulative net quantity.
    let mut ft_event = UnitSeries::new();
    for s in [
        inputs.first_transferred_ndc_by_event,
        inputs.first_transferred_oimp_by_event,
    ] {
        for (&t, &q) in s {
            *ft_event.entry(t).or_insert(0) += q;
        }
    }
    let t_end = p.target_year();
    let averaging = inputs.method.is_averaging();
    let a_final = if averaging {
        Some(averaging_adjustment(
            &p,
            inputs.first_transferred_by_vintage,
            inputs.used_by_use_year,
            t_end,
            AveragingDenominator::PeriodYears,
        )?)
    } else {
        None
    };

    let mut rows = Vec::with_capacity(p.len() as usize);
    let mut cum: i64 = 0;
    for t in p.years() {
        let e = required(inputs.emissions, "emissions E(t)", t)?;
        let r7 = get(inputs.first_transferred_ndc_by_event, t);
        let r8 = get(inputs.first_transferred_oimp_by_event, t);
        let r9 = get(inputs.used_by_use_year, t);
        let net = signed(r7) + signed(r8) - signed(r9);
        cum += net;
        let r11 = if averaging {
            Some(averaging_adjustment(
                &p,
                &ft_event,
                inputs.used_by_use_year,
                t,
                inputs.interim_denominator,
            )?)
        } else {
            None
        };
        let (r12, indicative) = match (a_final, r11) {
            (Some(a), _) if t == t_end => (a, false),
            (Some(_), Some(interim)) => (interim, true),
            _ => (
                Decimal::from(get(inputs.first_transferred_by_vintage, t)) - Decimal::from(r9),
                false,
            ),
        };
        rows.push(Table4Row {
            year: t,
            row5_emissions: e,
            row7_first_transferred_ndc: r7,
            row8_first_transferred_oimp: r8,
            row9_used: r9,
            row10_net: net,
            row11_averaging_interim: r11,
            row12_corresponding_adjustment: r12,
            row12_indicative: indicative,
            row13_cumulative: cum,
            row14_emissions_balance: e + r12,
        });
    }
    Ok(rows)
}
