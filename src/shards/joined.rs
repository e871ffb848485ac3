//! The parts of one run: each manifest checked on its own and against the first part's,
//! every shard given exactly once, and their aggregates added up one part at a time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{refuse, VALUE_CHARS};
use crate::engine::{chunk_count, Aggregates, Shard, CHUNK};
use crate::error::Error;
use crate::scenario::limits::check_trajectories;
use crate::scenario::spelling::printable;
use crate::scenario::{self, path_shown};
use crate::shards::partial::{self, Part, PartialManifest};

/// The scenario the shards ran, compiled from the first part's copy. Each part keeps its
/// own copy: all are verified.
pub fn stored_scenario(shards: &Shards, path: &Path) -> Result<scenario::Scenario, Error> {
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
pub fn merged(shards: &Shards, world: &crate::model::World) -> Result<Aggregates, Error> {
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
    check_trajectories(m.trajectories).map_err(bad)?;
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
pub struct Shards {
    by_index: BTreeMap<u64, Part>,
    /// The shard number of the part given first: its scenario is the one run, its
    /// scenario file names the default output folder.
    first: u64,
}

impl Shards {
    pub fn first(&self) -> &Part {
        &self.by_index[&self.first]
    }

    /// The parts by shard number.
    pub fn parts(&self) -> impl Iterator<Item = &Part> {
        self.by_index.values()
    }

    pub fn count(&self) -> u64 {
        self.by_index.len() as u64
    }
}

/// The parts in `folders` by shard number, read one at a time: each manifest is verified,
/// its numbers checked and compared with the first part's, and a shard given twice is
/// refused as soon as it is met. So memory holds at most one manifest per shard of the run
/// however many folders are named, and nothing but manifests is read: a list repeating two
/// folders a million times was read whole (19 s, 1.35 GB) before its duplicate was seen.
/// Then any shard missing is refused.
pub fn every_shard_once(folders: impl Iterator<Item = PathBuf>) -> Result<Shards, Error> {
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
            return Err(Error::Refused(format!(
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
        return Err(Error::Refused(
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
            return Err(Error::Refused(format!(
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
    Err(Error::Refused(format!(
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
