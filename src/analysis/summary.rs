//! What a run found, in the analyst's terms: outcome probabilities with intervals, quantile
//! bands of every tracked metric over time, and how often each event fired.

use serde::Serialize;

use super::interval::wilson;
use crate::engine::Aggregates;
use crate::model::blocs::{Sides, Standing, STANDINGS};
use crate::model::{Target, Timing, World};
use crate::scenario::Scenario;

/// The quantiles reported everywhere (bands of fan charts, final distributions).
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// What identifies a run: with these (and the scenario's bytes) it can be repeated exactly.
/// Every result (a run, each side of a comparison, a sweep, a sensitivity analysis) carries
/// one.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Manifest {
    pub scenario: String,
    pub scenario_sha256: String,
    /// For a variant, every file of its chain as `{path, sha256}`: the command-line file
    /// first, the full scenario last (empty for a full scenario, whose one file is
    /// `scenario_sha256`). With them the run can be repeated from the same files.
    pub scenario_chain: Vec<ChainLink>,
    pub seed: u64,
    pub trajectories: u64,
    pub steps: u32,
    pub step_unit: String,
    /// Each step's date, when the file gives a `start`: the outputs write it beside the step.
    #[serde(skip)]
    pub calendar: Option<crate::model::calendar::Calendar>,
    pub engine_version: String,
}

impl Manifest {
    pub fn new(scenario: &Scenario, seed: u64, trajectories: u64) -> Self {
        Manifest {
            scenario: scenario.world.name.clone(),
            scenario_sha256: scenario.sha256.clone(),
            scenario_chain: chain(scenario),
            seed,
            trajectories,
            steps: scenario.world.steps,
            step_unit: scenario.world.step_unit.clone(),
            calendar: scenario.world.calendar,
            engine_version: crate::ENGINE_VERSION.to_string(),
        }
    }
}

/// One file of a variant's chain, as provenance records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainLink {
    pub path: String,
    pub sha256: String,
}

fn chain(scenario: &Scenario) -> Vec<ChainLink> {
    if scenario.bases.is_empty() {
        return Vec::new();
    }
    let top = ChainLink {
        path: scenario.path.display().to_string(),
        sha256: scenario.sha256.clone(),
    };
    let bases = scenario.bases.iter().map(|b| ChainLink {
        path: b.path.display().to_string(),
        sha256: b.sha256.clone(),
    });
    std::iter::once(top).chain(bases).collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct OutcomeSummary {
    pub name: String,
    pub kind: &'static str,
    pub count: u64,
    pub probability: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// For "ever" outcomes: the median first step at which it held, among trajectories where
    /// it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_first_step: Option<u32>,
    /// The event whose firing is all the outcome asks about (`After(e)` or
    /// `Not(After(e))`): its probability is the event's hazard or schedule read back, not
    /// an answer of the dynamics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reads_back: Option<String>,
}

/// Mean and quantiles of a metric at one step.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Band {
    pub mean: f64,
    pub p05: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

#[derive(Debug, Clone)]
pub struct MetricSeries {
    pub metric: String,
    /// The metric's range (the histogram's bounds).
    pub range: (f64, f64),
    /// One band per step, 0..=steps.
    pub bands: Vec<Band>,
    /// Distribution at the last step: trajectory counts in `FINAL_BINS` equal bins over
    /// `range`.
    pub final_histogram: Vec<u64>,
}

/// Bins of the final-value histograms in summaries and plots.
pub const FINAL_BINS: usize = 50;

/// The mean world at the end of the trajectories, for the network picture.
#[derive(Debug, Clone)]
pub struct MeanWorld {
    pub states: Vec<String>,
    pub weights: Vec<f64>,
    pub channels: Vec<String>,
    /// Mean final partnership `P[i*n + j]`.
    pub partnership: Vec<f64>,
    /// Mean final share `W[(k*n + i)*n + j]`.
    pub share: Vec<f64>,
}

/// An event scheduled at a fixed step (a marker on time axes).
#[derive(Debug, Clone)]
pub struct Scheduled {
    pub name: String,
    pub step: u32,
}

/// A parameter as the run used it: its path and its value or distribution, in words.
#[derive(Debug, Clone)]
pub struct ParameterLine {
    pub path: String,
    pub value: String,
}

#[derive(Debug, Clone)]
pub struct EventSummary {
    pub name: String,
    /// Share of trajectories in which the event fired at least once.
    pub fired: f64,
    /// Mean number of firings per trajectory.
    pub mean_firings: f64,
    /// Share of trajectories in which it had fired by each step, 0..=steps.
    pub fired_by: Vec<f64>,
}

/// One final two-bloc configuration and how often the trajectories ended in it.
#[derive(Debug, Clone, Serialize)]
pub struct BlocConfiguration {
    /// The bloc of the first state in the file.
    pub with_first: Vec<String>,
    /// The other bloc (empty when everyone ended together).
    pub other: Vec<String>,
    pub count: u64,
    pub probability: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// How many bloc configurations a summary lists, most frequent first.
pub const TOP_BLOCS: usize = 5;

/// The most frequent final bloc configurations (at most `TOP_BLOCS`, ties in configuration
/// order), from the sparse counts of `Aggregates::blocs`: for any number of states, and in
/// time proportional to the configurations seen, not to 2^(N-1).
pub fn frequent_blocs(world: &World, agg: &Aggregates) -> Vec<BlocConfiguration> {
    let mut seen: Vec<(&Sides, u64)> = agg.blocs.iter().map(|(s, &c)| (s, c)).collect();
    // Stable: equal counts stay in configuration order (the map's).
    seen.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
    seen.into_iter()
        .take(TOP_BLOCS)
        .map(|(sides, count)| {
            let (other, with_first): (Vec<usize>, Vec<usize>) =
                (0..world.n()).partition(|&i| sides.other(i));
            let names =
                |list: Vec<usize>| list.into_iter().map(|i| world.states[i].clone()).collect();
            let (ci_low, ci_high) = wilson(count, agg.trajectories);
            BlocConfiguration {
                with_first: names(with_first),
                other: names(other),
                count,
                probability: count as f64 / agg.trajectories.max(1) as f64,
                ci_low,
                ci_high,
            }
        })
        .collect()
}

/// A probability estimated from a count of trajectories, with its Wilson 95% interval (as
/// outcomes have).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Probability {
    pub count: u64,
    pub probability: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

impl Probability {
    pub fn of(count: u64, trajectories: u64) -> Probability {
        let (ci_low, ci_high) = wilson(count, trajectories);
        Probability {
            count,
            probability: count as f64 / trajectories.max(1) as f64,
            ci_low,
            ci_high,
        }
    }
}

/// Where one state ends, read three ways that exclude each other and add up to one: firmly
/// in the first state's bloc, firmly in the other, or between the two (a partnership above
/// the threshold with a member of each; `model::blocs::Standing`).
#[derive(Debug, Clone, Serialize)]
pub struct StateStanding {
    pub state: String,
    pub with_first: Probability,
    pub other: Probability,
    pub between: Probability,
}

/// The per-state standings at the last step and the threshold they were read with.
#[derive(Debug, Clone, Serialize)]
pub struct Standings {
    pub between_partnership: f64,
    pub states: Vec<StateStanding>,
}

impl Standings {
    pub fn new(world: &World, agg: &Aggregates) -> Standings {
        let states = world
            .states
            .iter()
            .zip(agg.standing.chunks(STANDINGS))
            .map(|(state, row)| {
                let share = |s: Standing| Probability::of(row[s as usize], agg.trajectories);
                StateStanding {
                    state: state.clone(),
                    with_first: share(Standing::First),
                    other: share(Standing::Other),
                    between: share(Standing::Between),
                }
            })
            .collect();
        Standings {
            between_partnership: world.between,
            states,
        }
    }
}

/// Everything one run reports.
#[derive(Debug, Clone)]
pub struct RunSummary {
    pub manifest: Manifest,
    pub description: String,
    pub outcomes: Vec<OutcomeSummary>,
    pub series: Vec<MetricSeries>,
    pub events: Vec<EventSummary>,
    pub world: MeanWorld,
    pub scheduled: Vec<Scheduled>,
    pub parameters: Vec<ParameterLine>,
    /// The ranges on numbers other than parameters (stances, shares, effect amounts, steps):
    /// path and distribution (README, "Ranges"); empty for a file without any.
    pub ranges: Vec<ParameterLine>,
    /// Trajectories in which a drawn row of initial shares passed 1 and was scaled back, of
    /// all trajectories; None when no share is drawn.
    pub rows_scaled_back: Option<(u64, u64)>,
    /// How far the world moves by itself when the file says `at_rest: false` (with no
    /// event, noise or background, at the median of every range), when that exceeds
    /// `engine::drift::NOTED`.
    pub drift: Option<crate::engine::drift::Drift>,
    /// Outcome descriptions, by outcome index.
    pub outcome_descriptions: Vec<String>,
    /// The most frequent final bloc configurations.
    pub blocs: Vec<BlocConfiguration>,
    /// Each state's probability of ending in each bloc or between them.
    pub standings: Standings,
    /// Each level outcome's exceedance curve (`analysis::exceedance`).
    pub exceedance: Vec<super::exceedance::Curve>,
}

impl RunSummary {
    pub fn new(manifest: Manifest, world: &World, agg: &Aggregates) -> Self {
        let n = agg.trajectories;
        let outcomes = world
            .outcomes
            .iter()
            .enumerate()
            .map(|(o, outcome)| {
                let count = agg.outcome_count[o];
                let (ci_low, ci_high) = wilson(count, n);
                OutcomeSummary {
                    name: outcome.name.clone(),
                    kind: outcome.kind.as_str(),
                    count,
                    probability: count as f64 / n.max(1) as f64,
                    ci_low,
                    ci_high,
                    median_first_step: agg.median_first_step(o, outcome.kind),
                    reads_back: world.reads_back(o).map(str::to_string),
                }
            })
            .collect();
        let series = world
            .metrics
            .iter()
            .enumerate()
            .map(|(m, metric)| {
                let range = metric.range();
                let bands = (0..agg.points)
                    .map(|t| {
                        let q = |p| tidy(agg.quantile(m, t, p, range));
                        Band {
                            mean: tidy(agg.mean(m, t)),
                            p05: q(QUANTILES[0]),
                            p25: q(QUANTILES[1]),
                            p50: q(QUANTILES[2]),
                            p75: q(QUANTILES[3]),
                            p95: q(QUANTILES[4]),
                        }
                    })
                    .collect();
                let last = agg.histogram_of(m, agg.points - 1);
                let per = last.len() / FINAL_BINS;
                let final_histogram = last
                    .chunks(per)
                    .map(|c| c.iter().sum())
                    .take(FINAL_BINS)
                    .collect();
                MetricSeries {
                    metric: world.metric_label(metric),
                    range,
                    bands,
                    final_histogram,
                }
            })
            .collect();
        let events = world
            .events
            .iter()
            .enumerate()
            .map(|(e, event)| {
                let fired_by = agg.fired_by(e);
                EventSummary {
                    name: event.name.clone(),
                    fired: fired_by.last().copied().unwrap_or(0.0),
                    mean_firings: agg.firings[e] as f64 / n.max(1) as f64,
                    fired_by,
                }
            })
            .collect();
        let n_states = world.n();
        let partnership = (0..n_states * n_states)
            .map(|ij| {
                let (i, j) = (ij / n_states, ij % n_states);
                let ji = j * n_states + i;
                tidy(0.5 * (agg.mean_of(agg.final_stance[ij]) + agg.mean_of(agg.final_stance[ji])))
            })
            .collect();
        let mean_world = MeanWorld {
            states: world.states.clone(),
            weights: world.weight.clone(),
            channels: world.channels.clone(),
            partnership,
            share: agg
                .final_share
                .iter()
                .map(|&s| tidy(agg.mean_of(s)))
                .collect(),
        };
        let scheduled = world
            .events
            .iter()
            .filter_map(|e| match e.timing {
                Timing::At(step) => Some(Scheduled {
                    name: e.name.clone(),
                    step,
                }),
                _ => None,
            })
            .collect();
        let parameters = world
            .params
            .iter()
            .map(|p| ParameterLine {
                path: p.path.clone(),
                value: p.sampler.to_string(),
            })
            .collect();
        let ranges = world
            .params
            .iter()
            .filter(|p| !p.sampler.is_fixed())
            .filter(|p| p.targets.iter().any(|t| !matches!(t, Target::Param(_))))
            .map(|p| ParameterLine {
                path: p.path.clone(),
                value: p.sampler.to_string(),
            })
            .collect();
        let rows_scaled_back =
            crate::engine::rows_scaled_back(world, manifest.seed, n).map(|count| (count, n));
        RunSummary {
            ranges,
            rows_scaled_back,
            drift: crate::engine::drift::drift(world),
            manifest,
            description: world.description.clone(),
            outcomes,
            series,
            events,
            world: mean_world,
            scheduled,
            parameters,
            outcome_descriptions: world
                .outcomes
                .iter()
                .map(|o| o.description.clone())
                .collect(),
            blocs: frequent_blocs(world, agg),
            standings: Standings::new(world, agg),
            exceedance: super::exceedance::curves(world, agg),
        }
    }

    /// The band of each metric at the last step.
    pub fn finals(&self) -> impl Iterator<Item = (&str, &Band)> {
        self.series
            .iter()
            .filter_map(|s| s.bands.last().map(|b| (s.metric.as_str(), b)))
    }
}

/// Rounds to 1e-9: histogram quantiles are exact to 1e-3 and fixed-point means to 1e-12, so
/// digits past the ninth are noise that only makes files harder to read. A value that rounds
/// to 0 is 0, never -0 (adding 0 does it): a share a hair below 0 by rounding was printed
/// `-0.000` and written `-0.0`.
pub(crate) fn tidy(x: f64) -> f64 {
    (x * 1e9).round() / 1e9 + 0.0
}

#[cfg(test)]
mod tests {
    use super::tidy;

    /// Defect (docs pass after atoms): `simulate score` printed a 5% quantile of `-0.000` and
    /// wrote `-0.0` in score.json for a share whose smallest values lay a hair below 0.
    #[test]
    fn a_value_that_rounds_to_zero_is_never_negative_zero() {
        for x in [-1e-12, -0.0, -4e-10, 0.0, 1e-12] {
            assert_eq!(tidy(x).to_bits(), 0f64.to_bits(), "{x}");
        }
        assert_eq!(tidy(-0.123_456_789_4), -0.123_456_789);
    }
}
