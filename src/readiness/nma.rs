//! Article 6.8 non-market approaches: the criteria checklist and the deck's two case studies.
//!
//! Each NMA facilitated under the framework (decision 4/CMA.3 annex, as presented in the
//! UNFCCC secretariat's workshop deck): is identified by the participating Parties on a
//! voluntary basis; involves more than one participating Party; does not involve the transfer
//! of any mitigation outcomes; facilitates the implementation of NDCs of host Parties and
//! contributes to the long-term temperature goal; is consistent with the eleventh preambular
//! paragraph of the Paris Agreement; minimizes and, where possible, avoids negative
//! environmental, economic and social impacts.
//!
//! Validation refuses an `[[nma]]` with fewer than two Parties or one that transfers mitigation
//! outcomes (it would be a market approach under 6.2/6.4, not an NMA). The other criteria are a
//! checklist: an entry that misses one is kept and shown as "not eligible yet".

use super::schema::{Nma, NmaCriteria};
use serde::{Deserialize, Serialize};

/// One criterion of the 6.8 checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Criterion {
    Voluntary,
    MoreThanOneParty,
    NoTransferOfMitigationOutcomes,
    FacilitatesNdc,
    Preamble11Consistent,
    MinimizesNegativeImpacts,
}

impl Criterion {
    pub const ALL: [Criterion; 6] = [
        Self::Voluntary,
        Self::MoreThanOneParty,
        Self::NoTransferOfMitigationOutcomes,
        Self::FacilitatesNdc,
        Self::Preamble11Consistent,
        Self::MinimizesNegativeImpacts,
    ];

    /// The key in `[nma.criteria]`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Voluntary => "voluntary",
            Self::MoreThanOneParty => "more_than_one_party",
            Self::NoTransferOfMitigationOutcomes => "no_transfer_of_mitigation_outcomes",
            Self::FacilitatesNdc => "facilitates_ndc",
            Self::Preamble11Consistent => "preamble_11_consistent",
            Self::MinimizesNegativeImpacts => "minimizes_negative_impacts",
        }
    }

    /// The criterion as the framework states it.
    pub fn text(self) -> &'static str {
        match self {
            Self::Voluntary => "identified by the participating Parties on a voluntary basis",
            Self::MoreThanOneParty => "involves more than one participating Party",
            Self::NoTransferOfMitigationOutcomes => {
                "does not involve the transfer of any mitigation outcomes"
            }
            Self::FacilitatesNdc => {
                "facilitates the implementation of NDCs of host Parties and contributes to the \
                 long-term temperature goal"
            }
            Self::Preamble11Consistent => {
                "consistent with the eleventh preambular paragraph of the Paris Agreement"
            }
            Self::MinimizesNegativeImpacts => {
                "minimizes and, where possible, avoids negative environmental, economic and \
                 social impacts"
            }
        }
    }

    /// Whether the checklist marks this criterion as met.
    pub fn met(self, c: &NmaCriteria) -> bool {
        match self {
            Self::Voluntary => c.voluntary,
            Self::MoreThanOneParty => c.more_than_one_party,
            Self::NoTransferOfMitigationOutcomes => c.no_transfer_of_mitigation_outcomes,
            Self::FacilitatesNdc => c.facilitates_ndc,
            Self::Preamble11Consistent => c.preamble_11_consistent,
            Self::MinimizesNegativeImpacts => c.minimizes_negative_impacts,
        }
    }

    /// Failing this criterion means the entry is not an NMA at all (validation refuses it).
    pub fn is_defining(self) -> bool {
        matches!(
            self,
            Self::MoreThanOneParty | Self::NoTransferOfMitigationOutcomes
        )
    }
}

/// The checklist of an NMA: every criterion with whether it is met.
pub fn checklist(n: &Nma) -> Vec<(Criterion, bool)> {
    Criterion::ALL
        .iter()
        .map(|c| (*c, c.met(&n.criteria)))
        .collect()
}

/// Criteria not met.
pub fn unmet(n: &Nma) -> Vec<Criterion> {
    Criterion::ALL
        .into_iter()
        .filter(|c| !c.met(&n.criteria))
        .collect()
}

/// The NMA meets every criterion (and names at least two Parties).
pub fn eligible(n: &Nma) -> bool {
    unmet(n).is_empty() && n.parties.len() >= 2
}

/// The deck's two case studies (Adaptation Benefits Mechanism; UNCDF's LoCAL), as `[[nma]]`
/// entries ready to append to a scenario (`scenarios/readiness/nma-case-studies.toml`).
pub const CASE_STUDIES_TOML: &str = include_str!("../../scenarios/readiness/nma-case-studies.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NmaOnly {
    #[serde(default)]
    nma: Vec<Nma>,
}

/// Parse the `[[nma]]` entries of a snippet such as [`CASE_STUDIES_TOML`].
pub fn parse_nmas(text: &str) -> Result<Vec<Nma>, toml::de::Error> {
    toml::from_str::<NmaOnly>(text).map(|w| w.nma)
}

/// The deck's case studies, parsed (a test guards that they parse and validate).
pub fn case_studies() -> Result<Vec<Nma>, toml::de::Error> {
    parse_nmas(CASE_STUDIES_TOML)
}
