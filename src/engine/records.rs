//! Per-trajectory records (`--records`): one row per trajectory, handed on in trajectory
//! order whatever the threads, so the file written from them is the same bytes for any
//! `--threads` and for shards joined by `merge`.
//!
//! A worker collects the rows of its unit of work (at most a chunk) and hands them to
//! [`InOrder`], which passes units on to the writer as soon as every earlier unit has been
//! passed, and holds a worker that runs too far ahead: memory holds a few units per thread,
//! never the run.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Condvar, Mutex};

use super::streams::{trajectory_seed, Stream};
use crate::model::{OutcomeKind, World};

/// What a record holds, column by column, in the order of its row: the world's drawn
/// inputs, then per event its first step and firings, per outcome whether it held and (for
/// an "ever" outcome) its first step, per tracked metric its final value.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The drawn inputs' paths (`model::inputs`), and their slots in `world.params`.
    pub inputs: Vec<String>,
    slots: Vec<usize>,
    pub events: Vec<String>,
    pub outcomes: Vec<String>,
    /// Whether each outcome is an "ever" outcome (it then has a first step).
    pub ever: Vec<bool>,
    /// The tracked metrics' labels, as `timeseries.csv` names them.
    pub metrics: Vec<String>,
}

impl Layout {
    pub fn new(world: &World) -> Self {
        // Only the numbers that vary: a fixed one would be a constant column.
        let slots: Vec<usize> = (0..world.params.len())
            .filter(|&s| !world.params[s].sampler.is_fixed())
            .collect();
        Layout {
            inputs: slots
                .iter()
                .map(|&s| world.params[s].path.clone())
                .collect(),
            slots,
            events: world.events.iter().map(|e| e.name.clone()).collect(),
            outcomes: world.outcomes.iter().map(|o| o.name.clone()).collect(),
            ever: world
                .outcomes
                .iter()
                .map(|o| o.kind == OutcomeKind::Ever)
                .collect(),
            metrics: world
                .metrics
                .iter()
                .map(|m| world.metric_label(m))
                .collect(),
        }
    }
}

/// The rows of consecutive trajectories, each field flat and row after row (`inputs` holds
/// `layout.inputs.len()` numbers per row, and so on).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rows {
    /// The first trajectory's index.
    pub first: u64,
    pub len: usize,
    pub inputs: Vec<f64>,
    /// The step at which each event first fired, if it did.
    pub first_fired: Vec<Option<u32>>,
    pub firings: Vec<u32>,
    pub held: Vec<bool>,
    /// The step at which each outcome first held ("ever" outcomes; `None` for others).
    pub first_held: Vec<Option<u32>>,
    pub finals: Vec<f64>,
}

/// What one trajectory ended with, as the engine saw it.
pub(super) struct Ended<'a> {
    pub first_fired: &'a [Option<usize>],
    pub firings: &'a [u32],
    pub held: &'a [bool],
    pub first_held: &'a [Option<usize>],
    pub finals: &'a [f64],
}

impl Rows {
    fn starting_at(first: u64) -> Self {
        Rows {
            first,
            ..Rows::default()
        }
    }

    /// The trajectories these rows cover.
    pub fn range(&self) -> Range<u64> {
        self.first..self.first + self.len as u64
    }

    /// Appends `other`, the rows that follow these.
    pub fn append(&mut self, other: &Rows) {
        self.inputs.extend_from_slice(&other.inputs);
        self.first_fired.extend_from_slice(&other.first_fired);
        self.firings.extend_from_slice(&other.firings);
        self.held.extend_from_slice(&other.held);
        self.first_held.extend_from_slice(&other.first_held);
        self.finals.extend_from_slice(&other.finals);
        self.len += other.len;
    }

    /// Drops the first `n` rows (of `layout`).
    pub fn drain_front(&mut self, n: usize, layout: &Layout) {
        let n = n.min(self.len);
        self.inputs.drain(..n * layout.inputs.len());
        self.first_fired.drain(..n * layout.events.len());
        self.firings.drain(..n * layout.events.len());
        self.held.drain(..n * layout.outcomes.len());
        self.first_held.drain(..n * layout.outcomes.len());
        self.finals.drain(..n * layout.metrics.len());
        self.first += n as u64;
        self.len -= n;
    }

    /// Appends the row of trajectory `first + len` of a run with master seed `master`.
    /// The inputs are drawn again from their own streams, as the trajectory drew them: the
    /// value as drawn, before any clamping or rounding into the place it lands.
    pub(super) fn push(&mut self, world: &World, layout: &Layout, master: u64, ended: Ended) {
        let seed = trajectory_seed(master, self.first + self.len as u64);
        for &s in &layout.slots {
            let slot = &world.params[s];
            let stream = super::streams::stream_id(&format!("params:{}", slot.path));
            self.inputs
                .push(slot.sampler.draw(&mut Stream::new(seed, stream)));
        }
        let step = |t: &Option<usize>| t.map(|t| t as u32);
        self.first_fired.extend(ended.first_fired.iter().map(step));
        self.firings.extend_from_slice(ended.firings);
        self.held.extend_from_slice(ended.held);
        self.first_held.extend(ended.first_held.iter().map(step));
        self.finals.extend_from_slice(ended.finals);
        self.len += 1;
    }
}

/// Where rows go once they are in order: a records file.
pub trait RowSink: Send {
    fn write(&mut self, rows: &Rows) -> std::io::Result<()>;
}

/// Takes the rows of a run's units of work as they finish, in any order, and hands them to
/// the sink in trajectory order from `start`. The first error of the sink is kept and
/// nothing more is written: the command reports it once the run is over.
pub struct InOrder<S> {
    state: Mutex<Waiting<S>>,
    passed: Condvar,
    /// Rows that may wait for an earlier unit before a worker is held back.
    most_waiting: usize,
}

struct Waiting<S> {
    next: u64,
    units: BTreeMap<u64, Rows>,
    rows: usize,
    sink: S,
    error: Option<std::io::Error>,
}

/// Rows that may wait for an earlier unit: a few units per thread run ahead freely.
const MOST_WAITING: usize = 16 * super::CHUNK as usize;

impl<S: RowSink> InOrder<S> {
    pub fn new(start: u64, sink: S) -> Self {
        InOrder {
            state: Mutex::new(Waiting {
                next: start,
                units: BTreeMap::new(),
                rows: 0,
                sink,
                error: None,
            }),
            passed: Condvar::new(),
            most_waiting: MOST_WAITING,
        }
    }

    /// The sink, once the run is over, or the first error it gave.
    pub fn finish(self) -> std::io::Result<S> {
        let waiting = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        match waiting.error {
            Some(e) => Err(e),
            None => Ok(waiting.sink),
        }
    }
}

/// What the engine hands finished rows to.
pub trait Records: Sync {
    fn take(&self, rows: Rows);
}

impl<S: RowSink> Records for InOrder<S> {
    fn take(&self, rows: Rows) {
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        // A unit that is not next waits while too many rows wait already; the next one never
        // does, so the unit everyone waits for always gets through.
        while rows.first != guard.next && guard.rows >= self.most_waiting {
            guard = self.passed.wait(guard).unwrap_or_else(|e| e.into_inner());
        }
        let w = &mut *guard;
        w.rows += rows.len;
        w.units.insert(rows.first, rows);
        while let Some(rows) = w.units.remove(&w.next) {
            w.next += rows.len as u64;
            w.rows -= rows.len;
            if w.error.is_none() {
                if let Err(e) = w.sink.write(&rows) {
                    w.error = Some(e);
                }
            }
        }
        self.passed.notify_all();
    }
}

/// A worker's rows of the unit it runs.
pub(super) struct Collector {
    pub layout: Layout,
    pub rows: Rows,
}

impl Collector {
    pub fn new(world: &World) -> Self {
        Collector {
            layout: Layout::new(world),
            rows: Rows::default(),
        }
    }

    /// Starts the rows of a unit at trajectory `first`, handing back the last unit's.
    pub fn start(&mut self, first: u64) -> Rows {
        std::mem::replace(&mut self.rows, Rows::starting_at(first))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Kept(Vec<u64>);

    impl RowSink for Kept {
        fn write(&mut self, rows: &Rows) -> std::io::Result<()> {
            self.0.extend(rows.range());
            Ok(())
        }
    }

    fn unit(first: u64, len: usize) -> Rows {
        Rows {
            first,
            len,
            ..Rows::default()
        }
    }

    /// Units handed over out of order reach the sink in trajectory order, each once.
    #[test]
    fn units_finished_out_of_order_are_written_in_trajectory_order() {
        let in_order = InOrder::new(512, Kept(Vec::new()));
        for (first, len) in [(600, 40), (512, 64), (640, 10), (576, 24)] {
            in_order.take(unit(first, len));
        }
        let kept = in_order.finish().unwrap().0;
        assert_eq!(kept, (512..650).collect::<Vec<_>>());
    }
}
