//! `collect` over a workshop of 200 sessions (goal: ≤ 1 s). Each session has answers, a budget
//! edit on every fourth, its own buffer, and is simulated once (no Monte Carlo). Generated in
//! a temporary folder. Run: `cargo bench --bench collect`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ndc_workbench::report::collect;
use ndc_workbench::scenario;
use ndc_workbench::simulate::Params;
use ndc_workbench::workshop::session::{Session, session_path};
use ndc_workbench::workshop::{self, Part};

const SESSIONS: usize = 200;

fn workshop_dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().expect("tmp");
    let s = scenario::resolve("bhutan-2030").expect("scenario");
    let pack = workshop::builtin_pack(workshop::DEFAULT_PACK)
        .expect("pack")
        .expect("valid");
    let t = Utc
        .with_ymd_and_hms(2025, 3, 4, 9, 0, 0)
        .single()
        .expect("time");
    for i in 0..SESSIONS {
        let mut sess = Session::new(&format!("Participant {i:03}"), &s, &pack, t);
        for (j, (_, q)) in pack
            .questions_in(Part::Reflect)
            .chain(pack.questions_in(Part::Discuss))
            .enumerate()
        {
            if (i + j) % 3 != 0 {
                sess.set_answer(
                    &q.id,
                    &format!("answer {i} to {} — {}", q.id, "x".repeat(200)),
                    t,
                );
            }
        }
        if i % 4 == 0 {
            sess.budget_edits.insert(
                "activity.dagachhu-hydro.cost_per_t".into(),
                serde_json::json!(format!("{}", 5 + i % 20)),
            );
        }
        let mut p = Params::from_scenario(&s);
        p.buffer = rust_decimal::Decimal::new((i % 30) as i64, 2);
        if let Ok(serde_json::Value::Object(m)) = serde_json::to_value(&p) {
            sess.simulation = m;
        }
        sess.save(&session_path(d.path(), s.id(), &sess.participant))
            .expect("save");
    }
    d
}

fn bench(c: &mut Criterion) {
    let d = workshop_dir();
    let dirs = vec![d.path().join("sessions")];
    let t0 = Instant::now();
    let once = collect::collect(&dirs, None).expect("collect");
    let md = collect::markdown(&once);
    eprintln!(
        "collect of {} sessions: {:.3} s once, {} KiB of Markdown, {} cores",
        once.sessions.len(),
        t0.elapsed().as_secs_f64(),
        md.len() / 1024,
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    // where the time goes, per session
    let s = scenario::resolve("bhutan-2030").expect("scenario");
    let p = Params::from_scenario(&s);
    let t1 = Instant::now();
    for _ in 0..10 {
        black_box(ndc_workbench::simulate::run(&s, &p).expect("sim"));
    }
    let sim_ms = t1.elapsed().as_secs_f64() * 100.0;
    let sess = &once.sessions[0].session;
    let t2 = Instant::now();
    for _ in 0..10 {
        black_box(ndc_workbench::report::session::edited(&s, sess).expect("edit"));
    }
    let edit_ms = t2.elapsed().as_secs_f64() * 100.0;
    let t3 = Instant::now();
    for _ in 0..10 {
        black_box(Session::load(&once.sessions[0].path).expect("load"));
    }
    let load_ms = t3.elapsed().as_secs_f64() * 100.0;
    eprintln!(
        "per session: simulate {sim_ms:.2} ms, budget edits {edit_ms:.2} ms, load {load_ms:.2} ms"
    );
    let mut g = c.benchmark_group("collect");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    g.bench_function("200 sessions (read, simulate, summarise)", |b| {
        b.iter(|| {
            let s = collect::collect(black_box(&dirs), None).expect("collect");
            black_box(collect::markdown(&s).len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
