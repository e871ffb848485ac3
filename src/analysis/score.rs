//! A forecast scored against what happened (`simulate score`).
//!
//! Each observation of a tracked metric is read against the model's distribution of that
//! metric at its step (`distribution::Distribution`, the run's histogram): its quantiles,
//! whether the value lies inside the middle 50% (p25..p75) and 90% (p05..p95) bands, its PIT
//! (the model's CDF at the value) and its CRPS. Beside it the persistence forecast, the
//! metric's mean at step 0 taken as a point forecast, whose CRPS is its absolute error.
//!
//! Each observation of an outcome (1: it happened by then, 0: it did not) is read against
//! the model's probability at its step: for an `ever` outcome the share of trajectories in
//! which it had held by that step, for an `at_end` outcome (only at the last step) the share
//! in which it held there. Its Brier score is (p - value)^2, and the base rate's is the same
//! for the probability the events and the noise alone give (the `all` ablation on the same
//! seed): what the dynamics add.
//!
//! Totals: coverage of the two bands, mean CRPS against the mean persistence CRPS
//! (skill = 1 - crps / persistence_crps: 1 is perfect, 0 no better than persistence,
//! negative worse), and mean Brier scores where outcomes were observed.

use serde::Serialize;

use super::ablation::Ablation;
use super::distribution::Distribution;
use super::summary::{tidy, Band, QUANTILES};
use super::RunSummary;
use crate::engine::Aggregates;
use crate::model::{OutcomeKind, World};
use crate::scenario::observed::{Observation, Observed};

/// The score of one observation of a tracked metric.
#[derive(Debug, Clone, Serialize)]
pub struct MetricScore {
    pub p05: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
    pub in50: bool,
    pub in90: bool,
    pub pit: f64,
    pub crps: f64,
    /// The persistence forecast (the metric's mean at step 0) and its absolute error.
    pub persistence: f64,
    pub persistence_error: f64,
}

/// The score of one observation of an outcome.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeScore {
    pub probability: f64,
    pub brier: f64,
    /// The probability without the dynamics (events and noise only), and its Brier score.
    pub base_probability: f64,
    pub base_brier: f64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Scored {
    Metric(MetricScore),
    Outcome(OutcomeScore),
}

/// One observation and its score.
#[derive(Debug, Clone, Serialize)]
pub struct ObservationScore {
    /// The observation's line in its file.
    pub line: usize,
    pub metric: String,
    /// `metric` or `outcome`.
    pub kind: &'static str,
    pub step: u32,
    pub value: f64,
    #[serde(flatten)]
    pub scored: Scored,
}

/// The scores of a set of observations, summed up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    /// Observations of metrics: what the coverage and the CRPS are over.
    pub n: usize,
    pub in50: usize,
    pub in90: usize,
    pub coverage50: Option<f64>,
    pub coverage90: Option<f64>,
    /// Mean CRPS of the model and of persistence.
    pub crps: Option<f64>,
    pub persistence_crps: Option<f64>,
    /// 1 - crps / persistence_crps (none when persistence is exact).
    pub skill: Option<f64>,
    /// Observations of outcomes, and their mean Brier scores.
    pub outcomes: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brier: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_brier: Option<f64>,
}

impl Totals {
    pub fn of(scores: &[ObservationScore]) -> Totals {
        let metrics: Vec<&MetricScore> = scores
            .iter()
            .filter_map(|s| match &s.scored {
                Scored::Metric(m) => Some(m),
                Scored::Outcome(_) => None,
            })
            .collect();
        let outcomes: Vec<&OutcomeScore> = scores
            .iter()
            .filter_map(|s| match &s.scored {
                Scored::Outcome(o) => Some(o),
                Scored::Metric(_) => None,
            })
            .collect();
        let in50 = metrics.iter().filter(|m| m.in50).count();
        let in90 = metrics.iter().filter(|m| m.in90).count();
        let crps = mean(metrics.iter().map(|m| m.crps));
        let persistence_crps = mean(metrics.iter().map(|m| m.persistence_error));
        let skill = match (crps, persistence_crps) {
            (Some(c), Some(p)) if p > 0.0 => Some(1.0 - c / p),
            _ => None,
        };
        Totals {
            n: metrics.len(),
            in50,
            in90,
            coverage50: share(in50, metrics.len()),
            coverage90: share(in90, metrics.len()),
            crps,
            persistence_crps,
            skill,
            outcomes: outcomes.len(),
            brier: mean(outcomes.iter().map(|o| o.brier)),
            base_brier: mean(outcomes.iter().map(|o| o.base_brier)),
        }
    }

    /// The line `simulate score` ends with:
    /// `coverage90 K/N coverage50 K/N crps X persistence Y skill Z`.
    pub fn line(&self) -> String {
        let number = |x: Option<f64>, digits: usize| match x {
            Some(x) => format!("{x:.digits$}"),
            None => "n/a".to_string(),
        };
        format!(
            "coverage90 {}/{n} coverage50 {}/{n} crps {} persistence {} skill {}",
            self.in90,
            self.in50,
            number(self.crps, 4),
            number(self.persistence_crps, 4),
            number(self.skill, 3),
            n = self.n
        )
    }
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, count) = values.fold((0.0, 0usize), |(s, c), x| (s + x, c + 1));
    (count > 0).then(|| sum / count as f64)
}

fn share(k: usize, n: usize) -> Option<f64> {
    (n > 0).then(|| k as f64 / n as f64)
}

/// Each outcome's probability at each step, as a run's aggregates give it: for an `ever`
/// outcome, of having held by then; for an `at_end` outcome, of holding at the last step
/// (other steps have none). Small (outcomes x steps), so an ablation's can be kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Chances {
    points: usize,
    by_step: Vec<Option<f64>>,
}

impl Chances {
    pub fn of(world: &World, agg: &Aggregates) -> Chances {
        let points = agg.points;
        let n = agg.trajectories.max(1) as f64;
        let mut by_step = Vec::with_capacity(world.outcomes.len() * points);
        for (o, outcome) in world.outcomes.iter().enumerate() {
            match outcome.kind {
                OutcomeKind::Ever => {
                    let row = &agg.first_held[o * points..(o + 1) * points];
                    let mut held = 0;
                    by_step.extend(row.iter().map(|&c| {
                        held += c;
                        Some(held as f64 / n)
                    }));
                }
                OutcomeKind::AtEnd => {
                    by_step.extend((1..points).map(|_| None));
                    by_step.push(Some(agg.outcome_count[o] as f64 / n));
                }
            }
        }
        Chances { points, by_step }
    }

    /// No probabilities at all: where no outcome is observed, none is read.
    pub fn none() -> Chances {
        Chances {
            points: 0,
            by_step: Vec::new(),
        }
    }

    /// The probability of outcome `o` at step `t` (`None` where it is not judged).
    pub fn at(&self, o: usize, t: u32) -> Option<f64> {
        self.by_step
            .get(o * self.points + t as usize)
            .copied()
            .flatten()
    }
}

/// The model's distribution of metric `m` at step `t`.
pub fn distribution(world: &World, agg: &Aggregates, m: usize, t: usize) -> Distribution {
    let cell = m * agg.points + t;
    Distribution::new(
        agg.histogram_of(m, t),
        agg.atoms_of(m, t),
        world.metrics[m].range(),
        agg.low[cell],
        agg.high[cell],
    )
    .expect("a run has at least one trajectory")
}

/// The quantile band of a distribution (and the mean the run kept beside it), to 1e-9 as
/// the run's bands are.
fn band(d: &Distribution, mean: f64) -> Band {
    let q = |i: usize| tidy(d.quantile(QUANTILES[i]));
    Band {
        mean,
        p05: q(0),
        p25: q(1),
        p50: q(2),
        p75: q(3),
        p95: q(4),
    }
}

/// Scores every observation against a run of `world`; `base` gives the outcomes' base
/// rates (the `all` ablation's chances). Observations are checked against `world`
/// (`scenario::observed`), so every step and index is in range.
pub fn score(
    world: &World,
    agg: &Aggregates,
    observations: &[Observation],
    base: &Chances,
) -> Vec<ObservationScore> {
    let chances = Chances::of(world, agg);
    observations
        .iter()
        .map(|obs| {
            let (kind, scored) = match obs.of {
                Observed::Metric(m) => {
                    let d = distribution(world, agg, m, obs.step as usize);
                    let persistence = tidy(agg.mean(m, 0));
                    (
                        "metric",
                        Scored::Metric(metric_score(&d, persistence, obs.value)),
                    )
                }
                Observed::Outcome(o) => {
                    let p = chances.at(o, obs.step).unwrap_or(f64::NAN);
                    let b = base.at(o, obs.step).unwrap_or(f64::NAN);
                    ("outcome", Scored::Outcome(outcome_score(p, b, obs.value)))
                }
            };
            ObservationScore {
                line: obs.line,
                metric: obs.name.clone(),
                kind,
                step: obs.step,
                value: obs.value,
                scored,
            }
        })
        .collect()
}

/// The score of `value` against the distribution `d`, beside the persistence forecast.
pub fn metric_score(d: &Distribution, persistence: f64, value: f64) -> MetricScore {
    let b = band(d, f64::NAN);
    MetricScore {
        p05: b.p05,
        p25: b.p25,
        p50: b.p50,
        p75: b.p75,
        p95: b.p95,
        in50: (b.p25..=b.p75).contains(&value),
        in90: (b.p05..=b.p95).contains(&value),
        pit: d.pit(value),
        crps: d.crps(value),
        persistence,
        persistence_error: (value - persistence).abs(),
    }
}

/// The Brier scores of a 0/1 `value` under the model's probability and the base rate.
pub fn outcome_score(probability: f64, base: f64, value: f64) -> OutcomeScore {
    OutcomeScore {
        probability,
        brier: (probability - value).powi(2),
        base_probability: base,
        base_brier: (base - value).powi(2),
    }
}

/// One scored metric over time, for its picture: the bands of the same distribution the
/// scores read, at every step, and the observations of it.
#[derive(Debug, Clone)]
pub struct ScoredSeries {
    pub metric: String,
    pub range: (f64, f64),
    pub bands: Vec<Band>,
    /// (step, value, inside the 90% band).
    pub observed: Vec<(u32, f64, bool)>,
}

/// The series of every metric that has observations, in the scenario's order.
pub fn scored_series(
    world: &World,
    agg: &Aggregates,
    scores: &[ObservationScore],
    observations: &[Observation],
) -> Vec<ScoredSeries> {
    (0..world.metrics.len())
        .filter_map(|m| {
            let observed: Vec<(u32, f64, bool)> = observations
                .iter()
                .zip(scores)
                .filter(|(o, _)| o.of == Observed::Metric(m))
                .map(|(o, s)| {
                    let inside = matches!(&s.scored, Scored::Metric(x) if x.in90);
                    (o.step, o.value, inside)
                })
                .collect();
            if observed.is_empty() {
                return None;
            }
            let bands = (0..agg.points)
                .map(|t| band(&distribution(world, agg, m, t), tidy(agg.mean(m, t))))
                .collect();
            Some(ScoredSeries {
                metric: world.metric_label(&world.metrics[m]),
                range: world.metrics[m].range(),
                bands,
                observed,
            })
        })
        .collect()
}

/// The totals of one ablation.
#[derive(Debug, Clone, Serialize)]
pub struct AblationTotals {
    pub ablation: &'static str,
    pub removes: &'static str,
    pub totals: Totals,
}

impl AblationTotals {
    pub fn new(ablation: Ablation, totals: Totals) -> Self {
        AblationTotals {
            ablation: ablation.name(),
            removes: ablation.removes(),
            totals,
        }
    }
}

/// Everything `simulate score` writes: the run's own results and the scores.
#[derive(Debug, Clone)]
pub struct ScoreRun {
    pub summary: RunSummary,
    /// The observations file as given, and the sha256 of its bytes.
    pub observed: String,
    pub observed_sha256: String,
    pub scores: Vec<ObservationScore>,
    pub totals: Totals,
    pub series: Vec<ScoredSeries>,
    pub ablations: Vec<AblationTotals>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::aggregate::BINS;

    fn uniform() -> Distribution {
        Distribution::new(&[1; BINS], (0, 0), (0.0, 1.0), 0.0, 1.0).unwrap()
    }

    #[test]
    fn a_metric_observation_is_read_against_the_bands_pit_crps_and_persistence() {
        let s = metric_score(&uniform(), 0.5, 0.9);
        assert!((s.p05 - 0.05).abs() < 1e-12 && (s.p95 - 0.95).abs() < 1e-12);
        assert!(s.in90 && !s.in50);
        assert!((s.pit - 0.9).abs() < 1e-12);
        assert!((s.crps - (0.729 + 0.001) / 3.0).abs() < 1e-12);
        assert!((s.persistence_error - 0.4).abs() < 1e-12);
        let outside = metric_score(&uniform(), 0.5, 0.97);
        assert!(!outside.in90);
    }

    #[test]
    fn totals_count_coverage_and_compare_with_persistence() {
        let line = |value, scored| ObservationScore {
            line: 2,
            metric: "m".into(),
            kind: "metric",
            step: 1,
            value,
            scored,
        };
        let scores = vec![
            line(0.9, Scored::Metric(metric_score(&uniform(), 0.5, 0.9))),
            line(0.5, Scored::Metric(metric_score(&uniform(), 0.5, 0.5))),
            line(1.0, Scored::Outcome(outcome_score(0.8, 0.5, 1.0))),
        ];
        let t = Totals::of(&scores);
        assert_eq!((t.n, t.in90, t.in50, t.outcomes), (2, 2, 1, 1));
        let crps = ((0.729 + 0.001) / 3.0 + 0.25 / 3.0) / 2.0;
        assert!((t.crps.unwrap() - crps).abs() < 1e-12);
        assert!((t.persistence_crps.unwrap() - 0.2).abs() < 1e-12);
        assert!((t.skill.unwrap() - (1.0 - crps / 0.2)).abs() < 1e-12);
        assert!((t.brier.unwrap() - 0.04).abs() < 1e-12);
        assert!((t.base_brier.unwrap() - 0.25).abs() < 1e-12);
        assert_eq!(
            t.line(),
            format!(
                "coverage90 2/2 coverage50 1/2 crps {:.4} persistence 0.2000 skill {:.3}",
                crps,
                1.0 - crps / 0.2
            )
        );
    }

    #[test]
    fn without_metric_observations_the_totals_say_so() {
        let t = Totals::of(&[]);
        assert_eq!(
            t.line(),
            "coverage90 0/0 coverage50 0/0 crps n/a persistence n/a skill n/a"
        );
    }

    #[test]
    fn chances_of_an_ever_outcome_grow_by_step_and_an_at_end_one_has_only_the_last() {
        let mut world = crate::model::fixtures::world(2, 1);
        world.steps = 3;
        let outcome = |kind| crate::model::Outcome {
            name: "o".into(),
            description: String::new(),
            kind,
            condition: crate::model::Condition::Above(crate::model::Metric::Stance(0, 1), 0.0),
        };
        world.outcomes = vec![outcome(OutcomeKind::Ever), outcome(OutcomeKind::AtEnd)];
        let mut agg = Aggregates::new(&world);
        agg.trajectories = 4;
        agg.first_held[..4].copy_from_slice(&[0, 1, 0, 2]);
        agg.outcome_count = vec![3, 1];
        let c = Chances::of(&world, &agg);
        let ever: Vec<Option<f64>> = (0..4).map(|t| c.at(0, t)).collect();
        assert_eq!(ever, [Some(0.0), Some(0.25), Some(0.25), Some(0.75)]);
        let at_end: Vec<Option<f64>> = (0..4).map(|t| c.at(1, t)).collect();
        assert_eq!(at_end, [None, None, None, Some(0.25)]);
    }
}
