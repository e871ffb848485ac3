//! A shard's part read back: the manifest verified before anything else, every other file
//! read once, capped, and used only if it matches its checksum.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use flate2::read::ZlibDecoder;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::layout::{decode, most_bytes};
use super::{
    base_file, checksum_of, PartialManifest, StoredManifest, AGGREGATES, FORMAT, MANIFEST,
    MAX_MANIFEST_BYTES, SCENARIO,
};
use crate::engine::Aggregates;
use crate::model::World;
use crate::output::records_parquet::RECORDS;
use crate::scenario::{limits, sha256_hex};

/// A partial result whose manifest has been read and verified; its other files are read
/// on demand.
#[derive(Debug)]
pub struct Part {
    pub dir: PathBuf,
    pub manifest: PartialManifest,
    files: BTreeMap<String, String>,
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
    pub(super) fn aggregates_from(
        &self,
        file: impl Read,
        world: &World,
    ) -> Result<Aggregates, String> {
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
pub(super) struct Hashed<R> {
    input: R,
    hash: Sha256,
    size: u64,
}

impl<R: Read> Hashed<R> {
    pub(super) fn new(input: R) -> Self {
        Hashed {
            input,
            hash: Sha256::new(),
            size: 0,
        }
    }

    /// The sha256 of the bytes read so far, as `sha256_hex` spells it.
    pub(super) fn hex(self) -> String {
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
pub(super) fn open_regular(dir: &Path, name: &str) -> Result<fs::File, String> {
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
