//! Every `simulate ...` command shown in a ```sh or ```console block of the README and the
//! book is accepted by the command line: clap parses it and the options it gives are
//! checked (`Task::from_cli_arguments`), as `simulate` itself does before any work. Synopses
//! with placeholders (`SCENARIO`, `[--seed S]`) belong in ```text blocks, which are not read.

use clap::Parser;

use entente::cli::Cli;
use entente::options::Task;

use crate::markdown::{all_blocks, Block};

/// The words of one shell line, quotes removed, with `;`, `|` and `&` as words of their own
/// and everything after an unquoted `#` word dropped.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => (quote, started) = (Some(c), true),
            (None, '#') if !started => break,
            (None, ';' | '|' | '&') => {
                end_word(&mut words, &mut word, &mut started);
                words.push(c.to_string());
            }
            (None, c) if c.is_whitespace() => end_word(&mut words, &mut word, &mut started),
            (None, c) => {
                started = true;
                word.push(c);
            }
        }
    }
    end_word(&mut words, &mut word, &mut started);
    words
}

fn end_word(words: &mut Vec<String>, word: &mut String, started: &mut bool) {
    if *started {
        words.push(std::mem::take(word));
    }
    *started = false;
}

/// The arguments after `simulate` (or `target/release/simulate`, or `cargo run ... --`) of
/// each command of a line; a line may hold several, joined by `&&`, `;` or `|`.
fn simulate_arguments(line: &str) -> Vec<Vec<String>> {
    words(line)
        .split(|w| matches!(w.as_str(), ";" | "|" | "&"))
        .filter_map(arguments_of_command)
        .collect()
}

fn arguments_of_command(command: &[String]) -> Option<Vec<String>> {
    let is_cargo_run = command.first().map(String::as_str) == Some("cargo")
        && command.get(1).map(String::as_str) == Some("run");
    let start = if is_cargo_run {
        command.iter().position(|w| w == "--")?
    } else {
        command
            .iter()
            .position(|w| w == "simulate" || w.ends_with("/simulate"))?
    };
    Some(command[start + 1..].to_vec())
}

/// The command lines of a block: a ```sh block's lines with `\` continuations joined; a
/// ```console block's lines after a `$ ` prompt.
fn command_lines(block: &Block) -> Vec<String> {
    let joined = block.text.replace("\\\n", " ");
    match block.info.as_str() {
        "sh" => joined.lines().map(str::to_string).collect(),
        "console" => joined
            .lines()
            .filter_map(|l| l.strip_prefix("$ ").map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// Why the command line refuses these arguments, if it does.
fn refusal(arguments: &[String]) -> Option<String> {
    let argv = std::iter::once("simulate".to_string()).chain(arguments.iter().cloned());
    match Cli::try_parse_from(argv) {
        Err(e) if e.use_stderr() => Some(e.to_string()),
        Err(_) => None, // --help and --version are accepted: they print and end
        Ok(cli) => Task::from_cli_arguments(cli).err().map(|e| e.to_string()),
    }
}

/// Every `simulate` command of the README and the book, with its place.
fn every_command() -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    for block in all_blocks() {
        for line in command_lines(&block) {
            for arguments in simulate_arguments(&line) {
                found.push((block.place(), arguments));
            }
        }
    }
    found
}

#[test]
fn every_simulate_command_shown_is_accepted_by_the_command_line() {
    let commands = every_command();
    assert!(
        commands.len() >= 30,
        "only {} commands found",
        commands.len()
    );
    let refused: Vec<String> = commands
        .iter()
        .filter_map(|(place, args)| refusal(args).map(|why| format!("{place}: {args:?}: {why}")))
        .collect();
    assert!(
        refused.is_empty(),
        "commands refused:\n{}",
        refused.join("\n")
    );
}

#[test]
fn a_shown_command_with_an_unknown_flag_or_a_bad_value_is_caught() {
    let line = "FOO=1 simulate check a.ron --bogus && target/release/simulate a.ron --shard 4/3";
    let found = simulate_arguments(line);
    assert_eq!(found.len(), 2, "two commands on one line: {found:?}");
    assert!(
        found.iter().all(|args| refusal(args).is_some()),
        "{found:?}"
    );
}

#[test]
fn quotes_continuations_comments_and_prompts_are_read_as_a_shell_would() {
    let block = Block {
        page: "x.md".into(),
        line: 1,
        info: "console".into(),
        text: "$ simulate compare 'a b.ron' \\\n  c.ron # two files\nprinted output".into(),
    };
    let lines = command_lines(&block);
    assert_eq!(lines.len(), 1);
    assert_eq!(
        simulate_arguments(&lines[0]),
        [["compare", "a b.ron", "c.ron"]]
    );
    assert!(refusal(&simulate_arguments(&lines[0])[0]).is_none());
}
