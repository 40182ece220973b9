//! Simulation results as text (a table people read), JSON (the documented contract) and CSV.
//!
//! JSON contract of `ndc-workbench simulate --format json` (emission figures in tCO2e as
//! decimal strings, unit counts as integers):
//! `{ scenario, illustrative, method, protect, protected_target, max_transferable, transferred,
//!    binding_constraint, binding_text, meets_target, failing_years,
//!    years: [{ year, bau, projected_emissions, target, first_transferred, used,
//!              corresponding_adjustment, emissions_balance, meets_target, checked }],
//!    host_retained: { retention_units, untransferred_units, not_authorized_t, post_crediting_tail_t },
//!    sop, omge, issued, warnings, outside_scope_transferred,
//!    probability_meets_target?, max_at_confidence?, probability_without_transfers?, runs?,
//!    seed?, confidence? }`

use crate::scenario::Scenario;
use crate::scenario::units::format_quantity;
use crate::simulate::Simulation;
use crate::simulate::montecarlo::McResult;
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn d(x: Decimal) -> String {
    x.round_dp(3).normalize().to_string()
}

/// Monte Carlo figures reported with a simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct McReport {
    pub result: McResult,
    pub seed: u64,
    pub confidence: f64,
}

pub fn method_name(m: crate::accounting::CaMethod) -> &'static str {
    use crate::accounting::CaMethod::*;
    match m {
        SingleYearAveraging => "averaging",
        SingleYearTrajectory => "trajectory",
        MultiYearTrajectory => "trajectory",
        MultiYearBudget => "budget",
    }
}

/// The JSON contract.
pub fn json(s: &Scenario, sim: &Simulation, mc: Option<&McReport>) -> Value {
    let o = &sim.outcome;
    let years: Vec<Value> = o
        .years
        .iter()
        .map(|y| {
            json!({
                "year": y.year, "bau": d(y.bau), "projected_emissions": d(y.projected_emissions),
                "target": y.target.map(d), "first_transferred": y.first_transferred, "used": y.used,
                "corresponding_adjustment": d(y.corresponding_adjustment), "emissions_balance": d(y.emissions_balance),
                "meets_target": y.meets_target, "checked": y.checked,
                "above_indicative": y.above_indicative,
            })
        })
        .collect();
    let hr = &o.host_retained;
    let mut v = json!({
        "scenario": s.id(),
        "illustrative": s.file.scenario.illustrative,
        "method": method_name(sim.plan.method),
        "protect": sim.params.protect,
        "protected_target": d(sim.plan.protected_target),
        "max_transferable": o.max_transferable,
        "transferred": o.transferred,
        "binding_constraint": o.binding.as_str(),
        "binding_text": o.binding_text,
        "meets_target": o.meets_target,
        "failing_years": o.failing_years,
        "years": years,
        "host_retained": {
            "retention_units": hr.retention_units, "untransferred_units": hr.untransferred_units,
            "not_authorized_t": d(hr.not_authorized_t), "post_crediting_tail_t": d(hr.post_crediting_tail_t),
        },
        "sop": o.flows.sop,
        "omge": o.flows.omge,
        "issued": o.flows.issued,
        "warnings": sim.warnings(),
        "outside_scope_transferred": sim.outside_scope_transferred(),
        "itmos_needed": sim.plan.itmos_needed,
    });
    if let (Some(mc), Some(obj)) = (mc, v.as_object_mut()) {
        obj.insert(
            "probability_meets_target".into(),
            json!(mc.result.probability_meets_target),
        );
        obj.insert(
            "max_at_confidence".into(),
            json!(mc.result.max_at_confidence),
        );
        obj.insert(
            "probability_without_transfers".into(),
            json!(mc.result.probability_without_transfers),
        );
        obj.insert("runs".into(), json!(mc.result.runs));
        obj.insert("seed".into(), json!(mc.seed));
        obj.insert("confidence".into(), json!(mc.confidence));
    }
    v
}

/// A table for people.
pub fn text(s: &Scenario, sim: &Simulation, mc: Option<&McReport>) -> String {
    use std::fmt::Write;
    let u = s.unit();
    let q = |x: Decimal| format_quantity(x, u, 1);
    let o = &sim.outcome;
    let mut w = String::new();
    let _ = writeln!(
        w,
        "{} — ITMO transfer simulation{}",
        s.title(),
        if s.file.scenario.illustrative {
            " (ILLUSTRATIVE figures)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        w,
        "method: {}   protecting: {:?} target {} in {}",
        method_name(sim.plan.method),
        sim.params.protect,
        q(sim.plan.protected_target),
        sim.plan.period.target_year()
    );
    let _ = writeln!(
        w,
        "maximum transferable: {} ITMOs",
        crate::scenario::units::group_thousands(Decimal::from(o.max_transferable), 0)
    );
    let _ = writeln!(w, "binding constraint: {}", o.binding_text);
    let outside = sim.outside_scope_transferred();
    if outside > 0 {
        let _ = writeln!(
            w,
            "of the {} transferred, {} come from activities outside the NDC's scope (adjusted against their own categories, not the NDC)",
            crate::scenario::units::group_thousands(Decimal::from(o.transferred), 0),
            crate::scenario::units::group_thousands(Decimal::from(outside), 0)
        );
    }
    if let Some(requested) = sim.plan.requested {
        let n = |x: u64| crate::scenario::units::group_thousands(Decimal::from(x), 0);
        if requested == o.transferred {
            let _ = writeln!(w, "requested and transferred: {} ITMOs", n(requested));
        } else {
            let _ = writeln!(
                w,
                "requested {} ITMOs, transferred {} (see the warning below)",
                n(requested),
                n(o.transferred)
            );
        }
    }
    let _ = writeln!(
        w,
        "\n{:>4} {:>13} {:>13} {:>13} {:>11} {:>13} {:>13}  meets",
        "year", "BAU", "projected", "target", "1st transf.", "CA", "balance"
    );
    for y in &o.years {
        let mark = if !y.checked {
            "·"
        } else if y.above_indicative {
            "!"
        } else if y.meets_target {
            "✓"
        } else {
            "✗"
        };
        let _ = writeln!(
            w,
            "{:>4} {:>13} {:>13} {:>13} {:>11} {:>13} {:>13}  {mark}{}",
            y.year,
            q(y.bau),
            q(y.projected_emissions),
            y.target.map(q).unwrap_or_else(|| "—".into()),
            crate::scenario::units::group_thousands(Decimal::from(y.first_transferred), 0),
            q(y.corresponding_adjustment),
            q(y.emissions_balance),
            if y.indicative { " (indicative)" } else { "" }
        );
    }
    let _ = writeln!(
        w,
        "\n{}",
        if o.meets_target {
            "The protected target is met.".to_string()
        } else {
            format!("The protected target is MISSED in {:?}.", o.failing_years)
        }
    );
    let hr = &o.host_retained;
    let n = |x: u64| crate::scenario::units::group_thousands(Decimal::from(x), 0);
    let _ = writeln!(
        w,
        "stays with the host: {} retained units, {} eligible but not transferred, {} not authorized, {} after crediting ends (counts toward the NDC)",
        n(hr.retention_units),
        n(hr.untransferred_units),
        q(hr.not_authorized_t),
        q(hr.post_crediting_tail_t)
    );
    let _ = writeln!(
        w,
        "levies at issuance: {} to the Adaptation Fund (SOP), {} cancelled (OMGE), of {} issued",
        n(o.flows.sop),
        n(o.flows.omge),
        n(o.flows.issued)
    );
    if let Some(mc) = mc {
        let _ = writeln!(
            w,
            "uncertainty ({} runs, seed {}): {}",
            n(mc.result.runs as u64),
            mc.seed,
            study_summary(&mc.result, o.transferred, mc.confidence)
        );
    }
    for warn in &sim.warnings() {
        let _ = writeln!(w, "warning: {warn}");
    }
    w
}

/// CSV: one row per year.
pub fn csv(sim: &Simulation) -> String {
    let mut out = String::from(
        "year,bau_t,projected_emissions_t,target_t,first_transferred,used,corresponding_adjustment_t,emissions_balance_t,meets_target,checked\n",
    );
    for y in &sim.outcome.years {
        out += &format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            y.year,
            d(y.bau),
            d(y.projected_emissions),
            y.target.map(d).unwrap_or_default(),
            y.first_transferred,
            y.used,
            d(y.corresponding_adjustment),
            d(y.emissions_balance),
            y.meets_target,
            y.checked
        );
    }
    out
}

/// Two simulations of the same transfers under two methods, year by year.
pub fn compare_text(s: &Scenario, a: &Simulation, b: &Simulation) -> String {
    use std::fmt::Write;
    let u = s.unit();
    let q = |x: Decimal| format_quantity(x, u, 1);
    let (ma, mb) = (method_name(a.plan.method), method_name(b.plan.method));
    let mut w = String::new();
    let _ = writeln!(
        w,
        "Same {} ITMOs under {ma} and {mb}:",
        crate::scenario::units::group_thousands(Decimal::from(a.outcome.transferred), 0)
    );
    let _ = writeln!(
        w,
        "{:>4} {:>13} {:>13} {:>13} {:>3} {:>13} {:>13} {:>3}",
        "year",
        "projected",
        &format!("CA {ma}"),
        "balance",
        "",
        &format!("CA {mb}"),
        "balance",
        ""
    );
    let mark = |y: &crate::simulate::YearRow| {
        if !y.checked {
            "·"
        } else if y.meets_target {
            "✓"
        } else {
            "✗"
        }
    };
    for (x, y) in a.outcome.years.iter().zip(&b.outcome.years) {
        let _ = writeln!(
            w,
            "{:>4} {:>13} {:>13} {:>13} {:>3} {:>13} {:>13} {:>3}",
            x.year,
            q(x.projected_emissions),
            q(x.corresponding_adjustment),
            q(x.emissions_balance),
            mark(x),
            q(y.corresponding_adjustment),
            q(y.emissions_balance),
            mark(y)
        );
    }
    let verdict = |o: &crate::simulate::Outcome| {
        if o.meets_target {
            "meets the target".to_string()
        } else {
            format!("misses it in {:?}", o.failing_years)
        }
    };
    let _ = writeln!(
        w,
        "{ma}: {}; maximum {}   |   {mb}: {}; maximum {}",
        verdict(&a.outcome),
        a.outcome.max_transferable,
        verdict(&b.outcome),
        b.outcome.max_transferable
    );
    w
}

/// One sentence on a Monte Carlo study of `volume` (the headline volume), the same in the
/// CLI, the report and the workbench: the probability that the target still holds, and the
/// largest volume that keeps it at the confidence, or that no volume does because delivery
/// alone misses it.
pub fn study_summary(
    r: &crate::simulate::montecarlo::McResult,
    volume: u64,
    confidence: f64,
) -> String {
    let n = |x: u64| crate::scenario::units::group_thousands(Decimal::from(x), 0);
    let pct = |p: f64| format!("{:.1} %", p * 100.0);
    let head = format!(
        "P(target holds with {} ITMOs) = {}",
        n(volume),
        pct(r.probability_meets_target)
    );
    if r.probability_without_transfers < confidence {
        format!(
            "{head}; no volume keeps it at {:.0} % confidence: without any transfer the target holds in {} of runs",
            confidence * 100.0,
            pct(r.probability_without_transfers)
        )
    } else {
        format!(
            "{head}; largest volume that keeps it at {:.0} % confidence: {} ITMOs",
            confidence * 100.0,
            n(r.max_at_confidence)
        )
    }
}
