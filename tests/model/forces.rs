//! The forces of `simulate explain`: the mean terms of each tracked stance's and
//! partnership's target add up to the mean argument of the target at every step.

use std::sync::atomic::AtomicBool;

use entente::engine::forces::Forces;
use entente::engine::{run_explained, Control, Plan};
use entente::model::World;

use crate::common::{data, scenario, write};

/// The forces of `world` over `n` trajectories.
fn forces_of(world: &World, n: u64) -> Forces {
    let cancel = AtomicBool::new(false);
    let control = Control {
        progress: &|_| {},
        cancel: &cancel,
    };
    let (_, forces, _) = run_explained(world, &Plan::new(n, 3, Some(2)), &control, None).unwrap();
    forces
}

/// Every metric's terms (all but the last) against its argument (the last), at every
/// step. Each term's sum is rounded to 2^-40 once per trajectory and stance entry (a
/// partnership has two, each weighted 1/2), so the sum of the means may miss the mean
/// argument by at most one such unit per term, plus the float rounding of adding them up.
/// Returns the largest miss.
fn largest_miss(forces: &Forces) -> f64 {
    let terms = forces.layout.terms.len();
    let bound = terms as f64 * 2f64.powi(-40) + 1e-13;
    let mut largest: f64 = 0.0;
    for m in 0..forces.layout.metrics.len() {
        for t in 1..=forces.steps {
            let parts: f64 = (0..terms - 1).map(|x| forces.mean(m, x, t)).sum();
            let argument = forces.mean(m, terms - 1, t);
            let miss = (parts - argument).abs();
            assert!(
                miss <= bound,
                "metric {m}, step {t}: the terms add up to {parts}, the argument is {argument}"
            );
            largest = largest.max(miss);
        }
    }
    largest
}

/// The mean of the term named `term` of the metric at `m` at step t.
fn term(forces: &Forces, m: usize, name: &str, t: usize) -> f64 {
    let x = forces.layout.terms.iter().position(|n| n == name);
    forces.mean(m, x.unwrap_or_else(|| panic!("no term {name}")), t)
}

#[test]
fn forces_add_up_to_the_argument_of_the_target_at_every_step() {
    // putin_visit.ron tracks partnerships; its events change affinities, and its background
    // moves them too. A stance is tracked as well, through a variant.
    let dir = tempfile::tempdir().unwrap();
    for file in ["baseline.ron", "putin_visit.ron"] {
        std::fs::copy(scenario(file), dir.path().join(file)).unwrap();
    }
    let text = "Variant(base: \"putin_visit.ron\", name: \"with a stance\", \
                changes: [AddMetric(Stance(\"Russia\", \"Pakistan\"))])";
    let file = write(dir.path(), "stance.ron", text);
    let world = entente::scenario::load(&file).unwrap().world;
    let forces = forces_of(&world, 400);
    assert_eq!(forces.trajectories, 400);
    assert_eq!(
        forces.layout.metrics.len(),
        4,
        "{:?}",
        forces.layout.metrics
    );
    let miss = largest_miss(&forces);
    eprintln!("putin_visit: the terms miss the argument by at most {miss:e}");

    // Not a sum of zeros: the visit (step 2) and the background have moved the affinity of
    // Pakistan and Russia by the last step, and the argument is far from 0.
    let last = forces.steps;
    assert!(term(&forces, 0, "event:putin_visit", last) > 0.01);
    assert_eq!(term(&forces, 0, "event:putin_visit", 1), 0.0);
    assert!(term(&forces, 0, "background", last) != 0.0);
    assert!(term(&forces, 0, "argument", last).abs() > 0.1);

    // A world at rest, every stance tracked, with the background and no listed event.
    let world = entente::scenario::load(&data("background_world.ron"))
        .unwrap()
        .world;
    let forces = forces_of(&world, 40);
    assert_eq!(forces.layout.metrics.len(), 90);
    let miss = largest_miss(&forces);
    eprintln!("background_world: the terms miss the argument by at most {miss:e}");
}
