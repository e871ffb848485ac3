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
    if let Some(message) = mistaken_command() {
        entente::warn!("error: {message}");
        std::process::exit(2);
    }
    let cli = match Cli::try_parse().map_err(entente::cli::escaped) {
        Ok(cli) => cli,
        Err(e) => {
            if let Some(message) = flag_of_another_command(&e) {
                entente::warn!("error: {message}");
                std::process::exit(2);
            }
            std::process::exit(clap_exit_code(&e))
        }
    };
    let code = match run(cli) {
        Ok(()) => 0,
        // The reader of standard output went away after the work was done: nothing to say.
        Err(Error::OutputClosed) => 0,
        Err(error) => {
            entente::warn!("error: {error}");
            error.exit_code()
        }
    };
    std::process::exit(code);
}

/// Prints clap's help, version or usage error and gives the exit code: clap's own (0 for
/// help and version, 2 for a usage error), or 1 when help could not be written (a full
/// device; `Error::exit` would have reported success). A closed pipe is quiet, as for any
/// command.
fn clap_exit_code(e: &clap::Error) -> i32 {
    match e.print() {
        Ok(()) => e.exit_code(),
        Err(io) if !e.use_stderr() => match Error::from_stdout(io) {
            Error::OutputClosed => 0,
            failed => {
                entente::warn!("error: {failed}");
                failed.exit_code()
            }
        },
        Err(_) => e.exit_code(),
    }
}

/// A command meant by another name where the scenario file goes (`simulate init x.ron`):
/// what to say instead of clap's or the loader's answer about a file.
fn mistaken_command() -> Option<String> {
    use clap::CommandFactory;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = Cli::command();
    let commands: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
    entente::command_word::mistaken_command(&args, &commands)
}

/// A flag this command does not take but another does (`sensitivity --records`): which
/// commands take it, instead of clap's tip of this command's nearest flag.
fn flag_of_another_command(e: &clap::Error) -> Option<String> {
    use clap::CommandFactory;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    entente::flag_elsewhere::message(e, &Cli::command(), &args)
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
        Task::New {
            file,
            states,
            channels,
            step,
            start,
        } => commands::new_file(&file, &states, &channels, &step, start.as_deref()),
        Task::Compare { scenarios, options } => commands::compare(&scenarios, &options),
        Task::Explain {
            scenario,
            outcome,
            options,
        } => commands::explain(&scenario, outcome.as_deref(), &options),
        Task::Sweep {
            scenario,
            params,
            options,
        } => commands::sweep(&scenario, &params, &options),
        Task::Sensitivity {
            scenario,
            samples,
            against,
            grouping,
            options,
        } => commands::sensitivity(&scenario, samples, against.as_deref(), grouping, &options),
        Task::Blocs { scenario, options } => commands::blocs(&scenario, &options),
        Task::Score {
            scenario,
            observed,
            ablations,
            options,
        } => commands::score(&scenario, &observed, &ablations, &options),
    }
}
