//! The model's distribution of a metric at one step, as the run keeps it: the histogram of
//! `engine::aggregate` (2000 bins over the metric's range) and the smallest and largest
//! values seen. Scoring a forecast reads everything from this one distribution, so the
//! quantiles, the PIT and the CRPS of an observation agree with each other:
//!
//! - each bin's trajectories are spread evenly over the bin (the CDF is linear inside a
//!   bin), except that the lowest occupied bin starts at the smallest value seen and the
//!   highest ends at the largest: a metric every trajectory gives the same value (a point
//!   mass, such as every metric at step 0) is that value exactly, not a bin's width of it;
//! - the values exactly at an end of the metric's range (`Aggregates::at_low`, `at_high`: a
//!   share of exactly 0, a stance clamped at 1) are a point mass at that end, and only the
//!   rest of the end bin is spread over it, so the quantiles of a metric that sits at 0 in a
//!   tenth of its trajectories are exactly 0 up to the 10% quantile, and an observation of
//!   exactly 0 is inside the bands that reach it;
//! - the CRPS is the integral of (F(x) - 1{x >= y})^2 over x, computed exactly for this
//!   piecewise linear F (no sampling, no numerical quadrature).
//!
//! The quantiles here are this distribution's inverse CDF; `timeseries.csv` interpolates
//! the same histogram at rank q(N - 1) (numpy's rule), so the two differ by about one bin
//! (0.001 of a stance) on a run of thousands of trajectories.

/// One piece of the distribution: `count` trajectories spread evenly over `[from, to]`
/// (a point mass when `from == to`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Piece {
    from: f64,
    to: f64,
    count: u64,
}

/// A metric's distribution at one step over the trajectories of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    /// From the lowest to the highest occupied bin, contiguous (empty bins between occupied
    /// ones are pieces of no count), cut to the values seen; the values exactly at an end of
    /// the range are a point piece at that end, before (or after) the rest of its bin.
    pieces: Vec<Piece>,
    total: u64,
}

impl Distribution {
    /// The distribution of a histogram of `counts` in equal bins over `range`, whose
    /// smallest and largest values were `low` and `high`, and of whose values `at_low` were
    /// exactly the range's low end (counted in the first bin) and `at_high` exactly its high
    /// end (in the last bin). `None` for an empty histogram.
    pub fn new(
        counts: &[u64],
        (at_low, at_high): (u64, u64),
        range: (f64, f64),
        low: f64,
        high: f64,
    ) -> Option<Self> {
        let first = counts.iter().position(|&c| c > 0)?;
        let last = counts.iter().rposition(|&c| c > 0)?;
        let width = (range.1 - range.0) / counts.len() as f64;
        let edge = |b: usize| range.0 + width * b as f64;
        let point = |at: f64, count: u64| Piece {
            from: at,
            to: at,
            count,
        };
        // `record` bins the very values it takes the extremes of, so `low` lies in the first
        // occupied bin and `high` in the last, up to the rounding of the edges here: each
        // piece starts where the one before it ends, never before.
        let mut end = low;
        let mut pieces = Vec::with_capacity(last - first + 3);
        for b in first..=last {
            let before = if b == 0 { at_low.min(counts[b]) } else { 0 };
            let after = if b == counts.len() - 1 {
                at_high.min(counts[b] - before)
            } else {
                0
            };
            let from = if b == first { low } else { edge(b).max(end) };
            let to = if b == last { high } else { edge(b + 1) }.max(from);
            end = to;
            if before > 0 {
                pieces.push(point(range.0.min(from), before));
            }
            // The bin's other values, spread over it as before. When there are none and the
            // bin is one point (every value at the end), no piece: a piece of no count at
            // the point itself would stop `pit` before the point mass.
            let rest = counts[b] - before - after;
            if rest > 0 || to > from {
                pieces.push(Piece {
                    from,
                    to,
                    count: rest,
                });
            }
            if after > 0 {
                pieces.push(point(range.1.max(to), after));
            }
        }
        Some(Distribution {
            pieces,
            total: counts.iter().sum(),
        })
    }

    fn share(&self, count: f64) -> f64 {
        count / self.total as f64
    }

    /// The probability integral transform of `y`: the model's CDF at `y`, with half of any
    /// point mass at `y` (the mid-PIT), so that an observation equal to a metric every
    /// trajectory agrees on scores 0.5, not 1.
    pub fn pit(&self, y: f64) -> f64 {
        let mut below = 0.0;
        for p in &self.pieces {
            let part = if p.to > p.from {
                ((y - p.from) / (p.to - p.from)).clamp(0.0, 1.0)
            } else if y > p.from {
                1.0
            } else if y == p.from {
                0.5
            } else {
                0.0
            };
            below += part * p.count as f64;
            if part < 1.0 {
                break;
            }
        }
        self.share(below)
    }

    /// The `q`-quantile: the least x whose CDF reaches `q` (0 < q < 1).
    pub fn quantile(&self, q: f64) -> f64 {
        let target = q * self.total as f64;
        let mut below = 0u64;
        for p in &self.pieces {
            let through = below + p.count;
            if p.count > 0 && through as f64 >= target {
                let inside = ((target - below as f64) / p.count as f64).clamp(0.0, 1.0);
                return p.from + (p.to - p.from) * inside;
            }
            below = through;
        }
        self.pieces.last().map_or(f64::NAN, |p| p.to)
    }

    /// The continuous ranked probability score of the observation `y`: the integral of
    /// (F(x) - 1{x >= y})^2 over all x, exact for this distribution. In the metric's own
    /// units; the absolute error |y - v| for a point mass at v.
    pub fn crps(&self, y: f64) -> f64 {
        let (Some(first), Some(last)) = (self.pieces.first(), self.pieces.last()) else {
            return f64::NAN;
        };
        // Outside the pieces F is 0 (below) or 1 (above): only the side past y counts.
        let mut sum = (first.from - y).max(0.0) + (y - last.to).max(0.0);
        let mut below = 0u64;
        for p in &self.pieces {
            let (u, v) = (
                self.share(below as f64),
                self.share((below + p.count) as f64),
            );
            sum += piece_crps(p.from, p.to, u, v, y);
            below += p.count;
        }
        sum
    }
}

/// The integral over [a, b] of (F(x) - 1{x >= y})^2 where F runs linearly from u at a to v
/// at b: split at y, each part the integral of the square of a linear function.
fn piece_crps(a: f64, b: f64, u: f64, v: f64, y: f64) -> f64 {
    if b <= a {
        return 0.0;
    }
    if y <= a {
        return squared_linear(b - a, 1.0 - u, 1.0 - v);
    }
    if y >= b {
        return squared_linear(b - a, u, v);
    }
    let at_y = u + (v - u) * (y - a) / (b - a);
    squared_linear(y - a, u, at_y) + squared_linear(b - y, 1.0 - at_y, 1.0 - v)
}

/// The integral over an interval of length `length` of the square of a linear function
/// running from `s` to `t`.
fn squared_linear(length: f64, s: f64, t: f64) -> f64 {
    length * (s * s + s * t + t * t) / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::aggregate::{bin_of, BINS};

    /// The histogram `record` would make of `values` over `range`, with its extremes and
    /// its values exactly at each end.
    fn of_values(values: &[f64], range: (f64, f64)) -> Distribution {
        let mut counts = vec![0u64; BINS];
        for &v in values {
            counts[bin_of(v, range)] += 1;
        }
        let low = values.iter().copied().fold(f64::INFINITY, f64::min);
        let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let at = |end: f64| values.iter().filter(|&&v| v == end).count() as u64;
        Distribution::new(&counts, (at(range.0), at(range.1)), range, low, high).unwrap()
    }

    /// Counts proportional to `cdf` over each bin of `range` (a billion trajectories), the
    /// extremes at the first and last occupied bins' edges.
    fn of_cdf(cdf: impl Fn(f64) -> f64, range: (f64, f64)) -> Distribution {
        let width = (range.1 - range.0) / BINS as f64;
        let edge = |b: usize| range.0 + width * b as f64;
        let counts: Vec<u64> = (0..BINS)
            .map(|b| (1e9 * (cdf(edge(b + 1)) - cdf(edge(b)))).round() as u64)
            .collect();
        Distribution::new(&counts, (0, 0), range, range.0, range.1).unwrap()
    }

    fn normal_cdf(z: f64) -> f64 {
        0.5 * (1.0 + libm::erf(z / std::f64::consts::SQRT_2))
    }

    fn normal_density(z: f64) -> f64 {
        (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
    }

    #[test]
    fn the_crps_of_a_point_mass_is_the_absolute_error() {
        let d = of_values(&[0.3; 50], (-1.0, 1.0));
        for y in [-1.0, -0.2, 0.3, 0.30001, 0.95] {
            assert!((d.crps(y) - (y - 0.3f64).abs()).abs() < 1e-15, "y {y}");
        }
        assert_eq!(d.quantile(0.05), 0.3);
        assert_eq!(d.quantile(0.95), 0.3);
        assert_eq!(d.pit(0.3), 0.5);
        assert_eq!(d.pit(0.2999), 0.0);
        assert_eq!(d.pit(0.3001), 1.0);
    }

    /// CRPS(N(mu, sigma), y) = sigma (z (2 Phi(z) - 1) + 2 phi(z) - 1 / sqrt(pi)) with
    /// z = (y - mu) / sigma (Gneiting and Raftery 2007, eq. 21); a histogram of 0.001-wide
    /// bins holds a normal of sd 0.1 to about 1e-7.
    #[test]
    fn the_crps_of_a_fine_histogram_of_a_normal_is_its_closed_form() {
        let (mu, sigma) = (0.1, 0.1);
        let d = of_cdf(|x| normal_cdf((x - mu) / sigma), (-1.0, 1.0));
        for y in [-0.35, 0.0, 0.1, 0.17, 0.4, 0.9] {
            let z = (y - mu) / sigma;
            let exact = sigma
                * (z * (2.0 * normal_cdf(z) - 1.0) + 2.0 * normal_density(z)
                    - 1.0 / std::f64::consts::PI.sqrt());
            assert!(
                (d.crps(y) - exact).abs() < 1e-6,
                "y {y}: {} vs {exact}",
                d.crps(y)
            );
            assert!((d.pit(y) - normal_cdf(z)).abs() < 1e-6, "y {y}");
        }
        // The 5% quantile of N(0.1, 0.1) is 0.1 - 1.6449 * 0.1.
        assert!((d.quantile(0.05) - (0.1 - 0.164_485_362_7)).abs() < 1e-4);
    }

    /// For U(a, b): CRPS = (b - a) (z^3 + (1 - z)^3) / 3 inside, with z = (y - a) / (b - a),
    /// and |y - (a + b) / 2| - (b - a) / 6 outside; PIT = z. Equal counts in every bin of
    /// [0, 1] are exactly U(0, 1).
    #[test]
    fn the_crps_and_pit_of_a_uniform_are_exact() {
        let d = Distribution::new(&[7; BINS], (0, 0), (0.0, 1.0), 0.0, 1.0).unwrap();
        for y in [0.0f64, 0.123, 0.5, 0.8765, 1.0] {
            let exact = (y.powi(3) + (1.0 - y).powi(3)) / 3.0;
            assert!((d.crps(y) - exact).abs() < 1e-12, "y {y}");
            assert!((d.pit(y) - y).abs() < 1e-12, "y {y}");
        }
        for y in [-0.5, 1.25] {
            let exact = (y - 0.5f64).abs() - 1.0 / 6.0;
            assert!((d.crps(y) - exact).abs() < 1e-12, "y {y}");
        }
        for q in [0.05, 0.25, 0.5, 0.75, 0.95] {
            assert!((d.quantile(q) - q).abs() < 1e-12, "q {q}");
        }
    }

    /// Two point masses far apart (two trajectories): the CRPS of a two-point distribution
    /// with mass 1/2 each is E|X - y| - E|X - X'| / 2.
    #[test]
    fn the_crps_of_two_points_is_the_energy_form() {
        let d = of_values(&[-0.5, 0.5], (-1.0, 1.0));
        let width = 2.0 / BINS as f64;
        for y in [-0.8, -0.5, 0.0, 0.2, 0.7] {
            let exact = 0.5 * ((y + 0.5f64).abs() + (y - 0.5f64).abs()) - 0.25;
            // Each value is spread over its bin, cut at the value itself: within a bin.
            assert!((d.crps(y) - exact).abs() < width, "y {y}");
        }
        assert!((d.pit(0.0) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn an_empty_histogram_has_no_distribution() {
        assert_eq!(
            Distribution::new(
                &[0; BINS],
                (0, 0),
                (0.0, 1.0),
                f64::INFINITY,
                f64::NEG_INFINITY
            ),
            None
        );
    }

    /// 100 shares of exactly 0 and 900 spread over [0.1, 0.9].
    fn a_tenth_at_zero() -> Vec<f64> {
        let spread = (0..900).map(|i| 0.1 + 0.8 * f64::from(i) / 899.0);
        std::iter::repeat_n(0.0, 100).chain(spread).collect()
    }

    /// Defect (atoms): the scoring distribution spread the shares of exactly 0 over the
    /// first bin, so its 5% quantile was 0.00025 and the PIT of an observed 0 was 0, as if no
    /// trajectory reached it. Now they are a point mass at 0: the quantiles up to 10% are 0,
    /// the mid-PIT of 0 is half the mass there, and the CRPS of 0 sees the jump.
    #[test]
    fn a_tenth_of_the_mass_exactly_at_0_is_a_point_mass_for_quantiles_pit_and_crps() {
        let d = of_values(&a_tenth_at_zero(), (0.0, 1.0));
        assert_eq!(d.quantile(0.05), 0.0);
        assert_eq!(d.quantile(0.1), 0.0);
        assert!(d.quantile(0.1001) > 0.09);
        assert!((d.pit(0.0) - 0.05).abs() < 1e-15, "{}", d.pit(0.0));
        assert!(
            (d.pit(0.05) - 0.1).abs() < 1e-15,
            "nothing between 0 and the first bin past it"
        );
        // F is 0.1 on [0, 0.1), then rises linearly to 1 at 0.9: (0.9)^2 * 0.1 + 0.8 * 0.81 / 3.
        assert!((d.crps(0.0) - 0.297).abs() < 1e-3, "{}", d.crps(0.0));
        // At the high end too, mirrored on a stance's range.
        let mirrored: Vec<f64> = a_tenth_at_zero().iter().map(|v| 1.0 - 2.0 * v).collect();
        let d = of_values(&mirrored, (-1.0, 1.0));
        assert_eq!(d.quantile(0.95), 1.0);
        assert!((d.pit(1.0) - 0.95).abs() < 1e-15, "{}", d.pit(1.0));
    }

    /// Every value at an end (or one trajectory at an end): a point mass there, whichever
    /// end, with the mid-PIT of 0.5 and the absolute error as CRPS.
    #[test]
    fn every_value_at_an_end_is_a_point_mass_at_that_end() {
        for (values, range, end) in [
            (vec![0.0; 5], (0.0, 1.0), 0.0),
            (vec![1.0; 5], (0.0, 1.0), 1.0),
            (vec![-1.0], (-1.0, 1.0), -1.0),
            (vec![1.0], (-1.0, 1.0), 1.0),
        ] {
            let d = of_values(&values, range);
            assert_eq!(d.quantile(0.05), end, "{values:?}");
            assert_eq!(d.quantile(0.95), end, "{values:?}");
            assert_eq!(d.pit(end), 0.5, "{values:?}");
            for y in [-0.5, 0.0, 0.25, 1.0] {
                assert!(
                    (d.crps(y) - (y - end).abs()).abs() < 1e-15,
                    "{values:?} y {y}"
                );
            }
        }
    }
}
