//! The rest of the world (`Others`) and shifts of shares (`Gain`, `Lose`) misused: each
//! refused with exit 2 at the line that has it, before any work (issue 25, items 1 and 2).

use crate::common;

use common::{exits, write, ARMS_FROM_OTHERS};

/// A four-state world whose arms row of A holds B, C and the rest of the world; `edit`
/// changes its text.
fn world(edit: impl FnOnce(String) -> String) -> String {
    edit(format!(
        r#"Scenario(
    name: "shares",
    steps: 4,
{ARMS_FROM_OTHERS}    events: [
        Event(name: "deal", at: 1, effects: [
            Share("A", "C", "arms", Gain(0.1)),
        ]),
    ],
    metrics: [Share("A", "Others", "arms")],
)
"#
    ))
}

/// Runs `simulate check` on `text`, which must be refused: its stderr.
fn refused(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "shares.ron", text);
    exits(2, &[&"check", &path])
}

#[test]
fn the_rest_of_the_world_as_a_supplier_loads() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "shares.ron", &world(|t| t));
    exits(0, &[&"check", &path]);
}

#[test]
fn a_state_called_others_is_refused_at_its_definition() {
    let text = world(|t| {
        t.replace(
            "State(name: \"C\")",
            "State(name: \"C\"),\n        State(name: \"Others\")",
        )
    });
    let err = refused(&text);
    assert!(err.contains("shares.ron:7:"), "{err}");
    assert!(err.contains("may not be called \"Others\""), "{err}");
}

#[test]
fn others_as_a_stances_state_is_refused_at_its_line() {
    let text = world(|t| {
        t.replace(
            "stances: [(\"A\", \"B\", 0.2)]",
            "stances: [(\"A\", \"B\", 0.2),\n        (\"Others\", \"A\", 0.1)]",
        )
    });
    let err = refused(&text);
    assert!(err.contains("shares.ron:8:10:"), "{err}");
    assert!(err.contains("the rest of the world"), "{err}");
    let text = world(|t| {
        t.replace(
            "Share(\"A\", \"C\", \"arms\", Gain(0.1))",
            "Stance(\"A\", \"Others\", Add(0.1))",
        )
    });
    let err = refused(&text);
    assert!(err.contains("shares.ron:14:20:"), "{err}");
}

#[test]
fn a_gain_above_one_or_below_zero_is_refused_at_its_line() {
    // A fixed amount at its effect; a range, as every range of an effect, at its event.
    for (bad, at) in [
        ("Gain(1.5)", "shares.ron:14:19:"),
        ("Lose(-0.1)", "shares.ron:14:19:"),
        ("Gain(Uniform(0.5, 1.5))", "shares.ron:13:21:"),
    ] {
        let text = world(|t| t.replace("Gain(0.1)", bad));
        let err = refused(&text);
        assert!(err.contains(at), "{bad}: {err}");
        assert!(err.contains("[0, 1]"), "{bad}: {err}");
    }
}

#[test]
fn a_gain_of_a_stance_is_refused() {
    let text = world(|t| {
        t.replace(
            "Share(\"A\", \"C\", \"arms\", Gain(0.1))",
            "Stance(\"A\", \"C\", Gain(0.1))",
        )
    });
    let err = refused(&text);
    assert!(err.contains("shares.ron:14:20:"), "{err}");
    assert!(
        err.contains("Gain and Lose shift a supplier's share"),
        "{err}"
    );
}

#[test]
fn an_unknown_supplier_is_refused_with_a_suggestion() {
    let text = world(|t| {
        t.replace(
            "Share(\"A\", \"C\", \"arms\", Gain(0.1))",
            "Share(\"A\", \"Cc\", \"arms\", Gain(0.1))",
        )
    });
    let err = refused(&text);
    assert!(err.contains("shares.ron:14:24:"), "{err}");
    assert!(err.contains("unknown state \"Cc\""), "{err}");
    assert!(err.contains("did you mean \"C\""), "{err}");
}

#[test]
fn an_attractiveness_outside_minus_one_to_one_is_refused() {
    let text = world(|t| {
        t.replace(
            "background: None,",
            "background: None,\n    others: Others(attractiveness: 2.0),",
        )
    });
    let err = refused(&text);
    assert!(err.contains("shares.ron:5:"), "{err}");
    assert!(err.contains("attractiveness"), "{err}");
}
