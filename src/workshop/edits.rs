//! Budget edits a participant makes in a session: changes to a scenario's numbers that live in
//! the session, never in the prepared scenario file.
//!
//! An edit names a value by a readable path — `activity.<id>.<field>`, `sector.<id>.<field>`,
//! `policy.<field>`, `ndc.<field>` — and holds the new value as the participant typed it (a
//! string). Applying edits rewrites the scenario through its TOML form and validates it with
//! the same rules as the loader, so an edit is accepted exactly when the same value written in
//! the file would be, and its refusal carries the loader's reason.

use crate::scenario::{self, Scenario, ScenarioError};
use serde_json::{Map, Value};

/// Why an edit cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("`{0}` is not an editable value (write e.g. activity.<id>.cost_per_t)")]
    BadPath(String),
    #[error("no {kind} with id `{id}`")]
    UnknownId { kind: String, id: String },
    #[error("{0}")]
    Invalid(String),
}

/// Parse what a participant typed into a TOML value: a number, true/false, a `[a, b]` array,
/// a `{ 2021 = 1, 2030 = 2 }` table, or else a plain string.
pub fn parse_value(typed: &str) -> toml::Value {
    let t = typed.trim();
    let wrapped = format!("v = {t}");
    match toml::from_str::<toml::Table>(&wrapped) {
        Ok(mut tbl) => tbl
            .remove("v")
            .unwrap_or(toml::Value::String(t.to_string())),
        Err(_) => toml::Value::String(t.to_string()),
    }
}

/// Is `path` a value per year (a `{ year = value }` table)?
pub fn is_per_year(path: &str) -> bool {
    path.ends_with(".bau") || path.ends_with(".mitigation")
}

/// The values per year at `path` (`sector.<id>.bau`, `activity.<id>.mitigation`), if any.
fn per_year<'a>(s: &'a Scenario, path: &str) -> Option<&'a crate::scenario::years::YearMap> {
    match path.split('.').collect::<Vec<_>>().as_slice() {
        ["sector", id, "bau"] => s.file.sectors.iter().find(|x| x.id == *id)?.bau.as_ref(),
        ["activity", id, "mitigation"] => Some(&s.activity(id)?.mitigation),
        _ => None,
    }
}

/// A lone number typed for a value per year (`2300`, `2,300`, `-500`, `12.5`) read as the
/// value at the scenario's target year (the one the Budget table shows): the path's series in
/// `s` with that year set and every other year kept, as table text. `None` when `typed` is not
/// a lone number or `path` holds no series.
pub fn at_target_year(s: &Scenario, path: &str, typed: &str) -> Option<String> {
    let number = typed.trim().replace(',', "");
    // A decimal number as TOML writes one: digits, an optional sign and point, no exponent.
    if !number
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
    {
        return None;
    }
    let value: rust_decimal::Decimal = number.parse().ok()?;
    let mut series = per_year(s, path)?.clone();
    series.0.insert(s.target_year(), value);
    Some(series.to_inline_table())
}

fn set(root: &mut toml::Value, path: &str, v: toml::Value) -> Result<(), EditError> {
    let parts: Vec<&str> = path.split('.').collect();
    let bad = || EditError::BadPath(path.to_string());
    match parts.as_slice() {
        [table @ ("policy" | "ndc" | "scenario" | "party"), field] => {
            let t = root
                .get_mut(*table)
                .and_then(|x| x.as_table_mut())
                .ok_or_else(bad)?;
            t.insert((*field).to_string(), v);
            Ok(())
        }
        [kind @ ("activity" | "sector" | "partner"), id, field] => {
            let key = if *kind == "partner" { "code" } else { "id" };
            let list = root
                .get_mut(*kind)
                .and_then(|x| x.as_array_mut())
                .ok_or_else(bad)?;
            let item = list
                .iter_mut()
                .find(|x| x.get(key).and_then(|i| i.as_str()) == Some(*id))
                .and_then(|x| x.as_table_mut())
                .ok_or_else(|| EditError::UnknownId {
                    kind: (*kind).to_string(),
                    id: (*id).to_string(),
                })?;
            item.insert((*field).to_string(), v);
            Ok(())
        }
        _ => Err(bad()),
    }
}

/// The scenario with the edits applied, validated like a file. The result keeps the original
/// origin; its `source_hash` is that of the edited text.
pub fn apply(base: &Scenario, edits: &Map<String, Value>) -> Result<Scenario, EditError> {
    if edits.is_empty() {
        return Ok(base.clone());
    }
    let mut root =
        toml::Value::try_from(&base.file).map_err(|e| EditError::Invalid(e.to_string()))?;
    for (path, v) in edits {
        let typed = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        set(&mut root, path, parse_value(&typed))?;
    }
    let text = toml::to_string(&root).map_err(|e| EditError::Invalid(e.to_string()))?;
    match scenario::load_str("session edits", &text) {
        Ok(mut s) => {
            s.origin = base.origin.clone();
            Ok(s)
        }
        Err(ScenarioError { diagnostics, .. }) => Err(EditError::Invalid(
            diagnostics
                .iter()
                .map(|d| {
                    let path = by_id(&root, &d.path);
                    if d.hint.is_empty() {
                        format!("{path}: {}", d.message)
                    } else {
                        format!("{path}: {} ({})", d.message, d.hint)
                    }
                })
                .collect::<Vec<_>>()
                .join("; "),
        )),
    }
}

/// A diagnostic's path with a list position named by its id, as the workbench names things:
/// `sector[3].bau` → `sector.afolu.bau` (the participant never sees list positions).
fn by_id(root: &toml::Value, path: &str) -> String {
    for (kind, key) in [("sector", "id"), ("activity", "id"), ("partner", "code")] {
        let Some(rest) = path.strip_prefix(kind).and_then(|r| r.strip_prefix('[')) else {
            continue;
        };
        let Some((n, tail)) = rest.split_once(']') else {
            continue;
        };
        let id = n.parse::<usize>().ok().and_then(|i| {
            root.get(kind)?
                .as_array()?
                .get(i)?
                .get(key)?
                .as_str()
                .map(str::to_string)
        });
        if let Some(id) = id {
            return format!("{kind}.{id}{tail}");
        }
    }
    path.to_string()
}

/// Check one edit on its own (as typed), giving the loader's reason when it is refused.
pub fn check(base: &Scenario, path: &str, typed: &str) -> Result<Scenario, EditError> {
    // A BAU or mitigation path is a value per year; a lone number (`2300`, `2,300`) is the most
    // common slip, and the loader would only say "expected a map".
    // The shape is shown with the value's own years and figures, ready to change.
    if is_per_year(path) && !matches!(parse_value(typed), toml::Value::Table(_)) {
        let example = per_year(base, path)
            .filter(|m| m.span().is_some())
            .map_or_else(
                || "{ 2021 = 1800, 2030 = 2300 }".to_string(),
                |m| m.to_inline_table(),
            );
        return Err(EditError::Invalid(format!(
            "`{}`: this is a value per year; write it as {example} (the years between are interpolated; no thousands separators inside)",
            typed.trim()
        )));
    }
    let mut m = Map::new();
    m.insert(path.to_string(), Value::String(typed.to_string()));
    apply(base, &m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn base() -> Scenario {
        scenario::load_str(
            "x.toml",
            include_str!("../../tests/fixtures/valid/examplestan.toml"),
        )
        .expect("valid")
    }

    #[test]
    fn a_lone_number_for_a_value_per_year_is_refused_with_the_shape_to_write() {
        for typed in ["2300", "2,300", "-500"] {
            let e = check(&base(), "sector.energy.bau", typed).expect_err(typed);
            assert!(
                e.to_string()
                    .contains("write it as { 2021 = 1800, 2030 = 2300 }"),
                "{typed}: {e}"
            );
        }
        // The example is the value's own series (cookstoves: { 2022 = 40, 2030 = 90 }).
        let e = check(&base(), "activity.cookstoves.mitigation", "40").expect_err("number");
        assert!(e.to_string().contains("value per year"), "{e}");
        assert!(
            e.to_string()
                .contains("write it as { 2022 = 40, 2030 = 90 }"),
            "{e}"
        );
        assert!(check(&base(), "sector.energy.bau", "{ 2021 = 1800, 2030 = 2300 }").is_ok());
    }

    #[test]
    fn a_lone_number_sets_the_target_year_and_keeps_the_other_years() {
        // examplestan: energy bau = { 2021 = 1800, 2030 = 2300 }, target year 2030;
        // cookstoves mitigation = { 2022 = 40, 2030 = 90 }.
        let b = base();
        assert_eq!(
            at_target_year(&b, "sector.energy.bau", "2400").as_deref(),
            Some("{ 2021 = 1800, 2030 = 2400 }")
        );
        assert_eq!(
            at_target_year(&b, "sector.energy.bau", " 2,300.5 ").as_deref(),
            Some("{ 2021 = 1800, 2030 = 2300.5 }")
        );
        assert_eq!(
            at_target_year(&b, "activity.cookstoves.mitigation", "-40").as_deref(),
            Some("{ 2022 = 40, 2030 = -40 }")
        );
        for not_a_number in ["abc", "{ 2030 = 1 }", "1e3", ""] {
            assert_eq!(
                at_target_year(&b, "sector.energy.bau", not_a_number),
                None,
                "{not_a_number}"
            );
        }
        // Only a series takes it: a cost, or an id that is not there, does not.
        assert_eq!(
            at_target_year(&b, "activity.cookstoves.cost_per_t", "5"),
            None
        );
        assert_eq!(at_target_year(&b, "sector.nowhere.bau", "5"), None);
        // What it writes is what the loader takes: the 2030 BAU is 2,400 kt.
        let text = at_target_year(&b, "sector.energy.bau", "2400").expect("table");
        let s = check(&b, "sector.energy.bau", &text).expect("valid");
        let energy = s
            .file
            .sectors
            .iter()
            .find(|x| x.id == "energy")
            .expect("energy");
        assert_eq!(
            energy.bau.as_ref().and_then(|m| m.at(2030)),
            Some(dec!(2400))
        );
        assert_eq!(
            energy.bau.as_ref().and_then(|m| m.at(2021)),
            Some(dec!(1800))
        );
    }

    #[test]
    fn a_refusal_names_the_sector_by_its_id_not_its_list_position() {
        // afolu is the second sector of the file: the loader says sector[1]
        let e = check(&base(), "sector.afolu.bau", "{ 2021 = \"x\" }").expect_err("text");
        let e = e.to_string();
        assert!(e.contains("sector.afolu.bau"), "{e}");
        assert!(!e.contains("sector[1]"), "{e}");
    }

    #[test]
    fn an_accepted_edit_changes_the_number_and_nothing_else() {
        let s = check(&base(), "activity.cookstoves.cost_per_t", "12.5").expect("valid edit");
        assert_eq!(
            s.activity("cookstoves").map(|a| a.cost_per_t),
            Some(dec!(12.5))
        );
        assert_eq!(s.activity("small-hydro"), base().activity("small-hydro"));
        let s = check(
            &base(),
            "activity.cookstoves.mitigation",
            "{ 2022 = 50, 2030 = 120 }",
        )
        .expect("valid");
        assert_eq!(
            s.mitigation(s.activity("cookstoves").expect("a"), 2030),
            dec!(120000)
        );
        let s = check(&base(), "policy.buffer", "0.2").expect("valid");
        assert_eq!(s.file.policy.buffer, dec!(0.2));
    }

    #[test]
    fn a_refused_edit_gives_the_loaders_reason_and_never_becomes_zero() {
        let e = check(&base(), "policy.buffer", "1.5").expect_err("share out of range");
        assert!(e.to_string().contains("outside 0–1"), "{e}");
        let e =
            check(&base(), "activity.cookstoves.uncertainty", "lots").expect_err("not a number");
        assert!(matches!(e, EditError::Invalid(_)), "{e}");
        let e =
            check(&base(), "activity.cookstoves.crediting", "[2027, 2024]").expect_err("unordered");
        assert!(e.to_string().contains("ends before it starts"), "{e}");
        let e = check(&base(), "activity.nope.cost_per_t", "1").expect_err("unknown id");
        assert_eq!(
            e,
            EditError::UnknownId {
                kind: "activity".into(),
                id: "nope".into()
            }
        );
        assert!(matches!(
            check(&base(), "weird", "1"),
            Err(EditError::BadPath(_))
        ));
    }
}
