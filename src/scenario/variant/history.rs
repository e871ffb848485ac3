//! What the earlier changes of a variant wrote, so that each change is checked against
//! them as well as against its base. A change that writes what an earlier one wrote is a
//! repeat of it, and one that replaces or removes what an earlier one wrote undoes it:
//! either way the earlier change does nothing, as a value listed twice in a full file would.
//! And a refusal that an earlier change caused names that change: two
//! `SetParam("eta.B", 0.5)` were refused with "eta.B is 0.5 already in the base", the
//! base's being 0.3.

use std::collections::HashMap;

/// What a change writes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Slot {
    /// Pairs, ties and weights by the places of their states (and channel), which no
    /// change alters.
    Stance(usize, usize),
    Affinity(usize, usize),
    Tie(usize, usize, usize),
    Weight(usize),
    /// A parameter by its path as written (a path has one spelling), event hazards aside.
    Param(String),
    /// When an event fires: what `SetTiming` and `SetParam("event.<name>.hazard")` write.
    Timing(String),
    /// An event whole: what `AddEvent`, `ReplaceEvent` and `RemoveEvent` write.
    Event(String),
    Outcome(String),
    /// A metric by `index::metric_key`.
    Metric(String),
    Steps,
    Trajectories,
    Seed,
}

/// How a change wrote its slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Write {
    Set,
    Added,
    Replaced,
    Removed,
}

/// One change of a variant, as a message names it.
#[derive(Debug, Clone, Copy)]
pub(super) struct ChangeRef {
    /// 1 for the first change of the list.
    pub number: usize,
    /// Where the change starts in the variant's text.
    pub anchor: Option<usize>,
    /// The word it is written with (`SetStance`).
    pub keyword: &'static str,
}

/// The last change to write each slot.
#[derive(Default)]
pub(super) struct History(HashMap<Slot, (Write, ChangeRef)>);

impl History {
    pub fn get(&self, slot: &Slot) -> Option<(Write, ChangeRef)> {
        self.0.get(slot).copied()
    }

    pub fn record(&mut self, slot: Slot, how: Write, by: ChangeRef) {
        self.0.insert(slot, (how, by));
    }

    /// `slot` is gone with the item it was part of: a later change that writes it again
    /// writes a new item's.
    pub fn forget(&mut self, slot: &Slot) {
        self.0.remove(slot);
    }
}
