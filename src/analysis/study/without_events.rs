//! The driver behind `simulate explain`'s contributions: the scenario paired with itself
//! without each of its events, on common random numbers, as `simulate compare` pairs it
//! with a variant that removes the event. The command batches the variants, runs each batch
//! under its progress bar and hands the comparisons to `analysis::explain`.

use crate::analysis::compare::{redefined_outcomes, shared_metrics, shared_outcomes, Pairwise};
use crate::analysis::explain::Kept;
use crate::analysis::{Comparison, Manifest, RunSummary};
use crate::engine::{self, Control, Pairing, Plan, Stopped};
use crate::model::World;
use crate::scenario::spelling::{printable, quoted_name};
use crate::scenario::{self, Scenario, TakenOut};

/// The scenario without each of its events, by event (removed, or never firing where others
/// name it); the events named by others that never fire instead; the events that cannot be
/// taken out, with the first line of the reason.
pub fn variants(scenario: &Scenario) -> (Vec<(String, Scenario)>, Vec<String>, Vec<Kept>) {
    let (mut without, mut never, mut kept) = (Vec::new(), Vec::new(), Vec::new());
    for event in &scenario.world.events {
        match scenario::without_event(scenario, &event.name) {
            Ok((v, how)) => {
                if how == TakenOut::NeverFires {
                    never.push(event.name.clone());
                }
                without.push((event.name.clone(), v));
            }
            Err(e) => {
                let why = e.to_string();
                let why = why.lines().next().unwrap_or_default();
                crate::warn!(
                    "warning: event {} is kept in every run: {}",
                    quoted_name(&event.name),
                    printable(why, 300)
                );
                kept.push(Kept {
                    event: event.name.clone(),
                    why: printable(why, 300),
                });
            }
        }
    }
    (without, never, kept)
}

/// The scenario and `batch`'s variants on common random numbers, as `simulate compare`
/// runs them.
pub fn compare(
    scenario: &Scenario,
    batch: &[(String, Scenario)],
    plan: &Plan,
    control: &Control,
) -> Result<Comparison, Stopped> {
    let worlds: Vec<&World> = std::iter::once(&scenario.world)
        .chain(batch.iter().map(|(_, v)| &v.world))
        .collect();
    let metrics = shared_metrics(&worlds);
    let pairings: Vec<Pairing> = worlds[1..]
        .iter()
        .zip(metrics)
        .map(|(w, metrics)| Pairing {
            outcomes: shared_outcomes(worlds[0], w),
            metrics,
        })
        .collect();
    let joint = engine::run_joint(&worlds, &pairings, plan, control)?;
    let sides = std::iter::once(scenario).chain(batch.iter().map(|(_, v)| v));
    let summaries: Vec<RunSummary> = sides
        .zip(&joint.sides)
        .map(|(s, agg)| {
            let manifest = Manifest::new(s, plan.seed, plan.trajectories);
            RunSummary::new(manifest, &s.world, agg)
        })
        .collect();
    let pairwise = summaries[1..]
        .iter()
        .zip(&pairings)
        .zip(&joint.pairs)
        .zip(&worlds[1..])
        .map(|(((s, p), counts), w)| {
            let redefined = redefined_outcomes(worlds[0], w);
            Pairwise::new(&summaries[0], s, &p.outcomes, counts, redefined)
        })
        .collect();
    Ok(Comparison::new(summaries, pairwise, &joint.effects))
}
