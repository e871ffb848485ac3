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

pub use folders::PartFolders;
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
