//! Real-terminal end-to-end tests: the built binary in a pseudo-terminal (portable-pty), its
//! output read through a terminal emulator (vt100). The screen is polled with a timeout instead
//! of fixed sleeps. Each test uses its own temp data dir and working directory.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_ndc-workbench");
const TIMEOUT: Duration = Duration::from_secs(10);

struct Term {
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("non-zero")
}

impl Term {
    fn start(dir: &Path, args: &[&str]) -> Term {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        cmd.cwd(dir);
        cmd.env("TERM", "xterm-256color");
        cmd.env("NO_COLOR", "1");
        let child = pair.slave.spawn_command(cmd).expect("spawn the workbench");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(24), nz(80), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut p) = p.lock() {
                    p.process(&buf[..n]);
                }
                if let Ok(mut r) = r.lock() {
                    r.extend_from_slice(&buf[..n]);
                }
            }
        });
        Term {
            master: pair.master,
            child,
            writer,
            parser,
            raw,
        }
    }

    fn screen(&self) -> String {
        self.parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    fn wait_for(&self, what: &str) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if self.screen().contains(what) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {what:?}; screen:\n{}", self.screen());
    }

    fn send(&mut self, bytes: &str) {
        self.writer
            .write_all(bytes.as_bytes())
            .expect("write to the pty");
        self.writer.flush().expect("flush");
    }

    /// Type text one key at a time, waiting for each to be drawn (so it was also saved).
    fn type_slowly(&mut self, text: &str) {
        for (i, c) in text.char_indices() {
            self.send(&c.to_string());
            self.wait_for(&text[..i + c.len_utf8()]);
        }
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if let Ok(Some(s)) = self.child.try_wait() {
                // let the reader drain the last bytes
                std::thread::sleep(Duration::from_millis(100));
                return s;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the workbench did not exit; screen:\n{}", self.screen());
    }

    fn kill9(&mut self) {
        let pid = self.child.process_id().expect("pid");
        let ok = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .expect("run kill");
        assert!(ok.success());
        self.wait_exit();
    }
}

fn data_args(dir: &Path) -> Vec<String> {
    vec![
        "--data-dir".into(),
        dir.join("data").display().to_string(),
        "--participant".into(),
        "tester".into(),
    ]
}

/// Open the first prepared scenario from Home and wait for Reflect.
fn open_default(t: &mut Term) {
    t.wait_for("Prepared scenarios");
    t.send("\r");
    t.wait_for("answered");
}

fn session_text(dir: &Path) -> String {
    let sessions = dir.join("data").join("sessions");
    let mut out = String::new();
    for e in std::fs::read_dir(&sessions)
        .expect("sessions dir")
        .flatten()
    {
        if e.path().extension().is_some_and(|x| x == "json") {
            out.push_str(&std::fs::read_to_string(e.path()).expect("read"));
        }
    }
    out
}

#[test]
fn answer_survives_quit_and_the_terminal_is_restored() {
    let d = tempfile::tempdir().expect("tmp");
    let args = data_args(d.path());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut t = Term::start(d.path(), &args);
    open_default(&mut t);
    assert!(
        t.parser
            .lock()
            .map(|p| p.screen().alternate_screen())
            .unwrap_or(false),
        "runs in the alternate screen"
    );
    t.wait_for("Reflect — 0/6 answered");
    t.send("\r");
    t.wait_for("editing");
    t.type_slowly("hello from the pty");
    t.send("\x1b");
    t.wait_for("Enter answer");
    t.wait_for("Reflect — 1/6 answered");
    t.send("q");
    let status = t.wait_exit();
    assert!(status.success(), "{status:?}");
    {
        let p = t.parser.lock().expect("parser");
        assert!(!p.screen().alternate_screen(), "left the alternate screen");
        assert!(
            !p.screen().bracketed_paste(),
            "bracketed paste switched off"
        );
        assert!(!p.screen().hide_cursor(), "cursor shown again");
    }
    let raw = t
        .raw
        .lock()
        .map(|r| String::from_utf8_lossy(&r).into_owned())
        .unwrap_or_default();
    assert!(
        raw.contains("\x1b[?1049l"),
        "leave-alternate-screen sequence emitted"
    );
    assert!(
        raw.contains("\x1b[?2004l"),
        "disable-bracketed-paste sequence emitted"
    );
    // Raw mode is a property of the terminal device: ask stty about it.
    if let Some(tty) = t.master.tty_name() {
        let out = std::process::Command::new("stty")
            .arg("-F")
            .arg(&tty)
            .arg("-a")
            .output();
        if let Some(out) = out.ok().filter(|o| o.status.success()) {
            let s = String::from_utf8_lossy(&out.stdout);
            let words: Vec<&str> = s.split_whitespace().collect();
            assert!(
                words.contains(&"icanon") && words.contains(&"echo"),
                "terminal back in cooked mode: {s}"
            );
        }
    }
    drop(t);

    let mut t = Term::start(d.path(), &args);
    t.wait_for("Continue where I left off");
    t.send("c");
    t.wait_for("hello from the pty");
    t.wait_for("1/6 answered");
    t.send("q");
    t.wait_exit();
}

#[test]
fn killing_the_process_loses_nothing_that_was_typed() {
    let d = tempfile::tempdir().expect("tmp");
    let args = data_args(d.path());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut t = Term::start(d.path(), &args);
    open_default(&mut t);
    t.send("\r");
    t.wait_for("editing");
    t.type_slowly("every key counts");
    t.kill9();
    assert!(
        session_text(d.path()).contains("every key counts"),
        "{}",
        session_text(d.path())
    );
    drop(t);

    let mut t = Term::start(d.path(), &args);
    t.wait_for("Continue where I left off");
    t.send("c");
    t.wait_for("every key counts");
    t.wait_for("1/6 answered");
    t.send("q");
    t.wait_exit();
}

#[test]
fn a_scenario_file_on_the_command_line_opens_directly() {
    let d = tempfile::tempdir().expect("tmp");
    let file = d.path().join("my-scenario.toml");
    std::fs::write(&file, include_str!("tui_support/scenario.toml")).expect("write");
    let mut args = data_args(d.path());
    args.insert(0, file.display().to_string());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut t = Term::start(d.path(), &args);
    t.wait_for("Reflect — 0/6 answered");
    t.wait_for("ILLUSTRATIVE");
    t.send("q");
    assert!(t.wait_exit().success());
}

#[test]
fn a_bad_scenario_file_is_reported_before_the_terminal_is_touched() {
    let d = tempfile::tempdir().expect("tmp");
    let bad = d.path().join("bad.toml");
    std::fs::write(&bad, "schema = 1\n[scenario]\nid = 3\n").expect("write");
    let out = std::process::Command::new(BIN)
        .arg(&bad)
        .arg("--data-dir")
        .arg(d.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml"), "{err}");
    assert!(
        out.stdout.is_empty(),
        "nothing drawn: {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    let missing = std::process::Command::new(BIN)
        .arg("no-such-scenario")
        .arg("--data-dir")
        .arg(d.path())
        .output()
        .expect("run");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no scenario `no-such-scenario`"));
}

#[test]
fn too_small_terminal_says_so_and_resizing_redraws() {
    let d = tempfile::tempdir().expect("tmp");
    let args = data_args(d.path());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut t = Term::start(d.path(), &args);
    t.wait_for("Prepared scenarios");
    if let Ok(mut p) = t.parser.lock() {
        p.screen_mut().set_size(nz(20), nz(60));
    }
    t.master
        .resize(PtySize {
            rows: 20,
            cols: 60,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("resize");
    t.wait_for("terminal too small (need 80×24)");
    if let Ok(mut p) = t.parser.lock() {
        p.screen_mut().set_size(nz(24), nz(80));
    }
    t.master
        .resize(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("resize");
    t.wait_for("Prepared scenarios");
    t.send("q");
    t.wait_exit();
}

#[test]
fn simulate_shows_the_maximum_transferable_and_the_study_reports_in_the_loop() {
    let d = tempfile::tempdir().expect("tmp");
    let args = data_args(d.path());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut t = Term::start(d.path(), &args);
    open_default(&mut t);
    t.send("4");
    t.wait_for("Maximum transferable: ");
    let screen = t.screen();
    let line = screen
        .lines()
        .find(|l| l.contains("Maximum transferable: "))
        .expect("the line");
    let after = line
        .split("Maximum transferable: ")
        .nth(1)
        .unwrap_or_default();
    assert!(
        after.chars().next().is_some_and(|c| c.is_ascii_digit()),
        "a number follows: {line}"
    );
    // The uncertainty study runs on a thread; the loop wakes to show its result.
    t.send("u");
    t.wait_for("P(target holds");
    t.send("q");
    let status = t.wait_exit();
    assert!(status.success(), "{status:?}");
}
