//! Typed errors of the registry. One job: say what went wrong, where (event number, line) and
//! which rule refused, so callers can print `what / where / how to fix`.

use std::path::PathBuf;
use thiserror::Error;

use super::event::BlockId;

/// A broken invariant found by the fold or by `check` (registry-model §7).
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("invariant {invariant} ({name}) violated at event {seq}{}: {message}", block.map(|b| format!(", block {b}")).unwrap_or_default())]
pub struct InvariantViolation {
    pub invariant: u8,
    pub name: &'static str,
    pub seq: u64,
    pub block: Option<BlockId>,
    pub message: String,
}

/// Errors reading or writing the journal file.
#[derive(Debug, Error)]
pub enum JournalError {
    #[error("cannot access journal {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("journal {path} is locked by another process")]
    Locked { path: PathBuf },
    #[error(
        "journal {path}: torn tail after event {last_good_seq} (line {line}, {bytes} bytes): {reason}. \
         These bytes were never acknowledged. Run `ndc-workbench registry repair --truncate-torn-tail` to drop them explicitly"
    )]
    TornTail {
        path: PathBuf,
        line: u64,
        last_good_seq: u64,
        bytes: u64,
        reason: String,
    },
    #[error("journal {path}, line {line} (event {seq}): {reason}")]
    Corrupt {
        path: PathBuf,
        line: u64,
        seq: u64,
        reason: String,
    },
    #[error("journal {path}: {violation}")]
    Invariant {
        path: PathBuf,
        violation: InvariantViolation,
    },
    #[error("cannot encode event: {0}")]
    Encode(#[from] serde_json::Error),
}

impl JournalError {
    /// The first bad event number, when the error names one.
    pub fn seq(&self) -> Option<u64> {
        match self {
            JournalError::Corrupt { seq, .. } => Some(*seq),
            JournalError::TornTail { last_good_seq, .. } => Some(last_good_seq + 1),
            JournalError::Invariant { violation, .. } => Some(violation.seq),
            _ => None,
        }
    }
}

/// Errors returned by ledger commands and queries.
#[derive(Debug, Error)]
pub enum RegistryError {
    /// A domain rule refused the command. The refusal is journaled (`CommandRejected`) and a
    /// retry with the same command id returns it again.
    #[error("{rule}: {message}")]
    Rejected { rule: String, message: String },
    #[error(
        "invariant 5 idempotency: command id {command_id:?} was already used with a different payload; use a new command id"
    )]
    ExistsWithDifferentPayload { command_id: String },
    #[error("bad input: {0}")]
    BadInput(String),
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error(
        "the ledger stopped accepting commands after an earlier write failure; reopen the journal"
    )]
    Poisoned,
    #[error("internal error (please report): {0}")]
    Internal(String),
}

impl RegistryError {
    pub fn rejected(rule: &str, message: impl Into<String>) -> RegistryError {
        RegistryError::Rejected {
            rule: rule.to_string(),
            message: message.into(),
        }
    }
    /// The rule that refused, if this is a rejection.
    pub fn rule(&self) -> Option<&str> {
        match self {
            RegistryError::Rejected { rule, .. } => Some(rule),
            _ => None,
        }
    }
}
