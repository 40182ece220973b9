//! Article 6.4 issuance waterfall (§7): I → SOP (Adaptation Fund), OMGE (cancelled), holder.
//!
//! ```text
//! SOP = s_sop · I   (0.05)      OMGE = s_omge · I   (≥ 0.02)      Holder = I − SOP − OMGE
//! ```
//! Levies are additive shares of I (1 − 0.05 − 0.02 = 0.93), each rounded to whole units by
//! `levy_rounding` (default up, so the minimum shares are met); the remainder goes to the holder.
//! The host CA quantity depends on `ca_basis_6_4`: `AfterSop` (default) adjusts I − SOP
//! (holder and OMGE units), `HolderOnly` only the holder units (with [`HOLDER_ONLY_WARNING`]).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::error::AccountingError;
use super::{MAX_QUANTITY, UnitSeries, check_share};

/// Rounding of each levy leg to whole units (§7, `levy_rounding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum LevyRounding {
    /// Ceiling: the levy is never below its minimum share (default).
    #[default]
    Up,
    /// Floor.
    Down,
    /// Nearest, halves away from zero.
    Nearest,
}

/// Levy shares of an issuance, each in [0, 1], together ≤ 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevyShares {
    sop: Decimal,
    omge: Decimal,
}

impl LevyShares {
    /// Validated shares.
    pub fn new(sop: Decimal, omge: Decimal) -> Result<Self, AccountingError> {
        check_share(sop, "share of proceeds s_sop")?;
        check_share(omge, "OMGE share s_omge")?;
        if sop + omge > Decimal::ONE {
            return Err(AccountingError::LevySharesExceedOne {
                sop: sop.to_string(),
                omge: omge.to_string(),
            });
        }
        Ok(Self { sop, omge })
    }

    /// Article 6.4 defaults: SOP 5 %, OMGE 2 % (§7, §11).
    pub fn article_6_4() -> Self {
        Self {
            sop: Decimal::new(5, 2),
            omge: Decimal::new(2, 2),
        }
    }

    /// Article 6.2 defaults: both voluntary, 0 % (§5.3, §11).
    pub fn article_6_2() -> Self {
        Self {
            sop: Decimal::ZERO,
            omge: Decimal::ZERO,
        }
    }

    /// CDM: SOP 2 %, no OMGE (§7).
    pub fn cdm() -> Self {
        Self {
            sop: Decimal::new(2, 2),
            omge: Decimal::ZERO,
        }
    }

    pub fn sop(&self) -> Decimal {
        self.sop
    }

    pub fn omge(&self) -> Decimal {
        self.omge
    }
}

/// Host CA basis for authorized A6.4ERs (§7, `ca_basis_6_4`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CaBasis {
    /// I − SOP: holder and OMGE units (OMGE units first-transferred at issuance). Default.
    #[default]
    AfterSop,
    /// Holder units only; shows [`HOLDER_ONLY_WARNING`].
    HolderOnly,
}

/// Warning shown whenever `HolderOnly` is selected (§7).
pub const HOLDER_ONLY_WARNING: &str = "CA basis HolderOnly: the OMGE units stay in the host's emissions balance, so the host also counts them and the OMGE cancellation delivers no net global mitigation.";

impl CaBasis {
    /// The warning to show for this basis, if any.
    pub fn warning(self) -> Option<&'static str> {
        match self {
            Self::AfterSop => None,
            Self::HolderOnly => Some(HOLDER_ONLY_WARNING),
        }
    }
}

/// Split of one issuance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waterfall {
    /// I.
    pub issued: u64,
    /// SOP units to the Adaptation Fund account.
    pub share_of_proceeds: u64,
    /// OMGE units to the cancellation account.
    pub omge_cancelled: u64,
    /// Holder = I − SOP − OMGE.
    pub holder: u64,
}

impl Waterfall {
    /// Units the host adjusts for under `basis` (if the units are authorized).
    pub fn ca_quantity(&self, basis: CaBasis) -> u64 {
        match basis {
            CaBasis::AfterSop => self.holder + self.omge_cancelled,
            CaBasis::HolderOnly => self.holder,
        }
    }
}

/// Splits an issuance of `issued` units (§7). Legs sum to I; with `Up` each levy is ≥ its share.
pub fn issuance_waterfall(
    issued: u64,
    shares: LevyShares,
    rounding: LevyRounding,
) -> Result<Waterfall, AccountingError> {
    if issued > MAX_QUANTITY {
        return Err(AccountingError::QuantityTooLarge {
            what: "issued units",
            year: None,
            value: issued.to_string(),
        });
    }
    let i = Decimal::from(issued);
    let round = |x: Decimal| {
        let r = match rounding {
            LevyRounding::Up => x.ceil(),
            LevyRounding::Down => x.floor(),
            LevyRounding::Nearest => {
                x.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
            }
        };
        r.to_u64().ok_or(AccountingError::Overflow { what: "levy" })
    };
    let sop = round(i * shares.sop)?;
    let omge = round(i * shares.omge)?;
    let holder = issued
        .checked_sub(sop)
        .and_then(|h| h.checked_sub(omge))
        .ok_or(AccountingError::LeviesExceedIssuance { issued, sop, omge })?;
    Ok(Waterfall {
        issued,
        share_of_proceeds: sop,
        omge_cancelled: omge,
        holder,
    })
}

/// The same issuance under the CDM (§7): SOP 2 %, no OMGE, no CA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CdmComparison {
    pub issued: u64,
    pub share_of_proceeds: u64,
    pub omge_cancelled: u64,
    pub holder: u64,
    /// Always 0: CERs carry no corresponding adjustment.
    pub corresponding_adjustment: u64,
}

/// CDM comparison for `issued` CERs.
pub fn cdm_comparison(
    issued: u64,
    rounding: LevyRounding,
) -> Result<CdmComparison, AccountingError> {
    let w = issuance_waterfall(issued, LevyShares::cdm(), rounding)?;
    Ok(CdmComparison {
        issued,
        share_of_proceeds: w.share_of_proceeds,
        omge_cancelled: 0,
        holder: w.holder,
        corresponding_adjustment: 0,
    })
}

/// Host CA quantities by vintage for authorized 6.4 issuances by vintage: each issuance runs
/// through the waterfall and contributes [`Waterfall::ca_quantity`] (first-transferred at
/// issuance, vintage of the issuance, §7 `AfterSop` timing).
pub fn authorized_first_transfers(
    issued_by_vintage: &UnitSeries,
    shares: LevyShares,
    rounding: LevyRounding,
    basis: CaBasis,
) -> Result<UnitSeries, AccountingError> {
    issued_by_vintage
        .iter()
        .map(|(&t, &i)| {
            Ok((
                t,
                issuance_waterfall(i, shares, rounding)?.ca_quantity(basis),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_up_meets_minimum_shares_on_non_round_issuance() {
        // I = 101: 5 % = 5.05 → 6, 2 % = 2.02 → 3, holder 92
        let w = issuance_waterfall(101, LevyShares::article_6_4(), LevyRounding::Up).unwrap();
        assert_eq!(
            (w.share_of_proceeds, w.omge_cancelled, w.holder),
            (6, 3, 92)
        );
        let d = issuance_waterfall(101, LevyShares::article_6_4(), LevyRounding::Down).unwrap();
        assert_eq!(
            (d.share_of_proceeds, d.omge_cancelled, d.holder),
            (5, 2, 94)
        );
        // I = 30: 1.5 → 2 (nearest, half away), 0.6 → 1
        let n = issuance_waterfall(30, LevyShares::article_6_4(), LevyRounding::Nearest).unwrap();
        assert_eq!(
            (n.share_of_proceeds, n.omge_cancelled, n.holder),
            (2, 1, 27)
        );
    }

    #[test]
    fn invalid_shares_and_overshooting_levies_are_errors() {
        assert!(LevyShares::new(Decimal::new(6, 1), Decimal::new(5, 1)).is_err());
        assert!(LevyShares::new(Decimal::new(-1, 2), Decimal::ZERO).is_err());
        let half = LevyShares::new(Decimal::new(5, 1), Decimal::new(5, 1)).unwrap();
        // I = 1: ceil(0.5) + ceil(0.5) = 2 > 1
        assert!(matches!(
            issuance_waterfall(1, half, LevyRounding::Up),
            Err(AccountingError::LeviesExceedIssuance { .. })
        ));
    }
}
