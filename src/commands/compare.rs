//! `simulate compare A B [C ...]`: every scenario on the same trajectory seeds (common random
//! numbers), the first the reference, so differences are the effect of the change, not
//! noise.

use std::path::PathBuf;

use super::stem;
use crate::analysis::compare::{
    label, redefined_outcomes, shared_metrics, shared_outcomes, Pairwise, MAX_SCENARIOS,
};
use crate::analysis::{Comparison, Manifest, RunSummary};
use crate::engine::{self, estimate, Pairing};
use crate::error::Error;
use crate::options::RunOptions;
use crate::output;
use crate::scenario;
use crate::scenario::path_shown;
use crate::scenario::spelling::quoted_name;

pub fn compare(paths: &[PathBuf], options: &RunOptions) -> Result<(), Error> {
    if !(2..=MAX_SCENARIOS).contains(&paths.len()) {
        return Err(Error::Usage(format!(
            "compare takes 2 to {MAX_SCENARIOS} scenario files (the first is the reference), \
             not {}: compare fewer at once, each against the same reference",
            paths.len()
        )));
    }
    let stems: Vec<String> = paths.iter().map(|p| stem(p)).collect();
    let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
    let name = super::default_folder::compare(&stems);
    let out = super::output_folder(options.out.as_deref(), &name);
    output::check_target(&out)?;
    let scenarios = paths
        .iter()
        .map(|p| scenario::load(p))
        .collect::<Result<Vec<_>, _>>()?;
    warn_same_files(&scenarios);
    let worlds: Vec<&crate::model::World> = scenarios.iter().map(|s| &s.world).collect();
    // Trajectories and seed come from the flags, else from the reference's file: every
    // scenario must share them for the pairing to mean anything.
    let plan = super::unchecked_plan(worlds[0], options)?;
    let metrics = shared_metrics(&worlds);
    warn_unshared_metrics(&worlds);
    // A file's own seed is not used (every scenario runs on the reference's streams), so a
    // variant whose change is `SetSeed` compares as "no effect" without a word.
    if options.seed.is_none() {
        for (i, w) in worlds.iter().enumerate().skip(1) {
            if w.seed != worlds[0].seed {
                crate::warn!(
                    "warning: {} ({}) sets seed {}, but a comparison runs every scenario on \
                     the reference's seed {} (common random numbers); its own seed is not used",
                    label(i),
                    w.name,
                    w.seed,
                    worlds[0].seed
                );
            }
        }
    }
    // Worlds of different lengths pair only over the steps both run: a metric's effect is
    // then taken at the shorter one's last step, not at the reference's final step (an
    // analyst read "+0.0000 (0.3257 -> 0.3257)" as "the horizon changes nothing").
    let steps: Vec<u32> = worlds.iter().map(|w| w.steps).collect();
    if steps.iter().any(|&s| s != steps[0]) {
        crate::warn!(
            "warning: the scenarios run for different numbers of steps ({}): each metric \
             effect is taken at the last step both it and {} reach (`step` in compare.json, \
             effects.csv stops there), not at the longer one's end; give them the same \
             `steps` to compare final values",
            steps
                .iter()
                .zip(&scenarios)
                .map(|(s, sc)| format!("{} {s}", sc.world.name))
                .collect::<Vec<_>>()
                .join(", "),
            worlds[0].name
        );
    }
    check_estimate(&worlds, metrics.first().map_or(0, Vec::len), &plan)?;

    let redefined: Vec<Vec<String>> = worlds[1..]
        .iter()
        .map(|w| redefined_outcomes(worlds[0], w))
        .collect();
    warn_redefined(&worlds, &redefined);
    let pairings: Vec<Pairing> = worlds[1..]
        .iter()
        .zip(metrics)
        .map(|(w, metrics)| Pairing {
            outcomes: shared_outcomes(worlds[0], w),
            metrics,
        })
        .collect();
    // A scenario that shares neither an outcome nor a metric with the reference gives a
    // comparison of nothing (it ran, wrote an empty table and said "ok"): a wrong file.
    for (i, p) in pairings.iter().enumerate() {
        if p.outcomes.is_empty() && p.metrics.is_empty() {
            return Err(Error::Usage(format!(
                "{} and {} share no outcome and no tracked metric, so there is nothing to \
                 compare: is {} the file you meant? Compare futures of one world (a variant \
                 of the reference, or a file with the same outcomes and metrics)",
                path_shown(&paths[i + 1]),
                path_shown(&paths[0]),
                path_shown(&paths[i + 1])
            )));
        }
    }
    // Steps are compared by number: step 40 of quarters is not step 40 of years.
    if worlds.iter().any(|w| w.step_unit != worlds[0].step_unit) {
        crate::warn!(
            "warning: the scenarios count steps in different units ({}): they are compared \
             step by step, so the same step is not the same time in each",
            worlds
                .iter()
                .map(|w| format!("{} {}", w.name, w.step_unit))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let names: Vec<&str> = worlds.iter().map(|w| w.name.as_str()).collect();
    let progress_label = format!("{} vs {}", names[0], names[1..].join(", "));
    let joint = super::with_progress(&plan, options, &progress_label, |control| {
        engine::run_joint(&worlds, &pairings, &plan, control)
    })?;
    let summaries: Vec<RunSummary> = scenarios
        .iter()
        .zip(&joint.sides)
        .map(|(s, agg)| {
            RunSummary::new(
                Manifest::new(s, plan.seed, plan.trajectories),
                &s.world,
                agg,
            )
        })
        .collect();
    let pairwise = summaries[1..]
        .iter()
        .zip(&pairings)
        .zip(&joint.pairs)
        .zip(redefined)
        .map(|(((s, p), counts), redefined)| {
            Pairwise::new(&summaries[0], s, &p.outcomes, counts, redefined)
        })
        .collect();
    let comparison = Comparison::new(summaries, pairwise, &joint.effects);
    output::export(&out, &comparison, &output::compare_exporters())?;

    if options.verbose {
        print_table(&comparison)?;
        crate::say!("results in {}", crate::scenario::path_shown(&out))?;
    }
    Ok(())
}

/// Says when a scenario is the reference itself (the same file, or the same bytes in every
/// file of its chain): a comparison of a file with itself ran without a word, and can only
/// show that nothing changed.
fn warn_same_files(scenarios: &[scenario::Scenario]) {
    let bytes = |s: &scenario::Scenario| -> Vec<String> {
        std::iter::once(s.sha256.clone())
            .chain(s.bases.iter().map(|b| b.sha256.clone()))
            .collect()
    };
    let reference = bytes(&scenarios[0]);
    for (i, s) in scenarios.iter().enumerate().skip(1) {
        if bytes(s) == reference {
            crate::warn!(
                "warning: {} ({}) is the same scenario as A ({}): the same bytes, so every \
                 difference from A is zero; is it the file you meant?",
                label(i),
                path_shown(&s.path),
                path_shown(&scenarios[0].path)
            );
        }
    }
}

/// Says which outcomes are left out of the comparison because a scenario defines them
/// differently from the reference under the same name (`redefined[k]`: those of scenario
/// k + 1).
fn warn_redefined(worlds: &[&crate::model::World], redefined: &[Vec<String>]) {
    for (k, names) in redefined.iter().enumerate() {
        for name in names {
            crate::warn!(
                "warning: outcome {} is defined differently in {} ({}) than in A ({}): two \
                 questions under one name, so it is not compared; give one of them another \
                 name to see both",
                quoted_name(name),
                label(k + 1),
                quoted_name(&worlds[k + 1].name),
                quoted_name(&worlds[0].name)
            );
        }
    }
}

/// Says which tracked metrics are left out of the comparison because not every scenario
/// tracks them (an outcome left out is listed in the table; a metric vanished without a
/// word). A symmetric metric written with its states the other way round, e.g.
/// `Partnership("Russia", "Pakistan")` against the base's `Partnership("Pakistan",
/// "Russia")`, is the same number under another label: the warning says so.
fn warn_unshared_metrics(worlds: &[&crate::model::World]) {
    let labels: Vec<Vec<String>> = worlds
        .iter()
        .map(|w| w.metrics.iter().map(|m| w.metric_label(m)).collect())
        .collect();
    let mut seen: Vec<&String> = Vec::new();
    for (k, of) in labels.iter().enumerate() {
        for l in of {
            if seen.contains(&l) || labels.iter().all(|x| x.contains(l)) {
                continue;
            }
            seen.push(l);
            let missing: Vec<String> = (0..worlds.len())
                .filter(|&i| !labels[i].contains(l))
                .map(label)
                .collect();
            let hint = swapped(l)
                .filter(|s| labels.iter().flatten().any(|x| x == s))
                .map(|s| format!(" ({l} is {s} written the other way round: write it the same way in every file)"))
                .unwrap_or_default();
            crate::warn!(
                "warning: metric {l} of {} ({}) is not tracked by {}: not compared{hint}",
                label(k),
                worlds[k].name,
                missing.join(", ")
            );
        }
    }
}

/// A symmetric metric's label with its two states swapped.
fn swapped(label: &str) -> Option<String> {
    let (kind, rest) = label.split_once('(')?;
    if !matches!(kind, "Partnership" | "SameBloc") {
        return None;
    }
    let (a, b) = rest.strip_suffix(')')?.split_once(", ")?;
    Some(format!("{kind}({b}, {a})"))
}

/// Refuses a comparison that will not fit in memory: its worlds run side by side, each
/// with its aggregates, plus the paired effects of every scenario against the reference.
fn check_estimate(
    worlds: &[&crate::model::World],
    shared_metrics: usize,
    plan: &engine::Plan,
) -> Result<(), Error> {
    let threads = super::threads(plan);
    let need = estimate::compare_estimate(worlds, shared_metrics, plan.len(), threads);
    let metrics: usize = worlds.iter().map(|w| w.metrics.len()).sum();
    let steps = worlds.iter().map(|w| w.steps).max().unwrap_or(0);
    let what = format!(
        "this comparison ({} scenarios, {metrics} metrics x {steps} steps on {})",
        worlds.len(),
        super::count(threads, "thread")
    );
    super::check_fits(&need, &what, super::RUN_ADVICE)
}

fn print_table(c: &Comparison) -> Result<(), Error> {
    let r = &c.reference().manifest;
    let names: Vec<String> = c
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{} ({})", s.manifest.scenario, label(i)))
        .collect();
    crate::say!(
        "{}: {} paired trajectories, seed {}; differences against {}",
        names.join(", "),
        r.trajectories,
        r.seed,
        label(0)
    )?;
    let width = c
        .outcomes
        .iter()
        .map(|o| o.name.len())
        .chain(c.metrics.iter().map(|m| m.name.len()))
        .max()
        .unwrap_or(7)
        .max(7);
    let mut head = format!("  {:width$}  {:>6}", "outcome", label(0));
    for i in 1..c.scenarios.len() {
        let _ = std::fmt::Write::write_fmt(&mut head, format_args!("  {:>6}", label(i)));
    }
    crate::say!("{head}")?;
    for o in &c.outcomes {
        let mut line = format!("  {:width$}  {:>6.3}", o.name, o.probabilities[0]);
        for p in &o.probabilities[1..] {
            let _ = std::fmt::Write::write_fmt(&mut line, format_args!("  {p:>6.3}"));
        }
        crate::say!("{line}")?;
        for d in &o.differences {
            crate::say!(
                "  {:width$}    {} - {}: {:+.3} [{:+.3}, {:+.3}] (paired 95%)",
                "",
                d.label,
                label(0),
                d.diff,
                d.ci_low,
                d.ci_high
            )?;
        }
    }
    for name in &c.not_shared {
        crate::say!("  {name}: not in every scenario (not compared)")?;
    }
    for name in &c.defined_differently {
        crate::say!(
            "  {name}: defined differently in {} (not compared)",
            c.redefined_in(name).join(", ")
        )?;
    }
    if !c.metrics.is_empty() {
        crate::say!("  metric effects at the last step (paired 95% interval):")?;
    }
    let last = c.reference().manifest.steps;
    for m in &c.metrics {
        // Say the step only where it is not the reference's last (worlds of different lengths).
        let at = if m.step == last as usize {
            String::new()
        } else {
            format!(" at step {}", m.step)
        };
        crate::say!(
            "  {:width$}  {} - {}{at}: {:+.4} [{:+.4}, {:+.4}]  ({:.4} -> {:.4})",
            m.name,
            m.label,
            label(0),
            m.diff,
            m.ci_low,
            m.ci_high,
            m.reference_mean,
            m.mean
        )?;
    }
    crate::say!("  {}", crate::analysis::interval::WHAT_INTERVALS_COVER)?;
    Ok(())
}
