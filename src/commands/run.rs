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
        for line in output::run_table::lines(&summary) {
            crate::say!("{line}")?;
        }
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
