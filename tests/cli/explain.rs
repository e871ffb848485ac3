//! `simulate explain` at the command line: what it prints, and its refusals.

use crate::common::{exits, scenario, simulate};

/// An outcome the scenario does not define is refused before any work (nothing is
/// written), naming the flag and suggesting the nearest outcome.
#[test]
fn explain_refuses_an_unknown_outcome_with_a_suggestion_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let visit = scenario("putin_visit.ron");
    let err = exits(
        2,
        &[
            &"explain",
            &visit,
            &"--outcome",
            &"partnership_deepen",
            &"--out",
            &out,
        ],
    );
    assert!(err.contains("--outcome \"partnership_deepen\""), "{err}");
    assert!(
        err.contains("did you mean \"partnership_deepens\"?"),
        "{err}"
    );
    assert!(!out.exists(), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    // A hostile name is escaped and cut: no terminal control, a bounded line.
    let hostile = format!("\u{1b}[2J{}", "x".repeat(100_000));
    let err = exits(
        2,
        &[&"explain", &visit, &"--outcome", &hostile, &"--out", &out],
    );
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(err.len() < 2_000, "{} bytes", err.len());
    assert!(
        err.contains("its outcomes are") || err.contains("did you mean"),
        "{err}"
    );
    assert!(!out.exists());
}

/// The printed table: each outcome asked about with its top events, and the forces; only
/// the outcome `--outcome` names.
#[test]
fn explain_prints_the_events_each_outcome_rests_on_and_the_largest_forces() {
    let dir = tempfile::tempdir().unwrap();
    let done = simulate()
        .arg("explain")
        .arg(scenario("putin_visit.ron"))
        .args(["--outcome", "russia_holds_both", "-n", "300", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let text = String::from_utf8_lossy(&done.get_output().stdout).into_owned();
    assert!(text.contains("  russia_holds_both  "), "{text}");
    assert!(!text.contains("partnership_deepens"), "{text}");
    assert!(text.contains("    without putin_visit: "), "{text}");
    assert!(text.contains("largest forces at the last step"), "{text}");
    assert!(
        text.contains("Partnership(Pakistan, Russia)  argument "),
        "{text}"
    );
    let contributions = std::fs::read_to_string(dir.path().join("out/contributions.csv")).unwrap();
    assert!(
        !contributions.contains("partnership_deepens"),
        "{contributions}"
    );
    assert!(contributions.contains("outcome,russia_holds_both,putin_visit,"));
}
