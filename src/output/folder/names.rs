//! Default folder names made from scenario names: flattened so they cannot leave their
//! folder, and shortened with a hash so distinct long names stay distinct.

use sha2::{Digest, Sha256};

/// Longest folder name made from a scenario's name or file: room is left for suffixes
/// (`.shard-I-of-N`) and the staging folder's name.
pub(super) const MAX_DEFAULT_NAME: usize = 120;

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
