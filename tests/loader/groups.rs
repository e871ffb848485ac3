//! The file's `groups` of ranges as the loader reads them: a group named twice, and a
//! pattern holding a control character, are refused at their own line and column.

use crate::common;

use std::path::Path;

/// A file with two ranges and the `groups` map `groups` (each entry on its own line,
/// starting on line 8).
fn with_groups(dir: &Path, groups: &str) -> std::path::PathBuf {
    let text = format!(
        "Scenario(\n    name: \"g\",\n    steps: 4,\n    states: [State(name: \"A\"), State(name: \"B\")],\n    \
         stances: [(\"A\", \"B\", Uniform(0.1, 0.3)), (\"B\", \"A\", Uniform(0.1, 0.3))],\n    \
         background: None,\n    groups: {{\n{groups}\n    }},\n)\n"
    );
    common::write(dir, "g.ron", &text)
}

// Defect (hostile review): a group named twice in `groups: { ... }` kept the last silently,
// so the first group's patterns were dropped without a word. Now the second is refused.
#[test]
fn a_group_named_twice_is_refused_at_the_second() {
    let dir = tempfile::tempdir().unwrap();
    let file = with_groups(
        dir.path(),
        "        \"ab\": [\"stance.A.B\"],\n        \"ab\": [\"stance.B.A\"],",
    );
    let err = common::exits(2, &[&"check", &file]);
    assert!(err.contains("g.ron:9:10:"), "{err}");
    assert!(err.contains("\"ab\""), "{err}");
    assert!(err.contains("twice"), "{err}");
}

// Defect (hostile review): a pattern holding a control character (written `\u{7}`) was
// searched for as written raw, never found, and refused with no line and column.
#[test]
fn a_group_pattern_with_a_control_character_has_a_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = with_groups(dir.path(), "        \"ab\": [\"stance.\\u{7}*\"],");
    let err = common::exits(2, &[&"check", &file]);
    assert!(err.contains("g.ron:8:16:"), "{err}");
    assert!(err.contains("control character U+0007"), "{err}");
    assert!(!err.contains('\u{7}'), "shown escaped: {err:?}");
}

// Defect m1 (issue 22's trial): a group named `stance.A.B` holding another range, beside the
// range stance.A.B in no group, gave two rows labelled `stance.A.B` in the sensitivity table
// and sensitivity.csv. Now such a group is refused at its name, with another name suggested.
#[test]
fn a_group_named_like_a_range_it_does_not_hold_is_refused_not_a_second_row_of_that_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = with_groups(dir.path(), "        \"stance.A.B\": [\"stance.B.A\"],");
    let err = common::exits(2, &[&"check", &file]);
    assert!(err.contains("g.ron:8:9:"), "{err}");
    assert!(err.contains("named like the range \"stance.A.B\""), "{err}");
    assert!(err.contains("e.g. \"stance.A.B group\""), "{err}");
    // A group named after the one range it holds is one row: accepted.
    let file = with_groups(dir.path(), "        \"stance.A.B\": [\"stance.A.B\"],");
    common::exits(0, &[&"check", &file]);
}

// Defect (s25 hostile trial): a pattern of a second group naming ranges the first holds gave
// a line per range, all at one place (`"*"` in both groups of a file of 31 ranges: 31
// lines), and at the first group's pattern when both wrote the same one. One line now, at
// the second group's own pattern, listing the ranges (the first dozen and a count).
#[test]
fn a_pattern_naming_ranges_of_another_group_gets_a_line_per_range_at_the_first_group() {
    let dir = tempfile::tempdir().unwrap();
    let file = with_groups(
        dir.path(),
        "        \"one\": [\"*\"],\n        \"two\": [\"*\"],",
    );
    let err = common::exits(2, &[&"check", &file]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(
            "g.ron:9:17: group \"two\": \"*\" names 2 ranges already in group \"one\": \
             stance.A.B, stance.B.A; a range belongs to one group at most"
        ),
        "{err}"
    );
}
