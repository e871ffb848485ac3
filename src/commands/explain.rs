//! `simulate explain SCENARIO`: why the scenario gives its answers. One run collects the
//! forces on each tracked stance and partnership and the outcomes by when each event first
//! fired; then the scenario is paired with itself without each event, on common random
//! numbers, as `simulate compare` pairs it with a variant that removes it.

use std::path::Path;

use super::stem;
use crate::analysis::compare::{
    redefined_outcomes, shared_metrics, shared_outcomes, Pairwise, MAX_SCENARIOS,
};
use crate::analysis::discovered::{discoveries, FirstRows};
use crate::analysis::explain::{Explanation, Kept};
use crate::analysis::{Comparison, Manifest, RunSummary};
use crate::engine::records::InOrder;
use crate::engine::{self, estimate, Pairing, Plan};
use crate::error::Error;
use crate::model::World;
use crate::options::RunOptions;
use crate::output;
use crate::scenario::spelling::{printable, quoted_name, suggestion};
use crate::scenario::{self, Scenario, TakenOut};

/// Longest name the printed table shows whole.
const NAME_WIDTH: usize = 40;

pub fn explain(path: &Path, outcome: Option<&str>, options: &RunOptions) -> Result<(), Error> {
    let name = super::default_folder::explain(&stem(path));
    let out = super::output_folder(options.out.as_deref(), &name);
    output::check_target(&out)?;
    let scenario = scenario::load(path)?;
    let world = &scenario.world;
    if let Some(asked) = outcome {
        check_outcome(world, asked)?;
    }
    let plan = super::plan(world, options)?;
    let (without, never, kept) = variants(&scenario);
    // Each comparison runs the scenario beside at most MAX_SCENARIOS - 1 variants.
    let batches: Vec<&[(String, Scenario)]> = without.chunks(MAX_SCENARIOS - 1).collect();
    for batch in &batches {
        check_estimate(world, batch, &plan)?;
    }

    // The run's rows, in trajectory order, for scenario discovery (the first MOST_ROWS).
    let first_rows = InOrder::new(0, FirstRows::new(world, plan.len()));
    let (aggregates, forces, firings) = super::with_progress(&plan, options, &world.name, |c| {
        engine::run_explained(world, &plan, c, Some(&first_rows))
    })?;
    // The sink keeps rows in memory and never fails.
    let first_rows = first_rows.finish().ok();
    let asked = |name: &str| outcome.is_none_or(|o| o == name);
    // Found before the comparisons run, so that the rows are gone by then.
    let found = first_rows
        .map(|rows| engine::in_pool(&plan, || discoveries(rows, world.steps as usize, asked)));
    let discovery = match found {
        Some(Ok(found)) => found,
        Some(Err(e)) => {
            crate::warn!("warning: no scenario discovery: {e}");
            Vec::new()
        }
        None => Vec::new(),
    };
    let summary = RunSummary::new(
        Manifest::new(&scenario, plan.seed, plan.trajectories),
        world,
        &aggregates,
    );
    let mut comparisons = Vec::new();
    for (b, batch) in batches.iter().enumerate() {
        let label = format!(
            "{} without its events ({}/{})",
            world.name,
            b + 1,
            batches.len()
        );
        comparisons.push(compare(&scenario, batch, &plan, options, &label)?);
    }
    let removed: Vec<Vec<String>> = batches
        .iter()
        .map(|b| b.iter().map(|(e, _)| e.clone()).collect())
        .collect();
    let mut explanation = Explanation::new(
        summary,
        world,
        outcome.map(String::from),
        (&forces, &firings),
        (&comparisons, &removed),
        (never, kept),
    );
    explanation.discovery = discovery;
    output::export(&out, &explanation, &output::explain_exporters())?;

    if options.verbose {
        print_table(&explanation)?;
        crate::say!("results in {}", scenario::path_shown(&out))?;
    }
    Ok(())
}

/// Refuses an outcome the scenario does not define, suggesting the nearest name.
fn check_outcome(world: &World, asked: &str) -> Result<(), Error> {
    let names: Vec<&str> = world.outcomes.iter().map(|o| o.name.as_str()).collect();
    if names.contains(&asked) {
        return Ok(());
    }
    let hint = match suggestion(asked, names.iter().copied()) {
        Some(near) => format!("did you mean {}?", quoted_name(near)),
        None if names.is_empty() => "the scenario defines no outcome".to_string(),
        None => format!("its outcomes are {}", scenario::spelling::name_list(&names)),
    };
    Err(Error::Refused(format!(
        "--outcome {}: {} defines no such outcome; {hint}",
        quoted_name(asked),
        quoted_name(&world.name)
    )))
}

/// The scenario without each of its events, by event (removed, or never firing where others
/// name it); the events named by others that never fire instead; the events that cannot be
/// taken out, with the first line of the reason.
fn variants(scenario: &Scenario) -> (Vec<(String, Scenario)>, Vec<String>, Vec<Kept>) {
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
fn compare(
    scenario: &Scenario,
    batch: &[(String, Scenario)],
    plan: &Plan,
    options: &RunOptions,
    label: &str,
) -> Result<Comparison, Error> {
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
    let joint = super::with_progress(plan, options, label, |control| {
        engine::run_joint(&worlds, &pairings, plan, control)
    })?;
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

/// Refuses a batch that will not fit in memory, as `compare` does.
fn check_estimate(world: &World, batch: &[(String, Scenario)], plan: &Plan) -> Result<(), Error> {
    let worlds: Vec<&World> = std::iter::once(world)
        .chain(batch.iter().map(|(_, v)| &v.world))
        .collect();
    let threads = super::threads(plan);
    let need = estimate::compare_estimate(&worlds, world.metrics.len(), plan.len(), threads);
    let what = format!(
        "this explanation ({} runs side by side, {} metrics x {} steps on {})",
        worlds.len(),
        world.metrics.len(),
        world.steps,
        super::count(threads, "thread")
    );
    super::check_fits(&need, &what, super::RUN_ADVICE)
}

/// Events printed per outcome, and forces per tracked metric.
const TOP: usize = 3;

fn print_table(e: &Explanation) -> Result<(), Error> {
    let m = &e.summary.manifest;
    crate::say!(
        "{}: {} trajectories x {} {}s, seed {}; each event's effect is the paired difference \
         without it (95% interval)",
        printable(&m.scenario, NAME_WIDTH),
        m.trajectories,
        m.steps,
        m.step_unit,
        m.seed
    )?;
    for o in &e.summary.outcomes {
        if e.outcome.as_deref().is_some_and(|asked| asked != o.name) {
            continue;
        }
        crate::say!("  {}  {:.3}", printable(&o.name, NAME_WIDTH), o.probability)?;
        if let Some(found) = e.discovery.iter().find(|d| d.outcome == o.name) {
            crate::say!("    {}", found.sentence())?;
        }
        for c in e.contributions_to("outcome", &o.name).take(TOP) {
            crate::say!(
                "    without {}: {:+.3} [{:+.3}, {:+.3}]",
                printable(&c.event, NAME_WIDTH),
                c.effect,
                c.ci_low,
                c.ci_high
            )?;
        }
    }
    if !e.forces.is_empty() {
        crate::say!("  largest forces at the last step (mean term of the target's argument):")?;
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
        crate::say!(
            "  {}  argument {:+.3}: {}",
            printable(&f.metric, NAME_WIDTH),
            f.argument().get(last).copied().unwrap_or(0.0),
            shown.join(", ")
        )?;
    }
    Ok(())
}
