//! Serial strings `{REGISTRY}-{PROJECT}-{VINTAGE}-{FIRST}-{LAST}` (registry-model §4).
//! One job: format and parse them so that `parse(format(x)) == x` (invariant 19).
//!
//! REGISTRY = 3 capitals + 2 digits; PROJECT = letters and digits, no dash; VINTAGE = 4 digits;
//! FIRST ≤ LAST, decimal, zero-padded to at least 6 digits (longer numbers in full, no leading
//! zero then), inclusive: `count = last − first + 1`.

use std::fmt;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Serial {
    pub registry: String,
    pub project: String,
    pub vintage: u16,
    pub first: u64,
    pub last: u64,
}

#[derive(Debug, Error, PartialEq, Eq)]
#[error(
    "invalid serial {input:?}: {reason} (expected REGISTRY-PROJECT-VINTAGE-FIRST-LAST, e.g. BTN01-P0007-2024-000001-001000)"
)]
pub struct SerialError {
    pub input: String,
    pub reason: &'static str,
}

impl Serial {
    pub fn count(&self) -> u64 {
        self.last - self.first + 1
    }

    pub fn parse(input: &str) -> Result<Serial, SerialError> {
        let err = |reason| SerialError {
            input: input.to_string(),
            reason,
        };
        let parts: Vec<&str> = input.split('-').collect();
        if parts.len() != 5 {
            return Err(err("expected five dash-separated parts"));
        }
        let reg = parts[0];
        let rb = reg.as_bytes();
        if rb.len() != 5
            || !rb[..3].iter().all(u8::is_ascii_uppercase)
            || !rb[3..].iter().all(u8::is_ascii_digit)
        {
            return Err(err("registry must be 3 capitals and 2 digits"));
        }
        if !valid_project_id(parts[1]) {
            return Err(err("project must be letters and digits"));
        }
        let v = parts[2];
        if v.len() != 4 || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("vintage must be 4 digits"));
        }
        let vintage: u16 = v.parse().map_err(|_| err("vintage must be 4 digits"))?;
        let first = parse_number(parts[3]).ok_or_else(|| err("bad first number"))?;
        let last = parse_number(parts[4]).ok_or_else(|| err("bad last number"))?;
        if first == 0 || first > last {
            return Err(err("need 1 <= FIRST <= LAST"));
        }
        Ok(Serial {
            registry: reg.to_string(),
            project: parts[1].to_string(),
            vintage,
            first,
            last,
        })
    }
}

/// Project ids usable in serials: ASCII letters and digits only.
pub fn valid_project_id(p: &str) -> bool {
    !p.is_empty() && p.len() <= 32 && p.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn parse_number(s: &str) -> Option<u64> {
    if s.len() < 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if s.len() > 6 && s.starts_with('0') {
        return None; // not canonical: longer numbers are written in full
    }
    s.parse().ok()
}

impl fmt::Display for Serial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}-{:04}-{:06}-{:06}",
            self.registry, self.project, self.vintage, self.first, self.last
        )
    }
}

/// A serial query: a full serial string, or `PROJECT:UNIT` / a bare unit number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SerialQuery {
    Range(Serial),
    Unit { project: Option<String>, unit: u64 },
}

impl SerialQuery {
    pub fn parse(s: &str) -> Result<SerialQuery, SerialError> {
        let s = s.trim();
        if let Ok(n) = s.parse::<u64>() {
            return Ok(SerialQuery::Unit {
                project: None,
                unit: n,
            });
        }
        if let Some((p, u)) = s.split_once(':')
            && let Ok(n) = u.parse::<u64>()
            && valid_project_id(p)
        {
            return Ok(SerialQuery::Unit {
                project: Some(p.to_string()),
                unit: n,
            });
        }
        Serial::parse(s).map(SerialQuery::Range)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn round_trip_and_padding() {
        let s = Serial {
            registry: "BTN01".into(),
            project: "P0007".into(),
            vintage: 2024,
            first: 1,
            last: 1000,
        };
        assert_eq!(s.to_string(), "BTN01-P0007-2024-000001-001000");
        assert_eq!(Serial::parse(&s.to_string()), Ok(s.clone()));
        let big = Serial {
            first: 1_234_567,
            last: 12_345_678,
            ..s
        };
        assert_eq!(big.to_string(), "BTN01-P0007-2024-1234567-12345678");
        assert_eq!(Serial::parse(&big.to_string()), Ok(big));
    }
    #[test]
    fn rejects_bad() {
        for bad in [
            "BTN1-P7-2024-000001-000002",
            "BTN01-P-7-2024-000001-000002",
            "BTN01-P7-24-000001-000002",
            "BTN01-P7-2024-000003-000002",
            "BTN01-P7-2024-1-2",
            "BTN01-P7-2024-0000001-0000002",
            "BTN01-P7-2024-000000-000002",
        ] {
            assert!(Serial::parse(bad).is_err(), "{bad}");
        }
    }
}
