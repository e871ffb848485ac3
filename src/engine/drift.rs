//! How far a world not at rest moves by itself (`at_rest: false`): one trajectory at the
//! median of every range, with no event, no noise and no background, over the horizon.
//! Tried as a new user would, a file not at rest answered 97.6% where at rest it answered
//! 8.0%, and nothing said that the starting world drifts by itself (issue 22).

use crate::model::{self, lanes::Lanes, Randomness, State, World};
use crate::scenario::number_path::NumberPath;

/// The largest change worth a word: below it, the drift is within what a stance is read to.
pub const NOTED: f64 = 0.02;

/// The largest change of any stance or share of a world left alone.
#[derive(Debug, Clone, PartialEq)]
pub struct Drift {
    /// The number that moved most, by its path (`stance.A.B`, `share.<channel>.A.B`), raw:
    /// a message shows it through `spelling::shown`.
    pub path: String,
    /// Its largest absolute change from its start, at any step.
    pub change: f64,
}

/// The drift of `world` when it is not at rest and it exceeds `NOTED`; `None` otherwise.
/// A partnership is the mean of two stances, so it never moves more than one of them.
pub fn drift(world: &World) -> Option<Drift> {
    if world.rest.is_some() {
        return None;
    }
    let mut state = State::new(world);
    for slot in &world.params {
        let value = slot.sampler.quantile(0.5);
        for &target in &slot.targets {
            state.set(target, value);
        }
    }
    state.scale_back_rows();
    let (stance, share) = (state.stance.clone(), state.share.clone());
    let mut quiet = world.clone();
    quiet.events.clear();
    quiet.background = None;
    let mut kernel = Lanes::<1>::new(&quiet);
    let mut largest = (0.0, model::Target::Stance(0));
    for t in 1..=world.steps {
        model::step(&quiet, &mut kernel, &mut state, t, &mut Quiet);
        let stances = moves(&state.stance, &stance, model::Target::Stance);
        let shares = moves(&state.share, &share, model::Target::Share);
        for (change, target) in stances.chain(shares) {
            // A NaN is no drift to report: the run's own checks speak for it.
            if change > largest.0 {
                largest = (change, target);
            }
        }
    }
    (largest.0 > NOTED).then(|| Drift {
        path: NumberPath::Other(largest.1).text(world),
        change: largest.0,
    })
}

/// Each entry's absolute change from `then` to `now`, with the number it is.
fn moves<'a>(
    now: &'a [f64],
    then: &'a [f64],
    target: fn(usize) -> model::Target,
) -> impl Iterator<Item = (f64, model::Target)> + 'a {
    now.iter()
        .zip(then)
        .enumerate()
        .map(move |(x, (a, b))| ((a - b).abs(), target(x)))
}

/// No noise, and no hazard that fires (there are no events left to ask).
struct Quiet;

impl Randomness for Quiet {
    fn standard_normal(&mut self) -> f64 {
        0.0
    }
    fn event_uniform(&mut self, _: usize) -> f64 {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn world(at_rest: &str) -> World {
        let text = format!(
            "Scenario(name: \"w\", steps: 40, {at_rest} background: None, \
             states: [State(name: \"a\"), State(name: \"b\")], \
             stances: [(\"a\", \"b\", 0.5), (\"b\", \"a\", 0.5)], \
             outcomes: [Outcome(name: \"o\", at_end: Above(Partnership(\"a\", \"b\"), 0.3))])"
        );
        crate::scenario::parse(Path::new("w.ron"), text.as_bytes())
            .expect("a valid world")
            .1
    }

    /// A world at rest says nothing; the same world not at rest names the stance that
    /// moves most (toward its affinity, 0 here) and by how much.
    #[test]
    fn a_run_not_at_rest_says_how_far_the_world_drifts_by_itself() {
        assert_eq!(drift(&world("")), None, "at rest by default");
        assert_eq!(drift(&world("at_rest: true,")), None);
        let drift = drift(&world("at_rest: false,")).expect("a stance of 0.5 with no pull");
        assert!(drift.path == "stance.a.b" || drift.path == "stance.b.a");
        assert!(drift.change > NOTED && drift.change <= 0.5, "{drift:?}");
    }
}
