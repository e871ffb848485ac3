//! The file's calendar (`start`) and the dates written for steps: the hook where a date
//! becomes a step (`ranges::step_of`). The dates themselves are read in
//! `scenario::calendar`.

use super::Compiler;
use crate::model::calendar::Calendar;
use crate::scenario::calendar;
use crate::scenario::file::ScenarioFile;
use crate::scenario::locate::Position;

impl Compiler<'_> {
    /// The calendar of a file with a `start`; a problem at `start` if it cannot be one.
    pub(super) fn calendar(&mut self, f: &ScenarioFile) -> Option<Calendar> {
        let start = f.start.as_deref()?;
        let steps = (1..=crate::scenario::limits::MAX_STEPS).contains(&f.steps);
        let written = |c: Calendar| match calendar::within_written_years(&c, f.steps) {
            Ok(()) => Ok(c),
            Err(why) if steps => Err(format!("`start`: {why}, or take fewer `steps`")),
            // A step count refused for itself is reported there.
            Err(_) => Ok(c),
        };
        match calendar::calendar(&f.step, start).and_then(written) {
            Ok(c) => Some(c),
            Err(why) => {
                let at = self.top_field("start");
                self.problem(at, why);
                None
            }
        }
    }

    /// The step a date written at `path` (`event.<name>.at`, `event.<name>.window.first`)
    /// names. A date that names no step is a problem here, and the step returned is one
    /// the event's own checks accept (the first, or the last for a window's end), so the
    /// date is reported once.
    pub(super) fn dated(
        &mut self,
        at: Option<Position>,
        path: &str,
        text: &str,
        steps: i64,
    ) -> i64 {
        let (event, field) = event_field(path);
        if field == "every" {
            let message = format!(
                "event {event}: `every` is a number of steps between firings, not a date: \
                 write how many steps ({}) apart",
                crate::scenario::spelling::shown(self.step_unit)
            );
            self.problem(at, message);
            return 1;
        }
        match self.date_step(path, text, steps) {
            Ok(step) => step,
            Err((why, fallback)) => {
                let message = if self.start_written && self.calendar.is_none() {
                    // `start` itself is wrong, and reported: every date would say so again.
                    return fallback;
                } else {
                    format!("event {event}: `{field}`: {why}")
                };
                self.problem(at, message);
                fallback
            }
        }
    }

    /// [`Self::dated`] without reporting: the step, or why there is none and the step to
    /// use instead.
    pub(super) fn date_step(
        &self,
        path: &str,
        text: &str,
        steps: i64,
    ) -> Result<i64, (String, i64)> {
        let fallback = if path.ends_with(".last") {
            steps.max(1)
        } else {
            1
        };
        calendar::step_of(self.calendar.as_ref(), self.step_unit, text, steps)
            .map_err(|why| (why, fallback))
    }
}

/// The event (quoted) and field a step's path names: `event.x.window.first` is `"x"`'s
/// `window`.
fn event_field(path: &str) -> (String, &str) {
    let inner = path.strip_prefix("event.").unwrap_or(path);
    for field in ["window.first", "window.last", "at", "every"] {
        if let Some(event) = inner.strip_suffix(field).and_then(|e| e.strip_suffix('.')) {
            let shown = field.split('.').next().unwrap_or(field);
            return (crate::scenario::spelling::quoted_name(event), shown);
        }
    }
    (crate::scenario::spelling::quoted_name(inner), "at")
}
