//! The state of one trajectory.

use super::background::Clock;
use super::window::Windows;
use super::{Params, World};

/// Everything that changes along one trajectory. Allocated once per worker and reset for
/// each trajectory, so a run allocates nothing per trajectory or per step.
#[derive(Debug, Clone)]
pub struct State {
    pub n: usize,
    pub k: usize,
    /// `S[i*n + j]`, in [-1, 1]; the diagonal stays 0.
    pub stance: Vec<f64>,
    /// `A[i*n + j]`, baseline affinities (events may change them).
    pub affinity: Vec<f64>,
    /// `W[(k*n + i)*n + j]`, in [0, 1], each row totalling at most 1.
    pub share: Vec<f64>,
    /// `Wbar`, the structural anchor of each share.
    pub anchor: Vec<f64>,
    pub params: Params,
    /// How many times each event has fired.
    pub fired: Vec<u32>,
    /// `c[i]`, the states' weights (constant; bloc conditions need them).
    pub weight: Vec<f64>,
    /// The recent values of the averaged metrics (empty when the world averages none).
    pub windows: Windows,
    /// When the background's processes fire next (unused without a background).
    pub clock: Clock,
}

impl State {
    pub fn new(world: &World) -> Self {
        let (n, k) = (world.n(), world.k());
        State {
            n,
            k,
            stance: world.stance.clone(),
            affinity: world.affinity.clone(),
            share: world.share.clone(),
            anchor: world.share.clone(),
            params: Params::new(n, k, world.events.len()),
            fired: vec![0; world.events.len()],
            weight: world.weight.clone(),
            windows: Windows::new(&world.averages),
            clock: Clock::new(n),
        }
    }

    /// Puts the world back to its initial state (parameters are set by the caller).
    pub fn reset(&mut self, world: &World) {
        self.stance.copy_from_slice(&world.stance);
        self.affinity.copy_from_slice(&world.affinity);
        self.share.copy_from_slice(&world.share);
        self.anchor.copy_from_slice(&world.share);
        self.fired.fill(0);
        self.windows.clear();
        self.clock.reset();
    }
}
