//! A name written twice in one of the file's maps (`groups`, `beta`, `kappa`, `rho`,
//! `overrides`): RON keeps the last without a word, so the first was silently dropped. It is
//! refused at its line, naming it.

use crate::common::{exits, write};

/// A yearly world with two ranges and the text `extra` among its fields.
fn world(extra: &str) -> String {
    format!(
        r#"Scenario(
    name: "twice",
    step: "year",
    steps: 8,
    channels: ["arms"],
    states: [State(name: "A"), State(name: "B")],
    stances: [("A", "B", Uniform(0.2, 0.4)), ("B", "A", 0.3)],
    params: Params(gamma: Uniform(0.5, 1.5)),
    outcomes: [Outcome(name: "warm", at_end: Above(Stance("A", "B"), 0.0))],
    {extra}
)
"#
    )
}

fn refused(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "twice.ron", text);
    exits(2, &[&"check", &file])
}

/// Defect: `groups: {"a": ["stance.*"], "a": ["gamma"]}` passed `check`, and the first
/// group was dropped: `stance.A.B` stood alone in the analysis.
#[test]
fn a_group_written_twice_is_refused_not_half_dropped() {
    let err = refused(&world(r#"groups: {"a": ["stance.*"], "a": ["gamma"]},"#));
    assert!(
        err.contains("twice.ron:10:") && err.contains("\"a\" is written twice"),
        "{err}"
    );
}

/// Defect: `beta: {"arms": 1.5, "arms": 2.0}` ran with 2.0, the 1.5 silently dropped.
#[test]
fn a_channel_written_twice_in_beta_is_refused_not_overwritten() {
    let text = world("").replace(
        "Params(gamma",
        r#"Params(beta: {"arms": 1.5, "arms": 2.0}, gamma"#,
    );
    let err = refused(&text);
    assert!(
        err.contains("twice.ron:8:") && err.contains("\"arms\" is written twice"),
        "{err}"
    );
}
