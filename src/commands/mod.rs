//! The commands, one file each. Each takes checked options and returns `Result`.

mod blocs;
mod check;
mod compare;
mod merge;
mod run;
mod sensitivity;
mod sweep;

pub use blocs::blocs;
pub use check::check;
pub use compare::compare;
pub use merge::{merge, run_shard};
pub use run::run;
pub use sensitivity::sensitivity;
pub use sweep::sweep;

use crate::engine::{self, Aggregates, Control, Plan};
use crate::error::Error;
use crate::model::World;
use crate::options::{check_trajectories, RunOptions};
use crate::progress;

/// The plan a run follows: the file's values, overridden by flags.
fn plan(world: &World, options: &RunOptions) -> Result<Plan, Error> {
    let trajectories = options.trajectories.unwrap_or(world.trajectories);
    check_trajectories(trajectories)?;
    let plan = Plan::new(
        trajectories,
        options.seed.unwrap_or(world.seed),
        options.threads,
    );
    check_estimate(&[world], &plan)?;
    Ok(plan)
}

/// Refuses a run whose aggregates will not fit in the machine's memory, and warns before
/// one that will take many hours: better said in a second than found out overnight.
///
/// A comparison runs its worlds side by side, so their needs add up.
fn check_estimate(worlds: &[&World], plan: &Plan) -> Result<(), Error> {
    use crate::scenario::limits;
    let threads = plan.threads.unwrap_or_else(rayon::current_num_threads);
    let mut estimate = limits::estimate(worlds[0], plan.len(), threads);
    for world in &worlds[1..] {
        let more = limits::estimate(world, plan.len(), threads);
        estimate.memory_bytes += more.memory_bytes;
        estimate.seconds += more.seconds;
    }
    let metrics: usize = worlds.iter().map(|w| w.metrics.len()).sum();
    let steps = worlds.iter().map(|w| w.steps).max().unwrap_or(0);
    let gb = |bytes: u64| bytes as f64 / 1e9;
    if let Some(available) = limits::available_memory() {
        if estimate.memory_bytes > available
            && std::env::var_os(limits::IGNORE_MEMORY_CHECK).is_none()
        {
            return Err(Error::Usage(format!(
                "this run needs about {:.1} GB for its aggregates ({} metrics x {} steps on {threads} \
                 threads) but {:.1} GB is free: track fewer metrics, run fewer steps or use fewer \
                 --threads (or set {}=1 to try anyway)",
                gb(estimate.memory_bytes),
                metrics,
                steps,
                gb(available),
                limits::IGNORE_MEMORY_CHECK
            )));
        }
    }
    if estimate.seconds > limits::WARN_SECONDS {
        crate::warn!(
            "warning: this run may take about {:.0} hours on {threads} threads (a rough \
             estimate); Ctrl-C stops it and keeps any previous results",
            estimate.seconds / 3600.0
        );
    }
    Ok(())
}

/// Runs `work` with a progress bar and Ctrl-C handling.
fn with_progress<T>(
    plan: &Plan,
    options: &RunOptions,
    label: &str,
    work: impl FnOnce(&Control) -> Result<T, engine::Cancelled>,
) -> Result<T, Error> {
    with_progress_over(plan.len(), options, label, work)
}

/// `with_progress` for work of `trajectories` in all: a sweep or a design runs its plan once
/// per point, under one bar and one watch for Ctrl-C.
fn with_progress_over<T>(
    trajectories: u64,
    options: &RunOptions,
    label: &str,
    work: impl FnOnce(&Control) -> Result<T, engine::Cancelled>,
) -> Result<T, Error> {
    // The workers check the flag at every step, so the first Ctrl-C can wait for them.
    let _watching = progress::watch()?;
    let bar = progress::bar(trajectories, options.progress, label);
    let tick = |n: u64| bar.inc(n);
    let control = Control {
        progress: &tick,
        cancel: progress::interrupt_flag(),
    };
    let result = work(&control);
    bar.finish_and_clear();
    Ok(result?)
}

/// Runs one world as `plan` says.
fn simulate(world: &World, plan: &Plan, options: &RunOptions) -> Result<Aggregates, Error> {
    with_progress(plan, options, &world.name, |control| {
        engine::run(world, plan, control)
    })
}
