//! The table a run prints: each outcome's probability and its 95% interval, then what the
//! intervals cover.

use crate::analysis::RunSummary;

/// The lines of the table, which the command prints.
pub fn lines(s: &RunSummary) -> Vec<String> {
    let mut out = Vec::new();
    let m = &s.manifest;
    out.push(format!(
        "{}: {} trajectories x {} {}s, seed {}",
        m.scenario, m.trajectories, m.steps, m.step_unit, m.seed
    ));
    let width = s
        .outcomes
        .iter()
        .map(|o| o.name.len())
        .max()
        .unwrap_or(7)
        .max(7);
    out.push(format!("  {:width$}  probability  95% interval", "outcome"));
    for o in &s.outcomes {
        out.push(format!(
            "  {:width$}  {:>11.3}  [{:.3}, {:.3}]",
            o.name, o.probability, o.ci_low, o.ci_high
        ));
    }
    out.push(format!(
        "  {}",
        crate::analysis::interval::WHAT_INTERVALS_COVER
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::lines;
    use crate::output::examples;

    #[test]
    fn the_table_names_the_run_then_gives_each_outcome_a_row() {
        let lines = lines(&examples::run("before"));
        assert_eq!(lines[0], "before: 40 trajectories x 1 quarters, seed 7");
        assert_eq!(lines[1], "  outcome  probability  95% interval");
        assert_eq!(lines[2], "  war            0.250  [0.125, 0.375]");
        assert_eq!(lines.len(), 4);
    }
}
