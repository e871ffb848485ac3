//! Shards and merge (README, "Shards"): the bytes of one run from its shards, the lists
//! `merge` reads, and damaged or edited parts refused. A new test about `--shard` or
//! `simulate merge` goes here (its peak memory goes in `tests/peak_memory_merge.rs`).

#[path = "../common/mod.rs"]
mod common;

mod damaged_parts;
mod merge_from;
mod records;
mod split_and_merge;
