//! Scenario files: read, parse (RON), check, and compile into a `model::World`.
//!
//! Everything that can be wrong with a file is found here, before any work starts and
//! before any output is written, and reported with the file, line and column.

mod compile;
mod error;
pub mod file;
pub mod limits;
mod locate;
pub mod param_path;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use compile::{compile, Problem};
pub use error::ScenarioError;
pub use file::ScenarioFile;
pub use locate::{suggest, Position};
pub use param_path::{Names, ParamPath};

use crate::model::World;

/// A scenario file, loaded and compiled.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub path: PathBuf,
    /// The file's bytes, as read once: what was hashed, parsed and run (a shard stores them,
    /// so a merge cannot pick up a file edited since).
    pub bytes: Vec<u8>,
    /// Hex sha256 of `bytes`.
    pub sha256: String,
    pub file: ScenarioFile,
    pub world: World,
}

/// Reads, parses and compiles a scenario file. Every command reads its scenario here, so
/// the size cap holds for all of them.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let bytes = read_at_most(path, limits::MAX_FILE_BYTES)?;
    let scenario = from_bytes(path, bytes)?;
    // Not an error: such an outcome is legal, only easy to mistake for an answer (issue 11).
    for (o, outcome) in scenario.world.outcomes.iter().enumerate() {
        if let Some(event) = scenario.world.reads_back(o) {
            crate::warn!(
                "warning: {}: outcome \"{}\" only reads back whether event \"{event}\" fired \
                 (its hazard or schedule, in the Events table); ask what the event changes instead",
                path.display(),
                outcome.name
            );
        }
    }
    Ok(scenario)
}

/// Parses and compiles a scenario's bytes (read by `load`, or kept in a partial result);
/// `path` is used in messages and for default folder names.
pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Scenario, ScenarioError> {
    let (file, world) = parse(path, &bytes)?;
    Ok(Scenario {
        path: path.to_path_buf(),
        sha256: sha256_hex(&bytes),
        bytes,
        file,
        world,
    })
}

/// Reads a file, refusing one larger than `max` bytes without reading more than that (a
/// mistaken path to a huge file, or to `/dev/zero`, must not fill the memory).
fn read_at_most(path: &Path, max: u64) -> Result<Vec<u8>, ScenarioError> {
    use std::io::Read;
    let unreadable = |source| ScenarioError::Unreadable {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > max {
        return Err(ScenarioError::Syntax {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: format!(
                "the file is larger than {} MB, the most a scenario may be (is it a scenario file?)",
                max >> 20
            ),
        });
    }
    Ok(bytes)
}

/// Parses and compiles a scenario's bytes; `path` is used in messages only.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<(ScenarioFile, World), ScenarioError> {
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
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let options = options.with_recursion_limit(RECURSION_LIMIT);
    let file: ScenarioFile = options.from_str(text).map_err(|e| ScenarioError::Syntax {
        path: path.to_path_buf(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: explain(&e.code),
    })?;
    let world = compile(&file, text).map_err(|problems| ScenarioError::Invalid {
        path: path.to_path_buf(),
        problems,
    })?;
    Ok((file, world))
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
                Beta(a, b) or Triangular(low, mode, high)"
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

/// The hex sha256 of `bytes`: how scenarios and the files of a partial result are identified.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
