//! The numbers of a file that a trajectory may draw besides the model's parameters: initial
//! stances, affinities and shares, weights, effect amounts and scheduled steps (README,
//! "Ranges"). Each is a `ParamSlot` like a parameter, with its own stream keyed by its path,
//! and lands in the trajectory's `State` before its rest is solved.

use super::{ParamTarget, State, Timing};

/// One place a drawn number lands in a trajectory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A model parameter (`Params`).
    Param(ParamTarget),
    /// The initial stance `S0[i*n + j]`.
    Stance(usize),
    /// The baseline affinity `A[i*n + j]` (in a world at rest, its departure from rest).
    Affinity(usize),
    /// The initial share `W0[(k*n + i)*n + j]`, which is also its anchor.
    Share(usize),
    /// The weight `c[i]`.
    Weight(usize),
    /// The amount of an event's effect, indexed over every event's compiled effects in order
    /// (`State::amount`).
    Amount(usize),
    /// An event's step (`at`), period (`every`) and window bounds.
    At(usize),
    Every(usize),
    WindowFirst(usize),
    WindowLast(usize),
    /// The delay and the parts of a lagged effect, indexed as `Amount` (`model::lag`).
    Delay(usize),
    Over(usize),
    /// The weight of a set of effects of random direction, over every event's sets in order
    /// (`State::direction_weight`).
    Direction(usize),
}

impl Target {
    /// The valid range of the number in a world of `steps` steps: what a sweep may set.
    pub fn range(&self, steps: u32) -> (f64, f64) {
        match self {
            Target::Param(p) => p.range(),
            Target::Stance(_) => (-1.0, 1.0),
            Target::Affinity(_) => (-super::AFFINITY_LIMIT, super::AFFINITY_LIMIT),
            Target::Share(_) => (0.0, 1.0),
            Target::Weight(_) => (WEIGHT_RANGE.0, WEIGHT_RANGE.1),
            Target::Amount(_) => (-AMOUNT_LIMIT, AMOUNT_LIMIT),
            Target::At(_) | Target::Every(_) | Target::WindowFirst(_) | Target::WindowLast(_) => {
                step_range(steps)
            }
            // A delay that lands within the steps, parts that are more than one.
            Target::Delay(_) => (0.5, f64::from(steps) - 0.5),
            Target::Over(_) => (1.5, f64::from(steps) + 0.5),
            Target::Direction(_) => (0.0, AMOUNT_LIMIT),
        }
    }

    /// Whether the number is part of the initial state that a world at rest is solved from
    /// (so a drawn one needs a rest of its own per trajectory).
    pub fn moves_rest(&self) -> bool {
        matches!(
            self,
            Target::Stance(_) | Target::Affinity(_) | Target::Share(_) | Target::Weight(_)
        )
    }

    /// Whether the number is an event's timing, window or effect amount.
    pub fn is_of_events(&self) -> bool {
        matches!(
            self,
            Target::At(_)
                | Target::Every(_)
                | Target::WindowFirst(_)
                | Target::WindowLast(_)
                | Target::Amount(_)
                | Target::Delay(_)
                | Target::Over(_)
                | Target::Direction(_)
        )
    }

    /// Whether the number is an initial share (its row may then need scaling back).
    pub fn is_share(&self) -> bool {
        matches!(self, Target::Share(_))
    }
}

/// The weights a file may give (`scenario::limits`): the model keeps its own copy so that it
/// depends on no file.
pub const WEIGHT_RANGE: (f64, f64) = (1e-4, 1e4);

/// The largest size of a drawn or swept effect amount or direction weight. Far beyond any
/// amount that means something (a weight of 1e-4 scaled to 1e4 is a factor of 1e8), and far
/// below where a range's arithmetic overflows: `Uniform(-1e308, 1e308)` has an infinite
/// width, so every draw was +inf, a `Guess` that wide drew its shapes as NaN and never
/// ended, and a sweep that wide hung drawing its axis.
pub const AMOUNT_LIMIT: f64 = 1e9;

/// The values a drawn step may take before rounding: any that rounds to a step from 1 to
/// `steps` (`round_step`).
pub fn step_range(steps: u32) -> (f64, f64) {
    (0.5, f64::from(steps) + 0.5)
}

/// A drawn step rounded to a whole step: to the nearest, halves up (`Uniform(a - 0.5,
/// b + 0.5)` gives each step from a to b the same chance), at least 1.
pub fn round_step(x: f64) -> u32 {
    libm::floor(x + 0.5).clamp(1.0, f64::from(u32::MAX)) as u32
}

impl State {
    /// Sets one drawn number of this trajectory, clamped into its valid range. A share sets
    /// its anchor too; its row is scaled back afterwards (`scale_back_rows`).
    pub fn set(&mut self, target: Target, value: f64) {
        let clamp = |(low, high): (f64, f64)| value.clamp(low, high);
        match target {
            Target::Param(p) => self.params.set(p, value),
            Target::Stance(ij) => self.stance[ij] = clamp((-1.0, 1.0)),
            Target::Affinity(ij) => {
                self.affinity[ij] = clamp(Target::Affinity(ij).range(0));
            }
            Target::Share(x) => {
                self.share[x] = clamp((0.0, 1.0));
                self.anchor[x] = self.share[x];
            }
            Target::Weight(i) => self.weight[i] = clamp(WEIGHT_RANGE),
            Target::Amount(x) => self.amount[x] = value,
            Target::At(e) => self.timing[e] = Timing::At(round_step(value)),
            Target::Every(e) => self.timing[e] = Timing::Every(round_step(value)),
            Target::WindowFirst(e) => self.window[e].0 = round_step(value),
            Target::WindowLast(e) => self.window[e].1 = round_step(value),
            Target::Delay(x) => self.lag[x].delay = round_step(value),
            Target::Over(x) => self.lag[x].over = round_step(value).max(2),
            Target::Direction(x) => self.direction_weight[x] = value.max(0.0),
        }
    }

    /// Scales every row of initial shares that passes 1 back to a total of 1, anchors too
    /// (a row of drawn shares may pass 1 where no written one could). Returns how many rows
    /// it scaled.
    pub fn scale_back_rows(&mut self) -> usize {
        let n = self.n;
        let mut scaled = 0;
        for (row, anchor) in self
            .share
            .chunks_exact_mut(n.max(1))
            .zip(self.anchor.chunks_exact_mut(n.max(1)))
        {
            let total: f64 = row.iter().sum();
            if total > 1.0 {
                for (w, a) in row.iter_mut().zip(anchor.iter_mut()) {
                    *w /= total;
                    *a = *w;
                }
                scaled += 1;
            }
        }
        scaled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawn_step_rounds_to_the_nearest_halves_up() {
        assert_eq!(round_step(0.5), 1);
        assert_eq!(round_step(2.49), 2);
        assert_eq!(round_step(2.5), 3);
        assert_eq!(round_step(-3.0), 1);
        assert_eq!(step_range(8), (0.5, 8.5));
    }
}
