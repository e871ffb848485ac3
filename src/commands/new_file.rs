//! `simulate new FILE`: write a starter scenario (`scenario::starter`). Every refusal comes
//! before the file exists: the options are checked, the text is compiled as `check` would,
//! and only then is the file created, never over an existing one.

use std::path::Path;

use crate::error::Error;
use crate::output::one_file::{folder_exists, write_new};
use crate::scenario::spelling::{quoted_name, suggestion};
use crate::scenario::starter::{self, Starter};
use crate::scenario::{self, calendar, path_shown};

/// The step units a starter may count in: those the background knows
/// (`file::unit_steps_per_year`).
const UNITS: [&str; 6] = ["year", "half-year", "quarter", "month", "week", "day"];

pub fn new_file(
    file: &Path,
    states: &str,
    channels: &str,
    step: &str,
    start: Option<&str>,
) -> Result<(), Error> {
    let taken = || {
        Error::Refused(format!(
            "{} already exists; `simulate new` never overwrites a file: name a new one",
            path_shown(file)
        ))
    };
    // Checked first so that a file that exists is named as such, whatever the options.
    if file.symlink_metadata().is_ok() {
        return Err(taken());
    }
    folder_exists(file)?;
    let states = names("--states", states)?;
    let channels = names("--channels", channels)?;
    if states.len() < 2 {
        return Err(Error::Refused(format!(
            "--states {}: a scenario needs at least two states, separated by commas \
             (e.g. --states Turkey,USA,Russia)",
            quoted_name(&states.join(","))
        )));
    }
    let step = step_unit(step)?;
    let calendar = match start {
        None => None,
        Some(start) => Some(
            calendar::calendar(&step, start)
                .and_then(|c| {
                    // The starter's steps must all have dates a file reads back.
                    calendar::within_written_years(&c, starter::ten_years(&step)).map(|()| c)
                })
                .map_err(|why| Error::Refused(format!("--start {}: {why}", quoted_name(start))))?,
        ),
    };
    let name = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "scenario".into());
    let text = starter::text(&Starter {
        name: &name,
        file,
        states: &states,
        channels: &channels,
        step: &step,
        calendar,
    });
    // The file must pass `check` as written: a name the loader refuses (a control
    // character, two states differing only in case) is refused here, in the loader's words.
    if let Err(e) = scenario::from_bytes(file, text.clone().into_bytes()) {
        return Err(Error::Refused(format!(
            "--states/--channels cannot make a valid scenario: {}",
            without_positions(&e)
        )));
    }
    write_new(file, text.as_bytes()).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => taken(),
        std::io::ErrorKind::InvalidFilename => Error::Refused(format!(
            "cannot write {}: the name is too long for the file system; name a shorter file",
            path_shown(file)
        )),
        _ => Error::Output {
            path: file.to_path_buf(),
            source: e,
        },
    })?;
    crate::say!(
        "wrote {}: {} states, {} channels, one step = one {step}; set the numbers marked \
         CHOOSE, then `simulate check {}`",
        path_shown(file),
        states.len(),
        channels.len(),
        path_shown(file)
    )?;
    Ok(())
}

/// The names of a comma-separated list given to `flag`, each once: a name given twice is
/// said once, not in every stance and tie the starter would write for it.
fn names(flag: &str, list: &str) -> Result<Vec<String>, Error> {
    let names: Vec<String> = list.split(',').map(|n| n.trim().to_string()).collect();
    let (what, example) = match flag {
        "--states" => ("state", "Turkey,USA,Russia"),
        _ => ("channel", "arms,trade"),
    };
    if names.iter().any(String::is_empty) {
        return Err(Error::Refused(format!(
            "{flag} {}: an empty name (two commas in a row, or one at an end); separate the \
             names by single commas, e.g. {flag} {example}",
            quoted_name(list)
        )));
    }
    let repeated: Vec<String> = (names.iter().enumerate())
        .filter(|&(i, n)| names[..i].contains(n) && !names[i + 1..].contains(n))
        .map(|(_, n)| {
            let count = names.iter().filter(|&m| m == n).count();
            let times = if count == 2 {
                "twice".into()
            } else {
                format!("{count} times")
            };
            format!(
                "{flag}: {what} {} is defined {times}; name each {what} once",
                quoted_name(n)
            )
        })
        .collect();
    if !repeated.is_empty() {
        return Err(Error::Refused(repeated.join("\n")));
    }
    Ok(names)
}

/// The step unit, in the singular as a file writes it.
fn step_unit(step: &str) -> Result<String, Error> {
    let unit = step.trim().to_lowercase();
    let singular = unit.strip_suffix('s').unwrap_or(&unit);
    if UNITS.contains(&singular) {
        return Ok(singular.to_string());
    }
    let hint = match suggestion(singular, UNITS) {
        Some(close) => format!("did you mean {close}? "),
        None => String::new(),
    };
    Err(Error::Refused(format!(
        "--step {}: not a unit of time; {hint}one of: {}",
        quoted_name(step),
        UNITS.join(", ")
    )))
}

/// A scenario error's problems without the file name and positions (they would point into
/// a file that was never written).
fn without_positions(e: &scenario::ScenarioError) -> String {
    match e {
        scenario::ScenarioError::Invalid { problems, .. } => problems
            .iter()
            .map(|p| p.message.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
