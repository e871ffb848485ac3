//! A flag given to a command that does not take it, though another command does (`simulate
//! sensitivity x.ron --records`): clap suggests the nearest flag of this command
//! (`--trajectories`), which misleads; the analyst needs to know which commands take it.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The message for clap's `error` on the command line `args` (program first) of `cli`, when
/// it is an unknown flag that other commands take; `None` otherwise (clap's answer stands).
pub fn message(error: &clap::Error, cli: &clap::Command, args: &[OsString]) -> Option<String> {
    if error.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(given)) = error.get(ContextKind::InvalidArg) else {
        return None;
    };
    let flag = given.strip_prefix("--")?.split('=').next()?;
    let name = args.get(1)?.to_str()?;
    cli.find_subcommand(name)?;
    let takers = commands_taking(cli, flag);
    if takers.is_empty() {
        return None;
    }
    Some(format!(
        "`--{flag}` is not a flag of `simulate {name}`; the commands that take it: {}{} \
         (`simulate {name} --help` lists this command's flags)",
        takers.join(", "),
        why(flag)
    ))
}

/// The commands of `cli` that take `--flag`, as a user would type them.
fn commands_taking(cli: &clap::Command, flag: &str) -> Vec<String> {
    let takes = |c: &clap::Command| c.get_arguments().any(|a| a.get_long() == Some(flag));
    let mut takers = Vec::new();
    if takes(cli) {
        takers.push("`simulate FILE` (a run)".to_string());
    }
    for command in cli.get_subcommands().filter(|c| takes(c)) {
        takers.push(format!("`simulate {}`", command.get_name()));
    }
    takers
}

/// Why a flag that other commands take is not this one's, where that is not obvious.
fn why(flag: &str) -> &'static str {
    match flag {
        // A study's runs are many (a sensitivity's design points, a sweep's grid): there is
        // no one set of trajectories to write a row each for.
        "records" => {
            "; each writes one row per trajectory of one run (a `--shard` writes its own, \
             which `simulate merge` joins), and a study's many runs have no one set of \
             trajectories"
        }
        _ => "",
    }
}
