//! The table `simulate score` prints: each observation's scores (every outcome's row, the
//! first metrics'), the outcomes' Brier score against the base rate, and each ablation's
//! totals.

use std::path::Path;

use crate::analysis::score::{ObservationScore, ScoreRun, Scored};
use crate::scenario::path_shown;
use crate::scenario::spelling::{printable, shown};

/// Rows of metrics printed on the terminal (every outcome's row is: there are few, and its
/// probability is the answer); every row is in score.csv.
const SHOWN_ROWS: usize = 20;

/// Characters of a metric's label the table shows: two names and their metric fit, and a
/// label of the user's names stays a row a terminal shows.
const LABEL_CHARS: usize = 100;

/// The lines of the table, which the command prints.
pub fn lines(r: &ScoreRun) -> Vec<String> {
    let mut out = Vec::new();
    let m = &r.summary.manifest;
    // The scenario's name, the file's path and the labels are the user's: escaped and cut.
    out.push(format!(
        "{}: {} trajectories x {} {}s, seed {}; {} observations from {}",
        shown(&m.scenario),
        m.trajectories,
        m.steps,
        m.step_unit,
        m.seed,
        r.scores.len(),
        path_shown(Path::new(&r.observed))
    ));
    let rows = shown_rows(&r.scores);
    let labels: Vec<String> = rows.iter().map(|s| label(&s.metric)).collect();
    let width = labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    out.push(format!(
        "  {:width$}  step  observed  forecast p05, p95           pit    crps  persistence error",
        "metric"
    ));
    for (s, label) in rows.iter().zip(&labels) {
        out.push(format!(
            "  {:width$}  {:>4}  {:>8.3}  {}",
            label,
            s.step,
            s.value,
            row(s)
        ));
    }
    if r.scores.len() > rows.len() {
        out.push(format!(
            "  ... and {} more metric rows in score.csv",
            r.scores.len() - rows.len()
        ));
    }
    let t = &r.totals;
    if let (Some(brier), Some(base)) = (t.brier, t.base_brier) {
        out.push(format!(
            "outcomes: Brier {} over {} observations (base rate, events and noise only: {})",
            brier_shown(brier),
            t.outcomes,
            brier_shown(base)
        ));
    }
    for a in &r.ablations {
        let brier = a.totals.brier.map(|b| format!(" brier {}", brier_shown(b)));
        out.push(format!(
            "ablation {} ({}): {}{}",
            a.ablation,
            a.removes,
            a.totals.line(),
            brier.unwrap_or_default()
        ));
    }
    out
}

/// The rows the terminal shows, in the file's order: every outcome's, and the first
/// `SHOWN_ROWS` of metrics.
fn shown_rows(scores: &[ObservationScore]) -> Vec<&ObservationScore> {
    let mut metrics = 0;
    let shown = |s: &&ObservationScore| match s.scored {
        Scored::Outcome(_) => true,
        Scored::Metric(_) => {
            metrics += 1;
            metrics <= SHOWN_ROWS
        }
    };
    scores.iter().filter(shown).collect()
}

/// A metric's label as a row shows it.
fn label(metric: &str) -> String {
    printable(metric, LABEL_CHARS)
}

/// A Brier score with its significant digits: four decimals hide one below 0.001 (a
/// confident forecast that came true) as 0.0000.
fn brier_shown(brier: f64) -> String {
    if brier != 0.0 && brier < 0.001 {
        format!("{brier:.3e}")
    } else {
        format!("{brier:.4}")
    }
}

/// The scores of one observation as a table row.
fn row(s: &ObservationScore) -> String {
    match &s.scored {
        Scored::Metric(x) => format!(
            "[{:>6.3}, {:>6.3}]{}  {:>5.3}  {:>6.4}  {:>6.4}",
            x.p05,
            x.p95,
            if x.in90 { "        " } else { " outside" },
            x.pit,
            x.crps,
            x.persistence_error
        ),
        Scored::Outcome(x) => format!(
            "probability {:.3}: Brier {}, the base rate's {}",
            x.probability,
            brier_shown(x.brier),
            brier_shown(x.base_brier)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::brier_shown;

    /// Issue 21: a Brier score of 0.0004 was printed as 0.0000, as if perfect.
    #[test]
    fn a_brier_score_below_a_thousandth_keeps_its_significant_digits() {
        assert_eq!(brier_shown(0.000_423_7), "4.237e-4");
        assert_eq!(brier_shown(0.0), "0.0000");
        assert_eq!(brier_shown(0.25), "0.2500");
    }
}
