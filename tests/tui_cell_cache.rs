//! The cell cache (`tui::cells`) never shows a stale pane: after each change (a key, a resize, a
//! budget edit, a parameter step, the theme) the frame drawn with the cache as the previous frame
//! left it equals the frame drawn with an empty cache — cells, styles and all.

mod tui_support;

use ndc_workbench::tui::app::App;
use ndc_workbench::tui::cells;
use ndc_workbench::tui::theme::Theme;
use ndc_workbench::tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

fn frame(app: &App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| ui::draw(f, app)).expect("draw");
    t.backend().buffer().clone()
}

/// The frame at `w`×`h` drawn warm (the cache as the last frame left it) equals the frame drawn
/// cold; returns it.
#[track_caller]
fn same_warm_and_cold(app: &App, w: u16, h: u16, what: &str) -> Buffer {
    let warm = frame(app, w, h);
    cells::clear();
    let cold = frame(app, w, h);
    assert_eq!(
        warm, cold,
        "{what} at {w}×{h}: the cache showed a stale pane"
    );
    // Warm again for the next step (and a hit draws the same frame).
    assert_eq!(
        frame(app, w, h),
        cold,
        "{what} at {w}×{h}: a cache hit differs"
    );
    cold
}

#[test]
fn resizing_redraws_the_help_overlay_for_the_new_size() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    app.theme = Theme { no_color: false };
    press_all(&mut app, d.path(), &[ch('?')]);
    assert!(app.help);
    let big = same_warm_and_cold(&app, 200, 60, "help");
    let renders = cells::renders("help");
    let small = same_warm_and_cold(&app, 120, 40, "help");
    assert!(
        cells::renders("help") > renders,
        "a resize draws the help afresh"
    );
    same_warm_and_cold(&app, 80, 24, "help");
    same_warm_and_cold(&app, 100, 30, "help");
    // The same size again is a hit.
    let before = cells::renders("help");
    frame(&app, 100, 30);
    assert_eq!(
        cells::renders("help"),
        before,
        "an unchanged frame reuses the help cells"
    );
    assert_ne!(big.area, small.area);
    // Another screen's help, and without colour.
    press_all(&mut app, d.path(), &[k(KeyCode::Esc), ch('4'), ch('?')]);
    same_warm_and_cold(&app, 200, 60, "help on Simulate");
    app.theme = Theme { no_color: true };
    same_warm_and_cold(&app, 200, 60, "help without colour");
}

/// A frame's text, for comparing what a pane says.
fn text(b: &Buffer) -> String {
    b.content.iter().map(|c| c.symbol()).collect()
}

#[test]
fn a_budget_edit_redraws_the_simulate_chart_and_table() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    app.theme = Theme { no_color: false };
    press_all(&mut app, d.path(), &[ch('4')]);
    let before = same_warm_and_cold(&app, 200, 60, "simulate");
    let chart = cells::renders("simulate.chart");
    // A budget edit (as the Budget screen stores it): the land sector becomes a large sink.
    make_land_a_large_sink(&mut app);
    assert!(
        app.derived
            .as_ref()
            .is_some_and(|d| d.edits_error.is_none()),
        "the edit applies"
    );
    let after = same_warm_and_cold(&app, 200, 60, "simulate after a budget edit");
    assert_ne!(
        text(&before),
        text(&after),
        "the edit changes the simulation"
    );
    assert!(cells::renders("simulate.chart") > chart);
    // A parameter step, the comparison, the small-terminal switch, no colour.
    press_all(&mut app, d.path(), &[ch('j'), ch('+')]);
    same_warm_and_cold(&app, 200, 60, "simulate after a parameter step");
    press_all(&mut app, d.path(), &[ch('c')]);
    same_warm_and_cold(&app, 200, 60, "simulate comparing methods");
    press_all(&mut app, d.path(), &[ch('c'), ch('c')]);
    same_warm_and_cold(&app, 120, 40, "simulate");
    same_warm_and_cold(&app, 80, 24, "simulate (chart)");
    press_all(&mut app, d.path(), &[ch('t')]);
    same_warm_and_cold(&app, 80, 24, "simulate (table)");
    app.theme = Theme { no_color: true };
    same_warm_and_cold(&app, 200, 60, "simulate without colour");
}

#[test]
fn every_screen_and_its_moves_draw_fresh_cells() {
    let steps: Vec<(&str, Vec<ratatui::crossterm::event::KeyEvent>)> = vec![
        ("reflect", vec![]),
        ("reflect, next question", vec![ch('j')]),
        ("reflect, facts scrolled", vec![k(KeyCode::PageDown)]),
        ("reflect, editing", vec![k(KeyCode::Enter)]),
        ("reflect, answered", vec![ch('a'), ch('b'), k(KeyCode::Esc)]),
        ("discuss", vec![ch('2')]),
        ("discuss, next question", vec![ch('j'), ch('j')]),
        ("home", vec![ch('0')]),
        ("home, next item", vec![ch('j')]),
        ("budget", vec![ch('3')]),
        ("registry", vec![ch('5')]),
        ("registry, next row", vec![ch('j')]),
        ("registry blocks", vec![ch('v')]),
        ("registry explorer", vec![ch('v')]),
        ("registry explorer, next row", vec![ch('j'), ch('j')]),
        ("registry drills", vec![ch('v')]),
        ("registry sandbox", vec![ch('s')]),
        ("report", vec![ch('6')]),
        ("readiness", vec![ch('7')]),
        ("readiness, scrolled", vec![ch('j'), ch('j')]),
        ("readiness comparison", vec![ch('a')]),
    ];
    // Each size on its own app, so every warm frame starts from the previous state's cache at
    // the same size.
    for (w, h) in [(200, 60), (120, 40), (80, 24)] {
        let d = tempfile::tempdir().expect("tmp");
        let mut app = app_open(d.path());
        app.theme = Theme { no_color: false };
        cells::clear();
        for (what, ks) in &steps {
            press_all(&mut app, d.path(), ks);
            same_warm_and_cold(&app, w, h, what);
        }
        app.theme = Theme { no_color: true };
        same_warm_and_cold(&app, w, h, "readiness without colour");
    }
}
