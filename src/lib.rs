//! entente: Monte Carlo scenarios of alliances between states.
//!
//! Data flows one way, and the modules follow it:
//! file -> [`scenario`] (parse, check, compile) -> [`model`] (one trajectory) ->
//! [`engine`] (many trajectories, seeded streams, streaming aggregates) -> [`analysis`]
//! (probabilities, intervals, quantiles) -> [`output`] (files).

pub mod analysis;
pub mod cli;
pub mod command_word;
pub mod commands;
pub mod engine;
pub mod error;
pub mod flag_elsewhere;
pub mod format;
pub mod model;
pub mod options;
pub mod output;
pub mod progress;
pub mod scenario;
pub mod shards;
pub mod terminal;

pub use error::Error;

/// The engine's version, part of every result's manifest: a run is fixed by the scenario's
/// bytes, the seed, the trajectory count and this.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Which build of the engine this is (a hash of its sources, `build.rs`): shards are merged
/// only by the build that ran them, since an unreleased change keeps the version.
pub const ENGINE_BUILD: &str = env!("ENTENTE_BUILD");
