//! The journal of a staging folder: each file and folder a run makes there is noted in the
//! folder's stamp before it is made, so that cleaning up after a run that died deletes only
//! what the run made. A file's name and kind prove nothing: a user's `my_notes.csv` put
//! into a staging folder is the kind of file entente writes, but not one it wrote.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::STAMP;

/// The staging folders this process is filling now; a path in none of them (an exporter
/// writing into a folder of a test's own) is written without a note.
static OPEN: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Largest journal read back: a run notes a few hundred names; a stamp much larger was not
/// written by entente, and is read only this far.
const MAX_JOURNAL_BYTES: u64 = 4 << 20;

/// Starts the journal of `staging`, a folder just created: its stamp, holding `tag`.
pub(super) fn open(staging: &Path, tag: &str) -> io::Result<()> {
    fs::write(staging.join(STAMP), format!("{tag}\n"))?;
    lock().push(staging.to_path_buf());
    Ok(())
}

/// Ends the notes of `staging`: it was renamed into place or removed.
pub(super) fn close(staging: &Path) {
    lock().retain(|open| open != staging);
}

fn lock() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    OPEN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Notes `path` in the journal of the staging folder it is in, before it is made: a run
/// killed between the two leaves a note of a file that is not there, never a file without
/// a note.
pub fn note(path: &Path) -> io::Result<()> {
    let open = lock();
    let Some((root, rel)) = open
        .iter()
        .find_map(|root| Some((root, path.strip_prefix(root).ok()?)))
    else {
        return Ok(());
    };
    // Ctrl-C while a result is written: no file is begun after it, so the write stops
    // within one file (a plot: milliseconds) instead of after every plot, and the staging
    // folder is removed (`fill_atomically` reads the failure as the interrupt).
    crate::progress::unless_interrupted()?;
    let parts: Option<Vec<&str>> = rel.iter().map(|part| part.to_str()).collect();
    let Some(parts) = parts else {
        // Entente names its files in UTF-8; one that is not is not noted, so a run
        // killed after making it leaves it to the user, with a warning.
        return Ok(());
    };
    // One JSON string a line: a name holding a line break cannot forge a second note.
    let mut line = serde_json::to_string(&parts.join("/"))?;
    line.push('\n');
    fs::OpenOptions::new()
        .append(true)
        .open(root.join(STAMP))?
        .write_all(line.as_bytes())
}

/// Writes a file of a result, noted first.
pub fn write(path: &Path, bytes: impl AsRef<[u8]>) -> io::Result<()> {
    note(path)?;
    fs::write(path, bytes)
}

/// Creates a file of a result for writing, noted first.
pub fn create(path: &Path) -> io::Result<fs::File> {
    note(path)?;
    fs::File::create(path)
}

/// Makes a sub-folder of a result, and those above it that are missing, each noted first.
pub fn create_dir_all(path: &Path) -> io::Result<()> {
    let missing: Vec<&Path> = path.ancestors().take_while(|p| !p.exists()).collect();
    for folder in missing.iter().rev() {
        note(folder)?;
    }
    fs::create_dir_all(path)
}

/// What the journal in the stamp of `dir` says the run made there, by path relative to
/// `dir` with `/`; nothing for a stamp that lists nothing (or cannot be read).
pub(super) fn made(dir: &Path) -> BTreeSet<String> {
    let mut text = String::new();
    let read = fs::File::open(dir.join(STAMP))
        .and_then(|file| file.take(MAX_JOURNAL_BYTES).read_to_string(&mut text));
    if read.is_err() {
        return BTreeSet::new();
    }
    // The first line is the stamp's tag; a line cut short by a kill does not parse.
    text.lines()
        .skip(1)
        .filter_map(|line| serde_json::from_str::<String>(line).ok())
        .collect()
}
