//! Probabilities as the pictures and reports show them: one way to write a percentage and
//! one way to write a difference in percentage points, so a figure and its report agree;
//! and a count with its noun, as the commands and their tables write it.

/// A probability as a percentage with one decimal: `0.1234` -> `12.3%`.
pub fn percent(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

/// A probability as a whole percentage, for axis ticks and labels on pictures: `0.25` -> `25%`.
pub fn whole_percent(p: f64) -> String {
    format!("{:.0}%", 100.0 * p)
}

/// A difference of probabilities in percentage points, always signed: `0.031` -> `+3.1`.
pub fn points(x: f64) -> String {
    format!("{:+.1}", 100.0 * x)
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
        assert_eq!(points(0.0), "+0.0");
    }
}
