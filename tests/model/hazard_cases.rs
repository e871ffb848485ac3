//! Issue 25, item 3: a hazard given by cases over conditions, the first that holds applies
//! (docs/src/reference/events.md, "Hazard by cases").

use crate::common;

use common::{follow, world_of};

/// A break with Moscow: 0.02 a step, 0.2 once Moscow arms the rival (step 10 on), 0.5 if
/// there is also a war (step 20 on); it may happen again, so every step is exposed.
const BREAK: &str = r#"Scenario(
    name: "break",
    steps: 30,
    background: None,
    states: [State(name: "India"), State(name: "Russia"), State(name: "Pakistan")],
    events: [
        Event(name: "rival_armed", at: 10),
        Event(name: "war", at: 20),
        Event(name: "break", hazard: 0.02, repeat: true,
              cases: [(All([After("war"), After("rival_armed")]), 0.5), (After("rival_armed"), 0.2)]),
    ],
)"#;

#[test]
fn a_hazard_by_cases_fires_at_each_cases_rate() {
    let dir = tempfile::tempdir().unwrap();
    let world = world_of(dir.path(), "break.ron", BREAK);
    // (steps, firings) in the default (steps 1-9), case 2 (10-19) and case 1 (20-30).
    let mut counts = [(0u32, 0u32); 3];
    for r in 0..4000 {
        let mut before = 0;
        follow(&world, 11, r, |t, state| {
            let regime = match t {
                0 => return,
                1..=9 => 0,
                10..=19 => 1,
                _ => 2,
            };
            counts[regime].0 += 1;
            counts[regime].1 += state.fired[2] - before;
            before = state.fired[2];
        });
    }
    for ((steps, firings), want) in counts.into_iter().zip([0.02, 0.2, 0.5]) {
        let rate = f64::from(firings) / f64::from(steps);
        let error = (want * (1.0 - want) / f64::from(steps)).sqrt();
        assert!(
            (rate - want).abs() < 4.0 * error,
            "realised {rate:.4} over {steps} steps, the case gives {want} ± {error:.4}"
        );
    }
}

/// Each case's number has its own path, so a range, a sweep or a variant reaches it.
#[test]
fn each_case_of_a_hazard_is_a_number_with_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let world = world_of(dir.path(), "break.ron", BREAK);
    let paths: Vec<&str> = world.params.iter().map(|p| p.path.as_str()).collect();
    let at = paths
        .iter()
        .position(|p| *p == "event.break.hazard")
        .unwrap();
    assert_eq!(
        paths[at..at + 3],
        [
            "event.break.hazard",
            "event.break.hazard.case.1",
            "event.break.hazard.case.2"
        ]
    );
    let path =
        entente::scenario::number_path::NumberPath::parse("event.break.hazard.case.2", &world)
            .expect("a sweep reads the path");
    assert_eq!(path.text(&world), "event.break.hazard.case.2");
}
