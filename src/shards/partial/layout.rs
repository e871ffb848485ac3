//! The layout of `aggregates.bin`: a shard's aggregates as little-endian numbers
//! (docs/cluster.md), deflated; and the most bytes a part of a world may take.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};

use crate::engine::levels::Levels;
use crate::engine::Aggregates;
use crate::model::blocs::{Sides, SIDE_WORDS};
use crate::model::World;

/// The first bytes of the decompressed aggregates: what they are and the layout's version.
pub(super) const MAGIC: &[u8; 8] = b"ENTAGG08";

/// Deflate level of `aggregates.bin`. Level 1 is within a few per cent of the default
/// level's size at a fraction of its time (README, "Shards": sizes and times measured).
pub(super) const LEVEL: u32 = 1;

/// Writes `a` in the layout of `aggregates.bin` (docs/cluster.md), before compression:
/// little-endian throughout, every array preceded by its length (u64), counts as u64, sums
/// as i128, the per-cell minimum and maximum as their IEEE-754 bits (a decimal round trip
/// is not guaranteed to give the same bits, and infinities have no decimal form).
pub(super) fn encode(a: &Aggregates, out: &mut impl Write) -> io::Result<()> {
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
        at_low,
        at_high,
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
    counts(out, at_low)?;
    counts(out, at_high)?;
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
pub(super) fn decode(
    input: impl Read,
    world: &World,
    most_blocs: u64,
) -> Result<Aggregates, String> {
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
    let at_low = d.array("at_low", want["at_low"], Decoder::u64)?;
    let at_high = d.array("at_high", want["at_high"], Decoder::u64)?;
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
        at_low,
        at_high,
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
pub(super) fn most_bytes(world: &World, most_blocs: u64) -> u64 {
    let values: usize = Aggregates::lengths_for(world).iter().map(|(_, n)| n).sum();
    let raw = (values as u64)
        .saturating_mul(16)
        .saturating_add(most_blocs.saturating_mul(8 * (SIDE_WORDS as u64 + 1)))
        .saturating_add(256);
    raw.saturating_add(raw / 1024).saturating_add(1024)
}
