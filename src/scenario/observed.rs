//! Observations files: what happened, to score a forecast against (`simulate score`).
//!
//! A CSV file whose header names at least the columns `metric`, `step` and `value`, in any
//! order; other columns (`date`, `source`, `note` ...) may stand beside them and are not
//! read. Each row is one observation: `metric` a tracked metric's label exactly as in
//! `timeseries.csv` (`"Share(Pakistan, China, arms)"`, quoted for its commas) or an
//! outcome's name (a label that is also an outcome's name is the metric); `step` the model
//! step it belongs to; `value` the observed number, inside the metric's range, or 1 (it
//! happened) or 0 (it did not) for an outcome.
//!
//! Everything is checked here, against the compiled scenario, before any simulation: every
//! problem is reported at its file, line and column (at most `MAX_PROBLEMS`, then how many
//! more: `Problems`), as a scenario's are. A UTF-8 byte-order mark is skipped, and lines may
//! end in LF or CRLF.

use std::collections::HashMap;
use std::path::Path;

use super::csv_text::{self, Field, Record};
use super::limits::{MAX_COLUMNS, MAX_FILE_BYTES, MAX_OBSERVATIONS};
use super::problems::Problems;
use super::spelling::{invisible_character, name_list, quoted_name, suggestion};
use super::{Position, Problem, ScenarioError};
use crate::format::Num;
use crate::model::{Metric, OutcomeKind, World};

/// What an observation is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Observed {
    /// A tracked metric, by its index in `World::metrics`.
    Metric(usize),
    /// An outcome, by its index in `World::outcomes`.
    Outcome(usize),
}

/// One row of an observations file, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// The line the row starts on, to trace a score back to its row.
    pub line: usize,
    /// The metric's label or the outcome's name, as the scenario writes it.
    pub name: String,
    pub of: Observed,
    pub step: u32,
    pub value: f64,
}

/// The columns an observations file must have.
const COLUMNS: [&str; 3] = ["metric", "step", "value"];

/// Reads and checks the observations file at `path` against `world`.
pub fn load(path: &Path, world: &World) -> Result<Vec<Observation>, ScenarioError> {
    let bytes = read(path)?;
    parse(path, &bytes, world)
}

/// Checks the bytes of an observations file against `world`; `path` names it in messages.
pub fn parse(path: &Path, bytes: &[u8], world: &World) -> Result<Vec<Observation>, ScenarioError> {
    let invalid = |problems| ScenarioError::Invalid {
        path: path.to_path_buf(),
        problems,
    };
    let one = |at: Position, message: String| {
        invalid(vec![Problem {
            position: Some(at),
            message,
        }])
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let before = valid.rsplit(|&b| b == b'\n').next().unwrap_or_default();
        let column = String::from_utf8_lossy(before).chars().count() + 1;
        one(
            Position { line, column },
            "the file is not UTF-8 text (save it from the spreadsheet as \"CSV UTF-8\")".into(),
        )
    })?;
    // Spreadsheets on Windows start a UTF-8 CSV with a byte-order mark; it is not text.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = Position { line: 1, column: 1 };
    if text.trim().is_empty() {
        return Err(one(
            start,
            format!(
                "the file is empty; an observations file starts with a header line naming at \
                 least the columns {}, then one observation per line",
                COLUMNS.join(",")
            ),
        ));
    }
    if let Some(separator) = csv_text::foreign_separator(text) {
        return Err(one(separator.at, foreign_separator_message(&separator)));
    }
    // The header, every observation allowed, and one more to say there are too many.
    let bounds = csv_text::Bounds {
        fields: MAX_COLUMNS,
        records: MAX_OBSERVATIONS + 2,
    };
    let records = csv_text::records(text, bounds).map_err(|e| one(e.at, e.message))?;
    let (header, rows) = records
        .split_first()
        .expect("a text that is not blank has a record");
    let columns = header_columns(header).map_err(invalid)?;
    if rows.is_empty() {
        return Err(one(
            Position {
                line: header.line,
                column: 1,
            },
            format!(
                "the file has a header but no observations; add one per line{}",
                example_row(world)
            ),
        ));
    }
    if rows.len() > MAX_OBSERVATIONS {
        return Err(one(
            Position {
                line: rows[MAX_OBSERVATIONS].line,
                column: 1,
            },
            format!(
                "more than {MAX_OBSERVATIONS} observations; score a selection of them (each \
                 one is scored against the whole distribution of its metric)"
            ),
        ));
    }
    let mut check = Checker::new(world, header.fields.len(), columns);
    for row in rows {
        check.row(row);
    }
    check.finish().map_err(invalid)
}

/// A tracked metric's label as a message shows it, for an example: the scenario's first.
fn example_label(world: &World) -> Option<String> {
    let metric = world.metrics.first()?;
    Some(quoted_name(&world.metric_label(metric)))
}

/// An observation row of the scenario's first tracked metric, for the file with a header
/// alone: ", e.g. "Stance(A, B)",12,0"; nothing when no metric is tracked.
fn example_row(world: &World) -> String {
    let (Some(label), Some(metric)) = (example_label(world), world.metrics.first()) else {
        return String::new();
    };
    let (low, high) = metric.range();
    format!(", e.g. {label},{},{}", world.steps, Num((low + high) / 2.0))
}

/// What to do with a file separated by semicolons or tabs: save it again with commas.
fn foreign_separator_message(separator: &csv_text::ForeignSeparator) -> String {
    let decimals = if separator.decimal_commas {
        " and write numbers with a decimal point, 0.075 and not 0,075 (a spreadsheet set to \
         decimal commas saves semicolons: set its decimal separator to a point first)"
    } else {
        ""
    };
    format!(
        "this file is separated by {}; entente reads commas: save it as CSV UTF-8 \
         (comma-delimited){decimals}",
        separator.name
    )
}

/// The file's bytes, refusing one larger than a scenario may be without reading more.
pub fn read(path: &Path) -> Result<Vec<u8>, ScenarioError> {
    use std::io::Read;
    let refused = |message: String| ScenarioError::Invalid {
        path: path.to_path_buf(),
        problems: vec![Problem {
            position: None,
            message,
        }],
    };
    let unreadable = |e: std::io::Error| {
        refused(format!(
            "cannot read the observations file: {e} (check the path)"
        ))
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(unreadable)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(refused(format!(
            "the file is larger than {} MB, the most an observations file may be (is it the \
             observations file?)",
            MAX_FILE_BYTES >> 20
        )));
    }
    Ok(bytes)
}

/// The index of each of `COLUMNS` in the header, or why the header will not do.
fn header_columns(header: &Record) -> Result<[usize; 3], Vec<Problem>> {
    let names: Vec<&str> = header.fields.iter().map(|f| f.text.trim()).collect();
    let mut problems = Problems::default();
    for unnamed in unnamed_columns(header) {
        problems.push(unnamed);
    }
    let mut found = [0; 3];
    for (slot, column) in COLUMNS.iter().enumerate() {
        let mut at = names.iter().enumerate().filter(|(_, n)| *n == column);
        match (at.next(), at.next()) {
            (Some((i, _)), None) => found[slot] = i,
            (Some(_), Some((again, _))) => problems.push(Problem {
                position: Some(header.fields[again].at),
                message: format!("the header names the column `{column}` twice"),
            }),
            (None, _) => problems.push(missing_column(header, &names, column)),
        }
    }
    problems.into_result(found)
}

/// A column whose header cell is empty: which column a value belongs to could not be
/// told (and a header of millions of empty names is a file of something else).
fn unnamed_columns(header: &Record) -> impl Iterator<Item = Problem> + '_ {
    header
        .fields
        .iter()
        .filter(|f| f.text.trim().is_empty())
        .map(|f| Problem {
            position: Some(f.at),
            message: "this column of the header has no name; name it, or delete the column \
                      (and any comma after the last name)"
                .to_string(),
        })
}

/// The problem of a header without `column`: at the name closest to it, if one is.
fn missing_column(header: &Record, names: &[&str], column: &str) -> Problem {
    let start = Position {
        line: header.line,
        column: 1,
    };
    let wanted = format!(
        "the header has no `{column}` column; an observations file's first line names at \
         least the columns {}",
        COLUMNS.join(",")
    );
    let unused = names.iter().copied().filter(|n| !COLUMNS.contains(n));
    match suggestion(column, unused) {
        Some(close) => {
            let i = names.iter().position(|n| *n == close).unwrap_or(0);
            let message = match invisible_character(close) {
                // Shown as written, the name looked exactly like the column it misses.
                Some(invisible) => {
                    let seen: String = (close.chars())
                        .filter(|c| invisible_character(c.encode_utf8(&mut [0; 4])).is_none())
                        .collect();
                    format!(
                        "{wanted}: is {} meant as `{column}`? Its name holds {invisible}, an \
                         invisible character: delete it (a byte-order mark that a spreadsheet \
                         writes at the very start of a file is skipped; a second one is read \
                         as a part of the first name)",
                        quoted_name(&seen)
                    )
                }
                None => format!("{wanted}: is {} meant as `{column}`?", quoted_name(close)),
            };
            Problem {
                position: Some(header.fields[i].at),
                message,
            }
        }
        None => Problem {
            position: Some(start),
            message: format!("{wanted} (this one names: {})", name_list(names)),
        },
    }
}

/// The fields of a label split at its commas, when `fields` starts with one: from a field
/// that opens a parenthesis to the one that closes it.
fn split_label<'t>(fields: &[&'t str]) -> Option<Vec<&'t str>> {
    let first = fields.first()?;
    if !first.contains('(') || first.contains(')') {
        return None;
    }
    let end = fields.iter().position(|f| f.contains(')'))?;
    Some(fields[..=end].to_vec())
}

/// Whether two adjacent fields are one number split at its decimal comma: `0`, `075`.
fn decimal_comma(pair: &[&str]) -> bool {
    csv_text::is_decimal_comma(&pair.join(","))
}

/// A step as its text writes it, read from the digits themselves rather than through an
/// `f64`, whose rounding made "8.0000000000000001" step 8 and "1e20" or "-1.0" "not a whole
/// number" (hostile trial).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    /// A whole number from 0 up, however written: `8`, `+8`, `8.0`, `1e3`, `-0`.
    Whole(u64),
    /// A whole number below 0: `-1`, `-1.0`.
    Negative,
    /// A whole number past what a `u64` holds, of either sign.
    TooLarge,
    /// A number with a fraction: `8.5`, `8.000000000000001`.
    Fraction,
    /// Not a decimal number: a date, `0x8`, `inf`, `NaN`, an empty cell.
    NotNumber,
}

/// Whether `s` starts with a minus, and `s` without its sign.
fn signed(s: &str) -> (bool, &str) {
    match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    }
}

/// Reads `text` as a decimal number (`[+-]digits[.digits][e[+-]digits]`) and says which
/// whole number it is, if it is one.
fn whole_number(text: &str) -> Written {
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let (negative, body) = signed(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if (int.is_empty() && frac.is_empty()) || !digits_only(int) || !digits_only(frac) {
        return Written::NotNumber;
    }
    // An exponent past 10^15 puts any nonzero digit past every step, or below 1, alike.
    const FAR: i64 = 1_000_000_000_000_000;
    let exponent = match exponent.map(signed) {
        None => 0,
        Some((_, e)) if e.is_empty() || !digits_only(e) => return Written::NotNumber,
        Some((minus, e)) => {
            let e = e.parse::<i64>().map_or(FAR, |e| e.min(FAR));
            if minus {
                -e
            } else {
                e
            }
        }
    };
    let all: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    let (Some(first), Some(last)) = (
        all.iter().position(|&b| b != b'0'),
        all.iter().rposition(|&b| b != b'0'),
    ) else {
        return Written::Whole(0);
    };
    // The digits before the decimal point, once the exponent has moved it.
    let point = int.len() as i64 + exponent;
    if last as i64 >= point {
        return Written::Fraction;
    }
    // 20 digits or more are past a u64 (its largest has 20, checked below).
    let magnitude = point - first as i64;
    if magnitude > 20 {
        return Written::TooLarge;
    }
    let mut value: u64 = 0;
    for i in first as i64..point {
        let digit = all.get(i as usize).map_or(0, |b| u64::from(b - b'0'));
        match value.checked_mul(10).and_then(|v| v.checked_add(digit)) {
            Some(v) => value = v,
            None => return Written::TooLarge,
        }
    }
    if negative {
        Written::Negative
    } else {
        Written::Whole(value)
    }
}

/// What a value that is not a number should be: a fraction for a percentage, 0 or 1 for
/// an outcome, else a number with a decimal point.
fn not_a_number_hint(text: &str, of: Option<Observed>) -> String {
    let percent = text
        .strip_suffix('%')
        .and_then(|t| t.trim().parse::<f64>().ok());
    match (percent.filter(|p| p.is_finite()), of) {
        (Some(p), _) => format!("shares are fractions: {}% is {}", Num(p), Num(p / 100.0)),
        (None, Some(Observed::Outcome(_))) => {
            "an outcome's value is 0 or 1 (not yes/no/TRUE): 1 if it happened, 0 if not".into()
        }
        (None, _) => "write it with a decimal point, e.g. 0.25".into(),
    }
}

/// Checks rows one by one, keeping what passes and its problems (capped by `Problems`).
struct Checker<'w> {
    world: &'w World,
    width: usize,
    columns: [usize; 3],
    /// Every metric label and outcome name (a label wins over an outcome's name).
    names: HashMap<String, Observed>,
    labels: Vec<String>,
    /// Where each (metric or outcome, step) was first observed.
    seen: HashMap<(Observed, u32), usize>,
    observations: Vec<Observation>,
    problems: Problems,
}

impl<'w> Checker<'w> {
    fn new(world: &'w World, width: usize, columns: [usize; 3]) -> Self {
        let labels: Vec<String> = world
            .metrics
            .iter()
            .map(|m| world.metric_label(m))
            .collect();
        let outcomes = world.outcomes.iter().enumerate();
        let outcomes = outcomes.map(|(o, outcome)| (outcome.name.clone(), Observed::Outcome(o)));
        let metrics = labels.iter().enumerate();
        let metrics = metrics.map(|(m, label)| (label.clone(), Observed::Metric(m)));
        let names = outcomes.chain(metrics).collect();
        Checker {
            world,
            width,
            columns,
            names,
            labels,
            seen: HashMap::new(),
            observations: Vec::new(),
            problems: Problems::default(),
        }
    }

    fn problem(&mut self, at: Position, message: String) {
        self.problems.push(Problem {
            position: Some(at),
            message,
        });
    }

    fn row(&mut self, row: &Record) {
        if row.fields.len() != self.width {
            let message = format!(
                "this row has {} fields where the header has {}{}",
                row.fields.len(),
                self.width,
                self.why_wide(row)
            );
            self.problem(row.fields[0].at, message);
            return;
        }
        let [metric, step, value] = self.columns.map(|c| &row.fields[c]);
        let of = self.observed(metric);
        let step_number = self.step(step, of);
        let value_number = self.value(value, of);
        let (Some(of), Some(step_number), Some(value_number)) = (of, step_number, value_number)
        else {
            return;
        };
        if let Some(&line) = self.seen.get(&(of, step_number)) {
            let message = format!(
                "{} at step {step_number} is already observed on line {line}; keep one \
                 observation of each metric or outcome at each step",
                quoted_name(metric.text.trim())
            );
            self.problem(metric.at, message);
            return;
        }
        self.seen.insert((of, step_number), row.line);
        self.observations.push(Observation {
            line: row.line,
            name: self.name_of(of),
            of,
            step: step_number,
            value: value_number,
        });
    }

    /// Why a row has more fields than the header, read from the row itself: a label split at
    /// its commas (rejoined into the label meant), a number with a decimal comma, or both.
    fn why_wide(&self, row: &Record) -> String {
        if row.fields.len() < self.width {
            return String::new();
        }
        let texts: Vec<&str> = row.fields.iter().map(|f| f.text.trim()).collect();
        // Not the header's `metric` column: a split before the label moves it right.
        let opens = |f: &&str| f.contains('(') && !f.contains(')');
        let metric = texts.iter().position(opens).unwrap_or(texts.len());
        let mut causes = Vec::new();
        let mut label_fields = metric..metric;
        if let Some(label) = split_label(&texts[metric..]) {
            causes.push(format!(
                "a metric's label holds commas, so it must be in double quotes: {}",
                quoted_name(&label.join(", "))
            ));
            label_fields = metric..metric + label.len();
        }
        let outside = |i: &usize| !label_fields.contains(i) && !label_fields.contains(&(i + 1));
        let mut pairs = texts.windows(2).enumerate().filter(|(i, _)| outside(i));
        if let Some((_, pair)) = pairs.rfind(|(_, p)| decimal_comma(p)) {
            let written = pair.join(",");
            causes.push(format!(
                "{} is a number with a decimal comma; write it with a decimal point: {}",
                quoted_name(&written),
                quoted_name(&pair.join("."))
            ));
        }
        if causes.is_empty() {
            let example = example_label(self.world).map(|l| format!(", e.g. {l}"));
            causes.push(format!(
                "a metric's label holds commas, so it must be in double quotes{}",
                example.unwrap_or_default()
            ));
        }
        format!("; {}", causes.join("; and "))
    }

    fn name_of(&self, of: Observed) -> String {
        match of {
            Observed::Metric(m) => self.labels[m].clone(),
            Observed::Outcome(o) => self.world.outcomes[o].name.clone(),
        }
    }

    /// The metric or outcome a `metric` field names.
    fn observed(&mut self, field: &Field) -> Option<Observed> {
        let name = field.text.trim();
        if let Some(&of) = self.names.get(name) {
            return Some(of);
        }
        let known: Vec<&str> = self
            .labels
            .iter()
            .map(String::as_str)
            .chain(self.world.outcomes.iter().map(|o| o.name.as_str()))
            .collect();
        let hint = match suggestion(name, known.iter().copied()) {
            Some(close) => format!("did you mean {}?", quoted_name(close)),
            None if known.is_empty() => {
                "the scenario tracks no metrics and has no outcomes to score".into()
            }
            None => format!("the scenario tracks and judges: {}", name_list(&known)),
        };
        let message = format!(
            "unknown metric {}: a tracked metric's label as in timeseries.csv (the scenario's \
             `metrics`) or an outcome's name; {hint}",
            quoted_name(name)
        );
        self.problem(field.at, message);
        None
    }

    /// The step of a `step` field: a whole number of the run's steps; the last one for an
    /// outcome judged at the end.
    fn step(&mut self, field: &Field, of: Option<Observed>) -> Option<u32> {
        let steps = self.world.steps;
        let text = field.text.trim();
        let written = whole_number(text);
        let step = match (written, self.world.calendar) {
            // A date, in a scenario with a `start`: read as the scenario reads its timings.
            (Written::NotNumber, Some(c)) if text.parse::<f64>().is_err() => {
                match super::calendar::step_of(Some(&c), "", text, i64::from(steps)) {
                    Ok(step) => step as u64,
                    Err(why) => {
                        self.problem(field.at, why);
                        return None;
                    }
                }
            }
            (Written::Whole(step), _) => step,
            // Digits past what an integer holds are a whole number out of range (hostile
            // trial: 99999999999999999999 was "not a whole number"), whatever its sign.
            (Written::TooLarge, _) => {
                let message = format!(
                    "step {} is out of range: steps count from 0 (the start) to {steps}",
                    crate::scenario::spelling::shown(text)
                );
                self.problem(field.at, message);
                return None;
            }
            (Written::Negative, _) => {
                let message = format!(
                    "step {} is before the start: steps start at 0 (the start) and count to \
                     {steps}",
                    crate::scenario::spelling::shown(text)
                );
                self.problem(field.at, message);
                return None;
            }
            (Written::Fraction | Written::NotNumber, _) => {
                let message = format!(
                    "step {} is not a whole number; steps count from 0 (the start) to {steps}",
                    quoted_name(text)
                );
                self.problem(field.at, message);
                return None;
            }
        };
        if step > u64::from(steps) {
            let message = format!(
                "step {step} is past the scenario's last step, {steps}; steps count from 0 (the \
                 start) to {steps}"
            );
            self.problem(field.at, message);
            return None;
        }
        let step = step as u32;
        if let Some(Observed::Outcome(o)) = of {
            let outcome = &self.world.outcomes[o];
            if outcome.kind == OutcomeKind::AtEnd && step != steps {
                let message = format!(
                    "outcome {} is judged at the end of the run: its step must be the last, \
                     {steps} (an `ever` outcome can be scored at any step)",
                    quoted_name(&outcome.name)
                );
                self.problem(field.at, message);
                return None;
            }
        }
        Some(step)
    }

    /// The number of a `value` field: inside the metric's range, or 0 or 1 for an outcome.
    fn value(&mut self, field: &Field, of: Option<Observed>) -> Option<f64> {
        let text = field.text.trim();
        // "-0" is 0: adding +0 turns a negative zero positive, so no output writes "-0.0".
        let parsed = text.parse::<f64>().ok().map(|v| v + 0.0);
        // A decimal past what a float holds ("1e400") is a number outside every range, not
        // "not a number" (hostile pass); "inf" and "NaN" are not numbers one observes.
        let overflowed =
            parsed.is_some_and(f64::is_infinite) && whole_number(text) != Written::NotNumber;
        let Some(value) = parsed.filter(|v| v.is_finite() || overflowed) else {
            let message = format!(
                "value {} is not a number; {}",
                quoted_name(text),
                not_a_number_hint(text, of)
            );
            self.problem(field.at, message);
            return None;
        };
        let written = match overflowed {
            true => crate::scenario::spelling::shown(text),
            false => Num(value).to_string(),
        };
        match of {
            Some(Observed::Metric(m)) => {
                let (low, high) = self.world.metrics[m].range();
                if !(low..=high).contains(&value) {
                    let is_share = matches!(
                        self.world.metrics[m],
                        Metric::Share(..) | Metric::Dependence(..)
                    );
                    let percent = if is_share && value > 1.0 && value <= 100.0 {
                        format!(
                            "; shares are fractions: {}% is {}",
                            Num(value),
                            Num(value / 100.0)
                        )
                    } else {
                        String::new()
                    };
                    let message = format!(
                        "value {written} is outside the range of {}, [{low}, {high}]{percent}",
                        self.labels[m]
                    );
                    self.problem(field.at, message);
                    return None;
                }
            }
            Some(Observed::Outcome(o)) if value != 0.0 && value != 1.0 => {
                let message = format!(
                    "outcome {} is observed as 1 (it happened) or 0 (it did not), not {written}",
                    quoted_name(&self.world.outcomes[o].name),
                );
                self.problem(field.at, message);
                return None;
            }
            None if overflowed => return None,
            _ => {}
        }
        Some(value)
    }

    fn finish(self) -> Result<Vec<Observation>, Vec<Problem>> {
        self.problems.into_result(self.observations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Metric, Outcome};
    use crate::scenario::limits::MAX_PROBLEMS;

    /// Two states, one stance and one share tracked, an outcome of each kind; 8 steps.
    fn world() -> World {
        let mut w = crate::model::fixtures::world(2, 1);
        w.steps = 8;
        w.metrics = vec![Metric::Stance(0, 1), Metric::Share(0, 1, 0)];
        let outcome = |name: &str, kind| Outcome {
            name: name.into(),
            description: String::new(),
            kind,
            condition: crate::model::Condition::Above(Metric::Stance(0, 1), 0.5),
        };
        w.outcomes = vec![
            outcome("close", OutcomeKind::AtEnd),
            outcome("ever_close", OutcomeKind::Ever),
        ];
        w
    }

    fn problems(text: &str) -> String {
        parse(Path::new("obs.csv"), text.as_bytes(), &world())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn rows_name_metrics_by_label_and_outcomes_by_name_in_any_column_order() {
        let text = "source,value,metric,step\n\
                    SIPRI,0.25,\"Share(s0, s1, c0)\",4\n\
                    x,1,close,8\n\
                    y,0,ever_close,3\n";
        let got = parse(Path::new("o.csv"), text.as_bytes(), &world()).unwrap();
        let rows: Vec<(usize, &str, Observed, u32, f64)> = got
            .iter()
            .map(|o| (o.line, o.name.as_str(), o.of, o.step, o.value))
            .collect();
        assert_eq!(
            rows,
            [
                (2, "Share(s0, s1, c0)", Observed::Metric(1), 4, 0.25),
                (3, "close", Observed::Outcome(0), 8, 1.0),
                (4, "ever_close", Observed::Outcome(1), 3, 0.0),
            ]
        );
    }

    #[test]
    fn a_label_that_is_also_an_outcome_name_is_the_metric() {
        let mut w = world();
        w.outcomes[1].name = "Stance(s0, s1)".into();
        let text = "metric,step,value\n\"Stance(s0, s1)\",3,0.5\n";
        let got = parse(Path::new("o.csv"), text.as_bytes(), &w).unwrap();
        assert_eq!(got[0].of, Observed::Metric(0));
    }

    #[test]
    fn in_a_scenario_with_a_start_a_step_may_be_a_date() {
        let mut w = world();
        w.calendar = crate::scenario::calendar::calendar("quarter", "2018Q3").ok();
        let text = "metric,step,value\n\"Stance(s0, s1)\",2019Q1,0.5\nclose,8,1\n";
        let got = parse(Path::new("o.csv"), text.as_bytes(), &w).unwrap();
        assert_eq!((got[0].step, got[1].step), (3, 8));
        let late = "metric,step,value\n\"Stance(s0, s1)\",2020Q3,0.5\n";
        let shown = parse(Path::new("o.csv"), late.as_bytes(), &w)
            .unwrap_err()
            .to_string();
        assert!(
            shown.contains("o.csv:2:18: \"2020Q3\" is past the end"),
            "{shown}"
        );
    }

    #[test]
    fn a_bom_and_crlf_are_read_as_plain_text() {
        let text = "\u{feff}metric,step,value\r\n\"Stance(s0, s1)\",2,-0.5\r\n";
        let got = parse(Path::new("o.csv"), text.as_bytes(), &world()).unwrap();
        assert_eq!(got[0].value, -0.5);
    }

    #[test]
    fn each_bad_field_is_named_at_its_line_and_column() {
        let text = "metric,step,value\n\
                    \"Stance(s0, s2)\",2,0.5\n\
                    \"Stance(s0, s1)\",9,0.5\n\
                    \"Stance(s0, s1)\",2,abc\n\
                    close,8,0.5\n\
                    close,3,1\n\
                    \"Share(s0, s1, c0)\",1,1.5\n";
        let shown = problems(text);
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), 6, "{shown}");
        assert!(lines[0].starts_with("obs.csv:2:1: unknown metric \"Stance(s0, s2)\""));
        assert!(
            lines[0].contains("did you mean \"Stance(s0, s1)\"?"),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].starts_with("obs.csv:3:18: step 9 is past"),
            "{}",
            lines[1]
        );
        assert!(lines[2].starts_with("obs.csv:4:20: value \"abc\" is not a number"));
        assert!(lines[3].starts_with("obs.csv:5:9: outcome \"close\" is observed as 1"));
        assert!(lines[4].starts_with("obs.csv:6:7: outcome \"close\" is judged at the end"));
        assert!(lines[5].starts_with("obs.csv:7:23: value 1.5 is outside the range"));
    }

    #[test]
    fn the_header_must_name_metric_step_and_value() {
        let shown = problems("metric,stpe,value\n\"Stance(s0, s1)\",2,0.5\n");
        assert!(
            shown.starts_with("obs.csv:1:8: the header has no `step` column")
                && shown.contains("is \"stpe\" meant as `step`?"),
            "{shown}"
        );
        let shown = problems("when,what\n1,2\n");
        assert_eq!(shown.lines().count(), 3, "{shown}");
        assert!(shown.contains("(this one names: when, what)"), "{shown}");
    }

    /// Defect: a file that starts with two byte-order marks (one skipped, the second read
    /// into the first name) was refused asking whether "\u{feff}metric" was meant as
    /// `metric`, the mark shown raw: a question about two names that look the same. The
    /// message names the character.
    #[test]
    fn a_second_byte_order_mark_is_named_not_quoted_invisibly() {
        let shown = problems("\u{feff}\u{feff}metric,step,value\n\"Stance(s0, s1)\",2,0.5\n");
        assert!(
            shown.starts_with("obs.csv:1:1: the header has no `metric` column"),
            "{shown}"
        );
        assert!(
            shown.contains(
                "is \"metric\" meant as `metric`? Its name holds a byte-order mark \
                            (U+FEFF), an invisible character: delete it"
            ),
            "{shown}"
        );
        assert!(!shown.contains('\u{feff}'), "{shown}");
        let shown = problems("metric,\u{200b}step,value\n\"Stance(s0, s1)\",2,0.5\n");
        assert!(shown.contains("a zero-width space (U+200B)"), "{shown}");
    }

    #[test]
    fn an_empty_file_a_header_alone_and_a_bad_encoding_are_refused_at_their_place() {
        assert!(problems("").starts_with("obs.csv:1:1: the file is empty"));
        assert!(problems("\u{feff}\r\n").starts_with("obs.csv:1:1: the file is empty"));
        assert!(problems("metric,step,value\n").starts_with("obs.csv:1:1: the file has a header"));
        let latin1 = b"metric,step,value\nclose,8,1\nx\xe9,1,1\n";
        let shown = parse(Path::new("obs.csv"), latin1, &world())
            .unwrap_err()
            .to_string();
        assert!(
            shown.starts_with("obs.csv:3:2: the file is not UTF-8"),
            "{shown}"
        );
    }

    /// Issue 21: a step of -1 was "not a whole number"; yes, 7% and a share of 7 had no
    /// hint.
    #[test]
    fn a_negative_step_a_percentage_and_yes_say_what_to_write() {
        let shown = problems(
            "metric,step,value\n\
             close,-1,1\n\
             close,8,yes\n\
             \"Share(s0, s1, c0)\",2,7%\n\
             \"Share(s0, s1, c0)\",3,7\n\
             \"Stance(s0, s1)\",3,12.5%\n\
             \"Stance(s0, s1)\",4,7\n",
        );
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(
            lines,
            [
                "obs.csv:2:7: step -1 is before the start: steps start at 0 (the start) and \
                 count to 8",
                "obs.csv:3:9: value \"yes\" is not a number; an outcome's value is 0 or 1 (not \
                 yes/no/TRUE): 1 if it happened, 0 if not",
                "obs.csv:4:23: value \"7%\" is not a number; shares are fractions: 7% is 0.07",
                "obs.csv:5:23: value 7 is outside the range of Share(s0, s1, c0), [0, 1]; shares \
                 are fractions: 7% is 0.07",
                "obs.csv:6:20: value \"12.5%\" is not a number; shares are fractions: 12.5% is \
                 0.125",
                "obs.csv:7:20: value 7 is outside the range of Stance(s0, s1), [-1, 1]",
            ]
        );
    }

    /// Defect (mend, hostile trial): a step of 20 digits, past what an integer holds, was
    /// "not a whole number". It is one, out of range; the range is named. "-0" is step 0.
    #[test]
    fn a_step_of_20_digits_is_not_a_whole_number() {
        let shown = problems(
            "metric,step,value\n\
             close,99999999999999999999,1\n\
             close,-99999999999999999999,1\n\
             close,+99999999999999999999,1\n\
             close,-1,1\n\
             close,8.5,1\n\
             close,-0,1\n",
        );
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(
            lines,
            [
                "obs.csv:2:7: step 99999999999999999999 is out of range: steps count from 0 \
                 (the start) to 8",
                "obs.csv:3:7: step -99999999999999999999 is out of range: steps count from 0 \
                 (the start) to 8",
                "obs.csv:4:7: step +99999999999999999999 is out of range: steps count from 0 \
                 (the start) to 8",
                "obs.csv:5:7: step -1 is before the start: steps start at 0 (the start) and \
                 count to 8",
                "obs.csv:6:7: step \"8.5\" is not a whole number; steps count from 0 (the \
                 start) to 8",
                "obs.csv:7:7: outcome \"close\" is judged at the end of the run: its step must \
                 be the last, 8 (an `ever` outcome can be scored at any step)",
            ]
        );
    }

    /// Regression (mend's trial): a step written "8.0", as pandas writes a column of whole
    /// numbers with a gap in it, was "not a whole number". It is step 8; "8.5" is still
    /// refused, and "1e3" is a whole number past the last step.
    #[test]
    fn a_step_written_8_0_was_not_a_whole_number() {
        let got = parse(
            Path::new("o.csv"),
            b"metric,step,value\nclose,8.0,1\n",
            &world(),
        );
        assert_eq!(got.map(|o| o.len()).map_err(|e| e.to_string()), Ok(1));
        assert!(problems("metric,step,value\nclose,8.5,1\n").contains("not a whole number"));
        let shown = problems("metric,step,value\nclose,1e3,1\n");
        assert!(!shown.contains("not a whole number"), "{shown}");
        assert!(shown.contains("step 1000 is past"), "{shown}");
    }

    /// Regression (hostile pass): a step was read through an f64, so "-1.0" (a whole step
    /// before the start), "2e15" and "1e20" (whole steps past the last) were "not a whole
    /// number", and "8.0000000000000001", which is not whole, rounded to step 8.
    #[test]
    fn a_step_of_minus_1_0_or_1e20_was_not_a_whole_number_and_8_0000000000000001_was_8() {
        let shown = problems(
            "metric,step,value\n\
             close,-1.0,1\n\
             close,-1e0,1\n\
             close,2e15,1\n\
             close,1e20,1\n\
             close,1e400,1\n\
             close,8.0000000000000001,1\n\
             close,0.5e-1,1\n",
        );
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(
            lines,
            [
                "obs.csv:2:7: step -1.0 is before the start: steps start at 0 (the start) and \
                 count to 8",
                "obs.csv:3:7: step -1e0 is before the start: steps start at 0 (the start) and \
                 count to 8",
                "obs.csv:4:7: step 2000000000000000 is past the scenario's last step, 8; steps \
                 count from 0 (the start) to 8",
                "obs.csv:5:7: step 1e20 is out of range: steps count from 0 (the start) to 8",
                "obs.csv:6:7: step 1e400 is out of range: steps count from 0 (the start) to 8",
                "obs.csv:7:7: step \"8.0000000000000001\" is not a whole number; steps count \
                 from 0 (the start) to 8",
                "obs.csv:8:7: step \"0.5e-1\" is not a whole number; steps count from 0 (the \
                 start) to 8",
            ]
        );
        // Whole numbers however written are their step; a zero of any sign is the start.
        let text = "metric,step,value\n\
                    ever_close,+3,0\n\
                    ever_close,0.4e1,0\n\
                    ever_close,500e-2,0\n\
                    ever_close,-0.0,0\n\
                    ever_close,6.,0\n\
                    close,00008.000,1\n";
        let got = parse(Path::new("o.csv"), text.as_bytes(), &world()).unwrap();
        let steps: Vec<u32> = got.iter().map(|o| o.step).collect();
        assert_eq!(steps, [3, 4, 5, 0, 6, 8]);
    }

    /// Regression (hostile pass): a value of "1e400", a decimal past what a float holds,
    /// was "not a number"; it is a number outside the range.
    #[test]
    fn a_value_of_1e400_was_not_a_number() {
        let shown = problems(
            "metric,step,value\n\"Stance(s0, s1)\",2,1e400\nclose,8,-1e400\nclose,8,inf\n",
        );
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(
            lines,
            [
                "obs.csv:2:20: value 1e400 is outside the range of Stance(s0, s1), [-1, 1]",
                "obs.csv:3:9: outcome \"close\" is observed as 1 (it happened) or 0 (it did \
                 not), not -1e400",
                "obs.csv:4:9: value \"inf\" is not a number; an outcome's value is 0 or 1 (not \
                 yes/no/TRUE): 1 if it happened, 0 if not",
            ]
        );
    }

    /// Regression (hostile pass): a value written "-0" was kept as a negative zero and
    /// written "-0.0" in score.csv.
    #[test]
    fn a_value_of_minus_0_was_written_minus_0_0() {
        let text = "metric,step,value\nclose,8,-0\n\"Stance(s0, s1)\",2,-0.0\n";
        let got = parse(Path::new("o.csv"), text.as_bytes(), &world()).unwrap();
        assert!(got.iter().all(|o| o.value.is_sign_positive()), "{got:?}");
    }

    /// Issue 21: the empty cells a spreadsheet leaves below its data (`,,`) were three
    /// problems a row.
    #[test]
    fn a_row_of_empty_cells_is_skipped() {
        let blank_rows = "metric,step,value\n,,\nclose,8,1\n , ,\n";
        let got = parse(Path::new("o.csv"), blank_rows.as_bytes(), &world());
        assert_eq!(got.map(|o| o.len()).map_err(|e| e.to_string()), Ok(1));
    }

    /// A number written with a million digits is shown as the number it reads as.
    #[test]
    fn a_long_number_is_shown_as_its_value() {
        let long = format!("metric,step,value\nclose,8,0.5{}\n", "0".repeat(1_000_000));
        assert_eq!(
            problems(&long),
            "obs.csv:2:9: outcome \"close\" is observed as 1 (it happened) or 0 (it did not), \
             not 0.5"
        );
    }

    #[test]
    fn an_unquoted_label_with_commas_is_a_row_too_wide() {
        let shown = problems("metric,step,value\nShare(s0, s1, c0),2,0.5\n");
        assert!(
            shown.starts_with("obs.csv:2:1: this row has 5 fields where the header has 3"),
            "{shown}"
        );
    }

    /// Issue 21: the hint of a row too wide was a fixed label the scenario may not track;
    /// it is built from the row (the label rejoined), or names the decimal comma.
    #[test]
    fn a_row_too_wide_is_explained_from_its_own_fields() {
        let shown = problems("metric,step,value\nShare(s0,s1, c0),2,0.5\n");
        assert!(
            shown.ends_with("must be in double quotes: \"Share(s0, s1, c0)\""),
            "{shown}"
        );
        let shown = problems("metric,step,value\nclose,8,0,5\n");
        assert!(
            shown.ends_with(
                "the header has 3; \"0,5\" is a number with a decimal comma; write it with a \
                 decimal point: \"0.5\""
            ),
            "{shown}"
        );
        let shown = problems("value,metric,step\n0,25,Stance(s0, s1),2\n");
        assert!(
            shown.contains("double quotes: \"Stance(s0, s1)\"; and \"0,25\" is a number"),
            "{shown}"
        );
        let shown = problems("metric,step,value\nclose,8,1.0,x\n");
        assert!(
            shown.ends_with("so it must be in double quotes, e.g. \"Stance(s0, s1)\""),
            "{shown}"
        );
        let shown = problems("metric,step,value\n");
        assert!(
            shown.ends_with("add one per line, e.g. \"Stance(s0, s1)\",8,0"),
            "{shown}"
        );
        assert!(!problems("metric,step,value\nclose,8\n").contains("quotes"));
    }

    #[test]
    fn an_observation_twice_is_refused_with_the_first_line() {
        let shown = problems("metric,step,value\nclose,8,1\nclose,8,0\n");
        assert!(
            shown.starts_with("obs.csv:3:1: \"close\" at step 8 is already observed on line 2"),
            "{shown}"
        );
    }

    #[test]
    fn problems_are_capped_and_names_shown_escaped_and_cut() {
        let mut text = String::from("metric,step,value\n");
        for _ in 0..MAX_PROBLEMS + 5 {
            text.push_str(&format!("\"x\u{1b}[31m{}\",1,1\n", "y".repeat(500)));
        }
        let shown = problems(&text);
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), MAX_PROBLEMS + 1);
        assert_eq!(
            lines[MAX_PROBLEMS],
            "obs.csv: ... and 5 more problems; fix the ones above first"
        );
        assert!(
            !shown.contains('\u{1b}') && lines[0].contains("…\" (506 bytes)"),
            "{}",
            lines[0]
        );
    }

    /// Defect: the header's problems were capped by a `take` of their own, which dropped
    /// the unnamed columns past `MAX_PROBLEMS` without a word (the rows' problems, and a
    /// scenario's, end with how many more there are).
    #[test]
    fn unnamed_header_columns_past_the_cap_were_dropped_uncounted() {
        let text = format!("metric,step,value{}\n", ",".repeat(MAX_PROBLEMS + 7));
        let shown = problems(&text);
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), MAX_PROBLEMS + 1, "{shown}");
        assert!(lines[0].starts_with("obs.csv:1:19: this column of the header has no name"));
        assert_eq!(
            lines[MAX_PROBLEMS],
            "obs.csv: ... and 7 more problems; fix the ones above first"
        );
    }
}
