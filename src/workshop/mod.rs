//! The workshop: question packs (built-in and trainer-written), the scenario facts shown beside
//! each question, and answers.

pub mod edits;
pub mod facts;
pub mod pack;
pub mod portable;
pub mod session;

pub use pack::{FactKey, Pack, Part, Question, Section};

use crate::scenario::span;

/// Built-in packs: (file name, text).
pub const BUILTIN_PACKS: &[(&str, &str)] = &[(
    "article6-workshop-2025.toml",
    include_str!("../../scenarios/packs/article6-workshop-2025.toml"),
)];

/// The default pack id.
pub const DEFAULT_PACK: &str = "article6-workshop-2025";

/// A pack that cannot be used: what, where, how to fix.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}:{line}:{col}: {message} ({hint})")]
pub struct PackError {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub hint: String,
}

/// Parse and check a pack: every question names a known section; ids are unique.
pub fn load_pack_str(name: &str, text: &str) -> Result<Pack, PackError> {
    let err = |offset: usize, message: String, hint: &str| {
        let (line, col) = span::line_col(text, offset);
        PackError {
            file: name.into(),
            line,
            col,
            message,
            hint: hint.into(),
        }
    };
    let pack: Pack = toml::from_str(text).map_err(|e| {
        err(
            e.span().map(|s| s.start).unwrap_or(0),
            e.message().trim().replace('\n', " "),
            "see scenarios/packs/article6-workshop-2025.toml for the shape",
        )
    })?;
    if pack.schema != pack::PACK_SCHEMA {
        return Err(err(
            0,
            format!("pack schema {} is not supported", pack.schema),
            "write schema = 1",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, q) in pack.questions.iter().enumerate() {
        let at = || span::locate(text, &span::Path::root().key("question").index(i));
        if !pack.sections.iter().any(|s| s.id == q.section) {
            return Err(err(
                at(),
                format!("question `{}` names unknown section `{}`", q.id, q.section),
                "add the [[section]] or fix the id",
            ));
        }
        if !seen.insert(q.id.as_str()) {
            return Err(err(
                at(),
                format!("question id `{}` is used twice", q.id),
                "answers are stored by id: give each question its own",
            ));
        }
    }
    Ok(pack)
}

/// A built-in pack by id.
pub fn builtin_pack(id: &str) -> Option<Result<Pack, PackError>> {
    BUILTIN_PACKS
        .iter()
        .map(|(n, t)| load_pack_str(&format!("scenarios/packs/{n}"), t))
        .find(|p| match p {
            Ok(p) => p.pack.id == id,
            Err(_) => false,
        })
}

/// Resolve a pack argument: built-in id or a path to a TOML file.
pub fn resolve_pack(arg: &str) -> Result<Pack, PackError> {
    if let Some(p) = builtin_pack(arg) {
        return p;
    }
    let text = std::fs::read_to_string(arg).map_err(|e| PackError {
        file: arg.into(),
        line: 1,
        col: 1,
        message: format!("no pack `{arg}` (not built in, and the file cannot be read: {e})"),
        hint: format!("built-in packs: {DEFAULT_PACK}"),
    })?;
    load_pack_str(arg, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_pack_has_the_decks_questions_grouped_as_in_the_deck() {
        let p = builtin_pack(DEFAULT_PACK).expect("present").expect("valid");
        let count = |sec: &str| p.questions.iter().filter(|q| q.section == sec).count();
        assert_eq!(count("current-ndc"), 3);
        assert_eq!(count("future-ndc"), 2);
        assert_eq!(count("lt-leds"), 1);
        assert_eq!(count("operationalizing"), 7);
        assert_eq!(count("trading-investment"), 4);
        assert_eq!(p.questions_in(Part::Reflect).count(), 6);
        assert_eq!(p.questions_in(Part::Discuss).count(), 11);
    }

    #[test]
    fn question_texts_are_verbatim_from_the_deck() {
        let deck = include_str!("../../tests/fixtures/deck-questions.txt");
        let p = builtin_pack(DEFAULT_PACK).expect("present").expect("valid");
        for q in &p.questions {
            assert!(
                deck.lines().any(|l| l.trim() == q.text),
                "not verbatim in the deck: {}",
                q.text
            );
        }
    }

    #[test]
    fn a_question_in_an_unknown_section_is_refused_with_its_place() {
        let text = "schema = 1\n[pack]\nid='x'\ntitle='x'\nversion='1'\nsource='x'\n[[section]]\nid='a'\npart='reflect'\ntitle='A'\n[[question]]\nid='q'\nsection='b'\ntext='?'\n";
        let e = load_pack_str("p.toml", text).expect_err("invalid");
        assert!(e.message.contains("unknown section `b`"), "{e}");
        assert_eq!(e.line, 11);
    }
}
