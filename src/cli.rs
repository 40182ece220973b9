//! Command-line definitions (clap derive) and the headless commands that only read scenarios
//! and packs. Commands that belong to a domain module (registry, simulate, report) live next to
//! it; this module parses arguments, dispatches and maps errors to exit codes:
//! 0 ok, 1 operation failed, 2 bad input or usage.

use crate::scenario::{self, Scenario};
use crate::workshop;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Most Monte Carlo runs `simulate --runs` takes: the study holds every run's emission path
/// (runs × years × 8 bytes), so 10^8 runs would need gigabytes.
const MAX_RUNS: usize = 1_000_000;

/// Exit code: the operation failed (e.g. an invariant is violated).
pub const EXIT_FAILED: u8 = 1;
/// Exit code: bad input or usage.
pub const EXIT_BAD_INPUT: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "ndc-workbench",
    version,
    about = "Article 6 and NDC workbench: workshop exercises, MO budgets, ITMO transfer simulation and a registry ledger",
    long_about = "Article 6 and NDC workbench.\n\nWithout a command it opens the interactive workbench on the built-in scenarios \
(or on SCENARIO: a built-in id such as `bhutan` or a path to a .toml file).",
    // Options such as --data-dir go before or after a command; a scenario only without one
    // (`main` refuses both together).
    override_usage = "ndc-workbench [OPTIONS] [SCENARIO]\n       ndc-workbench [OPTIONS] <COMMAND>"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Scenario to open: a built-in id (e.g. `bhutan`) or a path to a .toml file.
    pub scenario: Option<String>,
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options for the interactive workbench and commands that store data.
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// Participant name for the session (asked once otherwise, defaulting to the OS user).
    #[arg(long, global = true)]
    pub participant: Option<String>,
    /// Where sessions and ledgers are stored (also: NDC_WORKBENCH_DATA).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Enable mouse clicks and scrolling in the workbench.
    #[arg(long)]
    pub mouse: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files: one `ok FILE` line per valid file; errors as FILE:LINE:COL on stderr (exit 2).
    Validate {
        /// Scenario files to check (a built-in id such as `bhutan-2030` also works).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List, show and start scenarios.
    #[command(subcommand)]
    Scenario(ScenarioCmd),
    /// The mitigation-outcome budget of a scenario: sectors, needs, MACC and p*.
    Budget {
        /// Built-in id or path to a .toml file.
        scenario: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// How many ITMOs can be transferred while keeping the NDC (Article 6 accounting).
    Simulate(SimulateArgs),
    /// Article 6 readiness: stage, rule, milestones, agreements, NMAs and gaps of one scenario;
    /// with several scenarios, the comparison table.
    Readiness {
        /// Built-in ids or paths to .toml files.
        #[arg(required = true)]
        scenarios: Vec<String>,
        #[arg(long, value_enum, default_value_t = ReadinessFormat::Table)]
        format: ReadinessFormat,
    },
    /// Registry ledger: issue, authorize, transfer, retire, cancel; check, explore, export, import.
    Registry(crate::registry::cli::RegistryArgs),
    /// A session's report: answers, sector budget, simulation (with a fixed-seed Monte Carlo),
    /// registry summary, emission-path chart and provenance, as Markdown, CSV or JSON.
    Report(ReportArgs),
    /// Merge the sessions of one scenario into a workshop summary (Markdown); exit 2 when
    /// nothing could be collected.
    Collect(CollectArgs),
    /// Hand sessions between laptops: export one portable file, import it elsewhere.
    #[command(subcommand)]
    Session(SessionCmd),
    /// Print the workshop questions of a pack.
    Questions {
        /// Pack id or path to a pack TOML file.
        #[arg(long, default_value = workshop::DEFAULT_PACK)]
        pack: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// `simulate` options: every lever of the Simulate screen.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Built-in id or path to a .toml file.
    pub scenario: String,
    /// CA method (default: the scenario's).
    #[arg(long, value_parser = ["averaging", "trajectory", "budget"])]
    pub method: Option<String>,
    /// Which target to keep.
    #[arg(long, value_parser = ["unconditional", "conditional"], default_value = "unconditional")]
    pub protect: String,
    /// Transfer volume in ITMOs (1000 or 1,000), or `max` for the maximum safe volume.
    #[arg(long, default_value = "max", allow_negative_numbers = true)]
    pub volume: String,
    /// Host retention share, 0–1 or a percentage (0.1 or 10%; default: the scenario's policy).
    #[arg(long, allow_negative_numbers = true, value_parser = share_arg)]
    pub retention: Option<rust_decimal::Decimal>,
    /// Buffer share of headroom never sold, 0–1 or a percentage (0.1 or 10%).
    #[arg(long, allow_negative_numbers = true, value_parser = share_arg)]
    pub buffer: Option<rust_decimal::Decimal>,
    /// National cap on ITMOs over the period (units), or `none`.
    #[arg(long, allow_negative_numbers = true)]
    pub cap: Option<String>,
    /// Ignore partners' demand.
    #[arg(long)]
    pub no_demand: bool,
    /// Monte Carlo runs over activity delivery (0 = off; at most 1,000,000).
    #[arg(long, default_value = "0", value_parser = runs_arg)]
    pub runs: usize,
    /// Seed of the Monte Carlo runs.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Confidence for the largest safe volume, 0–1 or a percentage (0.95 or 95%).
    #[arg(long, default_value = "0.95", allow_negative_numbers = true, value_parser = confidence_arg)]
    pub confidence: f64,
    /// Also run the same transfers under another CA method and show both side by side.
    #[arg(long, value_parser = ["averaging", "trajectory", "budget"])]
    pub compare: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `report` options.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A session .json file, or a scenario (built-in id or .toml: reported without answers,
    /// with its default parameters).
    pub target: String,
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Folder to write into (`report.md`, `report.json` or one CSV per table). Default: md and
    /// json to stdout; csv into `./report-<scenario>-<participant>/`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Format of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Md,
    Csv,
    Json,
}

/// `collect` options.
#[derive(Debug, Args)]
pub struct CollectArgs {
    /// Session files (or portable exports) and folders holding them.
    #[arg(required = true, value_name = "SESSION_FILES_OR_DIRS")]
    pub inputs: Vec<PathBuf>,
    /// Write the summary to FILE.md instead of stdout (never over an existing file without
    /// --force, and never over one of the inputs).
    #[arg(long, value_name = "FILE.md")]
    pub out: Option<PathBuf>,
    /// Overwrite the --out file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Collect this scenario id (default: the scenario and pack most sessions share).
    #[arg(long, value_name = "ID")]
    pub scenario: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum SessionCmd {
    /// The sessions saved in the data dir, most recent first: name, participant, scenario,
    /// answers, last saved (what `session export`, `report` and `collect` take).
    List {
        /// One JSON object: `{"data_dir", "sessions": [{"name", "path", "participant",
        /// "scenario", "scenario_title", "answered", "questions", "updated_at"}]}`.
        #[arg(long)]
        json: bool,
    },
    /// Write a session and its registry journal to one portable file (with a checksum).
    Export {
        /// A session file, or its name in the data dir (e.g. `bhutan-2030--ana`).
        session: String,
        /// The portable file to write (never over an existing file without --force, and
        /// never over the session or its journal).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Overwrite FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Import a portable file into the data dir's sessions (never overwrites without --force).
    Import {
        /// The portable file.
        file: PathBuf,
        /// Replace an existing session (and its journal) of the same participant and scenario.
        #[arg(long)]
        force: bool,
    },
}

/// Output format of reports on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// Output format of the readiness report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReadinessFormat {
    Table,
    Json,
    Md,
}

#[derive(Debug, Subcommand)]
pub enum ScenarioCmd {
    /// The prepared scenarios built into this binary, plus those in ./scenarios (in JSON with
    /// `origin` `built-in` or `local` and, for local ones, `path`; an invalid one with `error`).
    List {
        #[arg(long)]
        json: bool,
    },
    /// NDC summary, sectors, activities and totals of a scenario.
    Show {
        /// Built-in id or path to a .toml file.
        scenario: String,
        #[arg(long)]
        json: bool,
    },
    /// Print a commented starter scenario file that validates.
    Template,
    /// Start a new scenario file from a prepared one (keeps its comments; new id from OUT).
    New {
        /// Prepared scenario id to copy.
        #[arg(long)]
        from: String,
        /// The file to write.
        out: PathBuf,
        /// Overwrite OUT if it exists.
        #[arg(long)]
        force: bool,
    },
    /// What changed between two scenarios: targets, sectors, activities, policy, partners.
    Diff {
        a: String,
        b: String,
        #[arg(long)]
        json: bool,
    },
}

/// Report a scenario error on stderr and return exit code 2.
pub fn scenario_error(e: &scenario::ScenarioError) -> ExitCode {
    eprintln!("{e}");
    ExitCode::from(EXIT_BAD_INPUT)
}

/// Run a headless command.
pub fn run(cmd: Command, global: &GlobalArgs) -> ExitCode {
    match cmd {
        Command::Registry(mut a) => {
            a.data_dir = global.data_dir.clone();
            crate::registry::cli::run(a)
        }
        Command::Validate { files } => validate(&files),
        Command::Scenario(ScenarioCmd::List { json }) => list(json),
        Command::Scenario(ScenarioCmd::Show { scenario, json }) => {
            match scenario::resolve(&scenario) {
                Ok(s) => {
                    if json {
                        println!("{}", crate::report::scenario_json(&s));
                    } else {
                        print!("{}", crate::report::scenario_text(&s));
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => scenario_error(&e),
            }
        }
        Command::Scenario(ScenarioCmd::New { from, out, force }) => {
            scenario_new(&from, &out, force)
        }
        Command::Scenario(ScenarioCmd::Diff { a, b, json }) => {
            let (sa, sb) = match (scenario::resolve(&a), scenario::resolve(&b)) {
                (Ok(x), Ok(y)) => (x, y),
                (Err(e), _) | (_, Err(e)) => return scenario_error(&e),
            };
            let changes = scenario::diff::diff(&sa, &sb);
            if json {
                println!(
                    "{}",
                    serde_json::json!({ "a": sa.id(), "b": sb.id(), "changes": changes })
                );
            } else {
                print!("{}", scenario::diff::diff_text(&sa, &sb, &changes));
            }
            ExitCode::SUCCESS
        }
        Command::Scenario(ScenarioCmd::Template) => {
            print!("{}", template());
            ExitCode::SUCCESS
        }
        Command::Questions { pack, json } => questions(&pack, json),
        Command::Report(a) => report(a, global),
        Command::Collect(a) => collect(a),
        Command::Session(c) => session_cmd(c, global),
        Command::Simulate(a) => simulate(a),
        Command::Readiness { scenarios, format } => readiness(&scenarios, format),
        Command::Budget { scenario, format } => match scenario::resolve(&scenario) {
            Ok(s) => {
                let b = crate::budget::build(&s);
                match format {
                    Format::Table => print!("{}", crate::report::budget_text(&s, &b)),
                    Format::Json => {
                        println!("{}", serde_json::to_string_pretty(&b).unwrap_or_default())
                    }
                    Format::Csv => print!("{}", crate::report::budget_csv(&b)),
                }
                ExitCode::SUCCESS
            }
            Err(e) => scenario_error(&e),
        },
    }
}

fn readiness(args: &[String], format: ReadinessFormat) -> ExitCode {
    use crate::readiness::report;
    let mut loaded = vec![];
    let mut bad = false;
    for a in args {
        match scenario::resolve(a) {
            Ok(s) => loaded.push(s),
            Err(e) => {
                bad = true;
                eprintln!("{e}");
            }
        }
    }
    if bad {
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let out = match (loaded.as_slice(), format) {
        ([one], ReadinessFormat::Table) => Ok(report::scenario_text(one, false)),
        ([one], ReadinessFormat::Md) => Ok(report::scenario_text(one, true)),
        ([one], ReadinessFormat::Json) => report::scenario_json(one).map(|j| j + "\n"),
        (many, ReadinessFormat::Table) => Ok(report::comparison_text(&report::comparison(many))),
        (many, ReadinessFormat::Md) => Ok(report::comparison_md(&report::comparison(many))),
        (many, ReadinessFormat::Json) => {
            report::comparison_json(&report::comparison(many)).map(|j| j + "\n")
        }
    };
    match out {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot encode the readiness report as JSON: {e}");
            ExitCode::from(EXIT_FAILED)
        }
    }
}

/// The prepared scenario `scenario template` starts from.
const TEMPLATE_FROM: &str = include_str!("../scenarios/examplestan.toml");

/// The id of the starter file: not a built-in id, so sessions of a trainer's edited template
/// never mix with those of a prepared scenario.
pub const TEMPLATE_ID: &str = "my-scenario-2030";

/// The commented starter file printed by `scenario template`: the Examplestan scenario with its
/// own id (validates; a test guards it).
pub fn template() -> String {
    with_id(
        TEMPLATE_FROM,
        TEMPLATE_ID,
        "your scenario's own id: sessions are kept per id",
    )
}

/// `text` with the `[scenario]` table's `id` line replaced by `id = "<new_id>"   # <note>`;
/// every other line, comments included, stays.
fn with_id(text: &str, new_id: &str, note: &str) -> String {
    let mut in_meta = false;
    let mut done = false;
    let body: Vec<String> = text
        .lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with('[') {
                in_meta = t.starts_with("[scenario]");
            }
            if in_meta && !done && t.starts_with("id") && t.contains('=') {
                done = true;
                return format!("id = \"{new_id}\"   # {note}");
            }
            l.to_string()
        })
        .collect();
    let mut out = body.join("\n");
    out.push('\n');
    out
}

fn validate(files: &[PathBuf]) -> ExitCode {
    let mut bad = false;
    for f in files {
        // A built-in id (`bhutan-2030`) is accepted too, unless a file of that name exists.
        let loaded = match f.to_str() {
            Some(arg) if !f.exists() => scenario::resolve(arg),
            _ => scenario::load_file(f),
        };
        match loaded {
            Ok(s) => {
                if let Some(w) = builtin_id_clash(&s) {
                    eprintln!("{}: warning: {w}", f.display());
                }
                println!("ok {}", f.display())
            }
            Err(e) => {
                bad = true;
                eprintln!("{e}");
            }
        }
    }
    if bad {
        ExitCode::from(EXIT_BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}

/// A warning when a scenario file uses the id of a built-in scenario but is not that scenario's
/// text: its sessions (`<id>--<participant>.json`) would mix with the built-in's.
fn builtin_id_clash(s: &Scenario) -> Option<String> {
    if !matches!(s.origin, scenario::Origin::File(_)) {
        return None;
    }
    let builtin = scenario::builtin::by_id(s.id())?.ok()?;
    if builtin.id() != s.id() || builtin.source_hash == s.source_hash {
        return None;
    }
    Some(format!(
        "id `{}` is the id of a built-in scenario; sessions of this file and of the built-in \
         would share files. Give it its own id in [scenario] (e.g. `{}`)",
        s.id(),
        TEMPLATE_ID
    ))
}

/// Scenarios in `./scenarios` (not the built-ins), for trainers' edited copies.
pub fn local_scenarios() -> Vec<(PathBuf, Result<Scenario, scenario::ScenarioError>)> {
    let mut out = vec![];
    if let Ok(rd) = std::fs::read_dir("scenarios") {
        let mut paths: Vec<PathBuf> = rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for p in paths {
            let r = scenario::load_file(&p);
            out.push((p, r));
        }
    }
    out
}

fn list(json: bool) -> ExitCode {
    let builtins: Vec<Scenario> = scenario::builtin::all()
        .into_iter()
        .filter_map(|r| r.ok())
        .collect();
    if json {
        let item = |s: &Scenario, origin: &str| {
            serde_json::json!({
                "id": s.id(), "title": s.title(), "party": s.file.party.code, "role": s.file.party.role,
                "illustrative": s.file.scenario.illustrative, "origin": origin,
                "sectors": s.file.sectors.len(), "activities": s.file.activities.len(),
            })
        };
        let mut items: Vec<serde_json::Value> =
            builtins.iter().map(|s| item(s, "built-in")).collect();
        // the files in ./scenarios the text output lists, with their path; an invalid one
        // with its first problem instead of its contents
        for (p, r) in local_scenarios() {
            let mut v = match r {
                Ok(s) => item(&s, "local"),
                Err(e) => serde_json::json!({
                    "origin": "local",
                    "error": e.diagnostics.first().map(|d| d.to_string()).unwrap_or_else(|| e.to_string()),
                }),
            };
            if let Some(o) = v.as_object_mut() {
                o.insert("path".into(), serde_json::json!(p.display().to_string()));
            }
            items.push(v);
        }
        println!("{}", serde_json::json!({ "scenarios": items }));
        return ExitCode::SUCCESS;
    }
    println!(
        "{:<24} {:<4} {:<10} {:>7} {:>10}  TITLE",
        "ID", "PARTY", "ROLE", "SECTORS", "ACTIVITIES"
    );
    for s in &builtins {
        let f = &s.file;
        let role = format!("{:?}", f.party.role).to_lowercase();
        println!(
            "{:<24} {:<5} {:<10} {:>7} {:>10}  {}",
            s.id(),
            f.party.code,
            role,
            f.sectors.len(),
            f.activities.len(),
            s.title()
        );
    }
    let local = local_scenarios();
    if !local.is_empty() {
        println!("\nin ./scenarios:");
        for (p, r) in local {
            match r {
                Ok(s) => println!("  {:<40} {}", p.display(), s.id()),
                Err(e) => println!(
                    "  {:<40} INVALID: {}",
                    p.display(),
                    e.diagnostics
                        .first()
                        .map(|d| d.message.as_str())
                        .unwrap_or("")
                ),
            }
        }
    }
    ExitCode::SUCCESS
}

fn questions(pack: &str, json: bool) -> ExitCode {
    let p = match workshop::resolve_pack(pack) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    if json {
        match serde_json::to_string_pretty(&p) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("cannot encode the pack as JSON: {e}");
                return ExitCode::from(EXIT_FAILED);
            }
        }
        return ExitCode::SUCCESS;
    }
    println!("{} (version {})", p.pack.title, p.pack.version);
    for part in [workshop::Part::Reflect, workshop::Part::Discuss] {
        println!(
            "\n{}",
            if part == workshop::Part::Reflect {
                "REFLECT"
            } else {
                "DISCUSS"
            }
        );
        for sec in p.sections.iter().filter(|s| s.part == part) {
            println!("\n  {}", sec.title);
            for (i, q) in p
                .questions
                .iter()
                .filter(|q| q.section == sec.id)
                .enumerate()
            {
                println!("  {}. {}  [{}]", i + 1, q.text, q.id);
            }
        }
    }
    if !p.drills.is_empty() {
        println!("\nREGISTRY DRILLS");
        for d in &p.drills {
            println!("  {} ({} steps)  [{}]", d.title, d.steps.len(), d.id);
        }
    }
    ExitCode::SUCCESS
}

/// Refuse (exit 2) an `--out` file that is one of `inputs` (even with `--force`: writing there
/// would destroy what is being read), or that exists when `force` is not given.
fn refuse_out(out: &std::path::Path, force: bool, inputs: &[&std::path::Path]) -> Option<ExitCode> {
    let same = |p: &std::path::Path| match (std::fs::canonicalize(out), std::fs::canonicalize(p)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if let Some(p) = inputs.iter().find(|p| same(p)) {
        return Some(bad_input(&format!(
            "--out {} is {}, which this command reads; choose another file",
            out.display(),
            p.display()
        )));
    }
    if out.is_dir() {
        return Some(bad_input(&format!(
            "--out {} is a folder; --out takes the path of a file to write",
            out.display()
        )));
    }
    if out.exists() && !force {
        return Some(bad_input(&format!(
            "--out {} exists; choose another name or add --force to overwrite it",
            out.display()
        )));
    }
    None
}

fn bad_input(what: &str) -> ExitCode {
    eprintln!("{what}");
    ExitCode::from(EXIT_BAD_INPUT)
}

fn simulate(a: SimulateArgs) -> ExitCode {
    use crate::scenario::schema::CaMethodChoice;
    use crate::simulate::{self, Params, Protect, Volume};
    let s = match scenario::resolve(&a.scenario) {
        Ok(s) => s,
        Err(e) => return scenario_error(&e),
    };
    let mut p = Params::from_scenario(&s);
    let method_of = |m: &str| match m {
        "averaging" => CaMethodChoice::Averaging,
        "trajectory" => CaMethodChoice::Trajectory,
        _ => CaMethodChoice::Budget,
    };
    if let Some(m) = &a.method {
        p.method = method_of(m);
    }
    p.protect = if a.protect == "conditional" {
        Protect::Conditional
    } else {
        Protect::Unconditional
    };
    p.volume = match a.volume.trim() {
        "max" => Volume::Max,
        v => match crate::registry::parse_units(v) {
            Ok(n) => Volume::Units(n),
            Err(e) => {
                return bad_input(&format!("--volume: {e} (or --volume max)"));
            }
        },
    };
    for (name, val, slot) in [
        ("--retention", a.retention, &mut p.host_retention),
        ("--buffer", a.buffer, &mut p.buffer),
    ] {
        if let Some(v) = val {
            if v < rust_decimal::Decimal::ZERO || v > rust_decimal::Decimal::ONE {
                let pct = (v * rust_decimal::Decimal::ONE_HUNDRED).normalize();
                return bad_input(&format!(
                    "{name} {pct}%: a share must be within 0–1, i.e. 0–100 % (write 0.1 or 10% for 10 %)"
                ));
            }
            *slot = v;
        }
    }
    if let Some(c) = &a.cap {
        p.national_cap = match c.as_str() {
            "none" => None,
            v => match crate::registry::parse_units(v) {
                Ok(n) => Some(n),
                Err(e) => return bad_input(&format!("--cap: {e} (or --cap none)")),
            },
        };
    }
    if a.no_demand {
        p.use_demand = false;
    }
    if a.runs > MAX_RUNS {
        return bad_input(&format!(
            "--runs {}: at most {} (the study keeps every run's emission path; 10,000 runs already give the probability to about ±1 %)",
            a.runs,
            crate::scenario::units::group_thousands(rust_decimal::Decimal::from(MAX_RUNS), 0)
        ));
    }
    if !(0.0..=1.0).contains(&a.confidence) || a.confidence.is_nan() {
        return bad_input(&format!(
            "--confidence {}: must be within 0–1 (e.g. 0.95)",
            a.confidence
        ));
    }
    let sim = match simulate::run(&s, &p) {
        Ok(x) => x,
        Err(e) => return bad_input(&format!("{}: cannot simulate: {e}", a.scenario)),
    };
    let mc = (a.runs > 0).then(|| {
        let study = simulate::study(&s, &sim);
        let ndc_volume = sim.outcome.transferred;
        let params = simulate::montecarlo::McParams {
            runs: a.runs,
            seed: a.seed,
            confidence: a.confidence,
        };
        simulate::montecarlo::run(&study, ndc_volume, &params, &Default::default()).map(|result| {
            crate::report::simulation::McReport {
                result,
                seed: a.seed,
                confidence: a.confidence,
            }
        })
    });
    let mc = mc.flatten();
    let other = match &a.compare {
        None => None,
        Some(m) => {
            let mut q = p.clone();
            q.method = method_of(m);
            q.volume = Volume::Units(sim.outcome.transferred);
            match simulate::run(&s, &q) {
                Ok(x) => Some(x),
                Err(e) => {
                    return bad_input(&format!("{}: cannot compare with {m}: {e}", a.scenario));
                }
            }
        }
    };
    if let Some(o) = &other {
        match a.format {
            Format::Table => {
                print!("{}", crate::report::simulation::text(&s, &sim, mc.as_ref()));
                print!("\n{}", crate::report::simulation::compare_text(&s, &sim, o));
            }
            Format::Json => {
                let mut v = crate::report::simulation::json(&s, &sim, mc.as_ref());
                if let Some(obj) = v.as_object_mut() {
                    obj.insert(
                        "comparison".into(),
                        crate::report::simulation::json(&s, o, None),
                    );
                }
                println!("{v}");
            }
            Format::Csv => print!("{}", crate::report::simulation::csv(&sim)),
        }
        return ExitCode::SUCCESS;
    }
    match a.format {
        Format::Table => print!("{}", crate::report::simulation::text(&s, &sim, mc.as_ref())),
        Format::Json => println!("{}", crate::report::simulation::json(&s, &sim, mc.as_ref())),
        Format::Csv => print!("{}", crate::report::simulation::csv(&sim)),
    }
    ExitCode::SUCCESS
}

fn scenario_new(from: &str, out: &std::path::Path, force: bool) -> ExitCode {
    let Some(text) = scenario::builtin::text_of(from) else {
        return bad_input(&format!(
            "no prepared scenario `{from}`; use one of: {}",
            scenario::builtin::ids().join(", ")
        ));
    };
    if out.exists() && !force {
        return bad_input(&format!(
            "{} exists; choose another name or add --force to overwrite it",
            out.display()
        ));
    }
    let new_id = id_from_file_name(out);
    let out_text = with_id(text, &new_id, &format!("copied from {from}"));
    if let Err(e) = scenario::load_str(&out.display().to_string(), &out_text) {
        eprintln!("{e}");
        return ExitCode::from(EXIT_FAILED);
    }
    if let Err(e) = crate::store::atomic_write(out, out_text.as_bytes()) {
        return bad_input(&format!("cannot write {}: {e}", out.display()));
    }
    println!(
        "wrote {} (id `{new_id}`, from `{from}`); edit it, then `ndc-workbench validate {}`",
        out.display(),
        out.display()
    );
    ExitCode::SUCCESS
}

/// The scenario id `scenario new` gives a copy, from the file it writes: the file name in
/// lowercase, every run of other characters one dash, no dash at either end
/// (`My Scenario 2030.toml` → `my-scenario-2030`); `my-scenario` when nothing is left.
fn id_from_file_name(out: &std::path::Path) -> String {
    let stem = out.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let mut id = String::with_capacity(stem.len());
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-');
    if id.is_empty() {
        "my-scenario".to_string()
    } else {
        id.to_string()
    }
}

fn report(a: ReportArgs, global: &GlobalArgs) -> ExitCode {
    use crate::report::session as rs;
    // A scenario with `--participant` means that participant's saved session of it (the
    // flag used to be accepted and ignored, reporting the scenario without answers).
    let target = match (&global.participant, rs::is_session_file(&a.target)) {
        (Some(name), false) => match participant_session(&a.target, name, global) {
            Ok(path) => path.to_string_lossy().into_owned(),
            Err(msg) => return bad_input(&msg),
        },
        _ => a.target.clone(),
    };
    // The loaders' errors already name the file or id; what `build` says is about its content.
    let inputs = match rs::load(&target) {
        Ok(i) => i,
        Err(e) => return bad_input(&e.to_string()),
    };
    let r = match rs::build(inputs) {
        Ok(r) => r,
        Err(e) => return bad_input(&format!("{}: {e}", a.target)),
    };
    if let Some(out) = a.out.as_deref().filter(|o| o.exists() && !o.is_dir()) {
        return bad_input(&format!(
            "--out {} is a file; --out takes a folder to write the report into \
             (created if missing), e.g. --out {}",
            out.display(),
            rs::default_out_dir(&r).display()
        ));
    }
    let write = |path: &std::path::Path, text: &str| match crate::store::atomic_write(
        path,
        text.as_bytes(),
    ) {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            true
        }
        Err(e) => {
            eprintln!("{e}");
            false
        }
    };
    let single = |name: &str, text: String| match &a.out {
        None => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Some(dir) if write(&dir.join(name), &text) => ExitCode::SUCCESS,
        Some(_) => ExitCode::from(EXIT_FAILED),
    };
    match a.format {
        ReportFormat::Md => single("report.md", rs::markdown(&r)),
        ReportFormat::Json => match serde_json::to_string_pretty(&rs::json(&r)) {
            Ok(t) => single("report.json", t + "\n"),
            Err(e) => {
                eprintln!("cannot encode the report as JSON: {e}");
                ExitCode::from(EXIT_FAILED)
            }
        },
        ReportFormat::Csv => {
            let dir = a.out.clone().unwrap_or_else(|| rs::default_out_dir(&r));
            let files = match rs::csv_files(&r) {
                Ok(f) => f,
                Err(e) => {
                    eprintln!("cannot write the report as CSV: {e}");
                    return ExitCode::from(EXIT_FAILED);
                }
            };
            for (name, text) in files {
                if !write(&dir.join(name), &text) {
                    return ExitCode::from(EXIT_FAILED);
                }
            }
            ExitCode::SUCCESS
        }
    }
}

/// The saved session of `participant` for `scenario` in the data folder, or what to do
/// instead: the sessions of that scenario that are there, or how to report without answers.
fn participant_session(
    scenario: &str,
    participant: &str,
    global: &GlobalArgs,
) -> Result<PathBuf, String> {
    use crate::workshop::session;
    let s = scenario::resolve(scenario).map_err(|e| e.to_string())?;
    let data = crate::store::data_dir(global.data_dir.as_deref()).map_err(|e| e.to_string())?;
    let path = session::session_path(&data, s.id(), participant);
    if path.exists() {
        return Ok(path);
    }
    let prefix = format!("{}--", s.id());
    let mut others: Vec<String> = std::fs::read_dir(session::sessions_dir(&data))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with(&prefix) && n.ends_with(".json"))
        .collect();
    others.sort();
    let dir = session::sessions_dir(&data);
    let found = match others.first() {
        None => format!("there is no session of {} there", s.id()),
        Some(first) => format!(
            "sessions of {} there: {}; report one with `ndc-workbench report {}`",
            s.id(),
            others.join(", "),
            dir.join(first).display()
        ),
    };
    Err(format!(
        "no session of {participant:?} for {} in {} ({found}); leave out --participant to \
         report the scenario without answers",
        s.id(),
        dir.display(),
    ))
}

fn collect(a: CollectArgs) -> ExitCode {
    use crate::report::collect as rc;
    let summary = match rc::collect(&a.inputs, a.scenario.as_deref()) {
        Ok(s) => s,
        Err(none) => {
            for x in &none.excluded {
                eprintln!("left out {}: {}", x.path.display(), x.reason);
            }
            return bad_input("nothing could be collected");
        }
    };
    for x in &summary.excluded {
        eprintln!("left out {}: {}", x.path.display(), x.reason);
    }
    if let Some(out) = &a.out {
        let read: Vec<&std::path::Path> = a
            .inputs
            .iter()
            .map(PathBuf::as_path)
            .chain(summary.sessions.iter().map(|s| s.path.as_path()))
            .chain(summary.excluded.iter().map(|x| x.path.as_path()))
            .collect();
        if let Some(refusal) = refuse_out(out, a.force, &read) {
            return refusal;
        }
    }
    let text = rc::markdown(&summary);
    match &a.out {
        None => print!("{text}"),
        Some(p) => {
            if let Err(e) = crate::store::atomic_write(p, text.as_bytes()) {
                eprintln!("{e}");
                return ExitCode::from(EXIT_FAILED);
            }
            eprintln!(
                "wrote {} ({} sessions, {} left out)",
                p.display(),
                summary.sessions.len(),
                summary.excluded.len()
            );
        }
    }
    ExitCode::SUCCESS
}

/// `--runs` as people write counts: `1000`, `1,000`, `1 000` or `1_000`.
fn runs_arg(typed: &str) -> Result<usize, String> {
    crate::registry::count_as_typed(typed)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| {
            format!(
                "`{}` is not a number of runs: write digits, e.g. 1000 or 1,000 (0 for none)",
                typed.trim()
            )
        })
}

/// A share as typed: a fraction (`0.1`) or a percentage (`10%`, `10 %`). A decimal comma
/// (`0,1`) is refused with the way to write it; the 0–1 range is checked where the share is
/// used, so the message can name the flag.
fn share_arg(typed: &str) -> Result<rust_decimal::Decimal, String> {
    let t = typed.trim();
    if t.contains(',') {
        return Err(format!(
            "`{t}`: write a decimal point, not a comma (0.1, or 10% for ten per cent)"
        ));
    }
    let (number, percent) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let d: rust_decimal::Decimal = number.parse().map_err(|_| {
        format!("`{t}` is not a share: write a fraction such as 0.1 or a percentage such as 10%")
    })?;
    Ok(if percent {
        d / rust_decimal::Decimal::from(100)
    } else {
        d
    })
}

/// `--confidence` as typed: `0.95` or `95%` (the Monte Carlo's probability, not money).
fn confidence_arg(typed: &str) -> Result<f64, String> {
    use rust_decimal::prelude::ToPrimitive;
    share_arg(typed).and_then(|d| {
        d.to_f64()
            .ok_or_else(|| format!("`{}` is not a confidence such as 0.95", typed.trim()))
    })
}

/// `session list`: the data dir's sessions as a table (or JSON), most recent first.
fn session_list(data: &std::path::Path, json: bool) {
    let list = crate::workshop::session::list(data);
    let dir = crate::workshop::session::sessions_dir(data);
    let name = |p: &std::path::Path| {
        p.file_stem()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if json {
        let sessions: Vec<serde_json::Value> = list
            .iter()
            .map(|x| {
                serde_json::json!({
                    "name": name(&x.path),
                    "path": x.path,
                    "participant": x.participant,
                    "scenario": x.scenario_id,
                    "scenario_title": x.scenario_title,
                    "answered": x.answered,
                    "questions": x.total,
                    "updated_at": x.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({ "data_dir": data, "sessions": sessions })
        );
        return;
    }
    if list.is_empty() {
        println!(
            "no sessions in {} yet (the workbench saves one per participant and scenario)",
            dir.display()
        );
        return;
    }
    let rows: Vec<[String; 5]> = list
        .iter()
        .map(|x| {
            [
                name(&x.path),
                x.participant.clone(),
                x.scenario_id.clone(),
                match x.total {
                    Some(t) => format!("{}/{t}", x.answered),
                    None => x.answered.to_string(),
                },
                x.updated_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            ]
        })
        .collect();
    let head = [
        "session",
        "participant",
        "scenario",
        "answered",
        "last saved",
    ];
    let w: Vec<usize> = (0..5)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([head[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |r: [&str; 5]| {
        format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {:>w3$}  {}",
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            w0 = w[0],
            w1 = w[1],
            w2 = w[2],
            w3 = w[3]
        )
    };
    println!("{}", line(head).trim_end());
    for r in &rows {
        println!("{}", line([&r[0], &r[1], &r[2], &r[3], &r[4]]).trim_end());
    }
    println!("\nin {}", dir.display());
}

fn session_cmd(c: SessionCmd, global: &GlobalArgs) -> ExitCode {
    use crate::workshop::portable::{self, PortableError};
    let fail = |e: PortableError| match e {
        PortableError::Refused(m) => bad_input(&m),
        PortableError::Io(m) => {
            eprintln!("{m}");
            ExitCode::from(EXIT_FAILED)
        }
    };
    let data = || crate::store::data_dir(global.data_dir.as_deref());
    match c {
        SessionCmd::List { json } => match data() {
            Ok(d) => {
                session_list(&d, json);
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::from(EXIT_FAILED)
            }
        },
        SessionCmd::Export {
            session,
            out,
            force,
        } => {
            let data = data().ok();
            let path = match portable::find_session(&session, data.as_deref()) {
                Ok(p) => p,
                Err(e) => return fail(e),
            };
            let journal = crate::workshop::session::Session::load(&path)
                .ok()
                .map(|s| s.journal_path(&path));
            let inputs: Vec<&std::path::Path> = std::iter::once(path.as_path())
                .chain(journal.as_deref())
                .collect();
            if let Some(refusal) = refuse_out(&out, force, &inputs) {
                return refusal;
            }
            match portable::export(&path, &out) {
                Ok(x) => {
                    println!(
                        "exported {} ({}, scenario {}, {} registry events) to {}",
                        path.display(),
                        x.participant,
                        x.scenario,
                        x.events,
                        out.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        SessionCmd::Import { file, force } => {
            let data = match data() {
                Ok(d) => d,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(EXIT_FAILED);
                }
            };
            match portable::import(&file, &data, force) {
                Ok(x) => {
                    println!(
                        "imported {} (scenario {}) into {}{}",
                        x.participant,
                        x.scenario,
                        x.session_path.display(),
                        x.journal_path
                            .map(|j| format!(
                                " with its registry journal {} ({} events)",
                                j.display(),
                                x.events
                            ))
                            .unwrap_or_default()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::id_from_file_name;
    use crate::scenario::validate::simple_id;
    use std::path::Path;

    #[test]
    fn a_copy_gets_a_simple_id_from_any_file_name() {
        for (file, id) in [
            ("future-ndc.toml", "future-ndc"),
            ("My Scenario 2030.toml", "my-scenario-2030"),
            ("dir/__bhutan__v2.toml", "bhutan-v2"),
            ("__.toml", "my-scenario"),
            ("Ünïcode.toml", "n-code"),
            (".toml", "toml"),
        ] {
            let got = id_from_file_name(Path::new(file));
            assert_eq!(got, id, "{file}");
            assert!(simple_id(&got), "{file}: {got}");
        }
    }
}
