//! What the screens show, derived from the workspace: the scenario with the session's budget
//! edits applied, its budget, and the simulation for the session's parameters (with an optional
//! second method for comparison).
//!
//! One job: recompute after a change. `update` calls [`Derived::compute`] whenever the edits or
//! the parameters change (a simulation takes milliseconds); drawing only reads the result.

use super::app::Workspace;
use crate::accounting::CaMethod;
use crate::budget::{self, Budget};
use crate::scenario::Scenario;
use crate::scenario::schema::CaMethodChoice;
use crate::simulate::{self, Params, Simulation};
use crate::workshop::edits;
use std::sync::Arc;

/// The derived state of an open workspace.
#[derive(Debug, Clone)]
pub struct Derived {
    /// The scenario with the session's edits (the base scenario when they do not apply).
    pub scenario: Arc<Scenario>,
    /// Why the stored edits do not apply together, if they do not.
    pub edits_error: Option<String>,
    pub budget: Arc<Budget>,
    pub params: Params,
    /// The simulation, or the error naming the key to fix.
    pub sim: Result<Arc<Simulation>, String>,
    /// The same transfers under another method, when comparing.
    pub compare: Option<Result<Arc<Simulation>, String>>,
}

/// The session's simulation parameters, or the scenario's own.
pub fn session_params(w: &Workspace, s: &Scenario) -> Params {
    if w.session.simulation.is_empty() {
        return Params::from_scenario(s);
    }
    serde_json::from_value(serde_json::Value::Object(w.session.simulation.clone()))
        .unwrap_or_else(|_| Params::from_scenario(s))
}

/// The next method after `m` (averaging → trajectory → budget → averaging).
pub fn next_method(m: CaMethodChoice) -> CaMethodChoice {
    match m {
        CaMethodChoice::Averaging => CaMethodChoice::Trajectory,
        CaMethodChoice::Trajectory => CaMethodChoice::Budget,
        CaMethodChoice::Budget => CaMethodChoice::Averaging,
    }
}

/// A method's name as people read it.
pub fn method_label(m: CaMethodChoice) -> &'static str {
    match m {
        CaMethodChoice::Averaging => "averaging",
        CaMethodChoice::Trajectory => "trajectory",
        CaMethodChoice::Budget => "budget",
    }
}

/// The simulation's accounting method, named.
pub fn ca_method_name(m: CaMethod) -> &'static str {
    crate::report::simulation::method_name(m)
}

impl Derived {
    /// Recompute everything for the workspace, the parameters and (optionally) a comparison
    /// method.
    pub fn compute(w: &Workspace, params: Params, compare: Option<CaMethodChoice>) -> Derived {
        let (scenario, edits_error) = match edits::apply(&w.scenario, &w.session.budget_edits) {
            Ok(s) => (s, None),
            Err(e) => (w.scenario.clone(), Some(e.to_string())),
        };
        let budget = Arc::new(budget::build(&scenario));
        let sim = simulate::run(&scenario, &params)
            .map(Arc::new)
            .map_err(|e| e.to_string());
        let compare = compare.map(|m| {
            // The same transfers as the main run (its transferred volume), another method.
            let mut p = params.clone();
            p.method = m;
            if let Ok(s) = &sim {
                p.volume = simulate::Volume::Units(s.outcome.transferred);
            }
            simulate::run(&scenario, &p)
                .map(Arc::new)
                .map_err(|e| e.to_string())
        });
        Derived {
            scenario: Arc::new(scenario),
            edits_error,
            budget,
            params,
            sim,
            compare,
        }
    }
}
