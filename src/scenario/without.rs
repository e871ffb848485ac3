//! A scenario with one listed event removed, built in memory exactly as the variant file
//! `Variant(base: "<the file>", name: …, changes: [RemoveEvent("<event>")])` beside it
//! would be (`simulate explain` pairs a scenario with each of these, on common random
//! numbers, as `simulate compare` pairs it with that file).

use std::path::Path;

use super::{file_name, from_stored, Scenario, ScenarioError};

/// `scenario` without the event named `event`; refused as the variant would be (an
/// outcome or another event that names it).
pub fn without_event(scenario: &Scenario, event: &str) -> Result<Scenario, ScenarioError> {
    let base = file_name(&scenario.path);
    let name = format!("{} without {event}", scenario.world.name);
    let text = format!(
        "Variant(base: {}, name: {}, changes: [RemoveEvent({})])",
        ron_string(&base),
        ron_string(&name),
        ron_string(event)
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
