//! Confidence intervals.

/// What the numbers in brackets cover, and what they do not: one line, the same wherever a
/// table or the report shows intervals or bands. An interval like −0.0970 [−0.0972,
/// −0.0968] was read as certainty, though it is the Monte Carlo error of the estimate only
/// (issue 22).
pub const WHAT_INTERVALS_COVER: &str = "intervals: Monte Carlo error of each probability \
     or effect (more trajectories narrow them); bands: the spread of futures given the \
     file's ranges and the background; neither covers doubt about the model's own form.";

/// The same line under a sensitivity analysis's tables: their brackets are bootstrap
/// intervals of each index, not a spread of futures. Every design point runs the same
/// trajectories' seeds (common random numbers), so the bootstrap resamples batches of those
/// trajectories as well as the design's rows (`analysis::sensitivity`): resampling the rows
/// alone left their noise out, and another `--seed` put 73 of 156 indices of baseline.ron
/// (`--groups kind`, 200 trajectories) outside the first seed's intervals
/// (docs/src/howto/sensitivity.md).
pub const WHAT_INDEX_INTERVALS_COVER: &str = "intervals: bootstrap 95% of each index's \
     Monte Carlo error, from the design's samples and the trajectories every point reuses \
     (more of either narrows them); not doubt about the model's form.";

/// [`WHAT_INDEX_INTERVALS_COVER`] for a sensitivity run with one trajectory a design point:
/// there are no batches of trajectories to resample (`sensitivity::Batching`), so the
/// brackets are the design's rows alone, and that trajectory's luck is outside them
/// (hostile trial: `-n 1` printed the line above, untrue of it).
pub const WHAT_INDEX_INTERVALS_COVER_ONE_TRAJECTORY: &str = "intervals: bootstrap 95% of \
     each index's Monte Carlo error from the design's samples only (more --samples narrow \
     them); one trajectory a point, reused by every point: its luck is not in them.";

/// The line under a sensitivity analysis's tables for `trajectories` a design point.
pub fn what_index_intervals_cover(trajectories: u64) -> &'static str {
    if super::sensitivity::Batching::new(trajectories).resamples_trajectories() {
        WHAT_INDEX_INTERVALS_COVER
    } else {
        WHAT_INDEX_INTERVALS_COVER_ONE_TRAJECTORY
    }
}

/// The same line under a sweep's table: each point's probability, and in sweep.csv and
/// sweep_effects.csv its interval, is an estimate from that point's trajectories.
pub const WHAT_SWEEP_INTERVALS_COVER: &str = "intervals (sweep.csv, sweep_effects.csv): \
     Monte Carlo error of each point's estimate (more trajectories narrow them); not the \
     spread of futures, nor doubt about the model's own form.";

/// The normal quantile of a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Wilson score interval for `count` successes in `n` trials (95%).
///
/// Unlike the normal approximation it stays inside [0, 1] and is honest near 0 and 1,
/// where rare outcomes live.
pub fn wilson(count: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n) = (count as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * libm::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
    // Rounding must not put p outside its own interval.
    ((centre - half).clamp(0.0, p), (centre + half).clamp(p, 1.0))
}

/// 95% interval of a paired difference of proportions, from per-trajectory differences
/// `d_r = b_r - a_r` in {-1, 0, 1}: `only_b` trajectories have d = 1, `only_a` have d = -1.
///
/// Returns (difference, low, high). The variance is that of the n differences, so noise the
/// two sides share (common random numbers) cancels.
pub fn paired_difference(only_a: u64, only_b: u64, n: u64) -> (f64, f64, f64) {
    if n == 0 {
        return (0.0, -1.0, 1.0);
    }
    let nf = n as f64;
    let diff = (only_b as f64 - only_a as f64) / nf;
    let second_moment = (only_a + only_b) as f64 / nf;
    let variance = if n > 1 {
        (second_moment - diff * diff).max(0.0) * nf / (nf - 1.0)
    } else {
        0.0
    };
    let half = Z95 * libm::sqrt(variance / nf);
    (diff, (diff - half).max(-1.0), (diff + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_a_published_value() {
        // Newcombe (1998), Table I: 81 of 263 gives 0.2553 to 0.3662.
        let (lo, hi) = wilson(81, 263);
        assert!(
            (lo - 0.2553).abs() < 5e-5 && (hi - 0.3662).abs() < 5e-5,
            "{lo} {hi}"
        );
    }

    #[test]
    fn wilson_contains_the_estimate_even_at_the_edges() {
        for (k, n) in [(0, 10), (10, 10), (0, 1), (1, 1), (3, 4000)] {
            let (lo, hi) = wilson(k, n);
            let p = k as f64 / n as f64;
            assert!(
                0.0 <= lo && lo <= p && p <= hi && hi <= 1.0,
                "{k}/{n}: {lo} {hi}"
            );
        }
    }

    #[test]
    fn paired_difference_of_identical_sides_is_exactly_zero() {
        assert_eq!(paired_difference(0, 0, 100), (0.0, 0.0, 0.0));
        let (d, lo, hi) = paired_difference(10, 30, 1000);
        assert!((d - 0.02).abs() < 1e-15);
        assert!(lo < d && d < hi && lo > 0.0);
    }
}
