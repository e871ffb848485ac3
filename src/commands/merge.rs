//! Shards and merge: `simulate FILE --shard I/N` runs one part of a run and writes a partial
//! result; `simulate merge DIR...` combines all N parts into exactly the folder one run
//! would have written (DESIGN §3).
//!
//! A shard is a contiguous range of trajectory chunks; aggregates are integers (and min/max),
//! so merging is exact and the order of the parts does not matter. The merged folder goes
//! through the same `output::run_exporters()` as a plain run, so every file a run writes
//! (plots, report, ...) comes out of a merge too. Scheduling the shards is left to existing
//! tools (a Slurm job array, a Kubernetes indexed Job, GNU parallel): see docs/cluster.md.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::analysis::{Manifest, RunSummary};
use crate::engine::{chunk_count, CHUNK};
use crate::error::{Error, ScenarioError};
use crate::options::{stem, RunOptions, Shard};
use crate::output::partial::{self, PartialManifest, FORMAT};
use crate::output::{self, sanitize_name, write_atomically};
use crate::scenario::{self, Scenario};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A scenario from its bytes (read once, so the hash is the hash of what was run).
fn scenario_from(path: &Path, bytes: &[u8]) -> Result<Scenario, Error> {
    let (file, world) = scenario::parse(path, bytes)?;
    Ok(Scenario {
        path: path.to_path_buf(),
        sha256: hex(&Sha256::digest(bytes)),
        file,
        world,
    })
}

/// `simulate FILE --shard I/N`: runs the shard's chunks and writes its partial result.
pub fn run_shard(path: &Path, options: &RunOptions, shard: Shard) -> Result<(), Error> {
    let bytes = std::fs::read(path).map_err(|source| ScenarioError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    let scenario = scenario_from(path, &bytes)?;
    let mut plan = super::plan(&scenario.world, options)?;
    let chunks = chunk_count(plan.trajectories);
    if shard.count > chunks {
        return Err(Error::Usage(format!(
            "--shard {shard}: {} trajectories make only {chunks} chunk(s) of {CHUNK}; use at most {chunks} shard(s) or more trajectories",
            plan.trajectories
        )));
    }
    plan.chunks = shard.chunks(chunks);
    let out = options.out.clone().unwrap_or_else(|| {
        let name = format!("{}.shard-{}-of-{}", stem(path), shard.index, shard.count);
        Path::new("outputs").join(sanitize_name(&name))
    });
    output::check_target(&out)?;

    let aggregates = super::simulate(&scenario.world, &plan, options)?;
    let manifest = PartialManifest {
        format: FORMAT.to_string(),
        scenario: scenario.world.name.clone(),
        scenario_file: path.to_string_lossy().into_owned(),
        scenario_sha256: scenario.sha256.clone(),
        seed: plan.seed,
        trajectories: plan.trajectories,
        shard: shard.index,
        shards: shard.count,
        chunks: (plan.chunks.start, plan.chunks.end),
        engine_version: crate::ENGINE_VERSION.to_string(),
    };
    write_atomically(&out, |dir| {
        partial::write(dir, &manifest, &bytes, &aggregates)
    })?;
    if options.verbose {
        println!(
            "{}: shard {shard}, {} of {} trajectories; partial result in {}",
            scenario.world.name,
            plan.len(),
            plan.trajectories,
            out.display()
        );
    }
    Ok(())
}

/// `simulate merge DIR... [--out DIR]`.
pub fn merge(parts: &[PathBuf], out: Option<&Path>, verbose: bool) -> Result<(), Error> {
    let mut loaded = Vec::with_capacity(parts.len());
    for dir in parts {
        let part =
            partial::read(dir).map_err(|why| Error::Usage(format!("{}: {why}", dir.display())))?;
        loaded.push((dir, part));
    }
    let Some(((first_dir, (first, bytes, _)), rest)) = loaded.split_first() else {
        return Err(Error::Usage(
            "merge needs the partial result folders of every shard".into(),
        ));
    };

    // Every part must come from the same run.
    let same_run = |m: &PartialManifest| {
        [
            ("scenario sha256", m.scenario_sha256.clone()),
            ("seed", m.seed.to_string()),
            ("trajectory count", m.trajectories.to_string()),
            ("shard count", m.shards.to_string()),
            ("engine version", m.engine_version.clone()),
        ]
    };
    for (dir, (m, _, _)) in rest {
        for ((what, want), (_, got)) in same_run(first).into_iter().zip(same_run(m)) {
            if want != got {
                return Err(Error::Usage(format!(
                    "{} is not part of the same run as {}: {what} {got} vs {want}",
                    dir.display(),
                    first_dir.display()
                )));
            }
        }
    }
    if first.engine_version != crate::ENGINE_VERSION {
        return Err(Error::Usage(format!(
            "{}: made by entente {}, this is {}; merge with the version that ran the shards",
            first_dir.display(),
            first.engine_version,
            crate::ENGINE_VERSION
        )));
    }

    // Every shard exactly once, each with the chunks its number says.
    let chunks = chunk_count(first.trajectories);
    let mut by_index: BTreeMap<u64, &PathBuf> = BTreeMap::new();
    for (dir, (m, _, aggregates)) in &loaded {
        if m.shard == 0 || m.shard > m.shards {
            return Err(Error::Usage(format!(
                "{}: shard {}/{} is not a valid shard",
                dir.display(),
                m.shard,
                m.shards
            )));
        }
        let shard = Shard {
            index: m.shard,
            count: m.shards,
        };
        let range = shard.chunks(chunks);
        let expected =
            (range.end * CHUNK).min(m.trajectories) - (range.start * CHUNK).min(m.trajectories);
        if (m.chunks.0, m.chunks.1) != (range.start, range.end)
            || aggregates.trajectories != expected
        {
            return Err(Error::Usage(format!(
                "{}: shard {shard} does not hold the trajectories its number says (damaged or edited?)",
                dir.display()
            )));
        }
        if let Some(other) = by_index.insert(m.shard, dir) {
            return Err(Error::Usage(format!(
                "shard {shard} is given twice: {} and {}",
                other.display(),
                dir.display()
            )));
        }
    }
    let missing: Vec<String> = (1..=first.shards)
        .filter(|i| !by_index.contains_key(i))
        .map(|i| format!("{i}/{}", first.shards))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "shard(s) {} missing: a merge needs all {} shards of the run (given: {})",
            missing.join(", "),
            first.shards,
            by_index
                .keys()
                .map(|i| format!("{i}/{}", first.shards))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }

    let scenario_path = PathBuf::from(&first.scenario_file);
    if hex(&Sha256::digest(bytes)) != first.scenario_sha256 {
        return Err(Error::Usage(format!(
            "{}: scenario.ron does not match the sha256 in manifest.json (damaged or edited?)",
            first_dir.display()
        )));
    }
    let scenario = scenario_from(&scenario_path, bytes)?;
    let mut aggregates = crate::engine::Aggregates::new(&scenario.world);
    for (_, (_, _, part)) in &loaded {
        aggregates.merge(part);
    }

    let out = out.map_or_else(
        || Path::new("outputs").join(sanitize_name(&stem(&scenario_path))),
        Path::to_path_buf,
    );
    output::check_target(&out)?;
    let manifest = Manifest::new(&scenario, first.seed, first.trajectories);
    let summary = RunSummary::new(manifest, &scenario.world, &aggregates);
    output::export(&out, &summary, &output::run_exporters())?;
    if verbose {
        println!(
            "{}: {} shards merged, {} trajectories; results in {}",
            scenario.world.name,
            first.shards,
            first.trajectories,
            out.display()
        );
    }
    Ok(())
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
