//! `simulate merge DIR...`: combines the N partial results that `simulate FILE --shard I/N`
//! writes (`shard.rs`) into exactly the folder one run would have written (README, "Reproducibility").
//!
//! A shard is a contiguous range of trajectory chunks; aggregates are integers (and min/max),
//! so merging is exact and the order of the parts does not matter. The merged folder goes
//! through the same `output::run_exporters()` as a plain run, so every file a run writes
//! (plots, report, ...) comes out of a merge too. Scheduling the shards is left to existing
//! tools (a Slurm job array, a Kubernetes indexed Job, GNU parallel): see docs/cluster.md.
//!
//! The parts are found, checked and added up by `crate::shards`; the merge's memory is
//! estimated and checked against the host's limits like any command's.

use std::path::{Component, Path, PathBuf};

use crate::analysis::{Manifest, RunSummary};
use crate::engine::estimate;
use crate::error::Error;
use crate::options::PartSources;
use crate::output;
use crate::output::records_parquet::RECORDS;
use crate::scenario::path_shown;
use crate::shards::partial::Part;
use crate::shards::{every_shard_once, merged, stored_scenario, PartFolders};

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
        return Err(Error::Refused(format!(
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
    use crate::options::Shard;

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
