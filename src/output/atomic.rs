//! Writing a results folder all at once, and never over a user's files.
//!
//! A run fills a fresh staging folder beside its target (`.NAME.partial-PID-N`) and renames
//! it into place, so a reader never sees a half-written folder and an interrupted run (Ctrl-C,
//! SIGTERM, a crash, a full disk) leaves the previous result as it was. Staging folders of
//! processes that died before they could clean up are removed by the next run into the same
//! place, if provably entente's (exact name, a real folder, its stamp or manifest). Two runs writing the same target at once each put a complete folder in place; the
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
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::analysis::compare::{self, MAX_SCENARIOS};
use crate::error::Error;
use crate::scenario::spelling;

/// The manifest every results folder holds: what it consists of, so that only a folder of
/// entente's own files is ever replaced and `--out ~/Documents` is refused.
pub const MARKER: &str = ".entente-results";

/// The stamp a staging folder gets the moment it is created: a `.NAME.partial-PID-N` folder
/// without it is not entente's (the name alone proves nothing), so it is never deleted.
const STAMP: &str = ".entente-staging";

/// The plots' sub-folder, at the top of a result and in each side of a comparison.
const PLOTS: &str = "plots";

/// The kinds of file entente writes: summaries, tables, reports and a shard's copy of its
/// scenario beside them; pictures in `plots/`.
const DATA_FILES: [&str; 4] = ["json", "csv", "html", "ron"];
const PICTURES: [&str; 2] = ["png", "svg"];

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
    // Buffered: serde_json writes a token at a time, which unbuffered was one system call
    // for every few bytes (some 900 for a small result's manifest).
    let mut file = std::io::BufWriter::new(fs::File::create(dir.join(MARKER))?);
    serde_json::to_writer_pretty(&mut file, &manifest)?;
    file.write_all(b"\n")?;
    file.into_inner().map_err(|e| e.into_error())?.sync_all()
}

/// The manifest of `dir`, if it has one of this format (trusted or not).
fn read_manifest(dir: &Path) -> Option<Manifest> {
    let path = dir.join(MARKER);
    let meta = fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > MAX_MANIFEST_BYTES {
        return None;
    }
    let manifest: Manifest = serde_json::from_slice(&fs::read(path).ok()?).ok()?;
    (manifest.format == FORMAT).then_some(manifest)
}

/// The manifest of `dir`, if it has one that lists only what entente writes.
fn trusted_manifest(dir: &Path) -> Option<Manifest> {
    read_manifest(dir).filter(|m| never_written(m).is_empty())
}

/// What a manifest lists that entente never writes. Anyone can write a manifest, with the
/// real sizes and hashes of a user's files: it vouches only for files entente could have
/// written, so a forged one listing `thesis.tex` cannot get the thesis deleted.
fn never_written(manifest: &Manifest) -> Vec<String> {
    let folders = manifest.folders.iter().filter(|f| !made_by_entente(f));
    let files = manifest
        .files
        .iter()
        .map(|f| &f.path)
        .filter(|f| !written_by_entente(f));
    folders.chain(files).cloned().collect()
}

/// Whether entente writes files named like `rel`: a data file at the top or in a side of a
/// comparison, a picture in a `plots/` folder.
fn written_by_entente(rel: &str) -> bool {
    // A shard's compressed aggregates (`output::partial`), by its one exact name: a forged
    // manifest cannot vouch for any other binary file.
    if rel == "aggregates.bin" {
        return true;
    }
    let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let Some((stem, extension)) = name.rsplit_once('.') else {
        return false;
    };
    let kinds: &[&str] = if folder.is_empty() || is_side(folder) {
        &DATA_FILES
    } else if made_by_entente(folder) {
        &PICTURES
    } else {
        return false;
    };
    !stem.is_empty() && !name.starts_with('.') && kinds.contains(&extension)
}

/// Whether entente makes the sub-folder `rel` in a result: `plots`, and each side of a
/// comparison with its own `plots`.
fn made_by_entente(rel: &str) -> bool {
    match rel.strip_suffix(PLOTS) {
        Some("") => true,
        Some(above) => above.strip_suffix('/').is_some_and(is_side),
        None => is_side(rel),
    }
}

/// Whether `folder` holds one side of a comparison: `a/`, `b/`, ... for as many scenarios
/// as `compare` accepts, named as `compare` names them (a list of its own knew only `a/`
/// and `b/`, so a three-way comparison could not be rerun into its own folder).
fn is_side(folder: &str) -> bool {
    (0..MAX_SCENARIOS).any(|i| compare::folder(i) == folder)
}

/// Why an existing folder may not be replaced.
#[derive(Debug)]
enum Foreign {
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
fn few(names: &[String]) -> String {
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
const SHOWN_PATH_CHARS: usize = 200;

/// A path as a message shows it: control characters escaped, cut when long.
fn shown_path(path: &Path) -> String {
    spelling::printable(&path.to_string_lossy(), SHOWN_PATH_CHARS)
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
        Foreign::Forged { listed } => format!(
            "holds a manifest {MARKER} that lists files entente never writes ({}), so it \
             is not an entente result",
            few(listed)
        ),
        Foreign::NotAFolder => "is now a file or a link, not a folder".to_string(),
        Foreign::Unreadable(why) => format!("cannot be read ({why})"),
    }
}

/// Checks, before any work, that `target` can become a results folder: its name leaves
/// room for the staging folder's, it is not a symbolic link, a file or a mount point, any
/// folder there holds only a result entente wrote, and its place can be written.
pub fn check_target(target: &Path) -> Result<(), Error> {
    let shown = shown_path(target);
    if ends_in_dot(target) {
        return Err(Error::Usage(format!(
            "--out {shown} ends in `.` or `..`, and a folder cannot be renamed onto such a \
             path: give the folder by its name, e.g. --out results/run1"
        )));
    }
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
    check_lengths(target, name)?;
    if let Some(to) = symlink_target(target) {
        return Err(Error::Usage(match fs::canonicalize(target) {
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
        return Err(Error::Usage(format!(
            "--out {shown} is an existing file, not a folder: choose another path"
        )));
    }
    if target.is_dir() {
        check_not_current(target)?;
        if is_mount_point(target) {
            return Err(Error::Usage(format!(
                "--out {shown} is a mount point, which cannot be replaced by renaming a folder \
                 onto it: give a folder inside it, e.g. --out {}",
                shown_path(&target.join("results"))
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
    let existing = first_existing(target)?;
    if !existing.is_dir() {
        return Err(Error::Usage(format!(
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
        Err(e) => Err(Error::Usage(format!(
            "--out {shown}: cannot write in {} ({e}): choose a folder you can write to",
            shown_path(&existing)
        ))),
    }
}

/// Longest path the system accepts, in bytes, with its final NUL (`PATH_MAX`).
#[cfg(not(target_os = "macos"))]
const PATH_MAX: usize = 4096;
#[cfg(target_os = "macos")]
const PATH_MAX: usize = 1024;

/// Where the deepest file of a run lies in its staging folder: a picture of a side of a
/// comparison. Its name is taken at the longest a file system allows (plot names are
/// shorter), so the bound holds whatever a result holds.
const DEEPEST_FOLDER: &str = "a/plots";

/// Refuses an `--out` with a part longer than a file name may be, or so long that a file
/// the run writes under its staging folder would pass `PATH_MAX`: the system refuses those
/// only when the run writes them, after all its work.
fn check_lengths(target: &Path, name: &OsStr) -> Result<(), Error> {
    let shown = shown_path(target);
    let mut parts = target.components().map(|c| c.as_os_str());
    if let Some(part) = parts.find(|p| p.len() > NAME_MAX) {
        return Err(Error::Usage(format!(
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
        return Err(Error::Usage(format!(
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
fn check_not_current(target: &Path) -> Result<(), Error> {
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
    Err(Error::Usage(format!(
        "--out {} {what}, and a run replaces its whole folder, renaming it away from under \
         you: give a new folder inside it, e.g. --out results",
        shown_path(target)
    )))
}

/// The last part of `target`'s parents that exists: where the staging folder and any
/// missing parents are made (`.` for a relative path none of whose parts exist). A part
/// that cannot be looked at (a loop of links, no permission) or a link to nothing is
/// refused: making the folders would fail only after the work.
fn first_existing(target: &Path) -> Result<PathBuf, Error> {
    use std::io::ErrorKind::{NotADirectory, NotFound};
    let refuse = |why: String| Error::Usage(format!("--out {}: {why}", shown_path(target)));
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
fn ends_in_dot(path: &Path) -> bool {
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
fn symlink_target(path: &Path) -> Option<String> {
    let meta = fs::symlink_metadata(path).ok()?;
    meta.file_type()
        .is_symlink()
        .then(|| fs::read_link(path).map_or("?".into(), |to| shown_path(&to)))
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
    /// Its visible name, should it hold a user's files when removed.
    keep_as: OsString,
    armed: bool,
}

impl Drop for Staging {
    /// Removes what the run wrote; a file a user put in meanwhile keeps the folder.
    fn drop(&mut self) {
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
    fill(&staging.path).map_err(io_error(target))?;
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
        return Err(Error::Usage(format!(
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
    Ok(())
}

/// `{hidden}NAME.{kind}-{tag}`: the name of a folder beside the target named `name`, built
/// from its bytes (a name that is not UTF-8 keeps its own bytes, not a look-alike's).
fn beside(name: &OsStr, hidden: &str, kind: &str, tag: &str) -> OsString {
    let mut beside = OsString::from(hidden);
    beside.push(name);
    beside.push(format!(".{kind}-{tag}"));
    beside
}

/// Creates a fresh staging folder `.NAME.partial-PID-N` beside the target, stamped as
/// entente's, and returns it with its tag `PID-N`. A folder already there under that name
/// is not ours and is left alone: the next number is tried.
fn create_staging(parent: &Path, name: &OsStr) -> std::io::Result<(Staging, String)> {
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
                fs::write(staging.path.join(STAMP), &tag)?;
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
fn dispose(old: &Path, target: &Path, keep_as: &OsStr) {
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

/// Deletes what the trusted manifest of the result in `dir` lists, unchanged, then the
/// folders left empty, then `dir` itself if nothing else is left; whether `dir` is gone.
fn delete_listed(dir: &Path) -> bool {
    if let (Some(manifest), Ok(found)) = (trusted_manifest(dir), walk(dir)) {
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
        if walk(dir).is_ok_and(|left| left.iter().all(|(rel, _, _)| rel == MARKER)) {
            let _ = fs::remove_file(dir.join(MARKER));
        }
    }
    fs::remove_dir(dir).is_ok()
}

/// Renames `from` to `base` in `parent` (or `base-2`, `base-3`, ... if taken); `from`
/// itself if that fails.
fn keep_visible(from: &Path, parent: &Path, base: &OsStr) -> PathBuf {
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
fn remove_stale(parent: &Path, name: &OsStr, target: &Path) {
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

/// Removes a staging folder of a run that did not finish, if everything in it is something
/// entente writes there: its stamp, its sub-folders, files of its kinds by their place
/// (`written_by_entente`) and, once written, its manifest. The files have no manifest yet,
/// so nothing else can be proved entente's: a folder holding anything else (a user's notes,
/// a link) is not deleted at all but kept under a visible name, with a warning saying
/// where. Only the files judged are deleted, one by one, so one that arrives meanwhile
/// keeps the folder too.
fn clear_staging(dir: &Path, keep_as: &OsStr) {
    let Ok(found) = walk(dir) else {
        return; // unreadable: nothing can be judged, so nothing is deleted
    };
    if found
        .iter()
        .all(|(rel, _, what)| staged_by_entente(rel, what))
    {
        for (_, path, what) in &found {
            if matches!(what, Found::File { .. }) {
                let _ = fs::remove_file(path);
            }
        }
        // Deepest first; a folder that still holds something stays.
        for (_, path, what) in found.iter().rev() {
            if matches!(what, Found::Folder) {
                let _ = fs::remove_dir(path);
            }
        }
        if fs::remove_dir(dir).is_ok() {
            return;
        }
    }
    keep_staging(dir, keep_as);
}

/// Whether `rel`, found in a staging folder, is something entente puts there.
fn staged_by_entente(rel: &str, what: &Found) -> bool {
    match what {
        Found::File { .. } => rel == STAMP || rel == MARKER || written_by_entente(rel),
        Found::Folder => made_by_entente(rel),
        Found::Other => false,
    }
}

/// Keeps a staging folder that holds files entente did not write: renamed beside it to
/// `keep_as` (its name without the leading `.`, `NAME.partial-PID-N`), where a user sees it
/// and the next run leaves it alone, and named in a warning.
fn keep_staging(dir: &Path, keep_as: &OsStr) {
    let kept = keep_visible(dir, &parent_of(dir), keep_as);
    let theirs: Vec<String> = walk(&kept)
        .unwrap_or_default()
        .into_iter()
        .filter(|(rel, _, what)| !staged_by_entente(rel, what))
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
fn left_by(name: &OsStr, found: &OsStr) -> Option<(&'static str, String)> {
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
        write_atomically(&target, |d| fs::write(d.join("summary.json"), "first")).unwrap();
        let failed = write_atomically(&target, |d| {
            fs::write(d.join("summary.json"), "second")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(
            fs::read_to_string(target.join("summary.json")).unwrap(),
            "first"
        );
        let entries: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(entries.len(), 1, "only the result folder remains");
    }

    /// A process id above Linux's largest (2^22): never a live process.
    const DEAD: u32 = 999_999_999;

    /// A staging folder as entente makes it, stamped, named `.NAME.partial-TAG` in `dir`.
    fn staging_in(dir: &Path, name: &str, tag: &str) -> PathBuf {
        let path = dir.join(format!(".{name}.partial-{tag}"));
        fs::create_dir(&path).unwrap();
        fs::write(path.join(STAMP), tag).unwrap();
        fs::write(path.join("summary.json"), "{}").unwrap();
        path
    }

    #[test]
    fn folders_left_by_dead_runs_are_removed_by_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        staging_in(dir.path(), "out", &format!("{DEAD}-3"));
        // Killed after its manifest replaced the stamp.
        let finished = staging_in(dir.path(), "out", &format!("{DEAD}-4"));
        fs::remove_file(finished.join(STAMP)).unwrap();
        write_manifest(&finished).unwrap();
        // Live (this process, with a number write_atomically has not reached) or another
        // target's: left alone.
        let live = staging_in(dir.path(), "out", &format!("{}-999999", std::process::id()));
        let other = staging_in(dir.path(), "other", &format!("{DEAD}-1"));
        write_atomically(&target, |d| fs::write(d.join("summary.json"), "new")).unwrap();
        let mut expected = [live, other, target].map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name
        });
        expected.sort();
        assert_eq!(names(dir.path()), expected);
    }

    // Defect: any folder named `.out.partial-<digits>...` of a dead process id was deleted
    // whole: a user's `.out.partial-2024-drafts`, a link of that name, and (names compared
    // after lossy UTF-8 conversion) `.\xfe.partial-999999` for `--out \xff`. Now only a real
    // folder named exactly `.NAME.partial-PID-N`, byte for byte, holding entente's stamp is
    // deleted.
    #[test]
    fn a_user_folder_named_like_a_staging_folder_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let user = |name: String| {
            let path = dir.path().join(name);
            fs::create_dir(&path).unwrap();
            fs::write(path.join("ch1.tex"), "chapter one").unwrap();
            path
        };
        let mut kept = vec![
            user(".out.partial-2024-drafts".into()),
            user(format!(".out.partial-{DEAD}-0")),
            user(format!(".out.partial-{DEAD}")),
        ];
        // Stamped, but not named exactly as entente names them.
        for tag in [
            format!("+{DEAD}-2"),
            format!("{DEAD}-01"),
            format!("{DEAD}-1x"),
        ] {
            kept.push(staging_in(dir.path(), "out", &tag));
        }
        // A link named like a staging folder, to a stamped folder elsewhere.
        let elsewhere = staging_in(dir.path(), "elsewhere", "1-1");
        #[cfg(unix)]
        {
            let link = dir.path().join(format!(".out.partial-{DEAD}-5"));
            std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
            kept.push(link);
        }
        kept.push(elsewhere);
        write_atomically(&target, |d| fs::write(d.join("summary.json"), "new")).unwrap();
        for path in &kept {
            assert!(
                fs::symlink_metadata(path).is_ok(),
                "{} was deleted",
                path.display()
            );
        }
        assert!(kept[0].join("ch1.tex").is_file());
        assert!(dir
            .path()
            .join(".elsewhere.partial-1-1")
            .join("summary.json")
            .is_file());
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_compared_byte_for_byte() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join(OsStr::from_bytes(b"\xff"));
        let tag = format!("{DEAD}-0");
        let mut name = b".\xfe.partial-".to_vec();
        name.extend_from_slice(tag.as_bytes());
        let other = dir.path().join(OsStr::from_bytes(&name));
        fs::create_dir(&other).unwrap();
        fs::write(other.join(STAMP), &tag).unwrap();
        write_atomically(&target, |d| fs::write(d.join("summary.json"), "new")).unwrap();
        assert!(
            other.join(STAMP).is_file(),
            "another name's folder was deleted"
        );
        // The target's own leftovers, in its own bytes, are still found.
        let mut own = b".\xff.partial-".to_vec();
        own.extend_from_slice(tag.as_bytes());
        let own = dir.path().join(OsStr::from_bytes(&own));
        fs::create_dir(&own).unwrap();
        fs::write(own.join(STAMP), &tag).unwrap();
        write_atomically(&target, |d| fs::write(d.join("summary.json"), "new")).unwrap();
        assert!(!own.exists());
    }

    #[test]
    fn a_previous_result_set_aside_by_a_dead_run_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let old = dir.path().join(format!(".out.old-{DEAD}-0"));
        result_in(&old);
        remove_stale(dir.path(), OsStr::new("out"), &target);
        assert_eq!(
            fs::read_to_string(target.join("summary.json")).unwrap(),
            "{}"
        );
        assert!(!old.exists());
    }

    // Defect 1 (issue 19): the next run deleted a killed run's stamped staging folder whole,
    // with any file a user had put into it. Its files have no manifest yet, so it is now
    // deleted only if everything in it is what entente writes there; anything else keeps the
    // whole folder, renamed to a visible `out.partial-PID-N` that later runs leave alone.
    #[test]
    fn a_killed_runs_staging_folder_keeps_the_users_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let killed = |n: usize| {
            let staging = staging_in(dir.path(), "out", &format!("{DEAD}-{n}"));
            fs::create_dir(staging.join("plots")).unwrap();
            fs::write(staging.join("plots").join("fan.svg"), "<svg/>").unwrap();
            staging
        };
        // What a user may leave in one: a file entente never writes, one of entente's
        // kinds in the wrong place, a folder of their own, a link.
        let theirs = ["notes.txt", "plots/data.json", "drafts/ch1.tex", "link"];
        for (n, rel) in theirs.iter().enumerate() {
            let staging = killed(n);
            fs::create_dir_all(staging.join(rel).parent().unwrap()).unwrap();
            if *rel == "link" {
                #[cfg(unix)]
                std::os::unix::fs::symlink("/", staging.join(rel)).unwrap();
            } else {
                fs::write(staging.join(rel), "mine").unwrap();
            }
        }
        killed(theirs.len()); // only entente's: removed
        remove_stale(dir.path(), OsStr::new("out"), &target);
        let mut expected: Vec<String> = (0..theirs.len())
            .map(|n| format!("out.partial-{DEAD}-{n}"))
            .collect();
        assert_eq!(names(dir.path()), expected);
        for (n, rel) in theirs.iter().enumerate() {
            let kept = dir.path().join(&expected[n]);
            assert!(
                fs::symlink_metadata(kept.join(rel)).is_ok(),
                "{rel} is gone"
            );
            assert!(
                kept.join("summary.json").is_file(),
                "nothing in it is deleted"
            );
        }
        result_in(&target);
        expected.insert(0, "out".into());
        assert_eq!(
            names(dir.path()),
            expected,
            "the next run leaves them alone"
        );
    }

    // Defect 1 (issue 19), in the run itself: a run that failed removed its staging folder
    // whole, with a file put into it while the run worked.
    #[test]
    fn a_failed_runs_staging_folder_keeps_a_file_put_into_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let failed = write_atomically(&target, |d| {
            fs::write(d.join("summary.json"), "{}")?;
            fs::write(d.join("notes.txt"), "mine")?; // the user, meanwhile
            Err(std::io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        let kept = names(dir.path());
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert!(kept[0].starts_with("out.partial-"), "{kept:?}");
        let kept = dir.path().join(&kept[0]);
        assert_eq!(fs::read_to_string(kept.join("notes.txt")).unwrap(), "mine");
    }

    // Defect 8 (issue 19): a result's list of its own sub-folders knew only `a/` and `b/`,
    // so a comparison of 3 or more scenarios could not be rerun into its own folder. Now
    // every side `compare` writes, for as many scenarios as it takes, is entente's.
    #[test]
    fn a_compare_of_three_or_more_scenarios_can_be_rerun_into_its_own_folder() {
        use crate::analysis::compare::{folder, MAX_SCENARIOS};
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let sides = |d: &Path| {
            for side in (0..MAX_SCENARIOS).map(folder) {
                fs::create_dir_all(d.join(&side).join("plots"))?;
                fs::write(d.join(&side).join("summary.json"), "{}")?;
                fs::write(d.join(&side).join("plots").join("fan.png"), "png")?;
            }
            fs::write(d.join("compare.json"), "{}")
        };
        write_atomically(&out, sides).unwrap();
        check_target(&out).expect("a comparison's own folder");
        write_atomically(&out, sides).expect("rerun into its own folder");
        let beyond = folder(MAX_SCENARIOS);
        for theirs in [
            format!("{beyond}/summary.json"),
            "a/plots/plots/x.png".into(),
        ] {
            assert!(!written_by_entente(&theirs), "{theirs}");
        }
    }

    // Defect 6 (issue 19): an `--out` past PATH_MAX, or with a part longer than a file
    // name may be, passed the checks and failed after all the work. Now refused up front,
    // and so is a parent that is a dangling link or a loop; the longest `--out` accepted
    // still takes the deepest file a run writes.
    #[test]
    fn an_out_path_longer_than_path_max_is_refused_before_any_work() {
        let dir = tempfile::tempdir().unwrap();
        let deep = (0..21).fold(dir.path().to_path_buf(), |p, _| p.join("d".repeat(200)));
        let refused = check_target(&deep).unwrap_err();
        assert_eq!(refused.exit_code(), 2);
        assert!(
            refused.to_string().contains("bytes for a path"),
            "{refused}"
        );
        assert!(refused.to_string().len() < 1000, "a bounded message");
        for part in [256, 300] {
            for out in [
                dir.path().join("n".repeat(part)).join("out"),
                dir.path()
                    .join("a")
                    .join("n".repeat(part))
                    .join("b")
                    .join("out"),
            ] {
                let refused = check_target(&out).unwrap_err().to_string();
                assert!(refused.contains("255 bytes"), "{refused}");
            }
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/nonexistent", dir.path().join("dangling")).unwrap();
            std::os::unix::fs::symlink("loop", dir.path().join("loop")).unwrap();
            for parent in ["dangling", "loop"] {
                let out = dir.path().join(parent).join("x").join("out");
                assert_eq!(check_target(&out).unwrap_err().exit_code(), 2, "{parent}");
            }
        }
        // The longest accepted `--out` in a folder 3,600 bytes deep.
        let base = (0..16).fold(dir.path().to_path_buf(), |p, _| p.join("d".repeat(210)));
        let base = base.join("e".repeat(3600 - base.as_os_str().len()));
        let longest = (1..=MAX_OUT_NAME)
            .map(|n| base.join("n".repeat(n)))
            .take_while(|out| check_target(out).is_ok())
            .last()
            .expect("a short name is accepted");
        assert!(
            longest.as_os_str().len() < 4096 - 255,
            "{}",
            longest.display()
        );
        write_atomically(&longest, |d| {
            let plots = d.join("a").join("plots");
            fs::create_dir_all(&plots)?;
            fs::write(plots.join(format!("{}.png", "p".repeat(251))), "png")
        })
        .expect("the deepest file fits");
    }

    // Defect: a user's `.out.old-999999-0` (no manifest) was moved into place as `out`, or
    // renamed to `out.old-999999-0` with a warning blaming the user. Now a set-aside folder
    // is touched only if its name is exact and it holds a trusted manifest; else left
    // alone, silently.
    #[test]
    fn a_user_folder_named_like_a_set_aside_result_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let user = dir.path().join(format!(".out.old-{DEAD}-0"));
        fs::create_dir(&user).unwrap();
        fs::write(user.join("thesis.tex"), "years of work").unwrap();
        remove_stale(dir.path(), OsStr::new("out"), &target);
        assert!(!target.exists(), "moved into place");
        result_in(&target);
        remove_stale(dir.path(), OsStr::new("out"), &target);
        let mut expected = [format!(".out.old-{DEAD}-0"), "out".to_string()];
        expected.sort();
        assert_eq!(names(dir.path()), expected);
        assert_eq!(names(&user), ["thesis.tex"]);
    }

    // Defect: anyone can write a manifest: one listing `thesis.tex` with its real size and
    // hash let a run replace the folder and delete the thesis. Now a manifest vouches only
    // for files entente writes (its kinds of file, in its sub-folders).
    #[test]
    fn a_forged_manifest_does_not_get_a_users_file_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let v = dir.path().join("v");
        fs::create_dir(&v).unwrap();
        fs::write(v.join("thesis.tex"), "years of work").unwrap();
        write_manifest(&v).unwrap();
        let refused = check_target(&v).unwrap_err().to_string();
        assert!(refused.contains("never writes (thesis.tex)"), "{refused}");
        let refused = write_atomically(&v, |d| fs::write(d.join("summary.json"), "{}"));
        assert_eq!(refused.unwrap_err().exit_code(), 2);
        assert_eq!(
            fs::read_to_string(v.join("thesis.tex")).unwrap(),
            "years of work"
        );
        // Nor does it when set aside.
        let old = dir.path().join(format!(".v.old-{DEAD}-0"));
        fs::rename(&v, &old).unwrap();
        remove_stale(dir.path(), OsStr::new("v"), &v);
        assert!(old.join("thesis.tex").is_file());
        assert!(!v.exists());
    }

    #[test]
    fn only_what_entente_writes_can_be_vouched_for() {
        for ours in [
            "summary.json",
            "timeseries.csv",
            "report.html",
            "scenario.ron",
            "aggregates.bin",
            "plots/fan_01_x.svg",
            "plots/fan_01_x.png",
            "a/summary.json",
            "b/plots/fan.png",
        ] {
            assert!(written_by_entente(ours), "{ours}");
        }
        for theirs in [
            "thesis.tex",
            "notes.txt",
            "data.bin",
            "a/aggregates.bin",
            ".json",
            ".hidden.json",
            "plots/data.json",
            "drafts/a.json",
            "a/b/summary.json",
            "../summary.json",
            "summary",
        ] {
            assert!(!written_by_entente(theirs), "{theirs}");
        }
    }

    // Defect: `--out out/.` passed the checks before the work (its file name is `out`), then
    // the rename onto `out/.` failed with "Device or resource busy" after all the work. Now
    // a path ending in `.` or `..` is refused up front (options drop `.` parts before).
    #[test]
    fn an_out_ending_in_a_dot_is_refused_before_any_work() {
        let dir = tempfile::tempdir().unwrap();
        for out in ["out/.", "out/./", "out/..", "."] {
            let refused = check_target(&dir.path().join(out)).unwrap_err();
            assert_eq!(refused.exit_code(), 2, "{out}");
        }
        check_target(&dir.path().join("out/./deeper")).unwrap();
        assert!(!ends_in_dot(Path::new("out.d/")));
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
        write_atomically(&results, |d| fs::write(d.join("summary.json"), "1")).unwrap();
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
        assert!(write_atomically(&v, |d| fs::write(d.join("summary.json"), "1")).is_err());
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
        dispose(&old, &out, OsStr::new("out.old-1-0"));
        assert!(!old.exists());
        let kept = dir.path().join("out.old-1-0");
        assert_eq!(names(&kept), [MARKER, "plots"]);
        assert_eq!(names(&kept.join("plots")), ["notes.txt"]);

        result_in(&old);
        dispose(&old, &out, OsStr::new("out.old-1-1"));
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
        remove_stale(dir.path(), OsStr::new("out"), &target);
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
            fs::write(d.join("summary.json"), "1")
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
                                fs::write(d.join(format!("{f}.csv")), w.to_string())?;
                            }
                            Ok(())
                        })
                        .unwrap();
                    }
                });
            }
        });
        let contents: Vec<String> = (0..5)
            .map(|f| fs::read_to_string(target.join(format!("{f}.csv"))).unwrap())
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
