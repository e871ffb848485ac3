//! The background (the book's "The background", `docs/src/reference/background.md`): what
//! happens that no listed event explains.
//!
//! Three processes run in every trajectory of a world that has a background, each a Poisson
//! process in time with its own random stream, so that adding or removing an event, a
//! range or another process changes none of its draws:
//!
//! - **jumps in relations**: at `jump_rate` a year per directed relation, the affinity
//!   `A[i][j]` of one relation shifts by a Laplace-distributed amount of scale
//!   `jump_scale`. A shift of the affinity lasts (the stance moves to its new target and
//!   stays there, as a realignment does); a shift of the stance would fade within a few
//!   years, which the five-year moves of the UN panel do not do. Per directed relation,
//!   because the panel measures one state's move toward one pole, not a pair's;
//! - **entry and exit of suppliers**: at `supplier_rate` a year per recipient and channel
//!   with imports, a contract goes to one supplier, chosen with weight `share^(3/4)` (plus
//!   `ENTRY` for a state that is not hostile to the recipient, and for the outside, the
//!   suppliers not in the world): it wins a part of the market, Kumaraswamy(1/2, b) with
//!   mean `supplier_size`, which every other supplier loses in proportion. A zero share can
//!   grow, a dominant one can collapse, and the change lasts (shares and anchors alike);
//! - **exits**: a listed supplier with a share `s` of a market leaves it at
//!   `exit_rate · ln(1 / s) (1 − s)` a year (`s` taken at least `EXIT_FLOOR`: small
//!   suppliers leave most often, a dominant one seldom, one with the whole market never),
//!   and what it supplied goes to one heir, drawn as a contract's winner is. Proportional losses alone
//!   never bring a share to 0, while in the SIPRI panel a supplier with a tenth to a fifth
//!   of a recipient's imports has none in the next five years about a quarter of the time.
//!
//! The defaults and the form were fitted on the SIPRI arms panel and the UN ideal points
//! by `scripts/fit_background.py` (its output: `scripts/background_fit.txt`).
//!
//! Draws happen only when something happens: each process keeps the time of its next
//! event (exponential waiting times), so a step without an event costs one comparison per
//! process, and a world without a background none at all. Exits are thinned: candidates
//! come at the rate of a supplier at `EXIT_FLOOR` in every slot of every market, and one is
//! kept with the ratio of its supplier's rate to that (a share of 0 is never kept), so the
//! rates never need summing over shares that move every step. A contract costs two 64-bit
//! draws and no logarithm: its size and the wait for the next event are two exponentials
//! from one draw (a ziggurat, `Randomness::background_exponential_pair`), its two choices
//! share the other (`Randomness::background_pair`), and what a trajectory's
//! parameters fix (the rates, the shape of a contract's part) is worked out once, at its
//! first step.

use super::lanes::Lanes;
use super::{Randomness, State, AFFINITY_LIMIT};

/// The background's parameters, each drawn once per trajectory like any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackgroundParam {
    /// Expected jumps per directed relation per year.
    JumpRate,
    /// The Laplace scale of a jump of an affinity.
    JumpScale,
    /// Expected supplier changes per recipient and channel per year.
    SupplierRate,
    /// The mean part of the market a supplier change moves.
    SupplierSize,
    /// A listed supplier's exits from a market per year at a share of 1/e (its rate is
    /// this times ln(1 / share)).
    ExitRate,
}

impl BackgroundParam {
    pub const ALL: [BackgroundParam; 5] = [
        BackgroundParam::JumpRate,
        BackgroundParam::JumpScale,
        BackgroundParam::SupplierRate,
        BackgroundParam::SupplierSize,
        BackgroundParam::ExitRate,
    ];

    /// The field of `Background(...)` and the last part of its path `background.<name>`.
    pub fn name(self) -> &'static str {
        match self {
            BackgroundParam::JumpRate => "jump_rate",
            BackgroundParam::JumpScale => "jump_scale",
            BackgroundParam::SupplierRate => "supplier_rate",
            BackgroundParam::SupplierSize => "supplier_size",
            BackgroundParam::ExitRate => "exit_rate",
        }
    }

    /// Where the value sits in `Params::background`.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The valid range (inclusive).
    pub fn range(self) -> (f64, f64) {
        match self {
            // Ten jumps a year in every relation is noise, not a background.
            BackgroundParam::JumpRate => (0.0, 10.0),
            // The affinity's own limit: a larger typical jump is always clamped.
            BackgroundParam::JumpScale => (0.0, AFFINITY_LIMIT),
            // Fifty contracts a year re-deal every market every week.
            BackgroundParam::SupplierRate => (0.0, 50.0),
            // A mean part of 0.9 leaves the fraction's shape degenerate (b near 0).
            BackgroundParam::SupplierSize => (0.001, 0.9),
            // At 2 a year a supplier at a tenth of a market stays about 2 months.
            BackgroundParam::ExitRate => (0.0, 2.0),
        }
    }
}

/// The weight with which a supplier without a share may win a contract, beside
/// `share^(3/4)` (`market_weight`) for one with a share (fitted with the other defaults on
/// the SIPRI panel, newcomers among its targets: `scripts/background_fit.txt`).
pub const ENTRY: f64 = 0.085;

/// A supplier's weight for the next contract of a market, and for a leaver's part:
/// `share^(3/4)`, computed as `r √r` with `r = √share` (two square roots, where `pow` is a
/// logarithm and an exponential). Between a share's square root (which favours the small
/// suppliers) and the share itself (the top wins in proportion to its size): fitted with
/// `ENTRY` and the rates on the panel's five-year moves of the top supplier, exits and
/// newcomers together (`scripts/background_fit.txt`); with `√share` and an entry weight
/// large enough for the panel's newcomers, the top supplier gained too seldom.
#[inline(always)]
pub fn market_weight(share: f64) -> f64 {
    let root = libm::sqrt(share);
    root * libm::sqrt(root)
}

/// The share below which a supplier's exit rate stops growing (`ln(1 / s)` has no bound at
/// 0): a two-hundredth of a market, the panel's smallest bin being a fiftieth
/// (`scripts/background_fit.txt`).
pub const EXIT_FLOOR: f64 = 0.005;

/// The most an exit rate is, in units of `exit_rate`: `exit_weight` at the floor.
pub const EXIT_CEILING: f64 = 5.271_825_779_715_296_5;

/// A world's background: what it needs besides the drawn parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Background {
    /// Steps in a year (a quarter: 4), to turn the yearly rates into rates per step.
    pub steps_per_year: f64,
    /// The (channel, recipient) rows with imports at the start: the markets in which
    /// suppliers come and go. A row without any listed supplier stays self-reliant.
    pub rows: Vec<(usize, usize)>,
}

/// Which of the background's streams a draw comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Process {
    Jumps,
    Suppliers,
    Exits,
}

/// When each process fires next, in steps since the start (continuous time: an event at
/// time τ lands at the first step t ≥ τ), reset per trajectory; what the trajectory's
/// drawn parameters fix, set at its first step; and room for a market's weights,
/// allocated once.
#[derive(Debug, Clone, PartialEq)]
pub struct Clock {
    next_jump: f64,
    next_supplier: f64,
    /// The next candidate exit (thinned: `Background::exit`).
    next_exit: f64,
    /// Each process's mean time between events, in steps (1 / its rate per step,
    /// `Background::rates`; infinite for a rate of 0): a wait is an exponential times it,
    /// a multiplication where a division by the rate took four times as long.
    jump_wait: f64,
    supplier_wait: f64,
    exit_wait: f64,
    /// 1 / b of a contract's part, Kumaraswamy(1/2, b) (`shape`).
    inverse_shape: f64,
    /// The background's parameters the above were worked out from: an event's `Param` that
    /// changes one is seen at the next step (`Background::retune`).
    tuned_to: [f64; 5],
    /// A market's running totals of weights (`Background::contract`; `others::contract`
    /// keeps its weights there).
    pub(super) weights: Vec<f64>,
}

impl Clock {
    pub fn new(n: usize) -> Self {
        Clock {
            next_jump: f64::INFINITY,
            next_supplier: f64::INFINITY,
            next_exit: f64::INFINITY,
            jump_wait: f64::INFINITY,
            supplier_wait: f64::INFINITY,
            exit_wait: f64::INFINITY,
            inverse_shape: 1.0,
            tuned_to: [f64::NAN; 5],
            weights: vec![0.0; n],
        }
    }

    pub fn reset(&mut self) {
        self.next_jump = f64::INFINITY;
        self.next_supplier = f64::INFINITY;
        self.next_exit = f64::INFINITY;
    }
}

impl Background {
    /// Applies what the background brings by step `t` to `state`, and to lane `l` of
    /// `kernel` each entry it changes (unless `reload`: the whole lane is then loaded
    /// afterwards). Loading only those entries keeps the background cheap: a full load
    /// after every change doubled the time of a run of putin_visit.ron, where something
    /// changes in most steps. The first step also starts the clock. Returns whether
    /// anything changed.
    pub fn apply<const L: usize>(
        &self,
        state: &mut State,
        t: u32,
        rng: &mut impl Randomness,
        (kernel, l, reload): (&mut Lanes<L>, usize, bool),
    ) -> bool {
        if t == 1 {
            self.start(state, rng);
        } else if state.params.background != state.clock.tuned_to {
            self.retune(state, rng, f64::from(t - 1));
        }
        let now = f64::from(t);
        let mut changed = false;
        // A process that fires has a finite mean wait: its next time is finite too.
        while state.clock.next_jump <= now {
            let (ij, exponential) = jump(state, rng);
            if !reload {
                kernel.load_affinity(l, state, ij);
            }
            state.clock.next_jump += exponential * state.clock.jump_wait;
            changed = true;
        }
        while state.clock.next_supplier <= now {
            let exponential = self.contract(state, rng, (&mut *kernel, l, reload));
            state.clock.next_supplier += exponential * state.clock.supplier_wait;
            changed = true;
        }
        while state.clock.next_exit <= now {
            let exponential = self.exit(state, rng, (&mut *kernel, l, reload));
            state.clock.next_exit += exponential * state.clock.exit_wait;
            changed = true;
        }
        changed
    }

    /// Starts the clock of a trajectory: what its drawn parameters fix, and the time of
    /// each process's first event.
    fn start(&self, state: &mut State, rng: &mut impl Randomness) {
        self.tune(state);
        let clock = &mut state.clock;
        clock.next_jump = first_time(rng.background_exponential(Process::Jumps), clock.jump_wait);
        clock.next_supplier = first_time(
            rng.background_exponential(Process::Suppliers),
            clock.supplier_wait,
        );
        clock.next_exit = first_time(rng.background_exponential(Process::Exits), clock.exit_wait);
    }

    /// Works out what the trajectory's background parameters fix: each process's mean wait
    /// and the shape of a contract's part.
    fn tune(&self, state: &mut State) {
        let (jump_rate, supplier_rate, exit_rate) = self.rates(state);
        let size = state.params.background[BackgroundParam::SupplierSize.index()];
        let clock = &mut state.clock;
        clock.jump_wait = mean_wait(jump_rate);
        clock.supplier_wait = mean_wait(supplier_rate);
        clock.exit_wait = mean_wait(exit_rate);
        clock.inverse_shape = 1.0 / shape(size);
        clock.tuned_to = state.params.background;
    }

    /// An event changed the background's parameters (`Param("background.…", …)`): from the
    /// start of this step, `since`, as the step's other parameters do, each process runs at
    /// its new rate. Its wait past `since` is an exponential of the old mean (it has no
    /// memory), so scaled by the ratio of the means it is one of the new: the same law as a
    /// clock started afresh. A process that could not fire (rate 0) draws its wait anew.
    fn retune(&self, state: &mut State, rng: &mut impl Randomness, since: f64) {
        let (old_jump, old_supplier, old_exit) = (
            state.clock.jump_wait,
            state.clock.supplier_wait,
            state.clock.exit_wait,
        );
        self.tune(state);
        let clock = &mut state.clock;
        clock.next_jump = rescaled(clock.next_jump, since, old_jump, clock.jump_wait, || {
            rng.background_exponential(Process::Jumps)
        });
        clock.next_supplier = rescaled(
            clock.next_supplier,
            since,
            old_supplier,
            clock.supplier_wait,
            || rng.background_exponential(Process::Suppliers),
        );
        clock.next_exit = rescaled(clock.next_exit, since, old_exit, clock.exit_wait, || {
            rng.background_exponential(Process::Exits)
        });
    }

    /// Each process's rate per step: per relation or per market, times how many there are;
    /// for exits, the rate of candidates (a supplier at `EXIT_FLOOR` in every state's slot of
    /// every market: `exit`).
    fn rates(&self, state: &State) -> (f64, f64, f64) {
        let p = &state.params.background;
        let n = state.n as f64;
        let relations = n * (n - 1.0);
        let jumps = p[BackgroundParam::JumpRate.index()] * relations / self.steps_per_year;
        let markets = self.rows.len() as f64;
        let contracts = p[BackgroundParam::SupplierRate.index()] * markets / self.steps_per_year;
        let slots = markets * (n - 1.0);
        let exits =
            p[BackgroundParam::ExitRate.index()] * EXIT_CEILING * slots / self.steps_per_year;
        (jumps, contracts, exits)
    }

    /// One candidate exit: a market and one of its suppliers' slots chosen uniformly (the
    /// recipient's own slot, the outside or `Others`, never leaves), kept with probability
    /// `exit_weight(s) / EXIT_CEILING` for a supplier of share s (1 below the floor, 0 for a
    /// share of 0): so each supplier leaves at `exit_rate · ln(1 / s) (1 − s)`. A supplier that
    /// leaves loses its share and its anchor to one successor, chosen as a contract's winner
    /// is (`successor`). Returns the exponential of the wait for the next candidate.
    fn exit<const L: usize>(
        &self,
        state: &mut State,
        rng: &mut impl Randomness,
        (kernel, l, reload): (&mut Lanes<L>, usize, bool),
    ) -> f64 {
        let n = state.n;
        let (pick, keep) = rng.background_pair(Process::Exits);
        let wait = rng.background_exponential(Process::Exits);
        let slots = self.rows.len() * (n - 1);
        let slot = ((pick * slots as f64) as usize).min(slots - 1);
        let (k, i) = self.rows[slot / (n - 1)];
        let other = slot % (n - 1);
        let j = other + usize::from(other >= i);
        let row = (k * n + i) * n;
        let share = state.share[row + j];
        // Kept with probability exit_weight / EXIT_CEILING; a share of 0 (an empty slot) is
        // never kept.
        if share > 0.0 && exit_weight(share) > keep * EXIT_CEILING {
            let heir = successor(
                state,
                (row, n, i),
                j,
                rng.background_uniform(Process::Exits),
            );
            leave(state, (row, i), (j, heir));
            if !reload {
                kernel.load_row(l, state, (row, n));
            }
        }
        wait
    }

    /// One supplier change in one market: a winner takes a part of it from all the others,
    /// and the row reaches lane `l` of `kernel` unless the lane is reloaded anyway. Returns
    /// the exponential of the wait for the next change.
    fn contract<const L: usize>(
        &self,
        state: &mut State,
        rng: &mut impl Randomness,
        (kernel, l, reload): (&mut Lanes<L>, usize, bool),
    ) -> f64 {
        let n = state.n;
        let (pick, choice) = rng.background_pair(Process::Suppliers);
        let (k, i) = self.rows[((pick * self.rows.len() as f64) as usize).min(self.rows.len() - 1)];
        let row = (k * n + i) * n;
        // Drawn first: its exponential does not wait for the weights below.
        let (exponential, wait) = rng.background_exponential_pair(Process::Suppliers);
        let part = fraction(exponential, state.clock.inverse_shape);
        if state.others {
            let row = super::others::contract(state, (choice, part), row, i);
            if !reload {
                kernel.load_row(l, state, (row, n));
            }
            return wait;
        }
        // A world of up to eight states (most an analyst writes) deals in rows whose length
        // the compiler knows, so that the loops of `deal` and of loading the row into the
        // lane are unrolled: counting their turns was about a third of a contract's
        // instructions (cachegrind). The same arithmetic in the same order, so the same bits.
        let lane = (kernel, l, reload);
        match n {
            2 => deal(state, (row, 2, i), (choice, part), lane),
            3 => deal(state, (row, 3, i), (choice, part), lane),
            4 => deal(state, (row, 4, i), (choice, part), lane),
            5 => deal(state, (row, 5, i), (choice, part), lane),
            6 => deal(state, (row, 6, i), (choice, part), lane),
            7 => deal(state, (row, 7, i), (choice, part), lane),
            8 => deal(state, (row, 8, i), (choice, part), lane),
            _ => deal(state, (row, n, i), (choice, part), lane),
        }
        wait
    }
}

/// The contract of market `row` (of `n` states, recipient `i`) goes to the supplier whose
/// weight the draw `choice` falls on, which wins `part` of the market; the row then reaches
/// lane `l` of `kernel`, unless the lane is reloaded anyway.
#[inline(always)]
fn deal<const L: usize>(
    state: &mut State,
    (row, n, i): (usize, usize, usize),
    (choice, part): (f64, f64),
    (kernel, l, reload): (&mut Lanes<L>, usize, bool),
) {
    // Never so (a market's recipient is one of its states), but said, the compiler drops
    // the bounds checks of the stances below.
    if i >= n {
        return;
    }
    let shares = &state.share[row..row + n];
    let outside = (1.0 - shares.iter().sum::<f64>()).max(0.0);
    // Running totals of the weights in row order, the recipient's own slot standing for
    // the outside; in one pass (two passes of square roots were a sixth of a run) and
    // without a branch on the data (a share's weight is taken at max(share, 0), not behind
    // a test), and the winner is the count of totals the draw passes (its first total above
    // the draw), not a loop that stops at it and mispredicts where it does.
    let totals = &mut state.clock.weights[..n];
    let stance = &state.stance[..n * n];
    let mut total = 0.0;
    for (j, (running, &share)) in totals.iter_mut().zip(shares).enumerate() {
        let own = j == i;
        let share = choose(own, outside, share);
        let open = own | (stance[i * n + j] + stance[j * n + i] >= 0.0);
        total += market_weight(share.max(0.0)) + choose(open, ENTRY, 0.0);
        *running = total;
    }
    let u = choice * total;
    let winner = totals.iter().filter(|&&t| t <= u).count().min(n - 1);
    // The outside's gain is what the listed suppliers lost: nothing to add.
    let gainer = if winner == i { n } else { winner };
    let (shares, anchors) = (&mut state.share, &mut state.anchor);
    take_part(
        &mut shares[row..row + n],
        &mut anchors[row..row + n],
        gainer,
        part,
    );
    if !reload {
        kernel.load_row(l, state, (row, n));
    }
}

/// Supplier `gainer` of a market (none if it is past the row's end) wins `part` of it, which
/// every supplier loses in proportion, in shares and anchors alike; a row that then passes
/// 1 is scaled back (`event::cap_row`). Bit for bit what scaling each row, adding the part
/// and `cap_row` give, in one pass over both rows: their totals are two chains of additions
/// that run side by side, where two passes of each row waited for one chain after another.
#[inline(always)]
fn take_part(shares: &mut [f64], anchors: &mut [f64], gainer: usize, part: f64) {
    let keep = 1.0 - part;
    let (mut share_total, mut anchor_total) = (0.0, 0.0);
    for (j, (share, anchor)) in shares.iter_mut().zip(anchors.iter_mut()).enumerate() {
        let (kept_share, kept_anchor) = (*share * keep, *anchor * keep);
        // A choice of values, not a branch: the winner's place is a coin the predictor
        // cannot learn.
        let wins = j == gainer;
        *share = if wins { kept_share + part } else { kept_share };
        *anchor = if wins {
            kept_anchor + part
        } else {
            kept_anchor
        };
        share_total += *share;
        anchor_total += *anchor;
    }
    super::event::cap_row_totalling(shares, share_total);
    super::event::cap_row_totalling(anchors, anchor_total);
}

/// A supplier's exit rate in units of `exit_rate`: ln(1 / s) (1 − s), so that a supplier
/// with the whole market (a share of 1) never leaves and a dominant one seldom does (one
/// alone with part of a market leaves at the rate of its share); a share below the floor
/// counts as the floor, where the rate is greatest (`EXIT_CEILING`).
fn exit_weight(share: f64) -> f64 {
    let s = share.max(EXIT_FLOOR);
    libm::log(1.0 / s) * (1.0 - s)
}

/// Who takes over supplier `leaver`'s part of market `row` (of `n` states, recipient `i`):
/// the supplier a contract's draw `choice` would pick (weights `market_weight`, plus `ENTRY` for a
/// state on good terms with the recipient), the leaver left out. The recipient's own slot
/// stands for the outside (what the row leaves: the suppliers not in the world), or for
/// `Others` in a world that names it, as in a contract. The part so goes mostly to the
/// larger suppliers, listed or not, and the row's listed total stays where a contract
/// would leave it on average: sending every part to the outside drained the listed
/// suppliers year after year.
fn successor(
    state: &State,
    (row, n, i): (usize, usize, usize),
    leaver: usize,
    choice: f64,
) -> usize {
    let shares = &state.share[row..row + n];
    let outside = (1.0 - shares.iter().sum::<f64>()).max(0.0);
    let weight = |j: usize| {
        let own = j == i;
        let share = if own && !state.others {
            outside
        } else {
            shares[j]
        };
        let open = own || state.stance[i * n + j] + state.stance[j * n + i] >= 0.0;
        let weight = market_weight(share.max(0.0)) + if open { ENTRY } else { 0.0 };
        if j == leaver {
            0.0
        } else {
            weight
        }
    };
    let total: f64 = (0..n).map(weight).sum();
    let mut u = choice * total;
    for j in 0..n {
        let w = weight(j);
        if u < w {
            return j;
        }
        u -= w;
    }
    // Rounding left the draw past the last total: the last supplier with a weight.
    (0..n).rev().find(|&j| weight(j) > 0.0).unwrap_or(i)
}

/// Supplier `leaver` leaves market `row`: its share and anchor go to `heir`, or, when the heir
/// is the outside (the recipient's own slot in a world without `Others`), to what the row
/// leaves. The row's total is unchanged.
fn leave(state: &mut State, (row, i): (usize, usize), (leaver, heir): (usize, usize)) {
    let outside = heir == i && !state.others;
    for entries in [&mut state.share, &mut state.anchor] {
        let part = std::mem::take(&mut entries[row + leaver]);
        if !outside {
            entries[row + heir] += part;
        }
    }
}

/// `a` if `c`, else `b`, picked with a mask of bits. Written as `if`s (and `||`), the
/// weights' choices compiled to branches, each a coin the predictor cannot learn (which
/// slot is the recipient's, which suppliers are open to it).
#[inline(always)]
fn choose(c: bool, a: f64, b: f64) -> f64 {
    let mask = 0u64.wrapping_sub(u64::from(c));
    f64::from_bits((a.to_bits() & mask) | (b.to_bits() & !mask))
}

/// One jump: a directed relation chosen uniformly, its affinity shifted by a Laplace draw.
/// Returns the relation's entry and the exponential of the wait for the next jump.
fn jump(state: &mut State, rng: &mut impl Randomness) -> (usize, f64) {
    let n = state.n;
    let relations = n * (n - 1);
    let (pick, side) = rng.background_pair(Process::Jumps);
    let r = ((pick * relations as f64) as usize).min(relations - 1);
    let (i, other) = (r / (n - 1), r % (n - 1));
    let j = other + usize::from(other >= i);
    let scale = state.params.background[BackgroundParam::JumpScale.index()];
    let (size, wait) = rng.background_exponential_pair(Process::Jumps);
    let shift = laplace(side < 0.5, size, scale);
    let a = &mut state.affinity[i * n + j];
    *a = (*a + shift).clamp(-AFFINITY_LIMIT, AFFINITY_LIMIT);
    (i * n + j, wait)
}

/// The mean time between events of a process of `rate` per step; infinite (it never
/// fires) for a rate of 0, or one so small that its inverse is.
fn mean_wait(rate: f64) -> f64 {
    if rate > 0.0 {
        1.0 / rate
    } else {
        f64::INFINITY
    }
}

/// A process's next time after its mean wait went from `old` to `new` at `since` (its next
/// time was past `since`): unchanged if its mean is (an event that moved only the other
/// process, or the jumps' scale, leaves its bits alone); the wait left, scaled; a fresh wait
/// if it could not fire before; never if it cannot now.
fn rescaled(next: f64, since: f64, old: f64, new: f64, fresh: impl FnOnce() -> f64) -> f64 {
    if new == old {
        next
    } else if !new.is_finite() {
        f64::INFINITY
    } else if !next.is_finite() || !old.is_finite() {
        since + first_time(fresh(), new)
    } else {
        since + (next - since) * (new / old)
    }
}

/// The time of a process's first event, from an exponential of mean 1 (which may be 0:
/// never multiplied by an infinite wait, which would give NaN).
fn first_time(exponential: f64, mean_wait: f64) -> f64 {
    if mean_wait.is_finite() {
        exponential * mean_wait
    } else {
        f64::INFINITY
    }
}

/// The Laplace distribution of scale `scale`: an exponential of mean 1 on the side a fair
/// coin chose. A jump beyond the affinity's whole range means the same as one across it,
/// so the draw is bounded there.
fn laplace(negative: bool, exponential: f64, scale: f64) -> f64 {
    let x = (scale * exponential).min(2.0 * AFFINITY_LIMIT);
    if negative {
        -x
    } else {
        x
    }
}

/// The b of Kumaraswamy(1/2, b) whose mean, 2 / ((b + 1)(b + 2)), is `size`.
fn shape(size: f64) -> f64 {
    (-3.0 + libm::sqrt(1.0 + 8.0 / size)) / 2.0
}

/// The part of a market a contract moves: Kumaraswamy(1/2, b), mostly small, sometimes most
/// of the market (the panel's collapses). Its quantile 1 − (1 − (1 − u)^(1/b))^2 is written
/// with the exponential E = −ln(1 − u): (1 − u)^(1/b) = e^(−E/b) (libm's pow was a fifth
/// of a run, and the logarithm is the ziggurat's to avoid). `math::exp_of_negative`: a
/// table and four terms, where libm's exp took a quarter of the background's time and the
/// step's `math::exp` is a long chain of twelve terms made for rows of lanes.
fn fraction(exponential: f64, inverse_shape: f64) -> f64 {
    let x = 1.0 - super::math::exp_of_negative(-exponential * inverse_shape);
    (x * x).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::fixtures::world;
    use crate::model::State;

    /// Uniform draws from a small generator, as the engine's streams give them.
    struct Dice(u64);

    impl Randomness for Dice {
        fn standard_normal(&mut self) -> f64 {
            0.0
        }
        fn event_uniform(&mut self, _: usize) -> f64 {
            0.5
        }
        fn background_uniform(&mut self, _: Process) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// Thousands of jumps and contracts at the parameters' extremes: every share and anchor
    /// stays in [0, 1], every row at most 1, every affinity within its limit; zero shares
    /// grow and dominant ones collapse.
    #[test]
    fn shares_stay_valid_and_suppliers_come_and_go() {
        let mut w = world(6, 3);
        let n = 6;
        // Channel 0: one dominant supplier each (0.9), the rest 0.
        for i in 0..n {
            let row = &mut w.share[i * n..(i + 1) * n];
            row.fill(0.0);
            row[(i + 1) % n] = 0.9;
        }
        let rows = (0..3).flat_map(|k| (0..n).map(move |i| (k, i))).collect();
        let background = Background {
            steps_per_year: 4.0,
            rows,
        };
        let mut state = State::new(&w);
        state.params.background = [10.0, AFFINITY_LIMIT, 50.0, 0.9, 2.0];
        let start = state.share.clone();
        let mut dice = Dice(3);
        let mut kernel = Lanes::<1>::new(&w);
        let mut changed = 0;
        for t in 1..=200 {
            changed +=
                usize::from(background.apply(&mut state, t, &mut dice, (&mut kernel, 0, true)));
            for shares in [&state.share, &state.anchor] {
                assert!(shares.iter().all(|w| (0.0..=1.0).contains(w)));
                for row in shares.chunks(n) {
                    assert!(row.iter().sum::<f64>() <= 1.0 + 1e-12);
                }
            }
            assert!(state.affinity.iter().all(|a| a.abs() <= AFFINITY_LIMIT));
        }
        assert_eq!(changed, 200, "at these rates something happens every step");
        let grew = (0..n * n).filter(|&ij| start[ij] == 0.0 && state.share[ij] > 0.01);
        let fell = (0..n * n).filter(|&ij| start[ij] == 0.9 && state.share[ij] < 0.3);
        assert!(grew.count() > 0 && fell.count() > 0);
    }

    /// `take_part` gives the bits of its textbook form: each row scaled, the winner's part
    /// added, then `cap_row`; for every winner, the outside (past the row) included, and
    /// rows that pass 1.
    #[test]
    fn taking_a_part_in_one_pass_gives_the_bits_of_the_textbook_form() {
        let mut dice = Dice(5);
        for case in 0..2000 {
            let n = 1 + case % 7;
            let mut row = |scale: f64| -> Vec<f64> {
                (0..n)
                    .map(|_| scale * dice.background_uniform(Process::Suppliers))
                    .collect()
            };
            let (shares, anchors) = (row(2.0 / n as f64), row(1.5 / n as f64));
            let part = [0.0, 1e-9, 0.3, 0.999, 1.0][case % 5] * (1.0 - 1e-3 * (case % 3) as f64);
            let gainer = case % (n + 1);
            let (mut fast_shares, mut fast_anchors) = (shares.clone(), anchors.clone());
            take_part(&mut fast_shares, &mut fast_anchors, gainer, part);
            for (mut slow, fast) in [(shares, fast_shares), (anchors, fast_anchors)] {
                for w in slow.iter_mut() {
                    *w *= 1.0 - part;
                }
                if gainer < n {
                    slow[gainer] += part;
                }
                crate::model::event::cap_row(&mut slow);
                let bits = |row: &[f64]| row.iter().map(|w| w.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&fast), bits(&slow), "case {case}");
            }
        }
    }

    /// The ceiling is the greatest rate: the floor's, which every smaller share takes.
    #[test]
    fn the_exit_ceiling_is_the_rate_at_the_floor_and_the_greatest() {
        assert_eq!(EXIT_CEILING, exit_weight(EXIT_FLOOR));
        for k in 0..=10_000 {
            let share = f64::from(k) / 10_000.0;
            assert!(exit_weight(share) <= EXIT_CEILING, "share {share}");
        }
    }

    /// A supplier that leaves loses its share and anchor to its heir alone, and the row's
    /// total is unchanged; an heir that is the recipient's own slot is the outside without
    /// `Others` (what the row leaves grows) and `Others` with it.
    #[test]
    fn a_supplier_that_leaves_gives_its_part_to_its_heir_alone() {
        let w = world(4, 1);
        let (row, i, leaver) = (4, 1, 2);
        for (others, heir) in [(false, 3), (false, 1), (true, 1), (true, 0)] {
            let mut state = State::new(&w);
            state.others = others;
            state.share[row + i] = if others { 0.1 } else { 0.0 };
            state.anchor[row + i] = state.share[row + i];
            let (share, anchor) = (state.share.clone(), state.anchor.clone());
            leave(&mut state, (row, i), (leaver, heir));
            for (after, before) in [(&state.share, &share), (&state.anchor, &anchor)] {
                let case = format!("others {others}, heir {heir}");
                assert_eq!(after[row + leaver], 0.0, "{case}");
                for k in (0..4).filter(|&k| k != heir && k != leaver) {
                    assert_eq!(after[row + k], before[row + k], "{case}");
                }
                let gained = if heir == i && !others {
                    0.0
                } else {
                    before[row + leaver]
                };
                assert_eq!(after[row + heir], before[row + heir] + gained, "{case}");
            }
        }
    }

    /// The heir is drawn as a contract's winner is, the leaver left out: over many draws each
    /// other supplier's frequency is its weight over the total (share^(3/4), plus ENTRY if on
    /// good terms; the outside, in the recipient's slot, weighs (1 − the row)^(3/4)).
    #[test]
    fn a_leavers_heir_is_drawn_with_the_contract_weights() {
        let w = world(4, 1);
        let mut state = State::new(&w);
        let (row, i, leaver) = (0, 0, 1);
        state.share[..4].copy_from_slice(&[0.0, 0.3, 0.36, 0.0]);
        // Everyone on good terms with the recipient.
        state.stance.fill(0.5);
        let outside: f64 = 1.0 - 0.66;
        let weights = [
            outside.powf(0.75) + ENTRY,
            0.0,
            0.36f64.powf(0.75) + ENTRY,
            ENTRY,
        ];
        let total: f64 = weights.iter().sum();
        let mut seen = [0u32; 4];
        let draws = 100_000;
        for d in 0..draws {
            seen[successor(
                &state,
                (row, 4, i),
                leaver,
                (f64::from(d) + 0.5) / f64::from(draws),
            )] += 1;
        }
        for j in 0..4 {
            let got = f64::from(seen[j]) / f64::from(draws);
            assert!((got - weights[j] / total).abs() < 1e-4, "heir {j}: {got}");
        }
    }

    /// Thinning gives each supplier its rate: of the candidates that fall on a slot, the
    /// fraction kept is exit_weight(share) / EXIT_CEILING (1 below the floor, 0 for a sole
    /// supplier and for an empty slot), within four standard errors over 200,000 candidates.
    #[test]
    fn suppliers_leave_at_the_exit_rate_times_the_logarithm_of_their_share() {
        let w = world(6, 1);
        let background = Background {
            steps_per_year: 4.0,
            rows: vec![(0, 0)],
        };
        // Recipient 0's row: its own slot, then suppliers below the floor, at 0.05, 0.4,
        // alone (1) and absent (0). A candidate falls on each of slots 1..6 a fifth of the time.
        let shares = [0.0, 0.001, 0.05, 0.4, 1.0, 0.0];
        // exit_weight / EXIT_CEILING: ln(20) 0.95 and ln(2.5) 0.6 over ln(200) 0.995.
        let want = [0.0, 1.0, 0.5398, 0.1043, 0.0, 0.0];
        let mut state = State::new(&w);
        let mut dice = Dice(17);
        let mut kernel = Lanes::<1>::new(&w);
        let mut kept = [0u32; 6];
        let candidates = 200_000;
        for _ in 0..candidates {
            state.share[..6].copy_from_slice(&shares);
            background.exit(&mut state, &mut dice, (&mut kernel, 0, true));
            if let Some(j) = (0..6).find(|&j| shares[j] > 0.0 && state.share[j] == 0.0) {
                kept[j] += 1;
            }
        }
        // Each slot's exits are binomial: a fifth of the candidates times its fraction.
        for j in 1..6 {
            let (n, p) = (f64::from(candidates), want[j] / 5.0);
            let got = f64::from(kept[j]) / n;
            let error = (p * (1.0 - p) / n).sqrt();
            assert!(
                (got - p).abs() <= 4.0 * error + 1e-5,
                "slot {j}: {got} of the candidates left, want {p}"
            );
        }
    }

    /// A quarterly background of two markets: channel 0 into state 0, channel 1 into state 2.
    fn two_markets() -> Background {
        Background {
            steps_per_year: 4.0,
            rows: vec![(0, 0), (1, 2)],
        }
    }

    /// Rates of zero never fire, whatever the draws.
    #[test]
    fn a_background_with_zero_rates_changes_nothing() {
        let w = world(4, 2);
        let background = two_markets();
        let mut state = State::new(&w);
        state.params.background = [0.0, 1.0, 0.0, 0.5, 0.0];
        let before = state.clone();
        let mut dice = Dice(1);
        let mut kernel = Lanes::<1>::new(&w);
        for t in 1..=100 {
            assert!(!background.apply(&mut state, t, &mut dice, (&mut kernel, 0, true)));
        }
        assert_eq!(state.share, before.share);
        assert_eq!(state.affinity, before.affinity);
    }

    /// An event's change of the background's parameters after the first step retunes the
    /// clock at the next step: the mean waits and the part's shape follow the new values; a
    /// wait left is scaled by the ratio of the means from the start of the step (the same
    /// time left in units of the new mean); a process set to rate 0 never fires again, and
    /// one set back to a rate draws a wait from the start of that step.
    #[test]
    fn a_change_of_the_parameters_after_the_first_step_retunes_the_clock() {
        let w = world(4, 2);
        let background = two_markets();
        let mut state = State::new(&w);
        state.params.background = [0.1, 0.1, 1.0, 0.2, 0.0];
        let mut dice = Dice(9);
        let mut kernel = Lanes::<1>::new(&w);
        background.apply(&mut state, 1, &mut dice, (&mut kernel, 0, true));
        // Two markets at 1 a year, quarters: 0.5 a step, a mean wait of 2 steps.
        assert_eq!(state.clock.supplier_wait, 2.0);
        state.clock.next_supplier = 9.0;
        state.params.background[BackgroundParam::SupplierRate.index()] = 4.0;
        state.params.background[BackgroundParam::SupplierSize.index()] = 0.5;
        background.apply(&mut state, 2, &mut dice, (&mut kernel, 0, true));
        assert_eq!(state.clock.supplier_wait, 0.5);
        assert_eq!(state.clock.inverse_shape, 1.0 / shape(0.5));
        // 8 steps left past step 1 at a mean of 2, so 2 at a mean of 0.5: step 3.
        assert_eq!(state.clock.next_supplier, 3.0);
        // A change of the jumps' scale alone moves neither clock.
        state.clock.next_jump = 7.3;
        state.params.background[BackgroundParam::JumpScale.index()] = 0.2;
        background.retune(&mut state, &mut dice, 1.9);
        assert_eq!(state.clock.next_jump.to_bits(), 7.3f64.to_bits());
        assert_eq!(state.clock.next_supplier, 3.0);
        state.params.background[BackgroundParam::SupplierRate.index()] = 0.0;
        state.params.background[BackgroundParam::JumpRate.index()] = 0.0;
        let before = state.share.clone();
        for t in 3..=40 {
            assert!(!background.apply(&mut state, t, &mut dice, (&mut kernel, 0, true)));
        }
        assert_eq!(state.share, before);
        assert_eq!(state.clock.next_supplier, f64::INFINITY);
        state.params.background[BackgroundParam::SupplierRate.index()] = 1.0;
        background.apply(&mut state, 41, &mut dice, (&mut kernel, 0, true));
        assert!(state.clock.next_supplier.is_finite() && state.clock.next_supplier >= 40.0);
    }

    /// The exponential at uniform quantile u, as the draws of the engine's ziggurat fall.
    fn exponential_at(u: f64) -> f64 {
        -libm::log(1.0 - u)
    }

    #[test]
    fn the_part_of_a_market_has_the_mean_it_is_given() {
        for size in [0.05, 0.175, 0.5, 0.9] {
            let draws = 200_000;
            let inverse = 1.0 / shape(size);
            let mean = (0..draws)
                .map(|d| fraction(exponential_at((d as f64 + 0.5) / draws as f64), inverse))
                .sum::<f64>()
                / draws as f64;
            assert!((mean - size).abs() < 1e-3, "{size}: {mean}");
        }
        assert_eq!(fraction(0.0, 1.0 / shape(0.2)), 0.0);
        assert!(fraction(40.0, 1.0 / shape(0.2)) <= 1.0);
    }

    #[test]
    fn laplace_draws_have_their_scale_and_stay_bounded() {
        let draws = 200_000;
        let at = |d: usize| {
            laplace(
                d.is_multiple_of(2),
                exponential_at(((d / 2) as f64 + 0.5) / draws as f64),
                0.3,
            )
        };
        let mean_abs = (0..2 * draws).map(|d| at(d).abs()).sum::<f64>() / (2 * draws) as f64;
        assert!((mean_abs - 0.3).abs() < 1e-3, "{mean_abs}");
        assert_eq!((0..2 * draws).map(at).sum::<f64>(), 0.0, "symmetric");
        assert_eq!(laplace(true, 1e6, 1.0), -2.0 * AFFINITY_LIMIT);
        assert_eq!(laplace(false, 0.0, 1.0), 0.0);
    }
}
