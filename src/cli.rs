//! The command line, as clap sees it. Nothing here is used past `options`, which turns these
//! raw flags into checked options (but for `BlocSource` and `Grouping`, plain choices clap
//! reads, which `options` hands on as they are); a value with a grammar (`--shard`, `--param`) is parsed
//! by clap with the value's own parser, so a bad one is clap's usage error. A flag is declared only on the commands that take it,
//! and what its help states of a default (a folder, a count) comes from the code that
//! applies it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::analysis::factor_groups::Grouping;
use crate::analysis::study::swept::{parse_sweep_param, SweepParam};
use crate::commands::default_folder::{self, SCENARIO};
use crate::commands::SENSITIVITY_TRAJECTORIES;
use crate::engine::Shard;

#[derive(Debug, Parser)]
#[command(
    name = "simulate",
    version,
    about = "Monte Carlo scenarios of alliances between states",
    long_about = "Runs many seeded stochastic trajectories of a scenario file and writes outcome \
                  probabilities with confidence intervals and quantile bands over time.",
    after_help = "Examples:\n  simulate scenarios/putin_visit.ron\n  simulate scenarios/putin_visit.ron --trajectories 100000 --seed 7 --out results/visit\n  simulate check scenarios/baseline.ron\n  simulate compare scenarios/baseline.ron scenarios/putin_visit.ron\n  simulate sweep scenarios/putin_visit.ron --param lambda=0.3:0.9:4\n  simulate sensitivity scenarios/putin_visit.ron --groups kind\n  simulate blocs scenarios/validation/entente_1907.ron",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    mut_arg("out", |a| a.help(out_help(&default_folder::run(SCENARIO))))
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a starter scenario file: your states and channels in a world at rest, every
    /// number you must choose marked CHOOSE and explained. It passes `simulate check` as
    /// written; an existing file is never overwritten.
    #[command(
        after_help = "Examples:\n  simulate new turkey.ron --states Turkey,USA,Russia --start 2016Q3\n  simulate new gulf.ron --states Qatar,Saudi_Arabia,Iran --channels arms,energy --step month --start 2017-06"
    )]
    New {
        /// The scenario file to write; it must not exist yet.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The states, separated by commas.
        #[arg(long, value_name = "A,B,C", default_value = "A,B,C")]
        states: String,
        /// The dependency channels, separated by commas.
        #[arg(long, value_name = "LIST", default_value = "arms,trade")]
        channels: String,
        /// What one step stands for: year, half-year, quarter, month, week or day.
        #[arg(long, value_name = "UNIT", default_value = "quarter")]
        step: String,
        /// The date of step 1 (2016Q3 with quarters, 2016-07 with months, 2016 with years):
        /// events may then be timed by date, and every output carries dates.
        #[arg(long, value_name = "DATE")]
        start: Option<String>,
    },
    /// Check a scenario file and report every problem in it, without running it.
    #[command(after_help = "Example:\n  simulate check scenarios/putin_visit.ron")]
    Check {
        /// The scenario file (RON).
        scenario: PathBuf,
    },
    /// Run scenarios on the same random draws, the first the reference, and report each
    /// one's paired differences from it: outcome probabilities and tracked metrics.
    #[command(
        after_help = "Up to 12 scenarios; each one's own results are in a/, b/, c/ ... (in the order given).\n\nExamples:\n  simulate compare scenarios/baseline.ron scenarios/putin_visit.ron --trajectories 4000 --seed 9\n  simulate compare scenarios/baseline.ron scenarios/putin_visit.ron scenarios/visit_without_deals.ron",
        mut_arg("out", |a| a.help(compare_out_help())),
        mut_arg("trajectories", |a| a.help("Number of trajectories, the same for every scenario (default: the `trajectories` of A's file)")),
        mut_arg("seed", |a| a.help("Master seed, the same for every scenario (default: the `seed` of A's file)"))
    )]
    Compare {
        /// The reference scenario (A), then the scenarios compared with it (B, C, ...);
        /// differences are each minus A.
        #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
        scenarios: Vec<PathBuf>,
        #[command(flatten)]
        common: CommonArgs,
        /// Also write each scenario's per-trajectory rows to a/records.parquet,
        /// b/records.parquet, ... (docs/src/howto/records.md).
        #[arg(long)]
        records: bool,
    },
    /// Explain a scenario's answers: the forces on each tracked stance and partnership over
    /// time, each event's paired contribution to every outcome and metric (the scenario
    /// without it, on the same random draws), and each outcome with and without each event.
    #[command(
        after_help = "Writes the run's own files and forces.csv, contributions.csv, conditional.csv, discovery.csv (scenario discovery), plots/forces_*.png/svg, plots/discovery_tradeoff.png/svg and a Why section in report.html.\n\nExamples:\n  simulate explain scenarios/putin_visit.ron\n  simulate explain scenarios/putin_visit.ron --outcome partnership_deepens -n 2000 --seed 7",
        mut_arg("out", |a| a.help(out_help(&default_folder::explain(SCENARIO))))
    )]
    Explain {
        /// The scenario file (RON).
        scenario: PathBuf,
        /// Explain this outcome only (default: every outcome).
        #[arg(long, value_name = "NAME")]
        outcome: Option<String>,
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
        /// Output folder: that of the run whose shards they are.
        #[arg(short, long, value_name = "DIR", help = out_help(&default_folder::run(SCENARIO)))]
        out: Option<PathBuf>,
        /// No summary on the terminal.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Run a scenario over a grid of parameter values, all on the same random draws.
    #[command(
        after_help = sweep_help(),
        mut_arg("out", |a| a.help(out_help(&default_folder::sweep(SCENARIO))))
    )]
    Sweep {
        /// The scenario file (RON).
        scenario: PathBuf,
        /// A swept parameter: its path, lowest and highest value, and number of grid points
        /// (repeat for a grid over several parameters).
        #[arg(long = "param", value_name = "NAME=LO:HI:STEPS", required = true, value_parser = parse_sweep_param)]
        params: Vec<SweepParam>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Sobol sensitivity of every outcome and tracked metric to every sampled parameter
    /// (Saltelli design), or of the effect of one scenario against another.
    #[command(
        after_help = sensitivity_help(),
        mut_arg("out", |a| a.help(sensitivity_out_help())),
        mut_arg("trajectories", |a| a.help(format!("Trajectories per design point (default: {SENSITIVITY_TRAJECTORIES})"))),
        mut_arg("seed", |a| a.help("Master seed (default: the file's `seed`; with --against, A's)"))
    )]
    Sensitivity {
        /// The scenario file (RON): B with --against.
        scenario: PathBuf,
        /// The reference scenario A: analyse the paired effect B - A instead of the levels.
        #[arg(long, value_name = "A.ron")]
        against: Option<PathBuf>,
        /// Base samples N of the Saltelli design.
        #[arg(long, value_name = "N", default_value_t = DEFAULT_SAMPLES, help = samples_help())]
        samples: u64,
        /// Vary factors together and give each group's (closed) indices: `kind` (structure,
        /// stances, ties, effects, timing, background), `file` (the file's `groups`; the
        /// default when it names any) or `none` (each factor alone).
        #[arg(long, value_name = "HOW", value_enum)]
        groups: Option<Grouping>,
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
        from: BlocSource,
        /// Output folder.
        #[arg(short, long, value_name = "DIR", help = out_help(&default_folder::blocs(SCENARIO)))]
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
        after_help = "The observations file is a CSV file whose header names at least the columns metric, step and value (others, such as date or source, are ignored): metric is a tracked metric's label as in timeseries.csv (in double quotes, for its commas) or an outcome's name; step the model step; value the observed number (1 or 0 for an outcome: it happened by then, or not). Results: the run's own files, score.json, score.csv, plots and a section of report.html; the last line printed is `coverage90 K/N coverage50 K/N crps X persistence Y skill Z`.\n\nExamples:\n  simulate score scenarios/baseline.ron --observed tests/data/baseline.observed.csv\n  simulate score scenarios/baseline.ron --observed tests/data/baseline.observed.csv --ablate balance,leverage,dependency,all",
        mut_arg("out", |a| a.help(out_help(&default_folder::score(SCENARIO))))
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
        /// Also write the forecast's per-trajectory rows to records.parquet (not the
        /// ablations'; docs/src/howto/records.md).
        #[arg(long)]
        records: bool,
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

/// Base samples of a sensitivity design unless `--samples` says otherwise: with `--groups
/// kind`, enough to leave 6 of putin_visit.ron's 78 rows unreliable (howto/sensitivity.md,
/// "Reading the table").
pub const DEFAULT_SAMPLES: u64 = 1024;

/// The help of `--out` for a command whose default folder is `name`, named with the
/// placeholder `SCENARIO`.
fn out_help(name: &str) -> String {
    format!(
        "Output folder (default: {}, {SCENARIO} being the scenario file's name without its \
         extension)",
        default_folder::stated(name)
    )
}

/// The help of `compare --out`.
fn compare_out_help() -> String {
    format!(
        "Output folder (default: {}, or {} for three scenarios and so on, <A>, <B>, <C> ... \
         being the scenario files' names without their extensions)",
        default_folder::stated(&default_folder::compare(&["<A>", "<B>"])),
        default_folder::stated(&default_folder::compare(&["<A>", "<B>", "<C>"]))
    )
}

/// The help of `sensitivity --out`.
fn sensitivity_out_help() -> String {
    format!(
        "Output folder (default: {}, or {} with --against, {SCENARIO} and <A> being the \
         scenario files' names without their extensions)",
        default_folder::stated(&default_folder::sensitivity(SCENARIO, None)),
        default_folder::stated(&default_folder::sensitivity(SCENARIO, Some("<A>")))
    )
}

/// The help of `--shard`.
fn shard_help() -> String {
    format!(
        "Run only the I-th of N equal, contiguous parts of the trajectories (1-based) and \
         write a partial result, to be combined by `simulate merge` (default folder: {}, \
         {SCENARIO} being the scenario file's name without its extension)",
        default_folder::stated(&default_folder::shard(SCENARIO, "<I>", "<N>"))
    )
}

/// The help of `sensitivity --samples`: its cost in trajectories, which holds on any
/// machine (a duration in seconds went stale: "about 35 s" against 93 s measured).
fn samples_help() -> String {
    format!(
        "Base samples N of the Saltelli design: N x (factors + 2) design points of \
         --trajectories each, {} x (factors + 2) x {SENSITIVITY_TRAJECTORIES} trajectories \
         by default (putin_visit.ron with --groups kind: 8,192 points; ungrouped, its 102 \
         factors make 106,496)",
        DEFAULT_SAMPLES
    )
}

/// The sensitivity's help.
fn sensitivity_help() -> String {
    format!(
        "The factors are the numbers the file gives as distributions (parameters, hazards, the background, and any stance, affinity, share, weight, effect or step written as a range). With --groups they are varied in groups (by kind, or the file's `groups`), and each group's closed indices are given. Each of the \
         (samples x (factors + 2)) design points runs --trajectories trajectories (default \
         {SENSITIVITY_TRAJECTORIES}) on the same seeds. Outputs are each outcome's probability and each tracked metric's mean at the last step. Indices that cannot mean anything (probability below 1% or above 99%; variance below 1e-4 for a probability, below (0.1% of the range)^2 for a metric, or below one point's Monte Carlo noise; 95% interval wider than 0.3; first-order sum above 1.05) are marked reliable=false with the reason in sensitivity.csv and greyed in the tornado charts.\n\nWith --against A.ron, each design point runs both files on the same parameter values and trajectory seeds, and the outputs are the paired effects B - A of the outcomes and metrics both files define (matched by name; an outcome defined differently is left out, with a warning). Both files must give every shared factor the same distribution; a factor may be sampled in one file only when its path names nothing in the other (an event or channel only that file has).\n\nExamples:\n  simulate sensitivity scenarios/putin_visit.ron --groups kind\n  simulate sensitivity scenarios/putin_visit.ron --groups kind --samples 256 --trajectories 100\n  simulate sensitivity scenarios/putin_visit.ron --against scenarios/baseline.ron --groups kind"
    )
}

/// `--groups` parses straight into the analysis's `Grouping` (one type, as `BlocSource`),
/// by the names the table shows it by; the analysis itself knows nothing of clap.
impl clap::ValueEnum for Grouping {
    fn value_variants<'a>() -> &'a [Self] {
        &Grouping::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()))
    }
}

/// The matrix `simulate blocs` splits: one type, clap's value and the command's option
/// (`options` names it for the command).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BlocSource {
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
    /// Run one shard: declared here only, since no other command splits its work.
    #[arg(long, value_name = "I/N", help = shard_help(), value_parser = Shard::parse)]
    pub shard: Option<Shard>,
    /// Also write each trajectory's row (its drawn inputs, events, outcomes and final
    /// metrics) to records.parquet; a shard writes its own, which merge joins
    /// (docs/src/howto/records.md).
    #[arg(long)]
    pub records: bool,
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
    /// Output folder; each command states its default (`default_folder`).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// No progress bar and no summary on the terminal.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Characters of a tip (`to pass '...' as a value, use '-- ...'`) an error shows: a tip
/// quotes the argument, which is the user's.
const SHOWN_TIP_CHARS: usize = 200;

/// `error` with every value of the user's it quotes (a bad number, an unknown argument,
/// the tips that repeat it) escaped and cut as every message shows names
/// (`spelling::shown`): clap echoes them raw, so `-n $'\e[2J...'` cleared the screen and a
/// newline in one forged a line of its own, three times over.
pub fn escaped(mut error: clap::Error) -> clap::Error {
    use crate::scenario::spelling::{printable, shown};
    use clap::error::ContextValue;
    let tip = |s: &clap::builder::StyledStr| printable(&s.to_string(), SHOWN_TIP_CHARS).into();
    let context: Vec<_> = error.context().map(|(k, v)| (k, v.clone())).collect();
    for (kind, value) in context {
        // The usage is clap's own text, lines and all: escaping it printed `\u{a}` between
        // its two forms (`simulate bogus x.ron`).
        if kind == clap::error::ContextKind::Usage {
            continue;
        }
        let value = match value {
            ContextValue::String(s) => ContextValue::String(shown(&s)),
            ContextValue::Strings(all) => {
                ContextValue::Strings(all.iter().map(|s| shown(s)).collect())
            }
            ContextValue::StyledStr(s) => ContextValue::StyledStr(tip(&s)),
            ContextValue::StyledStrs(all) => {
                ContextValue::StyledStrs(all.iter().map(tip).collect())
            }
            other => other,
        };
        error.insert(kind, value);
    }
    error
}
