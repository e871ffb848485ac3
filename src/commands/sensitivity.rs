//! `simulate sensitivity FILE`: Sobol indices of every outcome for every sampled parameter,
//! from a Saltelli design run on the same trajectory seeds at every design point.

use std::path::Path;

use crate::analysis::sensitivity::{
    sobol, Design, FactorIndices, OutcomeSensitivity, Sensitivity, BOOTSTRAP,
};
use crate::analysis::Manifest;
use crate::engine::{self, Plan};
use crate::error::Error;
use crate::model::Sampler;
use crate::options::{check_trajectories, RunOptions};
use crate::output::{self, Exporter};
use crate::scenario;

/// Trajectories per design point unless `--trajectories` says otherwise: enough for a
/// smooth probability, few enough for N (k + 2) points.
pub const DEFAULT_TRAJECTORIES: u64 = 200;

pub fn sensitivity(path: &Path, samples: u64, options: &RunOptions) -> Result<(), Error> {
    let name = format!("{}-sensitivity", super::stem(path));
    let out = super::output_folder(options.out.as_deref(), &name);
    output::check_target(&out)?;
    let scenario = scenario::load(path)?;
    let world = &scenario.world;
    let factors: Vec<usize> = (0..world.params.len())
        .filter(|&p| !world.params[p].sampler.is_fixed())
        .collect();
    if factors.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no parameter is given as a distribution, so there is nothing to attribute \
             variation to; write one as e.g. `sigma: Uniform(0.02, 0.06)`",
            path.display()
        )));
    }
    if world.outcomes.is_empty() {
        return Err(Error::Usage(format!(
            "{}: the scenario defines no outcomes",
            path.display()
        )));
    }
    let trajectories = options.trajectories.unwrap_or(DEFAULT_TRAJECTORIES);
    check_trajectories(trajectories)?;
    let seed = options.seed.unwrap_or(world.seed);
    let plan = Plan::new(trajectories, seed, options.threads);
    // The design's rows are all held at once: a thousand factors at 2,000 samples is 16 GB.
    let threads = super::threads(&plan);
    let estimate = engine::estimate::sensitivity_estimate(
        world,
        samples,
        factors.len(),
        BOOTSTRAP,
        plan.len(),
        threads,
    );
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
    // Outcomes need no tracked metrics: dropping them saves the histograms' memory and time.
    let mut base = world.clone();
    base.metrics.clear();
    // probability[outcome][row]
    let total = plan.len() * rows.len() as u64;
    let probability = super::with_progress_over(total, options, &world.name, |control| {
        let mut probability = vec![Vec::with_capacity(rows.len()); world.outcomes.len()];
        for row in &rows {
            let mut w = base.clone();
            for (&p, &u) in factors.iter().zip(row) {
                w.params[p].sampler = Sampler::Fixed(world.params[p].sampler.quantile(u));
            }
            let aggregates = engine::run(&w, &plan, control)?;
            for (o, &count) in aggregates.outcome_count.iter().enumerate() {
                probability[o].push(count as f64 / aggregates.trajectories.max(1) as f64);
            }
        }
        Ok(probability)
    })?;

    let names: Vec<String> = factors
        .iter()
        .map(|&p| world.params[p].path.clone())
        .collect();
    let mut outcomes = Vec::new();
    for (o, outcome) in world.outcomes.iter().enumerate() {
        let (fa, fb, fab) = design.split(&probability[o]);
        let s = sobol(fa, fb, &fab, BOOTSTRAP, seed);
        let mut indices = Vec::new();
        for (i, &p) in factors.iter().enumerate() {
            let distribution = world.params[p].sampler.to_string();
            indices.push(FactorIndices::of(names[i].clone(), distribution, &s, i));
        }
        let mut analysed = OutcomeSensitivity {
            name: outcome.name.clone(),
            mean: s.mean,
            variance: s.variance,
            factors: indices,
            caveats: Vec::new(),
        };
        analysed.flag_unreliable(plan.len());
        outcomes.push(analysed);
    }
    let result = Sensitivity {
        manifest: Manifest::new(&scenario, seed, trajectories),
        samples,
        factors: names,
        outcomes,
    };
    let exporters: [Box<dyn Exporter<Sensitivity>>; 2] = [
        Box::new(output::SensitivityCsv),
        Box::new(output::plots::TornadoPlots),
    ];
    output::export(&out, &result, &exporters)?;
    if options.verbose {
        print_table(&result)?;
        crate::say!("results in {}", out.display())?;
    }
    Ok(())
}

fn print_table(s: &Sensitivity) -> Result<(), Error> {
    crate::say!(
        "{}: {} design points ({} samples x {} factors + 2), {} trajectories each, seed {}",
        s.manifest.scenario,
        s.samples as usize * (s.factors.len() + 2),
        s.samples,
        s.factors.len(),
        s.manifest.trajectories,
        s.manifest.seed
    )?;
    let width = s.factors.iter().map(|f| f.len()).max().unwrap_or(9).max(9);
    for o in &s.outcomes {
        crate::say!(
            "  {}: mean probability {:.3}, variance across the design {:.5}",
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
