//! `simulate sensitivity FILE`: Sobol indices of every outcome and tracked metric for every
//! sampled parameter, from a Saltelli design run on the same trajectory seeds at every
//! design point. `--against A`: the indices of the paired effect FILE - A instead.

use std::path::Path;

use crate::analysis::compare::{redefined_outcomes, shared_outcomes};
use crate::analysis::sensitivity::{
    effect_floor, histogram_variance, metric_floor, paired_variance, sobol, Design, FactorIndices,
    Kind, OutcomeSensitivity, Sensitivity, BOOTSTRAP,
};
use crate::analysis::Manifest;
use crate::engine::{self, Aggregates, Plan};
use crate::error::Error;
use crate::model::{Sampler, World};
use crate::options::{check_trajectories, RunOptions};
use crate::output::{self, Exporter};
use crate::scenario;
use crate::scenario::param_path::{Names, ParamPath};
use crate::scenario::path_shown;
use crate::scenario::spelling::quoted_name;

/// Trajectories per design point unless `--trajectories` says otherwise: enough for a
/// smooth probability, few enough for N (k + 2) points.
pub const DEFAULT_TRAJECTORIES: u64 = 200;

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
    noise: f64,
    /// A metric's range; None for an outcome.
    range: Option<(f64, f64)>,
}

impl Output {
    fn new(name: String, rows: usize, range: Option<(f64, f64)>) -> Self {
        Output {
            name,
            values: Vec::with_capacity(rows),
            noise: 0.0,
            range,
        }
    }
}

pub fn sensitivity(
    path: &Path,
    samples: u64,
    against: Option<&Path>,
    options: &RunOptions,
) -> Result<(), Error> {
    let against_stem = against.map(super::stem);
    let name = super::default_folder::sensitivity(&super::stem(path), against_stem.as_deref());
    let out = super::output_folder(options.out.as_deref(), &name);
    output::check_target(&out)?;
    let scenario = scenario::load(path)?;
    let reference = match against {
        Some(a) => Some((a, scenario::load(a)?)),
        None => None,
    };
    if let Some((_, a)) = &reference {
        super::same_file::warn_if_same(&scenario, a);
    }
    let world = &scenario.world;
    // The effect is read at each file's last step: at two horizons it would mix the change
    // with the time that passed.
    if let Some((a_path, a)) = &reference {
        let (wa, wb) = (&a.world, world);
        if (wa.steps, &wa.step_unit) != (wb.steps, &wb.step_unit) {
            return Err(Error::Usage(format!(
                "{} runs {} steps of a {} and {} runs {} steps of a {}: --against reads the \
                 effect at the last step of both, so they must cover the same time; give both \
                 files the same `steps` and `step`",
                path_shown(path),
                wb.steps,
                wb.step_unit,
                path_shown(a_path),
                wa.steps,
                wa.step_unit
            )));
        }
    }
    let factors = match &reference {
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
        return Err(Error::Usage(format!(
            "{}: no parameter is given as a distribution, so there is nothing to attribute \
             variation to; write one as e.g. `sigma: Uniform(0.02, 0.06)`",
            path_shown(path)
        )));
    }
    // Outcomes need no tracked metrics beyond the analysed ones: each costs a histogram per
    // step. Against A, only the metrics both files track, in A's order, at the same index
    // on both sides.
    let (base_a, base_b, outcome_pairs) = match &reference {
        Some((a_path, a)) => shared_parts(a_path, &a.world, path, world)?,
        None => {
            if world.outcomes.is_empty() && world.metrics.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: the scenario defines no outcomes and tracks no metrics, so there is \
                     nothing to analyse",
                    path_shown(path)
                )));
            }
            (None, world.clone(), Vec::new())
        }
    };
    let trajectories = options.trajectories.unwrap_or(DEFAULT_TRAJECTORIES);
    check_trajectories(trajectories)?;
    // Against A, the reference's seed, as `simulate compare` takes it from its first file.
    let file_seed = reference.as_ref().map_or(world.seed, |(_, a)| a.world.seed);
    let seed = options.seed.unwrap_or(file_seed);
    let plan = Plan::new(trajectories, seed, options.threads);
    // The design's rows are all held at once: a thousand factors at 2,000 samples is 16 GB.
    let threads = super::threads(&plan);
    let mut estimate = engine::estimate::sensitivity_estimate(
        &base_b,
        samples,
        factors.len(),
        BOOTSTRAP,
        plan.len(),
        threads,
    );
    if let Some(a) = &base_a {
        // Both sides run side by side at every point.
        let other = engine::estimate::sensitivity_estimate(
            a,
            samples,
            factors.len(),
            BOOTSTRAP,
            plan.len(),
            threads,
        );
        estimate = estimate + other;
    }
    let what = format!(
        "this sensitivity analysis ({samples} samples x ({} factors + 2) design points of {} \
         on {})",
        factors.len(),
        super::count(plan.len() as usize, "trajectory"),
        super::count(threads, "thread")
    );
    super::check_fits(
        &estimate,
        &what,
        "use fewer --samples or give fewer parameters as distributions",
    )?;

    let design = Design::new(samples as usize, factors.len(), seed);
    let rows = design.rows();
    let total = plan.len() * rows.len() as u64;
    let label = match &reference {
        Some((_, a)) => format!("{} vs {}", world.name, a.world.name),
        None => world.name.clone(),
    };
    let (outcomes, metrics) = super::with_progress_over(total, options, &label, |control| {
        let point = |r: usize, row: &[f64]| {
            let values: Vec<String> = factors
                .iter()
                .zip(row)
                .map(|(f, &u)| format!("{} = {:.3}", f.path, f.sampler.quantile(u)))
                .collect();
            format!("design point {r} ({})", values.join(", "))
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
            [(base_a.as_ref(), |f| f.a), (Some(&base_b), |f| f.b)];
        for (r, row) in rows.iter().enumerate() {
            for (base, side) in sides {
                if let Some(base) = base.filter(|w| w.rest.is_some()) {
                    engine::check_rest(&at(base, side, row), &plan, control)
                        .map_err(|s| super::at_point(s, || point(r, row)))?;
                }
            }
        }
        match &base_a {
            None => {
                let mut outcomes: Vec<Output> = world
                    .outcomes
                    .iter()
                    .map(|o| Output::new(o.name.clone(), rows.len(), None))
                    .collect();
                let mut metrics = metric_outputs(&base_b, rows.len());
                for (r, row) in rows.iter().enumerate() {
                    let w = at(&base_b, |f| f.b, row);
                    let agg = engine::run(&w, &plan, control)
                        .map_err(|s| super::at_point(s, || point(r, row)))?;
                    let t = agg.trajectories.max(1) as f64;
                    for (o, &count) in outcomes.iter_mut().zip(&agg.outcome_count) {
                        let p = count as f64 / t;
                        o.values.push(p);
                        o.noise += p * (1.0 - p) / t;
                    }
                    for (m, metric) in metrics.iter_mut().enumerate() {
                        let (mean, within) = final_mean(&agg, m, metric.range.unwrap());
                        metric.values.push(mean);
                        metric.noise += within / t;
                    }
                }
                Ok((outcomes, metrics))
            }
            Some(base_a) => {
                let mut outcomes: Vec<Output> = outcome_pairs
                    .iter()
                    .map(|&(i, _)| Output::new(base_a.outcomes[i].name.clone(), rows.len(), None))
                    .collect();
                let mut metrics = metric_outputs(base_a, rows.len());
                for (r, row) in rows.iter().enumerate() {
                    let wa = at(base_a, |f| f.a, row);
                    let wb = at(&base_b, |f| f.b, row);
                    let paired = engine::run_paired(&wa, &wb, &outcome_pairs, &plan, control)
                        .map_err(|s| super::at_point(s, || point(r, row)))?;
                    let n = paired.a.trajectories;
                    for (o, counts) in outcomes.iter_mut().zip(&paired.pairs) {
                        let t = n.max(1) as f64;
                        o.values
                            .push((counts.only_b as f64 - counts.only_a as f64) / t);
                        o.noise += paired_variance(counts.only_a, counts.only_b, n) / t;
                    }
                    for (m, metric) in metrics.iter_mut().enumerate() {
                        let range = metric.range.unwrap();
                        let (a, _) = final_mean(&paired.a, m, range);
                        let (b, _) = final_mean(&paired.b, m, range);
                        // The noise of a paired difference of means needs each pair's
                        // difference, which the aggregates do not keep: the floor of an
                        // effect on a metric is its range's share alone.
                        metric.values.push(b - a);
                    }
                }
                Ok((outcomes, metrics))
            }
        }
    })?;

    let rows_count = rows.len() as f64;
    let paired = reference.is_some();
    let analyse = |o: &Output| {
        let (fa, fb, fab) = design.split(&o.values);
        let s = sobol(fa, fb, &fab, BOOTSTRAP, seed);
        let indices = factors
            .iter()
            .enumerate()
            .map(|(i, f)| FactorIndices::of(f.path.clone(), f.sampler.to_string(), &s, i))
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
    let result = Sensitivity {
        manifest: Manifest::new(&scenario, seed, trajectories),
        against: reference
            .as_ref()
            .map(|(_, a)| Manifest::new(a, seed, trajectories)),
        samples,
        factors: factors.iter().map(|f| f.path.clone()).collect(),
        outcomes: outcomes.iter().map(analyse).collect(),
        metrics: metrics.iter().map(analyse).collect(),
    };
    let exporters: [Box<dyn Exporter<Sensitivity>>; 2] = [
        Box::new(output::SensitivityCsv),
        Box::new(output::plots::TornadoPlots),
    ];
    output::export(&out, &result, &exporters)?;
    if options.verbose {
        print_table(&result)?;
        crate::say!("results in {}", crate::scenario::path_shown(&out))?;
    }
    Ok(())
}

/// One output per tracked metric of `world`, named by its label.
fn metric_outputs(world: &World, rows: usize) -> Vec<Output> {
    world
        .metrics
        .iter()
        .map(|m| Output::new(world.metric_label(m), rows, Some(m.range())))
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
                    return Err(Error::Usage(if theirs.is_fixed() {
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
                    return Err(Error::Usage(format!(
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
        return Err(Error::Usage(format!(
            "{} and {} share no outcome (by name and definition) and no tracked metric, so \
             there is no effect to analyse; give both files the outcome or metric whose effect \
             you want",
            path_shown(b_path),
            path_shown(a_path)
        )));
    }
    Ok((Some(wa), wb, outcomes))
}

fn print_table(s: &Sensitivity) -> Result<(), Error> {
    let what = match &s.against {
        Some(a) => format!(
            "effect of {} (B) against {} (A), paired",
            s.manifest.scenario, a.scenario
        ),
        None => s.manifest.scenario.clone(),
    };
    crate::say!(
        "{what}: {} design points ({} samples x {} factors + 2), {} trajectories each, seed {}",
        s.samples as usize * (s.factors.len() + 2),
        s.samples,
        s.factors.len(),
        s.manifest.trajectories,
        s.manifest.seed
    )?;
    let width = s.factors.iter().map(|f| f.len()).max().unwrap_or(9).max(9);
    for (kind, o) in s.targets() {
        let mean = match (kind, s.against.is_some()) {
            (Kind::Outcome, false) => "mean probability",
            (Kind::Outcome, true) => "mean effect P_B - P_A",
            (_, false) => "mean final value",
            (_, true) => "mean effect on the final value",
        };
        crate::say!(
            "  {} {}: {mean} {:.3}, variance across the design {:.5}",
            kind.as_str(),
            o.name,
            o.mean,
            o.variance
        )?;
        for why in &o.caveats {
            crate::say!("    not reliable: {why}")?;
        }
        crate::say!(
            "    {:width$}  first-order (95%)        total (95%)            reliable",
            "parameter"
        )?;
        for x in &o.factors {
            let why = x.why(o);
            crate::say!(
                "    {:width$}  {:>6.3} [{:>6.3}, {:>6.3}]  {:>6.3} [{:>6.3}, {:>6.3}]  {}{}",
                x.factor,
                x.first,
                x.first_low,
                x.first_high,
                x.total,
                x.total_low,
                x.total_high,
                if why.is_empty() { "yes" } else { "no" },
                // The outcome's reasons are printed above; only the factor's own here.
                x.caveats
                    .iter()
                    .map(|c| format!(", {c}"))
                    .collect::<String>()
            )?;
        }
    }
    Ok(())
}
