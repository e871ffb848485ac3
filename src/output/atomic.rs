//! Writing a results folder all at once, and never over a user's files.
//!
//! A run fills a fresh staging folder beside its target (`.NAME.partial-PID-N`) and renames
//! it into place, so a reader never sees a half-written folder and an interrupted run (Ctrl-C,
//! SIGTERM, a crash, a full disk) leaves the previous result as it was. Staging folders of
//! processes that died before they could clean up are removed by the next run into the same
//! place. Two runs writing the same target at once each put a complete folder in place; the
//! last one to finish wins, and the target is never a mix of the two: only whole folders are
//! ever renamed.
//!
//! A run replaces its whole target folder, so a folder is replaced only if everything in it
//! is something entente wrote there: each result carries a manifest ([`MARKER`]) listing its
//! files with their sizes and SHA-256 hashes, written last. The rule is checked before any
//! work, again just before the rename (files may have been added while the run worked), and
//! once more when the previous result is deleted: only the files its manifest lists, unchanged,
//! are removed, and anything else is kept where the user can find it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Error;

/// The manifest every results folder holds: what it consists of, so that only a folder of
/// entente's own files is ever replaced and `--out ~/Documents` is refused.
pub const MARKER: &str = ".entente-results";

/// The manifest's format tag; a marker without it (the empty marker of older versions)
/// does not vouch for anything.
const FORMAT: &str = "entente-results/1";

/// The longest manifest read: a real one lists a few hundred files.
const MAX_MANIFEST_BYTES: u64 = 16 << 20;

/// Longest file name most file systems allow, in bytes.
const NAME_MAX: usize = 255;

/// Longest last part of `--out`: its staging folder `.NAME.partial-PID-N` (a u32 process id
/// and a u64 counter at their longest) must still be a valid file name.
const MAX_OUT_NAME: usize = NAME_MAX - ".".len() - ".partial-".len() - 10 - "-".len() - 20;

/// What a results folder consists of.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    /// Sub-folders, relative paths with `/`.
    folders: Vec<String>,
    files: Vec<FileEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct FileEntry {
    path: String,
    bytes: u64,
    sha256: String,
}

/// One thing found in a folder, by its path relative to the folder (with `/`).
enum Found {
    File {
        bytes: u64,
    },
    Folder,
    /// A symbolic link, device, socket or a name that is not UTF-8: never written by entente.
    Other,
}

/// Everything under `dir` (not `dir` itself), parents before their contents, in name order.
fn walk(dir: &Path) -> std::io::Result<Vec<(String, PathBuf, Found)>> {
    let mut out = Vec::new();
    walk_into(dir, "", &mut out)?;
    Ok(out)
}

fn walk_into(
    dir: &Path,
    prefix: &str,
    out: &mut Vec<(String, PathBuf, Found)>,
) -> std::io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        let rel = format!("{prefix}{}", name.to_string_lossy());
        let meta = fs::symlink_metadata(&path)?;
        if name.to_str().is_none() {
            out.push((rel, path, Found::Other));
        } else if meta.is_dir() {
            out.push((rel.clone(), path.clone(), Found::Folder));
            walk_into(&path, &format!("{rel}/"), out)?;
        } else if meta.is_file() {
            let bytes = meta.len();
            out.push((rel, path, Found::File { bytes }));
        } else {
            out.push((rel, path, Found::Other));
        }
    }
    Ok(())
}

fn sha256_of(path: &Path) -> std::io::Result<String> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(format!("{:x}", hasher.finalize()))
}

/// Writes the manifest of everything in `dir`; the last file a result gets.
fn write_manifest(dir: &Path) -> std::io::Result<()> {
    let mut manifest = Manifest {
        format: FORMAT.to_string(),
        folders: Vec::new(),
        files: Vec::new(),
    };
    for (rel, path, found) in walk(dir)? {
        match found {
            Found::Folder => manifest.folders.push(rel),
            Found::File { bytes } => manifest.files.push(FileEntry {
                sha256: sha256_of(&path)?,
                path: rel,
                bytes,
            }),
            Found::Other => {}
        }
    }
    let mut file = fs::File::create(dir.join(MARKER))?;
    serde_json::to_writer_pretty(&mut file, &manifest)?;
    file.write_all(b"\n")?;
    file.sync_all()
}

/// The manifest of `dir`, if it has one of this format.
fn read_manifest(dir: &Path) -> Option<Manifest> {
    let path = dir.join(MARKER);
    let meta = fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > MAX_MANIFEST_BYTES {
        return None;
    }
    let manifest: Manifest = serde_json::from_slice(&fs::read(path).ok()?).ok()?;
    (manifest.format == FORMAT).then_some(manifest)
}

/// Why an existing folder may not be replaced.
#[derive(Debug)]
enum Foreign {
    /// Not empty, and no manifest of this version: an older entente's result or not
    /// entente's at all.
    NoManifest {
        found: Vec<String>,
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

/// The files of `dir`'s manifest, by path, with their size and hash.
fn listed(manifest: &Manifest) -> (BTreeMap<&str, (u64, &str)>, BTreeSet<&str>) {
    let files = manifest
        .files
        .iter()
        .map(|f| (f.path.as_str(), (f.bytes, f.sha256.as_str())))
        .collect();
    let folders = manifest.folders.iter().map(String::as_str).collect();
    (files, folders)
}

/// Whether `path` (found with `bytes`) is the file the manifest lists under `rel`.
fn unchanged(files: &BTreeMap<&str, (u64, &str)>, rel: &str, path: &Path, bytes: u64) -> bool {
    files.get(rel).is_some_and(|&(listed_bytes, sha256)| {
        listed_bytes == bytes && sha256_of(path).is_ok_and(|h| h == sha256)
    })
}

/// The rule for replacing an existing folder: it is empty, or everything in it is listed
/// in its manifest with the same size and hash (listed files that are gone are fine).
///
/// Another run may swap the folder for its own while it is read (a manifest of one and
/// files of the other look changed), so the verdict counts only if the same folder stood
/// there throughout; a folder that vanished has nothing left to protect.
fn check_replaceable(dir: &Path) -> Result<(), Foreign> {
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
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::symlink_metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<(u64, u64)> {
    fs::symlink_metadata(path).ok().map(|_| (0, 0))
}

fn judge(dir: &Path) -> Result<(), Foreign> {
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

/// A few names, then how many more: `a, b, c and 4 more`.
fn few(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let shown = names[..names.len().min(SHOWN)].join(", ");
    match names.len().saturating_sub(SHOWN) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// What is wrong with a folder, in words: "holds ... (...)".
fn describe(foreign: &Foreign) -> String {
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
        Foreign::NotAFolder => "is now a file or a link, not a folder".to_string(),
        Foreign::Unreadable(why) => format!("cannot be read ({why})"),
    }
}

/// Checks, before any work, that `target` can become a results folder: its name leaves
/// room for the staging folder's, it is not a symbolic link, a file or a mount point, any
/// folder there holds only a result entente wrote, and its place can be written.
pub fn check_target(target: &Path) -> Result<(), Error> {
    let shown = target.display();
    let Some(name) = target.file_name() else {
        return Err(Error::Usage(format!(
            "--out {shown} does not name a folder to create: give one, e.g. --out results/run1"
        )));
    };
    if name.len() > MAX_OUT_NAME {
        return Err(Error::Usage(format!(
            "--out {shown}: its last part is {} bytes long, and the staging folder written \
             beside it needs a longer name still: use a name of at most {MAX_OUT_NAME} bytes",
            name.len()
        )));
    }
    if let Some(to) = symlink_target(target) {
        return Err(Error::Usage(match fs::canonicalize(target) {
            Ok(real) => format!(
                "--out {shown} is a symbolic link to {to}, and a run replaces the folder it \
                 names (the link would become a folder): give the folder itself, --out {}",
                real.display()
            ),
            Err(_) => format!(
                "--out {shown} is a symbolic link to {to}, which does not exist: remove the \
                 link or give a real folder"
            ),
        }));
    }
    if target.exists() && !target.is_dir() {
        return Err(Error::Usage(format!(
            "--out {shown} is an existing file, not a folder: choose another path"
        )));
    }
    if target.is_dir() {
        if is_mount_point(target) {
            return Err(Error::Usage(format!(
                "--out {shown} is a mount point, which cannot be replaced by renaming a folder \
                 onto it: give a folder inside it, e.g. --out {}",
                target.join("results").display()
            )));
        }
        if let Err(foreign) = check_replaceable(target) {
            return Err(Error::Usage(format!(
                "--out {shown} {}; a run replaces its whole folder, so choose a new or empty \
                 folder, or move those files elsewhere",
                describe(&foreign)
            )));
        }
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

/// Where `path` points, if it is a symbolic link (dangling or not).
fn symlink_target(path: &Path) -> Option<String> {
    let meta = fs::symlink_metadata(path).ok()?;
    meta.file_type()
        .is_symlink()
        .then(|| fs::read_link(path).map_or("?".into(), |to| to.display().to_string()))
}

/// A folder on another device than the folder holding it: renaming onto it fails (EBUSY).
#[cfg(unix)]
fn is_mount_point(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(dir), fs::metadata(dir.join(".."))) {
        (Ok(here), Ok(above)) => here.dev() != above.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_mount_point(_dir: &Path) -> bool {
    false
}

fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Longest folder name made from a scenario's name or file: room is left for suffixes
/// (`.shard-I-of-N`) and the staging folder's name.
const MAX_DEFAULT_NAME: usize = 120;

/// A folder name made from a scenario name or file stem: letters, digits, `-`, `_` and `.`
/// are kept, anything else (path separators, `..`, control or non-ASCII characters) becomes
/// `_`, so the name can never leave the folder it is placed in; long names are shortened.
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
        shorten(&cleaned, MAX_DEFAULT_NAME)
    }
}

/// `name` if it has at most `max` bytes; otherwise its start and a hash of all of it, `max`
/// bytes in all, so that long names still fit a file name and distinct ones stay distinct.
pub fn shorten(name: &str, max: usize) -> String {
    const HASH: usize = 16;
    if name.len() <= max {
        return name.to_string();
    }
    let mut keep = max.saturating_sub(HASH + 1);
    while !name.is_char_boundary(keep) {
        keep -= 1;
    }
    let hash = format!("{:x}", Sha256::digest(name.as_bytes()));
    format!("{}-{}", &name[..keep], &hash[..HASH])
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
/// place; an existing `target` is replaced only once the new one is complete, and only if
/// it still holds nothing but a result entente wrote.
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
        let kept = keep_visible(&staging.path, &parent, &format!("{name}.new-{tag}"));
        return Err(Error::Usage(format!(
            "--out {} {} (put there while the run worked), so it was not replaced; the \
             finished result is in {}: move it where you want it",
            target.display(),
            describe(&foreign),
            kept.display()
        )));
    }

    let old = parent.join(format!(".{name}.old-{tag}"));
    let keep_old_as = format!("{name}.old-{tag}");
    replace(&staging.path, target, &old, || {
        dispose(&old, target, &keep_old_as)
    })
    .map_err(io_error(target))?;
    staging.armed = false;
    dispose(&old, target, &keep_old_as);
    Ok(())
}

/// Renames `staging` to `target`, moving whatever is at `target` to `old` first (after
/// `clear_old` has cleared that place). If another writer puts its folder at `target` in
/// between, that one is moved aside in turn: the last rename wins and every rename moves a
/// whole folder, so `target` is never a mix.
fn replace(
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
fn dispose(old: &Path, target: &Path, keep_as: &str) {
    let Ok(meta) = fs::symlink_metadata(old) else {
        return; // nothing was set aside
    };
    if meta.is_dir() {
        if let (Some(manifest), Ok(found)) = (read_manifest(old), walk(old)) {
            let (files, _) = listed(&manifest);
            for (rel, path, what) in &found {
                if let Found::File { bytes } = what {
                    if rel != MARKER && unchanged(&files, rel, path, *bytes) {
                        let _ = fs::remove_file(path);
                    }
                }
            }
            // Deepest first; a folder that still holds something stays.
            for (_, path, what) in found.iter().rev() {
                if matches!(what, Found::Folder) {
                    let _ = fs::remove_dir(path);
                }
            }
            if walk(old).is_ok_and(|left| left.iter().all(|(rel, _, _)| rel == MARKER)) {
                let _ = fs::remove_file(old.join(MARKER));
            }
        }
        if fs::remove_dir(old).is_ok() {
            return;
        }
    }
    let kept = keep_visible(old, &parent_of(target), keep_as);
    let _ = writeln!(
        std::io::stderr(),
        "warning: the previous {} held files entente did not write (added while the run \
         worked); they are kept in {}",
        target.display(),
        kept.display()
    );
}

/// Renames `from` to `base` in `parent` (or `base-2`, `base-3`, ... if taken); `from`
/// itself if that fails.
fn keep_visible(from: &Path, parent: &Path, base: &str) -> PathBuf {
    for n in 1..100 {
        let to = parent.join(match n {
            1 => base.to_string(),
            n => format!("{base}-{n}"),
        });
        if fs::symlink_metadata(&to).is_err() && fs::rename(from, &to).is_ok() {
            return to;
        }
    }
    from.to_path_buf()
}

/// Removes the staging and set-aside folders that runs into `target` left behind when they
/// died (killed, crashed, power lost), and puts a set-aside previous result back if a run
/// died between moving it away and putting its own in place. Folders of live processes are
/// left alone: they may be another run writing at this moment. A set-aside result is
/// deleted under the same rule as any: only what its manifest lists.
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
        if kind == "old" {
            if target.exists() || fs::rename(&path, target).is_err() {
                dispose(&path, target, &format!("{name}.old-{tag}"));
            }
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

    /// Every name in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn result_in(target: &Path) {
        write_atomically(target, |d| {
            fs::write(d.join("summary.json"), "{}")?;
            fs::create_dir(d.join("plots"))?;
            fs::write(d.join("plots").join("fan.svg"), "<svg/>")
        })
        .unwrap();
    }

    // Defect: a folder holding a `summary.json` (or an empty marker) counted as a results
    // folder, so `--out` onto a folder with a thesis and a stray summary.json deleted the
    // thesis. Now only a folder whose manifest lists everything in it may be replaced.
    #[test]
    fn a_summary_json_or_an_old_empty_marker_does_not_make_a_results_folder() {
        let dir = tempfile::tempdir().unwrap();
        let v = dir.path().join("v");
        fs::create_dir(&v).unwrap();
        fs::write(v.join("thesis.tex"), "years of work").unwrap();
        fs::write(v.join("summary.json"), "{}").unwrap();
        let refused = check_target(&v).unwrap_err().to_string();
        assert!(refused.contains("thesis.tex"), "{refused}");
        assert!(refused.contains("not hold entente results"), "{refused}");
        assert!(!refused.contains("  "), "stray spaces: {refused}");
        assert!(write_atomically(&v, |d| fs::write(d.join("a.txt"), "1")).is_err());
        assert_eq!(
            fs::read_to_string(v.join("thesis.tex")).unwrap(),
            "years of work"
        );

        fs::remove_file(v.join("thesis.tex")).unwrap();
        fs::write(v.join(MARKER), "").unwrap();
        assert!(
            check_target(&v).is_err(),
            "an old empty marker vouches for nothing"
        );
    }

    #[test]
    fn a_result_may_be_replaced_only_while_it_holds_what_its_manifest_lists() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        result_in(&out);
        check_target(&out).unwrap();

        fs::remove_file(out.join("summary.json")).unwrap();
        check_target(&out).expect("listed files that are gone are fine");

        fs::write(out.join("plots").join("notes.txt"), "mine").unwrap();
        let refused = check_target(&out).unwrap_err().to_string();
        assert!(
            refused.contains("did not write (plots/notes.txt)"),
            "{refused}"
        );
        fs::remove_file(out.join("plots").join("notes.txt")).unwrap();

        // Same size, other bytes: only the hash tells.
        fs::write(out.join("plots").join("fan.svg"), "<svg!>").unwrap();
        let refused = check_target(&out).unwrap_err().to_string();
        assert!(
            refused.contains("changed since entente wrote them (plots/fan.svg)"),
            "{refused}"
        );
        fs::write(out.join("plots").join("fan.svg"), "<svg/>").unwrap();

        fs::create_dir(out.join("drafts")).unwrap();
        assert!(check_target(&out).is_err(), "an unlisted folder is foreign");
        for n in 0..5 {
            fs::write(out.join("drafts").join(format!("{n}.tex")), "draft").unwrap();
        }
        let refused = check_target(&out).unwrap_err().to_string();
        assert!(refused.contains("did not write (drafts)"), "{refused}");
        fs::remove_dir_all(out.join("drafts")).unwrap();

        result_in(&out);
        assert_eq!(names(&out), [MARKER, "plots", "summary.json"]);
    }

    #[test]
    fn refusals_name_a_few_files_then_how_many_more() {
        let names: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
        assert_eq!(few(&names[..2]), "a, b");
        assert_eq!(few(&names), "a, b, c and 2 more");
    }

    // Defect: the target was checked only before the work, so files a user put into it
    // while a run worked were deleted with the previous result. Now the rule is checked
    // again just before the rename; a refusal keeps the target as it is and the finished
    // result in a visible folder beside it, named in the message.
    #[test]
    fn files_added_to_the_target_while_a_run_works_stop_the_replacement() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        result_in(&out);
        let refused = write_atomically(&out, |d| {
            fs::write(out.join("notes.txt"), "written meanwhile")?; // the user, meanwhile
            fs::write(d.join("summary.json"), "{\"new\": true}")
        })
        .unwrap_err();
        assert_eq!(refused.exit_code(), 2);
        let message = refused.to_string();
        assert!(message.contains("notes.txt"), "{message}");
        assert_eq!(
            fs::read_to_string(out.join("notes.txt")).unwrap(),
            "written meanwhile"
        );
        assert_eq!(fs::read_to_string(out.join("summary.json")).unwrap(), "{}");
        let kept: Vec<String> = names(dir.path())
            .into_iter()
            .filter(|n| n != "out")
            .collect();
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert!(kept[0].starts_with("out.new-"), "{kept:?}");
        let kept = dir.path().join(&kept[0]);
        assert!(message.contains(&kept.display().to_string()), "{message}");
        assert_eq!(names(&kept), [MARKER, "summary.json"]);
        check_replaceable(&kept).expect("the kept result is whole, with its manifest");
        // The next run into the same place does not take it for a dead run's leftovers.
        fs::remove_file(out.join("notes.txt")).unwrap();
        result_in(&out);
        assert!(kept.join("summary.json").is_file());
    }

    // Belt and braces: a file that arrives between the last check and the rename is in the
    // set-aside previous result. Deleting that folder whole would lose it; only the files
    // its manifest lists are deleted, and the rest is kept beside the target.
    #[test]
    fn a_set_aside_result_loses_only_the_files_its_manifest_lists() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let old = dir.path().join(".out.old-1-0");
        result_in(&old);
        fs::write(old.join("plots").join("notes.txt"), "mine").unwrap();
        dispose(&old, &out, "out.old-1-0");
        assert!(!old.exists());
        let kept = dir.path().join("out.old-1-0");
        assert_eq!(names(&kept), [MARKER, "plots"]);
        assert_eq!(names(&kept.join("plots")), ["notes.txt"]);

        result_in(&old);
        dispose(&old, &out, "out.old-1-1");
        assert_eq!(
            names(dir.path()),
            ["out.old-1-0"],
            "a clean one is gone entirely"
        );
    }

    #[test]
    fn a_stale_set_aside_result_keeps_files_it_does_not_list() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        result_in(&target);
        let old = dir.path().join(format!(".out.old-{DEAD}-0"));
        result_in(&old);
        fs::write(old.join("notes.txt"), "mine").unwrap();
        remove_stale(dir.path(), "out", &target);
        let kept = dir.path().join(format!("out.old-{DEAD}-0"));
        assert_eq!(names(&kept), [MARKER, "notes.txt"]);
        assert_eq!(names(dir.path()).len(), 2, "{:?}", names(dir.path()));
    }

    // Defect: names may be 200 bytes and a plot or folder name joins several, so file names
    // went past 255 bytes and a run failed after all its work. Long names are shortened
    // with a hash of the whole, so that distinct names stay distinct.
    #[test]
    fn long_names_are_shortened_and_stay_distinct() {
        let a = format!("fan_01_{}_a", "x".repeat(300));
        let b = format!("fan_01_{}_b", "x".repeat(300));
        assert_eq!(shorten(&a, 120).len(), 120);
        assert_ne!(shorten(&a, 120), shorten(&b, 120));
        assert_eq!(shorten("fan_01_short", 120), "fan_01_short");
        assert_eq!(
            shorten(&"ā".repeat(100), 120).len(),
            119,
            "cut at a character"
        );
        assert!(sanitize_name(&"n".repeat(600)).len() <= MAX_DEFAULT_NAME);
    }

    // Defect: an `--out` whose last part left no room for `.NAME.partial-PID-N` failed only
    // after the work. Now it is refused up front.
    #[test]
    fn an_out_name_without_room_for_its_staging_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        check_target(&dir.path().join("n".repeat(MAX_OUT_NAME))).unwrap();
        let too_long = dir.path().join("n".repeat(MAX_OUT_NAME + 1));
        let refused = check_target(&too_long).unwrap_err().to_string();
        assert!(refused.contains("at most 214 bytes"), "{refused}");
        write_atomically(&dir.path().join("n".repeat(MAX_OUT_NAME)), |d| {
            fs::write(d.join("a.txt"), "1")
        })
        .unwrap();
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
