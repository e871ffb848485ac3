//! `simulate compare A B`: both scenarios on the same trajectory seeds (common random
//! numbers), so differences are the effect of the change, not noise.

use std::path::Path;

use super::stem;
use crate::analysis::compare::shared_outcomes;
use crate::analysis::{Comparison, Manifest, RunSummary};
use crate::engine;
use crate::error::Error;
use crate::options::RunOptions;
use crate::output;
use crate::scenario;

pub fn compare(a_path: &Path, b_path: &Path, options: &RunOptions) -> Result<(), Error> {
    let name = format!("compare_{}_vs_{}", stem(a_path), stem(b_path));
    let out = super::output_folder(options.out.as_deref(), &name);
    output::check_target(&out)?;
    let a = scenario::load(a_path)?;
    let b = scenario::load(b_path)?;
    // Trajectories and seed come from the flags, else from A's file: both sides must share
    // them for the pairing to mean anything.
    let plan = super::plan(&a.world, options)?;
    super::check_estimate(&[&a.world, &b.world], &plan)?;

    let shared = shared_outcomes(&a.world, &b.world);
    let label = format!("{} vs {}", a.world.name, b.world.name);
    let paired = super::with_progress(&plan, options, &label, |control| {
        engine::run_paired(&a.world, &b.world, &shared, &plan, control)
    })?;
    let summary = |s: &scenario::Scenario, agg| {
        RunSummary::new(
            Manifest::new(s, plan.seed, plan.trajectories),
            &s.world,
            agg,
        )
    };
    let comparison = Comparison::new(
        summary(&a, &paired.a),
        summary(&b, &paired.b),
        &shared,
        &paired.pairs,
    );
    output::export(&out, &comparison, &output::compare_exporters())?;

    if options.verbose {
        print_table(&comparison)?;
        crate::say!("results in {}", out.display())?;
    }
    Ok(())
}

fn print_table(c: &Comparison) -> Result<(), Error> {
    crate::say!(
        "{} (A) vs {} (B): {} paired trajectories, seed {}",
        c.a.manifest.scenario,
        c.b.manifest.scenario,
        c.a.manifest.trajectories,
        c.a.manifest.seed
    )?;
    let width = c
        .outcomes
        .iter()
        .map(|o| o.name.len())
        .max()
        .unwrap_or(7)
        .max(7);
    crate::say!(
        "  {:width$}       A       B   B - A  95% interval (paired)",
        "outcome"
    )?;
    for o in &c.outcomes {
        crate::say!(
            "  {:width$}  {:>6.3}  {:>6.3}  {:>+6.3}  [{:+.3}, {:+.3}]",
            o.name,
            o.a,
            o.b,
            o.diff,
            o.ci_low,
            o.ci_high
        )?;
    }
    for name in &c.only_in_a {
        crate::say!("  {name}: only in A")?;
    }
    for name in &c.only_in_b {
        crate::say!("  {name}: only in B")?;
    }
    Ok(())
}
