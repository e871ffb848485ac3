//! The `date` column a CSV file gains beside its `step` column when the scenario gives a
//! `start` (`model::calendar`); without one, the header is as it always was.

use crate::model::calendar::Calendar;

/// `header` with `date` after `step` when there is a calendar.
pub fn dated<'h>(header: &[&'h str], calendar: Option<Calendar>) -> Vec<&'h str> {
    let mut out = header.to_vec();
    if calendar.is_some() {
        if let Some(at) = out.iter().position(|&h| h == "step") {
            out.insert(at + 1, "date");
        }
    }
    out
}
