//! Writing a results folder all at once.
//!
//! A run fills a fresh staging folder beside its target (`.NAME.partial-PID-N`) and renames
//! it into place, so a reader never sees a half-written folder and an interrupted run (Ctrl-C,
//! SIGTERM, a crash, a full disk) leaves the previous result as it was. Staging folders of
//! processes that died before they could clean up are removed by the next run into the same
//! place. Two runs writing the same target at once each put a complete folder in place; the
//! last one to finish wins, and the target is never a mix of the two: only whole folders are
//! ever renamed.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Error;

/// Every results folder holds this (empty) file: only a folder with it (or an empty one, or
/// one written before it existed, with a `summary.json` or `compare.json`) may be replaced,
/// so that `--out ~/Documents` refuses instead of deleting someone's documents.
pub const MARKER: &str = ".entente-results";

/// Checks, before any work, that `target` can become a results folder: it is not a file,
/// not a folder of something else, and its place can be written.
pub fn check_target(target: &Path) -> Result<(), Error> {
    let shown = target.display();
    if target.file_name().is_none() {
        return Err(Error::Usage(format!(
            "--out {shown} does not name a folder to create: give one, e.g. --out results/run1"
        )));
    }
    if target.exists() && !target.is_dir() {
        return Err(Error::Usage(format!(
            "--out {shown} is an existing file, not a folder: choose another path"
        )));
    }
    if target.is_dir() && !is_replaceable(target) {
        return Err(Error::Usage(format!(
            "--out {shown} is an existing folder that does not hold entente results, and a run              replaces its folder: choose a new or empty folder"
        )));
    }
    // The first part of the path that exists must be a folder we can write in: that is
    // where the staging folder and any missing parents are created.
    let parent = parent_of(target);
    let mut existing = parent.as_path();
    while !existing.exists() {
        match existing.parent() {
            Some(p) if !p.as_os_str().is_empty() => existing = p,
            _ => {
                existing = Path::new(".");
                break;
            }
        }
    }
    if !existing.is_dir() {
        return Err(Error::Usage(format!(
            "--out {shown}: {} is a file, not a folder: choose another path",
            existing.display()
        )));
    }
    let probe = existing.join(format!(".entente-probe-{}", std::process::id()));
    match fs::create_dir(&probe) {
        Ok(()) => {
            let _ = fs::remove_dir(&probe);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::Usage(format!(
            "--out {shown}: cannot write in {} ({e}): choose a folder you can write to",
            existing.display()
        ))),
    }
}

/// An existing folder a run may replace: empty, or a results folder.
fn is_replaceable(dir: &Path) -> bool {
    let Ok(mut entries) = fs::read_dir(dir) else {
        return false;
    };
    entries.next().is_none()
        || [MARKER, "summary.json", "compare.json"]
            .iter()
            .any(|f| dir.join(f).is_file())
}

fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A folder name made from a scenario name or file stem: letters, digits, `-`, `_` and `.`
/// are kept, anything else (path separators, `..`, control or non-ASCII characters) becomes
/// `_`, so the name can never leave the folder it is placed in.
pub fn sanitize_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
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
    // Ctrl-C while the staging folder exists is left to the check before the rename, which
    // removes it; one that came before gives up here, before anything is written.
    let _watching = crate::progress::watch()?;
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Output { path, source }
    };
    let parent = parent_of(target);
    fs::create_dir_all(&parent).map_err(io_error(&parent))?;
    let name = target
        .file_name()
        .map_or("results".into(), |n| n.to_string_lossy().into_owned());
    remove_stale(&parent, &name, target);

    // Unique per process and per call, so that concurrent writers never share a folder.
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let tag = format!(
        "{}-{}",
        std::process::id(),
        CALLS.fetch_add(1, Ordering::Relaxed)
    );
    let mut staging = Staging {
        path: parent.join(format!(".{name}.partial-{tag}")),
        armed: true,
    };
    let _ = fs::remove_dir_all(&staging.path);
    fs::create_dir(&staging.path).map_err(io_error(&staging.path))?;
    fill(&staging.path).map_err(io_error(target))?;
    fs::write(staging.path.join(MARKER), b"").map_err(io_error(target))?;
    if crate::progress::interrupted() {
        return Err(Error::Interrupted); // dropping `staging` removes it
    }

    let old = Staging {
        path: parent.join(format!(".{name}.old-{tag}")),
        armed: true,
    };
    replace(&staging.path, target, &old.path).map_err(io_error(target))?;
    staging.armed = false;
    drop(old); // removes the previous result, now out of the way
    Ok(())
}

/// Renames `staging` to `target`, moving whatever is at `target` to `old` first. If another
/// writer puts its folder at `target` in between, that one is moved aside in turn: the last
/// rename wins and every rename moves a whole folder, so `target` is never a mix.
fn replace(staging: &Path, target: &Path, old: &Path) -> std::io::Result<()> {
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
        let _ = fs::remove_dir_all(old);
        match fs::rename(target, old) {
            Ok(()) => {}
            // Another writer moved it first; try again.
            Err(e) if e.kind() == NotFound || !target.exists() => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("the target kept reappearing")))
}

/// Removes the staging and set-aside folders that runs into `target` left behind when they
/// died (killed, crashed, power lost), and puts a set-aside previous result back if a run
/// died between moving it away and putting its own in place. Folders of live processes are
/// left alone: they may be another run writing at this moment.
fn remove_stale(parent: &Path, name: &str, target: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let Some(rest) = file_name.strip_prefix(&format!(".{name}.")) else {
            continue;
        };
        let (kind, tag) = match rest.split_once('-') {
            Some((kind @ ("partial" | "old"), tag)) => (kind, tag),
            _ => continue,
        };
        let pid = tag.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let Some(pid) = pid else { continue };
        if pid == std::process::id() || process_alive(pid) != Some(false) {
            continue;
        }
        let path = entry.path();
        if kind == "old" && !target.exists() && fs::rename(&path, target).is_ok() {
            continue;
        }
        let _ = fs::remove_dir_all(&path);
    }
}

/// Whether process `pid` is running; `None` where this cannot be told (no `/proc`), in which
/// case nothing is removed.
fn process_alive(pid: u32) -> Option<bool> {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return None;
    }
    Some(proc.join(pid.to_string()).exists())
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

    /// A process id above Linux's largest (2^22): never a live process.
    const DEAD: u32 = 999_999_999;

    #[test]
    fn folders_left_by_dead_runs_are_removed_by_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        for stale in [
            format!(".out.partial-{DEAD}"),
            format!(".out.partial-{DEAD}-3"),
        ] {
            fs::create_dir(dir.path().join(stale)).unwrap();
        }
        // This process's own folder (a name write_atomically never uses, so that another
        // test's writes in this process cannot collide with it): left alone.
        let live = dir
            .path()
            .join(format!(".out.partial-{}-live", std::process::id()));
        fs::create_dir(&live).unwrap();
        fs::create_dir(dir.path().join(".other.partial-1")).unwrap();
        write_atomically(&target, |d| fs::write(d.join("a.txt"), "new")).unwrap();
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let live = live.file_name().unwrap().to_string_lossy().into_owned();
        let mut expected = [live, ".other.partial-1".to_string(), "out".to_string()];
        expected.sort();
        assert_eq!(left, expected);
    }

    #[test]
    fn a_previous_result_set_aside_by_a_dead_run_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let old = dir.path().join(format!(".out.old-{DEAD}-0"));
        fs::create_dir(&old).unwrap();
        fs::write(old.join("a.txt"), "previous").unwrap();
        remove_stale(dir.path(), "out", &target);
        assert_eq!(
            fs::read_to_string(target.join("a.txt")).unwrap(),
            "previous"
        );
        assert!(!old.exists());
    }

    #[test]
    fn only_empty_folders_and_results_folders_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let documents = dir.path().join("documents");
        fs::create_dir(&documents).unwrap();
        fs::write(documents.join("thesis.tex"), "years of work").unwrap();
        let refused = check_target(&documents).unwrap_err().to_string();
        assert!(
            refused.contains("does not hold entente results"),
            "{refused}"
        );

        let results = dir.path().join("results");
        fs::create_dir(&results).unwrap();
        check_target(&results).unwrap();
        write_atomically(&results, |d| fs::write(d.join("a.txt"), "1")).unwrap();
        check_target(&results).unwrap();
        assert!(results.join(MARKER).is_file());
    }

    #[test]
    fn a_target_under_a_file_or_without_a_name_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        fs::write(&file, "x").unwrap();
        assert!(check_target(&file).is_err());
        assert!(check_target(&file.join("sub").join("out")).is_err());
        assert!(check_target(Path::new(".")).is_err());
        assert!(check_target(Path::new("/")).is_err());
        check_target(&dir.path().join("new").join("deeper")).unwrap();
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "the probe leaves nothing"
        );
    }

    #[test]
    fn concurrent_writers_leave_one_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        std::thread::scope(|scope| {
            for w in 0..8 {
                let target = &target;
                scope.spawn(move || {
                    for _ in 0..20 {
                        write_atomically(target, |d| {
                            for f in 0..5 {
                                fs::write(d.join(format!("{f}.txt")), w.to_string())?;
                            }
                            Ok(())
                        })
                        .unwrap();
                    }
                });
            }
        });
        let contents: Vec<String> = (0..5)
            .map(|f| fs::read_to_string(target.join(format!("{f}.txt"))).unwrap())
            .collect();
        assert!(
            contents.iter().all(|c| *c == contents[0]),
            "a mixed folder: {contents:?}"
        );
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "nothing left beside it"
        );
    }
}
