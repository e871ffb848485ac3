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
//! - `aggregates.bin`: the shard's aggregates in a fixed little-endian layout (`encode`,
//!   documented in docs/cluster.md), compressed as a zlib stream: a histogram is mostly
//!   zeros, which JSON spelled as two bytes each and the layout as eight, and deflate folds
//!   away. Integers are written as they are; the two float fields (per-cell minimum and
//!   maximum) as their IEEE-754 bit patterns, so every bit survives.
//!
//! Reading is in steps, so that a merge can check every part's (small) manifest before it
//! reads any part's aggregates, and hold one part's aggregates at a time. Every file is read
//! once, with a size cap, and nothing read from it is used unless its checksum matches: the
//! small files are verified before they are parsed, `aggregates.bin` is hashed as it is
//! decoded (so the checksum covers the very bytes decoded). What the numbers in it must
//! satisfy is `Aggregates::check_against`.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use flate2::Compression;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::folder::journal;
use super::records_parquet::RECORDS;
use super::Exporter;
use crate::engine::levels::Levels;
use crate::engine::Aggregates;
use crate::model::blocs::{Sides, SIDE_WORDS};
use crate::model::World;
use crate::scenario::{limits, sha256_hex};

/// Identifies the layout of a partial folder; a merge refuses any other.
/// Version 4 added the per-state bloc standings (issue 11, item 6); version 5 the files of
/// a variant's chain (issue 12, item 1); version 6 the compressed binary aggregates
/// (issue 13, item 4); version 7 the level outcomes' counts behind the exceedance curves
/// (issue 22, item 5).
pub const FORMAT: &str = "entente-partial/7";

const MANIFEST: &str = "manifest.json";
const SCENARIO: &str = "scenario.ron";
const AGGREGATES: &str = "aggregates.bin";

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
    /// The build that ran the shard (`crate::ENGINE_BUILD`).
    pub engine_build: String,
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

/// The first bytes of the decompressed aggregates: what they are and the layout's version.
const MAGIC: &[u8; 8] = b"ENTAGG07";

/// Deflate level of `aggregates.bin`. Level 1 is within a few per cent of the default
/// level's size at a fraction of its time (README, "Shards": sizes and times measured).
const LEVEL: u32 = 1;

/// Writes `a` in the layout of `aggregates.bin` (docs/cluster.md), before compression:
/// little-endian throughout, every array preceded by its length (u64), counts as u64, sums
/// as i128, the per-cell minimum and maximum as their IEEE-754 bits (a decimal round trip
/// is not guaranteed to give the same bits, and infinities have no decimal form).
fn encode(a: &Aggregates, out: &mut impl Write) -> io::Result<()> {
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
        levels,
        // The threshold comes from the scenario each part carries, not from the part.
        between: _,
    } = a;
    let counts = |out: &mut dyn Write, xs: &[u64]| -> io::Result<()> {
        out.write_all(&(xs.len() as u64).to_le_bytes())?;
        xs.iter().try_for_each(|x| out.write_all(&x.to_le_bytes()))
    };
    let sums = |out: &mut dyn Write, xs: &[i128]| -> io::Result<()> {
        out.write_all(&(xs.len() as u64).to_le_bytes())?;
        xs.iter().try_for_each(|x| out.write_all(&x.to_le_bytes()))
    };
    let bits = |xs: &[f64]| xs.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
    out.write_all(MAGIC)?;
    for x in [*trajectories, *points as u64, *metrics as u64] {
        out.write_all(&x.to_le_bytes())?;
    }
    counts(out, histogram)?;
    sums(out, sum)?;
    counts(out, &bits(low))?;
    counts(out, &bits(high))?;
    counts(out, outcome_count)?;
    counts(out, first_held)?;
    counts(out, first_fired)?;
    counts(out, firings)?;
    sums(out, final_stance)?;
    sums(out, final_share)?;
    out.write_all(&(blocs.len() as u64).to_le_bytes())?;
    for (sides, count) in blocs {
        for word in sides.words().iter().chain([count]) {
            out.write_all(&word.to_le_bytes())?;
        }
    }
    counts(out, standing)?;
    counts(out, &levels.counts())
}

/// Reads the layout `encode` writes, from the decompressed stream. Every length is checked
/// against what the scenario needs (`want`) or allows before anything is allocated for it,
/// so a damaged length cannot make a merge allocate more than a real part would take.
struct Decoder<R> {
    input: R,
}

impl<R: Read> Decoder<R> {
    fn bytes<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut buf = [0; N];
        self.input
            .read_exact(&mut buf)
            .map_err(|e| match e.kind() {
                io::ErrorKind::UnexpectedEof => "ends before its last value".to_string(),
                _ => format!("cannot be decompressed ({e})"),
            })?;
        Ok(buf)
    }

    fn u64(&mut self) -> Result<u64, String> {
        self.bytes().map(u64::from_le_bytes)
    }

    fn i128(&mut self) -> Result<i128, String> {
        self.bytes().map(i128::from_le_bytes)
    }

    /// An array of `want` values, refused if its stored length says otherwise.
    fn array<T>(
        &mut self,
        field: &str,
        want: usize,
        value: fn(&mut Self) -> Result<T, String>,
    ) -> Result<Vec<T>, String> {
        let got = self.u64()?;
        if got != want as u64 {
            return Err(format!(
                "`{field}` has {got} values, the scenario needs {want}"
            ));
        }
        // Allocated once at its known size: collected from fallible values, a `Vec` grows
        // by doubling, and a 320 MB histogram took a 512 MB allocation after a 256 MB one.
        let mut values = Vec::with_capacity(want);
        for _ in 0..want {
            values.push(value(self)?);
        }
        Ok(values)
    }

    /// Refuses anything past the last value.
    fn end(mut self) -> Result<(), String> {
        let mut extra = [0u8; 1];
        match self.input.read(&mut extra) {
            Ok(0) => Ok(()),
            Ok(_) => Err("has bytes past its last value".into()),
            Err(e) => Err(format!("cannot be decompressed ({e})")),
        }
    }
}

/// Decodes aggregates of `world` whose bloc counts list at most `most_blocs`
/// configurations (one per trajectory of the shard at most).
fn decode(input: impl Read, world: &World, most_blocs: u64) -> Result<Aggregates, String> {
    let mut d = Decoder { input };
    if &d.bytes::<8>()? != MAGIC {
        return Err("is not aggregates in the layout of this version".into());
    }
    let want: BTreeMap<&str, usize> = Aggregates::lengths_for(world).into_iter().collect();
    let trajectories = d.u64()?;
    let points = usize::try_from(d.u64()?).unwrap_or(usize::MAX);
    let metrics = usize::try_from(d.u64()?).unwrap_or(usize::MAX);
    let histogram = d.array("histogram", want["histogram"], Decoder::u64)?;
    let sum = d.array("sum", want["sum"], Decoder::i128)?;
    let float = |d: &mut Decoder<_>| d.u64().map(f64::from_bits);
    let low = d.array("low", want["low"], float)?;
    let high = d.array("high", want["high"], float)?;
    let outcome_count = d.array("outcome_count", want["outcome_count"], Decoder::u64)?;
    let first_held = d.array("first_held", want["first_held"], Decoder::u64)?;
    let first_fired = d.array("first_fired", want["first_fired"], Decoder::u64)?;
    let firings = d.array("firings", want["firings"], Decoder::u64)?;
    let final_stance = d.array("final_stance", want["final_stance"], Decoder::i128)?;
    let final_share = d.array("final_share", want["final_share"], Decoder::i128)?;
    let configurations = d.u64()?;
    if configurations > most_blocs {
        return Err(format!(
            "`blocs` lists {configurations} configurations, more than the shard's trajectories and the world's states allow ({most_blocs})"
        ));
    }
    let mut blocs = BTreeMap::new();
    let mut previous: Option<Sides> = None;
    for _ in 0..configurations {
        let mut words = [0u64; SIDE_WORDS];
        for word in &mut words {
            *word = d.u64()?;
        }
        let sides = Sides::from_words(words);
        // In order, once each: a configuration listed twice would otherwise lose one of
        // its counts without a word.
        if previous.is_some_and(|p| p >= sides) {
            return Err("lists bloc configurations out of order or twice".into());
        }
        previous = Some(sides);
        blocs.insert(sides, d.u64()?);
    }
    let standing = d.array("standing", want["standing"], Decoder::u64)?;
    let mut levels = Levels::new(world);
    levels.set_counts(&d.array("levels", want["levels"], Decoder::u64)?);
    d.end()?;
    Ok(Aggregates {
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
        levels,
        between: world.between,
    })
}

/// The most bytes `aggregates.bin` of `world` can take with at most `most_blocs` bloc
/// configurations, compressed or not: 16 bytes a value at most, and what deflate adds to
/// data it cannot compress (5 bytes a 64 KB block, and a header).
fn most_bytes(world: &World, most_blocs: u64) -> u64 {
    let values: usize = Aggregates::lengths_for(world).iter().map(|(_, n)| n).sum();
    let raw = (values as u64)
        .saturating_mul(16)
        .saturating_add(most_blocs.saturating_mul(8 * (SIDE_WORDS as u64 + 1)))
        .saturating_add(256);
    raw.saturating_add(raw / 1024).saturating_add(1024)
}

/// A shard's partial result as an exporter of its aggregates, so that a shard is written like
/// any result (`commands::records`: its records stream into the folder first).
pub struct PartialFiles {
    pub manifest: PartialManifest,
    pub scenario: Vec<u8>,
    pub bases: Vec<Vec<u8>>,
}

impl Exporter<Aggregates> for PartialFiles {
    fn write(&self, aggregates: &Aggregates, dir: &Path) -> io::Result<()> {
        let bases: Vec<&[u8]> = self.bases.iter().map(Vec::as_slice).collect();
        write(dir, &self.manifest, &self.scenario, &bases, aggregates)
    }
}

/// Writes a partial result into `dir` (a staging folder, empty but for the shard's
/// records).
/// `bases` are the bytes of a variant's chain, in the order of `manifest.bases`.
pub fn write(
    dir: &Path,
    manifest: &PartialManifest,
    scenario: &[u8],
    bases: &[&[u8]],
    aggregates: &Aggregates,
) -> io::Result<()> {
    let mut deflate = ZlibEncoder::new(Vec::new(), Compression::new(LEVEL));
    {
        // Buffered: `encode` writes eight or sixteen bytes at a time.
        let mut raw = BufWriter::with_capacity(1 << 16, &mut deflate);
        encode(aggregates, &mut raw)?;
        raw.flush()?;
    }
    let aggregates = deflate.finish()?;
    journal::write(&dir.join(SCENARIO), scenario)?;
    journal::write(&dir.join(AGGREGATES), &aggregates)?;
    let mut files = BTreeMap::from([
        (SCENARIO.to_string(), sha256_hex(scenario)),
        (AGGREGATES.to_string(), sha256_hex(&aggregates)),
    ]);
    for (n, bytes) in bases.iter().enumerate() {
        journal::write(&dir.join(base_file(n + 1)), bytes)?;
        files.insert(base_file(n + 1), sha256_hex(bytes));
    }
    // The shard's records (`--records`), written into the folder as it ran.
    if let Ok(file) = open_regular(dir, RECORDS) {
        let mut hashed = Hashed::new(file);
        io::copy(&mut hashed, &mut io::sink())?;
        files.insert(RECORDS.to_string(), hashed.hex());
    }
    let mut stored = StoredManifest {
        manifest: manifest.clone(),
        files,
        checksum: String::new(),
    };
    stored.checksum = checksum_of(serde_json::to_value(&stored)?);
    let mut out = BufWriter::new(journal::create(&dir.join(MANIFEST))?);
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
    if stored.files.contains_key(RECORDS) {
        expected.push(RECORDS.to_string());
    }
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
        let file = open_regular(&self.dir, AGGREGATES)?;
        self.aggregates_from(file, world)
    }

    /// The most bloc configurations this part's aggregates of `world` can list.
    fn most_blocs(&self, world: &World) -> u64 {
        // A bloc configuration is listed once at most per trajectory of the shard's chunks,
        // and a world of n states has 2^(n-1) of them (state 0 is always on the first
        // side): the cap must not grow with what the part claims alone.
        let chunks = self
            .manifest
            .chunks
            .1
            .saturating_sub(self.manifest.chunks.0);
        let splits = u32::try_from(world.n().saturating_sub(1))
            .ok()
            .and_then(|bits| 1u64.checked_shl(bits))
            .unwrap_or(u64::MAX);
        chunks.saturating_mul(crate::engine::CHUNK).min(splits)
    }

    /// `aggregates` from the open `aggregates.bin`, read once: the bytes decoded are the
    /// bytes hashed (`Hashed`), so the checksum guards what is merged even if the file is
    /// rewritten while it is read. Reading it twice (hash, rewind, decode) merged a part
    /// rewritten between the two reads with counts no checksum covered.
    fn aggregates_from(&self, file: impl Read, world: &World) -> Result<Aggregates, String> {
        let most_blocs = self.most_blocs(world);
        let max = most_bytes(world, most_blocs);
        // One byte past the cap is enough to know the file is too large.
        let mut hashed = Hashed::new(file.take(max + 1));
        let decoded = {
            let compressed = io::BufReader::with_capacity(1 << 16, &mut hashed);
            let raw = io::BufReader::with_capacity(1 << 16, ZlibDecoder::new(compressed));
            decode(raw, world, most_blocs)
        };
        // The bytes past the end of the compressed stream, or past where a damaged one
        // stopped decoding, count in the checksum too.
        io::copy(&mut hashed, &mut io::sink())
            .map_err(|e| format!("cannot read {AGGREGATES}: {e}"))?;
        // What is wrong with the file itself first, then with what it holds.
        if hashed.size > max {
            return Err(too_large(AGGREGATES, max));
        }
        if self.files.get(AGGREGATES) != Some(&hashed.hex()) {
            return Err(damaged(AGGREGATES));
        }
        decoded
            .map_err(|why| format!("{AGGREGATES} {why} (damaged or edited?); run this shard again"))
    }

    /// Whether the shard was run with `--records`.
    pub fn has_records(&self) -> bool {
        self.files.contains_key(RECORDS)
    }

    /// The shard's `records.parquet`, open at its start once its bytes have been checked
    /// against the manifest (read twice: once hashed, once decoded; a file rewritten in
    /// between is caught by the checks of what it holds, `records_read`).
    pub fn records(&self) -> Result<fs::File, String> {
        let mut file = open_regular(&self.dir, RECORDS)?;
        let mut hashed = Hashed::new(&mut file);
        io::copy(&mut hashed, &mut io::sink())
            .map_err(|e| format!("cannot read {RECORDS}: {e}"))?;
        if self.files.get(RECORDS) != Some(&hashed.hex()) {
            return Err(damaged(RECORDS));
        }
        io::Seek::rewind(&mut file).map_err(|e| format!("cannot read {RECORDS}: {e}"))?;
        Ok(file)
    }

    fn verified(&self, name: &str, max: u64) -> Result<Vec<u8>, String> {
        let bytes = read_file(&self.dir, name, max)?;
        if self.files.get(name) != Some(&sha256_hex(&bytes)) {
            return Err(damaged(name));
        }
        Ok(bytes)
    }
}

/// A reader that feeds every byte it passes on to a sha256, and counts them.
struct Hashed<R> {
    input: R,
    hash: Sha256,
    size: u64,
}

impl<R: Read> Hashed<R> {
    fn new(input: R) -> Self {
        Hashed {
            input,
            hash: Sha256::new(),
            size: 0,
        }
    }

    /// The sha256 of the bytes read so far, as `sha256_hex` spells it.
    fn hex(self) -> String {
        self.hash
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

impl<R: Read> Read for Hashed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.input.read(buf)?;
        self.hash.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
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
    let mut bytes = Vec::new();
    open_regular(dir, name)?
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > max {
        return Err(too_large(name, max));
    }
    Ok(bytes)
}

/// Opens `dir/name` if it is a regular file (see `read_file`).
fn open_regular(dir: &Path, name: &str) -> Result<fs::File, String> {
    let cannot = |e: io::Error| format!("cannot read {name}: {e}");
    let path = dir.join(name);
    if !fs::metadata(&path).map_err(cannot)?.is_file() {
        return Err(format!(
            "{name} is not a regular file (a pipe, device or folder?); run this shard again"
        ));
    }
    fs::File::open(path).map_err(cannot)
}

fn too_large(name: &str, max: u64) -> String {
    format!(
        "{name} is larger than a partial result of this scenario can be ({max} bytes); run this shard again"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Seek;

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
            engine_build: "0".into(),
            bases: Vec::new(),
        }
    }

    fn bits(xs: &[f64]) -> Vec<u64> {
        xs.iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    fn aggregates_survive_the_round_trip_bit_for_bit() {
        let mut world = crate::model::fixtures::world(2, 1);
        world.metrics = vec![crate::model::Metric::Stance(0, 1)];
        // Values at the ends of each type's range, in arrays of the world's lengths (the
        // lengths are checked when read; the numbers are `check_against`'s concern).
        let mut a = Aggregates::new(&world);
        a.trajectories = 3;
        let last = a.histogram.len() - 1;
        (a.histogram[0], a.histogram[last]) = (1, u64::MAX);
        let last = a.sum.len() - 1;
        (a.sum[0], a.sum[last]) = (i128::MAX / 3, i128::MIN);
        (a.low[0], a.low[last]) = (0.1 + 0.2, f64::INFINITY);
        (a.high[0], a.high[last]) = (-1e-300, f64::NEG_INFINITY);
        a.final_stance[0] = 1 << 100;
        a.final_share[0] = -(1 << 90);
        a.blocs = BTreeMap::from([
            (Sides::from_words([0b10, 0, 0, 0]), 1),
            (Sides::from_words([0, 0, 0, 1 << 7]), 2),
        ]);
        a.standing = vec![1, 0, 2, 3, 0, 0];
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

    /// Aggregates of `world` in the layout before compression.
    fn raw(a: &Aggregates) -> Vec<u8> {
        let mut raw = Vec::new();
        encode(a, &mut raw).unwrap();
        raw
    }

    /// Bytes after the bloc counts: the standings and the level counts, each with its length.
    fn after_blocs(a: &Aggregates) -> usize {
        8 * (1 + a.standing.len()) + 8 * (1 + a.levels.counts().len())
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
        let good = raw(&a);
        assert_eq!(decode(good.as_slice(), &world, 3).unwrap(), a);
        // The two entries (five words each) end where the standings' length begins.
        let entry = 8 * (SIDE_WORDS + 1);
        let end = good.len() - after_blocs(&a);
        let (first, second) = (end - 2 * entry, end - entry);
        let mut reversed = good.clone();
        reversed[first..end].rotate_left(entry);
        let mut twice = good.clone();
        twice.copy_within(first..first + 8 * SIDE_WORDS, second);
        for bytes in [reversed, twice] {
            let why = decode(bytes.as_slice(), &world, 3).unwrap_err();
            assert!(why.contains("bloc configurations"), "{why}");
        }
    }

    /// Issue 13, item 4: a length is checked against the scenario before anything is
    /// allocated for it, so a damaged length of 2^64 - 1 values is an error, not an attempt
    /// to allocate them; a stream cut short or with bytes past its end is refused too.
    #[test]
    fn damaged_lengths_short_streams_and_trailing_bytes_are_refused() {
        let world = crate::model::fixtures::world(2, 1);
        let a = Aggregates::new(&world);
        let good = raw(&a);
        let histogram_length = MAGIC.len() + 3 * 8;
        let mut huge = good.clone();
        huge[histogram_length..histogram_length + 8].copy_from_slice(&u64::MAX.to_le_bytes());
        let why = decode(huge.as_slice(), &world, 0).unwrap_err();
        assert!(
            why.contains("`histogram` has 18446744073709551615"),
            "{why}"
        );

        let blocs_length = good.len() - after_blocs(&a) - 8;
        let mut many = good.clone();
        many[blocs_length..blocs_length + 8].copy_from_slice(&(1u64 << 60).to_le_bytes());
        let why = decode(many.as_slice(), &world, 10).unwrap_err();
        assert!(why.contains("`blocs` lists 1152921504606846976"), "{why}");

        let why = decode(&good[..good.len() - 1], &world, 0).unwrap_err();
        assert!(why.contains("ends before"), "{why}");
        let mut longer = good.clone();
        longer.push(0);
        assert!(decode(longer.as_slice(), &world, 0)
            .unwrap_err()
            .contains("past its last value"));
        let mut other = good;
        other[..8].copy_from_slice(b"ENTAGG05");
        assert!(decode(other.as_slice(), &world, 0)
            .unwrap_err()
            .contains("layout"));
    }

    /// `aggregates.bin` as a merge reads it when the file is rewritten in place while it is
    /// read: the old bytes until the reader goes back to the start, the new ones after.
    struct Rewritten {
        old: io::Cursor<Vec<u8>>,
        new: io::Cursor<Vec<u8>>,
        rewound: bool,
    }

    impl Read for Rewritten {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match self.rewound {
                false => self.old.read(buf),
                true => self.new.read(buf),
            }
        }
    }

    impl Seek for Rewritten {
        fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
            self.rewound |= to == io::SeekFrom::Start(0);
            match self.rewound {
                false => self.old.seek(to),
                true => self.new.seek(to),
            }
        }
    }

    /// The bytes of `aggregates.bin` holding `a`.
    fn stored(a: &Aggregates) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &manifest(), b"Scenario()", &[], a).unwrap();
        fs::read(dir.path().join(AGGREGATES)).unwrap()
    }

    /// Defect (issue 19, item 2): a merge read `aggregates.bin` twice, once to hash it and
    /// again, after a rewind, to decode it, so a part rewritten between the two reads was
    /// merged with counts its checksum never covered, without a word. Now the bytes decoded
    /// are the bytes hashed, read once.
    #[test]
    fn a_part_rewritten_between_its_hash_and_its_decode_merges_only_the_hashed_bytes() {
        let mut world = crate::model::fixtures::world(2, 1);
        world.metrics = vec![crate::model::Metric::Stance(0, 1)];
        let mut hashed = Aggregates::new(&world);
        (hashed.trajectories, hashed.histogram[0]) = (3, 3);
        let mut rewritten = hashed.clone();
        (rewritten.trajectories, rewritten.histogram[0]) = (2, 2);
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &manifest(), b"Scenario()", &[], &hashed).unwrap();
        let part = read_manifest(dir.path()).unwrap();
        let file = Rewritten {
            old: io::Cursor::new(stored(&hashed)),
            new: io::Cursor::new(stored(&rewritten)),
            rewound: false,
        };
        let merged = part.aggregates_from(file, &world).unwrap();
        assert_eq!(
            (merged.trajectories, merged.histogram[0]),
            (3, 3),
            "the counts of the bytes read after the hash were merged"
        );
        assert_eq!(merged, hashed);
    }

    /// Defect: the size cap of `aggregates.bin` allowed one bloc configuration per
    /// trajectory, so a part claiming 10^9 trajectories could make a merge read (and hold)
    /// up to 40 GB before its checksum was checked: the memory of a merge was bounded by what
    /// a part claimed, not by a part. A world of n states has 2^(n-1) configurations at most,
    /// which caps a 2-state world's part at a few kilobytes whatever its trajectories; and
    /// the file is hashed as it is read, never held whole.
    #[test]
    fn an_aggregates_file_larger_than_the_worlds_splits_allow_is_refused_by_size() {
        let dir = tempfile::tempdir().unwrap();
        let world = crate::model::fixtures::world(2, 1);
        let mut m = manifest();
        (m.trajectories, m.chunks) = (1_000_000_000, (0, 3_906_250));
        write(dir.path(), &m, b"Scenario()", &[], &Aggregates::new(&world)).unwrap();
        let part = read_manifest(dir.path()).unwrap();
        let file = fs::File::options()
            .write(true)
            .open(dir.path().join(AGGREGATES))
            .unwrap();
        file.set_len(16 << 20).unwrap(); // sparse: no disk, 16 MB to read
        let why = part.aggregates(&world).unwrap_err();
        assert!(
            why.contains(AGGREGATES) && why.contains("larger than"),
            "{why}"
        );
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
