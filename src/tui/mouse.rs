//! Mouse clicks (`--mouse`): what a click on the last frame means.
//!
//! One job: turn a click into the same state change the keys make. A click on a row selects
//! it; a click on the row that is already selected opens it like Enter (so a double click
//! selects and opens). A click in the answer pane starts editing; a click elsewhere while
//! editing stops editing (the answer is saved as typed) and then acts. Popups ignore clicks,
//! except a sandbox action form, where a click focuses a field (`update2::form`). Positions
//! are resolved against the areas the last frame recorded (`hits.rs`), so scrolling is taken
//! into account.

use super::app::{Action, App, Effect, Screen, update};
use super::hits::Target;
use super::params::Param;

/// Apply a click at (column, row). Popups and help are handled by `update` before this.
pub fn click(app: &mut App, col: u16, row: u16) -> Vec<Effect> {
    let Some(target) = app.hits.at(col, row) else {
        return vec![];
    };
    if let Some(part) = app.screen.part()
        && app.editing()
        && target != Target::Answer
    {
        app.questions_view_mut(part).editing = false;
    }
    match target {
        Target::Tab(s) => update(app, Action::GoTo(s)),
        Target::HomeItem(i) => {
            if app.screen != Screen::Home {
                return vec![];
            }
            if app.home_sel == i {
                update(app, Action::Activate)
            } else {
                app.home_sel = i;
                vec![]
            }
        }
        Target::Question(i) => {
            let Some(part) = app.screen.part() else {
                return vec![];
            };
            let v = app.questions_view_mut(part);
            if v.selected == i {
                update(app, Action::Activate)
            } else {
                v.selected = i;
                v.facts_scroll = 0;
                app.remember_view()
            }
        }
        Target::Answer => {
            if !app.editing() {
                update(app, Action::Activate)
            } else {
                vec![]
            }
        }
        Target::Sector(i) => {
            if app.budget.drilled.is_some() || app.budget.macc {
                return vec![];
            }
            if app.budget.sector == i {
                update(app, Action::Activate)
            } else {
                app.budget.sector = i;
                app.remember_view()
            }
        }
        Target::Activity(i) => {
            if app.budget.drilled == Some(i) {
                update(app, Action::Edit)
            } else if app.budget.drilled.is_some() {
                app.budget.drilled = Some(i);
                vec![]
            } else {
                vec![]
            }
        }
        Target::Field(i) => {
            if app.budget.drilled.is_none() {
                return vec![];
            }
            if app.budget.field == i {
                update(app, Action::Edit)
            } else {
                app.budget.field = i;
                vec![]
            }
        }
        Target::Param(i) => {
            if i >= Param::ALL.len() {
                return vec![];
            }
            if app.simulate.sel == i {
                update(app, Action::Activate)
            } else {
                app.simulate.sel = i;
                vec![]
            }
        }
        Target::SimPane => update(app, Action::TogglePane),
        Target::RegView(tab) => {
            let v = &mut app.registry;
            if v.tab != tab {
                v.tab = tab;
                v.sel = 0;
                v.life = None;
            }
            vec![]
        }
        Target::RegRow(i) => {
            if app.registry.sel == i {
                update(app, Action::Activate)
            } else {
                app.registry.sel = i;
                vec![]
            }
        }
        Target::Drill(i) => {
            app.registry.drill = i;
            vec![]
        }
        // Form fields are handled with the form (a popup captures clicks).
        Target::FormField(_) => vec![],
    }
}
