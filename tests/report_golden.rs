//! Golden files for `report`: a fixed session (answers, a budget edit, a buffer parameter and a
//! small registry journal) on the built-in Bhutan scenario, in Markdown, JSON and CSV.
//! Compared exactly. Regenerate deliberately with `UPDATE_GOLDEN=1 cargo test --test
//! report_golden`, then read the diff as a trainer would.

mod report_common;

use ndc_workbench::report::session as rs;
use std::path::{Path, PathBuf};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/report")
}

fn check(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1 once)", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  actual: {:?}\n(UPDATE_GOLDEN=1 regenerates it deliberately)",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

fn fixture_report() -> rs::Report {
    let d = tempfile::tempdir().expect("tmp");
    let s = report_common::session_with_edit("Ana Pereira");
    let p = report_common::save(d.path(), &s, true);
    let inputs = rs::load(p.to_str().expect("utf-8 path")).expect("inputs");
    rs::build(inputs).expect("report")
}

#[test]
fn markdown_report_matches_golden() {
    let r = fixture_report();
    check("report.md", &rs::markdown(&r));
}

#[test]
fn json_report_matches_golden() {
    let r = fixture_report();
    let text = serde_json::to_string_pretty(&rs::json(&r)).expect("json") + "\n";
    check("report.json", &text);
}

#[test]
fn csv_report_matches_golden() {
    let r = fixture_report();
    let files = rs::csv_files(&r).expect("csv");
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "answers.csv",
            "budget-edits.csv",
            "budget.csv",
            "simulation-years.csv",
            "simulation-summary.csv",
            "registry-summary.csv",
            "registry-beneficiaries.csv",
            "registry-holdings.csv",
            "provenance.csv"
        ]
    );
    for (name, text) in files {
        check(&format!("csv/{name}"), &text);
    }
}

#[test]
fn the_report_reads_the_sessions_journal_edits_and_parameters() {
    let r = fixture_report();
    assert_eq!(r.registry.source, "session-journal");
    assert_eq!(r.registry.issued, 1000);
    assert_eq!(r.registry.retired, 10);
    // 5 cancelled by the drill + 20 OMGE cancelled at issuance (2 % of 1,000)
    assert_eq!(r.registry.cancelled, 25);
    assert_eq!(r.registry.beneficiaries[0].name, "Druk Air");
    assert_eq!(r.sim.params.buffer.to_string(), "0.1");
    assert_eq!(r.mc.as_ref().map(|m| m.result.runs), Some(rs::MC_RUNS));
    let v = rs::json(&r);
    assert_eq!(v["format"], rs::REPORT_FORMAT);
    assert_eq!(
        v["budget"]["edits"][0]["path"],
        "activity.dagachhu-hydro.cost_per_t"
    );
    assert_eq!(v["simulation"]["seed"], 1);
}
