//! The partial result of one shard (`simulate FILE --shard I/N`): what `simulate merge`
//! needs to write the folder a single run would have written.
//!
//! A partial folder holds three files:
//! - `manifest.json`: which run this is a part of (scenario name, file and sha256, seed,
//!   trajectory count, engine version) and which part (shard I of N, its chunk range);
//! - `scenario.ron`: the scenario file's exact bytes, so a merge needs nothing else and
//!   cannot pick up a file edited since;
//! - `aggregates.json`: the shard's aggregates. Integers are written as they are; the two
//!   float fields (per-cell minimum and maximum) are written as their IEEE-754 bit patterns,
//!   because a decimal round trip through JSON is not guaranteed to give the same bits and
//!   infinities have no JSON form.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::engine::Aggregates;

/// Identifies the layout of a partial folder; a merge refuses any other.
pub const FORMAT: &str = "entente-partial/1";

/// Which run a partial result belongs to, and which part of it it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialManifest {
    pub format: String,
    pub scenario: String,
    /// The scenario file's path as given on the command line (default output folder name).
    pub scenario_file: String,
    pub scenario_sha256: String,
    pub seed: u64,
    pub trajectories: u64,
    /// This shard's number, 1-based, and the number of shards.
    pub shard: u64,
    pub shards: u64,
    /// The chunks (of `engine::CHUNK` trajectories) this shard ran: `[start, end)`.
    pub chunks: (u64, u64),
    pub engine_version: String,
}

/// `Aggregates` as stored: the same fields, floats as bit patterns.
#[derive(Serialize, Deserialize)]
struct Stored {
    trajectories: u64,
    points: usize,
    metrics: usize,
    histogram: Vec<u64>,
    sum: Vec<i128>,
    low_bits: Vec<u64>,
    high_bits: Vec<u64>,
    outcome_count: Vec<u64>,
    first_held: Vec<u64>,
    first_fired: Vec<u64>,
    firings: Vec<u64>,
    final_stance: Vec<i128>,
    final_share: Vec<i128>,
    blocs: Vec<u64>,
}

fn bits(xs: &[f64]) -> Vec<u64> {
    xs.iter().map(|x| x.to_bits()).collect()
}

fn floats(xs: &[u64]) -> Vec<f64> {
    xs.iter().map(|&x| f64::from_bits(x)).collect()
}

impl Stored {
    fn of(a: &Aggregates) -> Stored {
        // Exhaustive on purpose: a field added to `Aggregates` must be added here too, or
        // merged shards would silently lose it.
        let Aggregates {
            trajectories,
            points,
            metrics,
            histogram,
            sum,
            low,
            high,
            outcome_count,
            first_held,
            first_fired,
            firings,
            final_stance,
            final_share,
            blocs,
        } = a;
        Stored {
            trajectories: *trajectories,
            points: *points,
            metrics: *metrics,
            histogram: histogram.clone(),
            sum: sum.clone(),
            low_bits: bits(low),
            high_bits: bits(high),
            outcome_count: outcome_count.clone(),
            first_held: first_held.clone(),
            first_fired: first_fired.clone(),
            firings: firings.clone(),
            final_stance: final_stance.clone(),
            final_share: final_share.clone(),
            blocs: blocs.clone(),
        }
    }

    fn into_aggregates(self) -> Aggregates {
        Aggregates {
            trajectories: self.trajectories,
            points: self.points,
            metrics: self.metrics,
            histogram: self.histogram,
            sum: self.sum,
            low: floats(&self.low_bits),
            high: floats(&self.high_bits),
            outcome_count: self.outcome_count,
            first_held: self.first_held,
            first_fired: self.first_fired,
            firings: self.firings,
            final_stance: self.final_stance,
            final_share: self.final_share,
            blocs: self.blocs,
        }
    }
}

/// Writes a partial result into `dir` (an empty staging folder).
pub fn write(
    dir: &Path,
    manifest: &PartialManifest,
    scenario: &[u8],
    aggregates: &Aggregates,
) -> io::Result<()> {
    let mut out = BufWriter::new(fs::File::create(dir.join("manifest.json"))?);
    serde_json::to_writer_pretty(&mut out, manifest)?;
    out.write_all(b"\n")?;
    out.flush()?;
    fs::write(dir.join("scenario.ron"), scenario)?;
    let mut out = BufWriter::new(fs::File::create(dir.join("aggregates.json"))?);
    serde_json::to_writer(&mut out, &Stored::of(aggregates))?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Reads the partial result in `dir`; the error says, in words, what is wrong with it.
pub fn read(dir: &Path) -> Result<(PartialManifest, Vec<u8>, Aggregates), String> {
    let file = |name: &str| {
        fs::read(dir.join(name)).map_err(|e| {
            format!("not a partial result of `simulate --shard` (cannot read {name}: {e})")
        })
    };
    let manifest: PartialManifest = serde_json::from_slice(&file("manifest.json")?)
        .map_err(|e| format!("manifest.json is not a partial result's manifest: {e}"))?;
    if manifest.format != FORMAT {
        return Err(format!(
            "partial result format \"{}\", this engine reads \"{FORMAT}\"",
            manifest.format
        ));
    }
    let scenario = file("scenario.ron")?;
    let stored: Stored = serde_json::from_slice(&file("aggregates.json")?)
        .map_err(|e| format!("aggregates.json is damaged: {e}"))?;
    Ok((manifest, scenario, stored.into_aggregates()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregates_survive_the_round_trip_bit_for_bit() {
        let a = Aggregates {
            trajectories: 3,
            points: 1,
            metrics: 1,
            histogram: vec![1, 2],
            sum: vec![i128::MAX / 3, -5],
            low: vec![0.1 + 0.2, f64::INFINITY],
            high: vec![-1e-300, f64::NEG_INFINITY],
            outcome_count: vec![2],
            first_held: vec![0, 1],
            first_fired: vec![],
            firings: vec![],
            final_stance: vec![1 << 100],
            final_share: vec![-(1 << 90)],
            blocs: vec![3],
        };
        let dir = tempfile::tempdir().unwrap();
        let manifest = PartialManifest {
            format: FORMAT.into(),
            scenario: "s".into(),
            scenario_file: "s.ron".into(),
            scenario_sha256: "00".into(),
            seed: 1,
            trajectories: 3,
            shard: 1,
            shards: 1,
            chunks: (0, 1),
            engine_version: "0".into(),
        };
        write(dir.path(), &manifest, b"Scenario()", &a).unwrap();
        let (m, bytes, b) = read(dir.path()).unwrap();
        assert_eq!(m, manifest);
        assert_eq!(bytes, b"Scenario()");
        assert_eq!(bits(&a.low), bits(&b.low));
        assert_eq!(bits(&a.high), bits(&b.high));
        assert_eq!(
            (a.sum, a.final_stance, a.final_share),
            (b.sum, b.final_stance, b.final_share)
        );
        assert_eq!(
            (a.histogram, a.blocs, a.trajectories),
            (b.histogram, b.blocs, b.trajectories)
        );
    }
}
