//! `update()` tests for Budget editing, Simulate, Registry (sandbox and drills) and Readiness.

mod tui_support;

use ndc_workbench::simulate::{Params, Volume};
use ndc_workbench::tui::app::{Action, Effect, Popup, RegTab, Screen, StudyResult, update};
use ndc_workbench::tui::forms::FormKind;
use ndc_workbench::tui::params::Param;
use ratatui::crossterm::event::KeyCode;
use std::sync::atomic::Ordering;
use tui_support::*;

fn clear_field(app: &mut ndc_workbench::tui::app::App, d: &std::path::Path) {
    let keys: Vec<_> = (0..40).map(|_| k(KeyCode::Backspace)).collect();
    press_all(app, d, &keys);
}

fn cost(app: &ndc_workbench::tui::app::App, id: &str) -> String {
    let dv = app.derived.as_ref().expect("derived");
    dv.scenario
        .activity(id)
        .map(|a| a.cost_per_t.normalize().to_string())
        .unwrap_or_default()
}

#[test]
fn an_invalid_budget_edit_keeps_the_old_value_and_shows_the_reason() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(
        &mut app,
        d.path(),
        &[ch('3'), ch('j'), k(KeyCode::Enter), ch('e')],
    );
    assert!(matches!(app.popup, Some(Popup::BudgetEdit { .. })));
    clear_field(&mut app, d.path());
    type_text(&mut app, d.path(), "abc");
    // refused as typed, with the loader's reason
    let Some(Popup::BudgetEdit { error, .. }) = &app.popup else {
        panic!("popup closed");
    };
    let reason = error.clone().expect("a reason while typing");
    assert!(reason.contains("abc"), "{reason}");
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    assert!(
        matches!(&app.popup, Some(Popup::BudgetEdit { error: Some(_), .. })),
        "Enter on a refused value keeps the popup open"
    );
    press_all(&mut app, d.path(), &[k(KeyCode::Esc)]);
    assert_eq!(cost(&app, "small-hydro"), "3", "never silently zero");
    assert!(saved_or_empty_edits(d.path()));
}

fn saved_or_empty_edits(d: &std::path::Path) -> bool {
    let p = ndc_workbench::workshop::session::session_path(d, "testland-2030", "tester");
    !p.exists() || saved(d).budget_edits.is_empty()
}

#[test]
fn an_accepted_edit_is_saved_in_the_session_and_x_reverts_it() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(
        &mut app,
        d.path(),
        &[ch('3'), ch('j'), k(KeyCode::Enter), ch('e')],
    );
    clear_field(&mut app, d.path());
    type_text(&mut app, d.path(), "12.5");
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    assert!(app.popup.is_none());
    assert_eq!(cost(&app, "small-hydro"), "12.5");
    let s = saved(d.path());
    assert_eq!(
        s.budget_edits
            .get("activity.small-hydro.cost_per_t")
            .and_then(|v| v.as_str()),
        Some("12.5")
    );
    // The NDC part takes a bare word (stored quoted so it stays a string).
    press_all(
        &mut app,
        d.path(),
        &[ch('l'), ch('l'), ch('l'), ch('l'), ch('e')],
    );
    clear_field(&mut app, d.path());
    // Typed with a capital, as a title-cased word often is: read as the value `beyond`.
    type_text(&mut app, d.path(), "Beyond");
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    assert!(app.popup.is_none(), "{:?}", app.popup.is_some());
    assert_eq!(
        saved(d.path())
            .budget_edits
            .get("activity.small-hydro.ndc_part"),
        Some(&serde_json::json!("\"beyond\""))
    );
    press_all(&mut app, d.path(), &[ch('x')]);
    assert!(
        !saved(d.path())
            .budget_edits
            .contains_key("activity.small-hydro.ndc_part")
    );
    assert!(
        saved(d.path())
            .budget_edits
            .contains_key("activity.small-hydro.cost_per_t")
    );
}

#[test]
fn a_sector_bau_edit_changes_the_budget_and_the_simulation() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    let before = app.derived.as_ref().expect("d").budget.target().covered_bau;
    press_all(&mut app, d.path(), &[ch('3'), ch('e')]);
    clear_field(&mut app, d.path());
    type_text(&mut app, d.path(), "{ 2021 = 900, 2030 = 1200 }");
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    assert!(app.popup.is_none(), "{:?}", app.popup.is_some());
    let after = app.derived.as_ref().expect("d").budget.target().covered_bau;
    assert_ne!(before, after);
}

/// A lone number typed for a sector's BAU is the value at the target year (the number in the
/// table's "BAU 2030" column); the other years of the path stay. The first row is AFOLU
/// (`{ 2021 = 1500, 2030 = 1600 }` kt): `1,700` makes it 1,700 kt in 2030, 100 kt more
/// covered BAU.
#[test]
fn a_lone_number_for_a_bau_sets_the_target_year_and_keeps_the_other_years() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    let before = app.derived.as_ref().expect("d").budget.target().covered_bau;
    press_all(&mut app, d.path(), &[ch('3'), ch('e')]);
    clear_field(&mut app, d.path());
    type_text(&mut app, d.path(), "1,700");
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    assert!(app.popup.is_none(), "{:?}", app.popup);
    assert_eq!(
        saved(d.path()).budget_edits.get("sector.afolu.bau"),
        Some(&serde_json::json!("{ 2021 = 1500, 2030 = 1700 }"))
    );
    let after = app.derived.as_ref().expect("d").budget.target().covered_bau;
    assert_eq!(
        after - before,
        rust_decimal::Decimal::from(100_000),
        "t CO2e"
    );
}

#[test]
fn macc_toggles_and_save_as_scenario_writes_a_valid_file() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('3'), ch('m')]);
    assert!(app.budget.macc);
    press_all(&mut app, d.path(), &[ch('m'), ch('S')]);
    assert!(matches!(app.popup, Some(Popup::SaveScenario(_))));
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    let dir = d.path().join("scenarios");
    let files: Vec<_> = std::fs::read_dir(&dir).expect("dir").flatten().collect();
    assert_eq!(files.len(), 1);
    ndc_workbench::scenario::load_file(&files[0].path()).expect("the saved scenario validates");
    // saving again under the same name is refused, not overwritten
    press_all(&mut app, d.path(), &[ch('S'), k(KeyCode::Enter)]);
    assert!(app.notice.as_ref().is_some_and(|n| n.error));
    // a name of one's own is typed over the one suggested
    press_all(&mut app, d.path(), &[k(KeyCode::Esc), ch('S')]);
    type_text(&mut app, d.path(), "my-plan");
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    assert!(dir.join("my-plan.toml").exists(), "{:?}", app.notice);
}

fn params(app: &ndc_workbench::tui::app::App) -> Params {
    app.derived.as_ref().expect("d").params.clone()
}

#[test]
fn a_parameter_change_resimulates_and_is_saved() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('4')]);
    let max0 = app
        .derived
        .as_ref()
        .and_then(|x| x.sim.as_ref().ok())
        .map(|s| s.outcome.max_transferable)
        .expect("simulates");
    // Buffer: up to 25 %, the maximum must not grow and the session stores the params.
    let buffer = Param::ALL
        .iter()
        .position(|p| *p == Param::Buffer)
        .expect("b");
    app.simulate.sel = buffer;
    press_all(&mut app, d.path(), &[ch('+'), ch('+'), ch('+'), ch('+')]);
    let p = params(&app);
    assert_eq!(p.buffer.to_string(), "0.25");
    let max1 = app
        .derived
        .as_ref()
        .and_then(|x| x.sim.as_ref().ok())
        .map(|s| s.outcome.max_transferable)
        .expect("simulates");
    assert!(max1 <= max0, "{max1} > {max0}");
    let s = saved(d.path());
    let back: Params =
        serde_json::from_value(serde_json::Value::Object(s.simulation)).expect("typed params");
    assert_eq!(back, p);
    // A typed volume
    let vol = Param::ALL
        .iter()
        .position(|p| *p == Param::Volume)
        .expect("v");
    app.simulate.sel = vol;
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    clear_field(&mut app, d.path());
    type_text(&mut app, d.path(), "lots");
    assert!(matches!(
        &app.popup,
        Some(Popup::Param { error: Some(_), .. })
    ));
    clear_field(&mut app, d.path());
    type_text(&mut app, d.path(), "100\n");
    assert_eq!(params(&app).volume, Volume::Units(100));
}

#[test]
fn a_prefilled_value_is_replaced_by_typing_and_kept_by_a_cursor_key() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('4')]);
    let at = |which: Param| Param::ALL.iter().position(|p| *p == which).expect("param");
    // Volume shows `max`; typing a number replaces it (it ran on as `max5000` before).
    app.simulate.sel = at(Param::Volume);
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    type_text(&mut app, d.path(), "5000\n");
    assert!(app.popup.is_none(), "{:?}", app.popup);
    assert_eq!(params(&app).volume, Volume::Units(5000));
    // → keeps the value and types after it: cap 1,500,000 becomes 15,000,000.
    app.simulate.sel = at(Param::Cap);
    let cap = params(&app).national_cap.expect("the scenario's cap");
    press_all(&mut app, d.path(), &[k(KeyCode::Enter), k(KeyCode::Right)]);
    type_text(&mut app, d.path(), "0\n");
    assert_eq!(params(&app).national_cap, Some(cap * 10));
    // One Backspace clears the selected value: empty cap is no cap.
    press_all(
        &mut app,
        d.path(),
        &[k(KeyCode::Enter), k(KeyCode::Backspace), k(KeyCode::Enter)],
    );
    assert_eq!(params(&app).national_cap, None);
}

#[test]
fn a_method_the_ndc_does_not_allow_is_an_error_message_not_a_crash() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('4')]);
    // averaging → trajectory → budget: budget needs a multi-year NDC
    press_all(&mut app, d.path(), &[ch('+'), ch('+')]);
    let err = app
        .derived
        .as_ref()
        .and_then(|x| x.sim.as_ref().err().cloned())
        .expect("a single-year NDC refuses the budget method");
    assert!(err.contains("fix `"), "{err}");
    let screen = render(&app, 80, 24);
    assert!(screen.contains("cannot run"), "{screen}");
}

#[test]
fn compare_cycles_through_the_other_methods_then_off() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('4'), ch('c')]);
    assert!(app.derived.as_ref().expect("d").compare.is_some());
    press_all(&mut app, d.path(), &[ch('c'), ch('c')]);
    assert!(app.simulate.compare.is_none());
}

#[test]
fn the_uncertainty_study_runs_and_esc_cancels_it() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('4')]);
    let fx = update(&mut app, Action::RunStudy);
    let [Effect::RunStudy(id)] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    let job = app.simulate.study.clone().expect("running");
    assert_eq!(job.params.runs, 2_000);
    // Esc cancels: the flag the worker polls is set, the screen is still Simulate.
    update(&mut app, Action::Escape);
    assert!(job.progress.cancel.load(Ordering::Relaxed));
    assert_eq!(app.screen, Screen::Simulate);
    // The worker sees the flag and gives up; its report ends the study.
    let r = ndc_workbench::simulate::montecarlo::run(
        &job.study,
        job.volume,
        &job.params,
        &job.progress,
    );
    assert!(r.is_none());
    update(&mut app, Action::StudyDone(*id, r));
    assert!(app.simulate.study.is_none());
    assert!(matches!(
        app.simulate.result,
        Some(StudyResult::Cancelled { .. })
    ));
    // Run again to the end (performed at once without a loop).
    let fx = update(&mut app, Action::RunStudy);
    run_effects(&mut app, d.path(), fx);
    let Some(StudyResult::Done { result, .. }) = &app.simulate.result else {
        panic!("{:?}", app.simulate.result);
    };
    assert!((0.0..=1.0).contains(&result.probability_meets_target));
}

#[test]
fn registry_views_filter_and_life_story() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('5'), ch('v')]);
    assert_eq!(app.registry.tab, RegTab::Blocks);
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    let serial = app.registry.life.clone().expect("a block's serial");
    assert!(render(&app, 120, 40).contains("Life of"));
    press_all(&mut app, d.path(), &[k(KeyCode::Esc), ch('/')]);
    type_text(&mut app, d.path(), &serial);
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    assert_eq!(app.registry.tab, RegTab::Explorer);
    assert_eq!(app.registry.filter, serial);
    assert!(ndc_workbench::tui::screens::registry::row_count(&app) >= 1);
}

#[test]
fn opening_a_life_story_clears_the_notice_of_a_row_without_units() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('5')]);
    while app.registry.tab != RegTab::Explorer {
        press_all(&mut app, d.path(), &[ch('v')]);
    }
    // The first event registers a Party: no units, so no serial to follow.
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    assert!(app.registry.life.is_none());
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("no serial here")),
        "{:?}",
        app.notice
    );
    // Down to the first event that moves units, then its life story.
    let mut moved = 0;
    while app.registry.life.is_none() && moved < 200 {
        press_all(&mut app, d.path(), &[ch('j'), k(KeyCode::Enter)]);
        moved += 1;
    }
    assert!(
        app.registry.life.is_some(),
        "no event with units in the simulation ledger"
    );
    assert!(app.notice.is_none(), "stale notice: {:?}", app.notice);
}

fn sandbox_app(d: &std::path::Path) -> ndc_workbench::tui::app::App {
    let mut app = app_open(d);
    press_all(&mut app, d, &[ch('5'), ch('s')]);
    assert!(app.sandbox.is_some(), "{:?}", app.notice);
    while app.registry.tab != RegTab::Drills {
        press_all(&mut app, d, &[ch('v')]);
    }
    app
}

fn step_done(app: &ndc_workbench::tui::app::App, i: usize) -> bool {
    let w = app.work.as_ref().expect("w");
    let st = &w.pack.drills[0].steps[i];
    ndc_workbench::tui::screens::registry::with_ledger(app, |l| {
        ndc_workbench::tui::screens::registry::drill_quantity(l, &st.expect)
    })
    .unwrap_or(0)
        >= st.expect.quantity
}

#[test]
fn a_sandbox_form_reads_thousands_separators_and_refuses_decimals_with_the_reason() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = sandbox_app(d.path());
    press_all(
        &mut app,
        d.path(),
        &[ch('i'), k(KeyCode::Down), k(KeyCode::Down)],
    );
    clear_field(&mut app, d.path());
    type_text(&mut app, d.path(), "12.5\n");
    assert!(
        matches!(&app.popup, Some(Popup::Form(f)) if f.error.as_deref().is_some_and(|e| e.contains("decimals"))),
        "{:?}",
        app.popup
    );
    clear_field(&mut app, d.path());
    type_text(&mut app, d.path(), "10,000\n");
    assert!(app.popup.is_none(), "{:?}", app.popup);
    assert!(
        step_done(&app, 0),
        "10,000 read as 10000: {:?}",
        app.registry.last
    );
}

/// A vintage typed as two digits (or with a letter O) is refused in the form with what a
/// vintage is, and the form stays open with the participant's values.
#[test]
fn a_sandbox_form_refuses_a_vintage_that_is_not_a_four_digit_year() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = sandbox_app(d.path());
    vintages_refused_then_issued(
        &mut app,
        d.path(),
        &["25", "2O25"],
        |e, typed| e.starts_with("vintage: a vintage is the four-digit year") && e.contains(typed),
        "2025",
    );
}

/// On the sandbox's issue form, type each of `refused` as the vintage: the form stays open with
/// a reason `why(reason, typed)` accepts and nothing is issued; then `accepted` is issued.
fn vintages_refused_then_issued(
    app: &mut ndc_workbench::tui::app::App,
    d: &std::path::Path,
    refused: &[&str],
    why: impl Fn(&str, &str) -> bool,
    accepted: &str,
) {
    // Issue: project, vintage, quantity, to account.
    press_all(app, d, &[ch('i'), k(KeyCode::Down)]);
    for typed in refused {
        clear_field(app, d);
        type_text(app, d, &format!("{typed}\n"));
        assert!(
            matches!(&app.popup, Some(Popup::Form(f)) if f.error.as_deref().is_some_and(|e| why(e, typed))),
            "{typed}: {:?}",
            app.popup
        );
    }
    assert!(
        !step_done(app, 0),
        "nothing issued: {:?}",
        app.registry.last
    );
    clear_field(app, d);
    type_text(app, d, &format!("{accepted}\n"));
    assert!(app.popup.is_none(), "{:?}", app.popup);
    assert!(step_done(app, 0), "{:?}", app.registry.last);
}

#[test]
fn a_form_field_reached_by_tab_is_replaced_by_typing() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = sandbox_app(d.path());
    // Issue: project, vintage, quantity (10000), to account.
    press_all(
        &mut app,
        d.path(),
        &[ch('i'), k(KeyCode::Tab), k(KeyCode::Tab)],
    );
    type_text(&mut app, d.path(), "2500");
    let Some(Popup::Form(f)) = &app.popup else {
        panic!("form closed: {:?}", app.registry.last);
    };
    let text = |i: usize| f.fields[i].1.lines().join("");
    assert_eq!(text(2), "2500", "typed over the default, not after it");
    assert_eq!(text(1), "2025", "a field passed through keeps its value");
    // Back up to the vintage, → keeps it, Backspace takes one digit off its end.
    press_all(
        &mut app,
        d.path(),
        &[k(KeyCode::Up), k(KeyCode::Right), k(KeyCode::Backspace)],
    );
    let Some(Popup::Form(f)) = &app.popup else {
        panic!("form closed");
    };
    assert_eq!(f.fields[1].1.lines().join(""), "202");
}

#[test]
fn drill_steps_turn_done_after_the_matching_sandbox_commands() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = sandbox_app(d.path());
    assert!(!step_done(&app, 0));
    press_all(&mut app, d.path(), &[ch('i'), k(KeyCode::Enter)]);
    assert!(app.popup.is_none(), "{:?}", app.registry.last);
    assert!(step_done(&app, 0), "issued 10,000 of vintage 2025");
    assert!(!step_done(&app, 1));
    press_all(&mut app, d.path(), &[ch('a'), k(KeyCode::Enter)]);
    assert!(step_done(&app, 1), "{:?}", app.registry.last);
    press_all(&mut app, d.path(), &[ch('t'), k(KeyCode::Enter)]);
    assert!(step_done(&app, 2), "{:?}", app.registry.last);
    press_all(&mut app, d.path(), &[ch('r')]);
    // beneficiary fields are required
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    assert!(
        matches!(&app.popup, Some(Popup::Form(f)) if f.error.as_deref().is_some_and(|e| e.contains("required")))
    );
    press_all(
        &mut app,
        d.path(),
        &[
            k(KeyCode::Down),
            k(KeyCode::Down),
            k(KeyCode::Down),
            k(KeyCode::Down),
        ],
    );
    type_text(&mut app, d.path(), "Druk Air");
    press_all(&mut app, d.path(), &[k(KeyCode::Tab)]);
    type_text(&mut app, d.path(), "BT-0001");
    press_all(&mut app, d.path(), &[k(KeyCode::Tab)]);
    type_text(&mut app, d.path(), "BTN");
    press_all(&mut app, d.path(), &[k(KeyCode::Tab)]);
    type_text(&mut app, d.path(), "voluntary claim\n");
    assert!(app.popup.is_none(), "{:?}", app.popup.is_some());
    assert!(step_done(&app, 3), "{:?}", app.registry.last);
    // the journal persists: a reopened sandbox has the same events
    let n = ndc_workbench::tui::screens::registry::with_ledger(&app, |l| l.events().len());
    drop(app); // releases the journal's lock
    let mut again = sandbox_app(d.path());
    let m = ndc_workbench::tui::screens::registry::with_ledger(&again, |l| l.events().len());
    assert_eq!(n, m);
    update(&mut again, Action::ToggleSandbox);
    assert!(!again.registry.sandbox);
}

#[test]
fn a_rejected_sandbox_action_shows_the_rule_in_the_form() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = sandbox_app(d.path());
    // Transfer before anything was issued: refused by the ledger.
    let fx = update(&mut app, Action::OpenForm(FormKind::Transfer));
    run_effects(&mut app, d.path(), fx);
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    let Some(Popup::Form(f)) = &app.popup else {
        panic!("the form stays open on a refusal");
    };
    let e = f.error.clone().expect("the rule");
    assert!(!e.is_empty());
    assert!(
        app.registry
            .last
            .as_ref()
            .is_some_and(|(_, refused)| *refused)
    );
}

#[test]
fn actions_outside_the_sandbox_say_how_to_get_there() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('5')]);
    update(&mut app, Action::OpenForm(FormKind::Issue));
    assert!(app.popup.is_none());
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("press s"))
    );
}

#[test]
fn readiness_is_tab_7_and_a_shows_the_comparison() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('7')]);
    assert_eq!(app.screen, Screen::Readiness);
    assert!(render(&app, 80, 24).contains("stage"));
    press_all(&mut app, d.path(), &[ch('a')]);
    assert!(app.readiness.comparison);
    assert!(render(&app, 120, 40).contains("Article 6.4"));
    press_all(&mut app, d.path(), &[k(KeyCode::Esc)]);
    assert!(!app.readiness.comparison);
}

#[test]
fn the_hint_bar_names_the_new_keys() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('4')]);
    let s = render(&app, 120, 40);
    assert!(
        s.contains("u uncertainty") && s.contains("c compare"),
        "{s}"
    );
    press_all(&mut app, d.path(), &[ch('3'), k(KeyCode::Enter)]);
    let s = render(&app, 120, 40);
    assert!(s.contains("e edit") && s.contains("x revert"), "{s}");
}

/// The sectors table lists in-scope sectors first, then by id — not in file order (the test
/// scenario's file lists energy before afolu). Enter and `e` act on the row that is selected.
#[test]
fn enter_and_edit_act_on_the_selected_sector_row_not_the_file_order() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('3'), ch('e')]);
    match &app.popup {
        Some(ndc_workbench::tui::app::Popup::BudgetEdit { path, .. }) => {
            assert_eq!(path, "sector.afolu.bau", "row 0 is Agriculture (afolu)")
        }
        other => panic!("no BAU edit popup: {other:?}"),
    }
    press_all(
        &mut app,
        d.path(),
        &[k(KeyCode::Esc), ch('j'), k(KeyCode::Enter)],
    );
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("Budget › Energy"),
        "row 1 is Energy:\n{screen}"
    );
    assert!(screen.contains("small hydro"), "{screen}");
    assert_eq!(app.sector_activity_count(), 1);
}

/// OIMP in the sandbox: an OIMP authorization takes its first-transfer definition from the form;
/// retiring those ITMOs without naming an authorized entity is refused with the entities the
/// participant may name, and succeeds once one is named.
#[test]
fn an_oimp_retirement_in_the_sandbox_names_an_authorized_entity() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = sandbox_app(d.path());
    let partner = app
        .derived
        .as_ref()
        .and_then(|dv| dv.scenario.file.partners.first().map(|p| p.code.clone()))
        .unwrap_or_else(|| "PARTNER".into());
    press_all(&mut app, d.path(), &[ch('i'), k(KeyCode::Enter)]);
    assert!(app.popup.is_none(), "issue: {:?}", app.registry.last);
    // Authorize: purpose is the 4th field.
    press_all(
        &mut app,
        d.path(),
        &[
            ch('a'),
            k(KeyCode::Down),
            k(KeyCode::Down),
            k(KeyCode::Down),
        ],
    );
    clear_field(&mut app, d.path());
    type_text(&mut app, d.path(), "OIMP\n");
    assert!(
        app.popup.is_none(),
        "authorize OIMP: {:?}",
        app.registry.last
    );
    // Retire ITMOs: class is the 4th field, then beneficiary name, id, country, purpose, entity.
    // The country is typed in lower case, as a tired participant does: it is read as BTN.
    press_all(
        &mut app,
        d.path(),
        &[
            ch('r'),
            k(KeyCode::Down),
            k(KeyCode::Down),
            k(KeyCode::Down),
        ],
    );
    clear_field(&mut app, d.path());
    type_text(&mut app, d.path(), "ITMO");
    for text in ["Druk Air", "BT-0001", "btn", "CORSIA"] {
        press_all(&mut app, d.path(), &[k(KeyCode::Tab)]);
        type_text(&mut app, d.path(), text);
    }
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    let Some(Popup::Form(f)) = &app.popup else {
        panic!("an OIMP retirement without an entity is refused in the form");
    };
    let e = f.error.clone().unwrap_or_default();
    let entity = format!("REG-{partner}");
    assert!(e.contains("authorized entit") && e.contains(&entity), "{e}");
    press_all(&mut app, d.path(), &[k(KeyCode::Tab)]);
    type_text(&mut app, d.path(), &format!("{entity}\n"));
    assert!(
        app.popup.is_none(),
        "retire with {entity}: {:?}",
        app.registry.last
    );
    assert!(
        app.registry
            .last
            .as_ref()
            .is_some_and(|(_, refused)| !*refused)
    );
}

/// A budget edit's title says what is edited (BAU by year, in the unit) before the sector's
/// name, and a name too long for the popup ends in `…` inside its border.
#[test]
fn a_long_sector_name_is_cut_in_the_edit_popups_title() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    let long = "Electricity generation (diesel, solar and hydro, all islands)";
    if let Some(w) = app.work.as_mut() {
        w.scenario.file.sectors[0].name = long.into();
    }
    app.recompute();
    // The table lists Agriculture first, then the renamed sector.
    press_all(&mut app, d.path(), &[ch('3'), ch('j'), ch('e')]);
    assert!(matches!(app.popup, Some(Popup::BudgetEdit { .. })));
    for w in [80, 120] {
        let screen = render(&app, w, 24);
        let title = screen
            .lines()
            .find(|l| l.contains("Edit BAU by year, kt — Electricity"))
            .unwrap_or_else(|| panic!("no title at {w} columns:\n{screen}"));
        assert!(title.contains("… ┓"), "{title}");
        assert!(!title.contains("islands)"), "{title}");
    }
}

/// In the MACC view the sector table is hidden, so Enter and `e` (which act on a sector) do
/// nothing and the hint bar does not offer them; `m` or Esc go back.
#[test]
fn the_macc_view_offers_only_what_it_can_do() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('3'), ch('m')]);
    assert!(app.budget.macc);
    let screen = render(&app, 120, 40);
    let hints = screen.lines().last().unwrap_or_default().to_string();
    assert!(
        !hints.contains("edit BAU") && !hints.contains("activities"),
        "{hints}"
    );
    assert!(hints.contains("sectors"), "{hints}");
    press_all(&mut app, d.path(), &[k(KeyCode::Enter), ch('e')]);
    assert!(app.budget.drilled.is_none() && app.popup.is_none());
    assert!(app.budget.macc);
    press_all(&mut app, d.path(), &[k(KeyCode::Esc)]);
    assert!(!app.budget.macc);
    press_all(&mut app, d.path(), &[ch('m'), ch('m')]);
    assert!(!app.budget.macc, "m toggles back");
}

/// Units authorized for two partners in one account: the form's transfer to the second partner
/// takes that partner's units, not the account's first block (authorized for the first
/// partner only, which the ledger refuses by authorization gating).
#[test]
fn a_sandbox_transfer_draws_on_the_units_authorized_for_its_partner() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = sandbox_app(d.path());
    let partner = app
        .derived
        .as_ref()
        .expect("derived")
        .scenario
        .file
        .partners[0]
        .code
        .clone();
    assert_ne!(partner, "ZZA");
    // issue 10,000 of vintage 2025
    press_all(&mut app, d.path(), &[ch('i'), k(KeyCode::Enter)]);
    assert!(app.popup.is_none(), "{:?}", app.registry.last);
    // authorize 6,000 for another Party first (the lowest serials), then 4,000 for the partner
    press_all(&mut app, d.path(), &[ch('a')]);
    for _ in 0..4 {
        press_all(&mut app, d.path(), &[k(KeyCode::Down)]);
    }
    clear_field(&mut app, d.path());
    type_text(&mut app, d.path(), "ZZA\n");
    assert!(app.popup.is_none(), "{:?}", app.popup);
    press_all(&mut app, d.path(), &[ch('a'), k(KeyCode::Down)]);
    clear_field(&mut app, d.path());
    type_text(&mut app, d.path(), "4000\n");
    assert!(app.popup.is_none(), "{:?}", app.popup);
    // transfer 3,000 to the partner: the 4,000 authorized for it are there
    press_all(
        &mut app,
        d.path(),
        &[ch('t'), k(KeyCode::Down), k(KeyCode::Down)],
    );
    clear_field(&mut app, d.path());
    type_text(&mut app, d.path(), "3000\n");
    assert!(
        app.popup.is_none(),
        "refused: {:?}",
        match &app.popup {
            Some(Popup::Form(f)) => f.error.clone(),
            _ => None,
        }
    );
    let to = format!("{partner}:REG:Holding");
    let got = ndc_workbench::tui::screens::registry::with_ledger(&app, |l| l.balance(&to));
    assert_eq!(got, Some(3000));
}

/// A figure wider than its column is shown whole (the names give way), never with its leading
/// digits cut: a BAU edited to 10^12 kt shows as 1,000,000,000,000.0 on Budget at 80 and 120
/// columns, and so does the total it makes.
#[test]
fn budget_figures_are_never_cut_on_the_left() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('3'), ch('e')]);
    clear_field(&mut app, d.path());
    type_text(&mut app, d.path(), "{ 2021 = 900, 2030 = 1000000000000 }");
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    assert!(app.popup.is_none(), "{:?}", app.popup.is_some());
    // the Total row adds every sector's 2030 BAU: 10^12 + 2,300 (energy) + 150 (waste)
    let total_kt = "1,000,000,002,450.0";
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&app, w, h);
        assert!(screen.contains("1,000,000,000,000.0"), "{w}x{h}:\n{screen}");
        assert!(
            screen.contains(total_kt),
            "{w}x{h}: total {total_kt}:\n{screen}"
        );
    }
}

/// The sandbox's projects carry their activity's crediting period (the test scenario's first
/// activity credits 2022–2026): a vintage outside it is refused in the form by invariant 14,
/// naming the period, and one inside it is issued.
#[test]
fn a_sandbox_issue_outside_the_crediting_period_is_refused_with_the_period() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = sandbox_app(d.path());
    vintages_refused_then_issued(
        &mut app,
        d.path(),
        &["2021", "2027"],
        |e, year| {
            e.contains("invariant 14")
                && e.contains(&format!("vintage {year}"))
                && e.contains("2022–2026")
        },
        "2025",
    );
}

/// A new sandbox says how to start instead of showing an empty table; it goes once units
/// are held.
#[test]
fn an_empty_sandbox_says_how_to_start() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = sandbox_app(d.path());
    while app.registry.tab != RegTab::Accounts {
        press_all(&mut app, d.path(), &[ch('v')]);
    }
    let screen = render(&app, 120, 40).replace('\n', " ");
    let squeezed: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        squeezed.contains("holds no units yet. Press i to issue units"),
        "{screen}"
    );
    // The issue form's defaults work as they stand (the vintage inside the crediting period).
    press_all(&mut app, d.path(), &[ch('i'), k(KeyCode::Enter)]);
    assert!(app.popup.is_none(), "{:?}", app.popup);
    let screen = render(&app, 120, 40);
    assert!(!screen.contains("holds no units yet"), "{screen}");
    assert!(screen.contains("EXS:DEV0001:Holding"), "{screen}");
}
