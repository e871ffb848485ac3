//! The plan a command follows and the check that it fits: trajectories, seed and threads
//! from the file and the flags, the estimated memory against this host's limits, and a
//! warning before a run of many hours.

use crate::engine::estimate::{self, Estimate};
use crate::engine::host;
use crate::engine::{self, Plan};
use crate::error::Error;
use crate::model::World;
use crate::options::{check_trajectories, RunOptions};

/// The plan a run follows: the file's values, overridden by flags; refused when it will
/// not fit in memory.
pub(super) fn plan(world: &World, options: &RunOptions) -> Result<Plan, Error> {
    let plan = unchecked_plan(world, options)?;
    check_estimate(world, &plan)?;
    Ok(plan)
}

/// The plan, for commands that check their own estimate (a sweep drops the metrics).
pub(super) fn unchecked_plan(world: &World, options: &RunOptions) -> Result<Plan, Error> {
    let trajectories = options.trajectories.unwrap_or(world.trajectories);
    check_trajectories(trajectories)?;
    Ok(Plan::new(
        trajectories,
        options.seed.unwrap_or(world.seed),
        options.threads,
    ))
}

/// The threads a plan runs on (`engine::threads`), which its estimate counts.
pub(super) fn threads(plan: &Plan) -> usize {
    engine::threads(plan)
}

// "1 thread", "2 threads": in `output/numbers.rs`, which the printed tables use too.
pub(super) use crate::output::numbers::count;

/// What to change when a run's aggregates do not fit.
pub(super) const RUN_ADVICE: &str = "track fewer metrics, run fewer steps or use fewer --threads";

/// Refuses a run of `worlds` that will not fit in memory (see [`check_fits`]). A
/// comparison runs its worlds side by side, so their needs add up.
fn check_estimate(world: &World, plan: &Plan) -> Result<(), Error> {
    let threads = threads(plan);
    let need = estimate::estimate(world, plan.len(), threads);
    let what = format!(
        "this run ({} metrics x {} steps on {})",
        world.metrics.len(),
        world.steps,
        count(threads, "thread")
    );
    check_fits(&need, &what, RUN_ADVICE)
}

/// Refuses a command whose estimated peak memory does not fit under the tightest memory
/// limit (free memory, `ulimit -v`, the cgroup's limit), and warns before one that will
/// take many hours: better said in a second than found out overnight. `what` names the
/// command and its size, `advice` says what to change.
pub(super) fn check_fits(need: &Estimate, what: &str, advice: &str) -> Result<(), Error> {
    let gb = |bytes: u64| bytes as f64 / 1e9;
    if !host::ignore_memory_check() {
        // The tightest limit that the estimate breaks is the one worth naming.
        let limits = host::memory_limits();
        let broken = limits.iter().filter(|l| !l.fits(need));
        if let Some(limit) = broken.min_by_key(|l| l.available) {
            let need = if limit.address_space {
                format!("{:.1} GB of address space", gb(need.address_space_bytes))
            } else {
                format!("{:.1} GB of memory", gb(need.memory_bytes))
            };
            return Err(Error::Refused(format!(
                "{what} needs about {need} but only {:.1} GB is available ({}): {advice} \
                 (or set {}=1 to try anyway)",
                gb(limit.available),
                limit.source,
                host::IGNORE_MEMORY_CHECK
            )));
        }
    }
    if need.seconds > estimate::WARN_SECONDS {
        crate::warn!(
            "warning: {what} may take about {:.0} hours (a rough estimate); Ctrl-C stops \
             it and keeps any previous results",
            need.seconds / 3600.0
        );
    }
    Ok(())
}
