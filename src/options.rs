//! Checked options, built once from the command line. Commands receive these, never clap's
//! types.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::analysis::ablation::Ablation;
use crate::analysis::factor_groups::Grouping;
use crate::cli::{Cli, CommonArgs};
use crate::error::Error;
use crate::scenario::limits;
use crate::scenario::spelling::shown;

// Values clap parses typed (`cli`), named here too, where commands look for their options.
pub use crate::analysis::study::swept::{parse_sweep_param, SweepParam};
pub use crate::cli::BlocSource;
pub use crate::engine::Shard;
// Where a merge finds its parts: the shards' own type, which options fill from the flags.
pub use crate::shards::PartSources;

/// What the user asked for.
#[derive(Debug, Clone)]
pub enum Task {
    Run {
        scenario: PathBuf,
        options: RunOptions,
    },
    Check {
        scenario: PathBuf,
    },
    /// Write a starter scenario: the lists as given (`commands::new_file` checks them).
    New {
        file: PathBuf,
        states: String,
        channels: String,
        step: String,
        start: Option<String>,
    },
    /// Combine shards' partial results into one run's folder.
    Merge {
        parts: PartSources,
        out: Option<PathBuf>,
        verbose: bool,
    },
    /// The reference scenario first.
    Compare {
        scenarios: Vec<PathBuf>,
        options: RunOptions,
    },
    /// Why a scenario gives its answers: forces, and each event's contribution.
    Explain {
        scenario: PathBuf,
        /// `--outcome NAME`: only this outcome (checked against the file by the command).
        outcome: Option<String>,
        options: RunOptions,
    },
    Sweep {
        scenario: PathBuf,
        params: Vec<SweepParam>,
        options: RunOptions,
    },
    Sensitivity {
        scenario: PathBuf,
        samples: u64,
        /// With `--against A`: the reference scenario; the indices are of the effect B - A.
        against: Option<PathBuf>,
        /// `--groups`: how the factors are grouped (None: the file's groups, if any).
        grouping: Option<Grouping>,
        options: RunOptions,
    },
    Blocs {
        scenario: PathBuf,
        options: BlocsOptions,
    },
    /// Score a run against observations, optionally beside ablations of it.
    Score {
        scenario: PathBuf,
        observed: PathBuf,
        ablations: Vec<Ablation>,
        options: RunOptions,
    },
}

/// Most grid points of a whole sweep.
pub const MAX_SWEEP_POINTS: usize = 10_000;
/// Most base samples of a sensitivity design.
pub const MAX_SENSITIVITY_SAMPLES: u64 = 100_000;

#[derive(Debug, Clone)]
pub struct BlocsOptions {
    pub from: BlocSource,
    /// `--out` as given, checked by the command (see `RunOptions::out`).
    pub out: Option<PathBuf>,
    pub verbose: bool,
}

/// How to run: overrides of the file's values, threads, where to write, what to show.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub trajectories: Option<u64>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    /// `--out` as given; the command checks it (`output::check_target`) once it knows the
    /// folder it will write, so parsing arguments never touches the file system.
    pub out: Option<PathBuf>,
    /// Show a progress bar (on a terminal, unless --quiet).
    pub progress: bool,
    /// Print the summary table.
    pub verbose: bool,
    /// Run one shard and write a partial result (`--shard I/N`).
    pub shard: Option<Shard>,
    /// Write each trajectory's row to `records.parquet` (`--records`: run, compare, score).
    pub records: bool,
}

impl Task {
    pub fn from_cli_arguments(cli: Cli) -> Result<Task, Error> {
        use crate::cli::Command;
        match cli.command {
            Some(Command::Check { scenario }) => Ok(Task::Check { scenario }),
            Some(Command::New {
                file,
                states,
                channels,
                step,
                start,
            }) => Ok(Task::New {
                file,
                states,
                channels,
                step,
                start,
            }),
            Some(Command::Merge {
                parts,
                from,
                parts_in,
                out,
                quiet,
            }) => {
                if parts.is_empty() && from.is_empty() && parts_in.is_empty() {
                    return Err(Error::Refused(
                        "merge needs the partial result folders of every shard: name them \
                         (simulate merge DIR...), list them in a file (--from FILE) or give \
                         the folder that holds them (--parts DIR)"
                            .into(),
                    ));
                }
                Ok(Task::Merge {
                    parts: PartSources {
                        folders: parts,
                        lists: from,
                        parents: parts_in,
                    },
                    out: out.map(folder_path),
                    verbose: !quiet,
                })
            }
            Some(Command::Compare {
                scenarios,
                common,
                records,
            }) => Ok(Task::Compare {
                scenarios,
                options: RunOptions {
                    records,
                    ..RunOptions::from_common(common)?
                },
            }),
            Some(Command::Explain {
                scenario,
                outcome,
                common,
            }) => Ok(Task::Explain {
                scenario,
                outcome,
                options: RunOptions::from_common(common)?,
            }),
            Some(Command::Sweep {
                scenario,
                params,
                common,
            }) => {
                for (i, p) in params.iter().enumerate() {
                    if params[..i].iter().any(|q| q.path == p.path) {
                        return Err(Error::Refused(format!(
                            "--param {} is given twice",
                            shown(&p.path)
                        )));
                    }
                }
                let points = params
                    .iter()
                    .try_fold(1usize, |acc, p| acc.checked_mul(p.steps));
                if points.is_none_or(|n| n > MAX_SWEEP_POINTS) {
                    return Err(Error::Refused(format!(
                        "the sweep grid has more than {MAX_SWEEP_POINTS} points; use fewer STEPS"
                    )));
                }
                Ok(Task::Sweep {
                    scenario,
                    params,
                    options: RunOptions::from_common(common)?,
                })
            }
            Some(Command::Sensitivity {
                scenario,
                samples,
                against,
                groups,
                common,
            }) => {
                if !(2..=MAX_SENSITIVITY_SAMPLES).contains(&samples) {
                    return Err(Error::Refused(format!(
                        "--samples must be between 2 and {MAX_SENSITIVITY_SAMPLES}, got {samples}"
                    )));
                }
                Ok(Task::Sensitivity {
                    scenario,
                    samples,
                    against,
                    grouping: groups,
                    options: RunOptions::from_common(common)?,
                })
            }
            Some(Command::Blocs {
                scenario,
                from,
                out,
                quiet,
            }) => {
                let out = out.map(folder_path);
                Ok(Task::Blocs {
                    scenario,
                    options: BlocsOptions {
                        from,
                        out,
                        verbose: !quiet,
                    },
                })
            }
            Some(Command::Score {
                scenario,
                observed,
                ablate,
                common,
                records,
            }) => {
                let ablations = match ablate {
                    Some(list) => Ablation::parse_list(&list).map_err(Error::Refused)?,
                    None => Vec::new(),
                };
                Ok(Task::Score {
                    scenario,
                    observed,
                    ablations,
                    options: RunOptions {
                        records,
                        ..RunOptions::from_common(common)?
                    },
                })
            }
            None => {
                let scenario = cli.run.scenario.ok_or_else(|| {
                    Error::Refused(
                        "no scenario file given; try `simulate scenarios/putin_visit.ron`".into(),
                    )
                })?;
                Ok(Task::Run {
                    scenario,
                    options: RunOptions {
                        // Only a run takes `--shard` (the other commands do not declare it).
                        shard: cli.run.shard,
                        records: cli.run.records,
                        ..RunOptions::from_common(cli.run.common)?
                    },
                })
            }
        }
    }
}

/// `--out` without its `.` parts: `out/.` names the folder `out`, but a rename onto
/// `out/.` fails (the path ends in a `.`, which is busy), and only after all the work.
fn folder_path(out: PathBuf) -> PathBuf {
    out.components().collect()
}

impl RunOptions {
    fn from_common(c: CommonArgs) -> Result<RunOptions, Error> {
        if let Some(n) = c.trajectories {
            check_trajectories(n)?;
        }
        if c.threads == Some(0) {
            return Err(Error::Refused(
                "--threads must be at least 1 (or left out to use every core)".into(),
            ));
        }
        // Thousands of threads only cost time to start (`-j 10000` took 163 s for one
        // trajectory); results never depend on the count.
        if let Some(threads) = c.threads.filter(|&n| n > max_threads()) {
            return Err(Error::Refused(format!(
                "--threads {threads} is more than the {} allowed on this machine; leave it out \
                 to use every core",
                max_threads()
            )));
        }
        Ok(RunOptions {
            trajectories: c.trajectories,
            seed: c.seed,
            threads: c.threads,
            out: c.out.map(folder_path),
            progress: !c.quiet && std::io::stderr().is_terminal(),
            verbose: !c.quiet,
            shard: None,
            records: false,
        })
    }
}

/// `--trajectories` refused unless within `limits::check_trajectories`.
pub fn check_trajectories(n: u64) -> Result<(), Error> {
    limits::check_trajectories(n).map_err(Error::Refused)
}

/// Most worker threads: far beyond any useful count (the work is CPU-bound), low enough
/// that a typo such as `-j 10000` is refused rather than spending minutes starting threads.
fn max_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    (4 * cores).max(1024)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    /// Defect: parsing the arguments looked at `--out` on the disk (and the command looked
    /// again before writing), so the file system was probed in two places, the first before
    /// the scenario was even read. Now parsing reads only the arguments: an `--out` naming
    /// an existing file parses, and the command refuses it (tests/results_folder/paths.rs,
    /// `out_pointing_at_a_file_is_refused_before_any_work`).
    #[test]
    fn options_probed_the_output_folder_while_parsing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notes.txt");
        std::fs::write(&file, "keep me").unwrap();
        let out = file.to_str().unwrap();
        for args in [
            vec!["simulate", "s.ron", "--out", out],
            vec!["simulate", "compare", "a.ron", "b.ron", "--out", out],
            vec!["simulate", "blocs", "s.ron", "--out", out],
        ] {
            let cli = Cli::try_parse_from(&args).expect("valid arguments");
            let task = Task::from_cli_arguments(cli);
            assert!(task.is_ok(), "{args:?}: {task:?}");
        }
    }

    /// Defect: `--groups` was parsed into a second enum (`cli::GroupsArg`) with names of
    /// its own, mapped by hand onto the analysis's `Grouping`. Now clap parses straight into
    /// `Grouping`, by the name the table shows (`Grouping::as_str`).
    #[test]
    fn groups_was_a_second_enum_mapped_by_hand_onto_grouping() {
        for grouping in Grouping::ALL {
            let args = [
                "simulate",
                "sensitivity",
                "s.ron",
                "--groups",
                grouping.as_str(),
            ];
            let cli = Cli::try_parse_from(args).expect("valid arguments");
            match Task::from_cli_arguments(cli) {
                Ok(Task::Sensitivity {
                    grouping: parsed, ..
                }) => assert_eq!(parsed, Some(grouping), "{args:?}"),
                other => panic!("{args:?}: {other:?}"),
            }
        }
    }
}
