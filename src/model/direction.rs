//! Effects of random direction (docs/src/reference/events.md, "Effects of random
//! direction"): an event whose effects are one of several sets, drawn with given weights
//! each time it fires from its own stream (`event:<name>:direction`), so that adding one
//! changes no other draw.

use std::ops::Range;

/// One set of effects an event may have: its weight (the world's; a trajectory's may be
/// drawn, `State::direction_weight`), and where its effects are in the
/// event's compiled `effects` (after the ones it always has).
#[derive(Debug, Clone, PartialEq)]
pub struct Direction {
    pub weight: f64,
    pub effects: Range<usize>,
}

/// The set a uniform draw `u` in [0, 1) picks among sets of `weights` (the trajectory's):
/// set d with probability weight(d) / total.
pub fn pick(weights: &[f64], u: f64) -> usize {
    let total: f64 = weights.iter().sum();
    let mut below = u * total;
    for (d, &weight) in weights.iter().enumerate() {
        if below < weight {
            return d;
        }
        below -= weight;
    }
    // Rounding can leave u * total at the very top: the last set with a weight.
    weights.iter().rposition(|&w| w > 0.0).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draw_picks_sets_in_proportion_to_their_weights() {
        let sets = [0.6, 0.0, 0.4];
        assert_eq!(pick(&sets, 0.0), 0);
        assert_eq!(pick(&sets, 0.5999), 0);
        assert_eq!(pick(&sets, 0.6), 2);
        assert_eq!(pick(&sets, 0.999_999_999_999), 2);
    }
}
