//! The Monte Carlo loop: many seeded trajectories over Rayon, folded into aggregates.
//!
//! Trajectories are grouped in chunks of `CHUNK`, numbered from 0; chunk c holds
//! trajectories `c*CHUNK ..`. A shard runs a contiguous range of chunks. Because aggregates
//! are integers, the result does not depend on how Rayon splits the chunks among threads.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;

use super::aggregate::Aggregates;
use super::firings::Firings;
use super::forces::{ForceProbe, Forces};
use super::levels::Levels;
use super::records::{Collector, Ended, Records};
use super::streams::{stream_id, trajectory_seed, Stream};
use crate::model::lanes::{Lanes, BLOCK};
use crate::model::level::Level;
use crate::model::{self, Metric, OutcomeKind, Process, Randomness, State, Unsettled, World};

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

/// Why a run gave no results.
#[derive(Debug, Clone, PartialEq)]
pub enum Stopped {
    /// Stopped through `Control::cancel`.
    Cancelled,
    /// A world at rest with a parameter draw that cannot be held still (boxed: it is
    /// large, and every `Result` of a run carries it).
    Unsettled(Box<UnsettledRun>),
}

/// The lowest trajectory of a plan (whatever the threads) whose parameter draw needs an
/// affinity beyond the allowed range to hold its world at rest.
#[derive(Debug, Clone, PartialEq)]
pub struct UnsettledRun {
    pub scenario: String,
    pub trajectory: u64,
    /// The pair's states and the world's channels, by name, for the message.
    pub from: String,
    pub to: String,
    pub channels: Vec<String>,
    pub draw: Unsettled,
    /// The sweep or design point whose fixed values the run used (set by the command that
    /// ran it), so the refusal says which point, not only which trajectory.
    pub point: Option<String>,
}

/// Runs `world` as `plan` says.
pub fn run(world: &World, plan: &Plan, control: &Control) -> Result<Aggregates, Stopped> {
    run_recorded(world, plan, control, None)
}

/// `run`, handing each unit's per-trajectory rows to `records` when there are records.
pub fn run_recorded(
    world: &World,
    plan: &Plan,
    control: &Control,
    records: Option<&dyn Records>,
) -> Result<Aggregates, Stopped> {
    check_rest(world, plan, control)?;
    let outcome = in_pool(plan, || {
        // `par_bridge` hands chunks out one at a time to at most threads + 1 folds; an
        // indexed iterator splits into many more, and work stealing then keeps a set of
        // aggregates alive at every level of the split (measured: 24 sets on 4 threads),
        // so memory could not be bounded or estimated (`engine::estimate`).
        units(plan)
            .par_bridge()
            .fold(
                || (Aggregates::new(world), Worker::recording(world, records)),
                |(mut aggregates, mut worker), range| {
                    if !control.cancel.load(Ordering::Relaxed) {
                        let done = range.end - range.start;
                        worker.start_unit(range.start);
                        for block in blocks(range) {
                            worker.simulate(
                                world,
                                plan.seed,
                                block,
                                &mut aggregates,
                                control.cancel,
                            );
                        }
                        worker.hand_over(records);
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

/// Runs `world` as `run` does, and collects the forces on its tracked stances and
/// partnerships and the outcomes' counts by when each event first fired (`simulate
/// explain`), handing each unit's per-trajectory rows to `records` when there are
/// records. The aggregates are the bytes `run` gives.
pub fn run_explained(
    world: &World,
    plan: &Plan,
    control: &Control,
    records: Option<&dyn Records>,
) -> Result<(Aggregates, Forces, Firings), Stopped> {
    check_rest(world, plan, control)?;
    let outcome = in_pool(plan, || {
        // As in `run`: one fold per thread at most; every sum is an integer.
        units(plan)
            .par_bridge()
            .fold(
                || {
                    let worker = Worker::recording(world, records).probed(world);
                    (Aggregates::new(world), worker)
                },
                |(mut aggregates, mut worker), range| {
                    if !control.cancel.load(Ordering::Relaxed) {
                        let done = range.end - range.start;
                        worker.start_unit(range.start);
                        for block in blocks(range) {
                            worker.simulate(
                                world,
                                plan.seed,
                                block,
                                &mut aggregates,
                                control.cancel,
                            );
                        }
                        worker.hand_over(records);
                        (control.progress)(done);
                    }
                    (aggregates, worker)
                },
            )
            .filter_map(|(aggregates, worker)| Some((aggregates, *worker.probe?)))
            .reduce_with(|(mut a, mut p), (b, q)| {
                a.merge(&b);
                p.forces.merge(&q.forces);
                p.firings.merge(&q.firings);
                (a, p)
            })
            .map(|(a, p)| (a, p.forces, p.firings))
            .unwrap_or_else(|| {
                let p = ForceProbe::new(world);
                (Aggregates::new(world), p.forces, p.firings)
            })
    });
    finish(control, outcome)
}

fn merged(mut a: Aggregates, b: Aggregates) -> Aggregates {
    a.merge(&b);
    a
}

/// A chunk's trajectories in blocks of at most `BLOCK`, advanced together.
pub(super) fn blocks(range: Range<u64>) -> impl Iterator<Item = Range<u64>> {
    let end = range.end;
    range
        .step_by(BLOCK)
        .map(move |start| start..(start + BLOCK as u64).min(end))
}

/// The plan's trajectories as units of work, in order: its chunks, each cut into pieces when
/// there are too few chunks to keep every thread busy. A run of 300 trajectories is two
/// chunks (256 and 44), so on two threads one thread did six times the other's work; at
/// 100 states, where 300 trajectories take seconds, that was most of the run's time.
/// Pieces are whole blocks of `BLOCK` trajectories, so every trajectory is advanced in the
/// same block as before. What a unit holds changes no number: each trajectory has its own
/// streams and the aggregates are integers, so only the speed depends on this split.
pub(super) fn units(plan: &Plan) -> impl Iterator<Item = Range<u64>> + Send + '_ {
    // About four units per thread, so that uneven units still even out.
    let wanted = (rayon::current_num_threads() as u64)
        .saturating_mul(4)
        .max(1);
    let piece = plan
        .len()
        .div_ceil(wanted)
        .next_multiple_of(BLOCK as u64)
        .clamp(BLOCK as u64, CHUNK);
    plan.chunks.clone().flat_map(move |chunk| {
        let range = chunk_range(chunk, plan.trajectories);
        let end = range.end;
        range
            .step_by(piece as usize)
            .map(move |start| start..(start + piece).min(end))
    })
}

fn chunk_range(chunk: u64, trajectories: u64) -> Range<u64> {
    (chunk * CHUNK).min(trajectories)..((chunk + 1) * CHUNK).min(trajectories)
}

/// The threads a plan runs on: `--threads`, but no more than the plan's units of work
/// (`units` never cuts finer than a block), or every core of the global pool. A thread
/// beyond the units only waits, yet starts and holds a set of aggregates: `-j 1024` on 200
/// trajectories took 6.5 s and 454 MB, against 0.06 s at `-j 9`. The global pool is left as
/// it is: building a smaller one for every small run (a sensitivity design runs thousands)
/// would cost more than its idle threads.
pub fn threads(plan: &Plan) -> usize {
    match plan.threads {
        Some(asked) => {
            let units = plan.len().div_ceil(BLOCK as u64).max(1);
            asked.min(usize::try_from(units).unwrap_or(usize::MAX))
        }
        None => rayon::current_num_threads(),
    }
}

/// Runs `work` on the plan's threads (`threads`).
/// Does `work` on the plan's threads (a pool of `plan.threads`, or the global one).
pub fn in_pool<T: Send>(plan: &Plan, work: impl FnOnce() -> T + Send) -> T {
    match plan.threads.map(|_| threads(plan)) {
        Some(n) => match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
            Ok(pool) => pool.install(work),
            // A pool that cannot start (no threads left) still gives the same numbers on the
            // global pool: only speed depends on threads.
            Err(_) => work(),
        },
        None => work(),
    }
}

pub(super) fn finish<T>(control: &Control, outcome: T) -> Result<T, Stopped> {
    if control.cancel.load(Ordering::Relaxed) {
        Err(Stopped::Cancelled)
    } else {
        Ok(outcome)
    }
}

/// In a world at rest, solves every trajectory's affinities before anything runs and
/// refuses the run if one draw cannot be held still (`model::rest`), naming the lowest such
/// trajectory: `find_first` over the chunks in order makes it the same for any thread count.
/// The pass draws the parameters again in `Trajectory::start`, a small cost beside one step.
pub fn check_rest(world: &World, plan: &Plan, control: &Control) -> Result<(), Stopped> {
    check_rest_across(std::slice::from_ref(world), plan, control).map_err(|(_, stopped)| stopped)
}

/// [`check_rest`] for the points of a study (a sweep's grid): trajectory by trajectory
/// across all points, so that a point that cannot be held still is found at its first bad
/// draw, not after every trajectory of every point before it (a bad last point of a sweep
/// at `-n 1e7` was refused after 85 s). The refusal names the lowest such trajectory and,
/// at it, the first such point, with the point's index.
pub fn check_rest_across(
    worlds: &[World],
    plan: &Plan,
    control: &Control,
) -> Result<(), (usize, Stopped)> {
    let checked = AtomicU64::new(0);
    let found = first_unsettled(worlds, plan, control, &checked);
    finish(control, ()).map_err(|stopped| (0, stopped))?;
    match found {
        Some((point, trajectory, draw)) => {
            let world = &worlds[point];
            Err((
                point,
                Stopped::Unsettled(Box::new(UnsettledRun {
                    scenario: world.name.clone(),
                    trajectory,
                    from: world.states[draw.from].clone(),
                    to: world.states[draw.to].clone(),
                    channels: world.channels.clone(),
                    draw,
                    point: None,
                })),
            ))
        }
        None => Ok(()),
    }
}

/// The lowest trajectory at which some world at rest cannot be held still, with the first
/// such world's index and its draw; `checked` counts the (trajectory, world) pairs solved.
fn first_unsettled(
    worlds: &[World],
    plan: &Plan,
    control: &Control,
    checked: &AtomicU64,
) -> Option<(usize, u64, Unsettled)> {
    let at_rest: Vec<(usize, &World, _)> = (worlds.iter().enumerate())
        .filter(|(_, w)| w.rest.is_some())
        .map(|(i, w)| (i, w, rest_slots(w)))
        .collect();
    if at_rest.is_empty() {
        return None;
    }
    in_pool(plan, || {
        plan.chunks
            .clone()
            .into_par_iter()
            .map_init(Vec::<State>::new, |states, chunk| {
                if states.is_empty() {
                    states.extend(at_rest.iter().map(|(_, w, _)| State::new(w)));
                }
                for r in chunk_range(chunk, plan.trajectories) {
                    if control.cancel.load(Ordering::Relaxed) {
                        return None;
                    }
                    for ((i, world, slots), state) in at_rest.iter().zip(states.iter_mut()) {
                        checked.fetch_add(1, Ordering::Relaxed);
                        let seed = trajectory_seed(plan.seed, r);
                        if let Some(draw) = unsettled_draw(world, slots, seed, state) {
                            return Some((*i, r, draw));
                        }
                    }
                }
                None
            })
            .find_first(Option::is_some)
            .flatten()
    })
}

/// The stream of each parameter slot, by its path.
pub(crate) fn param_streams(world: &World) -> Vec<u64> {
    world
        .params
        .iter()
        .map(|p| stream_id(&format!("params:{}", p.path)))
        .collect()
}

/// The slots a world's rest reads (`model::rest_reads`), by index, with their streams:
/// all `check_rest` draws. Each slot has its own stream, so leaving the others out changes
/// none of these values: putin_visit.ron's check draws 2 of its 8 drawn slots.
fn rest_slots(world: &World) -> Vec<(usize, u64)> {
    (world.params.iter().zip(param_streams(world)).enumerate())
        .filter(|(_, (slot, _))| slot.targets.iter().any(model::rest_reads))
        .map(|(s, (_, id))| (s, id))
        .collect()
}

/// Whether the trajectory of seed `seed` cannot be held at rest, and its draw if so: what
/// solving its rest after all its draws would say, from `slots` (`rest_slots`) alone.
fn unsettled_draw(
    world: &World,
    slots: &[(usize, u64)],
    seed: u64,
    state: &mut State,
) -> Option<Unsettled> {
    // Without a drawn start, the rest reads no number a reset puts back.
    if state.draws_start {
        state.reset(world);
    }
    draw_slots(
        slots.iter().map(|&(s, id)| (&world.params[s], id)),
        seed,
        state,
    );
    model::settle_trajectory(world, state)
}

/// Draws one trajectory's parameters and other drawn numbers into `state`, each slot from
/// its own stream; then scales back any row of initial shares that the draws took past 1.
/// Returns how many rows it scaled.
pub(crate) fn draw_params(world: &World, seed: u64, streams: &[u64], state: &mut State) -> usize {
    draw_slots(
        world.params.iter().zip(streams.iter().copied()),
        seed,
        state,
    )
}

/// `draw_params` for some of the slots, each with its stream.
fn draw_slots<'a>(
    slots: impl Iterator<Item = (&'a model::ParamSlot, u64)>,
    seed: u64,
    state: &mut State,
) -> usize {
    let mut shares = false;
    for (slot, id) in slots {
        let value = slot
            .sampler
            .fixed()
            .unwrap_or_else(|| slot.sampler.draw(&mut Stream::new(seed, id)));
        for &target in &slot.targets {
            state.set(target, value);
            shares |= target.is_share();
        }
    }
    if shares {
        state.scale_back_rows()
    } else {
        0
    }
}

/// The state trajectory `r` of a run with master seed `seed` starts from: its parameters
/// and ranges drawn, its rest solved (tests, and anyone asking what a trajectory drew).
pub fn start_of(world: &World, seed: u64, r: u64) -> State {
    let mut state = State::new(world);
    draw_params(
        world,
        trajectory_seed(seed, r),
        &param_streams(world),
        &mut state,
    );
    let _ = model::settle_trajectory(world, &mut state);
    state
}

/// How many of a run's trajectories had a row of drawn initial shares scaled back to 1
/// (`draw_params`), or None when the world draws no share. The count depends on the draws
/// alone, so it is made again from the seed for the whole run, whatever the threads, shards
/// or merges that ran it: only the share slots are drawn, a small cost beside the run.
pub fn rows_scaled_back(world: &World, seed: u64, trajectories: u64) -> Option<u64> {
    let streams = param_streams(world);
    let slots: Vec<(&model::ParamSlot, u64)> = world
        .params
        .iter()
        .zip(streams)
        .filter(|(slot, _)| slot.targets.iter().any(|t| t.is_share()))
        .collect();
    if slots.is_empty() {
        return None;
    }
    let n = world.n().max(1);
    let mut rows: Vec<usize> = slots
        .iter()
        .flat_map(|(slot, _)| &slot.targets)
        .filter_map(|t| match t {
            model::Target::Share(x) => Some(x / n),
            _ => None,
        })
        .collect();
    rows.sort_unstable();
    rows.dedup();
    let mut share = world.share.clone();
    let mut count = 0;
    for r in 0..trajectories {
        let seed = trajectory_seed(seed, r);
        for (slot, id) in &slots {
            let value = slot
                .sampler
                .fixed()
                .unwrap_or_else(|| slot.sampler.draw(&mut Stream::new(seed, *id)));
            for target in &slot.targets {
                if let model::Target::Share(x) = *target {
                    share[x] = value.clamp(0.0, 1.0);
                }
            }
        }
        let total = |row: usize| share[row * n..(row + 1) * n].iter().sum::<f64>();
        if rows.iter().any(|&row| total(row) > 1.0) {
            count += 1;
        }
    }
    Some(count)
}

/// The random streams of the trajectory being simulated.
struct Draws {
    noise: Stream,
    events: Vec<Stream>,
    /// `event:<name>:direction` of each event with effects of random direction (seeded
    /// only for those).
    directions: Vec<Stream>,
    /// `background:jumps` and `background:suppliers` (seeded only in a world with a
    /// background).
    jumps: Stream,
    suppliers: Stream,
    exits: Stream,
}

impl Randomness for Draws {
    #[inline]
    fn standard_normal(&mut self) -> f64 {
        self.noise.standard_normal()
    }

    fn event_uniform(&mut self, e: usize) -> f64 {
        self.events[e].uniform()
    }

    fn direction_uniform(&mut self, e: usize) -> f64 {
        self.directions[e].uniform()
    }

    #[inline]
    fn background_uniform(&mut self, process: Process) -> f64 {
        match process {
            Process::Jumps => self.jumps.uniform(),
            Process::Suppliers => self.suppliers.uniform(),
            Process::Exits => self.exits.uniform(),
        }
    }

    #[inline]
    fn background_pair(&mut self, process: Process) -> (f64, f64) {
        match process {
            Process::Jumps => self.jumps.uniform_pair(),
            Process::Suppliers => self.suppliers.uniform_pair(),
            Process::Exits => self.exits.uniform_pair(),
        }
    }

    #[inline]
    fn background_exponential(&mut self, process: Process) -> f64 {
        match process {
            Process::Jumps => self.jumps.exponential(),
            Process::Suppliers => self.suppliers.exponential(),
            Process::Exits => self.exits.exponential(),
        }
    }

    #[inline]
    fn background_exponential_pair(&mut self, process: Process) -> (f64, f64) {
        match process {
            Process::Jumps => self.jumps.exponential_pair(),
            Process::Suppliers => self.suppliers.exponential_pair(),
            Process::Exits => self.exits.exponential_pair(),
        }
    }
}

/// The key of the stream an event's direction is drawn from (`model::direction`): its own,
/// so that adding directions to an event changes no other draw.
pub fn direction_stream(event: &str) -> String {
    format!("event:{event}:direction")
}

/// The keys of the background's streams: their own, so that the background changes no
/// other draw (README, "Reproducibility").
const BACKGROUND_STREAMS: [&str; 3] = [
    "background:jumps",
    "background:suppliers",
    "background:exits",
];

/// One trajectory of a block: its state, its streams and what has been seen of it.
pub(super) struct Trajectory {
    state: State,
    draws: Draws,
    /// Whether each outcome held (known at the end of the trajectory).
    pub(super) held: Vec<bool>,
    /// First step at which each "ever" outcome held.
    first_held: Vec<Option<usize>>,
    /// Whether each event has fired yet.
    fired_seen: Vec<bool>,
    /// The step at which each event first fired (read only for records).
    first_fired: Vec<Option<usize>>,
    /// Each tracked metric at the step last recorded (read by a joint run to pair worlds).
    pub(super) values: Vec<f64>,
    /// What each level outcome compares with its threshold (`model::level`), so far.
    compared: Vec<f64>,
    /// The histogram entries of its metrics so far, counted when it ends
    /// (`Aggregates::record_later`).
    later: Vec<usize>,
}

/// One thread's reusable state: simulates block after block of trajectories without
/// allocating, each step through `model::step_block`.
pub(super) struct Worker {
    kernel: Lanes<BLOCK>,
    /// Whether anything reads a trajectory's state between steps (events, "ever" outcomes,
    /// bloc metrics, averages); if not, the state is brought up to date only at the end.
    state_each_step: bool,
    pub(super) trajectories: Vec<Trajectory>,
    noise_stream: u64,
    event_streams: Vec<u64>,
    param_streams: Vec<u64>,
    /// Trajectories in the current block.
    pub(super) active: usize,
    /// The rows of the current unit of work, when the run keeps records; and the master
    /// seed they are drawn again from.
    collector: Option<Collector>,
    master: u64,
    /// What `run_explained` collects of each step (None in every other run).
    probe: Option<Box<ForceProbe>>,
}

impl Worker {
    fn new(world: &World) -> Self {
        let event_streams: Vec<u64> = world
            .events
            .iter()
            .map(|e| stream_id(&format!("event:{}", e.name)))
            .collect();
        let trajectory = || Trajectory {
            state: State::new(world),
            draws: Draws {
                noise: Stream::new(0, 0),
                events: event_streams.iter().map(|&id| Stream::new(0, id)).collect(),
                directions: event_streams.iter().map(|_| Stream::new(0, 0)).collect(),
                jumps: Stream::new(0, 0),
                suppliers: Stream::new(0, 0),
                exits: Stream::new(0, 0),
            },
            held: vec![false; world.outcomes.len()],
            first_held: vec![None; world.outcomes.len()],
            fired_seen: vec![false; world.events.len()],
            first_fired: vec![None; world.events.len()],
            values: vec![0.0; world.metrics.len()],
            compared: world
                .outcomes
                .iter()
                .filter_map(Level::of)
                .map(|_| 0.0)
                .collect(),
            later: Vec::with_capacity(world.metrics.len() * (world.steps as usize + 1)),
        };
        // The background reads and changes the current shares and stances.
        let state_each_step = !world.events.is_empty()
            || world.background.is_some()
            || !world.averages.is_empty()
            || world.outcomes.iter().any(|o| o.kind == OutcomeKind::Ever)
            || world
                .metrics
                .iter()
                .any(|m| matches!(m, Metric::SameBloc(..)));
        Worker {
            kernel: Lanes::new(world),
            state_each_step,
            trajectories: (0..BLOCK).map(|_| trajectory()).collect(),
            noise_stream: stream_id("noise"),
            param_streams: param_streams(world),
            event_streams,
            active: 0,
            collector: None,
            master: 0,
            probe: None,
        }
    }

    /// A worker that also collects each trajectory's row when there are `records`.
    pub(super) fn recording(world: &World, records: Option<&dyn Records>) -> Self {
        let mut worker = Worker::new(world);
        worker.collector = records.map(|_| Collector::new(world));
        worker
    }

    /// Starts the rows of a unit of work beginning at trajectory `first`.
    pub(super) fn start_unit(&mut self, first: u64) {
        if let Some(collector) = &mut self.collector {
            collector.start(first);
        }
    }

    /// Hands the unit's rows to `records`.
    pub(super) fn hand_over(&mut self, records: Option<&dyn Records>) {
        if let (Some(collector), Some(records)) = (&mut self.collector, records) {
            records.take(collector.start(0));
        }
    }

    /// The same worker, collecting forces and firings (`run_explained`).
    fn probed(mut self, world: &World) -> Self {
        self.probe = Some(Box::new(ForceProbe::new(world)));
        self
    }

    /// Simulates trajectories `block` (at most `BLOCK` of them) and folds them into
    /// `aggregates`. Lanes beyond the block's end keep stale, finite numbers: the kernel
    /// advances them too, and nothing reads them.
    ///
    /// Stops between steps once `cancel` is raised, leaving `aggregates` incomplete: the
    /// run then returns `Stopped::Cancelled` and they are thrown away. A block of a large world can
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
        self.begin(world, master, block, aggregates);
        for t in 1..=world.steps {
            if cancel.load(Ordering::Relaxed) {
                return;
            }
            self.advance(world, t, aggregates);
        }
        self.end(world, aggregates);
    }

    /// Starts trajectories `block` and records their step 0. `simulate` is `begin`, every
    /// step's `advance` and `end`; a joint run calls them itself to read several worlds'
    /// values at the same step.
    pub(super) fn begin(
        &mut self,
        world: &World,
        master: u64,
        block: Range<u64>,
        aggregates: &mut Aggregates,
    ) {
        self.active = (block.end - block.start) as usize;
        self.master = master;
        let active = &mut self.trajectories[..self.active];
        for (l, (trajectory, r)) in active.iter_mut().zip(block).enumerate() {
            let seed = trajectory_seed(master, r);
            trajectory.start(
                world,
                seed,
                self.noise_stream,
                &self.event_streams,
                &self.param_streams,
            );
            trajectory.observe(world, 0, aggregates);
            if let Some(probe) = &mut self.probe {
                probe.start(l, &trajectory.state, self.active);
            }
        }
        model::step::start_block(world, &mut self.kernel, active.iter().map(|r| &r.state));
    }

    /// Advances the block to step t and records it; each trajectory's `values` then hold
    /// its metrics at step t.
    pub(super) fn advance(&mut self, world: &World, t: u32, aggregates: &mut Aggregates) {
        let active = &mut self.trajectories[..self.active];
        let parts = active.iter_mut().map(|r| (&mut r.state, &mut r.draws));
        match &mut self.probe {
            None => model::step_block(world, &mut self.kernel, t, parts),
            Some(probe) => {
                model::step_block_watched(world, &mut self.kernel, t, parts, &mut **probe)
            }
        }
        for (l, trajectory) in active.iter_mut().enumerate() {
            if self.state_each_step {
                self.kernel.store(l, &mut trajectory.state);
                trajectory.note_first_firings(t as usize, aggregates);
                trajectory.observe(world, t as usize, aggregates);
            } else {
                // Nothing reads the state before the end: the metrics come from the
                // kernel.
                trajectory.record_from(&self.kernel, l, world, t as usize, aggregates);
            }
        }
    }

    /// Judges the block's outcomes and folds its trajectories in.
    pub(super) fn end(&mut self, world: &World, aggregates: &mut Aggregates) {
        let active = &mut self.trajectories[..self.active];
        for (l, trajectory) in active.iter_mut().enumerate() {
            if !self.state_each_step {
                self.kernel.store(l, &mut trajectory.state);
            }
            trajectory.finish(world, aggregates);
            if let Some(collector) = &mut self.collector {
                let ended = Ended {
                    first_fired: &trajectory.first_fired,
                    firings: &trajectory.state.fired,
                    held: &trajectory.held,
                    first_held: &trajectory.first_held,
                    finals: &trajectory.values,
                };
                collector
                    .rows
                    .push(world, &collector.layout, self.master, ended);
            }
            if let Some(probe) = &mut self.probe {
                probe.finish(l, &trajectory.held);
            }
        }
    }
}

impl Trajectory {
    /// Resets the state, draws the parameters and seeds the streams of one trajectory.
    fn start(&mut self, world: &World, seed: u64, noise: u64, events: &[u64], params: &[u64]) {
        let state = &mut self.state;
        state.reset(world);
        draw_params(world, seed, params, state);
        // `check_rest` has refused the run if any draw of the plan leaves a pair unsettled,
        // so there is nothing to report here.
        let _ = model::settle_trajectory(world, state);
        self.draws.noise = Stream::new(seed, noise);
        for (stream, &id) in self.draws.events.iter_mut().zip(events) {
            *stream = Stream::new(seed, id);
        }
        for (e, event) in world.events.iter().enumerate() {
            if !event.directions.is_empty() {
                self.draws.directions[e] = Stream::keyed(seed, &direction_stream(&event.name));
            }
        }
        if world.background.is_some() {
            let [jumps, suppliers, exits] = BACKGROUND_STREAMS;
            self.draws.jumps = Stream::keyed(seed, jumps);
            self.draws.suppliers = Stream::keyed(seed, suppliers);
            self.draws.exits = Stream::keyed(seed, exits);
        }
        self.first_held.fill(None);
        self.fired_seen.fill(false);
        self.first_fired.fill(None);
        let levels = world.outcomes.iter().filter_map(Level::of);
        for (value, level) in self.compared.iter_mut().zip(levels) {
            *value = level.start();
        }
        self.later.clear();
    }

    /// Records the tracked metrics at step t from lane `l` of the kernel (worlds without
    /// events, "ever" outcomes or bloc metrics).
    fn record_from(
        &mut self,
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
            self.values[m] = value;
            aggregates.record_later((m, t), value, metric.range(), &mut self.later);
        }
    }

    /// Counts the events that fired for the first time at step t.
    fn note_first_firings(&mut self, t: usize, aggregates: &mut Aggregates) {
        let events = self.fired_seen.iter_mut().zip(&self.state.fired);
        for (e, (seen, &count)) in events.enumerate() {
            if count > 0 && !*seen {
                *seen = true;
                self.first_fired[e] = Some(t);
                aggregates.record_first_firing(e, t);
            }
        }
    }

    /// Records the tracked metrics at step t and checks the "ever" outcomes. The averages'
    /// windows take step t's values first, so an average read at step t includes it (and an
    /// event's condition at step t + 1 sees the same window).
    fn observe(&mut self, world: &World, t: usize, aggregates: &mut Aggregates) {
        if !world.averages.is_empty() {
            model::window::record(&world.averages, &mut self.state);
        }
        for (m, metric) in world.metrics.iter().enumerate() {
            let value = metric.eval(&self.state);
            self.values[m] = value;
            aggregates.record_later((m, t), value, metric.range(), &mut self.later);
        }
        for (o, outcome) in world.outcomes.iter().enumerate() {
            if outcome.kind == OutcomeKind::Ever
                && self.first_held[o].is_none()
                && outcome.condition.holds(&self.state)
            {
                self.first_held[o] = Some(t);
            }
        }
        self.compare(&aggregates.levels, OutcomeKind::Ever);
    }

    /// Brings what each level outcome of `kind` compares up to date with the state.
    fn compare(&mut self, levels: &Levels, kind: OutcomeKind) {
        let levels = levels.outcomes.iter().map(|l| &l.level);
        for (value, level) in self.compared.iter_mut().zip(levels) {
            if level.kind == kind {
                *value = level.compared(&self.state, *value);
            }
        }
    }

    /// Judges the outcomes at the end of the trajectory and folds it into `aggregates`.
    fn finish(&mut self, world: &World, aggregates: &mut Aggregates) {
        for (o, outcome) in world.outcomes.iter().enumerate() {
            self.held[o] = match outcome.kind {
                OutcomeKind::AtEnd => outcome.condition.holds(&self.state),
                OutcomeKind::Ever => self.first_held[o].is_some(),
            };
        }
        self.compare(&aggregates.levels, OutcomeKind::AtEnd);
        aggregates.levels.record(&self.compared);
        aggregates.count_later(&mut self.later);
        aggregates.record_trajectory(&self.held, &self.first_held, &self.state);
    }
}

#[cfg(test)]
mod tests {
    use super::super::paired::{run_joint, Pairing};
    use super::*;

    /// Defect (issue 21, 2): a sweep's rest check solved every trajectory of a grid point
    /// before the next point, so a bad last point at `-n 1e7` was refused after 85 s.
    /// Checked across points trajectory by trajectory, it is found at its first draw:
    /// counted here by the (trajectory, point) pairs solved, 9 million before.
    #[test]
    fn sweeps_rest_check_is_slow_before_it_refuses() {
        use crate::analysis::sweep::{check_path, fix};
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/at_rest.ron");
        let mut good = crate::scenario::load(&file).unwrap().world;
        let param = crate::analysis::study::swept::parse_sweep_param("gamma=0:20:3").unwrap();
        let (path, _) = check_path(&good, &param.path).unwrap();
        let mut bad = good.clone();
        fix(&mut good, path, 0.0);
        fix(&mut bad, path, 20.0);
        let mut worlds = vec![good; 9];
        worlds.push(bad);
        let cancel = AtomicBool::new(false);
        let control = Control {
            progress: &|_| {},
            cancel: &cancel,
        };
        let checked = AtomicU64::new(0);
        let plan = Plan::new(1_000_000, 11, Some(2));
        let found = first_unsettled(&worlds, &plan, &control, &checked);
        assert_eq!(found.map(|(point, _, _)| point), Some(9));
        let checked = checked.load(Ordering::Relaxed);
        assert!(
            checked < 100_000,
            "{checked} pairs solved before the refusal"
        );
    }
    use crate::model::fixtures::Still;
    use crate::model::{
        fixtures, Change, Condition, Effect, Event, ParamSlot, ParamTarget, Sampler, Target, Timing,
    };

    /// At rest is solved per trajectory after every draw: with drawn stances, shares and
    /// weights, each trajectory's solved affinities hold its own start still, leaving the
    /// kernel's residuals only rounding (which would otherwise hide any error of the rest:
    /// they make any start a fixed point).
    #[test]
    fn a_world_at_rest_is_solved_for_each_draw_of_its_start() {
        let mut world = fixtures::world(4, 2);
        world.affinity.fill(0.0);
        let (n, k) = (world.n(), world.k());
        let fixed = |path: &str, value: f64, targets: Vec<Target>| ParamSlot {
            path: path.into(),
            sampler: Sampler::Fixed(value),
            targets,
        };
        let drawn = |path: &str, low: f64, high: f64, target: Target| ParamSlot {
            path: path.into(),
            sampler: Sampler::Uniform { low, high },
            targets: vec![target],
        };
        let all = |t: fn(usize) -> ParamTarget, count: usize| {
            (0..count).map(|i| Target::Param(t(i))).collect::<Vec<_>>()
        };
        world.params = vec![
            fixed("eta", 0.5, all(ParamTarget::Eta, n)),
            fixed("gamma", 1.0, all(ParamTarget::Gamma, n)),
            fixed("lambda", 0.5, all(ParamTarget::Lambda, n)),
            fixed("kappa", 0.3, all(ParamTarget::Kappa, k)),
            fixed("beta", 1.0, all(|i| ParamTarget::Beta(i % 2, i / 2), n * k)),
            drawn("stance.s0.s1", -0.5, 0.8, Target::Stance(1)),
            drawn("stance.s2.s0", -0.8, 0.5, Target::Stance(8)),
            drawn("share.c0.s1.s2", 0.0, 0.5, Target::Share(4 + 2)),
            drawn("weight.s3", 0.5, 3.0, Target::Weight(3)),
        ];
        world.rest = Some(model::Rest::new(&world));
        for r in 0..100 {
            let mut state = start_of(&world, 3, r);
            let start = state.stance.clone();
            let mut kernel = Lanes::<1>::new(&world);
            for t in 1..=20 {
                model::step(&world, &mut kernel, &mut state, t, &mut Still);
            }
            let residual = kernel.largest_residual();
            assert!(
                residual < 1e-12,
                "trajectory {r}: a residual of {residual:e}"
            );
            assert_eq!(state.stance, start, "trajectory {r} moved");
        }
    }

    /// The rest check draws only the slots a rest reads (`rest_slots`), and says of every
    /// trajectory what solving its rest after all its draws says: the same trajectories
    /// refused, with the same draws. Here every kind of number a rest reads is drawn beside
    /// others it does not read, wide enough that about one trajectory in three is refused.
    #[test]
    fn the_rest_check_draws_what_a_rest_reads_and_refuses_what_a_full_draw_refuses() {
        let mut world = fixtures::world(4, 2);
        world.affinity.fill(0.0);
        let (n, k) = (world.n(), world.k());
        let slot = |path: &str, sampler: Sampler, targets: Vec<Target>| ParamSlot {
            path: path.into(),
            sampler,
            targets,
        };
        let uniform = |low: f64, high: f64| Sampler::Uniform { low, high };
        let all = |t: fn(usize) -> ParamTarget, count: usize| {
            (0..count).map(|i| Target::Param(t(i))).collect::<Vec<_>>()
        };
        world.params = vec![
            slot("eta", uniform(0.1, 0.9), all(ParamTarget::Eta, n)),
            slot("sigma", uniform(0.0, 0.1), all(ParamTarget::Sigma, n)),
            slot("gamma", uniform(0.0, 20.0), all(ParamTarget::Gamma, n)),
            slot("lambda", uniform(0.0, 20.0), all(ParamTarget::Lambda, n)),
            slot("kappa", uniform(0.0, 1.0), all(ParamTarget::Kappa, k)),
            slot(
                "beta.c0",
                uniform(0.0, 10.0),
                all(|i| ParamTarget::Beta(0, i), n),
            ),
            slot(
                "beta.c1",
                Sampler::Fixed(1.0),
                all(|i| ParamTarget::Beta(1, i), n),
            ),
            slot("stance.s0.s1", uniform(-0.9, 0.9), vec![Target::Stance(1)]),
            slot(
                "share.c0.s1.s2",
                uniform(0.0, 0.9),
                vec![Target::Share(4 + 2)],
            ),
            slot("weight.s3", uniform(0.5, 3.0), vec![Target::Weight(3)]),
        ];
        world.rest = Some(model::Rest::new(&world));
        let slots = rest_slots(&world);
        let drawn: Vec<&str> = slots.iter().map(|&(s, _)| &*world.params[s].path).collect();
        assert_eq!(
            drawn,
            [
                "gamma",
                "lambda",
                "beta.c0",
                "beta.c1",
                "stance.s0.s1",
                "share.c0.s1.s2",
                "weight.s3"
            ]
        );
        let streams = param_streams(&world);
        let (mut checked, mut full) = (State::new(&world), State::new(&world));
        let mut refused = 0;
        for r in 0..600 {
            let seed = trajectory_seed(5, r);
            full.reset(&world);
            draw_params(&world, seed, &streams, &mut full);
            let expected = model::settle_trajectory(&world, &mut full);
            refused += usize::from(expected.is_some());
            assert_eq!(
                unsettled_draw(&world, &slots, seed, &mut checked),
                expected,
                "trajectory {r}"
            );
        }
        assert!((100..500).contains(&refused), "{refused} of 600 refused");
    }

    /// The units of work of `plan` on `threads` threads.
    fn units_on(plan: &Plan, threads: usize) -> Vec<Range<u64>> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| units(plan).collect())
    }

    /// Regression: a run of 300 trajectories was two chunks (256 and 44), so on two threads
    /// one did six times the other's work. Units now cover the plan's trajectories once, in
    /// order, never cross a chunk (nor a block: they start at multiples of BLOCK), and are
    /// small enough that every thread gets several.
    #[test]
    fn a_run_of_few_chunks_is_cut_into_units_for_every_thread() {
        for (trajectories, threads) in [(300, 2), (50, 2), (1, 8), (20_480, 2), (1_000, 3)] {
            let plan = Plan::new(trajectories, 1, Some(threads));
            let units = units_on(&plan, threads);
            let flat: Vec<u64> = units.iter().flat_map(|u| u.clone()).collect();
            assert_eq!(flat, (0..trajectories).collect::<Vec<_>>());
            for u in &units {
                assert!(!u.is_empty());
                assert_eq!(u.start % BLOCK as u64, 0, "{u:?}");
                assert_eq!(
                    u.start / CHUNK,
                    (u.end - 1) / CHUNK,
                    "{u:?} crosses a chunk"
                );
            }
            let wanted = (trajectories.div_ceil(BLOCK as u64) as usize).min(threads * 2);
            assert!(
                units.len() >= wanted,
                "{trajectories} on {threads}: {units:?}"
            );
        }
        // A shard's chunks only, cut the same way.
        let mut plan = Plan::new(2_000, 1, Some(2));
        plan.chunks = 3..5;
        let units = units_on(&plan, 2);
        assert_eq!(units.first().unwrap().start, 768);
        assert_eq!(units.last().unwrap().end, 1_280);
    }

    /// A world of four states and two channels whose parameters move everything, with a
    /// repeating hazard event (fires in some trajectories and steps, not others), a lasting
    /// share deal at step 5 and a conditional parameter change every third step.
    fn world_with_events() -> World {
        let mut world = fixtures::world(4, 2);
        world.steps = 30;
        let (n, k) = (world.n(), world.k());
        let slot = |path: &str, value: f64, targets: Vec<ParamTarget>| ParamSlot {
            path: path.into(),
            sampler: Sampler::Fixed(value),
            targets: targets.into_iter().map(Target::Param).collect(),
        };
        world.params = vec![
            slot("eta", 0.3, (0..n).map(ParamTarget::Eta).collect()),
            slot("sigma", 0.1, (0..n).map(ParamTarget::Sigma).collect()),
            slot("gamma", 0.8, (0..n).map(ParamTarget::Gamma).collect()),
            slot("lambda", 0.4, (0..n).map(ParamTarget::Lambda).collect()),
            slot(
                "beta",
                1.0,
                (0..n).map(|i| ParamTarget::Beta(1, i)).collect(),
            ),
            slot("kappa", 0.5, (0..k).map(ParamTarget::Kappa).collect()),
            slot("rho", 0.1, (0..k).map(ParamTarget::Rho).collect()),
            slot("hazard", 0.2, vec![ParamTarget::Hazard(0)]),
        ];
        let event = |name: &str, timing, when, effects| Event {
            name: String::from(name),
            description: String::new(),
            actor: None,
            timing,
            window: (1, 100),
            when,
            repeat: true,
            effects,
            choice: None,
            cases: vec![],
            directions: vec![],
            lags: vec![],
        };
        let crisis = Effect::Stance {
            i: 0,
            j: 1,
            change: Change::Add(-0.3),
        };
        let deal = Effect::Share {
            k: 1,
            i: 2,
            j: 3,
            change: Change::Add(0.2),
            lasting: true,
        };
        let pact = Effect::Param {
            targets: vec![ParamTarget::Eta(1)],
            change: Change::Scale(1.5),
        };
        let friends = Condition::Above(Metric::Partnership(0, 2), -0.5);
        world.events = vec![
            event("crisis", Timing::Hazard, None, vec![crisis]),
            event("summit", Timing::At(5), None, vec![deal]),
            event("pact", Timing::Every(3), Some(friends), vec![pact]),
        ];
        world
    }

    /// What is tested must be what runs: the engine's block of four, with events firing in
    /// some trajectories and not others (so lanes are reloaded at different steps), gives
    /// each trajectory the bits `model::step` gives it alone, from the same streams.
    #[test]
    fn a_block_with_events_gives_each_trajectory_the_bits_it_gets_alone() {
        let world = world_with_events();
        let mut block = Worker::new(&world);
        let mut aggregates = Aggregates::new(&world);
        let never = AtomicBool::new(false);
        block.simulate(&world, 9, 0..BLOCK as u64, &mut aggregates, &never);

        let mut alone = Worker::new(&world);
        let mut crises = vec![];
        for (r, in_block) in block.trajectories.iter().enumerate() {
            let one = &mut alone.trajectories[0];
            let seed = trajectory_seed(9, r as u64);
            let streams = (&alone.event_streams, &alone.param_streams);
            one.start(&world, seed, alone.noise_stream, streams.0, streams.1);
            let mut kernel = Lanes::new(&world);
            for t in 1..=world.steps {
                model::step(&world, &mut kernel, &mut one.state, t, &mut one.draws);
            }
            assert_eq!(one.state.fired, in_block.state.fired, "trajectory {r}");
            assert_eq!(one.state.stance, in_block.state.stance, "trajectory {r}");
            assert_eq!(one.state.share, in_block.state.share, "trajectory {r}");
            assert_eq!(one.state.params.eta, in_block.state.params.eta);
            crises.push(one.state.fired[0]);
        }
        // The hazard event fired a different number of times in different trajectories,
        // and the summit in every one.
        assert!(crises.iter().any(|&c| c != crises[0]), "{crises:?}");
        assert_eq!(aggregates.firings[1], BLOCK as u64);
    }

    /// A joint run gives each world the aggregates `run` gives it alone (so two-way and
    /// N-way comparisons report what single runs do), and its metric effects are the
    /// differences of those runs' sums, whatever the thread count.
    #[test]
    fn a_joint_run_gives_each_world_its_own_results_and_exact_paired_sums() {
        let mut a = world_with_events();
        a.metrics = vec![Metric::Partnership(0, 2), Metric::Stance(2, 3)];
        let mut b = a.clone();
        // B: a bigger summit deal; C: a different first metric order and a shorter horizon.
        if let Effect::Share { change, .. } = &mut b.events[1].effects[0] {
            *change = Change::Add(0.35);
        }
        let mut c = a.clone();
        c.metrics.reverse();
        c.steps = 20;
        let never = AtomicBool::new(false);
        let control = Control {
            progress: &|_| {},
            cancel: &never,
        };
        let pairings = vec![
            Pairing {
                outcomes: vec![],
                metrics: vec![(0, 0), (1, 1)],
            },
            Pairing {
                outcomes: vec![],
                metrics: vec![(0, 1), (1, 0)],
            },
        ];
        let mut joints = Vec::new();
        for threads in [1, 3] {
            let plan = Plan::new(700, 5, Some(threads));
            let joint = run_joint(&[&a, &b, &c], &pairings, &plan, &control).unwrap();
            for (world, side) in [&a, &b, &c].iter().zip(&joint.sides) {
                assert_eq!(&run(world, &plan, &control).unwrap(), side);
            }
            joints.push(joint);
        }
        let (one, three) = (&joints[0], &joints[1]);
        assert_eq!(one.effects, three.effects);
        let (sa, sb, sc) = (&one.sides[0], &one.sides[1], &one.sides[2]);
        let (eb, ec) = (&one.effects[0], &one.effects[1]);
        assert_eq!((eb.points, ec.points, eb.trajectories), (31, 21, 700));
        for t in 0..31 {
            for m in 0..2 {
                let cell = m * 31 + t;
                assert_eq!(eb.sum_diff[m * 31 + t], sb.sum[cell] - sa.sum[cell]);
            }
        }
        for t in 0..21 {
            // C's metric 1 is A's metric 0.
            assert_eq!(ec.sum_diff[t], sc.sum[21 + t] - sa.sum[t]);
        }
        // The bigger deal moves the shares, so the stance between 2 and 3 differs somewhere.
        assert!(eb.sum_diff_sq[31..].iter().any(|&x| x > 0));
    }

    /// Defect (issue 19, also seen): `-j 1024` on 200 trajectories started 1,024 threads,
    /// each with its set of aggregates, for 50 units of work of a block each (6.5 s and
    /// 454 MB against 0.06 s at `-j 9`). Now a run, a joint run and the check of a world
    /// at rest start no more threads than the plan has units of work; the results are the
    /// same (tests/reproducibility.rs), only fewer threads wait.
    #[test]
    fn many_threads_on_few_trajectories_started_a_thread_for_each() {
        let mut world = fixtures::world(3, 1);
        world.steps = 2;
        let pool_sizes = std::sync::Mutex::new(Vec::new());
        let progress = |_| {
            pool_sizes
                .lock()
                .unwrap()
                .push(rayon::current_num_threads())
        };
        let never = AtomicBool::new(false);
        let control = Control {
            progress: &progress,
            cancel: &never,
        };
        let plan = Plan::new(2 * BLOCK as u64, 3, Some(64));
        let alone = run(&world, &plan, &control).unwrap();
        run_joint(&[&world], &[], &plan, &control).unwrap();
        let sizes = pool_sizes.lock().unwrap().clone();
        assert!(!sizes.is_empty());
        assert!(
            sizes.iter().all(|&n| n <= 2),
            "pools of {sizes:?} threads for 2 units"
        );
        assert_eq!(
            alone,
            run(&world, &Plan::new(2 * BLOCK as u64, 3, Some(1)), &control).unwrap()
        );
    }

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
