//! `sensitivity --against` a scenario and itself: a warning, since every effect is zero.

use crate::common;

use common::{data, simulate, stderr_of};

/// `simulate sensitivity B --against A` into a fresh folder, which must succeed: its
/// standard error.
fn against(b: &std::path::Path, a: &std::path::Path) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let run = simulate()
        .arg("sensitivity")
        .arg(b)
        .arg("--against")
        .arg(a)
        .args(["--samples", "4", "-n", "2", "--quiet", "--out"])
        .arg(tmp.path().join("out"))
        .assert()
        .success();
    stderr_of(&run)
}

// Defect (issue 21, 6): `sensitivity B --against B` ran without a word, though every
// effect of a scenario against itself is identically zero. Now it warns, on one line,
// for the same file or a copy of its bytes, and not for two different files.
#[test]
fn sensitivity_against_the_same_file_gives_no_warning() {
    let level = data("sens_level.ron");
    let same = against(&level, &level);
    assert!(same.contains("is the same scenario as"), "{same}");
    let warnings = same.lines().filter(|l| l.contains("same scenario")).count();
    assert_eq!(warnings, 1, "{same}");
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("copy.ron");
    std::fs::copy(&level, &copy).unwrap();
    assert!(against(&level, &copy).contains("is the same scenario as"));
    let other = against(&data("sens_effect.ron"), &level);
    assert!(!other.contains("same scenario"), "{other}");
}
