//! `simulate FILE --shard I/N`: one part of a run, written as a partial result that
//! `simulate merge` combines with the others (see `merge.rs` for why merging is exact).

use std::path::Path;

use super::stem;
use crate::engine::{chunk_count, CHUNK};
use crate::error::Error;
use crate::options::{RunOptions, Shard};
use crate::output::partial::{self, PartialManifest, StoredBase, FORMAT};
use crate::output::{self, write_atomically};
use crate::scenario;

/// `simulate FILE --shard I/N`: runs the shard's chunks and writes its partial result.
pub fn run_shard(path: &Path, options: &RunOptions, shard: Shard) -> Result<(), Error> {
    let name = super::default_folder::shard(&stem(path), shard.index, shard.count);
    let out = super::output_folder(options.out.as_deref(), &name);
    output::check_target(&out)?;
    let scenario = scenario::load(path)?;
    let mut plan = super::plan(&scenario.world, options)?;
    let chunks = chunk_count(plan.trajectories);
    if shard.count > chunks {
        return Err(Error::Usage(format!(
            "--shard {shard}: {} trajectories make only {chunks} chunk(s) of {CHUNK}; use at most {chunks} shard(s) or more trajectories",
            plan.trajectories
        )));
    }
    plan.chunks = shard.chunks(chunks);

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
        engine_build: crate::ENGINE_BUILD.to_string(),
        bases: scenario
            .bases
            .iter()
            .map(|b| StoredBase {
                path: b.rel.clone(),
                sha256: b.sha256.clone(),
            })
            .collect(),
    };
    let bases: Vec<&[u8]> = scenario.bases.iter().map(|b| b.bytes.as_slice()).collect();
    // The bytes that were hashed and run, not the file as it may be by now.
    write_atomically(&out, |dir| {
        partial::write(dir, &manifest, &scenario.bytes, &bases, &aggregates)
    })?;
    if options.verbose {
        crate::say!(
            "{}: shard {shard}, {} of {} trajectories; partial result in {}",
            scenario.world.name,
            plan.len(),
            plan.trajectories,
            crate::scenario::path_shown(&out)
        )?;
    }
    Ok(())
}
