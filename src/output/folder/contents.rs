//! What entente writes into a results folder, by name and kind: the only files a manifest
//! may vouch for and the only ones a staging folder may hold; and the walk that lists a
//! folder's contents.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::analysis::compare::{self, MAX_SCENARIOS};

/// The plots' sub-folder, at the top of a result and in each side of a comparison.
pub(super) const PLOTS: &str = "plots";

/// The kinds of file entente writes: summaries, tables, reports and a shard's copy of its
/// scenario beside them; pictures in `plots/`.
pub(super) const DATA_FILES: [&str; 4] = ["json", "csv", "html", "ron"];
pub(super) const PICTURES: [&str; 2] = ["png", "svg"];

/// One thing found in a folder, by its path relative to the folder (with `/`).
pub(super) enum Found {
    File {
        bytes: u64,
    },
    Folder,
    /// A symbolic link, device, socket or a name that is not UTF-8: never written by entente.
    Other,
}

/// Everything under `dir` (not `dir` itself), parents before their contents, in name order.
pub(super) fn walk(dir: &Path) -> std::io::Result<Vec<(String, PathBuf, Found)>> {
    let mut out = Vec::new();
    walk_into(dir, "", &mut out)?;
    Ok(out)
}

pub(super) fn walk_into(
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

pub(super) fn sha256_of(path: &Path) -> std::io::Result<String> {
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

/// Whether entente writes files named like `rel`: a data file at the top or in a side of a
/// comparison, a picture in a `plots/` folder.
pub(super) fn written_by_entente(rel: &str) -> bool {
    // A shard's compressed aggregates (`shards::partial`), by its one exact name: a forged
    // manifest cannot vouch for any other binary file.
    if rel == "aggregates.bin" {
        return true;
    }
    let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    // Per-trajectory records (`--records`), by their one exact name: at the top of a run's
    // or a shard's folder, and in each side of a comparison.
    if name == crate::output::records_parquet::RECORDS && (folder.is_empty() || is_side(folder)) {
        return true;
    }
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
pub(super) fn made_by_entente(rel: &str) -> bool {
    match rel.strip_suffix(PLOTS) {
        Some("") => true,
        Some(above) => above.strip_suffix('/').is_some_and(is_side),
        None => is_side(rel),
    }
}

/// Whether `folder` holds one side of a comparison: `a/`, `b/`, ... for as many scenarios
/// as `compare` accepts, named as `compare` names them (a list of its own knew only `a/`
/// and `b/`, so a three-way comparison could not be rerun into its own folder).
pub(super) fn is_side(folder: &str) -> bool {
    (0..MAX_SCENARIOS).any(|i| compare::folder(i) == folder)
}
