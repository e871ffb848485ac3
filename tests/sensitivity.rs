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
