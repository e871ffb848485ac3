//! `simulate explain`'s contributions are comparisons: each event's is what `simulate
//! compare` gives for the scenario and a variant file without the event, number for number.

use std::path::Path;

use crate::common;

use common::{json, read, run_into, scenario, write};

/// The rows of `contributions.csv` for `event`, by (kind, name): with, without, effect,
/// ci_low, ci_high. Read by serde_json's parser, as `compare.json` is: it is not always
/// correctly rounded, but both files write the shortest text of each number, so the same
/// number reads the same.
fn contributions(dir: &Path, event: &str) -> Vec<((String, String), [f64; 5])> {
    let text = String::from_utf8(read(&dir.join("contributions.csv"))).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[2] == event)
        .map(|r| {
            let number = |i: usize| serde_json::from_str::<f64>(&r[i]).unwrap();
            let key = (r[0].to_string(), r[1].to_string());
            (key, [3, 4, 5, 6, 7].map(number))
        })
        .collect()
}

/// What `compare.json` of (scenario, variant) says of each outcome and tracked metric, in
/// the columns of `contributions.csv`.
fn compared(dir: &Path) -> Vec<((String, String), [f64; 5])> {
    let c = json(&dir.join("compare.json"));
    let number = |v: &serde_json::Value, k: &str| v[k].as_f64().unwrap();
    let mut rows = Vec::new();
    for o in c["outcomes"].as_array().unwrap() {
        let key = (
            "outcome".to_string(),
            o["name"].as_str().unwrap().to_string(),
        );
        let keys = ["a", "b", "diff", "ci_low", "ci_high"];
        rows.push((key, keys.map(|k| number(o, k))));
    }
    for m in c["metrics"].as_array().unwrap() {
        let key = (
            "metric".to_string(),
            m["name"].as_str().unwrap().to_string(),
        );
        let keys = ["reference_mean", "mean", "diff", "ci_low", "ci_high"];
        rows.push((key, keys.map(|k| number(m, k))));
    }
    rows
}

/// `simulate explain` of a copy of putin_visit.ron, and `simulate compare` of it with the
/// variant `changes` beside it: the contributions of `event` must be the comparison's.
fn explain_agrees_with_compare(event: &str, changes: &str) {
    let dir = tempfile::tempdir().unwrap();
    for file in ["baseline.ron", "putin_visit.ron"] {
        std::fs::copy(scenario(file), dir.path().join(file)).unwrap();
    }
    let visit = dir.path().join("putin_visit.ron");
    let text =
        format!("Variant(base: \"putin_visit.ron\", name: \"by hand\", changes: [{changes}])");
    let by_hand = write(dir.path(), "by_hand.ron", &text);
    let n: [&dyn AsRef<std::ffi::OsStr>; 4] = [&"-n", &"600", &"--seed", &"5"];
    let explained = run_into(
        &dir.path().join("explained"),
        &[&"explain", &visit, n[0], n[1], n[2], n[3]],
    );
    let pair = run_into(
        &dir.path().join("compared"),
        &[&"compare", &visit, &by_hand, n[0], n[1], n[2], n[3]],
    );
    let ours = contributions(&explained, event);
    let theirs = compared(&pair);
    assert_eq!(ours.len(), theirs.len(), "{ours:?}\n{theirs:?}");
    for (key, numbers) in &theirs {
        let found = ours.iter().find(|(k, _)| k == key);
        assert_eq!(found.map(|(_, x)| x), Some(numbers), "{event}: {key:?}");
    }
    // Not a comparison of nothing: removing the event moves some outcome.
    assert!(ours.iter().any(|(_, x)| x[2] != 0.0), "{ours:?}");
}

#[test]
fn removing_an_event_in_a_variant_file_and_comparing_gives_the_contribution_explain_gives() {
    explain_agrees_with_compare("us_aid_cut", "RemoveEvent(\"us_aid_cut\")");
}

/// Defect: `RemoveEvent` refuses an event that others name (`After("putin_visit")`), so
/// explain skipped putin_visit.ron's own visit with a warning and gave it no contribution
/// at all. It now never fires instead, which the variant `SetTiming(e, Hazard(0))` does.
#[test]
fn an_event_that_other_events_name_gets_the_contribution_of_a_variant_where_it_never_fires() {
    explain_agrees_with_compare("putin_visit", "SetTiming(\"putin_visit\", Hazard(0.0))");
}
