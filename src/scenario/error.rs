//! Scenario errors: every problem says what is wrong, where (file:line:column) and how to fix it.

use super::span::Path;
use std::fmt;

/// One problem found in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path of the value in the document (`activity[2].crediting`), empty for file-level errors.
    pub path: String,
    /// 1-based line and column where the value sits.
    pub line: usize,
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it (may be empty when the message says it).
    pub hint: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.line, self.col)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)?;
        if !self.hint.is_empty() {
            write!(f, " ({})", self.hint)?;
        }
        Ok(())
    }
}

/// A problem before its location is resolved (validation works on the typed file).
#[derive(Debug, Clone)]
pub struct Problem {
    pub path: Path,
    pub message: String,
    pub hint: String,
}

/// Everything wrong with one scenario file.
#[derive(Debug, Clone, thiserror::Error)]
pub struct ScenarioError {
    /// File name as given by the user (or `<built-in:ID>`).
    pub file: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}:{d}", self.file)?;
        }
        Ok(())
    }
}

impl ScenarioError {
    /// A single file-level error (e.g. the file cannot be read).
    pub fn file_level(file: &str, message: impl Into<String>, hint: impl Into<String>) -> Self {
        ScenarioError {
            file: file.to_string(),
            diagnostics: vec![Diagnostic {
                path: String::new(),
                line: 1,
                col: 1,
                message: message.into(),
                hint: hint.into(),
            }],
        }
    }
}
