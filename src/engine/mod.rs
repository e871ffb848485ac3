//! Many trajectories: seeds and streams, the parallel Monte Carlo loop, and the streaming
//! aggregates it folds them into.

pub mod aggregate;
pub mod drift;
pub mod effects;
pub mod estimate;
pub mod firings;
pub mod forces;
pub mod host;
pub mod levels;
mod paired;
pub mod records;
mod run;
mod shard;
pub mod streams;
mod unsettled;

pub use aggregate::Aggregates;
pub use paired::{run_joint, run_joint_recorded, run_paired, Joint, PairCounts, Paired, Pairing};
pub use run::{
    check_rest, check_rest_across, chunk_count, in_pool, rows_scaled_back, run, run_explained,
    run_recorded, start_of, threads, Control, Plan, Stopped, UnsettledRun, CHUNK,
};
pub use shard::Shard;
