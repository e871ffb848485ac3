//! Filling a fresh staging folder beside the target and renaming it into place, so a
//! reader never sees a half-written result; the previous result is set aside and deleted
//! only under its manifest's rule.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Error;

use super::journal;
use super::manifest::{delete_listed, write_manifest};
use super::replaceable::{check_replaceable, describe, shown_path, Foreign};
use super::stale::{clear_staging, remove_stale};
use super::target::parent_of;
use super::STAMP;

/// Removes a temporary folder when dropped, unless it was renamed into place.
pub(super) struct Staging {
    path: PathBuf,
    /// Its visible name, should it hold a user's files when removed.
    keep_as: OsString,
    armed: bool,
}

impl Drop for Staging {
    /// Removes what the run wrote; a file a user put in meanwhile keeps the folder.
    fn drop(&mut self) {
        journal::close(&self.path);
        if self.armed {
            clear_staging(&self.path, &self.keep_as);
        }
    }
}

/// Creates `target` by filling a fresh temporary folder beside it and renaming it into
/// place; an existing `target` is replaced only once the new one is complete, and only if
/// it still holds nothing but a result entente wrote.
pub fn write_atomically(
    target: &Path,
    fill: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<(), Error> {
    fill_atomically(target, |dir| {
        fill(dir).map_err(|source| Error::Output {
            path: target.to_path_buf(),
            source,
        })
    })
}

/// `write_atomically` for a `fill` that does more than write (a run whose records stream
/// into the folder as it works) and so may fail as a command fails; the folder is removed
/// then, as on any failure.
pub fn fill_atomically<T>(
    target: &Path,
    fill: impl FnOnce(&Path) -> Result<T, Error>,
) -> Result<T, Error> {
    // Ctrl-C while the staging folder exists is left to the check before the rename, which
    // removes it; one that came before gives up here, before anything is written.
    let _watching = crate::progress::watch()?;
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Output { path, source }
    };
    let parent = parent_of(target);
    fs::create_dir_all(&parent).map_err(io_error(&parent))?;
    let name = target.file_name().unwrap_or(OsStr::new("results"));
    remove_stale(&parent, name, target);

    let (mut staging, tag) = create_staging(&parent, name).map_err(io_error(&parent))?;
    // A fill that failed after Ctrl-C was stopped by it (`journal::note`).
    let stopped = |e| {
        if crate::progress::interrupted() {
            Error::Interrupted
        } else {
            e
        }
    };
    let filled = fill(&staging.path).map_err(stopped)?;
    // The stamp goes before the manifest, which lists everything else: from here on the
    // folder is a whole result, which a later run removes only under its manifest's rule.
    fs::remove_file(staging.path.join(STAMP)).map_err(io_error(target))?;
    write_manifest(&staging.path).map_err(io_error(target))?;
    if crate::progress::interrupted() {
        return Err(Error::Interrupted); // dropping `staging` removes it
    }

    // The user may have put files into the target while the run worked: the rule checked
    // before the work holds at the moment of replacing too. A refusal keeps the finished
    // result under a visible name (a `.partial-` folder would be removed by the next run).
    let now = match fs::symlink_metadata(target) {
        Ok(meta) if meta.is_dir() => check_replaceable(target),
        Ok(_) => Err(Foreign::NotAFolder),
        Err(_) => Ok(()),
    };
    if let Err(foreign) = now {
        staging.armed = false;
        let kept = keep_visible(&staging.path, &parent, &beside(name, "", "new", &tag));
        return Err(Error::Refused(format!(
            "--out {} {} (put there while the run worked), so it was not replaced; the \
             finished result is in {}: move it where you want it",
            shown_path(target),
            describe(&foreign),
            shown_path(&kept)
        )));
    }

    let old = parent.join(beside(name, ".", "old", &tag));
    let keep_old_as = beside(name, "", "old", &tag);
    replace(&staging.path, target, &old, || {
        dispose(&old, target, &keep_old_as)
    })
    .map_err(io_error(target))?;
    staging.armed = false;
    dispose(&old, target, &keep_old_as);
    Ok(filled)
}

/// `{hidden}NAME.{kind}-{tag}`: the name of a folder beside the target named `name`, built
/// from its bytes (a name that is not UTF-8 keeps its own bytes, not a look-alike's).
pub(super) fn beside(name: &OsStr, hidden: &str, kind: &str, tag: &str) -> OsString {
    let mut beside = OsString::from(hidden);
    beside.push(name);
    beside.push(format!(".{kind}-{tag}"));
    beside
}

/// Creates a fresh staging folder `.NAME.partial-PID-N` beside the target, stamped as
/// entente's, and returns it with its tag `PID-N`. A folder already there under that name
/// is not ours and is left alone: the next number is tried.
pub(super) fn create_staging(parent: &Path, name: &OsStr) -> std::io::Result<(Staging, String)> {
    // Unique per process and per call, so that concurrent writers never share a folder.
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let mut last = None;
    for _ in 0..100 {
        let tag = format!(
            "{}-{}",
            std::process::id(),
            CALLS.fetch_add(1, Ordering::Relaxed)
        );
        let path = parent.join(beside(name, ".", "partial", &tag));
        match fs::create_dir(&path) {
            Ok(()) => {
                let staging = Staging {
                    path,
                    keep_as: beside(name, "", "partial", &tag),
                    armed: true,
                };
                journal::open(&staging.path, &tag)?;
                return Ok((staging, tag));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free staging folder name")))
}

/// Renames `staging` to `target`, moving whatever is at `target` to `old` first (after
/// `clear_old` has cleared that place). If another writer puts its folder at `target` in
/// between, that one is moved aside in turn: the last rename wins and every rename moves a
/// whole folder, so `target` is never a mix.
pub(super) fn replace(
    staging: &Path,
    target: &Path,
    old: &Path,
    mut clear_old: impl FnMut(),
) -> std::io::Result<()> {
    use std::io::ErrorKind::{AlreadyExists, DirectoryNotEmpty, NotFound};
    let mut last = None;
    for _ in 0..1000 {
        // On Unix a folder renamed onto an existing non-empty folder fails, and onto an
        // empty one succeeds; on Windows it always fails if the target exists. The target
        // may also vanish between the failure and a look at it (another writer moved it
        // aside), so "it was there" is judged from the error too.
        match fs::rename(staging, target) {
            Ok(()) => return Ok(()),
            Err(e) if matches!(e.kind(), DirectoryNotEmpty | AlreadyExists) || target.exists() => {
                last = Some(e)
            }
            Err(e) => return Err(e),
        }
        clear_old();
        match fs::rename(target, old) {
            Ok(()) => {}
            // Another writer moved it first; try again.
            Err(e) if e.kind() == NotFound || !target.exists() => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("the target kept reappearing")))
}

/// Deletes a previous result of `target` that was moved out of the way to `old`: only the
/// files its manifest lists, unchanged, then the folders left empty. Anything else (a file
/// that arrived after the last check) is kept: the folder is renamed to `keep_as` beside
/// the target and a warning says where.
pub(super) fn dispose(old: &Path, target: &Path, keep_as: &OsStr) {
    let Ok(meta) = fs::symlink_metadata(old) else {
        return; // nothing was set aside
    };
    if meta.is_dir() && delete_listed(old) {
        return;
    }
    let kept = keep_visible(old, &parent_of(target), keep_as);
    let _ = writeln!(
        std::io::stderr(),
        "warning: the previous {} held files entente did not write (added while the run \
         worked); they are kept in {}",
        shown_path(target),
        shown_path(&kept)
    );
}

/// Renames `from` to `base` in `parent` (or `base-2`, `base-3`, ... if taken); `from`
/// itself if that fails.
pub(super) fn keep_visible(from: &Path, parent: &Path, base: &OsStr) -> PathBuf {
    for n in 1..100 {
        let mut name = base.to_os_string();
        if n > 1 {
            name.push(format!("-{n}"));
        }
        let to = parent.join(name);
        if fs::symlink_metadata(&to).is_err() && fs::rename(from, &to).is_ok() {
            return to;
        }
    }
    from.to_path_buf()
}
