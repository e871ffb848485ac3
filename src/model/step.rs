//! One step t -> t+1 of the reference form (DESIGN §2): events, stances, supply shares.
//!
//! Summation orders are fixed (ascending indices), and `tanh`/`exp` come from the pure-Rust
//! `libm` crate, so a step gives the same bits on every machine.

use super::{Randomness, State, Timing, World};

/// Advances `state` by one step; `t` is the number of the step being made (1-based).
pub fn step(world: &World, state: &mut State, t: u32, rng: &mut impl Randomness) {
    fire_events(world, state, t, rng);
    update_stances(world, state, rng);
    update_shares(state);
}

/// Phase 1: events in file order, each seeing the effects of the ones before it.
///
/// A hazard event draws its uniform number every step, eligible or not, so that the draws
/// of step t are the same whatever happened before: two scenarios that differ in one event
/// still share every other random number (common random numbers).
pub fn fire_events(world: &World, state: &mut State, t: u32, rng: &mut impl Randomness) {
    for (e, event) in world.events.iter().enumerate() {
        let scheduled = match event.timing {
            Timing::At(at) => t == at,
            Timing::Every(every) => t % every == 0,
            Timing::Hazard => rng.event_uniform(e) < state.params.hazard[e],
        };
        if !scheduled
            || t < event.window.0
            || t > event.window.1
            || (state.fired[e] > 0 && !event.repeat)
        {
            continue;
        }
        if let Some(when) = &event.when {
            if !when.holds(state) {
                continue;
            }
        }
        for effect in &event.effects {
            effect.apply(state);
        }
        state.fired[e] += 1;
    }
}

/// Phase 2: every stance moves toward its target, synchronously, plus noise.
pub fn update_stances(world: &World, state: &mut State, rng: &mut impl Randomness) {
    let n = state.n;
    let c = &world.weight;
    let total_weight: f64 = c.iter().sum();
    let State { stance: s, affinity: a, share: w, params: p, scratch, .. } = state;

    // D[i][j] = sum_k beta[k][i] W[k][i][j]
    scratch.dependency.fill(0.0);
    for k in 0..state.k {
        for i in 0..n {
            let beta = p.beta[k * n + i];
            let row = &w[(k * n + i) * n..(k * n + i + 1) * n];
            let d = &mut scratch.dependency[i * n..(i + 1) * n];
            for j in 0..n {
                d[j] += beta * row[j];
            }
        }
    }
    for (h, &x) in scratch.hostility.iter_mut().zip(s.iter()) {
        *h = (-x).max(0.0);
    }

    for i in 0..n {
        let (eta, sigma, gamma, lambda) = (p.eta[i], p.sigma[i], p.gamma[i], p.lambda[i]);
        for j in 0..n {
            if i == j {
                scratch.next[i * n + j] = 0.0;
                continue;
            }
            // The diagonal of S is 0, so the terms m = i and m = j vanish and both sums may
            // run over every m.
            let mut balance = 0.0;
            let mut leverage = 0.0;
            for m in 0..n {
                balance += c[m] * s[i * n + m] * s[m * n + j];
                leverage += scratch.dependency[i * n + m] * scratch.hostility[m * n + j];
            }
            let balance = if n < 3 { 0.0 } else { balance / (total_weight - c[i] - c[j]) };
            let ij = i * n + j;
            let target =
                libm::tanh(a[ij] + scratch.dependency[ij] - lambda * leverage + gamma * balance);
            let noise = rng.standard_normal();
            scratch.next[ij] = (s[ij] + eta * (target - s[ij]) + sigma * noise).clamp(-1.0, 1.0);
        }
    }
    s.copy_from_slice(&scratch.next);
}

/// Phase 3: supply shares follow partnership (replicator with self-reliance as the outside
/// option), held by their anchors.
pub fn update_shares(state: &mut State) {
    let n = state.n;
    let State { stance: s, share: w, anchor, params: p, scratch, .. } = state;
    for k in 0..state.k {
        let (kappa, rho) = (p.kappa[k], p.rho[k]);
        for i in 0..n {
            for j in 0..n {
                let partnership = 0.5 * (s[i * n + j] + s[j * n + i]);
                scratch.growth[i * n + j] = libm::exp(kappa * partnership);
            }
        }
        for i in 0..n {
            let row = (k * n + i) * n;
            let shares = &mut w[row..row + n];
            let mut total = 0.0;
            let mut grown = 0.0;
            for j in 0..n {
                total += shares[j];
                let z = shares[j] * scratch.growth[i * n + j];
                scratch.next[j] = z;
                grown += z;
            }
            let denominator = (1.0 - total).max(0.0) + grown;
            if denominator <= 0.0 {
                continue; // an empty row stays empty
            }
            let anchors = &anchor[row..row + n];
            for j in 0..n {
                shares[j] = (1.0 - rho) * scratch.next[j] / denominator + rho * anchors[j];
            }
        }
    }
}
