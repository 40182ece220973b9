//! Storage helpers shared by the domain modules. One job: find the data directory and write
//! files safely (atomic replace with fsync). No domain logic here.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// Environment variable naming the data directory.
pub const DATA_DIR_ENV: &str = "NDC_WORKBENCH_DATA";

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("no data directory: pass --data-dir DIR or set {DATA_DIR_ENV}")]
    NoDataDir,
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// [`data_dir`] without creating it: where it is (for showing a command that finds it).
pub fn data_dir_path(override_dir: Option<&Path>) -> Result<PathBuf, StoreError> {
    if let Some(d) = override_dir {
        Ok(d.to_path_buf())
    } else if let Some(d) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        Ok(PathBuf::from(d))
    } else {
        directories::ProjectDirs::from("org", "ndc-workbench", "ndc-workbench")
            .map(|p| p.data_dir().to_path_buf())
            .ok_or(StoreError::NoDataDir)
    }
}

/// Data directory: `override` (e.g. `--data-dir`), else `$NDC_WORKBENCH_DATA`, else the
/// platform data dir of `org.ndc-workbench.ndc-workbench`. Created if missing.
pub fn data_dir(override_dir: Option<&Path>) -> Result<PathBuf, StoreError> {
    let dir = data_dir_path(override_dir)?;
    fs::create_dir_all(&dir).map_err(|source| StoreError::Io {
        path: dir.clone(),
        source,
    })?;
    Ok(dir)
}

/// Write `bytes` to `path` atomically: temp file in the same directory (created if missing),
/// fsync, rename over `path`, fsync the directory. Readers see the old or the new file, never
/// a mix.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let err = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let res = (|| {
        fs::create_dir_all(dir)?;
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        sync_parent(path)
    })();
    if res.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    res.map_err(err)
}

/// fsync the directory containing `path` (so a create or rename is durable).
pub fn sync_parent(path: &Path) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn atomic_write_replaces() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x.txt");
        atomic_write(&p, b"one").unwrap();
        atomic_write(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1);
        let dd = data_dir(Some(&d.path().join("sub"))).unwrap();
        assert!(dd.is_dir());
    }
}
