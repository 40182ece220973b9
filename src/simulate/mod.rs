//! The ITMO transfer simulation: "how many ITMOs can we transfer and still keep our NDC?"
//!
//! `run` takes a scenario and parameters and:
//! 1. builds the MO budget (`budget`) and the eligible supply per activity and vintage
//!    (`supply`: positive list, eligible NDC parts, crediting window, vintage ≥ 2021, levies,
//!    retention);
//! 2. plans the transfers (`plan`): headroom under the CA method (`accounting::headroom`), the
//!    maximum transferable volume and the binding constraint in words;
//! 3. executes the plan on a registry ledger (`ledger_run`): issuance with levies,
//!    authorization, first transfer to the partner — the same commands a user would give;
//! 4. reads the Article 6 flows back from that ledger and evaluates the emissions balance per
//!    year (`outcome`), so the simulation and the registry can never disagree;
//! 5. optionally, Monte Carlo over delivery (`montecarlo`).

pub mod ledger_run;
pub mod montecarlo;
pub mod outcome;
pub mod params;
pub mod plan;
pub mod supply;

pub use outcome::{Flows, Outcome, YearRow};
pub use params::{Params, Protect, Volume};
pub use plan::{Binding, Plan, SimError};

use crate::budget::{self, Budget};
use crate::scenario::Scenario;
use crate::scenario::schema::OutsideScopeCa;

impl From<OutsideScopeCa> for crate::accounting::OutsideScopeCa {
    fn from(v: OutsideScopeCa) -> Self {
        match v {
            OutsideScopeCa::Separate => Self::Separate,
            OutsideScopeCa::AgainstNdc => Self::AgainstNdc,
        }
    }
}

pub(crate) fn plan_err(message: String) -> SimError {
    SimError {
        key: "ndc".into(),
        message,
        fix: "check the NDC target, the sectors' BAU and the policy shares".into(),
    }
}

/// Everything a simulation produced.
#[derive(Debug)]
pub struct Simulation {
    pub params: Params,
    pub budget: Budget,
    pub supply: Vec<supply::ActivitySupply>,
    pub plan: Plan,
    pub outcome: Outcome,
    /// The ledger the simulation wrote (what the Registry screen shows).
    pub ledger: ledger_run::SimLedger,
}

impl Simulation {
    /// Transferred units from activities outside the NDC's scope whose adjustment is kept
    /// apart from the NDC (`outside_scope_ca = separate`, rules §6): part of the headline
    /// volume, but not of the headroom the binding constraint describes.
    pub fn outside_scope_transferred(&self) -> u64 {
        if self.params.outside_scope_ca == OutsideScopeCa::AgainstNdc {
            return 0;
        }
        self.plan
            .transfers
            .iter()
            .filter(|t| !t.in_scope)
            .map(|t| t.units)
            .sum()
    }

    /// Everything a reader should be warned of, in the order to show it: the plan's warnings
    /// (e.g. a volume cut to the eligible supply), then indicative years above the trajectory.
    pub fn warnings(&self) -> Vec<String> {
        let mut all = self.plan.warnings.clone();
        if !self.outcome.indicative_warnings.is_empty() {
            let years: Vec<String> = self
                .outcome
                .indicative_warnings
                .iter()
                .map(|y| y.to_string())
                .collect();
            all.push(format!(
                "the emissions balance is above the indicative trajectory in {} (rules §5: under a single-year NDC only {} binds; earlier years are a warning to report, not a breach)",
                years.join(", "),
                self.plan.period.target_year()
            ));
        }
        all
    }
}

/// Run the deterministic simulation.
pub fn run(s: &Scenario, p: &Params) -> Result<Simulation, SimError> {
    let budget = budget::build(s);
    let supply = supply::supply(s, p, &budget);
    let plan = plan::plan(s, p, &budget, &supply)?;
    let ledger = ledger_run::execute(s, p, &supply, &plan)?;
    let flows = ledger.flows();
    let outcome = outcome::evaluate(s, p, &budget, &supply, &plan, flows)?;
    Ok(Simulation {
        params: p.clone(),
        budget,
        supply,
        plan,
        outcome,
        ledger,
    })
}

/// The Monte Carlo study for a simulation: covered BAU, in-scope activities with their
/// uncertainty, the method's check, the plan's vintage order for laying out volumes, and the
/// plan's outside-scope units (which a volume counts but the target never sees). Run it with
/// the headline volume, `Outcome::transferred`.
pub fn study(s: &Scenario, sim: &Simulation) -> montecarlo::Study {
    use crate::accounting::{CaMethod, NdcTarget};
    use montecarlo::{Allocation, Check, Study, UncertainActivity};
    use rust_decimal::prelude::ToPrimitive;
    let f = |d: rust_decimal::Decimal| d.to_f64().unwrap_or(0.0);
    let years: Vec<i32> = s.years().collect();
    let idx = |y: i32| years.iter().position(|&x| x == y);
    let t_idx = years.len().saturating_sub(1);
    let bau: Vec<f64> = years
        .iter()
        .map(|&y| f(sim.budget.at(y).map(|b| b.covered_bau).unwrap_or_default()))
        .collect();
    let mut acts: Vec<&crate::scenario::schema::Activity> = s
        .file
        .activities
        .iter()
        .filter(|a| a.ndc_part != crate::scenario::schema::NdcPart::OutsideScope)
        .collect();
    acts.sort_by(|a, b| a.id.cmp(&b.id));
    let activities = acts
        .iter()
        .map(|a| UncertainActivity {
            sigma: f(a.uncertainty),
            mitigation: years.iter().map(|&y| f(s.mitigation(a, y))).collect(),
        })
        .collect();
    let check = match (&sim.plan.method, &sim.plan.target) {
        (CaMethod::MultiYearBudget, NdcTarget::MultiYearBudget { budget }) => {
            Check::Budget { budget: f(*budget) }
        }
        (CaMethod::MultiYearBudget, NdcTarget::MultiYearTrajectory { trajectory }) => {
            Check::Budget {
                budget: trajectory.values().map(|v| f(*v)).sum(),
            }
        }
        (CaMethod::MultiYearTrajectory, NdcTarget::MultiYearTrajectory { trajectory }) => {
            Check::TrajectoryEveryYear {
                levels: years
                    .iter()
                    .map(|y| f(trajectory.get(y).copied().unwrap_or_default()))
                    .collect(),
            }
        }
        (CaMethod::SingleYearTrajectory, _) => Check::TargetYearOnly {
            target_idx: t_idx,
            target: f(sim.plan.protected_target),
        },
        _ => Check::Averaging {
            target_idx: t_idx,
            n: years.len() as f64,
            target: f(sim.plan.protected_target),
        },
    };
    let mut base_ft = vec![0.0; years.len()];
    let mut slots: Vec<(usize, u64)> = vec![];
    let against_ndc = sim.params.outside_scope_ca == OutsideScopeCa::AgainstNdc;
    let mut supply_left: std::collections::BTreeMap<i32, u64> = std::collections::BTreeMap::new();
    for a in sim
        .supply
        .iter()
        .filter(|a| a.ineligible.is_none() && (a.in_scope() || against_ndc))
    {
        for v in &a.vintages {
            if let Some(i) = idx(v.vintage) {
                base_ft[i] += v.omge_first_transferred as f64;
            }
            *supply_left.entry(v.vintage).or_insert(0) += v.authorized;
        }
    }
    // the plan's own vintages first, then the rest of the eligible supply by vintage
    let mut planned: std::collections::BTreeMap<i32, u64> = std::collections::BTreeMap::new();
    for t in sim
        .plan
        .transfers
        .iter()
        .filter(|t| t.in_scope || against_ndc)
    {
        *planned.entry(t.vintage).or_insert(0) += t.units;
    }
    for (&y, &u) in &planned {
        if let Some(i) = idx(y) {
            slots.push((i, u));
            if let Some(l) = supply_left.get_mut(&y) {
                *l = l.saturating_sub(u);
            }
        }
    }
    for (&y, &u) in &supply_left {
        if let (Some(i), true) = (idx(y), u > 0) {
            slots.push((i, u));
        }
    }
    let outside_volume = sim
        .plan
        .transfers
        .iter()
        .filter(|t| !(t.in_scope || against_ndc))
        .map(|t| t.units)
        .sum();
    Study {
        bau,
        activities,
        check,
        base_ft,
        allocation: Allocation { slots },
        outside_volume,
    }
}
