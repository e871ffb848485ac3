//! The commands page (docs/src/reference/commands.md) names every flag that each command's
//! `--help` lists, in that command's own section: a flag added to the command line without
//! a word on the page fails here.

use clap::CommandFactory;

use entente::cli::Cli;

use crate::common::root;

const PAGE: &str = "docs/src/reference/commands.md";

/// The page's section for a command: from its `### ` heading to the next.
fn section<'a>(page: &'a str, heading_start: &str) -> Option<&'a str> {
    let start = page.find(&format!("### {heading_start}"))?;
    let rest = &page[start + 4..];
    Some(&rest[..rest.find("\n### ").unwrap_or(rest.len())])
}

/// The long flags a command takes (`--help` left out: the page says it once for all).
fn long_flags(command: &clap::Command) -> Vec<String> {
    command
        .get_arguments()
        .filter_map(|a| a.get_long())
        .filter(|long| *long != "help")
        .map(|long| format!("--{long}"))
        .collect()
}

/// Each flag of each command that its section does not name, or a missing section.
fn unwritten(page: &str) -> Vec<String> {
    let mut cli = Cli::command();
    cli.build();
    let mut commands = vec![("`simulate SCENARIO`".to_string(), cli.clone())];
    for sub in cli.get_subcommands().filter(|s| s.get_name() != "help") {
        commands.push((format!("`simulate {} ", sub.get_name()), sub.clone()));
    }
    let mut missing = Vec::new();
    for (heading, command) in &commands {
        let Some(text) = section(page, heading) else {
            missing.push(format!("no section ### {heading}"));
            continue;
        };
        for flag in long_flags(command) {
            if !text.contains(&format!("`{flag}")) {
                missing.push(format!("{heading}: {flag}"));
            }
        }
    }
    missing
}

#[test]
fn the_commands_page_names_every_flag_of_every_command() {
    let page = std::fs::read_to_string(root().join(PAGE)).unwrap();
    let missing = unwritten(&page);
    assert!(missing.is_empty(), "{PAGE} lacks:\n{}", missing.join("\n"));
}

#[test]
fn a_flag_missing_from_the_commands_page_is_caught() {
    let page = std::fs::read_to_string(root().join(PAGE)).unwrap();
    let without = page.replace("`--samples", "`--sample-count");
    assert_eq!(unwritten(&without), ["`simulate sensitivity : --samples"]);
}
