//! `update()` tests driven by mouse clicks (`--mouse`): a click selects the row under it, a
//! click on the selected row opens it like Enter, a click in the answer pane starts editing.
//! Each test draws first (clicks are resolved against the last frame), then clicks where the
//! text is on that frame.

mod tui_support;

use ndc_workbench::tui::app::{Action, App, Effect, Popup, RegTab, Screen, update};
use ndc_workbench::tui::params::Param;
use ratatui::crossterm::event::KeyCode;
use std::path::Path;
use tui_support::*;

/// Where `needle` is on the frame drawn at `w`×`h` (column, row): its first occurrence on
/// something clickable (a title in a details pane is not).
fn find(app: &App, w: u16, h: u16, needle: &str) -> (u16, u16) {
    let screen = render(app, w, h);
    for (y, line) in screen.lines().enumerate() {
        for (i, _) in line.match_indices(needle) {
            let x = u16::try_from(line[..i].chars().count()).expect("fits");
            let y = u16::try_from(y).expect("fits");
            if app.hits.at(x, y).is_some() {
                return (x, y);
            }
        }
    }
    panic!("`{needle}` is not on anything clickable:\n{screen}");
}

/// Draw at 80×24, click on `needle`, perform the effects.
fn click(app: &mut App, d: &Path, needle: &str) -> Vec<Effect> {
    click_at(app, d, 80, 24, needle)
}

fn click_at(app: &mut App, d: &Path, w: u16, h: u16, needle: &str) -> Vec<Effect> {
    let (x, y) = find(app, w, h, needle);
    let fx = update(app, Action::Click(x, y));
    let out = fx.clone();
    run_effects(app, d, fx);
    out
}

#[test]
fn home_click_selects_a_scenario_and_a_second_click_opens_it() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_on_home();
    app.home_sel = 0;
    let fx = click(&mut app, d.path(), "Examplestan");
    // The first entry is the scenario itself: a click on the selected row opens it.
    assert!(
        fx.iter().any(|e| matches!(e, Effect::Open { .. })),
        "{fx:?}"
    );
}

#[test]
fn home_click_on_another_row_only_selects_it() {
    let mut app = app_on_home();
    let mut extra = app.home.builtins[0].clone();
    extra.title = "Second prepared scenario".into();
    extra.id = "second-2030".into();
    app.home.builtins.push(extra);
    let d = tempfile::tempdir().expect("tmp");
    let fx = click(&mut app, d.path(), "Second prepared");
    assert!(fx.is_empty(), "a first click only selects: {fx:?}");
    assert_eq!(app.home_sel, 1);
    let fx = click(&mut app, d.path(), "Second prepared");
    assert!(fx.iter().any(|e| matches!(e, Effect::Open { .. })));
}

#[test]
fn clicks_on_questions_select_then_edit_and_the_answer_pane_focuses_the_editor() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    assert_eq!(app.screen, Screen::Reflect);
    let before = app.reflect.selected;
    click(&mut app, d.path(), "future NDC?");
    assert_ne!(
        app.reflect.selected, before,
        "the clicked question is selected"
    );
    let sel = app.reflect.selected;
    assert!(!app.editing(), "a first click does not edit");
    // The second line of a wrapped question belongs to it too.
    click(&mut app, d.path(), "future NDC?");
    assert_eq!(app.reflect.selected, sel);
    assert!(
        app.editing(),
        "a click on the selected question edits its answer"
    );
    type_text(&mut app, d.path(), "Methane from waste.");
    // A click on another question stops editing (the answer is kept) and selects it.
    click(&mut app, d.path(), "LT-LEDS?");
    assert!(!app.editing());
    assert_ne!(app.reflect.selected, sel);
    let answered = app
        .work
        .as_ref()
        .map(|w| {
            w.session
                .answers
                .values()
                .any(|a| a.text == "Methane from waste.")
        })
        .unwrap_or(false);
    assert!(answered, "the answer typed before the click is saved");
    // A click in the answer pane starts editing the selected question's answer.
    click(&mut app, d.path(), "Not answered yet");
    assert!(app.editing());
    // Clicking inside the editor keeps editing.
    click(&mut app, d.path(), "Your answer");
    assert!(app.editing());
}

#[test]
fn budget_clicks_select_a_sector_drill_in_and_edit_a_field() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('3')]);
    assert_eq!(app.budget.sector, 0);
    click(&mut app, d.path(), "Energy ");
    assert_eq!(app.budget.sector, 1);
    assert_eq!(app.budget.drilled, None);
    click(&mut app, d.path(), "Energy ");
    assert_eq!(
        app.budget.drilled,
        Some(0),
        "a click on the selected sector drills in"
    );
    // The fields of the activity: click one, click it again to edit it.
    click(&mut app, d.path(), "crediting period");
    let f = app.budget.field;
    assert!(f > 0, "the field was selected");
    click(&mut app, d.path(), "crediting period");
    assert!(matches!(app.popup, Some(Popup::BudgetEdit { .. })));
    // A popup captures clicks.
    click(&mut app, d.path(), "Esc");
    assert!(matches!(app.popup, Some(Popup::BudgetEdit { .. })));
    press_all(&mut app, d.path(), &[k(KeyCode::Esc)]);
    // The activity row: a click on the selected row edits like Enter.
    let name = render(&app, 80, 24)
        .lines()
        .find(|l| l.starts_with("┃› "))
        .map(|l| l.chars().skip(3).take(12).collect::<String>())
        .expect("a selected activity row");
    click(&mut app, d.path(), &name);
    assert!(matches!(app.popup, Some(Popup::BudgetEdit { .. })));
}

#[test]
fn simulate_click_selects_a_parameter_and_a_second_click_changes_or_types_it() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('4')]);
    let i = Param::ALL
        .iter()
        .position(|p| p.label() == "Buffer")
        .expect("buffer");
    click(&mut app, d.path(), " Buffer ");
    assert_eq!(app.simulate.sel, i);
    assert!(app.popup.is_none());
    click(&mut app, d.path(), "Buffer");
    assert!(
        matches!(app.popup, Some(Popup::Param { .. })),
        "the buffer is typed: a second click opens its field"
    );
}

#[test]
fn simulate_at_80x24_switches_chart_and_table_with_t_or_a_click() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('4')]);
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("Emissions"),
        "the chart shows first:\n{screen}"
    );
    assert!(
        screen.contains("t chart/table"),
        "the hint names t:\n{screen}"
    );
    press_all(&mut app, d.path(), &[ch('t')]);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Per year"), "t shows the table:\n{screen}");
    assert!(!screen.contains("Emissions,"));
    click(&mut app, d.path(), "2025");
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("Emissions"),
        "a click on the table shows the chart"
    );
    // At 120×40 both show and t is not offered.
    let screen = render(&app, 120, 40);
    assert!(screen.contains("Emissions") && screen.contains("Per year"));
    assert!(!screen.contains("chart/table"));
    let table = app.simulate.table;
    press_all(&mut app, d.path(), &[ch('t')]);
    assert_eq!(app.simulate.table, table, "t does nothing when both show");
}

#[test]
fn registry_clicks_switch_views_select_rows_and_open_the_life_story() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('5')]);
    click(&mut app, d.path(), "Blocks ");
    assert_eq!(app.registry.tab, RegTab::Blocks);
    let second = render(&app, 80, 24)
        .lines()
        .filter(|l| l.contains("EXS"))
        .nth(1)
        .map(|l| {
            l.trim_start_matches('┃')
                .chars()
                .take(24)
                .collect::<String>()
        })
        .expect("two blocks");
    click(&mut app, d.path(), &second);
    assert_eq!(app.registry.sel, 1);
    assert!(app.registry.life.is_none());
    click(&mut app, d.path(), &second);
    assert!(
        app.registry.life.is_some(),
        "a second click opens its life story"
    );
    press_all(&mut app, d.path(), &[k(KeyCode::Esc)]);
    click(&mut app, d.path(), "Drills");
    assert_eq!(app.registry.tab, RegTab::Drills);
    let n = app.work.as_ref().map(|w| w.pack.drills.len()).unwrap_or(0);
    if n > 1 {
        let title = app.work.as_ref().map(|w| w.pack.drills[1].title.clone());
        let title = title.unwrap_or_default();
        let title: String = title.chars().take(20).collect();
        click(&mut app, d.path(), &title);
        assert_eq!(app.registry.drill, 1);
    }
}

#[test]
fn a_click_closes_help_and_tabs_still_switch_screens_from_the_editor() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('?')]);
    assert!(app.help);
    update(&mut app, Action::Click(1, 10));
    assert!(!app.help);
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    assert!(app.editing());
    click(&mut app, d.path(), "3 Budget");
    assert_eq!(app.screen, Screen::Budget);
    assert!(!app.editing());
}

#[test]
fn a_click_on_a_scrolled_home_list_selects_the_row_that_is_shown() {
    let mut app = app_on_home();
    let card = app.home.builtins[0].clone();
    for i in 0..30 {
        let mut c = card.clone();
        c.title = format!("Scenario number {i:02}");
        c.id = format!("s{i:02}");
        app.home.builtins.push(c);
    }
    app.home_sel = 25; // scrolled down
    let d = tempfile::tempdir().expect("tmp");
    click(&mut app, d.path(), "Scenario number 20");
    assert_eq!(
        app.home_sel, 21,
        "entry 0 is the first card, then number 00…"
    );
}

#[test]
fn a_click_on_a_sandbox_form_field_focuses_it() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('5'), ch('s'), ch('t')]);
    let Some(Popup::Form(f)) = &app.popup else {
        panic!("the transfer form is open");
    };
    assert_eq!(f.focus, 0);
    click(&mut app, d.path(), "quantity");
    let Some(Popup::Form(f)) = &app.popup else {
        panic!("the form stays open");
    };
    assert_eq!(f.fields[f.focus].0, "quantity");
}
