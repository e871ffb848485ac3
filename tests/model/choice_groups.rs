//! Issue 22, item 2: a choice group, events of which at most one fires per trajectory
//! (docs/src/reference/events.md, "Choice groups").

use crate::common;

use common::{follow, world_of};

/// Four bidders of one competition with high hazards, listed with another event between
/// them; `order` lists the bidders' hazards in file order.
fn competition(hazards: &[(&str, f64)]) -> String {
    let bidders: Vec<String> = hazards
        .iter()
        .map(|(name, h)| format!("Event(name: \"{name}\", hazard: {h}, choice: \"fighter_2019\")"))
        .collect();
    format!(
        r#"Scenario(
    name: "fighters",
    steps: 20,
    background: None,
    states: [State(name: "Buyer"), State(name: "US"), State(name: "France")],
    events: [{}, Event(name: "drill", every: 2), {}],
)"#,
        bidders[..2].join(", "),
        bidders[2..].join(", ")
    )
}

/// In every trajectory at most one member fires, and each member's share of the firings is
/// its competing-risks share: rate -ln(1 - h) over the sum of the rates, times the chance
/// that any fires within the steps, whatever the order the file lists them in.
#[test]
fn a_choice_group_fires_at_most_once_split_as_competing_risks() {
    let dir = tempfile::tempdir().unwrap();
    let hazards = [
        ("us", 0.3),
        ("france", 0.2),
        ("russia", 0.1),
        ("sweden", 0.05),
    ];
    let rate = |h: f64| -(1.0 - h).ln();
    let total: f64 = hazards.iter().map(|(_, h)| rate(*h)).sum();
    let none = hazards
        .iter()
        .map(|(_, h)| 1.0 - h)
        .product::<f64>()
        .powi(20);
    let trajectories = 20_000;
    for order in [[0, 1, 2, 3], [3, 2, 1, 0]] {
        let listed: Vec<(&str, f64)> = order.iter().map(|&i| hazards[i]).collect();
        let world = world_of(dir.path(), "fighters.ron", &competition(&listed));
        let members: Vec<usize> = hazards
            .iter()
            .map(|(name, _)| world.events.iter().position(|e| e.name == *name).unwrap())
            .collect();
        let mut wins = [0u32; 4];
        for r in 0..trajectories {
            let mut last = vec![];
            follow(&world, 7, r, |_, state| last = state.fired.clone());
            let fired: Vec<u32> = members.iter().map(|&e| last[e]).collect();
            assert!(fired.iter().sum::<u32>() <= 1, "trajectory {r}: {fired:?}");
            for (w, f) in wins.iter_mut().zip(&fired) {
                *w += f;
            }
        }
        for ((name, h), w) in hazards.iter().zip(wins) {
            let want = rate(*h) / total * (1.0 - none);
            let got = f64::from(w) / trajectories as f64;
            let error = (want * (1.0 - want) / trajectories as f64).sqrt();
            assert!(
                (got - want).abs() < 4.0 * error,
                "order {order:?}: {name} won {got:.4}, competing risks give {want:.4} ± {error:.4}"
            );
        }
    }
}

/// A member still draws its uniform every step once the group is closed, so the draws of
/// every other event are those of the same file without the group.
#[test]
fn a_choice_group_changes_no_other_events_draws() {
    let dir = tempfile::tempdir().unwrap();
    let text = |choice: &str| {
        format!(
            r#"Scenario(
    name: "draws",
    steps: 15,
    background: None,
    states: [State(name: "A"), State(name: "B")],
    events: [
        Event(name: "one", hazard: 0.4{choice}),
        Event(name: "two", hazard: 0.4{choice}),
        Event(name: "other", hazard: 0.2, repeat: true),
    ],
)"#
        )
    };
    let alone = world_of(dir.path(), "alone.ron", &text(""));
    let grouped = world_of(dir.path(), "grouped.ron", &text(", choice: \"g\""));
    let mut closed = 0;
    for r in 0..500 {
        let (mut a, mut b) = (vec![], vec![]);
        follow(&alone, 3, r, |_, s| a.push(s.fired.clone()));
        follow(&grouped, 3, r, |_, s| b.push(s.fired.clone()));
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(
                x[2], y[2],
                "trajectory {r}: the other event's firings moved"
            );
        }
        let end = b.last().unwrap();
        closed += usize::from(end[0] + end[1] == 1);
        assert!(end[0] + end[1] <= 1);
    }
    assert!(
        closed > 490,
        "the group fired in {closed} of 500 trajectories"
    );
}
