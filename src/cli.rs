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
    after_help = "Examples:\n  simulate scenarios/putin_visit.ron\n  simulate scenarios/putin_visit.ron --trajectories 100000 --seed 7 --out results/visit\n  simulate check scenarios/baseline.ron\n  simulate compare scenarios/baseline.ron scenarios/putin_visit.ron\n  simulate sweep scenarios/putin_visit.ron --param lambda=0.3:0.9:4\n  simulate sensitivity scenarios/putin_visit.ron\n  simulate blocs scenarios/validation/entente_1907.ron",
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
    /// Run scenarios on the same random draws, the first the reference, and report each
    /// one's paired differences from it: outcome probabilities and tracked metrics.
    #[command(
        after_help = "Up to 12 scenarios; each one's own results are in a/, b/, c/ ... (in the order given).\n\nExamples:\n  simulate compare scenarios/baseline.ron scenarios/putin_visit.ron --trajectories 4000 --seed 9\n  simulate compare scenarios/baseline.ron scenarios/putin_visit.ron scenarios/visit_without_deals.ron"
    )]
    Compare {
        /// The reference scenario (A), then the scenarios compared with it (B, C, ...);
        /// differences are each minus A.
        #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
        scenarios: Vec<PathBuf>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Combine the partial results of `--shard 1/N` ... `--shard N/N` into the folder one
    /// run would have written, byte for byte.
    #[command(
        after_help = "The folders may be given on the command line, listed in a file (--from) or found in a parent folder (--parts), in any combination; every shard of the run exactly once.\n\nExamples:\n  simulate scenarios/putin_visit.ron --shard 1/2 --out part1\n  simulate scenarios/putin_visit.ron --shard 2/2 --out part2\n  simulate merge part1 part2 --out outputs/putin_visit\n  simulate merge --parts parts/ --out outputs/putin_visit\n  simulate merge --from parts.txt --out outputs/putin_visit"
    )]
    Merge {
        /// The partial result folders, one per shard, in any order.
        #[arg(value_name = "DIR")]
        parts: Vec<PathBuf>,
        /// A file listing partial result folders, one per line (`-`: standard input). Blank
        /// lines and lines starting with `#` are skipped; a relative path is relative to the
        /// list file's folder (to the current folder for `-`). May be repeated.
        #[arg(long = "from", value_name = "FILE")]
        from: Vec<PathBuf>,
        /// Every immediate subfolder of DIR that holds a manifest.json (not recursive; other
        /// subfolders and files are ignored), for hundreds of parts without a shell glob.
        /// May be repeated.
        #[arg(long = "parts", value_name = "DIR")]
        parts_in: Vec<PathBuf>,
        /// Output folder (default: outputs/<scenario file name>/).
        #[arg(short, long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// No summary on the terminal.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Run a scenario over a grid of parameter values, all on the same random draws.
    #[command(
        after_help = sweep_help()
    )]
    Sweep {
        /// The scenario file (RON).
        scenario: PathBuf,
        /// A swept parameter: its path, lowest and highest value, and number of grid points
        /// (repeat for a grid over several parameters).
        #[arg(long = "param", value_name = "NAME=LO:HI:STEPS", required = true)]
        params: Vec<String>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Sobol sensitivity of every outcome and tracked metric to every sampled parameter
    /// (Saltelli design), or of the effect of one scenario against another.
    #[command(
        after_help = "The factors are the parameters the file gives as distributions. Each of the (samples x (factors + 2)) design points runs --trajectories trajectories (default 200) on the same seeds. Outputs are each outcome's probability and each tracked metric's mean at the last step. Indices that cannot mean anything (probability below 1% or above 99%; variance below 1e-4 for a probability, below (0.1% of the range)^2 for a metric, or below one point's Monte Carlo noise; 95% interval wider than 0.3; first-order sum above 1.05) are marked reliable=false with the reason in sensitivity.csv and greyed in the tornado charts.\n\nWith --against A.ron, each design point runs both files on the same parameter values and trajectory seeds, and the outputs are the paired effects B - A of the outcomes and metrics both files define (matched by name). Both files must give every shared factor the same distribution; a factor may be sampled in one file only when its path names nothing in the other (an event or channel only that file has).\n\nExamples:\n  simulate sensitivity scenarios/putin_visit.ron --samples 512 --trajectories 200\n  simulate sensitivity scenarios/putin_visit.ron --against scenarios/baseline.ron"
    )]
    Sensitivity {
        /// The scenario file (RON): B with --against.
        scenario: PathBuf,
        /// The reference scenario A: analyse the paired effect B - A instead of the levels.
        #[arg(long, value_name = "A.ron")]
        against: Option<PathBuf>,
        /// Base samples N of the Saltelli design. The default is what makes the indices of
        /// putin_visit.ron's varying outcomes reliable (about 35 s on 2 cores).
        #[arg(long, value_name = "N", default_value_t = 1024)]
        samples: u64,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Axelrod-Bennett landscape: every two-bloc split of the initial affinities, with the
    /// global and every local minimum of the energy.
    #[command(
        after_help = "Example:\n  simulate blocs scenarios/validation/entente_1907.ron\n  simulate blocs scenarios/putin_visit.ron --from partnership"
    )]
    Blocs {
        /// The scenario file (RON).
        scenario: PathBuf,
        /// Which initial matrix gives the propensities: the baseline affinities A or the
        /// partnerships P of the initial stances.
        #[arg(long, value_enum, default_value = "affinity")]
        from: BlocSourceArg,
        /// Output folder (default: outputs/<scenario file name>-blocs/).
        #[arg(short, long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// No table on the terminal.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Score a forecast against what happened: for each observation the model's quantiles,
    /// whether it lies in the 50% and 90% bands, its PIT and CRPS beside persistence's error
    /// (and the Brier score of an outcome); optionally beside the same file with mechanisms
    /// of the dynamics removed.
    #[command(
        after_help = "The observations file is a CSV file whose header names at least the columns metric, step and value (others, such as date or source, are ignored): metric is a tracked metric's label as in timeseries.csv (in double quotes, for its commas) or an outcome's name; step the model step; value the observed number (1 or 0 for an outcome: it happened by then, or not). Results (default folder: outputs/<scenario file name>-score/): the run's own files, score.json, score.csv, plots and a section of report.html; the last line printed is `coverage90 K/N coverage50 K/N crps X persistence Y skill Z`.\n\nExamples:\n  simulate score scenarios/baseline.ron --observed tests/data/baseline.observed.csv\n  simulate score scenarios/baseline.ron --observed tests/data/baseline.observed.csv --ablate balance,leverage,dependency,all"
    )]
    Score {
        /// The scenario file (RON), run as a forecast.
        scenario: PathBuf,
        /// The observations: a CSV file with the columns metric, step and value.
        #[arg(long, value_name = "FILE.csv", required = true)]
        observed: PathBuf,
        /// Score the same file with mechanisms removed too, on the same seed: balance
        /// (gamma = 0), leverage (lambda = 0), dependency (beta = 0), all (the three at
        /// once: events and noise only); separated by commas.
        #[arg(long, value_name = "LIST")]
        ablate: Option<String>,
        #[command(flatten)]
        common: CommonArgs,
    },
}

/// The sweep's help: the parameter paths as `Param` effects and sweeps read them.
fn sweep_help() -> String {
    format!(
        "Parameter paths: {}.\n\nExample:\n  simulate sweep scenarios/putin_visit.ron \
         --param event.energy_megadeal.hazard=0:0.12:7 --param lambda=0.3:0.9:4 \
         --trajectories 2000",
        crate::scenario::param_path::GRAMMAR
    )
}

/// The matrix `simulate blocs` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BlocSourceArg {
    Affinity,
    Partnership,
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
    /// Worker threads (default: all cores; at most 1024, or 4 per core if more). Results do not depend on it.
    #[arg(short = 'j', long, value_name = "T")]
    pub threads: Option<usize>,
    /// Output folder (default: outputs/<scenario file name>/).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// No progress bar and no summary on the terminal.
    #[arg(short, long)]
    pub quiet: bool,
    /// Run only the I-th of N equal, contiguous parts of the trajectories (1-based) and write
    /// a partial result, to be combined by `simulate merge` (default folder:
    /// outputs/<scenario file name>.shard-I-of-N/).
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
}
