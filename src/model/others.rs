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

use super::background::{fraction, BackgroundParam, Process, ENTRY};
use super::{Randomness, State};

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
/// Self-reliance is home production, not a market: no contract moves it. Returns the row's
/// first entry.
pub(super) fn contract(
    state: &mut State,
    rng: &mut impl Randomness,
    row: usize,
    i: usize,
) -> usize {
    let n = state.n;
    let shares = &state.share[row..row + n];
    let weights = &mut state.clock.weights;
    let mut total = 0.0;
    for (j, (weight, &share)) in weights.iter_mut().zip(shares).enumerate() {
        let open = j == i || state.stance[i * n + j] + state.stance[j * n + i] >= 0.0;
        let root = if share > 0.0 { libm::sqrt(share) } else { 0.0 };
        *weight = root + if open { ENTRY } else { 0.0 };
        total += *weight;
    }
    let mut u = rng.background_uniform(Process::Suppliers) * total;
    let mut winner = n - 1;
    for (j, &w) in weights.iter().enumerate() {
        if u < w {
            winner = j;
            break;
        }
        u -= w;
    }
    let size = state.params.background[BackgroundParam::SupplierSize.index()];
    let part = fraction(rng.background_uniform(Process::Suppliers), size);
    for shares in [&mut state.share, &mut state.anchor] {
        let row = &mut shares[row..row + n];
        let imports: f64 = row.iter().sum();
        for w in row.iter_mut() {
            *w *= 1.0 - part;
        }
        row[winner] += part * imports;
        let total: f64 = row.iter().sum();
        if total > 1.0 {
            for w in row.iter_mut() {
                *w /= total;
            }
        }
    }
    row
}
