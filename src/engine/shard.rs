//! A shard of a run (`--shard I/N`): the I-th of N contiguous, equal ranges of the run's
//! chunks, so that N machines each run one and `simulate merge` adds them up.

use crate::scenario::spelling::quoted_name;

/// `--shard I/N`: the I-th (1-based) of N contiguous, equal ranges of trajectory chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Parses `I/N` with 1 <= I <= N: clap's value parser of `--shard`, so a bad value is
    /// refused with clap's usage error (exit 2), which shows the value escaped and cut
    /// (`cli::escaped`); what is wrong with it is said here, the user's parts quoted.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = |why: &str| format!("{why}; expected I/N with 1 <= I <= N, e.g. --shard 2/8");
        let (i, n) = text.split_once('/').ok_or_else(|| bad("no `/`"))?;
        let index: u64 = i
            .trim()
            .parse()
            .map_err(|_| bad(&format!("I {} is not a whole number", quoted_name(i))))?;
        let count: u64 = n
            .trim()
            .parse()
            .map_err(|_| bad(&format!("N {} is not a whole number", quoted_name(n))))?;
        if count == 0 || index == 0 || index > count {
            return Err(bad("I must be between 1 and N"));
        }
        Ok(Shard { index, count })
    }

    /// The chunks of this shard among `chunks` in all: chunk boundaries at `c * chunks / N`,
    /// so the N ranges are contiguous, cover every chunk once and differ in size by at most one.
    pub fn chunks(&self, chunks: u64) -> std::ops::Range<u64> {
        let at = |i: u64| (u128::from(i) * u128::from(chunks) / u128::from(self.count)) as u64;
        at(self.index - 1)..at(self.index)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}
