//! Lags (docs/src/reference/events.md, "Lags"): an effect that lands some steps after its
//! event fires (`Delay`), or in equal parts over several steps (`Over`), as a delivery
//! does. A lagged effect on its way is a `Pending` in the trajectory's state; its parts
//! land before the events of their step.

use super::watch::Watch;
use super::{Change, Effect, State};

/// When an effect lands: `delay` steps after its event fires, in `over` parts one step
/// apart. `Lag::NONE` is at once, whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lag {
    pub delay: u32,
    pub over: u32,
}

impl Lag {
    pub const NONE: Lag = Lag { delay: 0, over: 1 };

    pub fn is_none(self) -> bool {
        self == Lag::NONE
    }
}

/// A lagged effect on its way: event `event`'s effect `effect` (counted within the event),
/// whose next part lands at step `next`, with `left` of its `parts` still to land.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pending {
    pub event: usize,
    pub effect: usize,
    pub next: u32,
    pub left: u32,
    pub parts: u32,
}

/// Lands one part of `effect`, whose whole change is `change`, with `left` of `parts` parts
/// still to land (this one included):
/// - `Add(x)` adds x / parts, so the parts sum to x;
/// - `Scale(f)` scales by f^(1 / parts) (f > 0, checked when the file is read), so the
///   parts multiply to f;
/// - `Gain(x)` and `Lose(x)` move x / parts each, so the parts move x while the suppliers
///   they take from have enough left;
/// - `Set(v)` closes 1 / left of the gap between the number and v, so the last part sets
///   v exactly, and a number nothing else moves goes to v in equal steps.
pub fn land_part(effect: &Effect, change: Change, parts: u32, left: u32, state: &mut State) {
    match change {
        Change::Add(x) => effect.apply_change(Change::Add(x / f64::from(parts)), state),
        Change::Gain(x, among) => {
            effect.apply_change(Change::Gain(x / f64::from(parts), among), state);
        }
        Change::Lose(x, among) => {
            effect.apply_change(Change::Lose(x / f64::from(parts), among), state);
        }
        Change::Scale(f) => {
            let root = libm::pow(f, 1.0 / f64::from(parts));
            effect.apply_change(Change::Scale(root), state);
        }
        Change::Set(v) if left <= 1 => effect.apply_change(Change::Set(v), state),
        Change::Set(v) => {
            // x + (v - x) / left, as a scaling and an addition, so it reaches every number
            // an effect can change (all of a `Param` path's places) without reading them.
            let left = f64::from(left);
            effect.apply_change(Change::Scale(1.0 - 1.0 / left), state);
            effect.apply_change(Change::Add(v / left), state);
        }
    }
}

/// Lands every part due at step `t`, in the order the effects were set on their way.
/// Returns whether any landed (and so may have changed the state).
/// `watch` sees the state around each part, as it sees an event's effects.
pub fn land_due<const L: usize>(
    events: &[super::Event],
    state: &mut State,
    t: u32,
    (watch, l): (&mut impl Watch<L>, usize),
) -> bool {
    let mut landed = false;
    let mut x = 0;
    while x < state.pending.len() {
        let p = state.pending[x];
        if p.next == t {
            let start = state.effects_of[p.event];
            let effect = &events[p.event].effects[p.effect];
            let change = effect.change().with_amount(state.amount[start + p.effect]);
            watch.before_change(l, state);
            land_part(effect, change, p.parts, p.left, state);
            watch.after_landing(l, p.event, state);
            landed = true;
            let p = &mut state.pending[x];
            p.left -= 1;
            p.next += 1;
        }
        x += 1;
    }
    state.pending.retain(|p| p.left > 0);
    landed
}

/// Sets effect `x` of event `e`, fired at step `t`, on its way: its first part lands now
/// when it has no delay.
pub fn set_off(events: &[super::Event], state: &mut State, e: usize, x: usize, t: u32) {
    let lag = state.lag[state.effects_of[e] + x];
    let mut pending = Pending {
        event: e,
        effect: x,
        next: t.saturating_add(lag.delay),
        left: lag.over,
        parts: lag.over,
    };
    if lag.delay == 0 {
        let effect = &events[e].effects[x];
        let change = effect
            .change()
            .with_amount(state.amount[state.effects_of[e] + x]);
        land_part(effect, change, lag.over, lag.over, state);
        pending.left -= 1;
        pending.next = t.saturating_add(1);
    }
    if pending.left > 0 {
        state.pending.push(pending);
    }
}
