//! `score.json`: a forecast scored against what happened (`simulate score`): the run and
//! the observations file that were scored, each observation with its scores, the totals,
//! and the totals of each ablation asked for (README, "Scoring a forecast against
//! history").

use std::io;

use serde::Serialize;

use super::{json_file, File, Files};
use crate::analysis::score::{AblationTotals, ObservationScore, ScoreRun, Totals};
use crate::analysis::summary::ChainLink;

pub struct ScoreJson;

#[derive(Serialize)]
struct Document<'a> {
    scenario: &'a str,
    scenario_sha256: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    scenario_chain: &'a [ChainLink],
    observed: &'a str,
    observed_sha256: &'a str,
    seed: u64,
    trajectories: u64,
    steps: u32,
    step_unit: &'a str,
    engine_version: &'a str,
    observations: &'a [ObservationScore],
    totals: &'a Totals,
    ablations: &'a [AblationTotals],
}

impl Files<ScoreRun> for ScoreJson {
    fn files(&self, r: &ScoreRun) -> io::Result<Vec<File>> {
        let m = &r.summary.manifest;
        json_file(
            "score.json",
            &Document {
                scenario: &m.scenario,
                scenario_sha256: &m.scenario_sha256,
                scenario_chain: &m.scenario_chain,
                observed: &r.observed,
                observed_sha256: &r.observed_sha256,
                seed: m.seed,
                trajectories: m.trajectories,
                steps: m.steps,
                step_unit: &m.step_unit,
                engine_version: &m.engine_version,
                observations: &r.scores,
                totals: &r.totals,
                ablations: &r.ablations,
            },
        )
    }
}
