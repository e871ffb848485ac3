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
//! trajectory runs; `analysis::blocs` builds the exact search and the reports on top of it.

/// Power iterations. The spectral gap of a matrix with two clear camps is large, and a
/// split only needs signs, so 60 iterations are plenty; a fixed count keeps results
/// bit-identical whatever the matrix.
const ITERATIONS: usize = 60;

/// Largest `n` whose weighted matrix is precomputed (on the stack).
const SMALL: usize = 24;

/// Largest `n` handled without allocating (the scenario limit is 200 states).
const STACK: usize = 256;

/// The side of each state: bit `i` of the result is set when state `i` is on the other side
/// from state 0 (so bit 0 is always clear). `stance` is `S[i*n + j]`, `weight` is `c`.
///
/// For `n > 64` only the first 64 states get a bit; use [`same_bloc`] for larger worlds.
pub fn split(stance: &[f64], weight: &[f64], n: usize) -> u64 {
    let mut mask = 0u64;
    leading_signs(stance, weight, n, |i, other| {
        if other && i < 64 {
            mask |= 1 << i;
        }
    });
    mask
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
    // Orientation: state 0 is on the + side; zero entries join the + side.
    let first_negative = n > 0 && x[0] < 0.0;
    for (i, &xi) in x.iter().enumerate() {
        let negative = xi < 0.0;
        visit(i, negative != first_negative);
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
        assert_eq!(mask, 0b011010);
        assert!(same_bloc(&s, &[1.0; 6], 6, 0, 2));
        assert!(!same_bloc(&s, &[1.0; 6], 6, 0, 1));
        assert!(same_bloc(&s, &[1.0; 6], 6, 1, 4));
    }

    #[test]
    fn an_all_friendly_or_empty_world_is_one_bloc() {
        assert_eq!(split(&stances(4, &[true; 4], 0.5, 0.0), &[1.0; 4], 4), 0);
        assert_eq!(split(&[0.0; 16], &[1.0; 4], 4), 0);
    }
}
