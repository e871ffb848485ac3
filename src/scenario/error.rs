//! What can be wrong with a scenario file, with the file, line and column in every message.
//!
//! It lives beside the parser that finds it: `error::Error` wraps it, and nothing here
//! needs to know about the commands' errors.

use std::fmt;
use std::path::PathBuf;

use super::param_path;
use super::path_shown;
use super::spelling::printable;
use super::Problem;

/// A scenario file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error(
        "{}: cannot read the scenario file: {source} (check the path)",
        path_shown(path)
    )]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {}", path_shown(path), one_line(message))]
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
                    path_shown(self.path),
                    at.line,
                    at.column,
                    one_line(&p.message)
                )?,
                None => write!(f, "{}: {}", path_shown(self.path), one_line(&p.message))?,
            }
        }
        Ok(())
    }
}

/// Characters of a problem's text a line shows before it is cut: a full sentence with a few
/// names, and no more (a million-character name echoed raw made a million-character line).
const MOST_CHARS: usize = 1_000;

/// The second lines a problem may have on purpose: the valid parameter paths after an
/// unknown one (`param_path::unknown`), which `sweep --param` prints the same way.
const SECOND_LINES: [&str; 1] = [param_path::VALID_PATHS];

/// A problem's text as it is printed: one line after the file's name, whatever it echoes.
/// The checks quote names through `spelling::quoted_name`; this is the safety net under
/// those that do not: control and bidirectional characters are escaped (a newline in an
/// event's name split its problem over two lines, the second without the file's name; an
/// escape sequence reached the terminal) and a long text is cut (`spelling::printable`).
/// Only a deliberate second line (`SECOND_LINES`) stays a line of its own.
fn one_line(message: &str) -> String {
    let second = SECOND_LINES
        .iter()
        .filter_map(|start| message.find(&format!("\n{start}")))
        .min();
    match second {
        Some(at) => format!(
            "{}\n{}",
            printable(&message[..at], MOST_CHARS),
            printable(&message[at + 1..], MOST_CHARS)
        ),
        None => printable(message, MOST_CHARS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Position;

    fn shown(message: &str) -> String {
        ScenarioError::Invalid {
            path: "f.ron".into(),
            problems: vec![
                Problem {
                    position: Some(Position { line: 3, column: 7 }),
                    message: message.into(),
                },
                Problem {
                    position: None,
                    message: message.into(),
                },
            ],
        }
        .to_string()
    }

    /// Regression: a name echoed raw put a newline, an escape sequence or a million
    /// characters into a problem's line.
    #[test]
    fn every_problem_is_one_escaped_line_of_bounded_length() {
        assert_eq!(
            shown("event \"vi\nsit\": `at` must be a step"),
            "f.ron:3:7: event \"vi\\u{a}sit\": `at` must be a step\n\
             f.ron: event \"vi\\u{a}sit\": `at` must be a step"
        );
        let escape = shown("a \u{1b}[31m b");
        assert!(!escape.contains('\u{1b}'), "{escape}");
        let huge = shown(&format!("event \"{}\" is bad", "v".repeat(1_000_000)));
        let lines: Vec<&str> = huge.lines().collect();
        assert_eq!(lines.len(), 2);
        for line in lines {
            assert!(line.chars().count() < 1_100, "{} characters", line.len());
            assert!(line.ends_with("… (999,015 more characters)"), "{line}");
        }
        let syntax = ScenarioError::Syntax {
            path: "v.ron".into(),
            line: 2,
            column: 11,
            message: format!("base \"a\n\u{1b}[31m{}\"", "n".repeat(5000)),
        }
        .to_string();
        assert_eq!(syntax.lines().count(), 1, "{syntax}");
        assert!(syntax.starts_with("v.ron:2:11: base \"a\\u{a}\\u{1b}[31mnnn"));
        assert!(syntax.len() < 1_100, "{syntax}");
    }

    /// The unknown parameter path keeps its list of valid paths on a line of its own, as
    /// `sweep --param` prints it; a newline anywhere else is still escaped.
    #[test]
    fn a_deliberate_second_line_stays() {
        let message = format!("unknown \"x\ny\"\n{}eta, sigma", param_path::VALID_PATHS);
        let lines: Vec<String> = shown(&message).lines().map(String::from).collect();
        assert_eq!(
            lines,
            [
                "f.ron:3:7: unknown \"x\\u{a}y\"".to_string(),
                format!("{}eta, sigma", param_path::VALID_PATHS),
                "f.ron: unknown \"x\\u{a}y\"".to_string(),
                format!("{}eta, sigma", param_path::VALID_PATHS),
            ]
        );
    }
}
