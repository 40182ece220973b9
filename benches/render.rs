//! Drawing each screen at 200×60 into a TestBackend (goal: ≤ 1 ms per frame).

use criterion::{Criterion, criterion_group, criterion_main};
use ndc_workbench::scenario::builtin;
use ndc_workbench::tui::app::{Action, App, ScenarioRef, Screen, fixed_clock, update};
use ndc_workbench::tui::theme::Theme;
use ndc_workbench::tui::{run, ui};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;

fn app(dir: &std::path::Path) -> App {
    let id = builtin::by_id(builtin::DEFAULT_ID)
        .map(|_| builtin::DEFAULT_ID.to_string())
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
    app.screen = Screen::Reflect;
    app.help = true;
    c.bench_function("draw help 200x60", |b| {
        b.iter(|| {
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
