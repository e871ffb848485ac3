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

mod contents;
pub(crate) mod journal;
mod manifest;
mod names;
mod replaceable;
mod staging;
mod stale;
mod target;

pub use names::{sanitize_name, shorten};
pub use staging::{fill_atomically, write_atomically};
pub use target::check_target;

/// The manifest every results folder holds: what it consists of, so that only a folder of
/// entente's own files is ever replaced and `--out ~/Documents` is refused.
pub const MARKER: &str = ".entente-results";

/// The stamp a staging folder gets the moment it is created: a `.NAME.partial-PID-N` folder
/// without it is not entente's (the name alone proves nothing), so it is never deleted.
const STAMP: &str = ".entente-staging";

#[cfg(test)]
mod tests;
