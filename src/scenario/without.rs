//! A scenario with one listed event taken out, built in memory exactly as the variant file
//! `Variant(base: "<the file>", name: …, changes: [RemoveEvent("<event>")])` beside it
//! would be (`simulate explain` pairs a scenario with each of these, on common random
//! numbers, as `simulate compare` pairs it with that file).
//!
//! An event that an outcome or another event names (`After("<event>")`) cannot be removed;
//! it is kept and never fires instead, as `SetTiming("<event>", Hazard(0))` makes it. Both
//! give the same trajectories: every event draws from its own stream, so the others' draws
//! do not move, and a condition `After` an event that never fires is never true.

use std::path::Path;

use super::load::file_name;
use super::{from_stored, Scenario, ScenarioError};

/// How an event was taken out of its scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakenOut {
    /// `RemoveEvent`.
    Removed,
    /// `SetTiming(event, Hazard(0))`: others name it, so it stays and never fires.
    NeverFires,
}

/// `scenario` without the event named `event`: removed, or, when an outcome or another
/// event names it, never firing. The error is the removal's when both are refused.
pub fn without_event(
    scenario: &Scenario,
    event: &str,
) -> Result<(Scenario, TakenOut), ScenarioError> {
    let name = ron_string(event);
    match with_change(scenario, event, &format!("RemoveEvent({name})")) {
        Ok(s) => Ok((s, TakenOut::Removed)),
        Err(refused) => with_change(scenario, event, &format!("SetTiming({name}, Hazard(0.0))"))
            .map(|s| (s, TakenOut::NeverFires))
            .map_err(|_| refused),
    }
}

/// `scenario` through a variant of it with the one change `change`.
fn with_change(scenario: &Scenario, event: &str, change: &str) -> Result<Scenario, ScenarioError> {
    let base = file_name(&scenario.path);
    let name = format!("{} without {event}", scenario.world.name);
    let text = format!(
        "Variant(base: {}, name: {}, changes: [{change}])",
        ron_string(&base),
        ron_string(&name),
    );
    // Beside the scenario, under a name no file of its chain can have.
    let path = scenario
        .path
        .parent()
        .unwrap_or(Path::new(""))
        .join(format!("{base} without {event}"));
    let mut files = vec![(base, scenario.bytes.clone())];
    files.extend(
        scenario
            .bases
            .iter()
            .map(|b| (b.rel.clone(), b.bytes.clone())),
    );
    from_stored(&path, text.into_bytes(), files)
}

/// `text` as a RON string literal, quotes and backslashes escaped.
fn ron_string(text: &str) -> String {
    ron::to_string(text).unwrap_or_else(|_| format!("{text:?}"))
}
