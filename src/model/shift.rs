//! A shift of shares between suppliers: a supplier gains `x` of a recipient's need, taken
//! from every other supplier in proportion to what each holds, or loses `x`, spread over
//! them in the same way (`Gain`, `Lose`; README of the book, "Shares").
//!
//! "A supplier wins a contract" was written by hand as every listed share scaled by
//! (1 − x) before x was added to the winner: long, and wrong as soon as another event had
//! moved the shares, since the factors were worked out from the initial ones. Here the
//! proportions are the trajectory's own at the moment the effect lands, and the row stays
//! valid by construction: no share below 0, the row's total unchanged (or, with
//! self-reliance among the others, at most 1).
//!
//! A row is one recipient's shares in one channel, `W[k][i][..]`; its own slot `i` holds
//! the rest of the world (`model::others`; 0 in a world without it, where it neither gives
//! nor takes anything).

/// Who besides the suppliers takes part in a shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Among {
    /// The other suppliers only: the row's total does not change.
    Suppliers,
    /// The other suppliers and self-reliance (`1 − Σ row`).
    WithSelfReliance,
}

/// Supplier `j` of `row` gains `x` (at most what the others hold), taken from the others in
/// proportion to their shares.
pub fn gain(row: &mut [f64], j: usize, x: f64, among: Among) {
    let held = others_total(row, j, among);
    let moved = x.clamp(0.0, held);
    if moved <= 0.0 {
        return;
    }
    // Each other supplier keeps the same fraction of what it had; self-reliance, when it
    // takes part, keeps it too, implicitly (it is what the row leaves).
    let keep = 1.0 - moved / held;
    for (m, w) in row.iter_mut().enumerate() {
        if m != j {
            *w *= keep;
        }
    }
    row[j] += moved;
    super::event::cap_row(row);
}

/// Supplier `j` of `row` loses `x` (at most its share), spread over the others in
/// proportion to their shares; where they hold nothing, it goes to self-reliance.
pub fn lose(row: &mut [f64], j: usize, x: f64, among: Among) {
    let moved = x.clamp(0.0, row[j]);
    if moved <= 0.0 {
        return;
    }
    let held = others_total(row, j, among);
    row[j] -= moved;
    if held > 0.0 {
        let grow = 1.0 + moved / held;
        for (m, w) in row.iter_mut().enumerate() {
            if m != j {
                *w *= grow;
            }
        }
    }
    super::event::cap_row(row);
}

/// What the suppliers other than `j` hold, with self-reliance if it takes part.
fn others_total(row: &[f64], j: usize, among: Among) -> f64 {
    let total: f64 = row.iter().sum();
    let others = total - row[j];
    match among {
        Among::Suppliers => others.max(0.0),
        Among::WithSelfReliance => others.max(0.0) + (1.0 - total).max(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    /// Recipient 0's row: its own slot is the rest of the world (0.2); suppliers 1, 2, 3
    /// hold 0.3, 0.2 and 0.1; self-reliance is what is left, 0.2.
    fn row() -> Vec<f64> {
        vec![0.2, 0.3, 0.2, 0.1]
    }

    #[test]
    fn a_gain_is_taken_from_three_suppliers_and_the_rest_of_the_world_in_proportion() {
        let mut w = row();
        gain(&mut w, 1, 0.1, Among::Suppliers);
        // The others hold 0.2 + 0.2 + 0.1 = 0.5 and give up 0.1 of it: each keeps 80%.
        assert!(close(&w, &[0.16, 0.4, 0.16, 0.08]), "{w:?}");
        // Self-reliance (0.2) is untouched: the row still totals 0.8.
        assert!((w.iter().sum::<f64>() - 0.8).abs() < 1e-12);
    }

    #[test]
    fn a_gain_with_self_reliance_takes_from_it_in_proportion_too() {
        let mut w = row();
        gain(&mut w, 1, 0.14, Among::WithSelfReliance);
        // The others hold 0.5 and self-reliance 0.2: 0.7 gives up 0.14, each keeps 80%.
        assert!(close(&w, &[0.16, 0.44, 0.16, 0.08]), "{w:?}");
        assert!((1.0 - w.iter().sum::<f64>() - 0.16).abs() < 1e-12);
    }

    #[test]
    fn a_loss_is_spread_over_the_others_in_proportion() {
        let mut w = row();
        lose(&mut w, 1, 0.25, Among::Suppliers);
        // 0.25 spread over 0.5: each other supplier grows by half.
        assert!(close(&w, &[0.3, 0.05, 0.3, 0.15]), "{w:?}");
        let mut w = row();
        lose(&mut w, 1, 0.21, Among::WithSelfReliance);
        // 0.21 spread over 0.7 (self-reliance 0.2 among them): each grows by 30%.
        assert!(close(&w, &[0.26, 0.09, 0.26, 0.13]), "{w:?}");
        assert!((1.0 - w.iter().sum::<f64>() - 0.26).abs() < 1e-12);
    }

    #[test]
    fn shifts_beyond_what_is_there_stop_at_it_and_rows_stay_valid() {
        let mut w = row();
        gain(&mut w, 3, 0.9, Among::Suppliers);
        assert!(close(&w, &[0.0, 0.0, 0.0, 0.8]), "{w:?}");
        let mut w = row();
        gain(&mut w, 3, 0.95, Among::WithSelfReliance);
        assert!(close(&w, &[0.0, 0.0, 0.0, 1.0]), "{w:?}");
        let mut w = row();
        lose(&mut w, 3, 0.5, Among::Suppliers);
        // D holds only 0.1: that is what it loses, spread over the others' 0.7.
        let grow = 1.0 + 0.1 / 0.7;
        assert!(
            close(&w, &[0.2 * grow, 0.3 * grow, 0.2 * grow, 0.0]),
            "{w:?}"
        );
        // Nobody else to give it to: the loss goes to self-reliance.
        let mut w = vec![0.0, 0.6, 0.0];
        lose(&mut w, 1, 0.2, Among::Suppliers);
        assert!(close(&w, &[0.0, 0.4, 0.0]), "{w:?}");
        // Nobody to take from: nothing moves.
        let mut w = vec![0.0, 0.6, 0.0];
        gain(&mut w, 1, 0.2, Among::Suppliers);
        assert!(close(&w, &[0.0, 0.6, 0.0]), "{w:?}");
    }
}
