//! The README and the book (`docs/src`) as an analyst reads them: every RON block passes
//! `simulate check`, every `simulate` command shown is accepted by the command line, the
//! tutorial runs as written and prints what it shows (and the pandas recipes read its
//! results), the commands page names every flag, and every page is in the book. A new test about what the documentation shows goes here.

#[path = "../common/mod.rs"]
mod common;

mod book_pages;
mod flags_page;
mod markdown;
mod pandas;
mod ron_blocks;
mod shell_commands;
mod tutorial;
