//! The commands, one file each. Each takes checked options and returns `Result`.

mod blocs;
mod check;
mod compare;
pub mod default_folder;
mod explain;
mod merge;
pub mod new_file;
mod plan;
mod records;
mod run;
mod same_file;
mod score;
mod sensitivity;
mod shard;
mod sweep;
mod with_progress;

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

use crate::output::sanitize_name;
// The commands' shared steps, named from here as `super::plan`, `super::with_progress`, ….
use plan::{check_fits, count, plan, threads, unchecked_plan, RUN_ADVICE};
use with_progress::{with_progress, with_progress_over};

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
