//! Effects of random direction as written: `one_of: [(weight, [effects]), ...]`
//! (`model::direction`). A weight may be a range (`event.<name>.one_of.<D>`).

use super::Compiler;
use crate::format::Num;
use crate::model::{Direction, Effect, Lag, Target};
use crate::scenario::file::{EventDef, Value};
use crate::scenario::spelling::quoted_name;

impl Compiler<'_> {
    /// The sets of `def.one_of`, their effects compiled after the event's own (`effects`,
    /// `lags`). The weights must be 0 or more and add up to a positive number for every
    /// draw; one set alone is the event's own effects, written another way, and is refused.
    pub(super) fn directions(
        &mut self,
        def: &EventDef,
        anchor: Option<usize>,
        effects: &mut Vec<Effect>,
        lags: &mut Vec<Lag>,
    ) -> Vec<Direction> {
        let name = &def.name;
        if def.one_of.is_empty() {
            return Vec::new();
        }
        let at = self.loc.field_after(anchor, "one_of");
        let mut directions = Vec::new();
        let mut lowest = Vec::new();
        for (d, (weight, set)) in def.one_of.iter().enumerate() {
            let path = format!("event.{name}.one_of.{}", d + 1);
            let weight = match weight {
                Value::Fixed(w) => {
                    lowest.push(*w);
                    *w
                }
                Value::Sampled(distribution) => {
                    let target = vec![Target::Direction(self.directions_so_far + d)];
                    let whole = (0.0, f64::INFINITY);
                    let median = self.drawn(at, path.clone(), distribution, whole, target);
                    let slot = self.drawn.last().filter(|s| s.path == path);
                    lowest.push(slot.map_or(median, |s| s.sampler.support().0));
                    median
                }
            };
            let start = effects.len();
            let effect_path = |x: usize| format!("{path}.effect.{}", x + 1);
            self.compile_effects(name, set, effect_path, anchor, effects, lags);
            directions.push(Direction {
                weight: weight.max(0.0),
                effects: start..effects.len(),
            });
        }
        self.directions_so_far += directions.len();
        if lowest.iter().any(|w| !w.is_finite() || *w < 0.0) || lowest.iter().sum::<f64>() <= 0.0 {
            let shown: Vec<String> = lowest.iter().map(|w| Num(*w).to_string()).collect();
            self.problem(
                at,
                format!(
                    "event {}: the weights of `one_of` (at their lowest {}) must be numbers of \
                     0 or more that add up to more than 0 for every draw, e.g. (0.6, [...]), \
                     (0.4, [...])",
                    quoted_name(name),
                    shown.join(", ")
                ),
            );
        } else if def.one_of.len() == 1 {
            self.problem(
                at,
                format!(
                    "event {}: `one_of` lists one set of effects, which is then certain: write \
                     them in `effects`, or add the other direction",
                    quoted_name(name)
                ),
            );
        }
        directions
    }
}
