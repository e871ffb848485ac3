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
    // Weights near f64::MAX add up to infinity (two weights of 1e308 picked the first set
    // 16% of the time): then they are read relative to the largest.
    let scale = if total.is_finite() {
        1.0
    } else {
        1.0 / weights.iter().fold(0.0_f64, |top, &w| top.max(w))
    };
    let mut below = u * weights.iter().map(|&w| w * scale).sum::<f64>();
    for (d, &weight) in weights.iter().enumerate() {
        let weight = weight * scale;
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

    /// Two weights of 1e308 added up to infinity: the split was 16/84, not even.
    #[test]
    fn weights_whose_sum_overflows_still_split_in_proportion() {
        let sets = [1e308, 1e308];
        assert_eq!(pick(&sets, 0.25), 0);
        assert_eq!(pick(&sets, 0.49), 0);
        assert_eq!(pick(&sets, 0.51), 1);
        assert_eq!(pick(&sets, 0.99), 1);
    }
}
