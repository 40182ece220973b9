//! Drawing each screen at 200×60 into a TestBackend (goal: ≤ 1 ms per frame), and a budget
//! keystroke on the largest prepared scenario: edit accepted → re-simulated → redrawn (goal:
//! ≤ 16 ms), plus a Simulate parameter step.

use criterion::{Criterion, criterion_group, criterion_main};
use ndc_workbench::scenario::builtin;
use ndc_workbench::tui::app::{Action, App, Popup, ScenarioRef, Screen, fixed_clock, update};
use ndc_workbench::tui::theme::Theme;
use ndc_workbench::tui::{run, ui};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;

/// The prepared scenario with the most activities.
fn largest() -> String {
    builtin::all()
        .into_iter()
        .flatten()
        .max_by_key(|s| s.file.activities.len())
        .map(|s| s.id().to_string())
        .unwrap_or_else(|| builtin::DEFAULT_ID.to_string())
}

fn app(dir: &std::path::Path) -> App {
    app_on(dir, builtin::DEFAULT_ID)
}

fn app_on(dir: &std::path::Path, id: &str) -> App {
    let id = builtin::by_id(id)
        .map(|_| id.to_string())
        .or_else(|| builtin::ids().into_iter().next())
        .unwrap_or_default();
    let home = run::scan_home(dir);
    let mut app = App::new(
        home,
        Some("bench".into()),
        "bench".into(),
        Theme::default(),
        fixed_clock,
    );
    if let Ok((w, _)) = run::open(dir, &ScenarioRef::Builtin(id), "bench", fixed_clock) {
        update(&mut app, Action::Opened(Box::new(w), None));
    }
    // A long answer in the editor, so Reflect draws a realistic text area.
    update(&mut app, Action::GoTo(Screen::Reflect));
    update(
        &mut app,
        Action::Paste(
            "A long answer about the NDC scope, targets and conditional support. ".repeat(20),
        ),
    );
    update(&mut app, Action::Escape);
    update(&mut app, Action::Activate);
    app
}

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("ndcw-bench-{}", std::process::id()));
    let mut app = app(&dir);
    let mut term = match Terminal::new(TestBackend::new(200, 60)) {
        Ok(t) => t,
        Err(e) => panic!("test backend: {e}"),
    };
    for s in Screen::ALL {
        app.screen = s;
        c.bench_function(&format!("draw {} 200x60", s.name()), |b| {
            b.iter(|| {
                let _ = term.draw(|f| ui::draw(f, black_box(&app)));
            })
        });
    }
    // Registry's explorer (every event of the simulation ledger).
    app.screen = Screen::Registry;
    update(&mut app, Action::NextView);
    update(&mut app, Action::NextView);
    c.bench_function("draw registry explorer 200x60", |b| {
        b.iter(|| {
            let _ = term.draw(|f| ui::draw(f, black_box(&app)));
        })
    });
    update(&mut app, Action::NextView);
    update(&mut app, Action::NextView);
    app.screen = Screen::Reflect;
    app.help = true;
    c.bench_function("draw help 200x60", |b| {
        b.iter(|| {
            let _ = term.draw(|f| ui::draw(f, black_box(&app)));
        })
    });
    let _ = std::fs::remove_dir_all(&dir);
    keystrokes(c);
}

/// A budget value typed and accepted on the largest scenario: the edit is checked, the session
/// edits applied, the budget and the simulation rebuilt, and the frame redrawn.
fn keystrokes(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("ndcw-bench-k-{}", std::process::id()));
    let id = largest();
    let mut app = app_on(&dir, &id);
    app.help = false;
    let mut term = match Terminal::new(TestBackend::new(200, 60)) {
        Ok(t) => t,
        Err(e) => panic!("test backend: {e}"),
    };
    update(&mut app, Action::Escape); // leave the answer editor
    update(&mut app, Action::GoTo(Screen::Budget));
    // The first sector with activities.
    let sectors = app
        .work
        .as_ref()
        .map(|w| w.scenario.file.sectors.len())
        .unwrap_or(0);
    while app.sector_activity_count() == 0 && app.budget.sector + 1 < sectors {
        update(&mut app, Action::Move(ndc_workbench::tui::app::Move::Down));
    }
    update(&mut app, Action::Activate);
    let n = app
        .work
        .as_ref()
        .map(|w| w.scenario.file.activities.len())
        .unwrap_or(0);
    let mut flip = false;
    let mut ran = false; // false when a filter left this benchmark out
    c.bench_function(
        &format!("budget keystroke → re-simulate → redraw ({id}, {n} activities)"),
        |b| {
            ran = true;
            b.iter(|| {
                flip = !flip;
                update(&mut app, Action::Edit);
                if let Some(Popup::BudgetEdit { field, .. }) = app.popup.as_mut() {
                    *field = ratatui_textarea::TextArea::new(vec![
                        if flip { "11" } else { "12" }.to_string(),
                    ]);
                }
                let _ = update(&mut app, Action::Activate); // Enter: check, save, recompute
                let _ = term.draw(|f| ui::draw(f, black_box(&app)));
            })
        },
    );
    let edited = app
        .work
        .as_ref()
        .map(|w| w.session.budget_edits.len())
        .unwrap_or(0);
    assert!(
        !ran || edited == 1,
        "the benchmark keystroke must change a budget value"
    );
    update(&mut app, Action::GoTo(Screen::Simulate));
    app.simulate.sel = 5; // buffer
    c.bench_function(&format!("simulate parameter step → redraw ({id})"), |b| {
        b.iter(|| {
            flip = !flip;
            update(&mut app, Action::Adjust(if flip { 1 } else { -1 }));
            let _ = term.draw(|f| ui::draw(f, black_box(&app)));
        })
    });
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(1)).warm_up_time(std::time::Duration::from_millis(300));
    targets = bench
}
criterion_main!(benches);
