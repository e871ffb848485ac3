//! What can be wrong with a scenario file, with the file, line and column in every message.
//!
//! It lives beside the parser that finds it: `error::Error` wraps it, and nothing here
//! needs to know about the commands' errors.

use std::fmt;
use std::path::PathBuf;

use super::Problem;

/// A scenario file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{}: cannot read the scenario file: {source} (check the path)", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}", ProblemList { path, problems })]
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
}

struct ProblemList<'a> {
    path: &'a PathBuf,
    problems: &'a [Problem],
}

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (n, p) in self.problems.iter().enumerate() {
            if n > 0 {
                writeln!(f)?;
            }
            match p.position {
                Some(at) => write!(
                    f,
                    "{}:{}:{}: {}",
                    self.path.display(),
                    at.line,
                    at.column,
                    p.message
                )?,
                None => write!(f, "{}: {}", self.path.display(), p.message)?,
            }
        }
        Ok(())
    }
}
