//! `simulate check FILE`: validate only.

use std::path::Path;

use crate::engine::{self, Control, Plan};
use crate::error::Error;
use crate::{progress, scenario};

/// The most parameter draws `check` tries in a world at rest.
const CHECKED_DRAWS: u64 = 1_000_000;

pub fn check(path: &Path) -> Result<(), Error> {
    let s = scenario::load(path)?;
    let w = &s.world;
    // A world at rest whose draws cannot all be held still is refused by every run of the
    // file: try the file's own draws (its seed; parameters only, about 0.4 µs each), so that
    // "ok" means a run will start. At most the first million, so check stays quick on a
    // file of 10^9 trajectories; the run itself checks them all before any work.
    let checked = w.trajectories.min(CHECKED_DRAWS);
    if w.rest.is_some() {
        let _watching = progress::watch()?;
        let control = Control {
            progress: &|_| {},
            cancel: progress::interrupt_flag(),
        };
        engine::check_rest(w, &Plan::new(checked, w.seed, None), &control)?;
        if checked < w.trajectories {
            crate::say!(
                "{}: at rest: the parameter draws of the first {checked} of {} trajectories \
                 can be held still (a run checks them all before any work)",
                path.display(),
                w.trajectories
            )?;
        }
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
