//! `ndc-workbench registry …`: the headless registry commands. One job: parse flags into
//! ledger commands and queries, print results, and map errors to `what / where / how to fix`
//! with exit codes 0 (ok), 1 (operation failed: refused command, invariant violated, corrupt or
//! torn journal), 2 (bad input or usage).
//!
//! The journal is `--ledger PATH`, default `registry.jsonl` in the data directory
//! (`--data-dir DIR`, else `$NDC_WORKBENCH_DATA`, else the platform data dir). Commands run as
//! the registry's system actor (Root) unless `--actor USER:ORG:ROLE` names another (needed for
//! the four-eyes rule: a request is approved by someone other than its requester).
//! `NDC_WORKBENCH_NOW=YYYY-MM-DD[THH:MM:SSZ]` fixes the clock (tests, drills).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand};

use super::clock::{Clock, ManualClock, SystemClock};
use super::command::{Command, CommandOutcome, Levies, Submission};
use super::error::{JournalError, RegistryError};
use super::explorer::ExplorerQuery;
use super::export;
use super::journal::Durability;
use super::ledger::Ledger;
use super::types::*;

#[derive(Debug, Args)]
pub struct RegistryArgs {
    /// Journal file (JSON Lines). Default: registry.jsonl in the data directory.
    #[arg(long, global = true)]
    pub ledger: Option<PathBuf>,
    /// Data directory, from the top-level `--data-dir` (else $NDC_WORKBENCH_DATA, else the
    /// platform data dir).
    #[arg(skip)]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub cmd: RegistryCmd,
}

#[derive(Debug, Args, Clone, Default)]
pub struct CmdId {
    /// Client command id (idempotent retries); generated when absent.
    #[arg(long)]
    pub command_id: Option<String>,
    /// Acting user as USER:ORG:ROLE (e.g. ana:REG-BTN:DNA); default system:REG:Root.
    #[arg(long)]
    pub actor: Option<String>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Only blocks of this project.
    #[arg(long)]
    pub project: Option<String>,
    /// Only blocks of this vintage (a four-digit year).
    #[arg(long, value_parser = parse_vintage)]
    pub vintage: Option<u16>,
    /// Only blocks of this class: MO or ITMO.
    #[arg(long, value_parser = parse_class)]
    pub class: Option<Class>,
    /// Only blocks under this authorization.
    #[arg(long = "under")]
    pub under: Option<String>,
}

fn parse_class(s: &str) -> Result<Class, String> {
    match s.to_ascii_uppercase().as_str() {
        "MO" => Ok(Class::Mo),
        "ITMO" => Ok(Class::Itmo),
        _ => Err("use MO or ITMO".into()),
    }
}

impl FilterArgs {
    fn filter(&self) -> Filter {
        Filter {
            project: self.project.clone(),
            vintage: self.vintage,
            class: self.class,
            authorization: self.under.clone(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum RegistryCmd {
    /// BTR Table 4 rows 7–14 for a Party (by code or name), from this ledger.
    Table4 {
        /// Party alpha-3 code or name as recorded (e.g. BTN, Tanzania).
        #[arg(long)]
        party: String,
        /// CA method: averaging (single-year), trajectory, budget.
        #[arg(long, value_parser = ["averaging", "trajectory", "budget"], default_value = "averaging")]
        method: String,
        /// NDC period FIRST-LAST (default: the Party's recorded period, else 2021-2030).
        #[arg(long)]
        period: Option<String>,
        /// Take emissions (rows 5 and 14) from this scenario's projected covered emissions.
        #[arg(long)]
        scenario: Option<String>,
        /// Print the rows as JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Register the Party, its registry organization and system accounts.
    Init {
        /// The Party's ISO 3166 alpha-3 code, e.g. BTN.
        #[arg(long, value_parser = parse_party_code)]
        party: String,
        /// The registry's id in serials: three capitals and two digits, e.g. BTN01.
        #[arg(long, value_parser = parse_registry_id)]
        registry_id: String,
        /// The Party's name, e.g. Bhutan.
        #[arg(long, default_value = "")]
        name: String,
        #[command(flatten)]
        id: CmdId,
    },
    /// Projects.
    #[command(subcommand)]
    Project(ProjectCmd),
    /// Organizations.
    #[command(subcommand)]
    Org(OrgCmd),
    /// Accounts.
    #[command(subcommand)]
    Account(AccountCmd),
    /// Cooperative approaches.
    #[command(subcommand)]
    Approach(ApproachCmd),
    /// Authorizations.
    #[command(subcommand)]
    Authorization(AuthorizationCmd),
    /// Issue units (6.4 projects: SOP 5 % and OMGE 2 % by default).
    Issue {
        /// The registered project the units come from (see `project add`).
        #[arg(long)]
        project: String,
        /// The vintage: the year the emission reductions or removals happened (e.g. 2025).
        #[arg(long, value_parser = parse_vintage)]
        vintage: u16,
        /// Units, a whole number (1000, 1,000 and 1 000 are the same).
        #[arg(long, value_parser = parse_quantity, allow_negative_numbers = true)]
        quantity: u64,
        /// Account that receives the units (default: the registry's holding account).
        #[arg(long)]
        to: Option<String>,
        /// The verification that backs the issuance (its verified quantity caps it).
        #[arg(long)]
        verification: Option<String>,
        /// Issue as ITMOs under this authorization.
        #[arg(long)]
        authorization: Option<String>,
        /// Share of proceeds to the Adaptation Fund, in basis points (500 = 5 %). For a 6.4
        /// project it is mandatory: left out it is 500, lower is refused.
        #[arg(long)]
        sop_bp: Option<u32>,
        /// OMGE cancellation at issuance, in basis points (200 = 2 %). For a 6.4 project it is
        /// mandatory: left out it is 200, lower is refused.
        #[arg(long)]
        omge_bp: Option<u32>,
        /// Buffer (non-permanence) leg, in basis points of the issuance.
        #[arg(long)]
        buffer_bp: Option<u32>,
        /// Host retention leg (kept by the host, not authorized), in basis points of what
        /// SOP and OMGE leave.
        #[arg(long)]
        retention_bp: Option<u32>,
        #[command(flatten)]
        id: CmdId,
    },
    /// Authorize MOs as ITMOs (partial quantities split the last block).
    Authorize {
        /// Account holding the units (an account id, e.g. BTN:REG:Holding).
        #[arg(long)]
        account: String,
        /// The authorization (id) the MOs are authorized under.
        #[arg(long)]
        authorization: String,
        /// Units, a whole number (1000, 1,000 and 1 000 are the same).
        #[arg(long, value_parser = parse_quantity, allow_negative_numbers = true)]
        quantity: u64,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        id: CmdId,
    },
    /// Transfer units (international when the Parties differ).
    Transfer {
        /// Account the units leave (an account id, e.g. BTN:REG:Holding).
        #[arg(long)]
        from: String,
        /// Account the units arrive in (another Party's makes it an international transfer).
        #[arg(long)]
        to: String,
        /// Units, a whole number (1000, 1,000 and 1 000 are the same).
        #[arg(long, value_parser = parse_quantity, allow_negative_numbers = true)]
        quantity: u64,
        /// Acquiring Party (ISO alpha-3) when it is not the receiving account's Party.
        #[arg(long, value_parser = parse_party_code)]
        acquiring_party: Option<String>,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        id: CmdId,
    },
    /// Use units towards the holder Party's NDC.
    Use {
        /// Account the units leave (an account id, e.g. BTN:REG:Holding).
        #[arg(long)]
        from: String,
        /// Units, a whole number (1000, 1,000 and 1 000 are the same).
        #[arg(long, value_parser = parse_quantity, allow_negative_numbers = true)]
        quantity: u64,
        /// The NDC year the units are used towards.
        #[arg(long, value_parser = parse_year)]
        use_year: u16,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        id: CmdId,
    },
    /// Retire units for a structured beneficiary.
    Retire {
        /// Account the units leave (an account id, e.g. BTN:REG:Holding).
        #[arg(long)]
        from: String,
        /// Units, a whole number (1000, 1,000 and 1 000 are the same).
        #[arg(long, value_parser = parse_quantity, allow_negative_numbers = true)]
        quantity: u64,
        /// Who the retirement is for (printed on the retirement proof).
        #[arg(long)]
        beneficiary_name: String,
        /// The beneficiary's identifier (company number, national id, …).
        #[arg(long)]
        beneficiary_id: String,
        /// The beneficiary's country (ISO alpha-3).
        #[arg(long, value_parser = parse_party_code)]
        beneficiary_country: String,
        /// What the retirement is claimed for.
        #[arg(long, default_value = "voluntary claim")]
        purpose: String,
        /// Authorized entity, for OIMP retirements.
        #[arg(long)]
        entity: Option<String>,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        id: CmdId,
    },
    /// Cancel units (voluntary, omge, other).
    Cancel {
        /// Account the units leave (an account id, e.g. BTN:REG:Holding).
        #[arg(long)]
        from: String,
        /// Units, a whole number (1000, 1,000 and 1 000 are the same).
        #[arg(long, value_parser = parse_quantity, allow_negative_numbers = true)]
        quantity: u64,
        /// voluntary, omge (overall mitigation in global emissions) or other.
        #[arg(long, value_parser = parse_subtype, default_value = "voluntary")]
        subtype: CancelSubtype,
        /// Why the units are cancelled (kept in the journal).
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        id: CmdId,
    },
    /// Freeze units (frozen blocks refuse every move).
    Freeze {
        /// The account holding the units.
        #[arg(long)]
        account: String,
        /// How many units to freeze (lowest serials first).
        #[arg(long, value_parser = parse_quantity, allow_negative_numbers = true)]
        quantity: u64,
        /// Why (kept in the journal), e.g. "under investigation".
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        id: CmdId,
    },
    /// Unfreeze units frozen earlier (they can move again).
    Unfreeze {
        /// The account holding the frozen units.
        #[arg(long)]
        account: String,
        /// How many units to unfreeze (lowest serials first).
        #[arg(long, value_parser = parse_quantity, allow_negative_numbers = true)]
        quantity: u64,
        /// Why (kept in the journal).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        id: CmdId,
    },
    /// Account balances.
    Balances {
        /// Print {"accounts": [{"id", "owner", "type", "units", "by_vintage"}]} for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Events by serial, project, account, beneficiary.
    Explorer {
        /// A serial range or one unit (BTN01-P0007-2024-000001-000930, leading zeros
        /// optional); alone, it prints the whole life of those units with the anchoring hash.
        #[arg(long)]
        serial: Option<String>,
        /// Only events of this project (its id, e.g. P0007).
        #[arg(long)]
        project: Option<String>,
        /// Only events that touch this account (e.g. BTN:REG:Holding).
        #[arg(long)]
        account: Option<String>,
        /// Only retirements, uses and requests for a beneficiary whose name or id contains
        /// this text (case-insensitive).
        #[arg(long)]
        beneficiary: Option<String>,
        /// Print the events as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Table 4 flows of a Party (JSON).
    Flows {
        /// The Party's alpha-3 code (e.g. BTN).
        #[arg(long, value_parser = parse_party_code)]
        party: String,
    },
    /// Verify every invariant; silent with exit 0, else the first violation and exit 1.
    Check,
    /// Explicit repairs.
    Repair {
        /// Drop an unacknowledged torn tail (partial last line or incomplete last batch).
        #[arg(long)]
        truncate_torn_tail: bool,
    },
    /// Export AEF tables (T1–T5), CADT units CSV (v1 or v2) or a ledger/hledger journal.
    Export {
        /// aef: AEF tables T1–T5 (CSV); cadt / cadt-v2: CADT units CSV; ledger: a plain-text
        /// journal that ledger-cli and hledger read.
        #[arg(long, value_parser = ["aef", "cadt", "cadt-v2", "ledger"])]
        format: String,
        /// Directory to write the files into (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Reported year (AEF T3/T4); default: the year of the last event.
        #[arg(long, value_parser = parse_year)]
        year: Option<u16>,
        /// Party for T1/T4 (default: the first registered).
        #[arg(long, value_parser = parse_party_code)]
        party: Option<String>,
    },
    /// Import Article 6.2 authorization blocks from CSV.
    Import {
        /// A CSV with the columns of a6-2-authorizations-*.csv (block_index, programme,
        /// host_party, project_id, serial, vintage, quantity, first_transfer_definition, …).
        file: PathBuf,
    },
    /// Run a TOML script of commands, stopping at the first unexpected result.
    ///
    /// A script is a list of `[[command]]` tables. `type` is the command in snake_case
    /// (init_party, register_organization, open_account, register_project, issue, transfer,
    /// retire, cancel, freeze, request_retirement, approve_request, …); the other keys are
    /// the command's fields. Optional per command: `command_id = "…"` (default: the script's
    /// file name and the command's number, e.g. `drill-3`), `actor = { user = "ana", org =
    /// "REG-BTN", role = "DNA" }` (or once in a `[defaults]` table) and `expect_rule = "…"`
    /// for a refusal the drill expects. Example:
    ///
    ///   [[command]]
    ///   type = "issue"
    ///   project = "P0007"
    ///   vintage = 2024
    ///   quantity = 1000
    ///
    /// Running a script again is safe: commands already run return their first result. A
    /// command corrected after a refusal needs a new `command_id` (its refusal stays in the
    /// journal under the old one).
    #[command(verbatim_doc_comment)]
    Apply {
        /// The TOML script.
        script: PathBuf,
    },
    /// Two-phase retirement, phase 1: reserve units for a beneficiary until approved.
    RequestRetirement {
        /// Request id (used by approve / reject / cancel-request).
        #[arg(long)]
        id: String,
        /// Account the units are reserved in (e.g. BTN:REG:Holding).
        #[arg(long)]
        from: String,
        /// Units, a whole number (1000, 1,000 and 1 000 are the same).
        #[arg(long, value_parser = parse_quantity, allow_negative_numbers = true)]
        quantity: u64,
        /// retire (beneficiary claim; OIMP for ITMOs) or use (towards the holder's NDC).
        #[arg(long, value_parser = ["retire", "use"], default_value = "retire")]
        subtype: String,
        /// Who the retirement is for (printed on the retirement proof).
        #[arg(long)]
        beneficiary_name: String,
        /// The beneficiary's identifier (company number, national id, …).
        #[arg(long)]
        beneficiary_id: String,
        /// The beneficiary's country (ISO alpha-3, e.g. CHE).
        #[arg(long, value_parser = parse_party_code)]
        beneficiary_country: String,
        /// What the retirement is claimed for.
        #[arg(long, default_value = "voluntary claim")]
        purpose: String,
        /// Required for --subtype use.
        #[arg(long, value_parser = parse_year)]
        use_year: Option<u16>,
        /// Authorized entity (required for OIMP use or cancellation of ITMOs).
        #[arg(long)]
        entity: Option<String>,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        cid: CmdId,
    },
    /// Two-phase MO → ITMO authorization, phase 1: reserve MO units until approved.
    RequestAuthorization {
        /// Request id (used by approve / reject / cancel-request).
        #[arg(long)]
        id: String,
        /// Account holding the MOs (e.g. BTN:REG:Holding).
        #[arg(long)]
        account: String,
        /// The authorization (id) the MOs are to be authorized under.
        #[arg(long)]
        authorization: String,
        /// Units, a whole number (1000, 1,000 and 1 000 are the same).
        #[arg(long, value_parser = parse_quantity, allow_negative_numbers = true)]
        quantity: u64,
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        cid: CmdId,
    },
    /// Approve a pending request (never by its requester; --quantity approves an
    /// authorization request partially).
    Approve {
        /// The request's id (`registry requests` lists them).
        #[arg(long)]
        request: String,
        /// Approve only this many units of an authorization request (lowest serials first).
        #[arg(long, value_parser = parse_quantity, allow_negative_numbers = true)]
        quantity: Option<u64>,
        #[command(flatten)]
        cid: CmdId,
    },
    /// Reject a pending request (releases its units).
    Reject {
        /// The request's id (`registry requests` lists them).
        #[arg(long)]
        request: String,
        /// Why it is rejected (journaled with the rejection).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        cid: CmdId,
    },
    /// Withdraw a pending request (releases its units).
    CancelRequest {
        /// The request's id (`registry requests` lists them).
        #[arg(long)]
        request: String,
        /// Why it is withdrawn (optional).
        #[arg(long, default_value = "")]
        reason: String,
        #[command(flatten)]
        cid: CmdId,
    },
    /// List two-phase requests and their status.
    Requests {
        /// Print the requests as JSON.
        #[arg(long)]
        json: bool,
    },
    /// File (or advance) the initial report of a cooperative approach.
    InitialReport {
        /// The cooperative approach (its id).
        #[arg(long)]
        approach: String,
        /// The report's version (1 for the first filing).
        #[arg(long, default_value_t = 1)]
        version: u32,
        /// Draft, Submitted or Published
        #[arg(long)]
        status: String,
        #[command(flatten)]
        cid: CmdId,
    },
    /// Record an authorized entity of a cooperative approach (AEF T5).
    AuthorizedEntity {
        /// The organization authorized (its id, e.g. REG-CHE).
        #[arg(long)]
        organization: String,
        /// The cooperative approach (its id).
        #[arg(long)]
        approach: String,
        /// Date of the authorization, YYYY-MM-DD.
        #[arg(long)]
        date: NaiveDate,
        /// Conditions of the authorization (free text).
        #[arg(long, default_value = "")]
        conditions: String,
        /// Conditions under which it is revoked (free text).
        #[arg(long, default_value = "")]
        revocation_conditions: String,
        /// Active, Suspended or Revoked
        #[arg(long, default_value = "Active")]
        status: String,
        #[command(flatten)]
        cid: CmdId,
    },
    /// Corresponding-adjustment records: record → submit → approve, and the list view.
    #[command(subcommand)]
    Ca(CaCmd),
    /// Close a reporting year (marker event; AEF T1 date of submission).
    CloseYear {
        /// The reporting year closed, e.g. 2025.
        #[arg(long, value_parser = parse_year)]
        year: u16,
        #[command(flatten)]
        cid: CmdId,
    },
    /// Correct display metadata of an earlier event (the event itself is never rewritten).
    Annotate {
        /// The event's seq.
        #[arg(long)]
        event: u64,
        /// FIELD=VALUE; fields: beneficiary_name, beneficiary_id, beneficiary_country,
        /// purpose, note.
        #[arg(long = "set", required = true)]
        set: Vec<String>,
        /// Why the correction is made (journaled with it).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        cid: CmdId,
    },
    /// Generate a realistic random workload until the journal has N events.
    Synth {
        /// Stop once the journal holds at least this many events (the setup of Parties,
        /// organizations, accounts and projects alone writes about 130).
        #[arg(long, value_parser = parse_event_count)]
        events: u64,
        /// Seed of the random workload (the same seed gives the same commands).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Add to a ledger that already holds events (refused without it: the journal is
        /// append-only, so random commands added to a real ledger cannot be taken back).
        #[arg(long)]
        append: bool,
        /// Print `ack <command id>` after each command is durable (crash tests).
        #[arg(long, hide = true)]
        ack: bool,
        /// Write in 2 MiB pieces and fsync only at the end (fast bulk generation; a check
        /// then maps the journal's page cache in 2 MiB pages).
        #[arg(long)]
        deferred_sync: bool,
    },
}

/// A Party (or country) code as people type it: [`super::code_as_typed`].
fn parse_party_code(s: &str) -> Result<String, String> {
    Ok(super::code_as_typed(s))
}

/// An authorization's purpose as typed (`ndc and oimp`), in its AEF spelling (`NDC and OIMP`).
fn parse_purpose(s: &str) -> Result<String, String> {
    super::Purpose::parse(s)
        .map(|p| p.as_str().to_string())
        .ok_or_else(|| format!("use {}", super::Purpose::SPELLINGS))
}

/// A registry id as people type it (`btn01` is `BTN01`); the ledger checks its shape.
fn parse_registry_id(s: &str) -> Result<String, String> {
    Ok(s.trim().to_ascii_uppercase())
}

/// `synth --events`: a positive count, as people write numbers (`1_000_000`, `1,000,000`).
fn parse_event_count(s: &str) -> Result<u64, String> {
    match super::count_as_typed(s) {
        Some(0) => Err("use at least 1 (how many events the journal should hold)".into()),
        Some(n) => Ok(n),
        None => Err(format!("{s:?} is not a count of events; write e.g. 100000")),
    }
}

fn parse_subtype(s: &str) -> Result<CancelSubtype, String> {
    match s {
        "voluntary" => Ok(CancelSubtype::Voluntary),
        "omge" => Ok(CancelSubtype::Omge),
        "other" => Ok(CancelSubtype::Other),
        _ => Err("use voluntary, omge or other".into()),
    }
}

#[derive(Debug, Subcommand)]
pub enum CaCmd {
    /// Record (or, while Draft, re-record) the CA declared for an approach and year.
    Record {
        /// The cooperative approach (its id).
        #[arg(long)]
        approach: String,
        /// The year the adjustment is applied to, e.g. 2025.
        #[arg(long, value_parser = parse_year)]
        year: u16,
        /// The adjustment in units (tonnes CO2e).
        #[arg(long, value_parser = parse_quantity, allow_negative_numbers = true)]
        quantity: u64,
        #[command(flatten)]
        cid: CmdId,
    },
    /// Submit a recorded CA (Draft → Submitted).
    Submit {
        /// The cooperative approach (its id).
        #[arg(long)]
        approach: String,
        /// The year of the recorded adjustment.
        #[arg(long, value_parser = parse_year)]
        year: u16,
        #[command(flatten)]
        cid: CmdId,
    },
    /// Approve a submitted CA (Submitted → Approved).
    Approve {
        /// The cooperative approach (its id).
        #[arg(long)]
        approach: String,
        /// The year of the submitted adjustment.
        #[arg(long, value_parser = parse_year)]
        year: u16,
        #[command(flatten)]
        cid: CmdId,
    },
    /// Computed, recorded and outstanding CA per approach and year (invariant 12).
    List {
        /// Print the list as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProjectCmd {
    /// Register a project (its units are issued with `issue --project ID`).
    Add {
        /// Letters and digits, at most 32 (it is part of every serial), e.g. P0007.
        #[arg(long)]
        id: String,
        /// A one-line name, e.g. "Punatsangchhu hydro".
        #[arg(long)]
        name: String,
        /// The sector, e.g. Energy, AFOLU, Waste.
        #[arg(long, default_value = "")]
        sector: String,
        /// 6.2 (cooperative approach), 6.4 (Paris Agreement Crediting Mechanism: share of
        /// proceeds and OMGE at issuance) or domestic.
        #[arg(long, value_parser = |s: &str| Mechanism::parse(s).ok_or("use 6.2, 6.4 or domestic"))]
        mechanism: Mechanism,
        /// The host Party's code (default: the ledger's Party when there is one).
        #[arg(long)]
        host: Option<String>,
        /// The developer organization's id (see `org add`).
        #[arg(long)]
        developer: Option<String>,
        /// Inside NDC, Outside NDC or Unknown.
        #[arg(long)]
        covered_by_ndc: Option<String>,
        #[command(flatten)]
        id_: CmdId,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgCmd {
    /// Register an organization (a developer, a buyer, a climate fund, a VVB, …).
    Add {
        /// Letters, digits, - _ : . e.g. DEV-HYDRO.
        #[arg(long)]
        id: String,
        /// A one-line name.
        #[arg(long)]
        name: String,
        /// The Party it belongs to (ISO alpha-3), e.g. BTN.
        #[arg(long)]
        country: String,
        /// DNA, Regulator, ProjectDeveloper, VVB, AuthorizedEntity, Buyer, ClimateFund, Observer
        #[arg(long = "role")]
        roles: Vec<String>,
        #[command(flatten)]
        id_: CmdId,
    },
}

#[derive(Debug, Subcommand)]
pub enum AccountCmd {
    /// Open an account for an organization (e.g. a developer's holding account).
    Open {
        /// The account id, PARTY:ORG:NAME by convention (e.g. BTN:DEV1:Holding).
        #[arg(long)]
        id: String,
        /// The organization that owns it (its id, e.g. DEV1).
        #[arg(long)]
        owner: String,
        /// The Party whose registry keeps it (alpha-3, e.g. BTN).
        #[arg(long, value_parser = parse_party_code)]
        party: String,
        /// holding, pending, buffer, … (the `type` strings of `balances --json`)
        #[arg(long = "type")]
        kind: String,
        #[command(flatten)]
        id_: CmdId,
    },
}

#[derive(Debug, Subcommand)]
pub enum ApproachCmd {
    /// Record a cooperative approach (Article 6.2) between Parties.
    Add {
        /// The approach's id (e.g. CA-BTN-CHE-01).
        #[arg(long)]
        id: String,
        /// Its title, e.g. "Bhutan–Switzerland bilateral agreement".
        #[arg(long)]
        title: String,
        /// The host (transferring) Party, alpha-3.
        #[arg(long, value_parser = parse_party_code)]
        host: String,
        /// A participating Party, alpha-3; repeat for each (--party CHE --party SGP).
        #[arg(long = "party", value_parser = parse_party_code)]
        parties: Vec<String>,
        #[command(flatten)]
        id_: CmdId,
    },
    /// Change an approach's status (an inactive approach refuses first transfers).
    Status {
        /// The approach's id.
        #[arg(long)]
        id: String,
        /// Draft, Submitted, Active, Suspended, Completed, Revoked
        #[arg(long)]
        status: String,
        #[command(flatten)]
        id_: CmdId,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuthorizationCmd {
    /// Record an authorization (letter of authorization) under a cooperative approach.
    Add {
        /// The authorization's id (e.g. LoA-BTN-2025-01).
        #[arg(long)]
        id: String,
        /// Date of the letter, YYYY-MM-DD.
        #[arg(long)]
        date: NaiveDate,
        /// The cooperative approach (its id).
        #[arg(long)]
        approach: String,
        /// NDC, OIMP, IMP, OP, "NDC and OIMP", "NDC and IMP" or "NDC and OP".
        #[arg(long, value_parser = parse_purpose)]
        purpose: String,
        /// Authorized timeframe, e.g. 2021-2030
        #[arg(long)]
        period: String,
        /// For OIMP purposes: when the first transfer happens: authorization, issuance,
        /// use-or-cancellation or first-international-transfer.
        #[arg(long)]
        first_transfer_definition: Option<String>,
        /// An acquiring Party, alpha-3; repeat for each (none: any Party may acquire).
        #[arg(long = "acquiring-party", value_parser = parse_party_code)]
        acquiring_parties: Vec<String>,
        /// An authorized entity (organization id); repeat for each.
        #[arg(long = "entity")]
        entities: Vec<String>,
        /// Most units it authorizes (none: no quantity limit).
        #[arg(long, value_parser = parse_quantity, allow_negative_numbers = true)]
        quantity: Option<u64>,
        /// The letter's version (a new version replaces the earlier one).
        #[arg(long, default_value_t = 1)]
        version: u32,
        #[command(flatten)]
        id_: CmdId,
    },
}

/// An error ready to print: what / where / how to fix, and the exit code.
#[derive(Debug)]
pub struct CliError {
    pub what: String,
    pub place: String,
    pub fix: String,
    pub code: u8,
}

impl CliError {
    fn usage(
        what: impl Into<String>,
        place: impl Into<String>,
        fix: impl Into<String>,
    ) -> CliError {
        CliError {
            what: what.into(),
            place: place.into(),
            fix: fix.into(),
            code: 2,
        }
    }
}

fn journal_err(e: JournalError) -> CliError {
    let fix = match &e {
        JournalError::TornTail { .. } => "run `ndc-workbench registry repair --truncate-torn-tail` (drops only unacknowledged bytes)".to_string(),
        JournalError::Corrupt { .. } | JournalError::Invariant { .. } => "restore the journal from a backup; it is never repaired automatically".to_string(),
        JournalError::Locked { .. } => "another process has this ledger open for writing (a workbench with this session, or a registry command); close it or let it finish, then run this again".to_string(),
        JournalError::Io { source, .. }
            if matches!(
                source.kind(),
                std::io::ErrorKind::StorageFull
                    | std::io::ErrorKind::QuotaExceeded
                    | std::io::ErrorKind::FileTooLarge
            ) =>
        {
            "free some space on that disk (or pass --ledger on another), then run the command again; the command that failed was not recorded".to_string()
        }
        _ => "check the path and permissions (--ledger, --data-dir)".to_string(),
    };
    let place = match (&e, e.seq()) {
        (
            JournalError::Corrupt {
                path, line, seq, ..
            },
            _,
        ) => format!("{}:{line} (event {seq})", path.display()),
        (_, Some(s)) => format!("event {s}"),
        _ => "journal".into(),
    };
    let code = match e {
        JournalError::Io { .. } | JournalError::Locked { .. } => 2,
        _ => 1,
    };
    CliError {
        what: e.to_string(),
        place,
        fix,
        code,
    }
}

/// What to do about a refusal by `rule`, in a participant's terms (the refusal's message
/// says what was wrong; this says where to look or what to pass).
fn rule_fix(rule: &str) -> &'static str {
    use super::ledger::{
        R_AUTH, R_GATE, R_LEVY, R_PERIOD, R_PERM, R_PROOF, R_SEL, R_VER, R_VINTAGE,
    };
    use super::state::TP;
    match rule {
        R_PERM => {
            "act for an organization that holds the role the command needs, with --actor USER:ORG:ROLE (e.g. clerk:REG-BTN:Regulator to issue, ana:REG-BTN:DNA to approve); `registry org add` registers one"
        }
        R_SEL => {
            "ask for no more units than `registry balances` shows for that account, or loosen --vintage, --project, --class or --under"
        }
        R_GATE | R_AUTH => {
            "only authorized units (ITMOs) under an Active cooperative approach move abroad or count for OIMP: authorize them first (`registry authorize`), within the authorization's quantity"
        }
        R_PROOF => {
            "give the beneficiary's name, an id (company number, national id) and ISO country code, e.g. --beneficiary-country CHE"
        }
        R_VINTAGE => {
            "use the four-digit year the reductions happened (1990-2100), within the verification's period"
        }
        R_VER => {
            "issue no more than the verification's verified quantity still unissued, or record a new verification"
        }
        R_LEVY => {
            "for a 6.4 project give --sop-bp of at least 500 and --omge-bp of at least 200 (or leave them out for those defaults), and leave units for the holder"
        }
        R_PERIOD => {
            "use the units with a --use-year in the NDC period of their vintage (2021-2030, 2031-2035, ... unless the Party's NDC period was recorded); units do not carry over to another period"
        }
        TP => "see the request with `registry requests`",
        _ => "change the command so the rule holds",
    }
}

fn reg_err(e: RegistryError, place: &str) -> CliError {
    match e {
        RegistryError::Rejected { rule, message } => CliError {
            fix: format!(
                "{} (the refusal is journaled; a retry with the same command id returns it)",
                rule_fix(&rule)
            ),
            what: format!("refused by {rule}: {message}"),
            place: place.into(),
            code: 1,
        },
        RegistryError::ExistsWithDifferentPayload { .. } => CliError {
            what: e.to_string(),
            place: place.into(),
            fix: "use a new --command-id".into(),
            code: 2,
        },
        RegistryError::BadInput(m) => CliError::usage(m, place, "see --help"),
        RegistryError::Journal(j) => journal_err(j),
        other => CliError {
            what: other.to_string(),
            place: place.into(),
            fix: "reopen the ledger; report if it persists".into(),
            code: 1,
        },
    }
}

fn clock() -> Result<Box<dyn Clock>, CliError> {
    match std::env::var("NDC_WORKBENCH_NOW") {
        Ok(s) if !s.is_empty() => {
            if let Ok(t) = DateTime::parse_from_rfc3339(&s) {
                return Ok(Box::new(ManualClock::new(t.with_timezone(&Utc))));
            }
            NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .map(|d| Box::new(ManualClock::at_date(d)) as Box<dyn Clock>)
                .map_err(|_| {
                    CliError::usage(
                        format!("NDC_WORKBENCH_NOW={s:?} is not a date"),
                        "environment",
                        "use YYYY-MM-DD or RFC 3339",
                    )
                })
        }
        _ => Ok(Box::new(SystemClock)),
    }
}

struct BoxClock(Box<dyn Clock>);
impl Clock for BoxClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.now()
    }
}

fn ledger_path(args: &RegistryArgs) -> Result<PathBuf, CliError> {
    if let Some(p) = &args.ledger {
        return Ok(p.clone());
    }
    crate::store::data_dir(args.data_dir.as_deref())
        .map(|d| d.join("registry.jsonl"))
        .map_err(|e| {
            CliError::usage(
                e.to_string(),
                "data directory",
                "pass --ledger PATH or --data-dir DIR",
            )
        })
}

fn open_rw(path: &Path, durability: Durability) -> Result<Ledger, CliError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(CliError::usage(
            format!(
                "the directory {} of the ledger {} does not exist",
                dir.display(),
                path.display()
            ),
            "--ledger",
            "check the path for a typo, or create the directory first",
        ));
    }
    Ledger::open_with(path, BoxClock(clock()?), durability)
        .map_err(|e| reg_err(e, &path.display().to_string()))
}

/// `explorer --beneficiary` that matched no event: when no retirement, use or request names
/// such a beneficiary at all ([`Beneficiary::matches`]), say so with the names recorded, so
/// that a slip is not met with an empty list that reads as "nothing retired for them".
fn beneficiary_known(l: &Ledger, needle: &str) -> Result<(), CliError> {
    let all = l
        .explore(&ExplorerQuery {
            beneficiary: Some(String::new()),
            ..ExplorerQuery::default()
        })
        .map_err(|e| reg_err(e, "explorer"))?;
    let n = needle.to_lowercase();
    let mut names: Vec<&str> = Vec::new();
    for b in all.iter().filter_map(|r| r.beneficiary.as_ref()) {
        if b.matches(&n) {
            return Ok(());
        }
        if !names.contains(&b.name.as_str()) {
            names.push(&b.name);
        }
    }
    let fix = match names.len() {
        0 => "no retirement or use in this ledger names a beneficiary yet".to_string(),
        k if k <= 12 => format!("beneficiaries recorded: {}", names.join(", ")),
        k => format!(
            "beneficiaries recorded include: {} (and {} more)",
            names[..12].join(", "),
            k - 12
        ),
    };
    Err(CliError::usage(
        format!("no beneficiary whose name or id contains {needle:?} in this ledger"),
        "--beneficiary",
        fix,
    ))
}

/// `export --party`: a Party the ledger registered (T1/T4 are per Party).
fn export_party_known(
    st: &crate::registry::state::State,
    party: Option<&str>,
) -> Result<(), CliError> {
    if let Some(p) = party
        && !st.parties.contains_key(p)
    {
        let known: Vec<&str> = st.parties.keys().map(String::as_str).collect();
        return Err(CliError::usage(
            format!(
                "no Party {p:?} in this ledger{}",
                super::suggest::did_you_mean(p, known.iter().copied())
            ),
            "--party",
            format!("use one of: {}", known.join(", ")),
        ));
    }
    Ok(())
}

/// `export --out`: a directory, created if missing.
fn prepare_export_dir(out: &Path) -> Result<(), CliError> {
    if out.exists() && !out.is_dir() {
        return Err(CliError::usage(
            format!("{} is a file, not a directory", out.display()),
            "--out",
            "pass a directory for the exported files (it is created if missing)",
        ));
    }
    std::fs::create_dir_all(out).map_err(|e| {
        CliError::usage(
            format!("cannot create the directory {}: {e}", out.display()),
            "--out",
            "pass a directory you can write to (it is created if missing)",
        )
    })
}

/// Write one exported file atomically into `out` and say so.
fn write_export(out: &Path, name: &str, bytes: Vec<u8>) -> Result<(), CliError> {
    let p = out.join(name);
    crate::store::atomic_write(&p, &bytes).map_err(|e| {
        CliError::usage(
            e.to_string(),
            p.display().to_string(),
            "pass a writable --out directory",
        )
    })?;
    println!("wrote {}", p.display());
    Ok(())
}

/// The verified state of the journal without its events (balances, flows): see
/// [`Ledger::load_state`].
fn open_state(path: &Path) -> Result<crate::registry::state::State, CliError> {
    if !path.exists() {
        return Err(missing_journal(path));
    }
    Ledger::load_state(path).map_err(|e| reg_err(e, &path.display().to_string()))
}

fn open_ro(path: &Path) -> Result<Ledger, CliError> {
    if !path.exists() {
        return Err(missing_journal(path));
    }
    Ledger::load(path, BoxClock(clock()?)).map_err(|e| reg_err(e, &path.display().to_string()))
}

/// No journal at `path`: name a journal beside it whose name is near (a typo in --ledger),
/// else say how a ledger is started.
fn missing_journal(path: &Path) -> CliError {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let beside: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
                .map(|p| p.display().to_string())
                .collect()
        })
        .unwrap_or_default();
    let typed = path.display().to_string();
    let hint = super::suggest::did_you_mean(&typed, beside.iter().map(String::as_str));
    CliError::usage(
        format!("no journal at {typed}{hint}"),
        "--ledger",
        if hint.is_empty() {
            "start a ledger with `registry init` (or pass --ledger with an existing journal)"
        } else {
            "pass --ledger with the existing journal (`registry init` starts a new one)"
        },
    )
}

fn gen_id() -> String {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("cli-{n}-{}", std::process::id())
}

fn print_outcome(o: &CommandOutcome) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "ok {} (events {}-{}{})",
        o.command_id,
        o.first_seq,
        o.last_seq,
        if o.replayed {
            ", retry: original result"
        } else {
            ""
        }
    );
    for r in &o.ranges {
        let _ = writeln!(
            out,
            "  {}  {:>10}  {}{}",
            r.serial,
            r.quantity,
            r.account,
            r.leg.map(|l| format!("  ({l:?})")).unwrap_or_default()
        );
    }
}

/// Entry point: run and map to an exit code, printing errors as what / where / how to fix.
pub fn run(args: RegistryArgs) -> ExitCode {
    match run_inner(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}\n  where: {}\n  fix: {}", e.what, e.place, e.fix);
            ExitCode::from(e.code)
        }
    }
}

fn mutate(path: &Path, id: &CmdId, command: Command) -> Result<(), CliError> {
    // Only `init` starts a journal: any other command on a missing one is a mistyped path
    // (and would leave an empty journal behind).
    if !matches!(command, Command::InitParty { .. }) && !path.exists() {
        return Err(missing_journal(path));
    }
    let mut l = open_rw(path, Durability::PerCommand)?;
    let command_id = id.command_id.clone().unwrap_or_else(gen_id);
    let actor = match &id.actor {
        Some(a) => parse_actor(a)?,
        None => Actor::system(),
    };
    // Where a refusal happened: the command as a script names it, and its id for a retry.
    let kind = serde_json::to_value(&command)
        .ok()
        .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_string))
        .unwrap_or_else(|| "command".into());
    let o = l
        .submit(Submission {
            command_id: command_id.clone(),
            actor,
            command,
        })
        .map_err(|e| reg_err(e, &format!("{kind} (command id {command_id})")))?;
    print_outcome(&o);
    Ok(())
}

/// `USER:ORG:ROLE`, e.g. `ana:REG-BTN:DNA`.
fn parse_actor(s: &str) -> Result<Actor, CliError> {
    let parts: Vec<&str> = s.splitn(3, ':').collect();
    match parts.as_slice() {
        [user, org, role] if !user.is_empty() && !org.is_empty() => Ok(Actor {
            user: (*user).to_string(),
            org: (*org).to_string(),
            role: parse_role_in(role, "--actor")?,
        }),
        _ => Err(CliError::usage(
            format!("--actor {s:?}: not USER:ORG:ROLE"),
            "--actor",
            "write e.g. --actor ana:REG-BTN:DNA",
        )),
    }
}

/// A picklist value by its serialized name (e.g. `Submitted`), in any case: `active`,
/// `ACTIVE` and `Active` are `Active`.
fn parse_enum<T: serde::de::DeserializeOwned>(
    s: &str,
    flag: &str,
    values: &str,
) -> Result<T, CliError> {
    let t = s.trim();
    let mut capitalized = t.to_lowercase();
    if let Some(first) = capitalized.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    [t.to_string(), capitalized]
        .into_iter()
        .find_map(|v| serde_json::from_value(serde_json::Value::String(v)).ok())
        .ok_or_else(|| {
            CliError::usage(
                format!("unknown value {s:?}"),
                flag,
                format!("use {values}"),
            )
        })
}

/// A role name as people type it: any case, with or without dashes or spaces
/// (`DNA`, `dna`, `project-developer`, `Climate Fund`).
fn parse_role(s: &str) -> Result<Role, CliError> {
    parse_role_in(s, "--role")
}

fn parse_role_in(s: &str, flag: &str) -> Result<Role, CliError> {
    let key: String = s
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    Ok(match key.as_str() {
        "root" => Role::Root,
        "dna" => Role::Dna,
        "regulator" => Role::Regulator,
        "projectdeveloper" | "developer" => Role::ProjectDeveloper,
        "vvb" => Role::Vvb,
        "authorizedentity" => Role::AuthorizedEntity,
        "buyer" => Role::Buyer,
        "climatefund" => Role::ClimateFund,
        "observer" => Role::Observer,
        _ => {
            return Err(CliError::usage(
                format!("unknown role {s:?}"),
                flag,
                "use DNA, Regulator, ProjectDeveloper, VVB, AuthorizedEntity, Buyer, ClimateFund, Observer (or Root in --actor)",
            ));
        }
    })
}

pub fn run_inner(args: RegistryArgs) -> Result<(), CliError> {
    let path = ledger_path(&args)?;
    match args.cmd {
        RegistryCmd::Init {
            party,
            registry_id,
            name,
            id,
        } => mutate(
            &path,
            &id,
            Command::InitParty {
                party,
                registry_id,
                name,
                ndc_first_year: None,
                ndc_last_year: None,
            },
        ),
        RegistryCmd::Project(ProjectCmd::Add {
            id,
            name,
            sector,
            mechanism,
            host,
            developer,
            covered_by_ndc,
            id_,
        }) => mutate(
            &path,
            &id_,
            Command::RegisterProject {
                id,
                name,
                sector,
                mechanism,
                host,
                developer,
                methodology: String::new(),
                unit_type: UnitType::default(),
                covered_by_ndc,
                link: String::new(),
                registered: true,
            },
        ),
        RegistryCmd::Org(OrgCmd::Add {
            id,
            name,
            country,
            roles,
            id_,
        }) => {
            let roles = roles
                .iter()
                .map(|r| parse_role(r))
                .collect::<Result<Vec<_>, _>>()?;
            mutate(
                &path,
                &id_,
                Command::RegisterOrganization {
                    id,
                    name,
                    country,
                    roles,
                },
            )
        }
        RegistryCmd::Account(AccountCmd::Open {
            id,
            owner,
            party,
            kind,
            id_,
        }) => {
            let kind = AccountKind::ALL
                .into_iter()
                .find(|k| k.as_str() == kind)
                .ok_or_else(|| {
                    CliError::usage(
                        format!("unknown account type {kind:?}"),
                        "--type",
                        "use holding, pending, buffer, retirement-ndc, …",
                    )
                })?;
            mutate(
                &path,
                &id_,
                Command::OpenAccount {
                    id,
                    owner,
                    party,
                    kind,
                },
            )
        }
        RegistryCmd::Approach(ApproachCmd::Add {
            id,
            title,
            host,
            parties,
            id_,
        }) => mutate(
            &path,
            &id_,
            Command::RecordApproach {
                id,
                title,
                host,
                parties,
            },
        ),
        RegistryCmd::Approach(ApproachCmd::Status { id, status, id_ }) => {
            let status: ApproachStatus = parse_enum(
                &status,
                "--status",
                "Draft, Submitted, Active, Suspended, Completed or Revoked",
            )?;
            mutate(&path, &id_, Command::SetApproachStatus { id, status })
        }
        RegistryCmd::Authorization(AuthorizationCmd::Add {
            id,
            date,
            approach,
            purpose,
            period,
            first_transfer_definition,
            acquiring_parties,
            entities,
            quantity,
            version,
            id_,
        }) => {
            let (a, b) = period.split_once('-').ok_or_else(|| {
                CliError::usage(
                    format!("bad period {period:?}"),
                    "--period",
                    "use START-END, e.g. 2021-2030",
                )
            })?;
            let (period_start, period_end) = match (a.trim().parse(), b.trim().parse()) {
                (Ok(x), Ok(y)) => (x, y),
                _ => {
                    return Err(CliError::usage(
                        format!("bad period {period:?}"),
                        "--period",
                        "use START-END, e.g. 2021-2030",
                    ));
                }
            };
            mutate(
                &path,
                &id_,
                Command::RecordAuthorization {
                    id,
                    version,
                    date,
                    approach,
                    purpose,
                    acquiring_parties,
                    entities,
                    authorized_quantity: quantity,
                    period_start,
                    period_end,
                    first_transfer_definition,
                },
            )
        }
        RegistryCmd::Issue {
            project,
            vintage,
            quantity,
            to,
            verification,
            authorization,
            sop_bp,
            omge_bp,
            buffer_bp,
            retention_bp,
            id,
        } => {
            let levies = (sop_bp.is_some()
                || omge_bp.is_some()
                || buffer_bp.is_some()
                || retention_bp.is_some())
            .then(|| Levies {
                sop_bp,
                omge_bp,
                buffer_bp: buffer_bp.unwrap_or(0),
                retention_bp: retention_bp.unwrap_or(0),
            });
            mutate(
                &path,
                &id,
                Command::Issue {
                    project,
                    vintage,
                    quantity,
                    to,
                    verification,
                    levies,
                    authorization,
                    date: None,
                },
            )
        }
        RegistryCmd::Authorize {
            account,
            authorization,
            quantity,
            filter,
            id,
        } => mutate(
            &path,
            &id,
            Command::Authorize {
                account,
                authorization,
                quantity,
                filter: filter.filter(),
                date: None,
            },
        ),
        RegistryCmd::Transfer {
            from,
            to,
            quantity,
            acquiring_party,
            filter,
            id,
        } => mutate(
            &path,
            &id,
            Command::Transfer {
                from,
                to,
                quantity,
                filter: filter.filter(),
                acquiring_party,
            },
        ),
        RegistryCmd::Use {
            from,
            quantity,
            use_year,
            filter,
            id,
        } => mutate(
            &path,
            &id,
            Command::Use {
                from,
                quantity,
                filter: filter.filter(),
                use_year,
                beneficiary: None,
            },
        ),
        RegistryCmd::Retire {
            from,
            quantity,
            beneficiary_name,
            beneficiary_id,
            beneficiary_country,
            purpose,
            entity,
            filter,
            id,
        } => mutate(
            &path,
            &id,
            Command::Retire {
                from,
                quantity,
                filter: filter.filter(),
                beneficiary: Beneficiary {
                    name: beneficiary_name,
                    id: beneficiary_id,
                    country: beneficiary_country,
                    purpose,
                },
                authorized_entity: entity,
            },
        ),
        RegistryCmd::Cancel {
            from,
            quantity,
            subtype,
            reason,
            filter,
            id,
        } => mutate(
            &path,
            &id,
            Command::Cancel {
                from,
                quantity,
                filter: filter.filter(),
                subtype,
                reason,
            },
        ),
        RegistryCmd::Freeze {
            account,
            quantity,
            reason,
            filter,
            id,
        } => mutate(
            &path,
            &id,
            Command::Freeze {
                account,
                quantity,
                filter: filter.filter(),
                reason,
            },
        ),
        RegistryCmd::Unfreeze {
            account,
            quantity,
            reason,
            filter,
            id,
        } => mutate(
            &path,
            &id,
            Command::Unfreeze {
                account,
                quantity,
                filter: filter.filter(),
                reason,
            },
        ),
        RegistryCmd::Balances { json } => {
            let b = crate::registry::ledger::balances(&open_state(&path)?);
            let mut out = std::io::stdout().lock();
            if json {
                let v = serde_json::json!({ "accounts": b });
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&v).unwrap_or_default()
                );
            } else {
                for a in b {
                    let _ = writeln!(out, "{:<40} {:<24} {:>12}", a.id, a.kind, a.units);
                }
            }
            Ok(())
        }
        RegistryCmd::Explorer {
            serial,
            project,
            account,
            beneficiary,
            json,
        } => {
            let l = open_ro(&path)?;
            let st = l.state();
            // An id the ledger does not know matches nothing: say so, rather than print an
            // empty list that reads as "no events".
            if let Some(a) = &account
                && st.account(a).is_none()
            {
                return Err(CliError::usage(
                    format!(
                        "no account {a:?} in this ledger{}",
                        super::suggest::did_you_mean(a, st.accounts.iter().map(|x| x.id.as_str()))
                    ),
                    "--account",
                    "`registry balances` lists the accounts",
                ));
            }
            if let Some(p) = &project
                && !st.projects.contains_key(p)
            {
                return Err(CliError::usage(
                    format!(
                        "no project {p:?} in this ledger{}",
                        super::suggest::did_you_mean(p, st.projects.keys().map(String::as_str))
                    ),
                    "--project",
                    "`registry explorer` without filters lists every project's events",
                ));
            }
            let mut out = std::io::stdout().lock();
            if let (Some(s), None, None, None) = (&serial, &project, &account, &beneficiary) {
                let life = l.serial_life(s).map_err(|e| reg_err(e, "--serial"))?;
                if life.events.is_empty() && life.current.is_empty() {
                    return Err(CliError::usage(
                        format!("no unit of serial {s} was ever issued in this ledger"),
                        "--serial",
                        "copy a serial from `registry explorer` or an export (REGISTRY-PROJECT-VINTAGE-FIRST-LAST)",
                    ));
                }
                if json {
                    let _ = writeln!(
                        out,
                        "{}",
                        serde_json::to_string_pretty(&life).unwrap_or_default()
                    );
                } else {
                    for c in &life.current {
                        let _ = writeln!(
                            out,
                            "now: {} in {} ({}, {}{}{})",
                            c.serial,
                            c.account,
                            c.status,
                            c.class,
                            if c.first_transferred {
                                ", first-transferred"
                            } else {
                                ""
                            },
                            c.reserved_by
                                .as_ref()
                                .map(|r| format!(", reserved by request {r}"))
                                .unwrap_or_default()
                        );
                    }
                    for r in &life.events {
                        let _ = writeln!(
                            out,
                            "#{:<8} {} {:<16} {}{}",
                            r.seq,
                            r.ts,
                            r.kind,
                            r.summary,
                            r.beneficiary
                                .as_ref()
                                .map(|b| format!(
                                    " [beneficiary {} / {} / {}]",
                                    b.name, b.id, b.country
                                ))
                                .unwrap_or_default()
                        );
                        print_annotations(&mut out, &r.annotations);
                    }
                    let _ = writeln!(
                        out,
                        "anchor hash: {}\nhead hash:   {}",
                        life.anchor_hash.unwrap_or_default(),
                        life.head_hash
                    );
                }
                return Ok(());
            }
            let rows = l
                .explore(&ExplorerQuery {
                    serial,
                    project,
                    account,
                    beneficiary: beneficiary.clone(),
                })
                .map_err(|e| reg_err(e, "explorer"))?;
            if rows.is_empty()
                && let Some(b) = &beneficiary
            {
                beneficiary_known(&l, b)?;
            }
            if json {
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&rows).unwrap_or_default()
                );
            } else {
                for r in rows {
                    let _ = writeln!(out, "#{:<8} {} {:<16} {}", r.seq, r.ts, r.kind, r.summary);
                    print_annotations(&mut out, &r.annotations);
                }
            }
            Ok(())
        }
        RegistryCmd::Flows { party } => {
            let st = &open_state(&path)?;
            // The Parties the ledger knows: registered, or holding an account here.
            let mut codes: Vec<&str> = st.parties.keys().map(String::as_str).collect();
            codes.extend(st.accounts.iter().map(|a| a.party.as_str()));
            codes.sort_unstable();
            codes.dedup();
            if !codes.contains(&party.as_str()) {
                return Err(CliError::usage(
                    format!("no Party `{party}` in this ledger (none registered, no account held)"),
                    "--party",
                    if codes.is_empty() {
                        "register it first: registry init --party CODE --registry-id CODE01"
                            .to_string()
                    } else {
                        format!("use one of: {}", codes.join(", "))
                    },
                ));
            }
            let f = crate::registry::flows::article6_flows(st, &party);
            println!("{}", serde_json::to_string_pretty(&f).unwrap_or_default());
            Ok(())
        }
        RegistryCmd::Table4 {
            party,
            method,
            period,
            scenario,
            json,
        } => {
            let l = open_ro(&path)?;
            table4_cmd(
                &l,
                &party,
                &method,
                period.as_deref(),
                scenario.as_deref(),
                json,
            )
        }
        RegistryCmd::Check => {
            if !path.exists() {
                return Err(CliError::usage(
                    format!("no journal at {}", path.display()),
                    "--ledger",
                    "pass the journal to check",
                ));
            }
            let (_report, state) =
                super::invariants::check_journal_keeping_state(&path).map_err(journal_err)?;
            // The process ends right after a check: the operating system takes the state back
            // at once, where dropping it would free every block's records one by one.
            std::mem::forget(state);
            Ok(())
        }
        RegistryCmd::Repair { truncate_torn_tail } => {
            if !truncate_torn_tail {
                return Err(CliError::usage(
                    "nothing to do",
                    "repair",
                    "pass --truncate-torn-tail",
                ));
            }
            let (bytes, seq) = super::journal::truncate_torn_tail(&path).map_err(journal_err)?;
            if bytes == 0 {
                println!("no torn tail in {}", path.display());
            } else {
                println!(
                    "removed {bytes} unacknowledged bytes after event {seq} from {}",
                    path.display()
                );
            }
            Ok(())
        }
        RegistryCmd::Export {
            format,
            out,
            year,
            party,
        } => {
            // The ledger format is rendered as the journal is read and verified (no events
            // held: a 1,000,000-event journal in ~0.4 GB instead of ~2 GB); the other formats
            // read the loaded ledger.
            if format == "ledger" {
                if !path.exists() {
                    return Err(missing_journal(&path));
                }
                let (text, st) = export::ledger_journal::render_journal(&path)
                    .map_err(|e| reg_err(e.into(), &path.display().to_string()))?;
                export_party_known(&st, party.as_deref())?;
                prepare_export_dir(&out)?;
                return write_export(&out, "registry.journal", text.into_bytes());
            }
            let l = open_ro(&path)?;
            export_party_known(l.state(), party.as_deref())?;
            prepare_export_dir(&out)?;
            let year = year.unwrap_or_else(|| l.events().last().map(|e| e.year()).unwrap_or(2025));
            let write = |name: &str, bytes: Vec<u8>| write_export(&out, name, bytes);
            let csv_err = |e: csv::Error| CliError {
                what: e.to_string(),
                place: "export".into(),
                fix: "report this".into(),
                code: 1,
            };
            match format.as_str() {
                "aef" => {
                    let party = party
                        .or_else(|| l.state().parties.keys().next().cloned())
                        .unwrap_or_default();
                    write(
                        &format!("aef-t1-submission-{party}-{year}.csv"),
                        export::csv_bytes(
                            &export::aef::T1_HEADER,
                            &export::aef::t1_rows(&l, &party, year),
                        )
                        .map_err(csv_err)?,
                    )?;
                    write(
                        "aef-t2-authorizations.csv",
                        export::csv_bytes(&export::aef::T2_HEADER, &export::aef::t2_rows(&l))
                            .map_err(csv_err)?,
                    )?;
                    write(
                        &format!("aef-t3-actions-{year}.csv"),
                        export::csv_bytes(
                            &export::aef::T3_HEADER,
                            &export::aef::t3_rows(&l, Some(year)),
                        )
                        .map_err(csv_err)?,
                    )?;
                    write(
                        &format!("aef-t4-holdings-{party}-{year}.csv"),
                        export::csv_bytes(
                            &export::aef::T4_HEADER,
                            &export::aef::t4_rows(&l, &party, year),
                        )
                        .map_err(csv_err)?,
                    )?;
                    write(
                        "aef-t5-authorized-entities.csv",
                        export::csv_bytes(&export::aef::T5_HEADER, &export::aef::t5_rows(&l))
                            .map_err(csv_err)?,
                    )?;
                }
                "cadt-v2" => write(
                    "cadt-v2-units.csv",
                    export::csv_bytes(&export::cadt_v2::header(), &export::cadt_v2::rows(&l))
                        .map_err(csv_err)?,
                )?,
                // "cadt" ("ledger" returned above, rendered as it was read).
                _ => write(
                    "cadt-units.csv",
                    export::csv_bytes(&export::cadt::HEADER, &export::cadt::rows(&l))
                        .map_err(csv_err)?,
                )?,
            }
            Ok(())
        }
        RegistryCmd::Import { file } => {
            let f = std::fs::File::open(&file).map_err(|e| {
                CliError::usage(
                    e.to_string(),
                    file.display().to_string(),
                    "pass an existing CSV file",
                )
            })?;
            // The wrong file is refused before the ledger is opened (and, if new, created).
            let bytes = {
                use std::io::Read;
                let mut b = Vec::new();
                let mut f = f;
                f.read_to_end(&mut b).map_err(|e| {
                    CliError::usage(e.to_string(), file.display().to_string(), "pass a CSV file")
                })?;
                b
            };
            super::import::check_file(&bytes[..]).map_err(|e| match e {
                RegistryError::BadInput(m) => CliError::usage(
                    m,
                    file.display().to_string(),
                    "pass a CSV with the columns of a6-2-authorizations-*.csv (`registry import --help` lists them)",
                ),
                other => reg_err(other, &file.display().to_string()),
            })?;
            let mut l = open_rw(&path, Durability::PerCommand)?;
            let tag = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let rep = super::import::import_csv(&mut l, &bytes[..], &tag)
                .map_err(|e| reg_err(e, &file.display().to_string()))?;
            println!("{}", serde_json::to_string_pretty(&rep).unwrap_or_default());
            if rep.rejected.is_empty() {
                Ok(())
            } else {
                Err(CliError { what: format!("{} row(s) were not imported", rep.rejected.len()), place: file.display().to_string(), fix: "see `rejected` above; correct those rows and import again (imported rows are not duplicated)".into(), code: 1 })
            }
        }
        RegistryCmd::Apply { script } => {
            let text = std::fs::read_to_string(&script).map_err(|e| {
                CliError::usage(
                    e.to_string(),
                    script.display().to_string(),
                    "pass an existing TOML script",
                )
            })?;
            let sc = super::script::parse(&text).map_err(|e| {
                CliError::usage(
                    e,
                    script.display().to_string(),
                    "see `ndc-workbench registry apply --help` for the script format",
                )
            })?;
            let mut l = open_rw(&path, Durability::PerCommand)?;
            let tag = script
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "script".into());
            super::script::run(&mut l, &sc, &tag, |i, id, r| match r {
                super::script::StepResult::Done(o) => {
                    println!("{i}: ok {id} (events {}-{})", o.first_seq, o.last_seq)
                }
                super::script::StepResult::ExpectedRejection { rule } => {
                    println!("{i}: refused as expected by {rule} ({id})")
                }
            })
            .map(|_| ())
            .map_err(|e| {
                let (index, id) = (e.index, e.command_id.clone());
                let new_id = format!("command_id = \"{id}-b\"");
                let mut ce = match e.error {
                    RegistryError::ExistsWithDifferentPayload { .. } => CliError {
                        what: format!(
                            "command {index} ran before with other content under the id {id:?} (the journal keeps what ran under an id, refusals too)"
                        ),
                        place: String::new(),
                        fix: format!(
                            "give the changed command a new id: add {new_id} to its [[command]] table; the commands before it are done and are not run twice"
                        ),
                        code: 2,
                    },
                    RegistryError::Rejected { rule, message } => CliError {
                        what: format!("refused by {rule}: {message}"),
                        place: String::new(),
                        fix: format!(
                            "correct command {index} so the rule holds and give it a new id ({new_id}): the refusal stays in the journal under {id:?}; the commands before it are done and are not run twice"
                        ),
                        code: 1,
                    },
                    RegistryError::BadInput(m) if m.starts_with("expected a refusal") => CliError {
                        what: m,
                        place: String::new(),
                        fix: format!(
                            "the command was carried out and is in the journal; if the drill means it to be refused, change command {index} so that rule applies and give it a new id ({new_id})"
                        ),
                        code: 1,
                    },
                    other => reg_err(other, ""),
                };
                ce.place = format!("{}: command {index} ({id})", script.display());
                ce
            })
        }
        RegistryCmd::RequestRetirement {
            id,
            from,
            quantity,
            subtype,
            beneficiary_name,
            beneficiary_id,
            beneficiary_country,
            purpose,
            use_year,
            entity,
            filter,
            cid,
        } => mutate(
            &path,
            &cid,
            Command::RequestRetirement {
                id,
                from,
                quantity,
                filter: filter.filter(),
                subtype: if subtype == "use" {
                    RetirementSubtype::Use
                } else {
                    RetirementSubtype::Retire
                },
                beneficiary: Beneficiary {
                    name: beneficiary_name,
                    id: beneficiary_id,
                    country: beneficiary_country,
                    purpose,
                },
                use_year,
                authorized_entity: entity,
            },
        ),
        RegistryCmd::RequestAuthorization {
            id,
            account,
            authorization,
            quantity,
            filter,
            cid,
        } => mutate(
            &path,
            &cid,
            Command::RequestItmoAuthorization {
                id,
                account,
                authorization,
                quantity,
                filter: filter.filter(),
                date: None,
            },
        ),
        RegistryCmd::Approve {
            request,
            quantity,
            cid,
        } => mutate(
            &path,
            &cid,
            Command::ApproveRequest {
                id: request,
                quantity,
            },
        ),
        RegistryCmd::Reject {
            request,
            reason,
            cid,
        } => mutate(
            &path,
            &cid,
            Command::RejectRequest {
                id: request,
                reason,
            },
        ),
        RegistryCmd::CancelRequest {
            request,
            reason,
            cid,
        } => mutate(
            &path,
            &cid,
            Command::CancelRequest {
                id: request,
                reason,
            },
        ),
        RegistryCmd::Requests { json } => {
            let l = open_ro(&path)?;
            let st = l.state();
            let rows: Vec<serde_json::Value> = st
                .lc
                .requests
                .values()
                .map(|r| {
                    serde_json::json!({
                        "id": &*r.id,
                        "kind": r.kind_name(),
                        "status": format!("{:?}", r.status),
                        "units": st.units_of(&r.blocks),
                        "approved_units": st.units_of(&r.approved),
                        "requested_by": format!("{}/{}", r.requested_by.user, r.requested_by.org),
                        "seq": r.seq,
                        "resolved_seq": r.resolved_seq,
                    })
                })
                .collect();
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({ "requests": rows }))
                        .unwrap_or_default()
                );
            } else {
                for r in &rows {
                    println!(
                        "{:<16} {:<18} {:<10} {:>10} units  by {}",
                        r["id"].as_str().unwrap_or_default(),
                        r["kind"].as_str().unwrap_or_default(),
                        r["status"].as_str().unwrap_or_default(),
                        r["units"],
                        r["requested_by"].as_str().unwrap_or_default()
                    );
                }
            }
            Ok(())
        }
        RegistryCmd::InitialReport {
            approach,
            version,
            status,
            cid,
        } => {
            let status: ReportStatus =
                parse_enum(&status, "--status", "Draft, Submitted or Published")?;
            mutate(
                &path,
                &cid,
                Command::FileInitialReport {
                    approach,
                    version,
                    status,
                },
            )
        }
        RegistryCmd::AuthorizedEntity {
            organization,
            approach,
            date,
            conditions,
            revocation_conditions,
            status,
            cid,
        } => {
            let status: EntityStatus =
                parse_enum(&status, "--status", "Active, Suspended or Revoked")?;
            mutate(
                &path,
                &cid,
                Command::RecordAuthorizedEntity {
                    organization,
                    approach,
                    date,
                    conditions,
                    revocation_conditions,
                    status,
                },
            )
        }
        RegistryCmd::Ca(CaCmd::Record {
            approach,
            year,
            quantity,
            cid,
        }) => mutate(
            &path,
            &cid,
            Command::RecordCa {
                approach,
                year,
                quantity,
            },
        ),
        RegistryCmd::Ca(CaCmd::Submit {
            approach,
            year,
            cid,
        }) => mutate(&path, &cid, Command::SubmitCa { approach, year }),
        RegistryCmd::Ca(CaCmd::Approve {
            approach,
            year,
            cid,
        }) => mutate(&path, &cid, Command::ApproveCa { approach, year }),
        RegistryCmd::Ca(CaCmd::List { json }) => {
            let l = open_ro(&path)?;
            let rows = super::ca::ca_rows(l.state());
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({ "ca": rows }))
                        .unwrap_or_default()
                );
            } else {
                print!("{}", super::ca::text(&rows));
            }
            Ok(())
        }
        RegistryCmd::CloseYear { year, cid } => {
            mutate(&path, &cid, Command::CloseReportingYear { year })
        }
        RegistryCmd::Annotate {
            event,
            set,
            reason,
            cid,
        } => {
            let mut fields = std::collections::BTreeMap::new();
            for kv in &set {
                let (k, v) = kv.split_once('=').ok_or_else(|| {
                    CliError::usage(
                        format!("--set {kv:?}: not FIELD=VALUE"),
                        "--set",
                        "write e.g. --set beneficiary_name=\"Acme AG\"",
                    )
                })?;
                fields.insert(k.trim().to_string(), v.to_string());
            }
            mutate(
                &path,
                &cid,
                Command::Annotate {
                    seq: event,
                    fields,
                    reason,
                },
            )
        }
        RegistryCmd::Synth {
            events,
            seed,
            append,
            ack,
            deferred_sync,
        } => {
            let mut l = open_rw(
                &path,
                if deferred_sync {
                    Durability::Deferred
                } else {
                    Durability::PerCommand
                },
            )?;
            if !append {
                let held = l.last_seq();
                if held > 0 {
                    return Err(CliError::usage(
                        format!(
                            "the ledger {} already holds {held} events; synth would add random commands to it, and a journal is never shortened",
                            path.display()
                        ),
                        "synth",
                        "pass --ledger with a new file (e.g. --ledger demo.jsonl), or --append to add to this ledger on purpose",
                    ));
                }
            }
            let mut out = std::io::stdout().lock();
            let rep = super::synth::run(&mut l, super::synth::SynthConfig { events, seed }, |id| {
                if ack {
                    let _ = writeln!(out, "ack {id}");
                    let _ = out.flush();
                }
            })
            .map_err(|e| reg_err(e, "synth"))?;
            l.flush().map_err(|e| reg_err(e, "synth"))?;
            if !ack {
                println!(
                    "synth: {} commands ({} refused), {} events in {}",
                    rep.commands,
                    rep.rejected,
                    rep.events,
                    path.display()
                );
            }
            Ok(())
        }
    }
}

/// Annotations under the event they annotate (explorer text output).
fn print_annotations(out: &mut impl Write, anns: &[super::state::Annotation]) {
    for a in anns {
        let _ = writeln!(
            out,
            "          annotated by #{}: {} ({})",
            a.seq,
            a.fields
                .iter()
                .map(|(k, v)| format!("{k} = {v:?}"))
                .collect::<Vec<_>>()
                .join(", "),
            a.reason
        );
    }
}

fn table4_cmd(
    l: &Ledger,
    party: &str,
    method: &str,
    period: Option<&str>,
    scenario: Option<&str>,
    json: bool,
) -> Result<(), CliError> {
    use crate::accounting::{CaMethod, NdcPeriod};
    let (code, _) = crate::report::table4::find_party(l, party)
        .map_err(|e| CliError::usage(e.what, "--party", e.fix))?;
    let recorded = l
        .state()
        .parties
        .get(&code)
        .and_then(|p| Some((i32::from(p.ndc_first_year?), i32::from(p.ndc_last_year?))));
    let (first, last) = match period {
        Some(p) => {
            let bad = || {
                CliError::usage(
                    format!("--period {p}: not FIRST-LAST"),
                    "--period",
                    "write e.g. --period 2021-2030",
                )
            };
            let (a, b) = p.split_once('-').ok_or_else(bad)?;
            (
                a.trim().parse::<i32>().map_err(|_| bad())?,
                b.trim().parse::<i32>().map_err(|_| bad())?,
            )
        }
        None => recorded.unwrap_or((2021, 2030)),
    };
    let np = NdcPeriod::new(first, last).map_err(|e| {
        CliError::usage(
            e.to_string(),
            "--period",
            "write FIRST-LAST with FIRST ≤ LAST",
        )
    })?;
    let m = match (method, first == last) {
        ("averaging", _) => CaMethod::SingleYearAveraging,
        ("budget", _) => CaMethod::MultiYearBudget,
        _ => CaMethod::MultiYearTrajectory,
    };
    let emissions = match scenario {
        None => None,
        Some(sc) => {
            let s = crate::scenario::resolve(sc).map_err(|e| {
                CliError::usage(
                    e.to_string(),
                    "--scenario",
                    "pass a built-in id or a valid .toml file",
                )
            })?;
            let b = crate::budget::build(&s);
            Some(
                np.years()
                    .map(|y| (y, b.at(y).map(|t| t.covered_projected).unwrap_or_default()))
                    .collect::<crate::accounting::YearSeries>(),
            )
        }
    };
    let t = crate::report::table4::table4(l, &code, m, np, emissions.as_ref())
        .map_err(|e| CliError::usage(e.what, "--party/--method", e.fix))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&t).unwrap_or_default());
    } else {
        print!("{}", crate::report::table4::text(&t));
    }
    Ok(())
}
