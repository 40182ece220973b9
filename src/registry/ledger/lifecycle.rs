//! Planning of the lifecycle commands: two-phase requests (retirement, ITMO authorization)
//! with approve / reject / cancel, initial reports, authorized entities, CA records, closing
//! a reporting year and annotations. One job: validate these commands against the fold and
//! emit their events; the existing one-step `retire` / `authorize` stay the "already
//! approved" path and share the gating below.
//!
//! Rules named in refusals:
//! - `rule 6 four-eyes`: a requester never approves their own request (same user and org).
//! - `invariant 15 two-phase`: a request resolves exactly once; reserved blocks are not
//!   selectable by anything else (the selection skips them).
//! - `§5 initial report`: an approach becomes Submitted or Active only after a Submitted or
//!   Published initial report is on file.
//! - `rule 6 gating`: OIMP use or cancellation names an Active authorized entity of the
//!   cooperative approach.

use super::*;

const R_FOUR: &str = "rule 6 four-eyes";
const R_TP: &str = "invariant 15 two-phase";
const R_IR: &str = "§5 initial report";
const R_CA: &str = "invariant 12 CA records";

/// Fields an annotation may set (display metadata only).
pub const ANNOTATION_FIELDS: [&str; 5] = [
    "beneficiary_name",
    "beneficiary_id",
    "beneficiary_country",
    "purpose",
    "note",
];

/// The four-eyes rule applies to every role, Root included.
pub(super) fn check_four_eyes(
    st: &State,
    actor: &Actor,
    cmd: &Command,
) -> Result<(), RegistryError> {
    if let Command::ApproveRequest { id, .. } = cmd
        && let Some(req) = st.lc.requests.get(id.as_str())
        && req.requested_by.same_person(actor)
    {
        return Err(rej(
            R_FOUR,
            format!(
                "request {id} was made by {} ({}); a requester never approves their own request: another DNA officer must approve it",
                actor.user, actor.org
            ),
        ));
    }
    Ok(())
}

/// `" (N more reserved by pending requests)"` when the account holds reserved units, for
/// selection refusals (reserved blocks are never selectable).
pub(super) fn reserved_note(st: &State, acc: &Account) -> String {
    if st.lc.reserved.is_empty() {
        return String::new();
    }
    let n: u64 = acc
        .blocks
        .iter()
        .filter(|k| st.lc.reserved_by(k.3).is_some())
        .filter_map(|k| st.block(k.3))
        .map(Block::count)
        .sum();
    if n == 0 {
        String::new()
    } else {
        format!(
            " ({n} more reserved by pending requests; invariant 15: only their resolution releases them)"
        )
    }
}

impl<'a> Planner<'a> {
    pub(super) fn gate_initial_report(
        &self,
        approach: &str,
        status: ApproachStatus,
    ) -> Result<(), RegistryError> {
        if matches!(status, ApproachStatus::Submitted | ApproachStatus::Active)
            && !self.st.lc.has_initial_report(approach)
        {
            return Err(rej(
                R_IR,
                format!(
                    "cooperative approach {approach} cannot become {status:?} before its initial report is filed (file-initial-report with status Submitted or Published)"
                ),
            ));
        }
        Ok(())
    }

    /// The Active authorized entities of `approach`, for refusals: what a user may name instead.
    fn entities_hint(&self, approach: &str) -> String {
        let orgs = self.st.lc.active_entities_of(approach);
        if orgs.is_empty() {
            "it has none yet: record one with `registry authorized-entity`".to_string()
        } else {
            format!("its authorized entities: {}", orgs.join(", "))
        }
    }

    /// Rule 6: OIMP use or cancellation names an Active authorized entity of the approach.
    pub(super) fn gate_oimp_entity(
        &self,
        auth: &Authorization,
        entity: Option<&str>,
    ) -> Result<(), RegistryError> {
        if !auth.purpose.includes_oimp() {
            return Ok(());
        }
        match entity {
            None => Err(rej(
                R_GATE,
                format!(
                    "OIMP use or cancellation of ITMOs under {} must name an authorized entity of cooperative approach {} ({}; on the command line pass --entity)",
                    auth.id,
                    auth.approach,
                    self.entities_hint(&auth.approach)
                ),
            )),
            Some(e) if self.st.lc.active_entity(&auth.approach, e).is_none() => Err(rej(
                R_GATE,
                format!(
                    "{e} is not an Active authorized entity of cooperative approach {}; OIMP use or cancellation must name one ({})",
                    auth.approach,
                    self.entities_hint(&auth.approach)
                ),
            )),
            Some(_) => Ok(()),
        }
    }

    /// Target account and move kind of a retirement (request or approval), with the same
    /// gating as the one-step `retire` / `use` commands.
    #[allow(clippy::too_many_arguments)]
    fn retirement_target(
        &self,
        fa: &Account,
        picked: &[BlockId],
        ev: &[Event],
        subtype: RetirementSubtype,
        beneficiary: &Beneficiary,
        use_year: Option<u16>,
        entity: Option<&str>,
    ) -> Result<(String, MoveKind), RegistryError> {
        let st = self.st;
        check_beneficiary(beneficiary)?;
        let blocks: Vec<&Block> = picked
            .iter()
            .map(|&b| {
                self.planned_block(b, ev)
                    .ok_or_else(|| RegistryError::Internal("planned block".into()))
            })
            .collect::<Result<_, _>>()?;
        match subtype {
            RetirementSubtype::Retire => {
                let class = blocks.first().map(|b| b.class).unwrap_or(Class::Mo);
                if blocks.iter().any(|b| b.class != class) {
                    return Err(rej(
                        R_GATE,
                        "the selection mixes MOs and ITMOs; pass --class MO or --class ITMO",
                    ));
                }
                let kind = if class == Class::Itmo {
                    AccountKind::RetirementOimp
                } else {
                    AccountKind::VoluntaryCancellation
                };
                let to = system_account(st, &fa.party, kind)
                    .ok_or_else(|| rej(R_PRE, format!("no {} account", kind.as_str())))?;
                let (_, ta) = self.account(&to)?;
                for blk in &blocks {
                    if let Some(auth) = st.block_auth(blk) {
                        if !auth.purpose.includes_oimp() {
                            return Err(rej(
                                R_GATE,
                                format!(
                                    "ITMOs under {} (purpose NDC) cannot be retired for OIMP; use them towards an NDC",
                                    auth.id
                                ),
                            ));
                        }
                        if let Some(e) = entity
                            && !auth.entities.is_empty()
                            && !auth.entities.iter().any(|x| x == e)
                        {
                            return Err(rej(
                                R_AUTH,
                                format!("{e} is not an authorized entity of {}", auth.id),
                            ));
                        }
                        self.gate_oimp_entity(auth, entity)?;
                    }
                    self.gate_ft(blk, fa, ta)?;
                }
                Ok((
                    to,
                    MoveKind::Retire {
                        beneficiary: beneficiary.clone(),
                        authorized_entity: entity.map(str::to_string),
                    },
                ))
            }
            RetirementSubtype::Use => {
                let use_year = use_year.ok_or_else(|| {
                    rej(R_PRE, "a use towards an NDC needs use_year (--use-year)")
                })?;
                if !(1990..=2100).contains(&use_year) {
                    return Err(rej(
                        R_PRE,
                        format!("use year {use_year} must be a four-digit year"),
                    ));
                }
                let to = system_account(st, &fa.party, AccountKind::RetirementNdc)
                    .ok_or_else(|| rej(R_PRE, "no RetirementNDC account"))?;
                let (_, ta) = self.account(&to)?;
                for blk in &blocks {
                    if blk.class == Class::Itmo && blk.first_transfer.is_none() {
                        return Err(rej(
                            R_GATE,
                            "an ITMO that has not been first-transferred cannot be used towards an NDC; transfer it first",
                        ));
                    }
                    self.gate_period(fa, blk, use_year)?;
                    if let Some(auth) = st.block_auth(blk)
                        && !auth.purpose.includes_ndc()
                    {
                        return Err(rej(
                            R_GATE,
                            format!(
                                "authorization {} does not cover NDC use ({})",
                                auth.id,
                                auth.purpose.as_str()
                            ),
                        ));
                    }
                    self.gate_ft(blk, fa, ta)?;
                }
                Ok((
                    to,
                    MoveKind::Use {
                        use_year,
                        beneficiary: beneficiary.clone(),
                    },
                ))
            }
        }
    }

    /// MO → ITMO gating for a set of blocks and a total quantity (as `authorize`).
    fn authorization_gate(
        &self,
        auth: &Authorization,
        picked: &[BlockId],
        ev: &[Event],
        qty: u64,
    ) -> Result<(), RegistryError> {
        for &b in picked {
            let blk = self
                .planned_block(b, ev)
                .ok_or_else(|| RegistryError::Internal("planned block".into()))?;
            self.gate_authorization(auth, blk.vintage, 0)?;
            if let Some(p) = self.st.projects.get(self.st.block_project(blk))
                && p.covered_by_ndc == "Unknown"
                && p.mechanism == Mechanism::A64
            {
                return Err(rej(
                    R_AUTH,
                    format!(
                        "project {} must state coveredByNDC before its units are authorized",
                        p.id
                    ),
                ));
            }
        }
        self.gate_authorization(auth, 2021.max(auth.period_start), qty)
    }

    fn new_request_id(&self, id: &str) -> Result<(), RegistryError> {
        if !valid_id(id) || id.contains(' ') {
            return Err(rej(
                R_PRE,
                format!("request id {id:?}: 1-64 letters, digits, - _ : ."),
            ));
        }
        if self.st.lc.requests.contains_key(id) {
            return Err(rej(R_TP, format!("request id {id} is already used")));
        }
        Ok(())
    }

    fn pending(&self, id: &str) -> Result<&'a Request, RegistryError> {
        let st = self.st;
        let req = st
            .lc
            .requests
            .get(id)
            .ok_or_else(|| rej(R_PRE, format!("unknown request {id}")))?;
        if req.status != RequestStatus::Pending {
            return Err(rej(
                R_TP,
                format!(
                    "request {id} is already {:?}; each request resolves exactly once",
                    req.status
                ),
            ));
        }
        Ok(req)
    }

    fn approach_exists(&self, approach: &str) -> Result<(), RegistryError> {
        if self.st.approaches.contains_key(approach) {
            Ok(())
        } else {
            Err(rej(
                R_PRE,
                format!("unknown cooperative approach {approach}"),
            ))
        }
    }

    pub(super) fn plan_lifecycle(
        &mut self,
        cmd: &Command,
        ev: &mut Vec<Event>,
    ) -> Result<(), RegistryError> {
        let st = self.st;
        match cmd {
            Command::RequestRetirement {
                id,
                from,
                quantity,
                filter,
                subtype,
                beneficiary,
                use_year,
                authorized_entity,
            } => {
                self.new_request_id(id)?;
                check_beneficiary(beneficiary)?;
                let (_, fa) = self.live_source(from)?;
                let picked = self.select(fa, *quantity, filter, false, ev)?;
                let (to, _) = self.retirement_target(
                    fa,
                    &picked,
                    ev,
                    *subtype,
                    beneficiary,
                    *use_year,
                    authorized_entity.as_deref(),
                )?;
                ev.push(Event::RetirementRequested {
                    id: id.clone(),
                    from: from.clone(),
                    to,
                    blocks: picked,
                    subtype: *subtype,
                    beneficiary: beneficiary.clone(),
                    use_year: *use_year,
                    authorized_entity: authorized_entity.clone(),
                });
            }
            Command::RequestItmoAuthorization {
                id,
                account,
                authorization,
                quantity,
                filter,
                date,
            } => {
                self.new_request_id(id)?;
                let auth = st
                    .authorization(authorization)
                    .ok_or_else(|| rej(R_PRE, format!("unknown authorization {authorization}")))?;
                let (_, acc) = self.live_source(account)?;
                let mut f = filter.clone();
                f.class = Some(Class::Mo);
                let picked = self.select(acc, *quantity, &f, false, ev)?;
                self.authorization_gate(auth, &picked, ev, *quantity)?;
                ev.push(Event::ItmoAuthorizationRequested {
                    id: id.clone(),
                    account: account.clone(),
                    authorization: authorization.clone(),
                    blocks: picked,
                    date: *date,
                });
            }
            Command::ApproveRequest { id, quantity } => {
                let req = self.pending(id)?;
                let total = st.units_of(&req.blocks);
                match &req.kind {
                    RequestKind::Retirement {
                        from,
                        subtype,
                        beneficiary,
                        use_year,
                        authorized_entity,
                        ..
                    } => {
                        if quantity.is_some_and(|q| q != total) {
                            return Err(rej(
                                R_TP,
                                format!(
                                    "retirement request {id} approves in full ({} units); reject or cancel it instead",
                                    Units(total)
                                ),
                            ));
                        }
                        let (_, fa) = self.live_source(from)?;
                        let (to, kind) = self.retirement_target(
                            fa,
                            &req.blocks,
                            ev,
                            *subtype,
                            beneficiary,
                            *use_year,
                            authorized_entity.as_deref(),
                        )?;
                        ev.push(Event::RequestApproved {
                            id: id.clone(),
                            blocks: req.blocks.clone(),
                        });
                        ev.push(Event::Moved {
                            blocks: req.blocks.clone(),
                            from: from.to_string(),
                            to,
                            kind,
                        });
                    }
                    RequestKind::ItmoAuthorization {
                        authorization,
                        date,
                        ..
                    } => {
                        let q = quantity.unwrap_or(total);
                        if q == 0 || q > total {
                            return Err(rej(
                                R_TP,
                                format!(
                                    "approve between 1 and {} units of request {id} (partial approval splits)",
                                    Units(total)
                                ),
                            ));
                        }
                        let auth = st.authorization(authorization).ok_or_else(|| {
                            rej(R_PRE, format!("unknown authorization {authorization}"))
                        })?;
                        // LOWEST_SERIAL_FIRST within the request: whole blocks while they
                        // fit, then the lowest serials of the next one.
                        let mut blocks: Vec<&Block> =
                            req.blocks.iter().filter_map(|b| st.block(*b)).collect();
                        blocks.sort_by_key(|b| st.block_key(b));
                        let mut left = q;
                        let mut approved = Vec::new();
                        for b in blocks {
                            if left == 0 {
                                break;
                            }
                            approved.push(self.take_lowest(b, left, ev));
                            left -= b.count().min(left);
                        }
                        self.authorization_gate(auth, &approved, ev, q)?;
                        ev.push(Event::RequestApproved {
                            id: id.clone(),
                            blocks: approved.clone(),
                        });
                        ev.push(Event::Authorized {
                            blocks: approved,
                            authorization: authorization.to_string(),
                            date: *date,
                        });
                    }
                }
            }
            Command::RejectRequest { id, reason } => {
                self.pending(id)?;
                if reason.trim().is_empty() {
                    return Err(rej(R_PRE, "a rejection needs a reason"));
                }
                ev.push(Event::RequestRejected {
                    id: id.clone(),
                    reason: reason.clone(),
                });
            }
            Command::CancelRequest { id, reason } => {
                self.pending(id)?;
                ev.push(Event::RequestCancelled {
                    id: id.clone(),
                    reason: reason.clone(),
                });
            }
            Command::FileInitialReport {
                approach,
                version,
                status,
            } => {
                self.approach_exists(approach)?;
                if *version == 0 {
                    return Err(rej(R_PRE, "initial report versions start at 1"));
                }
                if let Some(r) = st.lc.initial_reports.get(approach)
                    && (*version < r.version || (*version == r.version && *status <= r.status))
                {
                    return Err(rej(
                        R_IR,
                        format!(
                            "initial report of {approach} is version {} {:?}; file a later version or advance Draft → Submitted → Published",
                            r.version, r.status
                        ),
                    ));
                }
                ev.push(Event::InitialReportFiled {
                    approach: approach.clone(),
                    version: *version,
                    status: *status,
                });
            }
            Command::RecordAuthorizedEntity {
                organization,
                approach,
                date,
                conditions,
                revocation_conditions,
                status,
            } => {
                self.approach_exists(approach)?;
                if !st.orgs.contains_key(organization) {
                    return Err(rej(
                        R_PRE,
                        format!("unknown organization {organization}; register it first"),
                    ));
                }
                if st
                    .lc
                    .entities
                    .get(&(approach.clone(), organization.clone()))
                    .is_some_and(|e| e.status == EntityStatus::Revoked)
                {
                    return Err(rej(
                        R_AUTH,
                        format!(
                            "authorized entity {organization} of {approach} was revoked; revocation is final"
                        ),
                    ));
                }
                ev.push(Event::AuthorizedEntityRecorded {
                    organization: organization.clone(),
                    approach: approach.clone(),
                    date: *date,
                    conditions: conditions.clone(),
                    revocation_conditions: revocation_conditions.clone(),
                    status: *status,
                });
            }
            Command::RecordCa {
                approach,
                year,
                quantity,
            } => {
                self.approach_exists(approach)?;
                if !(1990..=2100).contains(year) {
                    return Err(rej(R_PRE, format!("year {year} must be four digits")));
                }
                if let Some(r) = st.lc.ca_records.get(&(approach.clone(), *year))
                    && r.status != CaStatus::Draft
                {
                    return Err(rej(
                        R_CA,
                        format!(
                            "CA record {approach} {year} is {:?}; only a Draft record changes",
                            r.status
                        ),
                    ));
                }
                ev.push(Event::CaRecorded {
                    approach: approach.clone(),
                    year: *year,
                    quantity: *quantity,
                });
            }
            Command::SubmitCa { approach, year } | Command::ApproveCa { approach, year } => {
                let submit = matches!(cmd, Command::SubmitCa { .. });
                let want = if submit {
                    CaStatus::Draft
                } else {
                    CaStatus::Submitted
                };
                match st.lc.ca_records.get(&(approach.clone(), *year)) {
                    Some(r) if r.status == want => {}
                    Some(r) => {
                        return Err(rej(
                            R_CA,
                            format!(
                                "CA record {approach} {year} is {:?}; {} needs {want:?} (Draft → Submitted → Approved)",
                                r.status,
                                if submit { "submit" } else { "approve" }
                            ),
                        ));
                    }
                    None => {
                        return Err(rej(
                            R_PRE,
                            format!("no CA record for {approach} {year}; record it first"),
                        ));
                    }
                }
                ev.push(if submit {
                    Event::CaSubmitted {
                        approach: approach.clone(),
                        year: *year,
                    }
                } else {
                    Event::CaApproved {
                        approach: approach.clone(),
                        year: *year,
                    }
                });
            }
            Command::CloseReportingYear { year } => {
                if !(1990..=2100).contains(year) {
                    return Err(rej(R_PRE, format!("year {year} must be four digits")));
                }
                if st.lc.closed_years.contains_key(year) {
                    return Err(rej(
                        R_PRE,
                        format!("reporting year {year} is already closed"),
                    ));
                }
                ev.push(Event::YearClosed { year: *year });
            }
            Command::Annotate {
                seq,
                fields,
                reason,
            } => {
                if *seq == 0 || *seq > st.last_seq {
                    return Err(rej(
                        R_PRE,
                        format!("event {seq} does not exist (last is {})", st.last_seq),
                    ));
                }
                if reason.trim().is_empty() || fields.is_empty() {
                    return Err(rej(R_PRE, "an annotation needs fields and a reason"));
                }
                for k in fields.keys() {
                    if !ANNOTATION_FIELDS.contains(&k.as_str()) {
                        return Err(rej(
                            R_PRE,
                            format!(
                                "field {k:?} is not display metadata; use {}",
                                ANNOTATION_FIELDS.join(", ")
                            ),
                        ));
                    }
                    if k != "note" && !st.lc.beneficiary_events.contains(seq) {
                        return Err(rej(
                            R_PRE,
                            format!("event {seq} carries no beneficiary; only `note` applies"),
                        ));
                    }
                }
                ev.push(Event::Annotated {
                    seq: *seq,
                    fields: fields.clone(),
                    reason: reason.clone(),
                });
            }
            _ => return Err(RegistryError::Internal("not a lifecycle command".into())),
        }
        Ok(())
    }
}
