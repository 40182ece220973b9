//! The mitigation-outcome (MO) budget: per sector and year, BAU, the mitigation of each
//! activity by NDC part, projected emissions; the target levels; the MOs needed to reach the
//! unconditional and the conditional target and the MOs beyond each; and the MACC with the
//! price p* of the last measure needed for the unconditional target.
//!
//! Conventions (written down because the simulation relies on them):
//! - Projected covered emissions `E(t) = covered BAU(t) − Σ in-scope activity mitigation(t)`:
//!   every activity in the scenario is expected to deliver, whatever its NDC part.
//! - Outside-scope activities reduce outside-scope emissions only.
//! - Order independence: everything is keyed by id and sorted (MACC ties by id), so the order
//!   of activities in the file never changes a result.

pub mod macc;

use crate::scenario::Scenario;
use crate::scenario::schema::NdcPart;
use rust_decimal::Decimal;
use serde::Serialize;

pub use macc::{Macc, MaccStep};

/// Mitigation by NDC part (tCO2e).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ByPart {
    pub unconditional: Decimal,
    pub conditional: Decimal,
    pub beyond: Decimal,
    pub outside_scope: Decimal,
}

impl ByPart {
    pub fn add(&mut self, part: NdcPart, v: Decimal) {
        match part {
            NdcPart::Unconditional => self.unconditional += v,
            NdcPart::Conditional => self.conditional += v,
            NdcPart::Beyond => self.beyond += v,
            NdcPart::OutsideScope => self.outside_scope += v,
        }
    }
    pub fn get(&self, part: NdcPart) -> Decimal {
        match part {
            NdcPart::Unconditional => self.unconditional,
            NdcPart::Conditional => self.conditional,
            NdcPart::Beyond => self.beyond,
            NdcPart::OutsideScope => self.outside_scope,
        }
    }
    /// Everything that lowers covered emissions.
    pub fn in_scope(&self) -> Decimal {
        self.unconditional + self.conditional + self.beyond
    }
    pub fn total(&self) -> Decimal {
        self.in_scope() + self.outside_scope
    }
}

/// One sector in one year (tCO2e).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectorYear {
    pub year: i32,
    /// Net BAU (negative for a sink); zero when the file gives no value for the year.
    pub bau: Decimal,
    pub mitigation: ByPart,
    /// BAU minus the sector's activity mitigation.
    pub projected: Decimal,
}

/// A sector's budget over the NDC period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectorBudget {
    pub id: String,
    pub name: String,
    pub in_scope: bool,
    pub activities: Vec<String>,
    pub years: Vec<SectorYear>,
}

impl SectorBudget {
    pub fn at(&self, year: i32) -> Option<&SectorYear> {
        self.years.iter().find(|y| y.year == year)
    }
}

/// Country totals in one year (tCO2e).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearTotals {
    pub year: i32,
    pub covered_bau: Decimal,
    pub covered_projected: Decimal,
    pub outside_bau: Decimal,
    pub outside_projected: Decimal,
    pub mitigation: ByPart,
    /// Level the unconditional target allows in this year (for below-BAU: that year's BAU).
    pub target_unconditional: Decimal,
    pub target_conditional: Option<Decimal>,
    /// MOs needed to bring covered BAU down to the unconditional target: max(0, BAU − target).
    pub needed_unconditional: Decimal,
    pub needed_conditional: Option<Decimal>,
    /// In-scope mitigation minus what the target needs (negative: a shortfall).
    pub beyond_unconditional: Decimal,
    pub beyond_conditional: Option<Decimal>,
}

/// The whole MO budget of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Budget {
    pub scenario: String,
    pub target_year: i32,
    pub sectors: Vec<SectorBudget>,
    pub years: Vec<YearTotals>,
    pub macc: Macc,
}

impl Budget {
    /// Totals in `year`, if it lies in the period.
    pub fn at(&self, year: i32) -> Option<&YearTotals> {
        self.years.iter().find(|y| y.year == year)
    }
    /// Totals in the target year.
    pub fn target(&self) -> &YearTotals {
        // years always contains the target year: validation keeps it inside the period
        self.at(self.target_year)
            .unwrap_or(&self.years[self.years.len() - 1])
    }
}

/// The order in which a budget lists the scenario's sectors (in NDC scope first, then by id),
/// as indices into `s.file.sectors`. Row `i` of a budget table is `s.file.sectors[order[i]]`.
pub fn sector_order(s: &Scenario) -> Vec<usize> {
    let secs = &s.file.sectors;
    let mut order: Vec<usize> = (0..secs.len()).collect();
    order.sort_by(|&a, &b| {
        secs[b]
            .in_scope
            .cmp(&secs[a].in_scope)
            .then(secs[a].id.cmp(&secs[b].id))
    });
    order
}

/// Build the MO budget of a scenario over its NDC period.
pub fn build(s: &Scenario) -> Budget {
    let f = &s.file;
    let years: Vec<i32> = s.years().collect();
    let mut sectors: Vec<SectorBudget> = f
        .sectors
        .iter()
        .map(|sec| {
            let mut acts: Vec<&crate::scenario::schema::Activity> =
                f.activities.iter().filter(|a| a.sector == sec.id).collect();
            acts.sort_by(|a, b| a.id.cmp(&b.id));
            let yrs = years
                .iter()
                .map(|&y| {
                    let bau = s.sector_bau(sec, y).unwrap_or_default();
                    let mut m = ByPart::default();
                    for a in &acts {
                        m.add(a.ndc_part, s.mitigation(a, y));
                    }
                    SectorYear {
                        year: y,
                        bau,
                        mitigation: m,
                        projected: bau - m.total(),
                    }
                })
                .collect();
            SectorBudget {
                id: sec.id.clone(),
                name: sec.name.clone(),
                in_scope: sec.in_scope,
                activities: acts.iter().map(|a| a.id.clone()).collect(),
                years: yrs,
            }
        })
        .collect();
    // The order of `sector_order`.
    sectors.sort_by(|a, b| b.in_scope.cmp(&a.in_scope).then(a.id.cmp(&b.id)));

    let totals = years
        .iter()
        .enumerate()
        .map(|(i, &y)| {
            let mut t = YearTotals {
                year: y,
                covered_bau: Decimal::ZERO,
                covered_projected: Decimal::ZERO,
                outside_bau: Decimal::ZERO,
                outside_projected: Decimal::ZERO,
                mitigation: ByPart::default(),
                target_unconditional: s.target_level(&f.ndc.unconditional, y),
                target_conditional: f.ndc.conditional.as_ref().map(|c| s.target_level(c, y)),
                needed_unconditional: Decimal::ZERO,
                needed_conditional: None,
                beyond_unconditional: Decimal::ZERO,
                beyond_conditional: None,
            };
            for sec in &sectors {
                let sy = &sec.years[i];
                for p in NdcPart::ALL {
                    t.mitigation.add(p, sy.mitigation.get(p));
                }
                if sec.in_scope {
                    t.covered_bau += sy.bau;
                    t.covered_projected += sy.projected;
                } else {
                    t.outside_bau += sy.bau;
                    t.outside_projected += sy.projected;
                }
            }
            t.needed_unconditional = (t.covered_bau - t.target_unconditional).max(Decimal::ZERO);
            t.needed_conditional = t
                .target_conditional
                .map(|c| (t.covered_bau - c).max(Decimal::ZERO));
            t.beyond_unconditional = t.mitigation.in_scope() - t.needed_unconditional;
            t.beyond_conditional = t.needed_conditional.map(|n| t.mitigation.in_scope() - n);
            t
        })
        .collect::<Vec<_>>();
    let ty = s.target_year();
    let (bau_t, target_t) = totals
        .iter()
        .find(|t| t.year == ty)
        .map(|t| (t.covered_bau, t.target_unconditional))
        .unwrap_or_default();
    Budget {
        scenario: s.id().to_string(),
        target_year: ty,
        sectors,
        years: totals,
        macc: macc::build(s, bau_t, target_t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn examplestan() -> Scenario {
        crate::scenario::load_str(
            "x.toml",
            include_str!("../../tests/fixtures/valid/examplestan.toml"),
        )
        .expect("valid")
    }

    #[test]
    fn target_year_totals_from_hand_computed_figures() {
        // energy BAU 2030 2300 kt, afolu 1600 kt (in scope), waste 150 kt (outside).
        // cookstoves (afolu, conditional) 90 kt in 2030; small-hydro (energy, unconditional) 60 kt.
        let b = build(&examplestan());
        let t = b.target();
        assert_eq!(t.covered_bau, dec!(3900000));
        assert_eq!(t.mitigation.conditional, dec!(90000));
        assert_eq!(t.mitigation.unconditional, dec!(60000));
        assert_eq!(t.covered_projected, dec!(3750000));
        assert_eq!(t.outside_bau, dec!(150000));
        // 20 % below BAU: target 3120 kt → needed 780 kt; 35 %: 2535 kt → needed 1365 kt
        assert_eq!(t.target_unconditional, dec!(3120000));
        assert_eq!(t.needed_unconditional, dec!(780000));
        assert_eq!(t.needed_conditional, Some(dec!(1365000)));
        // in-scope mitigation 150 kt → 630 kt short of the unconditional target
        assert_eq!(t.beyond_unconditional, dec!(-630000));
    }

    #[test]
    fn interpolated_year() {
        // 2025: energy 1800 + 500·4/9, afolu 1500 + 100·4/9 → 3300 + 2400/9 kt
        let b = build(&examplestan());
        let t = b.at(2025).expect("in period");
        assert_eq!(
            t.covered_bau.round_dp(3),
            (dec!(3300000) + dec!(2400000) / dec!(9)).round_dp(3)
        );
    }
}
