//! Numbers read off a trajectory: the derived measures outcomes and plots can name.

use super::State;

/// A derived measure, with states and channels as indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// `S[i][j]`.
    Stance(usize, usize),
    /// `P[i][j] = (S[i][j] + S[j][i]) / 2`.
    Partnership(usize, usize),
    /// `W[k][i][j]`: share of i's needs in channel k supplied by j.
    Share(usize, usize, usize),
    /// `sum_j W[k][i][j]`, j a state: how much of i's needs in channel k the file's other
    /// states supply (not the rest of the world, `Share(i, i, k)`, `model::others`).
    Dependence(usize, usize),
    /// 1 when the two states are in the same bloc of the current partnership matrix (the
    /// weighted leading-eigenvector split of `model::blocs`), else 0; its mean over
    /// trajectories is the probability that they are.
    SameBloc(usize, usize),
    /// The trailing mean of `World::averages[slot]`, read from the trajectory's window
    /// (`model::window`). `signed` says whether the averaged metric runs over [-1, 1]
    /// rather than [0, 1]: a mean stays in the range of what it averages.
    Average { slot: usize, signed: bool },
}

impl Metric {
    /// The interval every value of this metric lies in (the model keeps it there).
    pub fn range(&self) -> (f64, f64) {
        match self {
            Metric::Stance(..) | Metric::Partnership(..) => (-1.0, 1.0),
            Metric::Average { signed: true, .. } => (-1.0, 1.0),
            Metric::Share(..)
            | Metric::Dependence(..)
            | Metric::SameBloc(..)
            | Metric::Average { signed: false, .. } => (0.0, 1.0),
        }
    }

    pub fn eval(&self, state: &State) -> f64 {
        let n = state.n;
        match *self {
            Metric::Stance(i, j) => state.stance[i * n + j],
            Metric::Partnership(i, j) => 0.5 * (state.stance[i * n + j] + state.stance[j * n + i]),
            Metric::Share(i, j, k) => state.share[(k * n + i) * n + j],
            Metric::Dependence(i, k) => {
                let row = &state.share[(k * n + i) * n..(k * n + i + 1) * n];
                // The recipient's own slot is the rest of the world: left out, in order, so
                // that a world without it sums exactly as before (its slot is 0).
                row.iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, w)| w)
                    .sum()
            }
            Metric::SameBloc(i, j) => f64::from(u8::from(super::blocs::same_bloc(
                &state.stance,
                &state.weight,
                n,
                i,
                j,
            ))),
            Metric::Average { slot, .. } => state.windows.mean(slot),
        }
    }
}
