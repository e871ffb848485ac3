//! Cleaning up after runs that died: their staging and set-aside folders, touched only if
//! provably entente's, and never with a user's file inside.

use std::ffi::OsStr;
use std::fs;
use std::path::Path;

use super::contents::{made_by_entente, walk, written_by_entente, Found};
use super::journal;
use super::manifest::{delete_listed, trusted_manifest};
use super::replaceable::{few, shown_path};
use super::staging::{beside, dispose, keep_visible};
use super::target::parent_of;
use super::{MARKER, STAMP};

/// Removes the staging and set-aside folders that runs into `target` left behind when they
/// died (killed, crashed, power lost), and puts a set-aside previous result back if a run
/// died between moving it away and putting its own in place.
///
/// Only what entente provably made is touched: a real folder (not a link) named exactly
/// `.NAME.partial-PID-N` or `.NAME.old-PID-N` (compared byte for byte), of a process that is
/// no longer running (a live one may be writing it now), and holding entente's stamp or a
/// trusted manifest. A staging folder with its stamp is deleted if it holds only what
/// entente writes there (see [`clear_staging`]); one that got its manifest, or a set-aside
/// result, loses only what the manifest lists. Whatever a user put into one is kept, under
/// a visible name, with a warning. Anything else (a user's `.out.partial-2024-drafts` or
/// `.out.old-999999-0`) is left alone, silently.
pub(super) fn remove_stale(parent: &Path, name: &OsStr, target: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let Some((kind, tag)) = left_by(name, &entry.file_name()) else {
            continue;
        };
        let path = entry.path();
        if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        let visible = beside(name, "", kind, &tag);
        if kind == "partial" && fs::symlink_metadata(path.join(STAMP)).is_ok_and(|m| m.is_file()) {
            clear_staging(&path, &visible);
        } else if trusted_manifest(&path).is_none() {
            continue;
        } else if kind == "partial" {
            if !delete_listed(&path) {
                keep_staging(&path, &visible);
            }
        } else if target.exists() || fs::rename(&path, target).is_err() {
            dispose(&path, target, &visible);
        }
    }
}

/// Removes what a run that did not finish made in its staging folder: the files and
/// folders its journal lists (see [`journal`]), of the kinds entente writes there, then its
/// stamp and the folder if nothing else is left. Anything else (a user's notes, even one
/// named `my_notes.csv`, a link) is kept, with the folder, under a visible name, with a
/// warning saying where. A folder that lost its stamp to its manifest loses only what the
/// manifest lists.
pub(super) fn clear_staging(dir: &Path, keep_as: &OsStr) {
    if !fs::symlink_metadata(dir.join(STAMP)).is_ok_and(|m| m.is_file()) {
        if !delete_listed(dir) {
            keep_staging(dir, keep_as);
        }
        return;
    }
    let Ok(found) = walk(dir) else {
        return; // unreadable: nothing can be judged, so nothing is deleted
    };
    let made = journal::made(dir);
    let ours = |rel: &String, what: &Found| made.contains(rel) && staged_by_entente(rel, what);
    for (rel, path, what) in &found {
        if matches!(what, Found::File { .. }) && ours(rel, what) {
            let _ = fs::remove_file(path);
        }
    }
    // Deepest first; a folder that still holds something stays.
    for (rel, path, what) in found.iter().rev() {
        if matches!(what, Found::Folder) && ours(rel, what) {
            let _ = fs::remove_dir(path);
        }
    }
    if walk(dir).is_ok_and(|left| left.iter().all(|(rel, _, _)| rel == STAMP))
        && fs::remove_file(dir.join(STAMP)).is_ok()
        && fs::remove_dir(dir).is_ok()
    {
        return;
    }
    keep_staging(dir, keep_as);
}

/// Whether `rel`, found in a staging folder, is something entente puts there.
pub(super) fn staged_by_entente(rel: &str, what: &Found) -> bool {
    match what {
        Found::File { .. } => rel == STAMP || rel == MARKER || written_by_entente(rel),
        Found::Folder => made_by_entente(rel),
        Found::Other => false,
    }
}

/// Keeps a staging folder that holds files entente did not write: renamed beside it to
/// `keep_as` (its name without the leading `.`, `NAME.partial-PID-N`), where a user sees it
/// and the next run leaves it alone, and named in a warning.
pub(super) fn keep_staging(dir: &Path, keep_as: &OsStr) {
    let kept = keep_visible(dir, &parent_of(dir), keep_as);
    let theirs: Vec<String> = walk(&kept)
        .unwrap_or_default()
        .into_iter()
        .filter(|(rel, _, what)| rel != STAMP && rel != MARKER && !matches!(what, Found::Folder))
        .map(|(rel, _, _)| rel)
        .collect();
    let listed = match theirs.is_empty() {
        true => String::new(),
        false => format!(" ({})", few(&theirs)),
    };
    crate::warn!(
        "warning: a run that did not finish left its staging folder holding files entente \
         did not write{listed}; they are kept, with the folder, as {}: take what you need \
         from it and delete it",
        shown_path(&kept)
    );
}

/// If `found` is `.NAME.partial-PID-N` or `.NAME.old-PID-N` for the target `name`, written
/// exactly as entente writes it, by a process that has died: its kind and tag `PID-N`.
pub(super) fn left_by(name: &OsStr, found: &OsStr) -> Option<(&'static str, String)> {
    let rest = found
        .as_encoded_bytes()
        .strip_prefix(b".")?
        .strip_prefix(name.as_encoded_bytes())?
        .strip_prefix(b".")?;
    let (kind, tag) = [("partial", &b"partial-"[..]), ("old", &b"old-"[..])]
        .into_iter()
        .find_map(|(kind, prefix)| Some((kind, rest.strip_prefix(prefix)?)))?;
    let tag = std::str::from_utf8(tag).ok()?;
    let (pid, n) = tag.split_once('-')?;
    let pid: u32 = pid.parse().ok()?;
    let n: u64 = n.parse().ok()?;
    // Digits only, as entente prints them: no signs, no leading zeros.
    if tag != format!("{pid}-{n}") {
        return None;
    }
    if pid == std::process::id() || process_alive(pid) != Some(false) {
        return None;
    }
    Some((kind, tag.to_string()))
}

/// Whether process `pid` is running; `None` where this cannot be told (no `/proc`), in which
/// case nothing is removed.
pub(super) fn process_alive(pid: u32) -> Option<bool> {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return None;
    }
    Some(proc.join(pid.to_string()).exists())
}
