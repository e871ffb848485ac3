//! The usual first mistakes of an analyst new to the file format (issue 24, item 6), each
//! answered with what to write instead; each test is named after the defect it pins.

use crate::common;

use std::path::{Path, PathBuf};

use common::{data, read};

/// `tests/data/small.ron` with `edit` applied, written into `dir`.
fn edited(dir: &Path, edit: impl FnOnce(String) -> String) -> PathBuf {
    let text = String::from_utf8(read(&data("small.ron"))).unwrap();
    common::write(dir, "edited.ron", &edit(text))
}

/// Regression: `Stance("C", "A", -0.1)`, a bare number where a change is expected, was
/// answered with RON's advice to "try the raw identifier r#-0.1". Now: at its line and
/// column, write `Add(-0.1)`, `Set(-0.1)` or `Scale(-0.1)`.
#[test]
fn a_bare_number_where_a_change_is_expected_says_to_write_add_set_or_scale() {
    let dir = tempfile::tempdir().unwrap();
    let file = edited(dir.path(), |t| {
        t.replace(
            "Stance(\"C\", \"A\", Scale(0.5))",
            "Stance(\"C\", \"A\", -0.1)",
        )
    });
    let err = common::exits(2, &[&"check", &file]);
    assert!(err.contains("edited.ron:36:42"), "{err}");
    for change in ["`Add(-0.1)`", "`Set(-0.1)`", "`Scale(-0.1)`"] {
        assert!(err.contains(change), "{change}: {err}");
    }
    assert!(!err.contains("r#"), "{err}");
    // Where the number is not a change (an outcome written as a threshold alone), the
    // message does not speak of effects it is not in.
    let file = edited(dir.path(), |t| {
        t.replace(
            "at_end: Above(Partnership(\"A\", \"B\"), 0.3)",
            "at_end: 0.3",
        )
    });
    let err = common::exits(2, &[&"check", &file]);
    assert!(err.contains("edited.ron:46:40"), "{err}");
    assert!(
        err.contains("a bare number (0.3) where a named value"),
        "{err}"
    );
    assert!(!err.contains("r#"), "{err}");
}

/// Regression: `at: "2016-07-15"` in a file without `start` was answered "Expected
/// integer". Now: the date is named at its line and column, with how to set `start` in the
/// file's own step unit.
#[test]
fn a_date_before_calendar_support_is_set_up_says_how_to_set_start() {
    let dir = tempfile::tempdir().unwrap();
    for (step, date, example) in [
        ("year", "2019", "start: \"2018\""),
        ("quarter", "2016-07-15", "start: \"2018Q3\""),
        ("month", "2019Q1", "start: \"2018-07\""),
    ] {
        let file = edited(dir.path(), |t| {
            t.replace("step: \"year\"", &format!("step: \"{step}\""))
                .replace("at: 2,", &format!("at: \"{date}\","))
        });
        let err = common::exits(2, &[&"check", &file]);
        assert!(err.contains("edited.ron:34:31"), "{step}: {err}");
        assert!(err.contains("the file has no `start`"), "{step}: {err}");
        assert!(err.contains(example), "{step}: {err}");
    }
}

/// Regression (issue 24's last trial): `Above(Partnership("A", "B"), Partnership("A",
/// "C"))`, a metric where a condition's threshold is expected, was answered with RON's bare
/// "Expected float". Now: at its line and column, a threshold must be a number (with an
/// example), and two metrics cannot be compared in one condition (with what to write).
#[test]
fn a_metric_where_a_threshold_is_expected_says_a_threshold_is_a_number() {
    let dir = tempfile::tempdir().unwrap();
    let file = edited(dir.path(), |t| {
        t.replace(
            "at_end: Above(Partnership(\"A\", \"B\"), 0.3)",
            "at_end: Above(Partnership(\"A\", \"B\"), Partnership(\"A\", \"C\"))",
        )
    });
    let err = common::exits(2, &[&"check", &file]);
    assert!(err.contains("edited.ron:46:69"), "{err}");
    assert!(
        err.contains("a metric (Partnership) where a threshold"),
        "{err}"
    );
    assert!(
        err.contains("`Above(Partnership(\"A\", \"B\"), 0.4)`"),
        "{err}"
    );
    assert!(err.contains("cannot compare two metrics"), "{err}");
    assert!(!err.contains("Expected float"), "{err}");
    // A threshold that is neither a number nor a metric gets the first half.
    let file = edited(dir.path(), |t| {
        t.replace(
            "at_end: Above(Partnership(\"A\", \"B\"), 0.3)",
            "at_end: Above(Partnership(\"A\", \"B\"), \"0.3\")",
        )
    });
    let err = common::exits(2, &[&"check", &file]);
    assert!(err.contains("a threshold must be a number"), "{err}");
    assert!(!err.contains("Expected float"), "{err}");
}

/// Defect (s25 hostile trial): a range written as an `Average`'s window,
/// `Average(Partnership("A", "B"), Uniform(2.0, 4.0))`, got RON's "Expected integer" and
/// nothing to do. Now: at the window, a whole number of steps, never a range.
#[test]
fn a_range_as_an_averages_window_gets_only_expected_integer() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Scenario(\n    name: \"w\",\n    steps: 8,\n    background: None,\n    \
                states: [State(name: \"A\"), State(name: \"B\")],\n    \
                metrics: [Average(Partnership(\"A\", \"B\"), Uniform(2.0, 4.0))],\n)\n";
    let file = common::write(dir.path(), "w.ron", text);
    let err = common::exits(2, &[&"check", &file]);
    assert!(
        err.contains("w.ron:6:46: an Average's window is a whole number of steps"),
        "{err}"
    );
    assert!(err.contains("it cannot be a range"), "{err}");
}
