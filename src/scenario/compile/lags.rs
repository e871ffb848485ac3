//! Lags as written: `Delay(steps, effect)` and `Over(steps, effect)`, one of each at most,
//! around any effect (`model::lag`). The steps may be ranges, drawn per trajectory like an
//! `at` (`event.<name>.effect.<N>.delay` and `.over`).

use super::Compiler;
use crate::model::{round_step, Lag, Target};
use crate::scenario::file::{Change as ChangeDef, Distribution, EffectDef, Steps, Value};
use crate::scenario::locate::Position;
use crate::scenario::spelling::quoted_name;

/// An effect as written, its lag taken off: the delay and the parts, if written, and the
/// effect inside them; `twice` names a lag written twice around one effect.
pub(super) struct Unwrapped<'d> {
    delay: Option<&'d Steps>,
    over: Option<&'d Steps>,
    pub inner: &'d EffectDef,
    twice: Option<&'static str>,
}

/// Takes the `Delay` and `Over` off an effect as written.
pub(super) fn unwrap(def: &EffectDef) -> Unwrapped<'_> {
    let mut found = Unwrapped {
        delay: None,
        over: None,
        inner: def,
        twice: None,
    };
    loop {
        match found.inner {
            EffectDef::Delay(d, e) => {
                if found.delay.replace(d).is_some() {
                    found.twice = Some("Delay");
                }
                found.inner = e;
            }
            EffectDef::Over(n, e) => {
                if found.over.replace(n).is_some() {
                    found.twice = Some("Over");
                }
                found.inner = e;
            }
            _ => return found,
        }
    }
}

impl Compiler<'_> {
    /// The lag of an effect written as `written` (its path `path`, compiled to the effects
    /// `targets` index), checked; a range's slot is kept, its median's step in the lag. A
    /// bad lag is reported at its word in the event (the item at `anchor`), and the effect
    /// then lands at once.
    pub(super) fn lag_of(
        &mut self,
        event: &str,
        written: &Unwrapped,
        anchor: Option<usize>,
        path: &str,
        targets: std::ops::Range<usize>,
    ) -> Lag {
        let mut lag = Lag::NONE;
        if let Some(word) = written.twice {
            let at = self.word_at(anchor, word);
            self.problem(
                at,
                format!(
                    "event {}: an effect has one {word}(...) at most; add the steps up into one",
                    quoted_name(event)
                ),
            );
        }
        let steps = self.steps.max(1);
        let (mut latest_delay, mut most_parts) = (0, 1);
        if let Some(delay) = written.delay {
            let path = format!("{path}.delay");
            let at = self.word_at(anchor, "Delay");
            let d = self.lag_steps(at, &path, delay, 0.5, steps, &targets, Target::Delay);
            if d < 1 || d >= steps {
                self.problem(
                    at,
                    format!(
                        "event {}: Delay({d}, ...) must be from 1 to {} steps (a delay of 0 is \
                         the effect alone; one of {steps} or more lands after the last step)",
                        quoted_name(event),
                        steps - 1
                    ),
                );
            } else {
                lag.delay = d as u32;
                latest_delay = self.step_support(delay, &path).1;
            }
        }
        if let Some(over) = written.over {
            let path = format!("{path}.over");
            let at = self.word_at(anchor, "Over");
            let n = self.lag_steps(at, &path, over, 1.5, steps + 1, &targets, Target::Over);
            if n < 2 || n > steps {
                self.problem(
                    at,
                    format!(
                        "event {}: Over({n}, ...) must be from 2 to {steps} steps (over 1 step \
                         is the effect alone; the parts must fit in the file's {steps} steps)",
                        quoted_name(event)
                    ),
                );
            } else {
                lag.over = n as u32;
                most_parts = self.step_support(over, &path).1;
            }
        }
        if latest_delay + most_parts > steps {
            let word = if written.over.is_some() {
                "Over"
            } else {
                "Delay"
            };
            let at = self.word_at(anchor, word);
            self.problem(
                at,
                format!(
                    "event {}: a delay of {latest_delay} and {most_parts} parts end after step \
                     {}, past the file's {steps} steps even for an event at step 1: shorten \
                     the lag",
                    quoted_name(event),
                    latest_delay + most_parts
                ),
            );
        }
        if lag.over > 1 {
            self.scale_in_parts(event, written.inner, anchor);
        }
        lag
    }

    /// The steps of a lag: its number, or a range's median rounded, the range checked
    /// within [low, high - 0.5] and its slot kept for the compiled effects `targets`.
    #[allow(clippy::too_many_arguments)]
    fn lag_steps(
        &mut self,
        at: Option<Position>,
        path: &str,
        value: &Steps,
        low: f64,
        high: i64,
        targets: &std::ops::Range<usize>,
        target: fn(usize) -> Target,
    ) -> i64 {
        match value {
            Steps::Fixed(x) => *x,
            Steps::Sampled(d) => {
                let range = (low, high as f64 - 0.5);
                let targets = targets.clone().map(target).collect();
                let median = self.drawn(at, path.to_string(), d, range, targets);
                i64::from(round_step(median))
            }
            // A lag is a duration: a date says when, not how long.
            Steps::Date(date) => {
                self.problem(
                    at,
                    format!(
                        "`{path}` is a number of steps (how long), not a date: write the \
                         steps, e.g. 4, not {}",
                        quoted_name(date)
                    ),
                );
                low.max(1.0) as i64
            }
        }
    }

    /// A `Scale` in parts takes the parts-th root of its factor: the factor must be positive
    /// for every draw.
    fn scale_in_parts(&mut self, event: &str, inner: &EffectDef, anchor: Option<usize>) {
        let ChangeDef::Scale(factor) = inner.change() else {
            return;
        };
        // A Normal amount is not truncated (its range is every number), a Beta's draws
        // lie strictly between 0 and 1.
        let positive = match factor {
            Value::Fixed(x) => *x > 0.0,
            Value::Sampled(Distribution::Normal(..)) => false,
            Value::Sampled(Distribution::Beta(..)) => true,
            Value::Sampled(
                Distribution::Uniform(low, _)
                | Distribution::Triangular(low, ..)
                | Distribution::Guess(low, ..),
            ) => *low > 0.0,
        };
        if !positive {
            let at = self.word_at(anchor, "Over");
            self.problem(
                at,
                format!(
                    "event {}: Over(..., ... Scale(x)) lands as parts that multiply to x, so x \
                     must be above 0 (for every draw of a range)",
                    quoted_name(event)
                ),
            );
        }
    }

    /// Where `word` is first written in the item at `anchor`.
    pub(super) fn word_at(&self, anchor: Option<usize>, word: &str) -> Option<Position> {
        let at = anchor.and_then(|a| self.loc.word_from(a, word));
        at.map(|at| self.loc.position(at)).or(self.named_at(anchor))
    }
}
