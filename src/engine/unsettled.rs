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
        // A world of 32 channels listed 32 of them: the first dozen, then a count.
        let betas: Vec<String> = channels
            .iter()
            .zip(&draw.beta)
            .map(|(c, b)| format!("beta.{c} = {b:.3}"))
            .collect();
        let betas: Vec<&str> = betas.iter().map(String::as_str).collect();
        let beta = if betas.is_empty() {
            String::new()
        } else {
            format!(", {}", crate::scenario::spelling::name_list(&betas))
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Unsettled;

    /// Defect (hostile trial): a world of 32 channels listed all 32 of its betas in the
    /// refusal, and a design point of a hundred factors all hundred values.
    #[test]
    fn a_refusal_of_many_channels_lists_the_first_and_counts_the_rest() {
        let channels: Vec<String> = (0..32).map(|c| format!("ch{c}")).collect();
        let run = UnsettledRun {
            scenario: "big".into(),
            trajectory: 3,
            from: "A".into(),
            to: "B".into(),
            channels,
            draw: Unsettled {
                from: 0,
                to: 1,
                affinity: 7.0,
                lambda: 0.5,
                gamma: 0.8,
                beta: vec![1.0; 32],
            },
            point: None,
        };
        let message = run.to_string();
        assert!(message.contains("beta.ch0 = 1.000"), "{message}");
        assert!(message.contains("and 20 more"), "{message}");
        assert!(!message.contains("beta.ch31"), "{message}");
        assert!(
            message.len() < 800,
            "{} characters: {message}",
            message.len()
        );
    }
}
