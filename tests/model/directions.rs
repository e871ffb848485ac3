//! Issue 25, item 4: an event whose effects are one of several sets drawn with given
//! weights, on its own keyed stream (docs/src/reference/events.md, "Effects of random
//! direction").

use crate::common;

use common::{follow, world_of};

/// A coup at step 2 that tilts toward B or toward C, and a deal with its own hazard.
fn coup(effects: &str) -> String {
    format!(
        r#"Scenario(
    name: "coup",
    steps: 10,
    // The affinities read as written, not as departures from a world at rest.
    at_rest: false,
    background: None,
    states: [State(name: "A"), State(name: "B"), State(name: "C")],
    stances: [("A", "B", 0.1), ("A", "C", 0.1)],
    events: [
        Event(name: "coup", at: 2{effects}),
        Event(name: "deal", hazard: 0.15, repeat: true, effects: [Stance("A", "B", Add(0.05))]),
    ],
)"#
    )
}

const TILT: &str =
    r#", one_of: [(0.6, [Affinity("A", "B", Add(1.0))]), (0.4, [Affinity("A", "C", Add(1.0))])]"#;

#[test]
fn a_random_direction_splits_by_its_weights() {
    let dir = tempfile::tempdir().unwrap();
    let world = world_of(dir.path(), "coup.ron", &coup(TILT));
    let trajectories = 20_000;
    let mut toward_b = 0;
    for r in 0..trajectories {
        let mut end = [0.0; 2];
        follow(&world, 5, r, |_, s| end = [s.affinity[1], s.affinity[2]]);
        assert!(
            end == [1.0, 0.0] || end == [0.0, 1.0],
            "trajectory {r}: {end:?}"
        );
        toward_b += usize::from(end[0] == 1.0);
    }
    let share = toward_b as f64 / trajectories as f64;
    let error = (0.6 * 0.4 / trajectories as f64).sqrt();
    assert!(
        (share - 0.6).abs() < 4.0 * error,
        "{share} toward B, 0.6 ± {error}"
    );
}

/// The direction is drawn from `event:coup:direction`: with it, every other event fires at
/// the same steps as without it, trajectory by trajectory.
#[test]
fn adding_a_random_direction_changes_no_other_draw() {
    let dir = tempfile::tempdir().unwrap();
    let without = world_of(dir.path(), "a.ron", &coup(""));
    let with = world_of(dir.path(), "b.ron", &coup(TILT));
    let mut deals = 0;
    for r in 0..500 {
        let (mut a, mut b) = (vec![], vec![]);
        follow(&without, 5, r, |_, s| a.push(s.fired[1]));
        follow(&with, 5, r, |_, s| b.push(s.fired[1]));
        assert_eq!(a, b, "trajectory {r}: the deal's firings moved");
        deals += a.last().unwrap();
    }
    assert!(
        deals > 300,
        "the deal fired {deals} times in 500 trajectories"
    );
}

/// A weight may be a range, drawn per trajectory (`event.<name>.one_of.<D>`): with weights
/// Uniform(0, 1) and 1, the first set's chance is E[w / (w + 1)] = 1 − ln 2.
#[test]
fn a_drawn_weight_gives_its_set_the_expected_chance() {
    let dir = tempfile::tempdir().unwrap();
    let tilt = r#", one_of: [(Uniform(0.0, 1.0), [Affinity("A", "B", Add(1.0))]), (1.0, [Affinity("A", "C", Add(1.0))])]"#;
    let world = world_of(dir.path(), "coup.ron", &coup(tilt));
    assert!(world.params.iter().any(|p| p.path == "event.coup.one_of.1"));
    let trajectories = 20_000;
    let mut toward_b = 0;
    for r in 0..trajectories {
        let mut end = 0.0;
        follow(&world, 6, r, |_, s| end = s.affinity[1]);
        toward_b += usize::from(end == 1.0);
    }
    let want = 1.0 - 2f64.ln();
    let share = toward_b as f64 / trajectories as f64;
    let error = (want * (1.0 - want) / trajectories as f64).sqrt();
    assert!(
        (share - want).abs() < 4.0 * error,
        "{share} toward B, {want} ± {error}"
    );
}
