//! The table `simulate explain` prints: each outcome's probability, its discovered
//! conditions and the events that move it most, then the largest forces on each tracked
//! metric at the last step.

use crate::analysis::explain::Explanation;
use crate::scenario::spelling::printable;

/// Longest name the printed table shows whole.
const NAME_WIDTH: usize = 40;

/// Events printed per outcome, and forces per tracked metric.
const TOP: usize = 3;

/// The lines of the table, which the command prints.
pub fn lines(e: &Explanation) -> Vec<String> {
    let mut out = Vec::new();
    let m = &e.summary.manifest;
    out.push(format!(
        "{}: {} trajectories x {} {}s, seed {}; each event's effect is the paired difference \
         without it (95% interval)",
        printable(&m.scenario, NAME_WIDTH),
        m.trajectories,
        m.steps,
        m.step_unit,
        m.seed
    ));
    for o in &e.summary.outcomes {
        if e.outcome.as_deref().is_some_and(|asked| asked != o.name) {
            continue;
        }
        out.push(format!(
            "  {}  {:.3}",
            printable(&o.name, NAME_WIDTH),
            o.probability
        ));
        if let Some(found) = e.discovery.iter().find(|d| d.outcome == o.name) {
            out.push(format!("    {}", found.sentence()));
        }
        for c in e.contributions_to("outcome", &o.name).take(TOP) {
            out.push(format!(
                "    without {}: {:+.3} [{:+.3}, {:+.3}]",
                printable(&c.event, NAME_WIDTH),
                c.effect,
                c.ci_low,
                c.ci_high
            ));
        }
    }
    if !e.forces.is_empty() {
        out.push("  largest forces at the last step (mean term of the target's argument):".into());
    }
    for f in &e.forces {
        let last = f.argument().len().saturating_sub(1);
        let mut parts: Vec<(&String, f64)> =
            f.parts().map(|(term, means)| (term, means[last])).collect();
        parts.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        let shown: Vec<String> = parts
            .iter()
            .take(TOP)
            .map(|(term, x)| format!("{} {x:+.3}", printable(term, NAME_WIDTH)))
            .collect();
        out.push(format!(
            "  {}  argument {:+.3}: {}",
            printable(&f.metric, NAME_WIDTH),
            f.argument().get(last).copied().unwrap_or(0.0),
            shown.join(", ")
        ));
    }
    out
}
