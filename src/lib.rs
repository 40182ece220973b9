//! ndc-workbench: a terminal workbench for Article 6 (Paris Agreement carbon markets)
//! capacity building and NDC planning.
//!
//! The domain modules (`scenario`, `workshop`, `budget`, `accounting`, `simulate`, `registry`,
//! `report`, `store`, `readiness`) are plain Rust shared by the CLI, the TUI, tests and
//! benchmarks. Only `tui` may use ratatui or crossterm; `.ci/run` fails the build otherwise.

pub mod accounting;
pub mod budget;
pub mod cli;
pub mod readiness;
pub mod registry;
pub mod report;
pub mod scenario;
pub mod simulate;
pub mod store;
pub mod tui;
pub mod workshop;
