//! Why a run gives its answers (`simulate explain`): the forces on each tracked stance and
//! partnership over time, each event's paired contribution to every outcome and metric, and
//! each outcome's probability given that an event fired by a step or not.
//!
//! Scenario discovery (PRIM over the drawn inputs) is not computed here: its boxes belong
//! in `analysis::discovery`, and the report gives them their own part of the Why section.

use super::discovered::OutcomeBox;
use super::{Comparison, RunSummary};
use crate::engine::firings::Firings;
use crate::engine::forces::Forces;
use crate::model::World;

/// The mean forces on one tracked stance or partnership.
#[derive(Debug, Clone)]
pub struct ForceSeries {
    /// The metric's label.
    pub metric: String,
    /// The terms' names (`engine::forces::ForceLayout::terms`), the argument last.
    pub terms: Vec<String>,
    /// `means[term][t − 1]` for steps t = 1..=T.
    pub means: Vec<Vec<f64>>,
}

impl ForceSeries {
    /// The terms that add up to the argument, with their means (every term but the last).
    pub fn parts(&self) -> impl Iterator<Item = (&String, &Vec<f64>)> {
        let n = self.terms.len().saturating_sub(1);
        self.terms.iter().zip(&self.means).take(n)
    }

    /// The mean argument of the target at each step.
    pub fn argument(&self) -> &[f64] {
        self.means.last().map_or(&[], Vec::as_slice)
    }
}

/// What removing one event does to one outcome's probability or one metric's final mean,
/// paired on common random numbers (`simulate compare` of the scenario and the variant
/// without it).
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub event: String,
    /// "outcome" or "metric".
    pub kind: &'static str,
    /// The outcome's name or the metric's label.
    pub name: String,
    /// With the event (the scenario) and without it.
    pub with: f64,
    pub without: f64,
    /// `without − with`, and its paired 95% interval.
    pub effect: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// An outcome's probability among trajectories in which an event had fired by a step, and
/// among the others (None where there are none).
#[derive(Debug, Clone, PartialEq)]
pub struct Conditional {
    pub event: String,
    pub outcome: String,
    pub step: usize,
    pub fired: u64,
    pub held_if_fired: Option<f64>,
    pub not_fired: u64,
    pub held_if_not: Option<f64>,
}

/// An event that could not be removed (an outcome or another event names it), and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    pub event: String,
    pub why: String,
}

#[derive(Debug, Clone)]
pub struct Explanation {
    /// The scenario's own run.
    pub summary: RunSummary,
    /// The one outcome asked about (`--outcome`), or None for all.
    pub outcome: Option<String>,
    pub forces: Vec<ForceSeries>,
    /// Outcomes in file order, then metrics, each by the size of the effect, largest first.
    pub contributions: Vec<Contribution>,
    /// Events an outcome or another event names: kept in the file and never fired instead
    /// of removed (`scenario::TakenOut::NeverFires`), in file order.
    pub never_fired: Vec<String>,
    /// Events that could not be taken out at all.
    pub kept: Vec<Kept>,
    pub conditional: Vec<Conditional>,
    /// Scenario discovery's box for each outcome asked about (`analysis::discovered`),
    /// over the first trajectories of the run; empty until the command sets it.
    pub discovery: Vec<OutcomeBox>,
}

impl Explanation {
    /// `comparisons[b]` pairs the scenario with the variants without `removed[b]`'s events.
    pub fn new(
        summary: RunSummary,
        world: &World,
        outcome: Option<String>,
        (forces, firings): (&Forces, &Firings),
        (comparisons, removed): (&[Comparison], &[Vec<String>]),
        (never_fired, kept): (Vec<String>, Vec<Kept>),
    ) -> Self {
        let asked = |name: &str| outcome.as_deref().is_none_or(|o| o == name);
        let mut contributions = outcome_contributions(comparisons, removed, &asked);
        contributions.extend(metric_contributions(comparisons, removed));
        Explanation {
            forces: force_series(world, forces),
            conditional: conditionals(world, firings, &asked),
            summary,
            outcome,
            contributions,
            never_fired,
            kept,
            discovery: Vec::new(),
        }
    }

    /// The contributions to one outcome or metric, largest first.
    pub fn contributions_to<'a>(
        &'a self,
        kind: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Contribution> + 'a {
        self.contributions
            .iter()
            .filter(move |c| c.kind == kind && c.name == name)
    }
}

fn force_series(world: &World, forces: &Forces) -> Vec<ForceSeries> {
    let layout = &forces.layout;
    layout
        .metrics
        .iter()
        .enumerate()
        .map(|(m, (metric, _))| ForceSeries {
            metric: world.metric_label(&world.metrics[*metric]),
            terms: layout.terms.clone(),
            means: (0..layout.terms.len())
                .map(|term| {
                    (1..=forces.steps)
                        .map(|t| forces.mean(m, term, t))
                        .collect()
                })
                .collect(),
        })
        .collect()
}

/// By size, largest first; ties (and equal sizes) keep the events' file order.
fn by_size(rows: &mut [Contribution]) {
    rows.sort_by(|a, b| b.effect.abs().total_cmp(&a.effect.abs()));
}

fn outcome_contributions(
    comparisons: &[Comparison],
    removed: &[Vec<String>],
    asked: &dyn Fn(&str) -> bool,
) -> Vec<Contribution> {
    let Some(first) = comparisons.first() else {
        return Vec::new();
    };
    let mut all = Vec::new();
    for name in first.outcomes.iter().map(|o| &o.name).filter(|n| asked(n)) {
        let mut rows = Vec::new();
        for (c, events) in comparisons.iter().zip(removed) {
            let Some(o) = c.outcomes.iter().find(|o| &o.name == name) else {
                continue;
            };
            for (i, (event, d)) in events.iter().zip(&o.differences).enumerate() {
                rows.push(Contribution {
                    event: event.clone(),
                    kind: "outcome",
                    name: name.clone(),
                    with: o.probabilities[0],
                    without: o.probabilities[i + 1],
                    effect: d.diff,
                    ci_low: d.ci_low,
                    ci_high: d.ci_high,
                });
            }
        }
        by_size(&mut rows);
        all.extend(rows);
    }
    all
}

fn metric_contributions(comparisons: &[Comparison], removed: &[Vec<String>]) -> Vec<Contribution> {
    let Some(first) = comparisons.first() else {
        return Vec::new();
    };
    let mut names: Vec<&String> = Vec::new();
    for m in &first.metrics {
        if !names.contains(&&m.name) {
            names.push(&m.name);
        }
    }
    let mut all = Vec::new();
    for name in names {
        let mut rows = Vec::new();
        for (c, events) in comparisons.iter().zip(removed) {
            for m in c.metrics.iter().filter(|m| &m.name == name) {
                let side = c
                    .scenarios
                    .iter()
                    .position(|s| s.manifest.scenario == m.scenario);
                let Some(event) = side.and_then(|i| events.get(i.wrapping_sub(1))) else {
                    continue;
                };
                rows.push(Contribution {
                    event: event.clone(),
                    kind: "metric",
                    name: name.clone(),
                    with: m.reference_mean,
                    without: m.mean,
                    effect: m.diff,
                    ci_low: m.ci_low,
                    ci_high: m.ci_high,
                });
            }
        }
        by_size(&mut rows);
        all.extend(rows);
    }
    all
}

fn conditionals(
    world: &World,
    firings: &Firings,
    asked: &dyn Fn(&str) -> bool,
) -> Vec<Conditional> {
    let share = |held: u64, of: u64| (of > 0).then(|| held as f64 / of as f64);
    let mut rows = Vec::new();
    for (o, outcome) in world.outcomes.iter().enumerate() {
        if !asked(&outcome.name) {
            continue;
        }
        for (e, event) in world.events.iter().enumerate() {
            for t in 1..=firings.steps {
                let ((fired, held_fired), (not, held_not)) = firings.by_step(o, e, t);
                rows.push(Conditional {
                    event: event.name.clone(),
                    outcome: outcome.name.clone(),
                    step: t,
                    fired,
                    held_if_fired: share(held_fired, fired),
                    not_fired: not,
                    held_if_not: share(held_not, not),
                });
            }
        }
    }
    rows
}
