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
        SerialRef::parse(input)
            .map(|r| r.to_owned())
            .map_err(|reason| SerialError {
                input: input.to_string(),
                reason,
            })
    }

    pub fn as_ref(&self) -> SerialRef<'_> {
        SerialRef {
            registry: &self.registry,
            project: &self.project,
            vintage: self.vintage,
            first: self.first,
            last: self.last,
        }
    }
}

/// A serial's parts borrowed from where they are kept (a block and its issuance) or from the
/// string they were read from: formatting and parsing without allocating, for the round trip
/// of every live block in `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SerialRef<'a> {
    pub registry: &'a str,
    pub project: &'a str,
    pub vintage: u16,
    pub first: u64,
    pub last: u64,
}

/// The part of a serial that every block of one issuance shares: `{REGISTRY}-{PROJECT}-{VINTAGE}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SerialPrefix<'a> {
    pub registry: &'a str,
    pub project: &'a str,
    pub vintage: u16,
}

/// The part of a serial that tells the blocks of one issuance apart: `{FIRST}-{LAST}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SerialRange {
    pub first: u64,
    pub last: u64,
}

const PARTS: &str = "expected five dash-separated parts";

/// The positions of the first `N` dashes of `input`, in one pass; `None` unless it holds
/// exactly `N`.
fn dashes<const N: usize>(input: &str) -> Option<[usize; N]> {
    let mut at = [0usize; N];
    let mut n = 0;
    for (i, &c) in input.as_bytes().iter().enumerate() {
        if c == b'-' {
            *at.get_mut(n)? = i;
            n += 1;
        }
    }
    (n == N).then_some(at)
}

impl<'a> SerialPrefix<'a> {
    /// Parse `REGISTRY-PROJECT-VINTAGE` (exactly two dashes).
    pub fn parse(input: &'a str) -> Result<SerialPrefix<'a>, &'static str> {
        let d = dashes::<2>(input).ok_or(PARTS)?;
        Self::from_parts(&input[..d[0]], &input[d[0] + 1..d[1]], &input[d[1] + 1..])
    }

    fn from_parts(
        reg: &'a str,
        project: &'a str,
        v: &str,
    ) -> Result<SerialPrefix<'a>, &'static str> {
        let rb = reg.as_bytes();
        if rb.len() != 5
            || !rb[..3].iter().all(u8::is_ascii_uppercase)
            || !rb[3..].iter().all(u8::is_ascii_digit)
        {
            return Err("registry must be 3 capitals and 2 digits");
        }
        if !valid_project_id(project) {
            return Err("project must be letters and digits");
        }
        let vintage = match v.len() {
            4 => digits_value(v).ok_or("vintage must be 4 digits")? as u16,
            _ => return Err("vintage must be 4 digits"),
        };
        Ok(SerialPrefix {
            registry: reg,
            project,
            vintage,
        })
    }

    /// The canonical form (vintage in 4 digits, zero-padded) into `out`.
    pub fn write<W: fmt::Write>(&self, out: &mut W) -> fmt::Result {
        out.write_str(self.registry)?;
        out.write_char('-')?;
        out.write_str(self.project)?;
        out.write_char('-')?;
        padded(out, self.vintage.into(), 4)
    }
}

impl SerialRange {
    /// Parse `FIRST-LAST` (exactly one dash).
    pub fn parse(input: &str) -> Result<SerialRange, &'static str> {
        let [d] = dashes::<1>(input).ok_or(PARTS)?;
        Self::from_parts(&input[..d], &input[d + 1..])
    }

    fn from_parts(first: &str, last: &str) -> Result<SerialRange, &'static str> {
        let first = parse_number(first).ok_or("bad first number")?;
        let last = parse_number(last).ok_or("bad last number")?;
        Self::checked(first, last)
    }

    /// The range `first..=last` of a serial: serial numbers start at 1 and a range is not
    /// reversed.
    fn checked(first: u64, last: u64) -> Result<SerialRange, &'static str> {
        if first == 0 || first > last {
            return Err("need 1 <= FIRST <= LAST");
        }
        Ok(SerialRange { first, last })
    }

    /// Whether the range `first..=last` formats and parses back to itself (the range half of
    /// invariant 19), decided from the numbers: `write` spells any `u64` in decimal, padded
    /// to six digits, and `parse` reads every such spelling back exactly, so the text comes
    /// back exactly when the range is one `parse` accepts. `check` asks this of every block
    /// instead of writing and parsing half a million ranges; the test
    /// `a_range_round_trips_exactly_when_its_numbers_say_so` holds it against the text.
    pub fn round_trips(first: u64, last: u64) -> bool {
        Self::checked(first, last).is_ok()
    }

    /// The canonical form (numbers in at least 6 digits, zero-padded) into `out`.
    pub fn write<W: fmt::Write>(&self, out: &mut W) -> fmt::Result {
        padded(out, self.first, 6)?;
        out.write_char('-')?;
        padded(out, self.last, 6)
    }
}

/// `n` in decimal, zero-padded to `width` digits.
fn padded<W: fmt::Write>(out: &mut W, n: u64, width: usize) -> fmt::Result {
    const ZEROS: &str = "000000";
    let mut b = itoa::Buffer::new();
    let digits = b.format(n);
    // The padding in one write where it fits in `ZEROS` (every width the registry uses).
    let mut pad = width.saturating_sub(digits.len());
    while pad > 0 {
        let k = pad.min(ZEROS.len());
        out.write_str(&ZEROS[..k])?;
        pad -= k;
    }
    out.write_str(digits)
}

/// A serial is its prefix and its range joined by a dash, and both directions say so in
/// code: `write` is the prefix's `write`, a dash and the range's `write`; `parse` finds the
/// four dashes and hands the parts to the prefix's and the range's readers. That is what lets
/// `check` round-trip a prefix once per issuance and a range once per block (invariant 19)
/// and still check exactly `parse(format(block)) == block`: a prefix holds exactly two dashes
/// when it reads back and a written range exactly one (tested against the whole round trip in
/// `prefix_and_range_round_trips_decide_the_whole_one`).
impl<'a> SerialRef<'a> {
    /// Parse `REGISTRY-PROJECT-VINTAGE-FIRST-LAST`; `Err` says what is wrong.
    pub fn parse(input: &'a str) -> Result<SerialRef<'a>, &'static str> {
        let d = dashes::<4>(input).ok_or(PARTS)?;
        let p = SerialPrefix::from_parts(
            &input[..d[0]],
            &input[d[0] + 1..d[1]],
            &input[d[1] + 1..d[2]],
        )?;
        let r = SerialRange::from_parts(&input[d[2] + 1..d[3]], &input[d[3] + 1..])?;
        Ok(SerialRef::join(p, r))
    }

    pub fn join(p: SerialPrefix<'a>, r: SerialRange) -> SerialRef<'a> {
        SerialRef {
            registry: p.registry,
            project: p.project,
            vintage: p.vintage,
            first: r.first,
            last: r.last,
        }
    }

    pub fn prefix(&self) -> SerialPrefix<'a> {
        SerialPrefix {
            registry: self.registry,
            project: self.project,
            vintage: self.vintage,
        }
    }

    pub fn range(&self) -> SerialRange {
        SerialRange {
            first: self.first,
            last: self.last,
        }
    }

    pub fn to_owned(&self) -> Serial {
        Serial {
            registry: self.registry.to_string(),
            project: self.project.to_string(),
            vintage: self.vintage,
            first: self.first,
            last: self.last,
        }
    }

    /// The canonical form (vintage 4 digits, numbers at least 6, zero-padded) into `out`.
    pub fn write<W: fmt::Write>(&self, out: &mut W) -> fmt::Result {
        self.prefix().write(out)?;
        out.write_char('-')?;
        self.range().write(out)
    }
}

impl fmt::Display for SerialRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f)
    }
}

pub fn valid_project_id(p: &str) -> bool {
    !p.is_empty() && p.len() <= 32 && p.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn parse_number(s: &str) -> Option<u64> {
    if s.len() < 6 || (s.len() > 6 && s.starts_with('0')) {
        return None; // not canonical: longer numbers are written in full
    }
    digits_value(s)
}

/// The value of a string of ASCII digits, in one pass; `None` for anything else (empty, a
/// non-digit, or more than a `u64` holds). Runs for every live block in `check`.
fn digits_value(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    // Up to 19 digits cannot overflow a u64: those need no checked arithmetic.
    if s.len() <= 19 {
        return s.bytes().try_fold(0u64, |v, c| {
            let d = c.wrapping_sub(b'0');
            (d <= 9).then(|| v * 10 + d as u64)
        });
    }
    s.bytes().try_fold(0u64, |v, c| {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v.checked_mul(10)?.checked_add(d as u64)
    })
}

impl fmt::Display for Serial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_ref().write(f)
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
        match Serial::parse(s) {
            Ok(serial) => Ok(SerialQuery::Range(serial)),
            Err(strict) => match Self::unpadded(s) {
                Some(Ok(serial)) => Ok(SerialQuery::Range(serial)),
                Some(Err(reason)) => Err(SerialError {
                    input: s.to_string(),
                    reason,
                }),
                None => Err(strict),
            },
        }
    }

    /// A serial typed with its numbers unpadded (`BTN01-P1-2025-1-10`): a query names the
    /// same range as the canonical spelling, so it is read as that. Journals and imports keep
    /// the strict [`Serial::parse`] (one spelling per range, invariant 19). `None` when `s`
    /// is not a serial of that shape at all.
    fn unpadded(s: &str) -> Option<Result<Serial, &'static str>> {
        let d = dashes::<4>(s)?;
        let prefix = SerialPrefix::parse(&s[..d[2]]).ok()?;
        // What the strict parse checks of the numbers, apart from their padding.
        let range = SerialRange::checked(
            digits_value(&s[d[2] + 1..d[3]])?,
            digits_value(&s[d[3] + 1..])?,
        );
        Some(range.map(|r| SerialRef::join(prefix, r).to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `SerialRange::round_trips` against the textual round trip, over every digit count of
    /// both numbers (each power of ten and its neighbours), zero, equal and reversed pairs,
    /// the largest `u64`, and a seeded spread in between.
    #[test]
    fn a_range_round_trips_exactly_when_its_numbers_say_so() {
        let mut numbers = vec![0u64, 1, 2, u64::MAX - 1, u64::MAX];
        let mut p = 1u64;
        for _ in 0..19 {
            p *= 10;
            numbers.extend([p - 1, p, p + 1]);
        }
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..300 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            numbers.push(x >> (x % 64));
        }
        let mut text = String::new();
        for &first in &numbers {
            for &last in &numbers {
                let r = SerialRange { first, last };
                text.clear();
                r.write(&mut text).unwrap();
                let textual = SerialRange::parse(&text) == Ok(r);
                assert_eq!(
                    SerialRange::round_trips(first, last),
                    textual,
                    "{first}..={last} as {text:?}"
                );
            }
        }
    }
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
    /// The hand-padded writer agrees with `format!`'s padding at every width boundary, and a
    /// borrowed parse gives back the same parts.
    #[test]
    fn writer_matches_format_padding() {
        for (vintage, n) in [
            (0u16, 0u64),
            (7, 9),
            (999, 99_999),
            (2024, 999_999),
            (9999, 1_000_000),
        ]
        .into_iter()
        .chain([(65535, u64::MAX)])
        {
            let r = SerialRef {
                registry: "ABC12",
                project: "X9",
                vintage,
                first: n,
                last: n,
            };
            let want = format!("ABC12-X9-{vintage:04}-{n:06}-{n:06}");
            let mut got = String::new();
            r.write(&mut got).unwrap();
            assert_eq!(got, want);
            assert_eq!(r.to_string(), want);
            if n > 0 && vintage <= 9999 {
                assert_eq!(SerialRef::parse(&got), Ok(r));
            }
        }
        assert_eq!(
            SerialRef::parse("BTN01-P7-2024-000001-000002-"),
            Err("expected five dash-separated parts")
        );
        assert_eq!(
            SerialRef::parse("BTN01-P7-2024-000001"),
            Err("expected five dash-separated parts")
        );
    }

    /// The round trip of a whole serial holds exactly when the round trips of its prefix and
    /// its range both hold, for good parts and for every kind of bad one (what lets `check`
    /// do the prefix once per issuance). The whole round trip is the old one: the joined
    /// string written with `format!`, parsed as a whole.
    #[test]
    fn prefix_and_range_round_trips_decide_the_whole_one() {
        let registries = ["BTN01", "btn01", "BT01", "BTN0A", "BTN-1", "BTN012", ""];
        let projects = [
            "P7",
            "P0007",
            "P-7",
            "",
            "P 7",
            "Pé",
            "P7-",
            &"X".repeat(33),
        ];
        let vintages = [2024u16, 999, 1000, 9999, 0, 10000, 65535];
        let numbers = [
            0u64,
            1,
            9,
            999_999,
            1_000_000,
            12_345_678,
            u64::MAX - 1,
            u64::MAX,
        ];
        let mut both = 0;
        let mut neither = 0;
        for registry in registries {
            for project in projects {
                for vintage in vintages {
                    for first in numbers {
                        for last in numbers {
                            let whole = SerialRef {
                                registry,
                                project,
                                vintage,
                                first,
                                last,
                            };
                            let text =
                                format!("{registry}-{project}-{vintage:04}-{first:06}-{last:06}");
                            let whole_ok = SerialRef::parse(&text) == Ok(whole);
                            let (mut p, mut r) = (String::new(), String::new());
                            whole.prefix().write(&mut p).unwrap();
                            whole.range().write(&mut r).unwrap();
                            assert_eq!(format!("{p}-{r}"), text, "write joins the parts");
                            let parts_ok = SerialPrefix::parse(&p) == Ok(whole.prefix())
                                && SerialRange::parse(&r) == Ok(whole.range());
                            assert_eq!(whole_ok, parts_ok, "{text}");
                            if whole_ok {
                                both += 1;
                            } else {
                                neither += 1;
                            }
                        }
                    }
                }
            }
        }
        assert!(
            both > 100 && neither > 100,
            "{both} good and {neither} bad serials"
        );
        assert_eq!(SerialRange::parse("000001-000002-000003"), Err(PARTS));
        assert_eq!(SerialPrefix::parse("BTN01-P7"), Err(PARTS));
    }

    #[test]
    fn digits_value_reads_every_length_as_u64_parse_does() {
        let max = u64::MAX.to_string();
        let mut cases: Vec<String> = (0..=21).map(|n| "9".repeat(n)).collect();
        cases.extend((0..=21).map(|n| "1".to_string() + &"0".repeat(n)));
        cases.extend([
            max.clone(),
            (u64::MAX - 1).to_string(),
            max.replace("615", "616"),
        ]);
        cases.extend(["0".repeat(25), "00000000000000000001".into(), "12a".into()]);
        for s in cases {
            assert_eq!(digits_value(&s), s.parse::<u64>().ok(), "{s:?}");
        }
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
            "BTN01-P7-+024-000001-000002",
            "BTN01-P7-2024-00000a-000002",
            "BTN01-P7-2024-+00001-000002",
            "BTN01-P7-2024-000001-99999999999999999999",
        ] {
            assert!(Serial::parse(bad).is_err(), "{bad}");
        }
    }

    /// A participant types the serial as they read it, without the zero padding: the query
    /// finds the same range. Journals stay strict: only the canonical spelling parses there.
    #[test]
    fn a_query_reads_unpadded_numbers_as_the_canonical_serial() {
        let canonical = Serial::parse("BTN01-P1-2025-000001-000010").unwrap();
        for typed in [
            "BTN01-P1-2025-1-10",
            "BTN01-P1-2025-01-0010",
            " BTN01-P1-2025-1-10 ",
        ] {
            assert_eq!(
                SerialQuery::parse(typed),
                Ok(SerialQuery::Range(canonical.clone())),
                "{typed}"
            );
            assert!(
                Serial::parse(typed.trim()).is_err(),
                "{typed} is not canonical"
            );
        }
        let reversed = SerialQuery::parse("BTN01-P1-2025-10-1").unwrap_err();
        assert_eq!(reversed.reason, "need 1 <= FIRST <= LAST");
        assert!(SerialQuery::parse("BTN01-P1-2025-0-10").is_err());
        // Anything else keeps the strict parse's reason.
        let bad = SerialQuery::parse("BTN1-P1-2025-1-10").unwrap_err();
        assert_eq!(bad, Serial::parse("BTN1-P1-2025-1-10").unwrap_err());
        assert_eq!(
            SerialQuery::parse("garbage").unwrap_err().reason,
            "expected five dash-separated parts"
        );
    }
}
