//! CA methods (§5), NDC kinds and targets, and the averaging denominators (§5.1).
//!
//! One method per Party for the whole NDC period. Single-year NDCs may use
//! `SingleYearTrajectory` or `SingleYearAveraging`; multi-year NDCs `MultiYearTrajectory` or
//! `MultiYearBudget`. Anything else is a typed error ([`check_method`]).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::error::AccountingError;
use super::period::NdcPeriod;
use super::{YearSeries, check_quantity, check_series, required};

/// Single-year NDC (target for one year T) or multi-year NDC (trajectory or budget).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NdcKind {
    SingleYear,
    MultiYear,
}

/// Corresponding-adjustment method (§5 table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaMethod {
    /// CA(t) = FTv(t) − U(t); EB(t) ≤ Traj(t) for every t ∈ P.
    MultiYearTrajectory,
    /// CA(t) = FTv(t) − U(t); Σ EB(t) ≤ Budget.
    MultiYearBudget,
    /// CA(t) = FTv(t) − U(t); EB(T) ≤ Target(T) binding, EB(t) vs Traj(t) for t < T a warning.
    SingleYearTrajectory,
    /// CA(T) = A_final = (Σ FT − Σ U)/N applied in T only; EB(T) ≤ Target(T).
    SingleYearAveraging,
}

impl CaMethod {
    /// The NDC kind this method belongs to.
    pub fn ndc_kind(self) -> NdcKind {
        match self {
            Self::MultiYearTrajectory | Self::MultiYearBudget => NdcKind::MultiYear,
            Self::SingleYearTrajectory | Self::SingleYearAveraging => NdcKind::SingleYear,
        }
    }

    /// Methods allowed for `kind`.
    pub fn allowed_for(kind: NdcKind) -> [CaMethod; 2] {
        match kind {
            NdcKind::SingleYear => [Self::SingleYearAveraging, Self::SingleYearTrajectory],
            NdcKind::MultiYear => [Self::MultiYearTrajectory, Self::MultiYearBudget],
        }
    }

    /// Default method for `kind` (§11 `ca_method`).
    pub fn default_for(kind: NdcKind) -> CaMethod {
        match kind {
            NdcKind::SingleYear => Self::SingleYearAveraging,
            NdcKind::MultiYear => Self::MultiYearTrajectory,
        }
    }

    /// True for `SingleYearAveraging`.
    pub fn is_averaging(self) -> bool {
        self == Self::SingleYearAveraging
    }
}

/// The NDC's target, as communicated (and locked at the first first-transfer, §5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum NdcTarget {
    /// Target(T) for the last year of the period, with the indicative trajectory (Table 4
    /// row 3) if one was communicated (required by `SingleYearTrajectory`).
    SingleYear {
        target: Decimal,
        indicative_trajectory: Option<YearSeries>,
    },
    /// Binding trajectory Traj(t) for every t ∈ P (Table 4 row 4).
    MultiYearTrajectory { trajectory: YearSeries },
    /// Binding budget over P (Table 4 row 4).
    MultiYearBudget { budget: Decimal },
}

impl NdcTarget {
    /// Single-year or multi-year.
    pub fn kind(&self) -> NdcKind {
        match self {
            Self::SingleYear { .. } => NdcKind::SingleYear,
            _ => NdcKind::MultiYear,
        }
    }
}

/// What a method checks against, resolved from the target.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Limit {
    /// Binding per-year trajectory over P (MultiYearTrajectory).
    Trajectory(YearSeries),
    /// Budget over P (MultiYearBudget; from a trajectory target the budget is Σ Traj).
    Budget(Decimal),
    /// Binding Target(T) with indicative per-year trajectory (SingleYearTrajectory).
    SingleYearWithTrajectory {
        target: Decimal,
        indicative: YearSeries,
    },
    /// Binding Target(T) (SingleYearAveraging).
    SingleYear(Decimal),
}

/// Checks that `method` is allowed for the NDC `target` (§5): error if the kinds differ or
/// the target lacks what the method needs.
pub fn check_method(target: &NdcTarget, method: CaMethod) -> Result<(), AccountingError> {
    let kind = target.kind();
    if method.ndc_kind() != kind {
        return Err(AccountingError::MethodNotAllowed {
            method,
            kind,
            allowed: CaMethod::allowed_for(kind),
        });
    }
    match (target, method) {
        (
            NdcTarget::SingleYear {
                indicative_trajectory: None,
                ..
            },
            CaMethod::SingleYearTrajectory,
        ) => Err(AccountingError::TargetMismatch {
            method,
            needs: "an indicative trajectory for every year of the period",
            fix: "communicate the indicative trajectory (it must exist by the first transfer) or use SingleYearAveraging",
        }),
        (NdcTarget::MultiYearBudget { .. }, CaMethod::MultiYearTrajectory) => {
            Err(AccountingError::TargetMismatch {
                method,
                needs: "a per-year trajectory",
                fix: "give the NDC as a trajectory or use MultiYearBudget",
            })
        }
        _ => Ok(()),
    }
}

/// Resolves the limit the method checks against; validates completeness over P.
pub(crate) fn resolve_limit(
    period: &NdcPeriod,
    target: &NdcTarget,
    method: CaMethod,
) -> Result<Limit, AccountingError> {
    check_method(target, method)?;
    let full_trajectory = |traj: &YearSeries, name: &'static str| {
        check_series(traj, name)?;
        let mut out = YearSeries::new();
        for t in period.years() {
            out.insert(t, required(traj, name, t)?);
        }
        Ok::<_, AccountingError>(out)
    };
    match (target, method) {
        (NdcTarget::MultiYearTrajectory { trajectory }, CaMethod::MultiYearTrajectory) => Ok(
            Limit::Trajectory(full_trajectory(trajectory, "trajectory Traj(t)")?),
        ),
        (NdcTarget::MultiYearTrajectory { trajectory }, _) => {
            let full = full_trajectory(trajectory, "trajectory Traj(t)")?;
            Ok(Limit::Budget(full.values().copied().sum()))
        }
        (NdcTarget::MultiYearBudget { budget }, _) => {
            check_quantity(*budget, "budget", None)?;
            Ok(Limit::Budget(*budget))
        }
        (
            NdcTarget::SingleYear {
                target,
                indicative_trajectory: Some(traj),
            },
            CaMethod::SingleYearTrajectory,
        ) => {
            check_quantity(*target, "target Target(T)", Some(period.target_year()))?;
            let mut indicative = YearSeries::new();
            for t in period.years().filter(|&t| t < period.target_year()) {
                indicative.insert(t, required(traj, "indicative trajectory Traj(t)", t)?);
            }
            check_series(&indicative, "indicative trajectory Traj(t)")?;
            Ok(Limit::SingleYearWithTrajectory {
                target: *target,
                indicative,
            })
        }
        (NdcTarget::SingleYear { target, .. }, _) => {
            check_quantity(*target, "target Target(T)", Some(period.target_year()))?;
            Ok(Limit::SingleYear(*target))
        }
    }
}

/// Denominator d of an averaging adjustment (§5.1). Numerator and denominator always cover
/// the same window of years: see [`AveragingDenominator::window_end`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AveragingDenominator {
    /// d = N. Default for A_final. For an interim value at k this is the running A_final
    /// (amount so far ÷ N): numerator window t0..=k.
    PeriodYears,
    /// d = n(k), elapsed years. Default for A_interim (Table 4 row 11).
    ElapsedYears,
    /// d = years up to the latest inventory year reported; numerator window t0..=min(k, latest).
    InventoryYears { latest_year: i32 },
}

impl AveragingDenominator {
    /// Last year of the numerator window when reporting at year k.
    pub fn window_end(self, k: i32) -> i32 {
        match self {
            Self::PeriodYears | Self::ElapsedYears => k,
            Self::InventoryYears { latest_year } => latest_year.min(k),
        }
    }

    /// d for reporting year k ∈ P.
    pub fn years(self, period: &NdcPeriod, k: i32) -> Result<u32, AccountingError> {
        period.require(k)?;
        match self {
            Self::PeriodYears => Ok(period.len()),
            Self::ElapsedYears => period.elapsed_years(k),
            Self::InventoryYears { .. } => period.elapsed_years(self.window_end(k)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_year_ndc_rejects_multi_year_methods() {
        let target = NdcTarget::SingleYear {
            target: Decimal::from(90),
            indicative_trajectory: None,
        };
        assert!(check_method(&target, CaMethod::SingleYearAveraging).is_ok());
        let err = check_method(&target, CaMethod::MultiYearBudget).unwrap_err();
        assert!(matches!(err, AccountingError::MethodNotAllowed { .. }));
        assert!(err.to_string().contains("SingleYearAveraging"));
        // a single-year trajectory needs the indicative trajectory
        assert!(matches!(
            check_method(&target, CaMethod::SingleYearTrajectory),
            Err(AccountingError::TargetMismatch { .. })
        ));
    }

    #[test]
    fn multi_year_ndc_rejects_single_year_methods_and_budget_cannot_be_a_trajectory() {
        let budget = NdcTarget::MultiYearBudget {
            budget: Decimal::from(945),
        };
        assert!(check_method(&budget, CaMethod::MultiYearBudget).is_ok());
        assert!(check_method(&budget, CaMethod::SingleYearAveraging).is_err());
        assert!(check_method(&budget, CaMethod::MultiYearTrajectory).is_err());
    }

    #[test]
    fn denominators_at_period_end_all_equal_n() {
        let p = NdcPeriod::new(2021, 2030).unwrap();
        for d in [
            AveragingDenominator::PeriodYears,
            AveragingDenominator::ElapsedYears,
            AveragingDenominator::InventoryYears { latest_year: 2030 },
        ] {
            assert_eq!(d.years(&p, 2030).unwrap(), 10);
        }
        assert_eq!(
            AveragingDenominator::ElapsedYears.years(&p, 2024).unwrap(),
            4
        );
        assert_eq!(
            AveragingDenominator::PeriodYears.years(&p, 2024).unwrap(),
            10
        );
        let inv = AveragingDenominator::InventoryYears { latest_year: 2022 };
        assert_eq!(inv.years(&p, 2024).unwrap(), 2);
        assert_eq!(inv.window_end(2024), 2022);
    }
}
