//! Global sensitivity: how much of an outcome's variation each sampled parameter explains.
//!
//! The factors are the parameters a scenario gives as distributions. A Saltelli design
//! (Saltelli et al. 2010, "Variance based sensitivity analysis of model output", Computer
//! Physics Communications 181) draws two independent N x k matrices A and B of uniform
//! quantiles, and for each factor i the matrix AB_i: A with column i taken from B. The
//! model is evaluated on all N (k + 2) rows. With `f` the outcome probability at a row:
//!
//! - first-order index (Saltelli 2010, eq. b): `S_i = mean(f_B (f_AB_i - f_A)) / V`,
//! - total index (Jansen 1999): `ST_i = mean((f_A - f_AB_i)^2) / 2 / V`,
//!
//! where V is the variance of all f_A and f_B values. S_i is the share of the variance that
//! factor i explains alone; ST_i adds its interactions; `ST_i - S_i` is interaction only.
//! Intervals come from a bootstrap over the N rows (resampled with a seeded ChaCha stream),
//! as the 2.5% and 97.5% percentiles of the resampled indices.
//!
//! Quantiles become parameter values through each distribution's inverse CDF
//! ([`value_at`]), so a row is one point of the parameter space; the design itself is
//! plain Monte Carlo from a seeded ChaCha stream (not a quasi-random sequence), which keeps
//! it simple and reproducible at the cost of a somewhat larger N for the same accuracy.

use serde::Serialize;

use crate::engine::streams::Stream;
use crate::model::{triangular_quantile, Sampler};

/// Bootstrap resamples behind each interval.
pub const BOOTSTRAP: usize = 500;

/// The uniform quantiles of a Saltelli design: matrices A and B, each `n` rows of `k`.
#[derive(Debug, Clone)]
pub struct Design {
    pub a: Vec<Vec<f64>>,
    pub b: Vec<Vec<f64>>,
}

impl Design {
    /// Draws A and B from the seeded stream `sensitivity:design`.
    pub fn new(n: usize, k: usize, seed: u64) -> Self {
        let mut s = Stream::keyed(seed, "sensitivity:design");
        let mut matrix = || -> Vec<Vec<f64>> {
            (0..n)
                .map(|_| (0..k).map(|_| s.uniform()).collect())
                .collect()
        };
        let a = matrix();
        let b = matrix();
        Design { a, b }
    }

    pub fn samples(&self) -> usize {
        self.a.len()
    }

    pub fn factors(&self) -> usize {
        self.a.first().map_or(0, Vec::len)
    }

    /// Every row to evaluate, in order: A's N rows, B's N rows, then AB_i's N rows for each
    /// factor i.
    pub fn rows(&self) -> Vec<Vec<f64>> {
        let mut rows: Vec<Vec<f64>> = self.a.clone();
        rows.extend(self.b.iter().cloned());
        for i in 0..self.factors() {
            for (a, b) in self.a.iter().zip(&self.b) {
                let mut row = a.clone();
                row[i] = b[i];
                rows.push(row);
            }
        }
        rows
    }

    /// Splits the outputs of `rows()` back into f_A, f_B and f_AB_i.
    pub fn split<'a>(&self, f: &'a [f64]) -> (&'a [f64], &'a [f64], Vec<&'a [f64]>) {
        let n = self.samples();
        let ab = (0..self.factors())
            .map(|i| &f[(2 + i) * n..(3 + i) * n])
            .collect();
        (&f[..n], &f[n..2 * n], ab)
    }
}

/// Sobol indices of one output for every factor, with bootstrap intervals.
#[derive(Debug, Clone, Serialize)]
pub struct Indices {
    pub first: Vec<f64>,
    pub first_ci: Vec<(f64, f64)>,
    pub total: Vec<f64>,
    pub total_ci: Vec<(f64, f64)>,
    /// Mean and variance of the output over the A and B rows.
    pub mean: f64,
    pub variance: f64,
}

/// Point estimates over the rows `pick` (indices into 0..N): (first-order, total, mean,
/// variance). Sums run in `pick`'s order, so the result is the same on every machine.
fn estimate(
    fa: &[f64],
    fb: &[f64],
    fab: &[&[f64]],
    pick: &[usize],
) -> (Vec<f64>, Vec<f64>, f64, f64) {
    let n = pick.len() as f64;
    let mut sum = 0.0;
    for &r in pick {
        sum += fa[r] + fb[r];
    }
    let mean = sum / (2.0 * n);
    let mut squares = 0.0;
    for &r in pick {
        squares += (fa[r] - mean) * (fa[r] - mean) + (fb[r] - mean) * (fb[r] - mean);
    }
    let variance = squares / (2.0 * n - 1.0).max(1.0);
    let mut first = Vec::with_capacity(fab.len());
    let mut total = Vec::with_capacity(fab.len());
    for f in fab {
        let (mut s, mut t) = (0.0, 0.0);
        for &r in pick {
            s += fb[r] * (f[r] - fa[r]);
            t += (fa[r] - f[r]) * (fa[r] - f[r]);
        }
        if variance > 0.0 {
            first.push(s / n / variance);
            total.push(t / n / 2.0 / variance);
        } else {
            // An output that never varies: no factor explains anything.
            first.push(0.0);
            total.push(0.0);
        }
    }
    (first, total, mean, variance)
}

/// The `q` percentile of sorted values (nearest rank, interpolated).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let x = q * (sorted.len() - 1) as f64;
    let i = x.floor() as usize;
    let j = (i + 1).min(sorted.len() - 1);
    sorted[i] + (sorted[j] - sorted[i]) * (x - i as f64)
}

/// First-order and total indices of an output, with `bootstrap` resamples drawn from the
/// stream `sensitivity:bootstrap` of `seed`.
pub fn sobol(fa: &[f64], fb: &[f64], fab: &[&[f64]], bootstrap: usize, seed: u64) -> Indices {
    let n = fa.len();
    let all: Vec<usize> = (0..n).collect();
    let (first, total, mean, variance) = estimate(fa, fb, fab, &all);
    let k = fab.len();
    let mut first_draws = vec![Vec::with_capacity(bootstrap); k];
    let mut total_draws = vec![Vec::with_capacity(bootstrap); k];
    let mut stream = Stream::keyed(seed, "sensitivity:bootstrap");
    let mut pick = vec![0usize; n];
    for _ in 0..bootstrap {
        for p in pick.iter_mut() {
            *p = ((stream.uniform() * n as f64) as usize).min(n - 1);
        }
        let (s, t, _, _) = estimate(fa, fb, fab, &pick);
        for i in 0..k {
            first_draws[i].push(s[i]);
            total_draws[i].push(t[i]);
        }
    }
    let interval = |mut draws: Vec<f64>| {
        draws.sort_by(f64::total_cmp);
        (percentile(&draws, 0.025), percentile(&draws, 0.975))
    };
    Indices {
        first,
        total,
        first_ci: first_draws.into_iter().map(interval).collect(),
        total_ci: total_draws.into_iter().map(interval).collect(),
        mean,
        variance,
    }
}

/// One outcome's indices for one factor.
#[derive(Debug, Clone, Serialize)]
pub struct FactorIndices {
    pub outcome: String,
    pub factor: String,
    /// The factor's distribution in the file's notation.
    pub distribution: String,
    pub first: f64,
    pub first_low: f64,
    pub first_high: f64,
    pub total: f64,
    pub total_low: f64,
    pub total_high: f64,
}

/// A finished sensitivity analysis of a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Sensitivity {
    pub scenario: String,
    pub scenario_sha256: String,
    pub seed: u64,
    /// Trajectories per design point (the same seeds at every point).
    pub trajectories: u64,
    /// Base samples N; the design has N (k + 2) points.
    pub samples: u64,
    pub engine_version: String,
    pub factors: Vec<String>,
    pub outcomes: Vec<String>,
    /// Mean and variance of each outcome's probability over the design.
    pub outcome_mean: Vec<f64>,
    pub outcome_variance: Vec<f64>,
    /// Outcome-major: every factor of outcome 0, then of outcome 1, ...
    pub indices: Vec<FactorIndices>,
}

// ---------------------------------------------------------------------------------------
// From a uniform quantile to a parameter value: inverse CDFs in plain f64 arithmetic and
// `libm`, so every machine maps a design row to the same parameter values.

/// The standard normal CDF.
fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// The standard normal quantile: Acklam's rational approximation (relative error below
/// 1.2e-9), polished by one Halley step on the exact CDF.
fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383_577_518_672_69e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let low = 0.02425;
    let x = if p < low {
        let q = libm::sqrt(-2.0 * libm::log(p));
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = libm::sqrt(-2.0 * libm::log(1.0 - p));
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let e = normal_cdf(x) - p;
    let u = e * libm::sqrt(2.0 * std::f64::consts::PI) * libm::exp(x * x / 2.0);
    x - u / (1.0 + x * u / 2.0)
}

/// The regularised incomplete beta function I_x(a, b), by its continued fraction
/// (modified Lentz), as in Numerical Recipes' `betai`.
fn incomplete_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = libm::lgamma(a + b) - libm::lgamma(a) - libm::lgamma(b)
        + a * libm::log(x)
        + b * libm::log(1.0 - x);
    let front = libm::exp(ln_front);
    let fraction = |x: f64, a: f64, b: f64| {
        let tiny = 1e-300;
        let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
        let mut c = 1.0;
        let mut d = 1.0 - qab * x / qap;
        if d.abs() < tiny {
            d = tiny;
        }
        d = 1.0 / d;
        let mut h = d;
        for m in 1..300 {
            let m = m as f64;
            let m2 = 2.0 * m;
            let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1.0 + aa * d;
            d = if d.abs() < tiny { tiny } else { d };
            c = 1.0 + aa / c;
            c = if c.abs() < tiny { tiny } else { c };
            d = 1.0 / d;
            h *= d * c;
            let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1.0 + aa * d;
            d = if d.abs() < tiny { tiny } else { d };
            c = 1.0 + aa / c;
            c = if c.abs() < tiny { tiny } else { c };
            d = 1.0 / d;
            let step = d * c;
            h *= step;
            if (step - 1.0).abs() < 1e-15 {
                break;
            }
        }
        h
    };
    if x < (a + 1.0) / (a + b + 2.0) {
        front * fraction(x, a, b) / a
    } else {
        1.0 - front * fraction(1.0 - x, b, a) / b
    }
}

/// The value of a parameter at uniform quantile `u` of its distribution (its inverse CDF):
/// exact for Uniform and Triangular; for a truncated Normal, the normal quantile of
/// `u` rescaled into the truncation's probability range; for Beta, bisection (60 halvings,
/// below 1e-17) on the regularised incomplete beta function.
pub fn value_at(sampler: &Sampler, u: f64) -> f64 {
    let u = u.clamp(0.0, 1.0);
    match *sampler {
        Sampler::Fixed(x) => x,
        Sampler::Uniform { low, high } => low + (high - low) * u,
        Sampler::Triangular { low, mode, high } => triangular_quantile(low, mode, high, u),
        Sampler::Normal {
            mean,
            sd,
            low,
            high,
        } => {
            let (pl, ph) = (
                normal_cdf((low - mean) / sd),
                normal_cdf((high - mean) / sd),
            );
            let x = mean + sd * normal_quantile(pl + u * (ph - pl));
            x.clamp(low, high)
        }
        Sampler::Beta { a, b } => {
            let (mut lo, mut hi) = (0.0f64, 1.0f64);
            for _ in 0..60 {
                let mid = 0.5 * (lo + hi);
                if incomplete_beta(mid, a, b) < u {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            0.5 * (lo + hi)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ishigami and Homma (1990): f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i uniform on
    /// [-pi, pi]; with a = 7, b = 0.1 the first-order indices are 0.3139, 0.4424 and 0, and
    /// the total indices 0.5576, 0.4424 and 0.2437.
    fn ishigami(x: &[f64]) -> f64 {
        let pi = std::f64::consts::PI;
        let v: Vec<f64> = x.iter().map(|u| -pi + 2.0 * pi * u).collect();
        libm::sin(v[0]) + 7.0 * libm::sin(v[1]).powi(2) + 0.1 * v[2].powi(4) * libm::sin(v[0])
    }

    #[test]
    fn the_estimators_reproduce_the_ishigami_indices() {
        let design = Design::new(40_000, 3, 1990);
        let f: Vec<f64> = design.rows().iter().map(|r| ishigami(r)).collect();
        let (fa, fb, fab) = design.split(&f);
        let s = sobol(fa, fb, &fab, 50, 7);
        let first = [0.3139, 0.4424, 0.0];
        let total = [0.5576, 0.4424, 0.2437];
        for i in 0..3 {
            assert!(
                (s.first[i] - first[i]).abs() < 0.02,
                "S{} = {}",
                i + 1,
                s.first[i]
            );
            assert!(
                (s.total[i] - total[i]).abs() < 0.02,
                "ST{} = {}",
                i + 1,
                s.total[i]
            );
            let (lo, hi) = s.first_ci[i];
            assert!(
                lo <= s.first[i] && s.first[i] <= hi,
                "S{} outside its interval",
                i + 1
            );
        }
    }

    #[test]
    fn an_output_that_never_varies_has_zero_indices() {
        let design = Design::new(10, 2, 1);
        let f = vec![0.5; design.rows().len()];
        let (fa, fb, fab) = design.split(&f);
        let s = sobol(fa, fb, &fab, 10, 1);
        assert_eq!(s.first, [0.0, 0.0]);
        assert_eq!(s.variance, 0.0);
    }

    #[test]
    fn inverse_cdfs_hit_known_quantiles() {
        let u = Sampler::Uniform {
            low: 2.0,
            high: 4.0,
        };
        assert_eq!(value_at(&u, 0.25), 2.5);
        let n = Sampler::Normal {
            mean: 0.0,
            sd: 1.0,
            low: -50.0,
            high: 50.0,
        };
        assert!((value_at(&n, 0.975) - 1.959_963_984_540_054).abs() < 1e-9);
        assert!(value_at(&n, 0.5).abs() < 1e-12);
        let half = Sampler::Normal {
            mean: 0.0,
            sd: 1.0,
            low: 0.0,
            high: 50.0,
        };
        // The median of a half-normal is the normal's 75% quantile, 0.6745.
        assert!((value_at(&half, 0.5) - 0.674_489_750_196_082).abs() < 1e-9);
        let b = Sampler::Beta { a: 2.0, b: 2.0 };
        assert!((value_at(&b, 0.5) - 0.5).abs() < 1e-12);
        // Beta(2, 1) has CDF x^2: the 0.25 quantile is 0.5.
        assert!((value_at(&Sampler::Beta { a: 2.0, b: 1.0 }, 0.25) - 0.5).abs() < 1e-12);
        let t = Sampler::Triangular {
            low: 0.0,
            mode: 0.0,
            high: 1.0,
        };
        // CDF 1 - (1 - x)^2: the median is 1 - sqrt(0.5).
        assert!((value_at(&t, 0.5) - (1.0 - 0.5f64.sqrt())).abs() < 1e-12);
    }
}
