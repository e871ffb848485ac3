//! A word where the scenario file goes that is meant as a command (`simulate init x.ron`,
//! `simulate validate x.ron`): answered as a command, before clap reads it as a file name
//! (and said "the subcommand 'x.ron' cannot be used with '<SCENARIO>'", or that no file
//! `init` could be read).

use std::ffi::OsString;
use std::path::Path;

use crate::scenario::spelling::{shown, suggestion};

/// Words an analyst reaches for that name one of our commands under another name: the
/// word, and the command line it means (`FILE` standing for the rest of theirs).
const OTHER_NAMES: [(&str, &str); 10] = [
    ("init", "new"),
    ("create", "new"),
    ("template", "new"),
    ("start", "new"),
    ("run", "FILE"),
    ("simulate", "FILE"),
    ("validate", "check"),
    ("lint", "check"),
    ("verify", "check"),
    ("diff", "compare"),
];

/// The message for `args` (the whole command line, program first) when its first argument
/// is a word meant as a command: not one of `commands`, not a file or folder, and one of
/// `OTHER_NAMES` or close to a command's name.
pub fn mistaken_command(args: &[OsString], commands: &[&str]) -> Option<String> {
    let word = args.get(1)?.to_str()?;
    if word == "help" {
        return help_with_a_file(args.get(2)?, commands);
    }
    let wordlike = !word.is_empty() && word.chars().all(|c| c.is_ascii_alphabetic() || c == '-');
    if !wordlike || commands.contains(&word) || Path::new(word).exists() {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let meant = OTHER_NAMES
        .iter()
        .find(|(other, _)| *other == lower)
        .map(|(_, meant)| *meant)
        .or_else(|| suggestion(word, commands.iter().copied()))?;
    let rest: Vec<String> = args[2..]
        .iter()
        .map(|a| shown(&a.to_string_lossy()))
        .collect();
    let line = if meant == "FILE" {
        match rest.first() {
            Some(_) => format!("simulate {}", rest.join(" ")),
            None => "simulate FILE.ron".to_string(),
        }
    } else {
        let mut line = vec![format!("simulate {meant}")];
        line.extend(rest);
        line.join(" ")
    };
    Some(format!(
        "`{}` is not a command of simulate, and there is no file of that name here; did you \
         mean `{line}`? (`simulate --help` lists the commands)",
        shown(word)
    ))
}

/// `simulate help x.ron`: clap's `help` explains a command, and says only "unrecognized
/// subcommand" of a file; the analyst wanted to know what to do with it.
fn help_with_a_file(next: &OsString, commands: &[&str]) -> Option<String> {
    let next = next.to_string_lossy();
    if commands.contains(&next.as_ref()) || next.starts_with('-') {
        return None;
    }
    let file = shown(&next);
    Some(format!(
        "`simulate help` explains a command (e.g. `simulate help new`), and `{file}` is \
         not one; to check a scenario file: `simulate check {file}`; to run it: `simulate \
         {file}`; `simulate --help` lists the commands"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(line: &[&str]) -> Option<String> {
        let args: Vec<OsString> = line.iter().map(OsString::from).collect();
        mistaken_command(&args, &["new", "check", "compare"])
    }

    #[test]
    fn another_name_of_a_command_gets_the_command() {
        let init = said(&["simulate", "init", "x.ron"]).unwrap();
        assert!(
            init.contains("did you mean `simulate new x.ron`?"),
            "{init}"
        );
        let run = said(&["simulate", "run", "x.ron"]).unwrap();
        assert!(run.contains("did you mean `simulate x.ron`?"), "{run}");
        let typo = said(&["simulate", "chek", "x.ron"]).unwrap();
        assert!(typo.contains("`simulate check x.ron`"), "{typo}");
        let help = said(&["simulate", "help", "x.ron"]).unwrap();
        assert!(help.contains("`simulate check x.ron`"), "{help}");
        assert_eq!(said(&["simulate", "help", "new"]), None);
    }

    #[test]
    fn a_file_a_command_or_an_unlike_word_is_left_to_the_command_line() {
        assert_eq!(said(&["simulate", "x.ron"]), None);
        assert_eq!(said(&["simulate", "check", "x.ron"]), None);
        assert_eq!(said(&["simulate", "--seed", "3"]), None);
        assert_eq!(said(&["simulate", "baseline"]), None);
    }
}
