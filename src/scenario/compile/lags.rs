//! Lags as written: `Delay(steps, effect)` and `Over(steps, effect)`, one of each at most,
//! around any effect (`model::lag`).

use super::Compiler;
use crate::model::Lag;
use crate::scenario::file::{Change as ChangeDef, Distribution, EffectDef, Value};
use crate::scenario::locate::Position;
use crate::scenario::spelling::quoted_name;

impl Compiler<'_> {
    /// The lag `def` is written with and the effect inside it. A bad lag is reported at its
    /// word in the event (the item at `anchor`), and the effect then lands at once.
    pub(super) fn lag_of<'d>(
        &mut self,
        event: &str,
        def: &'d EffectDef,
        anchor: Option<usize>,
    ) -> (Lag, &'d EffectDef) {
        let mut lag = Lag::NONE;
        let (mut delay, mut over) = (None, None);
        let mut inner = def;
        loop {
            match inner {
                EffectDef::Delay(d, e) => {
                    let twice = delay.replace(*d).is_some();
                    self.lag_written_once(event, "Delay", twice, anchor);
                    inner = e;
                }
                EffectDef::Over(n, e) => {
                    let twice = over.replace(*n).is_some();
                    self.lag_written_once(event, "Over", twice, anchor);
                    inner = e;
                }
                _ => break,
            }
        }
        let steps = self.steps.max(1);
        if let Some(d) = delay {
            if d < 1 || d >= steps {
                let at = self.word_at(anchor, "Delay");
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
            }
        }
        if let Some(n) = over {
            if n < 2 || n > steps {
                let at = self.word_at(anchor, "Over");
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
            }
        }
        if i64::from(lag.delay) + i64::from(lag.over) > steps {
            let at = self.word_at(anchor, if over.is_some() { "Over" } else { "Delay" });
            self.problem(
                at,
                format!(
                    "event {}: a delay of {} and {} parts end after step {}, past the file's \
                     {steps} steps even for an event at step 1: shorten the lag",
                    quoted_name(event),
                    lag.delay,
                    lag.over,
                    i64::from(lag.delay) + i64::from(lag.over)
                ),
            );
        }
        if lag.over > 1 {
            self.scale_in_parts(event, inner, anchor);
        }
        (lag, inner)
    }

    /// `Delay(1, Delay(2, ...))`: which one is meant?
    fn lag_written_once(&mut self, event: &str, word: &str, twice: bool, anchor: Option<usize>) {
        if twice {
            let at = self.word_at(anchor, word);
            self.problem(
                at,
                format!(
                    "event {}: an effect has one {word}(...) at most; add the steps up into one",
                    quoted_name(event)
                ),
            );
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
