//! The table `simulate compare` prints: each outcome's probability in every scenario with
//! its paired differences against the reference, the outcomes not compared and why, then
//! each shared metric's paired effect at the last step.

use crate::analysis::compare::label;
use crate::analysis::Comparison;

/// The lines of the table, which the command prints.
pub fn lines(c: &Comparison) -> Vec<String> {
    let mut out = Vec::new();
    let r = &c.reference().manifest;
    let names: Vec<String> = c
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{} ({})", s.manifest.scenario, label(i)))
        .collect();
    out.push(format!(
        "{}: {} paired trajectories, seed {}; differences against {}",
        names.join(", "),
        r.trajectories,
        r.seed,
        label(0)
    ));
    let width = c
        .outcomes
        .iter()
        .map(|o| o.name.len())
        .chain(c.metrics.iter().map(|m| m.name.len()))
        .max()
        .unwrap_or(7)
        .max(7);
    out.extend(outcomes(c, width));
    for name in &c.not_shared {
        out.push(format!("  {name}: not in every scenario (not compared)"));
    }
    for name in &c.defined_differently {
        out.push(format!(
            "  {name}: defined differently in {} (not compared)",
            c.redefined_in(name).join(", ")
        ));
    }
    out.extend(metrics(c, width));
    out.push(format!(
        "  {}",
        crate::analysis::interval::WHAT_INTERVALS_COVER
    ));
    out
}

/// The outcomes' head, then each outcome's probabilities and its differences against the
/// reference, one line each.
fn outcomes(c: &Comparison, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut head = format!("  {:width$}  {:>6}", "outcome", label(0));
    for i in 1..c.scenarios.len() {
        head.push_str(&format!("  {:>6}", label(i)));
    }
    out.push(head);
    for o in &c.outcomes {
        let mut line = format!("  {:width$}  {:>6.3}", o.name, o.probabilities[0]);
        for p in &o.probabilities[1..] {
            line.push_str(&format!("  {p:>6.3}"));
        }
        out.push(line);
        for d in &o.differences {
            out.push(format!(
                "  {:width$}    {} - {}: {:+.3} [{:+.3}, {:+.3}] (paired 95%)",
                "",
                d.label,
                label(0),
                d.diff,
                d.ci_low,
                d.ci_high
            ));
        }
    }
    out
}

/// Each shared metric's effect at the last step, under a line saying so (none without
/// metrics).
fn metrics(c: &Comparison, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    if !c.metrics.is_empty() {
        out.push("  metric effects at the last step (paired 95% interval):".into());
    }
    let last = c.reference().manifest.steps;
    for m in &c.metrics {
        // Say the step only where it is not the reference's last (worlds of different lengths).
        let at = if m.step == last as usize {
            String::new()
        } else {
            format!(" at step {}", m.step)
        };
        out.push(format!(
            "  {:width$}  {} - {}{at}: {:+.4} [{:+.4}, {:+.4}]  ({:.4} -> {:.4})",
            m.name,
            m.label,
            label(0),
            m.diff,
            m.ci_low,
            m.ci_high,
            m.reference_mean,
            m.mean
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::lines;
    use crate::output::examples;

    #[test]
    fn the_table_gives_each_outcome_its_probabilities_then_its_paired_difference() {
        let lines = lines(&examples::comparison());
        assert_eq!(
            lines[0],
            "before (A), after (B): 40 paired trajectories, seed 7; differences against A"
        );
        let expected = [
            "  outcome                 A       B",
            "  war                 0.250   0.500",
            "                       B - A: +0.250 [+0.125, +0.375] (paired 95%)",
            "  peace: not in every scenario (not compared)",
        ];
        assert_eq!(lines[1..5], expected);
        assert_eq!(
            lines.len(),
            8,
            "then the metric effects and what intervals cover"
        );
    }
}
