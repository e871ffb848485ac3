//! An event's window against what the file writes beside it: bounds written as dates that
//! run backwards, said in those dates; an `at` that no draw puts inside the window, which
//! would never fire (refused: docs/src/reference/events.md, "A delivery whose date is a
//! range"). Bounds out of the steps and ranges that overlap are checked in `events` and
//! `ranges`.

use super::Compiler;
use crate::scenario::file::Steps;
use crate::scenario::locate::Position;
use crate::scenario::spelling::quoted_name;

/// Whether a step is written as a date (`"2019Q1"`).
pub(super) fn is_date(def: &Steps) -> bool {
    matches!(def, Steps::Date(_))
}

/// A fixed step as the file writes it: the number, or the date in quotes.
fn written(def: &Steps) -> String {
    match def {
        Steps::Fixed(x) => x.to_string(),
        Steps::Date(date) => quoted_name(date),
        Steps::Sampled(_) => "a range".into(),
    }
}

impl Compiler<'_> {
    /// A window of dates whose first is after its last, in the dates the file wrote (in
    /// steps, "first <= last" read as if the dates were numbers the user never wrote).
    pub(super) fn window_backwards(
        &mut self,
        at: Option<Position>,
        event: &str,
        (first, last): (&Steps, &Steps),
    ) {
        let (first, last) = (written(first), written(last));
        let message = format!(
            "event {}: `window: ({first}, {last})` runs backwards: {first} is after {last}; \
             write the earlier first, `window: ({last}, {first})`",
            quoted_name(event)
        );
        self.problem(at, message);
    }

    /// An `at` that no draw puts inside the event's own window: the event would never fire.
    /// One whose range reaches into the window is kept: it fires in the draws inside.
    pub(super) fn at_within_window(
        &mut self,
        anchor: Option<usize>,
        event: &str,
        at: &Steps,
        (first, last): &(Steps, Steps),
    ) {
        let path = |field: &str| format!("event.{event}.{field}");
        let fields = [(at, "at"), (first, "window.first"), (last, "window.last")];
        // A date or a range refused for itself is reported there, once.
        if !fields
            .iter()
            .all(|(def, field)| self.readable(def, &path(field)))
        {
            return;
        }
        let steps = self.step_support(at, &path("at"));
        let from = self.step_support(first, &path("window.first"));
        let to = self.step_support(last, &path("window.last"));
        let outside_the_run = steps.0 < 1 || steps.1 > self.steps;
        if outside_the_run || (steps.1 >= from.0 && steps.0 <= to.1) {
            return;
        }
        let shown = |def: &Steps, (low, high): (i64, i64)| match def {
            Steps::Sampled(_) => format!("steps {low} to {high}"),
            _ => written(def),
        };
        let at_shown = match at {
            Steps::Sampled(_) => format!("`at` (drawn at {})", shown(at, steps)),
            _ => format!("`at: {}`", written(at)),
        };
        let message = format!(
            "event {}: {at_shown} is outside its window ({} to {}): the event would never fire; \
             move `at` into the window or widen the window",
            quoted_name(event),
            shown(first, from),
            shown(last, to)
        );
        let position = self.loc.field_after(anchor, "at");
        self.problem(position, message);
    }

    /// Whether a step of the file was read as written: a date that names a step, a range
    /// whose slot was kept.
    fn readable(&self, def: &Steps, path: &str) -> bool {
        match def {
            Steps::Fixed(_) => true,
            Steps::Date(date) => self.date_step(path, date, self.steps).is_ok(),
            Steps::Sampled(_) => self.drawn.iter().any(|s| s.path == path),
        }
    }
}
