//! The domain never imports the terminal: only `src/tui/` may use ratatui, crossterm or
//! ratatui-textarea (architecture guide). This test reads the sources, so CI fails on a leak.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("readable src").flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn only_the_tui_module_uses_terminal_crates() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let tui = src.join("tui");
    let mut files = vec![];
    rust_files(&src, &mut files);
    assert!(files.len() > 20, "sources found");
    let mut leaks = vec![];
    for f in files.iter().filter(|f| !f.starts_with(&tui)) {
        let text = std::fs::read_to_string(f).expect("utf-8 source");
        for (i, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            let uses = ["ratatui", "crossterm", "ratatui_textarea"]
                .iter()
                .any(|c| {
                    code.contains(&format!("{c}::"))
                        || code.starts_with(&format!("use {c}"))
                        || code.starts_with(&format!("pub use {c}"))
                });
            if uses {
                leaks.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "terminal crates used outside src/tui/:\n{}",
        leaks.join("\n")
    );
}
