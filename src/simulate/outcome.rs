//! The simulation's answer: the per-year path (projected emissions, first transfers, CA,
//! emissions balance, target, verdict), what stays with the host, levies, and the verdict.
//! Every unit figure here is read from the ledger's flows (`Flows`), never tallied on the side.

use super::plan::{Binding, Plan};
use super::supply::ActivitySupply;
use crate::accounting::{self, BalanceInputs, OverallVerdict, UnitSeries, YearVerdict};
use crate::budget::Budget;
use crate::scenario::Scenario;
use rust_decimal::Decimal;
use serde::Serialize;

/// Article 6 flows read back from the ledger (unit counts).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Flows {
    /// First transferred, by vintage, NDC-scope activities (incl. OMGE under after-sop).
    pub ftv_ndc_scope: UnitSeries,
    /// First transferred, by vintage, outside-scope activities.
    pub ftv_outside: UnitSeries,
    /// First transferred by event year, NDC purpose / OIMP purpose.
    pub fte_ndc: UnitSeries,
    pub fte_oimp: UnitSeries,
    /// Used towards the NDC, by use year.
    pub used: UnitSeries,
    /// Levies at issuance.
    pub sop: u64,
    pub omge: u64,
    pub issued: u64,
}

/// One year of the path (tCO2e as exact decimals, units as integers).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearRow {
    pub year: i32,
    pub bau: Decimal,
    pub projected_emissions: Decimal,
    /// The level EB(t) is compared with, if this year is checked (binding or indicative).
    pub target: Option<Decimal>,
    pub first_transferred: u64,
    pub used: u64,
    pub corresponding_adjustment: Decimal,
    pub emissions_balance: Decimal,
    pub meets_target: bool,
    /// False for years the method does not check (averaging before T, budget years).
    pub checked: bool,
    pub indicative: bool,
    /// An indicative year whose balance is above the trajectory: a warning (rules §5), shown
    /// as such, never as a pass.
    pub above_indicative: bool,
}

/// What stays with the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct HostRetained {
    /// Holder units kept by host retention and the transfer ratio (no CA).
    pub retention_units: u64,
    /// Authorized or eligible units not transferred (no CA while not first transferred).
    pub untransferred_units: u64,
    /// Mitigation of activities that are not authorized, mitigation contributions or ineligible, tCO2e.
    pub not_authorized_t: Decimal,
    /// Mitigation inside the period after crediting ends, tCO2e: the "credit now, end crediting
    /// later" tail that counts toward the host NDC.
    pub post_crediting_tail_t: Decimal,
}

/// The whole result of a deterministic simulation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub max_transferable: u64,
    pub transferred: u64,
    pub binding: Binding,
    pub binding_text: String,
    pub years: Vec<YearRow>,
    pub meets_target: bool,
    pub failing_years: Vec<i32>,
    /// Indicative years (single-year trajectory, t < T) whose balance exceeds the trajectory:
    /// warnings, not failures; the planned maximum never causes one.
    pub indicative_warnings: Vec<i32>,
    pub averaging_final: Option<Decimal>,
    pub host_retained: HostRetained,
    pub flows: Flows,
    pub outside_scope: Vec<accounting::OutsideYear>,
}

/// Evaluate the ledger's flows under the plan's method and target.
pub fn evaluate(
    s: &Scenario,
    p: &super::Params,
    budget: &Budget,
    supply: &[ActivitySupply],
    plan: &Plan,
    flows: Flows,
) -> Result<Outcome, super::SimError> {
    let ftv = accounting::ndc_scope_first_transfers(
        &flows.ftv_ndc_scope,
        &flows.ftv_outside,
        p.outside_scope_ca.into(),
    )
    .map_err(|e| super::plan_err(e.to_string()))?;
    let report = accounting::emissions_balance(BalanceInputs {
        period: plan.period,
        method: plan.method,
        target: &plan.target,
        emissions: &plan.emissions,
        first_transferred_by_vintage: &ftv,
        used_by_use_year: &flows.used,
    })
    .map_err(|e| super::plan_err(e.to_string()))?;
    let years: Vec<YearRow> = report
        .years
        .iter()
        .map(|y| {
            let bt = budget.at(y.year);
            let checked = !matches!(y.verdict, YearVerdict::NotChecked);
            YearRow {
                year: y.year,
                bau: bt.map(|b| b.covered_bau).unwrap_or_default(),
                projected_emissions: y.emissions,
                target: y.limit,
                first_transferred: ftv.get(&y.year).copied().unwrap_or(0),
                used: flows.used.get(&y.year).copied().unwrap_or(0),
                corresponding_adjustment: y.corresponding_adjustment,
                emissions_balance: y.emissions_balance,
                meets_target: !matches!(y.verdict, YearVerdict::Fail),
                checked,
                indicative: matches!(y.verdict, YearVerdict::Warning | YearVerdict::IndicativeMet),
                above_indicative: y.verdict == YearVerdict::Warning,
            }
        })
        .collect();
    let mut failing_years: Vec<i32> = years
        .iter()
        .filter(|y| !y.meets_target)
        .map(|y| y.year)
        .collect();
    if let Some(b) = &report.budget
        && !b.pass
        && failing_years.is_empty()
    {
        failing_years.push(plan.period.target_year());
    }
    let indicative_warnings = report
        .years
        .iter()
        .filter(|y| y.verdict == YearVerdict::Warning)
        .map(|y| y.year)
        .collect();
    let outside_e: accounting::YearSeries = budget
        .years
        .iter()
        .map(|y| (y.year, y.outside_projected))
        .collect();
    let outside_scope =
        accounting::outside_emissions_balance(&plan.period, &outside_e, &flows.ftv_outside)
            .unwrap_or_default();

    let transferred: u64 = plan.transfers.iter().map(|t| t.units).sum();
    let mut hr = HostRetained::default();
    let transferred_of = |a: &str, v: i32| {
        plan.transfers
            .iter()
            .filter(|t| t.activity == a && t.vintage == v)
            .map(|t| t.units)
            .sum::<u64>()
    };
    for a in supply {
        for v in &a.vintages {
            hr.retention_units += v.retained;
            hr.untransferred_units +=
                v.authorized - transferred_of(&a.activity, v.vintage).min(v.authorized);
        }
    }
    for a in &s.file.activities {
        let sup = supply.iter().find(|x| x.activity == a.id);
        for y in s.years() {
            let m = s.mitigation(a, y);
            if sup.is_none_or(|x| x.ineligible.is_some()) {
                hr.not_authorized_t += m;
            } else if y > a.crediting[1] {
                hr.post_crediting_tail_t += m;
            }
        }
    }
    Ok(Outcome {
        max_transferable: plan.max_transferable,
        transferred,
        binding: plan.binding,
        binding_text: plan.binding_text.clone(),
        meets_target: report.verdict != OverallVerdict::Fail,
        failing_years,
        indicative_warnings,
        averaging_final: report.averaging_final,
        years,
        host_retained: hr,
        flows,
        outside_scope,
    })
}
