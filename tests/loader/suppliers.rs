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
