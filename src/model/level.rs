//! Level outcomes: those whose whole condition compares one metric with a threshold
//! (`Above(m, x)` or `Below(m, x)`), so that the answer is a count of trajectories on one
//! side of a number the analyst chose, and can be asked again at any other number
//! (`analysis::exceedance`).

use super::{Condition, Metric, Outcome, OutcomeKind, State};

/// Which side of the threshold the outcome asks for: strictly above or strictly below, as
/// `Condition::holds` tests it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Above,
    Below,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Above => "above",
            Side::Below => "below",
        }
    }

    /// Whether `value` is on this side of `x`: the outcome's own test.
    pub fn holds(self, value: f64, x: f64) -> bool {
        match self {
            Side::Above => value > x,
            Side::Below => value < x,
        }
    }
}

/// What a level outcome compares, and with what.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    pub metric: Metric,
    pub side: Side,
    pub threshold: f64,
    pub kind: OutcomeKind,
}

impl Level {
    /// The level an outcome asks about, if it is one. A bloc indicator (0 or 1) has no level
    /// to move, and a threshold outside the metric's range gives the same answer at every
    /// nearby number, so neither has a curve.
    pub fn of(outcome: &Outcome) -> Option<Level> {
        let (metric, side, threshold) = match outcome.condition {
            Condition::Above(m, x) => (m, Side::Above, x),
            Condition::Below(m, x) => (m, Side::Below, x),
            _ => return None,
        };
        let (low, high) = metric.range();
        let level = !matches!(metric, Metric::SameBloc(..)) && (low..=high).contains(&threshold);
        level.then_some(Level {
            metric,
            side,
            threshold,
            kind: outcome.kind,
        })
    }

    /// The value of one trajectory that decides the outcome: at the end, the metric's value;
    /// for "ever", its most extreme value so far on the outcome's side (the largest for
    /// `Above`, the smallest for `Below`), since it held at some step exactly when that
    /// extreme passes the threshold. `so_far` is the extreme before this step (`start`).
    pub fn compared(&self, state: &State, so_far: f64) -> f64 {
        let value = self.metric.eval(state);
        match (self.kind, self.side) {
            (OutcomeKind::AtEnd, _) => value,
            // Written so that a NaN (never on either side) leaves the extreme as it was.
            (OutcomeKind::Ever, Side::Above) if value > so_far => value,
            (OutcomeKind::Ever, Side::Below) if value < so_far => value,
            (OutcomeKind::Ever, _) => so_far,
        }
    }

    /// The extreme of a trajectory before its first step: on no side of any threshold.
    pub fn start(&self) -> f64 {
        match self.side {
            Side::Above => f64::NEG_INFINITY,
            Side::Below => f64::INFINITY,
        }
    }
}
