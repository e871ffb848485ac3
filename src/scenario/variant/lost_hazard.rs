//! A hazard a variant's `SetTiming` took away, named where a path to it is refused.
//!
//! `SetTiming("deal", Every(4))` gives event "deal" a schedule in place of its hazard, so
//! `event.deal.hazard` names nothing after it, and an event that still sets that path
//! (`Param("event.deal.hazard", Set(0.5))`) is refused as "unknown parameter path": true,
//! but it read as a misspelt path, with a "did you mean" towards another event's hazard,
//! when the path was right until the variant changed the timing. The message now says which
//! change removed the hazard and what to do.

use super::words::steps_text;
use super::{anchors, ChangeDef, TimingDef, VariantFile};
use crate::scenario::file::ScenarioFile;
use crate::scenario::locate::Locator;
use crate::scenario::problems::Problem;
use crate::scenario::spelling::quoted_name;

/// Rewrites each of `problems` that refuses the path to a hazard one of `v`'s changes took
/// away: the message keeps its first words and says why, with the change and a way out.
pub fn explain(before: &ScenarioFile, v: &VariantFile, text: &str, problems: &mut [Problem]) {
    let removed = removed_hazards(before, v);
    if removed.is_empty() {
        return;
    }
    let loc = Locator::new(text);
    let starts = anchors(&loc, &v.changes);
    for problem in problems.iter_mut() {
        for (k, name, timing) in &removed {
            let (k, name) = (*k, *name);
            let path = quoted_name(&format!("event.{name}.hazard"));
            let said = format!("unknown parameter path {path}");
            let Some(at) = problem.message.find(&said) else {
                continue;
            };
            // What comes after the path (a "did you mean" towards another event's hazard,
            // the list of valid paths) is replaced: the path was not misspelt.
            let head = &problem.message[..at + said.len()];
            let change = match starts[k] {
                Some(offset) => {
                    let p = loc.position(offset);
                    format!("change #{} (line {}, column {})", k + 1, p.line, p.column)
                }
                None => format!("change #{}", k + 1),
            };
            let event = quoted_name(name);
            problem.message = format!(
                "{head}: {change}, SetTiming({event}, {timing}), gives event {event} a schedule in \
                 place of its hazard, so nothing is left at that path to set; give it a hazard \
                 again (SetTiming({event}, Hazard(p))), or take the Param of {path} out of the \
                 event that sets it (ReplaceEvent, for an event of the base)"
            );
            break;
        }
    }
}

/// The changes of `v` that take an event's hazard away (`SetTiming` to `At` or `Every` of
/// an event that had a hazard, in the base or as an earlier change added or restated it),
/// with the event's name and the timing as written (`Every(4)`).
fn removed_hazards<'v>(before: &ScenarioFile, v: &'v VariantFile) -> Vec<(usize, &'v str, String)> {
    let mut removed = Vec::new();
    for (k, change) in v.changes.iter().enumerate() {
        let ChangeDef::SetTiming(name, timing) = change else {
            continue;
        };
        let timing = match timing {
            TimingDef::At(n) => format!("At({})", steps_text(n)),
            TimingDef::Every(n) => format!("Every({})", steps_text(n)),
            TimingDef::Hazard(_) => continue,
        };
        // The event as it was just before: as the last earlier change that added or
        // restated it wrote it, else as the base has it.
        let restated = v.changes[..k].iter().rev().find_map(|c| match c {
            ChangeDef::AddEvent(e) | ChangeDef::ReplaceEvent(e) if e.name == *name => Some(e),
            _ => None,
        });
        let had_hazard = match restated {
            Some(e) => e.hazard.is_some(),
            None => (before.events.iter()).any(|e| e.name == *name && e.hazard.is_some()),
        };
        if had_hazard {
            removed.push((k, name.as_str(), timing));
        }
    }
    removed
}
