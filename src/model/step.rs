//! One step t -> t+1 of the reference form (DESIGN §2): events, stances, supply shares.
//!
//! Summation orders are fixed (ascending indices), and `tanh`/`exp` are the project's own
//! branch-free versions in plain f64 arithmetic (`model::math`, within a few ulps of `libm`),
//! so a step gives the same bits on every machine and its row loops vectorise.

use super::state::Scratch;
use super::{math, Randomness, State, Timing, World};

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
///
/// The sums over m run as row updates (`row[j] += x * other_row[j]` for m = 0, 1, ...), so
/// the inner loops run over contiguous j and the compiler vectorises them; each entry still
/// adds its terms in ascending m, exactly as the textbook triple loop does, so the result is
/// the same bits (the test below holds the two forms to that).
pub fn update_stances(world: &World, state: &mut State, rng: &mut impl Randomness) {
    let n = state.n;
    let c = &world.weight;
    let total_weight: f64 = c.iter().sum();
    let State {
        stance: s,
        affinity: a,
        share: w,
        params: p,
        scratch,
        ..
    } = state;
    let Scratch {
        dependency,
        hostility,
        next,
        noise,
        balance,
        leverage,
        ..
    } = scratch;

    // D[i][j] = sum_k beta[k][i] W[k][i][j]
    dependency.fill(0.0);
    for k in 0..state.k {
        for i in 0..n {
            let row = (k * n + i) * n;
            math::add_scaled(
                &mut dependency[i * n..(i + 1) * n],
                p.beta[k * n + i],
                &w[row..row + n],
            );
        }
    }
    for (h, &x) in hostility.iter_mut().zip(s.iter()) {
        *h = (-x).max(0.0);
    }
    // The noise of the step, in the order the entries are visited (i, then j != i).
    for i in 0..n {
        for j in 0..n {
            noise[i * n + j] = if i == j { 0.0 } else { rng.standard_normal() };
        }
    }

    for i in 0..n {
        let (gamma, lambda) = (p.gamma[i], p.lambda[i]);
        let row = i * n..(i + 1) * n;
        // The diagonal of S is 0, so the terms m = i and m = j vanish and both sums may run
        // over every m.
        balance.fill(0.0);
        leverage.fill(0.0);
        for m in 0..n {
            let other = m * n..(m + 1) * n;
            math::add_scaled(balance, c[m] * s[i * n + m], &s[other.clone()]);
            math::add_scaled(leverage, dependency[i * n + m], &hostility[other]);
        }
        let (a_row, d_row) = (&a[row.clone()], &dependency[row.clone()]);
        let next_row = &mut next[row];
        // The argument of tanh, for the whole row ...
        for j in 0..n {
            let bal = if n < 3 {
                0.0
            } else {
                balance[j] / (total_weight - c[i] - c[j])
            };
            next_row[j] = a_row[j] + d_row[j] - lambda * leverage[j] + gamma * bal;
        }
    }
    // ... tanh over the whole matrix at once: one long loop without branches, which the
    // compiler vectorises even when rows are short ...
    for x in next.iter_mut() {
        *x = math::tanh(*x);
    }
    // ... and the move toward the target.
    for i in 0..n {
        let (eta, sigma) = (p.eta[i], p.sigma[i]);
        let row = i * n..(i + 1) * n;
        let (s_row, e_row, next_row) = (&s[row.clone()], &noise[row.clone()], &mut next[row]);
        for j in 0..n {
            let target = next_row[j];
            next_row[j] =
                (s_row[j] + eta * (target - s_row[j]) + sigma * e_row[j]).clamp(-1.0, 1.0);
        }
        next_row[i] = 0.0;
    }
    s.copy_from_slice(next);
}

/// Phase 3: supply shares follow partnership (replicator with self-reliance as the outside
/// option), held by their anchors.
///
/// `exp(kappa * P)` is computed once for each run of channels with the same `kappa` (most
/// scenarios give every channel the same one), not once per channel.
pub fn update_shares(state: &mut State) {
    let n = state.n;
    let State {
        stance: s,
        share: w,
        anchor,
        params: p,
        scratch,
        ..
    } = state;
    let Scratch {
        growth,
        next,
        partnership,
        ..
    } = scratch;
    for i in 0..n {
        for j in 0..n {
            partnership[i * n + j] = 0.5 * (s[i * n + j] + s[j * n + i]);
        }
    }
    let mut growth_of: Option<f64> = None;
    for k in 0..state.k {
        let (kappa, rho) = (p.kappa[k], p.rho[k]);
        if growth_of != Some(kappa) {
            for (g, &x) in growth.iter_mut().zip(partnership.iter()) {
                *g = math::exp(kappa * x);
            }
            growth_of = Some(kappa);
        }
        let z = &mut next[..n];
        for i in 0..n {
            let row = (k * n + i) * n;
            let shares = &mut w[row..row + n];
            let g = &growth[i * n..(i + 1) * n];
            for j in 0..n {
                z[j] = shares[j] * g[j];
            }
            let mut total = 0.0;
            let mut grown = 0.0;
            for j in 0..n {
                total += shares[j];
                grown += z[j];
            }
            let denominator = (1.0 - total).max(0.0) + grown;
            if denominator <= 0.0 {
                continue; // an empty row stays empty
            }
            let anchors = &anchor[row..row + n];
            let keep = (1.0 - rho) / denominator;
            for j in 0..n {
                shares[j] = z[j] * keep + rho * anchors[j];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook form of phases 2 and 3 (triple loops, exp per channel), kept to check
    /// that the fast form gives the same bits.
    #[allow(clippy::needless_range_loop)]
    fn reference_step(world: &World, state: &mut State, rng: &mut impl Randomness) {
        let n = state.n;
        let c = &world.weight;
        let total_weight: f64 = c.iter().sum();
        let s = state.stance.clone();
        let mut d = vec![0.0; n * n];
        for k in 0..state.k {
            for i in 0..n {
                for j in 0..n {
                    d[i * n + j] += state.params.beta[k * n + i] * state.share[(k * n + i) * n + j];
                }
            }
        }
        let h: Vec<f64> = s.iter().map(|&x| (-x).max(0.0)).collect();
        let p = state.params.clone();
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
                let target = math::tanh(
                    state.affinity[ij] + d[ij] - p.lambda[i] * leverage + p.gamma[i] * balance,
                );
                let e = rng.standard_normal();
                state.stance[ij] =
                    (s[ij] + p.eta[i] * (target - s[ij]) + p.sigma[i] * e).clamp(-1.0, 1.0);
            }
        }
        let s = state.stance.clone();
        for k in 0..state.k {
            let (kappa, rho) = (p.kappa[k], p.rho[k]);
            for i in 0..n {
                let row = (k * n + i) * n;
                let mut z = vec![0.0; n];
                let (mut total, mut grown) = (0.0, 0.0);
                for j in 0..n {
                    total += state.share[row + j];
                    z[j] = state.share[row + j]
                        * math::exp(kappa * (0.5 * (s[i * n + j] + s[j * n + i])));
                    grown += z[j];
                }
                let den = (1.0 - total).max(0.0) + grown;
                if den <= 0.0 {
                    continue;
                }
                for j in 0..n {
                    state.share[row + j] = z[j] * ((1.0 - rho) / den) + rho * state.anchor[row + j];
                }
            }
        }
    }

    /// A cheap deterministic source of "normal" draws (any numbers will do here).
    struct Counter(u64);

    impl Randomness for Counter {
        fn standard_normal(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 3.0
        }
        fn event_uniform(&mut self, _: usize) -> f64 {
            0.5
        }
    }

    fn world(n: usize, k: usize) -> World {
        let f = |x: f64| libm::sin(x);
        let mut share = vec![0.0; k * n * n];
        for kk in 0..k {
            for i in 0..n {
                for j in (0..n).filter(|&j| j != i) {
                    share[(kk * n + i) * n + j] =
                        0.4 * (1.0 + f((i + 2 * j + 3 * kk) as f64)) / n as f64;
                }
            }
        }
        World {
            name: "t".into(),
            description: String::new(),
            step_unit: "step".into(),
            steps: 10,
            trajectories: 1,
            seed: 1,
            states: (0..n).map(|i| format!("s{i}")).collect(),
            channels: (0..k).map(|c| format!("c{c}")).collect(),
            weight: (0..n).map(|i| 1.0 + 0.5 * i as f64).collect(),
            stance: (0..n * n)
                .map(|ij| {
                    if ij / n == ij % n {
                        0.0
                    } else {
                        0.9 * f(1.0 + 3.0 * ij as f64)
                    }
                })
                .collect(),
            affinity: (0..n * n)
                .map(|ij| 0.3 * f(2.0 + 5.0 * ij as f64))
                .collect(),
            share,
            params: Vec::new(),
            events: Vec::new(),
            outcomes: Vec::new(),
            metrics: Vec::new(),
        }
    }

    #[test]
    fn the_fast_step_gives_the_same_bits_as_the_textbook_loops() {
        for (n, k) in [(1, 1), (2, 1), (3, 2), (6, 4), (11, 3)] {
            let world = world(n, k);
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
            let mut slow = fast.clone();
            let (mut r1, mut r2) = (Counter(7), Counter(7));
            for _ in 0..30 {
                update_stances(&world, &mut fast, &mut r1);
                update_shares(&mut fast);
                reference_step(&world, &mut slow, &mut r2);
                assert_eq!(fast.stance, slow.stance, "stances, n = {n}");
                assert_eq!(fast.share, slow.share, "shares, n = {n}");
            }
        }
    }
}
