//! The state of one trajectory.

use super::background::Clock;
use super::window::Windows;
use super::{Lag, Params, Pending, Target, Timing, World};

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
    /// Each event's timing and window in this trajectory: the world's, or drawn.
    pub timing: Vec<Timing>,
    pub window: Vec<(u32, u32)>,
    /// The amount of every event's compiled effects in order (event e's start at
    /// `effects_of[e]`): the world's, or drawn.
    pub amount: Vec<f64>,
    pub effects_of: Vec<usize>,
    /// The lagged effects on their way (`model::lag`), in the order they were set off.
    pub pending: Vec<Pending>,
    /// The lag of every event's compiled effects, indexed as `amount`: the world's, or drawn.
    pub lag: Vec<Lag>,
    /// The weight of every event's sets of effects of random direction (event e's first at
    /// `directions_of[e]`): the world's, or drawn.
    pub direction_weight: Vec<f64>,
    pub directions_of: Vec<usize>,
    /// In a world at rest: the affinities as the file (or a draw) gives them, departures from
    /// rest, and the initial partnership `P0` (`model::rest`); set when the rest is solved.
    pub departure: Vec<f64>,
    pub rest_partnership: Vec<f64>,
    /// When the background's processes fire next (unused without a background).
    pub clock: Clock,
    /// Whether the world draws a number of the start that a rest is solved from (so each
    /// trajectory solves its own), and whether it draws an event's timing, window or effect
    /// amount (so events read the trajectory's): asked once, not per trajectory or step.
    pub draws_start: bool,
    pub draws_events: bool,
    /// Whether no event has a choice group, a lag, a hazard by cases or effects of random
    /// direction: the step then runs the events' plain loop (`model::step`).
    pub plain_events: bool,
    /// Whether the world names the rest of the world (`model::others`): the background's
    /// contracts then treat it as a supplier.
    pub others: bool,
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
            params: Params::new(
                n,
                k,
                world.events.len(),
                world.events.iter().map(|e| e.cases.len()).sum(),
            ),
            fired: vec![0; world.events.len()],
            weight: world.weight.clone(),
            windows: Windows::new(&world.averages),
            timing: world.events.iter().map(|e| e.timing).collect(),
            window: world.events.iter().map(|e| e.window).collect(),
            amount: amounts(world).collect(),
            effects_of: starts(world.events.iter().map(|e| e.effects.len())),
            pending: Vec::new(),
            lag: lags(world).collect(),
            direction_weight: weights(world).collect(),
            directions_of: starts(world.events.iter().map(|e| e.directions.len())),
            departure: vec![0.0; n * n],
            rest_partnership: vec![0.0; n * n],
            clock: Clock::new(n),
            draws_start: targets(world).any(|t| t.moves_rest()),
            draws_events: targets(world).any(|t| t.is_of_events()),
            plain_events: world.events.iter().all(|e| {
                e.choice.is_none()
                    && e.lags.is_empty()
                    && e.cases.is_empty()
                    && e.directions.is_empty()
            }),
            others: world.others.is_some(),
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
        self.weight.copy_from_slice(&world.weight);
        for ((timing, window), event) in self
            .timing
            .iter_mut()
            .zip(&mut self.window)
            .zip(&world.events)
        {
            *timing = event.timing;
            *window = event.window;
        }
        for (x, amount) in self.amount.iter_mut().zip(amounts(world)) {
            *x = amount;
        }
        self.clock.reset();
        self.pending.clear();
        for (x, lag) in self.lag.iter_mut().zip(lags(world)) {
            *x = lag;
        }
        for (x, weight) in self.direction_weight.iter_mut().zip(weights(world)) {
            *x = weight;
        }
    }
}

/// Every place in a trajectory that the world's slots set.
fn targets(world: &World) -> impl Iterator<Item = &Target> + '_ {
    world.params.iter().flat_map(|p| &p.targets)
}

/// The amount of every event's compiled effects, in order.
fn amounts(world: &World) -> impl Iterator<Item = f64> + '_ {
    world
        .events
        .iter()
        .flat_map(|e| e.effects.iter().map(|effect| effect.change().amount()))
}

/// The lag of every event's compiled effects, in order (none for an event without lags).
fn lags(world: &World) -> impl Iterator<Item = Lag> + '_ {
    world.events.iter().flat_map(|e| {
        (0..e.effects.len()).map(move |x| e.lags.get(x).copied().unwrap_or(Lag::NONE))
    })
}

/// The weight of every event's sets of effects of random direction, in order.
fn weights(world: &World) -> impl Iterator<Item = f64> + '_ {
    world
        .events
        .iter()
        .flat_map(|e| e.directions.iter().map(|d| d.weight))
}

/// Where each of a run of lists starts in their concatenation (every event's effects, or
/// its directions, laid end to end).
fn starts(lengths: impl Iterator<Item = usize>) -> Vec<usize> {
    lengths
        .scan(0, |start, len| {
            let this = *start;
            *start += len;
            Some(this)
        })
        .collect()
}
