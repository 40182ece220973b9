//! `registry table4` on the ledger imported from the published Article 6.2 authorization
//! blocks. Expected figures are computed here from the CSV itself, independently of the
//! registry: every block whose first transfer the data resolves (Authorisation, Issuance) is
//! first-transferred once, so the cumulative net at 2030 is their total and the averaging
//! adjustment in 2030 is the total of vintages in 2021–2030 divided by 10; blocks defined by
//! "First international transfer" (no transfer recorded) are warnings, never counted.

use assert_cmd::Command;

/// A copy of `../shared/data/` (provenance beside it), so the tests need nothing outside the
/// repository.
const CSV: &str = "tests/fixtures/a6-2-authorizations-2026-08-14.csv";

fn csv_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(CSV)
}

/// (resolved total, resolved total with vintage in 2021–2030, unresolved rows) for a host.
fn expected(host: &str) -> (u64, u64, usize) {
    let mut r = csv::Reader::from_path(csv_path()).expect("csv");
    let h = r.headers().expect("headers").clone();
    let col = |n: &str| h.iter().position(|x| x == n).expect("column");
    let (hp, q, def, vin) = (
        col("host_party"),
        col("quantity"),
        col("first_transfer_definition"),
        col("vintage"),
    );
    let (mut total, mut in_p, mut unresolved) = (0, 0, 0);
    for rec in r.records() {
        let rec = rec.expect("row");
        if &rec[hp] != host {
            continue;
        }
        let n: u64 = rec[q].parse().expect("qty");
        if &rec[def] == "First international transfer" {
            unresolved += 1;
            continue;
        }
        total += n;
        let v: i32 = rec[vin].parse().expect("vintage");
        if (2021..=2030).contains(&v) {
            in_p += n;
        }
    }
    (total, in_p, unresolved)
}

fn ledger() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    Command::cargo_bin("ndc-workbench")
        .expect("bin")
        .args(["registry", "--ledger"])
        .arg(dir.path().join("l.jsonl"))
        .arg("import")
        .arg(csv_path())
        .assert()
        .success();
    dir
}

fn table4(dir: &tempfile::TempDir, party: &str) -> serde_json::Value {
    let out = Command::cargo_bin("ndc-workbench")
        .expect("bin")
        .args(["registry", "--ledger"])
        .arg(dir.path().join("l.jsonl"))
        .args(["table4", "--party", party, "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("json")
}

#[test]
fn table4_from_the_imported_authorizations_matches_the_csv() {
    let dir = ledger();
    for (name, code) in [
        ("Rwanda", "RWA"),
        ("Tanzania", "TZA"),
        ("Gambia", "GMB"),
        ("Malawi", "MWI"),
    ] {
        let (total, in_p, unresolved) = expected(name);
        let t = table4(&dir, name);
        assert_eq!(t["party"], code);
        let years = t["years"].as_array().expect("years");
        assert_eq!(years.len(), 10);
        let last = &years[9];
        assert_eq!(last["year"], 2030);
        assert_eq!(
            last["cumulative_net"].as_i64(),
            Some(total as i64),
            "{name}: row 13 at 2030"
        );
        let a_final: rust_decimal::Decimal = last["corresponding_adjustment"]
            .as_str()
            .expect("decimal string")
            .parse()
            .expect("decimal");
        assert_eq!(
            a_final,
            rust_decimal::Decimal::from(in_p) / rust_decimal::Decimal::from(10),
            "{name}: row 12 = Σ vintages in P / 10"
        );
        assert!(
            last["emissions_balance"].is_null(),
            "no emissions without --scenario"
        );
        let warnings = t["warnings"].as_array().expect("warnings");
        let unresolved_warnings = warnings
            .iter()
            .filter(|w| {
                w.as_str()
                    .is_some_and(|s| s.starts_with("first transfer unresolved"))
            })
            .count();
        assert_eq!(
            unresolved_warnings, unresolved,
            "{name}: every unresolved block is a warning"
        );
        // rows 7 + 8 − 9 = 10 every year
        for y in years {
            let s = y["first_transferred_ndc"].as_i64().unwrap_or(0)
                + y["first_transferred_oimp"].as_i64().unwrap_or(0)
                - y["used"].as_i64().unwrap_or(0);
            assert_eq!(y["net"].as_i64(), Some(s));
        }
    }
}

#[test]
fn table4_bad_party_and_period_are_usage_errors() {
    let dir = ledger();
    let run = |args: &[&str]| {
        Command::cargo_bin("ndc-workbench")
            .expect("bin")
            .args(["registry", "--ledger"])
            .arg(dir.path().join("l.jsonl"))
            .arg("table4")
            .args(args)
            .assert()
    };
    run(&["--party", "Atlantis"])
        .code(2)
        .stderr(predicates::str::contains("Rwanda"));
    run(&["--party", "RWA", "--period", "2030-2021"]).code(2);
    run(&["--party", "RWA", "--period", "soon"]).code(2);
}
