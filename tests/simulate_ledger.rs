//! The simulation runs on the registry ledger: what the plan intended is what the ledger holds,
//! every registry invariant holds after a simulation, and the per-year CA the simulation
//! reports equals the Table 4 rows computed from the ledger's own flows.

mod common;

use ndc_workbench::accounting::{self, AveragingDenominator, Table4Inputs, UnitSeries};
use ndc_workbench::scenario::builtin;
use ndc_workbench::simulate::{self, Params, Protect, Volume};

fn sum(m: &UnitSeries) -> u64 {
    m.values().sum()
}

#[test]
fn ledger_holds_exactly_the_planned_first_transfers_on_every_prepared_scenario() {
    for s in builtin::all()
        .into_iter()
        .map(|r| r.expect("prepared scenarios validate"))
    {
        for protect in [Protect::Unconditional, Protect::Conditional] {
            if protect == Protect::Conditional && s.file.ndc.conditional.is_none() {
                continue;
            }
            let mut p = Params::from_scenario(&s);
            p.protect = protect;
            let sim = simulate::run(&s, &p).unwrap_or_else(|e| panic!("{}: {e}", s.id()));
            sim.ledger
                .ledger
                .check()
                .unwrap_or_else(|v| panic!("{}: invariant violated: {v:?}", s.id()));
            // expected by vintage: planned transfers plus OMGE legs first-transferred at issuance
            let mut expected = UnitSeries::new();
            for t in &sim.plan.transfers {
                *expected.entry(t.vintage).or_insert(0) += t.units;
            }
            for a in &sim.supply {
                for v in &a.vintages {
                    if v.omge_first_transferred > 0 {
                        *expected.entry(v.vintage).or_insert(0) += v.omge_first_transferred;
                    }
                }
            }
            let f = &sim.outcome.flows;
            let mut got = f.ftv_ndc_scope.clone();
            for (y, v) in &f.ftv_outside {
                *got.entry(*y).or_insert(0) += v;
            }
            assert_eq!(
                got,
                expected,
                "{}: ledger first transfers differ from the plan",
                s.id()
            );
            // levies: the ledger's Adaptation Fund and OMGE accounts hold the supply's legs
            let sop: u64 = sim
                .supply
                .iter()
                .flat_map(|a| &a.vintages)
                .map(|v| v.sop)
                .sum();
            let omge: u64 = sim
                .supply
                .iter()
                .flat_map(|a| &a.vintages)
                .map(|v| v.omge)
                .sum();
            assert_eq!((f.sop, f.omge), (sop, omge), "{}", s.id());
            // transferred units counted once
            assert_eq!(
                sim.outcome.transferred,
                sim.plan.transfers.iter().map(|t| t.units).sum::<u64>()
            );
            assert_eq!(
                sum(&f.fte_ndc) + sum(&f.fte_oimp),
                sum(&got),
                "{}: every first transfer has an event year",
                s.id()
            );
        }
    }
}

#[test]
fn simulated_ca_equals_table4_row12_from_the_ledger() {
    for s in builtin::all().into_iter().map(|r| r.expect("valid")) {
        let p = Params::from_scenario(&s);
        let sim = simulate::run(&s, &p).expect("runs");
        let f = &sim.outcome.flows;
        let ftv = accounting::ndc_scope_first_transfers(
            &f.ftv_ndc_scope,
            &f.ftv_outside,
            p.outside_scope_ca.into(),
        )
        .expect("series");
        let rows = accounting::table4_rows(Table4Inputs {
            period: sim.plan.period,
            method: sim.plan.method,
            emissions: &sim.plan.emissions,
            first_transferred_ndc_by_event: &f.fte_ndc,
            first_transferred_oimp_by_event: &f.fte_oimp,
            used_by_use_year: &f.used,
            first_transferred_by_vintage: &ftv,
            interim_denominator: AveragingDenominator::ElapsedYears,
        })
        .expect("table 4");
        for (row, year) in rows.iter().zip(&sim.outcome.years) {
            assert_eq!(row.year, year.year);
            if !row.row12_indicative {
                assert_eq!(
                    row.row12_corresponding_adjustment,
                    year.corresponding_adjustment,
                    "{} {}",
                    s.id(),
                    year.year
                );
                assert_eq!(
                    row.row14_emissions_balance,
                    year.emissions_balance,
                    "{} {}",
                    s.id(),
                    year.year
                );
            }
        }
    }
}

#[test]
fn a_requested_volume_lands_in_the_ledger_in_full() {
    let s = builtin::by_id("thailand").expect("present").expect("valid");
    let mut p = Params::from_scenario(&s);
    p.volume = Volume::Units(1_234_567);
    let sim = simulate::run(&s, &p).expect("runs");
    assert_eq!(sim.outcome.transferred, 1_234_567);
    let omge_ft: u64 = sim
        .supply
        .iter()
        .flat_map(|a| &a.vintages)
        .map(|v| v.omge_first_transferred)
        .sum();
    let f = &sim.outcome.flows;
    assert_eq!(
        sum(&f.ftv_ndc_scope) + sum(&f.ftv_outside),
        1_234_567 + omge_ft
    );
}
