//! Where data lives and how it is written: the data directory (the `directories` crate, or
//! `--data-dir` / `NDC_WORKBENCH_DATA`) and atomic file writes (temporary file in the same
//! directory, fsync, rename, fsync of the directory), so a crash never leaves a half-written file.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Storage errors, with the path involved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "no data directory could be determined for this user; pass --data-dir DIR or set NDC_WORKBENCH_DATA"
    )]
    NoDataDir,
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The data directory: explicit override, then `NDC_WORKBENCH_DATA`, then the platform's data
/// directory for `ndc-workbench`. Created if missing.
pub fn data_dir(override_dir: Option<&Path>) -> Result<PathBuf, StoreError> {
    let dir = match override_dir {
        Some(d) => d.to_path_buf(),
        None => match std::env::var_os("NDC_WORKBENCH_DATA").filter(|v| !v.is_empty()) {
            Some(v) => PathBuf::from(v),
            None => directories::ProjectDirs::from("org", "ndc-workbench", "ndc-workbench")
                .ok_or(StoreError::NoDataDir)?
                .data_dir()
                .to_path_buf(),
        },
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    Ok(dir)
}

/// Write `bytes` to `path` atomically: a reader sees the old file or the new one, never a mix.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp).map_err(io(&tmp))?;
        f.write_all(bytes).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
    }
    std::fs::rename(&tmp, path).map_err(io(path))?;
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("a.json");
        atomic_write(&p, b"first version, longer").expect("write");
        atomic_write(&p, b"second").expect("write");
        assert_eq!(std::fs::read(&p).expect("read"), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("ls")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn explicit_data_dir_wins_and_is_created() {
        let dir = tempfile::tempdir().expect("tmp");
        let d = dir.path().join("nested/data");
        assert_eq!(data_dir(Some(&d)).expect("dir"), d);
        assert!(d.is_dir());
    }
}
