//! The loader's messages for inputs a hostile or careless user found (issue "Never lose a
//! user's files", item 14): each test is named after the defect it pins.

use crate::common;

use std::path::{Path, PathBuf};

use common::{data, simulate};

/// `tests/data/small.ron` with `edit` applied, written into `dir`.
fn edited(dir: &Path, edit: impl FnOnce(String) -> String) -> PathBuf {
    let text = String::from_utf8(common::read(&data("small.ron"))).unwrap();
    let path = dir.join("edited.ron");
    std::fs::write(&path, edit(text)).unwrap();
    path
}

fn stderr_of_check(path: &Path) -> (i32, String) {
    let out = simulate().arg("check").arg(path).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Regression: a file saved by an editor that writes a UTF-8 byte-order mark was refused
/// with a syntax error at 1:1. The mark is not part of the text: the file must load.
#[test]
fn a_byte_order_mark_at_the_start_of_a_file_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let path = edited(dir.path(), |t| format!("\u{feff}{t}"));
    let (code, stderr) = stderr_of_check(&path);
    assert_eq!(code, 0, "{stderr}");
}

/// Regression: conditions nested past RON's recursion limit got RON's advice to its own
/// programmers ("use serde_stacker"). Now: our message, naming how deep conditions may go,
/// and the limits it names are the real ones (29 All levels load, 30 do not).
#[test]
fn conditions_nested_past_the_limit_get_our_own_message() {
    let dir = tempfile::tempdir().unwrap();
    let nested = |levels: usize, wrap: fn(String) -> String| {
        move |t: String| {
            let mut c = "After(\"deal\")".to_string();
            for _ in 0..levels {
                c = wrap(c);
            }
            t.replace("ever: After(\"deal\")", &format!("ever: {c}"))
        }
    };
    let all = |c: String| format!("All([{c}])");
    let not = |c: String| format!("Not({c})");

    for (levels, wrap, loads) in [(29, all as fn(_) -> _, true), (30, all, false)]
        .into_iter()
        .chain([(59, not as fn(_) -> _, true), (60, not, false)])
    {
        let path = edited(dir.path(), nested(levels, wrap));
        let (code, stderr) = stderr_of_check(&path);
        if loads {
            assert_eq!(code, 0, "{levels} levels: {stderr}");
        } else {
            assert_eq!(code, 2, "{levels} levels: {stderr}");
            assert!(
                stderr
                    .contains("conditions nested deeper than 29 levels of All/Any (or 59 of Not)"),
                "{stderr}"
            );
            assert!(!stderr.contains("serde_stacker"), "{stderr}");
            assert!(
                stderr.contains("edited.ron:47:"),
                "names the place: {stderr}"
            );
        }
    }
}

/// Regression: `weight: 1e300` came back in the error as a 301-digit number.
#[test]
fn huge_numbers_in_errors_are_shown_in_scientific_form() {
    let dir = tempfile::tempdir().unwrap();
    let path = edited(dir.path(), |t| {
        t.replacen(
            "State(name: \"A\", weight: 1.0)",
            "State(name: \"A\", weight: 1e300)",
            1,
        )
    });
    let (code, stderr) = stderr_of_check(&path);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("got 1e300 "), "{stderr}");
    assert!(!stderr.contains("00000000000"), "{stderr}");
}

/// Regression: a share of 1e300 was reported once in scientific form and then again as a
/// row total of 301 digits.
#[test]
fn a_huge_share_gives_no_three_hundred_digit_total() {
    let dir = tempfile::tempdir().unwrap();
    let text = String::from_utf8(common::read(&data("small.ron"))).unwrap();
    let tie = text
        .lines()
        .find(|l| l.contains("Tie("))
        .expect("small.ron has ties")
        .to_string();
    let share = tie
        .split("share:")
        .nth(1)
        .and_then(|rest| rest.split([',', ')']).next())
        .expect("a tie has a share")
        .trim()
        .to_string();
    let path = edited(dir.path(), |t| {
        t.replacen(&tie, &tie.replacen(&share, "1e300", 1), 1)
    });
    let (code, stderr) = stderr_of_check(&path);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("1e300"), "{stderr}");
    assert!(!stderr.contains("00000000000"), "{stderr}");
}

/// Regression: a NUL or other control character in a state's or outcome's name was
/// accepted and then broke the SVG plots and the report. Now the loader refuses it, names
/// the character, and nothing is written.
#[test]
fn control_characters_in_names_are_refused_by_the_loader() {
    let dir = tempfile::tempdir().unwrap();
    for (from, to, what) in [
        ("State(name: \"A\"", "State(name: \"A\\u{0}\"", "state"),
        (
            "Outcome(name: \"close\"",
            "Outcome(name: \"cl\\u{1b}ose\"",
            "outcome",
        ),
        ("name: \"small\"", "name: \"sm\\tall\"", "scenario"),
        // A right-to-left override makes a name display as another.
        ("State(name: \"B\"", "State(name: \"B\\u{202e}\"", "state"),
    ] {
        let path = edited(dir.path(), |t| t.replacen(from, to, 1));
        let out = dir.path().join("out");
        let run = simulate()
            .arg(&path)
            .args(["--quiet", "--trajectories", "8", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{what}: {stderr}");
        assert!(
            stderr.contains(&format!("the {what} name")) && stderr.contains("control character"),
            "{what}: {stderr}"
        );
        assert!(!out.exists(), "{what}: nothing is written");
    }
}

/// Regression: a reference to an unknown state was echoed raw. A newline made the problem
/// two lines, the second without the file's name; escape sequences reached the terminal and
/// forged a line "fake.ron:1:1: all good"; a 1 MB name made a 1 MB line. Now each problem
/// is one line that names the file, with no escape byte, of reasonable length.
#[test]
fn unknown_references_are_escaped_and_cut_in_messages() {
    let dir = tempfile::tempdir().unwrap();
    let huge = "Alpha".repeat(200_000);
    for reference in [
        "A\\nB".to_string(),
        "A\\u{1b}[31mRED\\u{1b}[0m\\nfake.ron:1:1: all good".to_string(),
        huge,
    ] {
        let path = edited(dir.path(), |t| {
            t.replacen(
                "(\"A\", \"B\", 0.3)",
                &format!("(\"{reference}\", \"B\", 0.3)"),
                1,
            )
        });
        let (code, stderr) = stderr_of_check(&path);
        let shown = &stderr[..stderr.len().min(300)];
        assert_eq!(code, 2, "{shown}");
        assert!(stderr.contains("unknown state \"A"), "{shown}");
        assert!(!stderr.contains('\u{1b}'), "{shown}");
        let file = path.display().to_string();
        for line in stderr.lines() {
            assert!(line.contains(&file), "a line without the file: {line:?}");
            assert!(line.len() < 300, "a line of {} bytes", line.len());
        }
    }
}
