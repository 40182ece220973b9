//! Start-up to the first drawn frame (goal: ≤ 100 ms).
//!
//! In process, the same steps `tui::launch` takes before its first `terminal.draw`: gather
//! Home's lists (the built-in scenarios, `./scenarios`, the data folder's scenarios and a data
//! folder holding 50 sessions), build the `App`, draw Home at 80×24; and, for
//! `ndc-workbench SCENARIO`, open the default built-in scenario with its question pack and the
//! participant's session and draw its first screen (Reflect).
//!
//! Out of process: the release binary spawned in a pseudo-terminal (portable-pty), timed until
//! the first frame's bytes arrive (the Home tab row on the screen), for Home and for a scenario.
//! `cargo bench --bench startup`.

use criterion::{Criterion, criterion_group, criterion_main};
use ndc_workbench::scenario::builtin;
use ndc_workbench::tui::app::{Action, App, ScenarioRef, fixed_clock, update};
use ndc_workbench::tui::theme::Theme;
use ndc_workbench::tui::{run, ui};
use ndc_workbench::workshop::session;
use ndc_workbench::workshop::{DEFAULT_PACK, builtin_pack};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SESSIONS: usize = 50;

/// A data folder with `SESSIONS` sessions on the prepared scenarios, each with a few answers.
fn data_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ndcw-bench-start-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let Some(Ok(pack)) = builtin_pack(DEFAULT_PACK) else {
        panic!("the default pack is built in");
    };
    let scenarios: Vec<_> = builtin::all().into_iter().flatten().collect();
    for i in 0..SESSIONS {
        let s = &scenarios[i % scenarios.len()];
        let o = match session::open(
            &dir,
            &format!("participant {i:02}"),
            s,
            &pack,
            fixed_clock(),
        ) {
            Ok(o) => o,
            Err(e) => panic!("session: {e}"),
        };
        let mut sess = o.session;
        for q in pack.questions.iter().take(i % 7) {
            sess.set_answer(
                &q.id,
                &"An answer of a few sentences about the NDC. ".repeat(8),
                fixed_clock(),
            );
        }
        if let Err(e) = sess.save(&o.path) {
            panic!("save: {e}");
        }
    }
    dir
}

fn draw(app: &App, w: u16, h: u16) {
    let mut term = match Terminal::new(TestBackend::new(w, h)) {
        Ok(t) => t,
        Err(e) => panic!("test backend: {e}"),
    };
    let _ = term.draw(|f| ui::draw(f, black_box(app)));
}

/// `ndc-workbench` → Home drawn.
fn to_home(dir: &Path) -> App {
    let home = run::scan_home(dir);
    let app = App::new(
        home,
        Some("bench".into()),
        "bench".into(),
        Theme::default(),
        fixed_clock,
    );
    draw(&app, 80, 24);
    app
}

/// `ndc-workbench bhutan-2030` → its first screen drawn.
fn to_scenario(dir: &Path) -> App {
    let home = run::scan_home(dir);
    let mut app = App::new(
        home,
        Some("bench".into()),
        "bench".into(),
        Theme::default(),
        fixed_clock,
    );
    let r = ScenarioRef::Builtin(builtin::DEFAULT_ID.into());
    match run::open(dir, &r, "bench", fixed_clock) {
        Ok((w, notice)) => {
            update(&mut app, Action::Opened(Box::new(w), notice));
        }
        Err(e) => panic!("open: {e}"),
    }
    draw(&app, 80, 24);
    app
}

fn in_process(c: &mut Criterion) {
    let dir = data_dir();
    let mut g = c.benchmark_group("startup");
    g.bench_function("scan Home (built-ins + 50 sessions)", |b| {
        b.iter(|| black_box(run::scan_home(&dir)))
    });
    g.bench_function("list 50 sessions", |b| {
        b.iter(|| black_box(session::list(&dir)))
    });
    g.bench_function("built-in scenarios loaded", |b| {
        b.iter(|| black_box(builtin::all()))
    });
    g.bench_function("open the default scenario (load, pack, session)", |b| {
        let r = ScenarioRef::Builtin(builtin::DEFAULT_ID.into());
        b.iter(|| black_box(run::open(&dir, &r, "bench", fixed_clock)))
    });
    g.bench_function("start → Home drawn 80x24", |b| {
        b.iter(|| black_box(to_home(&dir)))
    });
    g.bench_function("start → scenario's first screen drawn 80x24", |b| {
        b.iter(|| black_box(to_scenario(&dir)))
    });
    // What a participant's first visit to Simulate then costs (the simulation runs on demand).
    g.bench_function("scenario open → Simulate drawn 80x24", |b| {
        b.iter_batched(
            || to_scenario(&dir),
            |mut app| {
                update(
                    &mut app,
                    Action::GoTo(ndc_workbench::tui::app::Screen::Simulate),
                );
                draw(&app, 80, 24);
                app
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The release binary in a pty until the Home tab row (or the scenario's first screen) shows.
fn in_pty(c: &mut Criterion) {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read;
    let bin = env!("CARGO_BIN_EXE_ndc-workbench");
    let dir = data_dir();
    let time_once = |args: &[&str], marker: &str| -> Duration {
        let pair = match native_pty_system().openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        }) {
            Ok(p) => p,
            Err(e) => panic!("pty: {e}"),
        };
        let mut cmd = CommandBuilder::new(bin);
        cmd.args(args);
        cmd.cwd(&dir);
        cmd.env("TERM", "xterm-256color");
        let start = Instant::now();
        let mut child = match pair.slave.spawn_command(cmd) {
            Ok(c) => c,
            Err(e) => panic!("spawn: {e}"),
        };
        drop(pair.slave);
        let mut reader = match pair.master.try_clone_reader() {
            Ok(r) => r,
            Err(e) => panic!("reader: {e}"),
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let seen2 = seen.clone();
        let marker = marker.to_string();
        std::thread::spawn(move || {
            let nz = |n| std::num::NonZeroU16::new(n).unwrap_or(std::num::NonZeroU16::MIN);
            let mut parser = vt100::Parser::new(nz(24), nz(80), 0);
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser.process(&buf[..n]);
                // The whole first frame: the marker and the key-hint bar on the last row.
                let screen = parser.screen();
                if let Ok(mut s) = seen2.lock() {
                    *s = screen.contents();
                }
                let last_row = screen.rows(0, 80).last().unwrap_or_default();
                if screen.contents().contains(&marker) && !last_row.trim().is_empty() {
                    let _ = tx.send(Instant::now());
                    break;
                }
            }
        });
        let at = match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(t) => t,
            Err(_) => panic!(
                "no first frame within 10 s; the screen:\n{}",
                seen.lock().map(|s| s.clone()).unwrap_or_default()
            ),
        };
        let _ = child.kill();
        let _ = child.wait();
        at - start
    };
    let data = dir.display().to_string();
    let mut g = c.benchmark_group("startup pty");
    g.sample_size(20);
    g.bench_function("release binary → Home frame (pty 80x24)", |b| {
        b.iter_custom(|n| {
            (0..n)
                .map(|_| time_once(&["--data-dir", &data, "--participant", "bench"], "0 Home"))
                .sum()
        })
    });
    g.bench_function(
        "release binary bhutan-2030 → Reflect frame (pty 80x24)",
        |b| {
            b.iter_custom(|n| {
                (0..n)
                    .map(|_| {
                        time_once(
                            &[
                                "--data-dir",
                                &data,
                                "--participant",
                                "bench",
                                builtin::DEFAULT_ID,
                            ],
                            "Your answer",
                        )
                    })
                    .sum()
            })
        },
    );
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(2)).warm_up_time(Duration::from_millis(300));
    targets = in_process, in_pty
}
criterion_main!(benches);
