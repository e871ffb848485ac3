//! A command's work under a progress bar and a watch for Ctrl-C.

use crate::engine::{self, Control, Plan};
use crate::error::Error;
use crate::options::RunOptions;
use crate::progress;

/// Runs `work` with a progress bar and Ctrl-C handling.
pub(super) fn with_progress<T>(
    plan: &Plan,
    options: &RunOptions,
    label: &str,
    work: impl FnOnce(&Control) -> Result<T, engine::Stopped>,
) -> Result<T, Error> {
    with_progress_over(plan.len(), options, label, work)
}

/// `with_progress` for work of `trajectories` in all: a sweep or a design runs its plan once
/// per point, under one bar and one watch for Ctrl-C.
pub(super) fn with_progress_over<T>(
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
