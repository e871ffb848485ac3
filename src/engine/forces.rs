//! The forces on each tracked stance and partnership (`simulate explain`): the mean over
//! trajectories, at every step, of each term of the argument of its target,
//! `A + Σ_k D_k − λL + γB`, with the affinity split into where it came from: its value at
//! the start, the accumulated changes of each listed event that changes affinities, and the
//! background's jumps.
//!
//! Only a run that asks collects them (`engine::run_explained`): the worker then carries a
//! `ForceProbe`, which watches each step (`model::Watch`). Sums are integers in the fixed
//! point of the other aggregates (`aggregate::fixed`), so merging is exact and the result
//! is the same bytes for any thread count.

use super::aggregate::{fixed, FIXED_POINT};
use super::firings::Firings;
use crate::model::lanes::{Lanes, Terms, BLOCK};
use crate::model::{Effect, Metric, State, Watch, World};

/// What the forces are collected for: the tracked stances and partnerships, the stance
/// entries they read, and the names of the terms.
#[derive(Debug, Clone, PartialEq)]
pub struct ForceLayout {
    /// Each metric with forces: its index in `World::metrics` and its stance entries
    /// (one for a stance; (i, j) and (j, i) for a partnership, whose forces are the mean of
    /// its two stances').
    pub metrics: Vec<(usize, Vec<usize>)>,
    /// The distinct stance entries of every metric, ascending.
    pub entries: Vec<usize>,
    /// The events that change an affinity (`Effect::Affinity`), in file order.
    pub events: Vec<usize>,
    pub background: bool,
    pub states: usize,
    pub channels: usize,
    /// The names of the terms, in the order of `Forces::sums`.
    pub terms: Vec<String>,
}

/// The name of the term that is the argument itself (the terms before it add up to it).
pub const ARGUMENT: &str = "argument";

impl ForceLayout {
    pub fn new(world: &World) -> Self {
        let n = world.n();
        let metrics: Vec<(usize, Vec<usize>)> = world
            .metrics
            .iter()
            .enumerate()
            .filter_map(|(m, metric)| match *metric {
                Metric::Stance(i, j) => Some((m, vec![i * n + j])),
                Metric::Partnership(i, j) => Some((m, vec![i * n + j, j * n + i])),
                _ => None,
            })
            .collect();
        let mut entries: Vec<usize> = metrics.iter().flat_map(|(_, e)| e.clone()).collect();
        entries.sort_unstable();
        entries.dedup();
        let events: Vec<usize> = world
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.effects
                    .iter()
                    .any(|x| matches!(x, Effect::Affinity { .. }))
            })
            .map(|(e, _)| e)
            .collect();
        let background = world.background.is_some();
        let mut terms = vec!["affinity".to_string()];
        terms.extend(world.channels.iter().map(|c| format!("dependency:{c}")));
        terms.push("leverage".into());
        terms.push("balance".into());
        terms.extend(
            events
                .iter()
                .map(|&e| format!("event:{}", world.events[e].name)),
        );
        if background {
            terms.push("background".into());
        }
        terms.push(ARGUMENT.into());
        ForceLayout {
            metrics,
            entries,
            events,
            background,
            states: n,
            channels: world.k(),
            terms,
        }
    }

    /// Where an affinity's changes are kept: one slot per listed event, then the background.
    fn sources(&self) -> usize {
        self.events.len() + usize::from(self.background)
    }
}

/// The sums behind the mean forces: `sums[(metric * terms + term) * steps + (t − 1)]` for
/// steps t = 1..=T (the step whose target it is), in units of 2^-40.
#[derive(Debug, Clone, PartialEq)]
pub struct Forces {
    pub layout: ForceLayout,
    pub steps: usize,
    pub trajectories: u64,
    pub sums: Vec<i128>,
}

impl Forces {
    pub fn new(world: &World) -> Self {
        let layout = ForceLayout::new(world);
        let steps = world.steps as usize;
        let cells = layout.metrics.len() * layout.terms.len() * steps;
        Forces {
            layout,
            steps,
            trajectories: 0,
            sums: vec![0; cells],
        }
    }

    pub fn merge(&mut self, other: &Forces) {
        assert_eq!(self.layout, other.layout, "forces of different worlds");
        self.trajectories += other.trajectories;
        for (x, y) in self.sums.iter_mut().zip(&other.sums) {
            *x += y;
        }
    }

    /// The mean of term `term` of metric `m` (its position in `layout.metrics`) at step t.
    pub fn mean(&self, m: usize, term: usize, t: usize) -> f64 {
        let cell = (m * self.layout.terms.len() + term) * self.steps + (t - 1);
        self.sums[cell] as f64 / FIXED_POINT / self.trajectories.max(1) as f64
    }
}

/// One worker's watch of its block: for each lane, where the affinities of the tracked
/// entries came from, and the sums it adds the block's forces to.
#[derive(Debug, Clone)]
pub struct ForceProbe {
    pub forces: Forces,
    pub firings: Firings,
    /// Trajectories in the current block (lanes beyond hold stale numbers).
    active: usize,
    /// `start[l * entries + x]`: the affinity of entry x when lane l's trajectory started.
    start: Vec<f64>,
    /// `moved[(l * entries + x) * sources + s]`: the change source s has made to it since.
    moved: Vec<f64>,
    /// The tracked affinities before the change being watched.
    before: Vec<f64>,
    terms: Vec<Terms>,
}

impl ForceProbe {
    pub fn new(world: &World) -> Self {
        let forces = Forces::new(world);
        let entries = forces.layout.entries.len();
        let sources = forces.layout.sources();
        ForceProbe {
            firings: Firings::new(world),
            active: 0,
            start: vec![0.0; BLOCK * entries],
            moved: vec![0.0; BLOCK * entries * sources],
            before: vec![0.0; entries],
            terms: vec![Terms::new(world.k()); forces.layout.entries.len()],
            forces,
        }
    }

    /// Starts lane `l` with the trajectory's state at the start (parameters drawn, rest
    /// solved), before step 1.
    pub fn start(&mut self, l: usize, state: &State, active: usize) {
        self.active = active;
        let layout = &self.forces.layout;
        let (entries, sources) = (layout.entries.len(), layout.sources());
        for (x, &ij) in layout.entries.iter().enumerate() {
            self.start[l * entries + x] = state.affinity[ij];
        }
        self.moved[l * entries * sources..(l + 1) * entries * sources].fill(0.0);
        self.firings.start(l);
    }

    /// Ends lane `l`'s trajectory: whether each outcome held.
    pub fn finish(&mut self, l: usize, held: &[bool]) {
        self.forces.trajectories += 1;
        self.firings.finish(l, held);
    }

    /// Adds what the change just watched did to each tracked affinity of lane `l` to
    /// source `s`.
    fn moved_by(&mut self, l: usize, s: usize, state: &State) {
        let layout = &self.forces.layout;
        let (entries, sources) = (layout.entries.len(), layout.sources());
        for (x, &ij) in layout.entries.iter().enumerate() {
            let change = state.affinity[ij] - self.before[x];
            if change != 0.0 {
                self.moved[(l * entries + x) * sources + s] += change;
            }
        }
    }

    /// Adds lane `l`'s terms at step t to the sums.
    fn add(&mut self, l: usize, t: usize) {
        let layout = &self.forces.layout;
        let (entries, sources) = (layout.entries.len(), layout.sources());
        let terms = layout.terms.len();
        let steps = self.forces.steps;
        for (m, (_, of)) in layout.metrics.iter().enumerate() {
            let weight = 1.0 / of.len() as f64;
            let mut add = |term: usize, value: f64| {
                self.forces.sums[(m * terms + term) * steps + (t - 1)] += fixed(weight * value);
            };
            for &ij in of {
                let x = layout.entries.binary_search(&ij).unwrap_or(0);
                let found = &self.terms[x];
                let moved = &self.moved[(l * entries + x) * sources..][..sources];
                // The affinity the lane holds is its start plus every source's changes.
                add(0, self.start[l * entries + x]);
                for (c, &d) in found.dependency.iter().enumerate() {
                    add(1 + c, d);
                }
                let after = 1 + layout.channels;
                add(after, found.leverage);
                add(after + 1, found.balance);
                for (s, &change) in moved.iter().enumerate() {
                    add(after + 2 + s, change);
                }
                add(terms - 1, found.argument);
            }
        }
    }
}

impl Watch<BLOCK> for ForceProbe {
    fn before_change(&mut self, _l: usize, state: &State) {
        for (b, &ij) in self.before.iter_mut().zip(&self.forces.layout.entries) {
            *b = state.affinity[ij];
        }
    }

    fn after_event(&mut self, l: usize, e: usize, t: u32, state: &State) {
        self.firings.fired(l, e, t);
        if let Ok(s) = self.forces.layout.events.binary_search(&e) {
            self.moved_by(l, s, state);
        }
    }

    fn after_landing(&mut self, l: usize, e: usize, state: &State) {
        if let Ok(s) = self.forces.layout.events.binary_search(&e) {
            self.moved_by(l, s, state);
        }
    }

    fn after_background(&mut self, l: usize, state: &State) {
        let s = self.forces.layout.events.len();
        self.moved_by(l, s, state);
    }

    fn before_move(&mut self, t: u32, kernel: &Lanes<BLOCK>) {
        let n = self.forces.layout.states;
        for l in 0..self.active {
            for (x, &ij) in self.forces.layout.entries.iter().enumerate() {
                kernel.terms(l, ij / n, ij % n, &mut self.terms[x]);
            }
            self.add(l, t as usize);
        }
    }
}
