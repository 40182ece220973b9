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

use crate::registry::event::{Envelope, Event, LegKind};
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

/// Render the journal. Balance assertions are emitted at the end of every year present.
pub fn render(ledger: &Ledger) -> String {
    let mut st = State::new();
    let mut txs: Vec<(u16, Tx)> = Vec::new();
    for env in ledger.events() {
        if let Some(tx) = tx_for(&st, env) {
            txs.push((env.year(), tx));
        }
        if st.apply(env).is_err() {
            break;
        }
    }
    let mut accounts = BTreeSet::new();
    let mut commodities = BTreeSet::new();
    for (_, t) in &txs {
        for p in &t.postings {
            accounts.insert(p.0.clone());
            commodities.insert(p.2.clone());
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "; ndc-workbench registry journal (read-only teaching view)"
    );
    let _ = writeln!(
        out,
        "; events: {}  head hash: {}\n",
        ledger.last_seq(),
        ledger.head_hash()
    );
    for t in ["seq", "hash", "serial"] {
        let _ = writeln!(out, "tag {t}");
    }
    out.push('\n');
    for c in &commodities {
        let _ = writeln!(out, "commodity {c}");
    }
    out.push('\n');
    for a in &accounts {
        let _ = writeln!(out, "account {a}");
    }
    out.push('\n');
    let mut bal: BTreeMap<(String, String), i64> = BTreeMap::new();
    let n = txs.len();
    for i in 0..n {
        let (year, t) = &txs[i];
        let _ = writeln!(out, "{} {}", t.date, t.desc);
        for c in &t.comments {
            let _ = writeln!(out, "    ; {c}");
        }
        for (a, q, c, note) in &t.postings {
            let _ = writeln!(out, "    {a:<40}  {q} {c}");
            if let Some(nt) = note {
                let _ = writeln!(out, "    ; {nt}");
            }
            *bal.entry((a.clone(), c.clone())).or_default() += q;
        }
        out.push('\n');
        let year_ends = i + 1 == n || txs[i + 1].0 != *year;
        if year_ends {
            let _ = writeln!(out, "{year}-12-31 Year-end balance assertions {year}");
            // Zero balances are not asserted: ledger-cli reads a zero amount as commodity-less
            // and would then assert the whole multi-commodity balance.
            for ((a, c), q) in bal.iter().filter(|(_, q)| **q != 0) {
                let _ = writeln!(out, "    {a:<40}  0 {c} = {q} {c}");
            }
            out.push('\n');
        }
    }
    out
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
