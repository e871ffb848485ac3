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
