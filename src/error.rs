//! Errors a user can cause or meet, with messages that say what to do.
//!
//! `Error::exit_code` is the one place that decides the process's exit status:
//! 2 for bad input or usage, 130 for an interrupted run, 0 when the reader of standard
//! output went away after the work was done, 1 for anything else.

use std::path::PathBuf;

use crate::engine::Stopped;
use crate::scenario::ScenarioError;

/// Anything that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// Input refused before any work: a flag or argument that cannot be honoured, a part
    /// of a sharded run that is damaged or does not belong, an output folder that holds
    /// the user's files. The message says what and why (exit 2).
    #[error("{0}")]
    Refused(String),
    #[error("cannot write {}: {source}", crate::scenario::path_shown(path))]
    Output {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("interrupted; the previous results, if any, are untouched")]
    Interrupted,
    /// A world at rest with a parameter draw that cannot be held still.
    #[error("{0}")]
    Unsettled(String),
    /// The reader of standard output went away (`simulate ... | head -1`): not a failure of
    /// the command, whose files are already written; the process ends quietly.
    #[error("standard output was closed by its reader")]
    OutputClosed,
    /// Standard output could not be written (a full device, `> /dev/full`).
    #[error("cannot write to standard output: {0}")]
    Stdout(std::io::Error),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Scenario(_) | Error::Refused(_) | Error::Unsettled(_) => 2,
            Error::Interrupted => 130,
            Error::Output { .. } | Error::Stdout(_) => 1,
            Error::OutputClosed => 0,
        }
    }

    /// A failed write to standard output, sorted into a closed pipe or a real failure.
    pub fn from_stdout(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Error::OutputClosed
        } else {
            Error::Stdout(e)
        }
    }
}

impl From<Stopped> for Error {
    fn from(stopped: Stopped) -> Self {
        match stopped {
            Stopped::Cancelled => Error::Interrupted,
            Stopped::Unsettled(run) => Error::Unsettled(run.to_string()),
        }
    }
}
