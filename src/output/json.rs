//! `summary.json`: the manifest, every outcome with its interval, and the final quantiles of
//! every tracked metric.

use std::io;

use serde::Serialize;

use super::{json_file, File, Files};
use crate::analysis::{Band, BlocConfiguration, EventSummary, OutcomeSummary, RunSummary};

pub struct SummaryJson;

#[derive(Serialize)]
struct Document<'a> {
    scenario: &'a str,
    description: &'a str,
    scenario_sha256: &'a str,
    seed: u64,
    trajectories: u64,
    steps: u32,
    step_unit: &'a str,
    engine_version: &'a str,
    outcomes: &'a [OutcomeSummary],
    #[serde(rename = "final")]
    finals: Vec<Final<'a>>,
    events: Vec<EventLine<'a>>,
    /// The most frequent final two-bloc configurations.
    blocs: &'a [BlocConfiguration],
}

#[derive(Serialize)]
struct Final<'a> {
    metric: &'a str,
    #[serde(flatten)]
    band: &'a Band,
}

#[derive(Serialize)]
struct EventLine<'a> {
    name: &'a str,
    fired: f64,
    mean_firings: f64,
}

impl EventLine<'_> {
    fn of(e: &EventSummary) -> EventLine<'_> {
        EventLine {
            name: &e.name,
            fired: e.fired,
            mean_firings: e.mean_firings,
        }
    }
}

impl Files<RunSummary> for SummaryJson {
    fn files(&self, s: &RunSummary) -> io::Result<Vec<File>> {
        let m = &s.manifest;
        let document = Document {
            scenario: &m.scenario,
            description: &s.description,
            scenario_sha256: &m.scenario_sha256,
            seed: m.seed,
            trajectories: m.trajectories,
            steps: m.steps,
            step_unit: &m.step_unit,
            engine_version: &m.engine_version,
            outcomes: &s.outcomes,
            finals: s
                .finals()
                .map(|(metric, band)| Final { metric, band })
                .collect(),
            events: s.events.iter().map(EventLine::of).collect(),
            blocs: &s.blocs,
        };
        json_file("summary.json", &document)
    }
}
