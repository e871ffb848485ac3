//! `simulate check FILE`: validate only. For a variant, also what it changes, one line per
//! change, so an analyst sees the future it stands for without reading its base.

use std::path::Path;

use crate::error::Error;
use crate::scenario;

pub fn check(path: &Path) -> Result<(), Error> {
    let s = scenario::load(path)?;
    let w = &s.world;
    crate::say!(
        "{}: ok — \"{}\", {} states, {} channels, {} events, {} outcomes, {} metrics, {} steps of a {}",
        path.display(),
        w.name,
        w.n(),
        w.k(),
        w.events.len(),
        w.outcomes.len(),
        w.metrics.len(),
        w.steps,
        w.step_unit
    )?;
    if let Some(full) = s.bases.last() {
        let through: Vec<String> = s.bases[..s.bases.len() - 1]
            .iter()
            .map(|b| b.path.display().to_string())
            .collect();
        let through = if through.is_empty() {
            String::new()
        } else {
            format!(" through {}", through.join(", "))
        };
        crate::say!("a variant of {}{through}; it changes:", full.path.display())?;
        // A chain of variants: each file's changes under its name, in the order applied.
        let by_file = s.changes.len() > 1;
        for (file, lines) in &s.changes {
            if by_file {
                crate::say!("  {}:", file.display())?;
            }
            for line in lines {
                crate::say!("{}  {line}", if by_file { "  " } else { "" })?;
            }
        }
    }
    Ok(())
}
