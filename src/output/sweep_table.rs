//! The table `simulate sweep` prints: each grid point's parameter values and every
//! outcome's probability there, then what the intervals in its files cover.

use crate::analysis::sweep::Sweep;

/// The lines of the table, which the command prints.
pub fn lines(s: &Sweep) -> Vec<String> {
    let mut out = Vec::new();
    out.push(format!(
        "{}: {} grid points x {} trajectories (same seeds at every point), seed {}",
        s.manifest.scenario,
        s.points.len(),
        s.manifest.trajectories,
        s.manifest.seed
    ));
    let widths: Vec<usize> = s.parameters.iter().map(|p| p.len().max(8)).collect();
    let mut head = String::from(" ");
    for (p, w) in s.parameters.iter().zip(&widths) {
        head.push_str(&format!(" {p:>w$}"));
    }
    for o in &s.outcomes {
        head.push_str(&format!("  {o}"));
    }
    out.push(head);
    for point in &s.points {
        let mut line = String::from(" ");
        for (v, w) in point.values.iter().zip(&widths) {
            line.push_str(&format!(" {:>w$}", format!("{:.4}", v)));
        }
        for (o, name) in point.outcomes.iter().zip(&s.outcomes) {
            line.push_str(&format!("  {:>w$.3}", o.probability, w = name.len()));
        }
        out.push(line);
    }
    out.push(format!(
        "  {}",
        crate::analysis::interval::WHAT_SWEEP_INTERVALS_COVER
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::lines;
    use crate::output::examples;

    #[test]
    fn the_table_gives_each_grid_point_its_values_and_probabilities() {
        let lines = lines(&examples::sweep());
        assert_eq!(
            lines[0],
            "s: 2 grid points x 40 trajectories (same seeds at every point), seed 7"
        );
        assert_eq!(lines[1], "    lambda  war");
        assert_eq!(lines[2], "    0.2500  0.250");
        assert_eq!(lines.len(), 5);
    }
}
