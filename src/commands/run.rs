//! `simulate SCENARIO`: run one scenario and write its results folder.

use std::path::{Path, PathBuf};

use crate::analysis::{Manifest, RunSummary};
use crate::engine;
use crate::error::Error;
use crate::options::RunOptions;
use crate::output;
use crate::scenario;

pub fn run(path: &Path, options: &RunOptions) -> Result<(), Error> {
    let name = super::default_folder::run(&super::stem(path));
    let out = super::output_folder(options.out.as_deref(), &name);
    output::check_target(&out)?;
    let scenario = scenario::load(path)?;
    let plan = super::plan(&scenario.world, options)?;

    let world = &scenario.world;
    let (worlds, here) = ([world], [PathBuf::new()]);
    let records = options.records.then_some((&worlds[..], &here[..]));
    let exporters = output::run_exporters();
    let summary = super::records::run_and_export(&out, records, &plan, &exporters, |sinks| {
        let aggregates = super::with_progress(&plan, options, &world.name, |control| {
            engine::run_recorded(world, &plan, control, sinks.first().copied())
        })?;
        let manifest = Manifest::new(&scenario, plan.seed, plan.trajectories);
        Ok(RunSummary::new(manifest, world, &aggregates))
    })?;
    if let Some(drift) = &summary.drift {
        crate::warn!("{}", drift_line(drift));
    }

    if options.verbose {
        print_table(&summary)?;
        crate::say!("results in {}", crate::scenario::path_shown(&out))?;
    }
    Ok(())
}

/// One line: how far a world not at rest moves by itself (`engine::drift`).
fn drift_line(drift: &crate::engine::drift::Drift) -> String {
    format!(
        "warning: at_rest: false, and with no event, noise or background the world drifts \
         by itself: {} moves by {:.3} over the horizon (at_rest: true holds the start still)",
        crate::scenario::spelling::shown(&drift.path),
        drift.change
    )
}

fn print_table(s: &RunSummary) -> Result<(), Error> {
    let m = &s.manifest;
    crate::say!(
        "{}: {} trajectories x {} {}s, seed {}",
        m.scenario,
        m.trajectories,
        m.steps,
        m.step_unit,
        m.seed
    )?;
    let width = s
        .outcomes
        .iter()
        .map(|o| o.name.len())
        .max()
        .unwrap_or(7)
        .max(7);
    crate::say!("  {:width$}  probability  95% interval", "outcome")?;
    for o in &s.outcomes {
        crate::say!(
            "  {:width$}  {:>11.3}  [{:.3}, {:.3}]",
            o.name,
            o.probability,
            o.ci_low,
            o.ci_high
        )?;
    }
    crate::say!("  {}", crate::analysis::interval::WHAT_INTERVALS_COVER)?;
    Ok(())
}
