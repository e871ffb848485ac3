//! The table `simulate sensitivity` prints: what a reader sees on the terminal.

use crate::common::{self, simulate};

/// Regression (issue 24's last trial): a row marked `no` gave no reason on the row; the
/// outcome's reasons (shared by every row) were printed on lines above the table. Now a row
/// says `no (1, 2)` and every number's reason follows the table, before the next output's.
#[test]
fn a_row_marked_no_gives_its_reason_on_the_row_or_right_under_the_table() {
    let tmp = tempfile::tempdir().unwrap();
    // A stance is never below -1: `never_below` holds in every run, so every row is `no`
    // for the outcome's reasons alone.
    let file = common::write(
        tmp.path(),
        "certain.ron",
        r#"(name: "certain", steps: 4, trajectories: 20, states: [(name: "A"), (name: "B")],
            params: (sigma: Uniform(0.01, 0.05), eta: Uniform(0.05, 0.2)),
            outcomes: [(name: "never_below", at_end: Above(Stance("A", "B"), -1.5))])"#,
    );
    let out = simulate()
        .arg("sensitivity")
        .arg(&file)
        .args(["--samples", "8", "--trajectories", "20", "--out"])
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = printed.lines().map(str::trim).collect();
    let header = lines
        .iter()
        .position(|l| l.starts_with("parameter"))
        .unwrap();
    let rows = &lines[header + 1..header + 3];
    let under = &lines[header + 3..];
    for row in rows {
        let marks = row
            .split_once(" no (")
            .and_then(|(_, m)| m.strip_suffix(')'))
            .unwrap_or_else(|| panic!("a `no` row without its reasons' numbers: {row}\n{printed}"));
        for mark in marks.split(", ") {
            let note = format!("({mark}) ");
            assert!(
                under.iter().any(|l| l.starts_with(&note)),
                "reason {mark} is not under the table:\n{printed}"
            );
        }
    }
    for reason in [
        "probability 100.00% is above 99%",
        "variance across the design 0 is below the floor",
    ] {
        let at = lines.iter().position(|l| l.contains(reason)).unwrap();
        assert!(
            at > header + 2,
            "{reason} is not under the table:\n{printed}"
        );
    }
}

/// The table of `certain.ron` (an outcome that holds in every run) beside a tracked stance,
/// from 8 samples of `trajectories` each.
fn certain_table(trajectories: &str) -> String {
    certain_run(trajectories).1
}

/// Runs `certain.ron`'s sensitivity (8 samples of `trajectories` each) into `out` of the
/// returned folder; returns the folder and what was printed.
fn certain_run(trajectories: &str) -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    let file = common::write(
        tmp.path(),
        "certain.ron",
        r#"(name: "certain", steps: 4, trajectories: 20, states: [(name: "A"), (name: "B")],
            params: (sigma: Uniform(0.01, 0.05), eta: Uniform(0.05, 0.2)),
            outcomes: [(name: "never_below", at_end: Above(Stance("A", "B"), -1.5))],
            metrics: [Stance("A", "B")])"#,
    );
    let out = simulate()
        .arg("sensitivity")
        .arg(&file)
        .args(["--samples", "8", "--trajectories", trajectories, "--out"])
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    (tmp, printed)
}

/// Regression (hostile pass): a table's first line printed its variance in five decimals
/// and its reasons in two digits of scientific form, so one number read as `0.00000` above
/// and `0` below, or `0.00407` above and `4.1e-3` below. Both now print it alike.
#[test]
fn a_variance_of_0_read_0_00000_above_the_table_and_0_under_it() {
    let printed = certain_table("20");
    let mut header = None;
    let mut compared = 0;
    for line in printed.lines() {
        if let Some((_, v)) = line.split_once(", variance across the design ") {
            header = Some(v.to_string());
        } else if let Some((_, rest)) = line.split_once(") variance across the design ") {
            let (v, _) = rest.split_once(" is below").unwrap();
            assert_eq!(Some(v), header.as_deref(), "{printed}");
            compared += 1;
        }
    }
    assert!(compared >= 1, "{printed}");
    assert!(!printed.contains("0.00000"), "{printed}");
}

/// Regression (hostile pass): `-n 1` printed "1 trajectories each".
#[test]
fn one_trajectory_a_point_was_1_trajectories_each() {
    let printed = certain_table("1");
    assert!(printed.contains(", 1 trajectory each, seed"), "{printed}");
}

/// Regression (hostile pass): the tornado chart's caption said "1 trajectories each" where
/// the printed table had been fixed to "1 trajectory each".
#[test]
fn the_tornado_caption_of_one_trajectory_a_point_said_1_trajectories_each() {
    let (tmp, _) = certain_run("1");
    let out = tmp.path().join("out");
    let svg = std::fs::read_to_string(out.join("plots/tornado_01_never_below.svg")).unwrap();
    assert!(svg.contains("1 trajectory each"), "{svg}");
    assert!(!svg.contains("1 trajectories each"));
}
