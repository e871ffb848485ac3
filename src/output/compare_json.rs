//! `compare.json`: both sides' names and hashes, and each shared outcome's paired difference.

use std::io;
use std::path::Path;

use serde::Serialize;

use super::{json_file, Exporter, File, Files};
use crate::analysis::{compare::Side, Comparison, OutcomeDifference};

pub struct CompareJson;

#[derive(Serialize)]
struct Document<'a> {
    a: Side,
    b: Side,
    seed: u64,
    trajectories: u64,
    engine_version: &'a str,
    outcomes: &'a [OutcomeDifference],
    only_in_a: &'a [String],
    only_in_b: &'a [String],
}

impl Files<Comparison> for CompareJson {
    fn files(&self, c: &Comparison) -> io::Result<Vec<File>> {
        let side = |s: &crate::analysis::RunSummary| Side {
            name: s.manifest.scenario.clone(),
            scenario_sha256: s.manifest.scenario_sha256.clone(),
        };
        let document = Document {
            a: side(&c.a),
            b: side(&c.b),
            seed: c.a.manifest.seed,
            trajectories: c.a.manifest.trajectories,
            engine_version: &c.a.manifest.engine_version,
            outcomes: &c.outcomes,
            only_in_a: &c.only_in_a,
            only_in_b: &c.only_in_b,
        };
        json_file("compare.json", &document)
    }
}

/// Each side's own results, in `a/` and `b/`, written by the run exporters.
pub struct Sides;

impl Exporter<Comparison> for Sides {
    fn write(&self, c: &Comparison, dir: &Path) -> io::Result<()> {
        for (name, summary) in [("a", &c.a), ("b", &c.b)] {
            let sub = dir.join(name);
            std::fs::create_dir(&sub)?;
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
