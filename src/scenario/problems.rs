//! What is wrong with a file, as it is reported: each problem at its place, at most
//! `MAX_PROBLEMS` of them and then how many more. The compiler, a variant's changes and an
//! observations file (`observed.rs`) list theirs here, so all cap and count alike.

use std::ops::{Deref, DerefMut};

use super::limits::MAX_PROBLEMS;
use super::locate::Position;

/// One thing wrong with a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub position: Option<Position>,
    pub message: String,
}

/// A file's problems: the first `MAX_PROBLEMS` listed, the rest only counted. Read as the
/// list (`Deref`); added to only through `push` and `skip`, which keep the cap.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    listed: Vec<Problem>,
    more: usize,
}

impl Problems {
    /// Lists `problem`, or past the cap only counts it.
    pub(crate) fn push(&mut self, problem: Problem) {
        if self.full() {
            self.more += 1;
        } else {
            self.listed.push(problem);
        }
    }

    /// Counts a problem past the cap without wording it: its message would be read by no
    /// one, and some cost a search of every name to write.
    pub(crate) fn skip(&mut self) {
        self.more += 1;
    }

    /// Whether no more problems are listed: the ones found from now on are only counted,
    /// so nothing needs to be measured or located for their messages.
    pub(crate) fn full(&self) -> bool {
        self.listed.len() >= MAX_PROBLEMS
    }

    /// How many problems were found past the cap.
    #[cfg(test)]
    pub(crate) fn more(&self) -> usize {
        self.more
    }

    /// The problems as reported: those listed, then a line with the count of the rest.
    pub(crate) fn into_list(mut self) -> Vec<Problem> {
        if self.more > 0 {
            self.listed.push(Problem {
                position: None,
                message: format!(
                    "... and {} more problems; fix the ones above first",
                    self.more
                ),
            });
        }
        self.listed
    }

    /// `ok` if there is no problem, else the problems as reported.
    pub(crate) fn into_result<T>(self, ok: T) -> Result<T, Vec<Problem>> {
        if self.listed.is_empty() {
            Ok(ok)
        } else {
            Err(self.into_list())
        }
    }
}

impl Deref for Problems {
    type Target = [Problem];

    fn deref(&self) -> &[Problem] {
        &self.listed
    }
}

/// A listed problem may be reworded in place (`compile::relations` adds a hint to one).
impl DerefMut for Problems {
    fn deref_mut(&mut self) -> &mut [Problem] {
        &mut self.listed
    }
}
