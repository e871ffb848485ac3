//! Scenarios side by side: several worlds run on the same trajectory seeds (common random
//! numbers), each world's aggregates the bytes a run of it alone gives, and for each world
//! after the first how its outcomes agreed with the reference's trajectory by trajectory
//! (`PairCounts`) and the paired differences of its metrics (`Effects`).

use std::sync::atomic::Ordering;

use rayon::prelude::*;

use super::aggregate::Aggregates;
use super::effects::Effects;
use super::records::Records;
use super::run::{blocks, check_rest, finish, in_pool, units, Control, Plan, Stopped, Worker};
use crate::model::World;

/// Counts of one outcome over trajectory pairs (same r, same streams, two scenarios).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
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
/// lists (index in a, index in b) of the outcomes to pair. A joint run of two worlds.
pub fn run_paired(
    a: &World,
    b: &World,
    outcome_pairs: &[(usize, usize)],
    plan: &Plan,
    control: &Control,
) -> Result<Paired, Stopped> {
    let pairing = Pairing {
        outcomes: outcome_pairs.to_vec(),
        metrics: Vec::new(),
    };
    let joint = run_joint(&[a, b], &[pairing], plan, control)?;
    let mut sides = joint.sides.into_iter();
    let mut pairs = joint.pairs.into_iter();
    match (sides.next(), sides.next(), pairs.next()) {
        (Some(a), Some(b), Some(pairs)) => Ok(Paired { a, b, pairs }),
        _ => unreachable!("a joint run of two worlds has two sides and one pairing"),
    }
}

/// What to pair between the reference (the first world of a joint run) and one other
/// world: outcomes and tracked metrics, each as (index in the reference, index in it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pairing {
    pub outcomes: Vec<(usize, usize)>,
    pub metrics: Vec<(usize, usize)>,
}

/// The result of a joint run: each world's aggregates and, for each world after the
/// first, how its outcomes agreed with the reference's trajectory by trajectory and the
/// paired effects on its metrics.
#[derive(Debug, Clone)]
pub struct Joint {
    pub sides: Vec<Aggregates>,
    pub pairs: Vec<Vec<PairCounts>>,
    pub effects: Vec<Effects>,
}

impl Joint {
    fn new(worlds: &[&World], pairings: &[Pairing]) -> Self {
        Joint {
            sides: worlds.iter().map(|w| Aggregates::new(w)).collect(),
            pairs: pairings
                .iter()
                .map(|p| vec![PairCounts::default(); p.outcomes.len()])
                .collect(),
            effects: pairings
                .iter()
                .zip(&worlds[1..])
                .map(|(p, w)| {
                    let steps = w.steps.min(worlds[0].steps);
                    Effects::new(p.metrics.clone(), steps as usize + 1)
                })
                .collect(),
        }
    }

    fn merge(&mut self, other: &Joint) {
        for (x, y) in self.sides.iter_mut().zip(&other.sides) {
            x.merge(y);
        }
        for (xs, ys) in self.pairs.iter_mut().zip(&other.pairs) {
            for (p, q) in xs.iter_mut().zip(ys) {
                p.both += q.both;
                p.only_a += q.only_a;
                p.only_b += q.only_b;
                p.neither += q.neither;
            }
        }
        for (x, y) in self.effects.iter_mut().zip(&other.effects) {
            x.merge(y);
        }
    }
}

/// Runs every world on the same trajectory seeds (common random numbers): trajectory r of
/// each draws from the same streams. `pairings[k]` says what to pair between `worlds[0]`
/// (the reference) and `worlds[k + 1]`. The worlds advance step by step together, block by
/// block, so a metric's paired difference at step t is folded in as soon as every world
/// has reached t, and nothing is kept per trajectory. Each world's aggregates are the bytes
/// `run` gives it alone.
pub fn run_joint(
    worlds: &[&World],
    pairings: &[Pairing],
    plan: &Plan,
    control: &Control,
) -> Result<Joint, Stopped> {
    run_joint_recorded(worlds, pairings, plan, control, &[])
}

/// `run_joint`, handing each world's per-trajectory rows to its `records[w]` (none if
/// `records` is empty).
pub fn run_joint_recorded(
    worlds: &[&World],
    pairings: &[Pairing],
    plan: &Plan,
    control: &Control,
    records: &[&dyn Records],
) -> Result<Joint, Stopped> {
    let records_of = |w: usize| records.get(w).copied();
    assert_eq!(
        pairings.len() + 1,
        worlds.len(),
        "one pairing per world after the reference"
    );
    for world in worlds {
        check_rest(world, plan, control)?;
    }
    let steps = worlds.iter().map(|w| w.steps).max().unwrap_or(0);
    let outcome = in_pool(plan, || {
        // One fold per thread at most, as in `run`.
        units(plan)
            .par_bridge()
            .fold(
                || {
                    let workers: Vec<Worker> = (worlds.iter().enumerate())
                        .map(|(w, world)| Worker::recording(world, records_of(w)))
                        .collect();
                    (Joint::new(worlds, pairings), workers)
                },
                |(mut acc, mut workers), range| {
                    if !control.cancel.load(Ordering::Relaxed) {
                        let done = range.end - range.start;
                        for worker in &mut workers {
                            worker.start_unit(range.start);
                        }
                        for block in blocks(range) {
                            let begun = worlds.iter().zip(&mut workers).zip(&mut acc.sides);
                            for ((world, worker), agg) in begun {
                                worker.begin(world, plan.seed, block.clone(), agg);
                            }
                            record_effects(&mut acc.effects, &workers, 0);
                            for t in 1..=steps {
                                if control.cancel.load(Ordering::Relaxed) {
                                    // The run is thrown away: `finish` reports it stopped.
                                    return (acc, workers);
                                }
                                let stepped = worlds.iter().zip(&mut workers).zip(&mut acc.sides);
                                for ((world, worker), agg) in stepped {
                                    if t <= world.steps {
                                        worker.advance(world, t, agg);
                                    }
                                }
                                record_effects(&mut acc.effects, &workers, t as usize);
                            }
                            let ended = worlds.iter().zip(&mut workers).zip(&mut acc.sides);
                            for ((world, worker), agg) in ended {
                                worker.end(world, agg);
                            }
                            count_pairs(&mut acc, &workers, pairings);
                        }
                        for (w, worker) in workers.iter_mut().enumerate() {
                            worker.hand_over(records_of(w));
                        }
                        (control.progress)(done);
                    }
                    (acc, workers)
                },
            )
            .map(|(acc, _)| acc)
            .reduce_with(|mut x, y| {
                x.merge(&y);
                x
            })
            .unwrap_or_else(|| Joint::new(worlds, pairings))
    });
    finish(control, outcome)
}

/// Folds the metrics of the block's trajectory pairs at step t into the effects of each
/// world against the reference (`workers[0]`).
fn record_effects(effects: &mut [Effects], workers: &[Worker], t: usize) {
    let reference = &workers[0];
    let active = reference.active;
    for (effects, other) in effects.iter_mut().zip(&workers[1..]) {
        if t >= effects.points {
            continue;
        }
        for m in 0..effects.metrics.len() {
            let (ia, ib) = effects.metrics[m];
            let lanes = reference.trajectories[..active]
                .iter()
                .zip(&other.trajectories[..active]);
            for (ta, tb) in lanes {
                effects.record(m, t, ta.values[ia], tb.values[ib]);
            }
        }
    }
}

/// Counts, for each world against the reference, which of the block's trajectory pairs held
/// each paired outcome on both sides, one side or neither.
fn count_pairs(acc: &mut Joint, workers: &[Worker], pairings: &[Pairing]) {
    let reference = &workers[0];
    let active = reference.active;
    for (k, (pairing, other)) in pairings.iter().zip(&workers[1..]).enumerate() {
        let sides = reference.trajectories[..active]
            .iter()
            .zip(&other.trajectories[..active]);
        for (ta, tb) in sides {
            let pairs = acc.pairs[k].iter_mut().zip(&pairing.outcomes);
            for (counts, &(ia, ib)) in pairs {
                match (ta.held[ia], tb.held[ib]) {
                    (true, true) => counts.both += 1,
                    (true, false) => counts.only_a += 1,
                    (false, true) => counts.only_b += 1,
                    (false, false) => counts.neither += 1,
                }
            }
            acc.effects[k].count_trajectory();
        }
    }
}
