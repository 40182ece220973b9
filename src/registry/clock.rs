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
/// Hand-written for years 0–9999 (one allocation, no format-string parsing per command);
/// other years go through chrono's `%Y` (which adds a sign), so the output is the same.
pub fn format_ts(t: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    let y = t.year();
    if !(0..=9999).contains(&y) {
        return t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    }
    let mut b = *b"0000-00-00T00:00:00Z";
    let mut put = |at: usize, width: usize, mut v: u32| {
        for i in (at..at + width).rev() {
            b[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, y as u32);
    put(5, 2, t.month());
    put(8, 2, t.day());
    put(11, 2, t.hour());
    put(14, 2, t.minute());
    put(17, 2, t.second());
    String::from_utf8_lossy(&b).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn format_ts_matches_chrono() {
        for s in [
            0i64,
            1,
            59,
            86_399,
            951_782_400,
            1_700_000_000,
            253_402_300_799,
            -1,
        ] {
            let t = DateTime::from_timestamp(s, 0).unwrap_or_default();
            assert_eq!(format_ts(t), t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        }
        let far = DateTime::from_timestamp(253_402_300_800, 0).unwrap_or_default();
        assert_eq!(format_ts(far), far.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    }
}
