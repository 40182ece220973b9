//! The readiness part of the scenario format, as serde types: `[readiness]` (participation
//! facts, milestones, bilateral agreements, activity-cycle positions) and `[[nma]]` (Article 6.8
//! non-market approaches). Strict like the rest of the format: unknown keys are errors.
//!
//! Dates are strings so a trainer can write what the source says: `"2023"`, `"2025-02"` or
//! `"2025-02-28"` (see [`crate::readiness::date::PartialDate`]); validation checks them.

use super::cycle::CycleStage;
use serde::{Deserialize, Serialize};

/// `[readiness]`: how far the Party has come in putting Article 6 into practice.
///
/// Keys: `note` (optional text), `[readiness.participation]` (facts, see [`Participation`]),
/// `[[readiness.milestone]]` (see [`Milestone`]), `[[readiness.agreement]]` (see [`Agreement`]),
/// `[[readiness.activity_cycle]]` (see [`CycleEntry`]). Every part is optional; an empty
/// section assesses as the first stage, "preparing".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Readiness {
    /// Free text shown under the stage (e.g. "as of March 2026; sources in comments").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default)]
    pub participation: Participation,
    #[serde(default, rename = "milestone", skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    #[serde(default, rename = "agreement", skip_serializing_if = "Vec::is_empty")]
    pub agreements: Vec<Agreement>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activity_cycle: Vec<CycleEntry>,
}

/// `[readiness.participation]`: Article 6 participation facts. All default to "not done" (false
/// or 0), so leave a key out when the fact is unknown and say so in a comment.
///
/// Keys: `dna_designated` (a designated national authority for the Article 6.4 mechanism
/// notified to the secretariat), `initial_report_6_2` (Article 6.2 initial report submitted),
/// `technical_expert_review` (the Article 6 technical expert review of that report completed),
/// `authorization_statements` (number of authorizations of ITMOs the Party has issued: letters
/// or statements of authorization), `itmos_first_transferred` (ITMOs first transferred so far,
/// tCO2e; for an acquiring Party, ITMOs acquired), `focal_point_6_8` (an Article 6.8 national
/// focal point designated), `note`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participation {
    #[serde(default)]
    pub dna_designated: bool,
    #[serde(default)]
    pub initial_report_6_2: bool,
    #[serde(default)]
    pub technical_expert_review: bool,
    #[serde(default)]
    pub authorization_statements: u32,
    #[serde(default)]
    pub itmos_first_transferred: u64,
    #[serde(default)]
    pub focal_point_6_8: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What a milestone puts in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MilestoneKind {
    /// a law, rule or regulation (e.g. Bhutan's Carbon Market Rule 2023)
    Legal,
    /// an institution or designated body (e.g. a climate fund, an authorizing authority)
    Institutional,
    /// a registry or other arrangement for tracking mitigation outcomes
    Registry,
    /// a policy, guideline, manual or positive list
    Policy,
    /// a cooperation agreement milestone (the agreement itself goes in `[[readiness.agreement]]`)
    Agreement,
    /// CDM activities transitioning to the Article 6.4 mechanism
    Transition,
    /// a report to the UNFCCC (initial report, BTR, annual information)
    Reporting,
}

impl MilestoneKind {
    pub const ALL: [MilestoneKind; 7] = [
        Self::Legal,
        Self::Institutional,
        Self::Registry,
        Self::Policy,
        Self::Agreement,
        Self::Transition,
        Self::Reporting,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Legal => "legal",
            Self::Institutional => "institutional",
            Self::Registry => "registry",
            Self::Policy => "policy",
            Self::Agreement => "agreement",
            Self::Transition => "transition",
            Self::Reporting => "reporting",
        }
    }
}

/// Where a milestone stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MilestoneStatus {
    Planned,
    Ongoing,
    Achieved,
}

impl MilestoneStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Ongoing => "ongoing",
            Self::Achieved => "achieved",
        }
    }
}

/// Reliability of a figure, as tagged in the scenario sources: A official, B reputable
/// secondary, C news/aggregator, U workshop deck or unverified, I illustrative (invented).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Reliability {
    A,
    B,
    C,
    U,
    I,
}

/// `[[readiness.milestone]]`: one step in the Party's Article 6 readiness.
///
/// Keys: `id` (simple id, unique), `title`, `kind` (legal | institutional | registry | policy |
/// agreement | transition | reporting), `status` (planned | ongoing | achieved), `date`
/// (optional: `"2023"`, `"2025-02"` or `"2025-02-28"`), `note`, `source` (https:// address),
/// `reliability` (A | B | C | U | I).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub id: String,
    pub title: String,
    pub kind: MilestoneKind,
    pub status: MilestoneStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<Reliability>,
}

/// Kind of a bilateral (or plurilateral) cooperation instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AgreementKind {
    /// an Article 6.2 implementation (implementing) agreement, e.g. Singapore's IAs
    ImplementationAgreement,
    /// another binding bilateral agreement on Article 6 cooperation
    BilateralAgreement,
    /// a memorandum of understanding (intent only; no transfers under it)
    Mou,
    /// a Joint Crediting Mechanism partnership with Japan
    Jcm,
}

impl AgreementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ImplementationAgreement => "implementation-agreement",
            Self::BilateralAgreement => "bilateral-agreement",
            Self::Mou => "mou",
            Self::Jcm => "jcm",
        }
    }
    /// Instruments under which ITMOs can be authorized and transferred (not an MoU).
    pub fn enables_transfers(self) -> bool {
        !matches!(self, Self::Mou)
    }
}

/// Where an agreement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AgreementStatus {
    /// cooperation being explored
    Exploring,
    /// text under negotiation
    Negotiating,
    /// negotiations substantively concluded, not yet signed
    Concluded,
    Signed,
    InForce,
}

impl AgreementStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exploring => "exploring",
            Self::Negotiating => "negotiating",
            Self::Concluded => "concluded",
            Self::Signed => "signed",
            Self::InForce => "in-force",
        }
    }
    pub fn is_signed(self) -> bool {
        matches!(self, Self::Signed | Self::InForce)
    }
}

/// `[[readiness.agreement]]`: a cooperation agreement with another Party.
///
/// Keys: `partner` (ISO 3166-1 alpha-3), `partner_name` (optional), `kind`
/// (implementation-agreement | bilateral-agreement | mou | jcm), `status` (exploring |
/// negotiating | concluded | signed | in-force), `signed` (optional date; only for signed or
/// in-force agreements), `activities` (ids of `[[activity]]` entries under it), `note`,
/// `source`, `reliability`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    pub partner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_name: Option<String>,
    pub kind: AgreementKind,
    pub status: AgreementStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<Reliability>,
}

/// `[[readiness.activity_cycle]]`: where an `[[activity]]` stands in the indicative Article 6.2
/// mitigation activity cycle (one entry per activity: its current stage).
///
/// Keys: `activity` (an `[[activity]]` id), `stage` (idea-note | authorization | design |
/// validation | registration | monitoring | verification | issuance | first-transfer), `date`
/// (optional), `note`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CycleEntry {
    pub activity: String,
    pub stage: CycleStage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Focus areas of the work programme under the framework for non-market approaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FocusArea {
    AdaptationAndResilience,
    MitigationAndSustainableDevelopment,
    CleanEnergy,
}

impl FocusArea {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AdaptationAndResilience => "adaptation-and-resilience",
            Self::MitigationAndSustainableDevelopment => "mitigation-and-sustainable-development",
            Self::CleanEnergy => "clean-energy",
        }
    }
}

/// Means an NMA uses (Article 6.8: "inter alia, mitigation, adaptation, finance, technology
/// transfer and capacity-building").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Instrument {
    Finance,
    /// payments on verified results (e.g. the Adaptation Benefits Mechanism)
    ResultsBasedFinance,
    /// grants, e.g. LoCAL's performance-based climate resilience grants
    Grants,
    TechnologyTransfer,
    CapacityBuilding,
    TechnicalAssistance,
    PolicyCoordination,
}

impl Instrument {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Finance => "finance",
            Self::ResultsBasedFinance => "results-based-finance",
            Self::Grants => "grants",
            Self::TechnologyTransfer => "technology-transfer",
            Self::CapacityBuilding => "capacity-building",
            Self::TechnicalAssistance => "technical-assistance",
            Self::PolicyCoordination => "policy-coordination",
        }
    }
}

/// `[nma.criteria]`: the checklist every NMA facilitated under the Article 6.8 framework meets
/// (decision 4/CMA.3 annex; UNFCCC workshop deck). Each key is true when the criterion is met.
///
/// Keys (all required): `voluntary` (identified by the participating Parties on a voluntary
/// basis), `more_than_one_party`, `no_transfer_of_mitigation_outcomes`, `facilitates_ndc`
/// (facilitates NDC implementation of host Parties and the long-term temperature goal),
/// `preamble_11_consistent` (consistent with the eleventh preambular paragraph of the Paris
/// Agreement: human rights, right to health, indigenous peoples, gender equality …),
/// `minimizes_negative_impacts` (minimizes and, where possible, avoids negative environmental,
/// economic and social impacts). Validation refuses `more_than_one_party = false` or
/// `no_transfer_of_mitigation_outcomes = false` (such an approach is not an NMA); other unmet
/// criteria are reported by the assessment as "not eligible yet".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NmaCriteria {
    pub voluntary: bool,
    pub more_than_one_party: bool,
    pub no_transfer_of_mitigation_outcomes: bool,
    pub facilitates_ndc: bool,
    pub preamble_11_consistent: bool,
    pub minimizes_negative_impacts: bool,
}

/// `[[nma]]`: an Article 6.8 non-market approach.
///
/// Keys: `id` (simple id, unique), `title`, `parties` (ISO alpha-3 codes of the participating
/// Parties, at least two), `focus` (adaptation-and-resilience |
/// mitigation-and-sustainable-development | clean-energy), `instruments` (finance |
/// results-based-finance | grants | technology-transfer | capacity-building |
/// technical-assistance | policy-coordination), `[nma.criteria]` (see [`NmaCriteria`]),
/// `description`, `source` (https:// address), `reliability`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nma {
    pub id: String,
    pub title: String,
    pub parties: Vec<String>,
    pub focus: FocusArea,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instruments: Vec<Instrument>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<Reliability>,
    pub criteria: NmaCriteria,
}
