//! The terms of a stance's target, read off the kernel: what `simulate explain` adds up as
//! the forces on a stance (README, "The model": `target = tanh(A + D − λL + γB)`).
//!
//! Each term is computed with the kernel's own operations in the kernel's order (sums from
//! 0.0, ascending index, no fused multiply-add), so `argument` is bit for bit the number
//! whose tanh the step takes, and the terms add up to it within float rounding (the
//! dependency is one sum over channels in the kernel, several terms here).

use super::Lanes;

/// The terms of the argument of one stance's target in one lane, at one step.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    /// `A[i][j]`, as the lane holds it (events and the background included).
    pub affinity: f64,
    /// `beta[k][i] W[k][i][j]` for each channel k: the dependency `D[i][j]` by channel.
    pub dependency: Vec<f64>,
    /// `−λ_i L[i][j]`, `L[i][j] = Σ_m D[i][m] max(0, −S[m][j])`.
    pub leverage: f64,
    /// `γ_i B[i][j]`, `B[i][j] = Σ_m c_m S[i][m] S[m][j] / (Σ c − c_i − c_j)` (0 below 3 states).
    pub balance: f64,
    /// `A + D − λL + γB` as the step computes it.
    pub argument: f64,
}

impl Terms {
    pub fn new(channels: usize) -> Self {
        Terms {
            affinity: 0.0,
            dependency: vec![0.0; channels],
            leverage: 0.0,
            balance: 0.0,
            argument: 0.0,
        }
    }
}

impl<const L: usize> Lanes<L> {
    /// The terms of stance (i, j)'s target in lane `l`, from the stances and shares the lane
    /// holds now: called before `advance`, they are the terms of the step about to be made.
    pub fn terms(&self, l: usize, i: usize, j: usize, out: &mut Terms) {
        let (n, k) = (self.n, self.k);
        let ij = i * n + j;
        // D[i][m] = Σ_k beta[k][i] W[k][i][m], channels in order, as `targets` sums it.
        let dependency = |m: usize| {
            let mut d = 0.0;
            for c in 0..k {
                d += self.beta[c * n + i][l] * self.share[(c * n + i) * n + m][l];
            }
            d
        };
        for (c, term) in out.dependency.iter_mut().enumerate() {
            *term = self.beta[c * n + i][l] * self.share[(c * n + i) * n + j][l];
        }
        let (mut leverage, mut balance) = (0.0, 0.0);
        for m in 0..n {
            let hostility = (-self.stance[m * n + j][l]).max(0.0);
            leverage += dependency(m) * hostility;
            let weighted = self.weight[m][l] * self.stance[i * n + m][l];
            balance += weighted * self.stance[m * n + j][l];
        }
        let balance = if n < 3 {
            0.0
        } else {
            balance / self.balance_scale[ij][l]
        };
        let (gamma, lambda) = (self.gamma[i][l], self.lambda[i][l]);
        let affinity = self.affinity[ij][l];
        out.affinity = affinity;
        out.leverage = -(lambda * leverage);
        out.balance = gamma * balance;
        out.argument = affinity + dependency(j) - lambda * leverage + gamma * balance;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixtures::{worlds_as_they_are_and_at_rest, Counter};
    use crate::model::step::{start_block, step_block_watched};
    use crate::model::{math, ParamTarget, State, Watch};

    /// Before each move, checks every stance of every lane: the tanh of the argument read
    /// off (`Lanes::terms`) is the target the kernel computes, bit for bit.
    struct Checked {
        n: usize,
        k: usize,
        compared: usize,
    }

    impl Watch<4> for Checked {
        fn before_move(&mut self, t: u32, kernel: &Lanes<4>) {
            let mut moved = kernel.clone();
            moved.targets();
            let mut terms = Terms::new(self.k);
            for l in 0..4 {
                for (i, j) in (0..self.n).flat_map(|i| (0..self.n).map(move |j| (i, j))) {
                    if i == j {
                        continue;
                    }
                    kernel.terms(l, i, j, &mut terms);
                    let target = moved.next[i * self.n + j][l];
                    assert_eq!(
                        math::tanh(terms.argument).to_bits(),
                        target.to_bits(),
                        "step {t}, lane {l}, stance ({i}, {j}), {} states",
                        self.n
                    );
                    let parts = terms.affinity
                        + terms.dependency.iter().sum::<f64>()
                        + terms.leverage
                        + terms.balance;
                    assert!((parts - terms.argument).abs() <= 1e-12, "{terms:?}");
                    self.compared += 1;
                }
            }
        }
    }

    /// `simulate explain` adds up the terms of each stance's target as the kernel has them:
    /// if `terms` read them otherwise (another order of sums, a missing residual scale, the
    /// dependency of the wrong row), the forces would not be the forces that move the
    /// stances.
    #[test]
    fn the_argument_read_off_the_kernel_is_the_one_whose_tanh_the_step_takes() {
        for (world, n, k) in worlds_as_they_are_and_at_rest(&[(2, 1), (3, 2), (6, 3)]) {
            let states: Vec<State> = (0..4)
                .map(|l| {
                    let mut s = State::new(&world);
                    for i in 0..n {
                        s.params.set(ParamTarget::Gamma(i), 0.5 + 0.2 * l as f64);
                        s.params.set(ParamTarget::Lambda(i), 0.3 + 0.1 * i as f64);
                        s.params.set(ParamTarget::Sigma(i), 0.02);
                        for c in 0..k {
                            s.params.set(ParamTarget::Beta(c, i), 1.0 - 0.2 * c as f64);
                        }
                    }
                    s
                })
                .collect();
            let mut block = states.clone();
            let mut kernel = Lanes::<4>::new(&world);
            let mut rngs: Vec<Counter> = (0..4).map(|l| Counter(l as u64 + 1)).collect();
            let mut checked = Checked { n, k, compared: 0 };
            start_block(&world, &mut kernel, block.iter());
            for t in 1..=8 {
                let lanes = block.iter_mut().zip(&mut rngs);
                step_block_watched(&world, &mut kernel, t, lanes, &mut checked);
            }
            assert_eq!(checked.compared, 8 * 4 * n * (n - 1));
        }
    }
}
