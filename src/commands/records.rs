//! `--records` (run, compare, score): the run streams each world's per-trajectory rows into
//! `records.parquet` inside the staging folder as it works, so the file appears with the
//! rest of the result or not at all (Ctrl-C, a refusal, a full disk leave nothing). Without
//! `--records` a command writes exactly what it wrote before, the same way.

use std::path::{Path, PathBuf};

use crate::engine::records::{InOrder, Layout, Records, RowSink};
use crate::engine::{Plan, CHUNK};
use crate::error::Error;
use crate::model::World;
use crate::output::records_parquet::{RecordsFile, RECORDS};
use crate::output::records_read::read_rows;
use crate::output::{self, Exporter};
use crate::scenario::path_shown;
use crate::scenario::spelling::printable;
use crate::shards::partial::Part;

/// Runs `work` and writes its result with `exporters` into `out`. With `records`, `work`
/// gets one sink per world of `worlds` (the records of world i go to `folders[i]`, relative
/// to the results folder); without, it gets none.
pub(super) fn run_and_export<R>(
    out: &Path,
    records: Option<(&[&World], &[PathBuf])>,
    plan: &Plan,
    exporters: &[Box<dyn Exporter<R>>],
    work: impl FnOnce(&[&dyn Records]) -> Result<R, Error>,
) -> Result<R, Error> {
    let Some((worlds, folders)) = records else {
        let result = work(&[])?;
        output::export(out, &result, exporters)?;
        return Ok(result);
    };
    output::fill_atomically(out, |dir| {
        let failed = |source| Error::Output {
            path: out.to_path_buf(),
            source,
        };
        let mut files = Vec::new();
        for (world, folder) in worlds.iter().zip(folders) {
            let folder = dir.join(folder);
            output::create_result_dir(&folder).map_err(failed)?;
            let file =
                RecordsFile::create(&folder.join(RECORDS), &Layout::new(world)).map_err(failed)?;
            files.push(InOrder::new(first_trajectory(plan), file));
        }
        let sinks: Vec<&dyn Records> = files.iter().map(|f| f as &dyn Records).collect();
        let result = work(&sinks)?;
        for file in files {
            file.finish()
                .and_then(RecordsFile::finish)
                .map_err(failed)?;
        }
        output::write_all(dir, &result, exporters).map_err(failed)?;
        Ok(result)
    })
}

/// The first trajectory a plan runs (a shard's first).
pub(super) fn first_trajectory(plan: &Plan) -> u64 {
    (plan.chunks.start * CHUNK).min(plan.trajectories)
}

/// Whether the shards of a merge carry records: all of them or none, else the merge is
/// refused before any work (a merged file missing a shard's rows would look complete).
pub(super) fn shards_have_records<'p>(
    mut parts: impl Iterator<Item = &'p Part>,
) -> Result<bool, Error> {
    let Some(first) = parts.next() else {
        return Ok(false);
    };
    let want = first.has_records();
    match parts.find(|p| p.has_records() != want) {
        None => Ok(want),
        Some(odd) => {
            let (with, without) = if want { (first, odd) } else { (odd, first) };
            Err(Error::Refused(format!(
                "{} holds records.parquet but {} does not: run shard {}/{} again with \
                 --records, or merge without records by running every shard without it",
                path_shown(&with.dir),
                path_shown(&without.dir),
                without.manifest.shard,
                without.manifest.shards
            )))
        }
    }
}

/// Joins the shards' records, in shard order, into `path`: row groups are cut as one run
/// cuts them, so the file is the bytes one run writes. One row group is held at a time.
pub(super) fn join<'p>(
    parts: impl Iterator<Item = &'p Part>,
    world: &World,
    path: &Path,
) -> Result<(), Error> {
    let failed = |source| Error::Output {
        path: path.to_path_buf(),
        source,
    };
    let layout = Layout::new(world);
    let mut file = RecordsFile::create(path, &layout).map_err(failed)?;
    for part in parts {
        let m = &part.manifest;
        let at = |chunk: u64| chunk.saturating_mul(CHUNK).min(m.trajectories);
        let (first, end) = (at(m.chunks.0), at(m.chunks.1));
        part.records()
            .and_then(|records| {
                read_rows(records, &layout, first, end - first, |rows| {
                    file.write(rows)
                })
                .map_err(|why| format!("{RECORDS} {why}"))
            })
            .map_err(|why| {
                // The part's own checks already end with the advice.
                let why = printable(&why, 1_000);
                let advice = if why.ends_with("run this shard again") {
                    ""
                } else {
                    "; run this shard again"
                };
                Error::Refused(format!("{}: {why}{advice}", path_shown(&part.dir)))
            })?;
    }
    file.finish().map_err(failed)
}
