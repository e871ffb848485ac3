//! Checked options, built once from the command line. Commands receive these, never clap's
//! types.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::analysis::ablation::Ablation;
use crate::analysis::factor_groups::Grouping;
use crate::cli::{Cli, CommonArgs, GroupsArg};
use crate::error::Error;
use crate::format::Num;
use crate::scenario::limits;
use crate::scenario::spelling::{quoted_name, shown};

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

/// Where `simulate merge` finds the partial result folders; `commands::merge` reads the
/// lists and folders (options do not touch the disk).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartSources {
    /// Folders named on the command line.
    pub folders: Vec<PathBuf>,
    /// `--from FILE`: files listing folders, one per line (`-` for standard input).
    pub lists: Vec<PathBuf>,
    /// `--parts DIR`: folders whose subfolders holding a manifest.json are the parts.
    pub parents: Vec<PathBuf>,
}

/// One swept parameter: `NAME=LO:HI:STEPS`.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepParam {
    pub path: String,
    pub low: f64,
    pub high: f64,
    /// Grid points, evenly spaced from `low` to `high` inclusive.
    pub steps: usize,
}

impl SweepParam {
    /// The grid values, evenly spaced; exactly `low` and `high` at the ends.
    pub fn values(&self) -> Vec<f64> {
        if self.steps == 1 {
            return vec![self.low];
        }
        let last = (self.steps - 1) as f64;
        (0..self.steps)
            .map(|i| match i {
                0 => self.low,
                i if i + 1 == self.steps => self.high,
                // Rounded to 1e-12 so that 0.3:0.9:3 gives 0.6, not 0.6000000000000001.
                i => {
                    let x = self.low + (self.high - self.low) * (i as f64 / last);
                    (x * 1e12).round() / 1e12
                }
            })
            .collect()
    }
}

/// Most grid points of one swept parameter, and of a whole sweep.
pub const MAX_SWEEP_STEPS: usize = 1_000;
pub const MAX_SWEEP_POINTS: usize = 10_000;
/// Most base samples of a sensitivity design.
pub const MAX_SENSITIVITY_SAMPLES: u64 = 100_000;

/// Parses `NAME=LO:HI:STEPS`, checking the syntax and the numbers (not the name, which
/// needs the scenario).
pub fn parse_sweep_param(text: &str) -> Result<SweepParam, Error> {
    let bad = |why: &str| {
        Error::Usage(format!(
            "--param {}: {why}; expected NAME=LO:HI:STEPS, e.g. --param lambda=0.3:0.9:4",
            shown(text)
        ))
    };
    let (path, range) = text.split_once('=').ok_or_else(|| bad("no `=`"))?;
    let path = path.trim();
    if path.is_empty() {
        return Err(bad("no parameter name before `=`"));
    }
    let parts: Vec<&str> = range.split(':').map(str::trim).collect();
    let [low, high, steps] = parts.as_slice() else {
        return Err(bad("the range needs three parts separated by `:`"));
    };
    let number = |s: &str| s.parse::<f64>().ok().filter(|x| x.is_finite());
    let low = number(low)
        .ok_or_else(|| bad(&format!("LO {} is not a finite number", quoted_name(low))))?;
    let high = number(high)
        .ok_or_else(|| bad(&format!("HI {} is not a finite number", quoted_name(high))))?;
    let steps: usize = steps
        .parse()
        .ok()
        .filter(|&n| (1..=MAX_SWEEP_STEPS).contains(&n))
        .ok_or_else(|| {
            bad(&format!(
                "STEPS must be a whole number from 1 to {MAX_SWEEP_STEPS}"
            ))
        })?;
    if low > high {
        return Err(bad("LO is above HI"));
    }
    // One point is LO; a HI above it would be read as a range and silently ignored.
    if steps == 1 && low != high {
        let low = Num(low);
        return Err(bad(&format!(
            "one grid point is a single value, so LO must equal HI ({low}:{low}:1); use \
             STEPS 2 or more for a range from LO to HI"
        )));
    }
    if steps > 1 && low == high {
        return Err(bad(
            "LO equals HI, so every grid point would be the same; use STEPS 1",
        ));
    }
    Ok(SweepParam {
        path: path.to_string(),
        low,
        high,
        steps,
    })
}

/// Which initial matrix `simulate blocs` splits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlocSource {
    Affinity,
    Partnership,
}

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

/// `--shard I/N`: the I-th (1-based) of N contiguous, equal ranges of trajectory chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Parses `I/N` with 1 <= I <= N.
    pub fn parse(text: &str) -> Result<Shard, Error> {
        let bad = |why: &str| {
            Error::Usage(format!(
                "--shard {}: {why}; expected I/N with 1 <= I <= N, e.g. --shard 2/8",
                shown(text)
            ))
        };
        let (i, n) = text.split_once('/').ok_or_else(|| bad("no `/`"))?;
        let index: u64 = i
            .trim()
            .parse()
            .map_err(|_| bad(&format!("I {} is not a whole number", quoted_name(i))))?;
        let count: u64 = n
            .trim()
            .parse()
            .map_err(|_| bad(&format!("N {} is not a whole number", quoted_name(n))))?;
        if count == 0 || index == 0 || index > count {
            return Err(bad("I must be between 1 and N"));
        }
        Ok(Shard { index, count })
    }

    /// The chunks of this shard among `chunks` in all: chunk boundaries at `c * chunks / N`,
    /// so the N ranges are contiguous, cover every chunk once and differ in size by at most one.
    pub fn chunks(&self, chunks: u64) -> std::ops::Range<u64> {
        let at = |i: u64| (u128::from(i) * u128::from(chunks) / u128::from(self.count)) as u64;
        at(self.index - 1)..at(self.index)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
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
                    return Err(Error::Usage(
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
                let params = params
                    .iter()
                    .map(|p| parse_sweep_param(p))
                    .collect::<Result<Vec<_>, _>>()?;
                for (i, p) in params.iter().enumerate() {
                    if params[..i].iter().any(|q| q.path == p.path) {
                        return Err(Error::Usage(format!(
                            "--param {} is given twice",
                            shown(&p.path)
                        )));
                    }
                }
                let points = params
                    .iter()
                    .try_fold(1usize, |acc, p| acc.checked_mul(p.steps));
                if points.is_none_or(|n| n > MAX_SWEEP_POINTS) {
                    return Err(Error::Usage(format!(
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
                    return Err(Error::Usage(format!(
                        "--samples must be between 2 and {MAX_SENSITIVITY_SAMPLES}, got {samples}"
                    )));
                }
                let grouping = groups.map(|g| match g {
                    GroupsArg::None => Grouping::Each,
                    GroupsArg::Kind => Grouping::Kind,
                    GroupsArg::File => Grouping::File,
                });
                Ok(Task::Sensitivity {
                    scenario,
                    samples,
                    against,
                    grouping,
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
                let from = match from {
                    crate::cli::BlocSourceArg::Affinity => BlocSource::Affinity,
                    crate::cli::BlocSourceArg::Partnership => BlocSource::Partnership,
                };
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
                    Some(list) => Ablation::parse_list(&list).map_err(Error::Usage)?,
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
                    Error::Usage(
                        "no scenario file given; try `simulate scenarios/putin_visit.ron`".into(),
                    )
                })?;
                // Only a run takes `--shard` (the other commands do not declare it).
                let shard = cli.run.shard.as_deref().map(Shard::parse).transpose()?;
                Ok(Task::Run {
                    scenario,
                    options: RunOptions {
                        shard,
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
            return Err(Error::Usage(
                "--threads must be at least 1 (or left out to use every core)".into(),
            ));
        }
        // Thousands of threads only cost time to start (`-j 10000` took 163 s for one
        // trajectory); results never depend on the count.
        if let Some(threads) = c.threads.filter(|&n| n > max_threads()) {
            return Err(Error::Usage(format!(
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

pub fn check_trajectories(n: u64) -> Result<(), Error> {
    if n == 0 || n > limits::MAX_TRAJECTORIES {
        return Err(Error::Usage(format!(
            "--trajectories must be between 1 and {}, got {n}",
            limits::MAX_TRAJECTORIES
        )));
    }
    Ok(())
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
}
