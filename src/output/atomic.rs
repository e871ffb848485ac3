//! Writing a results folder all at once.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Checks, before any work, that `target` can become a results folder.
pub fn check_target(target: &Path) -> Result<(), Error> {
    if target.exists() && !target.is_dir() {
        return Err(Error::Usage(format!(
            "--out {} is an existing file, not a folder: choose another path",
            target.display()
        )));
    }
    Ok(())
}

/// A folder name made from a scenario name or file stem: letters, digits, `-`, `_` and `.`
/// are kept, anything else (path separators, `..`, control or non-ASCII characters) becomes
/// `_`, so the name can never leave the folder it is placed in.
pub fn sanitize_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '_' })
        .collect();
    let cleaned = cleaned.trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "scenario".to_string()
    } else {
        cleaned
    }
}

/// Removes a temporary folder when dropped, unless it was renamed into place.
struct Staging {
    path: PathBuf,
    armed: bool,
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.armed {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// Creates `target` by filling a fresh temporary folder beside it and renaming it into
/// place; an existing `target` is replaced only once the new one is complete.
pub fn write_atomically(
    target: &Path,
    fill: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<(), Error> {
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Output { path, source }
    };
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io_error(&parent))?;
    let name = target.file_name().map_or("results".into(), |n| n.to_string_lossy().into_owned());
    let pid = std::process::id();
    let staging = Staging { path: parent.join(format!(".{name}.partial-{pid}")), armed: true };
    let _ = fs::remove_dir_all(&staging.path);
    fs::create_dir(&staging.path).map_err(io_error(&staging.path))?;
    fill(&staging.path).map_err(io_error(target))?;

    let mut staging = staging;
    if target.exists() {
        let old = parent.join(format!(".{name}.old-{pid}"));
        let _ = fs::remove_dir_all(&old);
        fs::rename(target, &old).map_err(io_error(target))?;
        fs::rename(&staging.path, target).map_err(io_error(target))?;
        let _ = fs::remove_dir_all(&old);
    } else {
        fs::rename(&staging.path, target).map_err(io_error(target))?;
    }
    staging.armed = false;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_try_to_escape_their_folder_are_flattened() {
        assert_eq!(sanitize_name("../../escape"), "_.._escape");
        assert_eq!(sanitize_name("a/b\\c"), "a_b_c");
        assert_eq!(sanitize_name("Pākistan\n"), "P_kistan_");
        assert_eq!(sanitize_name(".."), "scenario");
        assert_eq!(sanitize_name("putin_visit"), "putin_visit");
    }

    #[test]
    fn a_failed_fill_leaves_the_previous_result_and_no_temporary_folder() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        write_atomically(&target, |d| fs::write(d.join("a.txt"), "first")).unwrap();
        let failed = write_atomically(&target, |d| {
            fs::write(d.join("a.txt"), "second")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read_to_string(target.join("a.txt")).unwrap(), "first");
        let entries: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(entries.len(), 1, "only the result folder remains");
    }
}
