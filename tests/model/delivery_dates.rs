//! Issue 25, item 5: a known contract whose delivery date is uncertain is an event whose
//! `at` is a range (issue 22, item 1: the same feature), drawn once per trajectory from
//! the stream of its path `event.<name>.at` (docs/src/reference/events.md).

use crate::common;

use common::{follow, world_of};

/// Fighters ordered before the origin (quarter 0), expected between quarters 5 and 12:
/// each delivery moves 0.3 of Peru's arms supply to Russia.
const ORDER: &str = r#"Scenario(
    name: "delivery",
    step: "quarter",
    steps: 16,
    background: None,
    channels: ["arms"],
    states: [State(name: "Peru"), State(name: "Russia"), State(name: "USA")],
    ties: [Tie(from: "Peru", to: "USA", channel: "arms", share: 0.5)],
    params: Params(kappa: {"arms": 0.0}, rho: {"arms": 1.0}),
    events: [Event(name: "fighters_arrive", at: Uniform(4.5, 12.5),
                   effects: [Share("Peru", "Russia", "arms", Add(0.3))])],
)"#;

#[test]
fn a_delivery_ordered_before_the_origin_arrives_between_two_dates() {
    let dir = tempfile::tempdir().unwrap();
    let world = world_of(dir.path(), "delivery.ron", ORDER);
    let slot = (world.params.iter())
        .find(|p| p.path == "event.fighters_arrive.at")
        .expect("the date is a drawn number with its path");
    assert_eq!(slot.sampler.support(), (4.5, 12.5));
    let trajectories: u32 = 8000;
    let mut arrivals = [0u32; 17];
    for r in 0..trajectories {
        let mut arrived = None;
        // With rho 1 the shares stay on their anchors: only the delivery moves them.
        follow(&world, 2, u64::from(r), |t, s| {
            if s.share[1] > 0.0 && arrived.is_none() {
                arrived = Some(t);
            }
        });
        let t = arrived.expect("every trajectory gets its delivery");
        assert!((5..=12).contains(&t), "trajectory {r}: delivered at {t}");
        arrivals[t as usize] += 1;
    }
    // Each quarter from 5 to 12 equally likely: 1/8.
    let error = (0.125 * 0.875 / f64::from(trajectories)).sqrt();
    for (t, &count) in arrivals
        .iter()
        .enumerate()
        .filter(|(t, _)| (5..=12).contains(t))
    {
        let share = f64::from(count) / f64::from(trajectories);
        assert!((share - 0.125).abs() < 4.0 * error, "quarter {t}: {share}");
    }
}
