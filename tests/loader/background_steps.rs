//! The length of a step the background is told (`Background(steps_per_year: x)`) for a file
//! whose steps are not a unit of time: a step of more than a century is refused.

use crate::common::{refused_not_hung, simulate, write};

/// Defect: `steps_per_year: 1e-9` (a step of a billion years) passed `check`, and a run of
/// 10 trajectories of 8 steps did not end: 1e8 background changes a step and relation.
#[test]
fn a_background_step_of_a_billion_years_is_refused_not_a_run_that_never_ends() {
    let text = r#"Scenario(
    name: "eons",
    steps: 8,
    channels: ["arms"],
    states: [State(name: "A"), State(name: "B")],
    stances: [("A", "B", 0.3), ("B", "A", 0.3)],
    ties: [Tie(from: "A", to: "B", channel: "arms", share: 0.5)],
    background: Background(steps_per_year: 1e-9),
    outcomes: [Outcome(name: "warm", at_end: Above(Stance("A", "B"), 0.0))],
)
"#;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "eons.ron", text);
    let err = refused_not_hung(
        simulate()
            .arg(&file)
            .args(["-n", "10", "--quiet", "--out"])
            .arg(dir.path().join("out")),
    );
    assert!(
        err.contains("eons.ron:8:") && err.contains("steps_per_year must be a number in [0.01"),
        "{err}"
    );
}
