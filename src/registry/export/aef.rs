//! AEF tables (registry-model §8.2): T1 Submission, T2 Authorizations, T3 Actions (one row per
//! action on an ITMO block in the reported year), T4 Holdings (replay to 31 December of the
//! year) and T5 Authorized entities. One job: project the log onto the nomenclature's
//! columns, in its order ("NA" where a field does not apply, CARP-filled fields blank).

use chrono::Datelike;

use crate::registry::ledger::Ledger;
use crate::registry::state::{ActionRecord, Block, State};
use crate::registry::types::Class;

pub const T2_HEADER: [&str; 19] = [
    "Authorization ID",
    "Date of authorization",
    "Cooperative approach ID",
    "Version of the authorization",
    "Authorized quantity",
    "Metric",
    "GWP values",
    "Applicable non-GHG metric",
    "Sector(s)",
    "Activity type(s)",
    "Purposes for authorization",
    "Authorized Party(ies) ID",
    "Authorized entity(ies) ID",
    "OIMP authorized by the Party",
    "Authorized timeframe",
    "Authorization T&Cs",
    "Authorization documentation",
    "First transfer definition for OIMP",
    "Additional information",
];

pub const T3_HEADER: [&str; 27] = [
    "Action date",
    "Action type",
    "Action subtype",
    "Cooperative approach ID",
    "Authorization ID",
    "First transferring participating Party ID",
    "Party ITMO registry ID",
    "First ID",
    "Last ID",
    "Underlying unit registry ID",
    "First unit ID",
    "Last unit ID",
    "Metric",
    "GWP",
    "Non-GHG metric",
    "Quantity (t CO2 eq)",
    "Quantity (non-GHG)",
    "Mitigation type",
    "Vintage",
    "Transferring Party ID",
    "Acquiring Party ID",
    "Purpose of OIMP use or cancellation",
    "Using/cancelling Party ID",
    "Using/cancelling authorized entity ID",
    "Calendar year of use towards NDC",
    "Result of consistency checks",
    "Additional information",
];

pub const T4_HEADER: [&str; 16] = [
    "Cooperative approach ID",
    "Authorization ID",
    "First transferring Party ID",
    "Party ITMO registry ID",
    "First ID",
    "Last ID",
    "Underlying unit registry ID",
    "Underlying first unit ID",
    "Underlying last unit ID",
    "Metric",
    "GWP",
    "Non-GHG metric",
    "Quantity (t CO2 eq)",
    "Quantity (non-GHG)",
    "Mitigation type",
    "Vintage",
];

const NA: &str = "NA";

/// Replay the retained log into a fresh fold, up to and including year `until` (by `ts`).
pub fn replay(ledger: &Ledger, until: Option<u16>, record_actions: bool) -> State {
    let mut st = State::new();
    st.record_actions = record_actions;
    for env in ledger.events() {
        if until.is_some_and(|y| env.year() > y) {
            break;
        }
        if st.apply(env).is_err() {
            break; // the log was verified on load; cannot happen
        }
    }
    st
}

fn unit_id(st: &State, b: &Block, n: u64) -> String {
    let iss = &st.issuances[b.issuance as usize];
    format!("{}-{}-{:04}-{:06}", iss.registry, iss.project, b.vintage, n)
}

/// T2: one row per authorization (latest version).
pub fn t2_rows(ledger: &Ledger) -> Vec<Vec<String>> {
    let st = ledger.state();
    st.authorizations
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.date.to_string(),
                a.approach.clone(),
                format!("{}.0", a.version),
                a.authorized_quantity
                    .map(|q| q.to_string())
                    .unwrap_or_else(|| NA.into()),
                "GHG".into(),
                "AR5".into(),
                NA.into(),
                NA.into(),
                NA.into(),
                a.purpose.as_str().into(),
                if a.acquiring_parties.is_empty() {
                    NA.into()
                } else {
                    a.acquiring_parties.join("; ")
                },
                if a.entities.is_empty() {
                    NA.into()
                } else {
                    a.entities.join("; ")
                },
                if a.purpose.includes_oimp() {
                    "Yes".into()
                } else {
                    "No".into()
                },
                format!("{} - {}", a.period_start, a.period_end),
                NA.into(),
                String::new(),
                a.first_transfer_definition
                    .map(|d| d.aef().to_string())
                    .unwrap_or_else(|| NA.into()),
                String::new(),
            ]
        })
        .collect()
}

/// All T3 action records (every year), in log order.
pub fn actions(ledger: &Ledger) -> (State, Vec<ActionRecord>) {
    let mut st = replay(ledger, None, true);
    let acts = std::mem::take(&mut st.actions);
    (st, acts)
}

/// T3 rows for `year` (all years when `None`).
pub fn t3_rows(ledger: &Ledger, year: Option<u16>) -> Vec<Vec<String>> {
    let (st, acts) = actions(ledger);
    acts.iter()
        .filter(|a| year.is_none_or(|y| a.date.year() as u16 == y))
        .filter_map(|a| {
            let b = st.block(a.block)?;
            let auth = st.block_auth(b);
            let iss = &st.issuances[b.issuance as usize];
            let ut = iss.unit_type;
            let using = matches!(
                a.action_type,
                "Use" | "Cancellation" | "Voluntary Cancellation"
            );
            Some(vec![
                format!("{}T00:00:00Z", a.date),
                a.action_type.into(),
                a.subtype.into(),
                auth.map(|x| x.approach.clone())
                    .unwrap_or_else(|| NA.into()),
                auth.map(|x| x.id.clone()).unwrap_or_else(|| NA.into()),
                b.first_transfer
                    .as_ref()
                    .map_or_else(|| iss.party.to_string(), |f| f.party.to_string()),
                iss.registry.to_string(),
                unit_id(&st, b, a.first),
                unit_id(&st, b, a.last),
                NA.into(),
                NA.into(),
                NA.into(),
                "GHG".into(),
                "AR5".into(),
                NA.into(),
                (a.last - a.first + 1).to_string(),
                NA.into(),
                ut.mitigation_type().into(),
                b.vintage.to_string(),
                a.transferring_party.clone().unwrap_or_else(|| NA.into()),
                a.acquiring_party.clone().unwrap_or_else(|| NA.into()),
                if a.action_type == "Cancellation" && a.subtype == "Use or cancellation" {
                    a.purpose
                        .map(|p| p.as_str().to_string())
                        .unwrap_or_else(|| NA.into())
                } else {
                    NA.into()
                },
                if using { a.party.clone() } else { NA.into() },
                a.entity.clone().unwrap_or_else(|| NA.into()),
                a.use_year
                    .map(|y| y.to_string())
                    .unwrap_or_else(|| NA.into()),
                String::new(),
                String::new(),
            ])
        })
        .collect()
}

/// T4: ITMO holdings of `party` (non-terminal accounts) at 31 December of `year`, replayed.
pub fn t4_rows(ledger: &Ledger, party: &str, year: u16) -> Vec<Vec<String>> {
    let st = replay(ledger, Some(year), false);
    t4_rows_from_state(&st, party)
}

pub fn t4_rows_from_state(st: &State, party: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for acc in st
        .accounts
        .iter()
        .filter(|a| a.party == party && !a.kind.is_terminal())
    {
        for k in &acc.blocks {
            let Some(b) = st.block(k.3) else { continue };
            if b.class != Class::Itmo {
                continue;
            }
            let auth = st.block_auth(b);
            let iss = &st.issuances[b.issuance as usize];
            rows.push(vec![
                auth.map(|x| x.approach.clone())
                    .unwrap_or_else(|| NA.into()),
                auth.map(|x| x.id.clone()).unwrap_or_else(|| NA.into()),
                b.first_transfer
                    .as_ref()
                    .map_or_else(|| iss.party.to_string(), |f| f.party.to_string()),
                iss.registry.to_string(),
                unit_id(st, b, b.first),
                unit_id(st, b, b.last),
                NA.into(),
                NA.into(),
                NA.into(),
                "GHG".into(),
                "AR5".into(),
                NA.into(),
                b.count().to_string(),
                NA.into(),
                iss.unit_type.mitigation_type().into(),
                b.vintage.to_string(),
            ]);
        }
    }
    rows.sort();
    rows
}

pub const T1_HEADER: [&str; 9] = [
    "Party",
    "Version",
    "Reported year",
    "Date of submission",
    "Review status of the initial report",
    "Result of consistency check",
    "First year of NDC period",
    "Last year of NDC period",
    "Reference to A6 TER report",
];

pub const T5_HEADER: [&str; 8] = [
    "Date of authorization",
    "Name",
    "Country of incorporation",
    "Identification number",
    "Cooperative approach ID",
    "Conditions",
    "Change and revocation conditions",
    "Additional information",
];

/// T1: one submission row for `party` and reported `year`. The date of submission is the date
/// of the `CloseReportingYear` event for that year, else the date of the last event; the
/// CARP-filled columns (review status, consistency check, TER reference) are blank.
pub fn t1_rows(ledger: &Ledger, party: &str, year: u16) -> Vec<Vec<String>> {
    let st = ledger.state();
    let Some(p) = st.parties.get(party) else {
        return Vec::new();
    };
    let date = st
        .lc
        .closed_years
        .get(&year)
        .copied()
        .or_else(|| ledger.events().last().map(|e| e.date()))
        .map(|d| d.to_string())
        .unwrap_or_else(|| NA.into());
    let opt = |y: Option<u16>| y.map(|y| y.to_string()).unwrap_or_else(|| NA.into());
    vec![vec![
        p.code.clone(),
        "1.0".into(),
        year.to_string(),
        date,
        String::new(),
        String::new(),
        opt(p.ndc_first_year),
        opt(p.ndc_last_year),
        String::new(),
    ]]
}

/// T5: one row per authorized-entity record (latest status), in (approach, organization)
/// order; "NA" for empty conditions; the status goes to Additional information unless Active.
pub fn t5_rows(ledger: &Ledger) -> Vec<Vec<String>> {
    let st = ledger.state();
    let na = |s: &str| {
        if s.trim().is_empty() {
            NA.to_string()
        } else {
            s.to_string()
        }
    };
    st.lc
        .entities
        .values()
        .map(|e| {
            let org = st.orgs.get(&e.organization);
            vec![
                e.date.to_string(),
                org.map(|o| o.name.clone())
                    .unwrap_or_else(|| e.organization.clone()),
                org.map(|o| o.country.clone()).unwrap_or_else(|| NA.into()),
                e.organization.clone(),
                e.approach.clone(),
                na(&e.conditions),
                na(&e.revocation_conditions),
                match e.status {
                    crate::registry::types::EntityStatus::Active => NA.into(),
                    s => format!("Status: {s:?}"),
                },
            ]
        })
        .collect()
}
