//! The steps a range over steps can be drawn at (an `at`, `every`, a window's bound, a
//! lag's steps): the loader's checks and a sweep point's (`analysis::sweep_point`) bound
//! them alike.

use crate::model::round_step;

/// The earliest and latest steps a draw from the support `[low, high]` rounds to
/// (`model::round_step`, halves up). No draw reaches `high` itself (a Uniform's draw is
/// below it; a Triangular's, a Guess's and a truncated Normal's reach it with probability
/// 0), so a range ending on a half step, as the book writes them (`Uniform(0.5, 4.5)`: steps
/// 1 to 4), ends on the step below it. Rounding `high` itself, halves up, gave one step
/// more: `Delay(Uniform(1.5, 11.5), ...)` in 12 steps, the very range the check of its
/// bounds suggests, was refused as landing at step 13.
pub fn span(low: f64, high: f64) -> (u32, u32) {
    let first = round_step(low);
    let last = round_step(high);
    let last = if f64::from(last) - 0.5 == high {
        last.saturating_sub(1)
    } else {
        last
    };
    (first, last.max(first))
}

#[cfg(test)]
mod tests {
    use super::span;

    #[test]
    fn a_range_ending_on_a_half_step_ends_on_the_step_below() {
        assert_eq!(span(0.5, 4.5), (1, 4));
        assert_eq!(span(1.5, 11.5), (2, 11));
        assert_eq!(span(1.5, 11.7), (2, 12));
        assert_eq!(span(2.0, 2.0), (2, 2));
        assert_eq!(span(2.5, 2.5), (3, 3));
    }
}
