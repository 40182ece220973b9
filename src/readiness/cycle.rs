//! The indicative Article 6.2 mitigation activity cycle (adapted from the SPAR6C/GGGI "Screening
//! and Developing Article 6 Activities" guide, 2024, as shown in the workshop deck) and its
//! mapping to the registry's project-status vocabulary.
//!
//! Mapping to the registry (CADT v1 `projectStatus` picklist, in its exact case): every stage
//! before registration is **Listed** (the project is recorded, not yet registered); registration
//! and every later stage is **Registered**; a CDM activity transitioning to the Article 6.4
//! mechanism (`cdm_transition = true`) is **Transitioned** from registration on. The registry
//! module may keep its own enum; these are plain strings so the two modules stay independent.
//! Units exist from issuance on; they are ITMOs once authorized, and first-transferred at the
//! first transfer (or per the authorization's first-transfer definition).

use serde::{Deserialize, Serialize};

/// A stage of the indicative 6.2 mitigation activity cycle, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CycleStage {
    /// mitigation activity idea note submitted to the host
    IdeaNote,
    /// host (and acquiring Party) authorization of the activity / its ITMOs
    Authorization,
    /// activity design document (baseline, additionality, monitoring plan)
    Design,
    /// validation of the design by an accredited third party
    Validation,
    /// registration of the activity
    Registration,
    /// monitoring of emission reductions or removals
    Monitoring,
    /// verification of the monitored results
    Verification,
    /// issuance of mitigation outcomes in the registry
    Issuance,
    /// first transfer of ITMOs (corresponding adjustment applied)
    FirstTransfer,
}

/// Registry project status (CADT v1 `projectStatus` values used by the cycle).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RegistryProjectStatus {
    Listed,
    Registered,
    Transitioned,
}

impl RegistryProjectStatus {
    /// The picklist string, in the registry's exact case.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Listed => "Listed",
            Self::Registered => "Registered",
            Self::Transitioned => "Transitioned",
        }
    }
}

impl CycleStage {
    pub const ALL: [CycleStage; 9] = [
        Self::IdeaNote,
        Self::Authorization,
        Self::Design,
        Self::Validation,
        Self::Registration,
        Self::Monitoring,
        Self::Verification,
        Self::Issuance,
        Self::FirstTransfer,
    ];

    /// The key written in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::IdeaNote => "idea-note",
            Self::Authorization => "authorization",
            Self::Design => "design",
            Self::Validation => "validation",
            Self::Registration => "registration",
            Self::Monitoring => "monitoring",
            Self::Verification => "verification",
            Self::Issuance => "issuance",
            Self::FirstTransfer => "first-transfer",
        }
    }

    /// A label for screens.
    pub fn label(self) -> &'static str {
        match self {
            Self::IdeaNote => "Idea note",
            Self::Authorization => "Authorization",
            Self::Design => "Design",
            Self::Validation => "Validation",
            Self::Registration => "Registration",
            Self::Monitoring => "Monitoring",
            Self::Verification => "Verification",
            Self::Issuance => "Issuance",
            Self::FirstTransfer => "First transfer",
        }
    }

    /// 1-based position in the cycle (1 = idea note … 9 = first transfer).
    pub fn number(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    /// The next stage, or `None` after the first transfer.
    pub fn next(self) -> Option<CycleStage> {
        Self::ALL.get(self.number()).copied()
    }

    /// The registry project status of an activity at this stage (see the module docs).
    pub fn registry_status(self, cdm_transition: bool) -> RegistryProjectStatus {
        if self < Self::Registration {
            RegistryProjectStatus::Listed
        } else if cdm_transition {
            RegistryProjectStatus::Transitioned
        } else {
            RegistryProjectStatus::Registered
        }
    }

    /// The activity (or its ITMOs) has been authorized at this stage.
    pub fn is_authorized(self) -> bool {
        self >= Self::Authorization
    }

    /// Mitigation outcomes have been issued at this stage.
    pub fn units_issued(self) -> bool {
        self >= Self::Issuance
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_numbers() {
        assert_eq!(CycleStage::IdeaNote.number(), 1);
        assert_eq!(CycleStage::FirstTransfer.number(), 9);
        assert_eq!(CycleStage::Design.next(), Some(CycleStage::Validation));
        assert_eq!(CycleStage::FirstTransfer.next(), None);
        assert!(CycleStage::Validation < CycleStage::Registration);
    }

    #[test]
    fn registry_mapping() {
        assert_eq!(
            CycleStage::Validation.registry_status(false).as_str(),
            "Listed"
        );
        assert_eq!(
            CycleStage::Registration.registry_status(false).as_str(),
            "Registered"
        );
        assert_eq!(
            CycleStage::Issuance.registry_status(true).as_str(),
            "Transitioned"
        );
        assert_eq!(
            CycleStage::IdeaNote.registry_status(true).as_str(),
            "Listed"
        );
    }
}
