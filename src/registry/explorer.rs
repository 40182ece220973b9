//! Explorer: which events touched a serial, a project, an account or a beneficiary, and the
//! whole life of one serial (issuance → transfers → retirement, with the beneficiary and the
//! hash that anchors it). One job: read-only queries over the retained event log.
//!
//! Two-phase requests show as their request, approval and resolution events (the approved
//! move or authorization follows in the same batch). Annotations are listed next to the event
//! they annotate (`annotations`), and as their own `Annotated` rows; the original event is
//! never rewritten.

use serde::Serialize;

use super::error::RegistryError;
use super::event::{BlockId, Envelope, Event, MoveKind};
use super::ledger::Ledger;
use super::serial::SerialQuery;
use super::state::{Annotation, State};
use super::types::{ActivityStep, Beneficiary, FirstTransferDefinition, Mechanism};

/// Filters; all given ones must match.
#[derive(Debug, Clone, Default)]
pub struct ExplorerQuery {
    /// A serial string (`BTN01-P0007-2024-000001-000930`), `PROJECT:UNIT`, or a unit number.
    pub serial: Option<String>,
    pub project: Option<String>,
    pub account: Option<String>,
    /// Case-insensitive substring of the beneficiary name or id.
    pub beneficiary: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExplorerRow {
    pub seq: u64,
    pub ts: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub command_id: String,
    pub actor: String,
    pub hash: String,
    pub serials: Vec<String>,
    pub accounts: Vec<String>,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beneficiary: Option<Beneficiary>,
    /// Later display corrections of this event (never rewriting it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<Annotation>,
}

/// The life of one serial range or unit.
#[derive(Debug, Clone, Serialize)]
pub struct SerialLife {
    pub query: String,
    /// Current live blocks covering the query, with account and status.
    pub current: Vec<CurrentBlock>,
    pub events: Vec<ExplorerRow>,
    /// Hash of the last event in the life (e.g. the retirement), and the log head hash.
    pub anchor_hash: Option<String>,
    pub head_hash: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CurrentBlock {
    pub serial: String,
    pub account: String,
    pub status: &'static str,
    pub class: &'static str,
    pub first_transferred: bool,
    pub frozen: bool,
    /// Pending request reserving the block.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reserved_by: Option<String>,
}

fn blocks_of(ev: &Event) -> Vec<BlockId> {
    match ev {
        Event::Issued { legs, .. } => legs.iter().map(|l| l.block).collect(),
        Event::Acquired { block, .. } => vec![*block],
        Event::Split { parent, children } => std::iter::once(*parent)
            .chain(children.iter().map(|c| c.block))
            .collect(),
        Event::Moved { blocks, .. }
        | Event::Authorized { blocks, .. }
        | Event::Frozen { blocks, .. }
        | Event::Unfrozen { blocks, .. }
        | Event::RetirementRequested { blocks, .. }
        | Event::ItmoAuthorizationRequested { blocks, .. }
        | Event::RequestApproved { blocks, .. } => blocks.clone(),
        _ => Vec::new(),
    }
}

fn accounts_of(st: &State, ev: &Event) -> Vec<String> {
    match ev {
        Event::Issued { legs, .. } => legs.iter().map(|l| l.account.clone()).collect(),
        Event::Acquired { account, .. } => vec![account.clone()],
        Event::Moved { from, to, .. } => vec![from.clone(), to.clone()],
        Event::AccountOpened { id, .. } => vec![id.clone()],
        Event::RetirementRequested { from, to, .. } => vec![from.clone(), to.clone()],
        Event::ItmoAuthorizationRequested { account, .. } => vec![account.clone()],
        Event::Split { parent, .. } => st
            .block(*parent)
            .map(|b| vec![st.accounts[b.account as usize].id.clone()])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn project_of(st: &State, ev: &Event) -> Option<String> {
    match ev {
        Event::Issued { project, .. }
        | Event::Acquired { project, .. }
        | Event::ProjectStepRecorded { project, .. }
        | Event::ValidationRecorded { project, .. }
        | Event::VerificationRecorded { project, .. }
        | Event::EstimationAdded { project, .. }
        | Event::LabelAttached { project, .. } => Some(project.clone()),
        Event::ProjectRegistered { id, .. } => Some(id.clone()),
        _ => blocks_of(ev)
            .first()
            .and_then(|b| st.block(*b))
            .map(|b| st.block_project(b).to_string()),
    }
}

fn beneficiary_of(ev: &Event) -> Option<&Beneficiary> {
    match ev {
        Event::Moved {
            kind: MoveKind::Use { beneficiary, .. } | MoveKind::Retire { beneficiary, .. },
            ..
        } => Some(beneficiary),
        Event::RetirementRequested { beneficiary, .. } => Some(beneficiary),
        _ => None,
    }
}

/// A unit count with thousands separators (`46,250`), as participants read quantities.
fn units(n: u64) -> String {
    super::types::Units(n).to_string()
}

/// One line saying what an event did, in units (blocks are never rewritten, so the count of a
/// block id read from today's state is its count at the event). Every kind has its own line
/// (no catch-all arm: a new event kind does not compile until it says what it did).
fn summary(st: &State, ev: &Event) -> String {
    let n = |blocks: &[BlockId]| units(st.units_of(blocks));
    match ev {
        Event::Issued {
            project,
            vintage,
            first,
            last,
            ..
        } => format!(
            "issued {} units of {project} vintage {vintage} ({first}-{last})",
            units(last - first + 1)
        ),
        Event::PartyRegistered {
            code,
            registry_id,
            name,
            ..
        } => format!("Party {code} ({name}), registry {registry_id}"),
        Event::OrganizationRegistered {
            id, name, roles, ..
        } => format!(
            "organization {id} ({name}), roles {}",
            roles
                .iter()
                .map(|r| r.name())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Event::Moved {
            from,
            to,
            kind,
            blocks,
        } => format!(
            "{} units {from} → {to} ({})",
            n(blocks),
            match kind {
                MoveKind::Transfer {
                    acquiring_party: Some(p),
                } => format!("international transfer to {p}"),
                MoveKind::Transfer { .. } => "transfer".into(),
                MoveKind::Use { use_year, .. } => format!("use towards NDC {use_year}"),
                MoveKind::Retire { beneficiary, .. } => format!("retired for {}", beneficiary.name),
                MoveKind::Cancel { subtype, .. } => format!("{subtype:?} cancellation"),
            }
        ),
        Event::Split { parent, children } => {
            format!("block {parent} split into {}", children.len())
        }
        Event::Authorized {
            authorization,
            blocks,
            ..
        } => format!("{} units authorized under {authorization}", n(blocks)),
        Event::CommandRejected { rule, message } => format!("rejected: {rule}: {message}"),
        Event::RetirementRequested {
            id,
            blocks,
            subtype,
            beneficiary,
            ..
        } => format!(
            "request {id}: {} units reserved for {} ({subtype:?}) of {}",
            n(blocks),
            match subtype {
                super::types::RetirementSubtype::Retire => "retirement",
                super::types::RetirementSubtype::Use => "use",
            },
            beneficiary.name
        ),
        Event::ItmoAuthorizationRequested {
            id,
            authorization,
            blocks,
            ..
        } => format!(
            "request {id}: {} units reserved for authorization under {authorization}",
            n(blocks)
        ),
        Event::RequestApproved { id, blocks } => {
            format!("request {id} approved ({} units)", n(blocks))
        }
        Event::RequestRejected { id, reason } => format!("request {id} rejected: {reason}"),
        Event::RequestCancelled { id, reason } => format!("request {id} cancelled: {reason}"),
        Event::InitialReportFiled {
            approach,
            version,
            status,
        } => format!("initial report of {approach} v{version} {status:?}"),
        Event::AuthorizedEntityRecorded {
            organization,
            approach,
            status,
            ..
        } => format!("authorized entity {organization} of {approach}: {status:?}"),
        Event::CaRecorded {
            approach,
            year,
            quantity,
        } => format!("CA record {approach} {year}: {quantity} declared (Draft)"),
        Event::CaSubmitted { approach, year } => format!("CA record {approach} {year} submitted"),
        Event::CaApproved { approach, year } => format!("CA record {approach} {year} approved"),
        Event::YearClosed { year } => format!("reporting year {year} closed"),
        Event::Annotated {
            seq,
            fields,
            reason,
        } => format!(
            "annotation of event {seq}: {} ({reason})",
            fields
                .iter()
                .map(|(k, v)| format!("{k} = {v:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Event::AccountOpened {
            id,
            owner,
            party,
            kind,
        } => format!("account {id} ({}) of {owner}, Party {party}", kind.as_str()),
        Event::ProjectRegistered {
            id,
            name,
            sector,
            mechanism,
            host,
            ..
        } => format!(
            "project {id} ({name}), {sector}, {}, host {host}",
            mechanism_name(*mechanism)
        ),
        Event::ProjectStepRecorded {
            project,
            step,
            date,
        } => format!("project {project}: {} on {date}", step_name(*step)),
        Event::ValidationRecorded {
            id,
            project,
            vvb,
            crediting_start,
            crediting_end,
            ..
        } => format!(
            "validation {id} of {project} by {vvb}, crediting {crediting_start}–{crediting_end}"
        ),
        Event::VerificationRecorded {
            id,
            project,
            vvb,
            monitoring_start,
            monitoring_end,
            verified_quantity,
            ..
        } => format!(
            "verification {id} of {project} by {vvb}: {} verified for {monitoring_start}–{monitoring_end}",
            units(*verified_quantity)
        ),
        // Invariant 13: an estimation is a forecast, never units; the summary says so.
        Event::EstimationAdded {
            project,
            year,
            unit_count,
        } => format!(
            "estimate for {project} {year}: {} (a forecast, no units issued)",
            units(*unit_count)
        ),
        Event::LabelAttached {
            project,
            label_type,
            name,
            ..
        } => format!("{label_type} \"{name}\" attached to {project}"),
        Event::ApproachRecorded {
            id,
            title,
            host,
            parties,
        } => format!(
            "cooperative approach {id} ({title}), host {host}, with {}",
            parties.join(", ")
        ),
        Event::ApproachStatusSet { id, status } => {
            format!("cooperative approach {id} is now {status:?}")
        }
        Event::AuthorizationRecorded {
            id,
            version,
            approach,
            purpose,
            acquiring_parties,
            authorized_quantity,
            period_start,
            period_end,
            first_transfer_definition,
            ..
        } => format!(
            "authorization {id} v{version} under {approach}: {} for {}, {}, {period_start}–{period_end}, first transfer at {}",
            purpose.as_str(),
            if acquiring_parties.is_empty() {
                "any Party".to_string()
            } else {
                acquiring_parties.join(", ")
            },
            authorized_quantity.map_or_else(
                || "no quantity cap".to_string(),
                |q| format!("up to {}", units(q))
            ),
            first_transfer_definition.map_or("(not defined)", FirstTransferDefinition::aef),
        ),
        Event::Acquired {
            project,
            vintage,
            first,
            last,
            account,
            from_party,
            ..
        } => format!(
            "acquired {} units of {project} vintage {vintage} from {from_party} into {account}",
            units(last - first + 1)
        ),
        Event::Frozen { blocks, reason } => format!("{} units frozen: {reason}", n(blocks)),
        Event::Unfrozen { blocks, reason } => format!("{} units unfrozen: {reason}", n(blocks)),
    }
}

fn mechanism_name(m: Mechanism) -> &'static str {
    match m {
        Mechanism::A62 => "Article 6.2",
        Mechanism::A64 => "Article 6.4",
        Mechanism::Domestic => "domestic",
    }
}

fn step_name(s: ActivityStep) -> &'static str {
    match s {
        ActivityStep::IdeaNote => "idea note",
        ActivityStep::LetterOfAuthorization => "letter of authorization",
        ActivityStep::DesignDocument => "design document",
        ActivityStep::Validation => "validation",
        ActivityStep::Registration => "registration",
        ActivityStep::Monitoring => "monitoring",
        ActivityStep::Verification => "verification",
        ActivityStep::Issuance => "issuance",
        ActivityStep::CdmTransition => "CDM transition",
        ActivityStep::Completed => "completed",
        ActivityStep::Withdrawn => "withdrawn",
        ActivityStep::Deregistered => "deregistered",
    }
}

fn row(st: &State, env: &Envelope) -> ExplorerRow {
    ExplorerRow {
        seq: env.seq,
        ts: env.ts.clone(),
        kind: env.event.type_name().to_string(),
        command_id: env.command_id.clone(),
        actor: format!("{}/{}/{:?}", env.actor.user, env.actor.org, env.actor.role),
        hash: env.hash.clone(),
        serials: blocks_of(&env.event)
            .into_iter()
            .filter_map(|b| st.block(b))
            .map(|b| st.block_serial(b).to_string())
            .collect(),
        accounts: accounts_of(st, &env.event),
        summary: summary(st, &env.event),
        beneficiary: beneficiary_of(&env.event).cloned(),
        annotations: st.lc.annotations.get(&env.seq).cloned().unwrap_or_default(),
    }
}

/// Block ids (live or not) overlapping a serial query.
fn matching_blocks(st: &State, q: &SerialQuery) -> Vec<BlockId> {
    st.blocks
        .iter()
        .filter(|b| match q {
            SerialQuery::Range(s) => {
                st.block_project(b) == s.project
                    && b.vintage == s.vintage
                    && st.issuances[b.issuance as usize].registry.as_ref() == s.registry
                    && b.first <= s.last
                    && s.first <= b.last
            }
            SerialQuery::Unit { project, unit } => {
                project.as_deref().is_none_or(|p| p == st.block_project(b))
                    && b.first <= *unit
                    && *unit <= b.last
            }
        })
        .map(|b| b.id)
        .collect()
}

impl Ledger {
    /// Events matching every given filter, in log order.
    pub fn explore(&self, q: &ExplorerQuery) -> Result<Vec<ExplorerRow>, RegistryError> {
        let st = self.state();
        let serial_blocks = match &q.serial {
            Some(s) => {
                let sq =
                    SerialQuery::parse(s).map_err(|e| RegistryError::BadInput(e.to_string()))?;
                let mut v = matching_blocks(st, &sq);
                v.sort_unstable();
                Some(v)
            }
            None => None,
        };
        let needle = q.beneficiary.as_ref().map(|b| b.to_lowercase());
        let mut out = Vec::new();
        for env in self.events() {
            let ev = &env.event;
            if let Some(sb) = &serial_blocks
                && !blocks_of(ev).iter().any(|b| sb.binary_search(b).is_ok())
            {
                continue;
            }
            if let Some(p) = &q.project
                && project_of(st, ev).as_deref() != Some(p.as_str())
            {
                continue;
            }
            if let Some(a) = &q.account
                && !accounts_of(st, ev).iter().any(|x| x == a)
            {
                continue;
            }
            if let Some(n) = &needle
                && !beneficiary_of(ev).is_some_and(|b| b.matches(n))
            {
                continue;
            }
            out.push(row(st, env));
        }
        Ok(out)
    }

    /// Whole life of a serial (range or unit): every event on it and where it is now.
    pub fn serial_life(&self, serial: &str) -> Result<SerialLife, RegistryError> {
        let st = self.state();
        let sq = SerialQuery::parse(serial).map_err(|e| RegistryError::BadInput(e.to_string()))?;
        let ids = matching_blocks(st, &sq);
        let current = ids
            .iter()
            .filter_map(|&id| st.block(id))
            .filter(|b| b.live())
            .map(|b| {
                let acc = &st.accounts[b.account as usize];
                CurrentBlock {
                    serial: st.block_serial(b).to_string(),
                    account: acc.id.clone(),
                    status: acc.kind.cadt_status(),
                    class: b.class.as_str(),
                    first_transferred: b.first_transfer.is_some(),
                    frozen: b.frozen(),
                    reserved_by: st.lc.reserved_by(b.id).map(str::to_string),
                }
            })
            .collect();
        let events = self.explore(&ExplorerQuery {
            serial: Some(serial.to_string()),
            ..ExplorerQuery::default()
        })?;
        Ok(SerialLife {
            query: serial.to_string(),
            current,
            anchor_hash: events.last().map(|r| r.hash.clone()),
            events,
            head_hash: self.head_hash().to_string(),
        })
    }
}
