//! `apply` scripts: a TOML list of commands, for drills and tests. One job: parse a script and
//! run it against a ledger, stopping at the first unexpected result.
//!
//! # Format
//!
//! ```toml
//! # optional defaults for every command
//! [defaults]
//! actor = { user = "trainer", org = "REG-BTN", role = "Root" }   # default: system/REG/Root
//!
//! [[command]]
//! type = "init_party"            # the Command variant, snake_case
//! command_id = "setup-1"         # optional command id (default: "{script file stem}-{index}")
//! party = "BTN"
//! registry_id = "BTN01"
//!
//! [[command]]
//! type = "issue"
//! project = "P0007"
//! vintage = 2024
//! quantity = 1000
//! levies = { sop_bp = 500, omge_bp = 200 }
//!
//! [[command]]
//! type = "transfer"
//! from = "BTN:REG:Holding"
//! to = "CHE:REG:Holding"
//! quantity = 10
//! expect_rule = "rule 6 gating"  # optional: this command must be refused by that rule
//!
//! # two-phase: a holder requests, a DNA officer (not the requester) approves
//! [[command]]
//! type = "request_retirement"
//! id = "R1"
//! from = "BTN:REG:Holding"
//! quantity = 100
//! beneficiary = { name = "Acme AG", id = "CHE-123", country = "CHE", purpose = "claim" }
//! actor = { user = "clerk", org = "REG-BTN", role = "Regulator" }
//!
//! [[command]]
//! type = "approve_request"
//! id = "R1"
//! actor = { user = "ana", org = "REG-BTN", role = "DNA" }
//! ```
//!
//! Every other key is a field of the command (see `registry::command::Command`); unknown keys
//! are errors. `actor` may also be given per command. Without `command_id`, re-running the
//! same script is idempotent (same generated ids and payloads return the original results).

use serde::Deserialize;

use super::command::{Command, CommandOutcome, Submission};
use super::error::RegistryError;
use super::ledger::Ledger;
use super::types::Actor;

#[derive(Debug, Clone)]
pub struct ScriptCommand {
    pub id: Option<String>,
    pub actor: Option<Actor>,
    pub expect_rule: Option<String>,
    pub command: Command,
}

#[derive(Debug, Clone, Default)]
pub struct Script {
    pub actor: Option<Actor>,
    pub commands: Vec<ScriptCommand>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Defaults {
    actor: Option<Actor>,
}

/// Parse a script; errors name the command index (1-based) and the problem.
pub fn parse(text: &str) -> Result<Script, String> {
    let doc: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut script = Script::default();
    for (k, val) in doc {
        match k.as_str() {
            "defaults" => {
                let d: Defaults = val
                    .try_into()
                    .map_err(|e: toml::de::Error| format!("[defaults]: {e}"))?;
                script.actor = d.actor;
            }
            "command" => {
                let arr = match val {
                    toml::Value::Array(a) => a,
                    _ => return Err("`command` must be an array of tables ([[command]])".into()),
                };
                for (i, item) in arr.into_iter().enumerate() {
                    let mut t = match item {
                        toml::Value::Table(t) => t,
                        _ => return Err(format!("command {}: not a table", i + 1)),
                    };
                    let id = match t.remove("command_id") {
                        Some(toml::Value::String(s)) => Some(s),
                        Some(_) => {
                            return Err(format!("command {}: command_id must be a string", i + 1));
                        }
                        None => None,
                    };
                    let expect_rule = match t.remove("expect_rule") {
                        Some(toml::Value::String(s)) => Some(s),
                        Some(_) => {
                            return Err(format!("command {}: expect_rule must be a string", i + 1));
                        }
                        None => None,
                    };
                    let actor = match t.remove("actor") {
                        Some(a) => Some(a.try_into::<Actor>().map_err(|e| {
                            format!("command {}: actor: {}", i + 1, plain(e.message()))
                        })?),
                        None => None,
                    };
                    let command: Command =
                        toml::Value::Table(t)
                            .try_into()
                            .map_err(|e: toml::de::Error| {
                                format!("command {}: {}", i + 1, plain(e.message()))
                            })?;
                    script.commands.push(ScriptCommand {
                        id,
                        actor,
                        expect_rule,
                        command,
                    });
                }
            }
            other => {
                return Err(format!(
                    "unknown top-level key {other:?} (expected [defaults] and [[command]])"
                ));
            }
        }
    }
    if script.commands.is_empty() {
        return Err(
            "the script has no commands: each command is a [[command]] table with a `type`".into(),
        );
    }
    Ok(script)
}

/// A TOML or serde message in the words of a script's author: the program's integer types
/// named as what they hold, and an unknown command `type` answered with the nearest known one.
fn plain(message: &str) -> String {
    let mut m = message.trim().to_string();
    for (rust, words) in [
        ("u64", "a whole number"),
        ("u32", "a whole number"),
        ("u16", "a whole number (a year, e.g. 2024)"),
        ("u8", "a small whole number"),
        ("i128", "a number"),
        ("i64", "a number"),
        ("i32", "a number"),
    ] {
        m = m.replace(&format!("expected {rust}"), &format!("expected {words}"));
        m = m.replace(&format!("as {rust}"), "as a number");
    }
    if m.starts_with("unknown variant") {
        // "unknown variant `isue`, expected one of `init_party`, `issue`, …"
        let quoted: Vec<&str> = m.split('`').skip(1).step_by(2).collect();
        if let Some((typed, known)) = quoted.split_first() {
            if let Some(ty) = script_type_of_cli_command(typed) {
                return format!(
                    "unknown command type `{typed}`: the CLI's `registry {typed}` is `type = \"{ty}\"` in a script"
                );
            }
            let hint = super::suggest::did_you_mean(typed, known.iter().copied());
            if !hint.is_empty() {
                return format!("unknown command type `{typed}`{hint}");
            }
        }
    }
    m
}

/// CLI subcommands whose script `type` has another name (`init` is `init_party`), so that a
/// drill written from the CLI's help is answered with the name to use.
const CLI_NAMES: [(&str, &str); 13] = [
    ("init", "init_party"),
    ("org", "register_organization"),
    ("organization", "register_organization"),
    ("account", "open_account"),
    ("project", "register_project"),
    ("approach", "record_approach"),
    ("authorization", "record_authorization"),
    ("request_authorization", "request_itmo_authorization"),
    ("approve", "approve_request"),
    ("reject", "reject_request"),
    ("initial_report", "file_initial_report"),
    ("authorized_entity", "record_authorized_entity"),
    ("close_year", "close_reporting_year"),
];

fn script_type_of_cli_command(typed: &str) -> Option<&'static str> {
    let t = typed.replace('-', "_");
    CLI_NAMES
        .iter()
        .find(|(cli, _)| *cli == t)
        .map(|(_, ty)| *ty)
}

/// Outcome of one script step.
#[derive(Debug)]
pub enum StepResult {
    Done(CommandOutcome),
    ExpectedRejection { rule: String },
}

/// Error of a script step: its 1-based index and what happened.
#[derive(Debug)]
pub struct StepError {
    pub index: usize,
    pub command_id: String,
    pub error: RegistryError,
}

/// Run a script. `tag` prefixes generated command ids.
pub fn run(
    ledger: &mut Ledger,
    script: &Script,
    tag: &str,
    mut on_step: impl FnMut(usize, &str, &StepResult),
) -> Result<usize, Box<StepError>> {
    for (i, sc) in script.commands.iter().enumerate() {
        let command_id = sc.id.clone().unwrap_or_else(|| format!("{tag}-{}", i + 1));
        let actor = sc
            .actor
            .clone()
            .or_else(|| script.actor.clone())
            .unwrap_or_else(Actor::system);
        let res = ledger.submit(Submission {
            command_id: command_id.clone(),
            actor,
            command: sc.command.clone(),
        });
        let step = match (res, &sc.expect_rule) {
            (Ok(o), None) => StepResult::Done(o),
            (Err(RegistryError::Rejected { rule, .. }), Some(want))
                if rule.starts_with(want.as_str()) =>
            {
                StepResult::ExpectedRejection { rule }
            }
            (Ok(_), Some(want)) => {
                return Err(Box::new(StepError {
                    index: i + 1,
                    command_id,
                    error: RegistryError::BadInput(format!(
                        "expected a refusal by {want:?}, but the command succeeded"
                    )),
                }));
            }
            (Err(e), _) => {
                return Err(Box::new(StepError {
                    index: i + 1,
                    command_id,
                    error: e,
                }));
            }
        };
        on_step(i + 1, &command_id, &step);
    }
    Ok(script.commands.len())
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn a_scripts_mistakes_are_told_in_its_authors_words() {
        let e = parse("[[command]]\ntype = \"isue\"\nproject = \"P1\"\n").unwrap_err();
        assert_eq!(
            e,
            "command 1: unknown command type `isue` (did you mean \"issue\"?)"
        );
        let e = parse(
            "[[command]]\ntype = \"issue\"\nproject = \"P1\"\nvintage = \"x\"\nquantity = 5\n",
        )
        .unwrap_err();
        assert!(e.contains("expected a whole number (a year"), "{e}");
        assert!(!e.contains("u16"), "{e}");
        let e = parse(
            "[[command]]\ntype = \"issue\"\nproject = \"P1\"\nvintage = 2024\nquantity = -5\n",
        )
        .unwrap_err();
        assert!(e.ends_with("expected a whole number"), "{e}");
        // A CLI subcommand's name is answered with its script type.
        let e = parse("[[command]]\ntype = \"init\"\nparty = \"BTN\"\n").unwrap_err();
        assert_eq!(
            e,
            "command 1: unknown command type `init`: the CLI's `registry init` is `type = \"init_party\"` in a script"
        );
        let e = parse("[[command]]\ntype = \"close-year\"\nyear = 2025\n").unwrap_err();
        assert!(e.contains("`type = \"close_reporting_year\"`"), "{e}");
        for (_, ty) in super::CLI_NAMES {
            let e = parse(&format!("[[command]]\ntype = \"{ty}\"\n")).unwrap_err();
            assert!(!e.contains("unknown"), "{ty} is not a script type: {e}");
        }
        let e = parse("# a drill not written yet\n").unwrap_err();
        assert!(e.contains("has no commands"), "{e}");
        assert_eq!(
            parse(
                "[[command]]\ntype = \"issue\"\nproject = \"P1\"\nvintage = 2024\nquantity = 5\n"
            )
            .map(|s| s.commands.len()),
            Ok(1)
        );
    }
}
