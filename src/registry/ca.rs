//! Corresponding adjustments per cooperative approach and year (invariant 12), from the fold
//! and the CaRecord events. One job: the `registry ca list` view and the CADT
//! `correspondingAdjustmentStatus` derived from it.
//!
//! For approach A with host Party H and year Y:
//! - `first_transferred` = units of A's ITMOs first-transferred by H with vintage Y;
//! - `used` = A's first-transferred ITMOs used towards H's NDC with use year Y;
//! - `computed = first_transferred − used` (acquisition alone changes nothing);
//! - `recorded` = the quantity declared in the CaRecord (A, Y), any status;
//! - `outstanding = computed − recorded` (may be negative: over-declared).
//!
//! CADT status of a unit block: `Completed` when the CaRecord for (its approach, its vintage)
//! is Approved; `Pending` when that record is Draft or Submitted, or when the block is
//! first-transferred and no record exists yet (the adjustment is due); else `Not Started`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::event::MoveKind;
use super::state::{Block, State};
use super::types::{AccountKind, CaStatus, Class};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaRow {
    pub approach: String,
    pub year: u16,
    pub first_transferred: u64,
    pub used: u64,
    pub computed: i64,
    pub recorded: Option<u64>,
    pub status: Option<CaStatus>,
    pub outstanding: i64,
}

/// One row per (approach, year) with a flow or a record, in (approach, year) order.
pub fn ca_rows(st: &State) -> Vec<CaRow> {
    let mut ft: BTreeMap<(String, u16), (u64, u64)> = BTreeMap::new();
    for b in st
        .blocks
        .iter()
        .filter(|b| b.live() && b.class == Class::Itmo)
    {
        let Some(auth) = st.block_auth(b) else {
            continue;
        };
        let Some(ap) = st.approaches.get(&auth.approach) else {
            continue;
        };
        let Some(f) = &b.first_transfer else {
            continue;
        };
        if *f.party == *ap.host {
            ft.entry((ap.id.clone(), b.vintage)).or_default().0 += b.count();
        }
        let acc = &st.accounts[b.account as usize];
        if acc.kind == AccountKind::RetirementNdc
            && acc.party == ap.host
            && let Some(t) = &b.terminal
            && let MoveKind::Use { use_year, .. } = *t.kind
        {
            ft.entry((ap.id.clone(), use_year)).or_default().1 += b.count();
        }
    }
    for k in st.lc.ca_records.keys() {
        ft.entry(k.clone()).or_default();
    }
    ft.into_iter()
        .map(|((approach, year), (f, u))| {
            let rec = st.lc.ca_records.get(&(approach.clone(), year));
            let computed = f as i64 - u as i64;
            let recorded = rec.map(|r| r.quantity);
            CaRow {
                approach,
                year,
                first_transferred: f,
                used: u,
                computed,
                recorded,
                status: rec.map(|r| r.status),
                outstanding: computed - recorded.unwrap_or(0) as i64,
            }
        })
        .collect()
}

/// CADT `correspondingAdjustmentStatus` of a block (see the module docs).
pub fn cadt_status(st: &State, b: &Block) -> &'static str {
    let rec = st
        .block_auth(b)
        .and_then(|a| st.lc.ca_records.get(&(a.approach.clone(), b.vintage)));
    match rec.map(|r| r.status) {
        Some(CaStatus::Approved) => "Completed",
        Some(_) => "Pending",
        None if b.first_transfer.is_some() => "Pending",
        None => "Not Started",
    }
}

/// Plain-text table for `registry ca list`.
pub fn text(rows: &[CaRow]) -> String {
    let mut s = format!(
        "{:<10} {:>6} {:>12} {:>10} {:>12} {:>12} {:<10} {:>12}\n",
        "approach", "year", "first-trans.", "used", "computed", "recorded", "status", "outstanding"
    );
    for r in rows {
        s.push_str(&format!(
            "{:<10} {:>6} {:>12} {:>10} {:>12} {:>12} {:<10} {:>12}\n",
            r.approach,
            r.year,
            r.first_transferred,
            r.used,
            r.computed,
            r.recorded
                .map(|q| q.to_string())
                .unwrap_or_else(|| "-".into()),
            r.status
                .map(|s| format!("{s:?}"))
                .unwrap_or_else(|| "-".into()),
            r.outstanding
        ));
    }
    s
}
