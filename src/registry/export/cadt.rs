//! CADT-compatible units CSV (registry-model §8.3): one row per live block, CADT v1 column
//! names, statuses derived from the holding account. One job: that table.

use crate::registry::ledger::Ledger;
use crate::registry::types::Class;

pub const HEADER: [&str; 26] = [
    "warehouseUnitId",
    "issuanceId",
    "projectLocationId",
    "orgUid",
    "unitOwner",
    "countryJurisdictionOfOwner",
    "inCountryJurisdictionOfOwner",
    "serialNumberBlock",
    "unitBlockStart",
    "unitBlockEnd",
    "unitCount",
    "vintageYear",
    "unitType",
    "marketplace",
    "marketplaceLink",
    "marketplaceIdentifier",
    "unitTags",
    "unitStatus",
    "unitStatusReason",
    "unitRegistryLink",
    "correspondingAdjustmentDeclaration",
    "correspondingAdjustmentStatus",
    "timeStaged",
    "createdAt",
    "updatedAt",
    "unitSerialId",
];

pub fn rows(ledger: &Ledger) -> Vec<Vec<String>> {
    let st = ledger.state();
    let ts_of = |seq: u64| {
        ledger
            .events()
            .get((seq as usize).saturating_sub(1))
            .map(|e| e.ts.clone())
            .unwrap_or_default()
    };
    st.blocks
        .iter()
        .filter(|b| b.live())
        .map(|b| {
            let acc = &st.accounts[b.account as usize];
            let iss = &st.issuances[b.issuance as usize];
            let reason = match b.terminal.as_ref().map(|t| &*t.kind) {
                Some(crate::registry::event::MoveKind::Use { beneficiary, .. })
                | Some(crate::registry::event::MoveKind::Retire { beneficiary, .. }) => {
                    beneficiary.purpose.clone()
                }
                Some(crate::registry::event::MoveKind::Cancel { subtype, .. }) => {
                    format!("{subtype:?} cancellation")
                }
                _ => String::new(),
            };
            let updated = b.terminal.as_ref().map(|t| t.seq).unwrap_or(b.created_seq);
            vec![
                b.id.to_string(),
                st.issuance_id(b.issuance as usize).to_string(),
                st.projects
                    .get(st.block_project(b))
                    .map(|p| p.host.clone())
                    .unwrap_or_default(),
                acc.owner.clone(),
                acc.owner.clone(),
                acc.party.clone(),
                String::new(),
                format!("{:06}-{:06}", b.first, b.last),
                b.first.to_string(),
                b.last.to_string(),
                b.count().to_string(),
                b.vintage.to_string(),
                iss.unit_type.as_str().into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                acc.kind.cadt_status().into(),
                reason,
                String::new(),
                match b.class {
                    Class::Itmo => "Committed".into(),
                    Class::Mo => "Not Required".into(),
                },
                crate::registry::ca::cadt_status(st, b).into(),
                String::new(),
                ts_of(b.created_seq),
                ts_of(updated),
                st.block_serial(b).to_string(),
            ]
        })
        .collect()
}
