//! `simulate explain SCENARIO`: why the scenario gives its answers. One run collects the
//! forces on each tracked stance and partnership and the outcomes by when each event first
//! fired; then the scenario is paired with itself without each event, on common random
//! numbers, as `simulate compare` pairs it with a variant that removes it.

use std::path::Path;

use super::stem;
use crate::analysis::compare::MAX_SCENARIOS;
use crate::analysis::discovered::{discoveries, FirstRows};
use crate::analysis::explain::Explanation;
use crate::analysis::study::without_events;
use crate::analysis::{Manifest, RunSummary};
use crate::engine::records::InOrder;
use crate::engine::{self, estimate, Plan};
use crate::error::Error;
use crate::model::World;
use crate::options::RunOptions;
use crate::output;
use crate::scenario::spelling::{quoted_name, suggestion};
use crate::scenario::{self, Scenario};

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
    let (without, never, kept) = without_events::variants(&scenario);
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
        let compared = super::with_progress(&plan, options, &label, |control| {
            without_events::compare(&scenario, batch, &plan, control)
        })?;
        comparisons.push(compared);
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
        for line in output::explain_table::lines(&explanation) {
            crate::say!("{line}")?;
        }
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
