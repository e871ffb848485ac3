//! The comparison driver behind `simulate compare`: every scenario on the same trajectory
//! seeds (common random numbers), the first the reference. It says what will not be compared
//! (and why) before anything runs, pairs each scenario with the reference on the outcomes
//! and metrics both define alike, runs them side by side and turns the joint run into a
//! `Comparison`. The command only loads, plans, checks the memory, exports and prints.

use std::path::PathBuf;

use crate::analysis::compare::{
    label, redefined_outcomes, shared_metrics, shared_outcomes, Pairwise,
};
use crate::analysis::{Comparison, Manifest, RunSummary};
use crate::engine::records::Records;
use crate::engine::{self, Control, Joint, Pairing, Plan, Stopped};
use crate::error::Error;
use crate::model::World;
use crate::scenario::spelling::quoted_name;
use crate::scenario::{self, path_shown};

/// Two to `MAX_SCENARIOS` scenarios, loaded, the first the reference.
pub struct Comparing<'s> {
    pub scenarios: &'s [scenario::Scenario],
    pub worlds: Vec<&'s World>,
    /// The metrics each scenario after the reference shares with it (`shared_metrics`).
    metrics: Vec<Vec<(usize, usize)>>,
}

/// A comparison ready to run: each scenario after the reference paired with it.
pub struct Paired<'s> {
    comparing: Comparing<'s>,
    pairings: Vec<Pairing>,
    /// The outcomes each scenario after the reference defines differently from it.
    redefined: Vec<Vec<String>>,
}

impl<'s> Comparing<'s> {
    /// The scenarios as compared, with a warning for each thing that will not be what the
    /// analyst may think: the same file twice, a metric not every file tracks, a file's own
    /// seed (`seed_given`: the flag overrides every file's), worlds of different lengths.
    pub fn new(scenarios: &'s [scenario::Scenario], seed_given: bool) -> Self {
        warn_same_files(scenarios);
        let worlds: Vec<&World> = scenarios.iter().map(|s| &s.world).collect();
        let metrics = shared_metrics(&worlds);
        warn_unshared_metrics(&worlds);
        // A file's own seed is not used (every scenario runs on the reference's streams), so a
        // variant whose change is `SetSeed` compares as "no effect" without a word.
        if !seed_given {
            warn_own_seeds(&worlds);
        }
        warn_different_lengths(&worlds, scenarios);
        Comparing {
            scenarios,
            worlds,
            metrics,
        }
    }

    /// How many metrics the reference shares with the second scenario (for the estimate).
    pub fn shared_metric_count(&self) -> usize {
        self.metrics.first().map_or(0, Vec::len)
    }

    /// Pairs each scenario with the reference, refusing one that shares nothing with it
    /// (`paths` name the files in messages).
    pub fn pair(self, paths: &[PathBuf]) -> Result<Paired<'s>, Error> {
        let worlds = &self.worlds;
        let redefined: Vec<Vec<String>> = worlds[1..]
            .iter()
            .map(|w| redefined_outcomes(worlds[0], w))
            .collect();
        warn_redefined(worlds, &redefined);
        let pairings: Vec<Pairing> = worlds[1..]
            .iter()
            .zip(&self.metrics)
            .map(|(w, metrics)| Pairing {
                outcomes: shared_outcomes(worlds[0], w),
                metrics: metrics.clone(),
            })
            .collect();
        // A scenario that shares neither an outcome nor a metric with the reference gives a
        // comparison of nothing (it ran, wrote an empty table and said "ok"): a wrong file.
        for (i, p) in pairings.iter().enumerate() {
            if p.outcomes.is_empty() && p.metrics.is_empty() {
                return Err(Error::Refused(format!(
                    "{} and {} share no outcome and no tracked metric, so there is nothing to \
                     compare: is {} the file you meant? Compare futures of one world (a variant \
                     of the reference, or a file with the same outcomes and metrics)",
                    path_shown(&paths[i + 1]),
                    path_shown(&paths[0]),
                    path_shown(&paths[i + 1])
                )));
            }
        }
        warn_step_units(worlds);
        warn_calendars(worlds);
        Ok(Paired {
            comparing: self,
            pairings,
            redefined,
        })
    }
}

impl Paired<'_> {
    /// What the progress bar shows: "A vs B, C".
    pub fn label(&self) -> String {
        let names: Vec<&str> = self.worlds().iter().map(|w| w.name.as_str()).collect();
        format!("{} vs {}", names[0], names[1..].join(", "))
    }

    /// The scenarios' worlds, the reference first.
    pub fn worlds(&self) -> &[&World] {
        &self.comparing.worlds
    }

    /// Runs every scenario side by side on `plan`, each streaming its per-trajectory rows
    /// into its sink of `records` if there are any (`--records`).
    pub fn run(
        &self,
        plan: &Plan,
        control: &Control,
        records: &[&dyn Records],
    ) -> Result<Joint, Stopped> {
        engine::run_joint_recorded(self.worlds(), &self.pairings, plan, control, records)
    }

    /// The comparison a joint run gives: each scenario's summary and its differences from
    /// the reference.
    pub fn analyse(&self, joint: &Joint, plan: &Plan) -> Comparison {
        let summaries: Vec<RunSummary> = self
            .comparing
            .scenarios
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
            .zip(&self.pairings)
            .zip(&joint.pairs)
            .zip(&self.redefined)
            .map(|(((s, p), counts), redefined)| {
                Pairwise::new(&summaries[0], s, &p.outcomes, counts, redefined.clone())
            })
            .collect();
        Comparison::new(summaries, pairwise, &joint.effects)
    }
}

/// Says which scenario sets a seed of its own, which a comparison does not use.
fn warn_own_seeds(worlds: &[&World]) {
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

/// Worlds of different lengths pair only over the steps both run: a metric's effect is
/// then taken at the shorter one's last step, not at the reference's final step (an
/// analyst read "+0.0000 (0.3257 -> 0.3257)" as "the horizon changes nothing").
fn warn_different_lengths(worlds: &[&World], scenarios: &[scenario::Scenario]) {
    let steps: Vec<u32> = worlds.iter().map(|w| w.steps).collect();
    if steps.iter().any(|&s| s != steps[0]) {
        crate::warn!(
            "warning: the scenarios run for different numbers of steps ({}): each metric \
             effect is taken at the last step both it and {} reach (`step` in compare.json, \
             effects.csv stops there), not at the longer one's end; give them the same \
             `steps` to compare final values",
            steps
                .iter()
                .zip(scenarios)
                .map(|(s, sc)| format!("{} {s}", sc.world.name))
                .collect::<Vec<_>>()
                .join(", "),
            worlds[0].name
        );
    }
}

/// Steps are compared by number: step 40 of quarters is not step 40 of years.
fn warn_step_units(worlds: &[&World]) {
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
}

/// In the same unit, files that start on different dates: the comparison's dated files
/// (`effects.csv`, the report) give each step the reference's date, which is not the other
/// file's (a hostile tester read 2016Q3 on B's rows where B starts in 2017Q1).
fn warn_calendars(worlds: &[&World]) {
    let reference = &worlds[0];
    let differ = worlds.iter().any(|w| {
        w.step_unit == reference.step_unit
            && w.calendar.is_some()
            && w.calendar != reference.calendar
    });
    if differ {
        crate::warn!(
            "warning: the scenarios start on different dates ({}): they are compared step by \
             step, and the comparison's dates are {}'s; give them the same `start` to compare \
             the same time",
            worlds
                .iter()
                .map(|w| match w.calendar {
                    Some(c) => format!("{} {}", w.name, c.date(1)),
                    None => format!("{} (no start)", w.name),
                })
                .collect::<Vec<_>>()
                .join(", "),
            reference.name
        );
    }
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
fn warn_redefined(worlds: &[&World], redefined: &[Vec<String>]) {
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
fn warn_unshared_metrics(worlds: &[&World]) {
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
