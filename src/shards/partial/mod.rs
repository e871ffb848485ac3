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

//! Here the format: its files' names, the manifest and its checksum. `layout` writes and
//! reads `aggregates.bin`, `write` a part, `read` a part back, checked.

mod layout;
mod read;
mod write;

pub use read::{read_manifest, Part};
pub use write::{write, PartialFiles};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::scenario::sha256_hex;

/// Identifies the layout of a partial folder; a merge refuses any other.
/// Version 4 added the per-state bloc standings (issue 11, item 6); version 5 the files of
/// a variant's chain (issue 12, item 1); version 6 the compressed binary aggregates
/// (issue 13, item 4); version 7 the level outcomes' counts behind the exceedance curves
/// (issue 22, item 5); version 8 the values exactly at each end of a metric's range
/// (`at_low`, `at_high`), which make the quantiles there exact.
pub const FORMAT: &str = "entente-partial/8";

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

#[cfg(test)]
mod tests {
    use super::layout::{decode, encode, MAGIC};
    use super::*;
    use crate::engine::Aggregates;
    use crate::model::blocs::{Sides, SIDE_WORDS};
    use std::fs;
    use std::io::{self, Read, Seek};

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
        (a.at_low[0], a.at_high[last]) = (u64::MAX, 7);
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
        assert_eq!((a.at_low, a.at_high), (b.at_low, b.at_high));
    }

    /// A part of recorded values with some exactly at each end of the range: written, read
    /// back and checked, its counts at the ends are what was recorded, and the quantiles
    /// of the part are those of the aggregates written.
    #[test]
    fn counts_at_the_ends_of_a_range_survive_a_part_and_pass_its_checks() {
        let mut world = crate::model::fixtures::world(2, 1);
        world.metrics = vec![crate::model::Metric::Stance(0, 1)];
        let mut a = Aggregates::new(&world);
        let end = crate::model::State::new(&world);
        let values = [-1.0, -1.0, 0.25, 1.0];
        for &v in &values {
            for t in 0..a.points {
                a.record(0, t, v, (-1.0, 1.0));
            }
            a.record_trajectory(&[], &[], &end);
        }
        let dir = tempfile::tempdir().unwrap();
        let mut m = manifest();
        m.trajectories = 4;
        write(dir.path(), &m, b"Scenario()", &[], &a).unwrap();
        let b = read_manifest(dir.path())
            .unwrap()
            .aggregates(&world)
            .unwrap();
        assert_eq!(b, a);
        assert_eq!(b.atoms_of(0, 3), (2, 1));
        b.check_against(&world, 4).unwrap();
        assert_eq!(b.quantile(0, 3, 0.3, (-1.0, 1.0)), -1.0);
        assert_eq!(b.quantile(0, 3, 1.0, (-1.0, 1.0)), 1.0);
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
