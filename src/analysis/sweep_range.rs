//! The values a swept number may take, as `simulate sweep` says them and refuses a range
//! outside them. A number of steps (an `at`, `every`, a window's bound, a lag's delay or
//! parts) is set at a sweep point as a fixed value that every trajectory rounds to a whole
//! step, halves up (`model::round_step`): the top of its kind's range, a half step such as
//! 11.5 for a delay in 12 steps, is never drawn by a range in a file
//! (`scenario::drawn_steps::span`) but is a sweep point's value, and rounds one step past
//! it. So the range of such a number is said, and checked, in whole steps: the rounded ends
//! must lie within them (hostile trial: `delay=1:11.5:2` was advertised as inside
//! [0.5, 11.5] and refused at its point as a delay of 12).

use crate::format::Num;
use crate::model::round_step;

/// A swept number's valid values: an interval of plain numbers, or the whole steps from
/// `low` to `high` that a value rounds to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValidRange {
    low: f64,
    high: f64,
    steps: bool,
}

impl ValidRange {
    /// Every number from `low` to `high`, both included.
    pub fn numbers(low: f64, high: f64) -> ValidRange {
        ValidRange {
            low,
            high,
            steps: false,
        }
    }

    /// A number of steps whose kind's range is `[low, high]`, both half steps (a delay in
    /// 12 steps: [0.5, 11.5]): the whole steps inside it, 1 to 11.
    pub fn steps(low: f64, high: f64) -> ValidRange {
        ValidRange {
            low: low.ceil(),
            high: high.floor(),
            steps: true,
        }
    }

    /// Why the swept values from `low` to `high` are not all valid, if they are not: the
    /// tail of a message that names the range.
    pub fn refusal(&self, low: f64, high: f64) -> Option<String> {
        let (lo, hi) = (Num(self.low), Num(self.high));
        if !self.steps {
            let inside = low >= self.low && high <= self.high;
            return (!inside).then(|| {
                format!(
                    "the range {}..{} leaves the parameter's valid range [{lo}, {hi}]",
                    Num(low),
                    Num(high)
                )
            });
        }
        // The lowest value that rounds to the first step; `round_step` lifts anything
        // below to step 1, which would hide a 0 or a negative LO.
        let floor = self.low - 0.5;
        let fits = |x: f64| x >= floor && f64::from(round_step(x)) <= self.high;
        if fits(low) && fits(high) {
            return None;
        }
        // Each end that leaves the range, low first. An end below the floor is said so:
        // `round_step` would lift it to step 1 and the reason would read as no reason
        // (hostile pass: `at=0:0:1` was refused because "0 rounds to step 1").
        let mut why = Vec::new();
        if low < floor {
            why.push(format!("{} is below {}", Num(low), Num(floor)));
        }
        if high >= floor && !fits(high) {
            why.push(if high < self.high + 1.5 {
                format!("{} rounds to step {}", Num(high), round_step(high))
            } else {
                format!("{} is past step {hi}", Num(high))
            });
        }
        let why = why.join(", and ");
        Some(format!(
            "the range {}..{} leaves the parameter's valid range: a whole number of steps from \
             {lo} to {hi}, a value rounded to the nearest step, halves up, so from {} to below \
             {} ({why})",
            Num(low),
            Num(high),
            Num(floor),
            Num(self.high + 0.5)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::ValidRange;

    #[test]
    fn a_delay_in_12_steps_is_1_to_11_steps_and_11_5_rounds_past_it() {
        let delay = ValidRange::steps(0.5, 11.5);
        assert_eq!(delay.refusal(0.5, 11.49), None);
        assert_eq!(delay.refusal(1.0, 11.0), None);
        let why = delay.refusal(1.0, 11.5).unwrap();
        assert!(why.contains("from 1 to 11"), "{why}");
        assert!(why.contains("11.5 rounds to step 12"), "{why}");
        let why = delay.refusal(0.0, 4.0).unwrap();
        assert!(why.contains("0 is below 0.5"), "{why}");
        let why = delay.refusal(-1e300, 1e300).unwrap();
        assert!(
            why.ends_with("(-1e300 is below 0.5, and 1e300 is past step 11)"),
            "{why}"
        );
    }

    /// Regression (hostile pass): `--param event.visit.at=0:0:1` was refused "(0 rounds to
    /// step 1)", a step inside the range it was refused from; 0 is below 0.5.
    #[test]
    fn an_at_of_0_to_0_was_refused_because_0_rounds_to_step_1() {
        let at = ValidRange::steps(0.5, 12.5);
        let why = at.refusal(0.0, 0.0).unwrap();
        assert!(why.ends_with("(0 is below 0.5)"), "{why}");
        assert!(!why.contains("rounds to step 1"), "{why}");
        let why = at.refusal(-3.0, 0.2).unwrap();
        assert!(why.ends_with("(-3 is below 0.5)"), "{why}");
    }

    #[test]
    fn plain_numbers_keep_their_closed_range() {
        let share = ValidRange::numbers(0.0, 1.0);
        assert_eq!(share.refusal(0.0, 1.0), None);
        let why = share.refusal(0.0, 1.5).unwrap();
        assert!(
            why.ends_with("leaves the parameter's valid range [0, 1]"),
            "{why}"
        );
    }
}
