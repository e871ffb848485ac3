//! A supplier of a share, as the loader reads it: a state or `Others`, the rest of the world.

use crate::common;

use common::{data, read};

// Defect (hostile review): `Share("A", "Otters", "aid", ...)` got "unknown state" and the
// list of states, never the "did you mean" for `Others`, a valid name for a supplier.
#[test]
fn a_misspelt_supplier_is_offered_others() {
    let dir = tempfile::tempdir().unwrap();
    let text = String::from_utf8(read(&data("small.ron"))).unwrap();
    let text = text.replace(
        "effects: [Share(\"A\", \"B\", \"aid\", Add(0.3))",
        "effects: [Share(\"A\", \"Otters\", \"aid\", Add(0.3))",
    );
    assert!(text.contains("Otters"));
    let file = common::write(dir.path(), "otters.ron", &text);
    let err = common::exits(2, &[&"check", &file]);
    assert!(err.contains("otters.ron:39:36:"), "{err}");
    assert!(err.contains("did you mean \"Others\"?"), "{err}");
}

// Defect (review): a misspelt name's problem was kept for its next use whatever the names
// it was measured against, so a supplier's "did you mean \"Others\"?" was shown for a
// stance metric (where `Others` is refused), at the metric.
#[test]
fn others_is_suggested_only_where_a_supplier_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"Scenario(
    name: "otters",
    steps: 12,
    background: None,
    states: [State(name: "India"), State(name: "Russia")],
    channels: ["arms"],
    metrics: [Stance("India", "Otters")],
    ties: [Tie(from: "India", to: "Otters", channel: "arms", share: 0.3)],
)"#;
    let file = common::write(dir.path(), "otters.ron", text);
    let err = common::exits(2, &[&"check", &file]);
    let line = |at: &str| {
        (err.lines())
            .find(|l| l.contains(at))
            .unwrap_or_else(|| panic!("no problem at {at}: {err}"))
    };
    let metric = line("otters.ron:7:31:");
    assert!(metric.contains("unknown state \"Otters\""), "{err}");
    assert!(!metric.contains("Others"), "{err}");
    assert!(metric.contains("known states: India, Russia"), "{err}");
    let tie = line("otters.ron:8:35:");
    assert!(tie.contains("did you mean \"Others\"?"), "{err}");
}

// Defect (s25, after `compile::names::Among`): a misspelt state first written where it
// supplies a share, and named again as a recipient or a stance's end, got two lines at the
// supplier's place: "(known states: ...)" from the lookup as a state, "did you mean
// \"Others\"?" from the lookup as a supplier. One line now, the supplier's hint (the role
// written there), in whichever order the lookups come; a name misspelt the same in a tie's
// two ends gets a line at each end, each with its own role's hint.
#[test]
fn a_misspelt_state_where_it_supplies_gets_one_line_with_the_suppliers_hint() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, fields: &str| {
        let text = format!(
            "Scenario(\n    name: \"t\",\n    steps: 4,\n    background: None,\n    \
             channels: [\"aid\"],\n    \
             states: [State(name: \"A\"), State(name: \"B\"), State(name: \"Oman\")],\n    \
             {fields}\n)"
        );
        common::write(dir.path(), name, &text)
    };
    let lines_at = |err: &str, at: &str| err.lines().filter(|l| l.contains(at)).count();
    // The recipient of a later tie (looked up after the supplier) ...
    let later = file(
        "later.ron",
        "ties: [Tie(from: \"A\", to: \"Othrs\", channel: \"aid\", share: 0.1), \
         Tie(from: \"Othrs\", to: \"A\", channel: \"aid\", share: 0.1)],",
    );
    // ... and a stance written after the tie (looked up before it).
    let stance = file(
        "stance.ron",
        "ties: [Tie(from: \"A\", to: \"Othrs\", channel: \"aid\", share: 0.1)], \
         stances: [(\"Othrs\", \"A\", 0.1)],",
    );
    for path in [&later, &stance] {
        let err = common::exits(2, &[&"check", path]);
        assert_eq!(lines_at(&err, ":7:31:"), 1, "{err}");
        assert_eq!(err.matches("\"Othrs\"").count(), 1, "{err}");
        assert!(
            err.contains(":7:31: unknown state \"Othrs\" — did you mean \"Others\"?"),
            "{err}"
        );
    }
    let both_ends = file(
        "ends.ron",
        "ties: [Tie(from: \"Othrs\", to: \"Othrs\", channel: \"aid\", share: 0.1)],",
    );
    let err = common::exits(2, &[&"check", &both_ends]);
    assert!(
        err.contains(":7:22: unknown state \"Othrs\" (known states: A, B, Oman)"),
        "{err}"
    );
    assert!(
        err.contains(":7:35: unknown state \"Othrs\" — did you mean \"Others\"?"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 2, "{err}");
}
