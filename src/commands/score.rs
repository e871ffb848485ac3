//! `simulate score SCENARIO --observed FILE.csv [--ablate LIST]`: run a scenario as a
//! forecast, score it against what happened (`analysis::score`), and write the run's own
//! results beside the scores.
//!
//! The runs follow one another on the same seed, and each one's aggregates are dropped as
//! soon as they are read, so memory is that of one run: first the events-only model when
//! outcomes need its base rates (or `--ablate all` asks for it), then the full model, then
//! each other ablation.

use std::path::{Path, PathBuf};

use crate::analysis::ablation::Ablation;
use crate::analysis::score::{
    score as score_all, scored_series, AblationTotals, Chances, ObservationScore, ScoreRun, Scored,
    Totals,
};
use crate::analysis::{Manifest, RunSummary};
use crate::engine::{self, Control, Plan, Stopped};
use crate::error::Error;
use crate::model::World;
use crate::options::RunOptions;
use crate::output;
use crate::scenario::{self, observed, sha256_hex};

/// Rows of metrics printed on the terminal (every outcome's row is: there are few, and its
/// probability is the answer); every row is in score.csv.
const SHOWN_ROWS: usize = 20;

pub fn score(
    path: &Path,
    observed_path: &Path,
    ablations: &[Ablation],
    options: &RunOptions,
) -> Result<(), Error> {
    let name = super::default_folder::score(&super::stem(path));
    let out = super::output_folder(options.out.as_deref(), &name);
    output::check_target(&out)?;
    let scenario = scenario::load(path)?;
    let world = &scenario.world;
    let bytes = observed::read(observed_path)?;
    let observations = observed::parse(observed_path, &bytes, world)?;
    let plan = super::plan(world, options)?;

    let outcomes_observed = observations
        .iter()
        .any(|o| matches!(o.of, observed::Observed::Outcome(_)));
    let events_only = outcomes_observed || ablations.contains(&Ablation::All);
    let runs =
        1 + ablations.len() as u64 + u64::from(events_only && !ablations.contains(&Ablation::All));
    let total = plan.len() * runs;
    let (worlds, here) = ([world], [PathBuf::new()]);
    let records = options.records.then_some((&worlds[..], &here[..]));
    let exporters = output::score_exporters();
    let result = super::records::run_and_export(&out, records, &plan, &exporters, |sinks| {
        let (summary, scores, series, ablation_totals) =
            super::with_progress_over(total, options, &world.name, |control| {
                let run = |w: &World, ablation: Option<Ablation>| {
                    ablated_run(w, &plan, control, ablation, None)
                };
                // The events-only model first: its outcome probabilities are the base rates.
                let (base, all_totals) = if events_only {
                    let w = Ablation::All.apply(world);
                    let agg = run(&w, Some(Ablation::All))?;
                    let base = Chances::of(&w, &agg);
                    let totals = Totals::of(&score_all(&w, &agg, &observations, &base));
                    (base, Some(totals))
                } else {
                    // No outcome is observed, so no base rate is read.
                    (Chances::none(), None)
                };
                // The forecast itself is the run whose records are kept.
                let agg = ablated_run(world, &plan, control, None, sinks.first().copied())?;
                let manifest = Manifest::new(&scenario, plan.seed, plan.trajectories);
                let summary = RunSummary::new(manifest, world, &agg);
                let scores = score_all(world, &agg, &observations, &base);
                let series = scored_series(world, &agg, &scores, &observations);
                drop(agg);
                let mut ablation_totals = Vec::new();
                for &a in ablations {
                    let totals = match (a, &all_totals) {
                        (Ablation::All, Some(totals)) => totals.clone(),
                        _ => {
                            let w = a.apply(world);
                            let agg = run(&w, Some(a))?;
                            Totals::of(&score_all(&w, &agg, &observations, &base))
                        }
                    };
                    ablation_totals.push(AblationTotals::new(a, totals));
                }
                Ok((summary, scores, series, ablation_totals))
            })?;

        Ok(ScoreRun {
            summary,
            observed: observed_path.display().to_string(),
            observed_sha256: sha256_hex(&bytes),
            totals: Totals::of(&scores),
            scores,
            series,
            ablations: ablation_totals,
        })
    })?;
    if options.verbose {
        print_scores(&result)?;
        crate::say!("results in {}", out.display())?;
        crate::say!("{}", result.totals.line())?;
    }
    Ok(())
}

/// One run of `world` (the full model, or an ablation of it) on the plan's seed.
fn ablated_run(
    world: &World,
    plan: &Plan,
    control: &Control,
    ablation: Option<Ablation>,
    records: Option<&dyn engine::records::Records>,
) -> Result<engine::Aggregates, Stopped> {
    engine::run_recorded(world, plan, control, records).map_err(|stopped| match ablation {
        Some(a) => super::at_point(stopped, || format!("the ablation `{}`", a.name())),
        None => stopped,
    })
}

fn print_scores(r: &ScoreRun) -> Result<(), Error> {
    let m = &r.summary.manifest;
    crate::say!(
        "{}: {} trajectories x {} {}s, seed {}; {} observations from {}",
        m.scenario,
        m.trajectories,
        m.steps,
        m.step_unit,
        m.seed,
        r.scores.len(),
        r.observed
    )?;
    let shown = shown_rows(&r.scores);
    let width = shown
        .iter()
        .map(|s| s.metric.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    crate::say!(
        "  {:width$}  step  observed  forecast p05, p95           pit    crps  persistence error",
        "metric"
    )?;
    for s in &shown {
        crate::say!(
            "  {:width$}  {:>4}  {:>8.3}  {}",
            s.metric,
            s.step,
            s.value,
            row(s)
        )?;
    }
    if r.scores.len() > shown.len() {
        crate::say!(
            "  ... and {} more metric rows in score.csv",
            r.scores.len() - shown.len()
        )?;
    }
    let t = &r.totals;
    if let (Some(brier), Some(base)) = (t.brier, t.base_brier) {
        crate::say!(
            "outcomes: Brier {} over {} observations (base rate, events and noise only: {})",
            brier_shown(brier),
            t.outcomes,
            brier_shown(base)
        )?;
    }
    for a in &r.ablations {
        let brier = a.totals.brier.map(|b| format!(" brier {}", brier_shown(b)));
        crate::say!(
            "ablation {} ({}): {}{}",
            a.ablation,
            a.removes,
            a.totals.line(),
            brier.unwrap_or_default()
        )?;
    }
    Ok(())
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
