//! The commands, one file each. Each takes checked options and returns `Result`.

mod blocs;
mod check;
mod compare;
mod run;
mod sensitivity;
mod sweep;

pub use blocs::blocs;
pub use check::check;
pub use compare::compare;
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
    Ok(Plan::new(
        trajectories,
        options.seed.unwrap_or(world.seed),
        options.threads,
    ))
}

/// Runs `work` with a progress bar and Ctrl-C handling.
fn with_progress<T>(
    plan: &Plan,
    options: &RunOptions,
    label: &str,
    work: impl FnOnce(&Control) -> Result<T, engine::Cancelled>,
) -> Result<T, Error> {
    let bar = progress::bar(plan.len(), options.progress, label);
    let cancel = progress::interrupt_flag();
    let tick = |n: u64| bar.inc(n);
    let control = Control {
        progress: &tick,
        cancel: &cancel,
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
