//! Emissions balance and corresponding adjustments per method (§3, §5, §5.1).
//!
//! ```text
//! EB(t) = E(t) + CA(t)                                  (§3)
//! trajectory / budget methods:  CA(t) = FTv(t) − U(t)   (R3.1 vintage year, R3.2 use year)
//! SingleYearAveraging:          CA(T) = A_final = (Σ_{t∈P} FTv − Σ_{t∈P} U) / N, CA(t<T) = 0
//! A_interim(k) = (Σ_{t0..w} FT − Σ_{t0..w} U) / d(k)    w = window end of the denominator (§5.1)
//! ```
//!
//! Only vintages and use years inside P count (§5.1 numerator default, §5.3 no carry-over);
//! years outside P are listed in [`BalanceReport::ignored_outside_period`], never silently lost.
//! FTv and U are NDC-scope quantities (see [`super::outside`] for identified outside categories).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::error::AccountingError;
use super::method::{AveragingDenominator, CaMethod, Limit, NdcTarget, resolve_limit};
use super::period::NdcPeriod;
use super::{UnitSeries, YearSeries, check_series, check_units, required, units};

/// Inputs of an emissions-balance evaluation for one Party.
#[derive(Debug, Clone, Copy)]
pub struct BalanceInputs<'a> {
    /// NDC period P.
    pub period: NdcPeriod,
    /// The Party's CA method (one for the whole period).
    pub method: CaMethod,
    /// The NDC target (trajectory, budget or Target(T)).
    pub target: &'a NdcTarget,
    /// E(t): NDC-covered emissions net of removals, a value for every t ∈ P.
    pub emissions: &'a YearSeries,
    /// FTv(t): first-transferred units keyed by vintage.
    pub first_transferred_by_vintage: &'a UnitSeries,
    /// U(t): units used towards the Party's own NDC, keyed by use year.
    pub used_by_use_year: &'a UnitSeries,
}

/// Verdict for one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum YearVerdict {
    /// EB(t) ≤ binding limit.
    Pass,
    /// EB(t) > binding limit.
    Fail,
    /// Indicative year (SingleYearTrajectory, t < T) with EB(t) > Traj(t): a warning, not a failure.
    Warning,
    /// Indicative year within its trajectory.
    IndicativeMet,
    /// No per-year check for this method and year (budget years, averaging years before T).
    NotChecked,
}

/// One year of the emissions balance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearBalance {
    pub year: i32,
    /// E(t).
    pub emissions: Decimal,
    /// CA(t) (positive = addition by a transferring Party).
    pub corresponding_adjustment: Decimal,
    /// EB(t) = E(t) + CA(t).
    pub emissions_balance: Decimal,
    /// The limit EB(t) is compared with (binding or indicative), if any.
    pub limit: Option<Decimal>,
    pub verdict: YearVerdict,
}

/// Budget check of `MultiYearBudget`: Σ EB(t) ≤ Budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetCheck {
    pub total_balance: Decimal,
    pub budget: Decimal,
    pub pass: bool,
}

/// Overall verdict over the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OverallVerdict {
    Pass,
    /// Binding checks pass but an indicative year exceeds its trajectory.
    PassWithWarnings,
    Fail,
}

/// Result of [`emissions_balance`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BalanceReport {
    pub method: CaMethod,
    /// One entry per t ∈ P, ascending.
    pub years: Vec<YearBalance>,
    /// A_final (averaging only).
    pub averaging_final: Option<Decimal>,
    /// Σ_{t∈P} CA(t) (the cumulative CA reported at period end).
    pub cumulative_ca: Decimal,
    /// Budget check (MultiYearBudget only).
    pub budget: Option<BudgetCheck>,
    pub verdict: OverallVerdict,
    /// Years of FTv or U outside P that were not counted (belong to another period).
    pub ignored_outside_period: Vec<i32>,
}

/// Averaging adjustment over the window t0..=w ending at reporting year k (§5.1):
/// `(Σ_{t0..=w} ft − Σ_{t0..=w} used) / d`, with w and d from `denominator`.
/// A_final = `averaging_adjustment(P, FTv, U, T, PeriodYears)`; A_interim(k) uses
/// `ElapsedYears` (default) and Table 4 passes event-keyed FTe.
pub fn averaging_adjustment(
    period: &NdcPeriod,
    first_transferred: &UnitSeries,
    used: &UnitSeries,
    k: i32,
    denominator: AveragingDenominator,
) -> Result<Decimal, AccountingError> {
    check_units(first_transferred, "first-transferred units")?;
    check_units(used, "used units")?;
    let d = denominator.years(period, k)?;
    let end = denominator.window_end(k);
    let numerator: Decimal = (period.first()..=end)
        .map(|t| units(first_transferred, t) - units(used, t))
        .sum();
    Ok(numerator / Decimal::from(d))
}

/// CA(t) for every t ∈ P under `method` (§5): FTv(t) − U(t), or for averaging 0 before T and
/// A_final in T.
pub fn corresponding_adjustment(
    period: &NdcPeriod,
    method: CaMethod,
    first_transferred_by_vintage: &UnitSeries,
    used_by_use_year: &UnitSeries,
) -> Result<YearSeries, AccountingError> {
    check_units(
        first_transferred_by_vintage,
        "first-transferred units FTv(t)",
    )?;
    check_units(used_by_use_year, "used units U(t)")?;
    let t_end = period.target_year();
    if method.is_averaging() {
        let a_final = averaging_adjustment(
            period,
            first_transferred_by_vintage,
            used_by_use_year,
            t_end,
            AveragingDenominator::PeriodYears,
        )?;
        Ok(period
            .years()
            .map(|t| (t, if t == t_end { a_final } else { Decimal::ZERO }))
            .collect())
    } else {
        Ok(period
            .years()
            .map(|t| {
                (
                    t,
                    units(first_transferred_by_vintage, t) - units(used_by_use_year, t),
                )
            })
            .collect())
    }
}

/// Emissions balance EB(t) = E(t) + CA(t) for every t ∈ P with per-year and overall verdicts
/// (§3, §5 "Binding check" column).
pub fn emissions_balance(inputs: BalanceInputs<'_>) -> Result<BalanceReport, AccountingError> {
    let BalanceInputs {
        period,
        method,
        target,
        emissions,
        first_transferred_by_vintage: ftv,
        used_by_use_year: used,
    } = inputs;
    let limit = resolve_limit(&period, target, method)?;
    check_series(emissions, "emissions E(t)")?;
    let ca = corresponding_adjustment(&period, method, ftv, used)?;
    let t_end = period.target_year();

    let mut years = Vec::with_capacity(ca.len());
    let mut any_fail = false;
    let mut any_warning = false;
    for (&t, &ca_t) in &ca {
        let e = required(emissions, "emissions E(t)", t)?;
        let eb = e + ca_t;
        let (lim, verdict) = match &limit {
            Limit::Trajectory(traj) => {
                let l = required(traj, "trajectory Traj(t)", t)?;
                (Some(l), pass_fail(eb, l))
            }
            Limit::Budget(_) => (None, YearVerdict::NotChecked),
            Limit::SingleYearWithTrajectory { target, indicative } => {
                if t == t_end {
                    (Some(*target), pass_fail(eb, *target))
                } else {
                    let l = required(indicative, "indicative trajectory Traj(t)", t)?;
                    let v = if eb <= l {
                        YearVerdict::IndicativeMet
                    } else {
                        YearVerdict::Warning
                    };
                    (Some(l), v)
                }
            }
            Limit::SingleYear(target) => {
                if t == t_end {
                    (Some(*target), pass_fail(eb, *target))
                } else {
                    (None, YearVerdict::NotChecked)
                }
            }
        };
        any_fail |= verdict == YearVerdict::Fail;
        any_warning |= verdict == YearVerdict::Warning;
        years.push(YearBalance {
            year: t,
            emissions: e,
            corresponding_adjustment: ca_t,
            emissions_balance: eb,
            limit: lim,
            verdict,
        });
    }

    let budget = match &limit {
        Limit::Budget(b) => {
            let total: Decimal = years.iter().map(|y| y.emissions_balance).sum();
            let pass = total <= *b;
            any_fail |= !pass;
            Some(BudgetCheck {
                total_balance: total,
                budget: *b,
                pass,
            })
        }
        _ => None,
    };

    let mut ignored: Vec<i32> = ftv
        .iter()
        .chain(used.iter())
        .filter(|&(&t, &q)| q > 0 && !period.contains(t))
        .map(|(&t, _)| t)
        .collect();
    ignored.sort_unstable();
    ignored.dedup();

    let verdict = if any_fail {
        OverallVerdict::Fail
    } else if any_warning {
        OverallVerdict::PassWithWarnings
    } else {
        OverallVerdict::Pass
    };
    Ok(BalanceReport {
        method,
        averaging_final: method.is_averaging().then(|| ca[&t_end]),
        cumulative_ca: ca.values().copied().sum(),
        years,
        budget,
        verdict,
        ignored_outside_period: ignored,
    })
}

fn pass_fail(eb: Decimal, limit: Decimal) -> YearVerdict {
    if eb <= limit {
        YearVerdict::Pass
    } else {
        YearVerdict::Fail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interim_average_uses_same_window_for_numerator_and_denominator() {
        // 2021–2030; 3 units first-transferred in each of 2021..=2024, nothing used.
        let p = NdcPeriod::new(2021, 2030).unwrap();
        let ft: UnitSeries = (2021..=2024).map(|t| (t, 3)).collect();
        let none = UnitSeries::new();
        // ElapsedYears at 2024: 12 / 4 = 3
        let a =
            averaging_adjustment(&p, &ft, &none, 2024, AveragingDenominator::ElapsedYears).unwrap();
        assert_eq!(a, Decimal::from(3));
        // InventoryYears(latest 2022) at 2024: (3+3) / 2 = 3, not 12 / 2 (the calculator bug)
        let inv = AveragingDenominator::InventoryYears { latest_year: 2022 };
        assert_eq!(
            averaging_adjustment(&p, &ft, &none, 2024, inv).unwrap(),
            Decimal::from(3)
        );
        // PeriodYears at 2024: 12 / 10 = 1.2
        assert_eq!(
            averaging_adjustment(&p, &ft, &none, 2024, AveragingDenominator::PeriodYears).unwrap(),
            Decimal::new(12, 1)
        );
    }

    #[test]
    fn units_outside_the_period_are_reported_not_counted() {
        let p = NdcPeriod::new(2021, 2022).unwrap();
        let target = NdcTarget::MultiYearBudget {
            budget: Decimal::from(10),
        };
        let e: YearSeries = [(2021, Decimal::from(5)), (2022, Decimal::from(5))].into();
        let ftv: UnitSeries = [(2020, 7), (2022, 1)].into();
        let r = emissions_balance(BalanceInputs {
            period: p,
            method: CaMethod::MultiYearBudget,
            target: &target,
            emissions: &e,
            first_transferred_by_vintage: &ftv,
            used_by_use_year: &UnitSeries::new(),
        })
        .unwrap();
        assert_eq!(r.ignored_outside_period, vec![2020]);
        assert_eq!(r.budget.unwrap().total_balance, Decimal::from(11));
        assert_eq!(r.verdict, OverallVerdict::Fail);
    }

    #[test]
    fn missing_emissions_year_is_a_typed_error() {
        let p = NdcPeriod::new(2021, 2022).unwrap();
        let target = NdcTarget::SingleYear {
            target: Decimal::from(10),
            indicative_trajectory: None,
        };
        let e: YearSeries = [(2021, Decimal::from(5))].into();
        let err = emissions_balance(BalanceInputs {
            period: p,
            method: CaMethod::SingleYearAveraging,
            target: &target,
            emissions: &e,
            first_transferred_by_vintage: &UnitSeries::new(),
            used_by_use_year: &UnitSeries::new(),
        })
        .unwrap_err();
        assert_eq!(
            err,
            AccountingError::MissingYear {
                series: "emissions E(t)",
                year: 2022
            }
        );
    }
}
