//! Random key sequences, pastes and mouse clicks on every screen never panic (update and draw)
//! and keep the session valid: answers only for the pack's question ids, and the saved file
//! loads back equal.

mod tui_support;

use ndc_workbench::tui::app::{Action, Effect, Screen, update};
use ndc_workbench::tui::run::{Env, perform};
use ndc_workbench::workshop::session::Session;
use proptest::prelude::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_support::*;

fn key() -> impl Strategy<Value = KeyEvent> {
    let codes = prop_oneof![
        Just(KeyCode::Enter),
        Just(KeyCode::Esc),
        Just(KeyCode::Tab),
        Just(KeyCode::BackTab),
        Just(KeyCode::Backspace),
        Just(KeyCode::Delete),
        Just(KeyCode::Up),
        Just(KeyCode::Down),
        Just(KeyCode::Left),
        Just(KeyCode::Right),
        Just(KeyCode::PageUp),
        Just(KeyCode::PageDown),
        Just(KeyCode::Home),
        Just(KeyCode::End),
        prop::sample::select(vec![
            '0', '1', '2', '3', '4', '5', '6', '7', 'j', 'k', 'h', 'l', 'g', 'e', 'd', 'c', '?',
            'x', ' ', 'é', '界', 'm', 'S', 'u', 'v', '/', 's', 'i', 'a', 't', 'r', '+', '-', '9',
            '.'
        ])
        .prop_map(KeyCode::Char),
    ];
    let mods = prop::sample::select(vec![
        KeyModifiers::NONE,
        KeyModifiers::NONE,
        KeyModifiers::NONE,
        KeyModifiers::SHIFT,
        KeyModifiers::CONTROL,
        KeyModifiers::ALT,
    ]);
    (codes, mods).prop_map(|(c, m)| KeyEvent::new(c, m))
}

/// A key, a paste or a mouse click somewhere on the 80×24 frame.
#[derive(Debug, Clone)]
enum Ev {
    Key(KeyEvent),
    Paste(String),
    Click(u16, u16),
}

fn event() -> impl Strategy<Value = Ev> {
    prop_oneof![
        8 => key().prop_map(Ev::Key),
        1 => "[a-z\n\r\t ]{0,30}".prop_map(Ev::Paste),
        2 => (0u16..80, 0u16..24).prop_map(|(x, y)| Ev::Click(x, y)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn random_keys_and_clicks_never_panic_and_keep_the_session_valid(start in 0usize..8, events in prop::collection::vec(event(), 1..60)) {
        let d = tempfile::tempdir().expect("tmp");
        let mut app = app_open(d.path());
        let env = Env { data_dir: d.path().to_path_buf(), events: None };
        let first = update(&mut app, Action::GoTo(Screen::from_index(start)));
        let mut pending = first;
        // Clicks are resolved against the last frame drawn.
        let _ = render(&app, 80, 24);
        for ev in events {
            let mut fx = std::mem::take(&mut pending);
            fx.extend(match ev {
                Ev::Key(k) => press(&mut app, k),
                Ev::Paste(text) => update(&mut app, Action::Paste(text)),
                Ev::Click(x, y) => update(&mut app, Action::Click(x, y)),
            });
            let mut queue: std::collections::VecDeque<Effect> = fx.into();
            while let Some(e) = queue.pop_front() {
                match e {
                    // Saving, the sandbox ledger and scenario files touch only the temp dir
                    // (export and open are covered elsewhere).
                    Effect::SaveSession
                    | Effect::OpenSandbox
                    | Effect::Sandbox(_)
                    | Effect::WriteScenario { .. } => {
                        if let Some(a) = perform(&app, &env, e) {
                            queue.extend(update(&mut app, a));
                        }
                    }
                    // A study is "cancelled" at once (running 2,000 runs per case is slow).
                    Effect::RunStudy(id) => {
                        queue.extend(update(&mut app, Action::StudyDone(id, None)));
                    }
                    _ => {}
                }
            }
            let _ = render(&app, 80, 24);
        }
        let _ = render(&app, 120, 40);
        let w = app.work.as_ref().expect("still open");
        for qid in w.session.answers.keys() {
            prop_assert!(w.pack.question(qid).is_some(), "unknown question id {qid}");
        }
        // Stored budget edits always apply, and the parameters read back typed.
        prop_assert!(ndc_workbench::workshop::edits::apply(&w.scenario, &w.session.budget_edits).is_ok());
        if !w.session.simulation.is_empty() {
            let p: Result<ndc_workbench::simulate::Params, _> =
                serde_json::from_value(serde_json::Value::Object(w.session.simulation.clone()));
            prop_assert!(p.is_ok());
        }
        if w.session_path.exists() {
            let back = Session::load(&w.session_path).expect("saved session loads");
            prop_assert_eq!(&back, &w.session);
        }
    }
}
