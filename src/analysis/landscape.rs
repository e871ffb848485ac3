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
//! "everyone together"); up to `MAX_EXACT_STATES` states they are all scored. Above that
//! [`heuristic`] searches: a start from the signs of the leading eigenvector (the split the
//! engine uses per trajectory, `model::blocs`), then single-state switches down to a local
//! minimum, repeated from many seeded starts. What it finds are true local minima, but the
//! lowest of them is only the lowest *found*: the search is not exhaustive and says so.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::model::blocs::{leading_vector, Sides, SIDE_WORDS};
pub use crate::model::blocs::{same_bloc, split};

/// Largest world searched exactly: 2^19 configurations of at most 380 terms each.
pub const MAX_EXACT_STATES: usize = 20;

/// Starts of the heuristic search: the spectral start, then this many more.
pub const RESTARTS: u64 = 512;

/// The fixed seed of the heuristic search's starts: the same file gives the same minima.
pub const SEARCH_SEED: u64 = 0x0b10c5;

/// Most minima a heuristic search reports (the lowest first); an exact search reports all.
pub const MAX_REPORTED: usize = 50;

/// One two-bloc configuration of the landscape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Configuration {
    /// Bit i set when state i is on the other side from state 0.
    #[serde(skip)]
    pub sides: Sides,
    /// The bloc of the first state in the file.
    pub with_first: Vec<String>,
    /// The other bloc (empty when everyone is together).
    pub other: Vec<String>,
    pub energy: f64,
    /// The lowest energy of all configurations (of an exact search), or the lowest found
    /// (of a heuristic one: see [`Landscape::exhaustive`]).
    pub global: bool,
    /// How many starts of a heuristic search ended here (0 for an exact search): a
    /// minimum reached from many starts has a wide basin.
    pub found_by: u64,
}

/// The minima of a landscape: the global minimum first, then every other local minimum by
/// increasing energy.
#[derive(Debug, Clone)]
pub struct Landscape {
    pub states: Vec<String>,
    /// What the propensities were taken from (e.g. "affinity").
    pub source: String,
    /// How many configurations were scored (exact), or starts made (heuristic).
    pub configurations: u64,
    /// Whether every configuration was scored. When not, `minima` are the local minima the
    /// heuristic search reached, and the first is the lowest found, not surely the lowest.
    pub exhaustive: bool,
    /// How many distinct local minima were found: all are in `minima` for an exact search,
    /// the lowest `MAX_REPORTED` for a heuristic one.
    pub found: usize,
    pub minima: Vec<Configuration>,
}

impl Landscape {
    /// How the minima were found, in the words every output uses.
    pub fn search(&self) -> &'static str {
        if self.exhaustive {
            "exact"
        } else {
            "heuristic, not exhaustive"
        }
    }

    /// What the first minimum is: the global one, or only the lowest found.
    pub fn lowest_kind(&self) -> &'static str {
        if self.exhaustive {
            "global"
        } else {
            "lowest found"
        }
    }
}

/// The energy of configuration `mask` (bit i: state i on the other side from state 0) for
/// the symmetric propensities `p[i*n + j]` and weights `c`.
pub fn energy(p: &[f64], c: &[f64], mask: u64) -> f64 {
    energy_of(p, c, |i| mask >> i & 1 == 1)
}

/// The energy of a configuration given as "state i is on the other side": the same sum, in
/// the same order, as [`energy`], so both searches give the same number for the same split.
pub fn energy_of(p: &[f64], c: &[f64], other: impl Fn(usize) -> bool) -> f64 {
    let n = c.len();
    let mut e = 0.0;
    for i in 0..n {
        for j in 0..n {
            if i != j && other(i) != other(j) {
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
    let found = minima.len();
    let minima = minima
        .into_iter()
        .map(|k| {
            let mask = (k as u64) << 1;
            let sides = Sides::from_words([mask, 0, 0, 0]);
            configuration(states, sides, energies[k], k == global_k, 0)
        })
        .collect();
    Some(Landscape {
        states: states.to_vec(),
        source: source.to_string(),
        configurations: count as u64,
        exhaustive: true,
        found,
        minima,
    })
}

fn configuration(
    states: &[String],
    sides: Sides,
    energy: f64,
    global: bool,
    found_by: u64,
) -> Configuration {
    let (other, with_first): (Vec<usize>, Vec<usize>) =
        (0..states.len()).partition(|&i| sides.other(i));
    let names = |v: Vec<usize>| v.into_iter().map(|i| states[i].clone()).collect();
    Configuration {
        sides,
        with_first: names(with_first),
        other: names(other),
        energy,
        global,
        found_by,
    }
}

/// The landscape of any number of states: exact up to `MAX_EXACT_STATES`, heuristic
/// (`RESTARTS` starts from `SEARCH_SEED`) above. `None` when there are no states, or more
/// than a [`Sides`] holds.
pub fn any_landscape(p: &[f64], c: &[f64], states: &[String], source: &str) -> Option<Landscape> {
    if c.len() <= MAX_EXACT_STATES {
        landscape(p, c, states, source)
    } else {
        heuristic(p, c, states, source, RESTARTS, SEARCH_SEED)
    }
}

/// Searches the landscape from the spectral start and `restarts` seeded ones, each run
/// down by single-state switches to a local minimum, and returns the distinct minima
/// reached, lowest first (at most `MAX_REPORTED`), labelled as not exhaustive. The same
/// inputs and seed give the same minima.
///
/// Half the seeded starts are the spectral split with about a tenth of the states switched
/// (a minimum near the relaxation's answer is likelier than one anywhere), half are
/// uniformly random (so a misleading eigenvector cannot trap every start).
pub fn heuristic(
    p: &[f64],
    c: &[f64],
    states: &[String],
    source: &str,
    restarts: u64,
    seed: u64,
) -> Option<Landscape> {
    let n = c.len();
    if n == 0 || n > 64 * SIDE_WORDS {
        return None;
    }
    // The weighted couplings: flipping i changes E by 2 x_i sum_j w_ij x_j (p symmetric).
    let w: Vec<f64> = (0..n * n)
        .map(|ij| {
            let (i, j) = (ij / n, ij % n);
            if i == j {
                0.0
            } else {
                c[i] * c[j] * p[ij]
            }
        })
        .collect();
    // Changes that differ by rounding only do not count as an improvement (a bound on the
    // energy's size, as the exact search scales by its largest energy).
    let scale = w.iter().fold(0.0f64, |a, v| a + v.abs()).max(1.0);
    let tolerance = 1e-12 * scale;
    let spectral: Vec<bool> = leading_vector(p, c, n).iter().map(|&v| v < 0.0).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut found: Vec<(Sides, f64, u64)> = Vec::new();
    for start in 0..=restarts {
        let mut other = spectral.clone();
        if start > 0 && start % 2 == 1 {
            for o in other.iter_mut() {
                if rng.next_u64() % 10 == 0 {
                    *o = !*o;
                }
            }
        } else if start > 0 {
            for o in other.iter_mut() {
                *o = rng.next_u64() & 1 == 1;
            }
        }
        descend(&w, n, tolerance, &mut other);
        let sides = canonical(&other);
        match found.iter_mut().find(|f| f.0 == sides) {
            Some(f) => f.2 += 1,
            None => {
                let e = energy_of(p, c, |i| sides.other(i));
                found.push((sides, e, 1));
            }
        }
    }
    found.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let distinct = found.len();
    found.truncate(MAX_REPORTED);
    let minima = found
        .into_iter()
        .enumerate()
        .map(|(rank, (sides, e, hits))| configuration(states, sides, e, rank == 0, hits))
        .collect();
    Some(Landscape {
        states: states.to_vec(),
        source: source.to_string(),
        configurations: restarts + 1,
        exhaustive: false,
        found: distinct,
        minima,
    })
}

/// Single-state switches, in file order, each taken when it lowers the energy by more than
/// `tolerance`, until a whole pass takes none: a local minimum in the exact search's sense
/// (switching state 0 is the same configuration as switching everyone else).
fn descend(w: &[f64], n: usize, tolerance: f64, other: &mut [bool]) {
    let x = |o: bool| if o { -1.0 } else { 1.0 };
    // The field of each state, recomputed every pass so rounding cannot accumulate.
    let mut field = vec![0.0; n];
    loop {
        for (i, f) in field.iter_mut().enumerate() {
            *f = (0..n).map(|j| w[i * n + j] * x(other[j])).sum();
        }
        let mut moved = false;
        for i in 0..n {
            let change = 2.0 * x(other[i]) * field[i];
            if change < -tolerance {
                let before = x(other[i]);
                other[i] = !other[i];
                // x_i went from `before` to `-before`: every field moves by w_ji * (-2 before).
                for (j, f) in field.iter_mut().enumerate() {
                    *f -= 2.0 * before * w[j * n + i];
                }
                moved = true;
            }
        }
        if !moved {
            return;
        }
    }
}

/// The configuration as [`Sides`], with state 0 on the first side.
fn canonical(other: &[bool]) -> Sides {
    let flip = other.first().copied().unwrap_or(false);
    let mut words = [0u64; SIDE_WORDS];
    for (i, &o) in other.iter().enumerate() {
        if o != flip {
            words[i / 64] |= 1 << (i % 64);
        }
    }
    Sides::from_words(words)
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
        assert_eq!(g.sides, Sides::from_words([0b11010, 0, 0, 0]));
        assert_eq!(g.with_first, ["s0", "s2"]);
        // 6 cross pairs, each counted twice, p = -1.
        assert_eq!(g.energy, -12.0);
    }

    #[test]
    fn a_world_of_friends_stays_together() {
        let p = camps(&[0, 0, 0]);
        let l = landscape(&p, &[1.0; 3], &names(3), "test").unwrap();
        assert_eq!(l.minima.len(), 1);
        assert_eq!(l.minima[0].sides, Sides::default());
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
            let sides = Sides::from_words([m, 0, 0, 0]);
            assert_eq!(
                local,
                l.minima.iter().any(|c| c.sides == sides),
                "mask {m:b}"
            );
        }
        assert!(l.minima[0].global);
        assert!(l.minima.windows(2).all(|w| w[0].energy <= w[1].energy));
    }

    #[test]
    fn too_many_states_are_refused() {
        let n = MAX_EXACT_STATES + 1;
        assert!(landscape(&vec![0.0; n * n], &vec![1.0; n], &names(n), "x").is_none());
    }

    /// A random world: symmetric propensities uniform in [-1, 1], weights in [0.5, 2].
    fn random_world(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut uniform = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let mut p = vec![0.0; n * n];
        for i in 0..n {
            for j in i + 1..n {
                let v = 2.0 * uniform() - 1.0;
                p[i * n + j] = v;
                p[j * n + i] = v;
            }
        }
        let c = (0..n).map(|_| 0.5 + 1.5 * uniform()).collect();
        (p, c)
    }

    /// Issue 14, item 4: on random worlds of 10 to 20 states (frustrated, so they have
    /// many local minima) the heuristic's lowest found is the exact global minimum, and
    /// every minimum it reports is one the exact search lists as a local minimum.
    #[test]
    fn the_heuristic_finds_the_exact_global_minimum_of_random_worlds() {
        for n in 10..=MAX_EXACT_STATES {
            for world in 0..3u64 {
                let (p, c) = random_world(n, 1000 * n as u64 + world);
                let exact = landscape(&p, &c, &names(n), "x").unwrap();
                let found = heuristic(&p, &c, &names(n), "x", RESTARTS, SEARCH_SEED).unwrap();
                assert!(!found.exhaustive && exact.exhaustive);
                let (g, h) = (&exact.minima[0], &found.minima[0]);
                assert_eq!(h.sides, g.sides, "n = {n}, world {world}");
                assert_eq!(h.energy, g.energy, "the same sum in the same order");
                assert!(h.global && h.found_by >= 1);
                for m in &found.minima {
                    assert!(
                        exact.minima.iter().any(|e| e.sides == m.sides),
                        "n = {n}, world {world}: {:?} is not a local minimum",
                        m.sides
                    );
                }
                assert!(found.found >= found.minima.len());
                let starts: u64 = found.minima.iter().map(|m| m.found_by).sum();
                assert!(starts <= RESTARTS + 1);
            }
        }
    }

    /// Above the exact limit the search still finds planted camps, and gives the same
    /// minima for the same seed (and for a 200-state world, the scenario limit).
    #[test]
    fn the_heuristic_finds_planted_camps_in_200_states_reproducibly() {
        let n = 200;
        let camp: Vec<u8> = (0..n).map(|i| (i % 3 == 1) as u8).collect();
        let p = camps(&camp);
        let l = any_landscape(&p, &vec![1.0; n], &names(n), "x").unwrap();
        assert!(!l.exhaustive);
        assert_eq!(l.search(), "heuristic, not exhaustive");
        assert_eq!(l.lowest_kind(), "lowest found");
        for (i, &c) in camp.iter().enumerate() {
            assert_eq!(l.minima[0].sides.other(i), c == 1, "state {i}");
        }
        let again = any_landscape(&p, &vec![1.0; n], &names(n), "x").unwrap();
        assert_eq!(l.minima, again.minima);
        let other_seed = heuristic(&p, &vec![1.0; n], &names(n), "x", 8, 7).unwrap();
        assert_eq!(other_seed.minima[0].sides, l.minima[0].sides);
    }

    #[test]
    fn descending_stops_where_no_single_switch_helps() {
        let (p, c) = random_world(30, 5);
        let l = heuristic(&p, &c, &names(30), "x", 64, 1).unwrap();
        for m in &l.minima {
            let e = energy_of(&p, &c, |i| m.sides.other(i));
            assert_eq!(e, m.energy);
            for flip in 0..30 {
                let switched = energy_of(&p, &c, |i| m.sides.other(i) != (i == flip));
                assert!(
                    switched >= e - 1e-9,
                    "switching {flip} lowers {e} to {switched}"
                );
            }
        }
        assert!(l.minima.windows(2).all(|w| w[0].energy <= w[1].energy));
    }
}
