//! One trajectory: its state, its step, its events and the numbers read off it.
//!
//! The model knows nothing of files, threads or random number generators: it reads a
//! compiled `World`, changes a `State`, and asks a `Randomness` for the draws it needs.

pub mod background;
pub mod blocs;
mod definition;
mod event;
#[cfg(test)]
pub(crate) mod fixtures;
mod inputs;
pub mod lanes;
pub mod math;
mod metric;
mod params;
mod rest;
mod state;
pub mod step;
pub mod window;
mod world;

pub use background::{Background, BackgroundParam, Process};
pub use definition::Definition;
pub use event::{Change, Condition, Effect, Event, Timing, AFFINITY_LIMIT};
pub use inputs::{round_step, step_range, Target, WEIGHT_RANGE};
pub use metric::Metric;
pub use params::{Draws, ParamSlot, ParamTarget, Params, Sampler};
pub use rest::{settle_trajectory, Rest, Unsettled};
pub use state::State;
pub use step::{step, step_block};
pub use window::Average;
pub use world::{Outcome, OutcomeKind, World};

/// The random draws one step needs, each from its own stream.
pub trait Randomness {
    /// A standard normal draw from the `noise` stream.
    fn standard_normal(&mut self) -> f64;
    /// A uniform draw in [0, 1) from the stream of event `e`.
    fn event_uniform(&mut self, e: usize) -> f64;
    /// A uniform draw in [0, 1) from one of the background's streams (`model::background`).
    /// Only a world with a background asks; randomness made for worlds without one (tests,
    /// benchmarks of the reference form) need not give it, and gets the middle of [0, 1).
    fn background_uniform(&mut self, _process: Process) -> f64 {
        0.5
    }
    /// Two uniform draws in [0, 1) from one of the background's streams, for choices; the
    /// engine makes both from one 64-bit draw (`Stream::uniform_pair`).
    fn background_pair(&mut self, process: Process) -> (f64, f64) {
        (
            self.background_uniform(process),
            self.background_uniform(process),
        )
    }
    /// An exponential draw of mean 1 from one of the background's streams; the engine uses
    /// a ziggurat (`Stream::exponential`), this default the inverse of the CDF.
    fn background_exponential(&mut self, process: Process) -> f64 {
        -libm::log(1.0 - self.background_uniform(process))
    }
}
