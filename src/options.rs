//! Checked options, built once from the command line. Commands receive these, never clap's
//! types.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::cli::{Cli, CommonArgs};
use crate::error::Error;
use crate::output::sanitize_name;
use crate::scenario::limits;

/// What the user asked for.
#[derive(Debug, Clone)]
pub enum Task {
    Run { scenario: PathBuf, options: RunOptions },
    Check { scenario: PathBuf },
    Compare { a: PathBuf, b: PathBuf, options: RunOptions },
}

/// How to run: overrides of the file's values, threads, where to write, what to show.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub trajectories: Option<u64>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    pub out: Option<PathBuf>,
    /// Show a progress bar (on a terminal, unless --quiet).
    pub progress: bool,
    /// Print the summary table.
    pub verbose: bool,
}

impl Task {
    pub fn from_cli_arguments(cli: Cli) -> Result<Task, Error> {
        use crate::cli::Command;
        match cli.command {
            Some(Command::Check { scenario }) => Ok(Task::Check { scenario }),
            Some(Command::Compare { a, b, common }) => {
                Ok(Task::Compare { a, b, options: RunOptions::from_common(common)? })
            }
            None => {
                let scenario = cli.run.scenario.ok_or_else(|| {
                    Error::Usage("no scenario file given; try `simulate scenarios/putin_visit.ron`".into())
                })?;
                Ok(Task::Run { scenario, options: RunOptions::from_common(cli.run.common)? })
            }
        }
    }
}

impl RunOptions {
    fn from_common(c: CommonArgs) -> Result<RunOptions, Error> {
        if let Some(n) = c.trajectories {
            check_trajectories(n)?;
        }
        if c.threads == Some(0) {
            return Err(Error::Usage("--threads must be at least 1 (or left out to use every core)".into()));
        }
        if let Some(out) = &c.out {
            crate::output::check_target(out)?;
        }
        Ok(RunOptions {
            trajectories: c.trajectories,
            seed: c.seed,
            threads: c.threads,
            out: c.out,
            progress: !c.quiet && std::io::stderr().is_terminal(),
            verbose: !c.quiet,
        })
    }

    /// The output folder: `--out`, or `outputs/<name>` with a sanitised name.
    pub fn out_dir(&self, default_name: &str) -> PathBuf {
        self.out.clone().unwrap_or_else(|| Path::new("outputs").join(sanitize_name(default_name)))
    }
}

pub fn check_trajectories(n: u64) -> Result<(), Error> {
    if n == 0 || n > limits::MAX_TRAJECTORIES {
        return Err(Error::Usage(format!(
            "--trajectories must be between 1 and {}, got {n}",
            limits::MAX_TRAJECTORIES
        )));
    }
    Ok(())
}

/// A file's stem, for default folder names.
pub fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned())
}
