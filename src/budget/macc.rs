//! Marginal abatement cost curve (MACC) of the in-scope measures at the target year, with the
//! price p* of the last measure needed for the unconditional target. The threshold itself is
//! `accounting::macc_threshold` (article6-rules §9); this module lays out the curve for people:
//! measures by cost (ties by id, so file order never matters) with cumulative abatement and a
//! mark on those needed for the target (cost ≤ p*, or all of them when p* is indeterminate).

use crate::accounting::{MaccThreshold, Measure, macc_threshold};
use crate::scenario::Scenario;
use crate::scenario::schema::NdcPart;
use rust_decimal::Decimal;
use serde::Serialize;

/// One measure on the curve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MaccStep {
    pub activity: String,
    pub cost_per_t: Decimal,
    /// Abatement in the target year, tCO2e.
    pub abatement: Decimal,
    /// Cumulative abatement including this step.
    pub cumulative: Decimal,
    /// Needed for the unconditional target.
    pub needed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Macc {
    /// A*: abatement needed in the target year, tCO2e (BAU − unconditional target).
    pub needed: Decimal,
    pub steps: Vec<MaccStep>,
    /// `None` when the inputs are out of range for the accounting checks.
    pub threshold: Option<MaccThreshold>,
}

/// Build the MACC for covered BAU and the unconditional target level in the target year.
pub fn build(s: &Scenario, bau_t: Decimal, target_t: Decimal) -> Macc {
    let ty = s.target_year();
    let mut acts: Vec<_> = s
        .file
        .activities
        .iter()
        .filter(|a| a.ndc_part != NdcPart::OutsideScope)
        .collect();
    acts.sort_by(|a, b| {
        a.cost_per_t
            .cmp(&b.cost_per_t)
            .then_with(|| a.id.cmp(&b.id))
    });
    let measures: Vec<Measure> = acts
        .iter()
        .map(|a| Measure {
            id: a.id.clone(),
            cost: a.cost_per_t,
            abatement_target_year: s.mitigation(a, ty),
        })
        .collect();
    let threshold = macc_threshold(&measures, bau_t, target_t).ok();
    let mut cum = Decimal::ZERO;
    let steps = measures
        .into_iter()
        .map(|m| {
            cum += m.abatement_target_year;
            let needed = match &threshold {
                Some(MaccThreshold::Threshold { price, .. }) => m.cost <= *price,
                Some(MaccThreshold::Indeterminate { .. }) | None => true,
                Some(MaccThreshold::NoMeasureNeeded) => false,
            };
            MaccStep {
                activity: m.id,
                cost_per_t: m.cost,
                abatement: m.abatement_target_year,
                cumulative: cum,
                needed,
            }
        })
        .collect();
    Macc {
        needed: (bau_t - target_t).max(Decimal::ZERO),
        steps,
        threshold,
    }
}

impl Macc {
    /// Would the MACC rule allow authorizing a measure of this cost? Only measures costlier
    /// than p*; with an indeterminate p*, none (never a silent pass).
    pub fn allows(&self, cost: Decimal) -> bool {
        match &self.threshold {
            Some(MaccThreshold::NoMeasureNeeded) => true,
            Some(MaccThreshold::Threshold { price, .. }) => cost > *price,
            Some(MaccThreshold::Indeterminate { .. }) | None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn examplestan_curve_and_threshold() {
        // in-scope measures at 2030: small-hydro 60 kt at 3, cookstoves 90 kt at 8.
        let s = crate::scenario::load_str(
            "x.toml",
            include_str!("../../tests/fixtures/valid/examplestan.toml"),
        )
        .expect("valid");
        // A* = 780 kt > 150 kt → p* undefined
        let m = build(&s, dec!(3900000), dec!(3120000));
        assert_eq!(
            m.steps
                .iter()
                .map(|x| x.activity.as_str())
                .collect::<Vec<_>>(),
            ["small-hydro", "cookstoves"]
        );
        assert_eq!(m.steps[1].cumulative, dec!(150000));
        assert!(matches!(
            m.threshold,
            Some(MaccThreshold::Indeterminate { .. })
        ));
        assert!(!m.allows(dec!(100)));
        // needing 100 kt: small hydro (60) is not enough, cookstoves (cum 150) reach it → p* = 8
        let m = build(&s, dec!(3900000), dec!(3800000));
        assert!(
            matches!(m.threshold, Some(MaccThreshold::Threshold { price, .. }) if price == dec!(8))
        );
        assert!(m.steps[0].needed && m.steps[1].needed);
        assert!(!m.allows(dec!(8)) && m.allows(dec!(8.01)));
        // needing 50 kt: small hydro alone → p* = 3, cookstoves not needed
        let m = build(&s, dec!(3900000), dec!(3850000));
        assert!(m.steps[0].needed && !m.steps[1].needed);
        let m = build(&s, dec!(3000000), dec!(3120000));
        assert_eq!(m.threshold, Some(MaccThreshold::NoMeasureNeeded));
    }
}
