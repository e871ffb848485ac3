//! The driver behind `simulate score`: a scenario run as a forecast and scored against what
//! happened (`analysis::score`), and each ablation of it scored the same way.
//!
//! The runs follow one another on the same seed, and each one's aggregates are dropped as
//! soon as they are read, so memory is that of one run: first the events-only model when
//! outcomes need its base rates (or `--ablate all` asks for it), then the full model, then
//! each other ablation.

use crate::analysis::ablation::Ablation;
use crate::analysis::score::{
    score as score_all, scored_series, AblationTotals, Chances, ObservationScore, ScoredSeries,
    Totals,
};
use crate::analysis::{Manifest, RunSummary};
use crate::engine::records::Records;
use crate::engine::{self, Control, Plan, Stopped};
use crate::model::World;
use crate::scenario::observed::Observation;
use crate::scenario::Scenario;

/// The forecast's summary and scores, and each ablation's totals.
pub struct Forecast {
    pub summary: RunSummary,
    pub scores: Vec<ObservationScore>,
    pub series: Vec<ScoredSeries>,
    pub ablations: Vec<AblationTotals>,
}

/// Runs the forecast and its ablations on `control`; `events_only` runs the events-only
/// model first, for the base rates; `records` keeps the forecast's rows.
pub fn run(
    scenario: &Scenario,
    plan: &Plan,
    control: &Control,
    observations: &[Observation],
    ablations: &[Ablation],
    events_only: bool,
    records: Option<&dyn Records>,
) -> Result<Forecast, Stopped> {
    let world = &scenario.world;
    let run = |w: &World, ablation: Option<Ablation>| ablated_run(w, plan, control, ablation, None);
    // The events-only model first: its outcome probabilities are the base rates.
    let (base, all_totals) = if events_only {
        let w = Ablation::All.apply(world);
        let agg = run(&w, Some(Ablation::All))?;
        let base = Chances::of(&w, &agg);
        let totals = Totals::of(&score_all(&w, &agg, observations, &base));
        (base, Some(totals))
    } else {
        // No outcome is observed, so no base rate is read.
        (Chances::none(), None)
    };
    // The forecast itself is the run whose records are kept.
    let agg = ablated_run(world, plan, control, None, records)?;
    let manifest = Manifest::new(scenario, plan.seed, plan.trajectories);
    let summary = RunSummary::new(manifest, world, &agg);
    let scores = score_all(world, &agg, observations, &base);
    let series = scored_series(world, &agg, &scores, observations);
    drop(agg);
    let mut ablation_totals = Vec::new();
    for &a in ablations {
        let totals = match (a, &all_totals) {
            (Ablation::All, Some(totals)) => totals.clone(),
            _ => {
                let w = a.apply(world);
                let agg = run(&w, Some(a))?;
                Totals::of(&score_all(&w, &agg, observations, &base))
            }
        };
        ablation_totals.push(AblationTotals::new(a, totals));
    }
    Ok(Forecast {
        summary,
        scores,
        series,
        ablations: ablation_totals,
    })
}

/// One run of `world` (the full model, or an ablation of it) on the plan's seed.
fn ablated_run(
    world: &World,
    plan: &Plan,
    control: &Control,
    ablation: Option<Ablation>,
    records: Option<&dyn Records>,
) -> Result<engine::Aggregates, Stopped> {
    engine::run_recorded(world, plan, control, records).map_err(|stopped| match ablation {
        Some(a) => stopped.at_point(|| format!("the ablation `{}`", a.name())),
        None => stopped,
    })
}
