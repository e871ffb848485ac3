//! Judging an existing folder before it is replaced: empty, or holding only what its
//! manifest lists, unchanged; and saying in words why not.

use std::fs;
use std::path::Path;

use crate::scenario::spelling;

use super::contents::{walk, Found};
use super::manifest::{listed, never_written, read_manifest, unchanged};
use super::MARKER;

/// Why an existing folder may not be replaced.
#[derive(Debug)]
pub(super) enum Foreign {
    /// Not empty, and no manifest of this version: an older entente's result or not
    /// entente's at all.
    NoManifest {
        found: Vec<String>,
    },
    /// A manifest that lists files entente never writes: not entente's, whatever it says.
    Forged {
        listed: Vec<String>,
    },
    /// Something other than a folder took the target's place.
    NotAFolder,
    /// Files or folders the manifest does not list (`added`) or lists with other contents
    /// (`changed`).
    Files {
        added: Vec<String>,
        changed: Vec<String>,
    },
    Unreadable(String),
}

/// The rule for replacing an existing folder: it is empty, or everything in it is listed
/// in its manifest with the same size and hash (listed files that are gone are fine).
///
/// Another run may swap the folder for its own while it is read (a manifest of one and
/// files of the other look changed), so the verdict counts only if the same folder stood
/// there throughout; a folder that vanished has nothing left to protect.
pub(super) fn check_replaceable(dir: &Path) -> Result<(), Foreign> {
    let mut verdict = Ok(());
    for _ in 0..100 {
        let before = identity(dir);
        verdict = judge(dir);
        match identity(dir) {
            None => return Ok(()),
            after if after == before => return verdict,
            _ => {}
        }
    }
    verdict
}

/// Which folder stands at `path`: device and inode.
#[cfg(unix)]
pub(super) fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::symlink_metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
pub(super) fn identity(path: &Path) -> Option<(u64, u64)> {
    fs::symlink_metadata(path).ok().map(|_| (0, 0))
}

pub(super) fn judge(dir: &Path) -> Result<(), Foreign> {
    let unreadable = |e: std::io::Error| Foreign::Unreadable(e.to_string());
    let Some(manifest) = read_manifest(dir) else {
        // Named from the top level only: `--out ~` must not walk the whole home folder.
        let mut found: Vec<String> = fs::read_dir(dir)
            .map_err(unreadable)?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<Result<_, _>>()
            .map_err(unreadable)?;
        found.sort();
        return if found.is_empty() {
            Ok(())
        } else {
            Err(Foreign::NoManifest { found })
        };
    };
    let forged = never_written(&manifest);
    if !forged.is_empty() {
        return Err(Foreign::Forged { listed: forged });
    }
    let (files, folders) = listed(&manifest);
    let (mut added, mut changed) = (Vec::new(), Vec::new());
    let mut foreign_folder: Option<String> = None;
    for (rel, path, what) in walk(dir).map_err(unreadable)? {
        // The contents of a folder entente did not write are not named one by one.
        if foreign_folder
            .as_ref()
            .is_some_and(|f| rel.starts_with(&format!("{f}/")))
        {
            continue;
        }
        match what {
            _ if rel == MARKER => {}
            Found::Folder if folders.contains(rel.as_str()) => {}
            Found::File { bytes } if files.contains_key(rel.as_str()) => {
                if !unchanged(&files, &rel, &path, bytes) {
                    changed.push(rel);
                }
            }
            Found::Folder => {
                foreign_folder = Some(rel.clone());
                added.push(rel);
            }
            _ => added.push(rel),
        }
    }
    if added.is_empty() && changed.is_empty() {
        Ok(())
    } else {
        Err(Foreign::Files { added, changed })
    }
}

/// A few names, escaped and cut, then how many more: `a, b, c and 4 more`.
pub(super) fn few(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let shown: Vec<String> = names[..names.len().min(SHOWN)]
        .iter()
        .map(|n| spelling::shown(n))
        .collect();
    let shown = shown.join(", ");
    match names.len().saturating_sub(SHOWN) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// Characters of a path a message shows: every path in a message is the user's (or made
/// from theirs), and one of 4,000 bytes made a message as long.
pub(super) const SHOWN_PATH_CHARS: usize = 200;

/// A path as a message shows it: control characters escaped, cut when long.
pub(super) fn shown_path(path: &Path) -> String {
    spelling::printable(&path.to_string_lossy(), SHOWN_PATH_CHARS)
}

/// What is wrong with a folder, in words: "holds ... (...)".
pub(super) fn describe(foreign: &Foreign) -> String {
    match foreign {
        Foreign::NoManifest { found } => format!(
            "does not hold entente results of this version: it holds {} but no manifest \
             {MARKER} (an older entente or something else wrote them)",
            few(found)
        ),
        Foreign::Files { added, changed } => {
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("files entente did not write ({})", few(added)));
            }
            if !changed.is_empty() {
                parts.push(format!(
                    "files changed since entente wrote them ({})",
                    few(changed)
                ));
            }
            format!("holds {}", parts.join(" and "))
        }
        Foreign::Forged { listed } => format!(
            "holds a manifest {MARKER} that lists files entente never writes ({}), so it \
             is not an entente result",
            few(listed)
        ),
        Foreign::NotAFolder => "is now a file or a link, not a folder".to_string(),
        Foreign::Unreadable(why) => format!("cannot be read ({why})"),
    }
}
