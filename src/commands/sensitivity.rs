//! `simulate sensitivity FILE`: Sobol indices of every outcome and tracked metric for every
//! sampled parameter, from a Saltelli design run on the same trajectory seeds at every
//! design point. `--against A`: the indices of the paired effect FILE - A instead.

use std::path::Path;

use crate::analysis::factor_groups::Grouping;
use crate::analysis::sensitivity::{Batching, Sensitivity, TRAJECTORY_BATCHES};
use crate::analysis::study::sensitivity::SensitivityStudy;
use crate::engine::Plan;
use crate::error::Error;
use crate::options::{check_trajectories, RunOptions};
use crate::output::{self, Exporter};
use crate::scenario;

/// Trajectories per design point unless `--trajectories` says otherwise: enough for a
/// smooth probability, few enough for N (k + 2) points.
pub const DEFAULT_TRAJECTORIES: u64 = 200;

pub fn sensitivity(
    path: &Path,
    samples: u64,
    against: Option<&Path>,
    grouping: Option<Grouping>,
    options: &RunOptions,
) -> Result<(), Error> {
    let against_stem = against.map(super::stem);
    let name = super::default_folder::sensitivity(&super::stem(path), against_stem.as_deref());
    let out = super::output_folder(options.out.as_deref(), &name);
    output::check_target(&out)?;
    let scenario = scenario::load(path)?;
    let reference = match against {
        Some(a) => Some((a, scenario::load(a)?)),
        None => None,
    };
    if let Some((_, a)) = &reference {
        super::same_file::warn_if_same(&scenario, a);
    }
    let against = reference.as_ref().map(|(p, s)| (*p, s));
    let study = SensitivityStudy::new(path, &scenario, against, grouping)?;
    let trajectories = options.trajectories.unwrap_or(DEFAULT_TRAJECTORIES);
    check_trajectories(trajectories)?;
    let seed = options.seed.unwrap_or(study.file_seed());
    let plan = Plan::new(trajectories, seed, options.threads);
    let threads = super::threads(&plan);
    let what = format!(
        "this sensitivity analysis ({samples} samples x ({} + 2) design points of {} on {})",
        study.units_named(),
        super::count(plan.len() as usize, "trajectory"),
        super::count(threads, "thread")
    );
    super::check_fits(
        &study.estimate(samples, &plan, threads),
        &what,
        "use fewer --samples or give fewer parameters as distributions",
    )?;

    if !Batching::new(plan.len()).resamples_trajectories() {
        // The printed line says the brackets hold the trajectories' noise; from one
        // trajectory a point there is no spread of them to resample.
        crate::warn!(
            "warning: one trajectory a design point: the intervals resample the design's rows \
             only and leave out that trajectory's luck, which every point shares; run at least \
             2 (--trajectories {TRAJECTORY_BATCHES} or more gives {TRAJECTORY_BATCHES} batches)"
        );
    }
    let design = study.design(samples, seed);
    let total = plan.len() * design.rows_count() as u64;
    let outputs = super::with_progress_over(total, options, &study.label(), |control| {
        study.run(&design, &plan, control)
    })?;
    let result = study.analyse(&design, &outputs, samples, &plan);
    let exporters: [Box<dyn Exporter<Sensitivity>>; 2] = [
        Box::new(output::SensitivityCsv),
        Box::new(output::plots::TornadoPlots),
    ];
    output::export(&out, &result, &exporters)?;
    if options.verbose {
        for line in output::sensitivity_table::lines(&result) {
            crate::say!("{line}")?;
        }
        crate::say!("results in {}", crate::scenario::path_shown(&out))?;
    }
    Ok(())
}
