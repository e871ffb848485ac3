//! A hazard by cases as written: `cases: [(condition, hazard), ...]` beside the event's
//! `hazard`, which applies when no case holds (`model::hazard`).

use super::Compiler;
use crate::model::Case;
use crate::scenario::file::{EventDef, ScenarioFile};
use crate::scenario::spelling::quoted_name;

impl Compiler<'_> {
    /// The cases of event `e`, their conditions checked; their hazards are slots
    /// (`case_slots`).
    pub(super) fn cases(
        &mut self,
        f: &ScenarioFile,
        e: usize,
        def: &EventDef,
        anchor: Option<usize>,
    ) -> Vec<Case> {
        if def.cases.is_empty() {
            return Vec::new();
        }
        if def.hazard.is_none() {
            let at = self.loc.field_after(anchor, "cases");
            self.problem(
                at,
                format!(
                    "event {}: `cases` give its hazard by cases, so it needs `hazard: \
                     <probability per step>` for the steps when no case holds (0.0 if never)",
                    quoted_name(&def.name)
                ),
            );
        }
        let first = first_case(f, e);
        let mut cases = Vec::new();
        for (c, (when, _)) in def.cases.iter().enumerate() {
            if let Some(when) = self.condition(when, anchor) {
                cases.push(Case {
                    when,
                    slot: first + c,
                });
            }
        }
        cases
    }
}

/// Where event `e`'s cases start among every event's cases (`ParamTarget::Case`).
pub(super) fn first_case(f: &ScenarioFile, e: usize) -> usize {
    f.events[..e].iter().map(|d| d.cases.len()).sum()
}
