//! Probabilities as the pictures and reports show them: one way to write a percentage and
//! one way to write a difference in percentage points, so a figure and its report agree;
//! and a count with its noun, as the commands and their tables write it.

/// `x` with `decimals` decimals, never `-0` (`-0.004` -> `0.00`): a tick or a label that
/// rounds to nothing carries no sign (the charts' axes read `-0.00` beside `0.00`).
pub fn fixed(x: f64, decimals: usize) -> String {
    let shown = format!("{x:.decimals$}");
    match shown.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
        _ => shown,
    }
}

/// `x` with `decimals` decimals and its sign (`0.031` -> `+0.031`), but none when it rounds
/// to nothing (`-0.0004` -> `0.000`, `0.0` -> `0.000`).
pub fn signed(x: f64, decimals: usize) -> String {
    let shown = fixed(x, decimals);
    if shown.bytes().all(|b| b == b'0' || b == b'.') || shown.starts_with('-') {
        shown
    } else {
        format!("+{shown}")
    }
}

/// A probability as a percentage with one decimal: `0.1234` -> `12.3%`.
pub fn percent(p: f64) -> String {
    format!("{}%", fixed(100.0 * p, 1))
}

/// A probability as a whole percentage, for axis ticks and labels on pictures: `0.25` -> `25%`.
pub fn whole_percent(p: f64) -> String {
    format!("{}%", fixed(100.0 * p, 0))
}

/// A difference of probabilities in percentage points, signed unless it rounds to nothing:
/// `0.031` -> `+3.1`, `-0.0004` -> `0.0`.
pub fn points(x: f64) -> String {
    signed(100.0 * x, 1)
}

/// A count and its noun, in the plural unless it is 1: "1 thread", "2 threads",
/// "3 trajectories".
pub fn count(n: usize, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (n, Some(stem)) => format!("{n} {stem}ies"),
        (n, None) => format!("{n} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_read_as_percentages_and_points() {
        assert_eq!(percent(0.1234), "12.3%");
        assert_eq!(whole_percent(0.25), "25%");
        assert_eq!(points(0.031), "+3.1");
        assert_eq!(points(-0.004), "-0.4");
        assert_eq!(points(0.0), "0.0");
    }

    // Defect (new-user read, stop 34): the charts' ticks and labels printed `-0.00` and
    // `-0.0` for values that round to nothing (the README's front picture read
    // "C: -0.0 [-0.2, +0.2] pts" beside a table saying 0.0).
    #[test]
    fn a_tick_or_label_that_rounds_to_nothing_read_minus_0() {
        assert_eq!(fixed(-0.004, 2), "0.00");
        assert_eq!(fixed(-0.5, 0), "0");
        assert_eq!(fixed(-0.006, 2), "-0.01");
        assert_eq!(fixed(0.25, 1), "0.2");
        assert_eq!(signed(-0.0004, 3), "0.000");
        assert_eq!(signed(0.031, 3), "+0.031");
        assert_eq!(signed(-0.031, 2), "-0.03");
        assert_eq!(points(-0.0004), "0.0");
        assert_eq!(whole_percent(-0.001), "0%");
        assert_eq!(percent(-0.0001), "0.0%");
    }
}
