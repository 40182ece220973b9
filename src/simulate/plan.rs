//! The transfer plan: headroom under the chosen method, the maximum transferable volume, the
//! binding constraint named in words, and which activity first-transfers how many units of
//! which vintage.
//!
//! Order of constraints (each one can bind; the first that lowers the answer is named):
//! supply (eligible authorized units) → demand (partners' yearly demand) → headroom of the
//! protected target (after the buffer) → national cap over the period.
//! Outside-scope ITMOs need a CA against their own categories; under `outside_scope_ca =
//! separate` they do not use NDC headroom (article6-rules §6), under `against-ndc` they do.
//! The maximum is tight: with headroom binding, one more unit of eligible supply in any vintage
//! would break the protected target (a property test guards it).

use super::params::{Params, Protect, Volume};
use super::supply::ActivitySupply;
use crate::accounting::{
    self, CaMethod, Headroom, NdcPeriod, NdcTarget, PlanLimit, TransferProfile, UnitSeries,
    YearSeries,
};
use crate::budget::Budget;
use crate::scenario::Scenario;
use crate::scenario::schema::{CaMethodChoice, NdcKind, OutsideScopeCa};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// A scenario that cannot be simulated: what, which key to fix, how.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (fix `{key}`: {fix})")]
pub struct SimError {
    pub key: String,
    pub message: String,
    pub fix: String,
}

fn bad(key: &str, message: impl Into<String>, fix: impl Into<String>) -> SimError {
    SimError {
        key: key.into(),
        message: message.into(),
        fix: fix.into(),
    }
}

/// What limits the maximum transferable volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Binding {
    /// No eligible supply at all.
    NoSupply,
    /// All eligible authorized units are transferable.
    Supply,
    /// Partners' demand per year.
    Demand,
    /// The protected target's headroom.
    Headroom,
    /// The headroom after the buffer the host holds back.
    Buffer,
    /// The national cap over the period.
    NationalCap,
}

impl Binding {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoSupply => "no eligible supply",
            Self::Supply => "supply",
            Self::Demand => "demand",
            Self::Headroom => "headroom",
            Self::Buffer => "buffer",
            Self::NationalCap => "national cap",
        }
    }
}

/// One first transfer in the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transfer {
    pub activity: String,
    pub vintage: i32,
    pub units: u64,
    pub acquiring: String,
    pub in_scope: bool,
}

/// The plan the ledger will execute.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub method: CaMethod,
    pub period: NdcPeriod,
    pub target: NdcTarget,
    /// The protected target level in the target year, tCO2e.
    pub protected_target: Decimal,
    /// E(t): projected covered emissions.
    pub emissions: YearSeries,
    pub headroom: Headroom,
    pub max_transferable: u64,
    pub binding: Binding,
    pub binding_text: String,
    /// First transfers to execute (the maximum, or the requested volume).
    pub transfers: Vec<Transfer>,
    pub requested: Option<u64>,
    /// For an acquiring party: ITMOs it must use towards its NDC to meet the protected target
    /// (averaging counts uses divided by N, so a target-year gap needs N times the gap).
    pub itmos_needed: Option<u64>,
    pub warnings: Vec<String>,
}

/// The accounting method and target for the scenario and parameters.
pub fn method_and_target(
    s: &Scenario,
    p: &Params,
) -> Result<(NdcPeriod, CaMethod, NdcTarget, Decimal), SimError> {
    let (p0, p1) = s.period();
    let period = NdcPeriod::new(p0, p1)
        .map_err(|e| bad("ndc.period", e.to_string(), "give [first, last] years"))?;
    let ndc = &s.file.ndc;
    let t = s.target_year();
    if t != p1 {
        return Err(bad(
            "ndc.target_year",
            format!("the target year {t} is not the last year of the period {p0}–{p1}"),
            "the accounting methods apply the target in the period's last year",
        ));
    }
    let protected = match p.protect {
        Protect::Unconditional => &ndc.unconditional,
        Protect::Conditional => ndc.conditional.as_ref().ok_or_else(|| {
            bad(
                "ndc.conditional",
                "the scenario has no conditional target to protect",
                "add [ndc] conditional = { … } or protect the unconditional target",
            )
        })?,
    };
    let level = s.target_level(protected, t);
    let traj = |key: &str| -> Result<YearSeries, SimError> {
        let mut out = YearSeries::new();
        for y in p0..=p1 {
            let v = s.trajectory(y).ok_or_else(|| {
                bad(
                    key,
                    format!("the trajectory has no value for {y}"),
                    format!("give trajectory values covering {p0}–{p1}"),
                )
            })?;
            out.insert(y, if y == t { v.min(level) } else { v });
        }
        Ok(out)
    };
    let (method, target) = match (ndc.kind, p.method) {
        (NdcKind::SingleYear, CaMethodChoice::Averaging) => (
            CaMethod::SingleYearAveraging,
            NdcTarget::SingleYear {
                target: level,
                indicative_trajectory: ndc
                    .trajectory
                    .as_ref()
                    .map(|_| traj("ndc.trajectory"))
                    .transpose()?,
            },
        ),
        (NdcKind::SingleYear, CaMethodChoice::Trajectory) => {
            if ndc.trajectory.is_none() {
                return Err(bad(
                    "ndc.trajectory",
                    "the trajectory method needs an indicative trajectory",
                    "add trajectory = { … } or use the averaging method",
                ));
            }
            (
                CaMethod::SingleYearTrajectory,
                NdcTarget::SingleYear {
                    target: level,
                    indicative_trajectory: Some(traj("ndc.trajectory")?),
                },
            )
        }
        (NdcKind::SingleYear, CaMethodChoice::Budget) => {
            return Err(bad(
                "ndc.kind",
                "the budget method needs a multi-year NDC",
                "use averaging or trajectory, or set kind = \"multi-year\"",
            ));
        }
        (NdcKind::MultiYear, CaMethodChoice::Averaging) => {
            return Err(bad(
                "ndc.kind",
                "averaging applies to single-year NDCs only",
                "use the trajectory or budget method",
            ));
        }
        (NdcKind::MultiYear, CaMethodChoice::Trajectory) => {
            if ndc.trajectory.is_none() {
                return Err(bad(
                    "ndc.trajectory",
                    "a multi-year trajectory NDC needs its trajectory",
                    "add trajectory = { … } or use the budget method",
                ));
            }
            (
                CaMethod::MultiYearTrajectory,
                NdcTarget::MultiYearTrajectory {
                    trajectory: traj("ndc.trajectory")?,
                },
            )
        }
        (NdcKind::MultiYear, CaMethodChoice::Budget) => {
            match (s.budget(), ndc.trajectory.is_some()) {
                (Some(b), _) => (
                    CaMethod::MultiYearBudget,
                    NdcTarget::MultiYearBudget { budget: b },
                ),
                (None, true) => (
                    CaMethod::MultiYearBudget,
                    NdcTarget::MultiYearTrajectory {
                        trajectory: traj("ndc.trajectory")?,
                    },
                ),
                (None, false) => {
                    return Err(bad(
                        "ndc.budget",
                        "the budget method needs a budget",
                        "add budget = … (emissions over the period)",
                    ));
                }
            }
        }
    };
    accounting::check_method(&target, method).map_err(|e| {
        bad(
            "ndc.ca_method",
            e.to_string(),
            "choose a method allowed for the NDC kind",
        )
    })?;
    Ok((period, method, target, level))
}

fn add(m: &mut UnitSeries, y: i32, v: u64) {
    if v > 0 {
        *m.entry(y).or_insert(0) += v;
    }
}

/// Build the plan.
pub fn plan(
    s: &Scenario,
    p: &Params,
    budget: &Budget,
    supply: &[ActivitySupply],
) -> Result<Plan, SimError> {
    let (period, method, target, level) = method_and_target(s, p)?;
    let against_ndc = p.outside_scope_ca == OutsideScopeCa::AgainstNdc;
    let counts_for_ndc = |a: &ActivitySupply| a.in_scope() || against_ndc;
    let emissions: YearSeries = budget
        .years
        .iter()
        .map(|y| (y.year, y.covered_projected))
        .collect();
    let headroom = accounting::headroom(&period, method, &target, &emissions, &UnitSeries::new())
        .map_err(|e| {
        bad(
            "ndc",
            e.to_string(),
            "check the NDC target and the sectors' BAU",
        )
    })?;

    // supply by vintage: counted against NDC headroom, or not (outside scope, separate)
    let (mut s_ndc, mut s_out, mut already) =
        (UnitSeries::new(), UnitSeries::new(), UnitSeries::new());
    for a in supply.iter().filter(|a| a.ineligible.is_none()) {
        for v in &a.vintages {
            if counts_for_ndc(a) {
                add(&mut s_ndc, v.vintage, v.authorized);
                add(&mut already, v.vintage, v.omge_first_transferred);
            } else {
                add(&mut s_out, v.vintage, v.authorized);
            }
        }
    }
    let demand: Option<UnitSeries> = p.use_demand.then(|| {
        s.years()
            .map(|y| {
                (
                    y,
                    s.file
                        .partners
                        .iter()
                        .map(|pa| super::params::units_floor(s.demand(pa, y)))
                        .sum::<u64>(),
                )
            })
            .collect()
    });
    let cap_by = |series: &UnitSeries, d: Option<&UnitSeries>| -> UnitSeries {
        series
            .iter()
            .map(|(&y, &v)| (y, d.map_or(v, |d| v.min(d.get(&y).copied().unwrap_or(0)))))
            .collect()
    };
    let fit = |caps: &UnitSeries, b: Decimal| {
        accounting::max_transferable(
            &period,
            &headroom,
            b,
            &already,
            &TransferProfile::PerVintageCap(caps.clone()),
        )
    };
    let err = |e: accounting::AccountingError| {
        bad("policy", e.to_string(), "check shares are within 0–1")
    };
    let plan_ndc = fit(&cap_by(&s_ndc, demand.as_ref()), p.buffer).map_err(err)?;
    let x_ndc: BTreeMap<i32, u64> = plan_ndc
        .by_vintage
        .iter()
        .map(|(&y, v)| (y, super::params::units_floor(*v)))
        .collect();
    // outside scope (separate): limited by supply and what demand is left
    let x_out: BTreeMap<i32, u64> = s_out
        .iter()
        .map(|(&y, &v)| {
            let left = demand.as_ref().map_or(u64::MAX, |d| {
                d.get(&y)
                    .copied()
                    .unwrap_or(0)
                    .saturating_sub(x_ndc.get(&y).copied().unwrap_or(0))
            });
            (y, v.min(left))
        })
        .collect();
    let pre_cap: u64 = x_ndc.values().sum::<u64>() + x_out.values().sum::<u64>();
    let total_supply: u64 = s_ndc.values().sum::<u64>() + s_out.values().sum::<u64>();

    let max = p.national_cap.map_or(pre_cap, |c| pre_cap.min(c));
    let n = period.len();
    let q = |d: Decimal| crate::scenario::units::format_quantity(d, s.unit(), 1);
    let binding = if total_supply == 0 {
        Binding::NoSupply
    } else if max < pre_cap {
        Binding::NationalCap
    } else if plan_ndc.limited_by == PlanLimit::Headroom {
        let without_buffer = fit(&cap_by(&s_ndc, demand.as_ref()), Decimal::ZERO).map_err(err)?;
        if p.buffer > Decimal::ZERO && without_buffer.total > plan_ndc.total {
            Binding::Buffer
        } else {
            Binding::Headroom
        }
    } else if let Some(d) = &demand {
        let no_demand = fit(&s_ndc, p.buffer).map_err(err)?;
        let out_no_demand: u64 = s_out.values().sum();
        let _ = d;
        if no_demand.total + out_no_demand > pre_cap {
            Binding::Demand
        } else {
            Binding::Supply
        }
    } else {
        Binding::Supply
    };
    let t = period.target_year();
    let e_t = emissions.get(&t).copied().unwrap_or_default();
    let gap = (e_t - level).max(Decimal::ZERO);
    let itmos_needed = (s.file.party.role != crate::scenario::schema::PartyRole::Host).then(|| {
        let need = match method {
            CaMethod::SingleYearAveraging => gap * Decimal::from(n),
            CaMethod::MultiYearBudget => -headroom_deficit(&emissions, &target),
            _ => gap,
        };
        super::params::units_floor(need.ceil())
    });
    let binding_text = match binding {
        Binding::NoSupply if s.file.party.role == crate::scenario::schema::PartyRole::Acquiring => format!(
            "acquiring party: transfers none; to meet its {t} target it must use {} ITMOs{}",
            crate::scenario::units::group_thousands(Decimal::from(itmos_needed.unwrap_or(0)), 0),
            if method == CaMethod::SingleYearAveraging { format!(" (averaging counts uses ÷ {n}: {n} × the {} gap)", q(gap)) } else { String::new() }
        ),
        Binding::NoSupply if p.host_retention >= Decimal::ONE => format!(
            "the host retains {} % of every issuance, so no unit is left to authorize (lower the retained share)",
            (p.host_retention * Decimal::from(100)).normalize()
        ),
        Binding::NoSupply => "no activity has eligible, authorized outcomes in the period (check the positive list, eligible NDC parts and authorizations)".to_string(),
        Binding::Supply => format!(
            "supply: every eligible authorized unit ({} ITMOs) can be transferred within the headroom",
            crate::scenario::units::group_thousands(Decimal::from(total_supply), 0)
        ),
        Binding::Demand => "demand: partners would take no more ITMOs in some vintage years".to_string(),
        Binding::NationalCap => format!(
            "national cap: at most {} ITMOs over the period",
            crate::scenario::units::group_thousands(Decimal::from(p.national_cap.unwrap_or(0)), 0)
        ),
        Binding::Headroom if headroom.total <= Decimal::ZERO && e_t > level => {
            format!("no headroom: projected {t} emissions ({}) already exceed the protected target ({}) before any transfer", q(e_t), q(level))
        }
        Binding::Headroom | Binding::Buffer => {
            let core = match method {
                CaMethod::SingleYearAveraging => format!("averaging: {t} headroom ({} target − {} projected) × {n} years = {}", q(level), q(e_t), q(headroom.total)),
                CaMethod::MultiYearBudget => format!("budget: budget − projected emissions over {}–{t} = {}", period.first(), q(headroom.total)),
                CaMethod::MultiYearTrajectory => format!("trajectory: Σ max(0, trajectory − projected) per vintage = {}", q(headroom.total)),
                CaMethod::SingleYearTrajectory => format!("trajectory (single year): {t} headroom {} − {} = {}", q(level), q(e_t), q(headroom.binding_total)),
            };
            if binding == Binding::Buffer { format!("{core}, less a {}% buffer", (p.buffer * Decimal::ONE_HUNDRED).normalize()) } else { core }
        }
    };

    // the volume to lay out: max, or the requested volume
    let mut warnings = vec![];
    let (mut want_ndc, mut want_out) = (x_ndc.clone(), x_out.clone());
    let requested = match p.volume {
        Volume::Max => {
            trim_latest(&mut want_ndc, &mut want_out, pre_cap - max);
            None
        }
        Volume::Units(v) => {
            let n = |x: u64| crate::scenario::units::group_thousands(Decimal::from(x), 0);
            if v > total_supply {
                warnings.push(format!(
                    "requested {} ITMOs but the eligible supply is {}: {} are transferred",
                    n(v),
                    n(total_supply),
                    n(total_supply)
                ));
            }
            if let Some(cap) = p.national_cap
                && v.min(total_supply) > cap
            {
                warnings.push(format!(
                    "{} ITMOs transferred is above the national cap of {}: the host's policy would not authorize so many",
                    n(v.min(total_supply)),
                    n(cap)
                ));
            }
            // the safe plan first, then any further supply by earliest vintage
            trim_latest(
                &mut want_ndc,
                &mut want_out,
                pre_cap.saturating_sub(v.min(pre_cap)),
            );
            let mut extra = v.saturating_sub(pre_cap);
            for (src, want) in [(&s_ndc, &mut want_ndc), (&s_out, &mut want_out)] {
                for (&y, &cap) in src {
                    if extra == 0 {
                        break;
                    }
                    let cur = want.entry(y).or_insert(0);
                    let take = (cap - (*cur).min(cap)).min(extra);
                    *cur += take;
                    extra -= take;
                }
            }
            Some(v)
        }
    };
    let transfers = allocate(supply, &want_ndc, &want_out, &counts_for_ndc);
    if p.ca_basis_6_4 == crate::scenario::schema::CaBasis64::HolderOnly {
        warnings.push(crate::accounting::HOLDER_ONLY_WARNING.to_string());
    }
    Ok(Plan {
        method,
        period,
        target,
        protected_target: level,
        emissions,
        headroom,
        max_transferable: max,
        binding,
        binding_text,
        transfers,
        requested,
        itmos_needed,
        warnings,
    })
}

/// Budget − Σ E (negative: the budget is overshot by that much).
fn headroom_deficit(emissions: &YearSeries, target: &NdcTarget) -> Decimal {
    let sum: Decimal = emissions.values().sum();
    match target {
        NdcTarget::MultiYearBudget { budget } => (*budget - sum).min(Decimal::ZERO),
        NdcTarget::MultiYearTrajectory { trajectory } => {
            (trajectory.values().sum::<Decimal>() - sum).min(Decimal::ZERO)
        }
        NdcTarget::SingleYear { .. } => Decimal::ZERO,
    }
}

/// Remove `excess` units from the latest vintages, outside scope before NDC scope.
fn trim_latest(ndc: &mut BTreeMap<i32, u64>, out: &mut BTreeMap<i32, u64>, mut excess: u64) {
    let years: Vec<i32> = ndc
        .keys()
        .chain(out.keys())
        .copied()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .rev()
        .collect();
    for y in years {
        for m in [&mut *out, &mut *ndc] {
            if excess == 0 {
                return;
            }
            if let Some(v) = m.get_mut(&y) {
                let take = (*v).min(excess);
                *v -= take;
                excess -= take;
            }
        }
    }
}

/// Split the per-vintage volumes over activities: dearest measures first (the host keeps its
/// cheap abatement), ties by id.
fn allocate(
    supply: &[ActivitySupply],
    ndc: &BTreeMap<i32, u64>,
    out: &BTreeMap<i32, u64>,
    counts_for_ndc: &dyn Fn(&ActivitySupply) -> bool,
) -> Vec<Transfer> {
    let mut order: Vec<&ActivitySupply> =
        supply.iter().filter(|a| a.ineligible.is_none()).collect();
    order.sort_by(|a, b| {
        b.cost_per_t
            .cmp(&a.cost_per_t)
            .then_with(|| a.activity.cmp(&b.activity))
    });
    let mut left_ndc = ndc.clone();
    let mut left_out = out.clone();
    let mut transfers = vec![];
    for a in order {
        let pool = if counts_for_ndc(a) {
            &mut left_ndc
        } else {
            &mut left_out
        };
        for v in &a.vintages {
            let Some(want) = pool.get_mut(&v.vintage) else {
                continue;
            };
            let take = (*want).min(v.authorized);
            if take > 0 {
                *want -= take;
                transfers.push(Transfer {
                    activity: a.activity.clone(),
                    vintage: v.vintage,
                    units: take,
                    acquiring: a.acquiring.clone().unwrap_or_default(),
                    in_scope: a.in_scope(),
                });
            }
        }
    }
    transfers.sort_by(|a, b| (a.vintage, &a.activity).cmp(&(b.vintage, &b.activity)));
    transfers
}
