//! `summary.json`: the manifest, every outcome with its interval, and the final quantiles of
//! every tracked metric.

use std::io;

use serde::Serialize;

use super::{json_file, File, Files};
use crate::analysis::summary::{ChainLink, Standings};
use crate::analysis::{Band, BlocConfiguration, EventSummary, OutcomeSummary, RunSummary};

pub struct SummaryJson;

#[derive(Serialize)]
struct Document<'a> {
    scenario: &'a str,
    description: &'a str,
    scenario_sha256: &'a str,
    /// Every file of a variant's chain (README, "Variants"); absent for a full scenario.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    scenario_chain: &'a [ChainLink],
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
    /// Per state: in the first state's bloc, in the other, or between, at the last step.
    bloc_standing: &'a Standings,
    /// The file's ranges on numbers other than parameters, each `{path, distribution}`
    /// (README, "Ranges"); absent for a file without any.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    ranges: Vec<RangeLine<'a>>,
    /// `{trajectories, of}`: trajectories whose drawn initial shares passed 1 in a row and
    /// were scaled back; absent when no share is drawn.
    #[serde(skip_serializing_if = "Option::is_none")]
    rows_scaled_back: Option<ScaledBack>,
    /// `{number, change}`: a file with `at_rest: false` whose world, left alone (no event,
    /// noise or background, each range at its median), moves a stance or share by more
    /// than 0.02 over the horizon: the one that moves most and its largest change; absent
    /// otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    drift: Option<DriftLine<'a>>,
}

#[derive(Serialize)]
struct DriftLine<'a> {
    number: &'a str,
    change: f64,
}

#[derive(Serialize)]
struct RangeLine<'a> {
    path: &'a str,
    distribution: &'a str,
}

#[derive(Serialize)]
struct ScaledBack {
    trajectories: u64,
    of: u64,
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
            scenario_chain: &m.scenario_chain,
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
            bloc_standing: &s.standings,
            ranges: s
                .ranges
                .iter()
                .map(|r| RangeLine {
                    path: &r.path,
                    distribution: &r.value,
                })
                .collect(),
            rows_scaled_back: s
                .rows_scaled_back
                .map(|(trajectories, of)| ScaledBack { trajectories, of }),
            drift: s.drift.as_ref().map(|d| DriftLine {
                number: &d.path,
                change: d.change,
            }),
        };
        json_file("summary.json", &document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::examples::{only_file, run};

    #[test]
    fn the_summary_starts_with_the_manifest_in_its_order() {
        let text = only_file(SummaryJson.files(&run("r")).unwrap(), "summary.json");
        assert!(text.starts_with(
            "{\n  \"scenario\": \"r\",\n  \"description\": \"a test\",\n  \
             \"scenario_sha256\": \"ab12\",\n  \"seed\": 7,\n  \"trajectories\": 40,\n  \
             \"steps\": 1,\n  \"step_unit\": \"quarter\",\n  \"engine_version\": \"9\",\n"
        ));
        assert!(text.ends_with("}\n"));
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["outcomes"][0]["name"], "war");
        assert_eq!(json["outcomes"][0]["median_first_step"], 1);
        assert_eq!(json["final"][0]["metric"], "Stance(A, B)");
        assert_eq!(json["final"][0]["mean"], 0.5);
        assert_eq!(json["events"][0]["mean_firings"], 0.75);
        assert!(json["events"][0].get("fired_by").is_none());
        assert_eq!(json["blocs"], serde_json::json!([]));
    }
}
