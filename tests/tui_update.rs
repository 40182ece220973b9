//! `update()` driven by actions and key presses, screen by screen, without a terminal.

mod tui_support;

use ndc_workbench::tui::app::{Action, Effect, HomeItem, Move, Popup, ScenarioRef, Screen, update};
use ndc_workbench::workshop::pack::Part;
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

#[test]
fn number_keys_tab_and_shift_tab_switch_screens_in_order() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    for (c, s) in [
        ('1', Screen::Reflect),
        ('2', Screen::Discuss),
        ('3', Screen::Budget),
        ('4', Screen::Simulate),
        ('5', Screen::Registry),
        ('6', Screen::Report),
        ('7', Screen::Readiness),
        ('0', Screen::Home),
    ] {
        press(&mut app, ch(c));
        assert_eq!(app.screen, s, "key {c}");
    }
    press(&mut app, k(KeyCode::Tab));
    assert_eq!(app.screen, Screen::Reflect);
    press(&mut app, k(KeyCode::BackTab));
    press(&mut app, k(KeyCode::BackTab));
    assert_eq!(app.screen, Screen::Readiness, "Readiness is the last tab");
}

#[test]
fn q_quits_outside_editors_but_is_typed_inside() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press(&mut app, k(KeyCode::Enter));
    assert!(app.editing());
    assert!(press(&mut app, ch('q')).contains(&Effect::SaveSession));
    assert_eq!(app.reflect.editor.lines(), ["q"]);
    press(&mut app, k(KeyCode::Esc));
    assert!(!app.editing());
    assert_eq!(press(&mut app, ch('q')), vec![Effect::Quit]);
}

#[test]
fn home_enter_opens_the_selected_scenario_for_the_participant() {
    let mut app = app_on_home();
    let fx = press(&mut app, k(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::Open {
            scenario: ScenarioRef::Builtin("testland-2030".into()),
            participant: "tester".into()
        }]
    );
}

#[test]
fn without_a_participant_the_name_is_asked_once_then_the_scenario_opens() {
    let mut app = ndc_workbench::tui::app::App::new(
        home(),
        None,
        "osuser".into(),
        Default::default(),
        ndc_workbench::tui::app::fixed_clock,
    );
    assert!(press(&mut app, k(KeyCode::Enter)).is_empty());
    assert!(matches!(app.popup, Some(Popup::Participant(_))));
    // The suggestion is prefilled and selected: the next participant of a shared laptop types
    // their own name over it (it ran on as "SonamMele" before); q is typed, not quit.
    for c in "Mele q".chars() {
        press(&mut app, ch(c));
    }
    let fx = press(&mut app, k(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::Open {
            scenario: ScenarioRef::Builtin("testland-2030".into()),
            participant: "Mele q".into()
        }]
    );
    assert!(app.popup.is_none());
    assert_eq!(app.participant.as_deref(), Some("Mele q"));
}

/// On a shared laptop the next participant takes over from Home with `p`: the open scenario
/// reopens with a session of their own, and the first participant's answers stay theirs.
#[test]
fn p_on_home_hands_the_open_scenario_to_the_next_participant() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    // The scenario as a participant's file on disk: it is reopened from where it came from.
    let file = d.path().join("testland.toml");
    std::fs::write(&file, SCENARIO).expect("write");
    app.work.as_mut().expect("open").session.scenario.source = file.display().to_string();
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    type_text(&mut app, d.path(), "tester's answer");
    press_all(&mut app, d.path(), &[k(KeyCode::Esc), ch('0'), ch('p')]);
    assert!(matches!(app.popup, Some(Popup::Participant(_))));
    type_text(&mut app, d.path(), "Mele");
    let fx = press(&mut app, k(KeyCode::Enter));
    let [Effect::Open { participant, .. }] = fx.as_slice() else {
        panic!("expected the scenario to reopen: {fx:?}");
    };
    assert_eq!(participant, "Mele");
    run_effects(&mut app, d.path(), fx);
    assert_eq!(app.participant.as_deref(), Some("Mele"), "{:?}", app.notice);
    let w = app.work.as_ref().expect("the scenario is open");
    assert_eq!(w.session.participant, "Mele", "{:?}", app.notice);
    assert_eq!(w.scenario.id(), "testland-2030");
    assert_eq!(
        w.session.progress_all(&w.pack).answered,
        0,
        "Mele starts with no answers"
    );
    assert_eq!(
        saved(d.path()).progress_all(&w.pack).answered,
        1,
        "tester keeps theirs"
    );
    // Esc leaves things as they were.
    press_all(&mut app, d.path(), &[ch('0'), ch('p'), k(KeyCode::Esc)]);
    assert!(app.popup.is_none());
    assert_eq!(app.participant.as_deref(), Some("Mele"));
    // A scenario that cannot be reopened (its file gone) keeps Mele's session and name.
    std::fs::remove_file(&file).expect("rm");
    press_all(&mut app, d.path(), &[ch('p')]);
    type_text(&mut app, d.path(), "Ana");
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    assert!(app.notice.as_ref().is_some_and(|n| n.error));
    assert_eq!(app.participant.as_deref(), Some("Mele"));
    assert_eq!(
        app.work.as_ref().map(|w| w.session.participant.as_str()),
        Some("Mele")
    );
}

/// The suggested name is kept by Enter, and → (or End) keeps it to type on after it.
#[test]
fn the_suggested_name_is_accepted_or_extended() {
    let new_app = || {
        let mut app = ndc_workbench::tui::app::App::new(
            home(),
            None,
            "Sonam".into(),
            Default::default(),
            ndc_workbench::tui::app::fixed_clock,
        );
        assert!(press(&mut app, k(KeyCode::Enter)).is_empty());
        app
    };
    let mut app = new_app();
    assert!(render(&app, 120, 40).contains("type to replace"));
    press(&mut app, k(KeyCode::Enter));
    assert_eq!(app.participant.as_deref(), Some("Sonam"));
    for key in [KeyCode::Right, KeyCode::End] {
        let mut app = new_app();
        press(&mut app, k(key));
        for c in " W.".chars() {
            press(&mut app, ch(c));
        }
        press(&mut app, k(KeyCode::Enter));
        assert_eq!(app.participant.as_deref(), Some("Sonam W."), "{key:?}");
    }
}

#[test]
fn an_empty_participant_name_is_refused() {
    let mut app = ndc_workbench::tui::app::App::new(
        home(),
        None,
        String::new(),
        Default::default(),
        ndc_workbench::tui::app::fixed_clock,
    );
    app.ask_participant();
    // Nothing suggested, nothing to replace: the prompt does not say so.
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("Your name (answers are saved under it)"),
        "{screen}"
    );
    assert!(!screen.contains("type to replace"), "{screen}");
    assert!(press(&mut app, k(KeyCode::Enter)).is_empty());
    assert!(app.popup.is_some());
    assert!(app.notice.as_ref().is_some_and(|n| n.error));
}

#[test]
fn home_lists_continue_first_when_sessions_exist() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    type_text(&mut app, d.path(), "");
    press_all(&mut app, d.path(), &[k(KeyCode::Enter), ch('x')]);
    app.home.sessions = ndc_workbench::workshop::session::list(d.path());
    let items = app.home.items();
    assert_eq!(items.first(), Some(&HomeItem::Continue(0)));
    app.screen = Screen::Home;
    let fx = press(&mut app, ch('c'));
    assert!(
        matches!(&fx[..], [Effect::Open { participant, .. }] if participant == "tester"),
        "{fx:?}"
    );
}

#[test]
fn reflect_answer_is_saved_on_every_keystroke_with_undo_and_redo() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    assert_eq!(app.screen, Screen::Reflect);
    press_all(&mut app, d.path(), &[ch('j'), k(KeyCode::Enter)]);
    let qid = app
        .selected_question(Part::Reflect)
        .map(|(_, q)| q.id.clone())
        .expect("question");
    for (i, c) in "abc".chars().enumerate() {
        press_all(&mut app, d.path(), &[ch(c)]);
        assert_eq!(
            saved(d.path()).answer_text(&qid).len(),
            i + 1,
            "saved after each key"
        );
    }
    press_all(&mut app, d.path(), &[ctrl('z'), ctrl('z')]);
    assert_eq!(saved(d.path()).answer_text(&qid), "a");
    press_all(&mut app, d.path(), &[ctrl('y'), ctrl('r')]);
    assert_eq!(saved(d.path()).answer_text(&qid), "abc");
    let w = app.work.as_ref().expect("open");
    assert_eq!(w.session.progress(&w.pack, Part::Reflect).answered, 1);
}

#[test]
fn paste_arrives_as_one_block_with_newlines() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    let fx = update(&mut app, Action::Paste("line one\r\nline two".into()));
    assert!(app.editing(), "paste on a question starts editing");
    assert_eq!(fx, vec![Effect::SaveSession]);
    assert_eq!(app.reflect.editor.lines(), ["line one", "line two"]);
    update(&mut app, Action::Undo);
    assert_eq!(
        app.reflect.editor.lines(),
        [""],
        "one undo removes the whole paste"
    );
}

#[test]
fn discuss_answers_take_a_group_tag() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('2'), ch('j'), ch('g')]);
    assert!(matches!(app.popup, Some(Popup::Group { .. })));
    type_text(&mut app, d.path(), "Team Blue");
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    let qid = app
        .selected_question(Part::Discuss)
        .map(|(_, q)| q.id.clone())
        .expect("q");
    assert_eq!(saved(d.path()).group(&qid), Some("Team Blue"));
    // Another group is typed over the one shown; → keeps it to type on after it.
    press_all(&mut app, d.path(), &[ch('g')]);
    type_text(&mut app, d.path(), "Team Red");
    press_all(
        &mut app,
        d.path(),
        &[k(KeyCode::Enter), ch('g'), k(KeyCode::Right)],
    );
    type_text(&mut app, d.path(), " 2");
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    assert_eq!(saved(d.path()).group(&qid), Some("Team Red 2"));
    // g on Reflect does nothing
    press_all(&mut app, d.path(), &[ch('1'), ch('g')]);
    assert!(app.popup.is_none());
}

#[test]
fn selection_moves_clamp_and_are_remembered() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[k(KeyCode::End)]);
    assert_eq!(app.reflect.selected, 5);
    press_all(&mut app, d.path(), &[ch('j'), k(KeyCode::Down)]);
    assert_eq!(app.reflect.selected, 5);
    press_all(&mut app, d.path(), &[k(KeyCode::Home), ch('k')]);
    assert_eq!(app.reflect.selected, 0);
    press_all(&mut app, d.path(), &[ch('2'), ch('j'), ch('j'), ch('j')]);
    let s = saved(d.path());
    assert_eq!(s.view.screen, "discuss");
    assert_eq!(s.view.selection.get("discuss"), Some(&3));
}

#[test]
fn reopening_restores_screen_selection_and_answers() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('2'), ch('j'), k(KeyCode::Enter)]);
    type_text(&mut app, d.path(), "kept");
    press_all(&mut app, d.path(), &[k(KeyCode::Esc), ch('3'), ch('j')]);
    let again = app_open(d.path());
    assert_eq!(again.screen, Screen::Budget);
    assert_eq!(again.discuss.selected, 1);
    assert_eq!(again.budget.sector, 1);
    let (_, q) = again.selected_question(Part::Discuss).expect("q");
    assert_eq!(
        again
            .work
            .as_ref()
            .map(|w| w.session.answer_text(&q.id).to_string())
            .as_deref(),
        Some("kept")
    );
}

#[test]
fn budget_enter_drills_into_activities_and_esc_comes_back() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[ch('3'), ch('j')]);
    assert_eq!(app.budget.sector, 1);
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    assert_eq!(app.budget.drilled, Some(0));
    press_all(&mut app, d.path(), &[ch('j'), ch('j')]);
    assert_eq!(app.budget.drilled, Some(0), "afolu has one activity");
    press_all(&mut app, d.path(), &[k(KeyCode::Esc)]);
    assert_eq!(app.budget.drilled, None);
    press_all(&mut app, d.path(), &[ch('l')]);
    assert_eq!(app.budget.drilled, Some(0));
    press_all(&mut app, d.path(), &[ch('h')]);
    assert_eq!(app.budget.drilled, None);
}

#[test]
fn simulate_registry_and_readiness_keep_help_and_moving() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press(&mut app, ch('4'));
    assert!(press(&mut app, ch('j')).is_empty(), "moving saves nothing");
    assert_eq!(app.simulate.sel, 1);
    for s in ['4', '5', '7'] {
        press(&mut app, ch(s));
        press(&mut app, ch('?'));
        assert!(app.help);
        press(&mut app, k(KeyCode::Esc));
        assert!(!app.help);
    }
}

#[test]
fn report_exports_into_the_chosen_folder() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    type_text(&mut app, d.path(), "=cmd");
    press_all(&mut app, d.path(), &[k(KeyCode::Esc), ch('6'), ch('d')]);
    assert!(matches!(app.popup, Some(Popup::ExportDir(_))));
    // the folder shown starts selected: the new one is typed over it
    let out = d.path().join("out");
    type_text(&mut app, d.path(), &out.display().to_string());
    press_all(&mut app, d.path(), &[k(KeyCode::Enter)]);
    assert_eq!(app.report.dir, out.display().to_string());
    let fx = press(&mut app, ch('e'));
    assert_eq!(fx, vec![Effect::Export { dir: out.clone() }]);
    run_effects(&mut app, d.path(), fx);
    let Some(Ok(files)) = &app.report.last else {
        panic!("export failed: {:?}", app.report.last);
    };
    let told = app
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert_eq!(
        told,
        format!("exported {} files to {}", files.len(), out.display()),
        "the notice says where the files went"
    );
    let csv = std::fs::read_to_string(out.join("testland-2030--tester-answers.csv")).expect("csv");
    assert!(csv.contains("'=cmd"), "{csv}");
    // the full session report sits beside the answers, the same files `ndc-workbench report` writes
    let full = out.join("report-testland-2030-tester");
    for name in [
        "report.md",
        "report.json",
        "answers.csv",
        "budget-edits.csv",
    ] {
        assert!(
            files.iter().any(|f| f.ends_with(name)),
            "{name} not listed: {files:?}"
        );
        assert!(full.join(name).is_file(), "{name} not written");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(full.join("report.json")).expect("json"))
            .expect("valid JSON");
    assert!(json["simulation"]["max_transferable"].is_u64(), "{json}");
    let md = std::fs::read_to_string(full.join("report.md")).expect("md");
    assert!(md.contains("tester"), "{md}");
}

#[test]
fn help_toggles_and_swallows_other_keys() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press(&mut app, ch('?'));
    assert!(app.help);
    press(&mut app, ch('3'));
    assert_eq!(app.screen, Screen::Reflect);
    press(&mut app, ch('?'));
    assert!(!app.help);
}

#[test]
fn scenario_screens_without_a_scenario_do_nothing() {
    let mut app = app_on_home();
    for s in ['1', '2', '3', '6'] {
        press(&mut app, ch(s));
        assert!(press(&mut app, k(KeyCode::Enter)).is_empty());
    }
    update(&mut app, Action::Move(Move::Down));
    assert!(update(&mut app, Action::Export).is_empty());
}

#[test]
fn a_failed_save_is_shown_and_cleared_when_saving_works_again() {
    let mut app = app_on_home();
    update(&mut app, Action::SaveFailed("disk full".into()));
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.error && n.text.contains("NOT SAVED"))
    );
    update(&mut app, Action::Saved);
    assert!(app.notice.as_ref().is_some_and(|n| !n.error));
}

#[test]
fn ctrl_c_quits_even_in_the_editor() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press(&mut app, k(KeyCode::Enter));
    assert_eq!(press(&mut app, ctrl('c')), vec![Effect::Quit]);
}

#[test]
fn a_corrupt_session_is_set_aside_and_the_participant_is_told() {
    let d = tempfile::tempdir().expect("tmp");
    let file = d.path().join("testland.toml");
    std::fs::write(&file, SCENARIO).expect("write scenario");
    let path = ndc_workbench::workshop::session::session_path(d.path(), "testland-2030", "tester");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, "{ not json").expect("write");
    let mut app = app_on_home();
    let fx = vec![Effect::Open {
        scenario: ScenarioRef::File(file),
        participant: "tester".into(),
    }];
    run_effects(&mut app, d.path(), fx);
    assert_eq!(app.screen, Screen::Reflect);
    let n = app.notice.clone().expect("a notice");
    assert!(n.error && n.text.contains("could not be read"), "{n:?}");
    let kept: Vec<_> = std::fs::read_dir(path.parent().expect("dir"))
        .expect("ls")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        std::fs::read_to_string(kept[0].path()).expect("read"),
        "{ not json"
    );
}

#[test]
fn opening_a_missing_scenario_file_reports_it() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_on_home();
    let fx = vec![Effect::Open {
        scenario: ScenarioRef::File(d.path().join("gone.toml")),
        participant: "tester".into(),
    }];
    run_effects(&mut app, d.path(), fx);
    assert_eq!(app.screen, Screen::Home);
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.error && n.text.contains("gone.toml"))
    );
}

#[test]
fn clicking_a_tab_opens_it() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    let row = render(&app, 80, 24)
        .lines()
        .nth(1)
        .map(str::to_string)
        .expect("tab row");
    let col = row.find("3 Budget").expect("budget tab");
    let col = u16::try_from(row[..col].chars().count()).expect("fits");
    update(&mut app, Action::Click(col, 1));
    assert_eq!(app.screen, Screen::Budget);
    update(&mut app, Action::Click(col, 5));
    assert_eq!(
        app.screen,
        Screen::Budget,
        "clicks outside the tab row do not switch"
    );
}

#[test]
fn while_the_terminal_is_too_small_keys_pastes_and_clicks_change_nothing() {
    use ndc_workbench::tui::input::event_to_action;
    use ratatui::crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    press_all(&mut app, d.path(), &[k(KeyCode::Enter), ch('a')]);
    assert!(app.editing());
    update(&mut app, Action::Resize(79, 24));
    let click = Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 3,
        row: 1,
        modifiers: KeyModifiers::NONE,
    });
    for ev in [
        Event::Key(ch('b')),
        Event::Key(k(KeyCode::Esc)),
        Event::Key(ch('q')),
        Event::Paste("pasted".into()),
        click,
    ] {
        assert!(
            event_to_action(&app, ev.clone()).is_none(),
            "{ev:?} dropped"
        );
    }
    assert!(
        matches!(
            event_to_action(&app, Event::Key(ctrl('c'))),
            Some(Action::Quit)
        ),
        "Ctrl-C still quits"
    );
    assert!(matches!(
        event_to_action(&app, Event::Resize(80, 24)),
        Some(Action::Resize(80, 24))
    ));
    update(&mut app, Action::Resize(80, 24));
    assert_eq!(
        event_to_action(&app, Event::Key(ch('b'))).map(|a| matches!(a, Action::EditKey(_))),
        Some(true),
        "at 80×24 typing reaches the editor again"
    );
    assert_eq!(
        app.reflect.editor.lines(),
        ["a"],
        "nothing typed while hidden"
    );
}

/// The rows of text inside the facts panel on a rendered screen: the lines between its top and
/// bottom borders, cut to the panel's columns.
fn facts_rows(screen: &str) -> Vec<String> {
    let lines: Vec<&str> = screen.lines().collect();
    let top = lines
        .iter()
        .position(|l| l.contains("Question and scenario facts"))
        .expect("facts panel on screen");
    let start = lines[top]
        .chars()
        .position(|c| c == '┌')
        .expect("panel corner");
    let mut rows = vec![];
    for l in &lines[top + 1..] {
        let cells: Vec<char> = l.chars().skip(start).collect();
        if cells.first() == Some(&'└') {
            return rows;
        }
        rows.push(cells.iter().skip(1).take_while(|&&c| c != '│').collect());
    }
    panic!("facts panel has no bottom border:\n{screen}");
}

#[test]
fn pgdn_and_pgup_move_the_facts_by_a_page_and_stop_at_the_ends() {
    let d = tempfile::tempdir().expect("tmp");
    let mut app = app_open(d.path());
    assert_eq!(app.screen, Screen::Reflect);
    let (w, h) = (80, 24);
    let first = render(&app, w, h);
    let page = facts_rows(&first);
    assert!(first.contains("(PgDn: more)"), "{first}");

    // One PgDn: the last line of the first page is now the first line (one line of overlap).
    press(&mut app, k(KeyCode::PageDown));
    let second = facts_rows(&render(&app, w, h));
    assert_eq!(second[0], *page.last().expect("rows"), "{second:?}");
    assert_eq!(
        usize::from(app.questions_view(Part::Reflect).facts_scroll),
        page.len() - 1
    );

    // PgDn many times: it stops where the last line is at the bottom, and says PgUp goes back.
    for _ in 0..60 {
        press(&mut app, k(KeyCode::PageDown));
        render(&app, w, h);
    }
    let at_end = app.questions_view(Part::Reflect).facts_scroll;
    let end_screen = render(&app, w, h);
    assert!(
        end_screen.contains("(PgUp: back)") && !end_screen.contains("(PgDn: more)"),
        "{end_screen}"
    );
    press(&mut app, k(KeyCode::PageDown));
    assert_eq!(app.questions_view(Part::Reflect).facts_scroll, at_end);

    // One PgUp from the end moves at once (it used to take several presses to come back from
    // an offset beyond the text), and enough of them come back to the first page exactly.
    press(&mut app, k(KeyCode::PageUp));
    assert_ne!(facts_rows(&render(&app, w, h)), facts_rows(&end_screen));
    for _ in 0..60 {
        press(&mut app, k(KeyCode::PageUp));
        render(&app, w, h);
    }
    assert_eq!(facts_rows(&render(&app, w, h)), page);
}
