//! Injected clocks. One job: give the ledger "now" so tests and simulations are deterministic.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, NaiveDate, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// Wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock the caller sets (and optionally advances by `step_seconds` on every read).
/// Cloning shares the same time, so a simulation can keep a handle and move time forward.
#[derive(Debug, Clone)]
pub struct ManualClock {
    secs: Arc<AtomicI64>,
    step: i64,
}

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> ManualClock {
        ManualClock {
            secs: Arc::new(AtomicI64::new(start.timestamp())),
            step: 0,
        }
    }
    /// Starts at midnight UTC of `date`.
    pub fn at_date(date: NaiveDate) -> ManualClock {
        ManualClock::new(date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
    }
    /// Advance by `step` seconds on every read (deterministic, strictly increasing).
    pub fn stepping(mut self, step: i64) -> ManualClock {
        self.step = step;
        self
    }
    pub fn set(&self, t: DateTime<Utc>) {
        self.secs.store(t.timestamp(), Ordering::SeqCst);
    }
    pub fn set_date(&self, date: NaiveDate) {
        self.set(date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    }
    pub fn advance(&self, secs: i64) {
        self.secs.fetch_add(secs, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        let s = self.secs.fetch_add(self.step, Ordering::SeqCst);
        DateTime::from_timestamp(s, 0).unwrap_or_default()
    }
}

/// ISO-8601 UTC with seconds, as stored in `ts`.
pub fn format_ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
