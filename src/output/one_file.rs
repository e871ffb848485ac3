//! One file written where none is, as `simulate new` writes its starter: into a folder that
//! exists (none is made, so a misspelt folder is named), never over an existing file, never
//! left half-written.

use std::io::Write;
use std::path::Path;

use crate::error::Error;
use crate::scenario::path_shown;

/// The folder `file` goes in must exist: `new` writes one file and makes no folders, so a
/// misspelt folder is named rather than created, and a file where a folder is named is
/// said to be a file (`mkdir -p` would fail on it).
pub fn folder_exists(file: &Path) -> Result<(), Error> {
    let Some(folder) = file.parent().filter(|p| !p.as_os_str().is_empty()) else {
        return Ok(());
    };
    if folder.is_dir() {
        return Ok(());
    }
    let existing = folder.ancestors().find(|a| a.symlink_metadata().is_ok());
    if let Some(not_a_folder) = existing.filter(|a| !a.as_os_str().is_empty() && !a.is_dir()) {
        return Err(Error::Refused(format!(
            "cannot write {}: {} is a file, not a folder; name a file in a folder",
            path_shown(file),
            path_shown(not_a_folder)
        )));
    }
    Err(Error::Refused(format!(
        "cannot write {}: there is no folder {}; create it first (`mkdir -p {}`) or name a \
         file in an existing folder",
        path_shown(file),
        path_shown(folder),
        path_shown(folder)
    )))
}

/// Creates `file` (never over an existing one) with `bytes`; a file left half-written by a
/// failed write is removed.
pub fn write_new(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(file)?;
    let written = f.write_all(bytes).and_then(|()| f.sync_all());
    if written.is_err() {
        drop(f);
        let _ = std::fs::remove_file(file);
    }
    written
}
