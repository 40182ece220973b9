//! The Registry sandbox: its setup (the scenario's parties, an approach, and per activity one
//! developer, account, project and validation with the activity's crediting period) and the
//! action forms (issue, authorize, transfer, retire, cancel) that become real ledger commands.
//!
//! One job: forms ↔ commands. The ledger validates every command; a refusal comes back with
//! the rule that refused it (see `run.rs`), shown in the form.

use super::app::one_line_field;
use super::theme::Theme;
use crate::registry::{Beneficiary, CancelSubtype, Class, Command, Filter};
use crate::scenario::Scenario;
use crate::simulate::ledger_run::{developer_account, developer_and_project, parties_and_approach};
use chrono::NaiveDate;
use ratatui_textarea::TextArea;

/// Which action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Issue,
    Authorize,
    Transfer,
    Retire,
    Cancel,
}

impl FormKind {
    pub fn title(self) -> &'static str {
        match self {
            FormKind::Issue => "Issue units",
            FormKind::Authorize => "Authorize (MO → ITMO)",
            FormKind::Transfer => "Transfer",
            FormKind::Retire => "Retire for a beneficiary",
            FormKind::Cancel => "Cancel (voluntary / OMGE)",
        }
    }
}

/// An action form: labelled one-line fields, the focused one, and the last refusal.
#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<(&'static str, TextArea<'static>)>,
    pub focus: usize,
    pub error: Option<String>,
}

/// The developer holding account of the `i`-th activity (1-based) in the sandbox.
pub fn dev_account(party: &str, i: usize) -> String {
    developer_account(party, i)
}

fn first_partner(s: &Scenario) -> String {
    s.file
        .partners
        .first()
        .map(|p| p.code.clone())
        .unwrap_or_else(|| "PARTNER".into())
}

/// The commands that set up a new sandbox ledger: the simulation's set-up (see
/// `simulate::ledger_run`) for the scenario's partners (a placeholder `PARTNER` when it has
/// none) and one developer, account and project per activity.
pub fn setup(s: &Scenario) -> Vec<Command> {
    let party = s.file.party.code.clone();
    let mut partners: Vec<String> = s
        .file
        .partners
        .iter()
        .map(|p| p.code.clone())
        .filter(|c| *c != party)
        .collect();
    if partners.is_empty() {
        partners.push("PARTNER".into());
    }
    let mut v = parties_and_approach(s, &partners, "sandbox");
    for (i, a) in s.file.activities.iter().enumerate() {
        v.extend(developer_and_project(&party, i + 1, a, None));
        // The activity's crediting period as a validation, so the sandbox refuses a vintage
        // outside it (invariant 14) as a real registry would.
        if let (Ok(start), Ok(end)) = (u16::try_from(a.crediting[0]), u16::try_from(a.crediting[1]))
        {
            v.push(Command::RecordValidation {
                id: format!("VAL-P{:04}", i + 1),
                project: format!("P{:04}", i + 1),
                vvb: "VVB (illustrative)".into(),
                date: NaiveDate::from_ymd_opt(i32::from(start), 1, 1).unwrap_or_default(),
                crediting_start: start,
                crediting_end: end,
            });
        }
    }
    v
}

/// The vintage the forms start with: 2025, moved into the first activity's crediting period
/// (project P0001, the one the issue form names) when that period does not include it.
fn default_vintage(s: &Scenario) -> String {
    let year = s.file.activities.first().map_or(2025, |a| {
        2025.clamp(a.crediting[0], a.crediting[1].max(a.crediting[0]))
    });
    year.to_string()
}

/// A new form with sensible defaults for the scenario.
pub fn new_form(kind: FormKind, s: &Scenario, theme: &Theme) -> Form {
    let party = &s.file.party.code;
    let dev = dev_account(party, 1);
    let partner = first_partner(s);
    let to = format!("{partner}:REG:Holding");
    let f = |l: &'static str, v: &str| {
        let mut t = one_line_field(v, theme);
        t.set_selection_style(theme.selected());
        (l, t)
    };
    let vintage = &default_vintage(s);
    let fields = match kind {
        FormKind::Issue => vec![
            f("project", "P0001"),
            f("vintage", vintage),
            f("quantity", "10000"),
            f("to account", &dev),
        ],
        FormKind::Authorize => vec![
            f("account", &dev),
            f("quantity", "6000"),
            f("vintage", vintage),
            f("purpose (NDC/OIMP)", "NDC"),
            f("acquiring party", &partner),
            f("first transfer (OIMP only)", "UseOrCancel"),
        ],
        FormKind::Transfer => vec![
            f("from", &dev),
            f("to", &to),
            f("quantity", "5000"),
            f("vintage", vintage),
            f("class (ITMO/MO)", "ITMO"),
            f("acquiring party", &partner),
        ],
        FormKind::Retire => vec![
            f("from", &dev),
            f("quantity", "1000"),
            f("vintage", vintage),
            f("class (ITMO/MO)", "MO"),
            f("beneficiary name", ""),
            f("beneficiary id", ""),
            f("country", ""),
            f("purpose", ""),
            f("entity (OIMP only)", ""),
        ],
        FormKind::Cancel => vec![
            f("from", &dev),
            f("quantity", "100"),
            f("vintage", vintage),
            f("subtype (voluntary/omge)", "voluntary"),
            f("reason", ""),
        ],
    };
    let mut form = Form {
        kind,
        fields,
        focus: 0,
        error: None,
    };
    form.focus_on(0);
    form
}

impl Form {
    /// Focus field `i`, its value selected (typing replaces it, → keeps it), as Tab into a
    /// dialog's field does; the field left behind keeps its text, unselected.
    pub fn focus_on(&mut self, i: usize) {
        if let Some((_, t)) = self.fields.get_mut(self.focus) {
            t.cancel_selection();
        }
        self.focus = i;
        if let Some((_, t)) = self.fields.get_mut(i) {
            super::app::select_value(t);
        }
    }

    fn get(&self, label: &str) -> String {
        self.fields
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, t)| t.lines().join(" ").trim().to_string())
            .unwrap_or_default()
    }
    fn required(&self, label: &str) -> Result<String, String> {
        let v = self.get(label);
        if v.is_empty() {
            Err(format!("{label} is required"))
        } else {
            Ok(v)
        }
    }
    /// The `quantity` field, read as [`crate::registry::parse_units`] reads a typed quantity.
    fn units(&self) -> Result<u64, String> {
        let v = self.required("quantity")?;
        crate::registry::parse_units(&v).map_err(|e| format!("quantity: {e}"))
    }
    /// The `vintage` field, read as [`crate::registry::parse_vintage`] reads a typed year.
    fn vintage(&self) -> Result<u16, String> {
        let v = self.required("vintage")?;
        crate::registry::parse_vintage(&v).map_err(|e| format!("vintage: {e}"))
    }
    fn class(&self) -> Result<Option<Class>, String> {
        match self.get("class (ITMO/MO)").to_lowercase().as_str() {
            "" => Ok(None),
            "itmo" => Ok(Some(Class::Itmo)),
            "mo" => Ok(Some(Class::Mo)),
            other => Err(format!("class: `{other}` is neither ITMO nor MO")),
        }
    }

    fn vintage_filter(&self) -> Result<Filter, String> {
        let v = self.get("vintage");
        Ok(Filter {
            vintage: if v.is_empty() {
                None
            } else {
                Some(self.vintage()?)
            },
            ..Filter::default()
        })
    }

    /// The commands this form asks for (`auth_id` names a new authorization).
    pub fn commands(&self, s: &Scenario, auth_id: &str) -> Result<Vec<Command>, String> {
        let (p0, p1) = s.period();
        Ok(match self.kind {
            FormKind::Issue => vec![Command::Issue {
                project: self.required("project")?,
                vintage: self.vintage()?,
                quantity: self.units()?,
                to: Some(self.required("to account")?),
                verification: None,
                levies: None,
                authorization: None,
                date: None,
            }],
            FormKind::Authorize => {
                let purpose = self.required("purpose (NDC/OIMP)")?;
                let oimp = purpose.to_uppercase().contains("OIMP");
                let acq = crate::registry::code_as_typed(&self.get("acquiring party"));
                let q = self.units()?;
                vec![
                    Command::RecordAuthorization {
                        id: auth_id.to_string(),
                        version: 1,
                        date: NaiveDate::from_ymd_opt(p0, 1, 1).unwrap_or_default(),
                        approach: "CA0001".into(),
                        purpose,
                        acquiring_parties: if acq.is_empty() { vec![] } else { vec![acq] },
                        entities: vec![],
                        authorized_quantity: Some(q),
                        period_start: u16::try_from(p0).unwrap_or(2021),
                        period_end: u16::try_from(p1).unwrap_or(2030),
                        // Required for OIMP purposes, meaningless for NDC-only ones.
                        first_transfer_definition: oimp
                            .then(|| self.get("first transfer (OIMP only)"))
                            .filter(|d| !d.is_empty()),
                    },
                    Command::Authorize {
                        account: self.required("account")?,
                        authorization: auth_id.to_string(),
                        quantity: q,
                        filter: Filter {
                            class: Some(Class::Mo),
                            ..self.vintage_filter()?
                        },
                        date: None,
                    },
                ]
            }
            FormKind::Transfer => {
                let class = self.class()?;
                let acq = crate::registry::code_as_typed(&self.get("acquiring party"));
                vec![Command::Transfer {
                    from: self.required("from")?,
                    to: self.required("to")?,
                    quantity: self.units()?,
                    filter: Filter {
                        class,
                        ..self.vintage_filter()?
                    },
                    acquiring_party: if acq.is_empty() { None } else { Some(acq) },
                }]
            }
            FormKind::Retire => vec![Command::Retire {
                from: self.required("from")?,
                quantity: self.units()?,
                filter: Filter {
                    class: self.class()?,
                    ..self.vintage_filter()?
                },
                beneficiary: Beneficiary {
                    name: self.required("beneficiary name")?,
                    id: self.required("beneficiary id")?,
                    country: crate::registry::code_as_typed(&self.required("country")?),
                    purpose: self.required("purpose")?,
                },
                authorized_entity: Some(self.get("entity (OIMP only)")).filter(|e| !e.is_empty()),
            }],
            FormKind::Cancel => {
                let subtype = match self.get("subtype (voluntary/omge)").to_lowercase().as_str() {
                    "voluntary" => CancelSubtype::Voluntary,
                    "omge" => CancelSubtype::Omge,
                    other => {
                        return Err(format!("subtype: `{other}`: write voluntary or omge"));
                    }
                };
                vec![Command::Cancel {
                    from: self.required("from")?,
                    quantity: self.units()?,
                    filter: self.vintage_filter()?,
                    subtype,
                    reason: self.get("reason"),
                }]
            }
        })
    }
}
