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

/// A file whose outcomes ask of thresholds past their metrics' ranges, or at the top of one
/// with `Above` (strict: it can never hold either; hostile pass, left by the last stop).
const THRESHOLDS: &str = r#"Scenario(
    name: "thr", steps: 4, trajectories: 10,
    channels: ["arms"],
    states: [State(name: "A"), State(name: "B")],
    ties: [Tie(from: "A", to: "B", channel: "arms", share: 0.4)],
    outcomes: [
        Outcome(name: "never", at_end: Above(Share("A", "B", "arms"), 1.5)),
        Outcome(name: "always", ever: Below(Stance("A", "B"), 2)),
        Outcome(name: "mixed", at_end: All([SameBloc("A", "B"), Not(Above(Partnership("A", "B"), -3))])),
        Outcome(name: "decided_by_the_rest", at_end: Any([SameBloc("A", "B"), Above(Stance("A", "B"), 1e300)])),
        Outcome(name: "at_the_top", at_end: Above(Stance("A", "B"), 1)),
        Outcome(name: "avg", at_end: Above(Average(Share("A", "B", "arms"), 2), /* c, ) */ 1.01)),
    ],
)
"#;

// Defect (mend, hostile trial): `Above(Share(..), 1.5)` and a stance threshold past 1 loaded
// without a word, though the outcome can never (or always) hold. Now a warning at the
// threshold's line and column, naming the outcome and what it always is; `check` still
// exits 0.
#[test]
fn an_outcome_threshold_outside_its_metrics_range_loads_silently() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "thr.ron", THRESHOLDS);
    let err = exits(0, &[&"check", &file]);
    // Each threshold's column, found in the text.
    let at = |line: usize, needle: &str| {
        let text = THRESHOLDS.lines().nth(line - 1).unwrap();
        format!("thr.ron:{line}:{}: ", text.find(needle).unwrap() + 1)
    };
    let expected = [
        (
            at(7, "1.5"),
            "outcome \"never\": the threshold 1.5 of Above(Share(…), …) is above the highest \
             value a Share can take, 1: this Above can never hold, so the outcome can never \
             hold",
        ),
        (
            at(8, "2)"),
            "outcome \"always\": the threshold 2 of Below(Stance(…), …) is above the highest \
             value a Stance can take, 1: this Below always holds, so the outcome always holds",
        ),
        (
            at(9, "-3"),
            "outcome \"mixed\": the threshold -3 of Above(Partnership(…), …) is below the \
             lowest value a Partnership can take, -1: this Above always holds, so the outcome \
             can never hold",
        ),
        (
            at(11, "1)"),
            "outcome \"at_the_top\": the threshold 1 of Above(Stance(…), …) is at the highest \
             value a Stance can take, 1: this Above (a strict comparison: no Stance is above \
             it) can never hold, so the outcome can never hold",
        ),
        (
            at(10, "1e300"),
            "outcome \"decided_by_the_rest\": the threshold 1e300 of Above(Stance(…), …) is \
             above the highest value a Stance can take, 1: this Above can never hold, so the \
             rest of the outcome's condition decides it",
        ),
    ];
    for (place, message) in &expected {
        let line = format!("/{place}{message}");
        let found = err
            .lines()
            .any(|l| l.starts_with("warning: ") && l.ends_with(&line));
        assert!(found, "{line}\n{err}");
    }
    // After a comment holding a comma and a bracket, the threshold is still found.
    let avg = format!(
        "/{}outcome \"avg\": the threshold 1.01 of Above(Average(…), …) is above the highest \
         value an Average can take, 1",
        at(12, "1.01")
    );
    assert!(err.contains(&avg), "{avg}\n{err}");
    assert_eq!(
        err.lines().filter(|l| l.contains("threshold")).count(),
        6,
        "{err}"
    );
    assert!(!err.contains("\"fine\""), "{err}");
}

// A variant that adds such an outcome is warned at its own line; its base's warnings are
// said once, at the base.
#[test]
fn a_variants_outcome_threshold_is_warned_in_the_variant_and_the_bases_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "thr.ron", THRESHOLDS);
    let variant = write(
        dir.path(),
        "v.ron",
        "Variant(\n  base: \"thr.ron\",\n  name: \"v\",\n  changes: [\n    \
         AddOutcome(Outcome(name: \"more\", at_end: Below(Dependence(\"A\", \"arms\"), -0.5))),\n  \
         ],\n)\n",
    );
    let err = exits(0, &[&"check", &variant]);
    assert!(
        err.contains("/v.ron:5:77: outcome \"more\": the threshold -0.5 of Below"),
        "{err}"
    );
    assert_eq!(err.matches("outcome \"never\"").count(), 1, "{err}");
    assert!(err.contains("/thr.ron:7:"), "{err}");
}
