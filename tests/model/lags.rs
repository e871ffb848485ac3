//! Issue 22, item 2: effects that land over several steps or after a delay
//! (docs/src/reference/events.md, "Lags"), their arithmetic pinned.

use crate::common;

use common::{follow, world_of};

/// Affinities move only by events (no background), so each step's affinity is what the
/// lagged effects have landed so far. The deal fires at step 2.
fn deal(effects: &str) -> String {
    format!(
        r#"Scenario(
    name: "lags",
    steps: 12,
    background: None,
    states: [State(name: "A"), State(name: "B"), State(name: "C")],
    affinities: [("A", "B", 0.2), ("B", "A", 0.5), ("A", "C", -1.0)],
    events: [Event(name: "deal", at: 2, effects: [{effects}])],
)"#
    )
}

/// The affinities A->B, B->A and A->C after each step, from step 0.
fn affinities(text: &str) -> Vec<[f64; 3]> {
    let dir = tempfile::tempdir().unwrap();
    let world = world_of(dir.path(), "lags.ron", text);
    let mut seen = vec![];
    follow(&world, 1, 0, |_, s| {
        seen.push([s.affinity[1], s.affinity[3], s.affinity[2]])
    });
    seen
}

#[test]
fn an_add_over_eight_steps_sums_to_the_one_shot_change() {
    let lagged = affinities(&deal(r#"Over(8, Affinity("A", "B", Add(0.8)))"#));
    let once = affinities(&deal(r#"Affinity("A", "B", Add(0.8))"#));
    // Parts of 0.1 at steps 2, 3, ..., 9: after step t, (t - 1) of them.
    for (t, a) in lagged.iter().enumerate() {
        let parts = (t as f64 - 1.0).clamp(0.0, 8.0);
        assert!(
            (a[0] - (0.2 + 0.1 * parts)).abs() < 1e-12,
            "step {t}: {}",
            a[0]
        );
    }
    assert!((lagged[12][0] - once[12][0]).abs() < 1e-12);
    assert_eq!(once[2][0], 0.2 + 0.8);
}

#[test]
fn a_scale_over_steps_multiplies_to_its_factor_and_a_set_lands_on_its_value() {
    let seen = affinities(&deal(
        r#"Over(4, Affinity("B", "A", Scale(0.0625))), Over(5, Affinity("A", "C", Set(1.5)))"#,
    ));
    // Scale by 0.0625^(1/4) = 0.5 at steps 2..5; Set closes 1/left of the gap at 2..6, so
    // from -1.0 to 1.5 in equal steps of 0.5.
    for (t, a) in seen.iter().enumerate() {
        let parts = (t as i32 - 1).clamp(0, 4);
        assert!(
            (a[1] - 0.5 * 0.5f64.powi(parts)).abs() < 1e-12,
            "step {t}: {}",
            a[1]
        );
        let parts = (t as f64 - 1.0).clamp(0.0, 5.0);
        assert!(
            (a[2] - (-1.0 + 0.5 * parts)).abs() < 1e-12,
            "step {t}: {}",
            a[2]
        );
    }
    assert_eq!(seen[12][2], 1.5, "the last part sets the value exactly");
}

#[test]
fn a_delayed_effect_lands_whole_at_its_step_and_a_delay_with_parts_starts_there() {
    let seen = affinities(&deal(
        r#"Delay(3, Affinity("A", "B", Add(0.4))), Delay(2, Over(3, Affinity("B", "A", Add(-0.3))))"#,
    ));
    for (t, a) in seen.iter().enumerate() {
        let whole = if t >= 5 { 0.4 } else { 0.0 };
        assert!((a[0] - (0.2 + whole)).abs() < 1e-12, "step {t}: {}", a[0]);
        // Parts of -0.1 at steps 4, 5 and 6.
        let parts = (t as f64 - 3.0).clamp(0.0, 3.0);
        assert!(
            (a[1] - (0.5 - 0.1 * parts)).abs() < 1e-12,
            "step {t}: {}",
            a[1]
        );
    }
}

/// A lag may be a range over steps, drawn per trajectory from the stream of its path
/// (`event.<name>.effect.<N>.delay`), rounded as an `at` is: `Uniform(1.5, 4.5)` lands the
/// effect 2, 3 or 4 steps after the deal, each a third of the time.
#[test]
fn a_delay_drawn_from_a_range_lands_at_each_of_its_steps_alike() {
    let dir = tempfile::tempdir().unwrap();
    let text = deal(r#"Delay(Uniform(1.5, 4.5), Affinity("A", "B", Add(0.4)))"#);
    let world = world_of(dir.path(), "lags.ron", &text);
    let slot = (world.params.iter())
        .find(|p| p.path == "event.deal.effect.1.delay")
        .expect("the delay is a drawn number with its path");
    assert_eq!(slot.sampler.support(), (1.5, 4.5));
    let trajectories: u32 = 6000;
    let mut landed = [0u32; 13];
    for r in 0..trajectories {
        let mut at = None;
        follow(&world, 9, u64::from(r), |t, s| {
            if s.affinity[1] > 0.5 && at.is_none() {
                at = Some(t as usize);
            }
        });
        landed[at.expect("the effect lands")] += 1;
    }
    let error = (2.0 / 9.0 / f64::from(trajectories)).sqrt();
    for (t, &count) in landed.iter().enumerate() {
        let want = if (4..=6).contains(&t) { 1.0 / 3.0 } else { 0.0 };
        let share = f64::from(count) / f64::from(trajectories);
        assert!((share - want).abs() < 4.0 * error, "step {t}: {share}");
    }
}
