//! Executing the plan on a registry ledger and reading the Article 6 flows back.
//! (Interim: flows derived from the plan until the registry module lands.)

use super::outcome::Flows;
use super::params::Params;
use super::plan::{Plan, SimError};
use super::supply::ActivitySupply;
use crate::scenario::Scenario;

/// The ledger a simulation wrote.
#[derive(Debug, Clone, Default)]
pub struct SimLedger {
    flows: Flows,
}

pub fn execute(
    _s: &Scenario,
    _p: &Params,
    supply: &[ActivitySupply],
    plan: &Plan,
) -> Result<SimLedger, SimError> {
    let mut f = Flows::default();
    for a in supply.iter().filter(|a| a.ineligible.is_none()) {
        for v in &a.vintages {
            f.issued += v.issued;
            f.sop += v.sop;
            f.omge += v.omge;
            if v.omge_first_transferred > 0 {
                let m = if a.in_scope() {
                    &mut f.ftv_ndc_scope
                } else {
                    &mut f.ftv_outside
                };
                *m.entry(v.vintage).or_insert(0) += v.omge_first_transferred;
            }
        }
    }
    for t in &plan.transfers {
        let m = if t.in_scope {
            &mut f.ftv_ndc_scope
        } else {
            &mut f.ftv_outside
        };
        *m.entry(t.vintage).or_insert(0) += t.units;
    }
    Ok(SimLedger { flows: f })
}

impl SimLedger {
    pub fn flows(&self, _s: &Scenario, _supply: &[ActivitySupply]) -> Flows {
        self.flows.clone()
    }
}
