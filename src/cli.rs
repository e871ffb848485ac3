//! The command line, as clap sees it. Nothing here is used past `options`, which turns these
//! raw flags into checked options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "simulate",
    version,
    about = "Monte Carlo scenarios of alliances between states",
    long_about = "Runs many seeded stochastic trajectories of a scenario file and writes outcome \
                  probabilities with confidence intervals and quantile bands over time.",
    after_help = "Examples:\n  simulate scenarios/putin_visit.ron\n  simulate scenarios/putin_visit.ron --trajectories 100000 --seed 7 --out results/visit\n  simulate check scenarios/baseline.ron\n  simulate compare scenarios/baseline.ron scenarios/putin_visit.ron",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a scenario file and report every problem in it, without running it.
    #[command(after_help = "Example:\n  simulate check scenarios/putin_visit.ron")]
    Check {
        /// The scenario file (RON).
        scenario: PathBuf,
    },
    /// Run two scenarios on the same random draws and report the paired differences.
    #[command(
        after_help = "Example:\n  simulate compare scenarios/baseline.ron scenarios/putin_visit.ron --trajectories 4000 --seed 9"
    )]
    Compare {
        /// The reference scenario (A).
        a: PathBuf,
        /// The scenario compared with it (B); differences are B - A.
        b: PathBuf,
        #[command(flatten)]
        common: CommonArgs,
    },
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (RON) to run.
    #[arg(required = true)]
    pub scenario: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Flags every simulating command takes; values given here override the file's.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Number of trajectories (default: the file's `trajectories`).
    #[arg(short = 'n', long, value_name = "N")]
    pub trajectories: Option<u64>,
    /// Master seed (default: the file's `seed`).
    #[arg(short, long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(short = 'j', long, value_name = "T")]
    pub threads: Option<usize>,
    /// Output folder (default: outputs/<scenario file name>/).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// No progress bar and no summary on the terminal.
    #[arg(short, long)]
    pub quiet: bool,
}
