//! `simulate compare A B [C ...]`: every scenario on the same trajectory seeds (common random
//! numbers), the first the reference, so differences are the effect of the change, not
//! noise.

use std::path::PathBuf;

use super::stem;
use crate::analysis::compare::MAX_SCENARIOS;
use crate::analysis::study::compare::Comparing;
use crate::engine::{self, estimate};
use crate::error::Error;
use crate::options::RunOptions;
use crate::output;
use crate::scenario;

pub fn compare(paths: &[PathBuf], options: &RunOptions) -> Result<(), Error> {
    if !(2..=MAX_SCENARIOS).contains(&paths.len()) {
        return Err(Error::Refused(format!(
            "compare takes 2 to {MAX_SCENARIOS} scenario files (the first is the reference), \
             not {}: compare fewer at once, each against the same reference",
            paths.len()
        )));
    }
    let stems: Vec<String> = paths.iter().map(|p| stem(p)).collect();
    let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
    let name = super::default_folder::compare(&stems);
    let out = super::output_folder(options.out.as_deref(), &name);
    output::check_target(&out)?;
    let scenarios = paths
        .iter()
        .map(|p| scenario::load(p))
        .collect::<Result<Vec<_>, _>>()?;
    let comparing = Comparing::new(&scenarios, options.seed.is_some());
    // Trajectories and seed come from the flags, else from the reference's file: every
    // scenario must share them for the pairing to mean anything.
    let plan = super::unchecked_plan(comparing.worlds[0], options)?;
    check_estimate(&comparing.worlds, comparing.shared_metric_count(), &plan)?;
    let paired = comparing.pair(paths)?;

    let worlds = paired.worlds();
    let folders: Vec<PathBuf> = (0..worlds.len())
        .map(|i| PathBuf::from(crate::analysis::compare::folder(i)))
        .collect();
    let records = options.records.then_some((worlds, &folders[..]));
    let exporters = output::compare_exporters();
    let comparison = super::records::run_and_export(&out, records, &plan, &exporters, |sinks| {
        let joint = super::with_progress(&plan, options, &paired.label(), |control| {
            paired.run(&plan, control, sinks)
        })?;
        Ok(paired.analyse(&joint, &plan))
    })?;

    if options.verbose {
        for line in output::compare_table::lines(&comparison) {
            crate::say!("{line}")?;
        }
        crate::say!("results in {}", crate::scenario::path_shown(&out))?;
    }
    Ok(())
}

/// Refuses a comparison that will not fit in memory: its worlds run side by side, each
/// with its aggregates, plus the paired effects of every scenario against the reference.
fn check_estimate(
    worlds: &[&crate::model::World],
    shared_metrics: usize,
    plan: &engine::Plan,
) -> Result<(), Error> {
    let threads = super::threads(plan);
    let need = estimate::compare_estimate(worlds, shared_metrics, plan.len(), threads);
    let metrics: usize = worlds.iter().map(|w| w.metrics.len()).sum();
    let steps = worlds.iter().map(|w| w.steps).max().unwrap_or(0);
    let what = format!(
        "this comparison ({} scenarios, {metrics} metrics x {steps} steps on {})",
        worlds.len(),
        super::count(threads, "thread")
    );
    super::check_fits(&need, &what, super::RUN_ADVICE)
}
