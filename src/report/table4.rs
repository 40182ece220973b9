//! BTR Table 4 rows 7–14 (article6-rules §10) for a Party, from any registry ledger — the
//! simulation's, a session's sandbox, or one imported from the published authorization blocks.
//!
//! The ledger gives the flows (first transfers by event year and purpose, by vintage; uses by
//! use year); the accounting module gives the rows. Emissions (rows 5 and 14) come from a
//! scenario when one is named; otherwise those cells are empty (`null`), never zero. Blocks
//! whose first transfer cannot be resolved from the ledger are listed in `warnings`, never
//! counted silently; so are first transfers or uses outside the NDC period.

use crate::accounting::{
    self, AveragingDenominator, CaMethod, NdcPeriod, Table4Inputs, UnitSeries, YearSeries,
};
use crate::registry::Ledger;
use rust_decimal::Decimal;
use serde::Serialize;

/// One year of Table 4.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table4Year {
    pub year: i32,
    pub first_transferred_ndc: u64,
    pub first_transferred_oimp: u64,
    pub used: u64,
    pub net: i64,
    /// Row 11 (averaging only): cumulative net ÷ elapsed years, tCO2e as a decimal string.
    pub averaged: Option<String>,
    /// Row 12, tCO2e as a decimal string.
    pub corresponding_adjustment: String,
    /// True when row 12 is indicative (averaging before the target year).
    pub indicative: bool,
    pub cumulative_net: i64,
    /// Row 14 = row 5 + row 12, when emissions are known.
    pub emissions_balance: Option<String>,
}

/// Table 4 of one Party.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table4 {
    pub party: String,
    pub party_name: String,
    pub method: String,
    pub period: [i32; 2],
    pub years: Vec<Table4Year>,
    pub warnings: Vec<String>,
}

/// What went wrong building Table 4, with how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} ({fix})")]
pub struct Table4Error {
    pub what: String,
    pub fix: String,
}

fn d(x: Decimal) -> String {
    x.round_dp(3).normalize().to_string()
}

/// Find a Party by alpha-3 code or by name (case-insensitive).
pub fn find_party(ledger: &Ledger, query: &str) -> Result<(String, String), Table4Error> {
    let q = query.trim().to_lowercase();
    let parties = &ledger.state().parties;
    parties
        .values()
        .find(|p| p.code.to_lowercase() == q || p.name.to_lowercase() == q)
        .map(|p| (p.code.clone(), p.name.clone()))
        .ok_or_else(|| Table4Error {
            what: format!("no Party `{query}` in this ledger"),
            fix: format!(
                "use one of: {}",
                parties
                    .values()
                    .map(|p| if p.name.is_empty() {
                        p.code.clone()
                    } else {
                        format!("{} ({})", p.code, p.name)
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
}

/// Build Table 4 for `party` under `method` over `period`, with emissions E(t) if known.
pub fn table4(
    ledger: &Ledger,
    party_query: &str,
    method: CaMethod,
    period: NdcPeriod,
    emissions: Option<&YearSeries>,
) -> Result<Table4, Table4Error> {
    let (code, name) = find_party(ledger, party_query)?;
    let f = ledger.article6_flows(&code);
    let conv = |m: &std::collections::BTreeMap<u16, u64>| -> UnitSeries {
        m.iter().map(|(y, v)| (i32::from(*y), *v)).collect()
    };
    let (fte_ndc, fte_oimp, ftv, used) = (
        conv(&f.fte_ndc),
        conv(&f.fte_oimp),
        conv(&f.ftv),
        conv(&f.used),
    );
    let mut warnings: Vec<String> = f
        .unresolved
        .iter()
        .map(|u| {
            format!(
                "first transfer unresolved: {} ({} units, authorization {}): {}",
                u.serial, u.quantity, u.authorization, u.reason
            )
        })
        .collect();
    for (what, series) in [
        ("first transfers (event year)", &fte_ndc),
        ("OIMP first transfers (event year)", &fte_oimp),
        ("first transfers (vintage)", &ftv),
        ("uses", &used),
    ] {
        let outside: u64 = series
            .iter()
            .filter(|(y, _)| !period.contains(**y))
            .map(|(_, v)| v)
            .sum();
        if outside > 0 {
            warnings.push(format!(
                "{outside} units of {what} fall outside {}–{} and are not in these rows",
                period.first(),
                period.last()
            ));
        }
    }
    let zeros: YearSeries = period.years().map(|y| (y, Decimal::ZERO)).collect();
    let e = emissions.unwrap_or(&zeros);
    let rows = accounting::table4_rows(Table4Inputs {
        period,
        method,
        emissions: e,
        first_transferred_ndc_by_event: &fte_ndc,
        first_transferred_oimp_by_event: &fte_oimp,
        used_by_use_year: &used,
        first_transferred_by_vintage: &ftv,
        interim_denominator: AveragingDenominator::ElapsedYears,
    })
    .map_err(|e| Table4Error {
        what: e.to_string(),
        fix: "check the period and the method".into(),
    })?;
    let years = rows
        .into_iter()
        .map(|r| Table4Year {
            year: r.year,
            first_transferred_ndc: r.row7_first_transferred_ndc,
            first_transferred_oimp: r.row8_first_transferred_oimp,
            used: r.row9_used,
            net: r.row10_net,
            averaged: r.row11_averaging_interim.map(d),
            corresponding_adjustment: d(r.row12_corresponding_adjustment),
            indicative: r.row12_indicative,
            cumulative_net: r.row13_cumulative,
            emissions_balance: emissions.map(|_| d(r.row14_emissions_balance)),
        })
        .collect();
    let method = crate::report::simulation::method_name(method).to_string();
    Ok(Table4 {
        party: code,
        party_name: name,
        method,
        period: [period.first(), period.last()],
        years,
        warnings,
    })
}

/// Plain-text table.
pub fn text(t: &Table4) -> String {
    use std::fmt::Write;
    let mut w = String::new();
    let _ = writeln!(
        w,
        "Table 4 — {} ({}), {} method, {}–{}",
        t.party_name, t.party, t.method, t.period[0], t.period[1]
    );
    let _ = writeln!(
        w,
        "{:>4} {:>12} {:>12} {:>10} {:>12} {:>12} {:>14} {:>12} {:>14}",
        "year",
        "7 FT NDC",
        "8 FT OIMP",
        "9 used",
        "10 net",
        "11 avg",
        "12 CA",
        "13 cum",
        "14 balance"
    );
    for y in &t.years {
        let _ = writeln!(
            w,
            "{:>4} {:>12} {:>12} {:>10} {:>12} {:>12} {:>14} {:>12} {:>14}",
            y.year,
            y.first_transferred_ndc,
            y.first_transferred_oimp,
            y.used,
            y.net,
            y.averaged.as_deref().unwrap_or("—"),
            format!(
                "{}{}",
                y.corresponding_adjustment,
                if y.indicative { "*" } else { "" }
            ),
            y.cumulative_net,
            y.emissions_balance.as_deref().unwrap_or("—")
        );
    }
    if t.years.iter().any(|y| y.indicative) {
        let _ = writeln!(
            w,
            "* indicative (averaging: the final adjustment applies in the target year)"
        );
    }
    if t.years.iter().all(|y| y.emissions_balance.is_none()) {
        let _ = writeln!(
            w,
            "rows 5 and 14 need emissions: pass --scenario to take them from a scenario"
        );
    }
    for warn in &t.warnings {
        let _ = writeln!(w, "warning: {warn}");
    }
    w
}
