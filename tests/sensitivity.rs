//! `simulate sensitivity`: runs on a shipped scenario with sampled parameters, writes its
//! files, is reproducible, and refuses a scenario with nothing sampled.

mod common;

use common::{scenario, simulate};

fn run(threads: &str, dir: &std::path::Path) {
    simulate()
        .arg("sensitivity")
        .arg(scenario("putin_visit.ron"))
        .args([
            "--samples",
            "8",
            "--trajectories",
            "32",
            "--threads",
            threads,
            "--quiet",
            "--out",
        ])
        .arg(dir)
        .assert()
        .success();
}

#[test]
fn putin_visit_gets_indices_for_each_outcome_and_sampled_parameter() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("one");
    run("1", &dir);
    let mut reader = csv::Reader::from_path(dir.join("sensitivity.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // putin_visit samples eta, sigma and lambda; it has five outcomes.
    assert_eq!(rows.len(), 15);
    let factors: Vec<&str> = rows.iter().take(3).map(|r| &r[1]).collect();
    assert_eq!(factors, ["eta", "sigma", "lambda"]);
    for r in &rows {
        let total: f64 = r[6].parse().unwrap();
        assert!(total.is_finite() && total >= 0.0, "{r:?}");
    }
    assert!(dir
        .join("plots/tornado_01_partnership_deepens.png")
        .is_file());

    let two = tmp.path().join("two");
    run("2", &two);
    assert_eq!(
        std::fs::read(dir.join("sensitivity.csv")).unwrap(),
        std::fs::read(two.join("sensitivity.csv")).unwrap()
    );
}

#[test]
fn a_scenario_without_sampled_parameters_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("fixed.ron");
    std::fs::write(
        &file,
        r#"(name: "fixed", steps: 2, states: [(name: "A"), (name: "B")],
            outcomes: [(name: "x", at_end: Above(Stance("A", "B"), 0.0))])"#,
    )
    .unwrap();
    simulate()
        .arg("sensitivity")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no parameter is given as a distribution",
        ));
}

/// Reliability flags: the indices of an outcome true in every run were written to
/// sensitivity.csv like any other, though there is no variation for them to explain. Now
/// every row of such an outcome says `reliable` false and why.
#[test]
fn an_outcome_that_is_always_true_is_flagged_unreliable() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("certain.ron");
    // A stance is never below -1, so the outcome holds in every run at every design point.
    std::fs::write(
        &file,
        r#"(name: "certain", steps: 4, trajectories: 20, states: [(name: "A"), (name: "B")],
            params: (sigma: Uniform(0.01, 0.05)),
            outcomes: [(name: "never_below", at_end: Above(Stance("A", "B"), -1.5))])"#,
    )
    .unwrap();
    let dir = tmp.path().join("out");
    simulate()
        .arg("sensitivity")
        .arg(&file)
        .args(["--samples", "8", "--quiet", "--out"])
        .arg(&dir)
        .assert()
        .success();
    let mut reader = csv::Reader::from_path(dir.join("sensitivity.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][column("reliable")], "false");
    let why = &rows[0][column("why")];
    assert!(why.contains("probability 100.00% is above 99%"), "{why}");
    assert!(why.contains("below the floor 1.0e-4"), "{why}");
}

/// Reliability flags: every row of a shipped scenario's analysis says whether it can be
/// read, with a reason exactly when it cannot (the well-behaved case reading true is the
/// unit test `a_well_behaved_output_is_reliable`).
#[test]
fn every_row_says_whether_it_is_reliable_and_why() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    simulate()
        .arg("sensitivity")
        .arg(scenario("putin_visit.ron"))
        .args(["--samples", "8", "--trajectories", "32", "--quiet", "--out"])
        .arg(&dir)
        .assert()
        .success();
    let mut reader = csv::Reader::from_path(dir.join("sensitivity.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    for r in reader.records().map(Result::unwrap) {
        // Every row says one or the other, and a reason exactly when it is unreliable.
        let reliable = &r[column("reliable")];
        assert!(reliable == "true" || reliable == "false", "{r:?}");
        assert_eq!(reliable == "false", !r[column("why")].is_empty(), "{r:?}");
    }
}
