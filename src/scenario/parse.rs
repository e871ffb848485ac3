//! A scenario file's text: decoded, parsed by RON, and RON's errors put in an analyst's
//! words, at the line and column they name.

use std::path::Path;

use super::compile::compile_warned;
use super::{bare_number, Problem, ScenarioError, ScenarioFile};
use crate::model::World;

/// The text of a scenario file: UTF-8, without a byte-order mark, not empty.
pub(super) fn decode<'b>(path: &Path, bytes: &'b [u8]) -> Result<&'b str, ScenarioError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        ScenarioError::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            message: "the file is not UTF-8 text (is it a scenario file?)".into(),
        }
    })?;
    // Editors on Windows may start a UTF-8 file with a byte-order mark; it is not part of
    // the text, and RON would call it a syntax error at 1:1.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ScenarioError::Syntax {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: "the file is empty; a scenario starts with `Scenario(`".into(),
        });
    }
    Ok(text)
}

/// Deserialises RON text, a syntax error located in `path`.
pub(super) fn from_ron<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
) -> Result<T, ScenarioError> {
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let options = options.with_recursion_limit(RECURSION_LIMIT);
    options.from_str(text).map_err(|e| {
        let (line, column) = (e.span.start.line, e.span.start.col);
        let bare = match &e.code {
            ron::Error::SuggestRawIdentifier(word) => {
                bare_number::message(word, text, line, column)
            }
            ron::Error::ExpectedFloat => bare_number::threshold_message(text, line, column),
            ron::Error::ExpectedInteger => bare_number::average_window_message(text, line, column),
            _ => None,
        };
        ScenarioError::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            message: bare.unwrap_or_else(|| explain(&e.code)),
        }
    })
}

/// Parses and compiles the text of a full scenario: the file, its world and its warnings.
pub(super) fn parse_text(
    path: &Path,
    text: &str,
) -> Result<(ScenarioFile, World, Vec<Problem>), ScenarioError> {
    let file: ScenarioFile = from_ron(path, text)?;
    let (world, warnings) =
        compile_warned(&file, text).map_err(|problems| ScenarioError::Invalid {
            path: path.to_path_buf(),
            problems,
        })?;
    Ok((file, world, warnings))
}

/// How deep brackets may nest. RON's default; deeper input could overflow the parser's
/// stack, so it is refused with a message of ours.
const RECURSION_LIMIT: usize = 128;
/// How deep `All`/`Any` and `Not` can nest inside an outcome within `RECURSION_LIMIT`
/// (measured; the test `conditions_nested_past_the_limit_get_our_own_message` pins it).
const MAX_ALL_DEPTH: usize = 29;
const MAX_NOT_DEPTH: usize = 59;

/// RON's message, with a hint where its wording is cryptic for an analyst.
fn explain(code: &ron::Error) -> String {
    let message = code.to_string();
    if message.contains("untagged enum Value") {
        return "expected a number or a distribution: Uniform(low, high), Normal(mean, sd), \
                Beta(a, b), Triangular(low, mode, high) or Guess(low, likely, high)"
            .into();
    }
    if message.contains("untagged enum Steps") {
        return "expected a whole step, a distribution over steps (rounded to the nearest \
                step): Uniform(low, high), Normal(mean, sd), Triangular(low, mode, high) or \
                Guess(low, likely, high), or a date in quotes (\"2019Q1\") in a file with a \
                `start`"
            .into();
    }
    if matches!(code, ron::Error::ExceededRecursionLimit) {
        // RON's own message advises its programmers to use `serde_stacker`; an analyst needs
        // to know what in the file is too deep.
        return format!(
            "conditions nested deeper than {MAX_ALL_DEPTH} levels of All/Any (or {MAX_NOT_DEPTH} of \
             Not): brackets may nest at most {RECURSION_LIMIT} deep; flatten the condition, e.g. \
             All([a, b, c]) instead of All([a, All([b, All([c])])])"
        );
    }
    if matches!(code, ron::Error::Eof) {
        return format!("{message}: the file ends early (is a closing bracket missing?)");
    }
    message
}
