//! Every screen drawn into a TestBackend at 80×24 and 120×40, compared with reviewed snapshots
//! (`tests/snapshots/`). No timestamps or machine paths appear on these screens.

mod tui_support;

use chrono::TimeZone;
use ndc_workbench::tui::app::{Action, App, update};
use ndc_workbench::workshop::session::SessionSummary;
use ratatui::crossterm::event::KeyCode;
use std::path::PathBuf;
use tui_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snap(name: &str, app: &App) {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(app, w, h));
    }
}

/// [`snap`] with the test's data folder (a new temporary path each run) written `<data>`.
fn snap_in(name: &str, app: &App, data: &std::path::Path) {
    let data = data.to_string_lossy();
    for (w, h) in SIZES {
        insta::assert_snapshot!(
            format!("{name}_{w}x{h}"),
            render(app, w, h).replace(&*data, "<data>")
        );
    }
}

const LONG: &str = "Our NDC covers energy and AFOLU with an unconditional target of 20% below BAU in 2030, and a conditional target of 35% that needs finance, technology and Article 6 cooperation.\nWaste is outside the scope for now; we estimate about 150 kt in 2030 and would like to bring it in with the next NDC.";

fn answered(d: &std::path::Path) -> App {
    let mut app = app_open(d);
    press_all(&mut app, d, &[k(KeyCode::Enter)]);
    type_text(&mut app, d, "Energy and AFOLU, 20% below BAU by 2030.");
    press_all(&mut app, d, &[k(KeyCode::Esc), ch('j'), ch('j')]);
    app
}

#[test]
fn home() {
    let mut app = app_on_home();
    app.home.sessions.push(SessionSummary {
        path: PathBuf::from("sessions/testland-2030--pema.json"),
        participant: "Pema".into(),
        scenario_id: "testland-2030".into(),
        scenario_title: "Examplestan — small hydro-rich host (illustrative)".into(),
        scenario_source: "builtin:testland-2030".into(),
        updated_at: chrono::Utc
            .with_ymd_and_hms(2026, 3, 1, 9, 0, 0)
            .single()
            .expect("time"),
        answered: 4,
        total: Some(17),
    });
    snap("home", &app);
    press(&mut app, ch('j'));
    snap("home_scenario_selected", &app);
}

#[test]
fn participant_popup() {
    let mut app = App::new(
        tui_support::home(),
        None,
        "pema".into(),
        Default::default(),
        ndc_workbench::tui::app::fixed_clock,
    );
    app.theme.no_color = true;
    app.ask_participant();
    snap("participant_popup", &app);
}

#[test]
fn reflect() {
    let d = tempfile::tempdir().expect("tmp");
    snap("reflect", &answered(d.path()));
}

#[test]
fn reflect_editor_with_a_long_wrapped_answer() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    update(&mut app, Action::Paste(LONG.into()));
    snap("reflect_editing_long", &app);
}

#[test]
fn discuss_with_group_tag() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('2'), ch('j'), ch('g')]);
    type_text(&mut app, d.path(), "Team Blue");
    press_all(&mut app, d.path(), &[k(KeyCode::Enter), k(KeyCode::Enter)]);
    type_text(
        &mut app,
        d.path(),
        "Shared registry infrastructure and training for registry operators.",
    );
    press_all(&mut app, d.path(), &[k(KeyCode::Esc), k(KeyCode::End)]);
    snap("discuss", &app);
    press_all(&mut app, d.path(), &[k(KeyCode::Home), ch('j'), ch('g')]);
    snap("discuss_group_popup", &app);
}

#[test]
fn budget() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('3')]);
    snap("budget", &app);
    press_all(&mut app, d.path(), &[ch('j'), k(KeyCode::Enter)]);
    snap("budget_activities", &app);
}

#[test]
fn budget_edit_refused_and_macc() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(
        &mut app,
        d.path(),
        &[ch('3'), ch('j'), k(KeyCode::Enter), ch('l'), ch('e')],
    );
    let keys: Vec<_> = (0..30).map(|_| k(KeyCode::Backspace)).collect();
    press_all(&mut app, d.path(), &keys);
    type_text(&mut app, d.path(), "{ 2021 = 60, 2030 = -5 }");
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    snap("budget_edit_refused", &app);
    press_all(&mut app, d.path(), &[k(KeyCode::Esc), ch('h'), ch('e')]);
    press_all(&mut app, d.path(), &keys);
    type_text(&mut app, d.path(), "5\n");
    press_all(&mut app, d.path(), &[k(KeyCode::Esc), k(KeyCode::Esc)]);
    snap("budget_edited", &app);
    press_all(&mut app, d.path(), &[ch('m')]);
    snap("budget_macc", &app);
}

#[test]
fn simulate() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('4')]);
    snap("simulate", &app);
    // 80×24 shows the chart or the per-year table; t switches (the hint bar says so).
    render(&app, 80, 24);
    press_all(&mut app, d.path(), &[ch('t')]);
    insta::assert_snapshot!("simulate_table_80x24", render(&app, 80, 24));
    press_all(&mut app, d.path(), &[ch('t')]);
    press_all(&mut app, d.path(), &[ch('c')]);
    snap("simulate_compare", &app);
    press_all(&mut app, d.path(), &[ch('c'), ch('c'), ch('+'), ch('+')]);
    snap("simulate_method_refused", &app);
}

/// A host whose land sector is a large net sink: the balance goes below zero and the chart
/// shows it under the zero line, at both sizes.
#[test]
fn simulate_net_sink() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    make_land_a_large_sink(&mut app);
    assert!(
        app.derived
            .as_ref()
            .and_then(|d| d.edits_error.clone())
            .is_none(),
        "the sink edit applies"
    );
    press_all(&mut app, d.path(), &[ch('4')]);
    snap("simulate_net_sink", &app);
}

#[test]
fn registry() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('5')]);
    snap("registry_accounts", &app);
    press_all(&mut app, d.path(), &[ch('v'), ch('j'), k(KeyCode::Enter)]);
    snap("registry_life", &app);
    let serial = app.registry.life.clone().expect("serial");
    press_all(&mut app, d.path(), &[k(KeyCode::Esc), ch('/')]);
    type_text(&mut app, d.path(), &serial);
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    snap("registry_explorer_filtered", &app);
}

#[test]
fn registry_sandbox() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(
        &mut app,
        d.path(),
        &[ch('5'), ch('s'), ch('v'), ch('v'), ch('v')],
    );
    press_all(&mut app, d.path(), &[ch('i'), k(KeyCode::Enter)]);
    snap("registry_drill", &app);
    // Retire ITMOs before any exist in the account: refused with the rule.
    press_all(&mut app, d.path(), &[ch('c')]);
    press_all(&mut app, d.path(), &[k(KeyCode::Down)]);
    let keys: Vec<_> = (0..10).map(|_| k(KeyCode::Backspace)).collect();
    press_all(&mut app, d.path(), &keys);
    type_text(&mut app, d.path(), "99999\n");
    snap("registry_form_rejected", &app);
}

#[test]
fn readiness() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('7')]);
    snap("readiness", &app);
    press_all(&mut app, d.path(), &[ch('a')]);
    snap("readiness_comparison", &app);
}

#[test]
fn report() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = answered(d.path());
    press_all(&mut app, d.path(), &[ch('6')]);
    snap_in("report", &app, d.path());
    let files = ["md", "csv", "json"]
        .map(|x| format!("./ndc-workbench-export/testland-2030--tester-answers.{x}"))
        .to_vec();
    update(&mut app, Action::Exported(files));
    snap_in("report_exported", &app, d.path());
}

#[test]
fn help() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('2'), ch('?')]);
    snap("help_discuss", &app);
    let mut home = app_on_home();
    press(&mut home, ch('?'));
    snap("help_home", &home);
}

#[test]
fn screens_without_a_scenario() {
    let mut app = app_on_home();
    press(&mut app, ch('1'));
    insta::assert_snapshot!("no_scenario_80x24", render(&app, 80, 24));
}

#[test]
fn terminal_too_small() {
    let d = tempfile::tempdir().expect("tmp");
    let app = app_open(d.path());
    insta::assert_snapshot!("too_small_79x24", render(&app, 79, 24));
    insta::assert_snapshot!("too_small_100x23", render(&app, 100, 23));
}

#[test]
fn without_colour_selection_and_focus_stay_visible() {
    use ratatui::style::{Color, Modifier};
    let d = tempfile::tempdir().expect("tmp");
    let app = answered(d.path());
    assert!(app.theme.no_color);
    let mut t =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).expect("terminal");
    t.draw(|f| ndc_workbench::tui::ui::draw(f, &app))
        .expect("draw");
    let buf = t.backend().buffer();
    let mut colours = 0;
    let mut selected_reversed = false;
    for y in 0..24 {
        for x in 0..80 {
            let c = &buf[(x, y)];
            if c.fg != Color::Reset || c.bg != Color::Reset {
                colours += 1;
            }
            if c.symbol() == "›" && c.modifier.contains(Modifier::REVERSED) {
                selected_reversed = true;
            }
        }
    }
    assert_eq!(colours, 0, "NO_COLOR: no colours at all");
    assert!(selected_reversed, "the selected question is reversed");
    // the focused pane has a thick border, the others a plain one
    assert_eq!(buf[(0, 2)].symbol(), "┏");
    assert_eq!(buf[(79, 2)].symbol(), "┐");
}
