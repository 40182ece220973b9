//! CLI contract tests: exit codes, stdout/stderr, JSON shapes.

use assert_cmd::Command;
use predicates::prelude::*;

fn bin() -> Command {
    Command::cargo_bin("ndc-workbench").expect("binary builds")
}

const PREPARED: [&str; 6] = [
    "bhutan",
    "vanuatu",
    "papua-new-guinea",
    "thailand",
    "singapore",
    "examplestan",
];

fn json(args: &[&str]) -> serde_json::Value {
    let out = bin()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("stdout is JSON")
}

#[test]
fn version_and_help() {
    bin()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains("ndc-workbench"));
    for cmd in ["validate", "scenario", "questions", "simulate", "budget"] {
        bin()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage"));
    }
}

#[test]
fn unknown_command_is_a_usage_error() {
    bin().arg("simulte").arg("x").arg("y").assert().code(2);
}

#[test]
fn scenario_list_json_names_every_prepared_scenario() {
    let v = json(&["scenario", "list", "--json"]);
    let ids: Vec<&str> = v["scenarios"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    for id in [
        "bhutan-2030",
        "vanuatu-2030",
        "papua-new-guinea-2030",
        "thailand-2030",
        "singapore-2030",
        "examplestan-2030",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
}

#[test]
fn scenario_show_and_template() {
    bin()
        .args(["scenario", "show", "bhutan"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Bhutan"));
    let v = json(&["scenario", "show", "examplestan", "--json"]);
    // covered BAU 2030 = 2300 + 1600 kt
    assert_eq!(v["totals"]["covered_bau_t"], "3900000");
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("t.toml");
    let out = bin()
        .args(["scenario", "template"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    std::fs::write(&path, out).expect("write");
    bin()
        .arg("validate")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("ok "));
}

#[test]
fn show_of_a_missing_scenario_says_what_to_do() {
    bin()
        .args(["scenario", "show", "atlantis"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("scenario list"));
    bin()
        .args(["scenario", "show", "nope.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
}

#[test]
fn questions_json_has_the_17_questions() {
    let v = json(&["questions", "--json"]);
    assert_eq!(v["question"].as_array().map(|a| a.len()), Some(17));
    bin()
        .args(["questions", "--pack", "missing-pack"])
        .assert()
        .code(2);
}

#[test]
fn budget_formats() {
    bin()
        .args(["budget", "examplestan"])
        .assert()
        .success()
        .stdout(predicate::str::contains("p*"));
    let v = json(&["budget", "examplestan", "--format", "json"]);
    assert_eq!(v["target_year"], 2030);
    bin()
        .args(["budget", "examplestan", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("sector,in_scope,year"));
}

/// The table says how far the in-scope MOs fall short of (or exceed) what the target needs,
/// never a negative surplus. Examplestan 2030: covered BAU 2,300 + 1,600 = 3,900 kt, the
/// unconditional target 20 % below it (3,120 kt), so 780 kt are needed; the in-scope activities
/// give 60 + 90 = 150 kt: 630 kt short. Bhutan's net-balance target needs nothing, so every
/// in-scope MO is above the need.
#[test]
fn budget_table_says_short_of_or_above_the_need() {
    bin()
        .args(["budget", "examplestan"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "MOs needed: 780.0 kt   in-scope MOs short of the need: 630.0 kt",
        ))
        .stdout(predicate::str::contains("-630").not());
    bin()
        .args(["budget", "bhutan"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "MOs needed: 0.0 kt   in-scope MOs above the need:",
        ));
}

#[test]
fn simulate_json_contract_on_every_prepared_scenario() {
    for id in PREPARED {
        let v = json(&["simulate", id, "--format", "json"]);
        for key in [
            "scenario",
            "method",
            "protected_target",
            "max_transferable",
            "binding_constraint",
            "years",
            "host_retained",
            "sop",
            "omge",
        ] {
            assert!(v.get(key).is_some(), "{id}: missing {key}");
        }
        assert!(
            v["max_transferable"].is_u64(),
            "{id}: max_transferable must be an integer"
        );
        assert!(
            v["protected_target"].is_string(),
            "{id}: emission figures are decimal strings"
        );
        let years = v["years"].as_array().expect("years");
        assert!(!years.is_empty());
        for y in years {
            for key in [
                "year",
                "bau",
                "projected_emissions",
                "target",
                "first_transferred",
                "used",
                "corresponding_adjustment",
                "emissions_balance",
                "meets_target",
            ] {
                assert!(y.get(key).is_some(), "{id}: year row lacks {key}");
            }
            assert!(y["first_transferred"].is_u64());
            assert!(y["emissions_balance"].is_string());
        }
        // the maximum keeps the protected target whenever no transfer does
        let zero = json(&["simulate", id, "--format", "json", "--volume", "0"]);
        if zero["meets_target"] == true {
            assert_eq!(
                v["meets_target"], true,
                "{id}: the maximum misses the target"
            );
        }
    }
}

#[test]
fn simulate_reads_volumes_with_thousands_separators() {
    for typed in ["1000", "1,000", "1 000"] {
        let v = json(&["simulate", "bhutan", "--format", "json", "--volume", typed]);
        assert_eq!(v["transferred"], 1000, "--volume {typed:?}");
    }
}

/// A volume above what the activities can supply is reported as asked and as transferred,
/// never as if the two were the same; `--runs` takes thousands separators like `--volume`.
#[test]
fn simulate_names_a_volume_it_could_not_transfer_and_reads_runs_as_typed() {
    let out = bin()
        .args(["simulate", "bhutan", "--volume", "99,999,999,999"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let supply = json(&[
        "simulate",
        "bhutan",
        "--format",
        "json",
        "--volume",
        "99999999999",
    ]);
    let moved = supply["transferred"].as_u64().expect("transferred");
    assert!(moved < 99_999_999_999);
    let grouped = {
        let d = moved.to_string();
        let mut g = String::new();
        for (i, c) in d.chars().enumerate() {
            if i > 0 && (d.len() - i).is_multiple_of(3) {
                g.push(',');
            }
            g.push(c);
        }
        g
    };
    assert!(
        text.contains(&format!(
            "requested 99,999,999,999 ITMOs, transferred {grouped}"
        )),
        "{text}"
    );
    assert!(!text.contains("requested and transferred"), "{text}");
    // More than the national cap is transferred when asked for, and said to break the cap.
    let capped = |cap: &str| {
        let out = bin()
            .args([
                "simulate",
                "bhutan",
                "--volume",
                "99999999999",
                "--cap",
                cap,
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    assert!(
        capped("2,000,000").contains(&format!(
            "{grouped} ITMOs transferred is above the national cap of 2,000,000"
        )),
        "{}",
        capped("2,000,000")
    );
    assert!(!capped("none").contains("national cap"));
    assert!(!capped(&(moved + 1).to_string()).contains("above the national cap"));
    let a = json(&[
        "simulate", "thailand", "--format", "json", "--runs", "1,000", "--seed", "3",
    ]);
    let b = json(&[
        "simulate", "thailand", "--format", "json", "--runs", "1000", "--seed", "3",
    ]);
    assert_eq!(a, b);
    bin()
        .args(["simulate", "thailand", "--runs", "many"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a number of runs"));
    bin()
        .args(["simulate", "thailand", "--retention", "150%"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--retention 150%"));
}

#[test]
fn simulate_with_runs_reports_probability_reproducibly() {
    let a = json(&[
        "simulate", "thailand", "--format", "json", "--runs", "500", "--seed", "7",
    ]);
    let b = json(&[
        "simulate", "thailand", "--format", "json", "--runs", "500", "--seed", "7",
    ]);
    assert_eq!(a["probability_meets_target"], b["probability_meets_target"]);
    let p = a["probability_meets_target"].as_f64().expect("number");
    assert!((0.0..=1.0).contains(&p));
    assert!(a["max_at_confidence"].is_u64());
}

#[test]
fn a_volume_above_the_maximum_is_shown_failing() {
    let v = json(&[
        "simulate",
        "thailand",
        "--format",
        "json",
        "--no-demand",
        "--buffer",
        "0",
    ]);
    let max = v["max_transferable"].as_u64().expect("int");
    let over = json(&[
        "simulate",
        "thailand",
        "--format",
        "json",
        "--no-demand",
        "--buffer",
        "0",
        "--volume",
        &(max + 5_000_000).to_string(),
    ]);
    assert_eq!(over["meets_target"], false);
    assert!(!over["failing_years"].as_array().expect("array").is_empty());
}

/// Shares are typed as a fraction or a percentage: `--buffer 10%` is `--buffer 0.1`, and
/// `--confidence 90%` is `--confidence 0.9`; a decimal comma is refused with the way to write it.
#[test]
fn shares_take_a_fraction_or_a_percentage() {
    let base = ["simulate", "thailand", "--format", "json", "--runs", "200"];
    let with = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        json(&args)
    };
    let fraction = with(&["--buffer", "0.1", "--confidence", "0.9"]);
    let percent = with(&["--buffer", "10%", "--confidence", "90%"]);
    assert_eq!(fraction["max_transferable"], percent["max_transferable"]);
    assert_eq!(fraction["confidence"], 0.9);
    assert_eq!(percent["confidence"], 0.9);
    assert_eq!(fraction["max_at_confidence"], percent["max_at_confidence"]);
    // 10 % of headroom buffered is not the same as none: the flag was read.
    assert_ne!(
        with(&["--buffer", "0"])["max_transferable"],
        percent["max_transferable"]
    );
    bin()
        .args(["simulate", "thailand", "--retention", "0,1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a decimal point, not a comma"));
}

#[test]
fn simulate_bad_input_names_the_key_to_fix() {
    // examplestan is single-year: the budget method is not allowed
    bin()
        .args(["simulate", "examplestan", "--method", "budget"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ndc.kind"));
    bin()
        .args(["simulate", "examplestan", "--volume", "lots"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--volume"));
    bin()
        .args(["simulate", "examplestan", "--buffer", "5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("0–1"));
    // Signs reach the rule that names the fix (clap would call them unknown flags).
    for (flag, value, why) in [
        ("--volume", "-3", "negative"),
        ("--cap", "-10", "negative"),
        ("--buffer", "-0.1", "0–1"),
        ("--retention", "-0.5", "0–1"),
        ("--confidence", "-1", "0–1"),
    ] {
        bin()
            .args(["simulate", "examplestan", flag, value])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(flag).and(predicate::str::contains(why)));
    }
    // a scenario without a conditional target cannot protect it
    let dir = tempfile::tempdir().expect("tmp");
    let text = include_str!("fixtures/valid/examplestan.toml").replace("conditional   = { type = \"below-bau\", percent = 35, support = [\"finance\", \"technology\", \"article6\"] }\n", "");
    let path = dir.path().join("nocond.toml");
    std::fs::write(&path, text).expect("write");
    bin()
        .arg("simulate")
        .arg(&path)
        .args(["--protect", "conditional"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ndc.conditional"));
}

#[test]
fn compare_shows_averaging_passing_where_the_trajectory_fails() {
    // A host selling only vintage-2030 units: BAU 1000 kt, 100 kt/yr mitigation credited in 2030
    // only, target 910 kt. Averaging: 900 + 100/10 = 910 ✓; trajectory: 900 + 100 = 1000 ✗.
    let scenario = "schema = 1\n[scenario]\nid = \"seller\"\ntitle = \"target-year seller\"\nillustrative = true\nunit = \"ktCO2e\"\ncurrency = \"USD\"\n\
[party]\ncode = \"EXS\"\nname = \"Examplestan\"\nregistry_id = \"EXS01\"\nrole = \"host\"\n\
[ndc]\nperiod = [2021, 2030]\nkind = \"single-year\"\ntarget_year = 2030\nca_method = \"averaging\"\n\
unconditional = { type = \"absolute\", level = 910 }\ntrajectory = { 2021 = 910, 2030 = 910 }\n\
[[sector]]\nid = \"energy\"\nname = \"Energy\"\nin_scope = true\nbau = { 2021 = 1000, 2030 = 1000 }\n\
[[activity]]\nid = \"pv\"\nname = \"Solar\"\nsector = \"energy\"\ncategory = \"renewable-energy\"\nmechanism = \"6.2\"\nndc_part = \"conditional\"\ncost_per_t = 30\n\
mitigation = { 2021 = 100, 2030 = 100 }\ncrediting = [2030, 2030]\nauthorization = { purpose = \"NDC\", acquiring = \"SGP\" }\n\
[[partner]]\ncode = \"SGP\"\nname = \"Singapore\"\nprice = 20\n";
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("seller.toml");
    std::fs::write(&path, scenario).expect("write");
    let out = bin()
        .arg("simulate")
        .arg(&path)
        .args(["--compare", "trajectory", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(v["max_transferable"], 100_000);
    assert_eq!(v["meets_target"], true);
    assert_eq!(v["comparison"]["method"], "trajectory");
    assert_eq!(v["comparison"]["transferred"], 100_000);
    assert_eq!(v["comparison"]["meets_target"], false);
    assert_eq!(v["comparison"]["failing_years"], serde_json::json!([2030]));
    bin()
        .arg("simulate")
        .arg(&path)
        .args(["--compare", "trajectory"])
        .assert()
        .success()
        .stdout(predicate::str::contains("trajectory: misses it in [2030]"));
}

#[test]
fn scenario_new_copies_with_comments_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("future-ndc.toml");
    bin()
        .args(["scenario", "new", "--from", "bhutan"])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(text.contains("id = \"future-ndc\""));
    assert!(
        text.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
            > 10,
        "comments kept"
    );
    bin().arg("validate").arg(&out).assert().success();
    bin()
        .args(["scenario", "new", "--from", "bhutan"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    bin()
        .args(["scenario", "new", "--from", "atlantis"])
        .arg(dir.path().join("x.toml"))
        .assert()
        .code(2);
}

#[test]
fn scenario_diff_names_what_changed() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = dir.path().join("a.toml");
    let b = dir.path().join("b.toml");
    let text = include_str!("fixtures/valid/examplestan.toml");
    std::fs::write(&a, text).expect("write");
    std::fs::write(
        &b,
        text.replace("national_cap = 1500", "national_cap = 1200"),
    )
    .expect("write");
    let out = bin()
        .args(["scenario", "diff"])
        .arg(&a)
        .arg(&b)
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let changes = v["changes"].as_array().expect("array");
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["item"], "national_cap");
    assert_eq!(changes[0]["before"], "1500");
    assert_eq!(changes[0]["after"], "1200");
}

#[test]
fn the_template_has_its_own_id_and_a_reused_builtin_id_is_warned_about() {
    let dir = tempfile::tempdir().expect("tmp");
    let template = bin()
        .args(["scenario", "template"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(template).expect("utf-8");
    assert!(text.contains("id = \"my-scenario-2030\""), "{text}");
    assert!(!text.contains("examplestan-2030"), "a built-in id: {text}");
    assert!(!text.contains("Improve the shape"), "a design note: {text}");
    let path = dir.path().join("t.toml");
    std::fs::write(&path, &text).expect("write");
    bin()
        .arg("validate")
        .arg(&path)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("warning").not());
    // an edited copy that keeps a built-in id: still valid, with a warning
    let clash = dir.path().join("clash.toml");
    std::fs::write(
        &clash,
        text.replacen("id = \"my-scenario-2030\"", "id = \"examplestan-2030\"", 1),
    )
    .expect("write");
    bin()
        .arg("validate")
        .arg(&clash)
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("ok "))
        .stderr(
            predicate::str::contains("warning")
                .and(predicate::str::contains("`examplestan-2030`"))
                .and(predicate::str::contains("built-in")),
        );
    // a built-in named by id is the built-in itself
    bin()
        .args(["validate", "bhutan-2030"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("warning").not());
}

#[test]
fn scenario_list_json_includes_the_local_scenarios_the_text_lists() {
    let dir = tempfile::tempdir().expect("tmp");
    let local = dir.path().join("scenarios");
    std::fs::create_dir_all(&local).expect("mkdir");
    std::fs::write(local.join("mine.toml"), ndc_workbench::cli::template()).expect("write");
    std::fs::write(local.join("broken.toml"), "schema = 1\nnonsense = 3\n").expect("write");
    let text = bin()
        .current_dir(dir.path())
        .args(["scenario", "list"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).expect("utf-8");
    assert!(
        text.contains("my-scenario-2030") && text.contains("INVALID"),
        "{text}"
    );
    let out = bin()
        .current_dir(dir.path())
        .args(["scenario", "list", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("stdout is JSON");
    let all = v["scenarios"].as_array().expect("array");
    let mine = all
        .iter()
        .find(|s| s["id"] == "my-scenario-2030")
        .expect("the local scenario is listed");
    assert_eq!(mine["origin"], "local");
    assert!(
        mine["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("mine.toml")),
        "{mine}"
    );
    assert!(mine["sectors"].as_u64().is_some_and(|n| n > 0), "{mine}");
    let broken = all
        .iter()
        .find(|s| {
            s["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("broken.toml"))
        })
        .expect("the invalid local file is listed");
    assert_eq!(broken["origin"], "local");
    assert!(
        broken["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{broken}"
    );
    assert!(
        all.iter()
            .any(|s| s["id"] == "bhutan-2030" && s["origin"] == "built-in")
    );
}

#[test]
fn simulate_warns_of_indicative_years_above_the_trajectory() {
    // single-year NDC, trajectory 99 (2021) → 90 (2030), projected 97 → 88, 4 Mt a year of
    // eligible supply: 25 Mt first-transferred land on the early vintages, so some early
    // balances E(t) + FT(t) exceed the indicative trajectory while 2030 (binding) holds
    let v = json(&[
        "simulate",
        "tests/fixtures/single-year-indicative.toml",
        "--volume",
        "25000000",
        "--format",
        "json",
    ]);
    assert_eq!(v["meets_target"], true);
    let num = |x: &serde_json::Value| x.as_str().expect("decimal").parse::<f64>().expect("num");
    let mut above = vec![];
    for y in v["years"].as_array().expect("years") {
        let year = y["year"].as_i64().expect("year");
        let exceeds = year < 2030 && num(&y["emissions_balance"]) > num(&y["target"]);
        assert_eq!(y["above_indicative"], exceeds, "{y}");
        if exceeds {
            above.push(year.to_string());
            assert_ne!(y["meets_target"], false, "a warning is not a breach: {y}");
        }
    }
    assert!(!above.is_empty(), "the fixture must put early years above");
    let warnings = v["warnings"].as_array().expect("warnings");
    let listed = format!("indicative trajectory in {}", above.join(", "));
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().is_some_and(|w| w.contains(&listed))),
        "{warnings:?} should name {listed}"
    );
    // the table marks those years with "!" and prints the warning
    let out = bin()
        .args([
            "simulate",
            "tests/fixtures/single-year-indicative.toml",
            "--volume",
            "25000000",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf-8");
    for y in &above {
        let row = text
            .lines()
            .find(|l| l.starts_with(y.as_str()))
            .expect("year row");
        assert!(row.contains("! (indicative)"), "{row}");
    }
    assert!(text.contains(&format!(
        "warning: the emissions balance is above the {listed}"
    )));
}

#[test]
fn the_uncertainty_study_counts_outside_scope_units_like_the_headline() {
    // Bhutan's headline volume includes ITMOs from activities outside its NDC's scope. The
    // study takes the headline volume as it is counted: when every run meets the target with
    // it, the largest volume safe at 95 % cannot be smaller (it was, by the outside units)
    let v = json(&["simulate", "bhutan", "--runs", "200", "--format", "json"]);
    let transferred = v["transferred"].as_u64().expect("transferred");
    let p = v["probability_meets_target"].as_f64().expect("p");
    let safe = v["max_at_confidence"].as_u64().expect("safe");
    assert!(v["outside_scope_transferred"].as_u64().expect("outside") > 0);
    // a volume the target holds with in every run is within the largest safe volume
    if p >= 0.95 {
        assert!(
            safe >= transferred,
            "safe {safe} < transferred {transferred} at P = {p}"
        );
    }
    assert_eq!(
        p, 1.0,
        "Bhutan's headline volume is demand-bound, far inside its headroom"
    );
    let out = bin()
        .args(["simulate", "bhutan", "--runs", "200"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf-8");
    assert!(
        text.contains("come from activities outside the NDC's scope"),
        "{text}"
    );
}

#[test]
fn simulate_refuses_more_runs_than_it_can_hold() {
    // 10^8 runs would keep 10^8 × 10 years × 8 bytes of paths: refused at once, exit 2
    bin()
        .args(["simulate", "bhutan", "--runs", "100000000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--runs 100000000: at most 1,000,000",
        ));
    bin()
        .args(["simulate", "bhutan", "--runs", "1000", "--format", "json"])
        .assert()
        .success();
}

#[test]
fn a_host_that_retains_everything_is_told_so_not_to_check_its_positive_list() {
    let v = json(&["simulate", "bhutan", "--retention", "1", "--format", "json"]);
    assert_eq!(v["max_transferable"], 0);
    let why = v["binding_text"].as_str().expect("text");
    assert!(why.contains("retains 100 % of every issuance"), "{why}");
    // at 99 % something is left, and the usual reasons apply
    let v = json(&[
        "simulate",
        "bhutan",
        "--retention",
        "0.99",
        "--format",
        "json",
    ]);
    assert!(
        !v["binding_text"]
            .as_str()
            .expect("text")
            .contains("retains")
    );
}

/// Options that store data may come before the command as well as after it (a participant types
/// them where the usage line shows them); a scenario before a command is refused with a way out,
/// not silently dropped.
#[test]
fn data_dir_works_before_the_command_and_a_scenario_before_one_is_refused() {
    let d = tempfile::tempdir().expect("tmp");
    let dir = d.path().to_str().expect("utf-8 path");
    bin()
        .args([
            "--data-dir",
            dir,
            "registry",
            "init",
            "--party",
            "BTN",
            "--registry-id",
            "BTN01",
        ])
        .assert()
        .success();
    assert!(
        d.path().join("registry.jsonl").is_file(),
        "the ledger went to --data-dir"
    );
    bin()
        .args(["registry", "balances", "--data-dir", dir])
        .assert()
        .success()
        .stdout(predicate::str::contains("BTN:REG:Holding"));
    bin()
        .args(["bhutan", "scenario", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`bhutan` opens the workbench on a scenario and cannot come before a command",
        ));
}

/// Without a terminal the workbench says what to do instead of panicking; a mistyped command
/// followed by its arguments is named as the command meant, not as an unexpected argument.
#[test]
fn no_terminal_and_a_mistyped_command_get_a_clear_error() {
    let d = tempfile::tempdir().expect("tmp");
    let out = bin()
        .args(["bhutan", "--data-dir"])
        .arg(d.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("needs a terminal") && !err.contains("panicked"),
        "{err}"
    );
    bin()
        .args(["simulte", "bhutan"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`simulte` is not a command; did you mean `simulate`?",
        ));
    bin()
        .args(["--data-dir", "x", "valdate", "a.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `validate`?"));
}
