//! Parameter sweeps: one scenario over a grid of parameter values, every grid point on the
//! same trajectory seeds (common random numbers), so the differences between points are the
//! effect of the parameters and the curves are smooth.
//!
//! A swept parameter is addressed by a parameter path (`scenario::ParamPath`), with the
//! same meaning as in a `Param` effect: `eta` is every state's eta, overrides included;
//! `eta.Pakistan` or `beta.aid.Pakistan` one state's, split off its scenario-wide slot if
//! the file gives it none of its own. At each grid point the addressed parameters are
//! drawn as `Sampler::Fixed(value)`.

use serde::Serialize;

use super::compare::point;
use super::interval::{paired_difference, wilson};
pub use super::sweep_range::ValidRange;
use super::Manifest;
use crate::engine::effects::Effects;
use crate::engine::{Aggregates, PairCounts};
use crate::model::{Change, ParamSlot, Sampler, Target, World};
use crate::scenario::number_path::{self, NumberPath};

/// The path `text` names in `world` and its valid range, or a message naming the valid
/// paths (with a "did you mean" where one is close). Besides parameters, a sweep may set any
/// number of the file (`scenario::number_path`: `stance.A.B`, `weight.A`, `event.x.at`...).
pub fn check_path(world: &World, text: &str) -> Result<(NumberPath, ValidRange), String> {
    let path = NumberPath::parse(text, world).ok_or_else(|| unknown_path(text, world))?;
    // Every target of a path is the same kind of number, so they share one range.
    match path.targets(world).first() {
        Some(target) => Ok((path, valid_range(world, target))),
        None => Err(format!(
            "the parameter path \"{text}\" addresses no parameter: the scenario has no channels"
        )),
    }
}

/// The values a swept number may take: its kind's range, narrowed where the file's own
/// check is narrower (a shift's amount is a part of the need, in [0, 1]: a sweep ran a
/// `Gain` of 1.5 that the file would refuse).
fn valid_range(world: &World, target: &Target) -> ValidRange {
    if let Target::Amount(x) = target {
        let effect = world.events.iter().flat_map(|e| &e.effects).nth(*x);
        if let Some(effect) = effect {
            if matches!(effect.change(), Change::Gain(..) | Change::Lose(..)) {
                return ValidRange::numbers(0.0, 1.0);
            }
        }
    }
    let (low, high) = target.range(world.steps);
    match target {
        Target::At(_)
        | Target::Every(_)
        | Target::WindowFirst(_)
        | Target::WindowLast(_)
        | Target::Delay(_)
        | Target::Over(_) => ValidRange::steps(low, high),
        _ => ValidRange::numbers(low, high),
    }
}

/// Why `text` names no number: the grammar's message, and for an effect of an event the
/// file has, that an effect's amount is a number with a path only when it is written as a
/// range (a new user swept `event.karabakh_war.effect.2` of an `Add(-0.3)`).
fn unknown_path(text: &str, world: &World) -> String {
    let message = number_path::unknown(text, world);
    let event = text
        .strip_prefix("event.")
        .and_then(|rest| rest.split_once(".effect."))
        .map(|(event, _)| event);
    match event {
        Some(e) if world.events.iter().any(|ev| ev.name == e) => format!(
            "{message}\nan effect's amount has a path (`event.<name>.effect.<N>`, counted from \
             1) only when the file writes it as a range: write it e.g. as Add(Uniform(-0.5, \
             -0.1)) to sweep it; stances, affinities, shares and weights are paths too \
             (`stance.A.B`, `affinity.A.B`, `share.<channel>.A.B`, `weight.A`)"
        ),
        _ => message,
    }
}

/// Sets every number `path` addresses to `value` in every trajectory. A slot wholly
/// addressed becomes fixed where it is; the addressed part of any other slot, and any
/// addressed number no slot draws, goes into one new fixed slot named by the path (the
/// other slots' draws are untouched).
pub fn fix(world: &mut World, path: impl Into<NumberPath>, value: f64) {
    let path = path.into();
    let addressed = path.targets(world);
    let text = path.text(world);
    let (mut fixed, mut split) = (Vec::new(), Vec::new());
    for slot in &mut world.params {
        if !slot.targets.is_empty() && slot.targets.iter().all(|t| addressed.contains(t)) {
            slot.sampler = Sampler::Fixed(value);
            fixed.extend(slot.targets.iter().copied());
        } else {
            slot.targets.retain(|t| {
                let keep = !addressed.contains(t);
                if !keep {
                    split.push(*t);
                }
                keep
            });
        }
    }
    // A number the file writes as a number has no slot: it gets one. (A parameter always
    // has one in a compiled world; one a world built by hand leaves out stays as it is.)
    let unslotted = addressed
        .into_iter()
        .filter(|t| !matches!(t, Target::Param(_)) && !fixed.contains(t) && !split.contains(t));
    split.extend(unslotted.collect::<Vec<_>>());
    if !split.is_empty() {
        world.params.push(ParamSlot {
            path: text,
            sampler: Sampler::Fixed(value),
            targets: split,
        });
    }
}

/// One outcome at one grid point.
#[derive(Debug, Clone, Serialize)]
pub struct PointOutcome {
    pub name: String,
    pub count: u64,
    pub probability: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// What one outcome's probability or one metric's mean at the last step is at a grid point,
/// and its effect: the difference from the first grid point, paired on the same trajectory
/// seeds, with its 95% interval (Monte Carlo error of the difference; 0 at the first point).
#[derive(Debug, Clone, Serialize)]
pub struct PointEffect {
    /// `outcome` or `metric`.
    pub kind: &'static str,
    pub name: String,
    pub mean: f64,
    pub effect: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// One grid point: the parameter values (in the order of `Sweep::parameters`), every
/// outcome there, and every outcome's and metric's effect against the first point.
#[derive(Debug, Clone, Serialize)]
pub struct SweepPoint {
    pub values: Vec<f64>,
    pub outcomes: Vec<PointOutcome>,
    /// Outcomes, then tracked metrics, in the scenario's order.
    pub effects: Vec<PointEffect>,
}

/// A finished sweep.
#[derive(Debug, Clone, Serialize)]
pub struct Sweep {
    /// `trajectories` counts per grid point (the same seeds at every point).
    #[serde(flatten)]
    pub manifest: Manifest,
    /// Swept parameter paths.
    pub parameters: Vec<String>,
    /// The grid values of each parameter.
    pub axes: Vec<Vec<f64>>,
    /// Row-major over `axes`: the last parameter varies fastest.
    pub points: Vec<SweepPoint>,
    pub outcomes: Vec<String>,
}

/// Every combination of the axes' values, the last axis fastest.
pub fn grid(axes: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let mut points = vec![Vec::new()];
    for axis in axes {
        points = points
            .into_iter()
            .flat_map(|p| {
                axis.iter().map(move |&v| {
                    let mut q = p.clone();
                    q.push(v);
                    q
                })
            })
            .collect();
    }
    points
}

impl SweepPoint {
    pub fn new(world: &World, values: Vec<f64>, agg: &Aggregates) -> Self {
        let n = agg.trajectories;
        let outcomes: Vec<PointOutcome> = world
            .outcomes
            .iter()
            .zip(&agg.outcome_count)
            .map(|(o, &count)| {
                let (ci_low, ci_high) = wilson(count, n);
                PointOutcome {
                    name: o.name.clone(),
                    count,
                    probability: count as f64 / n.max(1) as f64,
                    ci_low,
                    ci_high,
                }
            })
            .collect();
        let effects = outcomes
            .iter()
            .map(|o: &PointOutcome| PointEffect {
                kind: "outcome",
                name: o.name.clone(),
                mean: o.probability,
                effect: 0.0,
                ci_low: 0.0,
                ci_high: 0.0,
            })
            .chain(
                world
                    .metrics
                    .iter()
                    .enumerate()
                    .map(|(m, metric)| PointEffect {
                        kind: "metric",
                        name: world.metric_label(metric),
                        mean: agg.mean(m, agg.points - 1),
                        effect: 0.0,
                        ci_low: 0.0,
                        ci_high: 0.0,
                    }),
            )
            .collect();
        SweepPoint {
            values,
            outcomes,
            effects,
        }
    }

    /// The same point with its effects against the first point: `pairs` and `effects` of a
    /// joint run that paired every outcome and metric of the first point's world (the
    /// reference) with this point's, in order, on the same seeds.
    pub fn against_first(mut self, pairs: &[PairCounts], effects: &Effects, n: u64) -> Self {
        let outcomes = self.effects.iter_mut().filter(|e| e.kind == "outcome");
        for (e, counts) in outcomes.zip(pairs) {
            let (diff, low, high) = paired_difference(counts.only_a, counts.only_b, n);
            (e.effect, e.ci_low, e.ci_high) = (diff, low, high);
        }
        let metrics = self.effects.iter_mut().filter(|e| e.kind == "metric");
        for (m, e) in metrics.enumerate() {
            let x = effects.moments(m, effects.points - 1);
            let p = point(
                x.diff,
                x.diff_variance,
                x.reference_variance + x.scenario_variance,
                x.trajectories,
            );
            (e.effect, e.ci_low, e.ci_high) = (p.diff, p.ci_low, p.ci_high);
        }
        self
    }
}

impl Sweep {
    /// The index of the point with grid indices `at` (one per axis).
    pub fn index(&self, at: &[usize]) -> usize {
        at.iter()
            .zip(&self.axes)
            .fold(0, |acc, (&i, axis)| acc * axis.len() + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_is_row_major_with_the_last_axis_fastest() {
        let g = grid(&[vec![1.0, 2.0], vec![10.0, 20.0, 30.0]]);
        assert_eq!(g.len(), 6);
        assert_eq!(g[0], [1.0, 10.0]);
        assert_eq!(g[1], [1.0, 20.0]);
        assert_eq!(g[3], [2.0, 10.0]);
        let s = Sweep {
            manifest: Manifest::default(),
            parameters: vec![],
            axes: vec![vec![1.0, 2.0], vec![10.0, 20.0, 30.0]],
            points: vec![],
            outcomes: vec![],
        };
        assert_eq!(s.index(&[1, 2]), 5);
        assert_eq!(grid(&[]), vec![Vec::<f64>::new()]);
    }
}
