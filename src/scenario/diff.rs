//! What changed between two scenario files: NDC targets, sectors, activities, policy and
//! partners — for analysts comparing a current NDC with a sketch of the next one.
//!
//! Entities are matched by id (never by position); fields are compared through their TOML
//! rendering, so a change is reported in the words a trainer wrote in the file.

use super::Scenario;
use serde::Serialize;

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// `ndc`, `sector`, `activity`, `policy`, `partner`, `party`, `scenario`
    pub area: String,
    /// The entity id (or the table name) and field, e.g. `cookstoves.mitigation`.
    pub item: String,
    /// `added`, `removed` or `changed`
    pub kind: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn fields(v: &toml::Value) -> Vec<(String, String)> {
    match v {
        toml::Value::Table(t) => t.iter().map(|(k, v)| (k.clone(), render(v))).collect(),
        other => vec![(String::new(), render(other))],
    }
}

fn render(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn compare_tables(
    area: &str,
    prefix: &str,
    a: &toml::Value,
    b: &toml::Value,
    out: &mut Vec<Change>,
) {
    let fa = fields(a);
    let fb = fields(b);
    for (k, va) in &fa {
        let item = if prefix.is_empty() {
            k.clone()
        } else if k.is_empty() {
            prefix.to_string()
        } else {
            format!("{prefix}.{k}")
        };
        match fb.iter().find(|(kb, _)| kb == k) {
            None => out.push(Change {
                area: area.into(),
                item,
                kind: "removed".into(),
                before: Some(va.clone()),
                after: None,
            }),
            Some((_, vb)) if vb != va => out.push(Change {
                area: area.into(),
                item,
                kind: "changed".into(),
                before: Some(va.clone()),
                after: Some(vb.clone()),
            }),
            _ => {}
        }
    }
    for (k, vb) in &fb {
        if !fa.iter().any(|(ka, _)| ka == k) {
            let item = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            out.push(Change {
                area: area.into(),
                item,
                kind: "added".into(),
                before: None,
                after: Some(vb.clone()),
            });
        }
    }
}

fn compare_lists(
    area: &str,
    key: &str,
    a: &[toml::Value],
    b: &[toml::Value],
    out: &mut Vec<Change>,
) {
    let id = |v: &toml::Value| v.get(key).map(render).unwrap_or_default();
    for va in a {
        match b.iter().find(|vb| id(vb) == id(va)) {
            None => out.push(Change {
                area: area.into(),
                item: id(va),
                kind: "removed".into(),
                before: Some(va.get("name").map(render).unwrap_or_default()),
                after: None,
            }),
            Some(vb) => compare_tables(area, &id(va), va, vb, out),
        }
    }
    for vb in b {
        if !a.iter().any(|va| id(va) == id(vb)) {
            out.push(Change {
                area: area.into(),
                item: id(vb),
                kind: "added".into(),
                before: None,
                after: Some(vb.get("name").map(render).unwrap_or_default()),
            });
        }
    }
}

/// Every difference from `a` to `b`, grouped by area.
pub fn diff(a: &Scenario, b: &Scenario) -> Vec<Change> {
    let to_value = |s: &Scenario| {
        toml::Value::try_from(&s.file).unwrap_or(toml::Value::Table(Default::default()))
    };
    let (va, vb) = (to_value(a), to_value(b));
    let empty = toml::Value::Table(Default::default());
    let get = |v: &toml::Value, k: &str| v.get(k).cloned().unwrap_or_else(|| empty.clone());
    let list = |v: &toml::Value, k: &str| {
        v.get(k)
            .and_then(|x| x.as_array())
            .cloned()
            .unwrap_or_default()
    };
    let mut out = vec![];
    for area in ["scenario", "party", "ndc", "policy"] {
        compare_tables(area, "", &get(&va, area), &get(&vb, area), &mut out);
    }
    compare_lists(
        "sector",
        "id",
        &list(&va, "sector"),
        &list(&vb, "sector"),
        &mut out,
    );
    compare_lists(
        "activity",
        "id",
        &list(&va, "activity"),
        &list(&vb, "activity"),
        &mut out,
    );
    compare_lists(
        "partner",
        "code",
        &list(&va, "partner"),
        &list(&vb, "partner"),
        &mut out,
    );
    out
}

/// Human-readable diff.
pub fn diff_text(a: &Scenario, b: &Scenario, changes: &[Change]) -> String {
    use std::fmt::Write;
    let mut w = String::new();
    let _ = writeln!(w, "{} → {}", a.id(), b.id());
    if changes.is_empty() {
        let _ = writeln!(w, "no differences");
        return w;
    }
    let mut area = "";
    for c in changes {
        if c.area != area {
            area = &c.area;
            let _ = writeln!(w, "\n[{area}]");
        }
        let _ = match c.kind.as_str() {
            "added" => writeln!(w, "  + {} = {}", c.item, c.after.as_deref().unwrap_or("")),
            "removed" => writeln!(
                w,
                "  - {} (was {})",
                c.item,
                c.before.as_deref().unwrap_or("")
            ),
            _ => writeln!(
                w,
                "  ~ {}: {} → {}",
                c.item,
                c.before.as_deref().unwrap_or(""),
                c.after.as_deref().unwrap_or("")
            ),
        };
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;

    #[test]
    fn reports_target_activity_and_policy_changes_by_id() {
        let a_text = include_str!("../../tests/fixtures/valid/examplestan.toml");
        let b_text = a_text
            .replace(
                "unconditional = { type = \"below-bau\", percent = 20 }",
                "unconditional = { type = \"below-bau\", percent = 25 }",
            )
            .replace("buffer = 0.05", "buffer = 0.10")
            .replace("cost_per_t = 8 ", "cost_per_t = 9 ");
        let a = load_str("a.toml", a_text).expect("valid");
        let b = load_str("b.toml", &b_text).expect("valid");
        let d = diff(&a, &b);
        let find = |item: &str| d.iter().find(|c| c.item == item).cloned();
        let u = find("unconditional").expect("target change");
        assert_eq!(u.area, "ndc");
        assert!(
            u.before.as_deref().is_some_and(|x| x.contains("20"))
                && u.after.as_deref().is_some_and(|x| x.contains("25"))
        );
        assert_eq!(
            find("buffer").map(|c| (c.before, c.after)),
            Some((Some("0.05".into()), Some("0.1".into())))
        );
        assert_eq!(
            find("cookstoves.cost_per_t").map(|c| c.after),
            Some(Some("9".into()))
        );
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(diff(&a, &a).is_empty());
    }
}
