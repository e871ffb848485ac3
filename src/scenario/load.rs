//! A scenario's chain of files, read and resolved: the command-line file and, for a variant,
//! the bases it rests on (from the disk, or as kept in a partial result), the changes
//! applied in order and the result compiled.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::compile::compile_warned;
use super::parse::{decode, from_ron, parse_text};
use super::spelling::{quoted_name, shown};
use super::{limits, locate, path_shown, variant, Position, ScenarioError, ScenarioFile};
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
    /// The resolved file: for a variant, its base with every change of the chain applied.
    pub file: ScenarioFile,
    pub world: World,
    /// For a variant, the files it rests on, its own base first and the full scenario last
    /// (empty for a full scenario). Kept as read, for provenance and for partial results.
    pub bases: Vec<ChainFile>,
    /// What each variant of the chain changes, one line per change in the analyst's words,
    /// by file, the variant nearest the full scenario first (empty for a full scenario).
    pub changes: Vec<(PathBuf, Vec<String>)>,
    /// What loads but is likely a mistake (`compile::thresholds`), each line naming the
    /// file, line and column: the first file of the chain that brings it.
    pub warnings: Vec<String>,
}

/// One file of a variant's chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainFile {
    /// The path as shown in messages and provenance: the command-line file's folder joined
    /// with `rel`.
    pub path: PathBuf,
    /// The path relative to the command-line file's folder, `/`-separated: how a partial
    /// result names the file, independent of where it was run.
    pub rel: String,
    pub bytes: Vec<u8>,
    pub sha256: String,
}

impl ChainFile {
    fn new(path: PathBuf, rel: String, bytes: Vec<u8>) -> Self {
        ChainFile {
            path,
            rel,
            sha256: sha256_hex(&bytes),
            bytes,
        }
    }
}

/// Reads, parses and compiles a scenario file (a full scenario or a variant, with its
/// chain of bases). Every command reads its scenario here, so the size cap holds for all of
/// them, and for every file of a chain.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let bytes = read_at_most(path, limits::MAX_FILE_BYTES)?;
    let scenario = from_disk(path, bytes)?;
    for line in &scenario.warnings {
        crate::warn!("warning: {line}");
    }
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

/// Parses and compiles `bytes`, the text of the file at `path`; a variant's bases are read
/// from the disk, relative to `path`.
fn from_disk(path: &Path, bytes: Vec<u8>) -> Result<Scenario, ScenarioError> {
    let shown_root = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let top = ChainFile::new(path.to_path_buf(), file_name(path), bytes);
    // The folder tree a chain may use: the command-line file's folder, symlinks resolved,
    // so that neither `..` nor a symlink can reach a base elsewhere. Only a variant needs
    // it (a full scenario may come from bytes with no file behind them).
    let mut root: Option<PathBuf> = None;
    resolve(top, &mut |from, base| {
        let root = match &root {
            Some(root) => root.clone(),
            None => {
                let folder = if shown_root.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    shown_root.as_path()
                };
                let canonical = std::fs::canonicalize(folder)
                    .map_err(|e| format!("cannot resolve the folder {}: {e}", folder.display()))?;
                root.insert(canonical).clone()
            }
        };
        let from_dir = root.join(&from.rel);
        let from_dir = from_dir.parent().unwrap_or(&root);
        let target = from_dir.join(base);
        let canonical = std::fs::canonicalize(&target).map_err(|e| {
            format!(
                "cannot read the base file {} ({}: {e}); a base is named relative to the file \
                 that names it",
                quoted_name(base),
                path_shown(&target)
            )
        })?;
        let rel = canonical.strip_prefix(&root).map_err(|_| {
            format!(
                "the base file {} is outside {}, the folder of {} (resolved: {}); a chain's \
                 files must all be in that folder or below it, so that the folder holds the \
                 whole scenario",
                quoted_name(base),
                root.display(),
                path.display(),
                path_shown(&canonical)
            )
        })?;
        let rel = rel_text(rel);
        // Only a regular file can be a base: opening a FIFO waits for a writer forever
        // (the loader hung), and a folder or device is never a scenario. `stat` follows the
        // path but opens nothing. (The command-line file may still be a pipe, as in
        // `simulate <(...)`; a base is named in a file and read without the user watching.)
        let meta = std::fs::metadata(&canonical).map_err(|e| {
            format!(
                "cannot read the base file {} ({}: {e})",
                quoted_name(base),
                path_shown(&canonical)
            )
        })?;
        if !meta.is_file() {
            return Err(format!(
                "the base file {} ({}) is not a regular file (a folder, pipe or device?); \
                 name the scenario file the variant is based on",
                quoted_name(base),
                path_shown(&canonical)
            ));
        }
        let bytes = read_at_most(&canonical, limits::MAX_FILE_BYTES).map_err(|e| e.to_string())?;
        Ok(ChainFile::new(shown_root.join(&rel), rel, bytes))
    })
}

/// Parses and compiles a full scenario's bytes (kept in a partial result, or written by a
/// test); `path` is used in messages and for default folder names.
pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Scenario, ScenarioError> {
    from_stored(path, bytes, Vec::new())
}

/// Parses and compiles a scenario from bytes kept in a partial result: the command-line
/// file's and, for a variant, its bases' as `(rel, bytes)` (`ChainFile::rel`). A base is
/// looked up among them by its path relative to the file that names it, never read from
/// disk, so a merge runs exactly what the shards ran.
pub fn from_stored(
    path: &Path,
    bytes: Vec<u8>,
    bases: Vec<(String, Vec<u8>)>,
) -> Result<Scenario, ScenarioError> {
    let shown_root = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let top = ChainFile::new(path.to_path_buf(), file_name(path), bytes);
    resolve(top, &mut |from, base| {
        let rel = lexical_join(&from.rel, base).ok_or_else(|| {
            format!(
                "the base file {} is outside the scenario's folder",
                quoted_name(base)
            )
        })?;
        let (_, bytes) = bases.iter().find(|(r, _)| *r == rel).ok_or_else(|| {
            format!(
                "the base file {} ({}) is not among the files kept with it",
                quoted_name(base),
                shown(&rel)
            )
        })?;
        Ok(ChainFile::new(shown_root.join(&rel), rel, bytes.clone()))
    })
}

/// A file's name, as the `rel` of the command-line file.
pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A relative path as `/`-separated text.
fn rel_text(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// `base` relative to the folder of `from` (both `/`-separated, relative to the chain's
/// root), `.` and `..` resolved; None if it is absolute or leaves the root.
/// Paths are read as the platform reads them when the chain is loaded from the disk: on
/// Unix `:` and `\\` are ordinary characters of a file name (a base named
/// `base:2018.ron` ran and sharded, then merge called it "outside the scenario's folder").
fn lexical_join(from: &str, base: &str) -> Option<String> {
    let windows = cfg!(windows);
    if base.starts_with('/') || (windows && (base.starts_with('\\') || base.contains(':'))) {
        return None;
    }
    let separators: &[char] = if windows { &['/', '\\'] } else { &['/'] };
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in base.split(separators) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Follows a chain from `top` to its full scenario, reading each base with `next` (which
/// says in words why a base cannot be had), then applies the changes, the base's variant's
/// first. The full scenario is compiled alone first, so that its problems are reported in
/// its own file; each variant's are reported in the variant.
fn resolve(
    top: ChainFile,
    next: &mut dyn FnMut(&ChainFile, &str) -> Result<ChainFile, String>,
) -> Result<Scenario, ScenarioError> {
    let mut variants: Vec<(ChainFile, variant::VariantFile)> = Vec::new();
    let mut current = top;
    let mut warnings: Vec<(String, String)> = Vec::new();
    let (mut file, mut world) = loop {
        let text = decode(&current.path, &current.bytes)?;
        if !variant::is_variant(text) {
            let (file, world, found) = parse_text(&current.path, text)?;
            warned(&mut warnings, &current.path, found);
            break (file, world);
        }
        let v: variant::VariantFile = from_ron(&current.path, text)?;
        // At the value of the top-level `base:` field: a search for the first "base" found
        // it inside `name: "rebase of baseline"`.
        let at_base = |message: String| {
            let loc = locate::Locator::new(text);
            let at = loc
                .top_field("base")
                .and_then(|b| loc.find_from(b, "\""))
                .map(|at| loc.position(at))
                .unwrap_or(Position { line: 1, column: 1 });
            ScenarioError::Syntax {
                path: current.path.clone(),
                line: at.line,
                column: at.column,
                message,
            }
        };
        if variants.len() + 2 > variant::MAX_CHAIN {
            return Err(at_base(format!(
                "the chain of variants is longer than {} files; base a variant on a full \
                 scenario or a shorter chain",
                variant::MAX_CHAIN
            )));
        }
        let base = next(&current, &v.base).map_err(at_base)?;
        let seen = variants.iter().map(|(f, _)| f).chain([&current]);
        if let Some(again) = seen.into_iter().find(|f| f.rel == base.rel) {
            return Err(at_base(format!(
                "the base {} leads back to {}: variants form a loop; a chain must end in a \
                 full scenario (`Scenario(...)`)",
                quoted_name(&v.base),
                again.path.display()
            )));
        }
        variants.push((std::mem::replace(&mut current, base), v));
    };
    let full = current;
    let mut changes = Vec::new();
    for (chain_file, v) in variants.iter().rev() {
        let text = decode(&chain_file.path, &chain_file.bytes)?;
        let invalid = |problems| ScenarioError::Invalid {
            path: chain_file.path.clone(),
            problems,
        };
        let before = file.clone();
        let lines = variant::apply(&mut file, v, text).map_err(invalid)?;
        changes.push((chain_file.path.clone(), lines));
        // Problems the changes bring (a value out of range, a name an added event
        // misspells) are reported in the variant, located in its text.
        let found;
        (world, found) = compile_warned(&file, text).map_err(|mut problems| {
            variant::place(&before, v, text, &mut problems);
            variant::explain_lost_hazards(&before, v, text, &mut problems);
            invalid(problems)
        })?;
        warned(&mut warnings, &chain_file.path, found);
    }
    let mut chain = variants.into_iter().map(|(f, _)| f);
    let top = chain.next().unwrap_or_else(|| full.clone());
    let mut bases: Vec<ChainFile> = chain.collect();
    if top != full {
        bases.push(full);
    }
    Ok(Scenario {
        path: top.path,
        bytes: top.bytes,
        sha256: top.sha256,
        file,
        world,
        bases,
        changes,
        warnings: warnings.into_iter().map(|(_, line)| line).collect(),
    })
}

/// Adds the warnings `found` in the file at `path`, each as a line naming where it is,
/// unless an earlier file of the chain brought it (a base's warning comes back when each
/// variant on it is compiled, without a place in the variant's text).
fn warned(warnings: &mut Vec<(String, String)>, path: &Path, found: Vec<super::Problem>) {
    for w in found {
        if warnings.iter().any(|(message, _)| *message == w.message) {
            continue;
        }
        let line = match w.position {
            Some(at) => format!(
                "{}:{}:{}: {}",
                path_shown(path),
                at.line,
                at.column,
                w.message
            ),
            None => format!("{}: {}", path_shown(path), w.message),
        };
        warnings.push((w.message, line));
    }
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

/// Parses and compiles a scenario's bytes, the text of the file at `path` (a variant's
/// bases are read from the disk relative to it).
pub fn parse(path: &Path, bytes: &[u8]) -> Result<(ScenarioFile, World), ScenarioError> {
    let s = from_disk(path, bytes.to_vec())?;
    Ok((s.file, s.world))
}

/// The hex sha256 of `bytes`: how scenarios and the files of a partial result are identified.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::lexical_join;

    #[test]
    fn a_stored_base_is_found_relative_to_its_variant_and_never_outside_the_root() {
        assert_eq!(lexical_join("a.ron", "b.ron").as_deref(), Some("b.ron"));
        assert_eq!(
            lexical_join("sub/a.ron", "../b.ron").as_deref(),
            Some("b.ron")
        );
        assert_eq!(
            lexical_join("sub/a.ron", "./x/b.ron").as_deref(),
            Some("sub/x/b.ron")
        );
        assert_eq!(lexical_join("a.ron", "../b.ron"), None);
        assert_eq!(lexical_join("a.ron", "/etc/b.ron"), None);
        if cfg!(windows) {
            assert_eq!(lexical_join("a.ron", "C:/b.ron"), None);
        } else {
            // On Unix these are file names, as the disk reads them.
            assert_eq!(
                lexical_join("sub/a.ron", "base:2018.ron").as_deref(),
                Some("sub/base:2018.ron")
            );
            assert_eq!(
                lexical_join("a.ron", "x\\y.ron").as_deref(),
                Some("x\\y.ron")
            );
        }
    }
}
