//! Sectors and gases outside the NDC (§6): identified outside categories get their own
//! emissions balance; `outside_scope_ca` decides whether their CAs also weigh on the NDC.
//!
//! ```text
//! EB_out(t) = E_out(t) + CA_out(t),   CA_out(t) = FTv_out(t)  (first transfers from outside
//!                                                              categories, by vintage)
//! Separate (default):  NDC FTv unchanged, outside CAs do not consume NDC headroom
//! AgainstNdc:          NDC FTv(t) + FTv_out(t) (the conservative reading)
//! ```
//! Which reading is in force must be shown to the user ([`OutsideScopeCa::label`]).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::error::AccountingError;
use super::period::NdcPeriod;
use super::{UnitSeries, YearSeries, check_series, check_units, required, units};

/// Parameter `outside_scope_ca` (§6, §11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum OutsideScopeCa {
    /// Outside-category CAs go to their own balance only (default).
    #[default]
    Separate,
    /// Outside-category CAs are also added to the NDC balance.
    AgainstNdc,
}

impl OutsideScopeCa {
    /// Text telling the user which reading is in force.
    pub fn label(self) -> &'static str {
        match self {
            Self::Separate => "outside-NDC CAs: separate balance (do not consume NDC headroom)",
            Self::AgainstNdc => "outside-NDC CAs: also added to the NDC balance (conservative)",
        }
    }
}

/// One year of the outside-category balance (Table 4 row 6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutsideYear {
    pub year: i32,
    /// E_out(t).
    pub emissions: Decimal,
    /// CA_out(t) = FTv_out(t).
    pub corresponding_adjustment: Decimal,
    /// EB_out(t) = E_out(t) + CA_out(t).
    pub emissions_balance: Decimal,
}

/// Balance of the identified outside categories for every t ∈ P.
pub fn outside_emissions_balance(
    period: &NdcPeriod,
    outside_emissions: &YearSeries,
    outside_first_transferred_by_vintage: &UnitSeries,
) -> Result<Vec<OutsideYear>, AccountingError> {
    check_series(outside_emissions, "outside-category emissions E_out(t)")?;
    check_units(
        outside_first_transferred_by_vintage,
        "outside-category FTv(t)",
    )?;
    period
        .years()
        .map(|t| {
            let e = required(outside_emissions, "outside-category emissions E_out(t)", t)?;
            let ca = units(outside_first_transferred_by_vintage, t);
            Ok(OutsideYear {
                year: t,
                emissions: e,
                corresponding_adjustment: ca,
                emissions_balance: e + ca,
            })
        })
        .collect()
}

/// The FTv(t) series the NDC balance and headroom must use: the NDC-scope series, plus the
/// outside-category series under `AgainstNdc`.
pub fn ndc_scope_first_transfers(
    ndc_first_transferred_by_vintage: &UnitSeries,
    outside_first_transferred_by_vintage: &UnitSeries,
    mode: OutsideScopeCa,
) -> Result<UnitSeries, AccountingError> {
    check_units(ndc_first_transferred_by_vintage, "NDC FTv(t)")?;
    check_units(
        outside_first_transferred_by_vintage,
        "outside-category FTv(t)",
    )?;
    let mut out = ndc_first_transferred_by_vintage.clone();
    if mode == OutsideScopeCa::AgainstNdc {
        for (&t, &q) in outside_first_transferred_by_vintage {
            // both ≤ 10^15, the sum cannot overflow u64
            *out.entry(t).or_insert(0) += q;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separate_keeps_ndc_series_and_against_ndc_adds_outside_cas() {
        let p = NdcPeriod::new(2021, 2022).unwrap();
        let ndc: UnitSeries = [(2021, 10)].into();
        let out: UnitSeries = [(2021, 3), (2022, 4)].into();
        assert_eq!(
            ndc_scope_first_transfers(&ndc, &out, OutsideScopeCa::Separate).unwrap(),
            ndc
        );
        let against: UnitSeries = [(2021, 13), (2022, 4)].into();
        assert_eq!(
            ndc_scope_first_transfers(&ndc, &out, OutsideScopeCa::AgainstNdc).unwrap(),
            against
        );
        let e: YearSeries = [(2021, Decimal::from(50)), (2022, Decimal::from(40))].into();
        let bal = outside_emissions_balance(&p, &e, &out).unwrap();
        assert_eq!(bal[0].emissions_balance, Decimal::from(53));
        assert_eq!(bal[1].emissions_balance, Decimal::from(44));
        assert_eq!(OutsideScopeCa::default(), OutsideScopeCa::Separate);
    }
}
