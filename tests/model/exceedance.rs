//! Exceedance curves of level outcomes (issue 22, item 5): `exceedance.csv` gives, for
//! every outcome that compares one metric with a threshold, the share of trajectories on
//! its side of every nearby threshold; at the file's own threshold it is the outcome's
//! count in summary.json, exactly.

use crate::common;

use std::path::{Path, PathBuf};

use common::scenario;

/// One row of exceedance.csv, as written.
#[derive(Debug, Clone, serde::Deserialize)]
struct Row {
    outcome: String,
    kind: String,
    side: String,
    threshold: String,
    x: String,
    count: u64,
    trajectories: u64,
    probability: String,
}

fn rows(out: &Path) -> Vec<Row> {
    let mut reader = csv::Reader::from_path(out.join("exceedance.csv")).unwrap();
    reader.deserialize().map(|r| r.unwrap()).collect()
}

fn number(text: &str) -> f64 {
    text.parse().unwrap()
}

/// Each outcome's rows, in the file's order.
fn curves(rows: &[Row]) -> Vec<(String, Vec<Row>)> {
    let mut curves: Vec<(String, Vec<Row>)> = Vec::new();
    for row in rows {
        match curves.last_mut() {
            Some((name, list)) if *name == row.outcome => list.push(row.clone()),
            _ => curves.push((row.outcome.clone(), vec![row.clone()])),
        }
    }
    curves
}

/// baseline.ron: level outcomes at the end and "ever", above and below.
fn baseline(dir: &Path) -> PathBuf {
    let file = scenario("baseline.ron");
    let args: [&dyn AsRef<std::ffi::OsStr>; 5] =
        [&file, &"--trajectories", &"2000", &"--seed", &"3"];
    common::run_into(&dir.join("baseline"), &args)
}

/// Two states and sigma 0: the stance of A toward B is 0 until the event at step 3 sets
/// its affinity to atanh(0.5), then 0.5 (`tests/model/average.rs`). Four level outcomes
/// on it, one of each kind, and four that are not levels.
fn ramp(dir: &Path) -> PathBuf {
    let text = "Scenario(name: \"ramp\", steps: 6, trajectories: 40, channels: [\"aid\"],
          states: [State(name: \"A\"), State(name: \"B\")],
          params: Params(eta: 1.0, sigma: 0.0), background: None,
          events: [Event(name: \"jump\", at: 3,
                         effects: [Affinity(\"A\", \"B\", Set(0.5493061443340549))])],
          outcomes: [
            Outcome(name: \"end_above\", at_end: Above(Stance(\"A\", \"B\"), 0.3)),
            Outcome(name: \"ever_above\", ever: Above(Stance(\"A\", \"B\"), 0.3)),
            Outcome(name: \"end_below\", at_end: Below(Stance(\"A\", \"B\"), 0.3)),
            Outcome(name: \"ever_below\", ever: Below(Stance(\"A\", \"B\"), 0.3)),
            Outcome(name: \"jumped\", ever: After(\"jump\")),
            Outcome(name: \"both\", at_end: All([Above(Stance(\"A\", \"B\"), 0.3)])),
            Outcome(name: \"together\", at_end: Above(SameBloc(\"A\", \"B\"), 0.5)),
            Outcome(name: \"beyond\", at_end: Above(Stance(\"A\", \"B\"), 1.5)),
          ],
          metrics: [Stance(\"A\", \"B\")])";
    let file = common::write(dir, "ramp.ron", text);
    common::run_into(&dir.join("ramp"), &[&file])
}

#[test]
fn the_curve_at_the_files_threshold_is_the_outcomes_count_in_summary_json() {
    let dir = tempfile::tempdir().unwrap();
    for out in [baseline(dir.path()), ramp(dir.path())] {
        let summary = common::json(&out.join("summary.json"));
        let curves = curves(&rows(&out));
        let kinds: Vec<(&str, &str)> = (curves.iter())
            .map(|(_, c)| (c[0].kind.as_str(), c[0].side.as_str()))
            .collect();
        assert!(kinds.contains(&("at_end", "above")) && kinds.contains(&("ever", "above")));
        assert!(kinds.contains(&("at_end", "below")), "{kinds:?}");
        for (name, curve) in &curves {
            let at: Vec<&Row> = curve.iter().filter(|r| r.x == r.threshold).collect();
            assert_eq!(at.len(), 1, "{name}: the threshold is one row of its curve");
            let outcome = (summary["outcomes"].as_array().unwrap().iter())
                .find(|o| o["name"] == name.as_str())
                .unwrap();
            assert_eq!(at[0].count, outcome["count"].as_u64().unwrap(), "{name}");
            assert_eq!(
                at[0].trajectories,
                summary["trajectories"].as_u64().unwrap()
            );
            // The same number, written the same way.
            assert_eq!(
                at[0].probability,
                outcome["probability"].to_string(),
                "{name}"
            );
        }
    }
}

#[test]
fn every_curve_falls_above_its_threshold_and_rises_below_it() {
    // P(value > x) cannot grow with x, P(value < x) cannot fall; x increases down the file.
    let dir = tempfile::tempdir().unwrap();
    let out = baseline(dir.path());
    for (name, curve) in curves(&rows(&out)) {
        for pair in curve.windows(2) {
            assert!(number(&pair[0].x) < number(&pair[1].x), "{name}");
            let (a, b) = (pair[0].count, pair[1].count);
            let ok = match pair[0].side.as_str() {
                "above" => b <= a,
                _ => b >= a,
            };
            assert!(ok, "{name}: {} then {} at x = {}", a, b, pair[1].x);
        }
        let moved = curve.first().unwrap().count != curve.last().unwrap().count;
        assert!(
            moved,
            "{name}: a curve over the whole range goes from 0 to 1"
        );
    }
}

#[test]
fn a_metric_fixed_at_a_value_gives_a_curve_of_one_on_its_side_and_zero_beyond() {
    // The stance ends at 0.5 in every trajectory, its largest value is 0.5 and its smallest
    // 0 (steps 0 to 2): above x holds for every x below the value and no x above it,
    // below x the other way round.
    let dir = tempfile::tempdir().unwrap();
    let out = ramp(dir.path());
    let curves = curves(&rows(&out));
    let names: Vec<&str> = curves.iter().map(|(n, _)| n.as_str()).collect();
    // After, All, a bloc indicator and a threshold outside the metric's range: no curve.
    assert_eq!(
        names,
        ["end_above", "ever_above", "end_below", "ever_below"]
    );
    let value = |name: &str| match name {
        "ever_below" => 0.0,
        _ => 0.5,
    };
    for (name, curve) in &curves {
        assert_eq!(curve.len(), 401, "{name}: every 0.005 over [-1, 1]");
        let v = value(name);
        for row in curve {
            let x = number(&row.x);
            let p = number(&row.probability);
            if (x - v).abs() < 1e-9 {
                continue; // the value itself: on a side only by rounding
            }
            let on_side = match row.side.as_str() {
                "above" => v > x,
                _ => v < x,
            };
            assert_eq!(p, f64::from(u8::from(on_side)), "{name} at x = {x}");
        }
    }
}
