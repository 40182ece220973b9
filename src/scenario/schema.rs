//! The scenario file format (schema 1), as serde types. Strict: unknown keys are errors.
//!
//! These are the exact shapes a trainer writes. Quantities are plain numbers in the file's unit
//! (`[scenario] unit`); shares are in 0–1; percentages in 0–100. `Scenario` (in `model.rs`) wraps
//! a validated file and answers questions in tonnes. The README's "Scenario format" section and
//! `ndc-workbench scenario template` document every key; keep them in step with this file.

use super::decimal_num;
use super::units::QuantityUnit;
use super::years::YearMap;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole scenario file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub schema: u32,
    pub scenario: Meta,
    pub party: Party,
    pub ndc: Ndc,
    #[serde(default, rename = "sector", skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<Sector>,
    #[serde(default, rename = "activity", skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<Activity>,
    #[serde(default)]
    pub policy: Policy,
    #[serde(default, rename = "partner", skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Partner>,
    #[serde(default, rename = "source", skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    /// `[readiness]`: Article 6 readiness and cooperation (see `crate::readiness::schema`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness: Option<crate::readiness::schema::Readiness>,
    /// `[[nma]]`: Article 6.8 non-market approaches (see `crate::readiness::schema::Nma`).
    #[serde(default, rename = "nma", skip_serializing_if = "Vec::is_empty")]
    pub nmas: Vec<crate::readiness::schema::Nma>,
}

/// `[scenario]`: what this file is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Stable id: lowercase letters, digits and dashes.
    pub id: String,
    pub title: String,
    /// True when any figure is invented for teaching; shown on every screen and export.
    pub illustrative: bool,
    /// Unit of every emission quantity in this file.
    pub unit: QuantityUnit,
    /// ISO 4217 code of `cost_per_t` and partner prices.
    pub currency: String,
    /// Question pack id used by the Reflect and Discuss screens.
    #[serde(default = "default_pack")]
    pub pack: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

pub fn default_pack() -> String {
    "article6-workshop-2025".into()
}

/// Role of the party in Article 6 cooperation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartyRole {
    Host,
    Acquiring,
    Both,
}

/// `[party]`: the country the scenario is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// ISO 3166-1 alpha-3.
    pub code: String,
    pub name: String,
    /// Article 6 registry id: the alpha-3 code and two digits, e.g. `BTN01`.
    pub registry_id: String,
    pub role: PartyRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NdcKind {
    SingleYear,
    MultiYear,
}

/// Corresponding-adjustment method as written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaMethodChoice {
    /// single-year NDC: average of transfers over the period applied in the target year
    Averaging,
    /// trajectory (multi-year, or single-year with an indicative trajectory)
    Trajectory,
    /// multi-year budget
    Budget,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DenominatorChoice {
    PeriodYears,
    ElapsedYears,
    InventoryYears,
}

/// `[ndc]`: the nationally determined contribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ndc {
    /// First and last year of the implementation period, e.g. `[2021, 2030]`.
    pub period: [i32; 2],
    pub kind: NdcKind,
    pub target_year: i32,
    pub ca_method: CaMethodChoice,
    #[serde(default = "default_denominator")]
    pub averaging_denominator: DenominatorChoice,
    pub unconditional: Target,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditional: Option<Target>,
    /// Emissions trajectory (file unit), interpolated; required for multi-year NDCs unless a
    /// budget is given, and for the trajectory method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trajectory: Option<YearMap>,
    /// Emissions budget over the whole period (file unit), for the budget method.
    #[serde(
        default,
        with = "decimal_num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub budget: Option<Decimal>,
    /// Gases covered, e.g. `["CO2", "CH4", "N2O"]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn default_denominator() -> DenominatorChoice {
    DenominatorChoice::PeriodYears
}

/// An NDC target (unconditional or conditional part).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    #[serde(rename = "type")]
    pub kind: TargetKind,
    /// `absolute`: covered net emissions in the target year must not exceed this (file unit).
    #[serde(
        default,
        with = "decimal_num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub level: Option<Decimal>,
    /// `below-bau`: reduction below covered BAU in the target year, percent 0–100.
    #[serde(
        default,
        with = "decimal_num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub percent: Option<Decimal>,
    /// Support the conditional part needs: finance, technology, capacity-building, article6.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub support: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetKind {
    /// a level of covered net emissions
    Absolute,
    /// a percentage below business-as-usual
    BelowBau,
    /// net emissions not above zero (emissions not above removals), as Bhutan's
    NetBalance,
}

/// `[[sector]]`: an emitting or removing sector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    pub id: String,
    pub name: String,
    /// Covered by the NDC. Outside-scope sectors can still host activities, whose transfers
    /// need a corresponding adjustment against their own categories.
    pub in_scope: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gases: Vec<String>,
    /// Business-as-usual net emissions by year (file unit); negative for a net sink.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bau: Option<YearMap>,
    /// Removals by year (file unit, positive numbers) for a sink sector; net = −removals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removals: Option<YearMap>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Mechanism {
    #[serde(rename = "6.2")]
    A62,
    #[serde(rename = "6.4")]
    A64,
    #[serde(rename = "domestic")]
    Domestic,
}

impl Mechanism {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::A62 => "6.2",
            Self::A64 => "6.4",
            Self::Domestic => "domestic",
        }
    }
}

/// Which part of the NDC an activity's mitigation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NdcPart {
    /// in the unconditional plan
    Unconditional,
    /// in the conditional plan
    Conditional,
    /// in a sector outside the NDC
    OutsideScope,
    /// in NDC scope, in neither plan
    Beyond,
}

impl NdcPart {
    pub const ALL: [NdcPart; 4] = [
        Self::Unconditional,
        Self::Conditional,
        Self::OutsideScope,
        Self::Beyond,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unconditional => "unconditional",
            Self::Conditional => "conditional",
            Self::OutsideScope => "outside-scope",
            Self::Beyond => "beyond",
        }
    }
}

/// `[[activity]]`: a mitigation activity that may generate mitigation outcomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub id: String,
    pub name: String,
    pub sector: String,
    /// Positive-list category (see `categories::KNOWN`).
    pub category: String,
    pub mechanism: Mechanism,
    pub ndc_part: NdcPart,
    /// Abatement cost, currency per tCO2e (may be negative: measures that save money).
    #[serde(with = "decimal_num::plain")]
    pub cost_per_t: Decimal,
    /// Expected mitigation outcomes by year (file unit), interpolated; zero outside.
    pub mitigation: YearMap,
    /// Relative standard deviation of delivery, share 0–1 (Monte Carlo).
    #[serde(default, with = "decimal_num::plain")]
    pub uncertainty: Decimal,
    /// First and last year of the crediting period.
    pub crediting: [i32; 2],
    /// Removal activity (longer crediting periods under 6.4).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub removal: bool,
    /// A CDM activity transitioning to Article 6.4.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cdm_transition: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<AuthorizationSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Purpose {
    #[serde(rename = "NDC")]
    Ndc,
    #[serde(rename = "OIMP")]
    Oimp,
    #[serde(rename = "NDC-and-OIMP")]
    NdcAndOimp,
    /// 6.4 mitigation-contribution units: not authorized, no CA, count toward the host NDC.
    #[serde(rename = "mitigation-contribution")]
    MitigationContribution,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ndc => "NDC",
            Self::Oimp => "OIMP",
            Self::NdcAndOimp => "NDC-and-OIMP",
            Self::MitigationContribution => "mitigation-contribution",
        }
    }
    pub fn includes_oimp(self) -> bool {
        matches!(self, Self::Oimp | Self::NdcAndOimp)
    }
    /// Units under this purpose need a corresponding adjustment when first transferred.
    pub fn needs_ca(self) -> bool {
        !matches!(self, Self::MitigationContribution)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FirstTransferDef {
    FirstInternationalTransfer,
    Authorization,
    Issuance,
    UseOrCancellation,
}

impl FirstTransferDef {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstInternationalTransfer => "first-international-transfer",
            Self::Authorization => "authorization",
            Self::Issuance => "issuance",
            Self::UseOrCancellation => "use-or-cancellation",
        }
    }
}

/// How an activity's outcomes are authorized.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorizationSpec {
    pub purpose: Purpose,
    /// Acquiring party (a `[[partner]]` code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acquiring: Option<String>,
    /// Required when the purpose includes OIMP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_transfer: Option<FirstTransferDef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaBasis64 {
    AfterSop,
    HolderOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutsideScopeCa {
    Separate,
    AgainstNdc,
}

/// `[policy]`: the host's safeguards against overselling. Defaults mean "no safeguard".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Activity categories eligible for authorization; empty = all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub positive_list: Vec<String>,
    /// NDC parts whose outcomes may be authorized; empty = all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eligible_ndc_parts: Vec<NdcPart>,
    /// Share of each issuance kept by the host (not authorized, no CA), 0–1.
    #[serde(default, with = "decimal_num::plain")]
    pub host_retention: Decimal,
    /// Share of NDC headroom never sold, 0–1.
    #[serde(default, with = "decimal_num::plain")]
    pub buffer: Decimal,
    /// Exportable share of authorizable outcomes, 0–1 (Vietnam-style tiers).
    #[serde(default = "one", with = "decimal_num::plain")]
    pub transfer_ratio: Decimal,
    /// Cap on ITMOs first transferred over the period (file unit).
    #[serde(
        default,
        with = "decimal_num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub national_cap: Option<Decimal>,
    /// Authorize only measures costlier than the MACC price p* of the unconditional target.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub macc_rule: bool,
    /// Voluntary 6.2 share of proceeds and OMGE cancellation, 0–1.
    #[serde(default, with = "decimal_num::plain")]
    pub sop_6_2: Decimal,
    #[serde(default, with = "decimal_num::plain")]
    pub omge_6_2: Decimal,
    /// 6.4 levies, 0–1 (defaults 0.05 and 0.02).
    #[serde(default = "sop64", with = "decimal_num::plain")]
    pub sop_6_4: Decimal,
    #[serde(default = "omge64", with = "decimal_num::plain")]
    pub omge_6_4: Decimal,
    #[serde(default = "after_sop")]
    pub ca_basis_6_4: CaBasis64,
    #[serde(default = "separate")]
    pub outside_scope_ca: OutsideScopeCa,
}

fn one() -> Decimal {
    Decimal::ONE
}
fn sop64() -> Decimal {
    Decimal::new(5, 2)
}
fn omge64() -> Decimal {
    Decimal::new(2, 2)
}
fn after_sop() -> CaBasis64 {
    CaBasis64::AfterSop
}
fn separate() -> OutsideScopeCa {
    OutsideScopeCa::Separate
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            positive_list: vec![],
            eligible_ndc_parts: vec![],
            host_retention: Decimal::ZERO,
            buffer: Decimal::ZERO,
            transfer_ratio: one(),
            national_cap: None,
            macc_rule: false,
            sop_6_2: Decimal::ZERO,
            omge_6_2: Decimal::ZERO,
            sop_6_4: sop64(),
            omge_6_4: omge64(),
            ca_basis_6_4: after_sop(),
            outside_scope_ca: separate(),
        }
    }
}

/// `[[partner]]`: an acquiring (or, for a buyer scenario, selling) party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub code: String,
    pub name: String,
    /// ITMOs the partner would take per year (file unit), interpolated.
    #[serde(default)]
    pub demand: YearMap,
    /// Price per ITMO, scenario currency.
    #[serde(with = "decimal_num::plain")]
    pub price: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `[[source]]`: where the figures come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
