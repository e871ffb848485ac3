//! Calibration at rest (`at_rest: true`): the initial state is a fixed point of the
//! dynamics for every draw of the parameters.
//!
//! Without it, the affinities in a file hold the initial stances still only at the
//! parameter values they were solved for; any other draw of lambda or gamma starts off
//! balance and drifts with no event at all, and the Monte Carlo spread then mixes real
//! uncertainty with that artefact. At rest, each trajectory's affinities are solved after
//! its parameters are drawn, so that the stance target equals the initial stance:
//!
//! `A[i][j] = atanh(S0[i][j]) − D0[i][j] + λ_i L0[i][j] − γ_i B0[i][j] + A_file[i][j]`
//!
//! where D0, L0 and B0 are the dependency pull, patron leverage and balance of the initial
//! state (README, "The model"), and the file's affinities are *departures from rest*: the
//! drift the analyst believes in. Shares need no solving: the replicator responds to the
//! change of partnership since the start, `exp(κ (P − P0))` (`Lanes`), and the anchors are
//! the initial shares, so the initial shares are a fixed point too.
//!
//! Rest is not stability: where balance dominates, the initial state may be an unstable
//! fixed point, and noise or an event then sends it to a bloc. That is the model's answer,
//! not an artefact.

use super::{ParamTarget, State, Target, World, AFFINITY_LIMIT};

/// What a world at rest needs to solve a trajectory's affinities: the parts of the
/// equation above that do not depend on the parameters, computed once per world.
#[derive(Debug, Clone)]
pub struct Rest {
    n: usize,
    k: usize,
    /// `atanh(S0[i][j]) + A_file[i][j]` (0 on the diagonal).
    base: Vec<f64>,
    /// `B0[i][j]`, the initial balance (independent of the parameters).
    balance: Vec<f64>,
    /// `M[k][i][j] = Σ_m W0[k][i][m] max(0, −S0[m][j])`, so that
    /// `L0[i][j] = Σ_k β_k,i M[k][i][j]`.
    leverage: Vec<f64>,
    /// `W0[k][i][j]`, so that `D0[i][j] = Σ_k β_k,i W0[k][i][j]`.
    share: Vec<f64>,
    /// `P0[i][j] = (S0[i][j] + S0[j][i]) / 2`, what the shares respond to changes of.
    pub partnership: Vec<f64>,
}

/// The initial state a rest is solved from: the world's, or one trajectory's draw of it.
struct Start<'a> {
    stance: &'a [f64],
    affinity: &'a [f64],
    weight: &'a [f64],
    share: &'a [f64],
}

/// Solves one trajectory's rest after its draws, in a world at rest (else nothing): with the
/// world's own parts unless a drawn number moves the initial state, then with parts computed
/// from the trajectory's own start. Keeps the departures from rest and `P0` in the state for
/// the kernel (`Rest::settle`). Returns the first pair that cannot be held still.
pub fn settle_trajectory(world: &World, state: &mut State) -> Option<Unsettled> {
    let rest = world.rest.as_ref()?;
    if state.draws_start {
        Rest::of_trajectory(state).settle(state)
    } else {
        rest.settle(state)
    }
}

/// Whether a trajectory's rest reads the number `target` lands in: `beta`, `lambda`,
/// `gamma` (`Rest::settle`) and the numbers of the start (`Rest::of_trajectory`). Checking
/// a run's draws (`engine::run::check_rest`) draws these slots alone.
pub fn rest_reads(target: &Target) -> bool {
    target.moves_rest()
        || matches!(
            target,
            Target::Param(ParamTarget::Beta(..) | ParamTarget::Lambda(_) | ParamTarget::Gamma(_))
        )
}

/// A pair whose solved affinity falls outside `[-AFFINITY_LIMIT, AFFINITY_LIMIT]` for one
/// trajectory's parameters: holding that stance still would take a pull no event may
/// exceed.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsettled {
    pub from: usize,
    pub to: usize,
    /// The solved affinity.
    pub affinity: f64,
    /// The draw's `lambda` and `gamma` of `from`.
    pub lambda: f64,
    pub gamma: f64,
    /// The draw's `beta` of `from`, per channel.
    pub beta: Vec<f64>,
}

impl Rest {
    /// The parameter-free parts for `world`, whose stances must all lie strictly inside
    /// (-1, 1) (the compiler refuses ±1 in a world at rest: atanh is infinite there).
    pub fn new(world: &World) -> Self {
        let start = Start {
            stance: &world.stance,
            affinity: &world.affinity,
            weight: &world.weight,
            share: &world.share,
        };
        Self::of(world.n(), world.k(), start)
    }

    /// The same for one trajectory's start, whose stances, affinities, weights or shares
    /// are drawn (before its affinities are solved).
    pub fn of_trajectory(state: &State) -> Self {
        let start = Start {
            stance: &state.stance,
            affinity: &state.affinity,
            weight: &state.weight,
            share: &state.share,
        };
        Self::of(state.n, state.k, start)
    }

    fn of(n: usize, k: usize, world: Start) -> Self {
        let s = world.stance;
        let off = |ij: usize| ij / n != ij % n;
        let base = (0..n * n)
            .map(|ij| {
                if off(ij) {
                    libm::atanh(s[ij]) + world.affinity[ij]
                } else {
                    0.0
                }
            })
            .collect();
        let total: f64 = world.weight.iter().sum();
        let mut balance = vec![0.0; n * n];
        if n >= 3 {
            for i in 0..n {
                for j in (0..n).filter(|&j| j != i) {
                    let mut b = 0.0;
                    for m in 0..n {
                        b += world.weight[m] * s[i * n + m] * s[m * n + j];
                    }
                    balance[i * n + j] = b / (total - world.weight[i] - world.weight[j]);
                }
            }
        }
        let mut leverage = vec![0.0; k * n * n];
        for c in 0..k {
            for i in 0..n {
                for j in 0..n {
                    let mut x = 0.0;
                    // m = i is the rest of the world's share (`model::others`), no state's.
                    for m in (0..n).filter(|&m| m != i) {
                        x += world.share[(c * n + i) * n + m] * (-s[m * n + j]).max(0.0);
                    }
                    leverage[(c * n + i) * n + j] = x;
                }
            }
        }
        let partnership = (0..n * n)
            .map(|ij| 0.5 * (s[ij] + s[(ij % n) * n + ij / n]))
            .collect();
        Rest {
            n,
            k,
            base,
            balance,
            leverage,
            share: world.share.to_vec(),
            partnership,
        }
    }

    /// Solves the affinities of a trajectory whose parameters are drawn, into
    /// `state.affinity`. Returns the first pair (in row order) whose affinity falls outside
    /// the allowed range; it is then stored clamped, and the run refuses the draw
    /// (`engine::run`).
    /// It first keeps what the kernel needs of the rest in the state (`Lanes::load_start`):
    /// the affinities as given, departures from rest, and `P0`.
    pub fn settle(&self, state: &mut State) -> Option<Unsettled> {
        let (n, k) = (self.n, self.k);
        state.departure.copy_from_slice(&state.affinity);
        state.rest_partnership.copy_from_slice(&self.partnership);
        let p = &state.params;
        let mut unsettled = None;
        for i in 0..n {
            for j in (0..n).filter(|&j| j != i) {
                let ij = i * n + j;
                let (mut pull, mut leverage) = (0.0, 0.0);
                for c in 0..k {
                    let beta = p.beta[c * n + i];
                    pull += beta * self.share[(c * n + i) * n + j];
                    leverage += beta * self.leverage[(c * n + i) * n + j];
                }
                let a =
                    self.base[ij] - pull + p.lambda[i] * leverage - p.gamma[i] * self.balance[ij];
                if !(-AFFINITY_LIMIT..=AFFINITY_LIMIT).contains(&a) && unsettled.is_none() {
                    unsettled = Some(Unsettled {
                        from: i,
                        to: j,
                        affinity: a,
                        lambda: p.lambda[i],
                        gamma: p.gamma[i],
                        beta: (0..k).map(|c| p.beta[c * n + i]).collect(),
                    });
                }
                state.affinity[ij] = a.clamp(-AFFINITY_LIMIT, AFFINITY_LIMIT);
            }
        }
        unsettled
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::{world, Counter, Still};
    use crate::model::lanes::Lanes;
    use crate::model::step::step;
    use crate::model::ParamTarget;

    /// A small deterministic generator for the random worlds below (the engine's streams
    /// live in `engine`, which the model does not depend on).
    struct Dice(u64);

    impl Dice {
        fn uniform(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }

        fn between(&mut self, low: f64, high: f64) -> f64 {
            low + (high - low) * self.uniform()
        }
    }

    /// A random valid world: 2 to 9 states, 1 to 4 channels, stances in (-0.9, 0.9), shares
    /// totalling at most 0.9 per row, weights in (0.5, 3), and no departures from rest.
    fn random_world(dice: &mut Dice) -> World {
        let n = 2 + (dice.uniform() * 8.0) as usize;
        let k = 1 + (dice.uniform() * 4.0) as usize;
        let mut w = world(n, k);
        for (ij, s) in w.stance.iter_mut().enumerate() {
            *s = if ij / n == ij % n {
                0.0
            } else {
                dice.between(-0.9, 0.9)
            };
        }
        w.affinity.fill(0.0);
        for c in &mut w.weight {
            *c = dice.between(0.5, 3.0);
        }
        for row in w.share.chunks_mut(n) {
            let total = dice.between(0.0, 0.9);
            let raw: Vec<f64> = (0..n).map(|_| dice.uniform()).collect();
            let sum: f64 = raw.iter().sum();
            for (x, r) in row.iter_mut().zip(raw) {
                *x = total * r / sum;
            }
        }
        for (kk, row) in w.share.chunks_mut(n).enumerate() {
            row[kk % n] = 0.0; // W[k][i][i] = 0: row index kk = k*n + i, so i = kk % n
        }
        w
    }

    /// One draw of every parameter, over ranges wider than the shipped scenarios use.
    fn draw_params(state: &mut State, dice: &mut Dice) {
        let (n, k) = (state.n, state.k);
        for i in 0..n {
            state
                .params
                .set(ParamTarget::Eta(i), dice.between(0.02, 1.0));
            state.params.set(ParamTarget::Sigma(i), 0.0);
            state
                .params
                .set(ParamTarget::Gamma(i), dice.between(0.0, 2.0));
            state
                .params
                .set(ParamTarget::Lambda(i), dice.between(0.0, 2.0));
            for c in 0..k {
                state
                    .params
                    .set(ParamTarget::Beta(c, i), dice.between(-2.0, 2.0));
            }
        }
        for c in 0..k {
            state
                .params
                .set(ParamTarget::Kappa(c), dice.between(-3.0, 3.0));
            state
                .params
                .set(ParamTarget::Rho(c), dice.between(0.0, 0.5));
        }
    }

    /// The test: 1,000 random valid worlds, each with its own parameter draw,
    /// `at_rest`, no noise and no events, keep every stance and share at its initial value
    /// to 1e-12 for 200 steps.
    #[test]
    fn a_world_at_rest_stays_still_for_any_draw() {
        let mut dice = Dice(2018);
        let (mut worst, mut residual, mut refused): (f64, f64, usize) = (0.0, 0.0, 0);
        for w in 0..1000 {
            let mut world = random_world(&mut dice);
            world.rest = Some(Rest::new(&world));
            let mut state = State::new(&world);
            draw_params(&mut state, &mut dice);
            let rest = world.rest.as_ref().unwrap();
            if rest.settle(&mut state).is_some() {
                refused += 1; // a draw the run would refuse
                continue;
            }
            let mut kernel = Lanes::<1>::new(&world);
            for t in 1..=200 {
                step(&world, &mut kernel, &mut state, t, &mut Still);
            }
            residual = residual.max(kernel.largest_residual());
            for (now, then) in state.stance.iter().zip(&world.stance) {
                worst = worst.max((now - then).abs());
            }
            for (now, then) in state.share.iter().zip(&world.share) {
                worst = worst.max((now - then).abs());
            }
            assert!(worst <= 1e-12, "world {w}: moved by {worst:e}");
        }
        // The solved affinities hold the state still up to rounding; the residuals only
        // remove the rounding (without them, unstable rests drift away from 1e-16).
        assert!(residual <= 1e-14, "a residual of {residual:e}");
        assert!(refused < 50, "{refused} of 1000 draws refused");
    }

    /// The same world moves at once when it is not at rest, or when the file gives a
    /// departure from rest: the test above can fail.
    #[test]
    fn a_world_not_at_rest_or_with_a_departure_drifts() {
        let moved = |at_rest: bool, departure: f64| {
            let mut dice = Dice(2018);
            let mut world = random_world(&mut dice);
            world.affinity[1] = departure;
            if at_rest {
                world.rest = Some(Rest::new(&world));
            }
            let mut state = State::new(&world);
            draw_params(&mut state, &mut dice);
            if let Some(rest) = &world.rest {
                assert!(rest.settle(&mut state).is_none());
            }
            let mut kernel = Lanes::<1>::new(&world);
            for t in 1..=20 {
                step(&world, &mut kernel, &mut state, t, &mut Still);
            }
            state
                .stance
                .iter()
                .zip(&world.stance)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max)
        };
        assert!(moved(false, 0.0) > 1e-3);
        assert!(moved(true, 0.2) > 1e-3);
        assert!(moved(true, 0.0) < 1e-12);
    }

    #[test]
    fn a_pull_beyond_the_limit_names_the_pair_and_the_draw() {
        let mut w = world(3, 1);
        w.stance[1] = 0.999; // s0 -> s1: atanh = 3.8
        w.affinity[1] = 2.0; // a departure that takes it past 5
        let mut state = State::new(&w);
        draw_params(&mut state, &mut Dice(1));
        // No pull, leverage or balance: the solved affinity is 3.8 + 2.0.
        for i in 0..3 {
            state.params.set(ParamTarget::Gamma(i), 0.0);
            state.params.set(ParamTarget::Lambda(i), 0.0);
            state.params.set(ParamTarget::Beta(0, i), 0.0);
        }
        let unsettled = Rest::new(&w).settle(&mut state).expect("out of range");
        assert_eq!((unsettled.from, unsettled.to), (0, 1));
        assert!(unsettled.affinity.abs() > AFFINITY_LIMIT);
        assert_eq!(unsettled.beta.len(), 1);
        assert_eq!(state.affinity[1].abs(), AFFINITY_LIMIT);
    }

    #[test]
    fn noise_still_moves_a_world_at_rest() {
        let mut w = world(4, 2);
        w.rest = Some(Rest::new(&w));
        let mut state = State::new(&w);
        draw_params(&mut state, &mut Dice(3));
        assert!(w.rest.as_ref().unwrap().settle(&mut state).is_none());
        for i in 0..4 {
            state.params.set(ParamTarget::Sigma(i), 0.05);
        }
        let mut kernel = Lanes::<1>::new(&w);
        step(&w, &mut kernel, &mut state, 1, &mut Counter(5));
        assert_ne!(state.stance, w.stance);
    }
}
