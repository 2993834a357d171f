//! The data directory (audit trail, hold ledger, token, log) is owner-only: the directory
//! is created 0700 and every file in it 0600.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Creates the directory (and missing parents) owner-only. An existing directory is left
/// as it is: it may be shared on purpose.
pub fn create(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Opens a file for appending, created owner-only.
pub fn open_append(path: &Path) -> io::Result<File> {
    private(OpenOptions::new().create(true).append(true)).open(path)
}

/// Creates (or truncates) a file owner-only.
pub fn create_file(path: &Path) -> io::Result<File> {
    private(OpenOptions::new().create(true).write(true).truncate(true)).open(path)
}

fn private(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}
