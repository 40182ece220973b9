//! Import of Article 6.2 authorization blocks (`/work/shared/data/a6-2-authorizations-*.csv`
//! and files with the same columns). One job: turn each row into ledger commands — project
//! (if new) + issuance + authorization — so that the fold marks the first transfer per the
//! row's definition; and report, never guess, what the data cannot resolve.
//!
//! Mapping (documented choices):
//! - Party: host name → ISO alpha-3, registry id `{ISO3}01`; unknown names are rejected rows.
//! - Cooperative approach: the CARP id, or `NA-{ISO3}` where the source says `NA`; recorded
//!   and set Active.
//! - Authorization: one per (host, approach, authorization year, purpose, definition), id
//!   `{ISO3}-{CA}-{YEAR}-{NDCOIMP|OIMP}-{AUTH|ISS|FIT}`, dated 1 January of the year (the source
//!   gives a year only), timeframe 2021–2030.
//! - Project: `{GS|VCS}{project}{ISO3}` (Verra 4151 appears under two hosts), mechanism 6.2.
//! - Issuance: the row's quantity, dated `issuance_date`, into `{ISO3}:REG:Holding`; the
//!   programme serial's start/end must match the quantity, else the row is rejected.
//! - Authorization of the block: dated the later of issuance and authorization (article6 §4).
//!   `Authorisation`/`Issuance` definitions first-transfer at that event;
//!   `First international transfer` leaves the block unresolved (listed in the report and in
//!   `Article6Flows::unresolved`) until a transfer is recorded.
//!
//! Command ids are `imp-{file tag}-{block_index}-{step}`, so re-importing a file is idempotent.

use std::collections::BTreeMap;
use std::io::Read;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::command::{Command, Submission};
use super::error::RegistryError;
use super::ledger::{Ledger, system_account_id};
use super::types::*;

/// The columns a row is read from, as the source file names them (each a field of [`Row`]).
const COLUMNS: [&str; 17] = [
    "block_index",
    "programme",
    "host_party",
    "project_id",
    "serial",
    "vintage",
    "quantity",
    "first_transfer_definition",
    "authorization_year",
    "issuance_date",
    "issuance_year",
    "authorized_for_ndc",
    "authorized_for_oimp",
    "purpose",
    "cooperative_approach_id",
    "uploaded_to_carp",
    "loa_url",
];

#[derive(Debug, Deserialize)]
struct Row {
    block_index: String,
    programme: String,
    host_party: String,
    project_id: String,
    serial: String,
    vintage: u16,
    quantity: u64,
    first_transfer_definition: String,
    authorization_year: u16,
    issuance_date: String,
    #[allow(dead_code)]
    issuance_year: u16,
    #[allow(dead_code)]
    authorized_for_ndc: String,
    #[allow(dead_code)]
    authorized_for_oimp: String,
    purpose: String,
    cooperative_approach_id: String,
    #[allow(dead_code)]
    uploaded_to_carp: String,
    loa_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportIssue {
    /// 1-based CSV line (header = line 1).
    pub line: u64,
    pub block_index: String,
    pub quantity: u64,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub rows: u64,
    /// Rows this run imported (new to the ledger), and their units.
    pub imported_rows: u64,
    pub imported_quantity: u64,
    /// Rows an earlier import of this file already brought in (left as they were).
    pub already_imported_rows: u64,
    pub already_imported_quantity: u64,
    /// Units this run imported, per host Party.
    pub per_party: BTreeMap<String, u64>,
    /// Rows this run imported whose first transfer the data cannot resolve.
    pub unresolved: Vec<ImportIssue>,
    /// Rows not imported (inconsistent), with the reason.
    pub rejected: Vec<ImportIssue>,
}

/// Host names used by the source → ISO 3166 alpha-3.
pub fn party_code(name: &str) -> Option<&'static str> {
    Some(match name.trim() {
        "Benin" => "BEN",
        "Cambodia" => "KHM",
        "Gambia" => "GMB",
        "Lao" => "LAO",
        "Madagascar" => "MDG",
        "Malawi" => "MWI",
        "Morocco" => "MAR",
        "Nigeria" => "NGA",
        "Rwanda" => "RWA",
        "Sierra Leone" => "SLE",
        "Tanzania" => "TZA",
        "Togo" => "TGO",
        "Uzbekistan" => "UZB",
        "Zimbabwe" => "ZWE",
        "Ghana" => "GHA",
        "Bhutan" => "BTN",
        "Switzerland" => "CHE",
        "Japan" => "JPN",
        "Singapore" => "SGP",
        "Sweden" => "SWE",
        _ => return None,
    })
}

/// Start and end unit numbers encoded in a GS or Verra serial.
fn serial_range(programme: &str, serial: &str) -> Option<(u64, u64)> {
    let parts: Vec<&str> = serial.trim().split('-').collect();
    let (a, b) = match programme {
        "GS" => (parts.get(parts.len().checked_sub(2)?)?, parts.last()?),
        _ => (parts.get(1)?, parts.get(2)?),
    };
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// Why a row's cells do not read as a [`Row`], naming the column and its value (the CSV
/// library counts fields from 0 and names neither).
fn unreadable(e: &csv::Error, record: &csv::StringRecord, headers: &csv::StringRecord) -> String {
    if let csv::ErrorKind::Deserialize { err, .. } = e.kind()
        && let Some(k) = err.field()
    {
        let k = k as usize;
        let column = headers.get(k).unwrap_or("?").trim();
        let value = record.get(k).unwrap_or_default();
        let want = match column {
            "quantity" => "a whole number of units, e.g. 1250",
            "vintage" | "authorization_year" | "issuance_year" => "a four-digit year",
            _ => "a value of the column's kind, as in a6-2-authorizations-*.csv",
        };
        return format!("column {column} is {value:?}: expected {want}");
    }
    format!("unreadable row: {e}")
}

fn submit(ledger: &mut Ledger, id: String, command: Command) -> Result<(), RegistryError> {
    ledger
        .submit(Submission {
            command_id: id,
            actor: Actor::system(),
            command,
        })
        .map(|_| ())
}

/// Whether `input` is a file this module imports (it is read, and its first line names the
/// columns): the check [`import_csv`] makes before any row, for a caller that wants the verdict
/// before it opens (and perhaps creates) a ledger.
pub fn check_file(mut input: impl Read) -> Result<(), RegistryError> {
    let mut text = String::new();
    input
        .read_to_string(&mut text)
        .map_err(|e| RegistryError::BadInput(format!("cannot read CSV: {e}")))?;
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| RegistryError::BadInput(format!("not a readable CSV: {e}")))?;
    check_columns(headers)
}

/// A file without the columns (another CSV, a JSON file, an empty file) is the wrong file, not
/// a file of rejected rows: refused whole, naming what is missing.
fn check_columns(headers: &csv::StringRecord) -> Result<(), RegistryError> {
    let missing: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h.trim() == *c))
        .collect();
    if missing.len() == COLUMNS.len() {
        return Err(RegistryError::BadInput(format!(
            "not an Article 6.2 authorization-blocks CSV: its first line names none of the \
             columns of a6-2-authorizations-*.csv ({})",
            COLUMNS.join(", ")
        )));
    }
    if !missing.is_empty() {
        return Err(RegistryError::BadInput(format!(
            "not an Article 6.2 authorization-blocks CSV: missing column{} {} (add {} to the \
             first line, as in a6-2-authorizations-*.csv)",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            if missing.len() == 1 { "it" } else { "them" },
        )));
    }
    Ok(())
}

/// Import from CSV bytes. `tag` distinguishes files in command ids (e.g. the file stem).
pub fn import_csv(
    ledger: &mut Ledger,
    mut input: impl Read,
    tag: &str,
) -> Result<ImportReport, RegistryError> {
    let mut text = String::new();
    input
        .read_to_string(&mut text)
        .map_err(|e| RegistryError::BadInput(format!("cannot read CSV: {e}")))?;
    let tag: String = tag
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(16)
        .collect();
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::None)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| RegistryError::BadInput(format!("not a readable CSV: {e}")))?;
    check_columns(headers)?;
    let headers = headers.clone();
    // The block index of a row whose cells do not read (for its rejection).
    let block_index_at = headers.iter().position(|h| h.trim() == "block_index");
    let mut report = ImportReport::default();
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        report.rows += 1;
        let record = match rec {
            Ok(r) => r,
            Err(e) => {
                report.rejected.push(ImportIssue {
                    line,
                    block_index: String::new(),
                    quantity: 0,
                    reason: format!("unreadable row: {e}"),
                });
                continue;
            }
        };
        let row = match record.deserialize::<Row>(Some(&headers)) {
            Ok(r) => r,
            Err(e) => {
                report.rejected.push(ImportIssue {
                    line,
                    block_index: block_index_at
                        .and_then(|k| record.get(k))
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                    quantity: 0,
                    reason: unreadable(&e, &record, &headers),
                });
                continue;
            }
        };
        let issue = |reason: String| ImportIssue {
            line,
            block_index: row.block_index.clone(),
            quantity: row.quantity,
            reason,
        };
        let Some(iso) = party_code(&row.host_party) else {
            report
                .rejected
                .push(issue(format!("unknown host party {:?}", row.host_party)));
            continue;
        };
        let def_raw = row.first_transfer_definition.trim();
        let Some(def) = FirstTransferDefinition::parse(def_raw) else {
            report.rejected.push(issue(format!(
                "unrecognised first-transfer definition {def_raw:?}"
            )));
            continue;
        };
        let Some(purpose) = Purpose::parse(&row.purpose) else {
            report
                .rejected
                .push(issue(format!("unrecognised purpose {:?}", row.purpose)));
            continue;
        };
        let pid = row.project_id.trim();
        if pid.is_empty() || pid.len() > 24 || !pid.bytes().all(|b| b.is_ascii_alphanumeric()) {
            report.rejected.push(issue(format!(
                "project_id {:?} must be 1-24 letters and digits (the programme's project number)",
                row.project_id
            )));
            continue;
        }
        let bi = row.block_index.trim();
        if bi.is_empty()
            || bi.len() > 40
            || !bi
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
        {
            report.rejected.push(issue(format!(
                "block_index {:?} must be 1-40 letters, digits, - _ . or : (it names the row's commands)",
                row.block_index
            )));
            continue;
        }
        match serial_range(&row.programme, &row.serial) {
            Some((s, e)) if e >= s && e - s + 1 == row.quantity => {}
            _ => {
                report.rejected.push(issue(format!(
                    "serial {:?} does not encode {} units",
                    row.serial.trim(),
                    row.quantity
                )));
                continue;
            }
        }
        let Ok(issued_on) = NaiveDate::parse_from_str(&row.issuance_date, "%Y-%m-%d") else {
            report
                .rejected
                .push(issue(format!("bad issuance_date {:?}", row.issuance_date)));
            continue;
        };
        let Some(auth_date) = NaiveDate::from_ymd_opt(row.authorization_year as i32, 1, 1) else {
            report.rejected.push(issue("bad authorization_year".into()));
            continue;
        };
        let prog = if row.programme == "GS" { "GS" } else { "VCS" };
        let project = format!("{prog}{}{iso}", row.project_id.trim());
        let ca = if row.cooperative_approach_id.trim() == "NA" {
            format!("NA-{iso}")
        } else {
            row.cooperative_approach_id.trim().to_string()
        };
        let pshort = if purpose.includes_ndc() {
            "NDCOIMP"
        } else {
            "OIMP"
        };
        let dshort = match def {
            FirstTransferDefinition::Authorization => "AUTH",
            FirstTransferDefinition::Issuance => "ISS",
            FirstTransferDefinition::UseOrCancel => "UOC",
            FirstTransferDefinition::FirstInternationalTransfer => "FIT",
        };
        let auth_id = format!("{iso}-{ca}-{}-{pshort}-{dshort}", row.authorization_year);
        let cid = |step: &str| format!("imp-{tag}-{bi}-{step}");
        // Imported by an earlier run of this file: its commands return their first results.
        let already = ledger.state().commands.contains_key(&cid("auth"));
        let res = (|| -> Result<(), RegistryError> {
            let st = ledger.state();
            let need_party = !st.parties.contains_key(iso);
            let need_ca = !st.approaches.contains_key(&ca);
            let need_auth = st.authorization(&auth_id).is_none();
            let need_project = !st.projects.contains_key(&project);
            if need_party {
                submit(
                    ledger,
                    format!("imp-party-{iso}"),
                    Command::InitParty {
                        party: iso.into(),
                        registry_id: format!("{iso}01"),
                        name: row.host_party.clone(),
                        ndc_first_year: Some(2021),
                        ndc_last_year: Some(2030),
                    },
                )?;
            }
            if need_ca {
                submit(
                    ledger,
                    format!("imp-ca-{ca}"),
                    Command::RecordApproach {
                        id: ca.clone(),
                        title: format!("{} cooperative approach {ca}", row.host_party),
                        host: iso.into(),
                        parties: vec![iso.into()],
                    },
                )?;
                submit(
                    ledger,
                    format!("imp-ca-{ca}-ir"),
                    Command::FileInitialReport {
                        approach: ca.clone(),
                        version: 1,
                        status: ReportStatus::Submitted,
                    },
                )?;
                submit(
                    ledger,
                    format!("imp-ca-{ca}-sub"),
                    Command::SetApproachStatus {
                        id: ca.clone(),
                        status: ApproachStatus::Submitted,
                    },
                )?;
                submit(
                    ledger,
                    format!("imp-ca-{ca}-act"),
                    Command::SetApproachStatus {
                        id: ca.clone(),
                        status: ApproachStatus::Active,
                    },
                )?;
            }
            if need_auth {
                submit(
                    ledger,
                    format!("imp-auth-{auth_id}"),
                    Command::RecordAuthorization {
                        id: auth_id.clone(),
                        version: 1,
                        date: auth_date,
                        approach: ca.clone(),
                        purpose: purpose.as_str().into(),
                        acquiring_parties: vec![],
                        entities: vec![],
                        authorized_quantity: None,
                        period_start: 2021,
                        period_end: 2030,
                        first_transfer_definition: Some(def_raw.to_string()),
                    },
                )?;
            }
            if need_project {
                submit(
                    ledger,
                    format!("imp-proj-{project}"),
                    Command::RegisterProject {
                        id: project.clone(),
                        name: format!("{} project {}", row.programme, row.project_id.trim()),
                        sector: String::new(),
                        mechanism: Mechanism::A62,
                        host: Some(iso.into()),
                        developer: None,
                        methodology: String::new(),
                        unit_type: UnitType::default(),
                        covered_by_ndc: None,
                        link: row.loa_url.clone(),
                        registered: true,
                    },
                )?;
            }
            submit(
                ledger,
                cid("iss"),
                Command::Issue {
                    project: project.clone(),
                    vintage: row.vintage,
                    quantity: row.quantity,
                    to: Some(system_account_id(iso, AccountKind::Holding)),
                    verification: None,
                    levies: Some(Default::default()),
                    authorization: None,
                    date: Some(issued_on),
                },
            )?;
            submit(
                ledger,
                cid("auth"),
                Command::Authorize {
                    account: system_account_id(iso, AccountKind::Holding),
                    authorization: auth_id.clone(),
                    quantity: row.quantity,
                    filter: Filter {
                        project: Some(project.clone()),
                        vintage: Some(row.vintage),
                        class: Some(Class::Mo),
                        authorization: None,
                    },
                    date: Some(issued_on.max(auth_date)),
                },
            )?;
            Ok(())
        })();
        match res {
            Ok(()) if already => {
                report.already_imported_rows += 1;
                report.already_imported_quantity += row.quantity;
            }
            Ok(()) => {
                report.imported_rows += 1;
                report.imported_quantity += row.quantity;
                *report.per_party.entry(iso.to_string()).or_default() += row.quantity;
                if def == FirstTransferDefinition::FirstInternationalTransfer {
                    report.unresolved.push(issue("first transfer defined as \"First international transfer\" and no transfer is recorded: first-transfer year unresolved".into()));
                }
            }
            Err(RegistryError::Rejected { rule, message }) => {
                report.rejected.push(issue(format!("{rule}: {message}")))
            }
            Err(RegistryError::ExistsWithDifferentPayload { command_id }) => {
                report.rejected.push(issue(format!(
                    "block {bi} was imported before with other values (command {command_id}); \
                     a corrected block needs a block_index of its own"
                )))
            }
            Err(RegistryError::BadInput(m)) => report.rejected.push(issue(m)),
            // The journal failing, or a bug: nothing more can be imported.
            Err(e) => return Err(e),
        }
    }
    Ok(report)
}
