//! The command line as an analyst meets it: results where promised, polite refusals of bad
//! input and flags, help pages, and standard output and error as the shell plumbs them. A new
//! test about a command's flags, help or exit codes goes here.

#[path = "../common/mod.rs"]
mod common;

mod command_line;
mod command_words;
mod dated_outputs;
mod exits_at_rest;
mod explain;
mod explain_dates;
mod flag_elsewhere;
mod new_file;
mod new_file_refusals;
mod plumbing;
mod raw_values;
mod records;
mod value_parsers;
