//! What a run that cannot be held at rest says: which trajectory, which draw, which pair, and
//! what to change. The run formats its own message; `Error` only carries it.

use std::fmt;

use super::{Stopped, UnsettledRun};
use crate::model::AFFINITY_LIMIT;

impl Stopped {
    /// Names the sweep or design point at which a world at rest was refused: its fixed
    /// values, not the file's ranges, are what could not be held still.
    pub fn at_point(self, point: impl FnOnce() -> String) -> Stopped {
        match self {
            Stopped::Unsettled(mut run) => {
                run.point = Some(point());
                Stopped::Unsettled(run)
            }
            other => other,
        }
    }
}

impl fmt::Display for UnsettledRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let UnsettledRun {
            scenario,
            trajectory,
            from,
            to,
            channels,
            draw,
            point,
        } = self;
        let beta: String = channels
            .iter()
            .zip(&draw.beta)
            .map(|(c, b)| format!(", beta.{c} = {b:.3}"))
            .collect();
        // In a sweep or a design the point's fixed values are what failed, not the file's
        // ranges: say which point, and narrow the point's range instead.
        let (at, narrow) = match point {
            Some(point) => (
                format!(" at {point},"),
                "Narrow the range of that sweep or of the file's distributions",
            ),
            None => (String::new(), "Narrow the ranges of those parameters"),
        };
        write!(
            f,
            "scenario \"{scenario}\" asks for at_rest, but{at} trajectory {trajectory} draws \
             lambda = {:.3}, gamma = {:.3}{beta} for {from}: holding Stance(\"{from}\", \
             \"{to}\") at its initial value would take an affinity of {:.3}, beyond the limit \
             of {AFFINITY_LIMIT} either way. {narrow}, move the stance away from ±1, shrink the \
             pair's departure in `affinities`, or set at_rest: false",
            draw.lambda, draw.gamma, draw.affinity,
        )
    }
}
