//! `session export` / `session import`: one portable file with the session, its registry
//! journal and a checksum; round trip, no silent overwrite, damaged files refused (exit 2).

mod report_common;

use assert_cmd::Command;
use ndc_workbench::workshop::portable::{self, PortableError};
use ndc_workbench::workshop::session::Session;
use predicates::prelude::*;
use std::path::Path;

fn bin() -> Command {
    Command::cargo_bin("ndc-workbench").expect("bin")
}

/// A laptop with one session and its journal, exported to `export.json`.
fn exported(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let laptop = dir.join("laptop");
    let s = report_common::session_with_edit("Ana Pereira");
    let p = report_common::save(&laptop, &s, true);
    let out = dir.join("usb/ana.session.json");
    bin()
        .args(["session", "export", "bhutan-2030--ana-pereira", "--out"])
        .arg(&out)
        .arg("--data-dir")
        .arg(&laptop)
        .assert()
        .code(0);
    (p, out)
}

#[test]
fn round_trip_keeps_the_session_and_its_journal() {
    let d = tempfile::tempdir().expect("tmp");
    let (src, out) = exported(d.path());
    let trainer = d.path().join("trainer");
    bin()
        .args(["session", "import"])
        .arg(&out)
        .arg("--data-dir")
        .arg(&trainer)
        .assert()
        .code(0)
        .stdout(predicates::str::contains("imported Ana Pereira"));
    let dst = trainer.join("sessions/bhutan-2030--ana-pereira.json");
    assert_eq!(
        Session::load(&dst).expect("imported"),
        Session::load(&src).expect("original")
    );
    assert_eq!(
        std::fs::read(&dst).expect("dst"),
        std::fs::read(&src).expect("src"),
        "byte-identical session file"
    );
    let j = |p: &Path| std::fs::read(p.with_file_name("bhutan-2030--ana-pereira.registry.jsonl"));
    assert_eq!(j(&dst).expect("journal"), j(&src).expect("journal"));
}

#[test]
fn import_never_overwrites_without_force() {
    let d = tempfile::tempdir().expect("tmp");
    let (_, out) = exported(d.path());
    let trainer = d.path().join("trainer");
    portable::import(&out, &trainer, false).expect("first import");
    let dst = trainer.join("sessions/bhutan-2030--ana-pereira.json");
    std::fs::write(&dst, "changed by the trainer").expect("write");
    bin()
        .args(["session", "import"])
        .arg(&out)
        .arg("--data-dir")
        .arg(&trainer)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force"));
    assert_eq!(
        std::fs::read_to_string(&dst).expect("kept"),
        "changed by the trainer"
    );
    bin()
        .args(["session", "import", "--force"])
        .arg(&out)
        .arg("--data-dir")
        .arg(&trainer)
        .assert()
        .code(0);
    assert!(Session::load(&dst).is_ok());
}

fn refused(path: &Path, trainer: &Path, why: &str) {
    match portable::import(path, trainer, false) {
        Err(PortableError::Refused(m)) => assert!(m.contains(why), "{m}"),
        other => panic!("expected a refusal ({why}), got {other:?}"),
    }
    assert!(
        !trainer
            .join("sessions/bhutan-2030--ana-pereira.json")
            .exists()
    );
}

#[test]
fn tampered_or_damaged_exports_are_refused() {
    let d = tempfile::tempdir().expect("tmp");
    let (_, out) = exported(d.path());
    let text = std::fs::read_to_string(&out).expect("export");
    let trainer = d.path().join("trainer");
    let variant = |name: &str, body: String| {
        let p = d.path().join(name);
        std::fs::write(&p, body).expect("write");
        p
    };
    // an answer changed after export
    let t = variant(
        "tampered.json",
        text.replacen("Pool demand with neighbours", "Sell everything", 1),
    );
    refused(&t, &trainer, "checksum mismatch");
    bin()
        .args(["session", "import"])
        .arg(&t)
        .arg("--data-dir")
        .arg(&trainer)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("checksum"));
    // a file name with a slip: what is missing and where it would come from
    bin()
        .args(["session", "import"])
        .arg(d.path().join("sonam.ndcw"))
        .arg("--data-dir")
        .arg(&trainer)
        .assert()
        .code(2)
        .stderr(
            predicates::str::contains("sonam.ndcw")
                .and(predicates::str::contains("session export")),
        );
    refused(
        &variant("cut.json", text[..text.len() / 2].to_string()),
        &trainer,
        "not a JSON file",
    );
    refused(
        &variant(
            "v9.json",
            text.replacen("\"version\": 1", "\"version\": 9", 1),
        ),
        &trainer,
        "unknown format version 9",
    );
    refused(
        &variant("other.json", "{\"format\": \"something-else\"}".into()),
        &trainer,
        "not a portable session",
    );
    // a journal whose chain is broken, with a checksum recomputed to match
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let journal = v["journal"].as_str().expect("journal").to_string();
    let mut lines: Vec<&str> = journal.lines().collect();
    lines.remove(1);
    let broken = lines.join("\n") + "\n";
    let session = serde_json::to_string(&v["session"]).expect("session");
    let body = format!(
        "{{\"format\": {}, \"version\": 1, \"session\": {session}, \"journal\": {}, \"sha256\": \"{}\"}}",
        serde_json::json!(portable::FORMAT),
        serde_json::json!(broken),
        portable::checksum(&session, Some(&broken))
    );
    refused(&variant("chain.json", body), &trainer, "journal is damaged");
}

#[test]
fn export_of_an_unknown_session_is_bad_input() {
    let d = tempfile::tempdir().expect("tmp");
    bin()
        .args(["session", "export", "nobody", "--out"])
        .arg(d.path().join("x.json"))
        .arg("--data-dir")
        .arg(d.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no session `nobody`"));
    bin().args(["session", "--help"]).assert().code(0);
    bin().args(["session", "import", "--help"]).assert().code(0);
}

#[test]
fn a_participant_exports_their_session_by_their_own_name() {
    let d = tempfile::tempdir().expect("tmp");
    let laptop = d.path().join("laptop");
    report_common::save(
        &laptop,
        &report_common::session("Ana Pereira", "bhutan-2030"),
        true,
    );
    report_common::save(
        &laptop,
        &report_common::session("Tshering", "bhutan-2030"),
        false,
    );
    let export = |who: &str, out: &str| {
        let mut c = bin();
        c.args(["session", "export", who, "--out"])
            .arg(d.path().join(out))
            .arg("--data-dir")
            .arg(&laptop);
        c
    };
    // The name as typed, not the file's: the one session of that participant.
    export("Ana Pereira", "a.json").assert().code(0);
    let path = d.path().join("a.json");
    let text = std::fs::read_to_string(&path).expect("written");
    let back = portable::verify(&path, &text).expect("a valid export");
    assert_eq!(back.session.participant, "Ana Pereira");
    assert!(back.journal.is_some(), "Ana's session has its journal");
    // With sessions of two scenarios, the participant is asked which, by name.
    report_common::save(
        &laptop,
        &report_common::session("Ana Pereira", "thailand-2030"),
        false,
    );
    export("ana pereira", "b.json").assert().code(2).stderr(
        predicates::str::contains("bhutan-2030--ana-pereira")
            .and(predicates::str::contains("thailand-2030--ana-pereira")),
    );
    // A part of a name is not a name: `pereira` is nobody's session.
    export("pereira", "c.json")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no session `pereira`"));
}

/// An export whose session was changed by `edit`, with the checksum recomputed to match (what a
/// crafted file looks like: the checksum guards against damage, not against intent).
fn crafted(out: &Path, at: &Path, edit: impl FnOnce(&mut serde_json::Value)) -> std::path::PathBuf {
    let text = std::fs::read_to_string(out).expect("export");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let mut session = v["session"].clone();
    edit(&mut session);
    let session = serde_json::to_string(&session).expect("session");
    let journal = v["journal"].as_str().map(str::to_string);
    let body = format!(
        "{{\"format\": {}, \"version\": 1, \"session\": {session}, \"journal\": {}, \"sha256\": \"{}\"}}",
        serde_json::json!(portable::FORMAT),
        serde_json::json!(journal),
        portable::checksum(&session, journal.as_deref())
    );
    std::fs::write(at, body).expect("write");
    at.to_path_buf()
}

#[test]
fn a_scenario_id_that_is_a_path_is_refused_and_nothing_escapes() {
    let d = tempfile::tempdir().expect("tmp");
    let (_, out) = exported(d.path());
    let trainer = d.path().join("a/b/trainer");
    let evil = crafted(&out, &d.path().join("evil.json"), |s| {
        s["scenario"]["id"] = serde_json::json!("../../../escaped");
    });
    bin()
        .args(["session", "import"])
        .arg(&evil)
        .arg("--data-dir")
        .arg(&trainer)
        .assert()
        .code(2)
        .stderr(
            predicates::str::contains("scenario id `../../../escaped` is not a simple id")
                .and(predicates::str::contains("export it again")),
        );
    assert!(!d.path().join("escaped--ana-pereira.json").exists());
    assert!(!d.path().join("a/escaped--ana-pereira.json").exists());
    let left: Vec<_> = walk(d.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("escaped"))
        .collect();
    assert!(
        left.is_empty(),
        "written outside the sessions folder: {left:?}"
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out
}

#[test]
fn a_journal_named_after_another_file_is_refused_even_with_force() {
    let d = tempfile::tempdir().expect("tmp");
    let (_, out) = exported(d.path());
    let trainer = d.path().join("trainer");
    let bob = trainer.join("sessions/bhutan-2030--bob.json");
    std::fs::create_dir_all(bob.parent().expect("dir")).expect("mkdir");
    std::fs::write(&bob, "bob's session").expect("write");
    let evil = crafted(&out, &d.path().join("evil.json"), |s| {
        s["registry_journal"] = serde_json::json!("bhutan-2030--bob.json");
    });
    for force in [false, true] {
        let mut c = bin();
        c.args(["session", "import"]).arg(&evil);
        if force {
            c.arg("--force");
        }
        c.arg("--data-dir")
            .arg(&trainer)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "has the journal `bhutan-2030--ana-pereira.registry.jsonl`",
            ));
        assert_eq!(
            std::fs::read_to_string(&bob).expect("bob's session is still there"),
            "bob's session"
        );
    }
}

#[test]
fn a_refused_import_lists_every_file_it_would_replace() {
    let d = tempfile::tempdir().expect("tmp");
    let (_, out) = exported(d.path());
    let trainer = d.path().join("trainer");
    portable::import(&out, &trainer, false).expect("first import");
    let sessions = trainer.join("sessions");
    bin()
        .args(["session", "import"])
        .arg(&out)
        .arg("--data-dir")
        .arg(&trainer)
        .assert()
        .code(2)
        .stderr(
            predicates::str::contains(
                sessions
                    .join("bhutan-2030--ana-pereira.json")
                    .display()
                    .to_string(),
            )
            .and(predicates::str::contains(
                sessions
                    .join("bhutan-2030--ana-pereira.registry.jsonl")
                    .display()
                    .to_string(),
            ))
            .and(predicates::str::contains("--force")),
        );
}

#[test]
fn export_never_overwrites_an_existing_file_without_force_nor_the_session_itself() {
    let d = tempfile::tempdir().expect("tmp");
    let (src, out) = exported(d.path());
    let laptop = d.path().join("laptop");
    let export = |to: &Path, force: bool| {
        let mut c = bin();
        c.args(["session", "export", "bhutan-2030--ana-pereira", "--out"])
            .arg(to)
            .arg("--data-dir")
            .arg(&laptop);
        if force {
            c.arg("--force");
        }
        c.assert()
    };
    std::fs::write(&out, "precious").expect("write");
    export(&out, false)
        .code(2)
        .stderr(predicates::str::contains("exists").and(predicates::str::contains("--force")));
    assert_eq!(std::fs::read_to_string(&out).expect("kept"), "precious");
    export(&out, true).code(0);
    assert!(portable::verify(&out, &std::fs::read_to_string(&out).expect("out")).is_ok());
    // the live session file and its journal are never the output, --force or not
    let before = std::fs::read(&src).expect("session");
    let journal = src.with_file_name("bhutan-2030--ana-pereira.registry.jsonl");
    let jbefore = std::fs::read(&journal).expect("journal");
    for (to, force) in [(&src, false), (&src, true), (&journal, true)] {
        export(to, force)
            .code(2)
            .stderr(predicates::str::contains("which this command reads"));
    }
    assert_eq!(std::fs::read(&src).expect("session"), before);
    assert_eq!(std::fs::read(&journal).expect("journal"), jbefore);
}

/// `report` on the file a USB stick carries says to import it first, instead of calling a good
/// export "not a readable session file".
#[test]
fn a_report_of_an_exported_file_says_to_import_it_first() {
    let d = tempfile::tempdir().expect("tmp");
    let (_, out) = exported(d.path());
    bin()
        .arg("report")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("this is an exported session"))
        .stderr(predicates::str::contains("session import"));
}

/// `session list` shows what a trainer collects: each saved session's name (what `session
/// export` takes), participant, scenario, answers of the pack's 17 questions and when it was
/// last saved, most recent first; `--json` the same for scripts; an empty data dir says so.
#[test]
fn session_list_shows_the_saved_sessions_most_recent_first() {
    let d = tempfile::tempdir().expect("tmp");
    // Ana: six answers, last at 12:00. Pema: the same six and a seventh at 14:00.
    report_common::save(
        d.path(),
        &report_common::session("Ana Pereira", "bhutan-2030"),
        false,
    );
    let mut pema = report_common::session("Pema", "vanuatu-2030");
    pema.set_answer(
        "lt-leds-contributions",
        "Hydro exports",
        report_common::at(5),
    );
    report_common::save(d.path(), &pema, false);

    let out = bin()
        .args(["session", "list", "--data-dir"])
        .arg(d.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let rows: Vec<&str> = text.lines().collect();
    assert!(
        rows[0].starts_with("session") && rows[0].contains("answered"),
        "{text}"
    );
    let pema_row = rows[1].split_whitespace().collect::<Vec<_>>();
    assert_eq!(
        pema_row[..4],
        ["vanuatu-2030--pema", "Pema", "vanuatu-2030", "7/17"],
        "{text}"
    );
    assert!(rows[1].contains("2025-03-04 14:00 UTC"), "{text}");
    assert!(
        rows[2].starts_with("bhutan-2030--ana-pereira") && rows[2].contains("6/17"),
        "{text}"
    );
    assert!(rows[2].contains("2025-03-04 12:00 UTC"), "{text}");

    let out = bin()
        .args(["session", "list", "--json", "--data-dir"])
        .arg(d.path())
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let s = v["sessions"].as_array().expect("sessions");
    assert_eq!(s.len(), 2);
    assert_eq!(s[0]["participant"], "Pema");
    assert_eq!(s[1]["name"], "bhutan-2030--ana-pereira");
    assert_eq!(s[1]["answered"], 6);
    assert_eq!(s[1]["questions"], 17);
    assert_eq!(s[1]["updated_at"], "2025-03-04T12:00:00Z");

    let empty = tempfile::tempdir().expect("tmp");
    bin()
        .args(["session", "list", "--data-dir"])
        .arg(empty.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no sessions in"));
}
