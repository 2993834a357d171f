//! Loads and saves the hold ledger in the data directory.
//!
//! The only I/O in the store module. Saving writes a sibling temporary file and renames it
//! over the target, so a crash never leaves half a ledger. A missing file is an empty
//! ledger; a corrupt one is moved aside (never overwritten) and a fresh one started.

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
        crate::data_dir::create(dir).map_err(write_err)?;
    }
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(".tmp");
    let tmp = PathBuf::from(tmp_name);
    let body = serde_json::to_vec_pretty(ledger).map_err(|e| write_err(io::Error::other(e)))?;
    let written = crate::data_dir::create_file(&tmp).and_then(|mut file| {
        file.write_all(&body)?;
        file.sync_all()
    });
    if let Err(e) = written.and_then(|()| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(write_err(e));
    }
    Ok(())
}

/// The ledger file as one console keeps it. Several processes (a dashboard, `watch`, a
/// one-shot command in another shell) share the file, so a save writes only what this
/// process changed since its last save, onto what is on disk now, under a lock: another
/// console's hold is never overwritten by a stale copy.
#[derive(Debug)]
pub struct LedgerFile {
    path: PathBuf,
    saved: HoldLedger,
}

impl LedgerFile {
    /// `saved` is the ledger as loaded (what this process last agreed with the file on).
    pub fn new(path: PathBuf, saved: HoldLedger) -> Self {
        LedgerFile { path, saved }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn save(&mut self, current: &HoldLedger) -> Result<(), LedgerFileError> {
        let write_err = |source| LedgerFileError::Write {
            path: self.path.clone(),
            source,
        };
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::data_dir::create(dir).map_err(write_err)?;
        }
        let mut lock_name = self.path.as_os_str().to_owned();
        lock_name.push(".lock");
        let lock = crate::data_dir::open_append(Path::new(&lock_name)).map_err(write_err)?;
        lock.lock().map_err(write_err)?;
        let mut on_disk = match load(&self.path) {
            Ok(ledger) => ledger,
            // Someone else's bad write: ours must not be lost for it; theirs is gone.
            Err(LedgerFileError::Corrupt { .. }) => HoldLedger::new(),
            Err(e) => return Err(e),
        };
        let calls: std::collections::BTreeSet<uuid::Uuid> = self
            .saved
            .iter()
            .chain(current.iter())
            .map(|e| e.call_id)
            .collect();
        for call in calls {
            match (self.saved.get(call), current.get(call)) {
                (before, Some(now)) if before != Some(now) => on_disk.put(now.clone()),
                (Some(_), None) => {
                    on_disk.release(call);
                }
                _ => {}
            }
        }
        save(&self.path, &on_disk)?;
        drop(lock);
        self.saved = current.clone();
        Ok(())
    }
}

/// Loads the ledger for a mode's start-up. A corrupt (or empty) file is moved aside as
/// `hold-ledger.json.corrupt-<time>` so the next save cannot destroy it, and the holds it
/// held are unknown from now on: the returned warning says so, for the user to see.
pub fn open(path: &Path, now: crate::voipbin::Timestamp) -> (HoldLedger, Option<String>) {
    match load(path) {
        Ok(ledger) => (ledger, None),
        // Set aside either way, so the next save cannot overwrite holds it may hold.
        Err(error @ (LedgerFileError::Corrupt { .. } | LedgerFileError::Read { .. })) => {
            let mut aside = path.as_os_str().to_owned();
            aside.push(format!(".corrupt-{}", now.format("%Y%m%dT%H%M%SZ")));
            let aside = PathBuf::from(aside);
            let warning = match fs::rename(path, &aside) {
                Ok(()) => format!(
                    "{error}; moved to {}; starting a fresh ledger",
                    aside.display()
                ),
                Err(e) => format!("{error}; could not move it aside ({e})"),
            };
            (HoldLedger::new(), Some(warning))
        }
        Err(error) => (HoldLedger::new(), Some(error.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir() -> PathBuf {
        std::env::temp_dir().join(format!("bridgetop-ledger-{}", uuid::Uuid::new_v4()))
    }

    #[test]
    fn a_corrupt_or_empty_ledger_is_moved_aside_not_overwritten() {
        for body in ["", "{not json"] {
            let dir = temp_dir();
            fs::create_dir_all(&dir).unwrap();
            let path = ledger_path(&dir);
            fs::write(&path, body).unwrap();
            let (ledger, warning) = open(&path, chrono::Utc::now());
            assert!(ledger.is_empty());
            let warning = warning.expect("the user is told");
            assert!(warning.contains("corrupt"), "{warning}");
            assert!(!path.exists(), "the bad file is no longer in the way");
            let aside: Vec<_> = fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .filter(|n| n.starts_with("hold-ledger.json.corrupt-"))
                .collect();
            assert_eq!(aside.len(), 1, "{aside:?}");
            assert_eq!(fs::read_to_string(dir.join(&aside[0])).unwrap(), body);
        }
    }

    #[test]
    fn two_processes_saving_keep_each_others_holds() {
        let path = ledger_path(&temp_dir());
        let t = chrono::Utc::now();
        let (a_call, b_call) = (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2));
        let mut a_file = LedgerFile::new(path.clone(), HoldLedger::new());
        let mut b_file = LedgerFile::new(path.clone(), HoldLedger::new());
        let mut a = HoldLedger::new();
        let mut b = HoldLedger::new();
        a.hold(a_call, None, t);
        a_file.save(&a).unwrap();
        b.hold(b_call, None, t);
        b_file.save(&b).unwrap();
        let both = load(&path).unwrap();
        assert!(both.get(a_call).is_some() && both.get(b_call).is_some());
        // A release by one removes only its own call.
        a.release(a_call);
        a_file.save(&a).unwrap();
        let left = load(&path).unwrap();
        assert!(left.get(a_call).is_none() && left.get(b_call).is_some());
    }

    #[cfg(unix)]
    #[test]
    fn the_ledger_and_a_new_data_directory_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp_dir().join("data");
        let path = ledger_path(&dir);
        save(&path, &HoldLedger::new()).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&path), 0o600);
    }
}
