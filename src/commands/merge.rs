//! `simulate merge DIR...`: combines the N partial results that `simulate FILE --shard I/N`
//! writes (`shard.rs`) into exactly the folder one run would have written (README, "Reproducibility").
//!
//! A shard is a contiguous range of trajectory chunks; aggregates are integers (and min/max),
//! so merging is exact and the order of the parts does not matter. The merged folder goes
//! through the same `output::run_exporters()` as a plain run, so every file a run writes
//! (plots, report, ...) comes out of a merge too. Scheduling the shards is left to existing
//! tools (a Slurm job array, a Kubernetes indexed Job, GNU parallel): see docs/cluster.md.
//!
//! A merge trusts nothing it reads: every part's manifest is verified and checked against
//! the others before any aggregates are read (one manifest at a time, a shard given twice
//! refused as soon as it is met, so memory holds a manifest per shard however many folders
//! are named), its memory is estimated and checked against the host's limits like any
//! command's, and then one part at a time is read, verified, checked against the compiled
//! world and added, so memory holds one part and the result. Every path and every value
//! read from a part is shown escaped and cut (`scenario::path_shown`, `spelling::printable`):
//! a folder's name must not drive the terminal or forge a line.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use crate::analysis::{Manifest, RunSummary};
use crate::engine::estimate;
use crate::engine::{chunk_count, Aggregates, CHUNK};
use crate::error::Error;
use crate::options::{check_trajectories, PartSources, Shard};
use crate::output;
use crate::output::partial::{self, Part, PartialManifest};
use crate::output::records_parquet::RECORDS;
use crate::scenario::spelling::printable;
use crate::scenario::{self, limits, path_shown};

/// Characters of a part's problem a message shows: a sentence and a few values, never the
/// 64 KB a forged manifest can hold.
const MOST_CHARS: usize = 1_000;

/// Characters of a value read from a manifest that a message shows (a sha256 is 64).
const VALUE_CHARS: usize = 100;

/// A part's problem, with its folder named. Both are escaped and cut: the folder is the
/// user's, and the problem may quote what a (damaged or forged) manifest holds.
fn refuse(dir: &Path, why: impl std::fmt::Display) -> Error {
    Error::Usage(format!(
        "{}: {}",
        path_shown(dir),
        printable(&why.to_string(), MOST_CHARS)
    ))
}

/// What a merge does when the estimate says it will not fit.
const MERGE_ADVICE: &str = "merge where more memory is free (a batch job with a larger --mem, say)";

/// `simulate merge [DIR...] [--from FILE] [--parts DIR] [--out DIR]`.
pub fn merge(sources: &PartSources, out: Option<&Path>, verbose: bool) -> Result<(), Error> {
    let folders = PartFolders::read(sources)?;
    let shards = every_shard_once(folders.iter())?;
    // The lists' text is not needed past here.
    drop(folders);
    let run = &shards.first().manifest;
    let scenario_path = PathBuf::from(&run.scenario_file);
    let out = super::output_folder(out, &super::stem(&scenario_path));
    check_apart_from_parts(&out, shards.parts())?;
    output::check_target(&out)?;

    let scenario = stored_scenario(&shards, &scenario_path)?;
    let world = &scenario.world;
    let need = estimate::merge_estimate(world, run.trajectories, shards.count());
    let what = format!(
        "this merge ({} metrics x {} steps, {})",
        world.metrics.len(),
        world.steps,
        super::count(shards.count() as usize, "shard")
    );
    super::check_fits(&need, &what, MERGE_ADVICE)?;
    let records = super::records::shards_have_records(shards.parts())?;
    let aggregates = merged(&shards, world)?;

    let manifest = Manifest::new(&scenario, run.seed, run.trajectories);
    let summary = RunSummary::new(manifest, world, &aggregates);
    if records {
        output::fill_atomically(&out, |dir| {
            super::records::join(shards.parts(), world, &dir.join(RECORDS))?;
            output::write_all(dir, &summary, &output::run_exporters()).map_err(|source| {
                Error::Output {
                    path: out.clone(),
                    source,
                }
            })
        })?;
    } else {
        output::export(&out, &summary, &output::run_exporters())?;
    }
    if verbose {
        crate::say!(
            "{}: {} shards merged, {} trajectories; results in {}",
            world.name,
            run.shards,
            run.trajectories,
            path_shown(&out)
        )?;
    }
    Ok(())
}

/// The scenario the shards ran, compiled from the first part's copy. Each part keeps its
/// own copy: all are verified.
fn stored_scenario(shards: &Shards, path: &Path) -> Result<scenario::Scenario, Error> {
    let first = shards.first();
    let bytes = first.scenario().map_err(|why| refuse(&first.dir, why))?;
    let bases = first.bases().map_err(|why| refuse(&first.dir, why))?;
    for part in shards.parts().filter(|p| p.manifest.shard != shards.first) {
        part.scenario().map_err(|why| refuse(&part.dir, why))?;
        part.bases().map_err(|why| refuse(&part.dir, why))?;
    }
    Ok(scenario::from_stored(path, bytes, bases)?)
}

/// The parts' aggregates added up, one part read, verified and checked at a time.
fn merged(shards: &Shards, world: &crate::model::World) -> Result<Aggregates, Error> {
    let mut aggregates = Aggregates::new(world);
    for part in shards.parts() {
        let shard = part
            .aggregates(world)
            .map_err(|why| refuse(&part.dir, why))?;
        shard
            .check_against(world, trajectories_of(&part.manifest))
            .and_then(|()| aggregates.merge_checked(&shard))
            .map_err(|why| {
                refuse(
                    &part.dir,
                    format!("aggregates.bin: {why} (damaged or edited?); run this shard again"),
                )
            })?;
    }
    Ok(aggregates)
}

/// Every part folder the sources name, in the order given: the folders on the command
/// line, then each list's lines, then each `--parts` folder's subfolders (by name). The
/// lists are read (and every line checked to name a folder) up front, but their lines
/// become paths one at a time as the parts are read: a list of a million lines costs its
/// text, not a million paths and manifests.
struct PartFolders<'s> {
    sources: &'s PartSources,
    lists: Vec<List>,
    /// The `--parts` folders' subfolders holding a manifest.
    found: Vec<PathBuf>,
}

impl<'s> PartFolders<'s> {
    fn read(sources: &'s PartSources) -> Result<Self, Error> {
        // Standard input can be read once: a second `--from -` would read it empty and be
        // reported as a list of no folder, though the first one listed every part.
        if sources
            .lists
            .iter()
            .filter(|l| *l == Path::new("-"))
            .count()
            > 1
        {
            return Err(Error::Usage(
                "--from - is given more than once; standard input can be read once: list every \
                 folder in it, or give the other lists as files"
                    .into(),
            ));
        }
        // The lists' text is held until the parts are read: capped together, as one list
        // is, so that `--from BIG` given a thousand times cannot fill the memory.
        let mut lists = Vec::new();
        let mut room = limits::MAX_FILE_BYTES;
        for list in &sources.lists {
            let list = List::read(list, room)?;
            room -= list.text.len() as u64;
            lists.push(list);
        }
        let mut found = Vec::new();
        for parent in &sources.parents {
            found.extend(folders_with_a_manifest(parent)?);
        }
        Ok(PartFolders {
            sources,
            lists,
            found,
        })
    }

    fn iter(&self) -> impl Iterator<Item = PathBuf> + '_ {
        self.sources
            .folders
            .iter()
            .cloned()
            .chain(self.lists.iter().flat_map(List::folders))
            .chain(self.found.iter().cloned())
    }
}

/// A `--from` list as read: its name in messages, the folder its relative lines are
/// relative to, and its text.
struct List {
    shown: String,
    base: PathBuf,
    text: String,
}

impl List {
    /// Reads the list `--from FILE` names, one folder per line; blank lines and lines whose
    /// first non-blank character is `#` are skipped, and the spaces around a line are not
    /// part of it. A relative path is relative to the list's own folder, so that a list
    /// written beside the parts can be used from anywhere; from standard input (`-`),
    /// relative to the current folder. Lines naming no folder are reported at once (the
    /// first `MAX_PROBLEMS` of them, then how many more). `room`: the bytes the lists
    /// read before left of the cap on their text.
    fn read(list: &Path, room: u64) -> Result<List, Error> {
        let stdin = list == Path::new("-");
        let shown = if stdin {
            "standard input (--from -)".to_string()
        } else {
            path_shown(list)
        };
        let text = read_text(list, &shown, room)?;
        let base = match list.parent() {
            Some(folder) if !stdin => folder.to_path_buf(),
            _ => PathBuf::new(),
        };
        let list = List { shown, base, text };
        list.check_folders(stdin)?;
        Ok(list)
    }

    /// Its lines that name a folder, with their numbers (from 1).
    fn lines(&self) -> impl Iterator<Item = (usize, &str)> {
        // A byte-order mark (Windows Notepad writes one) is not part of the first line.
        let text = self.text.strip_prefix('\u{feff}').unwrap_or(&self.text);
        text.lines()
            .enumerate()
            .map(|(number, line)| (number + 1, line.trim()))
            .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
    }

    fn folders(&self) -> impl Iterator<Item = PathBuf> + '_ {
        self.lines().map(|(_, line)| self.base.join(line))
    }

    /// Refuses a list with a line naming no folder, or with no line at all.
    fn check_folders(&self, stdin: bool) -> Result<(), Error> {
        let mut wrong = Vec::new();
        let (mut more, mut any) = (0usize, false);
        for (number, line) in self.lines() {
            any = true;
            let folder = self.base.join(line);
            if folder.is_dir() {
                continue;
            }
            if wrong.len() == limits::MAX_PROBLEMS {
                more += 1;
                continue;
            }
            wrong.push(format!(
                "{}:{number}: {} is not a folder",
                self.shown,
                path_shown(&folder)
            ));
        }
        if more > 0 {
            wrong.push(format!(
                "... and {more} more lines naming no folder; fix the ones above first"
            ));
        }
        if !wrong.is_empty() {
            return Err(Error::Usage(format!(
                "{}\n(--from lists one partial result folder per line; a relative path is relative to {})",
                wrong.join("\n"),
                if stdin { "the current folder" } else { "the list file's folder" }
            )));
        }
        if !any {
            return Err(Error::Usage(format!(
                "--from {} lists no folder (only blank lines or # comments)",
                self.shown
            )));
        }
        Ok(())
    }
}

/// The text of a `--from` list (`-` for standard input), `shown` as messages name it, of
/// at most `max` bytes.
fn read_text(list: &Path, shown: &str, max: u64) -> Result<String, Error> {
    let stdin = list == Path::new("-");
    let cannot = |e: io::Error| Error::Usage(format!("--from {shown}: cannot read it: {e}"));
    // Capped like a scenario file: a list of a million parts is well under it, and a
    // device or an endless pipe cannot fill the memory.
    let mut bytes = Vec::new();
    if stdin {
        io::stdin()
            .lock()
            .take(max + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
    } else {
        if !fs::metadata(list).map_err(cannot)?.is_file() {
            return Err(Error::Usage(format!(
                "--from {shown}: not a regular file; give a text file listing one partial result folder per line"
            )));
        }
        fs::File::open(list)
            .map_err(cannot)?
            .take(max + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
    }
    if bytes.len() as u64 > max {
        let cap = limits::MAX_FILE_BYTES >> 20;
        return Err(Error::Usage(if max == limits::MAX_FILE_BYTES {
            format!(
                "--from {shown}: larger than {cap} MB; a list of folders is far smaller (the wrong file?)"
            )
        } else {
            format!(
                "--from {shown}: the --from lists are larger than {cap} MB together; lists of \
                 folders are far smaller (one list given many times?)"
            )
        }));
    }
    String::from_utf8(bytes).map_err(|e| {
        // A list is edited by line: name the line and column (in bytes), like every other
        // message about a list's line.
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
        Error::Usage(format!(
            "{shown}:{line}:{column}: not UTF-8 text; give a text file listing one partial result folder per line"
        ))
    })
}

/// The immediate subfolders of `parent` that hold a `manifest.json`, sorted by name. Other
/// subfolders (logs, a merged result) and files are left out; a subfolder whose manifest is
/// damaged is kept, so that the merge says what is wrong with it.
fn folders_with_a_manifest(parent: &Path) -> Result<Vec<PathBuf>, Error> {
    let shown = path_shown(parent);
    let cannot =
        |e: io::Error| Error::Usage(format!("--parts {shown}: cannot read the folder: {e}"));
    let mut folders = Vec::new();
    for entry in fs::read_dir(parent).map_err(cannot)? {
        let path = entry.map_err(cannot)?.path();
        if path.is_dir() && path.join("manifest.json").exists() {
            folders.push(path);
        }
    }
    folders.sort();
    if folders.is_empty() {
        let hint = if parent.join("manifest.json").exists() {
            format!(
                "; it is itself a partial result: name it without --parts (simulate merge {shown} ...)"
            )
        } else {
            String::new()
        };
        return Err(Error::Usage(format!(
            "--parts {shown}: no subfolder holds a manifest.json (a partial result of `simulate --shard`){hint}"
        )));
    }
    Ok(folders)
}

/// Checks a part's numbers on their own, before anything is allocated for them: a valid
/// trajectory count, a shard among at most as many shards as there are chunks, and the
/// chunk range its number gives.
fn check_numbers(part: &Part) -> Result<(), Error> {
    let m = &part.manifest;
    let bad = |why: String| {
        refuse(
            &part.dir,
            format!("manifest.json: {why} (damaged or edited?)"),
        )
    };
    check_trajectories(m.trajectories).map_err(|e| bad(e.to_string()))?;
    let chunks = chunk_count(m.trajectories);
    if m.shard == 0 || m.shard > m.shards || m.shards > chunks {
        return Err(bad(format!(
            "shard {}/{} is not a valid shard of {} trajectories ({chunks} chunk(s) of {CHUNK})",
            m.shard, m.shards, m.trajectories
        )));
    }
    let range = Shard {
        index: m.shard,
        count: m.shards,
    }
    .chunks(chunks);
    if m.chunks != (range.start, range.end) {
        return Err(bad(format!(
            "shard {}/{} lists chunks {:?}, its number says {range:?}",
            m.shard, m.shards, m.chunks
        )));
    }
    Ok(())
}

/// The parts of a run, one per shard, checked to belong together.
struct Shards {
    by_index: BTreeMap<u64, Part>,
    /// The shard number of the part given first: its scenario is the one run, its
    /// scenario file names the default output folder.
    first: u64,
}

impl Shards {
    fn first(&self) -> &Part {
        &self.by_index[&self.first]
    }

    /// The parts by shard number.
    fn parts(&self) -> impl Iterator<Item = &Part> {
        self.by_index.values()
    }

    fn count(&self) -> u64 {
        self.by_index.len() as u64
    }
}

/// The parts in `folders` by shard number, read one at a time: each manifest is verified,
/// its numbers checked and compared with the first part's, and a shard given twice is
/// refused as soon as it is met. So memory holds at most one manifest per shard of the run
/// however many folders are named, and nothing but manifests is read: a list repeating two
/// folders a million times was read whole (19 s, 1.35 GB) before its duplicate was seen.
/// Then any shard missing is refused.
fn every_shard_once(folders: impl Iterator<Item = PathBuf>) -> Result<Shards, Error> {
    let mut by_index: BTreeMap<u64, Part> = BTreeMap::new();
    let mut first: Option<u64> = None;
    for dir in folders {
        let part = partial::read_manifest(&dir).map_err(|why| refuse(&dir, why))?;
        check_numbers(&part)?;
        match first.and_then(|i| by_index.get(&i)) {
            Some(earlier) => check_same_run(earlier, &part)?,
            None => check_engine(&part)?,
        }
        let index = part.manifest.shard;
        if let Some(other) = by_index.get(&index) {
            return Err(Error::Usage(format!(
                "shard {index}/{} is given twice: {} and {}",
                part.manifest.shards,
                path_shown(&other.dir),
                path_shown(&part.dir)
            )));
        }
        first.get_or_insert(index);
        by_index.insert(index, part);
    }
    let Some(first) = first else {
        return Err(Error::Usage(
            "merge needs the partial result folders of every shard".into(),
        ));
    };
    let shards = Shards { by_index, first };
    check_complete(&shards)?;
    Ok(shards)
}

/// Refuses a part that is not of the same run as `first`.
fn check_same_run(first: &Part, part: &Part) -> Result<(), Error> {
    let same_run = |m: &PartialManifest| {
        [
            ("scenario sha256", m.scenario_sha256.clone()),
            ("seed", m.seed.to_string()),
            ("trajectory count", m.trajectories.to_string()),
            ("shard count", m.shards.to_string()),
            ("engine version", m.engine_version.clone()),
            ("engine build", m.engine_build.clone()),
            (
                "variant chain",
                m.bases
                    .iter()
                    .map(|b| format!("{} {}", b.path, b.sha256))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ]
    };
    for ((what, want), (_, got)) in same_run(&first.manifest)
        .into_iter()
        .zip(same_run(&part.manifest))
    {
        if want != got {
            return Err(Error::Usage(format!(
                "{} is not part of the same run as {}: {what} {} vs {}",
                path_shown(&part.dir),
                path_shown(&first.dir),
                printable(&got, VALUE_CHARS),
                printable(&want, VALUE_CHARS)
            )));
        }
    }
    Ok(())
}

/// Refuses a part made by another version or build of entente.
fn check_engine(part: &Part) -> Result<(), Error> {
    let run = &part.manifest;
    if run.engine_version != crate::ENGINE_VERSION {
        return Err(refuse(
            &part.dir,
            format!(
                "made by entente {}, this is {}; merge with the version that ran the shards",
                run.engine_version,
                crate::ENGINE_VERSION
            ),
        ));
    }
    if run.engine_build != crate::ENGINE_BUILD {
        return Err(refuse(
            &part.dir,
            format!(
                "made by another build of entente {} (build {}, this is {}): its numbers may \
                 differ; merge with the build that ran the shards, or run them again",
                run.engine_version,
                run.engine_build,
                crate::ENGINE_BUILD
            ),
        ));
    }
    Ok(())
}

/// Refuses a set of parts with any shard missing, naming the missing and the given ones.
fn check_complete(shards: &Shards) -> Result<(), Error> {
    let by_index = &shards.by_index;
    let count = shards.first().manifest.shards;
    if by_index.len() as u64 == count {
        return Ok(());
    }
    // Runs of missing shards, so that even thousands of them make a short message.
    let mut missing: Vec<(u64, u64)> = Vec::new();
    let mut next = 1;
    for &i in by_index.keys().chain([&(count + 1)]) {
        if i > next {
            missing.push((next, i - 1));
        }
        next = i + 1;
    }
    // At most `SHOWN_RUNS` runs each: shards given every other one make as many runs as
    // shards, and a message of megabytes.
    const SHOWN_RUNS: usize = 20;
    let shown = |runs: Vec<(u64, u64)>| {
        let mut text = runs
            .iter()
            .take(SHOWN_RUNS)
            .map(|&(a, b)| match b - a {
                0 => format!("{a}/{count}"),
                _ => format!("{a}/{count} to {b}/{count}"),
            })
            .collect::<Vec<_>>()
            .join(", ");
        if runs.len() > SHOWN_RUNS {
            text += &format!(" and {} more runs", runs.len() - SHOWN_RUNS);
        }
        text
    };
    // The given shards in runs too: hundreds of parts (`--parts`) make a short list.
    let mut given: Vec<(u64, u64)> = Vec::new();
    for &i in by_index.keys() {
        match given.last_mut() {
            Some((_, last)) if *last + 1 == i => *last = i,
            _ => given.push((i, i)),
        }
    }
    Err(Error::Usage(format!(
        "shard(s) {} missing: a merge needs all {count} shards of the run (given: {})",
        shown(missing),
        shown(given)
    )))
}

/// The trajectories in a shard's chunks.
fn trajectories_of(m: &PartialManifest) -> u64 {
    let end = |chunk: u64| chunk.saturating_mul(CHUNK).min(m.trajectories);
    end(m.chunks.1) - end(m.chunks.0)
}

/// Refuses an `--out` that is, contains or lies inside one of the parts: the merge would
/// replace (delete) a shard it reads, or write into it. Paths are compared with symlinks
/// and `..` resolved.
fn check_apart_from_parts<'p>(
    out: &Path,
    parts: impl Iterator<Item = &'p Part>,
) -> Result<(), Error> {
    let resolved_out = resolved(out);
    for part in parts {
        let Ok(dir) = part.dir.canonicalize() else {
            continue; // its manifest was just read, so it exists; nothing to protect if not
        };
        let relation = if resolved_out == dir {
            "is"
        } else if resolved_out.starts_with(&dir) {
            "lies inside"
        } else if dir.starts_with(&resolved_out) {
            "contains"
        } else {
            continue;
        };
        return Err(Error::Usage(format!(
            "--out {} {relation} the partial result {}, which the merge reads and would \
             replace or write into: choose a folder apart from the shards, e.g. --out results/merged",
            path_shown(out),
            path_shown(&part.dir)
        )));
    }
    Ok(())
}

/// `path` made absolute with symlinks and `..` resolved, for a path that may not exist yet:
/// its longest existing prefix is canonicalized and the rest appended.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let components: Vec<Component> = absolute.components().collect();
    for keep in (1..=components.len()).rev() {
        let prefix: PathBuf = components[..keep].iter().collect();
        if let Ok(mut real) = prefix.canonicalize() {
            for c in &components[keep..] {
                match c {
                    Component::ParentDir => {
                        real.pop();
                    }
                    Component::Normal(name) => real.push(name),
                    _ => {}
                }
            }
            return real;
        }
    }
    absolute
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_chunk_once_in_equal_contiguous_ranges() {
        for chunks in [1u64, 3, 7, 40, 3907] {
            for count in 1..=chunks.min(9) {
                let mut next = 0;
                for index in 1..=count {
                    let r = Shard { index, count }.chunks(chunks);
                    assert_eq!(r.start, next);
                    assert!(
                        r.end - r.start >= chunks / count
                            && r.end - r.start <= chunks.div_ceil(count)
                    );
                    next = r.end;
                }
                assert_eq!(next, chunks);
            }
        }
    }
}
