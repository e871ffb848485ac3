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
//! the others before any aggregates are read, and then one part at a time is read, verified,
//! checked against the compiled world and added, so memory holds one part and the result.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use crate::analysis::{Manifest, RunSummary};
use crate::engine::{chunk_count, Aggregates, CHUNK};
use crate::error::Error;
use crate::options::{check_trajectories, PartSources, Shard};
use crate::output;
use crate::output::partial::{self, Part, PartialManifest};
use crate::scenario::{self, limits};

/// A part's problem, with its folder named.
fn refuse(dir: &Path, why: impl std::fmt::Display) -> Error {
    Error::Usage(format!("{}: {why}", dir.display()))
}

/// `simulate merge [DIR...] [--from FILE] [--parts DIR] [--out DIR]`.
pub fn merge(sources: &PartSources, out: Option<&Path>, verbose: bool) -> Result<(), Error> {
    let dirs = part_folders(sources)?;
    let parts = dirs
        .iter()
        .map(|dir| partial::read_manifest(dir).map_err(|why| refuse(dir, why)))
        .collect::<Result<Vec<Part>, Error>>()?;
    let Some((first, rest)) = parts.split_first() else {
        return Err(Error::Usage(
            "merge needs the partial result folders of every shard".into(),
        ));
    };
    for part in &parts {
        check_numbers(part)?;
    }

    // Every part must come from the same run.
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
    for part in rest {
        for ((what, want), (_, got)) in same_run(&first.manifest)
            .into_iter()
            .zip(same_run(&part.manifest))
        {
            if want != got {
                return Err(Error::Usage(format!(
                    "{} is not part of the same run as {}: {what} {got} vs {want}",
                    part.dir.display(),
                    first.dir.display()
                )));
            }
        }
    }
    let run = &first.manifest;
    if run.engine_version != crate::ENGINE_VERSION {
        return Err(refuse(
            &first.dir,
            format!(
                "made by entente {}, this is {}; merge with the version that ran the shards",
                run.engine_version,
                crate::ENGINE_VERSION
            ),
        ));
    }
    if run.engine_build != crate::ENGINE_BUILD {
        return Err(refuse(
            &first.dir,
            format!(
                "made by another build of entente {} (build {}, this is {}): its numbers may \
                 differ; merge with the build that ran the shards, or run them again",
                run.engine_version,
                run.engine_build,
                crate::ENGINE_BUILD
            ),
        ));
    }
    let by_index = every_shard_once(&parts)?;

    let scenario_path = PathBuf::from(&run.scenario_file);
    let out = super::output_folder(out, &super::stem(&scenario_path));
    check_apart_from_parts(&out, &parts)?;
    output::check_target(&out)?;

    // Each part keeps its own copy of the scenario: all are verified, the first one is run.
    let bytes = first.scenario().map_err(|why| refuse(&first.dir, why))?;
    let bases = first.bases().map_err(|why| refuse(&first.dir, why))?;
    for part in rest {
        part.scenario().map_err(|why| refuse(&part.dir, why))?;
        part.bases().map_err(|why| refuse(&part.dir, why))?;
    }
    let scenario = scenario::from_stored(&scenario_path, bytes, bases)?;

    let mut aggregates = Aggregates::new(&scenario.world);
    for part in by_index.values() {
        let shard = part
            .aggregates(&scenario.world)
            .map_err(|why| refuse(&part.dir, why))?;
        shard
            .check_against(&scenario.world, trajectories_of(&part.manifest))
            .and_then(|()| aggregates.merge_checked(&shard))
            .map_err(|why| {
                refuse(
                    &part.dir,
                    format!("aggregates.bin: {why} (damaged or edited?); run this shard again"),
                )
            })?;
    }

    let manifest = Manifest::new(&scenario, run.seed, run.trajectories);
    let summary = RunSummary::new(manifest, &scenario.world, &aggregates);
    output::export(&out, &summary, &output::run_exporters())?;
    if verbose {
        crate::say!(
            "{}: {} shards merged, {} trajectories; results in {}",
            scenario.world.name,
            run.shards,
            run.trajectories,
            out.display()
        )?;
    }
    Ok(())
}

/// Every part folder the sources name, in the order given: the folders on the command
/// line, then each list's lines, then each `--parts` folder's subfolders (by name).
fn part_folders(sources: &PartSources) -> Result<Vec<PathBuf>, Error> {
    let mut dirs = sources.folders.clone();
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
    for list in &sources.lists {
        dirs.extend(listed_folders(list)?);
    }
    for parent in &sources.parents {
        dirs.extend(folders_with_a_manifest(parent)?);
    }
    Ok(dirs)
}

/// The folders `--from FILE` lists, one per line; blank lines and lines whose first
/// non-blank character is `#` are skipped, and the spaces around a line are not part of
/// it. A relative path is relative to the list's own folder, so that a list written
/// beside the parts can be used from anywhere; from standard input (`-`), relative to the
/// current folder. Every line naming no folder is reported at once.
fn listed_folders(list: &Path) -> Result<Vec<PathBuf>, Error> {
    let stdin = list == Path::new("-");
    let shown = if stdin {
        "standard input (--from -)".to_string()
    } else {
        list.display().to_string()
    };
    let cannot = |e: io::Error| Error::Usage(format!("--from {shown}: cannot read it: {e}"));
    // Capped like a scenario file: a list of a million parts is well under it, and a
    // device or an endless pipe cannot fill the memory.
    let max = limits::MAX_FILE_BYTES;
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
        return Err(Error::Usage(format!(
            "--from {shown}: larger than {} MB; a list of folders is far smaller (the wrong file?)",
            max >> 20
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        // A list is edited by line: name the line and column (in bytes), like every other
        // message about a list's line.
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
        Error::Usage(format!(
            "{shown}:{line}:{column}: not UTF-8 text; give a text file listing one partial result folder per line"
        ))
    })?;
    // A byte-order mark (Windows Notepad writes one) is not part of the first line.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let base = match list.parent() {
        Some(folder) if !stdin => folder.to_path_buf(),
        _ => PathBuf::new(),
    };
    let mut folders = Vec::new();
    let mut wrong = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let folder = base.join(line);
        if folder.is_dir() {
            folders.push(folder);
        } else {
            wrong.push(format!(
                "{shown}:{}: {} is not a folder",
                number + 1,
                folder.display()
            ));
        }
    }
    if !wrong.is_empty() {
        return Err(Error::Usage(format!(
            "{}\n(--from lists one partial result folder per line; a relative path is relative to {})",
            wrong.join("\n"),
            if stdin { "the current folder" } else { "the list file's folder" }
        )));
    }
    if folders.is_empty() {
        return Err(Error::Usage(format!(
            "--from {shown} lists no folder (only blank lines or # comments)"
        )));
    }
    Ok(folders)
}

/// The immediate subfolders of `parent` that hold a `manifest.json`, sorted by name. Other
/// subfolders (logs, a merged result) and files are left out; a subfolder whose manifest is
/// damaged is kept, so that the merge says what is wrong with it.
fn folders_with_a_manifest(parent: &Path) -> Result<Vec<PathBuf>, Error> {
    let cannot = |e: io::Error| {
        Error::Usage(format!(
            "--parts {}: cannot read the folder: {e}",
            parent.display()
        ))
    };
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
                "; it is itself a partial result: name it without --parts (simulate merge {} ...)",
                parent.display()
            )
        } else {
            String::new()
        };
        return Err(Error::Usage(format!(
            "--parts {}: no subfolder holds a manifest.json (a partial result of `simulate --shard`){hint}",
            parent.display()
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

/// The parts by shard number, refusing a shard given twice or any shard missing.
fn every_shard_once(parts: &[Part]) -> Result<BTreeMap<u64, &Part>, Error> {
    let count = parts[0].manifest.shards;
    let mut by_index: BTreeMap<u64, &Part> = BTreeMap::new();
    for part in parts {
        if let Some(other) = by_index.insert(part.manifest.shard, part) {
            return Err(Error::Usage(format!(
                "shard {}/{count} is given twice: {} and {}",
                part.manifest.shard,
                other.dir.display(),
                part.dir.display()
            )));
        }
    }
    if by_index.len() as u64 == count {
        return Ok(by_index);
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
    let shown = |runs: &mut dyn Iterator<Item = (u64, u64)>| {
        runs.map(|(a, b)| match b - a {
            0 => format!("{a}/{count}"),
            _ => format!("{a}/{count} to {b}/{count}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
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
        shown(&mut missing.into_iter()),
        shown(&mut given.into_iter())
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
fn check_apart_from_parts(out: &Path, parts: &[Part]) -> Result<(), Error> {
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
            out.display(),
            part.dir.display()
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
