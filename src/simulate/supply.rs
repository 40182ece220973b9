//! Eligible supply per activity and vintage: which mitigation outcomes the host may authorize
//! and transfer, after its safeguards and the issuance levies.
//!
//! Per activity j and vintage t (article6-rules §7, §9):
//! - eligible_j: authorized for NDC/OIMP (not a mitigation contribution), mechanism 6.2 or 6.4,
//!   category on the positive list (empty list = all), NDC part among the eligible parts
//!   (empty = all), and, with the MACC rule, cost above p*;
//! - t ∈ P, t ≥ 2021 and t in the crediting window;
//! - issued I = ⌊m_j(t)⌋ units; levies (6.4: SOP 5 %, OMGE 2 %; 6.2: voluntary shares) rounded
//!   up (`accounting::issuance_waterfall`); holder H = I − SOP − OMGE;
//! - authorized A = ⌊H · (1 − r_host) · transfer_ratio⌋; the rest of H stays with the host
//!   without a CA (retention);
//! - under the 6.4 CA basis `after-sop`, an authorized 6.4 issuance's OMGE units count as first
//!   transferred at issuance (vintage t); under `holder-only` they do not (see `issued_as_itmo`).

use super::params::{Params, units_floor};
use crate::accounting::{LevyRounding, LevyShares, VINTAGE_MIN, issuance_waterfall};
use crate::budget::Budget;
use crate::scenario::Scenario;
use crate::scenario::schema::{Activity, CaBasis64, Mechanism, NdcPart, Purpose};
use rust_decimal::Decimal;
use serde::Serialize;

/// Why an activity's outcomes cannot be authorized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ineligible {
    Domestic,
    NotAuthorized,
    MitigationContribution,
    NotOnPositiveList,
    NdcPartNotEligible,
    BelowMaccPrice,
}

impl Ineligible {
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Domestic => "domestic activity: no Article 6 units",
            Self::NotAuthorized => "no authorization: the outcomes stay in the host NDC",
            Self::MitigationContribution => {
                "6.4 mitigation contribution: no CA, counts toward the host NDC"
            }
            Self::NotOnPositiveList => "category not on the host's positive list",
            Self::NdcPartNotEligible => "NDC part not eligible under the host's policy",
            Self::BelowMaccPrice => {
                "cost at or below p*: needed for the unconditional target (MACC rule)"
            }
        }
    }
}

/// One activity's units in one vintage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VintageSupply {
    pub vintage: i32,
    pub issued: u64,
    pub sop: u64,
    pub omge: u64,
    /// Holder units not authorized (host retention and transfer ratio).
    pub retained: u64,
    /// Units authorized (ITMOs) and available for first transfer.
    pub authorized: u64,
    /// OMGE units counted as first transferred at issuance (6.4, after-sop basis).
    pub omge_first_transferred: u64,
}

/// An activity's supply over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivitySupply {
    pub activity: String,
    pub mechanism: Mechanism,
    pub ndc_part: NdcPart,
    pub cost_per_t: Decimal,
    pub acquiring: Option<String>,
    pub ineligible: Option<Ineligible>,
    pub vintages: Vec<VintageSupply>,
}

impl ActivitySupply {
    pub fn in_scope(&self) -> bool {
        self.ndc_part != NdcPart::OutsideScope
    }
    pub fn authorized(&self) -> u64 {
        self.vintages.iter().map(|v| v.authorized).sum()
    }
}

/// Is an activity's issuance born ITMO (authorized at issuance)? Only for an authorized 6.4
/// activity under the `after-sop` CA basis whose first transfer is the international transfer
/// (or the use): then the OMGE leg counts as first transferred at issuance, and the holder
/// units wait, authorized, for their transfer. Where the authorization or the issuance itself
/// is the first transfer (OIMP definitions), units are authorized only as they are sold.
pub fn issued_as_itmo(a: &Activity, ca_basis: CaBasis64) -> bool {
    use crate::scenario::schema::FirstTransferDef as D;
    let Some(auth) = &a.authorization else {
        return false;
    };
    let ft_on_transfer = match auth.purpose {
        Purpose::MitigationContribution => return false,
        Purpose::Ndc => true,
        Purpose::Oimp | Purpose::NdcAndOimp => matches!(
            auth.first_transfer,
            Some(D::FirstInternationalTransfer) | Some(D::UseOrCancellation)
        ),
    };
    a.mechanism == Mechanism::A64 && ca_basis == CaBasis64::AfterSop && ft_on_transfer
}

fn ineligible(s: &Scenario, a: &Activity, p: &Params, budget: &Budget) -> Option<Ineligible> {
    let pol = &s.file.policy;
    if a.mechanism == Mechanism::Domestic {
        return Some(Ineligible::Domestic);
    }
    let auth = match &a.authorization {
        None => return Some(Ineligible::NotAuthorized),
        Some(x) => x,
    };
    if auth.purpose == Purpose::MitigationContribution {
        return Some(Ineligible::MitigationContribution);
    }
    if !pol.positive_list.is_empty() && !pol.positive_list.contains(&a.category) {
        return Some(Ineligible::NotOnPositiveList);
    }
    if !pol.eligible_ndc_parts.is_empty() && !pol.eligible_ndc_parts.contains(&a.ndc_part) {
        return Some(Ineligible::NdcPartNotEligible);
    }
    if p.macc_rule && a.ndc_part != NdcPart::OutsideScope && !budget.macc.allows(a.cost_per_t) {
        return Some(Ineligible::BelowMaccPrice);
    }
    None
}

/// Supply of every activity, sorted by activity id (file order never matters).
pub fn supply(s: &Scenario, p: &Params, budget: &Budget) -> Vec<ActivitySupply> {
    let mut acts: Vec<&Activity> = s.file.activities.iter().collect();
    acts.sort_by(|a, b| a.id.cmp(&b.id));
    acts.into_iter()
        .map(|a| {
            let why = ineligible(s, a, p, budget);
            let mut vintages = vec![];
            if why.is_none() {
                let shares = match a.mechanism {
                    Mechanism::A64 => LevyShares::new(p.sop_6_4, p.omge_6_4),
                    _ => LevyShares::new(p.sop_6_2, p.omge_6_2),
                }
                .unwrap_or_else(|_| LevyShares::article_6_4());
                let keep = (Decimal::ONE - p.host_retention) * p.transfer_ratio;
                for t in s.years().filter(|&t| t >= VINTAGE_MIN && s.credited(a, t)) {
                    let issued = units_floor(s.mitigation(a, t));
                    if issued == 0 {
                        continue;
                    }
                    let Ok(w) = issuance_waterfall(issued, shares, LevyRounding::Up) else {
                        continue;
                    };
                    let authorized = units_floor(Decimal::from(w.holder) * keep).min(w.holder);
                    let omge_ft = if issued_as_itmo(a, p.ca_basis_6_4) {
                        w.omge_cancelled
                    } else {
                        0
                    };
                    vintages.push(VintageSupply {
                        vintage: t,
                        issued,
                        sop: w.share_of_proceeds,
                        omge: w.omge_cancelled,
                        retained: w.holder - authorized,
                        authorized,
                        omge_first_transferred: omge_ft,
                    });
                }
            }
            ActivitySupply {
                activity: a.id.clone(),
                mechanism: a.mechanism,
                ndc_part: a.ndc_part,
                cost_per_t: a.cost_per_t,
                acquiring: a.authorization.as_ref().and_then(|x| x.acquiring.clone()),
                ineligible: why,
                vintages,
            }
        })
        .collect()
}
