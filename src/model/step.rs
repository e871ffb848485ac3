//! One step t -> t+1 of the model (README, "The model"): events, the background, stances,
//! supply shares.
//!
//! `step_block` is the one definition of a step: the engine runs it on blocks of
//! `lanes::BLOCK` trajectories, and `step` on a block of one (tests and benchmarks), so what
//! is tested is what runs.
//!
//! Summation orders are fixed (ascending indices), and `tanh`/`exp` are the project's own
//! branch-free versions in plain f64 arithmetic (`model::math`, within a few ulps of `libm`),
//! so a step gives the same bits on every machine and its row loops vectorise.

use super::choice::{self, Arrival};
use super::lanes::Lanes;
use super::watch::Watch;
use super::{direction, hazard, lag, Event, Randomness, State, Timing, World};

/// Makes step `t` (1-based) of a block of at most `L` trajectories, each a state and its
/// draws, in lane order.
///
/// Phase 1 (events, then the background's jumps and supplier changes since the last step,
/// `model::background`) works on each trajectory's `State`; phases 2 and 3 (stances, then supply
/// shares) run in `kernel` for the whole block at once. The kernel carries the stances and
/// shares from one step to the next: it loads a trajectory from its state at step 1 and
/// after an event has changed that state, and `Lanes::store` brings a state up to date when
/// something reads it. A state changed between steps by anything but an event is not
/// reloaded: loading every lane every step would cost as much as the step of a small world.
pub fn step_block<'a, const L: usize, R: Randomness + 'a>(
    world: &World,
    kernel: &mut Lanes<L>,
    t: u32,
    trajectories: impl Iterator<Item = (&'a mut State, &'a mut R)>,
) {
    step_block_watched(world, kernel, t, trajectories, &mut ());
}

/// `step_block`, with `watch` told what the events and the background change and shown the
/// kernel before the stances move (`model::watch`). The step is the same, bit for bit.
#[inline(always)]
pub fn step_block_watched<'a, const L: usize, R: Randomness + 'a>(
    world: &World,
    kernel: &mut Lanes<L>,
    t: u32,
    trajectories: impl Iterator<Item = (&'a mut State, &'a mut R)>,
    watch: &mut impl Watch<L>,
) {
    for (l, (state, rng)) in trajectories.enumerate() {
        let fired = fire_events(world, state, t, rng, (&mut *watch, l));
        // After the events, so that a listed event's condition never reads this step's
        // unlisted change; one branch per trajectory and step in a world without it. What
        // it changes reaches the lane entry by entry, unless the lane is reloaded anyway.
        if let Some(background) = &world.background {
            let reload = t == 1 || fired;
            watch.before_change(l, state);
            background.apply(state, t, rng, (&mut *kernel, l, reload));
            watch.after_background(l, state);
        }
        if t == 1 || fired {
            kernel.load(l, state);
        }
        kernel.draw_noise(l, rng);
    }
    watch.before_move(t, kernel);
    kernel.advance();
}

/// Loads a block's trajectories at their initial states, before the events of step 1, and
/// in a world at rest measures what rounding leaves of each one's rest (`Lanes::calibrate`).
/// Called once per block, after the parameters are drawn and the affinities solved. The
/// weights and rest each lane keeps are its state's, not the world's: a file may draw them.
pub fn start_block<'a, const L: usize>(
    _world: &World,
    kernel: &mut Lanes<L>,
    states: impl Iterator<Item = &'a State>,
) {
    for (l, state) in states.enumerate() {
        kernel.load_start(l, state);
        kernel.load(l, state);
    }
    kernel.calibrate();
}

/// Makes step `t` of one trajectory: a block of one (`step_block`), its state brought up to
/// date afterwards. `kernel` carries the trajectory from step to step, so it must be the
/// same one from step 1 on (`Lanes::new(world)`); step 1 starts it (`start_block`).
pub fn step(
    world: &World,
    kernel: &mut Lanes<1>,
    state: &mut State,
    t: u32,
    rng: &mut impl Randomness,
) {
    if t == 1 {
        start_block(world, kernel, std::iter::once(&*state));
    }
    step_block(world, kernel, t, std::iter::once((&mut *state, rng)));
    kernel.store(0, state);
}

/// Phase 1: events in file order, each seeing the effects of the ones before it. Returns
/// whether any event fired (and so may have changed the state).
///
/// A hazard event draws its uniform number every step, eligible or not, so that the draws
/// of step t are the same whatever happened before: two scenarios that differ in one event
/// still share every other random number (common random numbers).
fn fire_events<const L: usize>(
    world: &World,
    state: &mut State,
    t: u32,
    rng: &mut impl Randomness,
    watched: (&mut impl Watch<L>, usize),
) -> bool {
    // Four loops, not a test per event: a file that draws no timing, window or amount runs
    // the loop it ran before ranges existed, and one whose events have no choice group,
    // lag, hazard by cases or random direction the loop it ran before those existed.
    match (state.draws_events, state.plain_events) {
        (false, true) => fire_plain::<false, L>(world, state, t, rng, watched),
        (true, true) => fire_plain::<true, L>(world, state, t, rng, watched),
        (false, false) => fire::<false, L>(world, state, t, rng, watched),
        (true, false) => fire::<true, L>(world, state, t, rng, watched),
    }
}

/// `fire` for a world whose events have no choice group, lag, hazard by cases or random
/// direction (`State::plain_events`): the same draws, tests and effects in the same order,
/// without asking every event about those each step (a tenth of the events' cost per step
/// of putin_visit.ron, measured in instructions).
#[inline(always)]
fn fire_plain<const OWN: bool, const L: usize>(
    world: &World,
    state: &mut State,
    t: u32,
    rng: &mut impl Randomness,
    (watch, l): (&mut impl Watch<L>, usize),
) -> bool {
    let mut fired = false;
    for (e, event) in world.events.iter().enumerate() {
        let (timing, window) = timing_of::<OWN>(event, state, e);
        // A hazard event draws its uniform first, whatever follows (`ready`).
        let scheduled = match timing {
            Timing::At(at) => t == at,
            Timing::Every(every) => t.is_multiple_of(every),
            Timing::Hazard => rng.event_uniform(e) < state.params.hazard[e],
        };
        if !scheduled || t < window.0 || t > window.1 || (state.fired[e] > 0 && !event.repeat) {
            continue;
        }
        if let Some(when) = &event.when {
            if !when.holds(state) {
                continue;
            }
        }
        watch.before_change(l, state);
        match OWN {
            true => {
                let start = state.effects_of[e];
                for (x, effect) in event.effects.iter().enumerate() {
                    effect.apply_amount(state.amount[start + x], state);
                }
            }
            false => {
                for effect in &event.effects {
                    effect.apply(state);
                }
            }
        }
        state.fired[e] += 1;
        watch.after_event(l, e, t, state);
        fired = true;
    }
    fired
}

/// `fire_events` with each event's timing, window and effect amounts the trajectory's own
/// (`OWN`: the file draws some, `model::inputs`) or the world's. The parts of lagged effects
/// due at step t land first (`model::lag`); a choice group is settled at its first member's
/// place (`model::choice`).
#[inline(always)]
fn fire<const OWN: bool, const L: usize>(
    world: &World,
    state: &mut State,
    t: u32,
    rng: &mut impl Randomness,
    (watch, l): (&mut impl Watch<L>, usize),
) -> bool {
    let mut fired =
        !state.pending.is_empty() && lag::land_due(&world.events, state, t, (&mut *watch, l));
    for (e, event) in world.events.iter().enumerate() {
        if let Some(group) = &event.choice {
            if group.settled_at(e) {
                fired |= settle_choice::<OWN, L>(world, state, group, t, rng, (&mut *watch, l));
            }
            continue;
        }
        if ready::<OWN>(world, state, e, t, rng).is_some() {
            fire_one::<OWN, L>(world, state, e, t, rng, (&mut *watch, l));
            fired = true;
        }
    }
    fired
}

/// Event `e`'s timing and window: the trajectory's own (`OWN`: the file draws some) or the
/// world's.
#[inline(always)]
fn timing_of<const OWN: bool>(event: &Event, state: &State, e: usize) -> (Timing, (u32, u32)) {
    match OWN {
        true => (state.timing[e], state.window[e]),
        false => (event.timing, event.window),
    }
}

/// Whether event `e` fires at step t if nothing stops it, and how it arrives: its timing,
/// window, repeat and condition. A hazard event draws its uniform first, whatever follows.
#[inline(always)]
fn ready<const OWN: bool>(
    world: &World,
    state: &State,
    e: usize,
    t: u32,
    rng: &mut impl Randomness,
) -> Option<Arrival> {
    let event = &world.events[e];
    let (timing, window) = timing_of::<OWN>(event, state, e);
    let arrival = match timing {
        Timing::At(at) => (t == at).then_some(Arrival::Scheduled),
        Timing::Every(every) => t.is_multiple_of(every).then_some(Arrival::Scheduled),
        Timing::Hazard => {
            let u = rng.event_uniform(e);
            let hazard = hazard::hazard_now(event, e, state);
            (u < hazard).then_some(Arrival::Drawn { u, hazard })
        }
    };
    if arrival.is_none() || t < window.0 || t > window.1 || (state.fired[e] > 0 && !event.repeat) {
        return None;
    }
    match &event.when {
        Some(when) if !when.holds(state) => None,
        _ => arrival,
    }
}

/// Settles a choice group at step t: every member draws as it would alone, and of those
/// ready, the first to arrive fires, unless a member has fired already. Returns whether
/// one fired.
fn settle_choice<const OWN: bool, const L: usize>(
    world: &World,
    state: &mut State,
    group: &choice::Choice,
    t: u32,
    rng: &mut impl Randomness,
    watched: (&mut impl Watch<L>, usize),
) -> bool {
    // Each member asks `ready` (and so draws) every step, the group closed or not.
    let mut winner = None;
    for &m in &group.members {
        if let Some(arrival) = ready::<OWN>(world, state, m, t, rng) {
            winner = choice::earlier(winner, (m, arrival.time()));
        }
    }
    if group.members.iter().any(|&m| state.fired[m] > 0) {
        return false;
    }
    let winner = winner.map(|(m, _)| m);
    match winner {
        Some(m) => {
            fire_one::<OWN, L>(world, state, m, t, rng, watched);
            true
        }
        None => false,
    }
}

/// Event `e` fires at step t: its own effects, then a drawn set of its directions, each
/// at once or set on its way when lagged; `watch` sees the state before and after.
fn fire_one<const OWN: bool, const L: usize>(
    world: &World,
    state: &mut State,
    e: usize,
    t: u32,
    rng: &mut impl Randomness,
    (watch, l): (&mut impl Watch<L>, usize),
) {
    watch.before_change(l, state);
    let event = &world.events[e];
    let own = event.own_effects();
    apply_effects::<OWN>(world, state, e, 0..own, t);
    if !event.directions.is_empty() {
        let first = state.directions_of[e];
        let weights = &state.direction_weight[first..first + event.directions.len()];
        let d = direction::pick(weights, rng.direction_uniform(e));
        apply_effects::<OWN>(world, state, e, event.directions[d].effects.clone(), t);
    }
    state.fired[e] += 1;
    watch.after_event(l, e, t, state);
}

/// Effects `xs` of event `e`, fired at step t.
#[inline(always)]
fn apply_effects<const OWN: bool>(
    world: &World,
    state: &mut State,
    e: usize,
    xs: std::ops::Range<usize>,
    t: u32,
) {
    let event = &world.events[e];
    let start = state.effects_of[e];
    for x in xs {
        let effect = &event.effects[x];
        if !event.lags.is_empty() && !state.lag[start + x].is_none() {
            lag::set_off(&world.events, state, e, x, t);
        } else if OWN {
            effect.apply_amount(state.amount[start + x], state);
        } else {
            effect.apply(state);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::{world, worlds_as_they_are_and_at_rest, Counter};
    use crate::model::math;
    use crate::model::{Change, Condition, Effect, Event, ParamTarget};

    /// The textbook form of the stance targets `tanh(A + D − λL + γB)` (0 on the diagonal).
    #[allow(clippy::needless_range_loop)]
    fn reference_targets(_world: &World, state: &State) -> Vec<f64> {
        let n = state.n;
        let c = &state.weight;
        let total_weight: f64 = c.iter().sum();
        let s = &state.stance;
        let mut d = vec![0.0; n * n];
        for k in 0..state.k {
            for i in 0..n {
                for j in 0..n {
                    d[i * n + j] += state.params.beta[k * n + i] * state.share[(k * n + i) * n + j];
                }
            }
        }
        let h: Vec<f64> = s.iter().map(|&x| (-x).max(0.0)).collect();
        let p = &state.params;
        let mut target = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                let (mut balance, mut leverage) = (0.0, 0.0);
                for m in 0..n {
                    balance += c[m] * s[i * n + m] * s[m * n + j];
                    leverage += d[i * n + m] * h[m * n + j];
                }
                let balance = if n < 3 {
                    0.0
                } else {
                    balance / (total_weight - c[i] - c[j])
                };
                let ij = i * n + j;
                target[ij] = math::tanh(
                    state.affinity[ij] + d[ij] - p.lambda[i] * leverage + p.gamma[i] * balance,
                );
            }
        }
        target
    }

    /// The textbook replicator: the shares after one update from stances `s`, plus
    /// `residual` (rows with nothing to share stay as they are).
    #[allow(clippy::needless_range_loop)]
    fn reference_shares(world: &World, state: &State, s: &[f64], residual: &[f64]) -> Vec<f64> {
        let n = state.n;
        let p = &state.params;
        let mut share = state.share.clone();
        let rest = |ij: usize| world.rest.as_ref().map_or(0.0, |r| r.partnership[ij]);
        for k in 0..state.k {
            let (kappa, rho) = (p.kappa[k], p.rho[k]);
            for i in 0..n {
                let row = (k * n + i) * n;
                let mut z = vec![0.0; n];
                let (mut total, mut grown) = (0.0, 0.0);
                for j in 0..n {
                    total += state.share[row + j];
                    let partnership = 0.5 * (s[i * n + j] + s[j * n + i]) - rest(i * n + j);
                    z[j] = state.share[row + j] * math::exp(kappa * partnership);
                    grown += z[j];
                }
                let den = (1.0 - total).max(0.0) + grown;
                if den <= 0.0 {
                    continue;
                }
                for j in 0..n {
                    let moved = z[j] * ((1.0 - rho) / den) + rho * state.anchor[row + j];
                    // The residual only to a share above 0 (`Lanes::share_row`).
                    let held = if state.share[row + j] > 0.0 {
                        residual[row + j]
                    } else {
                        0.0
                    };
                    share[row + j] = (moved + held).min(1.0);
                }
            }
        }
        share
    }

    /// What rounding leaves of a world's rest in the textbook form: `S0 − target` at the
    /// affinities of rest (departures taken out) and `W0 − W1` (all 0 unless at rest).
    fn reference_residuals(world: &World, state: &State) -> (Vec<f64>, Vec<f64>) {
        let (n, k) = (state.n, state.k);
        if world.rest.is_none() {
            return (vec![0.0; n * n], vec![0.0; k * n * n]);
        }
        let mut at_rest = state.clone();
        for (a, &d) in at_rest.affinity.iter_mut().zip(&world.affinity) {
            if d != 0.0 {
                *a -= d;
            }
        }
        let target = reference_targets(world, &at_rest);
        let stance = (0..n * n)
            .map(|ij| {
                if ij / n == ij % n {
                    0.0
                } else {
                    state.stance[ij] - target[ij]
                }
            })
            .collect();
        let moved = reference_shares(world, state, &state.stance, &vec![0.0; k * n * n]);
        let share = state
            .share
            .iter()
            .zip(&moved)
            .map(|(w0, w1)| w0 - w1)
            .collect();
        (stance, share)
    }

    /// The textbook form of phases 2 and 3 (triple loops, exp per channel), kept to check
    /// that the fast form gives the same bits.
    fn reference_step(
        world: &World,
        state: &mut State,
        (stance_residual, share_residual): &(Vec<f64>, Vec<f64>),
        rng: &mut impl Randomness,
    ) {
        let n = state.n;
        let target = reference_targets(world, state);
        let s = state.stance.clone();
        let p = state.params.clone();
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                let ij = i * n + j;
                let mut target = target[ij];
                if world.rest.is_some() {
                    target += stance_residual[ij];
                }
                let e = rng.standard_normal();
                state.stance[ij] =
                    (s[ij] + p.eta[i] * (target - s[ij]) + p.sigma[i] * e).clamp(-1.0, 1.0);
            }
        }
        let s = state.stance.clone();
        state.share = reference_shares(world, state, &s, share_residual);
    }

    #[test]
    fn the_fast_step_gives_the_same_bits_as_the_textbook_loops() {
        // Each world as it is and at rest (shares then respond to P - P0).
        // 100 and 200 states: the blocked products of large worlds, a few steps.
        let sizes = [(1, 1), (2, 1), (3, 2), (6, 4), (11, 3), (100, 2), (200, 1)];
        for (world, n, k) in worlds_as_they_are_and_at_rest(&sizes) {
            let steps = if n >= 100 { 3 } else { 30 };
            let mut fast = State::new(&world);
            for i in 0..n {
                fast.params.eta[i] = 0.1 + 0.05 * i as f64;
                fast.params.sigma[i] = 0.05;
                fast.params.gamma[i] = 0.8;
                fast.params.lambda[i] = 0.5 + 0.1 * i as f64;
                for kk in 0..k {
                    fast.params.beta[kk * n + i] = 1.0 - 0.3 * kk as f64;
                }
            }
            for kk in 0..k {
                // Channels 0 and 1 share a kappa, the others do not.
                fast.params.kappa[kk] = if kk < 2 { 0.3 } else { -0.7 * kk as f64 };
                fast.params.rho[kk] = 0.05 * kk as f64;
            }
            if let Some(rest) = &world.rest {
                assert!(rest.settle(&mut fast).is_none());
            }
            let mut slow = fast.clone();
            let residuals = reference_residuals(&world, &slow);
            let (mut r1, mut r2) = (Counter(7), Counter(7));
            let mut kernel = Lanes::new(&world);
            for t in 1..=steps {
                step(&world, &mut kernel, &mut fast, t, &mut r1);
                reference_step(&world, &mut slow, &residuals, &mut r2);
                assert_eq!(fast.stance, slow.stance, "stances, n = {n}");
                assert_eq!(fast.share, slow.share, "shares, n = {n}");
            }
        }
    }

    /// The background changes a lane entry by entry (`Lanes::load_affinity`, `load_row`);
    /// a lane fully reloaded from its state after every step must hold the same bits, or a
    /// change was lost (or a stale entry kept). Worlds of up to eight states deal in rows of
    /// a length the compiler knows (`background::deal`), larger ones in rows of any length:
    /// both kinds are here.
    #[test]
    fn the_background_reaches_the_kernel_as_a_full_reload_gives_it() {
        for (mut world, n, k) in worlds_as_they_are_and_at_rest(&[(3, 2), (6, 4), (10, 2)]) {
            let rows = (0..k).flat_map(|c| (0..n).map(move |i| (c, i))).collect();
            world.background = Some(crate::model::Background {
                steps_per_year: 1.0,
                rows,
            });
            let mut fast = State::new(&world);
            for i in 0..n {
                fast.params.eta[i] = 0.2;
                fast.params.sigma[i] = 0.05;
                fast.params.gamma[i] = 0.5;
                fast.params.lambda[i] = 0.5;
            }
            for c in 0..k {
                fast.params.kappa[c] = 0.3;
                fast.params.rho[c] = 0.1;
                for i in 0..n {
                    fast.params.beta[c * n + i] = 1.0;
                }
            }
            fast.params.background = [0.5, 0.5, 1.0, 0.3, 0.5];
            if let Some(rest) = &world.rest {
                assert!(rest.settle(&mut fast).is_none());
            }
            let mut slow = fast.clone();
            let (mut r1, mut r2) = (Counter(11), Counter(11));
            let (mut k1, mut k2) = (Lanes::new(&world), Lanes::<1>::new(&world));
            let background = world.background.clone().unwrap();
            let mut changed = 0;
            for t in 1..=40 {
                step(&world, &mut k1, &mut fast, t, &mut r1);
                if t == 1 {
                    start_block(&world, &mut k2, std::iter::once(&slow));
                }
                changed += usize::from(background.apply(&mut slow, t, &mut r2, (&mut k2, 0, true)));
                k2.load(0, &slow);
                k2.draw_noise(0, &mut r2);
                k2.advance();
                k2.store(0, &mut slow);
                assert_eq!(fast.stance, slow.stance, "stances, n = {n}, t = {t}");
                assert_eq!(fast.share, slow.share, "shares, n = {n}, t = {t}");
                assert_eq!(fast.anchor, slow.anchor, "anchors, n = {n}");
                assert_eq!(fast.affinity, slow.affinity, "affinities, n = {n}");
            }
            assert!(changed > 20, "the background changed {changed} steps of 40");
        }
    }

    /// Draws that are fixed in advance: no noise, and event uniforms from a list.
    struct Fixed {
        uniforms: Vec<f64>,
    }

    impl Randomness for Fixed {
        fn standard_normal(&mut self) -> f64 {
            0.0
        }
        fn event_uniform(&mut self, _e: usize) -> f64 {
            self.uniforms.remove(0)
        }
    }

    /// Three states A, B, C with weights 1, 2, 1 and channels aid (0) and arms (1).
    fn three_states() -> (World, State) {
        let n = 3;
        let mut stance = vec![0.0; 9];
        let s = |i: usize, j: usize| i * n + j;
        stance[s(0, 1)] = 0.5;
        stance[s(0, 2)] = -0.4;
        stance[s(1, 0)] = 0.2;
        stance[s(1, 2)] = 0.6;
        stance[s(2, 0)] = 0.0;
        stance[s(2, 1)] = -0.2;
        let mut affinity = vec![0.0; 9];
        affinity[s(0, 1)] = 0.1;
        let mut share = vec![0.0; 2 * 9];
        share[s(0, 1)] = 0.3; // W[aid][A][B]
        share[9 + s(0, 2)] = 0.2; // W[arms][A][C]
        share[9 + s(1, 2)] = 0.5; // W[arms][B][C]
        let world = World {
            name: "hand".into(),
            description: String::new(),
            step_unit: "step".into(),
            calendar: None,
            steps: 1,
            trajectories: 1,
            seed: 0,
            states: vec!["A".into(), "B".into(), "C".into()],
            channels: vec!["aid".into(), "arms".into()],
            weight: vec![1.0, 2.0, 1.0],
            stance,
            affinity,
            rest: None,
            share,
            others: None,
            params: vec![],
            background: None,
            events: vec![],
            outcomes: vec![],
            metrics: vec![],
            averages: vec![],
            between: crate::model::blocs::DEFAULT_BETWEEN,
            written_entries: 0,
        };
        let mut state = State::new(&world);
        for i in 0..n {
            state.params.set(ParamTarget::Eta(i), 0.5);
            state.params.set(ParamTarget::Sigma(i), 0.0);
            state.params.set(ParamTarget::Gamma(i), 1.0);
            state.params.set(ParamTarget::Lambda(i), 0.5);
            state.params.set(ParamTarget::Beta(0, i), 1.0);
            state.params.set(ParamTarget::Beta(1, i), 2.0);
        }
        state.params.set(ParamTarget::Kappa(0), 1.0);
        state.params.set(ParamTarget::Kappa(1), 0.5);
        state.params.set(ParamTarget::Rho(0), 0.1);
        state.params.set(ParamTarget::Rho(1), 0.0);
        (world, state)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn one_step_of_a_three_state_two_channel_world_matches_the_hand_computation() {
        let (world, mut state) = three_states();
        let mut kernel = Lanes::new(&world);
        step(
            &world,
            &mut kernel,
            &mut state,
            1,
            &mut Fixed { uniforms: vec![] },
        );
        let s = |i: usize, j: usize| state.stance[i * 3 + j];
        let (a, b, c) = (0, 1, 2);

        // S[A][B]: balance over m = C only: c_C S[A][C] S[C][B] / c_C = (-0.4)(-0.2) = 0.08.
        // D[A][B] = beta_aid W[aid][A][B] = 1.0 * 0.3 = 0.3; D[A][C] = beta_arms 0.2 = 0.4.
        // L[A][B] = D[A][C] max(0, -S[C][B]) = 0.4 * 0.2 = 0.08.
        // target = tanh(A 0.1 + D 0.3 - lambda 0.5 * 0.08 + gamma 1.0 * 0.08) = tanh(0.44).
        // S' = 0.5 + eta 0.5 * (tanh(0.44) - 0.5).
        assert!(close(s(a, b), 0.5 + 0.5 * (libm::tanh(0.44) - 0.5)));

        // S[A][C]: balance over m = B: c_B S[A][B] S[B][C] / c_B = 0.5 * 0.6 = 0.3.
        // D[A][C] = 0.4; L[A][C] = D[A][B] max(0, -S[B][C]) = 0 (B is friendly to C).
        // target = tanh(0.4 + 0.3) = tanh(0.7); S' = -0.4 + 0.5 (tanh(0.7) + 0.4).
        assert!(close(s(a, c), -0.4 + 0.5 * (libm::tanh(0.7) + 0.4)));

        // S[B][C]: balance over m = A: S[B][A] S[A][C] = 0.2 * -0.4 = -0.08.
        // D[B][C] = beta_arms W[arms][B][C] = 2.0 * 0.5 = 1.0; L[B][C] = D[B][A] * 0.4 = 0.
        // target = tanh(1.0 - 0.08) = tanh(0.92).
        assert!(close(s(b, c), 0.6 + 0.5 * (libm::tanh(0.92) - 0.6)));

        // S[B][A]: balance S[B][C] S[C][A] = 0.6 * 0 = 0, no ties, target tanh(0) = 0.
        assert!(close(s(b, a), 0.2 + 0.5 * (0.0 - 0.2)));
        // S[C][B]: balance S[C][A] S[A][B] = 0; target 0; S' = -0.2 + 0.5 * 0.2 = -0.1.
        assert!(close(s(c, b), -0.1));
        // The diagonal stays 0.
        assert_eq!((s(a, a), s(b, b), s(c, c)), (0.0, 0.0, 0.0));

        // Shares, with P from the new stances.
        // W[aid][A][B]: z_B = 0.3 exp(kappa_aid 1.0 * P'[A][B]), z_self = 1 - 0.3 = 0.7,
        // W' = (1 - rho 0.1) z_B / (0.7 + z_B) + rho 0.1 * anchor 0.3.
        let p_ab = 0.5 * (s(a, b) + s(b, a));
        let z = 0.3 * libm::exp(p_ab);
        assert!(close(state.share[1], 0.9 * z / (0.7 + z) + 0.1 * 0.3));
        // W[arms][A][C]: z_C = 0.2 exp(0.5 P'[A][C]), z_self = 0.8, rho = 0.
        let z = 0.2 * libm::exp(0.5 * 0.5 * (s(a, c) + s(c, a)));
        assert!(close(state.share[9 + 2], z / (0.8 + z)));
        // W[arms][B][C]: z_C = 0.5 exp(0.5 P'[B][C]), z_self = 0.5.
        let z = 0.5 * libm::exp(0.5 * 0.5 * (s(b, c) + s(c, b)));
        assert!(close(state.share[9 + 5], z / (0.5 + z)));
        // Rows without suppliers stay empty.
        assert_eq!(state.share[3..9], [0.0; 6]);
    }

    #[test]
    fn stances_stay_in_range_and_share_rows_total_at_most_one_under_strong_forces() {
        let (world, mut state) = three_states();
        for i in 0..3 {
            state.params.set(ParamTarget::Eta(i), 1.0);
            state.params.set(ParamTarget::Gamma(i), 20.0);
            state.params.set(ParamTarget::Beta(1, i), 20.0);
            state.params.set(ParamTarget::Sigma(i), 1.0);
        }
        state.params.set(ParamTarget::Kappa(0), 50.0);
        state.params.set(ParamTarget::Kappa(1), -50.0);
        let mut rng = crate::engine::streams::Stream::keyed(1, "noise");
        struct Noisy<'a>(&'a mut crate::engine::streams::Stream);
        impl Randomness for Noisy<'_> {
            fn standard_normal(&mut self) -> f64 {
                self.0.standard_normal() * 3.0
            }
            fn event_uniform(&mut self, _e: usize) -> f64 {
                self.0.uniform()
            }
        }
        let mut kernel = Lanes::new(&world);
        for t in 1..=500 {
            step(&world, &mut kernel, &mut state, t, &mut Noisy(&mut rng));
            assert!(state.stance.iter().all(|s| (-1.0..=1.0).contains(s)));
            for row in state.share.chunks(3) {
                assert!(row.iter().all(|w| (0.0..=1.0).contains(w)));
                assert!(row.iter().sum::<f64>() <= 1.0 + 1e-12);
            }
        }
    }

    fn event(name: &str, timing: Timing, effects: Vec<Effect>) -> Event {
        Event {
            name: name.into(),
            description: String::new(),
            actor: None,
            timing,
            window: (1, 100),
            when: None,
            repeat: false,
            effects,
            choice: None,
            cases: vec![],
            directions: vec![],
            lags: vec![],
        }
    }

    #[test]
    fn events_fire_by_their_timing_once_unless_repeated_and_after_their_condition() {
        let (mut world, _) = three_states();
        let shock = Effect::Stance {
            i: 0,
            j: 1,
            change: Change::Add(0.01),
        };
        let mut every = event("drill", Timing::Every(2), vec![shock.clone()]);
        every.repeat = true;
        let mut windowed = event("late", Timing::Every(1), vec![]);
        windowed.window = (3, 4);
        windowed.repeat = true;
        let mut after = event("deal", Timing::Hazard, vec![]);
        after.when = Some(Condition::After(0));
        world.events = vec![
            every,
            event("visit", Timing::At(2), vec![shock]),
            windowed,
            after,
        ];
        let mut state = State::new(&world);
        state.params.set(ParamTarget::Hazard(3), 0.5);
        // The hazard event draws every step: 0.9 (no), 0.1 (yes, and drill fired at 2), ...
        let mut rng = Fixed {
            uniforms: vec![0.1, 0.9, 0.1, 0.1, 0.1, 0.1],
        };
        let mut fired = vec![];
        for t in 1..=6 {
            fire_events::<1>(&world, &mut state, t, &mut rng, (&mut (), 0));
            fired.push(state.fired.clone());
        }
        // t=1: the hazard draw 0.1 < 0.5 but "drill" has not fired yet, so "deal" waits.
        assert_eq!(fired[0], vec![0, 0, 0, 0]);
        // t=2: drill (every 2) and visit (at 2); deal's draw 0.9 fails.
        assert_eq!(fired[1], vec![1, 1, 0, 0]);
        // t=3: late (window 3..4); deal's draw 0.1 succeeds after drill.
        assert_eq!(fired[2], vec![1, 1, 1, 1]);
        // t=4..6: drill repeats, late stops after its window, deal does not repeat.
        assert_eq!(fired[5], vec![3, 1, 2, 1]);
        assert!(close(state.stance[1], 0.5 + 4.0 * 0.01));
    }

    /// Event uniforms from one generator, whichever event asks: an event that drew out of
    /// turn, or did not draw, would shift every later event's draws.
    struct Shared(u64);

    impl Randomness for Shared {
        fn standard_normal(&mut self) -> f64 {
            0.0
        }
        fn event_uniform(&mut self, _e: usize) -> f64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// The plain loop (`fire_plain`, worlds without choice groups, lags, cases or random
    /// directions) draws, fires and changes exactly what the general loop does, with the
    /// world's timings and amounts and with a trajectory's own (drawn) ones.
    #[test]
    fn the_plain_event_loop_gives_the_bits_of_the_general_one() {
        let (mut world, start) = three_states();
        let stance = |i, j, change| Effect::Stance { i, j, change };
        let share = |i, j, k, change| Effect::Share {
            k,
            i,
            j,
            change,
            lasting: true,
        };
        let mut pressure = event(
            "pressure",
            Timing::Hazard,
            vec![stance(0, 1, Change::Add(-0.04))],
        );
        pressure.repeat = true;
        pressure.when = Some(Condition::Above(crate::model::Metric::Stance(0, 2), 0.05));
        let mut deal = event(
            "deal",
            Timing::Hazard,
            vec![share(0, 2, 1, Change::Add(0.05))],
        );
        deal.when = Some(Condition::After(2));
        let mut drill = event(
            "drill",
            Timing::Every(3),
            vec![stance(0, 2, Change::Add(0.03))],
        );
        drill.repeat = true;
        let mut cut = event(
            "cut",
            Timing::Hazard,
            vec![share(0, 1, 0, Change::Scale(0.9))],
        );
        cut.repeat = true;
        cut.window = (4, 30);
        world.events = vec![
            pressure,
            deal,
            event("visit", Timing::At(5), vec![stance(2, 0, Change::Set(0.6))]),
            drill,
            cut,
        ];
        world.steps = 40;
        for own in [false, true] {
            let run = |plain: bool| {
                let mut state = State::new(&world);
                assert!(state.plain_events);
                let mut fixture = start.params.clone();
                for i in 0..3 {
                    let per_state = [
                        ParamTarget::Eta(i),
                        ParamTarget::Sigma(i),
                        ParamTarget::Gamma(i),
                    ];
                    let more = [
                        ParamTarget::Lambda(i),
                        ParamTarget::Beta(0, i),
                        ParamTarget::Beta(1, i),
                    ];
                    for p in per_state.into_iter().chain(more) {
                        state.params.set(p, fixture.get(p));
                    }
                }
                for k in 0..2 {
                    for p in [ParamTarget::Kappa(k), ParamTarget::Rho(k)] {
                        state.params.set(p, fixture.get(p));
                    }
                }
                state.plain_events = plain;
                state.draws_events = own;
                for e in 0..5 {
                    state
                        .params
                        .set(ParamTarget::Hazard(e), 0.1 + 0.15 * e as f64);
                }
                if own {
                    // A trajectory's own draws: other amounts, another step, a narrower window.
                    state.amount.iter_mut().for_each(|x| *x *= 1.5);
                    state.timing[2] = Timing::At(7);
                    state.window[4] = (6, 20);
                }
                let (mut kernel, mut rng) = (Lanes::new(&world), Shared(7));
                let mut seen = vec![];
                for t in 1..=world.steps {
                    step(&world, &mut kernel, &mut state, t, &mut rng);
                    seen.push((
                        state.fired.clone(),
                        state.stance.clone(),
                        state.share.clone(),
                    ));
                }
                seen
            };
            let plain = run(true);
            assert!(
                plain.last().unwrap().0.iter().all(|&f| f > 0),
                "{:?}",
                plain[39].0
            );
            assert_eq!(plain, run(false), "own draws: {own}");
        }
    }

    /// The kernel keeps its own copy of the stances between steps; an event changes the
    /// trajectory's state, so the step after it must start from the changed state (the
    /// kernel reloads the trajectory), or the event is lost. With every parameter 0 the
    /// physics leaves stances exactly where they are, so only events move them.
    #[test]
    fn an_event_changes_the_stances_every_later_step_starts_from() {
        let mut world = world(3, 1);
        let mut drill = event(
            "drill",
            Timing::Every(1),
            vec![Effect::Stance {
                i: 1,
                j: 0,
                change: Change::Add(0.1),
            }],
        );
        drill.repeat = true;
        let visit = Effect::Stance {
            i: 0,
            j: 1,
            change: Change::Set(0.9),
        };
        world.events = vec![drill, event("visit", Timing::At(2), vec![visit])];
        let mut state = State::new(&world);
        let (before_ab, before_ba) = (state.stance[1], state.stance[3]);
        let mut kernel = Lanes::new(&world);
        let mut seen = vec![];
        for t in 1..=3 {
            step(&world, &mut kernel, &mut state, t, &mut Counter(1));
            seen.push((state.stance[1], state.stance[3]));
        }
        let ba = |steps: usize| (0..steps).fold(before_ba, |s, _| s + 0.1);
        assert_eq!(seen[0], (before_ab, ba(1)));
        assert_eq!(seen[1], (0.9, ba(2)));
        assert_eq!(seen[2], (0.9, ba(3)));
    }

    #[test]
    fn share_effects_keep_rows_at_most_one_in_shares_and_anchors() {
        let (_, mut state) = three_states();
        let deal = Effect::Share {
            k: 1,
            i: 1,
            j: 0,
            change: Change::Add(0.9),
            lasting: true,
        };
        deal.apply(&mut state);
        let row = &state.share[9 + 3..9 + 6];
        assert!(close(row.iter().sum::<f64>(), 1.0));
        // 0.9 and 0.5 scaled back to a total of 1, in proportion.
        assert!(close(row[0], 0.9 / 1.4) && close(row[2], 0.5 / 1.4));
        assert_eq!(&state.anchor[9 + 3..9 + 6], row);
    }
}
