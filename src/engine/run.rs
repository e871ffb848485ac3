//! The Monte Carlo loop: many seeded trajectories over Rayon, folded into aggregates.
//!
//! Trajectories are grouped in chunks of `CHUNK`, numbered from 0; chunk c holds
//! trajectories `c*CHUNK ..`. A shard runs a contiguous range of chunks. Because aggregates
//! are integers, the result does not depend on how Rayon splits the chunks among threads.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::aggregate::Aggregates;
use super::streams::{stream_id, trajectory_seed, Stream};
use crate::model::lanes::{Lanes, BLOCK};
use crate::model::{self, Metric, OutcomeKind, Randomness, State, World};

/// Trajectories per chunk: the unit of work, of progress and of sharding. Part of the
/// reproducibility contract only through shards (a shard is a range of chunks).
pub const CHUNK: u64 = 256;

/// What to run: how many trajectories, from which master seed, which chunks, on how many
/// threads.
#[derive(Debug, Clone)]
pub struct Plan {
    pub trajectories: u64,
    pub seed: u64,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// The chunks to run (all of them unless this is a shard).
    pub chunks: Range<u64>,
}

impl Plan {
    pub fn new(trajectories: u64, seed: u64, threads: Option<usize>) -> Self {
        Plan {
            trajectories,
            seed,
            threads,
            chunks: 0..chunk_count(trajectories),
        }
    }

    /// Trajectories this plan runs.
    pub fn len(&self) -> u64 {
        let start = (self.chunks.start * CHUNK).min(self.trajectories);
        let end = (self.chunks.end * CHUNK).min(self.trajectories);
        end - start
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

pub fn chunk_count(trajectories: u64) -> u64 {
    trajectories.div_ceil(CHUNK)
}

/// How a caller watches and stops a run.
pub struct Control<'a> {
    /// Called with the number of trajectories just finished.
    pub progress: &'a (dyn Fn(u64) + Sync),
    /// Set from another thread (e.g. on Ctrl-C) to stop the workers at their next step.
    pub cancel: &'a AtomicBool,
}

/// The run was stopped through `Control::cancel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the run was interrupted")]
pub struct Cancelled;

/// Runs `world` as `plan` says.
pub fn run(world: &World, plan: &Plan, control: &Control) -> Result<Aggregates, Cancelled> {
    let outcome = in_pool(plan.threads, || {
        // `par_bridge` hands chunks out one at a time to at most threads + 1 folds; an
        // indexed iterator splits into many more, and work stealing then keeps a set of
        // aggregates alive at every level of the split (measured: 24 sets on 4 threads),
        // so memory could not be bounded or estimated (`engine::estimate`).
        plan.chunks
            .clone()
            .par_bridge()
            .fold(
                || (Aggregates::new(world), Worker::new(world)),
                |(mut aggregates, mut worker), chunk| {
                    if !control.cancel.load(Ordering::Relaxed) {
                        let range = chunk_range(chunk, plan.trajectories);
                        let done = range.end - range.start;
                        for block in blocks(range) {
                            worker.simulate(
                                world,
                                plan.seed,
                                block,
                                &mut aggregates,
                                control.cancel,
                            );
                        }
                        (control.progress)(done);
                    }
                    (aggregates, worker)
                },
            )
            .map(|(aggregates, _)| aggregates)
            // Without an identity: each fold's set is moved, not merged into a new one.
            .reduce_with(merged)
            .unwrap_or_else(|| Aggregates::new(world))
    });
    finish(control, outcome)
}

/// Counts of one outcome over trajectory pairs (same r, same streams, two scenarios).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PairCounts {
    /// Held in both.
    pub both: u64,
    /// Held in A only.
    pub only_a: u64,
    /// Held in B only.
    pub only_b: u64,
    /// Held in neither.
    pub neither: u64,
}

/// The result of a paired run: each side's aggregates and, for each outcome pair asked
/// for, how the two sides agreed trajectory by trajectory.
#[derive(Debug, Clone)]
pub struct Paired {
    pub a: Aggregates,
    pub b: Aggregates,
    pub pairs: Vec<PairCounts>,
}

/// Runs `a` and `b` on the same trajectory seeds (common random numbers). `outcome_pairs`
/// lists (index in a, index in b) of the outcomes to pair.
pub fn run_paired(
    a: &World,
    b: &World,
    outcome_pairs: &[(usize, usize)],
    plan: &Plan,
    control: &Control,
) -> Result<Paired, Cancelled> {
    let empty = || Paired {
        a: Aggregates::new(a),
        b: Aggregates::new(b),
        pairs: vec![PairCounts::default(); outcome_pairs.len()],
    };
    let outcome = in_pool(plan.threads, || {
        // One fold per thread at most, as in `run`.
        plan.chunks
            .clone()
            .par_bridge()
            .fold(
                || (empty(), Worker::new(a), Worker::new(b)),
                |(mut acc, mut wa, mut wb), chunk| {
                    if !control.cancel.load(Ordering::Relaxed) {
                        let range = chunk_range(chunk, plan.trajectories);
                        let done = range.end - range.start;
                        for block in blocks(range) {
                            let active = (block.end - block.start) as usize;
                            wa.simulate(a, plan.seed, block.clone(), &mut acc.a, control.cancel);
                            wb.simulate(b, plan.seed, block, &mut acc.b, control.cancel);
                            let sides = wa.lanes[..active].iter().zip(&wb.lanes[..active]);
                            for (ta, tb) in sides {
                                let pairs = acc.pairs.iter_mut().zip(outcome_pairs);
                                for (counts, &(ia, ib)) in pairs {
                                    match (ta.held[ia], tb.held[ib]) {
                                        (true, true) => counts.both += 1,
                                        (true, false) => counts.only_a += 1,
                                        (false, true) => counts.only_b += 1,
                                        (false, false) => counts.neither += 1,
                                    }
                                }
                            }
                        }
                        (control.progress)(done);
                    }
                    (acc, wa, wb)
                },
            )
            .map(|(acc, _, _)| acc)
            .reduce_with(|mut x, y| {
                x.a.merge(&y.a);
                x.b.merge(&y.b);
                for (p, q) in x.pairs.iter_mut().zip(&y.pairs) {
                    p.both += q.both;
                    p.only_a += q.only_a;
                    p.only_b += q.only_b;
                    p.neither += q.neither;
                }
                x
            })
            .unwrap_or_else(empty)
    });
    finish(control, outcome)
}

fn merged(mut a: Aggregates, b: Aggregates) -> Aggregates {
    a.merge(&b);
    a
}

/// A chunk's trajectories in blocks of at most `BLOCK`, advanced together.
fn blocks(range: Range<u64>) -> impl Iterator<Item = Range<u64>> {
    let end = range.end;
    range
        .step_by(BLOCK)
        .map(move |start| start..(start + BLOCK as u64).min(end))
}

fn chunk_range(chunk: u64, trajectories: u64) -> Range<u64> {
    (chunk * CHUNK).min(trajectories)..((chunk + 1) * CHUNK).min(trajectories)
}

fn in_pool<T: Send>(threads: Option<usize>, work: impl FnOnce() -> T + Send) -> T {
    match threads {
        Some(n) => match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
            Ok(pool) => pool.install(work),
            // A pool that cannot start (no threads left) still gives the same numbers on the
            // global pool: only speed depends on threads.
            Err(_) => work(),
        },
        None => work(),
    }
}

fn finish<T>(control: &Control, outcome: T) -> Result<T, Cancelled> {
    if control.cancel.load(Ordering::Relaxed) {
        Err(Cancelled)
    } else {
        Ok(outcome)
    }
}

/// The random streams of the trajectory being simulated.
struct Draws {
    noise: Stream,
    events: Vec<Stream>,
}

impl Randomness for Draws {
    #[inline]
    fn standard_normal(&mut self) -> f64 {
        self.noise.standard_normal()
    }

    fn event_uniform(&mut self, e: usize) -> f64 {
        self.events[e].uniform()
    }
}

/// One trajectory of a block: its state, its streams and what has been seen of it.
struct Lane {
    state: State,
    draws: Draws,
    /// Whether each outcome held (known at the end of the trajectory).
    held: Vec<bool>,
    /// First step at which each "ever" outcome held.
    first_held: Vec<Option<usize>>,
    /// Whether each event has fired yet.
    fired_seen: Vec<bool>,
    /// Firings of all events so far (a change means an event touched the state).
    firings: u64,
}

/// One thread's reusable state: simulates block after block of trajectories without
/// allocating. Events, conditions and metrics work on each lane's `State`; the physics of
/// the step runs for the whole block at once (`model::lanes`).
struct Worker {
    kernel: Lanes<BLOCK>,
    /// Whether anything reads a trajectory's state between steps (events, "ever" outcomes,
    /// bloc metrics); if not, the state is brought up to date only at the end.
    state_each_step: bool,
    lanes: Vec<Lane>,
    noise_stream: u64,
    event_streams: Vec<u64>,
    param_streams: Vec<u64>,
}

impl Worker {
    fn new(world: &World) -> Self {
        let event_streams: Vec<u64> = world
            .events
            .iter()
            .map(|e| stream_id(&format!("event:{}", e.name)))
            .collect();
        let lane = || Lane {
            state: State::new(world),
            draws: Draws {
                noise: Stream::new(0, 0),
                events: event_streams.iter().map(|&id| Stream::new(0, id)).collect(),
            },
            held: vec![false; world.outcomes.len()],
            first_held: vec![None; world.outcomes.len()],
            fired_seen: vec![false; world.events.len()],
            firings: 0,
        };
        let state_each_step = !world.events.is_empty()
            || world.outcomes.iter().any(|o| o.kind == OutcomeKind::Ever)
            || world
                .metrics
                .iter()
                .any(|m| matches!(m, Metric::SameBloc(..)));
        Worker {
            kernel: Lanes::new(world),
            state_each_step,
            lanes: (0..BLOCK).map(|_| lane()).collect(),
            noise_stream: stream_id("noise"),
            param_streams: world
                .params
                .iter()
                .map(|p| stream_id(&format!("params:{}", p.path)))
                .collect(),
            event_streams,
        }
    }

    /// Simulates trajectories `block` (at most `BLOCK` of them) and folds them into
    /// `aggregates`. Lanes beyond the block's end keep stale, finite numbers: the kernel
    /// advances them too, and nothing reads them.
    ///
    /// Stops between steps once `cancel` is raised, leaving `aggregates` incomplete: the
    /// run then returns `Cancelled` and they are thrown away. A block of a large world can
    /// take minutes, so a check per chunk or per block is not enough to stop at once; one
    /// relaxed load per step is nothing beside the step itself.
    fn simulate(
        &mut self,
        world: &World,
        master: u64,
        block: Range<u64>,
        aggregates: &mut Aggregates,
        cancel: &AtomicBool,
    ) {
        let active = (block.end - block.start) as usize;
        for (lane, r) in self.lanes.iter_mut().zip(block) {
            let seed = trajectory_seed(master, r);
            lane.start(
                world,
                seed,
                self.noise_stream,
                &self.event_streams,
                &self.param_streams,
            );
            lane.observe(world, 0, aggregates);
        }
        for t in 1..=world.steps {
            if cancel.load(Ordering::Relaxed) {
                return;
            }
            for (l, lane) in self.lanes[..active].iter_mut().enumerate() {
                let before = lane.firings;
                model::step::fire_events(world, &mut lane.state, t, &mut lane.draws);
                lane.firings = lane.state.fired.iter().map(|&f| u64::from(f)).sum();
                // The kernel holds what `store` gave the state last step, unless an event
                // has changed the state since (or the trajectory has just started).
                if t == 1 || lane.firings != before {
                    let s = &lane.state;
                    let (pairs, shares) = (
                        (&s.stance[..], &s.affinity[..]),
                        (&s.share[..], &s.anchor[..]),
                    );
                    self.kernel.load(l, pairs, shares, &s.params);
                }
                self.kernel.draw_noise(l, &mut lane.draws);
            }
            self.kernel.advance(&world.weight);
            if !self.state_each_step {
                // Nothing reads the states before the end: the metrics come from the kernel.
                for (l, lane) in self.lanes[..active].iter().enumerate() {
                    lane.record_from(&self.kernel, l, world, t as usize, aggregates);
                }
                continue;
            }
            for (l, lane) in self.lanes[..active].iter_mut().enumerate() {
                self.kernel
                    .store(l, &mut lane.state.stance, &mut lane.state.share);
                for (e, &count) in lane.state.fired.iter().enumerate() {
                    if count > 0 && !lane.fired_seen[e] {
                        lane.fired_seen[e] = true;
                        aggregates.first_fired[e * aggregates.points + t as usize] += 1;
                    }
                }
                lane.observe(world, t as usize, aggregates);
            }
        }
        for (l, lane) in self.lanes[..active].iter_mut().enumerate() {
            if !self.state_each_step {
                self.kernel
                    .store(l, &mut lane.state.stance, &mut lane.state.share);
            }
            lane.finish(world, aggregates);
        }
    }
}

impl Lane {
    /// Resets the state, draws the parameters and seeds the streams of one trajectory.
    fn start(&mut self, world: &World, seed: u64, noise: u64, events: &[u64], params: &[u64]) {
        let state = &mut self.state;
        state.reset(world);
        for (slot, &id) in world.params.iter().zip(params) {
            let value = slot
                .sampler
                .fixed()
                .unwrap_or_else(|| slot.sampler.draw(&mut Stream::new(seed, id)));
            for &target in &slot.targets {
                state.params.set(target, value);
            }
        }
        self.draws.noise = Stream::new(seed, noise);
        for (stream, &id) in self.draws.events.iter_mut().zip(events) {
            *stream = Stream::new(seed, id);
        }
        self.first_held.fill(None);
        self.fired_seen.fill(false);
        self.firings = 0;
    }

    /// Records the tracked metrics at step t from lane `l` of the kernel (worlds without
    /// events, "ever" outcomes or bloc metrics).
    fn record_from(
        &self,
        kernel: &Lanes<BLOCK>,
        l: usize,
        world: &World,
        t: usize,
        aggregates: &mut Aggregates,
    ) {
        for (m, metric) in world.metrics.iter().enumerate() {
            let value = kernel
                .metric(metric, l)
                .unwrap_or_else(|| metric.eval(&self.state));
            aggregates.record(m, t, value, metric.range());
        }
    }

    /// Records the tracked metrics at step t and checks the "ever" outcomes.
    fn observe(&mut self, world: &World, t: usize, aggregates: &mut Aggregates) {
        for (m, metric) in world.metrics.iter().enumerate() {
            aggregates.record(m, t, metric.eval(&self.state), metric.range());
        }
        for (o, outcome) in world.outcomes.iter().enumerate() {
            if outcome.kind == OutcomeKind::Ever
                && self.first_held[o].is_none()
                && outcome.condition.holds(&self.state)
            {
                self.first_held[o] = Some(t);
            }
        }
    }

    /// Judges the outcomes at the end of the trajectory and folds it into `aggregates`.
    fn finish(&mut self, world: &World, aggregates: &mut Aggregates) {
        for (o, outcome) in world.outcomes.iter().enumerate() {
            let held = match outcome.kind {
                OutcomeKind::AtEnd => outcome.condition.holds(&self.state),
                OutcomeKind::Ever => self.first_held[o].is_some(),
            };
            self.held[o] = held;
            if held {
                aggregates.outcome_count[o] += 1;
            }
            if let Some(t) = self.first_held[o] {
                aggregates.first_held[o * aggregates.points + t] += 1;
            }
        }
        aggregates.record_final_world(&self.state.stance, &self.state.share);
        if !aggregates.blocs.is_empty() {
            let s = &self.state;
            aggregates.record_blocs(model::blocs::split(&s.stance, &s.weight, s.n));
        }
        for (total, &count) in aggregates.firings.iter_mut().zip(&self.state.fired) {
            *total += u64::from(count);
        }
        aggregates.trajectories += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures;

    #[test]
    fn ctrl_c_stops_a_block_between_steps() {
        // Before, the flag was read only between chunks of 256 trajectories, so a world of
        // 120 states and 3,000 steps ran on for minutes after Ctrl-C. Now a block stops at
        // the next step once the flag is raised, and folds nothing in.
        let mut world = fixtures::world(3, 1);
        world.steps = 10_000;
        let mut worker = Worker::new(&world);
        let mut aggregates = Aggregates::new(&world);
        let block = 0..BLOCK as u64;
        let raised = AtomicBool::new(true);
        worker.simulate(&world, 1, block.clone(), &mut aggregates, &raised);
        assert_eq!(aggregates.trajectories, 0);

        let lowered = AtomicBool::new(false);
        worker.simulate(&world, 1, block, &mut aggregates, &lowered);
        assert_eq!(aggregates.trajectories, BLOCK as u64);
    }
}
