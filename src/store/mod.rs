//! Where the workbench keeps its files, and how it writes them safely.
//!
//! One job: resolve the data directory (explicit `--data-dir`, then `NDC_WORKBENCH_DATA`, then
//! the platform data dir) and write files atomically (temp file in the same directory, fsync,
//! rename, fsync the directory), so a crash or a killed process never leaves a half-written file.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A storage problem: what failed and where.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no data directory: {0} (pass --data-dir DIR or set NDC_WORKBENCH_DATA)")]
    NoDataDir(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl StoreError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The data directory: `override_dir` if given, else `NDC_WORKBENCH_DATA`, else the platform's
/// data dir for `org.ndc-workbench.ndc-workbench`. The directory is not created here.
pub fn data_dir(override_dir: Option<&Path>) -> Result<PathBuf, StoreError> {
    if let Some(d) = override_dir {
        return Ok(d.to_path_buf());
    }
    if let Some(d) = std::env::var_os("NDC_WORKBENCH_DATA").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    directories::ProjectDirs::from("org", "ndc-workbench", "ndc-workbench")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or_else(|| StoreError::NoDataDir("the home directory cannot be determined".into()))
}

/// Write `bytes` to `path` atomically: a temp file in the same directory, fsync, rename over
/// `path`, fsync the directory. Creates the parent directory if needed.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| StoreError::io(&dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(StoreError::io(path, e));
    }
    // Make the rename durable. Opening a directory for fsync is not possible everywhere
    // (Windows); a failure here does not undo the write, so it is ignored there.
    #[cfg(unix)]
    {
        let d = std::fs::File::open(&dir).map_err(|e| StoreError::io(&dir, e))?;
        d.sync_all().map_err(|e| StoreError::io(&dir, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_dir_wins() {
        let d = data_dir(Some(Path::new("/x/y"))).expect("dir");
        assert_eq!(d, PathBuf::from("/x/y"));
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_file() {
        let t = tempfile::tempdir().expect("tmp");
        let p = t.path().join("sub").join("a.json");
        atomic_write(&p, b"one").expect("write");
        atomic_write(&p, b"two").expect("write");
        assert_eq!(std::fs::read(&p).expect("read"), b"two");
        let names: Vec<_> = std::fs::read_dir(t.path().join("sub"))
            .expect("ls")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }
}
