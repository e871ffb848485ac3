//! The engine's path with events: what `engine::run` records when events change the
//! trajectories it steps in blocks (`model::step_block`).

use std::sync::atomic::AtomicBool;

use entente::engine::{self, Control, Plan};
use entente::model::{
    Change, Condition, Effect, Event, Metric, Outcome, OutcomeKind, Timing, World,
};

/// Three states whose parameters are all 0 (none is set), so the physics leaves every
/// stance exactly where it is and only events move them: A's stance toward B starts at
/// 0.2 and a visit at step 2 sets it to 0.9; B's toward A starts at -0.3 and a drill adds
/// 0.1 to it every step.
fn frozen_world_with_events() -> World {
    let event = |name: &str, timing, effect| Event {
        name: String::from(name),
        description: String::new(),
        actor: None,
        timing,
        window: (1, 100),
        when: None,
        repeat: true,
        effects: vec![effect],
        choice: None,
        cases: vec![],
        directions: vec![],
        lags: vec![],
    };
    let outcome = |name: &str, kind, condition| Outcome {
        name: String::from(name),
        description: String::new(),
        kind,
        condition,
    };
    let mut stance = vec![0.0; 9];
    stance[1] = 0.2;
    stance[3] = -0.3;
    World {
        name: "frozen".into(),
        steps: 3,
        trajectories: 10,
        seed: 5,
        stance,
        events: vec![
            event(
                "visit",
                Timing::At(2),
                Effect::Stance {
                    i: 0,
                    j: 1,
                    change: Change::Set(0.9),
                },
            ),
            event(
                "drill",
                Timing::Every(1),
                Effect::Stance {
                    i: 1,
                    j: 0,
                    change: Change::Add(0.1),
                },
            ),
        ],
        outcomes: vec![
            outcome(
                "warm",
                OutcomeKind::Ever,
                Condition::Above(Metric::Stance(0, 1), 0.8),
            ),
            outcome(
                "thaw",
                OutcomeKind::AtEnd,
                Condition::Above(Metric::Stance(1, 0), -0.05),
            ),
        ],
        metrics: vec![Metric::Stance(0, 1), Metric::Stance(1, 0)],
        ..World::new(["A", "B", "C"], ["aid"])
    }
}

/// The kernel keeps its own copy of every trajectory's stances between steps; an event
/// changes the trajectory's state, so unless the engine reloads the trajectory after it
/// fires, the next step starts from the old stances and the event is lost. Every one of the
/// ten trajectories (two full blocks and a block of two) must carry both events into every
/// later step, and the engine must count the firings, first firings and outcomes.
#[test]
fn an_event_carries_into_every_later_step_of_every_trajectory() {
    let world = frozen_world_with_events();
    let cancel = AtomicBool::new(false);
    let control = Control {
        progress: &|_| {},
        cancel: &cancel,
    };
    let plan = Plan::new(world.trajectories, world.seed, Some(1));
    let runs = engine::run(&world, &plan, &control).expect("not cancelled");

    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    let drilled = |t: usize| (0..t).fold(-0.3, |s, _| s + 0.1);
    for (t, visited) in [(0, 0.2), (1, 0.2), (2, 0.9), (3, 0.9)] {
        // Every trajectory has the same stances: the lowest and highest values are the mean.
        for (m, want) in [(0, visited), (1, drilled(t))] {
            let cell = m * runs.points + t;
            assert!(close(runs.mean(m, t), want), "metric {m}, step {t}");
            assert_eq!(runs.low[cell], runs.high[cell], "metric {m}, step {t}");
        }
    }
    assert_eq!(runs.trajectories, 10);
    assert_eq!(runs.firings, vec![10, 30]);
    assert_eq!(runs.fired_by(0), vec![0.0, 0.0, 1.0, 1.0]);
    assert_eq!(runs.fired_by(1), vec![0.0, 1.0, 1.0, 1.0]);
    assert_eq!(runs.outcome_count, vec![10, 10]);
    assert_eq!(runs.median_first_step(0, OutcomeKind::Ever), Some(2));
    assert!(close(runs.mean_of(runs.final_stance[1]), 0.9));
    assert!(close(runs.mean_of(runs.final_stance[3]), drilled(3)));
}
