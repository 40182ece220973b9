//! Validation beyond syntax: references, ids, years, shares, signs, vocabularies and the
//! consistency of the NDC. Each rule yields a `Problem` with the path of the offending value;
//! `load` turns paths into file:line:column.
//!
//! Rules (each has an invalid fixture under `tests/fixtures/invalid/`):
//! ids unique and well-formed; sector references resolve; years within 1990–2100 and ordered;
//! target year inside the period; crediting period within the activity's mitigation years;
//! Article 6 (6.2/6.4) crediting not before 2021; percentages in 0–100, shares in 0–1;
//! no negative mitigation, demand, price, cap, level (except net-sink BAU); categories known;
//! acquiring parties among partners; OIMP authorizations name their first-transfer definition;
//! a multi-year NDC has a trajectory or budget; the CA method fits the NDC kind; the
//! conditional target is at least as ambitious as the unconditional one.
//! The `[readiness]` and `[[nma]]` rules live in `crate::readiness::validate`.

use super::categories;
use super::error::Problem;
use super::schema::*;
use super::span::Path;
use super::years::YearMap;
use rust_decimal::Decimal;
use std::collections::HashSet;

/// Sensible bounds for any year in a scenario.
pub const YEAR_MIN: i32 = 1990;
pub const YEAR_MAX: i32 = 2100;
/// First vintage eligible under Article 6.
pub const VINTAGE_MIN: i32 = 2021;

struct V {
    out: Vec<Problem>,
}

impl V {
    fn err(&mut self, path: Path, message: impl Into<String>, hint: impl Into<String>) {
        self.out.push(Problem {
            path,
            message: message.into(),
            hint: hint.into(),
        });
    }

    fn year(&mut self, path: Path, y: i32) -> bool {
        if !(YEAR_MIN..=YEAR_MAX).contains(&y) {
            self.err(
                path,
                format!("year {y} is outside {YEAR_MIN}–{YEAR_MAX}"),
                "write a four-digit calendar year",
            );
            return false;
        }
        true
    }

    fn range(&mut self, path: Path, r: [i32; 2], what: &str) -> bool {
        let ok = self.year(path.clone(), r[0]) & self.year(path.clone(), r[1]);
        if ok && r[0] > r[1] {
            self.err(
                path,
                format!("{what} [{}, {}] ends before it starts", r[0], r[1]),
                "write [first year, last year]",
            );
            return false;
        }
        ok
    }

    fn share(&mut self, path: Path, v: Decimal) {
        if v < Decimal::ZERO || v > Decimal::ONE {
            self.err(
                path,
                format!("share {v} is outside 0–1"),
                "write a share such as 0.1 for 10 %",
            );
        }
    }

    fn percent(&mut self, path: Path, v: Decimal) {
        if v < Decimal::ZERO || v > Decimal::ONE_HUNDRED {
            self.err(
                path,
                format!("percentage {v} is outside 0–100"),
                "write a percentage such as 20 for 20 %",
            );
        }
    }

    fn non_negative(&mut self, path: Path, v: Decimal, what: &str) {
        if v < Decimal::ZERO {
            self.err(
                path,
                format!("{what} {v} is negative"),
                format!("{what} cannot be below zero"),
            );
        }
    }

    fn year_map(&mut self, path: Path, m: &YearMap, allow_negative: bool, what: &str) {
        if m.0.is_empty() {
            self.err(
                path.clone(),
                format!("{what} gives no years"),
                "give at least one year, e.g. { 2021 = 100 }",
            );
        }
        for (y, v) in &m.0 {
            let p = path.key(&y.to_string());
            self.year(p.clone(), *y);
            if !allow_negative {
                self.non_negative(p, *v, what);
            }
        }
    }

    fn id(&mut self, path: Path, id: &str, what: &str) {
        if !simple_id(id) {
            self.err(
                path,
                format!("{what} id `{id}` is not a simple id"),
                "use lowercase letters, digits and dashes, e.g. `small-hydro`",
            );
        }
    }
}

/// Is `id` a simple id: lowercase ASCII letters, digits, `-` and `_`, not empty, not starting
/// with `-`? Scenario, sector and activity ids must be; session files and their journals are
/// named after the scenario id, so a simple id is also a safe file-name part.
pub fn simple_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// All problems in a parsed scenario file, in document order.
pub fn validate(f: &ScenarioFile) -> Vec<Problem> {
    let mut v = V { out: vec![] };
    let root = Path::root();

    if f.schema != SCHEMA_VERSION {
        v.err(
            root.key("schema"),
            format!("schema version {} is not supported", f.schema),
            format!("this build reads schema = {SCHEMA_VERSION}"),
        );
    }
    v.id(root.key("scenario").key("id"), &f.scenario.id, "scenario");
    let cur = &f.scenario.currency;
    if cur.len() != 3 || !cur.chars().all(|c| c.is_ascii_uppercase()) {
        v.err(
            root.key("scenario").key("currency"),
            format!("currency `{cur}` is not an ISO 4217 code"),
            "write three capitals, e.g. USD",
        );
    }

    // party
    let p = root.key("party");
    let code = &f.party.code;
    if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
        v.err(
            p.key("code"),
            format!("party code `{code}` is not ISO 3166-1 alpha-3"),
            "write three capitals, e.g. BTN",
        );
    }
    let rid = &f.party.registry_id;
    let rid_ok = rid.len() == 5
        && rid[..3].chars().all(|c| c.is_ascii_uppercase())
        && rid[3..].chars().all(|c| c.is_ascii_digit());
    if !rid_ok {
        v.err(
            p.key("registry_id"),
            format!("registry id `{rid}` is not three capitals and two digits"),
            "write e.g. BTN01",
        );
    } else if &rid[..3] != code.as_str() {
        v.err(
            p.key("registry_id"),
            format!("registry id `{rid}` does not start with the party code {code}"),
            format!("write {code}01"),
        );
    }

    validate_ndc(&mut v, f);

    // sectors
    let mut sector_ids = HashSet::new();
    for (i, s) in f.sectors.iter().enumerate() {
        let sp = root.key("sector").index(i);
        v.id(sp.key("id"), &s.id, "sector");
        if !sector_ids.insert(s.id.as_str()) {
            v.err(
                sp.key("id"),
                format!("sector id `{}` is used twice", s.id),
                "give every sector its own id",
            );
        }
        match (&s.bau, &s.removals) {
            (Some(b), None) => v.year_map(sp.key("bau"), b, true, "BAU"),
            (None, Some(r)) => v.year_map(sp.key("removals"), r, false, "removals"),
            (None, None) => v.err(
                sp.clone(),
                format!("sector `{}` has neither `bau` nor `removals`", s.id),
                "add bau = { 2021 = …, 2030 = … }",
            ),
            (Some(_), Some(_)) => v.err(
                sp.key("removals"),
                format!("sector `{}` has both `bau` and `removals`", s.id),
                "give net BAU (negative for a sink) or removals, not both",
            ),
        }
        if s.in_scope {
            let series = s.bau.as_ref().or(s.removals.as_ref());
            if let Some(m) = series
                && !m.0.is_empty()
                && !m.covers(f.ndc.period[0], f.ndc.period[1])
            {
                let key = if s.bau.is_some() { "bau" } else { "removals" };
                v.err(
                    sp.key(key),
                    format!(
                        "sector `{}` does not cover the NDC period {}–{}",
                        s.id, f.ndc.period[0], f.ndc.period[1]
                    ),
                    "give values for the first and last year of the period",
                );
            }
        }
    }
    if f.party.role != PartyRole::Acquiring && !f.sectors.iter().any(|s| s.in_scope) {
        v.err(
            root.key("sector"),
            "no sector is in the NDC scope",
            "mark at least one sector in_scope = true",
        );
    }

    // partners
    let mut partner_codes = HashSet::new();
    for (i, pa) in f.partners.iter().enumerate() {
        let pp = root.key("partner").index(i);
        if pa.code.len() != 3 || !pa.code.chars().all(|c| c.is_ascii_uppercase()) {
            v.err(
                pp.key("code"),
                format!("partner code `{}` is not ISO 3166-1 alpha-3", pa.code),
                "write three capitals, e.g. SGP",
            );
        }
        if !partner_codes.insert(pa.code.as_str()) {
            v.err(
                pp.key("code"),
                format!("partner `{}` is listed twice", pa.code),
                "merge the two [[partner]] entries",
            );
        }
        if !pa.demand.0.is_empty() {
            v.year_map(pp.key("demand"), &pa.demand, false, "demand");
        }
        v.non_negative(pp.key("price"), pa.price, "price");
    }

    // activities
    let mut activity_ids = HashSet::new();
    for (i, a) in f.activities.iter().enumerate() {
        validate_activity(
            &mut v,
            f,
            i,
            a,
            &sector_ids,
            &partner_codes,
            &mut activity_ids,
        );
    }

    // policy
    let pp = root.key("policy");
    for (i, c) in f.policy.positive_list.iter().enumerate() {
        if !categories::is_known(c) {
            v.err(
                pp.key("positive_list").index(i),
                format!("unknown positive-list category `{c}`"),
                format!("use one of: {}", categories::known_list()),
            );
        }
    }
    let pol = &f.policy;
    for (k, val) in [
        ("host_retention", pol.host_retention),
        ("buffer", pol.buffer),
        ("transfer_ratio", pol.transfer_ratio),
        ("sop_6_2", pol.sop_6_2),
        ("omge_6_2", pol.omge_6_2),
        ("sop_6_4", pol.sop_6_4),
        ("omge_6_4", pol.omge_6_4),
    ] {
        v.share(pp.key(k), val);
    }
    if pol.sop_6_4 + pol.omge_6_4 > Decimal::ONE {
        v.err(
            pp.key("omge_6_4"),
            "6.4 levies take more than the whole issuance",
            "sop_6_4 + omge_6_4 must be at most 1",
        );
    }
    if let Some(c) = pol.national_cap {
        v.non_negative(pp.key("national_cap"), c, "national cap");
    }

    // sources
    for (i, s) in f.sources.iter().enumerate() {
        if !(s.url.starts_with("https://") || s.url.starts_with("http://")) {
            v.err(
                root.key("source").index(i).key("url"),
                format!("source url `{}` is not a web address", s.url),
                "write the full https:// address",
            );
        }
    }

    // magnitudes: the accounting handles up to 10^15 t CO2e (`accounting::MAX_QUANTITY`); a larger figure
    // is a unit slip, refused here rather than when a simulation first meets it
    let unit = f.scenario.unit;
    let mut magnitude = |path: Path, m: &crate::scenario::years::YearMap| {
        for (y, x) in &m.0 {
            let too_big = x
                .abs()
                .checked_mul(unit.tonnes_per_unit())
                .is_none_or(|t| t > Decimal::from(crate::accounting::MAX_QUANTITY));
            if too_big {
                v.err(
                    path.key(&y.to_string()),
                    format!("{x} {} is more than 10^15 t CO2e, the largest figure the accounting handles", unit.short()),
                    format!("check the unit: this file is in {}, set by scenario.unit", unit.short()),
                );
            }
        }
    };
    for (i, sec) in f.sectors.iter().enumerate() {
        let sp = root.key("sector").index(i);
        if let Some(b) = &sec.bau {
            magnitude(sp.key("bau"), b);
        }
        if let Some(r) = &sec.removals {
            magnitude(sp.key("removals"), r);
        }
    }
    for (i, a) in f.activities.iter().enumerate() {
        magnitude(
            root.key("activity").index(i).key("mitigation"),
            &a.mitigation,
        );
    }

    // readiness and non-market approaches
    crate::readiness::validate::validate(f, &mut v.out);
    v.out
}

fn validate_ndc(v: &mut V, f: &ScenarioFile) {
    let n = Path::root().key("ndc");
    let ndc = &f.ndc;
    let period_ok = v.range(n.key("period"), ndc.period, "period");
    if v.year(n.key("target_year"), ndc.target_year)
        && period_ok
        && !(ndc.period[0]..=ndc.period[1]).contains(&ndc.target_year)
    {
        v.err(
            n.key("target_year"),
            format!(
                "target year {} is outside the period {}–{}",
                ndc.target_year, ndc.period[0], ndc.period[1]
            ),
            "the target year must lie in the NDC period",
        );
    }
    match (ndc.kind, ndc.ca_method) {
        (NdcKind::MultiYear, CaMethodChoice::Averaging) => v.err(
            n.key("ca_method"),
            "averaging applies to single-year NDCs only",
            "use trajectory or budget for a multi-year NDC",
        ),
        (NdcKind::SingleYear, CaMethodChoice::Budget) => v.err(
            n.key("ca_method"),
            "a budget method needs a multi-year NDC",
            "use averaging or trajectory, or set kind = \"multi-year\"",
        ),
        _ => {}
    }
    if ndc.kind == NdcKind::MultiYear && ndc.trajectory.is_none() && ndc.budget.is_none() {
        v.err(
            n.key("kind"),
            "a multi-year NDC needs a trajectory or a budget",
            "add trajectory = { 2021 = …, 2030 = … } or budget = …",
        );
    }
    if ndc.ca_method == CaMethodChoice::Trajectory && ndc.trajectory.is_none() {
        v.err(
            n.key("ca_method"),
            "the trajectory method needs a trajectory",
            "add trajectory = { 2021 = …, 2030 = … }",
        );
    }
    if ndc.ca_method == CaMethodChoice::Budget && ndc.budget.is_none() {
        v.err(
            n.key("ca_method"),
            "the budget method needs a budget",
            "add budget = … (emissions over the whole period)",
        );
    }
    if let Some(t) = &ndc.trajectory {
        v.year_map(n.key("trajectory"), t, true, "trajectory");
        if period_ok && !t.0.is_empty() && !t.covers(ndc.period[0], ndc.period[1]) {
            v.err(
                n.key("trajectory"),
                format!(
                    "trajectory does not cover the period {}–{}",
                    ndc.period[0], ndc.period[1]
                ),
                "give values for the first and last year of the period",
            );
        }
    }
    validate_target(v, n.key("unconditional"), &ndc.unconditional);
    if let Some(c) = &ndc.conditional {
        validate_target(v, n.key("conditional"), c);
        let u = &ndc.unconditional;
        if c.kind == u.kind {
            let weaker = match c.kind {
                TargetKind::BelowBau => c.percent < u.percent,
                TargetKind::Absolute => c.level > u.level,
                TargetKind::NetBalance => false,
            };
            if weaker {
                v.err(
                    n.key("conditional"),
                    "the conditional target is weaker than the unconditional one",
                    "the conditional part adds ambition to the unconditional part",
                );
            }
        }
        for (i, s) in c.support.iter().enumerate() {
            if !["finance", "technology", "capacity-building", "article6"].contains(&s.as_str()) {
                v.err(
                    n.key("conditional").key("support").index(i),
                    format!("unknown kind of support `{s}`"),
                    "use finance, technology, capacity-building or article6",
                );
            }
        }
    }
}

fn validate_target(v: &mut V, p: Path, t: &Target) {
    match t.kind {
        TargetKind::Absolute => match t.level {
            None => v.err(
                p.clone(),
                "an absolute target needs `level`",
                "add level = … (covered emissions in the target year)",
            ),
            Some(l) => v.non_negative(p.key("level"), l, "target level"),
        },
        TargetKind::BelowBau => match t.percent {
            None => v.err(
                p.clone(),
                "a below-BAU target needs `percent`",
                "add percent = … (0–100)",
            ),
            Some(x) => v.percent(p.key("percent"), x),
        },
        TargetKind::NetBalance => {}
    }
    if t.kind != TargetKind::Absolute && t.level.is_some() {
        v.err(
            p.key("level"),
            "`level` only applies to an absolute target",
            "remove level or set type = \"absolute\"",
        );
    }
    if t.kind != TargetKind::BelowBau && t.percent.is_some() {
        v.err(
            p.key("percent"),
            "`percent` only applies to a below-BAU target",
            "remove percent or set type = \"below-bau\"",
        );
    }
}

fn validate_activity(
    v: &mut V,
    f: &ScenarioFile,
    i: usize,
    a: &Activity,
    sector_ids: &HashSet<&str>,
    partner_codes: &HashSet<&str>,
    activity_ids: &mut HashSet<String>,
) {
    let ap = Path::root().key("activity").index(i);
    v.id(ap.key("id"), &a.id, "activity");
    if !activity_ids.insert(a.id.clone()) {
        v.err(
            ap.key("id"),
            format!("activity id `{}` is used twice", a.id),
            "give every activity its own id",
        );
    }
    if !sector_ids.contains(a.sector.as_str()) {
        let known: Vec<&str> = f.sectors.iter().map(|s| s.id.as_str()).collect();
        v.err(
            ap.key("sector"),
            format!("activity `{}` names unknown sector `{}`", a.id, a.sector),
            format!("use one of: {}", known.join(", ")),
        );
    } else if let Some(s) = f.sectors.iter().find(|s| s.id == a.sector) {
        if !s.in_scope && a.ndc_part != NdcPart::OutsideScope {
            v.err(
                ap.key("ndc_part"),
                format!(
                    "activity `{}` is in sector `{}`, which is outside the NDC",
                    a.id, s.id
                ),
                "set ndc_part = \"outside-scope\"",
            );
        } else if s.in_scope && a.ndc_part == NdcPart::OutsideScope {
            v.err(
                ap.key("ndc_part"),
                format!(
                    "activity `{}` is tagged outside-scope but sector `{}` is in the NDC",
                    a.id, s.id
                ),
                "use unconditional, conditional or beyond",
            );
        }
    }
    if !categories::is_known(&a.category) {
        v.err(
            ap.key("category"),
            format!("unknown positive-list category `{}`", a.category),
            format!("use one of: {}", categories::known_list()),
        );
    }
    v.year_map(ap.key("mitigation"), &a.mitigation, false, "mitigation");
    v.share(ap.key("uncertainty"), a.uncertainty);
    if v.range(ap.key("crediting"), a.crediting, "crediting period") {
        if let Some((m0, m1)) = a.mitigation.span()
            && (a.crediting[0] < m0 || a.crediting[1] > m1)
        {
            v.err(
                ap.key("crediting"),
                format!(
                    "crediting period {}–{} is outside the mitigation years {m0}–{m1}",
                    a.crediting[0], a.crediting[1]
                ),
                "credit only years with expected mitigation, or extend `mitigation`",
            );
        }
        if a.mechanism != Mechanism::Domestic && a.crediting[0] < VINTAGE_MIN {
            v.err(ap.key("crediting"), format!("Article 6 vintages start in {VINTAGE_MIN}; crediting starts in {}", a.crediting[0]), format!("start crediting in {VINTAGE_MIN} or later (pre-2021 CDM years are not Article 6 units)"));
        }
    }
    if let Some(auth) = &a.authorization {
        let p = ap.key("authorization");
        if a.mechanism == Mechanism::Domestic {
            v.err(
                p.clone(),
                format!(
                    "domestic activity `{}` cannot be authorized under Article 6",
                    a.id
                ),
                "set mechanism = \"6.2\" or \"6.4\", or remove the authorization",
            );
        }
        if auth.purpose == Purpose::MitigationContribution {
            if a.mechanism != Mechanism::A64 {
                v.err(
                    p.key("purpose"),
                    "mitigation-contribution units exist under Article 6.4 only",
                    "set mechanism = \"6.4\" or choose NDC / OIMP",
                );
            }
        } else {
            match &auth.acquiring {
                None => v.err(
                    p.clone(),
                    "an authorization names its acquiring party",
                    "add acquiring = \"SGP\" (a [[partner]] code)",
                ),
                Some(c) if !partner_codes.contains(c.as_str()) => v.err(
                    p.key("acquiring"),
                    format!("acquiring party `{c}` is not among the partners"),
                    "add a [[partner]] with this code or fix the code",
                ),
                Some(_) => {}
            }
        }
        if auth.purpose.includes_oimp() && auth.first_transfer.is_none() {
            v.err(
                p.clone(),
                "an OIMP authorization must say what counts as first transfer",
                "add first_transfer = \"authorization\" | \"issuance\" | \"use-or-cancellation\"",
            );
        }
        if auth.purpose == Purpose::Ndc
            && matches!(auth.first_transfer, Some(d) if d != FirstTransferDef::FirstInternationalTransfer)
        {
            v.err(
                p.key("first_transfer"),
                "for NDC use the first transfer is the first international transfer",
                "remove first_transfer or write \"first-international-transfer\"",
            );
        }
    }
}
