//! The commands, one file each. Each takes checked options and returns `Result`.

mod blocs;
mod check;
mod compare;
pub mod default_folder;
mod explain;
mod merge;
pub mod new_file;
mod records;
mod run;
mod same_file;
mod score;
mod sensitivity;
mod shard;
mod sweep;

pub use blocs::blocs;
pub use check::check;
pub use compare::compare;
pub use explain::explain;
pub use merge::merge;
pub use new_file::new_file;
pub use run::run;
pub use score::score;
pub use sensitivity::{sensitivity, DEFAULT_TRAJECTORIES as SENSITIVITY_TRAJECTORIES};
pub use shard::run_shard;
pub use sweep::sweep;

use std::path::{Path, PathBuf};

use crate::engine::estimate::{self, Estimate};
use crate::engine::host;
use crate::engine::{self, Control, Plan};
use crate::error::Error;
use crate::model::World;
use crate::options::{check_trajectories, RunOptions};
use crate::output::sanitize_name;
use crate::progress;

/// The folder a command writes: `--out`, or `outputs/<default_name>` with the name made
/// safe as a file name. Every command's default is built here, its name by
/// `default_folder`. Each command checks it
/// (`output::check_target`) first thing, so a bad `--out` is named before the scenario is
/// even read; a merge first makes sure it is none of the parts it reads.
fn output_folder(out: Option<&Path>, default_name: &str) -> PathBuf {
    out.map_or_else(
        || Path::new(default_folder::OUTPUTS).join(sanitize_name(default_name)),
        Path::to_path_buf,
    )
}

/// A scenario file's name without its extension, the start of default folder names.
fn stem(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned())
}

/// The plan a run follows: the file's values, overridden by flags; refused when it will
/// not fit in memory.
fn plan(world: &World, options: &RunOptions) -> Result<Plan, Error> {
    let plan = unchecked_plan(world, options)?;
    check_estimate(world, &plan)?;
    Ok(plan)
}

/// The plan, for commands that check their own estimate (a sweep drops the metrics).
fn unchecked_plan(world: &World, options: &RunOptions) -> Result<Plan, Error> {
    let trajectories = options.trajectories.unwrap_or(world.trajectories);
    check_trajectories(trajectories)?;
    Ok(Plan::new(
        trajectories,
        options.seed.unwrap_or(world.seed),
        options.threads,
    ))
}

/// The threads a plan runs on (`engine::threads`), which its estimate counts.
fn threads(plan: &Plan) -> usize {
    engine::threads(plan)
}

/// "1 thread", "2 threads", "3 trajectories".
fn count(n: usize, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (n, Some(stem)) => format!("{n} {stem}ies"),
        (n, None) => format!("{n} {noun}s"),
    }
}

/// What to change when a run's aggregates do not fit.
const RUN_ADVICE: &str = "track fewer metrics, run fewer steps or use fewer --threads";

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
fn check_fits(need: &Estimate, what: &str, advice: &str) -> Result<(), Error> {
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

/// Runs `work` with a progress bar and Ctrl-C handling.
fn with_progress<T>(
    plan: &Plan,
    options: &RunOptions,
    label: &str,
    work: impl FnOnce(&Control) -> Result<T, engine::Stopped>,
) -> Result<T, Error> {
    with_progress_over(plan.len(), options, label, work)
}

/// `with_progress` for work of `trajectories` in all: a sweep or a design runs its plan once
/// per point, under one bar and one watch for Ctrl-C.
fn with_progress_over<T>(
    trajectories: u64,
    options: &RunOptions,
    label: &str,
    work: impl FnOnce(&Control) -> Result<T, engine::Stopped>,
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

/// Names the sweep or design point at which a world at rest was refused: its fixed values,
/// not the file's ranges, are what could not be held still.
fn at_point(stopped: engine::Stopped, point: impl FnOnce() -> String) -> engine::Stopped {
    stopped.at_point(point)
}
