//! Fast reading of journal lines. One job: turn a stored line into an [`Envelope`] quickly,
//! reusing the envelope's allocations, with exactly the verdicts of [`Envelope::parse`].
//!
//! Replay spends most of its time here (a 1,000,000-event journal is ~590 MB of JSON), so the
//! common case gets a hand-written reader:
//!
//! - **Fast path**: the line is in the canonical layout the registry writes (keys in byte order,
//!   no whitespace, see [`super::event`]), no byte of it is a control character, every envelope
//!   string is free of escapes, every integer is plain decimal without leading zeros. The envelope's fields
//!   are read in place into the caller's [`Envelope`] (`String`s are cleared and refilled, so
//!   replay allocates nothing for them), and the body is deserialized once, straight from the
//!   line, as the variant its `type` names. The bodies that make up almost all of a busy
//!   journal (splits, moves of every kind, issuances, authorizations, freezes, rejections,
//!   request approvals) are read by hand in their canonical layout, refilling the strings and
//!   lists of the last event of the same kind (a [`LineReader`] keeps one of each); the rest go
//!   through serde.
//! - **Known hashes**: a verifying reader already knows a line's `prev_hash` (the hash of the
//!   line before) and its `hash` (it computes the digest first), and passes both as
//!   [`HexDigest`] hints: where the line holds them, they are recognised by comparing 65 bytes,
//!   not scanned. Hints never change a result, only its cost.
//! - **Anything else** (keys in another order, whitespace, escapes, an unknown key, a number
//!   that does not fit, bad UTF-8, a body that does not deserialize) declines the fast path and
//!   goes through [`Envelope::parse`], which is the authority: it accepts or refuses the line
//!   with its own error. The fast path therefore never refuses a line; it only ever accepts lines
//!   that `Envelope::parse` accepts, with the same result (tested on every event kind and on
//!   synth journals, on damaged lines and with right and wrong hints in
//!   `tests/registry_canonical.rs`).

use serde::Deserialize;
use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, StrDeserializer};
use serde::de::{DeserializeSeed, MapAccess};

use chrono::NaiveDate;

use super::bytes16::{self, eq_mask};
use super::event::{Envelope, Event, HexDigest, Leg, MoveKind, Piece};
use super::short_eq::same;
use super::types::{Beneficiary, CancelSubtype, Class, RetirementSubtype, Role, UnitType};

/// Parse `line` (without its newline) into `env`, reusing `env`'s allocations. Same verdict and
/// same result as [`Envelope::parse`]; `env` holds garbage after an error.
pub fn parse_into(line: &[u8], env: &mut Envelope) -> Result<(), serde_json::Error> {
    read_into(
        line,
        env,
        &mut Spares::default(),
        &mut Previous::default(),
        None,
    )
}

/// The fast path, and [`Envelope::parse`] where it declines.
fn read_into(
    line: &[u8],
    env: &mut Envelope,
    spares: &mut Spares,
    prev: &mut Previous,
    hints: Option<(&HexDigest, &HexDigest)>,
) -> Result<(), serde_json::Error> {
    let read = fast(line, env, spares, prev, hints).is_some();
    // Only what the fast path wrote is known to hold no quote or backslash.
    prev.trusted = read;
    if !read {
        *env = Envelope::parse(line)?;
    }
    Ok(())
}

/// What a reader knows of the line it read before, to recognise what the next line repeats
/// (the actor, the command id and payload hash of a batch, the timestamp of a second, the
/// previous hash) by comparing bytes instead of reading and copying them.
#[derive(Debug, Default)]
struct Previous {
    /// The envelope holds what the fast path read from the line before, so none of its
    /// strings holds a quote or a backslash: a string of the next line that equals one of
    /// them, byte for byte and followed by a quote, is that same string.
    trusted: bool,
    /// The bytes of the line before up to the end of its actor object (`{"actor":{…}`), which
    /// the envelope's actor was read from.
    actor: Vec<u8>,
    /// How the line before spelt its batch id and its seq: a line's seq is one more, its batch
    /// id the same or (after a batch's end) one more.
    batch_id: Spelt,
    seq: Spelt,
}

/// The decimal digits of a number the fast path read (up to 18 of them: one more still fits
/// a `u64`), to recognise the number that comes next by comparing bytes, not reading digits.
/// Empty (`len` 0) when unknown.
#[derive(Debug, Default, Clone, Copy)]
struct Spelt {
    /// `digits[..len]` spell the number; the rest are zero bytes.
    digits: [u8; 24],
    len: usize,
}

impl Spelt {
    const MOST: usize = 18;

    /// Keep `text` (the digits as read), or forget when it is longer than [`Spelt::MOST`].
    fn set(&mut self, text: &[u8]) {
        *self = Spelt::default();
        if text.len() <= Spelt::MOST {
            self.digits[..text.len()].copy_from_slice(text);
            self.len = text.len();
        }
    }

    /// Spell the next number (one more), in place: trailing nines become zeros and the digit
    /// before them goes up; all nines become a one followed by zeros.
    fn increment(&mut self) {
        let n = self.len;
        for d in self.digits[..n].iter_mut().rev() {
            if *d == b'9' {
                *d = b'0';
            } else {
                *d += 1;
                return;
            }
        }
        if n == 0 || n == Spelt::MOST {
            // Nothing known, or a number too long to keep: forget it.
            *self = Spelt::default();
            return;
        }
        self.digits[0] = b'1';
        self.digits[n] = b'0';
        self.len = n + 1;
    }

    /// Whether `text` starts with these digits (any number of them; nothing is known when
    /// `len` is 0). What follows the digits is the caller's to check.
    fn starts(&self, text: &[u8]) -> bool {
        let n = self.len;
        if n == 0 {
            return false;
        }
        // Up to eight digits: one masked word (the digits' zero padding is masked off).
        if let (true, Some(word)) = (n <= 8, text.first_chunk::<8>()) {
            let mask = u64::MAX >> (8 * (8 - n));
            let mut own = [0u8; 8];
            own.copy_from_slice(&self.digits[..8]);
            return (u64::from_le_bytes(*word) ^ u64::from_le_bytes(own)) & mask == 0;
        }
        text.get(..n).is_some_and(|t| same(t, &self.digits[..n]))
    }
}

/// Reads a journal line after line into one envelope, and keeps the last body of every kind
/// that is read by hand, so that each line refills the strings, legs and block lists of the
/// last event of its own kind, not only of the line before (busy journals alternate kinds:
/// without this, most lines allocated and freed their body's strings and lists).
#[derive(Debug)]
pub struct LineReader {
    env: Envelope,
    spares: Spares,
    prev: Previous,
}

impl Default for LineReader {
    fn default() -> Self {
        LineReader {
            env: blank_envelope(),
            spares: Spares::default(),
            prev: Previous::default(),
        }
    }
}

impl LineReader {
    /// Read `line` (without its newline): same verdict and same result as
    /// [`Envelope::parse`]. After an error the reader holds garbage until the next line.
    pub fn read(&mut self, line: &[u8]) -> Result<&Envelope, serde_json::Error> {
        self.read_chained(line, None)
    }

    /// [`LineReader::read`] for a line whose `prev_hash` and `hash` are expected to be the
    /// given digests (a verifying reader knows both: the hash of the line before, and the one
    /// it computed for this line). Where they are, the fields are recognised by comparing
    /// their bytes, not scanned; where not, they are read as any string. Same result either
    /// way: the hints only save time.
    pub fn read_chained(
        &mut self,
        line: &[u8],
        hints: Option<(&HexDigest, &HexDigest)>,
    ) -> Result<&Envelope, serde_json::Error> {
        read_into(line, &mut self.env, &mut self.spares, &mut self.prev, hints)?;
        Ok(&self.env)
    }
}

/// The kinds [`body_fast`] reads by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hand {
    Split,
    Moved,
    Issued,
    Authorized,
    Frozen,
    Unfrozen,
    RequestApproved,
    CommandRejected,
    RetirementRequested,
    ItmoAuthorizationRequested,
}

impl Hand {
    const ALL: [Hand; 10] = [
        Hand::Split,
        Hand::Moved,
        Hand::Issued,
        Hand::Authorized,
        Hand::Frozen,
        Hand::Unfrozen,
        Hand::RequestApproved,
        Hand::CommandRejected,
        Hand::RetirementRequested,
        Hand::ItmoAuthorizationRequested,
    ];

    /// The `type` name, as [`Event::type_name`] spells it.
    fn name(self) -> &'static str {
        match self {
            Hand::Split => "Split",
            Hand::Moved => "Moved",
            Hand::Issued => "Issued",
            Hand::Authorized => "Authorized",
            Hand::Frozen => "Frozen",
            Hand::Unfrozen => "Unfrozen",
            Hand::RequestApproved => "RequestApproved",
            Hand::CommandRejected => "CommandRejected",
            Hand::RetirementRequested => "RetirementRequested",
            Hand::ItmoAuthorizationRequested => "ItmoAuthorizationRequested",
        }
    }

    /// An empty event of this kind, for [`body_fast`] to fill the first time the kind comes.
    fn blank(self) -> Event {
        match self {
            Hand::Split => Event::Split {
                parent: 0,
                children: Vec::new(),
            },
            Hand::Moved => Event::Moved {
                blocks: Vec::new(),
                from: String::new(),
                to: String::new(),
                kind: MoveKind::Transfer {
                    acquiring_party: None,
                },
            },
            Hand::Issued => Event::Issued {
                issuance_id: String::new(),
                project: String::new(),
                registry: String::new(),
                vintage: 0,
                unit_type: UnitType::default(),
                verification: None,
                first: 0,
                last: 0,
                class: Class::Mo,
                authorization: None,
                date: None,
                legs: Vec::new(),
            },
            Hand::Authorized => Event::Authorized {
                blocks: Vec::new(),
                authorization: String::new(),
                date: None,
            },
            Hand::Frozen => Event::Frozen {
                blocks: Vec::new(),
                reason: String::new(),
            },
            Hand::Unfrozen => Event::Unfrozen {
                blocks: Vec::new(),
                reason: String::new(),
            },
            Hand::RequestApproved => Event::RequestApproved {
                id: String::new(),
                blocks: Vec::new(),
            },
            Hand::CommandRejected => Event::CommandRejected {
                rule: String::new(),
                message: String::new(),
            },
            Hand::RetirementRequested => Event::RetirementRequested {
                id: String::new(),
                from: String::new(),
                to: String::new(),
                blocks: Vec::new(),
                subtype: RetirementSubtype::default(),
                beneficiary: blank_beneficiary(),
                use_year: None,
                authorized_entity: None,
            },
            Hand::ItmoAuthorizationRequested => Event::ItmoAuthorizationRequested {
                id: String::new(),
                account: String::new(),
                authorization: String::new(),
                blocks: Vec::new(),
                date: None,
            },
        }
    }

    /// The kind of `event`, when it is read by hand (by its variant: no name is compared).
    fn of(event: &Event) -> Option<Hand> {
        Some(match event {
            Event::Split { .. } => Hand::Split,
            Event::Moved { .. } => Hand::Moved,
            Event::Issued { .. } => Hand::Issued,
            Event::Authorized { .. } => Hand::Authorized,
            Event::Frozen { .. } => Hand::Frozen,
            Event::Unfrozen { .. } => Hand::Unfrozen,
            Event::RequestApproved { .. } => Hand::RequestApproved,
            Event::CommandRejected { .. } => Hand::CommandRejected,
            Event::RetirementRequested { .. } => Hand::RetirementRequested,
            Event::ItmoAuthorizationRequested { .. } => Hand::ItmoAuthorizationRequested,
            _ => return None,
        })
    }
}

/// The last body of each kind [`body_fast`] reads, kept for its allocations: slot `at[k]`
/// holds the last event of the kind `Hand::ALL[k]` (or a placeholder of another kind, which
/// the reader replaces).
///
/// `at` is a permutation of the slots. The slot of the reader's event's kind holds no event
/// of that kind (the event came out of it): it is the one slot free, so a swap with it loses
/// nothing. An event of another kind in a slot is a placeholder, replaced when its slot's
/// kind comes.
#[derive(Debug)]
struct Spares {
    events: [Event; Hand::ALL.len()],
    at: [u8; Hand::ALL.len()],
    /// The last move kind of each variant ([`kind_slot`]) other than the one the `Moved` event
    /// holds: moves alternate between transfers, retirements, uses and cancellations, and a
    /// retirement's beneficiary is four strings to refill rather than allocate.
    kinds: [Option<MoveKind>; 4],
}

impl Default for Spares {
    fn default() -> Self {
        Spares {
            events: std::array::from_fn(|_| Event::YearClosed { year: 0 }),
            at: std::array::from_fn(|k| k as u8),
            kinds: Default::default(),
        }
    }
}

/// The slots of [`Spares::kinds`], one per [`MoveKind`] variant.
const TRANSFER: usize = 0;
const RETIRE: usize = 1;
const USE: usize = 2;
const CANCEL: usize = 3;

/// The slot of `kind`'s variant in [`Spares::kinds`].
fn kind_slot(kind: &MoveKind) -> usize {
    match kind {
        MoveKind::Transfer { .. } => TRANSFER,
        MoveKind::Retire { .. } => RETIRE,
        MoveKind::Use { .. } => USE,
        MoveKind::Cancel { .. } => CANCEL,
    }
}

/// An empty move kind of the variant in `slot` (see [`kind_slot`]).
fn blank_kind(slot: usize) -> MoveKind {
    match slot {
        TRANSFER => MoveKind::Transfer {
            acquiring_party: None,
        },
        RETIRE => MoveKind::Retire {
            beneficiary: blank_beneficiary(),
            authorized_entity: None,
        },
        USE => MoveKind::Use {
            use_year: 0,
            beneficiary: blank_beneficiary(),
        },
        _ => MoveKind::Cancel {
            subtype: CancelSubtype::Voluntary,
            reason: String::new(),
        },
    }
}

fn blank_beneficiary() -> Beneficiary {
    Beneficiary {
        name: String::new(),
        id: String::new(),
        country: String::new(),
        purpose: String::new(),
    }
}

/// Make `kind` of the variant in `slot`: the kind there goes back to its own slot of
/// `spares`, and the spare of the wanted variant (or a blank one) takes its place.
fn ready_kind(kind: &mut MoveKind, spares: &mut [Option<MoveKind>; 4], slot: usize) {
    let current = kind_slot(kind);
    if current == slot {
        return;
    }
    let wanted = spares[slot].take().unwrap_or_else(|| blank_kind(slot));
    spares[current] = Some(std::mem::replace(kind, wanted));
}

/// `dst` := `Some(s)`, refilling the string `dst` holds.
fn set_some(dst: &mut Option<String>, s: &str) {
    match dst {
        Some(d) => set(d, s),
        None => *dst = Some(s.to_string()),
    }
}

/// `dst` := `src`, refilling the string `dst` holds where both are some.
fn set_opt(dst: &mut Option<String>, src: Option<&str>) {
    match src {
        Some(s) => set_some(dst, s),
        None => *dst = None,
    }
}

impl Spares {
    /// Make `event` the last event of the kind `hand` (a [`Hand::blank`] the first time): one
    /// swap with that event's slot, where the event there (the line before's) then stays as
    /// the last of its kind; its kind's old slot, the free one, becomes `hand`'s. None when the
    /// line before had the same kind. Afterwards `event` is of kind `hand`.
    ///
    /// Never inlined: an event is 224 bytes, and whether the compiler inlined the swap into
    /// the large reader that calls this changed from build to build with unrelated code;
    /// where it did not, it ran as a loop over words at twice the instructions (callgrind).
    /// Into this small function the compiler inlines it.
    #[inline(never)]
    fn ready(&mut self, hand: Hand, event: &mut Event) {
        let current = Hand::of(event);
        if current == Some(hand) {
            return;
        }
        let slot = self.at[hand as usize];
        std::mem::swap(event, &mut self.events[slot as usize]);
        if let Some(j) = current {
            // `j`'s event now fills `hand`'s old slot; `j`'s old slot was the free one.
            self.at[hand as usize] = self.at[j as usize];
            self.at[j as usize] = slot;
        }
        if Hand::of(event) != Some(hand) {
            *event = hand.blank();
        }
    }
}

/// An envelope to parse into (its strings grow to the journal's sizes once, then are reused).
pub fn blank_envelope() -> Envelope {
    Envelope {
        seq: 0,
        ts: String::new(),
        actor: super::types::Actor::system(),
        command_id: String::new(),
        payload_hash: String::new(),
        batch_id: 0,
        batch_end: false,
        schema_version: 0,
        prev_hash: String::new(),
        hash: String::new(),
        event: Event::YearClosed { year: 0 },
    }
}

/// The fast path alone: `true` when it read the line (then `env` equals what
/// [`Envelope::parse`] gives), `false` when it declined (then `env` holds garbage). For tests
/// and measurements; readers call [`parse_into`].
pub fn parse_fast(line: &[u8], env: &mut Envelope) -> bool {
    fast(
        line,
        env,
        &mut Spares::default(),
        &mut Previous::default(),
        None,
    )
    .is_some()
}

/// The canonical layout, read in order. `None` declines (the caller falls back).
fn fast(
    line: &[u8],
    env: &mut Envelope,
    spares: &mut Spares,
    prev: &mut Previous,
    hints: Option<(&HexDigest, &HexDigest)>,
) -> Option<()> {
    // No control character anywhere: canonical lines escape them inside strings and have no
    // whitespace outside, and with this settled once the string reader looks for quotes and
    // backslashes only. The same pass finds the largest byte: a line without a byte above
    // 0x7F is ASCII, so UTF-8; any other line is checked as UTF-8 once, whole (the reference
    // path reads every string and the raw body as `&str`, so an invalid byte anywhere makes
    // it refuse the line too). (A minimum and a maximum over the line: the compiler makes
    // them a few vector ops.)
    let (low, high) = line
        .iter()
        .fold((u8::MAX, 0u8), |(lo, hi), &c| (lo.min(c), hi.max(c)));
    if low < 0x20 {
        return None;
    }
    let text = if high < 0x80 {
        // SAFETY: every byte is below 0x80, so the line is ASCII, which is valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(line) }
    } else {
        simdutf8::basic::from_utf8(line).ok()?
    };
    let mut c = Cursor { s: text, i: 0 };
    let trusted = std::mem::take(&mut prev.trusted);
    if trusted
        && !prev.actor.is_empty()
        && line
            .get(..prev.actor.len())
            .is_some_and(|start| same(start, &prev.actor))
    {
        // The same actor object as the line before, which the envelope holds.
        c.i = prev.actor.len();
    } else {
        c.lit(b"{\"actor\":{\"org\":\"")?;
        set(&mut env.actor.org, c.string()?);
        c.lit(b",\"role\":\"")?;
        env.actor.role = named::<Role>(c.string()?)?;
        c.lit(b",\"user\":\"")?;
        set(&mut env.actor.user, c.string()?);
        c.lit(b"}")?;
        prev.actor.clear();
        prev.actor.extend_from_slice(&line[..c.i]);
    }
    c.lit(b",\"batch_end\":")?;
    // The line before's `batch_end` (the envelope holds it when trusted) says whether this
    // line opens the next batch.
    let ended = std::mem::replace(&mut env.batch_end, c.boolean()?);
    c.lit(b",\"batch_id\":")?;
    let last = trusted.then_some(env.batch_id);
    env.batch_id = c.uint_after(&mut prev.batch_id, last, u64::from(ended))?;
    c.lit(b",\"body\":")?;
    // The body comes before the `type` that says how to read it. The type is read from the
    // line's tail first, so the commonest bodies are read by hand in the same pass (no scan
    // for the body's extent); the guess is checked against the type read in order below.
    let guess = tail_type(line);
    let start = c.i;
    let by_hand = match guess {
        Some(hand) => body_fast(hand, &mut c, &mut env.event, spares).is_some(),
        None => false,
    };
    let body = if by_hand {
        ""
    } else {
        c.i = start;
        c.object()?
    };
    c.lit(b",\"command_id\":\"")?;
    c.string_into(&mut env.command_id, trusted)?;
    c.lit(b",\"payload_hash\":\"")?;
    c.string_into(&mut env.payload_hash, trusted)?;
    c.lit(b",\"prev_hash\":\"")?;
    // In an intact chain this line's `prev_hash` is the `hash` the envelope holds: swapped
    // in, it is recognised without a copy (both were written by the fast path when trusted).
    if trusted {
        std::mem::swap(&mut env.prev_hash, &mut env.hash);
    }
    c.string_into(&mut env.prev_hash, trusted)?;
    // Every line the registry writes today is schema version 1: the key, the version and
    // the next key are one comparison ("1" then "," is the whole number 1).
    if c.lit(b",\"schema_version\":1,\"seq\":").is_some() {
        env.schema_version = 1;
    } else {
        c.lit(b",\"schema_version\":")?;
        env.schema_version = u32::try_from(c.uint()?).ok()?;
        c.lit(b",\"seq\":")?;
    }
    env.seq = c.uint_after(&mut prev.seq, trusted.then_some(env.seq), 1)?;
    c.lit(b",\"ts\":\"")?;
    c.string_into(&mut env.ts, trusted)?;
    c.lit(b",\"type\":\"")?;
    let ty = c.string()?;
    c.lit(b",\"hash\":\"")?;
    set(&mut env.hash, c.string_or_known(hints.map(|h| h.1))?);
    c.lit(b"}")?;
    if c.i != line.len() {
        return None;
    }
    if by_hand {
        guess
            .is_some_and(|hand| same(hand.name().as_bytes(), ty.as_bytes()))
            .then_some(())?;
    } else {
        env.event = event_from(ty, body.as_bytes()).ok()?;
    }
    Some(())
}

/// The `type` of a canonical line read from its end (`…,"type":"T","hash":"<64 hex>"}`), as
/// a guess: `fast` compares it with the type read in order. Only the kinds [`body_fast`]
/// reads by hand are guessed (any other body is read by serde after the type anyway).
///
/// The kind is picked by the eight bytes before the closing quote (`":"Split`, `thorized`,
/// `Approved`, …; the two `…Requested` kinds by one more byte), then confirmed by comparing
/// `,"type":"NAME` in place: no scan back for the opening quote, and one comparison instead
/// of one per kind.
fn tail_type(line: &[u8]) -> Option<Hand> {
    const HASH_SUFFIX: usize = 75; // ,"hash":"<64 hex>"}
    const KEY: &[u8] = b",\"type\":\"";
    let end = line.len().checked_sub(HASH_SUFFIX + 1)?;
    (line.get(end)? == &b'"').then_some(())?;
    let last8 = line.get(end.checked_sub(8)?..end)?;
    let hand = match last8 {
        b"\":\"Split" => Hand::Split,
        b"\":\"Moved" => Hand::Moved,
        b":\"Issued" => Hand::Issued,
        b"thorized" => Hand::Authorized,
        b":\"Frozen" => Hand::Frozen,
        b"Unfrozen" => Hand::Unfrozen,
        b"Approved" => Hand::RequestApproved,
        b"Rejected" => Hand::CommandRejected,
        b"equested" => match line.get(end.checked_sub(10)?)? {
            b't' => Hand::RetirementRequested,
            b'n' => Hand::ItmoAuthorizationRequested,
            _ => return None,
        },
        _ => return None,
    };
    let name = hand.name().as_bytes();
    let at = end.checked_sub(name.len())?;
    let key = at.checked_sub(KEY.len())?;
    (same(&line[at..end], name) && same(&line[key..at], KEY)).then_some(hand)
}

fn set(dst: &mut String, s: &str) {
    dst.clear();
    dst.push_str(s);
}

/// The commonest bodies read by hand in their canonical layout (keys in byte order, no
/// whitespace, strings without escapes), refilled in place: `event` is first made the last
/// event of the kind `hand` ([`Spares::ready`]), and its strings, lists and legs are overwritten
/// field by field, so that a line neither allocates nor moves a whole event. `None` declines:
/// the body then goes through serde, which gives the verdict (and `event` holds garbage). (The
/// `else` of each arm's `let` is never taken: `ready` leaves an event of the arm's kind.)
fn body_fast(hand: Hand, c: &mut Cursor<'_>, event: &mut Event, spares: &mut Spares) -> Option<()> {
    spares.ready(hand, event);
    match hand {
        Hand::Split => {
            let Event::Split { parent, children } = event else {
                return None;
            };
            children.clear();
            c.lit(b"{\"children\":[")?;
            if c.lit(b"]").is_none() {
                loop {
                    c.lit(b"{\"block\":")?;
                    let block = c.uint()?;
                    c.lit(b",\"first\":")?;
                    let first = c.uint()?;
                    c.lit(b",\"last\":")?;
                    let last = c.uint()?;
                    c.lit(b"}")?;
                    children.push(Piece { block, first, last });
                    if c.lit(b",").is_none() {
                        c.lit(b"]")?;
                        break;
                    }
                }
            }
            c.lit(b",\"parent\":")?;
            *parent = c.uint()?;
        }
        Hand::Moved => {
            let Event::Moved {
                blocks,
                from,
                to,
                kind,
            } = event
            else {
                return None;
            };
            c.lit(b"{\"blocks\":")?;
            c.blocks(blocks)?;
            c.lit(b",\"from\":\"")?;
            set(from, c.string()?);
            c.lit(b",\"kind\":{")?;
            c.move_kind_into(kind, &mut spares.kinds)?;
            c.lit(b",\"to\":\"")?;
            set(to, c.string()?);
        }
        Hand::Issued => {
            let Event::Issued {
                issuance_id,
                project,
                registry,
                vintage,
                unit_type,
                verification,
                first,
                last,
                class,
                authorization,
                date,
                legs,
            } = event
            else {
                return None;
            };
            c.lit(b"{\"authorization\":")?;
            set_opt(authorization, c.opt_string()?);
            c.lit(b",\"class\":\"")?;
            *class = named(c.string()?)?;
            c.lit(b",\"date\":")?;
            *date = c.opt_date()?;
            c.lit(b",\"first\":")?;
            *first = c.uint()?;
            c.lit(b",\"issuance_id\":\"")?;
            set(issuance_id, c.string()?);
            c.lit(b",\"last\":")?;
            *last = c.uint()?;
            c.lit(b",\"legs\":[")?;
            // Legs are overwritten in place (their account strings too), then cut to length.
            let mut n = 0;
            if c.lit(b"]").is_none() {
                loop {
                    c.lit(b"{\"account\":\"")?;
                    let account = c.string()?;
                    c.lit(b",\"block\":")?;
                    let block = c.uint()?;
                    c.lit(b",\"first\":")?;
                    let first = c.uint()?;
                    c.lit(b",\"last\":")?;
                    let last = c.uint()?;
                    c.lit(b",\"leg\":\"")?;
                    let leg = named(c.string()?)?;
                    c.lit(b"}")?;
                    match legs.get_mut(n) {
                        Some(l) => {
                            (l.block, l.first, l.last, l.leg) = (block, first, last, leg);
                            set(&mut l.account, account);
                        }
                        None => legs.push(Leg {
                            block,
                            first,
                            last,
                            account: account.to_string(),
                            leg,
                        }),
                    }
                    n += 1;
                    if c.lit(b",").is_none() {
                        c.lit(b"]")?;
                        break;
                    }
                }
            }
            legs.truncate(n);
            c.lit(b",\"project\":\"")?;
            set(project, c.string()?);
            c.lit(b",\"registry\":\"")?;
            set(registry, c.string()?);
            c.lit(b",\"unit_type\":\"")?;
            *unit_type = named(c.string()?)?;
            c.lit(b",\"verification\":")?;
            set_opt(verification, c.opt_string()?);
            c.lit(b",\"vintage\":")?;
            *vintage = u16::try_from(c.uint()?).ok()?;
        }
        Hand::Authorized => {
            let Event::Authorized {
                blocks,
                authorization,
                date,
            } = event
            else {
                return None;
            };
            c.lit(b"{\"authorization\":\"")?;
            set(authorization, c.string()?);
            c.lit(b",\"blocks\":")?;
            c.blocks(blocks)?;
            c.lit(b",\"date\":")?;
            *date = c.opt_date()?;
        }
        Hand::Frozen | Hand::Unfrozen => {
            let (Event::Frozen { blocks, reason } | Event::Unfrozen { blocks, reason }) = event
            else {
                return None;
            };
            c.lit(b"{\"blocks\":")?;
            c.blocks(blocks)?;
            c.lit(b",\"reason\":\"")?;
            set(reason, c.string()?);
        }
        Hand::RequestApproved => {
            let Event::RequestApproved { id, blocks } = event else {
                return None;
            };
            c.lit(b"{\"blocks\":")?;
            c.blocks(blocks)?;
            c.lit(b",\"id\":\"")?;
            set(id, c.string()?);
        }
        Hand::RetirementRequested => {
            let Event::RetirementRequested {
                id,
                from,
                to,
                blocks,
                subtype,
                beneficiary,
                use_year,
                authorized_entity,
            } = event
            else {
                return None;
            };
            c.lit(b"{")?;
            let entity = match c.lit(b"\"authorized_entity\":\"") {
                Some(()) => {
                    let e = c.string()?;
                    c.lit(b",")?;
                    Some(e)
                }
                None => None,
            };
            set_opt(authorized_entity, entity);
            c.lit(b"\"beneficiary\":{")?;
            c.beneficiary_into(beneficiary)?;
            c.lit(b",\"blocks\":")?;
            c.blocks(blocks)?;
            c.lit(b",\"from\":\"")?;
            set(from, c.string()?);
            c.lit(b",\"id\":\"")?;
            set(id, c.string()?);
            c.lit(b",\"subtype\":\"")?;
            *subtype = named(c.string()?)?;
            c.lit(b",\"to\":\"")?;
            set(to, c.string()?);
            *use_year = match c.lit(b",\"use_year\":") {
                Some(()) => Some(u16::try_from(c.uint()?).ok()?),
                None => None,
            };
        }
        Hand::ItmoAuthorizationRequested => {
            let Event::ItmoAuthorizationRequested {
                id,
                account,
                authorization,
                blocks,
                date,
            } = event
            else {
                return None;
            };
            c.lit(b"{\"account\":\"")?;
            set(account, c.string()?);
            c.lit(b",\"authorization\":\"")?;
            set(authorization, c.string()?);
            c.lit(b",\"blocks\":")?;
            c.blocks(blocks)?;
            *date = match c.lit(b",\"date\":\"") {
                Some(()) => Some(named(c.string()?)?),
                None => None,
            };
            c.lit(b",\"id\":\"")?;
            set(id, c.string()?);
        }
        Hand::CommandRejected => {
            let Event::CommandRejected { rule, message } = event else {
                return None;
            };
            c.lit(b"{\"message\":\"")?;
            set(message, c.string()?);
            c.lit(b",\"rule\":\"")?;
            set(rule, c.string()?);
        }
    }
    c.lit(b"}")
}

/// A picklist value (`Role`, `Class`, `LegKind`, `UnitType`, …) from its string, through the
/// type's own `Deserialize` (so exactly the names serde accepts).
fn named<'de, T: Deserialize<'de>>(s: &'de str) -> Option<T> {
    T::deserialize(BorrowedStrDeserializer::<serde_json::Error>::new(s)).ok()
}

/// Deserialize `body` as the variant `ty` names, in one pass over the bytes.
fn event_from(ty: &str, body: &[u8]) -> Result<Event, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let event = Event::deserialize(MapAccessDeserializer::new(Tagged {
        ty,
        de: &mut de,
        at: 0,
    }))?;
    de.end()?;
    Ok(event)
}

/// The two entries `type` and `body` of the adjacently tagged [`Event`], the body read straight
/// from the JSON deserializer.
struct Tagged<'a, 'de> {
    ty: &'a str,
    de: &'a mut serde_json::Deserializer<serde_json::de::SliceRead<'de>>,
    at: u8,
}

impl<'de> MapAccess<'de> for Tagged<'_, 'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, serde_json::Error> {
        let key = match self.at {
            0 => "type",
            1 => "body",
            _ => return Ok(None),
        };
        seed.deserialize(StrDeserializer::<serde_json::Error>::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, serde_json::Error> {
        self.at += 1;
        if self.at == 1 {
            seed.deserialize(StrDeserializer::<serde_json::Error>::new(self.ty))
        } else {
            seed.deserialize(&mut *self.de)
        }
    }
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

/// Index of the first byte at or after `from` for which `mask` (8 bytes at a time) or `hit`
/// (the last few bytes) says yes.
fn find(
    b: &[u8],
    from: usize,
    mask: impl Fn(u64) -> u64,
    hit: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut i = from;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let m = mask(u64::from_le_bytes(w));
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b.get(i..)?.iter().position(|&c| hit(c)).map(|k| i + k)
}

/// Index of the first quote or backslash at or after `from`: the end of a plain string, or
/// the escape that makes it not plain. Control characters need no test here: [`fast`]
/// declines any line that holds one.
///
/// Sixteen bytes are tested at a time ([`bytes16`]: on x86-64 two compares and a mask, where
/// the word test costs about ten operations per 8 bytes), so a 64-byte digest or a 14-byte
/// command id is one to five steps. The last bytes of the line, fewer than 16, go through the
/// word test.
fn string_end(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(chunk) = b.get(i..i + 16).and_then(|c| <&[u8; 16]>::try_from(c).ok()) {
        if let Some(k) = bytes16::first_quote_or_backslash(chunk) {
            return Some(i + k);
        }
        i += 16;
    }
    find(
        b,
        i,
        |w| eq_mask(w, b'"') | eq_mask(w, b'\\'),
        |c| c == b'"' || c == b'\\',
    )
}

/// The value and count of the leading decimal digits of `w` (eight bytes, first byte lowest).
fn eight_digits(w: u64) -> Option<(u64, usize)> {
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    // A byte is a digit when its high nibble is 3 and adding 6 keeps it 3. Carries out of a
    // byte start only at a non-digit, and run towards later bytes, so the lowest flagged byte
    // is the first non-digit.
    let not_digit = ((w & HIGH) ^ ZEROS) | ((w.wrapping_add(0x0606_0606_0606_0606) & HIGH) ^ ZEROS);
    let n = (not_digit.trailing_zeros() / 8) as usize;
    if n == 0 {
        return None;
    }
    // The n digits moved to the top bytes; the bytes shifted in are leading zero digits.
    let mut d = (w.wrapping_sub(ZEROS)) << (8 * (8 - n));
    d = (d * 10 + (d >> 8)) & 0x00FF_00FF_00FF_00FF;
    d = (d * 100 + (d >> 16)) & 0x0000_FFFF_0000_FFFF;
    d = (d * 10_000 + (d >> 32)) & 0xFFFF_FFFF;
    Some((d, n))
}

impl<'a> Cursor<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.s.as_bytes()
    }

    /// Consume `lit` if the text continues with it. Inlined, and compared eight bytes at a
    /// time: the literals are short constants (the envelope's keys run to 18 bytes), so the
    /// words of `lit` fold into the code, and a call to `memcmp` for each of the ~30 per line,
    /// or a byte loop, cost more than the comparison.
    #[inline(always)]
    fn lit(&mut self, lit: &[u8]) -> Option<()> {
        let got = self.bytes().get(self.i..self.i + lit.len())?;
        let mut k = 0;
        let mut same = true;
        while k + 8 <= lit.len() {
            let a = u64::from_le_bytes(got[k..k + 8].try_into().ok()?);
            let b = u64::from_le_bytes(lit[k..k + 8].try_into().ok()?);
            same &= a == b;
            k += 8;
        }
        while k < lit.len() {
            same &= got[k] == lit[k];
            k += 1;
        }
        if same {
            self.i += lit.len();
            Some(())
        } else {
            None
        }
    }

    /// The rest of a string whose opening quote was consumed: no escapes (control characters
    /// were ruled out for the whole line by [`fast`]). Consumes the closing quote.
    fn string(&mut self) -> Option<&'a str> {
        let b = self.bytes();
        let n = string_end(b, self.i)?;
        if b[n] != b'"' {
            return None;
        }
        let out = self.s.get(self.i..n)?;
        self.i = n + 1;
        Some(out)
    }

    /// [`Cursor::string`] into `dst`, recognised without a copy when it is the string `dst`
    /// already holds. Only for a `trusted` `dst` (one that holds no quote or backslash, see
    /// [`Previous::trusted`]): its bytes then match a prefix of the rest of the line, followed
    /// by a quote, exactly when the string here is `dst`.
    fn string_into(&mut self, dst: &mut String, trusted: bool) -> Option<()> {
        if trusted {
            let n = self.i + dst.len();
            if self
                .bytes()
                .get(self.i..n)
                .is_some_and(|b| same(b, dst.as_bytes()))
                && self.bytes().get(n) == Some(&b'"')
            {
                self.i = n + 1;
                return Some(());
            }
        }
        set(dst, self.string()?);
        Some(())
    }

    /// [`Cursor::string`], recognised at once when it is `known`: the known digest's 64 hex
    /// bytes and the closing quote are compared in place (a hex digest holds no quote or
    /// backslash, so those bytes are exactly that string).
    fn string_or_known(&mut self, known: Option<&HexDigest>) -> Option<&'a str> {
        if let Some(k) = known {
            let n = self.i + 64;
            if self
                .bytes()
                .get(self.i..n)
                .is_some_and(|b| same(b, k.as_bytes()))
                && self.bytes().get(n) == Some(&b'"')
            {
                let out = self.s.get(self.i..n)?;
                self.i = n + 1;
                return Some(out);
            }
        }
        self.string()
    }

    /// A non-negative integer as serde_json reads one into a `u64`: digits, no leading zero,
    /// no sign, fraction or exponent, no overflow.
    ///
    /// Up to eight digits are read from one 8-byte word (the first non-digit found by a mask,
    /// the digits combined pairwise by three multiplications); longer numbers, and numbers
    /// within eight bytes of the line's end (never, in a canonical line), go digit by digit.
    ///
    /// Inlined (about eight integers a line): the cursor then stays in registers, where a
    /// call spilled and reloaded it around each number.
    #[inline(always)]
    fn uint(&mut self) -> Option<u64> {
        let b = self.bytes();
        let start = self.i;
        let word = b
            .get(start..start + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map(u64::from_le_bytes);
        let (mut v, mut i) = match word.and_then(eight_digits) {
            Some((v, n)) => (v, start + n),
            None => (0, start),
        };
        if i == start + 8 || word.is_none() {
            // Up to 19 digits cannot overflow a u64; longer numbers are checked.
            while let Some(&c) = b.get(i) {
                let d = c.wrapping_sub(b'0');
                if d > 9 {
                    break;
                }
                v = if i - start < 19 {
                    v * 10 + d as u64
                } else {
                    v.checked_mul(10)?.checked_add(d as u64)?
                };
                i += 1;
            }
        }
        let n = i - start;
        if n == 0 || (n > 1 && b[start] == b'0') {
            return None;
        }
        if matches!(b.get(i), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        self.i = i;
        Some(v)
    }

    /// [`Cursor::uint`] where the number is expected to be `last + step` and `spelt` holds how
    /// `last` was spelt (`last` is `None` when it is not known): recognised by comparing the
    /// digits. Whatever follows them is left to the caller's next literal, as after `uint` (a
    /// longer number, a fraction or an exponent fails it). Otherwise the number is read, and
    /// `spelt` then holds its digits.
    fn uint_after(&mut self, spelt: &mut Spelt, last: Option<u64>, step: u64) -> Option<u64> {
        if let Some(last) = last
            && spelt.len > 0
        {
            if step == 1 {
                spelt.increment();
            }
            if spelt.starts(self.bytes().get(self.i..)?) {
                self.i += spelt.len;
                return Some(last + step);
            }
        }
        let start = self.i;
        let v = self.uint()?;
        spelt.set(&self.bytes()[start..self.i]);
        Some(v)
    }

    /// `[n,n,…]` into `out` (cleared first).
    fn blocks(&mut self, out: &mut Vec<u64>) -> Option<()> {
        out.clear();
        self.lit(b"[")?;
        if self.lit(b"]").is_some() {
            return Some(());
        }
        loop {
            out.push(self.uint()?);
            if self.lit(b",").is_none() {
                return self.lit(b"]");
            }
        }
    }

    /// `null` or a string (whose opening quote is still to be read).
    fn opt_string(&mut self) -> Option<Option<&'a str>> {
        if self.lit(b"null").is_some() {
            return Some(None);
        }
        self.lit(b"\"")?;
        self.string().map(Some)
    }

    /// `null` or a date string, read by `NaiveDate`'s own `Deserialize`.
    fn opt_date(&mut self) -> Option<Option<NaiveDate>> {
        match self.opt_string()? {
            None => Some(None),
            Some(s) => named(s).map(Some),
        }
    }

    /// The inside of a `kind` object of a move (its `{` already read), through its `}`.
    /// A move's `kind` object (its `{` already read) into `kind`, refilling the strings of the
    /// last kind of the same variant (kept in `spares` while another variant was read).
    fn move_kind_into(
        &mut self,
        kind: &mut MoveKind,
        spares: &mut [Option<MoveKind>; 4],
    ) -> Option<()> {
        if self.lit(b"\"kind\":\"cancel\",\"reason\":\"").is_some() {
            ready_kind(kind, spares, CANCEL);
            let MoveKind::Cancel { subtype, reason } = kind else {
                return None;
            };
            set(reason, self.string()?);
            self.lit(b",\"subtype\":\"")?;
            *subtype = named(self.string()?)?;
            return self.lit(b"}");
        }
        if self.lit(b"\"acquiring_party\":\"").is_some() {
            ready_kind(kind, spares, TRANSFER);
            let MoveKind::Transfer { acquiring_party } = kind else {
                return None;
            };
            set_some(acquiring_party, self.string()?);
            return self.lit(b",\"kind\":\"transfer\"}");
        }
        if self.lit(b"\"kind\":\"transfer\"}").is_some() {
            ready_kind(kind, spares, TRANSFER);
            let MoveKind::Transfer { acquiring_party } = kind else {
                return None;
            };
            *acquiring_party = None;
            return Some(());
        }
        // A retirement (which may name an authorized entity) or a use: both carry a
        // beneficiary, read into the variant the kind already is when it is one of the two,
        // and the variant settled after it.
        let entity = if self.lit(b"\"authorized_entity\":\"").is_some() {
            let e = self.string()?;
            self.lit(b",")?;
            Some(e)
        } else {
            None
        };
        if !matches!(kind, MoveKind::Retire { .. } | MoveKind::Use { .. }) {
            ready_kind(kind, spares, if entity.is_some() { RETIRE } else { USE });
        }
        self.lit(b"\"beneficiary\":{")?;
        let (MoveKind::Retire { beneficiary, .. } | MoveKind::Use { beneficiary, .. }) = kind
        else {
            return None;
        };
        self.beneficiary_into(beneficiary)?;
        if self.lit(b",\"kind\":\"retire\"}").is_some() {
            if let MoveKind::Use { beneficiary, .. } = kind {
                let beneficiary = std::mem::replace(beneficiary, blank_beneficiary());
                *kind = MoveKind::Retire {
                    beneficiary,
                    authorized_entity: None,
                };
            }
            let MoveKind::Retire {
                authorized_entity, ..
            } = kind
            else {
                return None;
            };
            match entity {
                Some(e) => set_some(authorized_entity, e),
                None => *authorized_entity = None,
            }
            return Some(());
        }
        if entity.is_some() {
            return None;
        }
        self.lit(b",\"kind\":\"use\",\"use_year\":")?;
        let year = u16::try_from(self.uint()?).ok()?;
        self.lit(b"}")?;
        if let MoveKind::Retire { beneficiary, .. } = kind {
            let beneficiary = std::mem::replace(beneficiary, blank_beneficiary());
            *kind = MoveKind::Use {
                use_year: year,
                beneficiary,
            };
        }
        let MoveKind::Use { use_year, .. } = kind else {
            return None;
        };
        *use_year = year;
        Some(())
    }

    /// [`Cursor::beneficiary`] into `b`, refilling its strings.
    fn beneficiary_into(&mut self, b: &mut Beneficiary) -> Option<()> {
        self.lit(b"\"country\":\"")?;
        set(&mut b.country, self.string()?);
        self.lit(b",\"id\":\"")?;
        set(&mut b.id, self.string()?);
        self.lit(b",\"name\":\"")?;
        set(&mut b.name, self.string()?);
        self.lit(b",\"purpose\":\"")?;
        set(&mut b.purpose, self.string()?);
        self.lit(b"}")
    }

    fn boolean(&mut self) -> Option<bool> {
        if self.lit(b"true").is_some() {
            Some(true)
        } else {
            self.lit(b"false").map(|()| false)
        }
    }

    /// The extent of a JSON object (strings and nesting respected; the content itself is
    /// validated later by the body's deserializer).
    fn object(&mut self) -> Option<&'a str> {
        let b = self.bytes();
        let start = self.i;
        if b.get(start) != Some(&b'{') {
            return None;
        }
        let structural = |w: u64| {
            eq_mask(w, b'"')
                | eq_mask(w, b'{')
                | eq_mask(w, b'}')
                | eq_mask(w, b'[')
                | eq_mask(w, b']')
        };
        let in_string = |w: u64| eq_mask(w, b'"') | eq_mask(w, b'\\');
        let mut depth = 0usize;
        let mut i = start;
        loop {
            i = find(b, i, structural, |c| b"\"{}[]".contains(&c))?;
            match b[i] {
                b'"' => loop {
                    i = find(b, i + 1, in_string, |c| c == b'"' || c == b'\\')?;
                    if b[i] == b'"' {
                        break;
                    }
                    i += 1; // the escaped byte
                },
                b'{' | b'[' => depth += 1,
                _ => {
                    depth -= 1;
                    if depth == 0 {
                        self.i = i + 1;
                        return self.s.get(start..=i);
                    }
                }
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind in [`Hand::ALL`] is read by hand, not handed to serde, in each of its
    /// shapes (optional keys present and absent), and reads as serde reads it.
    #[test]
    fn every_hand_read_kind_is_read_by_hand() {
        use crate::registry::event::LegKind;
        use crate::registry::types::{CancelSubtype, Class, RetirementSubtype, UnitType};
        let s = |x: &str| x.to_string();
        let ben = Beneficiary {
            name: s("Druk"),
            id: s("BT-1"),
            country: s("BTN"),
            purpose: s("NDC"),
        };
        let d = NaiveDate::from_ymd_opt(2024, 5, 6);
        let events = [
            Event::Split {
                parent: 1,
                children: vec![
                    Piece {
                        block: 2,
                        first: 1,
                        last: 5,
                    },
                    Piece {
                        block: 3,
                        first: 6,
                        last: 9,
                    },
                ],
            },
            Event::Moved {
                blocks: vec![4, 5],
                from: s("A"),
                to: s("B"),
                kind: MoveKind::Cancel {
                    subtype: CancelSubtype::Voluntary,
                    reason: s("r"),
                },
            },
            Event::Issued {
                issuance_id: s("I1"),
                project: s("P1"),
                registry: s("BTN01"),
                vintage: 2024,
                unit_type: UnitType::ReductionNature,
                verification: Some(s("V1")),
                first: 1,
                last: 10,
                class: Class::Mo,
                authorization: None,
                date: d,
                legs: vec![Leg {
                    block: 1,
                    first: 1,
                    last: 10,
                    account: s("A"),
                    leg: LegKind::Holding,
                }],
            },
            Event::Authorized {
                blocks: vec![6],
                authorization: s("AU"),
                date: None,
            },
            Event::Frozen {
                blocks: vec![1],
                reason: s("hold"),
            },
            Event::Unfrozen {
                blocks: vec![1],
                reason: s(""),
            },
            Event::RequestApproved {
                id: s("R1"),
                blocks: vec![10, 11],
            },
            Event::CommandRejected {
                rule: s("rule"),
                message: s("no"),
            },
            Event::RetirementRequested {
                id: s("R1"),
                from: s("A"),
                to: s("B"),
                blocks: vec![3, u64::MAX],
                subtype: RetirementSubtype::Retire,
                beneficiary: ben.clone(),
                use_year: None,
                authorized_entity: Some(s("ENT1")),
            },
            Event::RetirementRequested {
                id: s("R2"),
                from: s("A"),
                to: s("B"),
                blocks: vec![],
                subtype: RetirementSubtype::Use,
                beneficiary: ben,
                use_year: Some(2030),
                authorized_entity: None,
            },
            Event::ItmoAuthorizationRequested {
                id: s("R3"),
                account: s("A"),
                authorization: s("AU"),
                blocks: vec![9],
                date: d,
            },
            Event::ItmoAuthorizationRequested {
                id: s("R4"),
                account: s("A"),
                authorization: s("AU"),
                blocks: vec![],
                date: None,
            },
        ];
        let mut seen = std::collections::BTreeSet::new();
        let mut spares = Spares::default();
        for event in events {
            let ty = event.type_name();
            let hand = Hand::of(&event).unwrap_or_else(|| panic!("{ty} is not read by hand"));
            assert_eq!(hand.name(), ty, "a kind's name is its type name");
            // The line's tail names the same kind.
            let mut env = blank_envelope();
            env.event = event.clone();
            let line = env.seal().unwrap();
            assert_eq!(tail_type(&line[..line.len() - 1]), Some(hand), "{ty}");
            // A type that only ends with the name is not the kind.
            let longer = String::from_utf8(line.clone()).unwrap().replace(
                &format!(",\"type\":\"{ty}\""),
                &format!(",\"type\":\"X{ty}\""),
            );
            assert_eq!(
                tail_type(&longer.as_bytes()[..longer.len() - 1]),
                None,
                "X{ty}"
            );
            let text = std::str::from_utf8(&line).unwrap();
            let start = text.find(",\"body\":").unwrap() + 8;
            let end = text.find(",\"command_id\":").unwrap();
            let mut c = Cursor {
                s: &text[..end],
                i: start,
            };
            let mut read = Event::YearClosed { year: 0 };
            assert!(
                body_fast(hand, &mut c, &mut read, &mut spares).is_some(),
                "{ty} declined: {}",
                &text[start..end]
            );
            assert_eq!((c.i, &read), (end, &event), "{ty}");
            assert_eq!(
                Envelope::parse(&line[..line.len() - 1]).unwrap().event,
                event
            );
            seen.insert(ty);
        }
        assert_eq!(
            seen,
            Hand::ALL.into_iter().map(Hand::name).collect(),
            "every hand-read kind"
        );
    }

    /// What serde_json makes of `text` as a `u64` at the start of a JSON array, with how many
    /// bytes the number took (the reference for [`Cursor::uint`]).
    fn reference(text: &str) -> Option<(u64, usize)> {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        let [v]: [u64; 1] = serde_json::from_str(&format!("[{}]", &text[..digits])).ok()?;
        let next = text.as_bytes().get(digits);
        (!matches!(next, Some(b'.' | b'e' | b'E'))).then_some((v, digits))
    }

    #[test]
    fn integers_read_as_serde_reads_them_whatever_their_length_and_what_follows() {
        let mut numbers: Vec<String> = vec![
            "0".into(),
            "00".into(),
            "07".into(),
            "18446744073709551615".into(),
            "18446744073709551616".into(),
            "99999999999999999999".into(),
            "".into(),
        ];
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for len in 1..=20 {
            for _ in 0..200 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let s = format!("{x:020}");
                numbers.push(s[20 - len..].trim_start_matches('0').to_string());
                numbers.push(s[20 - len..].to_string());
            }
        }
        // Every byte after the digits, and the number at the line's end too.
        for n in &numbers {
            for tail in [
                "", ",", "]", "}", ".5", "e3", "E", "-", "/", ":", "x", "é", " ", "0",
            ] {
                let text = format!("{n}{tail}\"pad to more than eight bytes\"");
                for t in [text.as_str(), &text[..n.len() + tail.len()]] {
                    let mut c = Cursor { s: t, i: 0 };
                    let got = c.uint().map(|v| (v, c.i));
                    let want = reference(t);
                    assert_eq!(got, want, "{t:?}");
                }
            }
        }
    }

    /// Types that end like a hand-read kind's (its last eight bytes, or `…Requested`) are
    /// not taken for it; nor is a name without its `"type"` key.
    #[test]
    fn tail_type_names_only_the_exact_kind() {
        let tail = |ty: &str, key: &str| {
            format!(
                "{{\"seq\":1,\"{key}\":\"{ty}\",\"hash\":\"{}\"}}",
                "0".repeat(64)
            )
        };
        for ty in [
            "CaApproved",
            "RequestRejected",
            "XMoved",
            "Issue",
            "Frozen2",
            "CaRequested",
            "ItmoRequested",
            "Requested",
            "",
        ] {
            assert_eq!(tail_type(tail(ty, "type").as_bytes()), None, "{ty}");
        }
        for hand in Hand::ALL {
            let line = tail(hand.name(), "type");
            assert_eq!(tail_type(line.as_bytes()), Some(hand), "{line}");
            let other_key = tail(hand.name(), "kind");
            assert_eq!(tail_type(other_key.as_bytes()), None, "{other_key}");
        }
    }

    #[test]
    fn eight_digits_finds_the_first_non_digit_of_every_kind() {
        for stop in (0u8..=255).filter(|c| !c.is_ascii_digit()) {
            for at in 0..8 {
                let mut w = *b"12345678";
                w[at] = stop;
                let want = (at > 0).then(|| ("12345678"[..at].parse().unwrap(), at));
                assert_eq!(eight_digits(u64::from_le_bytes(w)), want, "{stop} at {at}");
            }
        }
        assert_eq!(
            eight_digits(u64::from_le_bytes(*b"90000009")),
            Some((90_000_009, 8))
        );
    }

    /// A number's spelling, incremented, is the next number's, across every carry and every
    /// length up to the eighteen digits kept; longer numbers are not kept.
    #[test]
    fn spelt_increments_as_the_numbers_do() {
        let mut starts: Vec<u64> = vec![0, 1, 8, 9, 10, 98, 99, 100, 12_345, 9_999_998];
        starts.extend((1..=17).map(|k| 10u64.pow(k) - 2));
        for start in starts {
            let mut spelt = Spelt::default();
            spelt.set(start.to_string().as_bytes());
            for v in start + 1..start + 4 {
                spelt.increment();
                let want = v.to_string();
                assert_eq!(
                    &spelt.digits[..spelt.len],
                    want.as_bytes(),
                    "after {}",
                    v - 1
                );
                assert!(spelt.digits[spelt.len..].iter().all(|&d| d == 0), "padding");
            }
        }
        let mut most = Spelt::default();
        most.set(b"999999999999999999");
        most.increment();
        assert_eq!(most.len, 0, "a 19-digit number is not kept");
        assert_eq!(most.digits, [0; 24], "nor any of its digits");
        most.set(b"1234567890123456789");
        assert_eq!(most.len, 0);
    }

    /// `starts` compares exactly the digits, at every length, in a word or past its end.
    #[test]
    fn spelt_starts_only_the_text_that_begins_with_its_digits() {
        for n in 1..=Spelt::MOST {
            let digits: Vec<u8> = (0..n).map(|k| b'1' + (k % 9) as u8).collect();
            let mut spelt = Spelt::default();
            spelt.set(&digits);
            let mut text = digits.clone();
            text.extend_from_slice(b",\"ts\":\"x\"");
            assert!(spelt.starts(&text), "{n} digits");
            assert!(spelt.starts(&digits), "{n} digits, nothing after");
            assert!(
                !spelt.starts(&digits[..n - 1]),
                "{n} digits, text too short"
            );
            for k in 0..n {
                let mut other = text.clone();
                other[k] = if other[k] == b'9' { b'8' } else { b'9' };
                assert!(!spelt.starts(&other), "{n} digits, digit {k} differs");
            }
        }
        assert!(!Spelt::default().starts(b"1,"), "nothing known");
    }
}
