//! `simulate`: parse the command line, run the task, map errors to exit codes.

use clap::Parser;

use entente::cli::Cli;
use entente::commands;
use entente::options::Task;
use entente::Error;

fn main() {
    // First of all: a signal must end a run with 130 and a clean disk from the moment the
    // process starts, including while a scenario loads (see `progress`).
    entente::progress::install_handler();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // clap prints help and version (exit 0) and usage errors (exit 2) itself.
        Err(e) => e.exit(),
    };
    let code = match run(cli) {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("error: {error}");
            error.exit_code()
        }
    };
    std::process::exit(code);
}

fn run(cli: Cli) -> Result<(), Error> {
    match Task::from_cli_arguments(cli)? {
        Task::Run { scenario, options } => match options.shard {
            Some(shard) => commands::run_shard(&scenario, &options, shard),
            None => commands::run(&scenario, &options),
        },
        Task::Merge {
            parts,
            out,
            verbose,
        } => commands::merge(&parts, out.as_deref(), verbose),
        Task::Check { scenario } => commands::check(&scenario),
        Task::Compare { a, b, options } => commands::compare(&a, &b, &options),
        Task::Sweep {
            scenario,
            params,
            options,
        } => commands::sweep(&scenario, &params, &options),
        Task::Sensitivity {
            scenario,
            samples,
            options,
        } => commands::sensitivity(&scenario, samples, &options),
        Task::Blocs { scenario, options } => commands::blocs(&scenario, &options),
    }
}
