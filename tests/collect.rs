//! `collect`: sessions of one scenario merged into a workshop summary; other scenarios, other
//! pack versions and damaged files are left out with their reason, never mixed in.

mod report_common;

use assert_cmd::Command;
use ndc_workbench::report::collect;
use ndc_workbench::workshop::session::Session;
use predicates::prelude::*;
use std::path::Path;

fn room(dir: &Path) {
    let mut ana = report_common::session("Ana Pereira", "bhutan-2030");
    ana.set_answer(
        "lt-leds-contributions",
        "Forest sink\nhydro exports",
        report_common::at(4),
    );
    report_common::save(dir, &ana, true);
    let mut ben = report_common::session("Ben Okafor", "bhutan-2030");
    ben.simulation
        .insert("buffer".into(), serde_json::json!("0.3"));
    ben.set_answer(
        "trade-strategies",
        "Pool demand with neighbours",
        report_common::at(3),
    );
    ben.set_answer("current-ndc-includes", "All sectors", report_common::at(3));
    report_common::save(dir, &ben, false);
    let chen = report_common::session("Chen Li", "bhutan-2030");
    report_common::save(dir, &chen, false);
    let other = report_common::session("Dana Ruiz", "vanuatu-2030");
    report_common::save(dir, &other, false);
    std::fs::write(
        dir.join("sessions/bhutan-2030--broken.json"),
        "{ \"schema\": 1, \"participant\": ",
    )
    .expect("write");
}

#[test]
fn collect_names_exclusions_and_keeps_every_valid_answer() {
    let d = tempfile::tempdir().expect("tmp");
    room(d.path());
    let s = collect::collect(&[d.path().join("sessions")], None).expect("collected");
    assert_eq!(s.scenario_id, "bhutan-2030");
    assert_eq!(s.sessions.len(), 3);
    assert_eq!(s.excluded.len(), 2, "{:?}", s.excluded);
    let md = collect::markdown(&s);
    if let Some(p) = std::env::var_os("COLLECT_DUMP") {
        std::fs::write(p, &md).expect("dump");
    }
    assert!(md.contains("## Left out"), "{md}");
    assert!(md.contains("bhutan-2030--broken.json"), "{md}");
    assert!(md.contains("not a readable session file"), "{md}");
    assert!(md.contains("vanuatu-2030--dana-ruiz.json"), "{md}");
    assert!(md.contains("another scenario: `vanuatu-2030`"), "{md}");
    for who in ["Ana Pereira", "Ben Okafor", "Chen Li"] {
        assert!(
            md.contains(&format!("| {who} | ")),
            "{who} in the table: {md}"
        );
    }
    assert!(md.contains("- **Ben Okafor**: All sectors"), "{md}");
    assert!(
        md.contains("- **Ana Pereira**: Forest sink\\\n  hydro exports"),
        "{md}"
    );
    assert!(
        md.contains(
            "- **Group Group B** (Ana Pereira, Ben Okafor, Chen Li): Pool demand with neighbours"
        ),
        "{md}"
    );
    assert!(
        !md.contains("Dana Ruiz"),
        "nothing of the other scenario: {md}"
    );
    // spread of the buffer: 0.1, 0.1, 0.3
    assert!(
        md.contains("| buffer (share) | 0.1 | 0.1 | 0.3 | 3 |"),
        "{md}"
    );
    assert!(md.contains("| maximum transferable (ITMOs) |"), "{md}");
    assert_eq!(
        s.sessions.iter().map(|c| c.answered).collect::<Vec<_>>(),
        [7, 6, 6]
    );
}

#[test]
fn another_pack_version_is_left_out_and_the_scenario_can_be_chosen() {
    let d = tempfile::tempdir().expect("tmp");
    room(d.path());
    let mut old = report_common::session("Eve Old", "bhutan-2030");
    old.pack.version = "0.9".into();
    report_common::save(d.path(), &old, false);
    let s = collect::collect(&[d.path().join("sessions")], None).expect("collected");
    assert!(
        s.excluded
            .iter()
            .any(|x| x.reason.contains("another version of pack") && x.reason.contains("0.9")),
        "{:?}",
        s.excluded
    );
    let v = collect::collect(&[d.path().join("sessions")], Some("vanuatu-2030")).expect("vanuatu");
    assert_eq!(v.sessions.len(), 1);
    assert_eq!(v.sessions[0].session.participant, "Dana Ruiz");
    assert!(collect::collect(&[d.path().join("sessions")], Some("nowhere")).is_err());
}

#[test]
fn an_older_copy_of_the_same_participant_is_left_out() {
    let d = tempfile::tempdir().expect("tmp");
    let s = report_common::session("Ana Pereira", "bhutan-2030");
    let p = report_common::save(d.path(), &s, false);
    let mut older: Session = s.clone();
    older.updated_at = report_common::at(0);
    older.save(&d.path().join("copy.json")).expect("save");
    let c = collect::collect(&[p, d.path().join("copy.json")], None).expect("collected");
    assert_eq!(c.sessions.len(), 1);
    assert!(
        c.excluded[0].reason.contains("older session"),
        "{:?}",
        c.excluded
    );
}

#[test]
fn cli_exit_codes_and_out_file() {
    let d = tempfile::tempdir().expect("tmp");
    room(d.path());
    let out = d.path().join("summary.md");
    Command::cargo_bin("ndc-workbench")
        .expect("bin")
        .args(["collect"])
        .arg(d.path().join("sessions"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0)
        .stderr(predicates::str::contains("left out"));
    let md = std::fs::read_to_string(&out).expect("summary");
    assert!(md.starts_with("# Workshop summary"), "{md}");
    Command::cargo_bin("ndc-workbench")
        .expect("bin")
        .arg("collect")
        .arg(d.path().join("sessions/bhutan-2030--broken.json"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("nothing could be collected"));
    Command::cargo_bin("ndc-workbench")
        .expect("bin")
        .args(["collect", "--help"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("--scenario"));
}

#[test]
fn out_never_overwrites_an_existing_file_without_force_nor_an_input() {
    let d = tempfile::tempdir().expect("tmp");
    room(d.path());
    let sessions = d.path().join("sessions");
    let collect = |out: &Path, force: bool| {
        let mut c = Command::cargo_bin("ndc-workbench").expect("bin");
        c.arg("collect").arg(&sessions).arg("--out").arg(out);
        if force {
            c.arg("--force");
        }
        c.assert()
    };
    let out = d.path().join("summary.md");
    std::fs::write(&out, "precious").expect("write");
    collect(&out, false).code(2).stderr(
        predicates::str::contains("exists")
            .and(predicates::str::contains("--force"))
            .and(predicates::str::contains(out.display().to_string())),
    );
    assert_eq!(std::fs::read_to_string(&out).expect("kept"), "precious");
    collect(&out, true).code(0);
    assert!(
        std::fs::read_to_string(&out)
            .expect("summary")
            .starts_with("# Workshop summary")
    );
    // one of its own inputs (collected or left out) is never the output, --force or not
    for name in ["bhutan-2030--ana-pereira.json", "bhutan-2030--broken.json"] {
        let input = sessions.join(name);
        let before = std::fs::read(&input).expect("input");
        collect(&input, true)
            .code(2)
            .stderr(predicates::str::contains("which this command reads"));
        assert_eq!(std::fs::read(&input).expect("input"), before, "{name}");
    }
}
