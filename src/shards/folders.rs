//! The folders a merge reads parts from: named on the command line, listed in `--from`
//! files (one per line) or found as the subfolders of `--parts` folders.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::scenario::{limits, path_shown};

/// Where `simulate merge` finds the partial result folders, as the command line names
/// them; `PartFolders` reads the lists and folders (options do not touch the disk).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartSources {
    /// Folders named on the command line.
    pub folders: Vec<PathBuf>,
    /// `--from FILE`: files listing folders, one per line (`-` for standard input).
    pub lists: Vec<PathBuf>,
    /// `--parts DIR`: folders whose subfolders holding a manifest.json are the parts.
    pub parents: Vec<PathBuf>,
}

/// Every part folder the sources name, in the order given: the folders on the command
/// line, then each list's lines, then each `--parts` folder's subfolders (by name). The
/// lists are read (and every line checked to name a folder) up front, but their lines
/// become paths one at a time as the parts are read: a list of a million lines costs its
/// text, not a million paths and manifests.
pub struct PartFolders<'s> {
    sources: &'s PartSources,
    lists: Vec<List>,
    /// The `--parts` folders' subfolders holding a manifest.
    found: Vec<PathBuf>,
}

impl<'s> PartFolders<'s> {
    pub fn read(sources: &'s PartSources) -> Result<Self, Error> {
        // Standard input can be read once: a second `--from -` would read it empty and be
        // reported as a list of no folder, though the first one listed every part.
        if sources
            .lists
            .iter()
            .filter(|l| *l == Path::new("-"))
            .count()
            > 1
        {
            return Err(Error::Refused(
                "--from - is given more than once; standard input can be read once: list every \
                 folder in it, or give the other lists as files"
                    .into(),
            ));
        }
        // The lists' text is held until the parts are read: capped together, as one list
        // is, so that `--from BIG` given a thousand times cannot fill the memory.
        let mut lists = Vec::new();
        let mut room = limits::MAX_FILE_BYTES;
        for list in &sources.lists {
            let list = List::read(list, room)?;
            room -= list.text.len() as u64;
            lists.push(list);
        }
        let mut found = Vec::new();
        for parent in &sources.parents {
            found.extend(folders_with_a_manifest(parent)?);
        }
        Ok(PartFolders {
            sources,
            lists,
            found,
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = PathBuf> + '_ {
        self.sources
            .folders
            .iter()
            .cloned()
            .chain(self.lists.iter().flat_map(List::folders))
            .chain(self.found.iter().cloned())
    }
}

/// A `--from` list as read: its name in messages, the folder its relative lines are
/// relative to, and its text.
struct List {
    shown: String,
    base: PathBuf,
    text: String,
}

impl List {
    /// Reads the list `--from FILE` names, one folder per line; blank lines and lines whose
    /// first non-blank character is `#` are skipped, and the spaces around a line are not
    /// part of it. A relative path is relative to the list's own folder, so that a list
    /// written beside the parts can be used from anywhere; from standard input (`-`),
    /// relative to the current folder. Lines naming no folder are reported at once (the
    /// first `MAX_PROBLEMS` of them, then how many more). `room`: the bytes the lists
    /// read before left of the cap on their text.
    fn read(list: &Path, room: u64) -> Result<List, Error> {
        let stdin = list == Path::new("-");
        let shown = if stdin {
            "standard input (--from -)".to_string()
        } else {
            path_shown(list)
        };
        let text = read_text(list, &shown, room)?;
        let base = match list.parent() {
            Some(folder) if !stdin => folder.to_path_buf(),
            _ => PathBuf::new(),
        };
        let list = List { shown, base, text };
        list.check_folders(stdin)?;
        Ok(list)
    }

    /// Its lines that name a folder, with their numbers (from 1).
    fn lines(&self) -> impl Iterator<Item = (usize, &str)> {
        // A byte-order mark (Windows Notepad writes one) is not part of the first line.
        let text = self.text.strip_prefix('\u{feff}').unwrap_or(&self.text);
        text.lines()
            .enumerate()
            .map(|(number, line)| (number + 1, line.trim()))
            .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
    }

    fn folders(&self) -> impl Iterator<Item = PathBuf> + '_ {
        self.lines().map(|(_, line)| self.base.join(line))
    }

    /// Refuses a list with a line naming no folder, or with no line at all.
    fn check_folders(&self, stdin: bool) -> Result<(), Error> {
        let mut wrong = Vec::new();
        let (mut more, mut any) = (0usize, false);
        for (number, line) in self.lines() {
            any = true;
            let folder = self.base.join(line);
            if folder.is_dir() {
                continue;
            }
            if wrong.len() == limits::MAX_PROBLEMS {
                more += 1;
                continue;
            }
            wrong.push(format!(
                "{}:{number}: {} is not a folder",
                self.shown,
                path_shown(&folder)
            ));
        }
        if more > 0 {
            wrong.push(format!(
                "... and {more} more lines naming no folder; fix the ones above first"
            ));
        }
        if !wrong.is_empty() {
            return Err(Error::Refused(format!(
                "{}\n(--from lists one partial result folder per line; a relative path is relative to {})",
                wrong.join("\n"),
                if stdin { "the current folder" } else { "the list file's folder" }
            )));
        }
        if !any {
            return Err(Error::Refused(format!(
                "--from {} lists no folder (only blank lines or # comments)",
                self.shown
            )));
        }
        Ok(())
    }
}

/// The text of a `--from` list (`-` for standard input), `shown` as messages name it, of
/// at most `max` bytes.
fn read_text(list: &Path, shown: &str, max: u64) -> Result<String, Error> {
    let stdin = list == Path::new("-");
    let cannot = |e: io::Error| Error::Refused(format!("--from {shown}: cannot read it: {e}"));
    // Capped like a scenario file: a list of a million parts is well under it, and a
    // device or an endless pipe cannot fill the memory.
    let mut bytes = Vec::new();
    if stdin {
        io::stdin()
            .lock()
            .take(max + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
    } else {
        if !fs::metadata(list).map_err(cannot)?.is_file() {
            return Err(Error::Refused(format!(
                "--from {shown}: not a regular file; give a text file listing one partial result folder per line"
            )));
        }
        fs::File::open(list)
            .map_err(cannot)?
            .take(max + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
    }
    if bytes.len() as u64 > max {
        let cap = limits::MAX_FILE_BYTES >> 20;
        return Err(Error::Refused(if max == limits::MAX_FILE_BYTES {
            format!(
                "--from {shown}: larger than {cap} MB; a list of folders is far smaller (the wrong file?)"
            )
        } else {
            format!(
                "--from {shown}: the --from lists are larger than {cap} MB together; lists of \
                 folders are far smaller (one list given many times?)"
            )
        }));
    }
    String::from_utf8(bytes).map_err(|e| {
        // A list is edited by line: name the line and column (in bytes), like every other
        // message about a list's line.
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
        Error::Refused(format!(
            "{shown}:{line}:{column}: not UTF-8 text; give a text file listing one partial result folder per line"
        ))
    })
}

/// The immediate subfolders of `parent` that hold a `manifest.json`, sorted by name. Other
/// subfolders (logs, a merged result) and files are left out; a subfolder whose manifest is
/// damaged is kept, so that the merge says what is wrong with it.
fn folders_with_a_manifest(parent: &Path) -> Result<Vec<PathBuf>, Error> {
    let shown = path_shown(parent);
    let cannot =
        |e: io::Error| Error::Refused(format!("--parts {shown}: cannot read the folder: {e}"));
    let mut folders = Vec::new();
    for entry in fs::read_dir(parent).map_err(cannot)? {
        let path = entry.map_err(cannot)?.path();
        if path.is_dir() && path.join("manifest.json").exists() {
            folders.push(path);
        }
    }
    folders.sort();
    if folders.is_empty() {
        let hint = if parent.join("manifest.json").exists() {
            format!(
                "; it is itself a partial result: name it without --parts (simulate merge {shown} ...)"
            )
        } else {
            String::new()
        };
        return Err(Error::Refused(format!(
            "--parts {shown}: no subfolder holds a manifest.json (a partial result of `simulate --shard`){hint}"
        )));
    }
    Ok(folders)
}
