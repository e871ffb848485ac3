//! `simulate check FILE`: validate only.

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
    Ok(())
}
