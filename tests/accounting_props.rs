//! Property tests of the accounting module: headroom monotonicity, tightness of the inverse
//! (max transferable), the Table 4 period-end identity and the issuance waterfall.

use ndc_workbench::accounting::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn series(start: i32, v: &[u32]) -> YearSeries {
    v.iter()
        .enumerate()
        .map(|(i, &x)| (start + i as i32, Decimal::from(x)))
        .collect()
}

fn unit_series(start: i32, v: &[u32]) -> UnitSeries {
    v.iter()
        .enumerate()
        .map(|(i, &x)| (start + i as i32, u64::from(x)))
        .collect()
}

/// Period length n, emissions, trajectory, uses, already first-transferred, supply caps.
type Scenario = (usize, Vec<u32>, Vec<u32>, Vec<u32>, Vec<u32>, Vec<u32>);

fn scenario() -> impl Strategy<Value = Scenario> {
    (1usize..=10).prop_flat_map(|n| {
        (
            Just(n),
            proptest::collection::vec(0u32..1000, n),
            proptest::collection::vec(0u32..1000, n),
            proptest::collection::vec(0u32..50, n),
            proptest::collection::vec(0u32..50, n),
            proptest::collection::vec(0u32..200, n),
        )
    })
}

fn targets(traj: &YearSeries, period: &NdcPeriod) -> Vec<(CaMethod, NdcTarget)> {
    let t_end = period.target_year();
    vec![
        (
            CaMethod::MultiYearTrajectory,
            NdcTarget::MultiYearTrajectory {
                trajectory: traj.clone(),
            },
        ),
        (
            CaMethod::MultiYearBudget,
            NdcTarget::MultiYearBudget {
                budget: traj.values().copied().sum(),
            },
        ),
        (
            CaMethod::SingleYearTrajectory,
            NdcTarget::SingleYear {
                target: traj[&t_end],
                indicative_trajectory: Some(traj.clone()),
            },
        ),
        (
            CaMethod::SingleYearAveraging,
            NdcTarget::SingleYear {
                target: traj[&t_end],
                indicative_trajectory: None,
            },
        ),
    ]
}

proptest! {
    #[test]
    fn lower_emissions_never_lower_headroom(
        (n, e, traj, used, _already, cut) in scenario(),
    ) {
        let period = NdcPeriod::new(2021, 2021 + n as i32 - 1).unwrap();
        let e_hi = series(2021, &e);
        let e_lo: YearSeries = e_hi
            .iter()
            .zip(cut.iter())
            .map(|((&t, &x), &c)| (t, x - Decimal::from(c)))
            .collect();
        let traj = series(2021, &traj);
        let used = unit_series(2021, &used);
        for (method, target) in targets(&traj, &period) {
            let hi = headroom(&period, method, &target, &e_hi, &used).unwrap();
            let lo = headroom(&period, method, &target, &e_lo, &used).unwrap();
            prop_assert!(lo.total >= hi.total, "{method:?}");
            prop_assert!(lo.binding_total >= hi.binding_total, "{method:?}");
            for (a, b) in lo.per_year.iter().zip(hi.per_year.iter()) {
                prop_assert!(a.max_first_transfer >= b.max_first_transfer);
            }
        }
    }

    #[test]
    fn larger_buffer_never_raises_sellable(
        total in 0u64..1_000_000,
        already in 0u64..1_000_000,
        b1 in 0u32..=100,
        b2 in 0u32..=100,
    ) {
        let (lo, hi) = (b1.min(b2), b1.max(b2));
        let t = Decimal::from(total);
        let s_lo = sellable(t, Decimal::new(i64::from(lo), 2), already).unwrap();
        let s_hi = sellable(t, Decimal::new(i64::from(hi), 2), already).unwrap();
        prop_assert!(s_hi <= s_lo);
        prop_assert!(
            sellable_units(t, Decimal::new(i64::from(hi), 2), already).unwrap()
                <= sellable_units(t, Decimal::new(i64::from(lo), 2), already).unwrap()
        );
    }

    /// The inverse is tight: transferring the plan passes every check (no warnings either);
    /// when the headroom binds, one more unit of any vintage with supply left fails.
    #[test]
    fn max_transferable_with_caps_is_tight(
        (n, e, traj, used, already, caps) in scenario(),
    ) {
        let period = NdcPeriod::new(2021, 2021 + n as i32 - 1).unwrap();
        let e = series(2021, &e);
        let traj = series(2021, &traj);
        let used = unit_series(2021, &used);
        let caps = unit_series(2021, &caps);
        // keep `already` feasible so that the only question is the new transfers
        for (method, target) in targets(&traj, &period) {
            let h = headroom(&period, method, &target, &e, &used).unwrap();
            let already = unit_series(2021, &already);
            let base = emissions_balance(BalanceInputs {
                period,
                method,
                target: &target,
                emissions: &e,
                first_transferred_by_vintage: &already,
                used_by_use_year: &used,
            })
            .unwrap();
            if base.verdict != OverallVerdict::Pass {
                continue;
            }
            let plan = max_transferable(
                &period,
                &h,
                Decimal::ZERO,
                &already,
                &TransferProfile::PerVintageCap(caps.clone()),
            )
            .unwrap();
            let mut ftv = already.clone();
            let mut sum = 0u64;
            for (&t, &x) in &plan.by_vintage {
                let x = u64::try_from(x.mantissa()).unwrap() / 10u64.pow(x.scale());
                sum += x;
                *ftv.entry(t).or_insert(0) += x;
            }
            prop_assert_eq!(sum, plan.total);
            let check = |ftv: &UnitSeries| {
                emissions_balance(BalanceInputs {
                    period,
                    method,
                    target: &target,
                    emissions: &e,
                    first_transferred_by_vintage: ftv,
                    used_by_use_year: &used,
                })
                .unwrap()
                .verdict
            };
            prop_assert_eq!(check(&ftv), OverallVerdict::Pass, "{:?} plan {:?}", method, plan);
            if plan.limited_by == PlanLimit::Headroom {
                for (&t, &cap) in &caps {
                    let taken = ftv.get(&t).copied().unwrap_or(0) - already.get(&t).copied().unwrap_or(0);
                    if taken < cap {
                        let mut more = ftv.clone();
                        *more.entry(t).or_insert(0) += 1;
                        prop_assert_ne!(check(&more), OverallVerdict::Pass, "{:?} vintage {}", method, t);
                    }
                }
            } else {
                prop_assert_eq!(plan.total, caps.values().sum::<u64>());
            }
        }
    }

    /// Shares: X fits the protected target, X + 1 does not (exact Decimal check of §5.2).
    #[test]
    fn max_transferable_with_shares_is_tight(
        (n, e, traj, used, already, w) in scenario(),
        buffer in 0u32..=50,
    ) {
        prop_assume!(w.iter().any(|&x| x > 0));
        let period = NdcPeriod::new(2021, 2021 + n as i32 - 1).unwrap();
        let e = series(2021, &e);
        let traj = series(2021, &traj);
        let used = unit_series(2021, &used);
        let already = unit_series(2021, &already);
        let shares: YearSeries = w
            .iter()
            .enumerate()
            .map(|(i, &x)| (2021 + i as i32, Decimal::from(x) / Decimal::from(200)))
            .collect();
        let w_sum: Decimal = shares.values().copied().sum();
        let b = Decimal::new(i64::from(buffer), 2);
        let keep = Decimal::ONE - b;
        for (method, target) in targets(&traj, &period) {
            let h = headroom(&period, method, &target, &e, &used).unwrap();
            let plan = max_transferable(
                &period,
                &h,
                b,
                &already,
                &TransferProfile::VintageShares(shares.clone()),
            )
            .unwrap();
            let fits = |x: u64| {
                let x = Decimal::from(x);
                if h.is_per_year() {
                    h.per_year.iter().all(|r| {
                        let w = shares[&r.year];
                        let room = (r.max_first_transfer * keep
                            - Decimal::from(already[&r.year]))
                        .max(Decimal::ZERO);
                        w.is_zero() || x * w <= room * w_sum
                    })
                } else {
                    let a: u64 = already.values().sum();
                    x <= (h.total * keep - Decimal::from(a)).max(Decimal::ZERO)
                }
            };
            prop_assert!(fits(plan.total), "{method:?}");
            prop_assert!(!fits(plan.total + 1), "{method:?}");
        }
    }

    /// At period end, with every vintage, event and use year in P, Σ row 12 = row 13(T)
    /// under the trajectory and budget methods.
    #[test]
    fn table4_sum_of_row12_equals_final_cumulative(
        n in 1usize..=10,
        transfers in proptest::collection::vec((0usize..10, 0usize..10, any::<bool>(), 1u32..100), 0..30),
        uses in proptest::collection::vec((0usize..10, 1u32..100), 0..10),
    ) {
        let period = NdcPeriod::new(2021, 2021 + n as i32 - 1).unwrap();
        let year = |i: usize| 2021 + (i % n) as i32;
        let (mut ndc, mut oimp, mut ftv, mut used) =
            (UnitSeries::new(), UnitSeries::new(), UnitSeries::new(), UnitSeries::new());
        for &(v, ev, is_ndc, q) in &transfers {
            // event year never before the vintage
            let (v, ev) = (year(v), year(ev).max(year(v)));
            *ftv.entry(v).or_insert(0) += u64::from(q);
            let target = if is_ndc { &mut ndc } else { &mut oimp };
            *target.entry(ev).or_insert(0) += u64::from(q);
        }
        for &(t, q) in &uses {
            *used.entry(year(t)).or_insert(0) += u64::from(q);
        }
        let e: YearSeries = period.years().map(|t| (t, Decimal::from(100))).collect();
        for method in [CaMethod::MultiYearTrajectory, CaMethod::MultiYearBudget, CaMethod::SingleYearTrajectory] {
            let rows = table4_rows(Table4Inputs {
                period,
                method,
                emissions: &e,
                first_transferred_ndc_by_event: &ndc,
                first_transferred_oimp_by_event: &oimp,
                used_by_use_year: &used,
                first_transferred_by_vintage: &ftv,
                interim_denominator: AveragingDenominator::ElapsedYears,
            })
            .unwrap();
            let sum12: Decimal = rows.iter().map(|r| r.row12_corresponding_adjustment).sum();
            let last = rows.last().unwrap();
            prop_assert_eq!(sum12, Decimal::from(last.row13_cumulative));
            for r in &rows {
                prop_assert_eq!(r.row14_emissions_balance, r.row5_emissions + r.row12_corresponding_adjustment);
            }
        }
    }

    #[test]
    fn waterfall_legs_sum_to_issuance_and_meet_minimum_shares(
        issued in 0u64..10_000_000,
        sop_pct in 0i64..=20,
        omge_pct in 0i64..=20,
        rounding in prop_oneof![Just(LevyRounding::Up), Just(LevyRounding::Down), Just(LevyRounding::Nearest)],
    ) {
        let shares = LevyShares::new(Decimal::new(sop_pct, 2), Decimal::new(omge_pct, 2)).unwrap();
        let w = issuance_waterfall(issued, shares, rounding).unwrap();
        prop_assert_eq!(w.share_of_proceeds + w.omge_cancelled + w.holder, issued);
        let i = Decimal::from(issued);
        if rounding == LevyRounding::Up {
            prop_assert!(Decimal::from(w.share_of_proceeds) >= i * shares.sop());
            prop_assert!(Decimal::from(w.omge_cancelled) >= i * shares.omge());
            // and by less than one unit each
            prop_assert!(Decimal::from(w.share_of_proceeds) < i * shares.sop() + Decimal::ONE);
        }
        prop_assert_eq!(w.ca_quantity(CaBasis::AfterSop), issued - w.share_of_proceeds);
    }
}
