//! Dates as a scenario file writes them: `start: "2018Q3"` with `step: "quarter"`
//! (`"2018-07"` with months, `"2018"` with years), and a date wherever a step is expected
//! (`at`, a window's bounds). Each message says what would be valid; `compile::calendar`
//! places it.

use super::spelling::{quoted_name, shown};
use crate::model::calendar::{Calendar, Period};

/// A date as written, before it is compared with the file's steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    /// A period of a calendar: its kind and index from year 0 (`Period::written`).
    In(Period, i64),
    /// A day (`2016-07-15`): never a step's date, but an analyst's first try.
    Day(i64, i64),
}

/// Reads `2018`, `2018Q3` (or `2018-Q3`, `2018q3`), `2018-07` and `2018-07-15`.
fn read(text: &str) -> Option<Written> {
    let text = text.trim();
    let year = |y: &str| -> Option<i64> {
        (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit())).then(|| y.parse().ok())?
    };
    let number = |n: &str, most: i64| -> Option<i64> {
        let ok = !n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit());
        let n: i64 = if ok { n.parse().ok()? } else { return None };
        (1..=most).contains(&n).then_some(n)
    };
    if let Some(at) = text.find(['Q', 'q']) {
        let (y, q) = (&text[..at], &text[at + 1..]);
        let y = y.strip_suffix('-').unwrap_or(y);
        return Some(Written::In(
            Period::Quarter,
            year(y)? * 4 + number(q, 4)? - 1,
        ));
    }
    let parts: Vec<&str> = text.split('-').collect();
    match parts[..] {
        [y] => Some(Written::In(Period::Year, year(y)?)),
        [y, m] => Some(Written::In(
            Period::Month,
            year(y)? * 12 + number(m, 12)? - 1,
        )),
        [y, m, d] => {
            number(d, 31)?;
            Some(Written::Day(year(y)?, number(m, 12)?))
        }
        _ => None,
    }
}

/// The period a `step` unit counts in, if it has written dates.
pub fn period_of(step: &str) -> Option<Period> {
    let unit = step.trim().to_lowercase();
    match unit.strip_suffix('s').unwrap_or(&unit) {
        "year" => Some(Period::Year),
        "quarter" => Some(Period::Quarter),
        "month" => Some(Period::Month),
        _ => None,
    }
}

/// How a date of `period` is written, with an example.
fn form(period: Period) -> &'static str {
    match period {
        Period::Year => "a year, e.g. \"2018\"",
        Period::Quarter => "a quarter, e.g. \"2018Q3\"",
        Period::Month => "a month, e.g. \"2018-07\"",
    }
}

fn singular(period: Period) -> &'static str {
    match period {
        Period::Year => "year",
        Period::Quarter => "quarter",
        Period::Month => "month",
    }
}

fn plural(period: Period) -> &'static str {
    match period {
        Period::Year => "years",
        Period::Quarter => "quarters",
        Period::Month => "months",
    }
}

/// The period of `period` that `written` falls in (a year's first), to suggest.
fn falls_in(written: Written, period: Period) -> i64 {
    let month = match written {
        Written::In(Period::Year, y) => y * 12,
        Written::In(Period::Quarter, q) => q * 3,
        Written::In(Period::Month, m) => m,
        Written::Day(y, m) => y * 12 + m - 1,
    };
    month.div_euclid(12 / period.per_year())
}

/// The period index `text` names in a file counting `period`s, or why it names none.
fn index_in(text: &str, period: Period) -> Result<i64, String> {
    let Some(written) = read(text) else {
        return Err(format!(
            "{} is not a date: write {}",
            quoted_name(text),
            form(period)
        ));
    };
    match written {
        Written::In(p, index) if p == period => Ok(index),
        _ => Err(format!(
            "{} is not a step boundary: steps are {}; write {} (the {} it falls in)",
            quoted_name(text),
            plural(period),
            quoted_name(&period.written(falls_in(written, period))),
            singular(period)
        )),
    }
}

/// The calendar of a file whose steps are `step` and whose step 1 is `start`.
pub fn calendar(step: &str, start: &str) -> Result<Calendar, String> {
    let Some(period) = period_of(step) else {
        return Err(format!(
            "`start` needs `step: \"quarter\"`, `\"month\"` or `\"year\"` (the file says \
             `step: \"{}\"`, which has no written dates)",
            shown(step)
        ));
    };
    let first = index_in(start, period).map_err(|why| format!("`start`: {why}"))?;
    after_year_zero(period, first).map_err(|why| format!("`start`: {why}"))?;
    Ok(Calendar { period, first })
}

/// Whether step 0, the period before `first` that every output writes, has a date a file
/// reads back: a year of four digits from 0000, so no step may fall before it (a `start` of
/// "0000" would write step 0 as "-001"). The lower twin of `within_written_years`.
fn after_year_zero(period: Period, first: i64) -> Result<(), String> {
    if first >= 1 {
        return Ok(());
    }
    Err(format!(
        "{} makes step 0 (the {} before the start, which the outputs write) fall before the \
         year 0000 (a date has four digits of year, and every date the outputs write must \
         read back): start by {} or later",
        quoted_name(&period.written(first)),
        singular(period),
        quoted_name(&period.written(1))
    ))
}

/// The last year a date can be written in: `read` takes four digits of year.
const LAST_YEAR: i64 = 9999;

/// Whether every step of `steps` from `c`'s start has a date a file can read back (a year
/// of four digits): the outputs write each step's date, and a file may name it. If not,
/// which date the last step would have, and the latest start that fits.
pub fn within_written_years(c: &Calendar, steps: i64) -> Result<(), String> {
    let last = c.first + steps - 1;
    let end = (LAST_YEAR + 1) * c.period.per_year() - 1;
    if last <= end {
        return Ok(());
    }
    let latest = end - (steps - 1);
    let fix = if latest >= 0 {
        format!("start by {}", quoted_name(&c.period.written(latest)))
    } else {
        format!("no start of {steps} steps fits")
    };
    Err(format!(
        "step {steps} would be {}, past the year {LAST_YEAR} (a date has four digits of \
         year, and every date the outputs write must read back): {fix}",
        c.period.written(last)
    ))
}

/// The start an example shows: July 2018.
const SOME_START: Written = Written::In(Period::Month, 2018 * 12 + 6);

/// The step a date written in the file names, from 1 to `steps`; without a calendar, why
/// it cannot be read and how to set `start`.
pub fn step_of(
    calendar: Option<&Calendar>,
    step_unit: &str,
    text: &str,
    steps: i64,
) -> Result<i64, String> {
    let Some(c) = calendar else {
        let example = match period_of(step_unit) {
            Some(p) => format!("`start: \"{}\"`", p.written(falls_in(SOME_START, p))),
            None => "`step: \"quarter\", start: \"2018Q3\"`".to_string(),
        };
        return Err(format!(
            "{} is a date, but the file has no `start`: say which date step 1 is, e.g. \
             {example} at the top of the file (with `step: \"quarter\"`, `\"month\"` or \
             `\"year\"`), or write the step's number",
            quoted_name(text)
        ));
    };
    let step = c.step(index_in(text, c.period)?);
    if (1..=steps).contains(&step) {
        return Ok(step);
    }
    let side = if step < 1 {
        "before the start"
    } else {
        "past the end"
    };
    Err(format!(
        "{} is {side}: the steps run from {} (step 1) to {} (step {steps})",
        quoted_name(text),
        c.date(1),
        c.date(steps)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quarters_from_2016q3() -> Calendar {
        calendar("quarter", "2016Q3").unwrap()
    }

    /// A year before 1000 was written without its leading zeros (`99Q4`), which no file could
    /// read back: dates are written as they are read, with four digits of year.
    #[test]
    fn an_early_date_is_written_as_it_is_read() {
        let c = calendar("quarter", "0100Q1").unwrap();
        assert_eq!(c.date(0), "0099Q4");
        assert_eq!(c.date(1), "0100Q1");
        let back = calendar("quarter", &c.date(0)).unwrap();
        assert_eq!(back.date(1), "0099Q4");
    }

    // Defect (polish trials): a `start` of "0000" wrote step 0 as "-001", a date no file
    // reads back; now refused at `start` with the earliest start that fits.
    #[test]
    fn a_start_whose_step_0_falls_before_the_year_0000_is_refused() {
        let why = calendar("year", "0000").unwrap_err();
        assert!(why.contains("`start`"), "{why}");
        assert!(why.contains("before the year 0000"), "{why}");
        assert!(why.contains("start by \"0001\""), "{why}");
        let quarters = calendar("quarter", "0000Q1").unwrap_err();
        assert!(quarters.contains("\"0000Q2\""), "{quarters}");
        assert!(calendar("month", "0000-01").is_err());
        let earliest = calendar("quarter", "0000Q2").unwrap();
        assert_eq!(earliest.date(0), "0000Q1");
        assert_eq!(calendar("year", "0001").unwrap().date(0), "0000");
    }

    #[test]
    fn each_unit_reads_its_own_form() {
        assert_eq!(calendar("quarters", "2016-Q3"), Ok(quarters_from_2016q3()));
        let months = calendar("month", "2018-07").unwrap();
        assert_eq!(months.date(1), "2018-07");
        assert_eq!(calendar("Year", "1907").unwrap().date(3), "1909");
    }

    #[test]
    fn a_date_names_its_step_and_a_date_outside_the_run_says_what_is_valid() {
        let c = quarters_from_2016q3();
        assert_eq!(step_of(Some(&c), "quarter", "2016Q3", 40), Ok(1));
        assert_eq!(step_of(Some(&c), "quarter", "2017Q1", 40), Ok(3));
        let late = step_of(Some(&c), "quarter", "2026Q3", 40).unwrap_err();
        assert!(late.contains("past the end"), "{late}");
        assert!(
            late.contains("2016Q3 (step 1) to 2026Q2 (step 40)"),
            "{late}"
        );
        let early = step_of(Some(&c), "quarter", "2016Q2", 40).unwrap_err();
        assert!(early.contains("before the start"), "{early}");
    }

    #[test]
    fn a_day_or_another_period_is_not_a_step_boundary_and_gets_the_period_it_falls_in() {
        let c = quarters_from_2016q3();
        let day = step_of(Some(&c), "quarter", "2016-07-15", 40).unwrap_err();
        assert!(day.contains("not a step boundary"), "{day}");
        assert!(
            day.contains("write \"2016Q3\" (the quarter it falls in)"),
            "{day}"
        );
        let month = step_of(Some(&c), "quarter", "2017-05", 40).unwrap_err();
        assert!(month.contains("\"2017Q2\""), "{month}");
        let nonsense = step_of(Some(&c), "quarter", "soon", 40).unwrap_err();
        assert!(
            nonsense.contains("not a date: write a quarter"),
            "{nonsense}"
        );
    }

    #[test]
    fn start_needs_a_unit_with_dates() {
        let why = calendar("step", "2018Q3").unwrap_err();
        assert!(why.contains("`start` needs `step: \"quarter\"`"), "{why}");
        assert!(calendar("quarter", "2018Q5").is_err());
        assert!(calendar("quarter", "2018-07").is_err());
    }

    #[test]
    fn a_date_without_start_says_how_to_set_it() {
        let why = step_of(None, "quarter", "2019Q1", 40).unwrap_err();
        assert!(why.contains("the file has no `start`"), "{why}");
        assert!(why.contains("start: \"2018Q3\""), "{why}");
    }
}
