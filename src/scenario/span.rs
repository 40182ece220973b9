//! Locating a value in TOML source: a path of keys and array indices → line and column.
//!
//! Validation speaks in paths (`activity[2].crediting`); this module turns a path into the
//! place a person can jump to, using the span-keeping parse of the `toml` crate.

use toml::de::{DeTable, DeValue};

/// One step of a path into the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path into a scenario document, e.g. `activity[2].crediting`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Path(pub Vec<Seg>);

impl Path {
    pub fn root() -> Self {
        Path(vec![])
    }
    pub fn key(&self, k: &str) -> Path {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }
    pub fn index(&self, i: usize) -> Path {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut first = true;
        for s in &self.0 {
            match s {
                Seg::Key(k) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Byte offset of the deepest existing value along `path` (falls back to the nearest parent,
/// then to the start of the file), so every message points somewhere useful.
pub fn locate(src: &str, path: &Path) -> usize {
    let Ok(doc) = DeTable::parse(src) else {
        return 0;
    };
    let mut best = 0usize;
    let mut cur: Option<&DeValue> = None;
    let root = doc.get_ref();
    for (i, seg) in path.0.iter().enumerate() {
        let table = match (i, cur) {
            (0, _) => Some(root),
            (_, Some(DeValue::Table(t))) => Some(t),
            _ => None,
        };
        match seg {
            Seg::Key(k) => {
                let Some(t) = table else { break };
                let Some((key, v)) = t
                    .iter()
                    .find(|(key, _)| key.get_ref().as_ref() == k.as_str())
                else {
                    break;
                };
                // point at the value for leaves, at the key for tables (their header line)
                best = match v.get_ref() {
                    DeValue::Table(_) => key.span().start,
                    _ => v.span().start,
                };
                cur = Some(v.get_ref());
            }
            Seg::Index(n) => {
                let Some(DeValue::Array(a)) = cur else { break };
                let Some(v) = a.get(*n) else { break };
                best = v.span().start;
                cur = Some(v.get_ref());
            }
        }
    }
    best
}

/// The path of the deepest value whose source span contains byte `offset`, for errors that
/// arrive with a span but no key (type errors from the parser). Empty when nothing matches.
pub fn path_at(src: &str, offset: usize) -> Path {
    let Ok(doc) = DeTable::parse(src) else {
        return Path::root();
    };
    let mut path = Path::root();
    descend_table(doc.get_ref(), offset, &mut path);
    path
}

/// Standard tables (`[ndc]`, `[[sector]]`) have spans that cover only their header, so a table
/// is searched whether or not its own span contains the offset; leaves must contain it.
fn descend_table(t: &DeTable<'_>, offset: usize, path: &mut Path) -> bool {
    for (k, v) in t.iter() {
        path.0.push(Seg::Key(k.get_ref().to_string()));
        if k.span().contains(&offset) || descend_value(v, offset, path) {
            return true;
        }
        path.0.pop();
    }
    false
}

fn descend_value(v: &toml::Spanned<DeValue<'_>>, offset: usize, path: &mut Path) -> bool {
    match v.get_ref() {
        DeValue::Table(t) => descend_table(t, offset, path) || v.span().contains(&offset),
        DeValue::Array(a) => {
            for (i, item) in a.iter().enumerate() {
                path.0.push(Seg::Index(i));
                if descend_value(item, offset, path) {
                    return true;
                }
                path.0.pop();
            }
            v.span().contains(&offset)
        }
        _ => v.span().contains(&offset),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_in_arrays_of_tables() {
        let src = "a = 1\n[[x]]\nid = \"p\"\n[[x]]\nid = \"q\"\nyears = [2021, 2030]\n";
        let p = Path::root().key("x").index(1).key("years");
        assert_eq!(line_col(src, locate(src, &p)), (6, 9));
        let p = Path::root().key("x").index(1).key("missing");
        assert_eq!(line_col(src, locate(src, &p)).0, 4);
    }

    #[test]
    fn finds_the_path_of_an_offset() {
        let src = "a = 1\n[[x]]\nid = \"p\"\n[[x]]\nid = \"q\"\nyears = [2021, \"x\"]\n";
        let off = src.find("\"x\"").unwrap_or(0);
        assert_eq!(path_at(src, off).to_string(), "x[1].years[1]");
        assert_eq!(path_at(src, 4).to_string(), "a");
        assert_eq!(path_at(src, src.len() + 10).to_string(), "");
    }

    #[test]
    fn displays_paths() {
        let p = Path::root().key("activity").index(2).key("crediting");
        assert_eq!(p.to_string(), "activity[2].crediting");
    }
}
