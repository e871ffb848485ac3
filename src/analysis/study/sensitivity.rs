//! The Saltelli driver behind `simulate sensitivity`: the factors of a design (every number
//! the file draws from a range; against another file, every number either draws), the
//! design's rows run one after another on the same trajectory seeds, and each output's
//! values over the rows turned into Sobol indices (`analysis::sensitivity`), each row's
//! trajectories also kept as B batch means so that the intervals hold their noise. The
//! command only loads, plans, checks the memory, exports and prints.

use std::path::Path;

use rayon::prelude::*;

use super::batch_sums::BatchSums;
use crate::analysis::compare::{redefined_outcomes, shared_outcomes};
use crate::analysis::factor_groups::{self, FactorGroup, Grouping};
use crate::analysis::sensitivity::{
    effect_floor, histogram_variance, metric_floor, paired_variance, sobol_with_batches, Batching,
    Design, FactorIndices, OutcomeSensitivity, Sensitivity, BOOTSTRAP,
};
use crate::analysis::Manifest;
use crate::engine::estimate::{self, Estimate};
use crate::engine::records::Records;
use crate::engine::{self, Aggregates, Control, Pairing, Plan, Stopped};
use crate::error::Error;
use crate::model::factor_groups::NamedGroup;
use crate::model::{Sampler, Target, World};
use crate::scenario::param_path::{Names, ParamPath};
use crate::scenario::spelling::quoted_name;
use crate::scenario::{path_shown, Scenario};

/// One factor of the design: a sampled parameter path, and its slot in each world that has
/// it (A only with `--against`; the analysed scenario is B).
#[derive(Debug, Clone)]
struct Factor {
    path: String,
    sampler: Sampler,
    a: Option<usize>,
    b: Option<usize>,
}

/// One analysed output's values over the design rows, with the Monte Carlo noise of one
/// row's value (its within-row variance over T), summed over the rows.
struct Output {
    name: String,
    values: Vec<f64>,
    /// Each row's means over the batches of its trajectories, row after row (empty when
    /// there is one batch: nothing to resample).
    batch_means: Vec<f64>,
    noise: f64,
    /// A metric's range; None for an outcome.
    range: Option<(f64, f64)>,
}

impl Output {
    fn new(name: String, rows: usize, batches: &Batching, range: Option<(f64, f64)>) -> Self {
        let kept = match batches.resamples_trajectories() {
            true => rows * batches.count(),
            false => 0,
        };
        Output {
            name,
            values: Vec::with_capacity(rows),
            batch_means: Vec::with_capacity(kept),
            noise: 0.0,
            range,
        }
    }
}

/// A sensitivity analysis of a scenario (B), alone or against a reference A: its factors
/// and the worlds its design's rows start from.
pub struct SensitivityStudy<'s> {
    scenario: &'s Scenario,
    reference: Option<&'s Scenario>,
    factors: Vec<Factor>,
    /// How the factors are grouped, and the units the design varies together.
    grouping: Grouping,
    units: Vec<FactorGroup>,
    /// A's world with only the metrics both track, with `--against`.
    base_a: Option<World>,
    /// B's world (with `--against`, only the metrics both track).
    base_b: World,
    /// The outcomes both define alike, as (index in A, index in B).
    outcome_pairs: Vec<(usize, usize)>,
}

/// Each outcome's and each metric's values over the design's rows, and how each row's
/// trajectories were batched.
pub struct Outputs {
    outcomes: Vec<Output>,
    metrics: Vec<Output>,
    batching: Batching,
}

impl<'s> SensitivityStudy<'s> {
    /// The study of the file at `path`, against the file at `against` if given, its
    /// factors grouped as `grouping` says (by default the file's `groups` if it names any,
    /// else each factor alone); refused when there is nothing to vary or nothing to analyse
    /// (`path`s name the files).
    pub fn new(
        path: &Path,
        scenario: &'s Scenario,
        against: Option<(&Path, &'s Scenario)>,
        grouping: Option<Grouping>,
    ) -> Result<Self, Error> {
        let world = &scenario.world;
        // The effect is read at each file's last step: at two horizons it would mix the
        // change with the time that passed.
        if let Some((a_path, a)) = against {
            let (wa, wb) = (&a.world, world);
            if (wa.steps, &wa.step_unit) != (wb.steps, &wb.step_unit) {
                return Err(Error::Refused(format!(
                    "{} runs {} steps of a {} and {} runs {} steps of a {}: --against reads \
                     the effect at the last step of both, so they must cover the same time; \
                     give both files the same `steps` and `step`",
                    path_shown(path),
                    wb.steps,
                    wb.step_unit,
                    path_shown(a_path),
                    wa.steps,
                    wa.step_unit
                )));
            }
        }
        let factors = match against {
            Some((a_path, a)) => paired_factors(a_path, &a.world, path, world)?,
            None => (0..world.params.len())
                .filter(|&p| !world.params[p].sampler.is_fixed())
                .map(|p| Factor {
                    path: world.params[p].path.clone(),
                    sampler: world.params[p].sampler.clone(),
                    a: None,
                    b: Some(p),
                })
                .collect(),
        };
        if factors.is_empty() {
            return Err(Error::Refused(format!(
                "{}: no parameter is given as a distribution, so there is nothing to attribute \
                 variation to; write one as e.g. `sigma: Uniform(0.02, 0.06)`",
                path_shown(path)
            )));
        }
        // Outcomes need no tracked metrics beyond the analysed ones: each costs a histogram
        // per step. Against A, only the metrics both files track, in A's order, at the same
        // index on both sides.
        let (base_a, base_b, outcome_pairs) = match against {
            Some((a_path, a)) => shared_parts(a_path, &a.world, path, world)?,
            None => {
                if world.outcomes.is_empty() && world.metrics.is_empty() {
                    return Err(Error::Refused(format!(
                        "{}: the scenario defines no outcomes and tracks no metrics, so there \
                         is nothing to analyse",
                        path_shown(path)
                    )));
                }
                (None, world.clone(), Vec::new())
            }
        };
        let named: Vec<NamedGroup> = scenario
            .file
            .groups
            .iter()
            .map(|(name, patterns)| NamedGroup {
                name: name.clone(),
                patterns: patterns.clone(),
            })
            .collect();
        let grouping = match grouping {
            Some(Grouping::File) if named.is_empty() => {
                return Err(Error::Refused(format!(
                    "--groups file: {} names no groups; name them in the file, e.g. \
                     `groups: {{ {} }}`, or group by kind with --groups kind",
                    path_shown(path),
                    example_group(&factors, world)
                )));
            }
            Some(g) => g,
            None if named.is_empty() => Grouping::Each,
            None => Grouping::File,
        };
        let paths: Vec<String> = factors.iter().map(|f| f.path.clone()).collect();
        let targets: Vec<&[Target]> = factors
            .iter()
            .map(|f| {
                let (world, slot) = match (f.b, f.a, against) {
                    (Some(b), _, _) => (world, b),
                    (None, Some(a), Some((_, s))) => (&s.world, a),
                    _ => return &[][..],
                };
                &world.params[slot].targets[..]
            })
            .collect();
        let units = factor_groups::units(&paths, &targets, grouping, &named);
        Ok(SensitivityStudy {
            scenario,
            reference: against.map(|(_, a)| a),
            factors,
            grouping,
            units,
            base_a,
            base_b,
            outcome_pairs,
        })
    }

    /// How many factors the design varies.
    pub fn factor_count(&self) -> usize {
        self.factors.len()
    }

    /// What the design attributes variance to, counted: "10 factors", "4 groups of 10
    /// factors".
    pub fn units_named(&self) -> String {
        match self.grouping {
            Grouping::Each => format!("{} factors", self.factors.len()),
            _ => format!(
                "{} groups of {} factors",
                self.units.len(),
                self.factors.len()
            ),
        }
    }

    /// The design of `samples` base samples: a column per factor, the columns of each unit
    /// swapped together.
    pub fn design(&self, samples: u64, seed: u64) -> Design {
        let units = self.units.iter().map(|u| u.members.clone()).collect();
        Design::grouped(samples as usize, self.factors.len(), units, seed)
    }

    /// The seed a study runs on unless `--seed` says otherwise: against A, the reference's,
    /// as `simulate compare` takes it from its first file.
    pub fn file_seed(&self) -> u64 {
        self.reference.unwrap_or(self.scenario).world.seed
    }

    /// What the progress bar shows: the scenario, or "B vs A".
    pub fn label(&self) -> String {
        let name = &self.scenario.world.name;
        match self.reference {
            Some(a) => format!("{name} vs {}", a.world.name),
            None => name.clone(),
        }
    }

    /// The memory and time of a design of `samples` base samples on `plan` (a row per unit,
    /// as wide as the factors): the design's rows are all held at once (a thousand factors at 2,000 samples is 16 GB).
    pub fn estimate(&self, samples: u64, plan: &Plan, threads: usize) -> Estimate {
        let of = |world: &World| {
            estimate::sensitivity_estimate(
                world,
                samples,
                self.factors.len(),
                self.units.len(),
                BOOTSTRAP,
                plan.len(),
                threads,
            )
        };
        let mut need = of(&self.base_b);
        if let Some(a) = &self.base_a {
            // Both sides run side by side at every point.
            need = need + of(a);
        }
        need + self.batches_estimate(samples, plan, threads)
    }

    /// What the trajectories' batches add: each row's B means of every output, held to the
    /// end (N (units + 2) × B × outputs numbers: 1,024 samples × 8 rows a sample × 20
    /// batches × 13 outputs is 17 MB), and the bootstrap's work of B products a row, output
    /// and replicate, at about a nanosecond each.
    fn batches_estimate(&self, samples: u64, plan: &Plan, threads: usize) -> Estimate {
        let batching = Batching::new(plan.len());
        if !batching.resamples_trajectories() {
            return Estimate {
                memory_bytes: 0,
                address_space_bytes: 0,
                seconds: 0.0,
            };
        }
        let outputs = match &self.base_a {
            Some(_) => self.outcome_pairs.len() + self.base_b.metrics.len(),
            None => self.base_b.outcomes.len() + self.base_b.metrics.len(),
        };
        let rows = samples.saturating_mul(self.units.len() as u64 + 2);
        let means = rows
            .saturating_mul(batching.count() as u64)
            .saturating_mul(outputs as u64);
        let bytes = means.saturating_mul(8);
        Estimate {
            memory_bytes: bytes,
            address_space_bytes: bytes,
            seconds: means as f64 * BOOTSTRAP as f64 * 1e-9 / threads.max(1) as f64,
        }
    }

    /// Runs every row of `design` on `plan`, once every row is known to hold still.
    pub fn run(&self, design: &Design, plan: &Plan, control: &Control) -> Result<Outputs, Stopped> {
        let factors = &self.factors;
        let (base_a, base_b) = (&self.base_a, &self.base_b);
        let rows = design.rows();
        let point = |r: usize, row: &[f64]| {
            let values: Vec<String> = factors
                .iter()
                .zip(row)
                .map(|(f, &u)| format!("{} = {:.3}", f.path, f.sampler.quantile(u)))
                .collect();
            // A design of a hundred factors named them all: the first dozen, then a count.
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            format!(
                "design point {r} ({})",
                crate::scenario::spelling::name_list(&values)
            )
        };
        let at = |base: &World, side: fn(&Factor) -> Option<usize>, row: &[f64]| {
            let mut w = base.clone();
            for (f, &u) in factors.iter().zip(row) {
                if let Some(p) = side(f) {
                    w.params[p].sampler = Sampler::Fixed(f.sampler.quantile(u));
                }
            }
            w
        };
        // Every point's rest is solved before any point runs, as a sweep's grid points are:
        // checked as each point ran, a point that cannot be held still was refused only after
        // every point before it had run. A first, as the paired run checks it.
        type Side = fn(&Factor) -> Option<usize>;
        let sides: [(Option<&World>, Side); 2] =
            [(base_a.as_ref(), |f| f.a), (Some(base_b), |f| f.b)];
        for (r, row) in rows.iter().enumerate() {
            for (base, side) in sides {
                if let Some(base) = base.filter(|w| w.rest.is_some()) {
                    engine::check_rest(&at(base, side, row), plan, control)
                        .map_err(|s| s.at_point(|| point(r, row)))?;
                }
            }
        }
        let batching = Batching::new(plan.len());
        // Records only to batch: a point of one trajectory has none to keep.
        let batched = batching.resamples_trajectories();
        let sums_of =
            |world: &World| BatchSums::new(&batching, world.outcomes.len(), world.metrics.len());
        match base_a {
            None => {
                let mut outcomes: Vec<Output> = self
                    .scenario
                    .world
                    .outcomes
                    .iter()
                    .map(|o| Output::new(o.name.clone(), rows.len(), &batching, None))
                    .collect();
                let mut metrics = metric_outputs(base_b, rows.len(), &batching);
                for (r, row) in rows.iter().enumerate() {
                    let w = at(base_b, |f| f.b, row);
                    let sums = sums_of(&w);
                    let records = batched.then_some(&sums as &dyn Records);
                    let agg = engine::run_recorded(&w, plan, control, records)
                        .map_err(|s| s.at_point(|| point(r, row)))?;
                    let t = agg.trajectories.max(1) as f64;
                    for (i, (o, &count)) in outcomes.iter_mut().zip(&agg.outcome_count).enumerate()
                    {
                        let p = count as f64 / t;
                        o.values.push(p);
                        o.noise += p * (1.0 - p) / t;
                        if batched {
                            o.batch_means.extend(sums.outcome_means(i));
                        }
                    }
                    for (m, metric) in metrics.iter_mut().enumerate() {
                        let (mean, within) = final_mean(&agg, m, metric.range.unwrap());
                        metric.values.push(mean);
                        metric.noise += within / t;
                        if batched {
                            metric.batch_means.extend(sums.metric_means(m));
                        }
                    }
                }
                Ok(Outputs {
                    outcomes,
                    metrics,
                    batching,
                })
            }
            Some(base_a) => {
                let mut outcomes: Vec<Output> = self
                    .outcome_pairs
                    .iter()
                    .map(|&(i, _)| {
                        let name = base_a.outcomes[i].name.clone();
                        Output::new(name, rows.len(), &batching, None)
                    })
                    .collect();
                let mut metrics = metric_outputs(base_a, rows.len(), &batching);
                // The paired run of `engine::run_paired`, with each side's rows summed by
                // batch: a batch's effect is the difference of its two sides' means.
                let pairing = [Pairing {
                    outcomes: self.outcome_pairs.clone(),
                    metrics: Vec::new(),
                }];
                for (r, row) in rows.iter().enumerate() {
                    let wa = at(base_a, |f| f.a, row);
                    let wb = at(base_b, |f| f.b, row);
                    let (sums_a, sums_b) = (sums_of(&wa), sums_of(&wb));
                    let records: Vec<&dyn Records> = match batched {
                        true => vec![&sums_a, &sums_b],
                        false => Vec::new(),
                    };
                    let joint =
                        engine::run_joint_recorded(&[&wa, &wb], &pairing, plan, control, &records)
                            .map_err(|s| s.at_point(|| point(r, row)))?;
                    let (side_a, side_b) = (&joint.sides[0], &joint.sides[1]);
                    let n = side_a.trajectories;
                    let pairs = &self.outcome_pairs;
                    for ((o, counts), &(i, j)) in
                        outcomes.iter_mut().zip(&joint.pairs[0]).zip(pairs)
                    {
                        let t = n.max(1) as f64;
                        o.values
                            .push((counts.only_b as f64 - counts.only_a as f64) / t);
                        o.noise += paired_variance(counts.only_a, counts.only_b, n) / t;
                        if batched {
                            let (a, b) = (sums_a.outcome_means(i), sums_b.outcome_means(j));
                            o.batch_means.extend(b.iter().zip(&a).map(|(b, a)| b - a));
                        }
                    }
                    for (m, metric) in metrics.iter_mut().enumerate() {
                        let range = metric.range.unwrap();
                        let (a, _) = final_mean(side_a, m, range);
                        let (b, _) = final_mean(side_b, m, range);
                        // The noise of a paired difference of means needs each pair's
                        // difference, which the aggregates do not keep: the floor of an
                        // effect on a metric is its range's share alone.
                        metric.values.push(b - a);
                        if batched {
                            let (a, b) = (sums_a.metric_means(m), sums_b.metric_means(m));
                            metric
                                .batch_means
                                .extend(b.iter().zip(&a).map(|(b, a)| b - a));
                        }
                    }
                }
                Ok(Outputs {
                    outcomes,
                    metrics,
                    batching,
                })
            }
        }
    }

    /// The Sobol indices of every output of a run of `design` (`samples` base samples on
    /// `plan`), each flagged where it cannot be read.
    pub fn analyse(
        &self,
        design: &Design,
        outputs: &Outputs,
        samples: u64,
        plan: &Plan,
    ) -> Sensitivity {
        let seed = plan.seed;
        let rows_count = design.rows_count() as f64;
        let paired = self.reference.is_some();
        let analyse = |o: &Output| {
            let s = sobol_with_batches(
                &o.values,
                self.units.len(),
                &o.batch_means,
                &outputs.batching,
                BOOTSTRAP,
                seed,
            );
            let indices = self
                .units
                .iter()
                .enumerate()
                .map(|(i, u)| FactorIndices::of(u.name.clone(), self.members(u), &s, i))
                .collect();
            let mut analysed = OutcomeSensitivity {
                name: o.name.clone(),
                mean: s.mean,
                variance: s.variance,
                factors: indices,
                caveats: Vec::new(),
            };
            let noise = o.noise / rows_count;
            match (o.range, paired) {
                (None, false) => analysed.flag_unreliable(plan.len()),
                (None, true) => analysed.flag_unreliable_continuous(effect_floor(noise)),
                (Some(range), _) => analysed.flag_unreliable_continuous(metric_floor(range, noise)),
            }
            analysed
        };
        // Outputs side by side on the plan's threads (the bootstrap resamples every row's
        // batches: seconds at a hundred factors); each output's own sums run in order, and
        // `collect` keeps the outputs' order, so threads change no byte.
        let each = |outputs: &[Output]| -> Vec<OutcomeSensitivity> {
            engine::in_pool(plan, || outputs.par_iter().map(analyse).collect())
        };
        Sensitivity {
            manifest: Manifest::new(self.scenario, seed, plan.trajectories),
            against: self
                .reference
                .map(|a| Manifest::new(a, seed, plan.trajectories)),
            samples,
            factors: self.units.iter().map(|u| u.name.clone()).collect(),
            grouping: self.grouping,
            outcomes: each(&outputs.outcomes),
            metrics: each(&outputs.metrics),
        }
    }
}

impl SensitivityStudy<'_> {
    /// What a unit holds, as its row shows it: a factor alone, its distribution; a group,
    /// each factor's path and distribution, separated by "; ".
    fn members(&self, unit: &FactorGroup) -> String {
        match unit.members[..] {
            [i] if self.factors[i].path == unit.name => self.factors[i].sampler.to_string(),
            _ => unit
                .members
                .iter()
                .map(|&i| format!("{} {}", self.factors[i].path, self.factors[i].sampler))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}

/// One output per tracked metric of `world`, named by its label.
fn metric_outputs(world: &World, rows: usize, batches: &Batching) -> Vec<Output> {
    world
        .metrics
        .iter()
        .map(|m| Output::new(world.metric_label(m), rows, batches, Some(m.range())))
        .collect()
}

/// Metric `m`'s mean over the trajectories at the last step, and its variance across them.
fn final_mean(agg: &Aggregates, m: usize, range: (f64, f64)) -> (f64, f64) {
    let last = agg.points - 1;
    let mean = agg.mean(m, last);
    (
        mean,
        histogram_variance(agg.histogram_of(m, last), range, mean),
    )
}

/// The factors of a paired design of `b` against `a`: every path sampled in either file.
/// A path sampled in both must have the same distribution; a path sampled in one file only
/// is refused when it names a parameter of the other file too (the two would disagree on
/// an input, so the effect would mix the change with the draw), and kept for that side
/// alone when it names nothing there (an event or channel only that file has, such as an
/// uncertain hazard of an event B adds: what the effect depends on most).
fn paired_factors(
    a_path: &Path,
    a: &World,
    b_path: &Path,
    b: &World,
) -> Result<Vec<Factor>, Error> {
    let (an, bn) = (path_shown(a_path), path_shown(b_path));
    let mut factors: Vec<Factor> = Vec::new();
    let sides = [(b, a, &bn, &an, true), (a, b, &an, &bn, false)];
    for (this, other, this_name, other_name, is_b) in sides {
        for (p, slot) in this.params.iter().enumerate() {
            if slot.sampler.is_fixed() || factors.iter().any(|f| f.path == slot.path) {
                continue;
            }
            let there = other.params.iter().position(|s| s.path == slot.path);
            let q = match there {
                Some(q) if other.params[q].sampler == slot.sampler => Some(q),
                Some(q) => {
                    let theirs = &other.params[q].sampler;
                    return Err(Error::Refused(if theirs.is_fixed() {
                        format!(
                            "`{}` is sampled in {this_name} ({}) but fixed at {theirs} in \
                             {other_name}: a factor of --against must be drawn the same way \
                             in both files; give it the same distribution in both, or fix it \
                             in both",
                            slot.path, slot.sampler
                        )
                    } else {
                        format!(
                            "`{}` has different distributions in {this_name} ({}) and \
                             {other_name} ({theirs}): --against pairs both files on the same \
                             parameter values, so each factor must be drawn the same way in \
                             both; give it one distribution",
                            slot.path, slot.sampler
                        )
                    }));
                }
                None if ParamPath::parse(&slot.path, &Names::of(other)).is_some() => {
                    return Err(Error::Refused(format!(
                        "`{}` is sampled in {this_name} ({}) but not in {other_name}, where \
                         it is set through a more general path: a factor of --against must \
                         be drawn the same way in both files; give it the same distribution \
                         in both",
                        slot.path, slot.sampler
                    )));
                }
                None => None,
            };
            let (pa, pb) = if is_b { (q, Some(p)) } else { (Some(p), q) };
            factors.push(Factor {
                path: slot.path.clone(),
                sampler: slot.sampler.clone(),
                a: pa,
                b: pb,
            });
        }
    }
    Ok(factors)
}

/// The two worlds of a paired design, each tracking only the metrics both track (by label,
/// in A's order), and the outcomes both define alike (by name and definition, in A's
/// order). Refused when they share neither.
type Parts = (Option<World>, World, Vec<(usize, usize)>);
fn shared_parts(a_path: &Path, a: &World, b_path: &Path, b: &World) -> Result<Parts, Error> {
    let outcomes = shared_outcomes(a, b);
    // Under one name, two questions: their difference is no effect of B.
    for name in redefined_outcomes(a, b) {
        crate::warn!(
            "warning: outcome {} is defined differently in {} than in {}: two questions under \
             one name, so it is not analysed; give one of them another name to see both",
            quoted_name(&name),
            path_shown(b_path),
            path_shown(a_path)
        );
    }
    let labels: Vec<String> = b.metrics.iter().map(|m| b.metric_label(m)).collect();
    let (mut wa, mut wb) = (a.clone(), b.clone());
    wa.metrics.clear();
    wb.metrics.clear();
    for m in &a.metrics {
        if let Some(j) = labels.iter().position(|l| *l == a.metric_label(m)) {
            wa.metrics.push(*m);
            wb.metrics.push(b.metrics[j]);
        }
    }
    if outcomes.is_empty() && wa.metrics.is_empty() {
        return Err(Error::Refused(format!(
            "{} and {} share no outcome (by name and definition) and no tracked metric, so \
             there is no effect to analyse; give both files the outcome or metric whose effect \
             you want",
            path_shown(b_path),
            path_shown(a_path)
        )));
    }
    Ok((Some(wa), wb, outcomes))
}

/// A group the file could name, from its own first factor, for the refusal of `--groups
/// file` in a file that names none: `"deal": ["event.deal.*"]`, an event's every range, or
/// `"eta": ["eta"]`. (Hostile pass: the example named `event.us_aid_cut.*` of the seed's
/// file, which any other file refuses as a pattern that names no number.)
fn example_group(factors: &[Factor], world: &World) -> String {
    let event_of = |path: &str| {
        (world.events.iter()).find(|e| {
            path.strip_prefix("event.")
                .and_then(|rest| rest.strip_prefix(e.name.as_str()))
                .is_some_and(|rest| rest.starts_with('.'))
        })
    };
    let Some(first) = factors.first() else {
        return "\"pressure\": [\"event.<name>.*\"]".into();
    };
    match event_of(&first.path) {
        Some(e) => format!("{:?}: [{:?}]", e.name, format!("event.{}.*", e.name)),
        None => {
            let head = first.path.split('.').next().unwrap_or(&first.path);
            format!("{head:?}: [{:?}]", first.path)
        }
    }
}
