//! What `simulate` prints, and what happens when nobody can read it.
//!
//! `println!` panics when standard output is closed or full, so `simulate ... | head -1`
//! ended in a panic with exit 101 after all the work was done, and `simulate check X >
//! /dev/full` did the same. Every line of a command's output goes through `say!` instead,
//! which returns the failure as an `Error`:
//! - a closed pipe is `Error::OutputClosed`: the reader stopped reading, which is their
//!   choice, so the process ends quietly with exit 0 (as ripgrep does); everything a command
//!   writes to disk is in place before it prints;
//! - any other failure (a full device) is `Error::Stdout`, exit 1.
//!
//! Warnings and error messages go to standard error through `warn!`, which never fails: if
//! standard error itself cannot be written there is nobody left to tell.

use std::fmt;
use std::io::{self, Write};

use crate::error::Error;

/// Writes one line to standard output; see the module's documentation for failures.
pub fn say(line: fmt::Arguments) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .map_err(Error::from_stdout)
}

/// Writes one line to standard error, ignoring failure.
pub fn warn(line: fmt::Arguments) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// `say!("...", args)?` prints a line of a command's output; see [`say`].
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::terminal::say(format_args!($($arg)*))
    };
}

/// `warn!("...", args)` prints a line to standard error and never fails; see [`warn`].
#[macro_export]
macro_rules! warn {
    ($($arg:tt)*) => {
        $crate::terminal::warn(format_args!($($arg)*))
    };
}
