//! Ranges on the numbers an analyst guesses (README, "Ranges"): a stance, affinity, share,
//! weight, effect amount or step written as a distribution is checked against the values it
//! may take, and becomes a slot named by its path (`stance.A.B`, `event.x.at`), drawn once
//! per trajectory from its own stream like a parameter. The world keeps the median in its
//! place, for whatever reads the world rather than a trajectory.

use super::Compiler;
use crate::model::{round_step, step_range, ParamSlot, Sampler, Target, AMOUNT_LIMIT};
use crate::scenario::file::{Distribution, Steps, Value};
use crate::scenario::locate::Position;
use crate::scenario::spelling::quoted_name;

impl Compiler<'_> {
    /// A range of the file: checked against `range` (reported at `at`), its slot kept for
    /// the world, and its median returned. No range reaches past `AMOUNT_LIMIT`, where an
    /// effect amount's unbounded range (only finite) let the width of a draw overflow.
    pub(super) fn drawn(
        &mut self,
        at: Option<Position>,
        path: String,
        distribution: &Distribution,
        range: (f64, f64),
        targets: Vec<Target>,
    ) -> f64 {
        let range = (range.0.max(-AMOUNT_LIMIT), range.1.min(AMOUNT_LIMIT));
        let value = Value::Sampled(distribution.clone());
        let before = self.problems.len();
        let sampler = self.sampled("range", |_| at, &path, &value, range);
        if self.problems.len() > before {
            return range.0.max(0.0).min(range.1);
        }
        let median = sampler.quantile(0.5);
        self.drawn.push(ParamSlot {
            path,
            sampler,
            targets,
        });
        median
    }

    /// A scheduled step (`at`, `every`, a window bound): its step, or, when it is a range,
    /// the median's step, its slot kept. A range must stay where every draw rounds to a step
    /// from 1 to `steps` (`model::round_step`).
    pub(super) fn step_of(
        &mut self,
        at: Option<Position>,
        path: String,
        value: &Steps,
        steps: i64,
        target: Target,
    ) -> i64 {
        match value {
            Steps::Fixed(x) => *x,
            Steps::Sampled(d) => {
                let range = step_range(steps.clamp(0, i64::from(u32::MAX)) as u32);
                let median = self.drawn(at, path, d, range, vec![target]);
                i64::from(round_step(median))
            }
            Steps::Date(date) => self.dated(at, &path, date, steps),
        }
    }

    /// The steps a window's bound can be drawn at, rounded: its own step when fixed.
    pub(super) fn step_support(&self, value: &Steps, path: &str) -> (i64, i64) {
        match value {
            Steps::Fixed(x) => (*x, *x),
            Steps::Sampled(_) => match self.drawn.iter().rev().find(|s| s.path == path) {
                Some(slot) => {
                    let (low, high) = slot.sampler.support();
                    let (first, last) = crate::scenario::drawn_steps::span(low, high);
                    (i64::from(first), i64::from(last))
                }
                None => (1, 1),
            },
            Steps::Date(date) => {
                let step = self
                    .date_step(path, date, self.steps)
                    .unwrap_or_else(|(_, fallback)| fallback);
                (step, step)
            }
        }
    }

    /// A window whose first step could be drawn after its last: every draw must give a
    /// window, so the ranges may not overlap.
    pub(super) fn window_ranges_apart(
        &mut self,
        at: Option<Position>,
        event: &str,
        first: (i64, i64),
        last: (i64, i64),
    ) {
        if first.1 > last.0 {
            self.problem(
                at,
                format!(
                    "event {}: the window's first step can be drawn as late as {} and its last \
                     as early as {}: keep the first's range below the last's, e.g. a first \
                     up to {} (every draw must give a window)",
                    quoted_name(event),
                    first.1,
                    last.0,
                    last.0
                ),
            );
        }
    }
}

/// The path of a drawn effect amount: effects are counted from 1 in the order the event
/// writes them.
pub(super) fn effect_path(event: &str, n: usize) -> String {
    format!("event.{event}.effect.{}", n + 1)
}

/// The smallest value a draw of `value` can take (its own value when fixed), for bounds
/// that must hold for every draw, such as a row of shares at most 1.
pub(super) fn lowest(sampler: Option<&Sampler>, value: f64) -> f64 {
    sampler.map_or(value, |s| s.support().0)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{compiled, position_of, problems, scenario};
    use crate::model::{Target, Timing};

    #[test]
    fn a_range_becomes_a_slot_named_by_its_path_with_its_median_in_the_world() {
        let text = scenario(
            "stances: [(\"A\", \"B\", Uniform(0.2, 0.4))],
             events: [Event(name: \"e\", at: Uniform(1.5, 2.5), effects: [Mutual(\"A\", \"B\", Add(Guess(0.1, 0.2, 0.6)))])],",
        );
        let world = compiled(&text).unwrap();
        let drawn: Vec<(&str, &[Target])> = world
            .params
            .iter()
            .filter(|p| !matches!(p.targets[0], Target::Param(_)))
            .map(|p| (p.path.as_str(), p.targets.as_slice()))
            .collect();
        assert_eq!(
            drawn,
            [
                ("stance.A.B", &[Target::Stance(1)][..]),
                ("event.e.at", &[Target::At(0)][..]),
                (
                    "event.e.effect.1",
                    &[Target::Amount(0), Target::Amount(1)][..]
                ),
            ]
        );
        assert!((world.stance[1] - 0.3).abs() < 1e-12);
        assert_eq!(world.events[0].timing, Timing::At(2));
    }

    #[test]
    fn a_window_whose_ranges_overlap_is_refused_at_the_window() {
        let text = scenario(
            "events: [Event(name: \"e\", every: 1, window: (Uniform(0.5, 3.4), Uniform(1.5, 4.4)))],",
        );
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .message
                .contains("the window's first step can be drawn as late as 3"),
            "{found:?}"
        );
        assert_eq!(found[0].position, position_of(&text, "window"));
        let apart = "events: [Event(name: \"e\", every: 1, window: (Uniform(0.5, 2.4), Uniform(2.5, 4.4)))],";
        assert!(compiled(&scenario(apart)).is_ok());
    }

    #[test]
    fn a_row_of_shares_whose_lowest_draws_pass_one_is_refused() {
        let ties = |low: f64| {
            scenario(&format!(
                "ties: [Tie(from: \"A\", to: \"B\", channel: \"aid\", share: Uniform({low}, 0.9))],"
            ))
        };
        assert!(compiled(&ties(0.5)).is_ok());
        let text = scenario(
            "ties: [Tie(from: \"A\", to: \"B\", channel: \"aid\", share: Uniform(0.6, 0.9)),
                    Tie(from: \"A\", to: \"A\", channel: \"aid\", share: 0.0)],",
        )
        .replace(
            "State(name: \"B\")",
            "State(name: \"B\"), State(name: \"C\")",
        )
        .replace("to: \"A\", channel", "to: \"C\", channel");
        let text = text.replace("share: 0.0", "share: Guess(0.5, 0.6, 0.7)");
        let found = problems(&text);
        assert!(
            found[0]
                .message
                .starts_with("the shares of A in channel \"aid\" add up to 1.1000"),
            "{found:?}"
        );
    }

    #[test]
    fn a_bad_range_names_its_path_and_what_to_write() {
        // Not at rest: a stance's range is then all of [-1, 1].
        let found = problems(&scenario(
            "at_rest: false, stances: [(\"A\", \"B\", Guess(0.5, 0.4, 0.9))],",
        ));
        assert_eq!(
            found[0].message,
            "range `stance.A.B`: Guess(0.5, 0.4, 0.9) needs -1 <= low <= likely <= high <= 1 \
             and low < high"
        );
        let found = problems(&scenario(
            "at_rest: false, stances: [(\"A\", \"B\", Triangular(0.5, 0.9, 1.4))],",
        ));
        assert!(
            found[0]
                .message
                .ends_with("(the values lie in [-1, 1]: e.g. from 0.5 to 1)"),
            "{found:?}"
        );
        let found = problems(&scenario(
            "events: [Event(name: \"e\", every: Uniform(0.0, 2.0))],",
        ));
        assert!(
            found[0].message.starts_with(
                "range `event.e.every`: Uniform(0, 2) needs 0.5 <= low <= high <= 4.5"
            ),
            "{found:?}"
        );
    }
}
