//! The manifest ([`super::MARKER`]) every result carries, written last: its files with their
//! sizes and SHA-256 hashes, so that only a folder of entente's own, unchanged files is ever
//! replaced, and only the files it lists are ever deleted.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::contents::{made_by_entente, sha256_of, walk, written_by_entente, Found};
use super::MARKER;

/// The manifest's format tag; a marker without it (the empty marker of older versions)
/// does not vouch for anything.
pub(super) const FORMAT: &str = "entente-results/1";

/// The longest manifest read: a real one lists a few hundred files.
pub(super) const MAX_MANIFEST_BYTES: u64 = 16 << 20;

/// What a results folder consists of.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Manifest {
    format: String,
    /// Sub-folders, relative paths with `/`.
    folders: Vec<String>,
    files: Vec<FileEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct FileEntry {
    path: String,
    bytes: u64,
    sha256: String,
}

/// Writes the manifest of everything in `dir`; the last file a result gets.
pub(super) fn write_manifest(dir: &Path) -> std::io::Result<()> {
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
pub(super) fn read_manifest(dir: &Path) -> Option<Manifest> {
    let path = dir.join(MARKER);
    let meta = fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > MAX_MANIFEST_BYTES {
        return None;
    }
    let manifest: Manifest = serde_json::from_slice(&fs::read(path).ok()?).ok()?;
    (manifest.format == FORMAT).then_some(manifest)
}

/// The manifest of `dir`, if it has one that lists only what entente writes.
pub(super) fn trusted_manifest(dir: &Path) -> Option<Manifest> {
    read_manifest(dir).filter(|m| never_written(m).is_empty())
}

/// What a manifest lists that entente never writes. Anyone can write a manifest, with the
/// real sizes and hashes of a user's files: it vouches only for files entente could have
/// written, so a forged one listing `thesis.tex` cannot get the thesis deleted.
pub(super) fn never_written(manifest: &Manifest) -> Vec<String> {
    let folders = manifest.folders.iter().filter(|f| !made_by_entente(f));
    let files = manifest
        .files
        .iter()
        .map(|f| &f.path)
        .filter(|f| !written_by_entente(f));
    folders.chain(files).cloned().collect()
}

/// The files of `dir`'s manifest, by path, with their size and hash.
pub(super) fn listed(manifest: &Manifest) -> (BTreeMap<&str, (u64, &str)>, BTreeSet<&str>) {
    let files = manifest
        .files
        .iter()
        .map(|f| (f.path.as_str(), (f.bytes, f.sha256.as_str())))
        .collect();
    let folders = manifest.folders.iter().map(String::as_str).collect();
    (files, folders)
}

/// Whether `path` (found with `bytes`) is the file the manifest lists under `rel`.
pub(super) fn unchanged(
    files: &BTreeMap<&str, (u64, &str)>,
    rel: &str,
    path: &Path,
    bytes: u64,
) -> bool {
    files.get(rel).is_some_and(|&(listed_bytes, sha256)| {
        listed_bytes == bytes && sha256_of(path).is_ok_and(|h| h == sha256)
    })
}

/// Deletes what the trusted manifest of the result in `dir` lists, unchanged, then the
/// folders left empty, then `dir` itself if nothing else is left; whether `dir` is gone.
pub(super) fn delete_listed(dir: &Path) -> bool {
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
