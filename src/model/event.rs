//! Events, their conditions and effects, compiled to indices.

use super::shift::{self, Among};
use super::{Case, Choice, Direction, Lag, Metric, ParamTarget, State};

/// When an event may fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    /// At exactly this step.
    At(u32),
    /// At steps n, 2n, 3n, ...
    Every(u32),
    /// Each step with the probability in the trajectory's `Params::hazard[event]`.
    Hazard,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    pub description: String,
    pub actor: Option<usize>,
    pub timing: Timing,
    /// First and last step (inclusive) at which the event may fire.
    pub window: (u32, u32),
    pub when: Option<Condition>,
    pub repeat: bool,
    /// Its own effects, then those of each `directions` set.
    pub effects: Vec<Effect>,
    /// The choice group it belongs to (`model::choice`).
    pub choice: Option<Choice>,
    /// Its hazard by cases, first that holds (`model::hazard`); empty: its `hazard`.
    pub cases: Vec<Case>,
    /// The sets of effects of random direction (`model::direction`); empty: none.
    pub directions: Vec<Direction>,
    /// When each of `effects` lands (`model::lag`); empty when none is lagged.
    pub lags: Vec<Lag>,
}

impl Event {
    /// How many of `effects` the event always has (the rest are its `directions`).
    pub fn own_effects(&self) -> usize {
        self.directions
            .first()
            .map_or(self.effects.len(), |d| d.effects.start)
    }
}

/// How an effect changes a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    Add(f64),
    Scale(f64),
    Set(f64),
    /// A share's supplier gains or loses this much of the need, from or to the others in
    /// proportion (`model::shift`); of shares only (the compiler refuses it elsewhere).
    Gain(f64, Among),
    Lose(f64, Among),
}

impl Change {
    /// The number the change adds, scales by or sets.
    pub fn amount(self) -> f64 {
        match self {
            Change::Add(x) | Change::Scale(x) | Change::Set(x) => x,
            Change::Gain(x, _) | Change::Lose(x, _) => x,
        }
    }

    /// The same change by another amount (a trajectory's draw of it).
    pub fn with_amount(self, x: f64) -> Change {
        match self {
            Change::Add(_) => Change::Add(x),
            Change::Scale(_) => Change::Scale(x),
            Change::Set(_) => Change::Set(x),
            Change::Gain(_, among) => Change::Gain(x, among),
            Change::Lose(_, among) => Change::Lose(x, among),
        }
    }

    pub fn apply(self, x: f64) -> f64 {
        match self {
            Change::Add(d) => x + d,
            Change::Scale(f) => x * f,
            Change::Set(v) => v,
            // A shift moves a whole row (`Effect::Share`), never one number alone.
            Change::Gain(..) | Change::Lose(..) => x,
        }
    }
}

/// Affinities are clamped to this magnitude: tanh(5) is 0.99991, so nothing beyond it
/// changes a target, and the clamp keeps repeated `Scale` effects finite.
pub const AFFINITY_LIMIT: f64 = 5.0;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// `S[i][j]` changes (a shock that fades); clamped to [-1, 1].
    Stance { i: usize, j: usize, change: Change },
    /// `A[i][j]` changes (lasting); clamped to [-AFFINITY_LIMIT, AFFINITY_LIMIT].
    Affinity { i: usize, j: usize, change: Change },
    /// `W[k][i][j]` changes, and its anchor too when `lasting`; clamped to [0, 1], and the
    /// row scaled back to a total of 1 if it would pass it. `j == i` is the rest of the
    /// world (`model::others`). A `Gain` or `Lose` shifts the row (`model::shift`).
    Share {
        k: usize,
        i: usize,
        j: usize,
        change: Change,
        lasting: bool,
    },
    /// A parameter changes in every place it applies; clamped into its valid range.
    Param {
        targets: Vec<ParamTarget>,
        change: Change,
    },
}

impl Effect {
    /// How the effect changes its number, as the file writes it.
    pub fn change(&self) -> Change {
        match *self {
            Effect::Stance { change, .. }
            | Effect::Affinity { change, .. }
            | Effect::Share { change, .. }
            | Effect::Param { change, .. } => change,
        }
    }

    pub fn apply(&self, state: &mut State) {
        self.apply_amount(self.change().amount(), state);
    }

    /// Applies the effect with `amount` in place of the file's (a trajectory's draw).
    pub fn apply_amount(&self, amount: f64, state: &mut State) {
        self.apply_change(self.change().with_amount(amount), state);
    }

    /// Applies `change` to the effect's number (a lagged effect's part, `model::lag`).
    pub fn apply_change(&self, change: Change, state: &mut State) {
        let n = state.n;
        match *self {
            Effect::Stance { i, j, .. } => {
                let s = &mut state.stance[i * n + j];
                *s = change.apply(*s).clamp(-1.0, 1.0);
            }
            Effect::Affinity { i, j, .. } => {
                let a = &mut state.affinity[i * n + j];
                *a = change.apply(*a).clamp(-AFFINITY_LIMIT, AFFINITY_LIMIT);
            }
            Effect::Share {
                k, i, j, lasting, ..
            } if matches!(change, Change::Gain(..) | Change::Lose(..)) => {
                let row = (k * n + i) * n;
                shift_row(&mut state.share[row..row + n], j, change);
                if lasting {
                    shift_row(&mut state.anchor[row..row + n], j, change);
                }
            }
            Effect::Share {
                k, i, j, lasting, ..
            } => {
                let row = (k * n + i) * n;
                let w = &mut state.share[row + j];
                *w = change.apply(*w).clamp(0.0, 1.0);
                if lasting {
                    let a = &mut state.anchor[row + j];
                    *a = change.apply(*a).clamp(0.0, 1.0);
                }
                cap_row(&mut state.share[row..row + n]);
                cap_row(&mut state.anchor[row..row + n]);
            }
            Effect::Param { ref targets, .. } => {
                for &target in targets {
                    let v = change.apply(state.params.get(target));
                    state.params.set(target, v);
                }
            }
        }
    }
}

/// A `Gain` or `Lose` of supplier `j` in one row.
fn shift_row(row: &mut [f64], j: usize, change: Change) {
    match change {
        Change::Gain(x, among) => shift::gain(row, j, x, among),
        Change::Lose(x, among) => shift::lose(row, j, x, among),
        Change::Add(_) | Change::Scale(_) | Change::Set(_) => {}
    }
}

/// Scales a row of shares back to a total of 1 if it passes 1 (rounding, or a row of
/// effects that gives more than there is): every share effect, shift and contract ends so.
pub(super) fn cap_row(row: &mut [f64]) {
    cap_row_totalling(row, row.iter().sum());
}

/// `cap_row` of a row whose total, summed in index order, is already known.
pub(super) fn cap_row_totalling(row: &mut [f64], total: f64) {
    if total > 1.0 {
        for w in row.iter_mut() {
            *w /= total;
        }
    }
}

/// Something true or false of a trajectory at a step.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Above(Metric, f64),
    Below(Metric, f64),
    /// The event with this index has fired.
    After(usize),
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    /// The two states are in the same bloc of the current partnership matrix.
    SameBloc(usize, usize),
    /// The state keeps a partnership above `threshold` (the scenario's
    /// `between_partnership`) with a member of each bloc (`model::blocs::Standing`).
    Between {
        state: usize,
        threshold: f64,
    },
}

impl Condition {
    /// The event whose firing is all this condition asks about (`After(e)`, `Not(After(e))`,
    /// or any nesting of them in `Not`, `All` and `Any` that mentions only that event, such
    /// as `All([After(e)])` or `Not(Not(After(e)))`): an outcome with such a condition reads
    /// back the event's hazard or schedule (shown in the Events table) rather than asking
    /// about the dynamics.
    pub fn reads_back(&self) -> Option<usize> {
        match self {
            Condition::After(e) => Some(*e),
            Condition::Not(c) => c.reads_back(),
            Condition::All(cs) | Condition::Any(cs) => {
                let first = cs.first()?.reads_back()?;
                cs.iter()
                    .all(|c| c.reads_back() == Some(first))
                    .then_some(first)
            }
            _ => None,
        }
    }

    pub fn holds(&self, state: &State) -> bool {
        match self {
            Condition::Above(m, x) => m.eval(state) > *x,
            Condition::Below(m, x) => m.eval(state) < *x,
            Condition::After(e) => state.fired[*e] > 0,
            Condition::All(cs) => cs.iter().all(|c| c.holds(state)),
            Condition::Any(cs) => cs.iter().any(|c| c.holds(state)),
            Condition::Not(c) => !c.holds(state),
            Condition::SameBloc(i, j) => {
                super::blocs::same_bloc(&state.stance, &state.weight, state.n, *i, *j)
            }
            Condition::Between {
                state: i,
                threshold,
            } => super::blocs::between(&state.stance, &state.weight, state.n, *i, *threshold),
        }
    }
}
