//! `Scenario`: a validated scenario file that answers questions in exact tonnes.
//!
//! Invariant: a `Scenario` is only built by `load` after validation passed, so sector
//! references resolve, years are ordered and the NDC has what its method needs.

use super::schema::*;
use super::units::QuantityUnit;
use rust_decimal::Decimal;

/// Where a scenario came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Built into the binary (id of the prepared scenario).
    BuiltIn(String),
    /// Read from a file on disk.
    File(std::path::PathBuf),
}

/// A validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub file: ScenarioFile,
    pub origin: Origin,
    /// SHA-256 of the source text, hex (provenance in reports and sessions).
    pub source_hash: String,
}

impl Scenario {
    pub fn id(&self) -> &str {
        &self.file.scenario.id
    }
    pub fn title(&self) -> &str {
        &self.file.scenario.title
    }
    pub fn unit(&self) -> QuantityUnit {
        self.file.scenario.unit
    }
    pub fn period(&self) -> (i32, i32) {
        (self.file.ndc.period[0], self.file.ndc.period[1])
    }
    pub fn years(&self) -> impl Iterator<Item = i32> + use<> {
        let (a, b) = self.period();
        a..=b
    }
    pub fn target_year(&self) -> i32 {
        self.file.ndc.target_year
    }
    /// File-unit value → tonnes.
    pub fn t(&self, v: Decimal) -> Decimal {
        self.unit().to_tonnes(v)
    }

    pub fn sector(&self, id: &str) -> Option<&Sector> {
        self.file.sectors.iter().find(|s| s.id == id)
    }
    pub fn activity(&self, id: &str) -> Option<&Activity> {
        self.file.activities.iter().find(|a| a.id == id)
    }
    pub fn partner(&self, code: &str) -> Option<&Partner> {
        self.file.partners.iter().find(|p| p.code == code)
    }

    /// Net BAU emissions of a sector in `year`, tonnes (negative for a net sink); `None` when
    /// the sector gives no value for that year.
    pub fn sector_bau(&self, s: &Sector, year: i32) -> Option<Decimal> {
        if let Some(b) = &s.bau {
            return b.at(year).map(|v| self.t(v));
        }
        s.removals
            .as_ref()
            .and_then(|r| r.at(year))
            .map(|v| -self.t(v))
    }

    /// Covered (in-scope) BAU in `year`, tonnes. Sectors without a value for the year count 0.
    pub fn covered_bau(&self, year: i32) -> Decimal {
        self.file
            .sectors
            .iter()
            .filter(|s| s.in_scope)
            .filter_map(|s| self.sector_bau(s, year))
            .sum()
    }

    /// Outside-scope BAU in `year`, tonnes.
    pub fn outside_bau(&self, year: i32) -> Decimal {
        self.file
            .sectors
            .iter()
            .filter(|s| !s.in_scope)
            .filter_map(|s| self.sector_bau(s, year))
            .sum()
    }

    /// Expected mitigation of an activity in `year`, tonnes (zero outside its given years).
    pub fn mitigation(&self, a: &Activity, year: i32) -> Decimal {
        self.t(a.mitigation.at_or_zero(year))
    }

    /// Is `year` in the activity's crediting window?
    pub fn credited(&self, a: &Activity, year: i32) -> bool {
        (a.crediting[0]..=a.crediting[1]).contains(&year)
    }

    /// The level of covered net emissions a target allows in `year` (tonnes).
    /// Absolute: the level; below-BAU: BAU·(1 − p/100); net balance: 0.
    pub fn target_level(&self, t: &Target, year: i32) -> Decimal {
        match t.kind {
            TargetKind::Absolute => self.t(t.level.unwrap_or_default()),
            TargetKind::BelowBau => {
                let p = t.percent.unwrap_or_default();
                self.covered_bau(year) * (Decimal::ONE_HUNDRED - p) / Decimal::ONE_HUNDRED
            }
            TargetKind::NetBalance => Decimal::ZERO,
        }
    }

    /// Trajectory level in `year`, tonnes, when the NDC has a trajectory.
    pub fn trajectory(&self, year: i32) -> Option<Decimal> {
        self.file
            .ndc
            .trajectory
            .as_ref()
            .and_then(|t| t.at(year))
            .map(|v| self.t(v))
    }

    /// Total budget over the period, tonnes.
    pub fn budget(&self) -> Option<Decimal> {
        self.file.ndc.budget.map(|b| self.t(b))
    }

    /// Partner demand in `year`, tonnes.
    pub fn demand(&self, p: &Partner, year: i32) -> Decimal {
        self.t(p.demand.at(year).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::load_str;
    use rust_decimal_macros::dec;

    const SHAPE: &str = include_str!("../../tests/fixtures/valid/examplestan.toml");

    #[test]
    fn answers_in_tonnes() {
        let s = load_str("examplestan.toml", SHAPE).expect("valid");
        // covered BAU 2021 = energy 1800 + afolu 1500 kt
        assert_eq!(s.covered_bau(2021), dec!(3300000));
        // 20 % below BAU in 2030: (2300 + 1600) · 0.8 kt = 3120 kt
        assert_eq!(
            s.target_level(&s.file.ndc.unconditional, 2030),
            dec!(3120000)
        );
        assert_eq!(s.outside_bau(2030), dec!(150000));
        let a = s.activity("cookstoves").expect("exists");
        assert_eq!(s.mitigation(a, 2021), dec!(0));
        assert_eq!(s.mitigation(a, 2030), dec!(90000));
    }
}
