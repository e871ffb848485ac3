//! `simulate check FILE`: validate only. For a variant, also what it changes, one line per
//! change, so an analyst sees the future it stands for without reading its base.

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
                scenario::path_shown(path),
                w.trajectories
            )?;
        }
    }
    // A file without a `step` unit counts plain steps: "12 steps", not "12 steps of a step".
    let unit = match w.step_unit.as_str() {
        "step" => String::new(),
        unit => format!(" of a {unit}"),
    };
    crate::say!(
        "{}: ok — \"{}\", {}, {}, {}, {}, {}, {}{unit}",
        scenario::path_shown(path),
        w.name,
        super::count(w.n(), "state"),
        super::count(w.k(), "channel"),
        super::count(w.events.len(), "event"),
        super::count(w.outcomes.len(), "outcome"),
        super::count(w.metrics.len(), "metric"),
        super::count(w.steps as usize, "step"),
    )?;
    if let Some(c) = w.calendar {
        crate::say!(
            "  dated: step 1 is {}, step {} is {}",
            c.date(1),
            w.steps,
            c.date(i64::from(w.steps))
        )?;
    }
    if let Some(full) = s.bases.last() {
        let through: Vec<String> = s.bases[..s.bases.len() - 1]
            .iter()
            .map(|b| scenario::path_shown(&b.path))
            .collect();
        let through = if through.is_empty() {
            String::new()
        } else {
            format!(" through {}", through.join(", "))
        };
        crate::say!(
            "a variant of {}{through}; it changes:",
            scenario::path_shown(&full.path)
        )?;
        // A chain of variants: each file's changes under its name, in the order applied.
        let by_file = s.changes.len() > 1;
        for (file, lines) in &s.changes {
            if by_file {
                crate::say!("  {}:", scenario::path_shown(file))?;
            }
            for line in lines {
                crate::say!("{}  {line}", if by_file { "  " } else { "" })?;
            }
        }
    }
    Ok(())
}
