//! An event's `window` as the loader reads it: its bounds in the words the file wrote them
//! (dates with dates), and an `at` that no draw puts inside the window.

use crate::common;

use std::path::{Path, PathBuf};

use common::{data, read};

/// `tests/data/small.ron` counted in quarters from 2018Q3 (steps 1 to 12: 2018Q3 to
/// 2021Q2), with `from` replaced by `to`.
fn quarterly(dir: &Path, from: &str, to: &str) -> PathBuf {
    let text = String::from_utf8(read(&data("small.ron"))).unwrap();
    let text = text.replace("step: \"year\",", "step: \"quarter\", start: \"2018Q3\",");
    assert!(text.contains(from), "{from}");
    common::write(dir, "w.ron", &text.replace(from, to))
}

// Defect (hostile review): `window: ("2020Q1", "2019Q1")` was refused in words of steps
// ("the window's first step can be drawn as late as 7 and its last as early as 3"), as
// if the dates were ranges: now in the dates the file wrote.
#[test]
fn a_window_of_reversed_dates_is_worded_in_dates() {
    let dir = tempfile::tempdir().unwrap();
    let file = quarterly(
        dir.path(),
        "window: (3, 9)",
        "window: (\"2020Q1\", \"2019Q1\")",
    );
    let err = common::exits(2, &[&"check", &file]);
    assert!(err.contains("w.ron:35:41:"), "{err}");
    assert!(err.contains("(\"2020Q1\", \"2019Q1\")"), "{err}");
    assert!(!err.contains("drawn"), "{err}");
    assert!(!err.contains("first step"), "{err}");
}

// Defect (hostile review): an `at` outside its own event's window passed `check`, and the
// event never fired. Now refused at the `at`, with the window shown.
#[test]
fn an_at_outside_its_window_is_refused_with_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let file = quarterly(
        dir.path(),
        "Event(name: \"summit\", at: 2,",
        "Event(name: \"summit\", at: \"2018Q4\", window: (\"2019Q3\", \"2020Q2\"),",
    );
    let err = common::exits(2, &[&"check", &file]);
    assert!(err.contains("w.ron:34:31:"), "{err}");
    assert!(err.contains("\"2018Q4\""), "{err}");
    assert!(err.contains("\"2019Q3\" to \"2020Q2\""), "{err}");
    // A range of `at` that no draw puts inside the window, in a file of numbered steps.
    let text = String::from_utf8(read(&data("small.ron"))).unwrap();
    let text = text.replace(
        "Event(name: \"summit\", at: 2,",
        "Event(name: \"summit\", at: Uniform(0.5, 3.4), window: (5, 8),",
    );
    let file = common::write(dir.path(), "r.ron", &text);
    let err = common::exits(2, &[&"check", &file]);
    assert!(err.contains("r.ron:34:31:"), "{err}");
    assert!(err.contains("5 to 8"), "{err}");
}

/// An `at` that is a range reaching into the window is meaningful: the event comes in
/// the draws that fall inside, and not in the others (docs/src/reference/events.md).
#[test]
fn an_at_partly_inside_its_window_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let text = String::from_utf8(read(&data("small.ron"))).unwrap();
    let text = text.replace(
        "Event(name: \"summit\", at: 2,",
        "Event(name: \"summit\", at: Uniform(0.5, 6.4), window: (5, 8),",
    );
    let file = common::write(dir.path(), "r.ron", &text);
    common::simulate()
        .arg("check")
        .arg(&file)
        .assert()
        .success();
}
