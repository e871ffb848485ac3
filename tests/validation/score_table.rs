//! The table `simulate score` prints shows the user's strings (the scenario's name, the
//! observations file's path) as every message does: escaped and cut.

use crate::common;

use std::time::Duration;

use common::{data, simulate, write};

/// Regression: the scenario's name and the observations file's path reached the terminal
/// raw: a 2,000-byte name printed whole, and an escape sequence or a newline in the path
/// coloured the terminal and split the line.
#[test]
fn the_score_table_escapes_and_cuts_the_scenario_name_and_the_observations_path() {
    let dir = tempfile::tempdir().unwrap();
    let small = std::fs::read_to_string(data("small.ron")).unwrap();
    let long_name = format!("small{}", "S".repeat(2000));
    let text = small.replacen("name: \"small\"", &format!("name: \"{long_name}\""), 1);
    assert_ne!(text, small, "the fixture names its scenario \"small\"");
    let scenario = write(dir.path(), "long.ron", &text);
    let folder = dir.path().join("obs\u{1b}[31mred\nnext");
    std::fs::create_dir(&folder).unwrap();
    let observed = folder.join("small.observed.csv");
    std::fs::copy(data("small.observed.csv"), &observed).unwrap();
    let run = simulate()
        .arg("score")
        .arg(&scenario)
        .arg("--observed")
        .arg(&observed)
        .args(["--trajectories", "200", "--out"])
        .arg(dir.path().join("scored"))
        .timeout(Duration::from_secs(120))
        .output()
        .expect("simulate runs");
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(run.status.success(), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "{stdout}");
    let header = stdout.lines().next().unwrap();
    assert!(header.contains("(2,005 bytes)"), "{header}");
    assert!(header.len() < 600, "{header}");
    assert!(
        header.ends_with("obs\\u{1b}[31mred\\u{a}next/small.observed.csv"),
        "{header}"
    );
}
