//! The rest of the world (`Others`): a supplier in every channel that is not one of the
//! file's states (South Korea, Israel, France in a five-state world).
//!
//! Before it existed, what the listed ties left of a row was one lump: self-reliance and
//! every supplier the file does not name. Such a supplier could then not be tracked, could
//! not lose share to a winner, and a home-built system was confused with an import. In a
//! world that names `Others`, the lump is split: `Others` holds its own share and what the
//! ties and `Others` leave is self-reliance.
//!
//! Its share is kept in the recipient's own slot of each row, `W[k][i][i]`, which no state
//! can hold (a state does not supply itself): so every sum over a row (dependence, the
//! replicator's total, the cap of a row at 1, a shift) counts it as a supplier with no
//! change, and the background's contracts already use that slot for the outside. Three
//! places keep it apart from the states:
//!
//! - the stance targets: its dependency `D[i][i]` is not a state's and pulls no stance
//!   (`Lanes::targets` clears it; `Rest::new` leaves it out of the leverage);
//! - the replicator: its growth factor is `exp(κ attractiveness)` (1 in a world at rest,
//!   where shares follow the change of a partnership since the start, and an
//!   attractiveness does not change), in place of `exp(κ P[i][j])`;
//! - the background: with `Others`, a contract re-deals the imports (the states and
//!   `Others`, which may win from a share of 0 like a state that is not hostile) and leaves
//!   self-reliance alone (`Background::contract`).
//!
//! A world that does not name `Others` keeps every diagonal slot at 0 and runs exactly as
//! before: none of the three changes is made.

use super::background::{market_weight, ENTRY};
use super::State;

/// The name the file uses for the rest of the world; reserved (no state may take it).
pub const OTHERS: &str = "Others";

/// The rest of the world in a world that names it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Others {
    /// Its stance-like pull in the replicator, in [-1, 1], in place of a partnership.
    pub attractiveness: f64,
}

/// One background contract in row `row` (recipient `i`) of a world with the rest of the
/// world: a winner among the states and `Others` (weights as `Background::contract` gives
/// them, `Others` in the recipient's slot and always open to trade) takes a part of the
/// imports, which every other supplier loses in proportion, in shares and anchors alike.
/// Self-reliance is home production, not a market: no contract moves it. `choice` is the
/// uniform draw that picks the winner and `part` the part of the imports it takes, both
/// drawn by `Background::contract`. Returns the row's first entry.
pub(super) fn contract(
    state: &mut State,
    (choice, part): (f64, f64),
    row: usize,
    i: usize,
) -> usize {
    let n = state.n;
    let shares = &state.share[row..row + n];
    let weights = &mut state.clock.weights;
    let mut total = 0.0;
    for (j, (weight, &share)) in weights.iter_mut().zip(shares).enumerate() {
        let open = j == i || state.stance[i * n + j] + state.stance[j * n + i] >= 0.0;
        let held = if share > 0.0 {
            market_weight(share)
        } else {
            0.0
        };
        *weight = held + if open { ENTRY } else { 0.0 };
        total += *weight;
    }
    let mut u = choice * total;
    let mut winner = n - 1;
    for (j, &w) in weights.iter().enumerate() {
        if u < w {
            winner = j;
            break;
        }
        u -= w;
    }
    for shares in [&mut state.share, &mut state.anchor] {
        let row = &mut shares[row..row + n];
        let imports: f64 = row.iter().sum();
        for w in row.iter_mut() {
            *w *= 1.0 - part;
        }
        row[winner] += part * imports;
        // Rounding may leave the row a few ulps above 1.
        super::event::cap_row(row);
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::{world, Counter, Still};
    use crate::model::lanes::Lanes;
    use crate::model::{step, Background, ParamTarget, World};

    /// Three states; A's arms come from B (0.3) and the rest of the world (0.2); the rest is
    /// self-reliance. Stances A-B 0.5 both ways and nothing moves them (eta 0, no noise).
    fn three_states(attractiveness: f64) -> (World, State) {
        let n = 3;
        let mut w = world(n, 1);
        w.share.fill(0.0);
        w.share[1] = 0.3;
        w.share[0] = 0.2;
        w.stance.fill(0.0);
        w.stance[1] = 0.5;
        w.stance[n] = 0.5;
        w.others = Some(Others { attractiveness });
        let mut state = State::new(&w);
        state.params.set(ParamTarget::Kappa(0), 1.0);
        state.params.set(ParamTarget::Rho(0), 0.0);
        (w, state)
    }

    /// The replicator weighs the rest of the world by `exp(κ attractiveness)`, as it weighs a
    /// state by `exp(κ P)`, beside self-reliance (weight 1).
    #[test]
    fn the_replicator_weighs_the_rest_of_the_world_by_its_attractiveness() {
        let (w, mut state) = three_states(0.4);
        let mut kernel = Lanes::new(&w);
        step(&w, &mut kernel, &mut state, 1, &mut Still);
        let z_b = 0.3 * libm::exp(0.5);
        let z_others = 0.2 * libm::exp(0.4);
        let total = 0.5 + z_b + z_others;
        assert!(
            (state.share[1] - z_b / total).abs() < 1e-12,
            "{:?}",
            state.share
        );
        assert!(
            (state.share[0] - z_others / total).abs() < 1e-12,
            "{:?}",
            state.share
        );
        // Its share is no state's: A's stance toward B moves by nothing (eta is 0), and
        // B's row, which the rest of the world does not supply, stays empty.
        assert_eq!(state.share[3..6], [0.0; 3]);
    }

    /// The rest of the world's dependency is no state's: it lends no leverage. With A's
    /// row all rest of the world and A hostile to C, A's target toward B must be what it is
    /// with no share at all.
    #[test]
    fn the_rest_of_the_worlds_share_pulls_no_stance() {
        let targets = |others: f64| {
            let (mut w, mut state) = three_states(0.0);
            w.share.fill(0.0);
            w.share[0] = others;
            w.stance[2] = -0.8; // A toward C
            state = State {
                share: w.share.clone(),
                anchor: w.share.clone(),
                stance: w.stance.clone(),
                ..state
            };
            for i in 0..3 {
                state.params.set(ParamTarget::Eta(i), 1.0);
                state.params.set(ParamTarget::Lambda(i), 1.0);
                state.params.set(ParamTarget::Beta(0, i), 2.0);
            }
            let mut kernel = Lanes::new(&w);
            step(&w, &mut kernel, &mut state, 1, &mut Still);
            state.stance.clone()
        };
        assert_eq!(targets(0.9), targets(0.0));
    }

    /// In a world with the rest of the world, a contract re-deals the imports: every row's
    /// self-reliance stays what it was, rows stay valid, and the rest of the world enters a
    /// row where it had nothing.
    #[test]
    fn a_contract_redeals_the_imports_and_leaves_self_reliance_alone() {
        let (w, mut state) = three_states(0.0);
        let mut w = w;
        w.share[0] = 0.0; // the rest of the world starts with nothing
        state.share.copy_from_slice(&w.share);
        state.anchor.copy_from_slice(&w.share);
        let background = Background {
            steps_per_year: 4.0,
            rows: vec![(0, 0)],
        };
        state.params.background = [0.0, 0.0, 50.0, 0.5, 0.0];
        let mut kernel = Lanes::<1>::new(&w);
        let mut dice = Counter(5);
        let mut entered = false;
        for t in 1..=200 {
            background.apply(&mut state, t, &mut dice, (&mut kernel, 0, true));
            for shares in [&state.share, &state.anchor] {
                let row = &shares[0..3];
                assert!(row.iter().all(|x| (0.0..=1.0).contains(x)));
                assert!((row.iter().sum::<f64>() - 0.3).abs() < 1e-9, "{row:?}");
            }
            entered |= state.share[0] > 0.01;
        }
        assert!(entered, "the rest of the world never won a contract");
    }
}
