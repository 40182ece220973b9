//! Plain-text double-entry journal readable by ledger-cli and hledger (registry-model §8.4).
//! One job: one transaction per unit-moving batch, balanced per commodity, with `account` and
//! `commodity` directives first and year-end balance assertions (every non-zero account ×
//! commodity balance) equal to the fold.
//!
//! Commodities are class + vintage, quoted (`"MO-2024"`, `"ITMO-2024"`). Issuances post to the
//! receiving accounts against `Issued:PROJECT` (the only negative balances), acquisitions
//! against `Imported:PARTY`, and MO → ITMO conversions go through `Conversion:Authorization`.
//! Seq, hash and serial ranges are `key: value` comments.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::registry::error::InvariantViolation;
use crate::registry::error::JournalError;
use crate::registry::event::{Envelope, Event, LegKind};
use crate::registry::journal::read_journal_ref;
use crate::registry::ledger::Ledger;
use crate::registry::state::State;
use crate::registry::types::Class;

fn acct_name(st: &State, id: &str) -> String {
    let clean: String = id
        .chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect();
    match st.account(id) {
        Some(a) if !clean.contains(':') => format!("{}:{}:{}", a.party, a.owner, clean),
        _ => clean,
    }
}

fn comm(class: Class, vintage: u16) -> String {
    format!("\"{}-{vintage}\"", class.as_str())
}

struct Tx {
    date: String,
    desc: String,
    comments: Vec<String>,
    postings: Vec<(String, i64, String, Option<String>)>,
}

/// Render the journal of a loaded ledger. Balance assertions are emitted at the end of every
/// year present.
pub fn render(ledger: &Ledger) -> String {
    let mut r = Renderer::new(State::new());
    for env in ledger.events() {
        if r.push(env).is_err() {
            break;
        }
    }
    r.finish(ledger.last_seq(), ledger.head_hash())
}

/// [`render`] of the journal at `path` as it is read and verified, one event at a time:
/// neither the events nor their transactions are held, only the text (a 1,000,000-event
/// journal renders to ~210 MB). Also the folded state, for the caller's checks.
pub fn render_journal(path: &Path) -> Result<(String, State), JournalError> {
    let inv = |violation| JournalError::Invariant {
        path: path.to_path_buf(),
        violation,
    };
    let mut r = Renderer::new(State::for_replay());
    let (mut seq, mut hash) = (0, String::new());
    read_journal_ref(path, |env| {
        r.push(env).map_err(inv)?;
        seq = env.seq;
        hash.clone_from(&env.hash);
        Ok(())
    })?;
    r.st.index_deferred(&mut Vec::new()).map_err(inv)?;
    let text = r.finish(seq, &hash);
    Ok((text, r.st))
}

/// The journal being rendered: the fold the transactions are read against, the
/// transactions' text so far, and what the directives and year-end assertions need.
///
/// Invariant: `bal` is the sum of every posting in `body`, and `year` is the year of the
/// last transaction in `body`, whose year-end assertions are not yet written.
struct Renderer {
    st: State,
    body: String,
    accounts: BTreeSet<String>,
    commodities: BTreeSet<String>,
    bal: BTreeMap<(String, String), i64>,
    year: Option<u16>,
}

impl Renderer {
    fn new(st: State) -> Renderer {
        Renderer {
            st,
            body: String::new(),
            accounts: BTreeSet::new(),
            commodities: BTreeSet::new(),
            bal: BTreeMap::new(),
            year: None,
        }
    }

    /// Add one event (its transaction is read against the state before it), then fold it.
    fn push(&mut self, env: &Envelope) -> Result<(), InvariantViolation> {
        if let Some(tx) = tx_for(&self.st, env) {
            let year = env.year();
            if self.year.is_some_and(|y| y != year) {
                self.year_end();
            }
            self.year = Some(year);
            self.write_tx(tx);
        }
        self.st.apply(env)
    }

    fn write_tx(&mut self, t: Tx) {
        let out = &mut self.body;
        let _ = writeln!(out, "{} {}", t.date, t.desc);
        for c in &t.comments {
            let _ = writeln!(out, "    ; {c}");
        }
        for (a, q, c, note) in t.postings {
            let _ = writeln!(out, "    {a:<40}  {q} {c}");
            if let Some(nt) = note {
                let _ = writeln!(out, "    ; {nt}");
            }
            if !self.commodities.contains(&c) {
                self.commodities.insert(c.clone());
            }
            if !self.accounts.contains(&a) {
                self.accounts.insert(a.clone());
            }
            *self.bal.entry((a, c)).or_default() += q;
        }
        out.push('\n');
    }

    /// The year-end balance assertions of the year just rendered.
    fn year_end(&mut self) {
        let Some(year) = self.year else { return };
        let out = &mut self.body;
        let _ = writeln!(out, "{year}-12-31 Year-end balance assertions {year}");
        // Zero balances are not asserted: ledger-cli reads a zero amount as commodity-less
        // and would then assert the whole multi-commodity balance.
        for ((a, c), q) in self.bal.iter().filter(|(_, q)| **q != 0) {
            let _ = writeln!(out, "    {a:<40}  0 {c} = {q} {c}");
        }
        out.push('\n');
    }

    /// The whole text: header, directives, then the transactions and the last year's end.
    fn finish(&mut self, last_seq: u64, head_hash: &str) -> String {
        self.year_end();
        self.year = None;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "; ndc-workbench registry journal (read-only teaching view)"
        );
        let _ = writeln!(out, "; events: {last_seq}  head hash: {head_hash}\n");
        for t in ["seq", "hash", "serial"] {
            let _ = writeln!(out, "tag {t}");
        }
        out.push('\n');
        for c in &self.commodities {
            let _ = writeln!(out, "commodity {c}");
        }
        out.push('\n');
        for a in &self.accounts {
            let _ = writeln!(out, "account {a}");
        }
        out.push('\n');
        // The head goes in front of the body in place: the body is most of the text and is
        // not copied into a second buffer of its size.
        let mut body = std::mem::take(&mut self.body);
        body.insert_str(0, &out);
        body
    }
}

fn tx_for(st: &State, env: &Envelope) -> Option<Tx> {
    let date = env.ts.get(..10).unwrap_or("1970-01-01").to_string();
    let mut comments = vec![format!("seq: {}", env.seq), format!("hash: {}", env.hash)];
    let mut postings = Vec::new();
    let desc;
    match &env.event {
        Event::Issued {
            project,
            vintage,
            class,
            legs,
            first,
            last,
            ..
        } => {
            desc = format!("Issued {project} vintage {vintage}");
            let c = comm(*class, *vintage);
            // A retention leg is born MO (article6-rules §9): its own commodity, balanced by
            // its own `Issued` posting.
            let mo = comm(Class::Mo, *vintage);
            let mut retained = 0i64;
            for l in legs {
                let serial = format!(
                    "serial: {}-{}-{:04}-{:06}-{:06}",
                    st.projects
                        .get(project)
                        .and_then(|p| st.parties.get(&p.host))
                        .map(|p| p.registry_id.clone())
                        .unwrap_or_default(),
                    project,
                    vintage,
                    l.first,
                    l.last
                );
                let n = (l.last - l.first + 1) as i64;
                let leg_comm = if l.leg == LegKind::Retention && *class != Class::Mo {
                    retained += n;
                    mo.clone()
                } else {
                    c.clone()
                };
                postings.push((acct_name(st, &l.account), n, leg_comm, Some(serial)));
            }
            postings.push((
                format!("Issued:{project}"),
                retained - ((last - first + 1) as i64),
                c,
                None,
            ));
            if retained > 0 {
                postings.push((format!("Issued:{project}"), -retained, mo, None));
            }
        }
        Event::Acquired {
            project,
            vintage,
            first,
            last,
            account,
            from_party,
            registry,
            ..
        } => {
            desc = format!("Acquired {project} vintage {vintage} from {from_party}");
            let c = comm(Class::Itmo, *vintage);
            let q = (last - first + 1) as i64;
            postings.push((
                acct_name(st, account),
                q,
                c.clone(),
                Some(format!(
                    "serial: {registry}-{project}-{vintage:04}-{first:06}-{last:06}"
                )),
            ));
            postings.push((format!("Imported:{from_party}"), -q, c, None));
        }
        Event::Moved {
            blocks, from, to, ..
        } => {
            desc = format!("Move {from} -> {to}");
            let (fa, ta) = (acct_name(st, from), acct_name(st, to));
            let mut per: BTreeMap<String, i64> = BTreeMap::new();
            for &b in blocks {
                // Children of a split earlier in the batch exist already: events are folded
                // one by one before the next transaction is built.
                let blk = st.block(b)?;
                let c = comm(blk.class, blk.vintage);
                *per.entry(c).or_default() += blk.count() as i64;
                comments.push(format!("serial: {}", st.block_serial(blk)));
            }
            for (c, q) in per {
                postings.push((ta.clone(), q, c.clone(), None));
                postings.push((fa.clone(), -q, c, None));
            }
        }
        Event::Authorized {
            blocks,
            authorization,
            ..
        } => {
            desc = format!("Authorized under {authorization}");
            for &b in blocks {
                let blk = st.block(b)?;
                let a = acct_name(st, &st.accounts[blk.account as usize].id);
                let q = blk.count() as i64;
                comments.push(format!("serial: {}", st.block_serial(blk)));
                postings.push((a.clone(), -q, comm(Class::Mo, blk.vintage), None));
                postings.push((a, q, comm(Class::Itmo, blk.vintage), None));
                postings.push((
                    "Conversion:Authorization".into(),
                    q,
                    comm(Class::Mo, blk.vintage),
                    None,
                ));
                postings.push((
                    "Conversion:Authorization".into(),
                    -q,
                    comm(Class::Itmo, blk.vintage),
                    None,
                ));
            }
        }
        _ => return None,
    }
    Some(Tx {
        date,
        desc,
        comments,
        postings,
    })
}
