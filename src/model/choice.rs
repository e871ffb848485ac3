//! Choice groups (docs/src/reference/events.md, "Choice groups"): events of which at most
//! one fires per trajectory, such as the bidders of one competition. The group is settled
//! where its first member is listed: of the members ready to fire at a step, the one that
//! arrives first within the step wins, and the group is then closed for good.

/// A choice group, as each of its members carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The group's name as the file writes it.
    pub group: String,
    /// Every member, in file order (at least two).
    pub members: Vec<usize>,
}

impl Choice {
    /// Whether the group is settled at event `e`'s place in the step (its first member).
    pub fn settled_at(&self, e: usize) -> bool {
        self.members.first() == Some(&e)
    }
}

/// How a member ready to fire arrives within its step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arrival {
    /// A scheduled step (`at`, `every`): at its start.
    Scheduled,
    /// A hazard's draw `u`, below the step's hazard.
    Drawn { u: f64, hazard: f64 },
}

impl Arrival {
    /// When in the step, in [0, 1), the member arrives. A hazard h per step is a constant
    /// rate -ln(1 - h), whose first arrival is at ln(1 - u) / ln(1 - h) for the step's
    /// uniform u: below 1 exactly when u < h, so the member's own draw decides both whether
    /// and when. The earliest arrival wins, which splits the firings in proportion to the
    /// rates -ln(1 - h) whatever the members' order in the file (competing risks).
    pub fn time(self) -> f64 {
        match self {
            Arrival::Scheduled => 0.0,
            Arrival::Drawn { hazard, .. } if hazard >= 1.0 => 0.0,
            Arrival::Drawn { u, hazard } => libm::log1p(-u) / libm::log1p(-hazard),
        }
    }
}

/// The earlier of the best arrival so far and the next member's `(event, time)`: members
/// are met in file order, so on a tie the first listed stays.
pub fn earlier(best: Option<(usize, f64)>, next: (usize, f64)) -> Option<(usize, f64)> {
    match best {
        Some(best) if best.1 <= next.1 => Some(best),
        _ => Some(next),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scheduled_member_arrives_first_and_ties_go_to_the_first_listed() {
        let drawn = Arrival::Drawn {
            u: 0.01,
            hazard: 0.5,
        };
        let first = earlier(None, (3, drawn.time()));
        assert_eq!(
            earlier(first, (5, Arrival::Scheduled.time())),
            Some((5, 0.0))
        );
        let tie = earlier(Some((1, 0.0)), (2, 0.0));
        assert_eq!(tie, Some((1, 0.0)));
    }

    #[test]
    fn an_arrival_is_within_the_step_exactly_when_the_draw_is_below_the_hazard() {
        for (u, hazard) in [(0.1, 0.2), (0.199, 0.2), (0.5, 0.9), (0.0, 0.3)] {
            let time = Arrival::Drawn { u, hazard }.time();
            assert!((0.0..1.0).contains(&time), "{u} {hazard}: {time}");
        }
        let at_the_end = Arrival::Drawn {
            u: 0.2,
            hazard: 0.2,
        };
        assert!((at_the_end.time() - 1.0).abs() < 1e-12);
    }
}
