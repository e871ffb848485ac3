//! `--records` on run, compare and score (docs/src/howto/records.md): one row per
//! trajectory, read here as any reader of Parquet reads it, whose counts agree with what
//! the run's own summary says.

use crate::common;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::Path;

use common::{data, json, scenario};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

/// The columns of a records file by name, each as its values in row order.
fn columns(path: &Path) -> BTreeMap<String, Vec<Field>> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = SerializedFileReader::new(file).unwrap();
    let mut columns: BTreeMap<String, Vec<Field>> = BTreeMap::new();
    for row in reader.get_row_iter(None).unwrap() {
        for (name, field) in row.unwrap().get_column_iter() {
            columns.entry(name.clone()).or_default().push(field.clone());
        }
    }
    columns
}

/// Each outcome of `summary.json` held in as many rows as it counts, the rows are the
/// trajectories in order, and an event's first step is null exactly when it never fired.
fn assert_agrees_with_summary(folder: &Path, trajectories: usize) {
    let columns = columns(&folder.join("records.parquet"));
    let index = &columns["trajectory"];
    assert_eq!(index.len(), trajectories);
    assert!(index
        .iter()
        .enumerate()
        .all(|(r, x)| *x == Field::Long(r as i64)));
    let summary = json(&folder.join("summary.json"));
    for outcome in summary["outcomes"].as_array().unwrap() {
        let name = outcome["name"].as_str().unwrap();
        let held = columns[&format!("outcome.{name}")]
            .iter()
            .filter(|x| **x == Field::Bool(true))
            .count();
        assert_eq!(held as u64, outcome["count"].as_u64().unwrap(), "{name}");
    }
    for event in summary["events"].as_array().unwrap() {
        let name = event["name"].as_str().unwrap();
        let first = &columns[&format!("event.{name}.first_step")];
        let firings = &columns[&format!("event.{name}.firings")];
        for (f, n) in first.iter().zip(firings) {
            assert_eq!(
                *f == Field::Null,
                *n == Field::Int(0),
                "{name}: {f:?} {n:?}"
            );
        }
    }
}

#[test]
fn a_run_with_records_writes_one_row_per_trajectory_that_agrees_with_its_summary() {
    let dir = tempfile::tempdir().unwrap();
    let visit = scenario("putin_visit.ron");
    let args: [&dyn AsRef<OsStr>; 4] = [&visit, &"--trajectories", &"700", &"--records"];
    let out = common::run_into(&dir.path().join("run"), &args);
    assert_agrees_with_summary(&out, 700);
    let columns = columns(&out.join("records.parquet"));
    // The drawn inputs by path, the "ever" outcome's first step, the metrics' final values.
    for name in [
        "gamma",
        "kappa.arms",
        "outcome.partnership_peaks.first_step",
        "final.Partnership(Pakistan, Russia)",
    ] {
        assert!(columns.contains_key(name), "{name}: {:?}", columns.keys());
    }
    // A drawn step is a column (the visit's date is a range); a fixed number is none (the
    // amounts of us_arms_india's share pair are written as numbers).
    assert!(columns.contains_key("event.putin_visit.at"));
    assert!(!columns.contains_key("event.us_arms_india.effect.1"));
}

#[test]
fn compare_and_score_with_records_write_each_scenarios_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (baseline, visit) = (scenario("baseline.ron"), scenario("putin_visit.ron"));
    let args: [&dyn AsRef<OsStr>; 6] = [
        &"compare",
        &baseline,
        &visit,
        &"--trajectories",
        &"300",
        &"--records",
    ];
    let out = common::run_into(&dir.path().join("compare"), &args);
    assert_agrees_with_summary(&out.join("a"), 300);
    assert_agrees_with_summary(&out.join("b"), 300);
    assert!(!out.join("records.parquet").exists());

    let observed = data("baseline.observed.csv");
    let args: [&dyn AsRef<OsStr>; 7] = [
        &"score",
        &baseline,
        &"--observed",
        &observed,
        &"--trajectories",
        &"300",
        &"--records",
    ];
    let out = common::run_into(&dir.path().join("score"), &args);
    assert_agrees_with_summary(&out, 300);
}

#[test]
fn records_is_refused_by_commands_that_keep_no_trajectories() {
    let visit = scenario("putin_visit.ron");
    let message = common::exits(
        2,
        &[
            &"sweep",
            &visit,
            &"--param",
            &"lambda=0.3:0.9:2",
            &"--records",
        ],
    );
    assert!(message.contains("--records"), "{message}");
}
