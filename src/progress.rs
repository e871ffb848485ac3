//! Progress on the terminal, and stopping on Ctrl-C.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

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

/// A flag that becomes true on Ctrl-C or SIGTERM. The handler is installed once per process;
/// later calls return the same flag, cleared.
pub fn interrupt_flag() -> Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    let flag = FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let for_handler = Arc::clone(&flag);
        // If a handler cannot be installed (another library owns the signal), runs still
        // work; they only cannot be stopped early.
        let _ = ctrlc::set_handler(move || for_handler.store(true, Ordering::SeqCst));
        flag
    });
    flag.store(false, Ordering::SeqCst);
    Arc::clone(flag)
}
