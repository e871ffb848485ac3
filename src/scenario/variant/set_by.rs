//! The numbers a sweep or a sensitivity names by path (`number_path`: `stance.A.B`,
//! `share.<channel>.A.B`, `event.<name>.effect.<N>`...) that `SetParam` does not set: each
//! has a change of its own in a variant. A `SetParam` of one is told which, written with the
//! names and the value it gave, rather than "unknown parameter path" for a path the analyst
//! has seen work elsewhere.

use super::words::value_text;
use crate::scenario::file::{EventDef, Value};
use crate::scenario::spelling::{quoted_name, shown};

/// The names a path is read against: the file's states, channels and events.
pub(super) struct Known<'a> {
    pub states: &'a [&'a str],
    pub channels: &'a [&'a str],
    pub events: Vec<&'a str>,
}

/// Why `SetParam(path, value)` is refused when `path` names a number another change sets,
/// and that change written out; `None` for any other path.
pub(super) fn set_by(path: &str, value: &Value, known: &Known) -> Option<String> {
    let (head, rest) = path.split_once('.')?;
    let x = value_text(value);
    let (what, change) = match head {
        "stance" | "affinity" => {
            let (a, b) = pair(rest, known.states)?;
            let (what, change) = match head {
                "stance" => ("a stance", "SetStance"),
                _ => ("an affinity", "SetAffinity"),
            };
            (what.to_string(), format!("{change}({a}, {b}, {x})"))
        }
        "weight" => ("a weight".into(), format!("SetWeight({}, {x})", q(rest))),
        "share" => {
            let (channel, rest) = split_at_name(rest, known.channels)?;
            let (a, b) = pair(rest, known.states)?;
            let change = format!("SetTie({a}, {b}, {}, {x})", q(channel));
            ("a share".into(), change)
        }
        "event" => return event_number(rest, &x, known),
        _ => return None,
    };
    Some(format!(
        "{} is {what}, which SetParam does not set: write {change}",
        quoted_name(path)
    ))
}

/// An event's scheduled step, window bound or effect's number: `SetTiming` for the first,
/// the event restated whole (`ReplaceEvent`) for the rest.
fn event_number(rest: &str, x: &str, known: &Known) -> Option<String> {
    let (event, field) = split_at_name(rest, &known.events)?;
    let timing = match field {
        "at" => Some("At"),
        "every" => Some("Every"),
        _ => None,
    };
    if let Some(kind) = timing {
        return Some(format!(
            "{} is event {}'s `{field}`, which SetParam does not set: write \
             SetTiming({}, {kind}({x}))",
            quoted_name(&format!("event.{rest}")),
            q(event),
            q(event)
        ));
    }
    let inside = ["window.", "effect.", "one_of."];
    if !inside.iter().any(|p| field.starts_with(p)) {
        return None;
    }
    Some(format!(
        "{} is a number inside event {} (its `{}`), which SetParam does not set: restate \
         the event with ReplaceEvent(Event(name: {}, …)), {x} in place of the old number",
        quoted_name(&format!("event.{rest}")),
        q(event),
        shown(field),
        q(event)
    ))
}

/// Why `SetParam("event.<name>.hazard", x)` is refused when the event is scheduled (`at`
/// or `every`): it has no hazard to set. The analyst is told when it fires and the change
/// that sets that instead, or that makes it drawn by a hazard of `x`.
pub(super) fn scheduled_hazard(event: &EventDef, fires: &str, value: &Value) -> String {
    let name = q(&event.name);
    let (field, kind, what) = match event.every {
        Some(_) => ("every", "Every", "<steps>"),
        None => ("at", "At", "<step>"),
    };
    format!(
        "{} names no parameter: event {name} is scheduled ({fires}), not drawn by a hazard; \
         set its `{field}` instead with SetTiming({name}, {kind}({what})), or have it drawn \
         by a hazard with SetTiming({name}, Hazard({}))",
        quoted_name(&format!("event.{}.hazard", event.name)),
        value_text(value)
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

/// `<from>.<to>` as the two quoted names of a change.
fn pair(rest: &str, states: &[&str]) -> Option<(String, String)> {
    let (a, b) = split_at_name(rest, states)?;
    Some((q(a), q(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known<'static> {
        Known {
            states: &["Turkey", "USA"],
            channels: &["arms"],
            events: vec!["x"],
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
        assert!(said("event.x.at").contains("SetTiming(\"x\", At(0.5))"));
        assert!(said("event.x.effect.1").contains("ReplaceEvent(Event(name: \"x\", …)), 0.5"));
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
