//! Question packs: the workshop's exercises as data (TOML), so trainers can write their own.
//!
//! A pack has sections (Reflect or Discuss), questions with stable ids and the scenario facts
//! shown beside each, and registry drills (step-by-step exercises checked against the ledger).
//! The built-in pack `article6-workshop-2025` holds the workshop deck's questions verbatim.

use serde::{Deserialize, Serialize};

pub const PACK_SCHEMA: u32 = 1;

/// A whole pack file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    pub schema: u32,
    pub pack: PackMeta,
    #[serde(rename = "section")]
    pub sections: Vec<Section>,
    #[serde(rename = "question")]
    pub questions: Vec<Question>,
    #[serde(default, rename = "drill", skip_serializing_if = "Vec::is_empty")]
    pub drills: Vec<Drill>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackMeta {
    pub id: String,
    pub title: String,
    /// Pack version; sessions record it so a trainer never mixes answers to different texts.
    pub version: String,
    /// Where the questions come from.
    pub source: String,
}

/// Which screen a section belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    /// NDC reflection questions (individual)
    Reflect,
    /// group-discussion questions
    Discuss,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub part: Part,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
}

/// A scenario fact shown beside a question (computed from the scenario by `workshop::facts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactKey {
    /// target types, period, kind, CA method
    NdcSummary,
    /// unconditional and conditional targets with the levels they imply
    NdcTargets,
    /// the conditional part and the support it needs
    ConditionalSupport,
    /// sectors and gases in scope with BAU at the target year
    SectorsInScope,
    /// sectors outside the scope and their estimated emissions
    SectorsOutOfScope,
    /// activities by NDC part and mechanism
    Activities,
    /// the host's safeguards (positive list, retention, buffer, cap)
    Policy,
    /// partners, demand and prices
    Partners,
    /// live mini-simulation of the selected activity's crediting tail
    CreditingTail,
    /// the mitigation-outcome budget: needed vs available
    MoBudget,
    /// readiness stage, milestones, agreements (Article 6 participation)
    Readiness,
    /// where the figures come from
    Sources,
}

impl FactKey {
    pub const ALL: [FactKey; 12] = [
        Self::NdcSummary,
        Self::NdcTargets,
        Self::ConditionalSupport,
        Self::SectorsInScope,
        Self::SectorsOutOfScope,
        Self::Activities,
        Self::Policy,
        Self::Partners,
        Self::CreditingTail,
        Self::MoBudget,
        Self::Readiness,
        Self::Sources,
    ];
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable id; answers are stored under it.
    pub id: String,
    pub section: String,
    /// The question, verbatim from the source.
    pub text: String,
    /// Scenario facts shown beside the question.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<FactKey>,
    /// Prompts that help a participant start (sub-questions from the deck).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prompts: Vec<String>,
}

/// A registry drill: steps a participant performs on the ledger, each checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Drill {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
    #[serde(rename = "step")]
    pub steps: Vec<DrillStep>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrillStep {
    pub instruction: String,
    /// Shown when the check fails.
    pub hint: String,
    pub expect: DrillExpect,
}

/// What the ledger must show after the step: the total quantity of units in the given state
/// (optionally for one vintage / beneficiary) reaches at least `quantity`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrillExpect {
    pub state: DrillState,
    pub quantity: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vintage: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beneficiary: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DrillState {
    Issued,
    Authorized,
    FirstTransferred,
    Retired,
    Cancelled,
}

impl Pack {
    pub fn questions_in(&self, part: Part) -> impl Iterator<Item = (&Section, &Question)> {
        self.sections
            .iter()
            .filter(move |s| s.part == part)
            .flat_map(move |s| {
                self.questions
                    .iter()
                    .filter(move |q| q.section == s.id)
                    .map(move |q| (s, q))
            })
    }
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}
