//! The shards of a run and their merge (README, "Shards"): which folders hold the parts
//! (`folders`), and the parts read, checked to belong together and added up (`joined`).
//! `simulate merge` only judges its `--out`, checks the memory and exports.
//!
//! A merge trusts nothing it reads: every part's manifest is verified and checked against
//! the others before any aggregates are read (one manifest at a time, a shard given twice
//! refused as soon as it is met, so memory holds a manifest per shard however many folders
//! are named), and then one part at a time is read, verified, checked against the compiled
//! world and added, so memory holds one part and the result. Every path and every value
//! read from a part is shown escaped and cut (`scenario::path_shown`, `spelling::printable`):
//! a folder's name must not drive the terminal or forge a line.

mod folders;
mod joined;
pub mod partial;

pub use folders::{PartFolders, PartSources};
pub use joined::{every_shard_once, merged, stored_scenario, Shards};

use std::path::Path;

use crate::error::Error;
use crate::scenario::path_shown;
use crate::scenario::spelling::printable;

/// Characters of a part's problem a message shows: a sentence and a few values, never the
/// 64 KB a forged manifest can hold.
const MOST_CHARS: usize = 1_000;

/// Characters of a value read from a manifest that a message shows (a sha256 is 64).
pub(crate) const VALUE_CHARS: usize = 100;

/// A part's problem, with its folder named. Both are escaped and cut: the folder is the
/// user's, and the problem may quote what a (damaged or forged) manifest holds.
pub(crate) fn refuse(dir: &Path, why: impl std::fmt::Display) -> Error {
    Error::Refused(format!(
        "{}: {}",
        path_shown(dir),
        printable(&why.to_string(), MOST_CHARS)
    ))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Defect: `folders.rs` and `joined.rs` imported the checked options (`PartSources`,
    /// `check_trajectories`, `Shard`): a layer below the commands importing from the
    /// command line's side. What they need lives here or below (`engine::Shard`,
    /// `scenario::limits::check_trajectories`), and options hands `PartSources` on.
    #[test]
    fn the_shards_imported_the_options_from_above() {
        // Spelled in two pieces, so that this file does not find itself.
        let upward = format!("crate::{}", "options");
        let mut files = Vec::new();
        rust_files(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/shards"),
            &mut files,
        );
        assert!(files.len() >= 7, "{files:?}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(
                !text.contains(&upward),
                "{} imports {upward}",
                file.display()
            );
        }
    }

    /// Every `.rs` file under `dir`, its subfolders' too.
    fn rust_files(dir: &Path, into: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, into);
            } else if path.extension().is_some_and(|e| e == "rs") {
                into.push(path);
            }
        }
    }
}
