//! Events and their envelope; the canonical encoding and the hash chain (registry-model §1, §8.1).
//! One job: turn an event into exactly one journal line and back, and say whether a line's hash
//! is right.
//!
//! # Journal line format
//!
//! One JSON object per line (UTF-8, `\n`-terminated) with the fields
//! `actor`, `batch_end`, `batch_id`, `body`, `command_id`, `payload_hash`, `prev_hash`,
//! `schema_version`, `seq`, `ts`, `type` and finally `hash`.
//!
//! **Canonical encoding.** Let `C` be the envelope *without* `hash`, written as compact JSON with
//! the keys of every object (at every depth) sorted by byte order, no whitespace, strings
//! escaped as serde_json escapes them and integers in plain decimal (a JCS/RFC 8785-style
//! encoding; the registry stores no floats). Then `hash = hex(SHA-256(C))` and the stored line
//! is `C` with its closing `}` replaced by `,"hash":"<64 hex>"}`. A verifier therefore drops the
//! fixed 75-byte suffix `,"hash":"…"}`, appends `}` and hashes exactly those bytes; any changed
//! byte anywhere in the line is detected. `prev_hash` is the `hash` of the line before (64 zeros
//! for `seq` 1), so a changed line also breaks the chain after it.

use chrono::NaiveDate;
use serde::de::value::MapDeserializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use super::types::*;

pub const SCHEMA_VERSION: u32 = 1;
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";
pub(crate) const HASH_SUFFIX_LEN: usize = 75; // ,"hash":"<64>"}

/// Block identifier: dense, never reused.
pub type BlockId = u64;

/// One leg of an issuance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegKind {
    Holding,
    Omge,
    Sop,
    Buffer,
    Retention,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leg {
    pub block: BlockId,
    pub first: u64,
    pub last: u64,
    pub account: String,
    pub leg: LegKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub block: BlockId,
    pub first: u64,
    pub last: u64,
}

/// Why units moved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MoveKind {
    /// Domestic or international transfer. `acquiring_party` is set for international moves.
    Transfer {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        acquiring_party: Option<String>,
    },
    /// Use towards an NDC in `use_year`.
    Use {
        use_year: u16,
        beneficiary: Beneficiary,
    },
    /// Retirement for a structured beneficiary (OIMP use or voluntary retirement).
    Retire {
        beneficiary: Beneficiary,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        authorized_entity: Option<String>,
    },
    Cancel {
        subtype: CancelSubtype,
        reason: String,
    },
}

/// The domain events. Serialized as `"type"` + `"body"` in the envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body")]
pub enum Event {
    PartyRegistered {
        code: String,
        registry_id: String,
        name: String,
        ndc_first_year: Option<u16>,
        ndc_last_year: Option<u16>,
    },
    OrganizationRegistered {
        id: String,
        name: String,
        country: String,
        roles: Vec<Role>,
    },
    AccountOpened {
        id: String,
        owner: String,
        party: String,
        kind: AccountKind,
    },
    ProjectRegistered {
        id: String,
        name: String,
        sector: String,
        mechanism: Mechanism,
        host: String,
        developer: String,
        methodology: String,
        unit_type: UnitType,
        covered_by_ndc: String,
        link: String,
    },
    ProjectStepRecorded {
        project: String,
        step: ActivityStep,
        date: NaiveDate,
    },
    ValidationRecorded {
        id: String,
        project: String,
        vvb: String,
        date: NaiveDate,
        crediting_start: u16,
        crediting_end: u16,
    },
    VerificationRecorded {
        id: String,
        project: String,
        vvb: String,
        date: NaiveDate,
        monitoring_start: u16,
        monitoring_end: u16,
        verified_quantity: u64,
    },
    EstimationAdded {
        project: String,
        year: u16,
        unit_count: u64,
    },
    LabelAttached {
        project: String,
        label_type: String,
        name: String,
        link: String,
        date: NaiveDate,
    },
    ApproachRecorded {
        id: String,
        title: String,
        host: String,
        parties: Vec<String>,
    },
    ApproachStatusSet {
        id: String,
        status: ApproachStatus,
    },
    AuthorizationRecorded {
        id: String,
        version: u32,
        date: NaiveDate,
        approach: String,
        purpose: Purpose,
        acquiring_parties: Vec<String>,
        entities: Vec<String>,
        authorized_quantity: Option<u64>,
        period_start: u16,
        period_end: u16,
        first_transfer_definition: Option<FirstTransferDefinition>,
    },
    Issued {
        issuance_id: String,
        project: String,
        registry: String,
        vintage: u16,
        unit_type: UnitType,
        verification: Option<String>,
        first: u64,
        last: u64,
        class: Class,
        authorization: Option<String>,
        /// Business date when back-filling (import); else the event's `ts` date.
        date: Option<NaiveDate>,
        legs: Vec<Leg>,
    },
    /// ImportIn: units acquired from another registry; they arrive first-transferred.
    Acquired {
        issuance_id: String,
        project: String,
        registry: String,
        vintage: u16,
        unit_type: UnitType,
        first: u64,
        last: u64,
        block: BlockId,
        account: String,
        from_party: String,
        class: Class,
        authorization: Option<String>,
    },
    Split {
        parent: BlockId,
        children: Vec<Piece>,
    },
    Moved {
        blocks: Vec<BlockId>,
        from: String,
        to: String,
        kind: MoveKind,
    },
    /// MO → ITMO for whole blocks (partial authorizations are split first).
    Authorized {
        blocks: Vec<BlockId>,
        authorization: String,
        date: Option<NaiveDate>,
    },
    Frozen {
        blocks: Vec<BlockId>,
        reason: String,
    },
    Unfrozen {
        blocks: Vec<BlockId>,
        reason: String,
    },
    CommandRejected {
        rule: String,
        message: String,
    },
    /// Phase 1 of a retirement: the blocks are reserved for request `id` (invariant 15).
    RetirementRequested {
        id: String,
        from: String,
        to: String,
        blocks: Vec<BlockId>,
        subtype: RetirementSubtype,
        beneficiary: Beneficiary,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        use_year: Option<u16>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        authorized_entity: Option<String>,
    },
    /// Phase 1 of an MO → ITMO authorization: the blocks are reserved for request `id`.
    ItmoAuthorizationRequested {
        id: String,
        account: String,
        authorization: String,
        blocks: Vec<BlockId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date: Option<NaiveDate>,
    },
    /// A request resolved by approval: every reserved block is released and `blocks` (all of
    /// them, or the approved part) are then moved or authorized in the same batch.
    RequestApproved {
        id: String,
        blocks: Vec<BlockId>,
    },
    RequestRejected {
        id: String,
        reason: String,
    },
    RequestCancelled {
        id: String,
        reason: String,
    },
    InitialReportFiled {
        approach: String,
        version: u32,
        status: ReportStatus,
    },
    AuthorizedEntityRecorded {
        organization: String,
        approach: String,
        date: NaiveDate,
        conditions: String,
        revocation_conditions: String,
        status: EntityStatus,
    },
    CaRecorded {
        approach: String,
        year: u16,
        quantity: u64,
    },
    CaSubmitted {
        approach: String,
        year: u16,
    },
    CaApproved {
        approach: String,
        year: u16,
    },
    YearClosed {
        year: u16,
    },
    /// Display metadata for event `seq`; the original event is untouched.
    Annotated {
        seq: u64,
        fields: std::collections::BTreeMap<String, String>,
        reason: String,
    },
}

impl Event {
    /// Events folded by `state::lifecycle` (two-phase requests, approach lifecycle, CA
    /// records, markers and annotations).
    pub fn is_lifecycle(&self) -> bool {
        matches!(
            self,
            Event::RetirementRequested { .. }
                | Event::ItmoAuthorizationRequested { .. }
                | Event::RequestApproved { .. }
                | Event::RequestRejected { .. }
                | Event::RequestCancelled { .. }
                | Event::InitialReportFiled { .. }
                | Event::AuthorizedEntityRecorded { .. }
                | Event::CaRecorded { .. }
                | Event::CaSubmitted { .. }
                | Event::CaApproved { .. }
                | Event::YearClosed { .. }
                | Event::Annotated { .. }
        )
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Event::PartyRegistered { .. } => "PartyRegistered",
            Event::OrganizationRegistered { .. } => "OrganizationRegistered",
            Event::AccountOpened { .. } => "AccountOpened",
            Event::ProjectRegistered { .. } => "ProjectRegistered",
            Event::ProjectStepRecorded { .. } => "ProjectStepRecorded",
            Event::ValidationRecorded { .. } => "ValidationRecorded",
            Event::VerificationRecorded { .. } => "VerificationRecorded",
            Event::EstimationAdded { .. } => "EstimationAdded",
            Event::LabelAttached { .. } => "LabelAttached",
            Event::ApproachRecorded { .. } => "ApproachRecorded",
            Event::ApproachStatusSet { .. } => "ApproachStatusSet",
            Event::AuthorizationRecorded { .. } => "AuthorizationRecorded",
            Event::Issued { .. } => "Issued",
            Event::Acquired { .. } => "Acquired",
            Event::Split { .. } => "Split",
            Event::Moved { .. } => "Moved",
            Event::Authorized { .. } => "Authorized",
            Event::Frozen { .. } => "Frozen",
            Event::Unfrozen { .. } => "Unfrozen",
            Event::CommandRejected { .. } => "CommandRejected",
            Event::RetirementRequested { .. } => "RetirementRequested",
            Event::ItmoAuthorizationRequested { .. } => "ItmoAuthorizationRequested",
            Event::RequestApproved { .. } => "RequestApproved",
            Event::RequestRejected { .. } => "RequestRejected",
            Event::RequestCancelled { .. } => "RequestCancelled",
            Event::InitialReportFiled { .. } => "InitialReportFiled",
            Event::AuthorizedEntityRecorded { .. } => "AuthorizedEntityRecorded",
            Event::CaRecorded { .. } => "CaRecorded",
            Event::CaSubmitted { .. } => "CaSubmitted",
            Event::CaApproved { .. } => "CaApproved",
            Event::YearClosed { .. } => "YearClosed",
            Event::Annotated { .. } => "Annotated",
        }
    }
}

/// An event with its envelope, as stored on one journal line.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub seq: u64,
    pub ts: String,
    pub actor: Actor,
    pub command_id: String,
    pub payload_hash: String,
    pub batch_id: u64,
    pub batch_end: bool,
    pub schema_version: u32,
    pub prev_hash: String,
    pub hash: String,
    pub event: Event,
}

impl Envelope {
    /// Calendar year of `ts` (ISO-8601, so the first four characters).
    pub fn year(&self) -> u16 {
        self.ts.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0)
    }
    pub fn date(&self) -> NaiveDate {
        parse_ymd(&self.ts).unwrap_or_default()
    }

    /// Encode as one journal line (with trailing `\n`), computing `hash`. Returns the line; the
    /// caller sets `self.hash` from [`line_hash`] or uses [`Envelope::seal`].
    pub fn seal(&mut self) -> Result<Vec<u8>, serde_json::Error> {
        let mut out = Vec::with_capacity(512);
        self.seal_into(&mut out)?;
        Ok(out)
    }

    /// [`Envelope::seal`], appending the line to `out` (no allocation besides `hash`). Uses the
    /// direct writer ([`super::canonical`]); anything it declines goes through
    /// [`Envelope::seal_reference`], so the bytes are the same either way.
    pub fn seal_into(&mut self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        let start = out.len();
        if self.seal_direct(out).is_err() {
            out.truncate(start);
            let line = self.seal_reference()?;
            out.extend_from_slice(&line);
        }
        Ok(())
    }

    /// [`Envelope::seal_into`] through the direct writer only (an error when it declines the
    /// event; `out` may then hold a partial line).
    pub fn seal_direct(
        &mut self,
        out: &mut Vec<u8>,
    ) -> Result<(), super::canonical::CanonicalError> {
        let start = out.len();
        super::canonical::with_writer(|w| {
            self.write_canonical(w)?;
            out.extend_from_slice(&w.out);
            Ok::<(), super::canonical::CanonicalError>(())
        })?;
        let digest = Sha256::digest(&out[start..]);
        self.hash = HexDigest::of(&digest.into()).as_str().to_string();
        out.pop(); // closing brace
        out.extend_from_slice(b",\"hash\":\"");
        out.extend_from_slice(self.hash.as_bytes());
        out.extend_from_slice(b"\"}\n");
        Ok(())
    }

    /// The canonical form `C` (without `hash`) through the direct writer. The envelope's keys
    /// are written here; the event contributes `type` and `body` through its own `Serialize`
    /// (adjacently tagged), so a new event variant needs nothing here.
    fn write_canonical(
        &self,
        w: &mut super::canonical::CanonicalWriter,
    ) -> Result<(), super::canonical::CanonicalError> {
        let f = w.begin_object();
        w.field("actor", &self.actor)?;
        w.field("batch_end", &self.batch_end)?;
        w.field("batch_id", &self.batch_id)?;
        w.field("command_id", &self.command_id)?;
        w.field("payload_hash", &self.payload_hash)?;
        w.field("prev_hash", &self.prev_hash)?;
        w.field("schema_version", &self.schema_version)?;
        w.field("seq", &self.seq)?;
        w.field("ts", &self.ts)?;
        let from = w.merge(&self.event)?;
        // The reference path keeps only `type` and `body` (missing ones become null).
        let (mut has_type, mut has_body) = (false, false);
        for k in w.keys_from(from) {
            match k {
                Some("type") => has_type = true,
                Some("body") => has_body = true,
                _ => {
                    return Err(super::canonical::CanonicalError::Unsupported(
                        "event has keys besides type and body",
                    ));
                }
            }
        }
        if !has_type {
            w.null_field("type");
        }
        if !has_body {
            w.null_field("body");
        }
        w.end_object(f)
    }

    /// Reference encoding through `serde_json::Value` and [`canonical`] (the original
    /// implementation). Kept as the specification the direct writer is tested against.
    pub fn seal_reference(&mut self) -> Result<Vec<u8>, serde_json::Error> {
        let mut v = serde_json::to_value(&self.event)?;
        let (ty, body) = match v.as_object_mut() {
            Some(m) => (
                m.remove("type").unwrap_or(Value::Null),
                m.remove("body").unwrap_or(Value::Null),
            ),
            None => (Value::Null, Value::Null),
        };
        let mut m = serde_json::Map::new();
        m.insert("actor".into(), serde_json::to_value(&self.actor)?);
        m.insert("batch_end".into(), Value::Bool(self.batch_end));
        m.insert("batch_id".into(), Value::from(self.batch_id));
        m.insert("body".into(), body);
        m.insert("command_id".into(), Value::from(self.command_id.clone()));
        m.insert(
            "payload_hash".into(),
            Value::from(self.payload_hash.clone()),
        );
        m.insert("prev_hash".into(), Value::from(self.prev_hash.clone()));
        m.insert("schema_version".into(), Value::from(self.schema_version));
        m.insert("seq".into(), Value::from(self.seq));
        m.insert("ts".into(), Value::from(self.ts.clone()));
        m.insert("type".into(), ty);
        let mut out = Vec::with_capacity(512);
        canonical(&Value::Object(m), &mut out)?;
        let digest = Sha256::digest(&out);
        self.hash = hex::encode(digest);
        out.pop(); // closing brace
        out.extend_from_slice(b",\"hash\":\"");
        out.extend_from_slice(self.hash.as_bytes());
        out.extend_from_slice(b"\"}\n");
        Ok(out)
    }

    /// Parse one line (without the trailing newline). Does not verify the hash.
    pub fn parse(line: &[u8]) -> Result<Envelope, serde_json::Error> {
        let w: Wire<'_> = serde_json::from_slice(line)?;
        let pairs = [("type", w.ty), ("body", w.body)];
        let event = Event::deserialize(MapDeserializer::<_, serde_json::Error>::new(
            pairs.into_iter(),
        ))?;
        Ok(Envelope {
            seq: w.seq,
            ts: w.ts,
            actor: w.actor,
            command_id: w.command_id,
            payload_hash: w.payload_hash,
            batch_id: w.batch_id,
            batch_end: w.batch_end,
            schema_version: w.schema_version,
            prev_hash: w.prev_hash,
            hash: w.hash,
            event,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire<'a> {
    seq: u64,
    ts: String,
    actor: Actor,
    command_id: String,
    payload_hash: String,
    batch_id: u64,
    batch_end: bool,
    schema_version: u32,
    prev_hash: String,
    hash: String,
    #[serde(borrow, rename = "type")]
    ty: &'a RawValue,
    #[serde(borrow)]
    body: &'a RawValue,
}

/// Fast `YYYY-MM-DD…` prefix parser (replay hot path).
pub fn parse_ymd(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)
        })
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// Recompute the hash of a stored line (without its newline): SHA-256 of the canonical bytes
/// (line minus the `,"hash":"…"` suffix, plus `}`). `None` if the line has no hash suffix.
pub fn line_hash(line: &[u8]) -> Option<[u8; 32]> {
    let n = line.len();
    if n < HASH_SUFFIX_LEN + 2 || !line[n - HASH_SUFFIX_LEN..].starts_with(b",\"hash\":\"") {
        return None;
    }
    let mut h = Sha256::new();
    h.update(&line[..n - HASH_SUFFIX_LEN]);
    h.update(b"}");
    Some(h.finalize().into())
}

/// A SHA-256 digest spelt in lowercase hex, as journal lines carry it (`hash`, `prev_hash`).
///
/// Invariant: it is only ever made by spelling a digest, so it holds 64 bytes of `0-9a-f` and
/// nothing else. The journal reader relies on that to recognise a line's hash fields by
/// comparing their bytes with a known digest in place (a quote or backslash in a known value
/// could otherwise fake the end of a JSON string).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct HexDigest([u8; 64]);

/// The lowercase hex digit of a nibble (0..=15), without a table: the loop in
/// [`HexDigest::of`] is then plain arithmetic on 32 bytes, which the compiler vectorizes (a
/// table lookup per byte cannot be).
#[inline(always)]
fn hex_digit(n: u8) -> u8 {
    // '0'..='9' for 0..=9; from 10 on, 39 more lands on 'a'..='f'.
    n + b'0' + ((n > 9) as u8) * 39
}

impl HexDigest {
    pub fn of(digest: &[u8; 32]) -> HexDigest {
        let mut spelt = [0u8; 64];
        for (pair, &x) in spelt.as_chunks_mut::<2>().0.iter_mut().zip(digest) {
            *pair = [hex_digit(x >> 4), hex_digit(x & 15)];
        }
        HexDigest(spelt)
    }

    /// [`GENESIS_HASH`]: the `prev_hash` of the first event.
    pub fn genesis() -> HexDigest {
        HexDigest::of(&[0; 32])
    }

    pub fn as_bytes(&self) -> &[u8; 64] {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        // Always hex (see the invariant), so never the empty fallback.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl std::fmt::Debug for HexDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Canonical JSON: keys sorted at every depth, compact. Independent of serde_json's map
/// ordering feature.
pub fn canonical(v: &Value, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push(b'{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut *out, k)?;
                out.push(b':');
                if let Some(x) = m.get(*k) {
                    canonical(x, out)?;
                }
            }
            out.push(b'}');
        }
        Value::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                canonical(x, out)?;
            }
            out.push(b']');
        }
        other => serde_json::to_writer(&mut *out, other)?,
    }
    Ok(())
}

/// SHA-256 (hex) of the canonical encoding of any serializable payload (direct writer, with
/// the reference path for anything it declines; same bytes either way).
pub fn payload_hash<T: Serialize>(payload: &T) -> Result<String, serde_json::Error> {
    let fast = super::canonical::with_writer(|w| {
        payload.serialize(&mut *w)?;
        let digest = Sha256::digest(&w.out).into();
        Ok::<_, super::canonical::CanonicalError>(HexDigest::of(&digest).as_str().to_string())
    });
    match fast {
        Ok(h) => Ok(h),
        Err(_) => payload_hash_reference(payload),
    }
}

/// Reference implementation of [`payload_hash`] (through `serde_json::Value`).
pub fn payload_hash_reference<T: Serialize>(payload: &T) -> Result<String, serde_json::Error> {
    let v = serde_json::to_value(payload)?;
    let mut out = Vec::with_capacity(256);
    canonical(&v, &mut out)?;
    Ok(hex::encode(Sha256::digest(&out)))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn seal_parse_round_trip() {
        let mut e = Envelope {
            seq: 1,
            ts: "2025-01-01T00:00:00Z".into(),
            actor: Actor::system(),
            command_id: "c1".into(),
            payload_hash: "ab".into(),
            batch_id: 1,
            batch_end: true,
            schema_version: SCHEMA_VERSION,
            prev_hash: GENESIS_HASH.into(),
            hash: String::new(),
            event: Event::Moved {
                blocks: vec![1, 2],
                from: "A".into(),
                to: "B".into(),
                kind: MoveKind::Cancel {
                    subtype: CancelSubtype::Omge,
                    reason: "x\"y".into(),
                },
            },
        };
        let line = e.seal().unwrap();
        let body = &line[..line.len() - 1];
        let back = Envelope::parse(body).unwrap();
        assert_eq!(back, e);
        let d = line_hash(body).unwrap();
        let spelt_apart: String = d.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(HexDigest::of(&d).as_str(), spelt_apart);
        assert_eq!(e.hash, spelt_apart);
        assert_eq!(HexDigest::genesis().as_str(), GENESIS_HASH);
        // Every byte value, in every position of a digest, spelt as `{:02x}` spells it.
        for start in 0..256usize {
            let d: [u8; 32] = std::array::from_fn(|k| ((start + k * 8) % 256) as u8);
            let apart: String = d.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(HexDigest::of(&d).as_str(), apart, "digest from {start}");
        }
        let s = String::from_utf8(line.clone()).unwrap();
        assert!(s.starts_with("{\"actor\":{\"org\":\"REG\""), "{s}");
    }
}
