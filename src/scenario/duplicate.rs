//! A key or table given twice in a scenario file: which one, in which table, and where it was
//! first set.
//!
//! The TOML parser says only "duplicate key" and points at the second occurrence. A participant
//! who pasted a line or a section twice needs the name, the table it sits in and the line of the
//! first one, to know which of the two to delete. This reads the source lines around the place
//! the parser pointed at; it never guesses a line it cannot find (the hint then says less).

use std::ops::Range;

/// The explanation of one duplicate key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// Path of the key in the document (`party.name`, `sector[1].id`, `party` for a table).
    pub path: String,
    pub message: String,
    pub hint: String,
}

/// Explain the duplicate the parser found at `span` (the second occurrence's key).
pub fn explain(text: &str, span: Range<usize>) -> Option<Duplicate> {
    let before = text.get(..span.start)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let index = before.matches('\n').count(); // 0-based line of the duplicate
    let lines: Vec<&str> = text.lines().collect();
    let this = text.get(line_start..)?.lines().next()?;
    let earlier = lines.get(..index)?;
    if let Some(table) = header(this).filter(|h| !h.array) {
        let first = earlier
            .iter()
            .position(|l| header(l) == Some(table.clone()));
        let name = table.name;
        let hint = match first {
            Some(i) => format!(
                "merge the two [{name}] sections into one; the first is on line {}",
                i + 1
            ),
            None => format!("keep one [{name}] section; the keys of a table go under one header"),
        };
        return Some(Duplicate {
            path: name.clone(),
            message: format!("table [{name}] appears twice"),
            hint,
        });
    }
    let key = key_of(this)?;
    // The table the key sits in: the nearest header above it.
    let (table_line, table) = earlier
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, l)| header(l).map(|h| (i + 1, Some(h))))
        .unwrap_or((0, None));
    let first = earlier
        .get(table_line..)?
        .iter()
        .position(|l| key_of(l).as_deref() == Some(key.as_str()))
        .map(|i| table_line + i + 1);
    let (path, place) = match &table {
        None => (key.clone(), "at the top of the file".to_string()),
        Some(h) if h.array => {
            let n = lines[..table_line]
                .iter()
                .filter(|l| header(l).as_ref() == Some(h))
                .count();
            let i = n.saturating_sub(1);
            (
                format!("{}[{i}].{key}", h.name),
                format!("in this [[{}]] entry", h.name),
            )
        }
        Some(h) => (format!("{}.{key}", h.name), format!("in [{}]", h.name)),
    };
    let hint = match first {
        Some(l) => format!("keep one `{key} = …` line; the first is on line {l}"),
        None => format!("keep one `{key} = …`; a key may be set only once per table"),
    };
    Some(Duplicate {
        path,
        message: format!("`{key}` is set twice {place}"),
        hint,
    })
}

/// A table header line: `[name]` or `[[name]]` (with a comment after it, or not).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Header {
    name: String,
    array: bool,
}

fn header(line: &str) -> Option<Header> {
    let l = line.trim();
    let (inner, array) = if let Some(r) = l.strip_prefix("[[") {
        (r.split("]]").next()?, true)
    } else if let Some(r) = l.strip_prefix('[') {
        (r.split(']').next()?, false)
    } else {
        return None;
    };
    Some(Header {
        name: dotted(inner),
        array,
    })
}

/// The key of a `key = value` line, dots kept and spaces around them dropped.
fn key_of(line: &str) -> Option<String> {
    let l = line.trim();
    if l.is_empty() || l.starts_with('#') || l.starts_with('[') {
        return None;
    }
    let (k, _) = l.split_once('=')?;
    let k = dotted(k);
    (!k.is_empty()).then_some(k)
}

fn dotted(k: &str) -> String {
    k.split('.')
        .map(|p| p.trim().trim_matches(|c| c == '"' || c == '\''))
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, needle: &str, nth: usize) -> Range<usize> {
        let start = text
            .match_indices(needle)
            .nth(nth)
            .map(|(i, _)| i)
            .expect("needle");
        start..start + needle.len()
    }

    #[test]
    fn a_key_twice_in_a_table_names_the_table_and_the_first_line() {
        let text = "[party]\ncode = \"BTN\"\nname = \"Bhutan\"\nname = \"again\"\n";
        let d = explain(text, at(text, "name", 1)).expect("explained");
        assert_eq!(d.path, "party.name");
        assert_eq!(d.message, "`name` is set twice in [party]");
        assert!(d.hint.contains("line 3"), "{}", d.hint);
    }

    #[test]
    fn the_same_key_in_another_table_is_not_taken_for_the_first() {
        let text = "[[sector]]\nid = \"energy\"\n[[sector]]\nid = \"afolu\"\nname = \"x\"\nid = \"waste\"\n";
        let d = explain(text, at(text, "id", 2)).expect("explained");
        assert_eq!(d.path, "sector[1].id");
        assert!(d.message.contains("[[sector]] entry"), "{}", d.message);
        assert!(d.hint.contains("line 4"), "{}", d.hint);
    }

    #[test]
    fn a_table_twice_points_at_the_first_header() {
        let text = "schema = 1\n[party]\ncode = \"BTN\"\n\n[party]  # again\nname = \"b\"\n";
        let d = explain(text, at(text, "party", 1)).expect("explained");
        assert_eq!(d.path, "party");
        assert_eq!(d.message, "table [party] appears twice");
        assert!(d.hint.contains("line 2"), "{}", d.hint);
    }

    #[test]
    fn dotted_keys_at_the_top_compare_without_spaces() {
        let text = "a.b = 1\na . b = 2\n";
        let d = explain(text, at(text, "b", 1)).expect("explained");
        assert_eq!(d.path, "a.b");
        assert!(d.message.contains("at the top of the file"));
        assert!(d.hint.contains("line 1"), "{}", d.hint);
    }
}
