//! CLI tests (assert_cmd) and the crash-safety test: a child process appending with fsync is
//! SIGKILLed at random moments; every acknowledged command must survive and the journal must
//! verify (a torn tail is reported, then dropped only by the explicit repair command).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command as Proc, Stdio};
use std::time::Duration;

use assert_cmd::Command;
use ndc_workbench::registry::invariants::check_journal;
use ndc_workbench::registry::journal::truncate_torn_tail;
use ndc_workbench::registry::{JournalError, Ledger, SystemClock};
use predicates::prelude::*;
use rand::{RngExt, SeedableRng};

fn reg(ledger: &Path) -> Command {
    let mut c = Command::cargo_bin("ndc-workbench").unwrap();
    c.env("NDC_WORKBENCH_NOW", "2025-03-01")
        .arg("registry")
        .arg("--ledger")
        .arg(ledger);
    c
}

/// `issue` of `quantity` units of the project `setup` adds (vintage 2024).
fn issue(quantity: &str) -> [&str; 7] {
    issue_of("P0007", "2024", quantity)
}

/// `retire` of 10 units from the registry's holding for Acme AG of `country`.
fn retire_for(country: &str) -> [&str; 13] {
    [
        "retire",
        "--from",
        "BTN:REG:Holding",
        "--quantity",
        "10",
        "--beneficiary-name",
        "Acme AG",
        "--beneficiary-id",
        "CHE-123",
        "--beneficiary-country",
        country,
        "--purpose",
        "voluntary claim",
    ]
}

/// `issue` with every argument as typed.
fn issue_of<'a>(project: &'a str, vintage: &'a str, quantity: &'a str) -> [&'a str; 7] {
    [
        "issue",
        "--project",
        project,
        "--vintage",
        vintage,
        "--quantity",
        quantity,
    ]
}

fn setup(ledger: &Path) {
    reg(ledger)
        .args(["init", "--party", "BTN", "--registry-id", "BTN01"])
        .assert()
        .success();
    reg(ledger)
        .args([
            "project",
            "add",
            "--id",
            "P0007",
            "--name",
            "Hydro",
            "--sector",
            "Energy",
            "--mechanism",
            "6.4",
        ])
        .assert()
        .success();
}

#[test]
fn issue_balances_retry_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("r.jsonl");
    setup(&l);
    reg(&l)
        .args(issue("1000"))
        .args(["--command-id", "iss-1"])
        .assert()
        .success()
        .stdout(predicate::str::contains("BTN01-P0007-2024-000001-000930"));
    // Same id, same payload: original result, no new events.
    reg(&l)
        .args(issue("1000"))
        .args(["--command-id", "iss-1"])
        .assert()
        .success()
        .stdout(predicate::str::contains("retry"));
    // Same id, different payload: usage error (2).
    reg(&l)
        .args(issue("999"))
        .args(["--command-id", "iss-1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("where:").and(predicate::str::contains("fix:")));
    let out = reg(&l)
        .args(["balances", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let accts = v["accounts"].as_array().unwrap();
    let units = |id: &str| {
        accts
            .iter()
            .find(|a| a["id"] == id)
            .map(|a| a["units"].as_u64().unwrap())
            .unwrap()
    };
    assert_eq!(units("BTN:REG:Holding"), 930);
    assert_eq!(units("INT:AF:AdaptationFund"), 50);
    assert_eq!(units("BTN:REG:CancellationOMGE"), 20);
    let h = accts.iter().find(|a| a["id"] == "BTN:REG:Holding").unwrap();
    assert_eq!(h["type"], "holding");
    assert_eq!(h["by_vintage"]["2024"], 930);
    for a in accts {
        for k in ["id", "owner", "type", "units", "by_vintage"] {
            assert!(a.get(k).is_some(), "{k}");
        }
    }
    // A refused command: exit 1, names the rule.
    reg(&l)
        .args(["init", "--party", "CHE", "--registry-id", "CHE01"])
        .assert()
        .success();
    let transfer = |to: &str, quantity: &str, more: &[&str]| {
        let mut c = reg(&l);
        c.args(["transfer", "--from", "BTN:REG:Holding", "--to", to])
            .args(["--quantity", quantity])
            .args(more);
        c
    };
    let mo_abroad =
        "rule 6 gating: an MO cannot be transferred internationally; authorize it first";
    transfer("CHE:REG:Holding", "5", &[])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(mo_abroad));
    // Asking for ITMOs where there are only MOs: the reason is that they are not authorized.
    transfer("CHE:REG:Holding", "5", &["--class", "itmo"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(mo_abroad));
    // More than the account holds, at home: the shortfall is the reason, not the class (an
    // MO may move domestically; this was refused as an international MO transfer).
    transfer("BTN:REG:Buffer", "5000", &[])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("§4 block selection")
                .and(predicate::str::contains("930"))
                .and(predicate::str::contains("5,000 requested"))
                .and(predicate::str::contains("internationally").not()),
        );
    // Bad usage: exit 2.
    reg(&l)
        .args(["issue", "--project", "P0007"])
        .assert()
        .code(2);
    reg(&l)
        .arg("check")
        .assert()
        .success()
        .stdout("")
        .stderr("");
    // Explorer: the life of a serial.
    reg(&l).args(retire_for("CHE")).assert().success();
    reg(&l)
        .args(["explorer", "--serial", "BTN01-P0007-2024-000005-000005"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Issued")
                .and(predicate::str::contains("Acme AG"))
                .and(predicate::str::contains("anchor hash")),
        );
    reg(&l)
        .args(["explorer", "--beneficiary", "acme", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("CHE-123"));
    // Exports.
    let out = dir.path().join("out");
    for f in ["aef", "cadt", "ledger"] {
        reg(&l)
            .args(["export", "--format", f, "--out"])
            .arg(&out)
            .args(["--year", "2025"])
            .assert()
            .success();
    }
    let cadt = std::fs::read_to_string(out.join("cadt-units.csv")).unwrap();
    assert!(cadt.starts_with("warehouseUnitId,issuanceId,"));
    assert!(out.join("aef-t2-authorizations.csv").exists());
    // The ledger export streams the journal; it writes what the loaded ledger renders.
    let loaded = Ledger::load(&l, SystemClock).unwrap();
    assert_eq!(
        std::fs::read_to_string(out.join("registry.journal")).unwrap(),
        ndc_workbench::registry::export::ledger_journal::render(&loaded)
    );
}

#[test]
fn quantities_are_typed_as_people_write_them_and_bad_ones_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("r.jsonl");
    setup(&l);
    // Thousands separators are read: 1,000 issued under 6.4 leaves 930 with the holder.
    reg(&l)
        .args(issue("1,000"))
        .assert()
        .success()
        .stdout(predicate::str::contains("BTN01-P0007-2024-000001-000930"));
    // A sign, decimals or words: usage error (2) naming the value and the fix, nothing journaled.
    let before = std::fs::read(&l).unwrap();
    for (typed, why) in [
        ("-5", "negative"),
        ("12.5", "decimals"),
        ("lots", "not a whole number"),
    ] {
        reg(&l)
            .args(issue(typed))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(why).and(predicate::str::contains("e.g. 1000")));
    }
    assert_eq!(std::fs::read(&l).unwrap(), before);
}

/// Years typed wrong (a letter O for a zero, two digits) are refused with what a year looks
/// like, and serials typed without their zero padding find the range all the same.
#[test]
fn years_and_serials_are_read_as_a_participant_types_them() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("r.jsonl");
    setup(&l);
    let before = std::fs::read(&l).unwrap();
    for typed in ["2O24", "24", "20245", "next year"] {
        reg(&l)
            .args(issue_of("P0007", typed, "10"))
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains("four-digit year")
                    .and(predicate::str::contains("e.g. 2025"))
                    .and(predicate::str::contains(format!("{typed:?}"))),
            );
    }
    reg(&l)
        .args(["close-year", "--year", "2O24"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a year has four digits"));
    assert_eq!(std::fs::read(&l).unwrap(), before, "nothing journaled");
    reg(&l).args(issue("1000")).assert().success();
    // 1,000 issued under 6.4: the holder's block is 1-930, typed here without padding.
    reg(&l)
        .args(["explorer", "--serial", "BTN01-P0007-2024-1-930"])
        .assert()
        .success()
        .stdout(predicate::str::contains("BTN01-P0007-2024-000001-000930"));
    reg(&l)
        .args(["explorer", "--serial", "BTN01-P0007-2024-930-1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("need 1 <= FIRST <= LAST"));
}

/// A Party code and a registry id typed in lower case are the same codes in capitals; flows of
/// a Party the ledger does not know is refused with the Parties it does know, not answered
/// with zeros.
#[test]
fn party_codes_are_read_in_capitals_and_an_unknown_party_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("r.jsonl");
    reg(&l)
        .args(["init", "--party", " btn", "--registry-id", "btn01"])
        .assert()
        .success();
    let journal = std::fs::read_to_string(&l).unwrap();
    assert!(journal.contains("\"BTN\""), "{journal}");
    assert!(journal.contains("\"BTN01\""), "{journal}");
    assert!(!journal.contains("\"btn"), "{journal}");
    reg(&l)
        .args(["flows", "--party", "btn"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"party\": \"BTN\""));
    let before = std::fs::read(&l).unwrap();
    reg(&l)
        .args(["flows", "--party", "JPN"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no Party `JPN`")
                .and(predicate::str::contains("use one of: BTN")),
        );
    assert_eq!(std::fs::read(&l).unwrap(), before, "nothing journaled");
}

/// Statuses and purposes are read in any case and spacing and journaled in their AEF
/// spelling; a purpose that is none of them is refused before anything is journaled.
#[test]
fn statuses_and_purposes_are_read_in_any_case() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("r.jsonl");
    setup(&l);
    reg(&l)
        .args(["init", "--party", "che", "--registry-id", "che01"])
        .assert()
        .success();
    reg(&l)
        .args([
            "approach", "add", "--id", "CA1", "--title", "BTN-CHE", "--host", "btn",
        ])
        .args(["--party", "che"])
        .assert()
        .success();
    reg(&l)
        .args([
            "initial-report",
            "--approach",
            "CA1",
            "--status",
            "submitted",
        ])
        .assert()
        .success();
    for status in ["submitted", "ACTIVE"] {
        reg(&l)
            .args(["approach", "status", "--id", "CA1", "--status", status])
            .assert()
            .success();
    }
    let add = |id: &str, purpose: &str| {
        let mut c = reg(&l);
        c.args(["authorization", "add", "--id", id, "--date", "2025-01-01"])
            .args([
                "--approach",
                "CA1",
                "--period",
                "2021-2030",
                "--purpose",
                purpose,
            ])
            .args(["--first-transfer-definition", "authorization"]);
        c
    };
    add("A1", " ndc and  oimp").assert().success();
    let before = std::fs::read(&l).unwrap();
    add("A2", "NDCs")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("\"NDC and OIMP\""));
    assert_eq!(std::fs::read(&l).unwrap(), before, "nothing journaled");
    let journal = std::fs::read_to_string(&l).unwrap();
    assert!(
        journal.contains("\"purpose\":\"NDC and OIMP\""),
        "{journal}"
    );
    assert!(journal.contains("\"status\":\"Active\""), "{journal}");
    reg(&l).arg("check").assert().success();
}

/// A beneficiary's country typed in lower case is its code in capitals; the explorer finds a
/// beneficiary by any part of the name, and a name that matches nothing is refused with the
/// names recorded instead of an empty list.
#[test]
fn beneficiaries_are_found_as_typed_and_a_slip_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("r.jsonl");
    setup(&l);
    reg(&l)
        .args(["explorer", "--beneficiary", "acme"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("names a beneficiary yet"));
    reg(&l).args(issue("1000")).assert().success();
    reg(&l).args(retire_for("che")).assert().success();
    let journal = std::fs::read_to_string(&l).unwrap();
    assert!(journal.contains("\"country\":\"CHE\""), "{journal}");
    reg(&l)
        .args(["explorer", "--beneficiary", "ACME"])
        .assert()
        .success()
        .stdout(predicate::str::contains("retired for Acme AG"));
    reg(&l)
        .args(["explorer", "--beneficiary", "Acne"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no beneficiary whose name or id contains \"Acne\"")
                .and(predicate::str::contains("beneficiaries recorded: Acme AG")),
        );
}

/// An account or project id typed with a slip is refused with the id that was probably
/// meant; an id far from every known one gets no guess.
#[test]
fn a_mistyped_id_is_refused_with_the_id_probably_meant() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("r.jsonl");
    setup(&l);
    reg(&l).args(issue("1000")).assert().success();
    reg(&l)
        .args([
            "transfer",
            "--from",
            "BTN:REG:Holdng",
            "--to",
            "BTN:REG:Buffer",
            "--quantity",
            "10",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "unknown account \"BTN:REG:Holdng\"; open it first (did you mean \"BTN:REG:Holding\"?)",
        ));
    reg(&l)
        .args(issue_of("P0070", "2024", "10"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("(did you mean \"P0007\"?)"));
    reg(&l)
        .args(issue_of("HYDRO9", "2024", "10"))
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("unknown project HYDRO9")
                .and(predicate::str::contains("did you mean").not()),
        );
}

#[test]
fn check_reports_tampering_with_event_number() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("r.jsonl");
    setup(&l);
    let text = std::fs::read_to_string(&l).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[4] = lines[4].replacen("REG-BTN", "REG-BTX", 1);
    std::fs::write(&l, lines.join("\n") + "\n").unwrap();
    reg(&l)
        .arg("check")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("event 5"));
    // Every export reads the journal as strictly, the streamed ledger format included.
    for format in ["ledger", "aef", "cadt"] {
        let out = dir.path().join(format!("out-{format}"));
        reg(&l)
            .args(["export", "--format", format, "--out"])
            .arg(&out)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("event 5"));
        assert!(
            !out.exists(),
            "{format}: nothing written from a tampered journal"
        );
    }
}

#[test]
fn torn_tail_refuses_append_until_explicit_repair() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("r.jsonl");
    setup(&l);
    let mut bytes = std::fs::read(&l).unwrap();
    bytes.extend_from_slice(b"{\"actor\":");
    std::fs::write(&l, &bytes).unwrap();
    reg(&l).arg("check").assert().code(1).stderr(
        predicate::str::contains("torn tail")
            .and(predicate::str::contains("repair --truncate-torn-tail")),
    );
    reg(&l).args(issue("10")).assert().code(1);
    reg(&l)
        .args(["repair", "--truncate-torn-tail"])
        .assert()
        .success()
        .stdout(predicate::str::contains("removed 9"));
    reg(&l).arg("check").assert().success();
}

/// What an editor, `echo >>` or git's line-ending conversion does to a journal is named as
/// such: blank lines after the last event are a torn tail the repair drops; a blank line
/// between events is pointed at; Windows line endings are called that, not a broken hash.
#[test]
fn blank_lines_and_windows_line_endings_are_named_and_trailing_blanks_repaired() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("r.jsonl");
    setup(&l);
    let good = std::fs::read(&l).unwrap();
    let events = good.iter().filter(|&&b| b == b'\n').count();

    let mut trailing = good.clone();
    trailing.extend_from_slice(b"\n\n");
    std::fs::write(&l, &trailing).unwrap();
    reg(&l).arg("check").assert().code(1).stderr(
        predicate::str::contains("only blank lines follow the last event")
            .and(predicate::str::contains("repair --truncate-torn-tail")),
    );
    reg(&l)
        .args(["repair", "--truncate-torn-tail"])
        .assert()
        .success()
        .stdout(predicate::str::contains("removed 2"));
    assert_eq!(std::fs::read(&l).unwrap(), good);
    reg(&l).arg("check").assert().success();

    // A blank line after the second event, with events after it.
    let second = good
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .nth(1)
        .unwrap()
        .0;
    let mut inner = good[..=second].to_vec();
    inner.push(b'\n');
    inner.extend_from_slice(&good[second + 1..]);
    std::fs::write(&l, &inner).unwrap();
    reg(&l)
        .arg("check")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "line 3 is blank, between events 2 and 3; delete that line",
        ));

    let crlf: Vec<u8> = good
        .iter()
        .flat_map(|&b| {
            if b == b'\n' {
                vec![b'\r', b'\n']
            } else {
                vec![b]
            }
        })
        .collect();
    std::fs::write(&l, &crlf).unwrap();
    reg(&l).arg("check").assert().code(1).stderr(
        predicate::str::contains("line 1 (event 1)")
            .and(predicate::str::contains("Windows (CRLF) line endings")),
    );
    assert!(events > 2);
}

/// A command whose batch cannot be written whole (a full disk; here a file-size limit the
/// kernel enforces the same way, part of the batch written and then an error) leaves the
/// journal exactly as it was: no torn tail for the next command to trip over, a message that
/// says to free space, and the next command, with room again, goes through.
#[test]
fn a_write_that_runs_out_of_room_leaves_the_journal_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("r.jsonl");
    setup(&l);
    let before = std::fs::read(&l).unwrap();
    // `ulimit -f` counts 1024-byte blocks: room for less than one block more, less than the
    // 6.4 issuance's four events. SIGXFSZ ignored, the write fails with EFBIG instead.
    let blocks = before.len() / 1024 + 1;
    let out = Proc::new("bash")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\""
        ))
        .arg(assert_cmd::cargo::cargo_bin("ndc-workbench"))
        .env("NDC_WORKBENCH_NOW", "2025-03-01")
        .arg("registry")
        .arg("--ledger")
        .arg(&l)
        .args(issue("1000"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("free some space"), "{stderr}");
    // EFBIG: the write reached the limit (the batch is longer than the room left).
    assert!(stderr.contains("os error 27"), "{stderr}");
    assert_eq!(std::fs::read(&l).unwrap(), before, "the journal changed");
    reg(&l).arg("check").assert().success();
    reg(&l).args(issue("1000")).assert().success();
    reg(&l).arg("check").assert().success();
}

/// While another process has the ledger open for writing (a workbench, say), `check` still
/// reads it (with `read()` instead of a mapping); a command that would append, and the repair
/// that would shrink the file, wait briefly and then refuse with the lock named, changing
/// nothing.
#[test]
fn a_ledger_open_for_writing_elsewhere_is_read_but_not_written_or_shrunk() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("r.jsonl");
    setup(&l);
    let writer = std::fs::OpenOptions::new().append(true).open(&l).unwrap();
    writer.try_lock().unwrap();
    reg(&l).arg("check").assert().success().stdout("");
    let before = std::fs::read(&l).unwrap();
    reg(&l).args(issue("10")).assert().code(2).stderr(
        predicate::str::contains("locked by another process")
            .and(predicate::str::contains("close it or let it finish")),
    );
    assert!(std::fs::read(&l).unwrap() == before);
    // A torn tail is reported by `check`, but not cut while the lock is held elsewhere.
    let mut torn = before.clone();
    torn.extend_from_slice(b"{\"actor\":");
    std::fs::write(&l, &torn).unwrap();
    reg(&l).arg("check").assert().code(1);
    reg(&l)
        .args(["repair", "--truncate-torn-tail"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("locked by another process"));
    assert!(std::fs::read(&l).unwrap() == torn);
    // Once the other process lets go, the repair and the command go through.
    writer.unlock().unwrap();
    reg(&l)
        .args(["repair", "--truncate-torn-tail"])
        .assert()
        .success();
    reg(&l).args(issue("10")).assert().success();
    reg(&l).arg("check").assert().success();
}

#[test]
fn apply_script_and_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("drill.toml");
    std::fs::write(
        &script,
        r#"
[[command]]
type = "init_party"
party = "BTN"
registry_id = "BTN01"

[[command]]
type = "register_project"
id = "P1"
name = "Solar"
mechanism = "6.2"

[[command]]
type = "issue"
project = "P1"
vintage = 2024
quantity = 100

[[command]]
type = "transfer"
from = "BTN:REG:Holding"
to = "BTN:REG:FirstTransferOut"
quantity = 10
acquiring_party = "CHE"
expect_rule = "rule 6 gating"
"#,
    )
    .unwrap();
    let data = dir.path().join("data");
    let mut c = Command::cargo_bin("ndc-workbench").unwrap();
    c.env("NDC_WORKBENCH_DATA", &data)
        .args(["registry", "apply"])
        .arg(&script)
        .assert()
        .success()
        .stdout(predicate::str::contains("refused as expected"));
    assert!(data.join("registry.jsonl").exists());
    // A broken script names the command.
    std::fs::write(&script, "[[command]]\ntype = \"issue\"\nproject = \"P1\"\n").unwrap();
    let mut c = Command::cargo_bin("ndc-workbench").unwrap();
    c.args(["registry", "--data-dir"])
        .arg(&data)
        .arg("apply")
        .arg(&script)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("command 1"));
}

/// `synth` fills a new ledger; it adds random commands to one that holds events only with
/// `--append` (the journal cannot be shortened again), and a count of zero is refused.
#[test]
fn synth_refuses_to_add_to_a_ledger_that_holds_events_unless_told_to() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("r.jsonl");
    setup(&l);
    let before = std::fs::read(&l).unwrap();
    let events = before.iter().filter(|&&b| b == b'\n').count();
    reg(&l)
        .args(["synth", "--events", "500"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(format!("already holds {events} events"))
                .and(predicate::str::contains("--append")),
        );
    assert_eq!(std::fs::read(&l).unwrap(), before);
    reg(&l)
        .args(["synth", "--events", "500", "--append"])
        .assert()
        .success();
    assert!(std::fs::read(&l).unwrap().len() > before.len());
    reg(&l).arg("check").assert().success();

    let fresh = dir.path().join("new.jsonl");
    reg(&fresh)
        .args(["synth", "--events", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("use at least 1"));
    assert!(!fresh.exists());
    reg(&fresh)
        .args(["synth", "--events", "300"])
        .assert()
        .success();
    reg(&fresh).arg("check").assert().success();
}

/// A drill script refused part of the way, corrected and run again: the message says to give
/// the corrected command a new `command_id` (the TOML key, not a flag), and with it the script
/// finishes without running the commands before it twice.
#[test]
fn a_script_corrected_after_a_refusal_runs_on_with_a_new_command_id() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("r.jsonl");
    let script = dir.path().join("drill.toml");
    let text = r#"
[[command]]
type = "init_party"
party = "BTN"
registry_id = "BTN01"

[[command]]
type = "register_project"
id = "P1"
name = "Hydro"
mechanism = "6.2"
host = "BTN"

[[command]]
type = "issue"
project = "P9"
vintage = 2024
quantity = 100
"#;
    std::fs::write(&script, text).unwrap();
    reg(&l).arg("apply").arg(&script).assert().code(1).stderr(
        predicate::str::contains("unknown project P9")
            .and(predicate::str::contains("command 3 (drill-3)"))
            .and(predicate::str::contains(r#"command_id = "drill-3-b""#)),
    );
    let corrected = text.replace("\"P9\"", "\"P1\"");
    std::fs::write(&script, &corrected).unwrap();
    reg(&l).arg("apply").arg(&script).assert().code(2).stderr(
        predicate::str::contains(
            "command 3 ran before with other content under the id \"drill-3\"",
        )
        .and(predicate::str::contains(r#"add command_id = "drill-3-b""#)),
    );
    let with_id = corrected.replace(
        "project = \"P1\"",
        "command_id = \"drill-3-b\"\nproject = \"P1\"",
    );
    std::fs::write(&script, with_id).unwrap();
    reg(&l)
        .arg("apply")
        .arg(&script)
        .assert()
        .success()
        .stdout(predicate::str::contains("3: ok drill-3-b"));
    let balances = reg(&l).args(["balances", "--json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&balances.stdout).unwrap();
    let held: u64 = json["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["id"] == "BTN:REG:Holding")
        .map(|a| a["units"].as_u64().unwrap())
        .sum();
    assert_eq!(held, 100, "issued once: {json}");
    reg(&l).arg("check").assert().success();
}

/// Output piped into a reader that stops early (`| head`) ends the command quietly with the
/// status of a broken pipe, not with a panic and a backtrace.
#[test]
fn a_closed_output_pipe_ends_a_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("r.jsonl");
    reg(&l)
        .args(["synth", "--events", "1000", "--seed", "3"])
        .assert()
        .success();
    let mut child = Proc::new(env!("CARGO_BIN_EXE_ndc-workbench"))
        .args(["registry", "--ledger"])
        .arg(&l)
        .arg("requests")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Closed before the command has read its ledger, let alone printed.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(141), "{stderr}");
}

/// What a tired participant mistypes is named, with the id probably meant, instead of an
/// empty listing, a raw operating-system error or a new empty ledger at the typo.
#[test]
fn mistyped_ledgers_ids_and_out_paths_are_named_not_met_with_silence() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("r.jsonl");
    setup(&l);
    // A command on a ledger that is not there: refused, nothing created, the near name given.
    let typo = dir.path().join("rr.jsonl");
    reg(&typo).args(issue("10")).assert().code(2).stderr(
        predicate::str::contains("no journal at").and(predicate::str::contains(format!(
            "did you mean {:?}",
            l.display().to_string()
        ))),
    );
    assert!(!typo.exists());
    // The wrong file given to import: refused before a ledger is created at the path.
    let json = dir.path().join("blocks.csv");
    std::fs::write(&json, "{\"a\": 1}\n").unwrap();
    reg(&typo).arg("import").arg(&json).assert().code(2).stderr(
        predicate::str::contains("names none of the columns")
            .and(predicate::str::contains("registry import --help")),
    );
    assert!(!typo.exists(), "a refused import created a ledger");
    let nodir = dir.path().join("missing").join("r.jsonl");
    reg(&nodir)
        .args(["init", "--party", "BTN", "--registry-id", "BTN01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
    // Explorer filters on ids the ledger does not know.
    reg(&l)
        .args(["explorer", "--account", "btn:reg:holding"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no account \"btn:reg:holding\" in this ledger (did you mean \"BTN:REG:Holding\"?)",
        ));
    reg(&l)
        .args(["explorer", "--project", "p0007"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean \"P0007\""));
    reg(&l)
        .args(["explorer", "--serial", "BTN01-P0007-2024-999999-999999"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("was ever issued"));
    // Export to a file instead of a directory, or for a Party the ledger does not hold.
    reg(&l)
        .args(["export", "--format", "aef", "--out"])
        .arg(&l)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a file, not a directory"));
    reg(&l)
        .args(["export", "--format", "aef", "--party", "XYZ", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no Party \"XYZ\"").and(predicate::str::contains("BTN")));
    reg(&l)
        .args(["export", "--format", "ledger", "--party", "XYZ", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no Party \"XYZ\"").and(predicate::str::contains("BTN")));
    // A quantity of zero and a pasted line break in a name.
    reg(&l)
        .args(issue("0"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at least 1 unit"));
    reg(&l)
        .args([
            "project",
            "add",
            "--id",
            "P2",
            "--name",
            "Hydro\nplant",
            "--mechanism",
            "6.2",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("project name holds a line break"));
    // A retirement for a beneficiary whose country is typed as a name, then in lower case.
    reg(&l).args(issue("100")).assert().success();
    let retire = |country: &str| {
        let mut c = reg(&l);
        c.args(retire_for(country));
        c
    };
    retire("Switzerland")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "is not an ISO 3166 code; use the alpha-3 code",
        ));
    // In lower case it is the code in capitals (it was refused with "write it in capitals").
    retire("che").assert().success();
    // Moving more than the unfrozen units: the refusal counts the frozen ones too. The
    // issuance of 100 (a 6.4 project) left 93 in the holding account, 10 were retired.
    reg(&l)
        .args([
            "freeze",
            "--account",
            "BTN:REG:Holding",
            "--quantity",
            "50",
            "--reason",
            "audit",
        ])
        .assert()
        .success();
    reg(&l)
        .args(["cancel", "--from", "BTN:REG:Holding", "--quantity", "60"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains(
                "has 33 unfrozen units matching the filter, 60 requested (50 more are frozen)",
            )
            .and(predicate::str::contains("where: cancel (command id"))
            .and(predicate::str::contains(
                "fix: ask for no more units than `registry balances`",
            )),
        );
    // A four-digit vintage no mitigation outcome can have: the refusal says which years can.
    reg(&l)
        .args(issue_of("P0007", "1000", "10"))
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("vintage 1000 is outside the years")
                .and(predicate::str::contains("1990-2100")),
        );
    // An actor of an organization that does not exist: the fix says how to act for one.
    reg(&l)
        .args(issue("5"))
        .args(["--actor", "mallory:NOPE:Regulator"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("organization NOPE is not registered")
                .and(predicate::str::contains("--actor USER:ORG:ROLE")),
        );
    reg(&l).arg("check").assert().success();
}

/// SIGKILL a child appending with fsync ≥ 50 times; all acknowledged commands survive.
#[test]
fn crash_safety_acknowledged_commands_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("crash.jsonl");
    let bin = env!("CARGO_BIN_EXE_ndc-workbench");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(42);
    let mut acked_total = Vec::new();
    let mut torn = 0;
    for round in 0..50u64 {
        let mut child = Proc::new(bin)
            .args(["registry", "--ledger"])
            .arg(&l)
            .args([
                "synth",
                "--append",
                "--events",
                "100000000",
                "--ack",
                "--seed",
            ])
            .arg((round + 1).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|s| s.strip_prefix("ack ").map(String::from))
                .collect::<Vec<_>>()
        });
        std::thread::sleep(Duration::from_millis(rng.random_range(20..160)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let acked = reader.join().unwrap();
        match check_journal(&l) {
            Ok(_) => {}
            Err(JournalError::TornTail { .. }) => {
                torn += 1;
                truncate_torn_tail(&l).unwrap();
                check_journal(&l).unwrap();
            }
            Err(e) => panic!("round {round}: journal corrupt after SIGKILL: {e}"),
        }
        let ledger = Ledger::load(&l, SystemClock).unwrap();
        for id in acked.iter().chain(acked_total.iter()) {
            assert!(
                ledger.state().commands.contains_key(id),
                "round {round}: acknowledged command {id} lost"
            );
        }
        acked_total.extend(acked);
    }
    println!(
        "50 SIGKILLs, {} acknowledged commands survived, {torn} torn tails repaired explicitly",
        acked_total.len()
    );
    assert!(
        acked_total.len() > 100,
        "too few acknowledgements to mean anything"
    );
}

#[test]
fn two_phase_requests_lifecycle_and_exports_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let l = dir.path().join("r.jsonl");
    setup(&l);
    reg(&l).args(issue("1000")).assert().success();
    let clerk = "clerk:REG-BTN:Regulator";
    let dna = "ana:REG-BTN:DNA";
    reg(&l)
        .args([
            "request-retirement",
            "--id",
            "R1",
            "--from",
            "BTN:REG:Holding",
            "--quantity",
            "100",
            "--beneficiary-name",
            "Acme GA",
            "--beneficiary-id",
            "CHE-123",
            "--beneficiary-country",
            "CHE",
            "--actor",
            clerk,
            "--command-id",
            "req-1",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("BTN01-P0007-2024-000001-000100"));
    reg(&l)
        .args(["balances", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"reserved\": 100"));
    reg(&l)
        .args(["approve", "--request", "R1", "--actor", clerk])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "refused by rule 6 four-eyes: request R1 was made by clerk (REG-BTN); a requester never approves their own request",
        ));
    // a role nobody has is a usage error naming --actor; roles are read in any case
    reg(&l)
        .args(["approve", "--request", "R1", "--actor", "ana:REG-BTN:chief"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown role \"chief\"")
                .and(predicate::str::contains("--actor")),
        );
    reg(&l)
        .args(["approve", "--request", "R1", "--actor", "ana:REG-BTN:dna"])
        .assert()
        .success();
    reg(&l)
        .args(["approve", "--request", "R1", "--actor", dna])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("invariant 15 two-phase"));
    reg(&l)
        .args(["requests"])
        .assert()
        .success()
        .stdout(predicate::str::contains("R1").and(predicate::str::contains("Approved")));
    // Annotate the retirement (the Moved event after the approval).
    let out = reg(&l)
        .args(["explorer", "--beneficiary", "acme", "--json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let seq = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "Moved")
        .unwrap()["seq"]
        .as_u64()
        .unwrap();
    reg(&l)
        .args([
            "annotate",
            "--event",
            &seq.to_string(),
            "--set",
            "beneficiary_name=Acme AG",
            "--reason",
            "typo",
            "--actor",
            dna,
        ])
        .assert()
        .success();
    reg(&l)
        .args(["explorer", "--beneficiary", "acme"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "beneficiary_name = \"Acme AG\" (typo)",
        ));
    // Approach lifecycle, authorized entity, CA records, year close via a script.
    let script = dir.path().join("lifecycle.toml");
    std::fs::write(
        &script,
        r#"
[[command]]
type = "record_approach"
id = "CA0001"
title = "BTN-CHE"
host = "BTN"

[[command]]
type = "set_approach_status"
id = "CA0001"
status = "Submitted"
expect_rule = "§5 initial report"

[[command]]
type = "file_initial_report"
approach = "CA0001"
status = "Submitted"

[[command]]
type = "set_approach_status"
id = "CA0001"
status = "Submitted"

[[command]]
type = "set_approach_status"
id = "CA0001"
status = "Active"

[[command]]
type = "register_organization"
id = "ENT1"
name = "Airline"
country = "CHE"
roles = ["AuthorizedEntity"]

[[command]]
type = "record_authorized_entity"
organization = "ENT1"
approach = "CA0001"
date = "2025-01-15"
conditions = "CORSIA"

[[command]]
type = "request_itmo_authorization"
id = "A1"
account = "BTN:REG:Holding"
authorization = "NOPE"
quantity = 10
expect_rule = "§5 preconditions"

[[command]]
type = "record_ca"
approach = "CA0001"
year = 2024
quantity = 0

[[command]]
type = "submit_ca"
approach = "CA0001"
year = 2024

[[command]]
type = "approve_ca"
approach = "CA0001"
year = 2024

[[command]]
type = "close_reporting_year"
year = 2024
"#,
    )
    .unwrap();
    reg(&l).arg("apply").arg(&script).assert().success();
    reg(&l)
        .args(["ca", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("CA0001").and(predicate::str::contains("Approved")));
    let out = dir.path().join("out");
    reg(&l)
        .args(["export", "--format", "aef", "--year", "2024", "--out"])
        .arg(&out)
        .assert()
        .success();
    let t1 = std::fs::read_to_string(out.join("aef-t1-submission-BTN-2024.csv")).unwrap();
    assert!(
        t1.starts_with("Party,Version,Reported year,Date of submission,"),
        "{t1}"
    );
    assert!(t1.contains("BTN,1.0,2024,2025-03-01,,,NA,NA,"), "{t1}");
    let t5 = std::fs::read_to_string(out.join("aef-t5-authorized-entities.csv")).unwrap();
    assert!(
        t5.contains("2025-01-15,Airline,CHE,ENT1,CA0001,CORSIA,NA,NA"),
        "{t5}"
    );
    reg(&l)
        .args(["export", "--format", "cadt-v2", "--out"])
        .arg(&out)
        .assert()
        .success();
    let v2 = std::fs::read_to_string(out.join("cadt-v2-units.csv")).unwrap();
    assert!(v2.lines().next().unwrap().ends_with(
        "unit_serial_id,unit_status_date,unit_retirement_beneficiary,unit_retirement_beneficiary_id,unit_retirement_detail,unit_itmos_reference_id"
    ));
    assert!(v2.contains("Acme AG,CHE-123,voluntary claim,"), "{v2}");
    reg(&l).arg("check").assert().success().stdout("");
}
