//! `compare.json`: every scenario's name and hash, each shared outcome's probability in each
//! and paired difference from the reference, and each shared metric's paired effect.
//!
//! For two scenarios the file begins with the keys it has always had (`a`, `b`, `seed`,
//! `trajectories`, `engine_version`, `outcomes`, `only_in_a`, `only_in_b`), with the same
//! values, so readers of the two-way file keep working; the N-way keys follow. With more
//! than two, `a`, `b`, `outcomes` and `only_in_*` would be ambiguous and are left out.
//! `defined_differently` is written only when some outcome is.

use std::io;
use std::path::Path;

use serde::Serialize;

use super::{json_file, Exporter, File, Files};
use crate::analysis::compare::{folder, MetricEffect, OutcomeAcross, ScenarioEntry, Side};
use crate::analysis::{Comparison, OutcomeDifference};

pub struct CompareJson;

#[derive(Serialize)]
struct Document<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    a: Option<Side>,
    #[serde(skip_serializing_if = "Option::is_none")]
    b: Option<Side>,
    seed: u64,
    trajectories: u64,
    engine_version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcomes: Option<&'a [OutcomeDifference]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    only_in_a: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    only_in_b: Option<&'a [String]>,
    /// The reference first.
    scenarios: Vec<ScenarioEntry>,
    /// Outcomes every scenario defines.
    by_outcome: &'a [OutcomeAcross],
    /// Outcomes some scenario does not define.
    not_shared: &'a [String],
    /// Outcomes some scenario defines differently from the reference (not compared); only
    /// when there are any, so that the files of other comparisons keep their bytes.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    defined_differently: &'a [String],
    /// Tracked metrics every scenario defines: each scenario's effect at the last step.
    metrics: &'a [MetricEffect],
}

impl Files<Comparison> for CompareJson {
    fn files(&self, c: &Comparison) -> io::Result<Vec<File>> {
        let side = |s: &crate::analysis::RunSummary| Side {
            name: s.manifest.scenario.clone(),
            scenario_sha256: s.manifest.scenario_sha256.clone(),
        };
        let two = (c.scenarios.len() == 2).then(|| &c.pairwise[0]);
        let r = &c.reference().manifest;
        let document = Document {
            a: two.map(|_| side(&c.scenarios[0])),
            b: two.map(|_| side(&c.scenarios[1])),
            seed: r.seed,
            trajectories: r.trajectories,
            engine_version: &r.engine_version,
            outcomes: two.map(|p| p.outcomes.as_slice()),
            only_in_a: two.map(|p| p.only_in_a.as_slice()),
            only_in_b: two.map(|p| p.only_in_b.as_slice()),
            scenarios: c.entries(),
            by_outcome: &c.outcomes,
            not_shared: &c.not_shared,
            defined_differently: &c.defined_differently,
            metrics: &c.metrics,
        };
        json_file("compare.json", &document)
    }
}

/// Each scenario's own results, in `a/`, `b/`, `c/` ... in the order given, written by the
/// run exporters.
pub struct Sides;

impl Exporter<Comparison> for Sides {
    fn write(&self, c: &Comparison, dir: &Path) -> io::Result<()> {
        for (i, summary) in c.scenarios.iter().enumerate() {
            let sub = dir.join(folder(i));
            // Already there when the run's records were written into it.
            super::folder::journal::create_dir_all(&sub)?;
            for exporter in super::run_exporters() {
                exporter.write(summary, &sub)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::examples::{comparison, only_file};

    #[test]
    fn a_comparison_names_both_sides_then_the_differences() {
        let text = only_file(CompareJson.files(&comparison()).unwrap(), "compare.json");
        assert!(text.starts_with(
            "{\n  \"a\": {\n    \"name\": \"before\",\n    \"scenario_sha256\": \"ab12\"\n  },\n  \
             \"b\": {\n    \"name\": \"after\","
        ));
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["seed"], 7);
        assert_eq!(json["trajectories"], 40);
        assert_eq!(json["engine_version"], "9");
        assert_eq!(json["outcomes"][0]["diff"], 0.25);
        assert_eq!(json["outcomes"][0]["only_b"], 11);
        assert_eq!(json["only_in_a"], serde_json::json!(["peace"]));
        assert_eq!(json["only_in_b"], serde_json::json!([]));
    }
}
