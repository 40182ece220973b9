//! Command-line definitions (clap derive) and the headless commands that only read scenarios
//! and packs. Commands that belong to a domain module (registry, simulate, report) live next to
//! it; this module parses arguments, dispatches and maps errors to exit codes:
//! 0 ok, 1 operation failed, 2 bad input or usage.

use crate::scenario::{self, Scenario};
use crate::workshop;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

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
    args_conflicts_with_subcommands = true
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
        /// Scenario files to check.
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
    /// Article 6 readiness: stage, rule, milestones, agreements, NMAs and gaps of one scenario;
    /// with several scenarios, the comparison table.
    Readiness {
        /// Built-in ids or paths to .toml files.
        #[arg(required = true)]
        scenarios: Vec<String>,
        #[arg(long, value_enum, default_value_t = ReadinessFormat::Table)]
        format: ReadinessFormat,
    },
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
    /// The prepared scenarios built into this binary, plus those in ./scenarios.
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
}

/// Report a scenario error on stderr and return exit code 2.
pub fn scenario_error(e: &scenario::ScenarioError) -> ExitCode {
    eprintln!("{e}");
    ExitCode::from(EXIT_BAD_INPUT)
}

/// Run a headless command; `None` when the command is not one of these.
pub fn run(cmd: Command) -> ExitCode {
    match cmd {
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
        Command::Scenario(ScenarioCmd::Template) => {
            print!("{}", TEMPLATE);
            ExitCode::SUCCESS
        }
        Command::Questions { pack, json } => questions(&pack, json),
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

/// The commented starter file printed by `scenario template` (validates; a test guards it).
pub const TEMPLATE: &str = include_str!("../scenarios/examplestan.toml");

fn validate(files: &[PathBuf]) -> ExitCode {
    let mut bad = false;
    for f in files {
        match scenario::load_file(f) {
            Ok(_) => println!("ok {}", f.display()),
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
        let items: Vec<serde_json::Value> = builtins
            .iter()
            .map(|s| {
                serde_json::json!({
                    "id": s.id(), "title": s.title(), "party": s.file.party.code, "role": s.file.party.role,
                    "illustrative": s.file.scenario.illustrative, "origin": "built-in",
                    "sectors": s.file.sectors.len(), "activities": s.file.activities.len(),
                })
            })
            .collect();
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
