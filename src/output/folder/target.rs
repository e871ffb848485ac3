//! Judging `--out` before any work: a name that leaves room for the staging folder's, a
//! path the deepest file fits in, not a link, a file, a mount point, the current folder or
//! one holding it, and a place that can be written.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::scenario::spelling;

use super::replaceable::{check_replaceable, describe, shown_path};
use super::staging::beside;

/// Longest file name most file systems allow, in bytes.
pub(super) const NAME_MAX: usize = 255;

/// Longest last part of `--out`: its staging folder `.NAME.partial-PID-N` (a u32 process id
/// and a u64 counter at their longest) must still be a valid file name.
pub(super) const MAX_OUT_NAME: usize =
    NAME_MAX - ".".len() - ".partial-".len() - 10 - "-".len() - 20;

/// Checks, before any work, that `target` can become a results folder: its name leaves
/// room for the staging folder's, it is not a symbolic link, a file or a mount point, any
/// folder there holds only a result entente wrote, and its place can be written.
pub fn check_target(target: &Path) -> Result<(), Error> {
    let shown = shown_path(target);
    if ends_in_dot(target) {
        return Err(Error::Refused(format!(
            "--out {shown} ends in `.` or `..`, and a folder cannot be renamed onto such a \
             path: give the folder by its name, e.g. --out results/run1"
        )));
    }
    let Some(name) = target.file_name() else {
        return Err(Error::Refused(format!(
            "--out {shown} does not name a folder to create: give one, e.g. --out results/run1"
        )));
    };
    if name.len() > MAX_OUT_NAME {
        return Err(Error::Refused(format!(
            "--out {shown}: its last part is {} bytes long, and the staging folder written \
             beside it needs a longer name still: use a name of at most {MAX_OUT_NAME} bytes",
            name.len()
        )));
    }
    check_lengths(target, name)?;
    if let Some(to) = symlink_target(target) {
        return Err(Error::Refused(match fs::canonicalize(target) {
            Ok(real) => format!(
                "--out {shown} is a symbolic link to {to}, and a run replaces the folder it \
                 names (the link would become a folder): give the folder itself, --out {}",
                shown_path(&real)
            ),
            Err(_) => format!(
                "--out {shown} is a symbolic link to {to}, which does not exist: remove the \
                 link or give a real folder"
            ),
        }));
    }
    if target.exists() && !target.is_dir() {
        return Err(Error::Refused(format!(
            "--out {shown} is an existing file, not a folder: choose another path"
        )));
    }
    if target.is_dir() {
        check_not_current(target)?;
        if is_mount_point(target) {
            return Err(Error::Refused(format!(
                "--out {shown} is a mount point, which cannot be replaced by renaming a folder \
                 onto it: give a folder inside it, e.g. --out {}",
                shown_path(&target.join("results"))
            )));
        }
        if let Err(foreign) = check_replaceable(target) {
            return Err(Error::Refused(format!(
                "--out {shown} {}; a run replaces its whole folder, so choose a new or empty \
                 folder, or move those files elsewhere",
                describe(&foreign)
            )));
        }
    }
    // The first part of the path that exists must be a folder we can write in: that is
    // where the staging folder and any missing parents are created.
    let existing = first_existing(target)?;
    if !existing.is_dir() {
        return Err(Error::Refused(format!(
            "--out {shown}: {} is a file, not a folder: choose another path",
            shown_path(&existing)
        )));
    }
    let probe = existing.join(format!(".entente-probe-{}", std::process::id()));
    match fs::create_dir(&probe) {
        Ok(()) => {
            let _ = fs::remove_dir(&probe);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::Refused(format!(
            "--out {shown}: cannot write in {} ({e}): choose a folder you can write to",
            shown_path(&existing)
        ))),
    }
}

/// Longest path the system accepts, in bytes, with its final NUL (`PATH_MAX`).
#[cfg(not(target_os = "macos"))]
pub(super) const PATH_MAX: usize = 4096;
#[cfg(target_os = "macos")]
pub(super) const PATH_MAX: usize = 1024;

/// Where the deepest file of a run lies in its staging folder: a picture of a side of a
/// comparison. Its name is taken at the longest a file system allows (plot names are
/// shorter), so the bound holds whatever a result holds.
pub(super) const DEEPEST_FOLDER: &str = "a/plots";

/// Refuses an `--out` with a part longer than a file name may be, or so long that a file
/// the run writes under its staging folder would pass `PATH_MAX`: the system refuses those
/// only when the run writes them, after all its work.
pub(super) fn check_lengths(target: &Path, name: &OsStr) -> Result<(), Error> {
    let shown = shown_path(target);
    let mut parts = target.components().map(|c| c.as_os_str());
    if let Some(part) = parts.find(|p| p.len() > NAME_MAX) {
        return Err(Error::Refused(format!(
            "--out {shown}: its part {} is longer than the {NAME_MAX} bytes a file system \
             allows for a name: shorten it",
            spelling::quoted_name(&part.to_string_lossy()),
        )));
    }
    let longest_tag = format!("{}-{}", u32::MAX, u64::MAX);
    let deepest = parent_of(target)
        .join(beside(name, ".", "partial", &longest_tag))
        .join(DEEPEST_FOLDER)
        .join("n".repeat(NAME_MAX));
    let over = (deepest.as_os_str().len() + 1).saturating_sub(PATH_MAX);
    if over > 0 {
        return Err(Error::Refused(format!(
            "--out {shown} is {} bytes long, and the files a run writes under it would pass \
             the system's limit of {PATH_MAX} bytes for a path: use a path of at most {} \
             bytes (a relative one counts from the current folder)",
            target.as_os_str().len(),
            target.as_os_str().len().saturating_sub(over)
        )));
    }
    Ok(())
}

/// Refuses an `--out` that is the current folder or holds it: a run renames its target
/// away, so the user's shell would be left in a folder that moved or was deleted (`-o .`
/// was refused by its dot, `-o "$PWD"` was not).
pub(super) fn check_not_current(target: &Path) -> Result<(), Error> {
    let here = std::env::current_dir().and_then(fs::canonicalize);
    let (Ok(here), Ok(there)) = (here, fs::canonicalize(target)) else {
        return Ok(());
    };
    if !here.starts_with(&there) {
        return Ok(());
    }
    let what = match here == there {
        true => "is the current folder",
        false => "holds the current folder",
    };
    Err(Error::Refused(format!(
        "--out {} {what}, and a run replaces its whole folder, renaming it away from under \
         you: give a new folder inside it, e.g. --out results",
        shown_path(target)
    )))
}

/// The last part of `target`'s parents that exists: where the staging folder and any
/// missing parents are made (`.` for a relative path none of whose parts exist). A part
/// that cannot be looked at (a loop of links, no permission) or a link to nothing is
/// refused: making the folders would fail only after the work.
pub(super) fn first_existing(target: &Path) -> Result<PathBuf, Error> {
    use std::io::ErrorKind::{NotADirectory, NotFound};
    let refuse = |why: String| Error::Refused(format!("--out {}: {why}", shown_path(target)));
    let mut existing = parent_of(target);
    loop {
        match fs::metadata(&existing) {
            Ok(_) => return Ok(existing),
            Err(e) if matches!(e.kind(), NotFound | NotADirectory) => {}
            Err(e) => {
                return Err(refuse(format!(
                    "{} cannot be reached ({e}): choose another path",
                    shown_path(&existing)
                )))
            }
        }
        if let Some(to) = symlink_target(&existing) {
            return Err(refuse(format!(
                "{} is a symbolic link to {to}, which does not exist: remove the link or \
                 choose another path",
                shown_path(&existing)
            )));
        }
        match existing.parent() {
            Some(p) if !p.as_os_str().is_empty() => existing = p.to_path_buf(),
            _ => return Ok(PathBuf::from(".")),
        }
    }
}

/// Whether the last part of `path` as written is `.` or `..` (`out/.` names `out`, but
/// renaming onto it fails with "busy").
pub(super) fn ends_in_dot(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    let separator = |b: &u8| std::path::is_separator(char::from(*b));
    let end = bytes
        .iter()
        .rposition(|b| !separator(b))
        .map_or(0, |i| i + 1);
    let last = bytes[..end].rsplit(separator).next().unwrap_or_default();
    last == b"." || last == b".."
}

/// Where `path` points, if it is a symbolic link (dangling or not).
pub(super) fn symlink_target(path: &Path) -> Option<String> {
    let meta = fs::symlink_metadata(path).ok()?;
    meta.file_type()
        .is_symlink()
        .then(|| fs::read_link(path).map_or("?".into(), |to| shown_path(&to)))
}

/// A folder on another device than the folder holding it: renaming onto it fails (EBUSY).
#[cfg(unix)]
pub(super) fn is_mount_point(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(dir), fs::metadata(dir.join(".."))) {
        (Ok(here), Ok(above)) => here.dev() != above.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
pub(super) fn is_mount_point(_dir: &Path) -> bool {
    false
}

pub(super) fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
