//! Effects of random direction as written: `one_of: [(weight, [effects]), ...]`
//! (`model::direction`).

use super::Compiler;
use crate::format::Num;
use crate::model::{Direction, Effect, Lag};
use crate::scenario::file::EventDef;
use crate::scenario::spelling::quoted_name;

impl Compiler<'_> {
    /// The sets of `def.one_of`, their effects compiled after the event's own (`effects`,
    /// `lags`). The weights must be finite, none below 0, and add up to a positive number;
    /// one set alone is the event's own effects, written another way, and is refused.
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
        let weights: Vec<f64> = def.one_of.iter().map(|(w, _)| *w).collect();
        if weights.iter().any(|w| !w.is_finite() || *w < 0.0) || weights.iter().sum::<f64>() <= 0.0
        {
            let shown: Vec<String> = weights.iter().map(|w| Num(*w).to_string()).collect();
            self.problem(
                at,
                format!(
                    "event {}: the weights of `one_of` ({}) must be numbers of 0 or more that \
                     add up to more than 0, e.g. (0.6, [...]), (0.4, [...])",
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
        let mut directions = Vec::new();
        for (d, (weight, set)) in def.one_of.iter().enumerate() {
            let start = effects.len();
            let path = |x: usize| format!("event.{name}.one_of.{}.effect.{}", d + 1, x + 1);
            self.compile_effects(name, set, path, anchor, effects, lags);
            directions.push(Direction {
                weight: weight.max(0.0),
                effects: start..effects.len(),
            });
        }
        directions
    }
}
