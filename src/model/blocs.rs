//! Two blocs from a partnership matrix, cheaply enough to run on every trajectory (and at
//! every step, for `SameBloc` conditions).
//!
//! The exact split maximises `sum_ij c_i c_j P_ij x_i x_j` over `x in {-1, +1}^N` (Axelrod
//! and Bennett's landscape energy; README, "The model"); the sign of the leading eigenvector of the
//! weighted matrix `M_ij = c_i c_j P_ij` is the classical fast approximation (the relaxed
//! problem over unit vectors). It is computed by power iteration with a fixed start and a
//! fixed number of iterations, in a fixed summation order, so the same matrix gives the same
//! split on every machine. The split is oriented so that the first state is on the + side.
//!
//! It lives in the model (not in `analysis`) because conditions evaluate it while a
//! trajectory runs; `analysis::landscape` builds the exact search and the reports on top of it.

/// Power iterations. The spectral gap of a matrix with two clear camps is large, and a
/// split only needs signs, so 60 iterations are plenty; a fixed count keeps results
/// bit-identical whatever the matrix.
const ITERATIONS: usize = 60;

/// Largest `n` whose weighted matrix is precomputed (on the stack).
const SMALL: usize = 24;

/// Largest `n` handled without allocating (the scenario limit is 200 states).
const STACK: usize = 256;

/// Words of a [`Sides`] bitset: 256 bits, room for the 200-state limit.
pub const SIDE_WORDS: usize = 4;

/// A two-bloc configuration: bit `i` is set when state `i` is on the other side from
/// state 0 (so bit 0 is always clear). Ordered as the binary number it spells, so that in
/// worlds of up to 64 states the order is that of the plain integer mask.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Sides([u64; SIDE_WORDS]);

impl Sides {
    pub fn from_words(words: [u64; SIDE_WORDS]) -> Sides {
        Sides(words)
    }

    /// Least significant word first (state 0 is bit 0 of word 0).
    pub fn words(&self) -> [u64; SIDE_WORDS] {
        self.0
    }

    /// Whether state `i` is on the other side from state 0.
    pub fn other(&self, i: usize) -> bool {
        i < 64 * SIDE_WORDS && self.0[i / 64] >> (i % 64) & 1 == 1
    }

    /// Whether every set bit names one of `n` states other than state 0.
    pub fn fits(&self, n: usize) -> bool {
        !self.other(0) && (n..64 * SIDE_WORDS).all(|i| !self.other(i))
    }
}

impl Ord for Sides {
    fn cmp(&self, other: &Sides) -> std::cmp::Ordering {
        self.0.iter().rev().cmp(other.0.iter().rev())
    }
}

impl PartialOrd for Sides {
    fn partial_cmp(&self, other: &Sides) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The side of each state (see [`Sides`]). `stance` is `S[i*n + j]`, `weight` is `c`.
pub fn split(stance: &[f64], weight: &[f64], n: usize) -> Sides {
    let mut sides = Sides::default();
    leading_signs(stance, weight, n, |i, other| {
        if other && i < 64 * SIDE_WORDS {
            sides.0[i / 64] |= 1 << (i % 64);
        }
    });
    sides
}

/// Whether states `a` and `b` are in the same bloc of the current partnership matrix.
pub fn same_bloc(stance: &[f64], weight: &[f64], n: usize, a: usize, b: usize) -> bool {
    let (mut side_a, mut side_b) = (false, false);
    leading_signs(stance, weight, n, |i, other| {
        if i == a {
            side_a = other;
        }
        if i == b {
            side_b = other;
        }
    });
    side_a == side_b
}

/// The partnership a state must keep with a member of each bloc to count as *between* the
/// blocs, unless the scenario says otherwise (`between_partnership`). 0.1 is the weakest
/// partnership that noise of the usual size (sigma 0.05) does not create or erase in a step.
pub const DEFAULT_BETWEEN: f64 = 0.1;

/// Where a state ends up in the third reading of the split: firmly in the first state's
/// bloc, firmly in the other one, or between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    First = 0,
    Other = 1,
    Between = 2,
}

/// How many kinds of [`Standing`] there are (a row of per-state counts).
pub const STANDINGS: usize = 3;

impl Standing {
    /// State `i`'s standing given the split `sides`: between when it keeps a partnership
    /// `P[i][j] = (S[i][j] + S[j][i]) / 2` above `threshold` with at least one member of each
    /// bloc other than itself (so a state alone on its side is never between), else on its
    /// side. The two-bloc split itself is unchanged: being between is read on top of it.
    pub fn of(stance: &[f64], n: usize, sides: &Sides, i: usize, threshold: f64) -> Standing {
        let (mut first, mut other) = (false, false);
        for j in (0..n).filter(|&j| j != i) {
            let partnership = 0.5 * (stance[i * n + j] + stance[j * n + i]);
            if partnership > threshold {
                if sides.other(j) {
                    other = true;
                } else {
                    first = true;
                }
            }
        }
        if first && other {
            Standing::Between
        } else if sides.other(i) {
            Standing::Other
        } else {
            Standing::First
        }
    }
}

/// Whether state `i` is between the blocs of the current partnership matrix (see
/// [`Standing::of`]).
pub fn between(stance: &[f64], weight: &[f64], n: usize, i: usize, threshold: f64) -> bool {
    let sides = split(stance, weight, n);
    Standing::of(stance, n, &sides, i, threshold) == Standing::Between
}

/// Computes the leading eigenvector of `M_ij = c_i c_j P_ij` (zero diagonal) and calls
/// `visit(i, on_other_side_from_state_0)` for every state.
fn leading_signs(stance: &[f64], weight: &[f64], n: usize, mut visit: impl FnMut(usize, bool)) {
    let mut stack_x = [0.0f64; STACK];
    let mut stack_y = [0.0f64; STACK];
    let mut heap_x;
    let mut heap_y;
    let (x, y): (&mut [f64], &mut [f64]) = if n <= STACK {
        (&mut stack_x[..n], &mut stack_y[..n])
    } else {
        heap_x = vec![0.0; n];
        heap_y = vec![0.0; n];
        (&mut heap_x, &mut heap_y)
    };
    power_iteration(stance, weight, n, x, y);
    // Orientation: state 0 is on the + side; zero entries join the + side.
    let first_negative = n > 0 && x[0] < 0.0;
    for (i, &xi) in x.iter().enumerate() {
        let negative = xi < 0.0;
        visit(i, negative != first_negative);
    }
}

/// The leading eigenvector of `M_ij = c_i c_j P_ij` itself (largest entry 1 in magnitude),
/// oriented so that state 0's entry is not negative: the same numbers the split reads its
/// signs from, so pictures ordered by it and searches started from it agree with the split.
pub fn leading_vector(stance: &[f64], weight: &[f64], n: usize) -> Vec<f64> {
    let mut x = vec![0.0; n];
    let mut y = vec![0.0; n];
    power_iteration(stance, weight, n, &mut x, &mut y);
    if n > 0 && x[0] < 0.0 {
        for xi in &mut x {
            *xi = -*xi;
        }
    }
    x
}

/// Power iteration on the shifted weighted matrix into `x` (`y` is scratch), with a fixed
/// start, a fixed number of iterations and a fixed summation order.
fn power_iteration(stance: &[f64], weight: &[f64], n: usize, x: &mut [f64], y: &mut [f64]) {
    let entry = |i: usize, j: usize| {
        if i == j {
            0.0
        } else {
            weight[i] * weight[j] * 0.5 * (stance[i * n + j] + stance[j * n + i])
        }
    };
    // Small worlds (the usual case) get the matrix precomputed on the stack; the entries
    // are the same numbers either way, so the result does not depend on the path taken.
    let mut small = [0.0f64; SMALL * SMALL];
    if n <= SMALL {
        for i in 0..n {
            for j in 0..n {
                small[i * SMALL + j] = entry(i, j);
            }
        }
    }
    let m = |i: usize, j: usize| {
        if n <= SMALL {
            small[i * SMALL + j]
        } else {
            entry(i, j)
        }
    };
    // Power iteration finds the eigenvalue of largest magnitude; shifting by a bound on the
    // spectral radius (the largest absolute row sum) makes that the largest algebraic one,
    // which is the one the landscape maximisation relaxes to.
    let mut shift = 0.0f64;
    for i in 0..n {
        let mut row = 0.0;
        for j in 0..n {
            row += m(i, j).abs();
        }
        shift = shift.max(row);
    }
    // A fixed start that is not orthogonal to any sign pattern of interest: decreasing
    // positive entries (state 0 leads, as the orientation does).
    for (i, xi) in x.iter_mut().enumerate() {
        *xi = 1.0 + 1.0 / (i as f64 + 2.0);
    }
    for _ in 0..ITERATIONS {
        let mut largest = 0.0f64;
        for i in 0..n {
            let mut sum = shift * x[i];
            for (j, &xj) in x.iter().enumerate() {
                sum += m(i, j) * xj;
            }
            y[i] = sum;
            largest = largest.max(sum.abs());
        }
        if largest == 0.0 || !largest.is_finite() {
            break; // an all-zero matrix: everyone stays together
        }
        for (xi, &yi) in x.iter_mut().zip(y.iter()) {
            *xi = yi / largest;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stances(n: usize, camps: &[bool], friend: f64, foe: f64) -> Vec<f64> {
        let mut s = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    s[i * n + j] = if camps[i] == camps[j] { friend } else { foe };
                }
            }
        }
        s
    }

    #[test]
    fn two_clear_camps_are_found_and_oriented_by_the_first_state() {
        let camps = [true, false, true, false, false, true];
        let s = stances(6, &camps, 0.6, -0.5);
        let mask = split(&s, &[1.0; 6], 6);
        assert_eq!(mask, Sides::from_words([0b011010, 0, 0, 0]));
        assert!(same_bloc(&s, &[1.0; 6], 6, 0, 2));
        assert!(!same_bloc(&s, &[1.0; 6], 6, 0, 1));
        assert!(same_bloc(&s, &[1.0; 6], 6, 1, 4));
    }

    /// Defect (issue 11, item 6): the split was a u64, so states past the 64th had no side
    /// and worlds past 16 states had no bloc counts at all. Now every state of a 200-state
    /// world gets its side, and sides order as the binary number they spell.
    #[test]
    fn every_state_of_a_200_state_world_gets_a_side() {
        let camps: Vec<bool> = (0..200).map(|i| i % 3 == 0).collect();
        let sides = split(&stances(200, &camps, 0.6, -0.5), &[1.0; 200], 200);
        for (i, &camp) in camps.iter().enumerate() {
            assert_eq!(sides.other(i), !camp, "state {i}");
        }
        assert!(sides.fits(200) && !sides.fits(199));
        let high = Sides::from_words([0, 0, 0, 1]);
        assert!(Sides::from_words([u64::MAX, 0, 0, 0]) < high);
        assert!(Sides::from_words([0, 1, 0, 0]) > Sides::from_words([7, 0, 0, 0]));
    }

    /// The vector the heat map orders states by carries the split's signs.
    #[test]
    fn the_leading_vector_carries_the_splits_signs() {
        let camps = [true, false, true, false, false, true];
        let s = stances(6, &camps, 0.6, -0.5);
        let v = leading_vector(&s, &[1.0; 6], 6);
        let sides = split(&s, &[1.0; 6], 6);
        assert!(v[0] > 0.0);
        for (i, &vi) in v.iter().enumerate() {
            assert_eq!(vi < 0.0, sides.other(i), "state {i}");
        }
    }

    #[test]
    fn an_all_friendly_or_empty_world_is_one_bloc() {
        let together = Sides::default();
        assert_eq!(
            split(&stances(4, &[true; 4], 0.5, 0.0), &[1.0; 4], 4),
            together
        );
        assert_eq!(split(&[0.0; 16], &[1.0; 4], 4), together);
    }

    /// Issue 11, item 6: a state with a friend in each camp reads between, members with
    /// friends on their own side only do not, and no one does once the threshold is not
    /// below the friendships.
    #[test]
    fn a_state_with_a_friend_in_each_camp_is_between() {
        // 0, 1 against 2, 3; state 4 is a friend of 1 (0.4) and of 2 (0.3), neutral otherwise.
        let n = 5;
        let mut s = stances(4, &[true, true, false, false], 0.6, -0.5);
        s = (0..n * n)
            .map(|ij| {
                let (i, j) = (ij / n, ij % n);
                if i < 4 && j < 4 {
                    s[i * 4 + j]
                } else {
                    0.0
                }
            })
            .collect();
        for (j, p) in [(1, 0.4), (2, 0.3)] {
            s[4 * n + j] = p;
            s[j * n + 4] = p;
        }
        let sides = split(&s, &[1.0; 5], n);
        assert!(!sides.other(1) && sides.other(2));
        assert_eq!(Standing::of(&s, n, &sides, 4, 0.1), Standing::Between);
        assert!(between(&s, &[1.0; 5], n, 4, 0.1));
        assert!(!between(&s, &[1.0; 5], n, 4, 0.3), "0.3 is not above 0.3");
        // State 4 leans to 1's side (0.4 against 0.3), so 2, a member of the other camp with
        // a friend (4) across the line, reads between too: a friendship across the fault
        // line puts both its ends between. Members without one (0, 3) stay on their side.
        assert!(!sides.other(4));
        assert_eq!(Standing::of(&s, n, &sides, 2, 0.1), Standing::Between);
        assert_eq!(Standing::of(&s, n, &sides, 0, 0.1), Standing::First);
        assert_eq!(Standing::of(&s, n, &sides, 1, 0.1), Standing::First);
        assert_eq!(Standing::of(&s, n, &sides, 3, 0.1), Standing::Other);
    }
}
