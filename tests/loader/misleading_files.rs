//! Files that load but do not mean what they seem to: an outcome that only reads back an
//! event's firing, however it is wrapped, is flagged by `check`; a Normal far wider than its
//! range, which would collapse to its mean, is refused at its place. Found by using the
//! issue-11 features as a careless or hostile analyst would; each test is named after the
//! defect it pins.

use crate::common;

use common::{exits, write, REST3};

#[test]
fn an_outcome_that_wraps_one_after_in_all_or_a_double_not_escapes_the_read_back_warning() {
    // `All([After("e")])`, `Any([After("e")])` and `Not(Not(After("e")))` ask exactly what
    // `After("e")` asks: they read back the event's firing just the same.
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "rb.ron",
        r#"Scenario(
    name: "rb", steps: 10, trajectories: 50, seed: 5,
    states: [State(name: "A"), State(name: "B"), State(name: "C")],
    events: [Event(name: "e", hazard: 0.1, effects: [Mutual("A","B",Add(0.3))])],
    outcomes: [
        Outcome(name: "o_all", at_end: All([After("e")])),
        Outcome(name: "o_any", ever: Any([After("e")])),
        Outcome(name: "o_notnot", at_end: Not(Not(After("e")))),
        Outcome(name: "asks", at_end: All([After("e"), Above(Partnership("A", "B"), 0.2)])),
    ],
)
"#,
    );
    let err = exits(0, &[&"check", &file]);
    for name in ["o_all", "o_any", "o_notnot"] {
        assert!(
            err.contains(&format!("outcome \"{name}\" only reads back")),
            "{err}"
        );
    }
    assert!(!err.contains("\"asks\""), "{err}");
}

#[test]
fn a_normal_far_wider_than_its_range_collapses_silently_to_its_mean() {
    // Was: `hazard: Normal(0.0, 1e300)` (meant as "anything in [0, 1]") ran with exit 0 and
    // the event never fired: every rejection try fell outside [0, 1] and the draw fell back
    // to the mean, 0. With sd 100, 1.8% of the draws did. Refused now, at its position.
    let dir = tempfile::tempdir().unwrap();
    for sd in ["1e300", "100.0"] {
        let file = write(
            dir.path(),
            "flat.ron",
            &format!(
                r#"Scenario(
    name: "flat", steps: 1, trajectories: 100, seed: 1,
    states: [State(name: "A"), State(name: "B")],
    events: [Event(name: "e", hazard: Normal(0.0, {sd}), effects: [Mutual("A", "B", Add(0.1))])],
    outcomes: [Outcome(name: "warm", ever: Above(Partnership("A", "B"), 0.05))],
)
"#
            ),
        );
        let err = exits(2, &[&"check", &file]);
        assert!(err.contains("flat.ron:4:"), "{err}");
        assert!(err.contains("Uniform(0, 1)"), "{err}");
    }
    // A wide but honest Normal is still accepted.
    let file = write(
        dir.path(),
        "wide.ron",
        &REST3.replace("gamma: Uniform(0.0, 2.0)", "gamma: Normal(1.0, 0.5)"),
    );
    exits(0, &[&"check", &file]);
}
