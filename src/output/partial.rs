//! The partial result of one shard (`simulate FILE --shard I/N`): what `simulate merge`
//! needs to write the folder a single run would have written.
//!
//! A partial folder holds three files:
//! - `manifest.json`: which run this is a part of (scenario name, file and sha256, seed,
//!   trajectory count, engine version), which part (shard I of N, its chunk range), the
//!   sha256 of the two other files, and a checksum of the manifest itself (the sha256 of its
//!   compact JSON, keys sorted, with `checksum` empty), so a flipped byte anywhere is found;
//! - `scenario.ron`: the scenario file's exact bytes, so a merge needs nothing else and
//!   cannot pick up a file edited since; for a variant, `base-1.ron`, `base-2.ron`, ... hold
//!   the files of its chain in order (the manifest lists their paths and sha256), so that
//!   the merge resolves the variant from them, never from the disk;
//! - `aggregates.json`: the shard's aggregates. Integers are written as they are; the two
//!   float fields (per-cell minimum and maximum) are written as their IEEE-754 bit patterns,
//!   because a decimal round trip through JSON is not guaranteed to give the same bits and
//!   infinities have no JSON form.
//!
//! Reading is in steps, so that a merge can check every part's (small) manifest before it
//! reads any part's aggregates, and hold one part's aggregates at a time. Every file is read
//! with a size cap and its checksum verified before it is parsed; what the numbers in it
//! must satisfy is `Aggregates::check_against`.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::engine::Aggregates;
use crate::model::blocs::{Sides, SIDE_WORDS};
use crate::model::World;
use crate::scenario::{limits, sha256_hex};

/// Identifies the layout of a partial folder; a merge refuses any other.
/// Version 4 added the per-state bloc standings (issue 11, item 6); version 5 the files of
/// a variant's chain (issue 12, item 1).
pub const FORMAT: &str = "entente-partial/5";

const MANIFEST: &str = "manifest.json";
const SCENARIO: &str = "scenario.ron";
const AGGREGATES: &str = "aggregates.json";

/// A manifest is a few hundred bytes; anything much larger is not one.
const MAX_MANIFEST_BYTES: u64 = 1 << 16;

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
    /// For a variant, the files of its chain past the scenario file, in order, each stored
    /// as `base-<n>.ron` (n from 1); empty for a full scenario.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bases: Vec<StoredBase>,
}

/// One base of a variant, as a partial result keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredBase {
    /// Its path relative to the scenario file's folder (`scenario::ChainFile::rel`).
    pub path: String,
    pub sha256: String,
}

/// The name of the `n`-th (1-based) base's copy in a partial folder.
fn base_file(n: usize) -> String {
    format!("base-{n}.ron")
}

/// `manifest.json` as stored: the manifest, the sha256 of the other files by name, and the
/// manifest's own checksum.
#[derive(Serialize, Deserialize)]
struct StoredManifest {
    #[serde(flatten)]
    manifest: PartialManifest,
    files: BTreeMap<String, String>,
    checksum: String,
}

/// A manifest's own checksum: the sha256 of its compact JSON with the checksum left empty,
/// taken through `serde_json::Value` so that neither whitespace nor key order matters.
fn checksum_of(mut manifest: serde_json::Value) -> String {
    if let Some(fields) = manifest.as_object_mut() {
        fields.insert("checksum".into(), "".into());
    }
    sha256_hex(&serde_json::to_vec(&manifest).unwrap_or_default())
}

/// A partial result whose manifest has been read and verified; its other files are read
/// on demand.
#[derive(Debug)]
pub struct Part {
    pub dir: PathBuf,
    pub manifest: PartialManifest,
    files: BTreeMap<String, String>,
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
    /// `[configuration, count]` in configuration order, the configuration as its words
    /// (`model::blocs::Sides`, least significant first).
    blocs: Vec<([u64; SIDE_WORDS], u64)>,
    /// Per state, trajectories in the first bloc, in the other, between
    /// (`Aggregates::standing`).
    standing: Vec<u64>,
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
            standing,
            // The threshold comes from the scenario each part carries, not from the part.
            between: _,
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
            blocs: blocs.iter().map(|(s, &c)| (s.words(), c)).collect(),
            standing: standing.clone(),
        }
    }

    /// Refuses bloc counts out of configuration order: a configuration listed twice would
    /// otherwise lose one of its counts without a word.
    /// `between` is the world's threshold (`World::between`).
    fn into_aggregates(self, between: f64) -> Result<Aggregates, String> {
        let sides: Vec<Sides> = self
            .blocs
            .iter()
            .map(|&(w, _)| Sides::from_words(w))
            .collect();
        if sides.windows(2).any(|pair| pair[0] >= pair[1]) {
            return Err(format!(
                "{AGGREGATES} lists bloc configurations out of order or twice; run this shard again"
            ));
        }
        Ok(Aggregates {
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
            blocs: sides
                .into_iter()
                .zip(self.blocs.iter().map(|&(_, c)| c))
                .collect(),
            standing: self.standing,
            between,
        })
    }
}

/// Writes a partial result into `dir` (an empty staging folder).
/// `bases` are the bytes of a variant's chain, in the order of `manifest.bases`.
pub fn write(
    dir: &Path,
    manifest: &PartialManifest,
    scenario: &[u8],
    bases: &[&[u8]],
    aggregates: &Aggregates,
) -> io::Result<()> {
    let mut aggregates = serde_json::to_vec(&Stored::of(aggregates))?;
    aggregates.push(b'\n');
    fs::write(dir.join(SCENARIO), scenario)?;
    fs::write(dir.join(AGGREGATES), &aggregates)?;
    let mut files = BTreeMap::from([
        (SCENARIO.to_string(), sha256_hex(scenario)),
        (AGGREGATES.to_string(), sha256_hex(&aggregates)),
    ]);
    for (n, bytes) in bases.iter().enumerate() {
        fs::write(dir.join(base_file(n + 1)), bytes)?;
        files.insert(base_file(n + 1), sha256_hex(bytes));
    }
    let mut stored = StoredManifest {
        manifest: manifest.clone(),
        files,
        checksum: String::new(),
    };
    stored.checksum = checksum_of(serde_json::to_value(&stored)?);
    let mut out = BufWriter::new(fs::File::create(dir.join(MANIFEST))?);
    serde_json::to_writer_pretty(&mut out, &stored)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Reads and verifies the manifest of the partial result in `dir`; the error says, in
/// words, what is wrong with it (the caller adds the folder).
pub fn read_manifest(dir: &Path) -> Result<Part, String> {
    let bytes = read_file(dir, MANIFEST, MAX_MANIFEST_BYTES)
        .map_err(|why| format!("not a partial result of `simulate --shard` ({why})"))?;
    // The format first, so that a folder of another version gets a message saying so.
    #[derive(Deserialize)]
    struct Format {
        format: String,
    }
    let format = serde_json::from_slice::<Format>(&bytes)
        .map_err(|e| format!("{MANIFEST} is not a partial result's manifest: {e}"))?
        .format;
    if format != FORMAT {
        return Err(format!(
            "{MANIFEST}: partial result format \"{format}\", this engine reads \"{FORMAT}\"; run the shard again with this version"
        ));
    }
    let stored: StoredManifest = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{MANIFEST} is damaged: {e}; run this shard again"))?;
    let fields = serde_json::from_slice(&bytes).unwrap_or_default();
    if stored.checksum != checksum_of(fields) {
        return Err(damaged(MANIFEST));
    }
    if stored.manifest.bases.len() >= crate::scenario::variant::MAX_CHAIN {
        return Err(format!(
            "{MANIFEST} lists {} bases, more than a chain may have (damaged or edited?); run this shard again",
            stored.manifest.bases.len()
        ));
    }
    let mut expected: Vec<String> = (1..=stored.manifest.bases.len()).map(base_file).collect();
    expected.extend([AGGREGATES.to_string(), SCENARIO.to_string()]);
    expected.sort();
    if stored.files.keys().ne(expected.iter()) {
        return Err(format!(
            "{MANIFEST} does not list the checksums of {} (and no other file); run this shard again",
            expected.join(", ")
        ));
    }
    Ok(Part {
        dir: dir.to_path_buf(),
        manifest: stored.manifest,
        files: stored.files,
    })
}

impl Part {
    /// The scenario's bytes, verified against both checksums in the manifest.
    pub fn scenario(&self) -> Result<Vec<u8>, String> {
        let bytes = self.verified(SCENARIO, limits::MAX_FILE_BYTES)?;
        if sha256_hex(&bytes) != self.manifest.scenario_sha256 {
            return Err(damaged(SCENARIO));
        }
        Ok(bytes)
    }

    /// The bases of a variant as `(path, bytes)`, each verified against both checksums in
    /// the manifest (none for a full scenario).
    pub fn bases(&self) -> Result<Vec<(String, Vec<u8>)>, String> {
        let mut bases = Vec::new();
        for (n, base) in self.manifest.bases.iter().enumerate() {
            let name = base_file(n + 1);
            let bytes = self.verified(&name, limits::MAX_FILE_BYTES)?;
            if sha256_hex(&bytes) != base.sha256 {
                return Err(damaged(&name));
            }
            bases.push((base.path.clone(), bytes));
        }
        Ok(bases)
    }

    /// The shard's aggregates, verified against the manifest's checksum and parsed; never
    /// more bytes than aggregates of `world` can take. Their numbers are not checked here:
    /// see `Aggregates::check_against`.
    pub fn aggregates(&self, world: &World) -> Result<Aggregates, String> {
        // At most 40 characters and a comma per number, and a little for the field names. A
        // bloc configuration (five numbers) is listed once at most per trajectory of the
        // shard's chunks.
        let chunks = self
            .manifest
            .chunks
            .1
            .saturating_sub(self.manifest.chunks.0);
        let configurations = chunks.saturating_mul(crate::engine::CHUNK);
        let values: usize = Aggregates::lengths_for(world).iter().map(|(_, n)| n).sum();
        let values = (values as u64).saturating_add(configurations.saturating_mul(5));
        let max = values.saturating_mul(41).saturating_add(4096);
        let bytes = self.verified(AGGREGATES, max)?;
        let stored: Stored = serde_json::from_slice(&bytes)
            .map_err(|e| format!("{AGGREGATES} is damaged: {e}; run this shard again"))?;
        stored.into_aggregates(world.between)
    }

    fn verified(&self, name: &str, max: u64) -> Result<Vec<u8>, String> {
        let bytes = read_file(&self.dir, name, max)?;
        if self.files.get(name) != Some(&sha256_hex(&bytes)) {
            return Err(damaged(name));
        }
        Ok(bytes)
    }
}

fn damaged(name: &str) -> String {
    format!("{name} does not match its checksum in {MANIFEST} (damaged or edited?); run this shard again")
}

/// Reads `dir/name`, refusing one larger than `max` bytes without reading more than that,
/// and anything but a regular file: opening a FIFO waits for a writer forever, and opening a
/// device may do something. The type is checked before opening (`stat` follows a symlink
/// but opens nothing). A file swapped for a FIFO between the check and the open would still
/// make the merge wait; only a deliberate race can do that.
fn read_file(dir: &Path, name: &str, max: u64) -> Result<Vec<u8>, String> {
    let cannot = |e: io::Error| format!("cannot read {name}: {e}");
    let path = dir.join(name);
    if !fs::metadata(&path).map_err(cannot)?.is_file() {
        return Err(format!(
            "{name} is not a regular file (a pipe, device or folder?); run this shard again"
        ));
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .map_err(cannot)?
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "{name} is larger than a partial result of this scenario can be ({max} bytes); run this shard again"
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> PartialManifest {
        PartialManifest {
            format: FORMAT.into(),
            scenario: "s".into(),
            scenario_file: "s.ron".into(),
            scenario_sha256: sha256_hex(b"Scenario()"),
            seed: 1,
            trajectories: 3,
            shard: 1,
            shards: 1,
            chunks: (0, 1),
            engine_version: "0".into(),
            bases: Vec::new(),
        }
    }

    #[test]
    fn aggregates_survive_the_round_trip_bit_for_bit() {
        let world = crate::model::fixtures::world(2, 1);
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
            blocs: BTreeMap::from([
                (Sides::from_words([0b10, 0, 0, 0]), 1),
                (Sides::from_words([0, 0, 0, 1 << 7]), 2),
            ]),
            standing: vec![1, 0, 2, 3, 0, 0],
            between: world.between,
        };
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &manifest(), b"Scenario()", &[], &a).unwrap();
        let part = read_manifest(dir.path()).unwrap();
        assert_eq!(part.manifest, manifest());
        assert_eq!(part.scenario().unwrap(), b"Scenario()");
        let b = part.aggregates(&world).unwrap();
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
        assert_eq!((a.standing, a.between), (b.standing, b.between));
    }

    /// Defect (issue 11, item 6): with sparse bloc counts, a configuration listed twice in
    /// a part would have been folded into one map entry, losing a count silently. Now a
    /// part must list its configurations once each, in order.
    #[test]
    fn bloc_configurations_listed_twice_or_out_of_order_are_refused() {
        let world = crate::model::fixtures::world(3, 1);
        let mut a = Aggregates::new(&world);
        a.blocs = BTreeMap::from([
            (Sides::from_words([0b010, 0, 0, 0]), 1),
            (Sides::from_words([0b100, 0, 0, 0]), 2),
        ]);
        type Pairs = Vec<([u64; SIDE_WORDS], u64)>;
        let stored = |edit: fn(&mut Pairs)| {
            let mut s = Stored::of(&a);
            edit(&mut s.blocs);
            s.into_aggregates(world.between)
        };
        assert_eq!(stored(|_| {}).unwrap(), a);
        let reversed: fn(&mut Pairs) = |b| b.reverse();
        let twice: fn(&mut Pairs) = |b| b[1].0 = b[0].0;
        for edit in [reversed, twice] {
            let why = stored(edit).unwrap_err();
            assert!(why.contains("bloc configurations"), "{why}");
        }
    }

    /// Defect: the manifest had no checksum, so an edit that left it valid JSON (a changed
    /// name, a shard number) went unnoticed. Now any changed byte is refused, naming the file.
    #[test]
    fn an_edited_manifest_is_refused_by_its_checksum() {
        let dir = tempfile::tempdir().unwrap();
        let world = crate::model::fixtures::world(2, 1);
        write(
            dir.path(),
            &manifest(),
            b"Scenario()",
            &[],
            &Aggregates::new(&world),
        )
        .unwrap();
        let path = dir.path().join(MANIFEST);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace("\"s.ron\"", "\"t.ron\"")).unwrap();
        let why = read_manifest(dir.path()).unwrap_err();
        assert!(why.contains(MANIFEST) && why.contains("checksum"), "{why}");
    }

    /// A variant's partial keeps every file of its chain, each checked against both its
    /// checksums, so a merge resolves the variant from what the shard ran.
    #[test]
    fn a_variants_bases_survive_the_round_trip_and_a_changed_base_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let world = crate::model::fixtures::world(2, 1);
        let mut m = manifest();
        m.bases = vec![StoredBase {
            path: "sub/base.ron".into(),
            sha256: sha256_hex(b"Scenario(base)"),
        }];
        let bases: [&[u8]; 1] = [b"Scenario(base)"];
        write(
            dir.path(),
            &m,
            b"Scenario()",
            &bases,
            &Aggregates::new(&world),
        )
        .unwrap();
        let part = read_manifest(dir.path()).unwrap();
        assert_eq!(part.manifest, m);
        assert_eq!(
            part.bases().unwrap(),
            vec![("sub/base.ron".to_string(), b"Scenario(base)".to_vec())]
        );
        fs::write(dir.path().join("base-1.ron"), b"Scenario(edited)").unwrap();
        let why = part.bases().unwrap_err();
        assert!(
            why.contains("base-1.ron") && why.contains("checksum"),
            "{why}"
        );
        fs::remove_file(dir.path().join("base-1.ron")).unwrap();
        assert!(part.bases().unwrap_err().contains("base-1.ron"));
    }
}
