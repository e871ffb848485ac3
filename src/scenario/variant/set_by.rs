//! The numbers a sweep or a sensitivity names by path (`number_path`: `stance.A.B`,
//! `share.<channel>.A.B`, `event.<name>.effect.<N>`...) that `SetParam` does not set: each
//! has a change of its own in a variant. A `SetParam` of one is told which, written with the
//! names and the value it gave, rather than "unknown parameter path" for a path the analyst
//! has seen work elsewhere. A change suggested is one that loads when pasted: a value the
//! change would refuse is named with its rule and the nearest value that keeps it
//! (`loadable`).

use super::loadable::{loadable, lowest, Kind};
use super::words::value_text;
use crate::scenario::file::{EventDef, ScenarioFile, Steps, Value};
use crate::scenario::spelling::{quoted_name, shown};

/// The names a path is read against: the file's states, channels and events; and the
/// file's steps and events as the changes so far left them, which bound a suggested timing.
pub(super) struct Known<'a> {
    pub states: &'a [&'a str],
    pub channels: &'a [&'a str],
    pub events: Vec<&'a str>,
    pub steps: i64,
    pub file: Option<&'a ScenarioFile>,
    /// The ties the variant's later changes set (from, to, channel, share): they replace
    /// the file's when the suggested change is pasted in this one's place.
    pub later_ties: Vec<(&'a str, &'a str, &'a str, &'a Value)>,
}

impl Known<'_> {
    /// The lowest values of the shares `a` draws in `channel` from others than `b`, added:
    /// the loader holds a state's lowest shares in a channel to 1 in all. Each as the
    /// variant leaves it: a later `SetTie` of it replaces the file's (hostile pass: 0.45
    /// was suggested beside a later `SetTie` of another share to 0.6, and refused, the row
    /// at 1.15).
    fn other_shares(&self, a: &str, b: &str, channel: &str) -> f64 {
        let Some(file) = self.file else { return 0.0 };
        let later = |to: &str| {
            (self.later_ties.iter())
                .find(|(f, t, c, _)| *f == a && *t == to && *c == channel)
                .map(|&(.., share)| share)
        };
        let listed = (file.ties.iter())
            .filter(|t| t.from == a && t.to != b && t.channel == channel)
            .map(|t| lowest(later(&t.to).unwrap_or(&t.share), 0.0));
        let added = (self.later_ties.iter())
            .filter(|(f, t, c, _)| *f == a && *t != b && *c == channel)
            .filter(|(_, t, ..)| {
                !file
                    .ties
                    .iter()
                    .any(|x| x.from == a && x.to == *t && x.channel == channel)
            })
            .map(|&(.., share)| lowest(share, 0.0));
        listed.chain(added).sum()
    }

    /// The value the file lists for a number: a suggested change to it changes nothing.
    fn listed(&self, head: &str, a: &str, b: &str, channel: &str) -> Option<String> {
        let file = self.file?;
        let pair = |list: &[(String, String, Value)]| {
            (list.iter())
                .find(|(x, y, _)| x == a && y == b)
                .map(|(.., v)| value_text(v))
        };
        match head {
            "stance" => pair(&file.stances),
            "affinity" => pair(&file.affinities),
            "weight" => (file.states.iter())
                .find(|s| s.name == a)
                .map(|s| value_text(&s.weight)),
            "share" => (file.ties.iter())
                .find(|t| t.from == a && t.to == b && t.channel == channel)
                .map(|t| value_text(&t.share)),
            _ => None,
        }
    }
}

/// Why `SetParam(path, value)` is refused when `path` names a number another change sets,
/// and that change written out; `None` for any other path.
pub(super) fn set_by(path: &str, value: &Value, known: &Known) -> Option<String> {
    let (head, rest) = path.split_once('.')?;
    // The change around its value (`{}` where the value goes) and the value's kind.
    let (what, change, kind, now) = match head {
        "stance" | "affinity" => {
            let (a, b) = split_at_name(rest, known.states)?;
            let (what, change, kind) = match head {
                "stance" => ("a stance", "SetStance", Kind::Stance),
                _ => ("an affinity", "SetAffinity", Kind::Affinity),
            };
            let now = known.listed(head, a, b, "");
            let change = format!("{change}({}, {}, {{}})", q(a), q(b));
            (what.to_string(), change, kind, now)
        }
        "weight" => (
            "a weight".into(),
            format!("SetWeight({}, {{}})", q(rest)),
            Kind::Weight,
            known.listed(head, rest, "", ""),
        ),
        "share" => {
            let (channel, rest) = split_at_name(rest, known.channels)?;
            let (a, b) = split_at_name(rest, known.states)?;
            let change = format!("SetTie({}, {}, {}, {{}})", q(a), q(b), q(channel));
            let now = known.listed(head, a, b, channel);
            let others = known.other_shares(a, b, channel);
            let kind = Kind::Share { others };
            let later =
                (known.later_ties.iter()).any(|(f, t, c, _)| *f == a && *t != b && *c == channel);
            let leave = if later {
                ", as this variant's changes leave them"
            } else {
                ""
            };
            // Where the others narrow what fits, the message says whose they are.
            let what = match loadable(value, kind) {
                Err(_) if others > 0.0 => format!(
                    "a share (beside {}'s other shares in channel {}{leave}, whose lowest \
                     values add up to {})",
                    shown(a),
                    q(channel),
                    crate::format::Num(others)
                ),
                _ => "a share".into(),
            };
            (what, change, kind, now)
        }
        "event" => return event_number(rest, value, known),
        _ => return None,
    };
    Some(format!(
        "{} is {what}, which SetParam does not set: {}",
        quoted_name(path),
        write(&change, value, kind, now)
    ))
}

/// "write CHANGE" with `value` in the change's `{}`, if it loads; else the rule and the
/// nearest value that does, unless that is `now`, what the file already has (a change
/// that changes nothing is refused too).
fn write(change: &str, value: &Value, kind: Kind, now: Option<String>) -> String {
    let with = |x: &str| change.replacen("{}", x, 1);
    match loadable(value, kind) {
        Ok(x) if Some(&x) == now.as_ref() => {
            format!("it is {x} already, so there is nothing to write")
        }
        Ok(x) => format!("write {}", with(&x)),
        Err(near) => {
            let shown = with("x");
            let rule = near.rule;
            let given = value_text(value);
            match near.value {
                Some(x) if Some(&x) == now.as_ref() => format!(
                    "write {shown} with x {rule} ({given} is not; the nearest, {x}, it is \
                     already)"
                ),
                Some(x) => format!(
                    "write {shown} with x {rule} ({given} is not), e.g. {}",
                    with(&x)
                ),
                None => format!("write {shown} with x {rule} ({given} is not)"),
            }
        }
    }
}

/// The timing an event has now, as a suggested `SetTiming` would write it: `At(3)`.
fn timing_now(def: Option<&EventDef>) -> Option<String> {
    let def = def?;
    let steps = |s: &Steps| super::words::steps_text(s);
    match (&def.at, &def.every, &def.hazard) {
        (Some(at), _, _) => Some(format!("At({})", steps(at))),
        (_, Some(every), _) => Some(format!("Every({})", steps(every))),
        (_, _, Some(h)) => Some(format!("Hazard({})", value_text(h))),
        _ => None,
    }
}

/// An event's scheduled step, window bound or effect's number: `SetTiming` for the first,
/// the event restated whole (`ReplaceEvent`) for the rest.
fn event_number(rest: &str, value: &Value, known: &Known) -> Option<String> {
    let (event, field) = split_at_name(rest, &known.events)?;
    let timing = match field {
        "at" => Some(("At", Kind::Step(known.steps))),
        "every" => Some(("Every", Kind::Period(known.steps))),
        _ => None,
    };
    if let Some((word, kind)) = timing {
        let def = known
            .file
            .and_then(|f| f.events.iter().find(|d| d.name == event));
        let change = format!("SetTiming({}, {word}({{}}))", q(event));
        let now = timing_now(def);
        let now = now.and_then(|t| t.strip_prefix(&format!("{word}(")).map(str::to_string));
        let now = now.and_then(|t| t.strip_suffix(')').map(str::to_string));
        return Some(format!(
            "{} is event {}'s `{field}`, which SetParam does not set: {}",
            quoted_name(&format!("event.{rest}")),
            q(event),
            write(&change, value, kind, now)
        ));
    }
    let inside = ["window.", "effect.", "one_of."];
    if !inside.iter().any(|p| field.starts_with(p)) {
        return None;
    }
    // No change to paste here: the event is the analyst's to restate whole.
    Some(format!(
        "{} is a number inside event {} (its `{}`), which SetParam does not set: restate \
         the event whole with a ReplaceEvent, {} in place of the old number",
        quoted_name(&format!("event.{rest}")),
        q(event),
        shown(field),
        value_text(value)
    ))
}

/// Why `SetParam("event.<name>.hazard", x)` is refused when the event is scheduled (`at`
/// or `every`): it has no hazard to set. The analyst is told when it fires and the change
/// that makes it drawn by a hazard of `x`, or one that moves its schedule instead (a step
/// beside its own: the analyst gave a hazard, not a step).
pub(super) fn scheduled_hazard(event: &EventDef, fires: &str, value: &Value, steps: i64) -> String {
    let name = q(&event.name);
    let hazard = write(
        &format!("SetTiming({name}, Hazard({{}}))"),
        value,
        Kind::Hazard,
        None,
    );
    let (field, word) = match event.every {
        Some(_) => ("every", "Every"),
        None => ("at", "At"),
    };
    let now = event.every.as_ref().or(event.at.as_ref());
    // A whole step other than the one it has, within the file's steps for an `at`.
    let other = match now {
        Some(Steps::Fixed(n)) if field == "every" || *n < steps => Some(n.saturating_add(1)),
        Some(Steps::Fixed(n)) if *n > 1 => Some(n - 1),
        Some(Steps::Fixed(_)) => None,
        _ => Some(1),
    };
    let moved = match other {
        Some(n) => format!(", or move its `{field}` instead, e.g. SetTiming({name}, {word}({n}))"),
        None => String::new(),
    };
    format!(
        "{} names no parameter: event {name} is scheduled ({fires}), not drawn by a hazard; \
         to have it drawn by a hazard, {hazard}{moved}",
        quoted_name(&format!("event.{}.hazard", event.name)),
    )
}

/// A name quoted as the change would write it, escaped and cut as a message shows it.
fn q(name: &str) -> String {
    quoted_name(name)
}

/// `<name>.<rest>` with `<name>` one of `names` (a name may hold a dot), else split at the
/// first dot.
fn split_at_name<'p>(path: &'p str, names: &[&str]) -> Option<(&'p str, &'p str)> {
    let named = names.iter().find_map(|n| {
        let rest = path.strip_prefix(n)?.strip_prefix('.')?;
        Some((&path[..n.len()], rest))
    });
    named.or_else(|| path.split_once('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known<'static> {
        Known {
            states: &["Turkey", "USA"],
            channels: &["arms"],
            events: vec!["x"],
            steps: 12,
            file: None,
            later_ties: Vec::new(),
        }
    }

    #[test]
    fn each_number_path_names_its_change() {
        let k = known();
        let said = |p: &str| set_by(p, &Value::Fixed(0.5), &k).unwrap();
        assert!(said("stance.Turkey.USA").contains("SetStance(\"Turkey\", \"USA\", 0.5)"));
        assert!(said("affinity.USA.Turkey").contains("SetAffinity(\"USA\", \"Turkey\", 0.5)"));
        assert!(said("weight.USA").contains("SetWeight(\"USA\", 0.5)"));
        assert!(
            said("share.arms.Turkey.USA").contains("SetTie(\"Turkey\", \"USA\", \"arms\", 0.5)")
        );
        assert!(said("event.x.at").contains("SetTiming(\"x\", At(x)) with x a whole step"));
        assert!(said("event.x.at").ends_with("(0.5 is not), e.g. SetTiming(\"x\", At(1))"));
        assert!(said("event.x.effect.1").contains("with a ReplaceEvent, 0.5 in place"));
        assert!(said("event.x.window.first").contains("(its `window.first`)"));
        assert_eq!(set_by("lamda", &Value::Fixed(0.5), &k), None);
        assert_eq!(set_by("event.x.nothing", &Value::Fixed(0.5), &k), None);
    }

    #[test]
    fn a_name_in_the_path_is_escaped_and_cut() {
        let long = format!("stance.Turkey.\u{1b}{}", "U".repeat(500));
        let said = set_by(&long, &Value::Fixed(0.5), &known()).unwrap();
        assert!(!said.contains('\u{1b}'), "{said}");
        assert!(said.len() < 400, "{said}");
    }
}
