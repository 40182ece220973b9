//! Headroom: how many ITMOs can the host first-transfer? (§5.2, §9 NDC check) and its inverse,
//! the largest integer number of units that keeps the protected target.
//!
//! ```text
//! MultiYearTrajectory:   FTmax(t) = max(0, Traj(t) − E(t) + U(t)),  total = Σ_{t∈P} FTmax(t)
//! SingleYearTrajectory:  binding FTmax(T) = max(0, Target(T) − E(T) + U(T)); t < T indicative
//! MultiYearBudget:       Σ FTmax = max(0, Budget − Σ E(t) + Σ U(t))
//! SingleYearAveraging:   Σ FTmax = max(0, N·(Target(T) − E(T)) + Σ U(t))  (timing irrelevant)
//! Sellable               = Σ FTmax · (1 − b) − already first-transferred
//! ```
//!
//! Interpretive choice [D]: for `SingleYearTrajectory` the total includes the indicative years
//! (conservative: selling within the total never triggers an indicative warning);
//! [`Headroom::binding_total`] is FTmax(T) alone.
//!
//! How the simulation calls it:
//! 1. [`super::check_method`] (or let [`headroom`] do it) for the Party's method and target;
//! 2. [`headroom`] with projected E(t) and planned U(t) → FTmax per year and total;
//! 3. [`sellable_units`] for the headline figure, or [`max_transferable`] with the supply per
//!    vintage ([`TransferProfile::PerVintageCap`]) or a vintage mix
//!    ([`TransferProfile::VintageShares`]) → the largest integer total and the per-vintage path;
//! 4. first-transfer that path through the registry and evaluate the result with
//!    [`super::emissions_balance`].

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use super::error::AccountingError;
use super::method::{CaMethod, Limit, NdcTarget, resolve_limit};
use super::period::NdcPeriod;
use super::{
    UnitSeries, YearSeries, check_quantity, check_series, check_share, check_units, required, units,
};

/// FTmax(t) for one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearHeadroom {
    pub year: i32,
    /// FTmax(t) ≥ 0 in t CO2e.
    pub max_first_transfer: Decimal,
    /// False for the indicative years (t < T) of `SingleYearTrajectory`.
    pub binding: bool,
}

/// Result of [`headroom`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Headroom {
    pub method: CaMethod,
    /// FTmax(t) per year for the trajectory methods; empty for budget and averaging, whose
    /// headroom is pooled over P.
    pub per_year: Vec<YearHeadroom>,
    /// Σ FTmax (before buffer and before units already first-transferred).
    pub total: Decimal,
    /// The part of `total` set by binding checks only (differs from `total` only for
    /// `SingleYearTrajectory`, where it is FTmax(T)).
    pub binding_total: Decimal,
}

impl Headroom {
    /// True when the method's headroom is per vintage year (trajectory methods).
    pub fn is_per_year(&self) -> bool {
        matches!(
            self.method,
            CaMethod::MultiYearTrajectory | CaMethod::SingleYearTrajectory
        )
    }
}

/// FTmax per §5.2 for `method` given projected E(t) (every t ∈ P for trajectory/budget methods;
/// E(T) for averaging) and planned uses U(t) keyed by use year.
pub fn headroom(
    period: &NdcPeriod,
    method: CaMethod,
    target: &NdcTarget,
    emissions: &YearSeries,
    used_by_use_year: &UnitSeries,
) -> Result<Headroom, AccountingError> {
    let limit = resolve_limit(period, target, method)?;
    check_series(emissions, "emissions E(t)")?;
    check_units(used_by_use_year, "used units U(t)")?;
    let e = |t| required(emissions, "emissions E(t)", t);
    let u = |t| units(used_by_use_year, t);
    let t_end = period.target_year();
    let sum_u: Decimal = period.years().map(u).sum();
    let pos = |x: Decimal| x.max(Decimal::ZERO);

    let (per_year, total, binding_total) = match &limit {
        Limit::Trajectory(traj) => {
            let mut rows = Vec::new();
            for t in period.years() {
                let l = required(traj, "trajectory Traj(t)", t)?;
                rows.push(YearHeadroom {
                    year: t,
                    max_first_transfer: pos(l - e(t)? + u(t)),
                    binding: true,
                });
            }
            let total: Decimal = rows.iter().map(|r| r.max_first_transfer).sum();
            (rows, total, total)
        }
        Limit::SingleYearWithTrajectory { target, indicative } => {
            let mut rows = Vec::new();
            for t in period.years() {
                let (l, binding) = if t == t_end {
                    (*target, true)
                } else {
                    (
                        required(indicative, "indicative trajectory Traj(t)", t)?,
                        false,
                    )
                };
                rows.push(YearHeadroom {
                    year: t,
                    max_first_transfer: pos(l - e(t)? + u(t)),
                    binding,
                });
            }
            let total: Decimal = rows.iter().map(|r| r.max_first_transfer).sum();
            let binding: Decimal = rows
                .iter()
                .filter(|r| r.binding)
                .map(|r| r.max_first_transfer)
                .sum();
            (rows, total, binding)
        }
        Limit::Budget(budget) => {
            let mut sum_e = Decimal::ZERO;
            for t in period.years() {
                sum_e += e(t)?;
            }
            let total = pos(*budget - sum_e + sum_u);
            (Vec::new(), total, total)
        }
        Limit::SingleYear(target) => {
            let n = Decimal::from(period.len());
            let total = pos(n * (*target - e(t_end)?) + sum_u);
            (Vec::new(), total, total)
        }
    };
    Ok(Headroom {
        method,
        per_year,
        total,
        binding_total,
    })
}

/// Sellable = total · (1 − b) − already first-transferred (§5.2). Negative means oversold.
/// `buffer` b ∈ [0, 1].
pub fn sellable(
    total: Decimal,
    buffer: Decimal,
    already_first_transferred: u64,
) -> Result<Decimal, AccountingError> {
    check_share(buffer, "buffer b")?;
    check_quantity(total, "headroom total", None)?;
    check_units(
        &[(0, already_first_transferred)].into(),
        "units already first-transferred",
    )?;
    Ok(total * (Decimal::ONE - buffer) - Decimal::from(already_first_transferred))
}

/// Whole units still sellable: floor(max(0, [`sellable`])).
pub fn sellable_units(
    total: Decimal,
    buffer: Decimal,
    already_first_transferred: u64,
) -> Result<u64, AccountingError> {
    let s = sellable(total, buffer, already_first_transferred)?;
    to_units(s.max(Decimal::ZERO).floor(), "sellable units")
}

/// How new first transfers are spread over vintages (every vintage must lie in P).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TransferProfile {
    /// At most `cap(t)` new units of vintage t (e.g. authorizable supply). Per-year methods
    /// fill each vintage up to min(cap, room); pooled methods fill earliest vintages first.
    PerVintageCap(UnitSeries),
    /// X units split in fixed proportions w(t)/Σw (each w(t) ∈ [0, 1], Σw > 0). The
    /// per-vintage quantities X·w(t)/Σw may be fractional; the total X is an integer.
    VintageShares(YearSeries),
}

/// Why a [`TransferPlan`] stops where it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlanLimit {
    /// The protected target (headroom after buffer) binds.
    Headroom,
    /// The supply caps bind before the headroom does.
    Supply,
}

/// Result of [`max_transferable`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransferPlan {
    /// Largest integer number of new units that can be first-transferred.
    pub total: u64,
    /// New first transfers per vintage (integers for `PerVintageCap`).
    pub by_vintage: YearSeries,
    pub limited_by: PlanLimit,
}

/// Inverse of the headroom: the largest integer number of new units that can be
/// first-transferred, spread by `profile`, such that the protected target holds given the
/// buffer b and the units already first-transferred by vintage (floor, exact).
///
/// Protected target: per-year methods need, for every vintage t,
/// `FTv_existing(t) + new(t) ≤ FTmax(t)·(1 − b)` (for `SingleYearTrajectory` the indicative
/// years too, see module doc); pooled methods need
/// `Σ_{t∈P} FTv_existing(t) + Σ new ≤ total·(1 − b)`.
pub fn max_transferable(
    period: &NdcPeriod,
    headroom: &Headroom,
    buffer: Decimal,
    already_by_vintage: &UnitSeries,
    profile: &TransferProfile,
) -> Result<TransferPlan, AccountingError> {
    check_share(buffer, "buffer b")?;
    check_units(already_by_vintage, "units already first-transferred")?;
    let keep = Decimal::ONE - buffer;
    let zero = Decimal::ZERO;

    // room per vintage (per-year methods) or pooled room
    let per_year_room: Option<YearSeries> = headroom.is_per_year().then(|| {
        headroom
            .per_year
            .iter()
            .map(|r| {
                let room = r.max_first_transfer * keep - units(already_by_vintage, r.year);
                (r.year, room.max(zero))
            })
            .collect()
    });
    let already_in_p: Decimal = period.years().map(|t| units(already_by_vintage, t)).sum();
    let pooled_room = (headroom.total * keep - already_in_p).max(zero);

    match profile {
        TransferProfile::PerVintageCap(caps) => {
            check_units(caps, "vintage cap")?;
            for &t in caps.keys() {
                period.require(t)?;
            }
            let mut by_vintage = YearSeries::new();
            let mut total: u64 = 0;
            let mut supply_binds = true;
            match &per_year_room {
                Some(rooms) => {
                    for (&t, &cap) in caps {
                        let room = rooms.get(&t).copied().unwrap_or(zero).floor();
                        let cap_d = Decimal::from(cap);
                        let x = if cap_d <= room {
                            cap_d
                        } else {
                            supply_binds = false;
                            room
                        };
                        total += to_units(x, "new first transfers")?;
                        by_vintage.insert(t, x);
                    }
                }
                None => {
                    let mut left = pooled_room.floor();
                    for (&t, &cap) in caps {
                        let cap_d = Decimal::from(cap);
                        let x = if cap_d <= left {
                            cap_d
                        } else {
                            supply_binds = false;
                            left
                        };
                        left -= x;
                        total += to_units(x, "new first transfers")?;
                        by_vintage.insert(t, x);
                    }
                }
            }
            Ok(TransferPlan {
                total,
                by_vintage,
                limited_by: if supply_binds {
                    PlanLimit::Supply
                } else {
                    PlanLimit::Headroom
                },
            })
        }
        TransferProfile::VintageShares(shares) => {
            let mut w_sum = zero;
            for (&t, &w) in shares {
                period.require(t)?;
                check_share(w, "vintage share w(t)")?;
                w_sum += w;
            }
            if w_sum <= zero {
                return Err(AccountingError::EmptyDistribution);
            }
            let total = match &per_year_room {
                None => to_units(pooled_room.floor(), "new first transfers")?,
                Some(rooms) => {
                    // candidate: floor(min_t room(t)·W / w(t)); then correct the Decimal
                    // rounding with the exact check X·w(t) ≤ room(t)·W.
                    let mut cand: Option<Decimal> = None;
                    for (&t, &w) in shares.iter().filter(|(_, w)| **w > zero) {
                        let room = rooms.get(&t).copied().unwrap_or(zero);
                        if let Some(q) = (room * w_sum).checked_div(w) {
                            cand = Some(cand.map_or(q, |c: Decimal| c.min(q)));
                        }
                    }
                    let cand = cand.ok_or(AccountingError::Overflow {
                        what: "maximum transferable units",
                    })?;
                    let fits = |x: u64| -> Result<bool, AccountingError> {
                        let xd = Decimal::from(x);
                        for (&t, &w) in shares.iter().filter(|(_, w)| **w > zero) {
                            let room = rooms.get(&t).copied().unwrap_or(zero);
                            let lhs = xd.checked_mul(w).ok_or(AccountingError::Overflow {
                                what: "vintage split",
                            })?;
                            if lhs > room * w_sum {
                                return Ok(false);
                            }
                        }
                        Ok(true)
                    };
                    let mut x = to_units(cand.floor(), "new first transfers")?;
                    while x > 0 && !fits(x)? {
                        x -= 1;
                    }
                    while fits(x + 1)? {
                        x += 1;
                    }
                    x
                }
            };
            let xd = Decimal::from(total);
            let by_vintage = shares.iter().map(|(&t, &w)| (t, xd * w / w_sum)).collect();
            Ok(TransferPlan {
                total,
                by_vintage,
                limited_by: PlanLimit::Headroom,
            })
        }
    }
}

/// Converts a non-negative integral Decimal to u64.
fn to_units(x: Decimal, what: &'static str) -> Result<u64, AccountingError> {
    if x < Decimal::ZERO {
        return Err(AccountingError::NegativeQuantity {
            what,
            value: x.to_string(),
        });
    }
    x.to_u64().ok_or(AccountingError::Overflow { what })
}
