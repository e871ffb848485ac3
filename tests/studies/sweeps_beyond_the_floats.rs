//! A sweep of an effect amount across the whole of the floats: its axis had an infinite
//! width, and drawing it never ended. Amounts are swept within `model::AMOUNT_LIMIT`; wider
//! bounds are refused before any work.

use crate::common::{refused_not_hung, simulate, write};

const FILE: &str = r#"Scenario(
    name: "wide",
    step: "year",
    steps: 6,
    background: None,
    channels: ["arms"],
    states: [State(name: "A"), State(name: "B")],
    stances: [("A", "B", 0.3), ("B", "A", 0.3)],
    events: [Event(name: "shock", at: 2, effects: [Stance("A", "B", Add(Uniform(-0.3, -0.1)))])],
    outcomes: [Outcome(name: "warm", at_end: Above(Stance("A", "B"), 0.0))],
)
"#;

/// Defect: `--param event.shock.effect.1=-1e308:1e308:3` ran its three points, then hung
/// for ever drawing the curve's axis (its width overflows), deaf to Ctrl-C, its staging
/// folder left behind.
#[test]
fn a_sweep_of_an_effect_amount_across_the_floats_is_refused_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "wide.ron", FILE);
    let err = refused_not_hung(
        simulate()
            .arg("sweep")
            .arg(&file)
            .args([
                "--param",
                "event.shock.effect.1=-1e308:1e308:3",
                "-n",
                "4",
                "--quiet",
            ])
            .arg("--out")
            .arg(dir.path().join("out")),
    );
    assert!(
        err.contains("valid range [-1000000000, 1000000000]"),
        "{err}"
    );
}
