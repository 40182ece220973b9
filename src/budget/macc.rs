//! Marginal abatement cost curve (MACC) and the price p* of the last measure needed for the
//! unconditional target (article6-rules §9):
//! sort in-scope measures by cost ascending (ties by id); A(k) = Σ_{j≤k} a_j(T);
//! A* = BAU(T) − Target_uncond(T); k* = min{k : A(k) ≥ A*}; p* = c_{k*}.
//! If A* ≤ 0 no measure is needed; if A(K) < A*, p* is undefined and the result is
//! *indeterminate* — never a silent pass.

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
    /// Needed for the unconditional target (cost ≤ p*).
    pub needed: bool,
}

/// The MACC threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "price", rename_all = "kebab-case")]
pub enum PriceThreshold {
    /// Emissions are at or below the target without any measure.
    NoneNeeded,
    /// p*: the cost of the last measure needed.
    Price(Decimal),
    /// The measures do not reach the target: p* undefined.
    Indeterminate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Macc {
    /// A*: abatement needed in the target year, tCO2e.
    pub needed: Decimal,
    pub steps: Vec<MaccStep>,
    pub threshold: PriceThreshold,
}

/// Build the MACC of the in-scope activities at the target year.
pub fn build(s: &Scenario, needed: Decimal) -> Macc {
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
    let mut cum = Decimal::ZERO;
    let mut threshold = if needed <= Decimal::ZERO {
        PriceThreshold::NoneNeeded
    } else {
        PriceThreshold::Indeterminate
    };
    let mut steps = Vec::with_capacity(acts.len());
    for a in acts {
        let ab = s.mitigation(a, ty);
        let before = cum;
        cum += ab;
        let needed_here = needed > Decimal::ZERO && before < needed;
        if needed_here && cum >= needed && threshold == PriceThreshold::Indeterminate {
            threshold = PriceThreshold::Price(a.cost_per_t);
        }
        steps.push(MaccStep {
            activity: a.id.clone(),
            cost_per_t: a.cost_per_t,
            abatement: ab,
            cumulative: cum,
            needed: needed_here,
        });
    }
    Macc {
        needed,
        steps,
        threshold,
    }
}

impl Macc {
    /// Would the MACC rule allow authorizing a measure of this cost? Only measures costlier
    /// than p*; with an indeterminate p*, none (never a silent pass).
    pub fn allows(&self, cost: Decimal) -> bool {
        match self.threshold {
            PriceThreshold::NoneNeeded => true,
            PriceThreshold::Price(p) => cost > p,
            PriceThreshold::Indeterminate => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn examplestan_is_indeterminate_and_order_follows_cost() {
        // in-scope measures at 2030: small-hydro 60 kt at 3, cookstoves 90 kt at 8;
        // A* = 780 kt > 150 kt → p* undefined.
        let s = crate::scenario::load_str(
            "x.toml",
            include_str!("../../tests/fixtures/valid/examplestan.toml"),
        )
        .expect("valid");
        let m = build(&s, dec!(780000));
        assert_eq!(
            m.steps
                .iter()
                .map(|x| x.activity.as_str())
                .collect::<Vec<_>>(),
            ["small-hydro", "cookstoves"]
        );
        assert_eq!(m.steps[1].cumulative, dec!(150000));
        assert_eq!(m.threshold, PriceThreshold::Indeterminate);
        assert!(!m.allows(dec!(100)));
        // needing 100 kt: small hydro (60) is not enough, cookstoves (cum 150) reach it → p* = 8
        let m = build(&s, dec!(100000));
        assert_eq!(m.threshold, PriceThreshold::Price(dec!(8)));
        assert!(m.steps[0].needed && m.steps[1].needed);
        assert!(!m.allows(dec!(8)) && m.allows(dec!(8.01)));
        let m = build(&s, dec!(0));
        assert_eq!(m.threshold, PriceThreshold::NoneNeeded);
    }
}
