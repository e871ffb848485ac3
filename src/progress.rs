//! Progress on the terminal, and stopping on Ctrl-C or SIGTERM.
//!
//! One handler, installed by `main` before anything is loaded, counts the signals. While
//! some stage watches for them (a run, the final write; see `watch`), the first signal only
//! raises the flag and that stage stops at its next check, so that it can remove what it
//! was writing. Outside such a stage nothing is half-written (loading a scenario, reading
//! shards) and waiting for a check could take forever (a read that blocks), so the process
//! ends at once. A second signal always ends it at once. Either way the exit code is 130.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::Error;

/// A progress bar over trajectories; hidden when not wanted.
pub fn bar(total: u64, visible: bool, label: &str) -> ProgressBar {
    let target = if visible {
        ProgressDrawTarget::stderr_with_hz(10)
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(total), target);
    if let Ok(style) = ProgressStyle::with_template(
        "{prefix} [{bar:30}] {human_pos}/{human_len} trajectories, {per_sec}, eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(label.to_string());
    bar
}

/// Raised by the first Ctrl-C or SIGTERM; never lowered (one process runs one command).
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// Signals received so far.
static SIGNALS: AtomicUsize = AtomicUsize::new(0);
/// Stages now watching `INTERRUPTED` (see `watch`).
static WATCHERS: AtomicUsize = AtomicUsize::new(0);

/// Installs the Ctrl-C / SIGTERM handler; `main` calls it once, before anything else.
pub fn install_handler() {
    // If a handler cannot be installed (another library owns the signal), runs still work;
    // they only cannot be stopped early.
    let _ = ctrlc::set_handler(|| {
        let signals = SIGNALS.fetch_add(1, Ordering::SeqCst) + 1;
        // Raised before the watchers are counted: a stage that starts watching at this
        // moment sees the flag (see `watch`), so it never begins writing after we decided
        // that nothing was being written.
        INTERRUPTED.store(true, Ordering::SeqCst);
        let watched = WATCHERS.load(Ordering::SeqCst) > 0;
        if on_signal(signals, watched) == Response::ExitNow {
            // The handler runs on its own thread, not in signal context, so exiting here is
            // safe; stderr may be gone, which must not matter.
            let _ = writeln!(std::io::stderr(), "error: {}", Error::Interrupted);
            std::process::exit(Error::Interrupted.exit_code());
        }
    });
}

/// What the handler does with a signal.
#[derive(Debug, PartialEq, Eq)]
enum Response {
    /// Raise the flag and let the watching stage stop and clean up.
    RaiseFlag,
    /// End the process now.
    ExitNow,
}

/// The handler's rule: the first signal is left to a stage that watches for it; an
/// unwatched one, or a second one, ends the process.
fn on_signal(signals: usize, watched: bool) -> Response {
    if watched && signals == 1 {
        Response::RaiseFlag
    } else {
        Response::ExitNow
    }
}

/// Whether Ctrl-C or SIGTERM has been received. Cheap (one relaxed load): the engine asks
/// at every step.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// Work done file by file or figure by figure (a result's files, a report's pictures)
/// stops here after Ctrl-C, as a failed write: the stage writing a result reads the
/// failure as the interrupt (`output::fill_atomically`) and removes what it wrote.
pub fn unless_interrupted() -> std::io::Result<()> {
    if interrupted() {
        return Err(std::io::Error::other("interrupted"));
    }
    Ok(())
}

/// The flag the engine's workers watch (`engine::Control::cancel`).
pub fn interrupt_flag() -> &'static AtomicBool {
    &INTERRUPTED
}

/// While the returned guard lives, the first signal only raises the flag: the stage holding
/// it promises to check `interrupted()` often (at least about once a second) and to clean up
/// what it wrote. Fails if a signal has already come.
pub fn watch() -> Result<Watching, Error> {
    WATCHERS.fetch_add(1, Ordering::SeqCst);
    let watching = Watching;
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(Error::Interrupted);
    }
    Ok(watching)
}

/// A stage watching for signals; see `watch`.
#[must_use = "the stage watches only while this lives"]
pub struct Watching;

impl Drop for Watching {
    fn drop(&mut self) {
        WATCHERS.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_ctrl_c_ends_the_process_at_once() {
        // Before, the handler only set the flag, however many signals came: a run that did
        // not look at the flag (a 120-state world checked it only between chunks of 256
        // trajectories) could not be stopped. Now the second signal always ends it.
        assert_eq!(on_signal(1, true), Response::RaiseFlag);
        assert_eq!(on_signal(2, true), Response::ExitNow);
        assert_eq!(on_signal(3, true), Response::ExitNow);
    }

    #[test]
    fn a_signal_while_loading_ends_the_process() {
        // Before, no handler was installed while a scenario loaded (the process died by the
        // signal, not with exit 130) and one that was installed would have waited forever
        // on a read that blocks. Now a signal outside a watching stage ends it at once.
        assert_eq!(on_signal(1, false), Response::ExitNow);
    }
}
