//! Table 4 support (article6-rules §10): per-year first transfers, uses and unresolved blocks,
//! folded from the ledger. One job: give the accounting module the quantities it needs,
//! each traceable to blocks.
//!
//! - `fte_ndc[y]`, `fte_oimp[y]`: units first-transferred by the Party in event year `y`
//!   (rows 7 and 8). A first transfer triggered by an international transfer of a unit whose
//!   purpose includes NDC counts as NDC; one triggered by the OIMP definition (authorization,
//!   issuance, use or cancellation) counts as OIMP.
//! - `ftv[v]`: the same units keyed by vintage (row 12 additions).
//! - `used[y]`: first-transferred ITMOs used towards the Party's NDC in use year `y` (row 9);
//!   MOs used by their host give no CA and are not counted.
//! - `unresolved`: ITMO blocks of the host Party whose authorization defines the first
//!   transfer as "first international transfer" and for which no transfer is recorded: their
//!   first-transfer year cannot be determined from the ledger, so they are listed, not guessed.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use serde::Serialize;

use super::event::MoveKind;
use super::ledger::Ledger;
use super::state::{FtBucket, State};
use super::types::{AccountKind, Class, FirstTransferDefinition};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnresolvedBlock {
    pub serial: String,
    pub quantity: u64,
    pub authorization: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Article6Flows {
    pub party: String,
    pub fte_ndc: BTreeMap<u16, u64>,
    pub fte_oimp: BTreeMap<u16, u64>,
    pub ftv: BTreeMap<u16, u64>,
    pub used: BTreeMap<u16, u64>,
    /// Authorized entities named by OIMP first transfers (row 8).
    pub oimp_entities: BTreeSet<String>,
    pub unresolved: Vec<UnresolvedBlock>,
}

impl Article6Flows {
    /// Row 10: (row 7 + row 8) − row 9 for year `y` (may be negative).
    pub fn net(&self, y: u16) -> i64 {
        let g = |m: &BTreeMap<u16, u64>| m.get(&y).copied().unwrap_or(0) as i64;
        g(&self.fte_ndc) + g(&self.fte_oimp) - g(&self.used)
    }
    /// Trajectory/budget methods: CA(t) = FTv(t) − U(t).
    pub fn ca(&self, y: u16) -> i64 {
        self.ftv.get(&y).copied().unwrap_or(0) as i64
            - self.used.get(&y).copied().unwrap_or(0) as i64
    }
    pub fn total_first_transferred(&self) -> u64 {
        self.ftv.values().sum()
    }
    pub fn unresolved_quantity(&self) -> u64 {
        self.unresolved.iter().map(|u| u.quantity).sum()
    }
}

/// Fold the state into Table 4 flows for `party`.
pub fn article6_flows(st: &State, party: &str) -> Article6Flows {
    let mut f = Article6Flows {
        party: party.to_string(),
        ..Article6Flows::default()
    };
    for b in st.blocks.iter().filter(|b| b.live()) {
        let n = b.count();
        if let Some(ft) = &b.first_transfer
            && *ft.party == *party
        {
            let y = ft.date.year() as u16;
            match ft.bucket {
                FtBucket::Ndc => *f.fte_ndc.entry(y).or_default() += n,
                FtBucket::Oimp => {
                    *f.fte_oimp.entry(y).or_default() += n;
                    if let Some(a) = st.block_auth(b) {
                        f.oimp_entities.extend(a.entities.iter().cloned());
                    }
                }
            }
            *f.ftv.entry(b.vintage).or_default() += n;
        }
        let acc = &st.accounts[b.account as usize];
        if acc.kind == AccountKind::RetirementNdc
            && acc.party == party
            && b.class == Class::Itmo
            && b.first_transfer.is_some()
            && let Some(t) = &b.terminal
            && let MoveKind::Use { use_year, .. } = *t.kind
        {
            *f.used.entry(use_year).or_default() += n;
        }
        if b.class == Class::Itmo
            && b.first_transfer.is_none()
            && *st.issuances[b.issuance as usize].party == *party
            && let Some(a) = st.block_auth(b)
            && a.first_transfer_definition
                == Some(FirstTransferDefinition::FirstInternationalTransfer)
        {
            f.unresolved.push(UnresolvedBlock {
                serial: st.block_serial(b).to_string(),
                quantity: n,
                authorization: a.id.clone(),
                reason: "first transfer defined as first international transfer; none recorded"
                    .into(),
            });
        }
    }
    f
}

impl Ledger {
    /// Table 4 quantities for one Party (see module docs).
    pub fn article6_flows(&self, party: &str) -> Article6Flows {
        article6_flows(self.state(), party)
    }
}
