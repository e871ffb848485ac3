//! `simulate score SCENARIO --observed FILE.csv [--ablate LIST]`: run a scenario as a
//! forecast, score it against what happened (`analysis::study::forecast`), and write the
//! run's own results beside the scores.

use std::path::{Path, PathBuf};

use crate::analysis::ablation::Ablation;
use crate::analysis::score::{ScoreRun, Totals};
use crate::analysis::study::forecast::{self, Forecast};
use crate::error::Error;
use crate::options::RunOptions;
use crate::output;
use crate::scenario::{self, observed, sha256_hex};

pub fn score(
    path: &Path,
    observed_path: &Path,
    ablations: &[Ablation],
    options: &RunOptions,
) -> Result<(), Error> {
    let name = super::default_folder::score(&super::stem(path));
    let out = super::output_folder(options.out.as_deref(), &name);
    output::check_target(&out)?;
    let scenario = scenario::load(path)?;
    let world = &scenario.world;
    let bytes = observed::read(observed_path)?;
    let observations = observed::parse(observed_path, &bytes, world)?;
    let plan = super::plan(world, options)?;

    let outcomes_observed = observations
        .iter()
        .any(|o| matches!(o.of, observed::Observed::Outcome(_)));
    let events_only = outcomes_observed || ablations.contains(&Ablation::All);
    let runs =
        1 + ablations.len() as u64 + u64::from(events_only && !ablations.contains(&Ablation::All));
    let total = plan.len() * runs;
    let (worlds, here) = ([world], [PathBuf::new()]);
    let records = options.records.then_some((&worlds[..], &here[..]));
    let exporters = output::score_exporters();
    let result = super::records::run_and_export(&out, records, &plan, &exporters, |sinks| {
        let Forecast {
            summary,
            scores,
            series,
            ablations: ablation_totals,
        } = super::with_progress_over(total, options, &world.name, |control| {
            let sink = sinks.first().copied();
            forecast::run(
                &scenario,
                &plan,
                control,
                &observations,
                ablations,
                events_only,
                sink,
            )
        })?;

        Ok(ScoreRun {
            summary,
            observed: observed_path.display().to_string(),
            observed_sha256: sha256_hex(&bytes),
            totals: Totals::of(&scores),
            scores,
            series,
            ablations: ablation_totals,
        })
    })?;
    if options.verbose {
        for line in output::score_table::lines(&result) {
            crate::say!("{line}")?;
        }
        crate::say!("results in {}", out.display())?;
        crate::say!("{}", result.totals.line())?;
    }
    Ok(())
}
