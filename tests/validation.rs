//! Historical regression pins (scenarios/validation/): each runs through the binary and
//! must keep reproducing its published outcome.
//!
//! These are not validations. Both event lists were completed while looking at the answer
//! (1907: 4% -> 90%; 1971: 49% -> 100%), so a pass only says that today's code still gives
//! what the calibrated files gave; a failure says a change moved a known answer. README,
//! "How far to trust it", says the same.

mod common;

use common::{json, scenario, simulate};

/// Trajectories per case: enough to place the top configuration's probability within about
/// two points (95%), few enough for a debug build.
const TRAJECTORIES: &str = "2000";

/// Runs a pinned case and returns the most frequent final bloc configuration as
/// (bloc of the first state, other bloc, probability).
fn top_configuration(file: &str) -> (Vec<String>, Vec<String>, f64) {
    let out = tempfile::tempdir().unwrap();
    simulate()
        .arg(scenario(&format!("validation/{file}")))
        .args(["--trajectories", TRAJECTORIES, "--quiet", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let summary = json(&out.path().join("summary.json"));
    let top = &summary["blocs"][0];
    let names = |v: &serde_json::Value| -> Vec<String> {
        let mut names: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    (
        names(&top["with_first"]),
        names(&top["other"]),
        top["probability"].as_f64().unwrap(),
    )
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn pin_entente_1907_still_ends_in_the_triple_entente_against_the_triple_alliance() {
    let (entente, alliance, p) = top_configuration("entente_1907.ron");
    assert_eq!(entente, sorted(&["Britain", "France", "Russia"]));
    assert_eq!(alliance, sorted(&["Germany", "Austria-Hungary", "Italy"]));
    assert!(
        p >= 0.8,
        "the Triple Entente split has probability {p}, below 0.8"
    );
}

#[test]
fn pin_south_asia_1971_still_ends_with_china_beside_the_united_states_and_india_beside_moscow() {
    let (american, soviet, p) = top_configuration("south_asia_1971.ron");
    assert_eq!(american, sorted(&["USA", "China", "Pakistan"]));
    assert_eq!(soviet, sorted(&["USSR", "India"]));
    assert!(p >= 0.8, "the 1971 split has probability {p}, below 0.8");
}
