//! `ndc-workbench readiness`: one scenario (table, Markdown, JSON shape), several scenarios
//! (comparison), and exit code 2 on bad input.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::PathBuf;

const BASE: &str = include_str!("fixtures/valid/examplestan.toml");

fn scenario_with(dir: &tempfile::TempDir, snippet: &str) -> PathBuf {
    let text = std::fs::read_to_string(format!("scenarios/readiness/{snippet}.toml")).unwrap();
    let p = dir.path().join(format!("{snippet}.toml"));
    std::fs::write(&p, format!("{BASE}\n{text}")).unwrap();
    p
}

fn cmd() -> Command {
    Command::cargo_bin("ndc-workbench").unwrap()
}

#[test]
fn one_scenario_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let p = scenario_with(&dir, "bhutan");
    let out = cmd()
        .args(["readiness", p.to_str().unwrap(), "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["scenario"], "examplestan-2030");
    assert_eq!(v["stage"], "enabling-framework");
    assert_eq!(v["stage_number"], 2);
    assert_eq!(v["stage_label"], "Enabling framework");
    assert!(
        v["rule"]
            .as_str()
            .unwrap()
            .starts_with("Readiness stage rule")
    );
    assert!(v["reason"].as_str().unwrap().contains("Carbon Market Rule"));
    assert_eq!(v["gaps"].as_array().unwrap().len(), 1);
    assert_eq!(v["gaps"][0]["requirement"], "first-authorization");
    assert_eq!(v["gaps"][0]["stage"], "first-authorizations");
    assert_eq!(v["milestones"].as_array().unwrap().len(), 6);
    assert_eq!(v["milestones"][0]["id"], "carbon-market-rule");
    assert_eq!(v["agreements"].as_array().unwrap().len(), 7);
    assert_eq!(v["agreements"][1]["signed"], "2025-02-28");
    assert_eq!(v["participation"]["authorization_statements"], 0);
    assert!(v["support"].as_array().unwrap().len() >= 3);
    assert!(v["nmas"].as_array().unwrap().is_empty());
    assert!(v["outstanding"].as_array().unwrap().len() >= 2);
}

#[test]
fn one_scenario_as_table_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let p = scenario_with(&dir, "vanuatu");
    cmd()
        .args(["readiness", p.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Stage: [###.] First authorizations (3 of 4)",
        ))
        .stdout(predicate::str::contains("MILESTONES (TIMELINE)"))
        .stdout(predicate::str::contains("CHE implementation-agreement"))
        .stdout(predicate::str::contains(
            "first transfer (Transferring): no ITMOs first transferred yet",
        ))
        .stdout(predicate::str::contains("STAGE RULE"));
    cmd()
        .args(["readiness", p.to_str().unwrap(), "--format", "md"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("# Article 6 readiness: "))
        .stdout(predicate::str::contains("## Gaps for the next stage"));
}

#[test]
fn several_scenarios_give_the_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let a = scenario_with(&dir, "papua-new-guinea");
    let b = scenario_with(&dir, "thailand");
    let out = cmd()
        .args([
            "readiness",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["stage"], "preparing");
    assert_eq!(rows[0]["gaps"][0], "authorization arrangements");
    assert_eq!(rows[1]["stage"], "transferring");
    assert_eq!(rows[1]["itmos_first_transferred"], 1916);
    assert_eq!(rows[1]["signed_agreements"], 3);
    assert!(v["rule"].is_string());
    cmd()
        .args(["readiness", a.to_str().unwrap(), b.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("MISSING FOR NEXT STAGE"))
        .stdout(predicate::str::contains("4 Transferring"));
}

#[test]
fn builtin_scenario_without_readiness_is_preparing() {
    cmd()
        .args(["readiness", "examplestan", "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"stage\": \"preparing\""));
}

#[test]
fn missing_file_exits_2_with_the_scenario_error() {
    cmd()
        .args(["readiness", "no/such/file.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/file.toml:1:1"))
        .stdout(predicate::str::is_empty());
}

#[test]
fn invalid_nma_exits_2_with_its_location() {
    cmd()
        .args(["readiness", "tests/fixtures/readiness/nma-one-party.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "tests/fixtures/readiness/nma-one-party.toml:96:11: nma[0].parties:",
        ));
}

#[test]
fn no_scenario_is_a_usage_error() {
    cmd().args(["readiness"]).assert().code(2);
}

/// The activity-cycle table keeps its columns aligned when an activity id is long
/// (Vanuatu's `solar-rural-electrification` is 27 characters).
#[test]
fn activity_cycle_columns_stay_aligned_with_long_ids() {
    let out = cmd()
        .args(["readiness", "vanuatu-2030"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("ACTIVITY CYCLE"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(rows.len() >= 2, "{text}");
    assert!(
        rows.iter()
            .any(|r| r.contains("solar-rural-electrification"))
    );
    let col = |r: &str, s: &str| r.find(s).unwrap_or_else(|| panic!("no `{s}` in {r}"));
    let stage = col(rows[0], "(");
    let registry = col(rows[0], "registry:");
    for r in &rows {
        assert_eq!(col(r, "("), stage, "stage column moved: {r}");
        assert_eq!(col(r, "registry:"), registry, "registry column moved: {r}");
    }
}
