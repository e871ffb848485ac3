//! `simulate compare`: common random numbers make paired intervals narrower than two
//! independent runs would give.

mod common;

use common::{json, scenario, simulate};

#[test]
fn compare_pairs_trajectories_and_reports_differences_with_narrow_intervals() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("D");
    simulate()
        .arg("compare")
        .arg(scenario("baseline.ron"))
        .arg(scenario("putin_visit.ron"))
        .args(["--trajectories", "4000", "--seed", "9", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();

    let c = json(&out.join("compare.json"));
    assert_eq!(c["a"]["name"], "baseline");
    assert_eq!(c["b"]["name"], "putin_visit");
    assert_eq!(c["seed"], 9);
    assert_eq!(c["trajectories"], 4000);
    let outcomes = c["outcomes"].as_array().unwrap();
    assert!(!outcomes.is_empty());
    let n = 4000.0;
    let (mut narrower, mut significant) = (0, 0);
    for o in outcomes {
        let f = |k: &str| o[k].as_f64().unwrap();
        let (a, b, diff, lo, hi) = (f("a"), f("b"), f("diff"), f("ci_low"), f("ci_high"));
        assert!((diff - (b - a)).abs() < 1e-12, "{o}");
        assert!(lo <= diff && diff <= hi, "{o}");
        let unpaired = 1.96 * ((a * (1.0 - a) + b * (1.0 - b)) / n).sqrt();
        if (hi - lo) / 2.0 < 0.8 * unpaired {
            narrower += 1;
        }
        if lo > 0.0 || hi < 0.0 {
            significant += 1;
        }
    }
    assert!(
        narrower >= 1,
        "common random numbers should narrow some interval: {c}"
    );
    assert!(significant >= 1, "the visit should move some outcome: {c}");
    assert!(out.join("a/summary.json").is_file() && out.join("b/summary.json").is_file());
}

#[test]
fn comparing_a_scenario_with_itself_gives_zero_differences_with_zero_width() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("same");
    let file = scenario("baseline.ron");
    simulate()
        .arg("compare")
        .arg(&file)
        .arg(&file)
        .args(["--trajectories", "300", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let c = json(&out.join("compare.json"));
    let outcomes = c["outcomes"].as_array().unwrap();
    // An empty list would make the loop below pass without checking anything.
    assert!(!outcomes.is_empty(), "baseline has outcomes: {c}");
    for o in outcomes {
        assert_eq!(o["diff"].as_f64(), Some(0.0), "{o}");
        assert_eq!(o["ci_low"].as_f64(), Some(0.0), "{o}");
        assert_eq!(o["ci_high"].as_f64(), Some(0.0), "{o}");
    }
}
