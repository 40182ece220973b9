//! Scenario fixtures and prepared scenarios.
//!
//! 1. Every file in `tests/fixtures/invalid/` fails to load, and its first diagnostic has the line,
//!    column and message substring stated in the file's first line: `# expect: LINE:COL: text`.
//! 2. Every valid fixture and every prepared scenario loads and survives a TOML round trip.
//! 3. The prepared host scenarios meet the teaching requirements (sectors, activities, a 6.4
//!    activity, an outside-scope sector, a partner, varied categories), and a scenario with any
//!    figure marked `# illustrative` sets `illustrative = true`.
//! 4. The CLI `validate` prints `FILE:LINE:COL:` and exits 2 on an invalid fixture, and prints
//!    `ok FILE` for a valid one.

use ndc_workbench::scenario::schema::{Mechanism, NdcPart, PartyRole};
use ndc_workbench::scenario::{self, ScenarioFile, builtin};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

/// The `# expect: LINE:COL: substring` line of an invalid fixture.
struct Expect {
    line: usize,
    col: usize,
    text: String,
}

fn expectation(path: &Path, text: &str) -> Expect {
    let first = text.lines().next().unwrap_or_default();
    let rest = first.strip_prefix("# expect: ").unwrap_or_else(|| {
        panic!(
            "{}: first line must be `# expect: LINE:COL: text`",
            path.display()
        )
    });
    let mut parts = rest.splitn(3, ':');
    let num = |p: Option<&str>| -> usize {
        p.and_then(|s| s.trim().parse().ok())
            .unwrap_or_else(|| panic!("{}: bad `# expect:` line: {first}", path.display()))
    };
    let line = num(parts.next());
    let col = num(parts.next());
    let text = parts.next().unwrap_or_default().trim().to_string();
    assert!(
        !text.is_empty(),
        "{}: `# expect:` has no message text",
        path.display()
    );
    Expect { line, col, text }
}

#[test]
fn every_invalid_fixture_fails_where_its_comment_says() {
    let files = fixtures("invalid");
    assert!(
        files.len() >= 30,
        "expected at least 30 invalid fixtures, found {}",
        files.len()
    );
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable fixture");
        let want = expectation(path, &text);
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let err = match scenario::load_str(name, &text) {
            Ok(_) => panic!("{name}: loaded, but it should fail"),
            Err(e) => e,
        };
        let d = err
            .diagnostics
            .first()
            .unwrap_or_else(|| panic!("{name}: error without diagnostics"));
        assert_eq!(
            (d.line, d.col),
            (want.line, want.col),
            "{name}: first diagnostic at the wrong place: {d}"
        );
        assert!(
            d.message.contains(&want.text),
            "{name}: message `{}` does not contain `{}`",
            d.message,
            want.text
        );
    }
}

fn round_trips(name: &str, f: &ScenarioFile) {
    let text = scenario::to_toml(f).unwrap_or_else(|e| panic!("{name}: cannot write TOML: {e}"));
    let again = scenario::load_str(name, &text)
        .unwrap_or_else(|e| panic!("{name}: written TOML does not load:\n{e}\n---\n{text}"));
    assert_eq!(&again.file, f, "{name}: round trip changed the scenario");
}

#[test]
fn valid_fixtures_load_and_round_trip() {
    let files = fixtures("valid");
    assert!(!files.is_empty());
    for path in &files {
        let s = scenario::load_file(path).unwrap_or_else(|e| panic!("{e}"));
        round_trips(&path.display().to_string(), &s.file);
    }
}

#[test]
fn prepared_scenarios_load_and_round_trip() {
    let all = builtin::all();
    assert_eq!(all.len(), builtin::PREPARED.len());
    for r in all {
        let s = r.unwrap_or_else(|e| panic!("prepared scenario does not load:\n{e}"));
        round_trips(s.id(), &s.file);
    }
    assert!(
        builtin::by_id(builtin::DEFAULT_ID).is_some_and(|r| r.is_ok()),
        "default scenario loads"
    );
}

const HOSTS: [&str; 4] = [
    "bhutan-2030",
    "vanuatu-2030",
    "papua-new-guinea-2030",
    "thailand-2030",
];

#[test]
fn prepared_hosts_have_what_the_exercises_need() {
    for id in HOSTS {
        let s = builtin::by_id(id)
            .unwrap_or_else(|| panic!("no prepared scenario {id}"))
            .expect("loads");
        let f = &s.file;
        assert_eq!(f.party.role, PartyRole::Host, "{id}: role");
        assert!(
            f.sectors.len() >= 5,
            "{id}: {} sectors, want at least 5",
            f.sectors.len()
        );
        assert!(
            f.activities.len() >= 8,
            "{id}: {} activities, want at least 8",
            f.activities.len()
        );
        assert!(
            f.activities.iter().any(|a| a.mechanism == Mechanism::A64),
            "{id}: no 6.4 activity"
        );
        let outside: Vec<&str> = f
            .sectors
            .iter()
            .filter(|x| !x.in_scope)
            .map(|x| x.id.as_str())
            .collect();
        assert!(!outside.is_empty(), "{id}: no outside-scope sector");
        assert!(
            f.activities.iter().any(
                |a| outside.contains(&a.sector.as_str()) && a.ndc_part == NdcPart::OutsideScope
            ),
            "{id}: no outside-scope activity"
        );
        assert!(!f.partners.is_empty(), "{id}: no partner");
        assert!(
            f.partners.iter().any(|p| !p.demand.0.is_empty()),
            "{id}: no partner demand"
        );
        let cats: HashSet<&str> = f.activities.iter().map(|a| a.category.as_str()).collect();
        assert!(
            cats.len() >= 4,
            "{id}: only {} distinct categories",
            cats.len()
        );
        assert!(!f.sources.is_empty(), "{id}: no sources");
        assert!(
            f.sources
                .iter()
                .all(|x| x.url.starts_with("https://") || x.url.starts_with("http://"))
        );
    }
    let sgp = builtin::by_id("singapore-2030")
        .expect("singapore")
        .expect("loads");
    assert_eq!(sgp.file.party.role, PartyRole::Acquiring);
    assert!(!sgp.file.partners.is_empty());
    let d = builtin::by_id(builtin::DEFAULT_ID)
        .expect("default")
        .expect("loads");
    assert_eq!(d.id(), "bhutan-2030");
}

#[test]
fn invented_figures_are_flagged_illustrative() {
    for (name, text) in builtin::PREPARED {
        let s = scenario::load_str(name, text).unwrap_or_else(|e| panic!("{e}"));
        let invented = text.lines().any(|l| l.contains("# illustrative"));
        if invented {
            assert!(
                s.file.scenario.illustrative,
                "{name}: has `# illustrative` figures but illustrative = false"
            );
            let desc = s.file.scenario.description.as_deref().unwrap_or_default();
            assert!(
                *name == "examplestan.toml" || desc.to_lowercase().contains("illustrative"),
                "{name}: the description should say which figures are illustrative"
            );
        }
    }
}

#[test]
fn cli_validate_reports_file_line_col_and_exit_2() {
    for path in fixtures("invalid") {
        let text = std::fs::read_to_string(&path).expect("readable fixture");
        let want = expectation(&path, &text);
        let out = assert_cmd::Command::cargo_bin("ndc-workbench")
            .expect("binary builds")
            .arg("validate")
            .arg(&path)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{}: exit code", path.display());
        let stderr = String::from_utf8_lossy(&out.stderr);
        let place = format!("{}:{}:{}:", path.display(), want.line, want.col);
        assert!(
            stderr.contains(&place),
            "{}: stderr lacks `{place}`:\n{stderr}",
            path.display()
        );
    }
    let mut valid = fixtures("valid");
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for name in [
        "bhutan.toml",
        "vanuatu.toml",
        "papua-new-guinea.toml",
        "thailand.toml",
        "singapore.toml",
    ] {
        valid.push(scenarios.join(name));
    }
    let out = assert_cmd::Command::cargo_bin("ndc-workbench")
        .expect("binary builds")
        .arg("validate")
        .args(&valid)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "valid files: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for p in &valid {
        assert!(
            stdout.contains(&format!("ok {}", p.display())),
            "no `ok {}` in:\n{stdout}",
            p.display()
        );
    }
}

/// A value of the wrong type is reported with the key that holds it (not only line:column), in
/// plain words, with what to type instead.
#[test]
fn type_errors_name_the_key_and_say_what_to_type() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    for (file, path, hint) in [
        (
            "wrong-type-in-scope.toml",
            "sector[1].in_scope",
            "true or false",
        ),
        ("wrong-type-period.toml", "ndc.period", ""),
    ] {
        let text = std::fs::read_to_string(dir.join(file)).expect("readable fixture");
        let err = scenario::load_str(file, &text).expect_err("fixture must fail");
        let d = &err.diagnostics[0];
        assert_eq!(d.path, path, "{file}: {d}");
        assert!(d.hint.contains(hint), "{file}: hint `{}`", d.hint);
    }
    let template = ndc_workbench::cli::template();
    let template = template.as_str();
    let bad = template.replacen("target_year = 2030", "target_year = 2030.5", 1);
    assert_ne!(bad, template, "the template has a target_year line");
    let err = scenario::load_str("t.toml", &bad).expect_err("a decimal year must fail");
    let d = &err.diagnostics[0];
    assert_eq!(d.path, "ndc.target_year");
    assert!(d.message.contains("expected a whole number"), "{d}");
    assert!(!d.message.contains("i32"), "Rust type names leak: {d}");
}

/// `validate bhutan-2030` checks the built-in scenario; a mistyped id lists the ids that exist.
#[test]
fn cli_validate_accepts_built_in_ids_and_lists_them_on_a_typo() {
    let run = |arg: &str| {
        assert_cmd::Command::cargo_bin("ndc-workbench")
            .expect("binary builds")
            .current_dir(std::env::temp_dir())
            .args(["validate", arg])
            .output()
            .expect("runs")
    };
    let ok = run("bhutan-2030");
    assert_eq!(ok.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&ok.stdout).trim(), "ok bhutan-2030");
    let typo = run("bhutn-2030");
    assert_eq!(typo.status.code(), Some(2));
    let err = String::from_utf8_lossy(&typo.stderr);
    assert!(
        err.contains("not a built-in id") && err.contains("bhutan-2030"),
        "{err}"
    );
}

/// The README's scenario reference names every category the loader accepts.
#[test]
fn readme_lists_every_known_category() {
    let readme = include_str!("../README.md");
    for (c, _) in ndc_workbench::scenario::categories::KNOWN {
        assert!(
            readme.contains(&format!("`{c}`")),
            "README lacks category `{c}`"
        );
    }
}

/// A key pasted twice is named with the table it sits in and the line of its first setting, so
/// the participant knows which line to delete (the parser alone says only "duplicate key").
#[test]
fn a_duplicate_key_names_its_table_and_the_first_line() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let file = "duplicate-key-in-sector.toml";
    let text = std::fs::read_to_string(dir.join(file)).expect("readable fixture");
    let err = scenario::load_str(file, &text).expect_err("fixture must fail");
    let d = &err.diagnostics[0];
    assert_eq!(d.path, "sector[1].bau", "{d}");
    let first = text
        .lines()
        .position(|l| l.starts_with("bau = { 2021 = 1500, 2030 = 1600 }"))
        .expect("the first bau line")
        + 1;
    assert!(d.hint.contains(&format!("line {first}")), "{d}");
}
