//! Calendar time (issue 24, item 4): a file with `start` may write its steps as dates
//! (`at: "2018Q4"`, `window: ("2019Q1", "2020Q3")`); a date that names no step of the run is
//! refused at its line and column, saying what would be valid.

use crate::common;

use std::path::{Path, PathBuf};

use common::{data, read, simulate};

/// `tests/data/small.ron` counted in quarters from 2018Q3 (step 1), with `edit` applied,
/// written into `dir` as `name`. Its steps 1 to 12 are 2018Q3 to 2021Q2.
fn quarterly(dir: &Path, name: &str, edit: impl FnOnce(String) -> String) -> PathBuf {
    let text = String::from_utf8(read(&data("small.ron"))).unwrap();
    let text = text.replace("step: \"year\",", "step: \"quarter\", start: \"2018Q3\",");
    common::write(dir, name, &edit(text))
}

/// `simulate check FILE`, which must exit 2: its stderr.
fn refused(file: &Path) -> String {
    common::exits(2, &[&"check", &file])
}

#[test]
fn dates_name_the_same_steps_as_their_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let numbers = quarterly(dir.path(), "numbers.ron", |t| t);
    let dates = quarterly(dir.path(), "dates.ron", |t| {
        t.replace("at: 2,", "at: \"2018Q4\",")
            .replace("window: (3, 9)", "window: (\"2019Q1\", \"2020Q3\")")
            .replace("at: 12)", "at: \"2021Q2\")")
    });
    assert_ne!(read(&numbers), read(&dates));
    let run = |file: &Path, out: &str| {
        let out = dir.path().join(out);
        simulate()
            .arg(file)
            .args(["-n", "40", "--quiet", "--out"])
            .arg(&out)
            .assert()
            .success();
        out
    };
    let (a, b) = (run(&numbers, "a"), run(&dates, "b"));
    for file in ["timeseries.csv", "outcomes.csv"] {
        assert_eq!(read(&a.join(file)), read(&b.join(file)), "{file}");
    }
}

#[test]
fn a_date_that_names_no_step_of_the_run_is_refused_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        // (the date of the summit, what the message must say)
        (
            "2018-10-15",
            "not a step boundary: steps are quarters; write \"2018Q4\"",
        ),
        ("2018-11", "write \"2018Q4\" (the quarter it falls in)"),
        ("2018", "write \"2018Q1\""),
        (
            "2018Q2",
            "before the start: the steps run from 2018Q3 (step 1) to 2021Q2 (step 12)",
        ),
        (
            "2021Q3",
            "past the end: the steps run from 2018Q3 (step 1) to 2021Q2 (step 12)",
        ),
        ("soon", "not a date: write a quarter, e.g. \"2018Q3\""),
    ];
    for (date, says) in cases {
        let file = quarterly(dir.path(), "bad.ron", |t| {
            t.replace("at: 2,", &format!("at: \"{date}\","))
        });
        let err = refused(&file);
        assert!(err.contains("bad.ron:34:31"), "{date}: {err}");
        assert!(err.contains("event \"summit\": `at`"), "{date}: {err}");
        assert!(err.contains(says), "{date}: {err}");
    }
    // Both bounds of a window, each at its own place.
    let file = quarterly(dir.path(), "window.ron", |t| {
        t.replace("window: (3, 9)", "window: (\"2018Q1\", \"2030Q1\")")
    });
    let err = refused(&file);
    assert!(
        err.contains("`window`: \"2018Q1\" is before the start"),
        "{err}"
    );
    assert!(
        err.contains("`window`: \"2030Q1\" is past the end"),
        "{err}"
    );
}

#[test]
fn a_start_that_is_not_a_date_of_the_files_step_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = quarterly(dir.path(), "month.ron", |t| {
        t.replace("\"2018Q3\"", "\"2018-07\"")
    });
    let err = refused(&file);
    assert!(err.contains("month.ron:6:"), "{err}");
    assert!(
        err.contains("write \"2018Q3\" (the quarter it falls in)"),
        "{err}"
    );
    let file = quarterly(dir.path(), "week.ron", |t| {
        t.replace("step: \"quarter\"", "step: \"week\"")
    });
    let err = refused(&file);
    assert!(err.contains("week.ron:6:"), "{err}");
    assert!(err.contains("`start` needs `step: \"quarter\"`"), "{err}");
}
