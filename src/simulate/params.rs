//! Simulation parameters: what the participant can change on the Simulate screen or the CLI.
//! Defaults come from the scenario (its CA method and policy); every field is an override.

use crate::scenario::Scenario;
use crate::scenario::schema::{CaBasis64, CaMethodChoice, DenominatorChoice, OutsideScopeCa};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Which NDC target the host protects while transferring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Protect {
    #[default]
    Unconditional,
    Conditional,
}

/// How much to transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Volume {
    /// The maximum safe volume.
    #[default]
    Max,
    /// A requested number of ITMOs (may exceed the maximum: shown failing).
    Units(u64),
}

/// Every lever of the simulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    pub method: CaMethodChoice,
    pub denominator: DenominatorChoice,
    pub protect: Protect,
    pub host_retention: Decimal,
    pub transfer_ratio: Decimal,
    pub buffer: Decimal,
    /// Cap on ITMOs first transferred over the period, tCO2e (units).
    pub national_cap: Option<u64>,
    pub sop_6_2: Decimal,
    pub omge_6_2: Decimal,
    pub sop_6_4: Decimal,
    pub omge_6_4: Decimal,
    pub ca_basis_6_4: CaBasis64,
    pub outside_scope_ca: OutsideScopeCa,
    /// Limit first transfers per vintage year to the partners' demand.
    pub use_demand: bool,
    /// Authorize only measures costlier than the MACC price p*.
    pub macc_rule: bool,
    pub volume: Volume,
}

impl Params {
    /// The scenario's own settings.
    pub fn from_scenario(s: &Scenario) -> Params {
        let p = &s.file.policy;
        Params {
            method: s.file.ndc.ca_method,
            denominator: s.file.ndc.averaging_denominator,
            protect: Protect::Unconditional,
            host_retention: p.host_retention,
            transfer_ratio: p.transfer_ratio,
            buffer: p.buffer,
            national_cap: p.national_cap.map(|c| units_floor(s.t(c))),
            sop_6_2: p.sop_6_2,
            omge_6_2: p.omge_6_2,
            sop_6_4: p.sop_6_4,
            omge_6_4: p.omge_6_4,
            ca_basis_6_4: p.ca_basis_6_4,
            outside_scope_ca: p.outside_scope_ca,
            use_demand: s.file.partners.iter().any(|x| !x.demand.0.is_empty()),
            macc_rule: p.macc_rule,
            volume: Volume::Max,
        }
    }
}

/// Whole units in a non-negative tonnes figure (floor; negative → 0).
pub fn units_floor(t: Decimal) -> u64 {
    use rust_decimal::prelude::ToPrimitive;
    t.max(Decimal::ZERO).floor().to_u64().unwrap_or(u64::MAX)
}
