//! `simulate check FILE`: validate only.

use std::path::Path;

use crate::engine::{self, Control, Plan};
use crate::error::Error;
use crate::{progress, scenario};

pub fn check(path: &Path) -> Result<(), Error> {
    let s = scenario::load(path)?;
    let w = &s.world;
    // A world at rest whose draws cannot all be held still is refused by every run of the
    // file: try the file's own draws (its trajectories and seed, parameters only), so that
    // "ok" means a run will start.
    if w.rest.is_some() {
        let _watching = progress::watch()?;
        let control = Control {
            progress: &|_| {},
            cancel: progress::interrupt_flag(),
        };
        engine::check_rest(w, &Plan::new(w.trajectories, w.seed, None), &control)?;
    }
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
