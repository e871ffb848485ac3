//! Scenarios on the same random draws, the first the reference: each outcome's probability
//! in every scenario and each scenario's paired difference from the reference, whose
//! interval is narrow because shared noise cancels; and the same for the tracked metrics'
//! means, at the last step and over time, in the metrics' own units.

use serde::Serialize;

use super::interval::{paired_difference, Z95};
use super::RunSummary;
use crate::engine::effects::Effects;
use crate::engine::PairCounts;
use crate::model::{Definition, World};

/// The most scenarios one comparison runs: each adds a world to every block of the joint
/// run, and a chart's groups stop being readable well before.
pub const MAX_SCENARIOS: usize = 12;

/// Names of one side of a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub name: String,
    pub scenario_sha256: String,
}

/// One scenario of an N-way comparison as `compare.json` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioEntry {
    /// "A" for the reference, then "B", "C", ...: the name the pictures use.
    pub label: String,
    pub name: String,
    pub scenario_sha256: String,
    /// The subfolder with this scenario's own full results.
    pub folder: String,
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

/// One scenario against the reference: today's two-way comparison of A and B.
#[derive(Debug, Clone)]
pub struct Pairwise {
    /// Outcomes both define, in the reference's order.
    pub outcomes: Vec<OutcomeDifference>,
    pub only_in_a: Vec<String>,
    pub only_in_b: Vec<String>,
    /// Outcomes both name but define differently (`redefined_outcomes`): not compared.
    pub redefined: Vec<String>,
}

/// An outcome every scenario defines: its probability in each, and each scenario's paired
/// difference from the reference.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeAcross {
    pub name: String,
    /// In the order of the scenarios, the reference first.
    pub probabilities: Vec<f64>,
    /// For each scenario after the reference.
    pub differences: Vec<FromReference>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FromReference {
    pub scenario: String,
    pub label: String,
    pub diff: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub unpaired_half_width: f64,
}

/// The paired effect of one scenario on one tracked metric's mean at the last step.
#[derive(Debug, Clone, Serialize)]
pub struct MetricEffect {
    /// The metric's label.
    pub name: String,
    pub scenario: String,
    pub label: String,
    /// The step the means are taken at: the last step of the shorter of the two worlds.
    /// It is the final step when both run equally long; when not, the longer world's own
    /// final mean (in its summary.json) is elsewhere, and the comparison says so.
    pub step: usize,
    /// The mean at `step` in this scenario, and in the reference.
    pub mean: f64,
    pub reference_mean: f64,
    /// `mean - reference_mean`, with the 95% interval of the mean of the per-trajectory
    /// differences.
    pub diff: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// The interval two independent runs would give (from each side's own variance).
    pub unpaired_ci_low: f64,
    pub unpaired_ci_high: f64,
}

/// A paired difference of means at one step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EffectPoint {
    pub diff: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub unpaired_low: f64,
    pub unpaired_high: f64,
}

/// A scenario's effect on a metric at every step from 0.
#[derive(Debug, Clone)]
pub struct EffectSeries {
    pub metric: String,
    /// Index of the scenario in `Comparison::scenarios` (never 0, the reference).
    pub scenario: usize,
    pub points: Vec<EffectPoint>,
}

#[derive(Debug, Clone)]
pub struct Comparison {
    /// Each scenario's own results, the reference first.
    pub scenarios: Vec<RunSummary>,
    /// `pairwise[k]`: scenario k + 1 against the reference.
    pub pairwise: Vec<Pairwise>,
    /// Outcomes every scenario defines (by name), in the reference's order.
    pub outcomes: Vec<OutcomeAcross>,
    /// Outcomes some scenario does not define (not in `outcomes`).
    pub not_shared: Vec<String>,
    /// Outcomes every scenario names but some defines differently from the reference (not
    /// in `outcomes`: the paired difference of two questions is no effect).
    pub defined_differently: Vec<String>,
    /// Metrics every scenario tracks (by label): each scenario's effect at the last step,
    /// metric by metric.
    pub metrics: Vec<MetricEffect>,
    /// The same over time, metric by metric, scenario by scenario.
    pub effects: Vec<EffectSeries>,
}

/// "A", "B", ... "L": how the pictures and the folders name the scenarios.
pub fn label(index: usize) -> String {
    char::from(b'A' + (index % 26) as u8).to_string()
}

/// The subfolder of scenario `index`: `a/`, `b/`, ... (today's `a/` and `b/` for two).
pub fn folder(index: usize) -> String {
    label(index).to_lowercase()
}

/// Outcomes both worlds define alike (same name, same compiled definition), as (index in
/// a, index in b), in A's order: the questions a paired difference can answer.
pub fn shared_outcomes(a: &World, b: &World) -> Vec<(usize, usize)> {
    same_names(a, b)
        .filter(|&(i, j)| same_question(a, i, b, j))
        .collect()
}

/// Whether outcome `i` of `a` and `j` of `b` ask the same question: the same compiled
/// definition over the same horizon (an outcome judged at step 10 and one judged at step 12
/// are two questions, whatever their conditions say).
fn same_question(a: &World, i: usize, b: &World, j: usize) -> bool {
    a.steps == b.steps && Definition::of(a, i) == Definition::of(b, j)
}

/// Outcomes both worlds name but define differently (a variant's `ReplaceOutcome`, or
/// another horizon), in A's order: two questions under one name, which are not compared.
pub fn redefined_outcomes(a: &World, b: &World) -> Vec<String> {
    same_names(a, b)
        .filter(|&(i, j)| !same_question(a, i, b, j))
        .map(|(i, _)| a.outcomes[i].name.clone())
        .collect()
}

/// Outcomes of the same name, as (index in a, index in b), in A's order.
fn same_names<'a>(a: &'a World, b: &'a World) -> impl Iterator<Item = (usize, usize)> + 'a {
    a.outcomes.iter().enumerate().filter_map(|(i, o)| {
        b.outcomes
            .iter()
            .position(|x| x.name == o.name)
            .map(|j| (i, j))
    })
}

/// For each world after the first, the metrics every world tracks (same label), as (index
/// in the first, index in it), in the first's order.
pub fn shared_metrics(worlds: &[&World]) -> Vec<Vec<(usize, usize)>> {
    let labels: Vec<Vec<String>> = worlds
        .iter()
        .map(|w| w.metrics.iter().map(|m| w.metric_label(m)).collect())
        .collect();
    let shared: Vec<usize> = (0..labels[0].len())
        .filter(|&i| labels.iter().all(|l| l.contains(&labels[0][i])))
        .collect();
    labels[1..]
        .iter()
        .map(|l| {
            shared
                .iter()
                .filter_map(|&i| l.iter().position(|x| *x == labels[0][i]).map(|j| (i, j)))
                .collect()
        })
        .collect()
}

/// Mean and variance of a paired difference as a 95% interval.
pub(crate) fn point(diff: f64, variance: f64, unpaired_variance: f64, n: u64) -> EffectPoint {
    let nf = n.max(1) as f64;
    let half = Z95 * libm::sqrt(variance / nf);
    let unpaired = Z95 * libm::sqrt(unpaired_variance / nf);
    EffectPoint {
        diff,
        ci_low: diff - half,
        ci_high: diff + half,
        unpaired_low: diff - unpaired,
        unpaired_high: diff + unpaired,
    }
}

impl Pairwise {
    /// Scenario `b` against the reference `a`, from the counts of the outcomes `shared`
    /// pairs (`shared_outcomes`); `redefined` names those both define differently.
    pub fn new(
        a: &RunSummary,
        b: &RunSummary,
        shared: &[(usize, usize)],
        pairs: &[PairCounts],
        redefined: Vec<String>,
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
        Pairwise {
            outcomes,
            only_in_a: names(a, b),
            only_in_b: names(b, a),
            redefined,
        }
    }
}

impl Comparison {
    /// From each scenario's results (the reference first) and, for each scenario after it,
    /// its pairwise comparison with the reference and its metric effects (`engine::Joint`).
    pub fn new(scenarios: Vec<RunSummary>, pairwise: Vec<Pairwise>, effects: &[Effects]) -> Self {
        let reference = &scenarios[0];
        let everywhere = |name: &str| {
            scenarios
                .iter()
                .all(|s| s.outcomes.iter().any(|x| x.name == name))
        };
        let defined_differently: Vec<String> = reference
            .outcomes
            .iter()
            .filter(|o| {
                everywhere(&o.name) && pairwise.iter().any(|p| p.redefined.contains(&o.name))
            })
            .map(|o| o.name.clone())
            .collect();
        let outcomes: Vec<OutcomeAcross> = reference
            .outcomes
            .iter()
            .filter(|o| everywhere(&o.name) && !defined_differently.contains(&o.name))
            .map(|o| OutcomeAcross {
                name: o.name.clone(),
                probabilities: scenarios
                    .iter()
                    .map(|s| {
                        s.outcomes
                            .iter()
                            .find(|x| x.name == o.name)
                            .map_or(f64::NAN, |x| x.probability)
                    })
                    .collect(),
                differences: pairwise
                    .iter()
                    .enumerate()
                    .filter_map(|(k, p)| {
                        let d = p.outcomes.iter().find(|d| d.name == o.name)?;
                        Some(FromReference {
                            scenario: scenarios[k + 1].manifest.scenario.clone(),
                            label: label(k + 1),
                            diff: d.diff,
                            ci_low: d.ci_low,
                            ci_high: d.ci_high,
                            unpaired_half_width: d.unpaired_half_width,
                        })
                    })
                    .collect(),
            })
            .collect();
        let mut not_shared: Vec<String> = Vec::new();
        for s in &scenarios {
            for o in &s.outcomes {
                if !outcomes.iter().any(|x| x.name == o.name)
                    && !defined_differently.contains(&o.name)
                    && !not_shared.contains(&o.name)
                {
                    not_shared.push(o.name.clone());
                }
            }
        }

        // Metric by metric (the reference's order), then scenario by scenario.
        let mut series = Vec::new();
        let compared = effects.first().map_or(0, |e| e.metrics.len());
        for m in 0..compared {
            for (k, e) in effects.iter().enumerate() {
                let Some(&(ia, _)) = e.metrics.get(m) else {
                    continue;
                };
                let points = (0..e.points)
                    .map(|t| {
                        let x = e.moments(m, t);
                        point(
                            x.diff,
                            x.diff_variance,
                            x.reference_variance + x.scenario_variance,
                            x.trajectories,
                        )
                    })
                    .collect();
                series.push(EffectSeries {
                    metric: reference.series[ia].metric.clone(),
                    scenario: k + 1,
                    points,
                });
            }
        }
        let metrics = series
            .iter()
            .filter_map(|s| {
                let k = s.scenario - 1;
                let last = *s.points.last()?;
                let index = effects[k]
                    .metrics
                    .iter()
                    .position(|&(ia, _)| reference.series[ia].metric == s.metric)?;
                let x = effects[k].moments(index, effects[k].points - 1);
                Some(MetricEffect {
                    name: s.metric.clone(),
                    scenario: scenarios[s.scenario].manifest.scenario.clone(),
                    label: label(s.scenario),
                    step: effects[k].points - 1,
                    mean: x.scenario_mean,
                    reference_mean: x.reference_mean,
                    diff: last.diff,
                    ci_low: last.ci_low,
                    ci_high: last.ci_high,
                    unpaired_ci_low: last.unpaired_low,
                    unpaired_ci_high: last.unpaired_high,
                })
            })
            .collect();
        Comparison {
            scenarios,
            pairwise,
            outcomes,
            not_shared,
            defined_differently,
            metrics,
            effects: series,
        }
    }

    /// The labels ("B", "C", ...) of the scenarios that define outcome `name` differently
    /// from the reference.
    pub fn redefined_in(&self, name: &str) -> Vec<String> {
        (0..self.pairwise.len())
            .filter(|&k| self.pairwise[k].redefined.iter().any(|n| n == name))
            .map(|k| label(k + 1))
            .collect()
    }

    /// The reference's results.
    pub fn reference(&self) -> &RunSummary {
        &self.scenarios[0]
    }

    /// The scenarios as `compare.json` lists them.
    pub fn entries(&self) -> Vec<ScenarioEntry> {
        self.scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| ScenarioEntry {
                label: label(i),
                name: s.manifest.scenario.clone(),
                scenario_sha256: s.manifest.scenario_sha256.clone(),
                folder: folder(i),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_are_lettered_and_foldered_from_a() {
        assert_eq!((label(0), folder(0)), ("A".to_string(), "a".to_string()));
        assert_eq!((label(1), folder(1)), ("B".to_string(), "b".to_string()));
        assert_eq!(label(MAX_SCENARIOS - 1), "L");
    }

    #[test]
    fn a_metric_effect_interval_is_the_mean_difference_plus_minus_z_standard_errors() {
        let p = point(0.08, 0.0004, 0.04, 400);
        assert!((p.ci_high - 0.08 - Z95 * 0.001).abs() < 1e-12, "{p:?}");
        assert!((0.08 - p.ci_low - Z95 * 0.001).abs() < 1e-12, "{p:?}");
        assert!((p.unpaired_high - 0.08 - Z95 * 0.01).abs() < 1e-12, "{p:?}");
    }
}
