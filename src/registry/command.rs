//! Commands (what a caller asks for) and outcomes (what was done). One job: the typed,
//! serializable request surface of the ledger; `apply` scripts deserialize straight into it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::event::{BlockId, LegKind};
use super::types::*;

fn yes() -> bool {
    true
}
fn one() -> u32 {
    1
}

/// Issuance levies in basis points (1 % = 100). Legs are rounded **up** and carved as
/// contiguous ranges in the order Holding, OMGE, SOP, Buffer, Retention (registry-model §5).
///
/// For an Article 6.4 project SOP and OMGE are mandatory (article6-rules §7): a levy left out
/// applies at its default ([`SOP_6_4_BP`], [`OMGE_6_4_MIN_BP`]) and a lower one is refused.
/// SOP, OMGE and Buffer are shares of the issuance I; the host retention is a share of what the
/// levies leave, I − SOP − OMGE (article6-rules §9: `(1 − r_host)·(1 − s_sop − s_omge)`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Levies {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sop_bp: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub omge_bp: Option<u32>,
    #[serde(default)]
    pub buffer_bp: u32,
    /// Host retention (kept by the host Party's holding account, not authorized).
    #[serde(default)]
    pub retention_bp: u32,
}

/// Article 6.4 share of proceeds: 5 % of I to the Adaptation Fund (article6-rules §7).
pub const SOP_6_4_BP: u32 = 500;
/// Article 6.4 OMGE: at least 2 % of I cancelled at issuance (article6-rules §7).
pub const OMGE_6_4_MIN_BP: u32 = 200;

impl Levies {
    /// Article 6.4 defaults: SOP 5 % to the Adaptation Fund, OMGE 2 % cancelled.
    pub fn article_6_4() -> Levies {
        Levies {
            sop_bp: Some(SOP_6_4_BP),
            omge_bp: Some(OMGE_6_4_MIN_BP),
            ..Levies::default()
        }
    }
}

/// A ledger command. In `apply` scripts: `[[command]]` tables with `type = "<snake_case name>"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Register a Party with its ITMO registry id, its registry organization `REG-{party}` and
    /// its system accounts `{party}:REG:{Kind}` (plus `INT:AF:AdaptationFund` once).
    InitParty {
        party: String,
        registry_id: String,
        #[serde(default)]
        name: String,
        #[serde(default)]
        ndc_first_year: Option<u16>,
        #[serde(default)]
        ndc_last_year: Option<u16>,
    },
    RegisterOrganization {
        id: String,
        name: String,
        country: String,
        roles: Vec<Role>,
    },
    OpenAccount {
        id: String,
        owner: String,
        party: String,
        kind: AccountKind,
    },
    /// Register a project; with `registered = true` (default) the Registration step is
    /// recorded at the command's date in the same batch.
    RegisterProject {
        id: String,
        name: String,
        #[serde(default)]
        sector: String,
        mechanism: Mechanism,
        #[serde(default)]
        host: Option<String>,
        #[serde(default)]
        developer: Option<String>,
        #[serde(default)]
        methodology: String,
        #[serde(default)]
        unit_type: UnitType,
        #[serde(default)]
        covered_by_ndc: Option<String>,
        #[serde(default)]
        link: String,
        #[serde(default = "yes")]
        registered: bool,
    },
    SetProjectStatus {
        project: String,
        step: ActivityStep,
        date: NaiveDate,
    },
    RecordValidation {
        id: String,
        project: String,
        vvb: String,
        date: NaiveDate,
        crediting_start: u16,
        crediting_end: u16,
    },
    RecordVerification {
        id: String,
        project: String,
        vvb: String,
        date: NaiveDate,
        monitoring_start: u16,
        monitoring_end: u16,
        verified_quantity: u64,
    },
    /// A forecast; never creates units.
    AddEstimation {
        project: String,
        year: u16,
        unit_count: u64,
    },
    /// Labels, incl. `label_type = "Letter of Authorization"`.
    AttachLabel {
        project: String,
        label_type: String,
        name: String,
        #[serde(default)]
        link: String,
        date: NaiveDate,
    },
    RecordApproach {
        id: String,
        title: String,
        host: String,
        #[serde(default)]
        parties: Vec<String>,
    },
    SetApproachStatus {
        id: String,
        status: ApproachStatus,
    },
    /// Record (or version) an authorization. `purpose` and `first_transfer_definition` are
    /// strings so that unrecognised values are refused with the rule, never guessed.
    RecordAuthorization {
        id: String,
        #[serde(default = "one")]
        version: u32,
        date: NaiveDate,
        approach: String,
        purpose: String,
        #[serde(default)]
        acquiring_parties: Vec<String>,
        #[serde(default)]
        entities: Vec<String>,
        #[serde(default)]
        authorized_quantity: Option<u64>,
        period_start: u16,
        period_end: u16,
        #[serde(default)]
        first_transfer_definition: Option<String>,
    },
    Issue {
        project: String,
        vintage: u16,
        quantity: u64,
        /// Receiving account; default the host Party's `{P}:REG:Holding`.
        #[serde(default)]
        to: Option<String>,
        #[serde(default)]
        verification: Option<String>,
        /// Default: Article 6.4 levies for 6.4 projects, none otherwise.
        #[serde(default)]
        levies: Option<Levies>,
        /// Issue as ITMOs under this authorization (authorized 6.4 activity).
        #[serde(default)]
        authorization: Option<String>,
        /// Business date when back-filling records (import).
        #[serde(default)]
        date: Option<NaiveDate>,
    },
    /// MO → ITMO for `quantity` units (partial authorization splits the last block).
    Authorize {
        account: String,
        authorization: String,
        quantity: u64,
        #[serde(default)]
        filter: Filter,
        #[serde(default)]
        date: Option<NaiveDate>,
    },
    /// Domestic or international transfer; the fold marks first transfers.
    Transfer {
        from: String,
        to: String,
        quantity: u64,
        #[serde(default)]
        filter: Filter,
        /// Required when `to` is a FirstTransferOut/Export account.
        #[serde(default)]
        acquiring_party: Option<String>,
    },
    /// Use towards the NDC of the holder's Party in `use_year`.
    Use {
        from: String,
        quantity: u64,
        #[serde(default)]
        filter: Filter,
        use_year: u16,
        #[serde(default)]
        beneficiary: Option<Beneficiary>,
    },
    /// Retire for a structured beneficiary: ITMOs with an OIMP purpose go to RetirementOIMP,
    /// MOs to voluntary cancellation (a voluntary claim, no CA).
    Retire {
        from: String,
        quantity: u64,
        #[serde(default)]
        filter: Filter,
        beneficiary: Beneficiary,
        #[serde(default)]
        authorized_entity: Option<String>,
    },
    Cancel {
        from: String,
        quantity: u64,
        #[serde(default)]
        filter: Filter,
        subtype: CancelSubtype,
        #[serde(default)]
        reason: String,
    },
    Freeze {
        account: String,
        quantity: u64,
        #[serde(default)]
        filter: Filter,
        reason: String,
    },
    Unfreeze {
        account: String,
        quantity: u64,
        #[serde(default)]
        filter: Filter,
        reason: String,
    },
    /// ImportIn: units acquired from another registry, keeping their serials; they arrive
    /// first-transferred (by `from_party`).
    Acquire {
        to: String,
        from_party: String,
        registry: String,
        project: String,
        vintage: u16,
        first: u64,
        last: u64,
        #[serde(default)]
        authorization: Option<String>,
        #[serde(default)]
        unit_type: UnitType,
    },
    /// Two-phase retirement (phase 1): reserve `quantity` units of `from` for a beneficiary.
    /// The blocks are reserved until a DNA actor other than the requester approves (they are
    /// then retired or used), rejects or the requester cancels (they are released).
    RequestRetirement {
        /// Request id, chosen by the client (letters, digits, - _ : .).
        id: String,
        from: String,
        quantity: u64,
        #[serde(default)]
        filter: Filter,
        #[serde(default)]
        subtype: RetirementSubtype,
        beneficiary: Beneficiary,
        /// Required for `subtype = "use"`.
        #[serde(default)]
        use_year: Option<u16>,
        /// Required for OIMP use or cancellation of ITMOs (rule 6).
        #[serde(default)]
        authorized_entity: Option<String>,
    },
    /// Two-phase MO → ITMO authorization (phase 1): reserve `quantity` MO units of `account`.
    RequestItmoAuthorization {
        id: String,
        account: String,
        authorization: String,
        quantity: u64,
        #[serde(default)]
        filter: Filter,
        #[serde(default)]
        date: Option<NaiveDate>,
    },
    /// Approve a pending request (never by its requester). `quantity` below the requested
    /// total approves an ITMO authorization partially (the last block is split, lowest
    /// serials approved, the rest released); retirement requests approve in full.
    ApproveRequest {
        id: String,
        #[serde(default)]
        quantity: Option<u64>,
    },
    RejectRequest {
        id: String,
        reason: String,
    },
    /// Withdraw a pending request (by its requester or the DNA).
    CancelRequest {
        id: String,
        #[serde(default)]
        reason: String,
    },
    /// File (or advance) the initial report of a cooperative approach; an approach becomes
    /// Submitted or Active only once a Submitted or Published initial report is on file.
    FileInitialReport {
        approach: String,
        #[serde(default = "one")]
        version: u32,
        status: ReportStatus,
    },
    /// Record (or change the status of) an authorized entity of a cooperative approach
    /// (AEF T5). OIMP use or cancellation must name an Active one.
    RecordAuthorizedEntity {
        organization: String,
        approach: String,
        date: NaiveDate,
        #[serde(default)]
        conditions: String,
        #[serde(default)]
        revocation_conditions: String,
        #[serde(default)]
        status: EntityStatus,
    },
    /// Record (or, while Draft, re-record) the corresponding adjustment declared for a
    /// cooperative approach and year.
    RecordCa {
        approach: String,
        year: u16,
        quantity: u64,
    },
    SubmitCa {
        approach: String,
        year: u16,
    },
    ApproveCa {
        approach: String,
        year: u16,
    },
    /// Marker: the reporting year is closed (AEF T1 date of submission). Moves nothing.
    CloseReportingYear {
        year: u16,
    },
    /// Fix display metadata of an earlier event (e.g. a beneficiary typo). Moves nothing; the
    /// original event is never rewritten. Fields: beneficiary_name, beneficiary_id,
    /// beneficiary_country, purpose, note.
    Annotate {
        seq: u64,
        fields: std::collections::BTreeMap<String, String>,
        reason: String,
    },
}

/// A command with its client id and actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub command_id: String,
    pub actor: Actor,
    pub command: Command,
}

/// One range touched by a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RangeOutcome {
    pub block: BlockId,
    pub serial: String,
    pub quantity: u64,
    pub account: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leg: Option<LegKind>,
}

/// Result of a committed command (also returned, with `replayed = true`, for a retry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandOutcome {
    pub command_id: String,
    pub batch_id: u64,
    pub first_seq: u64,
    pub last_seq: u64,
    pub replayed: bool,
    /// Exact ranges issued, moved, authorized or (un)frozen.
    pub ranges: Vec<RangeOutcome>,
}

impl CommandOutcome {
    pub fn quantity(&self) -> u64 {
        self.ranges.iter().map(|r| r.quantity).sum()
    }
}
