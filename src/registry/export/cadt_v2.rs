//! CADT v2 variant of the units CSV (registry-model §8.3): the v1 columns followed by
//! `unit_serial_id`, `unit_status_date`, `unit_retirement_beneficiary`,
//! `unit_retirement_beneficiary_id`, `unit_retirement_detail` and `unit_itmos_reference_id`.
//! One job: those extra columns, one row per live block in the v1 order.
//!
//! Beneficiary and detail come from the block's terminal event (retirement or use), with any
//! later `Annotate` corrections of that event applied (display metadata; the event itself is
//! never rewritten). `unit_itmos_reference_id` is the authorization id (blank for MOs).

use crate::registry::event::MoveKind;
use crate::registry::ledger::Ledger;

use super::cadt;

pub const EXTRA: [&str; 6] = [
    "unit_serial_id",
    "unit_status_date",
    "unit_retirement_beneficiary",
    "unit_retirement_beneficiary_id",
    "unit_retirement_detail",
    "unit_itmos_reference_id",
];

pub fn header() -> Vec<&'static str> {
    cadt::HEADER.iter().chain(EXTRA.iter()).copied().collect()
}

pub fn rows(ledger: &Ledger) -> Vec<Vec<String>> {
    let st = ledger.state();
    let created = |seq: u64| {
        ledger
            .events()
            .get((seq as usize).saturating_sub(1))
            .map(|e| e.date().to_string())
            .unwrap_or_default()
    };
    let v1 = cadt::rows(ledger);
    v1.into_iter()
        .zip(st.blocks.iter().filter(|b| b.live()))
        .map(|(mut row, b)| {
            let (mut name, mut id, mut detail) = (String::new(), String::new(), String::new());
            if let Some(t) = &b.terminal {
                match &*t.kind {
                    MoveKind::Use { beneficiary, .. } | MoveKind::Retire { beneficiary, .. } => {
                        name.clone_from(&beneficiary.name);
                        id.clone_from(&beneficiary.id);
                        detail.clone_from(&beneficiary.purpose);
                    }
                    MoveKind::Cancel { reason, .. } => detail.clone_from(reason),
                    MoveKind::Transfer { .. } => {}
                }
                for a in st.lc.annotations.get(&t.seq).into_iter().flatten() {
                    for (k, v) in &a.fields {
                        match k.as_str() {
                            "beneficiary_name" => name.clone_from(v),
                            "beneficiary_id" => id.clone_from(v),
                            "purpose" => detail.clone_from(v),
                            _ => {}
                        }
                    }
                }
            }
            let status_date = b
                .terminal
                .as_ref()
                .map(|t| t.date.to_string())
                .unwrap_or_else(|| created(b.created_seq));
            row.extend([
                st.block_serial(b).to_string(),
                status_date,
                name,
                id,
                detail,
                st.block_auth(b).map(|a| a.id.clone()).unwrap_or_default(),
            ]);
            row
        })
        .collect()
}
