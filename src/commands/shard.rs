//! `simulate FILE --shard I/N`: one part of a run, written as a partial result that
//! `simulate merge` combines with the others (see `merge.rs` for why merging is exact).

use std::path::{Path, PathBuf};

use super::stem;
use crate::engine::{self, chunk_count, Aggregates, CHUNK};
use crate::error::Error;
use crate::options::{RunOptions, Shard};
use crate::output::{self, Exporter};
use crate::scenario;
use crate::shards::partial::{self, PartialManifest, StoredBase, FORMAT};

/// `simulate FILE --shard I/N`: runs the shard's chunks and writes its partial result.
pub fn run_shard(path: &Path, options: &RunOptions, shard: Shard) -> Result<(), Error> {
    let name = super::default_folder::shard(&stem(path), shard.index, shard.count);
    let out = super::output_folder(options.out.as_deref(), &name);
    output::check_target(&out)?;
    let scenario = scenario::load(path)?;
    let mut plan = super::plan(&scenario.world, options)?;
    let chunks = chunk_count(plan.trajectories);
    if shard.count > chunks {
        return Err(Error::Refused(format!(
            "--shard {shard}: {} trajectories make only {chunks} chunk(s) of {CHUNK}; use at most {chunks} shard(s) or more trajectories",
            plan.trajectories
        )));
    }
    plan.chunks = shard.chunks(chunks);

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
    // The bytes that were hashed and run, not the file as it may be by now.
    let files = partial::PartialFiles {
        manifest,
        scenario: scenario.bytes.clone(),
        bases: scenario.bases.iter().map(|b| b.bytes.clone()).collect(),
    };
    let exporters: Vec<Box<dyn Exporter<Aggregates>>> = vec![Box::new(files)];
    // A shard's records lie beside its partial result, listed in its manifest.
    let world = &scenario.world;
    let (worlds, here) = ([world], [PathBuf::new()]);
    let records = options.records.then_some((&worlds[..], &here[..]));
    super::records::run_and_export(&out, records, &plan, &exporters, |sinks| {
        super::with_progress(&plan, options, &world.name, |control| {
            engine::run_recorded(world, &plan, control, sinks.first().copied())
        })
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
