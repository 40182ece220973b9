//! Scenarios: the TOML files trainers write (schema, units, validation with file:line:column)
//! and the prepared scenarios built into the binary.
//!
//! `load_str`/`load_file` parse strictly (unknown keys are errors), validate, and return a typed
//! [`Scenario`] or a [`ScenarioError`] listing every problem with its place and a fix.

pub mod builtin;
pub mod categories;
pub mod decimal_num;
pub mod diff;
pub mod duplicate;
pub mod error;
pub mod model;
pub mod schema;
pub mod span;
pub mod units;
pub mod validate;
pub mod years;

pub use error::{Diagnostic, ScenarioError};
pub use model::{Origin, Scenario};
pub use schema::ScenarioFile;
pub use units::QuantityUnit;
pub use years::YearMap;

use sha2::{Digest, Sha256};
use std::path::Path;

/// Parse and validate scenario text. `name` is used in messages (a file name).
pub fn load_str(name: &str, text: &str) -> Result<Scenario, ScenarioError> {
    let file = parse(name, text)?;
    let problems = validate::validate(&file);
    if !problems.is_empty() {
        let diagnostics = problems
            .into_iter()
            .map(|p| {
                let (line, col) = span::line_col(text, span::locate(text, &p.path));
                Diagnostic {
                    path: p.path.to_string(),
                    line,
                    col,
                    message: p.message,
                    hint: p.hint,
                }
            })
            .collect();
        return Err(ScenarioError {
            file: name.to_string(),
            diagnostics,
        });
    }
    Ok(Scenario {
        file,
        origin: Origin::File(name.into()),
        source_hash: hex::encode(Sha256::digest(text.as_bytes())),
    })
}

/// Syntax and shape only (serde, unknown keys, types, enum values).
pub fn parse(name: &str, text: &str) -> Result<ScenarioFile, ScenarioError> {
    toml::from_str::<ScenarioFile>(text).map_err(|e| {
        let offset = e.span().map(|s| s.start);
        let (line, col) = offset.map(|o| span::line_col(text, o)).unwrap_or((1, 1));
        let path: String = offset
            .map(|o| span::path_at(text, o).to_string())
            .unwrap_or_default();
        let (mut message, mut hint) = explain_parse_error(e.message());
        let mut path = path;
        if message.starts_with("duplicate key")
            && let Some(d) = e.span().and_then(|s| duplicate::explain(text, s))
        {
            (path, message, hint) = (d.path, d.message, d.hint);
        }
        ScenarioError {
            file: name.to_string(),
            diagnostics: vec![Diagnostic {
                path,
                line,
                col,
                message,
                hint,
            }],
        }
    })
}

/// Turn a parser message into words a workshop participant can act on: Rust type names become
/// plain ones, and the hint says what to type.
fn explain_parse_error(raw: &str) -> (String, String) {
    let mut message = raw.trim().replace('\n', " ");
    for (rust, plain) in [
        ("expected u32", "expected a whole number"),
        ("expected u16", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected i32", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected usize", "expected a whole number"),
        (
            "expected a Decimal type representing a fixed-point number",
            "expected a number",
        ),
        ("floating point", "decimal number"),
    ] {
        message = message.replace(rust, plain);
    }
    let hint = if message.contains("unknown field") {
        "check the spelling; `ndc-workbench scenario template` lists every key"
    } else if message.contains("missing field") {
        "add the key; `ndc-workbench scenario template` shows it"
    } else if message.contains("expected a whole number") {
        "write a whole number without quotes or decimals, e.g. 2030"
    } else if message.contains("expected a number") {
        "write a number without quotes, e.g. 12.5"
    } else if message.contains("expected a boolean") {
        "write true or false, without quotes"
    } else if message.contains("must be quoted") {
        "put text values in double quotes, e.g. name = \"Energy\""
    } else if message.contains("unknown variant") {
        "use one of the values listed"
    } else {
        ""
    };
    (message, hint.to_string())
}

/// Read, parse and validate a scenario file.
pub fn load_file(path: &Path) -> Result<Scenario, ScenarioError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        ScenarioError::file_level(
            &name,
            format!("cannot read the file: {e}"),
            "check the path and that the file is UTF-8 text",
        )
    })?;
    let mut s = load_str(&name, &text)?;
    s.origin = Origin::File(path.to_path_buf());
    Ok(s)
}

/// Write a scenario file as TOML (used by "save as scenario" and round-trip tests).
pub fn to_toml(file: &ScenarioFile) -> Result<String, toml::ser::Error> {
    toml::to_string(file)
}

/// Resolve a user's scenario argument: a built-in id, or a path to a TOML file.
pub fn resolve(arg: &str) -> Result<Scenario, ScenarioError> {
    if let Some(s) = builtin::by_id(arg) {
        return s;
    }
    let p = Path::new(arg);
    if p.exists() || arg.ends_with(".toml") {
        return load_file(p);
    }
    Err(ScenarioError::file_level(
        arg,
        format!("no scenario `{arg}`: not a built-in id and not a file"),
        format!(
            "use one of: {} (see `ndc-workbench scenario list`), or a path to a .toml file",
            builtin::ids().join(", ")
        ),
    ))
}
