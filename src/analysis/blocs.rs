//! Two blocs: Axelrod and Bennett's landscape theory of aggregation, solved exactly.
//!
//! Axelrod and Bennett (1993, "A landscape theory of aggregation", British Journal of
//! Political Science 23) score a split of N actors into two coalitions by its *energy*
//! `E(X) = sum_i sum_{j != i} s_i s_j p_ij d_ij(X)`, where `s` are sizes (here the state
//! weights `c`), `p_ij` the propensity of i and j to work together, and `d_ij(X)` is 1 when
//! i and j are in different coalitions and 0 otherwise. Configurations with low energy keep
//! friends together and foes apart; the system is expected to settle in a local minimum,
//! one that no single actor can lower by switching sides. Minimising E is the same as
//! maximising `sum_ij c_i c_j P_ij x_i x_j` (README, "The model"), since `x_i x_j = 1 - 2 d_ij`.
//!
//! With the first state fixed on one side there are 2^(N-1) configurations (one of them
//! "everyone together"); up to `MAX_EXACT_STATES` states they are all scored. Per trajectory
//! the engine uses the fast approximation of `model::blocs` instead.

use serde::Serialize;

pub use crate::model::blocs::{same_bloc, split};

/// Largest world searched exactly: 2^19 configurations of at most 380 terms each.
pub const MAX_EXACT_STATES: usize = 20;

/// One two-bloc configuration of the landscape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Configuration {
    /// Bit i set when state i is on the other side from state 0.
    pub mask: u64,
    /// The bloc of the first state in the file.
    pub with_first: Vec<String>,
    /// The other bloc (empty when everyone is together).
    pub other: Vec<String>,
    pub energy: f64,
    /// The lowest energy of all configurations.
    pub global: bool,
}

/// The minima of a landscape: the global minimum first, then every other local minimum by
/// increasing energy.
#[derive(Debug, Clone)]
pub struct Landscape {
    pub states: Vec<String>,
    /// What the propensities were taken from (e.g. "affinity").
    pub source: String,
    /// How many configurations were scored.
    pub configurations: u64,
    pub minima: Vec<Configuration>,
}

/// The energy of configuration `mask` (bit i: state i on the other side from state 0) for
/// the symmetric propensities `p[i*n + j]` and weights `c`.
pub fn energy(p: &[f64], c: &[f64], mask: u64) -> f64 {
    let n = c.len();
    let mut e = 0.0;
    for i in 0..n {
        for j in 0..n {
            if i != j && (mask >> i & 1) != (mask >> j & 1) {
                e += c[i] * c[j] * p[i * n + j];
            }
        }
    }
    e
}

/// Symmetric propensities from a directed matrix: `p_ij = (m_ij + m_ji) / 2`.
pub fn symmetric(m: &[f64], n: usize) -> Vec<f64> {
    (0..n * n)
        .map(|ij| 0.5 * (m[ij] + m[(ij % n) * n + ij / n]))
        .collect()
}

/// Scores every configuration and returns the global minimum and every local minimum.
/// `None` when there are more than `MAX_EXACT_STATES` states (or none).
pub fn landscape(p: &[f64], c: &[f64], states: &[String], source: &str) -> Option<Landscape> {
    let n = c.len();
    if n == 0 || n > MAX_EXACT_STATES {
        return None;
    }
    let count = 1usize << (n - 1);
    // Configuration index k stands for mask k << 1 (state 0 always on the first side).
    let energies: Vec<f64> = (0..count).map(|k| energy(p, c, (k as u64) << 1)).collect();
    // Energies that differ by rounding only count as equal.
    let scale = energies.iter().fold(0.0f64, |a, e| a.max(e.abs())).max(1.0);
    let tolerance = 1e-12 * scale;
    let others = (count - 1) as u64; // every state but 0 flipped
    let is_local = |k: usize| {
        let e = energies[k];
        // Switching state i > 0 flips bit i - 1; switching state 0 flips everyone else.
        (0..n - 1).all(|b| energies[k ^ (1 << b)] >= e - tolerance)
            && (n == 1 || energies[(k as u64 ^ others) as usize] >= e - tolerance)
    };
    let lowest = energies.iter().copied().fold(f64::INFINITY, f64::min);
    let global_k = energies
        .iter()
        .position(|&e| e <= lowest + tolerance)
        .unwrap_or(0);
    let mut minima: Vec<usize> = (0..count).filter(|&k| is_local(k)).collect();
    minima.sort_by(|&a, &b| {
        (b == global_k)
            .cmp(&(a == global_k))
            .then(energies[a].total_cmp(&energies[b]))
            .then(a.cmp(&b))
    });
    let minima = minima
        .into_iter()
        .map(|k| {
            let mask = (k as u64) << 1;
            let (other, with_first): (Vec<usize>, Vec<usize>) =
                (0..n).partition(|&i| mask >> i & 1 == 1);
            let names = |v: Vec<usize>| v.into_iter().map(|i| states[i].clone()).collect();
            Configuration {
                mask,
                with_first: names(with_first),
                other: names(other),
                energy: energies[k],
                global: k == global_k,
            }
        })
        .collect();
    Some(Landscape {
        states: states.to_vec(),
        source: source.to_string(),
        configurations: count as u64,
        minima,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("s{i}")).collect()
    }

    /// Propensities +1 inside the camps `camp`, -1 across.
    fn camps(camp: &[u8]) -> Vec<f64> {
        let n = camp.len();
        let mut p = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    p[i * n + j] = if camp[i] == camp[j] { 1.0 } else { -1.0 };
                }
            }
        }
        p
    }

    #[test]
    fn energy_counts_each_cross_pair_twice_weighted_by_size() {
        // Two states apart with p = -1 and sizes 2 and 3: E = 2 * (2 * 3 * -1).
        let p = vec![0.0, -1.0, -1.0, 0.0];
        assert_eq!(energy(&p, &[2.0, 3.0], 0b10), -12.0);
        assert_eq!(energy(&p, &[2.0, 3.0], 0), 0.0);
    }

    #[test]
    fn two_clean_camps_are_the_global_minimum_and_the_only_local_one() {
        let p = camps(&[0, 1, 0, 1, 1]);
        let l = landscape(&p, &[1.0; 5], &names(5), "test").unwrap();
        assert_eq!(l.configurations, 16);
        assert_eq!(l.minima.len(), 1);
        let g = &l.minima[0];
        assert!(g.global);
        assert_eq!(g.mask, 0b11010);
        assert_eq!(g.with_first, ["s0", "s2"]);
        // 6 cross pairs, each counted twice, p = -1.
        assert_eq!(g.energy, -12.0);
    }

    #[test]
    fn a_world_of_friends_stays_together() {
        let p = camps(&[0, 0, 0]);
        let l = landscape(&p, &[1.0; 3], &names(3), "test").unwrap();
        assert_eq!(l.minima.len(), 1);
        assert_eq!(l.minima[0].mask, 0);
        assert!(l.minima[0].other.is_empty());
    }

    #[test]
    fn a_heavy_state_makes_a_second_local_minimum() {
        // s0-s1 friends, s2-s3 friends, s1-s2 strong friends, everyone else foes: the two
        // camps {s0, s1} | {s2, s3} and {s0} | {s1, s2, s3} compete.
        let n = 4;
        let mut p = vec![-0.5; n * n];
        for (i, j, v) in [(0, 1, 1.0), (2, 3, 1.0), (1, 2, 0.9)] {
            p[i * n + j] = v;
            p[j * n + i] = v;
        }
        for i in 0..n {
            p[i * n + i] = 0.0;
        }
        let l = landscape(&p, &[1.0; 4], &names(4), "test").unwrap();
        // Brute force: a configuration is a local minimum iff no single switch lowers E.
        let e = |m: u64| energy(&p, &[1.0; 4], m);
        for m in (0..8u64).map(|k| k << 1) {
            let flips = (1..n).map(|i| m ^ (1 << i)).chain([m ^ 0b1110]);
            let local = flips.into_iter().all(|f| e(f) >= e(m));
            assert_eq!(local, l.minima.iter().any(|c| c.mask == m), "mask {m:b}");
        }
        assert!(l.minima[0].global);
        assert!(l.minima.windows(2).all(|w| w[0].energy <= w[1].energy));
    }

    #[test]
    fn too_many_states_are_refused() {
        let n = MAX_EXACT_STATES + 1;
        assert!(landscape(&vec![0.0; n * n], &vec![1.0; n], &names(n), "x").is_none());
    }
}
