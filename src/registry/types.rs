//! Vocabulary of the registry: the typed picklists (account kinds, unit classes, purposes,
//! first-transfer definitions, roles, statuses). One job: name things exactly once, with the
//! exact strings used in files, so no comparison ever happens on free-form text.

use serde::{Deserialize, Serialize};

/// Kind of an account (registry-model §3). Terminal kinds are sinks: blocks enter, never leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccountKind {
    Holding,
    Pending,
    Buffer,
    AdaptationFund,
    OmgeCancellation,
    VoluntaryCancellation,
    OtherCancellation,
    RetirementNdc,
    RetirementOimp,
    FirstTransferOut,
    Export,
    Expired,
}

impl AccountKind {
    pub const ALL: [AccountKind; 12] = [
        AccountKind::Holding,
        AccountKind::Pending,
        AccountKind::Buffer,
        AccountKind::AdaptationFund,
        AccountKind::OmgeCancellation,
        AccountKind::VoluntaryCancellation,
        AccountKind::OtherCancellation,
        AccountKind::RetirementNdc,
        AccountKind::RetirementOimp,
        AccountKind::FirstTransferOut,
        AccountKind::Export,
        AccountKind::Expired,
    ];
    /// Invariant 4 (sinks): a block in a terminal account never moves again.
    pub fn is_terminal(self) -> bool {
        !matches!(
            self,
            AccountKind::Holding | AccountKind::Pending | AccountKind::Buffer
        )
    }
    /// The stable string used in JSON output (`balances --json`) and files.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Holding => "holding",
            AccountKind::Pending => "pending",
            AccountKind::Buffer => "buffer",
            AccountKind::AdaptationFund => "adaptation-fund",
            AccountKind::OmgeCancellation => "omge-cancellation",
            AccountKind::VoluntaryCancellation => "voluntary-cancellation",
            AccountKind::OtherCancellation => "other-cancellation",
            AccountKind::RetirementNdc => "retirement-ndc",
            AccountKind::RetirementOimp => "retirement-oimp",
            AccountKind::FirstTransferOut => "first-transfer-out",
            AccountKind::Export => "export",
            AccountKind::Expired => "expired",
        }
    }
    /// Name used in the plain-text journal (`PARTY:OWNER:Kind`).
    pub fn journal_name(self) -> &'static str {
        match self {
            AccountKind::Holding => "Holding",
            AccountKind::Pending => "Pending",
            AccountKind::Buffer => "Buffer",
            AccountKind::AdaptationFund => "AdaptationFund",
            AccountKind::OmgeCancellation => "CancellationOMGE",
            AccountKind::VoluntaryCancellation => "CancellationVoluntary",
            AccountKind::OtherCancellation => "CancellationOther",
            AccountKind::RetirementNdc => "RetirementNDC",
            AccountKind::RetirementOimp => "RetirementOIMP",
            AccountKind::FirstTransferOut => "FirstTransferOut",
            AccountKind::Export => "ExportOut",
            AccountKind::Expired => "Expired",
        }
    }
    /// CADT v1 `unitStatus` derived from where the block sits (registry-model §3).
    pub fn cadt_status(self) -> &'static str {
        match self {
            AccountKind::Holding | AccountKind::Pending => "Held",
            AccountKind::Buffer => "Buffer",
            AccountKind::RetirementNdc | AccountKind::RetirementOimp => "Retired",
            AccountKind::OmgeCancellation
            | AccountKind::VoluntaryCancellation
            | AccountKind::OtherCancellation => "Cancelled",
            AccountKind::AdaptationFund | AccountKind::FirstTransferOut | AccountKind::Export => {
                "Exported"
            }
            AccountKind::Expired => "Expired",
        }
    }
}

/// Unit class: a mitigation outcome (MO) or, once authorized, an ITMO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Class {
    #[serde(rename = "MO")]
    Mo,
    #[serde(rename = "ITMO")]
    Itmo,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Mo => "MO",
            Class::Itmo => "ITMO",
        }
    }
}

/// Purposes for authorization (AEF nomenclature).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Purpose {
    #[serde(rename = "NDC")]
    Ndc,
    #[serde(rename = "OIMP")]
    Oimp,
    #[serde(rename = "IMP")]
    Imp,
    #[serde(rename = "OP")]
    Op,
    #[serde(rename = "NDC and OIMP")]
    NdcAndOimp,
    #[serde(rename = "NDC and IMP")]
    NdcAndImp,
    #[serde(rename = "NDC and OP")]
    NdcAndOp,
}

impl Purpose {
    pub fn includes_ndc(self) -> bool {
        matches!(
            self,
            Purpose::Ndc | Purpose::NdcAndOimp | Purpose::NdcAndImp | Purpose::NdcAndOp
        )
    }
    /// OIMP, IMP and OP all count as "other international mitigation purposes".
    pub fn includes_oimp(self) -> bool {
        self != Purpose::Ndc
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Ndc => "NDC",
            Purpose::Oimp => "OIMP",
            Purpose::Imp => "IMP",
            Purpose::Op => "OP",
            Purpose::NdcAndOimp => "NDC and OIMP",
            Purpose::NdcAndImp => "NDC and IMP",
            Purpose::NdcAndOp => "NDC and OP",
        }
    }
    /// The AEF spellings, for messages that say what to write.
    pub const SPELLINGS: &'static str =
        "NDC, OIMP, IMP, OP, \"NDC and OIMP\", \"NDC and IMP\" or \"NDC and OP\"";
    /// Parse the AEF string (also accepts the data file's `OIMP only`), in any case and
    /// spacing: `ndc and oimp` is `NDC and OIMP`.
    pub fn parse(s: &str) -> Option<Purpose> {
        let k = s.split_whitespace().collect::<Vec<_>>().join(" ");
        Some(match k.to_ascii_uppercase().as_str() {
            "NDC" => Purpose::Ndc,
            "OIMP" | "OIMP ONLY" => Purpose::Oimp,
            "IMP" => Purpose::Imp,
            "OP" => Purpose::Op,
            "NDC AND OIMP" => Purpose::NdcAndOimp,
            "NDC AND IMP" => Purpose::NdcAndImp,
            "NDC AND OP" => Purpose::NdcAndOp,
            _ => return None,
        })
    }
}

/// First-transfer definition of an authorization (article6-rules §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FirstTransferDefinition {
    Authorization,
    Issuance,
    UseOrCancel,
    FirstInternationalTransfer,
}

impl FirstTransferDefinition {
    /// Recognised spellings; anything else is a blocking error (never a silent zero).
    pub fn parse(s: &str) -> Option<Self> {
        let k: String = s
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        Some(match k.as_str() {
            "authorization" | "authorisation" => Self::Authorization,
            "issuance" => Self::Issuance,
            "useorcancel" | "useorcancellation" | "cancellationuse" | "useorcancelation" => {
                Self::UseOrCancel
            }
            "firstinternationaltransfer" => Self::FirstInternationalTransfer,
            _ => return None,
        })
    }
    /// AEF spelling (T2 "First transfer definition for OIMP").
    pub fn aef(self) -> &'static str {
        match self {
            Self::Authorization => "Authorisation",
            Self::Issuance => "Issuance",
            Self::UseOrCancel => "Use or Cancellation",
            Self::FirstInternationalTransfer => "First international transfer",
        }
    }
}

/// Roles of an organization or actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Root,
    #[serde(rename = "DNA")]
    Dna,
    Regulator,
    ProjectDeveloper,
    #[serde(rename = "VVB")]
    Vvb,
    AuthorizedEntity,
    Buyer,
    /// Aggregates units from many small projects and sells them on (e.g. Bhutan Climate Fund).
    ClimateFund,
    Observer,
}

impl Role {
    /// The role as the journal and `--actor` spell it (`DNA`, `VVB`, `ProjectDeveloper`, …).
    pub fn name(self) -> &'static str {
        match self {
            Role::Root => "Root",
            Role::Dna => "DNA",
            Role::Regulator => "Regulator",
            Role::ProjectDeveloper => "ProjectDeveloper",
            Role::Vvb => "VVB",
            Role::AuthorizedEntity => "AuthorizedEntity",
            Role::Buyer => "Buyer",
            Role::ClimateFund => "ClimateFund",
            Role::Observer => "Observer",
        }
    }
}

/// Mechanism under which a project issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mechanism {
    #[serde(rename = "6.2")]
    A62,
    #[serde(rename = "6.4")]
    A64,
    #[serde(rename = "domestic")]
    Domestic,
}

impl Mechanism {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "6.2" => Mechanism::A62,
            "6.4" => Mechanism::A64,
            "domestic" => Mechanism::Domestic,
            _ => return None,
        })
    }
}

/// Steps of the activity cycle; each is recorded with its date (`SetProjectStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityStep {
    IdeaNote,
    LetterOfAuthorization,
    DesignDocument,
    Validation,
    Registration,
    Monitoring,
    Verification,
    Issuance,
    CdmTransition,
    Completed,
    Withdrawn,
    Deregistered,
}

/// CADT v1 `projectStatus`, derived from the latest activity step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProjectStatus {
    Listed,
    Registered,
    Completed,
    Transitioned,
    Withdrawn,
    #[serde(rename = "De-registered")]
    Deregistered,
}

impl ProjectStatus {
    pub fn from_step(step: ActivityStep) -> ProjectStatus {
        match step {
            ActivityStep::IdeaNote
            | ActivityStep::LetterOfAuthorization
            | ActivityStep::DesignDocument
            | ActivityStep::Validation => ProjectStatus::Listed,
            ActivityStep::Registration
            | ActivityStep::Monitoring
            | ActivityStep::Verification
            | ActivityStep::Issuance => ProjectStatus::Registered,
            ActivityStep::CdmTransition => ProjectStatus::Transitioned,
            ActivityStep::Completed => ProjectStatus::Completed,
            ActivityStep::Withdrawn => ProjectStatus::Withdrawn,
            ActivityStep::Deregistered => ProjectStatus::Deregistered,
        }
    }
}

/// Cooperative approach status: Draft → Submitted → Active ⇄ Suspended → Completed | Revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApproachStatus {
    Draft,
    Submitted,
    Active,
    Suspended,
    Completed,
    Revoked,
}

impl ApproachStatus {
    /// Allowed transitions; Completed and Revoked are final.
    pub fn can_move_to(self, next: ApproachStatus) -> bool {
        use ApproachStatus::*;
        matches!(
            (self, next),
            (Draft, Submitted)
                | (Submitted, Active)
                | (Active, Suspended)
                | (Suspended, Active)
                | (Active, Completed)
                | (Suspended, Completed)
                | (Draft, Revoked)
                | (Submitted, Revoked)
                | (Active, Revoked)
                | (Suspended, Revoked)
        )
    }
}

/// Cancellation subtypes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelSubtype {
    Voluntary,
    Omge,
    Other,
}

/// CADT unit types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum UnitType {
    #[default]
    #[serde(rename = "Reduction - technical")]
    ReductionTechnical,
    #[serde(rename = "Reduction - nature")]
    ReductionNature,
    #[serde(rename = "Removal - nature")]
    RemovalNature,
    #[serde(rename = "Removal - technical")]
    RemovalTechnical,
}

impl UnitType {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitType::ReductionTechnical => "Reduction - technical",
            UnitType::ReductionNature => "Reduction - nature",
            UnitType::RemovalNature => "Removal - nature",
            UnitType::RemovalTechnical => "Removal - technical",
        }
    }
    pub fn mitigation_type(self) -> &'static str {
        match self {
            UnitType::ReductionTechnical | UnitType::ReductionNature => "Emission reductions",
            _ => "Removals",
        }
    }
}

/// Who issued a command: user, organization, role.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    pub user: String,
    pub org: String,
    pub role: Role,
}

impl Actor {
    /// The actor used by programmatic callers (simulation, import): Root of the registry.
    pub fn system() -> Actor {
        Actor {
            user: "system".into(),
            org: "REG".into(),
            role: Role::Root,
        }
    }
}

/// Structured retirement beneficiary (never written into a status reason).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Beneficiary {
    pub name: String,
    /// Resolvable id: ISO code, tax id, authorized-entity id.
    pub id: String,
    /// ISO 3166 alpha-3 (or alpha-2) country.
    pub country: String,
    pub purpose: String,
}

impl Beneficiary {
    /// The explorer's beneficiary filter: `needle` (already lower case) is part of the name or
    /// the id, in any case.
    pub fn matches(&self, needle: &str) -> bool {
        self.name.to_lowercase().contains(needle) || self.id.to_lowercase().contains(needle)
    }
}

/// Filter for quantity-based block selection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vintage: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<Class>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<String>,
}

/// Checks an identifier: letters, digits, `-`, `_`, `:`, `.` and space; 1..=64 chars.
pub fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.' | ' '))
}

/// Initial report of a cooperative approach (registry-model §2): Draft → Submitted → Published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ReportStatus {
    Draft,
    Submitted,
    Published,
}

/// Status of an authorized entity record (AEF T5). Revoked is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum EntityStatus {
    #[default]
    Active,
    Suspended,
    Revoked,
}

/// Status of a corresponding-adjustment record: Draft → Submitted → Approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CaStatus {
    Draft,
    Submitted,
    Approved,
}

/// What an approved retirement request does: `retire` for a beneficiary (ITMOs with an OIMP
/// purpose → RetirementOIMP, MOs → voluntary cancellation) or `use` towards the holder Party's
/// NDC in `use_year` (RetirementNDC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RetirementSubtype {
    #[default]
    Retire,
    Use,
}

/// Resolution state of a two-phase request (invariant 15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RequestStatus {
    Pending,
    Approved,
    Rejected,
    Cancelled,
}

impl Actor {
    /// The same person: same user in the same organization (the four-eyes rule compares this).
    pub fn same_person(&self, other: &Actor) -> bool {
        self.user == other.user && self.org == other.org
    }
}

/// A vintage as typed: a four-digit year (the serial's VINTAGE part; invariant 14). The
/// error says what a vintage is and echoes what was typed. CLI `--vintage` and the forms.
pub fn parse_vintage(typed: &str) -> Result<u16, String> {
    four_digit_year(typed).ok_or_else(|| {
        format!(
            "a vintage is the four-digit year the reductions happened, e.g. 2025 (got {:?})",
            typed.trim()
        )
    })
}

/// A year as typed (`--year`, `--use-year`): four digits.
pub fn parse_year(typed: &str) -> Result<u16, String> {
    four_digit_year(typed)
        .ok_or_else(|| format!("a year has four digits, e.g. 2030 (got {:?})", typed.trim()))
}

/// Four ASCII digits, the first not a zero (1000–9999).
fn four_digit_year(typed: &str) -> Option<u16> {
    match typed.trim().as_bytes() {
        &[a @ b'1'..=b'9', b, c, d] if [b, c, d].iter().all(u8::is_ascii_digit) => Some(
            [a, b, c, d]
                .iter()
                .fold(0u16, |y, &x| y * 10 + u16::from(x - b'0')),
        ),
        _ => None,
    }
}

/// A Party or country code as people type it: `btn` and ` BTN ` are `BTN`. Anything that is
/// not three letters is given back trimmed, as typed, for the rule that reads it to refuse
/// with its own fix. Used by the CLI's code flags and the workbench's forms alike.
pub fn code_as_typed(typed: &str) -> String {
    let t = typed.trim();
    if t.len() == 3 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
        t.to_ascii_uppercase()
    } else {
        t.to_string()
    }
}

/// A count as people type it (`1000`, `1,000`, `1 000`, `1_000`), or `None` when it is not
/// one: the caller names what is counted in its own message.
pub fn count_as_typed(typed: &str) -> Option<u64> {
    let digits: String = typed
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A quantity of units as people type it: a whole number, with or without thousands
/// separators (`1000`, `1,000`, `1 000`, `1_000`, and the Indian `1,00,000`). Units are whole
/// tonnes, so decimals are refused, and so are signs: the error says what was typed and how to
/// write it. Used by the CLI's `--quantity` flags and the workbench's forms alike.
pub fn parse_units(typed: &str) -> Result<u64, String> {
    let t = typed.trim();
    let digits: String = t
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if digits.is_empty() {
        return Err("a quantity of units is needed, e.g. 1000".into());
    }
    if digits.starts_with('-') {
        return Err(format!(
            "`{t}` is negative: a quantity is a positive whole number of units, e.g. 1000"
        ));
    }
    if digits.contains('.') {
        return Err(format!(
            "`{t}` has decimals: units are whole tonnes of CO2e, e.g. 1000"
        ));
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "`{t}` is not a whole number of units: write digits, e.g. 1000 or 1,000"
        ));
    }
    digits
        .parse()
        .map_err(|_| format!("`{t}` is too large for a quantity of units (more than 18 digits)"))
}

/// The quantity of a registry command (`--quantity`): [`parse_units`], and at least one unit
/// (a command on no units is refused before it reaches the ledger). Zero stays a valid
/// [`parse_units`] figure elsewhere, e.g. a simulated transfer volume of none.
pub fn parse_quantity(typed: &str) -> Result<u64, String> {
    match parse_units(typed)? {
        0 => Err(format!(
            "`{}` is no units: a quantity is at least 1 unit, e.g. 1000",
            typed.trim()
        )),
        n => Ok(n),
    }
}

/// A count of units as people read it in a message: `1,500,000` (what [`parse_units`] reads
/// back). Refusals quote quantities with it, so a participant comparing "1500000 available,
/// 2000000 requested" need not count digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Units(pub u64);

impl std::fmt::Display for Units {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = rust_decimal::Decimal::from(self.0);
        f.write_str(&crate::scenario::units::group_thousands(n, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::{Units, count_as_typed, parse_quantity, parse_units, parse_vintage, parse_year};

    #[test]
    fn units_in_messages_are_grouped_by_thousands_and_read_back() {
        for (n, shown) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (1_500_000, "1,500,000"),
            (u64::MAX, "18,446,744,073,709,551,615"),
        ] {
            assert_eq!(Units(n).to_string(), shown);
        }
        assert_eq!(
            parse_units(&Units(123_456_789).to_string()),
            Ok(123_456_789)
        );
    }

    #[test]
    fn a_command_quantity_is_at_least_one_unit() {
        assert_eq!(parse_quantity("1,000"), Ok(1000));
        for typed in ["0", "0,000", " 0 "] {
            let e = parse_quantity(typed).expect_err(typed);
            assert!(e.contains("at least 1 unit"), "{typed:?}: {e}");
        }
        assert!(parse_quantity("-3").unwrap_err().contains("negative"));
    }

    #[test]
    fn a_year_is_four_digits_and_anything_else_says_what_a_year_is() {
        assert_eq!(parse_vintage("2025"), Ok(2025));
        assert_eq!(parse_vintage(" 2025 "), Ok(2025));
        assert_eq!(parse_year("1990"), Ok(1990));
        for typed in ["25", "02025", "2O25", "+202", "0999", "", "20 25", "2025.0"] {
            let e = parse_vintage(typed).expect_err(typed);
            assert!(
                e.contains("four-digit year") && e.contains("e.g. 2025"),
                "{e}"
            );
            assert!(e.contains(&format!("{:?}", typed.trim())), "{e}");
            assert!(parse_year(typed).unwrap_err().contains("four digits"));
        }
    }

    #[test]
    fn quantities_are_read_with_or_without_thousands_separators() {
        for (typed, units) in [
            ("1000", 1000),
            (" 1,000 ", 1000),
            ("1 000", 1000),
            ("1_000", 1000),
            ("1,00,000", 100_000),
            ("12\u{a0}345", 12_345),
            ("0", 0),
            ("18446744073709551615", u64::MAX),
        ] {
            assert_eq!(parse_units(typed), Ok(units), "{typed:?}");
        }
    }

    #[test]
    fn counts_are_read_with_separators_and_anything_else_is_none() {
        for (typed, count) in [
            ("1000", Some(1000)),
            (" 1,000 ", Some(1000)),
            ("1 000 000", Some(1_000_000)),
            ("1_000", Some(1000)),
            ("0", Some(0)),
            ("", None),
            ("-5", None),
            ("1.5", None),
            ("many", None),
            ("18446744073709551616", None),
        ] {
            assert_eq!(count_as_typed(typed), count, "{typed:?}");
        }
    }

    #[test]
    fn a_quantity_that_is_not_whole_units_is_refused_with_the_reason() {
        for (typed, reason) in [
            ("", "is needed"),
            (" , ", "is needed"),
            ("-5", "negative"),
            ("12.5", "decimals"),
            ("1e3", "not a whole number"),
            ("ten", "not a whole number"),
            ("+7", "not a whole number"),
            ("18446744073709551616", "too large"),
        ] {
            let e = parse_units(typed).expect_err(typed);
            assert!(e.contains(reason), "{typed:?}: {e}");
        }
    }
}
