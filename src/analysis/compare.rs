//! Two scenarios on the same random draws: each outcome's probability on both sides and the
//! paired difference, whose interval is narrow because shared noise cancels.

use serde::Serialize;

use super::interval::{paired_difference, Z95};
use super::RunSummary;
use crate::engine::PairCounts;
use crate::model::World;

/// Names of one side of a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub name: String,
    pub scenario_sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutcomeDifference {
    pub name: String,
    /// Probability in A.
    pub a: f64,
    /// Probability in B.
    pub b: f64,
    /// `b - a`.
    pub diff: f64,
    /// 95% interval of the paired difference.
    pub ci_low: f64,
    pub ci_high: f64,
    /// Half-width of the interval two independent runs would give, for contrast:
    /// `1.96 * sqrt(a(1-a)/n + b(1-b)/n)`.
    pub unpaired_half_width: f64,
    /// Trajectories where the outcome held in A only, and in B only.
    pub only_a: u64,
    pub only_b: u64,
}

#[derive(Debug, Clone)]
pub struct Comparison {
    pub a: RunSummary,
    pub b: RunSummary,
    pub outcomes: Vec<OutcomeDifference>,
    pub only_in_a: Vec<String>,
    pub only_in_b: Vec<String>,
}

/// Outcomes both worlds define, as (index in a, index in b), in A's order.
pub fn shared_outcomes(a: &World, b: &World) -> Vec<(usize, usize)> {
    a.outcomes
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            b.outcomes
                .iter()
                .position(|x| x.name == o.name)
                .map(|j| (i, j))
        })
        .collect()
}

impl Comparison {
    pub fn new(
        a: RunSummary,
        b: RunSummary,
        shared: &[(usize, usize)],
        pairs: &[PairCounts],
    ) -> Self {
        let n = a.manifest.trajectories;
        let outcomes = shared
            .iter()
            .zip(pairs)
            .map(|(&(i, j), counts)| {
                let (pa, pb) = (a.outcomes[i].probability, b.outcomes[j].probability);
                let (diff, ci_low, ci_high) = paired_difference(counts.only_a, counts.only_b, n);
                let nf = n.max(1) as f64;
                let unpaired = Z95 * libm::sqrt(pa * (1.0 - pa) / nf + pb * (1.0 - pb) / nf);
                OutcomeDifference {
                    name: a.outcomes[i].name.clone(),
                    a: pa,
                    b: pb,
                    diff,
                    ci_low,
                    ci_high,
                    unpaired_half_width: unpaired,
                    only_a: counts.only_a,
                    only_b: counts.only_b,
                }
            })
            .collect();
        let names = |s: &RunSummary, other: &RunSummary| -> Vec<String> {
            s.outcomes
                .iter()
                .filter(|o| !other.outcomes.iter().any(|x| x.name == o.name))
                .map(|o| o.name.clone())
                .collect()
        };
        Comparison {
            only_in_a: names(&a, &b),
            only_in_b: names(&b, &a),
            a,
            b,
            outcomes,
        }
    }
}
