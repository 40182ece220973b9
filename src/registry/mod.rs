//! Registry ledger: projects, serial blocks, accounts, Article 6 authorizations and first
//! transfers, as a fold over an append-only, hash-chained event log
//! (`/work/shared/domain/registry-model.md`).
//!
//! Module map (each has one job):
//! - [`types`]: picklists and small value types.
//! - [`serial`]: serial strings (format/parse round trip).
//! - [`event`]: events, envelope, canonical encoding, hashes.
//! - [`canonical`]: the direct (allocation-free) canonical JSON writer behind `event`.
//! - [`wire`]: fast reading of canonical journal lines (same verdicts as `event`).
//! - [`journal`]: the JSON Lines file (verify, append with fsync, torn tails).
//! - [`line_digest`]: the SHA-256 of journal lines, two at a time (one core, interleaved).
//! - [`short_eq`]: inline equality of the short strings replay compares on every line.
//! - [`state`]: the fold (event → state) with structural invariant checks.
//! - [`command`]: the command and outcome types.
//! - [`ledger`]: command validation, planning and atomic commit; queries.
//! - [`invariants`]: `check` of all invariants from a journal or a ledger.
//! - [`flows`]: Table 4 quantities for the accounting module.
//! - [`ca`]: corresponding adjustments per approach and year (computed, recorded, outstanding).
//! - [`explorer`]: events by serial, project, account, beneficiary; life of a serial.
//! - [`export`]: AEF tables, CADT CSV, ledger/hledger journal.
//! - [`import`]: Article 6.2 authorization blocks CSV.
//! - [`script`]: `apply` scripts (TOML lists of commands).
//! - [`synth`]: seeded realistic workloads.
//! - [`cli`]: the `registry` subcommands.
//! - [`clock`]: injected clocks.

mod bytes16;
pub mod ca;
pub mod canonical;
pub mod cli;
pub mod clock;
pub mod command;
pub mod error;
pub mod event;
pub mod explorer;
pub mod export;
pub mod flows;
pub mod import;
pub mod invariants;
pub mod journal;
mod journal_bytes;
pub mod ledger;
pub mod line_digest;
pub mod script;
pub mod serial;
mod short_eq;
pub mod state;
pub mod suggest;
pub mod synth;
pub mod types;
pub mod wire;

pub use clock::{Clock, ManualClock, SystemClock};
pub use command::{Command, CommandOutcome, Levies, RangeOutcome, Submission};
pub use error::{InvariantViolation, JournalError, RegistryError};
pub use flows::Article6Flows;
pub use journal::Durability;
pub use ledger::{AccountBalance, Ledger, system_account_id};
pub use serial::Serial;
pub use types::*;
