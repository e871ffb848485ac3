//! A warning for a study of a scenario against itself: `sensitivity --against` the same file
//! (the same path, or a copy of the same bytes) pairs every trajectory with its twin, so
//! every effect, and every index of it, is identically zero.

use crate::scenario::{path_shown, Scenario};

/// Warns, on one line of standard error, when `b` and its reference `a` are the same file:
/// the same file on disk, or the same bytes (and the same bases, for a variant).
pub fn warn_if_same(b: &Scenario, a: &Scenario) {
    let same_place = match (
        std::fs::canonicalize(&b.path),
        std::fs::canonicalize(&a.path),
    ) {
        (Ok(pb), Ok(pa)) => pb == pa,
        _ => false,
    };
    let same_bases = b.bases.len() == a.bases.len()
        && b.bases
            .iter()
            .zip(&a.bases)
            .all(|(x, y)| x.sha256 == y.sha256);
    if same_place || (b.sha256 == a.sha256 && same_bases) {
        crate::warn!(
            "warning: --against {} is the same scenario as {}: each trajectory is paired with \
             itself, so every effect is zero; give --against the scenario to compare with",
            path_shown(&a.path),
            path_shown(&b.path)
        );
    }
}
