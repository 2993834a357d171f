//! Loads and saves the hold ledger in the data directory.
//!
//! The only I/O in the store module. Saving writes a sibling temporary file and renames it
//! over the target, so a crash never leaves half a ledger. A missing file is an empty
//! ledger; a corrupt one is an error the caller can show (and then start empty).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::ledger::HoldLedger;

/// The file name inside the data directory.
pub const LEDGER_FILE_NAME: &str = "hold-ledger.json";

#[derive(Debug, thiserror::Error)]
pub enum LedgerFileError {
    #[error("cannot read hold ledger {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("hold ledger {path} is corrupt ({source}); holds made before this start are unknown")]
    Corrupt {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("cannot write hold ledger {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
}

/// The ledger path for a data directory.
pub fn ledger_path(data_dir: &Path) -> PathBuf {
    data_dir.join(LEDGER_FILE_NAME)
}

/// Reads the ledger; a missing file is an empty ledger.
pub fn load(path: &Path) -> Result<HoldLedger, LedgerFileError> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(HoldLedger::new()),
        Err(source) => {
            return Err(LedgerFileError::Read {
                path: path.to_owned(),
                source,
            })
        }
    };
    serde_json::from_str(&text).map_err(|source| LedgerFileError::Corrupt {
        path: path.to_owned(),
        source,
    })
}

/// Writes the ledger atomically (temporary file, fsync, rename).
pub fn save(path: &Path, ledger: &HoldLedger) -> Result<(), LedgerFileError> {
    let write_err = |source| LedgerFileError::Write {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(write_err)?;
    }
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(".tmp");
    let tmp = PathBuf::from(tmp_name);
    let body = serde_json::to_vec_pretty(ledger).map_err(|e| write_err(io::Error::other(e)))?;
    let written = fs::File::create(&tmp).and_then(|mut file| {
        file.write_all(&body)?;
        file.sync_all()
    });
    if let Err(e) = written.and_then(|()| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(write_err(e));
    }
    Ok(())
}
