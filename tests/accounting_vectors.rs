//! Test vectors TV-1 … TV-6 of `domain/article6-rules.md` §12 and the rules they exercise.
//! Every expected number is computed by hand from the rules doc and written out here.

use std::collections::BTreeMap;

use ndc_workbench::accounting::waterfall::authorized_first_transfers;
use ndc_workbench::accounting::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const MT: i64 = 1_000_000;

fn p2021_2030() -> NdcPeriod {
    NdcPeriod::new(2021, 2030).unwrap()
}

/// Mt → t as Decimal.
fn mt(x: i64) -> Decimal {
    Decimal::from(x * MT)
}

/// TV-1 base data: Traj(t) = 99, 98, …, 90 Mt; E(t) = 97, 96, …, 88 Mt.
fn tv1_trajectory() -> YearSeries {
    (0..10).map(|i| (2021 + i, mt(99 - i as i64))).collect()
}
fn tv1_emissions() -> YearSeries {
    (0..10).map(|i| (2021 + i, mt(97 - i as i64))).collect()
}
fn single_year_target() -> NdcTarget {
    NdcTarget::SingleYear {
        target: mt(90),
        indicative_trajectory: Some(tv1_trajectory()),
    }
}

fn eval(
    method: CaMethod,
    target: &NdcTarget,
    e: &YearSeries,
    ftv: &UnitSeries,
    used: &UnitSeries,
) -> BalanceReport {
    emissions_balance(BalanceInputs {
        period: p2021_2030(),
        method,
        target,
        emissions: e,
        first_transferred_by_vintage: ftv,
        used_by_use_year: used,
    })
    .unwrap()
}

fn year(r: &BalanceReport, t: i32) -> &YearBalance {
    r.years.iter().find(|y| y.year == t).unwrap()
}

const M: u64 = 1_000_000;

#[test]
fn tv1_case_a_two_mt_each_year_passes_under_both_methods() {
    let ftv: UnitSeries = (2021..=2030).map(|t| (t, 2 * M)).collect();
    let none = UnitSeries::new();
    let target = single_year_target();
    let traj = eval(
        CaMethod::SingleYearTrajectory,
        &target,
        &tv1_emissions(),
        &ftv,
        &none,
    );
    for (i, y) in traj.years.iter().enumerate() {
        // EB(t) = E(t) + 2 = Traj(t)
        assert_eq!(y.emissions_balance, mt(99 - i as i64), "year {}", y.year);
    }
    assert_eq!(year(&traj, 2030).emissions_balance, mt(90));
    assert_eq!(traj.verdict, OverallVerdict::Pass);

    let avg = eval(
        CaMethod::SingleYearAveraging,
        &target,
        &tv1_emissions(),
        &ftv,
        &none,
    );
    // 88 + 20/10 = 90
    assert_eq!(avg.averaging_final, Some(mt(2)));
    assert_eq!(year(&avg, 2030).emissions_balance, mt(90));
    assert_eq!(year(&avg, 2025).corresponding_adjustment, Decimal::ZERO);
    assert_eq!(avg.verdict, OverallVerdict::Pass);

    // Multi-year trajectory on the same numbers: binding each year, all pass
    let multi = NdcTarget::MultiYearTrajectory {
        trajectory: tv1_trajectory(),
    };
    let m = eval(
        CaMethod::MultiYearTrajectory,
        &multi,
        &tv1_emissions(),
        &ftv,
        &none,
    );
    assert!(m.years.iter().all(|y| y.verdict == YearVerdict::Pass));
    assert_eq!(m.cumulative_ca, mt(20));
}

#[test]
fn tv1_case_b_twenty_mt_of_vintage_2030_fails_trajectory_passes_averaging() {
    let ftv: UnitSeries = [(2030, 20 * M)].into();
    let none = UnitSeries::new();
    let target = single_year_target();
    let traj = eval(
        CaMethod::SingleYearTrajectory,
        &target,
        &tv1_emissions(),
        &ftv,
        &none,
    );
    // EB(2030) = 88 + 20 = 108 > 90
    assert_eq!(year(&traj, 2030).emissions_balance, mt(108));
    assert_eq!(year(&traj, 2030).verdict, YearVerdict::Fail);
    assert_eq!(traj.verdict, OverallVerdict::Fail);

    let avg = eval(
        CaMethod::SingleYearAveraging,
        &target,
        &tv1_emissions(),
        &ftv,
        &none,
    );
    // 88 + 20/10 = 90
    assert_eq!(year(&avg, 2030).emissions_balance, mt(90));
    assert_eq!(avg.verdict, OverallVerdict::Pass);
}

#[test]
fn tv1_case_c_target_year_buyer_is_penalised_by_averaging() {
    let mut e = tv1_emissions();
    e.insert(2030, mt(91));
    let ftv = UnitSeries::new();
    let target = single_year_target();
    let used: UnitSeries = [(2030, M)].into();
    let traj = eval(CaMethod::SingleYearTrajectory, &target, &e, &ftv, &used);
    // 91 − 1 = 90
    assert_eq!(year(&traj, 2030).emissions_balance, mt(90));
    assert_eq!(traj.verdict, OverallVerdict::Pass);

    let avg = eval(CaMethod::SingleYearAveraging, &target, &e, &ftv, &used);
    // 91 − 1/10 = 90.9 > 90
    assert_eq!(year(&avg, 2030).emissions_balance, dec!(90_900_000));
    assert_eq!(avg.verdict, OverallVerdict::Fail);

    // needs 10: 91 − 10/10 = 90
    let used10: UnitSeries = [(2030, 10 * M)].into();
    let avg10 = eval(CaMethod::SingleYearAveraging, &target, &e, &ftv, &used10);
    assert_eq!(year(&avg10, 2030).emissions_balance, mt(90));
    assert_eq!(avg10.verdict, OverallVerdict::Pass);
}

#[test]
fn tv1_case_d_averaging_seller_and_trajectory_buyer_double_count_18_mt() {
    let target = single_year_target();
    let none = UnitSeries::new();
    let seller = eval(
        CaMethod::SingleYearAveraging,
        &target,
        &tv1_emissions(),
        &[(2030, 20 * M)].into(),
        &none,
    );
    let buyer = eval(
        CaMethod::SingleYearTrajectory,
        &target,
        &tv1_emissions(),
        &none,
        &[(2030, 20 * M)].into(),
    );
    let seller_ca = year(&seller, 2030).corresponding_adjustment;
    let buyer_ca = year(&buyer, 2030).corresponding_adjustment;
    assert_eq!(seller_ca, mt(2));
    assert_eq!(buyer_ca, mt(-20));
    // 20 counted by the buyer, only 2 added back by the seller: 18 Mt counted twice
    assert_eq!(-buyer_ca - seller_ca, mt(18));
}

#[test]
fn tv1_headroom_is_20_for_trajectory_averaging_and_budget() {
    let p = p2021_2030();
    let e = tv1_emissions();
    let none = UnitSeries::new();
    let traj = headroom(
        &p,
        CaMethod::MultiYearTrajectory,
        &NdcTarget::MultiYearTrajectory {
            trajectory: tv1_trajectory(),
        },
        &e,
        &none,
    )
    .unwrap();
    assert_eq!(traj.total, mt(20));
    assert!(traj.per_year.iter().all(|y| y.max_first_transfer == mt(2)));

    let avg = headroom(
        &p,
        CaMethod::SingleYearAveraging,
        &single_year_target(),
        &e,
        &none,
    )
    .unwrap();
    // 10 · (90 − 88)
    assert_eq!(avg.total, mt(20));

    let budget = headroom(
        &p,
        CaMethod::MultiYearBudget,
        &NdcTarget::MultiYearBudget { budget: mt(945) },
        &e,
        &none,
    )
    .unwrap();
    // 945 − 925
    assert_eq!(budget.total, mt(20));
    // a trajectory target evaluated with the budget method: budget = Σ Traj = 945
    let budget_from_traj = headroom(
        &p,
        CaMethod::MultiYearBudget,
        &NdcTarget::MultiYearTrajectory {
            trajectory: tv1_trajectory(),
        },
        &e,
        &none,
    )
    .unwrap();
    assert_eq!(budget_from_traj.total, mt(20));

    // single-year trajectory: binding FTmax(2030) = 90 − 88 = 2; indicative years 2 each
    let sy = headroom(
        &p,
        CaMethod::SingleYearTrajectory,
        &single_year_target(),
        &e,
        &none,
    )
    .unwrap();
    assert_eq!(sy.binding_total, mt(2));
    assert_eq!(sy.total, mt(20));
}

#[test]
fn sellable_applies_buffer_then_subtracts_already_transferred() {
    // 20 Mt · (1 − 0.1) − 5 Mt = 13 Mt
    assert_eq!(sellable(mt(20), dec!(0.1), 5 * M).unwrap(), mt(13));
    assert_eq!(sellable_units(mt(20), dec!(0.1), 5 * M).unwrap(), 13 * M);
    // oversold: 20 − 25 = −5 → 0 whole units sellable
    assert_eq!(sellable(mt(20), dec!(0), 25 * M).unwrap(), mt(-5));
    assert_eq!(sellable_units(mt(20), dec!(0), 25 * M).unwrap(), 0);
    assert!(matches!(
        sellable(mt(20), dec!(1.5), 0),
        Err(AccountingError::ShareOutOfRange { .. })
    ));
}

#[test]
fn max_transferable_fills_per_vintage_room_for_trajectory_and_pools_for_averaging() {
    let p = p2021_2030();
    let e = tv1_emissions();
    let none = UnitSeries::new();
    let traj = headroom(
        &p,
        CaMethod::MultiYearTrajectory,
        &NdcTarget::MultiYearTrajectory {
            trajectory: tv1_trajectory(),
        },
        &e,
        &none,
    )
    .unwrap();
    // supply 3 Mt in 2021 and 1 Mt in 2022; room is 2 Mt per vintage; 1 Mt of 2021 already sold
    let caps: UnitSeries = [(2021, 3 * M), (2022, M)].into();
    let already: UnitSeries = [(2021, M)].into();
    let plan = max_transferable(
        &p,
        &traj,
        Decimal::ZERO,
        &already,
        &TransferProfile::PerVintageCap(caps.clone()),
    )
    .unwrap();
    // 2021: room 2 − 1 = 1 Mt; 2022: min(1, 2) = 1 Mt → 2 Mt
    assert_eq!(plan.total, 2 * M);
    assert_eq!(plan.by_vintage[&2021], mt(1));
    assert_eq!(plan.by_vintage[&2022], mt(1));

    let avg = headroom(
        &p,
        CaMethod::SingleYearAveraging,
        &single_year_target(),
        &e,
        &none,
    )
    .unwrap();
    // pooled 20 Mt · (1 − 0.5) − 1 Mt = 9 Mt; supply 4 Mt → supply binds
    let plan = max_transferable(
        &p,
        &avg,
        dec!(0.5),
        &already,
        &TransferProfile::PerVintageCap(caps),
    )
    .unwrap();
    assert_eq!(plan.total, 4 * M);
    // all of it as vintage 2030 with equal weight: floor(9 Mt) → 9 Mt
    let shares: YearSeries = [(2030, dec!(1))].into();
    let plan = max_transferable(
        &p,
        &avg,
        dec!(0.5),
        &already,
        &TransferProfile::VintageShares(shares),
    )
    .unwrap();
    assert_eq!(plan.total, 9 * M);
}

#[test]
fn tv2_article_6_4_waterfall_and_cdm_comparison() {
    let w = issuance_waterfall(1000, LevyShares::article_6_4(), LevyRounding::Up).unwrap();
    assert_eq!(w.share_of_proceeds, 50);
    assert_eq!(w.omge_cancelled, 20);
    assert_eq!(w.holder, 930);
    assert_eq!(w.ca_quantity(CaBasis::AfterSop), 950);
    assert_eq!(w.ca_quantity(CaBasis::HolderOnly), 930);
    assert_eq!(CaBasis::AfterSop.warning(), None);
    assert_eq!(CaBasis::HolderOnly.warning(), Some(HOLDER_ONLY_WARNING));
    assert!(HOLDER_ONLY_WARNING.contains("no net global mitigation"));
    assert_eq!(CaBasis::default(), CaBasis::AfterSop);

    let cdm = cdm_comparison(1000, LevyRounding::Up).unwrap();
    assert_eq!(cdm.share_of_proceeds, 20);
    assert_eq!(cdm.holder, 980);
    assert_eq!(cdm.omge_cancelled, 0);
    assert_eq!(cdm.corresponding_adjustment, 0);
}

/// TV-3 activity: 100 kt/yr over 2021–2030, credited 2021–2025.
fn tv3_mitigation() -> YearSeries {
    (2021..=2030).map(|t| (t, dec!(100_000))).collect()
}
fn tv3_credited() -> UnitSeries {
    (2021..=2025).map(|t| (t, 100_000)).collect()
}

#[test]
fn tv3_trajectory_host_gets_the_tail_500_kt() {
    let rows = host_benefit(
        &p2021_2030(),
        CaMethod::MultiYearTrajectory,
        &tv3_mitigation(),
        &tv3_credited(),
    )
    .unwrap();
    for r in &rows {
        if r.year <= 2025 {
            assert_eq!(r.corresponding_adjustment, dec!(100_000));
            assert_eq!(r.host_benefit, dec!(0));
        } else {
            assert_eq!(r.corresponding_adjustment, dec!(0));
            assert_eq!(r.host_benefit, dec!(100_000));
        }
    }
    let tail: Decimal = rows
        .iter()
        .filter(|r| r.year >= 2026)
        .map(|r| r.host_benefit)
        .sum();
    assert_eq!(tail, dec!(500_000));
}

#[test]
fn tv3_averaging_host_adds_50_kt_in_2030_only() {
    let rows = host_benefit(
        &p2021_2030(),
        CaMethod::SingleYearAveraging,
        &tv3_mitigation(),
        &tv3_credited(),
    )
    .unwrap();
    for r in &rows {
        if r.year < 2030 {
            assert_eq!(r.corresponding_adjustment, dec!(0), "{}", r.year);
            assert_eq!(r.host_benefit, dec!(100_000));
        }
    }
    let y2030 = rows.last().unwrap();
    // 500 / 10 = 50 kt; 2030 inventory has the full 100 kt → net +50 kt
    assert_eq!(y2030.corresponding_adjustment, dec!(50_000));
    assert_eq!(y2030.host_benefit, dec!(50_000));
}

#[test]
fn tv3_as_6_4_activity_after_sop_and_holder_only() {
    let issued = tv3_credited();
    let shares = LevyShares::article_6_4();
    let w = issuance_waterfall(100_000, shares, LevyRounding::Up).unwrap();
    assert_eq!(
        (w.share_of_proceeds, w.omge_cancelled, w.holder),
        (5_000, 2_000, 93_000)
    );
    for (basis, ca, kept, avg_ca, avg_net) in [
        (
            CaBasis::AfterSop,
            dec!(95_000),
            dec!(5_000),
            dec!(47_500),
            dec!(52_500),
        ),
        (
            CaBasis::HolderOnly,
            dec!(93_000),
            dec!(7_000),
            dec!(46_500),
            dec!(53_500),
        ),
    ] {
        let ft = authorized_first_transfers(&issued, shares, LevyRounding::Up, basis).unwrap();
        let traj = host_benefit(
            &p2021_2030(),
            CaMethod::MultiYearTrajectory,
            &tv3_mitigation(),
            &ft,
        )
        .unwrap();
        for r in traj.iter().filter(|r| r.year <= 2025) {
            assert_eq!(r.corresponding_adjustment, ca);
            assert_eq!(r.host_benefit, kept);
        }
        let avg = host_benefit(
            &p2021_2030(),
            CaMethod::SingleYearAveraging,
            &tv3_mitigation(),
            &ft,
        )
        .unwrap();
        let y2030 = avg.last().unwrap();
        assert_eq!(y2030.corresponding_adjustment, avg_ca, "{basis:?}");
        assert_eq!(y2030.host_benefit, avg_net, "{basis:?}");
    }
}

#[test]
fn tv3_answer_text_says_yes_and_names_the_method_timing() {
    let a = crediting_tail_answer(CaMethod::SingleYearAveraging);
    assert!(a.starts_with("Yes."));
    assert!(a.contains("never added back"));
    assert!(a.contains("averaging"));
    assert!(crediting_tail_answer(CaMethod::MultiYearTrajectory).contains("trajectory"));
}

#[test]
fn tv4_transfer_ratio_and_host_retention() {
    // Vietnam List 2 (0.5) and List 1 (0.9)
    assert_eq!(
        exportable(dec!(100_000), dec!(0), dec!(0.5), None).unwrap(),
        dec!(50_000)
    );
    assert_eq!(
        exportable(dec!(100_000), dec!(0), dec!(0.9), None).unwrap(),
        dec!(90_000)
    );
    // Thailand r_host = 0.10: 90,000 exportable, 10,000 stay with the host
    let x = exportable(dec!(100_000), dec!(0.10), dec!(1), None).unwrap();
    assert_eq!(x, dec!(90_000));
    assert_eq!(dec!(100_000) - x, dec!(10_000));
    // 6.4 levy factor 1 − 0.05 − 0.02 = 0.93 (additive, not 0.95 · 0.98)
    assert_eq!(
        exportable(
            dec!(100_000),
            dec!(0),
            dec!(1),
            Some(LevyShares::article_6_4())
        )
        .unwrap(),
        dec!(93_000)
    );
    assert!(exportable(dec!(1), dec!(1.1), dec!(1), None).is_err());
}

#[test]
fn tv5_singapore_icc_limit() {
    let max = max_international_credits(dec!(1_000_000), dec!(0.05)).unwrap();
    assert_eq!(max, 50_000);
    assert_eq!(tax_covered(max, dec!(45)).unwrap(), dec!(2_250_000));
}

#[test]
fn tv6_japan_averaging_divides_cancellations_by_ten() {
    // X = 1,000,000 t cancelled over 2021–2030, unevenly
    let used: UnitSeries = [(2022, 300_000), (2025, 450_000), (2030, 250_000)].into();
    let e: YearSeries = (2021..=2030).map(|t| (t, dec!(1_000_000_000))).collect();
    let target = NdcTarget::SingleYear {
        target: dec!(999_950_000),
        indicative_trajectory: None,
    };
    let r = eval(
        CaMethod::SingleYearAveraging,
        &target,
        &e,
        &UnitSeries::new(),
        &used,
    );
    assert_eq!(r.averaging_final, Some(dec!(-100_000)));
    assert_eq!(year(&r, 2030).emissions_balance, dec!(999_900_000));
    assert_eq!(year(&r, 2022).corresponding_adjustment, dec!(0));
    assert_eq!(r.verdict, OverallVerdict::Pass);
}

#[test]
fn single_year_trajectory_indicative_exceedance_is_a_warning_not_a_failure() {
    // 3 Mt of vintage 2021: EB(2021) = 97 + 3 = 100 > 99 (indicative) → warning only
    let ftv: UnitSeries = [(2021, 3 * M)].into();
    let r = eval(
        CaMethod::SingleYearTrajectory,
        &single_year_target(),
        &tv1_emissions(),
        &ftv,
        &UnitSeries::new(),
    );
    assert_eq!(year(&r, 2021).verdict, YearVerdict::Warning);
    assert_eq!(year(&r, 2022).verdict, YearVerdict::IndicativeMet);
    assert_eq!(year(&r, 2030).verdict, YearVerdict::Pass);
    assert_eq!(r.verdict, OverallVerdict::PassWithWarnings);
}

#[test]
fn budget_method_checks_the_sum_only() {
    // Σ E = 925; 20 Mt vintage 2030 → Σ EB = 945 = Budget → pass; 21 → fail
    let target = NdcTarget::MultiYearBudget { budget: mt(945) };
    let ok = eval(
        CaMethod::MultiYearBudget,
        &target,
        &tv1_emissions(),
        &[(2030, 20 * M)].into(),
        &UnitSeries::new(),
    );
    assert_eq!(ok.budget.as_ref().unwrap().total_balance, mt(945));
    assert_eq!(ok.verdict, OverallVerdict::Pass);
    assert!(
        ok.years
            .iter()
            .all(|y| y.verdict == YearVerdict::NotChecked)
    );
    let bad = eval(
        CaMethod::MultiYearBudget,
        &target,
        &tv1_emissions(),
        &[(2030, 21 * M)].into(),
        &UnitSeries::new(),
    );
    assert_eq!(bad.verdict, OverallVerdict::Fail);
}

#[test]
fn table4_rows_trajectory_and_averaging_by_hand() {
    let p = NdcPeriod::new(2021, 2023).unwrap();
    let e: YearSeries = (2021..=2023).map(|t| (t, dec!(100))).collect();
    let ndc: UnitSeries = [(2021, 5), (2023, 4)].into();
    let oimp: UnitSeries = [(2022, 3)].into();
    let used: UnitSeries = [(2023, 2)].into();
    let ftv: UnitSeries = [(2021, 5), (2022, 3), (2023, 4)].into();
    let inputs = |method| Table4Inputs {
        period: p,
        method,
        emissions: &e,
        first_transferred_ndc_by_event: &ndc,
        first_transferred_oimp_by_event: &oimp,
        used_by_use_year: &used,
        first_transferred_by_vintage: &ftv,
        interim_denominator: AveragingDenominator::ElapsedYears,
    };
    let rows = table4_rows(inputs(CaMethod::MultiYearTrajectory)).unwrap();
    let r10: Vec<i64> = rows.iter().map(|r| r.row10_net).collect();
    let r12: Vec<Decimal> = rows
        .iter()
        .map(|r| r.row12_corresponding_adjustment)
        .collect();
    let r13: Vec<i64> = rows.iter().map(|r| r.row13_cumulative).collect();
    let r14: Vec<Decimal> = rows.iter().map(|r| r.row14_emissions_balance).collect();
    assert_eq!(r10, vec![5, 3, 2]);
    assert_eq!(r12, vec![dec!(5), dec!(3), dec!(2)]);
    assert_eq!(r13, vec![5, 8, 10]);
    // row 14 = row 5 + row 12 (105, not 95)
    assert_eq!(r14, vec![dec!(105), dec!(103), dec!(102)]);
    assert!(rows.iter().all(|r| r.row11_averaging_interim.is_none()));
    assert_eq!(
        (
            rows[1].row7_first_transferred_ndc,
            rows[1].row8_first_transferred_oimp,
            rows[2].row9_used
        ),
        (0, 3, 2)
    );

    let rows = table4_rows(inputs(CaMethod::SingleYearAveraging)).unwrap();
    let third = |x: i64| Decimal::from(x) / Decimal::from(3);
    // row 11: Cum/elapsed = 5/1, 8/2, 10/3
    assert_eq!(rows[0].row11_averaging_interim, Some(dec!(5)));
    assert_eq!(rows[1].row11_averaging_interim, Some(dec!(4)));
    assert_eq!(rows[2].row11_averaging_interim, Some(third(10)));
    // row 12: indicative A_interim before T, A_final = (12 − 2)/3 in T
    assert!(rows[0].row12_indicative && rows[1].row12_indicative && !rows[2].row12_indicative);
    assert_eq!(rows[1].row12_corresponding_adjustment, dec!(4));
    assert_eq!(rows[2].row12_corresponding_adjustment, third(10));
    assert_eq!(rows[2].row14_emissions_balance, dec!(100) + third(10));
    // serializable
    let json = serde_json::to_string(&rows[0]).unwrap();
    assert!(json.contains("row14_emissions_balance"));
}

#[test]
fn macc_threshold_orders_by_cost_and_never_silently_passes() {
    let m = |id: &str, cost, a| Measure {
        id: id.into(),
        cost,
        abatement_target_year: a,
    };
    let measures = vec![
        m("wind", dec!(10), dec!(30)),
        m("efficiency", dec!(5), dec!(20)),
        m("ccs", dec!(20), dec!(50)),
    ];
    // A* = 200 − 150 = 50; sorted 5 (20), 10 (30): A(2) = 50 ≥ 50 → p* = 10, k* = 2
    let t = macc_threshold(&measures, dec!(200), dec!(150)).unwrap();
    assert_eq!(
        t,
        MaccThreshold::Threshold {
            price: dec!(10),
            measures_needed: 2,
            required_abatement: dec!(50)
        }
    );
    // A* = 200 > A(3) = 100 → indeterminate, shortfall 100
    let ind = macc_threshold(&measures, dec!(300), dec!(100)).unwrap();
    assert_eq!(
        ind,
        MaccThreshold::Indeterminate {
            shortfall: dec!(100)
        }
    );
    // A* ≤ 0
    assert_eq!(
        macc_threshold(&measures, dec!(100), dec!(100)).unwrap(),
        MaccThreshold::NoMeasureNeeded
    );

    use ActivityTag::*;
    use EligibilityOutcome::*;
    let bu = EligibilityRule::BeyondUnconditional;
    assert_eq!(
        eligibility(true, bu, Unconditional, dec!(20), Some(&t)),
        Eligible
    );
    assert_eq!(
        eligibility(true, bu, Unconditional, dec!(10), Some(&t)),
        ExcludedByRule
    );
    assert_eq!(
        eligibility(true, bu, Unconditional, dec!(20), Some(&ind)),
        Indeterminate
    );
    assert_eq!(
        eligibility(true, bu, Unconditional, dec!(20), None),
        ExcludedByRule
    );
    assert_eq!(eligibility(true, bu, Conditional, dec!(1), None), Eligible);
    let bn = EligibilityRule::BeyondNdc;
    assert_eq!(
        eligibility(true, bn, Conditional, dec!(1), None),
        ExcludedByRule
    );
    assert_eq!(eligibility(true, bn, Outside, dec!(1), None), Eligible);
    assert_eq!(
        eligibility(false, EligibilityRule::Any, Beyond, dec!(1), None),
        NotOnPositiveList
    );
}

#[test]
fn authorizable_respects_vintage_period_and_crediting_window_and_national_cap() {
    let p = p2021_2030();
    assert_eq!(authorizable(true, dec!(7), 2023, &p, (2021, 2025)), dec!(7));
    assert_eq!(authorizable(true, dec!(7), 2026, &p, (2021, 2025)), dec!(0));
    assert_eq!(
        authorizable(false, dec!(7), 2023, &p, (2021, 2025)),
        dec!(0)
    );
    let p2 = NdcPeriod::new(2016, 2030).unwrap();
    assert_eq!(
        authorizable(true, dec!(7), 2020, &p2, (2016, 2030)),
        dec!(0)
    );

    assert_eq!(national_cap_check(dec!(5), None).unwrap(), CapCheck::NoCap);
    assert_eq!(
        national_cap_check(dec!(8), Some(dec!(10))).unwrap(),
        CapCheck::Within { remaining: dec!(2) }
    );
    assert_eq!(
        national_cap_check(dec!(12), Some(dec!(10))).unwrap(),
        CapCheck::Exceeded { excess: dec!(2) }
    );
}

#[test]
fn errors_name_the_problem_and_the_fix() {
    let err = check_method(
        &NdcTarget::MultiYearBudget { budget: mt(1) },
        CaMethod::SingleYearAveraging,
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("not allowed") && msg.contains("MultiYearTrajectory"),
        "{msg}"
    );
    let big: YearSeries = BTreeMap::from([(2021, dec!(1e16))]);
    let e = headroom(
        &NdcPeriod::new(2021, 2021).unwrap(),
        CaMethod::MultiYearBudget,
        &NdcTarget::MultiYearBudget { budget: mt(1) },
        &big,
        &UnitSeries::new(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("10^15"), "{e}");
}
