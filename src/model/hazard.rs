//! A hazard by cases (docs/src/reference/events.md, "Hazard by cases"): the event's hazard
//! at a step is the first case whose condition holds, or its own `hazard` when none does,
//! so one event carries its whole schedule of hazards.

use super::{Condition, Event, State};

/// One case: while `when` holds (and no case before it does), the hazard is the
/// trajectory's `Params::cases[slot]` (`event.<name>.hazard.case.<N>`).
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub when: Condition,
    pub slot: usize,
}

/// Event `e`'s hazard at this step.
#[inline]
pub fn hazard_now(event: &Event, e: usize, state: &State) -> f64 {
    if event.cases.is_empty() {
        return state.params.hazard[e];
    }
    match event.cases.iter().find(|c| c.when.holds(state)) {
        Some(case) => state.params.cases[case.slot],
        None => state.params.hazard[e],
    }
}
