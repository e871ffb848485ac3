//! How a variant's lines say what a change wrote: values, steps, timings and metrics as a
//! file writes them, and which parts of a replaced event differ.

use super::history::Write;
use crate::format::Num;
use crate::scenario::calendar;
use crate::scenario::file::{Distribution, EventDef, MetricDef, ScenarioFile, Steps, Value};
use crate::scenario::spelling::quoted_name;

/// How a message says what a change did to what it wrote.
pub(super) fn verb(how: Write) -> &'static str {
    match how {
        Write::Set => "sets",
        Write::Added => "adds",
        Write::Replaced => "replaces",
        Write::Removed => "removes",
    }
}

pub(super) fn value_text(v: &Value) -> String {
    match v {
        Value::Fixed(x) => Num(*x).to_string(),
        Value::Sampled(d) => match *d {
            Distribution::Uniform(a, b) => format!("Uniform({}, {})", Num(a), Num(b)),
            Distribution::Normal(a, b) => format!("Normal({}, {})", Num(a), Num(b)),
            Distribution::Beta(a, b) => format!("Beta({}, {})", Num(a), Num(b)),
            Distribution::Triangular(a, b, c) => {
                format!("Triangular({}, {}, {})", Num(a), Num(b), Num(c))
            }
            Distribution::Guess(a, b, c) => format!("Guess({}, {}, {})", Num(a), Num(b), Num(c)),
        },
    }
}

/// A step as the file writes it: a number, or a range over steps.
pub(super) fn steps_text(steps: &Steps) -> String {
    match steps {
        Steps::Fixed(n) => n.to_string(),
        Steps::Sampled(d) => value_text(&Value::Sampled(d.clone())),
        Steps::Date(date) => format!("\"{}\"", crate::scenario::spelling::shown(date)),
    }
}

/// Which parts of an event a replacement changes, e.g. "condition and effects".
pub(super) fn event_differences(old: &EventDef, new: &EventDef) -> String {
    let parts = [
        ("description", old.description != new.description),
        ("actor", old.actor != new.actor),
        (
            "timing",
            (&old.at, &old.every, &old.hazard) != (&new.at, &new.every, &new.hazard),
        ),
        ("window", old.window != new.window),
        ("condition", old.when != new.when),
        ("repeat", old.repeat != new.repeat),
        ("effects", old.effects != new.effects),
        ("choice group", old.choice != new.choice),
        ("hazard cases", old.cases != new.cases),
        ("directions", old.one_of != new.one_of),
    ];
    let changed: Vec<&str> = parts.iter().filter(|p| p.1).map(|p| p.0).collect();
    match changed.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => "nothing".into(),
    }
}

/// When `def` fires, as `file` (whose calendar reads a date) would say it.
pub(super) fn timing_text(def: &EventDef, file: &ScenarioFile) -> String {
    match (&def.at, &def.every, &def.hazard) {
        (Some(n), _, _) => at_text(n, file),
        (_, Some(Steps::Fixed(1)), _) => "every step".into(),
        (_, Some(n), _) => format!("every {} steps", steps_text(n)),
        (_, _, Some(v)) => format!("with a hazard of {} per step", value_text(v)),
        _ => "never (no timing)".into(),
    }
}

/// An `at` as written: a date is a date, not a step ("at step \"2020Q1\"" read as a step
/// the analyst never wrote), with the step it names when the file's calendar reads it.
fn at_text(at: &Steps, file: &ScenarioFile) -> String {
    let Steps::Date(date) = at else {
        return format!("at step {}", steps_text(at));
    };
    match date_step(date, file) {
        Some(step) => format!("at {} (step {step})", steps_text(at)),
        None => format!("at {}", steps_text(at)),
    }
}

/// The step `date` names in `file`, if it has a calendar and the date falls in its steps
/// (a date it cannot read is the loader's problem, reported there).
fn date_step(date: &str, file: &ScenarioFile) -> Option<i64> {
    let c = calendar::calendar(&file.step, file.start.as_deref()?).ok()?;
    calendar::step_of(Some(&c), &file.step, date, file.steps).ok()
}

/// A metric as written in a file, e.g. `Partnership("Pakistan", "Russia")`, each name
/// quoted as a message shows it (escaped, cut): the names are the user's, and a change
/// may name a state no file has.
pub fn metric_text(m: &MetricDef) -> String {
    let q = |name: &str| quoted_name(name);
    match m {
        MetricDef::Stance(a, b) => format!("Stance({}, {})", q(a), q(b)),
        MetricDef::Partnership(a, b) => format!("Partnership({}, {})", q(a), q(b)),
        MetricDef::Share(a, b, c) => format!("Share({}, {}, {})", q(a), q(b), q(c)),
        MetricDef::Dependence(a, b) => format!("Dependence({}, {})", q(a), q(b)),
        MetricDef::SameBloc(a, b) => format!("SameBloc({}, {})", q(a), q(b)),
        MetricDef::Average(m, k) => format!("Average({}, {k})", metric_text(m)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: a state name with a control character, or a long one, reached a
    /// message raw through a metric.
    #[test]
    fn metric_text_escapes_and_cuts_state_names() {
        let long = "R".repeat(3000);
        let m = MetricDef::Average(
            Box::new(MetricDef::Share(
                "In\u{1b}[31mdia".into(),
                long,
                "aid".into(),
            )),
            4,
        );
        let text = metric_text(&m);
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.contains("In\\u{1b}[31mdia"), "{text}");
        assert!(text.contains("(3,000 bytes)") && text.len() < 200, "{text}");
        let plain = MetricDef::Stance("India".into(), "Russia".into());
        assert_eq!(metric_text(&plain), "Stance(\"India\", \"Russia\")");
    }
}
