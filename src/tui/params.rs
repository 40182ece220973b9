//! The Simulate screen's parameter panel: which levers there are, how each is shown, how ←/→
//! (or −/+) step it and how a typed value is read.
//!
//! One job: turn a key on a parameter into a new [`Params`]. Pure; `update` re-simulates.

use super::derived::{method_label, next_method};
use crate::scenario::schema::{CaBasis64, DenominatorChoice, OutsideScopeCa};
use crate::scenario::units::group_thousands;
use crate::simulate::{Params, Protect, Volume};
use rust_decimal::Decimal;

/// One lever of the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    Method,
    Denominator,
    Protect,
    Retention,
    TransferRatio,
    Buffer,
    Cap,
    Sop62,
    Omge62,
    Basis64,
    OutsideScope,
    Demand,
    MaccRule,
    Volume,
}

impl Param {
    pub const ALL: [Param; 14] = [
        Param::Method,
        Param::Denominator,
        Param::Protect,
        Param::Retention,
        Param::TransferRatio,
        Param::Buffer,
        Param::Cap,
        Param::Sop62,
        Param::Omge62,
        Param::Basis64,
        Param::OutsideScope,
        Param::Demand,
        Param::MaccRule,
        Param::Volume,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Param::Method => "CA method",
            Param::Denominator => "Denominator",
            Param::Protect => "Protect",
            Param::Retention => "Retention",
            Param::TransferRatio => "Transfer ratio",
            Param::Buffer => "Buffer",
            Param::Cap => "National cap",
            Param::Sop62 => "6.2 SOP",
            Param::Omge62 => "6.2 OMGE",
            Param::Basis64 => "6.4 CA basis",
            Param::OutsideScope => "Outside CA",
            Param::Demand => "Use demand",
            Param::MaccRule => "MACC rule",
            Param::Volume => "Volume",
        }
    }

    /// Does Enter ask for a typed value?
    pub fn typed(self) -> bool {
        matches!(
            self,
            Param::Retention
                | Param::TransferRatio
                | Param::Buffer
                | Param::Cap
                | Param::Sop62
                | Param::Omge62
                | Param::Volume
        )
    }

    /// What the popup asks.
    pub fn prompt(self) -> &'static str {
        match self {
            Param::Cap => "National cap in units (tCO2e), or `none`",
            Param::Volume => "ITMOs to transfer over the period, or `max`",
            _ => "Share in percent (0–100), e.g. 20",
        }
    }
}

fn pct(d: Decimal) -> String {
    format!("{} %", (d * Decimal::from(100)).round_dp(1).normalize())
}

fn yes(b: bool) -> String {
    if b { "yes".into() } else { "no".into() }
}

/// The value of a parameter as shown (and as the popup starts).
pub fn value_text(p: &Params, which: Param) -> String {
    match which {
        Param::Method => method_label(p.method).into(),
        Param::Denominator => match p.denominator {
            DenominatorChoice::PeriodYears => "period years".into(),
            DenominatorChoice::ElapsedYears => "elapsed years".into(),
            DenominatorChoice::InventoryYears => "inventory years".into(),
        },
        Param::Protect => match p.protect {
            Protect::Unconditional => "unconditional".into(),
            Protect::Conditional => "conditional".into(),
        },
        Param::Retention => pct(p.host_retention),
        Param::TransferRatio => pct(p.transfer_ratio),
        Param::Buffer => pct(p.buffer),
        Param::Cap => match p.national_cap {
            None => "none".into(),
            Some(c) => format!("{} t", group_thousands(Decimal::from(c), 0)),
        },
        Param::Sop62 => pct(p.sop_6_2),
        Param::Omge62 => pct(p.omge_6_2),
        Param::Basis64 => match p.ca_basis_6_4 {
            CaBasis64::AfterSop => "after SOP".into(),
            CaBasis64::HolderOnly => "holder only".into(),
        },
        Param::OutsideScope => match p.outside_scope_ca {
            OutsideScopeCa::Separate => "separate".into(),
            OutsideScopeCa::AgainstNdc => "against NDC".into(),
        },
        Param::Demand => yes(p.use_demand),
        Param::MaccRule => yes(p.macc_rule),
        Param::Volume => match p.volume {
            Volume::Max => "maximum safe".into(),
            Volume::Units(n) => format!("{} ITMOs", group_thousands(Decimal::from(n), 0)),
        },
    }
}

/// The editable text of a parameter (what Enter puts in the popup).
pub fn typed_text(p: &Params, which: Param) -> String {
    let pc = |d: Decimal| (d * Decimal::from(100)).round_dp(2).normalize().to_string();
    match which {
        Param::Retention => pc(p.host_retention),
        Param::TransferRatio => pc(p.transfer_ratio),
        Param::Buffer => pc(p.buffer),
        Param::Sop62 => pc(p.sop_6_2),
        Param::Omge62 => pc(p.omge_6_2),
        Param::Cap => p
            .national_cap
            .map(|c| c.to_string())
            .unwrap_or_else(|| "none".into()),
        Param::Volume => match p.volume {
            Volume::Max => "max".into(),
            Volume::Units(n) => n.to_string(),
        },
        _ => value_text(p, which),
    }
}

fn step_share(d: Decimal, dir: i32, step: Decimal) -> Decimal {
    let v = if dir > 0 { d + step } else { d - step };
    v.clamp(Decimal::ZERO, Decimal::ONE).round_dp(4)
}

/// Step a parameter one notch (`dir` +1 / −1). `unit_step` is the step for unit counts (cap,
/// volume), e.g. 5 % of the current maximum; `max` the current maximum transferable.
pub fn step(p: &mut Params, which: Param, dir: i32, unit_step: u64, max: u64) {
    let five = Decimal::new(5, 2);
    let one = Decimal::new(1, 2);
    let unit_step = unit_step.max(1);
    match which {
        Param::Method => {
            p.method = if dir > 0 {
                next_method(p.method)
            } else {
                next_method(next_method(p.method))
            }
        }
        Param::Denominator => {
            use DenominatorChoice::*;
            let all = [PeriodYears, ElapsedYears, InventoryYears];
            let i = all.iter().position(|x| *x == p.denominator).unwrap_or(0);
            p.denominator = all[(i + if dir > 0 { 1 } else { 2 }) % 3];
        }
        Param::Protect => {
            p.protect = match p.protect {
                Protect::Unconditional => Protect::Conditional,
                Protect::Conditional => Protect::Unconditional,
            }
        }
        Param::Retention => p.host_retention = step_share(p.host_retention, dir, five),
        Param::TransferRatio => p.transfer_ratio = step_share(p.transfer_ratio, dir, five),
        Param::Buffer => p.buffer = step_share(p.buffer, dir, five),
        Param::Sop62 => p.sop_6_2 = step_share(p.sop_6_2, dir, one),
        Param::Omge62 => p.omge_6_2 = step_share(p.omge_6_2, dir, one),
        Param::Cap => {
            p.national_cap = match (p.national_cap, dir > 0) {
                (None, true) => Some(unit_step),
                (None, false) => None,
                (Some(c), true) => Some(c.saturating_add(unit_step)),
                (Some(c), false) if c <= unit_step => None,
                (Some(c), false) => Some(c - unit_step),
            }
        }
        Param::Basis64 => {
            p.ca_basis_6_4 = match p.ca_basis_6_4 {
                CaBasis64::AfterSop => CaBasis64::HolderOnly,
                CaBasis64::HolderOnly => CaBasis64::AfterSop,
            }
        }
        Param::OutsideScope => {
            p.outside_scope_ca = match p.outside_scope_ca {
                OutsideScopeCa::Separate => OutsideScopeCa::AgainstNdc,
                OutsideScopeCa::AgainstNdc => OutsideScopeCa::Separate,
            }
        }
        Param::Demand => p.use_demand = !p.use_demand,
        Param::MaccRule => p.macc_rule = !p.macc_rule,
        Param::Volume => {
            p.volume = match (p.volume, dir > 0) {
                (Volume::Max, true) => Volume::Max,
                (Volume::Max, false) => Volume::Units(max.saturating_sub(unit_step)),
                (Volume::Units(n), true) if n.saturating_add(unit_step) >= max => Volume::Max,
                (Volume::Units(n), true) => Volume::Units(n + unit_step),
                (Volume::Units(n), false) => Volume::Units(n.saturating_sub(unit_step)),
            }
        }
    }
}

/// Read a typed value into the parameter; the reason when it cannot be read.
pub fn set_typed(p: &mut Params, which: Param, text: &str) -> Result<(), String> {
    let t = text
        .trim()
        .trim_end_matches('%')
        .trim()
        .replace([',', '_', ' '], "");
    let share = |t: &str| -> Result<Decimal, String> {
        let d: Decimal = t
            .parse()
            .map_err(|_| format!("`{text}` is not a number: type a percentage such as 20"))?;
        if d < Decimal::ZERO || d > Decimal::from(100) {
            return Err(format!("{d} is outside 0–100 %"));
        }
        Ok(d / Decimal::from(100))
    };
    let units = |t: &str| -> Result<u64, String> {
        t.parse::<u64>()
            .map_err(|_| format!("`{text}` is not a whole number of units"))
    };
    match which {
        Param::Retention => p.host_retention = share(&t)?,
        Param::TransferRatio => p.transfer_ratio = share(&t)?,
        Param::Buffer => p.buffer = share(&t)?,
        Param::Sop62 => p.sop_6_2 = share(&t)?,
        Param::Omge62 => p.omge_6_2 = share(&t)?,
        Param::Cap => {
            p.national_cap = if t.eq_ignore_ascii_case("none") || t.is_empty() {
                None
            } else {
                Some(units(&t)?)
            }
        }
        Param::Volume => {
            p.volume = if t.eq_ignore_ascii_case("max") || t.is_empty() {
                Volume::Max
            } else {
                Volume::Units(units(&t)?)
            }
        }
        _ => return Err("this parameter is changed with ← →".into()),
    }
    Ok(())
}
