//! One trajectory: its state, its step, its events and the numbers read off it.
//!
//! The model knows nothing of files, threads or random number generators: it reads a
//! compiled `World`, changes a `State`, and asks a `Randomness` for the draws it needs.

pub mod background;
pub mod blocs;
pub mod calendar;
pub mod choice;
mod definition;
pub mod direction;
mod event;
pub mod factor_groups;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod hazard;
mod inputs;
pub mod lag;
pub mod lanes;
pub mod level;
pub mod math;
mod metric;
pub mod others;
mod params;
mod rest;
pub mod shift;
mod state;
pub mod step;
pub mod watch;
pub mod window;
mod world;

pub use background::{Background, BackgroundParam, Process};
pub use choice::Choice;
pub use definition::Definition;
pub use direction::Direction;
pub use event::{Change, Condition, Effect, Event, Timing, AFFINITY_LIMIT};
pub use hazard::Case;
pub use inputs::{round_step, step_range, Target, AMOUNT_LIMIT, WEIGHT_RANGE};
pub use lag::{Lag, Pending};
pub use metric::Metric;
pub use others::{Others, OTHERS};
pub use params::{Draws, ParamSlot, ParamTarget, Params, Sampler};
pub use rest::{rest_reads, settle_trajectory, Rest, Unsettled};
pub use state::State;
pub use step::{step, step_block, step_block_watched};
pub use watch::Watch;
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
    /// A uniform draw in [0, 1) from the stream `event:<name>:direction` of event `e`, which
    /// picks its set of effects (`model::direction`). Only a world with such an event asks;
    /// randomness made for other worlds gets the middle of [0, 1).
    fn direction_uniform(&mut self, _e: usize) -> f64 {
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
    /// Two exponential draws of mean 1 from one of the background's streams: an event's
    /// size and the wait for the next; the engine makes both from one 64-bit draw
    /// (`Stream::exponential_pair`).
    fn background_exponential_pair(&mut self, process: Process) -> (f64, f64) {
        (
            self.background_exponential(process),
            self.background_exponential(process),
        )
    }
}
