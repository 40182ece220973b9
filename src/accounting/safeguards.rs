//! Host safeguards against overselling (§9) and the buyer's international-credit limit.
//!
//! ```text
//! eligible_j        = on_positive_list(j) ∧ rule_ok(j)
//! rule_ok(j)        = Any: true
//!                     BeyondUnconditional: tag ∈ {cond, beyond, outside} ∨ (macc_rule ∧ c_j > p*)
//!                     BeyondNDC: tag ∈ {beyond, outside}
//! authorizable_j(t) = eligible_j · m_j(t) · 1[t ≥ 2021 ∧ t ∈ P ∧ t in crediting window_j]
//! exportable_j(t)   = authorizable_j(t) · (1 − r_host) · transfer_ratio · (1 − s_sop − s_omge)
//! MACC: sort by c ascending, A(k) = Σ_{j≤k} a_j(T), A* = E_BAU(T) − Target_uncond(T),
//!       k* = min{k : A(k) ≥ A*}, p* = c_{k*}; A(K) < A* → Indeterminate; A* ≤ 0 → none needed
//! ICC (buyer): credits ≤ floor(icc_limit · taxable emissions)
//! ```
//! The NDC check (Σ FT ≤ headroom · (1 − b)) is [`super::headroom::sellable`].

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use super::error::AccountingError;
use super::period::{NdcPeriod, VINTAGE_MIN};
use super::waterfall::LevyShares;
use super::{check_quantity, check_share};

/// Where an activity sits relative to the host's NDC plans (§9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActivityTag {
    /// In the unconditional plan.
    Unconditional,
    /// In the conditional plan.
    Conditional,
    /// In NDC scope, in neither plan.
    Beyond,
    /// Outside NDC scope.
    Outside,
}

/// Parameter `eligibility_rule` (§9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum EligibilityRule {
    #[default]
    Any,
    BeyondUnconditional,
    BeyondNdc,
}

/// Outcome of the eligibility check: never a silent pass when the MACC threshold is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EligibilityOutcome {
    Eligible,
    /// Not on the positive list.
    NotOnPositiveList,
    /// The eligibility rule excludes the activity.
    ExcludedByRule,
    /// Depends on p*, which is undefined (abatement never reaches A*).
    Indeterminate,
}

/// One abatement measure on the MACC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    /// Identifier shown to the user.
    pub id: String,
    /// c_j, cost per t CO2e.
    pub cost: Decimal,
    /// a_j(T), abatement in the target year (t CO2e).
    pub abatement_target_year: Decimal,
}

/// MACC threshold p* (§9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum MaccThreshold {
    /// A* ≤ 0: the unconditional target needs no measure; every measure may be authorized.
    NoMeasureNeeded,
    /// p* = c_{k*}; measures with c ≤ p* are needed for the unconditional target.
    Threshold {
        price: Decimal,
        /// k*, number of measures (cheapest first) needed to reach A*.
        measures_needed: usize,
        /// A* = E_BAU(T) − Target_uncond(T).
        required_abatement: Decimal,
    },
    /// A(K) < A*: p* undefined; the safeguard result is indeterminate.
    Indeterminate { shortfall: Decimal },
}

/// p* from the measures, BAU emissions in T and the unconditional target in T (§9).
pub fn macc_threshold(
    measures: &[Measure],
    bau_emissions_target_year: Decimal,
    unconditional_target: Decimal,
) -> Result<MaccThreshold, AccountingError> {
    check_quantity(bau_emissions_target_year, "BAU emissions E_BAU(T)", None)?;
    check_quantity(unconditional_target, "unconditional target", None)?;
    for m in measures {
        check_quantity(m.cost, "measure cost", None)?;
        check_quantity(m.abatement_target_year, "measure abatement a_j(T)", None)?;
        if m.abatement_target_year < Decimal::ZERO {
            return Err(AccountingError::NegativeQuantity {
                what: "measure abatement a_j(T)",
                value: m.abatement_target_year.to_string(),
            });
        }
    }
    let required = bau_emissions_target_year - unconditional_target;
    if required <= Decimal::ZERO {
        return Ok(MaccThreshold::NoMeasureNeeded);
    }
    let mut sorted: Vec<&Measure> = measures.iter().collect();
    sorted.sort_by_key(|m| m.cost);
    let mut cumulative = Decimal::ZERO;
    for (k, m) in sorted.iter().enumerate() {
        cumulative += m.abatement_target_year;
        if cumulative >= required {
            return Ok(MaccThreshold::Threshold {
                price: m.cost,
                measures_needed: k + 1,
                required_abatement: required,
            });
        }
    }
    Ok(MaccThreshold::Indeterminate {
        shortfall: required - cumulative,
    })
}

/// Whether `activity_type` is on the positive list (`None` = no list, all eligible).
pub fn on_positive_list(positive_list: Option<&BTreeSet<String>>, activity_type: &str) -> bool {
    positive_list.is_none_or(|list| list.contains(activity_type))
}

/// eligible_j = on_positive_list ∧ rule_ok (§9). `macc` is `Some` when `macc_rule` is on.
pub fn eligibility(
    on_list: bool,
    rule: EligibilityRule,
    tag: ActivityTag,
    cost: Decimal,
    macc: Option<&MaccThreshold>,
) -> EligibilityOutcome {
    use ActivityTag::*;
    if !on_list {
        return EligibilityOutcome::NotOnPositiveList;
    }
    let ok = match rule {
        EligibilityRule::Any => true,
        EligibilityRule::BeyondNdc => matches!(tag, Beyond | Outside),
        EligibilityRule::BeyondUnconditional => {
            if matches!(tag, Conditional | Beyond | Outside) {
                true
            } else {
                match macc {
                    None => false,
                    Some(MaccThreshold::NoMeasureNeeded) => true,
                    Some(MaccThreshold::Threshold { price, .. }) => cost > *price,
                    Some(MaccThreshold::Indeterminate { .. }) => {
                        return EligibilityOutcome::Indeterminate;
                    }
                }
            }
        }
    };
    if ok {
        EligibilityOutcome::Eligible
    } else {
        EligibilityOutcome::ExcludedByRule
    }
}

/// authorizable_j(t) = eligible · m_j(t) · 1[t ≥ 2021 ∧ t ∈ P ∧ t in the crediting window]
/// (`crediting_window` inclusive first..=last years).
pub fn authorizable(
    eligible: bool,
    mitigation: Decimal,
    year: i32,
    period: &NdcPeriod,
    crediting_window: (i32, i32),
) -> Decimal {
    let in_window = (crediting_window.0..=crediting_window.1).contains(&year);
    if eligible && year >= VINTAGE_MIN && period.contains(year) && in_window {
        mitigation
    } else {
        Decimal::ZERO
    }
}

/// exportable_j(t) = authorizable · (1 − r_host) · transfer_ratio · (1 − s_sop − s_omge);
/// `levy` is `Some` for 6.4 activities only. The retained share stays in the host balance
/// without CA.
pub fn exportable(
    authorizable: Decimal,
    retained_share: Decimal,
    transfer_ratio: Decimal,
    levy: Option<LevyShares>,
) -> Result<Decimal, AccountingError> {
    check_quantity(authorizable, "authorizable mitigation", None)?;
    check_share(retained_share, "host retention r_host")?;
    check_share(transfer_ratio, "transfer ratio")?;
    let levy_factor = levy.map_or(Decimal::ONE, |l| Decimal::ONE - l.sop() - l.omge());
    Ok(authorizable * (Decimal::ONE - retained_share) * transfer_ratio * levy_factor)
}

/// Result of the national cap check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CapCheck {
    NoCap,
    Within { remaining: Decimal },
    Exceeded { excess: Decimal },
}

/// Σ_j Σ_t exportable_j(t) ≤ national_cap (§9).
pub fn national_cap_check(
    total_exportable: Decimal,
    national_cap: Option<Decimal>,
) -> Result<CapCheck, AccountingError> {
    check_quantity(total_exportable, "total exportable", None)?;
    if let Some(cap) = national_cap {
        check_quantity(cap, "national cap", None)?;
    }
    Ok(match national_cap {
        None => CapCheck::NoCap,
        Some(cap) if total_exportable <= cap => CapCheck::Within {
            remaining: cap - total_exportable,
        },
        Some(cap) => CapCheck::Exceeded {
            excess: total_exportable - cap,
        },
    })
}

/// Buyer limit: at most floor(icc_limit · taxable emissions) international credits (§9, TV-5).
pub fn max_international_credits(
    taxable_emissions: Decimal,
    icc_limit: Decimal,
) -> Result<u64, AccountingError> {
    check_quantity(taxable_emissions, "taxable emissions", None)?;
    check_share(icc_limit, "ICC limit")?;
    if taxable_emissions < Decimal::ZERO {
        return Err(AccountingError::NegativeQuantity {
            what: "taxable emissions",
            value: taxable_emissions.to_string(),
        });
    }
    (taxable_emissions * icc_limit)
        .floor()
        .to_u64()
        .ok_or(AccountingError::Overflow {
            what: "international credit limit",
        })
}

/// Tax liability a number of credits covers: credits × price.
pub fn tax_covered(credits: u64, price_per_tonne: Decimal) -> Result<Decimal, AccountingError> {
    Decimal::from(credits)
        .checked_mul(price_per_tonne)
        .ok_or(AccountingError::Overflow {
            what: "tax covered by credits",
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_list_none_means_all() {
        let list: BTreeSet<String> = ["solar".to_string()].into();
        assert!(on_positive_list(None, "cookstoves"));
        assert!(on_positive_list(Some(&list), "solar"));
        assert!(!on_positive_list(Some(&list), "cookstoves"));
    }
}
