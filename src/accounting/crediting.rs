//! Crediting periods and "credit now, end crediting later, count toward my NDC?" (§8, TV-3).
//!
//! ```text
//! host_benefit_j(t) = m_j(t) − CA_j(t)
//! trajectory methods:  CA_j(t) = authorized and first-transferred volume of vintage t
//! averaging:           CA_j(T) = Σ_{t∈P} FT_j(t) / N, applied in T only (0 in t < T)
//! ```
//! Mitigation that is not authorized-and-first-transferred is never added back, so it counts
//! toward the host NDC.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::balance::corresponding_adjustment;
use super::error::AccountingError;
use super::method::CaMethod;
use super::period::NdcPeriod;
use super::{UnitSeries, YearSeries, check_series};

/// The answer to "credit now, end the crediting period later, count toward my NDC?" (§8).
pub const CREDITING_TAIL_ANSWER: &str = "Yes. Mitigation that is not authorized and first-transferred is never added back by a corresponding adjustment, so it counts toward the host NDC. Ending or not renewing a crediting period, limiting authorization to some vintages or volumes, or issuing mitigation-contribution A6.4ERs all leave the reductions in the host balance without a CA. Check the period rules: vintage and use must fall in the same NDC period, and baseline renewal or a mandate on the technology shrinks what remains creditable.";

/// The §8 answer with the method-specific timing of the CA.
pub fn crediting_tail_answer(method: CaMethod) -> String {
    let timing = if method.is_averaging() {
        "Under averaging the host makes no annual CA: it adds Σ FT / N to its target-year balance only, while the target-year inventory contains the full mitigation of that year."
    } else {
        "Under a trajectory or budget method the host adds back exactly the first-transferred volume of each vintage; uncredited years (the tail) count fully toward the NDC."
    };
    format!("{CREDITING_TAIL_ANSWER} {timing}")
}

/// One year of an activity's effect on the host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityYear {
    pub year: i32,
    /// m_j(t), mitigation achieved (in the host inventory).
    pub mitigation: Decimal,
    /// CA_j(t) attributable to the activity.
    pub corresponding_adjustment: Decimal,
    /// m_j(t) − CA_j(t).
    pub host_benefit: Decimal,
}

/// host_benefit_j(t) for every t ∈ P (§8). `mitigation` missing a year = 0 (activity not
/// operating); `first_transferred_by_vintage` is the activity's authorized, first-transferred
/// units by vintage (for 6.4 use [`super::waterfall::authorized_first_transfers`]).
pub fn host_benefit(
    period: &NdcPeriod,
    method: CaMethod,
    mitigation: &YearSeries,
    first_transferred_by_vintage: &UnitSeries,
) -> Result<Vec<ActivityYear>, AccountingError> {
    check_series(mitigation, "mitigation m(t)")?;
    let ca = corresponding_adjustment(
        period,
        method,
        first_transferred_by_vintage,
        &UnitSeries::new(),
    )?;
    Ok(ca
        .into_iter()
        .map(|(t, ca_t)| {
            let m = mitigation.get(&t).copied().unwrap_or(Decimal::ZERO);
            ActivityYear {
                year: t,
                mitigation: m,
                corresponding_adjustment: ca_t,
                host_benefit: m - ca_t,
            }
        })
        .collect())
}
