//! Dates past the year 9999: a date is written with four digits of year, as a file reads
//! it, so a calendar whose steps would run past 9999 is refused at `start`.

use crate::common;

use common::{data, read};

// Defect (hostile review): `start: "9995"` with 12 steps of a year passed `check`, and the
// run wrote dates up to "10006" into its CSVs, which no file could read back (an `at` of
// "10001" is "not a date"). Now refused at `start`, saying how late it may be.
#[test]
fn a_start_whose_steps_pass_the_year_9999_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let text = String::from_utf8(read(&data("small.ron"))).unwrap();
    let text = text.replace("step: \"year\",", "step: \"year\", start: \"9995\",");
    let file = common::write(dir.path(), "late.ron", &text);
    let err = common::exits(2, &[&"check", &file]);
    assert!(err.contains("late.ron:6:19:"), "{err}");
    assert!(err.contains("`start`"), "{err}");
    assert!(err.contains("9999"), "{err}");
    assert!(err.contains("\"9988\""), "the latest start: {err}");
    // The latest start that fits is accepted, and writes its last date as a file reads it.
    let fits = common::write(dir.path(), "fits.ron", &text.replace("9995", "9988"));
    common::simulate()
        .arg("check")
        .arg(&fits)
        .assert()
        .success();
}

// Defect (polish trials): `start: "0000"` passed `check`, and the run wrote step 0 as
// "-001", a date no file can read back. Now refused at `start`, with the earliest start.
#[test]
fn a_start_whose_step_0_falls_before_the_year_0000_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let text = String::from_utf8(read(&data("small.ron"))).unwrap();
    let text = text.replace("step: \"year\",", "step: \"year\", start: \"0000\",");
    let file = common::write(dir.path(), "early.ron", &text);
    let err = common::exits(2, &[&"check", &file]);
    assert!(err.contains("early.ron:6:19:"), "{err}");
    assert!(err.contains("`start`"), "{err}");
    assert!(err.contains("\"0001\""), "the earliest start: {err}");
    let fits = common::write(dir.path(), "fits.ron", &text.replace("0000", "0001"));
    common::simulate()
        .arg("check")
        .arg(&fits)
        .assert()
        .success();
}
