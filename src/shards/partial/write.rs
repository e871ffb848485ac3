//! A shard's part written: its files, each noted in the journal before it is made, and the
//! manifest that lists their checksums, written last.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use flate2::write::ZlibEncoder;
use flate2::Compression;

use super::layout::{encode, LEVEL};
use super::read::{open_regular, Hashed};
use super::{
    base_file, checksum_of, PartialManifest, StoredManifest, AGGREGATES, MANIFEST, SCENARIO,
};
use crate::engine::Aggregates;
use crate::output::records_parquet::RECORDS;
use crate::output::{journal, Exporter};
use crate::scenario::sha256_hex;

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
