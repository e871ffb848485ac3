//! `Average(metric, k)`, the trailing mean of a metric over the last k steps, on a world
//! whose trajectory is known by hand.

use crate::common;

use std::path::{Path, PathBuf};

use common::simulate;

/// Two states, no ties, eta 1 and sigma 0 as given: each step the stance of A toward B
/// becomes tanh of its affinity (no balance, dependency or leverage with two states and no
/// ties). The affinity is 0 until the event at step 3 sets it to atanh(0.5), so the stance
/// is 0 at steps 0..=2 and 0.5 from step 3 on.
fn world(steps: u32, sigma: f64, outcomes: &str, metrics: &str) -> String {
    format!(
        "Scenario(name: \"ramp\", steps: {steps}, trajectories: 8, channels: [\"aid\"],
          states: [State(name: \"A\"), State(name: \"B\")],
          params: Params(eta: 1.0, sigma: {sigma}),
          events: [Event(name: \"jump\", at: 3,
                         effects: [Affinity(\"A\", \"B\", Set(0.5493061443340549))])],
          outcomes: [{outcomes}],
          metrics: [{metrics}])"
    )
}

/// Runs `text` and returns the output folder (kept alive by the returned guard).
fn run(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ramp.ron");
    std::fs::write(&file, text).unwrap();
    let out = common::run_into(&dir.path().join("out"), &[&file]);
    (dir, out)
}

/// The mean column of timeseries.csv for `metric`, step by step, as written.
fn means(out: &Path, metric: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_path(out.join("timeseries.csv")).unwrap();
    reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[1] == metric)
        .map(|r| r[2].to_string())
        .collect()
}

fn outcome(out: &Path, name: &str) -> serde_json::Value {
    let summary = common::json(&out.join("summary.json"));
    let outcomes = summary["outcomes"].as_array().unwrap();
    outcomes.iter().find(|o| o["name"] == name).unwrap().clone()
}

#[test]
fn an_average_ramps_over_k_steps_after_a_jump_as_computed_by_hand() {
    // The stance jumps from 0 to 0.5 at step 3; its mean over the last 4 steps takes one
    // quarter of the jump per step: 0.125, 0.25, 0.375, then 0.5 once the window holds only
    // steps after the jump. Steps 0..=2 average fewer than 4 values, all 0.
    let text = world(8, 0.0, "", "Average(Stance(\"A\", \"B\"), 4)");
    let (_dir, out) = run(&text);
    let got: Vec<f64> = means(&out, "Average(Stance(A, B), 4)")
        .iter()
        .map(|m| m.parse().unwrap())
        .collect();
    let by_hand = [0.0, 0.0, 0.0, 0.125, 0.25, 0.375, 0.5, 0.5, 0.5];
    assert_eq!(got.len(), by_hand.len(), "{got:?}");
    for (t, (g, h)) in got.iter().zip(by_hand).enumerate() {
        // tanh(atanh(0.5)) is 0.5 to a few ulps in the model's own tanh.
        assert!((g - h).abs() < 1e-12, "step {t}: {g} != {h}");
    }
}

#[test]
fn an_average_over_one_step_is_the_metric_itself() {
    // With noise, every step differs; a window of one step must still give the metric's own
    // value, digit for digit, at every step.
    let metrics = "Partnership(\"A\", \"B\"), Average(Partnership(\"A\", \"B\"), 1)";
    let (_dir, out) = run(&world(12, 0.2, "", metrics));
    let level = means(&out, "Partnership(A, B)");
    assert_eq!(level.len(), 13);
    assert!(level.iter().any(|m| m != &level[0]), "noise moves it");
    assert_eq!(means(&out, "Average(Partnership(A, B), 1)"), level);
}

#[test]
fn a_threshold_outcome_on_an_average_is_judged_on_the_window() {
    // At step 5 the stance is 0.5 but its mean over 4 steps is 0.375: "above 0.45" holds
    // for the level and not for the average. The average first passes 0.2 at step 4.
    let outcomes = "Outcome(name: \"level\", at_end: Above(Stance(\"A\", \"B\"), 0.45)),
         Outcome(name: \"yearly\", at_end: Above(Average(Stance(\"A\", \"B\"), 4), 0.45)),
         Outcome(name: \"rising\", ever: Above(Average(Stance(\"A\", \"B\"), 4), 0.2))";
    let (_dir, out) = run(&world(5, 0.0, outcomes, ""));
    assert_eq!(outcome(&out, "level")["probability"], 1.0);
    assert_eq!(outcome(&out, "yearly")["probability"], 0.0);
    assert_eq!(outcome(&out, "rising")["median_first_step"], 4);
}

#[test]
fn an_event_waits_for_an_average_read_at_the_step_before() {
    // An event's condition at step t reads the state after step t - 1: the 4-step mean is
    // 0.375 after step 5, so "noticed" (checked every step, once) fires at step 6 and
    // sets the affinity back to 0.
    let text = world(8, 0.0, "", "Stance(\"A\", \"B\")").replace(
        "Set(0.5493061443340549))])]",
        "Set(0.5493061443340549))]),
                  Event(name: \"noticed\", every: 1, repeat: false,
                        when: Above(Average(Stance(\"A\", \"B\"), 4), 0.3),
                        effects: [Affinity(\"A\", \"B\", Set(0.0))])]",
    );
    let (_dir, out) = run(&text);
    let level: Vec<f64> = means(&out, "Stance(A, B)")
        .iter()
        .map(|m| m.parse().unwrap())
        .collect();
    // 0.5 from step 3 to step 5; the affinity falls back to 0 at step 6.
    let by_hand = [0.0, 0.0, 0.0, 0.5, 0.5, 0.5, 0.0, 0.0, 0.0];
    assert_eq!(level.len(), by_hand.len(), "{level:?}");
    for (t, (g, h)) in level.iter().zip(by_hand).enumerate() {
        assert!((g - h).abs() < 1e-12, "step {t}: {g} != {h}");
    }
}

#[test]
fn a_world_with_averages_gives_the_same_bytes_on_one_thread_or_two() {
    // The windows live in each trajectory's state and are cleared for each trajectory, so
    // how trajectories fall to threads cannot change a number. Noise, a hazard event that
    // waits on an average, and more trajectories than one chunk exercise that.
    let text = world(
        20,
        0.3,
        "Outcome(name: \"o\", at_end: Above(Average(Partnership(\"A\", \"B\"), 5), 0.2))",
        "Average(Stance(\"A\", \"B\"), 7)",
    )
    .replace("trajectories: 8", "trajectories: 600")
    .replace(
        "Set(0.5493061443340549))])]",
        "Set(0.5493061443340549))]),
                  Event(name: \"cool\", hazard: 0.3, repeat: true,
                        when: Above(Average(Stance(\"A\", \"B\"), 3), 0.3),
                        effects: [Stance(\"A\", \"B\", Add(-0.4))])]",
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ramp.ron");
    std::fs::write(&file, &text).unwrap();
    let outputs: Vec<(Vec<u8>, Vec<u8>)> = ["1", "2"]
        .iter()
        .map(|threads| {
            let out = dir.path().join(format!("out{threads}"));
            common::run_into(&out, &[&file, &"--threads", threads]);
            let read = |name: &str| common::read(&out.join(name));
            (read("timeseries.csv"), read("outcomes.csv"))
        })
        .collect();
    assert!(outputs[0] == outputs[1], "one thread and two differ");
    let summary = common::json(&dir.path().join("out1").join("summary.json"));
    let fired = summary["events"][1]["fired"].as_f64().unwrap();
    assert!(
        fired > 0.0 && fired < 1.0,
        "the event fires in some runs: {fired}"
    );
}

/// Runs `simulate check` on `text` and returns its stderr, asserting exit 2.
fn refused(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ramp.ron");
    std::fs::write(&file, text).unwrap();
    let output = simulate().arg("check").arg(&file).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn a_window_outside_one_to_the_step_count_is_refused_at_its_place() {
    let text = world(
        8,
        0.0,
        "",
        "Average(Stance(\"A\", \"B\"), 4), Average(Stance(\"A\", \"B\"), 9),\n  \
         Average(Stance(\"A\", \"B\"), 0)",
    );
    let err = refused(&text);
    // Each one pointed at its own text (line 7 is the metrics line), not at the first.
    assert!(
        err.contains(
            ":7:51: Average(Stance(\"A\", \"B\"), 9): the window must be from 1 to 8 steps"
        ),
        "{err}"
    );
    assert!(
        err.contains(":8:3: Average(Stance(\"A\", \"B\"), 0): the window must be from 1"),
        "{err}"
    );
    assert!(!err.contains(", 4)"), "{err}");
}

#[test]
fn an_average_of_an_average_is_refused_saying_why() {
    let text = world(
        8,
        0.0,
        "Outcome(name: \"o\", at_end: Above(Average(Average(Stance(\"A\", \"B\"), 2), 4), 0.1))",
        "",
    );
    let err = refused(&text);
    assert!(
        err.contains("an average of an average is not allowed"),
        "{err}"
    );
    assert!(
        err.contains("average the metric itself over the longer window"),
        "{err}"
    );
}
