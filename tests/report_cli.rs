//! `report` on the command line: formats, output places, exit codes (0 ok, 2 bad input), and
//! CSV cells a spreadsheet would run as formulas neutralised.

mod report_common;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

fn bin() -> Command {
    Command::cargo_bin("ndc-workbench").expect("bin")
}

fn fixture(dir: &std::path::Path) -> std::path::PathBuf {
    report_common::save(dir, &report_common::session_with_edit("Ana Pereira"), true)
}

#[test]
fn markdown_and_json_go_to_stdout() {
    let d = tempfile::tempdir().expect("tmp");
    let p = fixture(d.path());
    bin()
        .arg("report")
        .arg(&p)
        .assert()
        .code(0)
        .stdout(predicates::str::starts_with("# Session report"))
        .stdout(contains("## Registry"))
        .stdout(contains("Druk Air"));
    let out = bin()
        .arg("report")
        .arg(&p)
        .args(["--format", "json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["format"], "ndc-workbench.report/1");
    assert_eq!(v["participant"], "Ana Pereira");
    assert_eq!(v["provenance"]["monte_carlo"]["runs"], 1000);
}

#[test]
fn csv_files_neutralise_formula_like_answers() {
    let d = tempfile::tempdir().expect("tmp");
    let p = fixture(d.path());
    let out = d.path().join("csv");
    bin()
        .arg("report")
        .arg(&p)
        .args(["--format", "csv", "--out"])
        .arg(&out)
        .assert()
        .code(0);
    let answers = std::fs::read_to_string(out.join("answers.csv")).expect("answers.csv");
    let mut rdr = csv::Reader::from_reader(answers.as_bytes());
    let cells: Vec<String> = rdr
        .records()
        .map(|r| r.expect("row")[8].to_string())
        .filter(|a| !a.is_empty())
        .collect();
    for (lead, want) in [
        ('=', "'=HYPERLINK(\"x\")\n+ second line"),
        ('+', "'+1 more registry staff"),
        ('-', "'-registry not ready"),
        ('@', "'@risk: price discovery"),
    ] {
        assert!(
            cells.iter().any(|c| c == want),
            "a `{lead}` answer neutralised as {want:?}: {cells:?}"
        );
    }
    for c in &cells {
        assert!(!c.starts_with(['=', '+', '-', '@']), "not neutralised: {c}");
    }
    for f in [
        "budget.csv",
        "simulation-years.csv",
        "registry-holdings.csv",
        "provenance.csv",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
}

#[test]
fn csv_defaults_to_a_folder_named_after_scenario_and_participant() {
    let d = tempfile::tempdir().expect("tmp");
    let p = fixture(d.path());
    bin()
        .current_dir(d.path())
        .arg("report")
        .arg(&p)
        .args(["--format", "csv"])
        .assert()
        .code(0);
    assert!(
        d.path()
            .join("report-bhutan-2030-ana-pereira/answers.csv")
            .is_file()
    );
}

#[test]
fn a_scenario_is_reported_without_answers() {
    bin()
        .args(["report", "examplestan-2030"])
        .assert()
        .code(0)
        .stdout(contains("Participant: none"))
        .stdout(contains("without answers"));
    let d = tempfile::tempdir().expect("tmp");
    bin()
        .args(["report", "examplestan-2030", "--format", "json", "--out"])
        .arg(d.path())
        .assert()
        .code(0);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.path().join("report.json")).expect("file"))
            .expect("json");
    assert!(v["answers"].is_null());
}

#[test]
fn bad_input_exits_2() {
    let d = tempfile::tempdir().expect("tmp");
    // The file is named once, with the reason.
    let missing = d.path().join("missing.json");
    let out = bin().arg("report").arg(&missing).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert_eq!(
        err.matches("missing.json").count(),
        1,
        "named once, not twice: {err}"
    );
    bin()
        .args(["report", "no-such-scenario"])
        .assert()
        .code(2)
        .stderr(contains("no scenario"));
    let bad = d.path().join("bad.json");
    std::fs::write(&bad, "{\"schema\": 1}").expect("write");
    bin()
        .arg("report")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(contains("not a readable session file"));
    let mut s = report_common::session("Ana Pereira", "bhutan-2030");
    s.budget_edits
        .insert("activity.nope.cost_per_t".into(), serde_json::json!("1"));
    let p = report_common::save(d.path(), &s, false);
    bin()
        .arg("report")
        .arg(&p)
        .assert()
        .code(2)
        .stderr(contains("budget edits"));
    bin()
        .args(["report", "bhutan", "--format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn help_works() {
    bin()
        .args(["report", "--help"])
        .assert()
        .code(0)
        .stdout(contains("--format"));
    bin()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(contains("report"))
        .stdout(contains("collect"))
        .stdout(contains("session"));
}

#[test]
fn out_names_a_folder_and_an_existing_file_is_refused_as_such() {
    let d = tempfile::tempdir().expect("tmp");
    let p = fixture(d.path());
    let file = d.path().join("precious.md");
    std::fs::write(&file, "precious").expect("write");
    bin()
        .arg("report")
        .arg(&p)
        .arg("--out")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(contains("is a file; --out takes a folder"))
        .stderr(contains("File exists").not());
    assert_eq!(std::fs::read_to_string(&file).expect("kept"), "precious");
}

#[test]
fn answers_csv_neutralises_a_leading_tab_or_carriage_return_like_every_other_csv() {
    let d = tempfile::tempdir().expect("tmp");
    let mut s = report_common::session("Ana Pereira", "bhutan-2030");
    s.set_answer(
        "trade-strategies",
        "\t=cmd|'/C calc'!A0",
        report_common::at(3),
    );
    s.set_answer("current-ndc-includes", "\r=1+1", report_common::at(3));
    let p = report_common::save(d.path(), &s, false);
    let out = d.path().join("csv");
    bin()
        .arg("report")
        .arg(&p)
        .args(["--format", "csv", "--out"])
        .arg(&out)
        .assert()
        .code(0);
    let answers = std::fs::read_to_string(out.join("answers.csv")).expect("answers.csv");
    let mut rdr = csv::Reader::from_reader(answers.as_bytes());
    let cells: Vec<String> = rdr
        .records()
        .map(|r| r.expect("row")[8].to_string())
        .filter(|a| !a.is_empty())
        .collect();
    assert!(
        cells.contains(&"'\t=cmd|'/C calc'!A0".to_string()),
        "{cells:?}"
    );
    assert!(cells.contains(&"'\r=1+1".to_string()), "{cells:?}");
}

/// `report SCENARIO --participant NAME` (the command the Report screen shows) reports that
/// participant's saved session from the data folder; the flag used to be accepted and ignored.
/// A participant with no session there is refused (exit 2) with the sessions that are there.
#[test]
fn a_scenario_with_a_participant_reports_that_participants_session() {
    let d = tempfile::tempdir().expect("tmp");
    let saved = fixture(d.path());
    bin()
        .args([
            "report",
            "bhutan",
            "--participant",
            "Ana Pereira",
            "--data-dir",
        ])
        .arg(d.path())
        .assert()
        .code(0)
        .stdout(contains("Participant: Ana Pereira"))
        .stdout(contains("Druk Air"));
    let name = saved
        .file_name()
        .expect("file")
        .to_string_lossy()
        .into_owned();
    bin()
        .args([
            "report",
            "bhutan-2030",
            "--participant",
            "Pema",
            "--data-dir",
        ])
        .arg(d.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("no session of \"Pema\" for bhutan-2030"))
        .stderr(contains(name.as_str()))
        .stderr(contains("leave out --participant"));
    // Without --participant a scenario is still reported without answers.
    bin()
        .args(["report", "bhutan", "--data-dir"])
        .arg(d.path())
        .assert()
        .code(0)
        .stdout(contains("Participant: none"));
}
