//! What `compare` says of scenarios that do not line up, as a hostile analyst tried them
//! (issue 12): worlds of different lengths or step units, a metric not every scenario
//! tracks, a file's own seed, nothing in common. Each test is named after a defect found by
//! trying, and fails without its fix.

use crate::common;

use common::{json, scenario, simulate, stderr_of, variant_of_baseline};

/// Comparing worlds of different lengths: the metric effects were taken at the shorter
/// world's last step but printed and written as the "final" means, so a 20-step variant of
/// the 40-step baseline showed "+0.0000 (0.3257 -> 0.3257)" where the baseline's own final
/// mean is about 0.37: "the horizon changes nothing". Now each effect carries its `step`,
/// the table says "at step 20", and a warning explains it.
#[test]
fn metric_effects_of_worlds_of_different_lengths_pass_for_final_means() {
    let dir = tempfile::tempdir().unwrap();
    let (base, short) = variant_of_baseline(dir.path(), "short", "    SetSteps(20),");
    let out = dir.path().join("out");
    let assert = simulate()
        .arg("compare")
        .arg(&base)
        .arg(&short)
        .args(["--trajectories", "100", "--out"])
        .arg(&out)
        .assert()
        .success();
    let output = assert.get_output();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stdout.contains("B - A at step 20:"), "{stdout}");
    assert!(stderr.contains("different numbers of steps"), "{stderr}");
    let c = json(&out.join("compare.json"));
    let a = json(&out.join("a").join("summary.json"));
    let metrics = c["metrics"].as_array().unwrap();
    assert!(!metrics.is_empty(), "{c}");
    for m in metrics {
        assert_eq!(m["step"].as_u64(), Some(20), "{m}");
    }
    // The reference's mean at step 20 is not its final mean (step 40): the step is needed.
    let final_a = a["final"][0]["mean"].as_f64().unwrap();
    let at_20 = metrics[0]["reference_mean"].as_f64().unwrap();
    assert!((final_a - at_20).abs() > 1e-3, "{final_a} vs {at_20}");
    // Worlds of the same length: the step is the last one, and no warning.
    let out = dir.path().join("same");
    let assert = simulate()
        .arg("compare")
        .arg(scenario("baseline.ron"))
        .arg(scenario("putin_visit.ron"))
        .args(["--trajectories", "50", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(assert.get_output().stderr.is_empty());
    let c = json(&out.join("compare.json"));
    assert_eq!(c["metrics"][0]["step"].as_u64(), Some(40), "{c}");
}

/// A metric that not every scenario tracks vanished from the comparison without a word
/// (an outcome is listed as "not compared"). Here the variant tracks the baseline's
/// Pakistan–Russia partnership written the other way round, the same number under another
/// label: both were dropped silently. Now a warning names them, and the swap.
#[test]
fn a_metric_not_every_scenario_tracks_is_dropped_silently() {
    let dir = tempfile::tempdir().unwrap();
    let (base, swapped) = variant_of_baseline(
        dir.path(),
        "swapped",
        "    RemoveMetric(Partnership(\"Pakistan\", \"Russia\")),\n    \
         AddMetric(Partnership(\"Russia\", \"Pakistan\")),",
    );
    let out = dir.path().join("out");
    let assert = simulate()
        .arg("compare")
        .arg(&base)
        .arg(&swapped)
        .args(["--trajectories", "20", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("metric Partnership(Pakistan, Russia) of A (baseline) is not tracked by B")
            && stderr.contains("written the other way round"),
        "{stderr}"
    );
    let c = json(&out.join("compare.json"));
    let names: Vec<&str> = c["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(
        !names.contains(&"Partnership(Pakistan, Russia)"),
        "{names:?}"
    );
}

/// A variant that differs from its base only by its seed compared as "no effect at all"
/// without a word: a comparison runs every scenario on the reference's seed. Now it warns
/// that the file's own seed is not used.
#[test]
fn a_scenarios_own_seed_is_ignored_by_compare_without_a_word() {
    let dir = tempfile::tempdir().unwrap();
    let (base, reseeded) = variant_of_baseline(dir.path(), "reseeded", "    SetSeed(7),");
    let compare = |extra: &[&str], out: &str| {
        let assert = simulate()
            .arg("compare")
            .arg(&base)
            .arg(&reseeded)
            .args(["--trajectories", "20", "--quiet"])
            .args(extra)
            .arg("--out")
            .arg(dir.path().join(out))
            .assert()
            .success();
        stderr_of(&assert)
    };
    let err = compare(&[], "own");
    assert!(
        err.contains("B (reseeded) sets seed 7") && err.contains("not used"),
        "{err}"
    );
    // With --seed the analyst chose the seed for all: nothing to warn about.
    assert_eq!(compare(&["--seed", "5"], "flag"), "");
}

/// Comparing two unrelated worlds (no outcome, no metric in common) ran, printed a table of
/// "not compared" lines and exited 0: a comparison of nothing, most likely a wrong file.
/// Now exit 2, naming the file.
#[test]
fn a_comparison_of_nothing_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let assert = simulate()
        .arg("compare")
        .arg(scenario("baseline.ron"))
        .arg(common::data("small.ron"))
        .args(["--trajectories", "20", "--quiet", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .code(2);
    let err = stderr_of(&assert);
    assert!(
        err.contains("small.ron and") && err.contains("share no outcome and no tracked metric"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
}

/// Worlds whose steps are quarters and years were compared step by step without a word.
#[test]
fn different_step_units_are_compared_step_by_step_without_a_word() {
    let dir = tempfile::tempdir().unwrap();
    let text = String::from_utf8(common::read(&scenario("baseline.ron"))).unwrap();
    let yearly = dir.path().join("yearly.ron");
    std::fs::write(
        &yearly,
        text.replace("    step: \"quarter\",", "    step: \"year\","),
    )
    .unwrap();
    let assert = simulate()
        .arg("compare")
        .arg(scenario("baseline.ron"))
        .arg(&yearly)
        .args(["--trajectories", "20", "--quiet", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let err = stderr_of(&assert);
    assert!(
        err.contains("different units (baseline quarter, baseline year)"),
        "{err}"
    );
}

/// Two files in quarters starting on different dates (2016Q3 and 2017Q1) were compared
/// without a word, and the comparison's dated rows gave B's steps A's dates. Now a warning
/// names both starts and says whose dates the comparison shows.
#[test]
fn files_starting_on_different_dates_are_compared_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(common::root().join("docs/src/tutorial/turkey_start.ron")).unwrap();
    let a = dir.path().join("a.ron");
    let b = dir.path().join("b.ron");
    std::fs::write(&a, &text).unwrap();
    std::fs::write(&b, text.replace("start: \"2016Q3\"", "start: \"2017Q1\"")).unwrap();
    let assert = simulate()
        .arg("compare")
        .arg(&a)
        .arg(&b)
        .args(["-n", "50", "--quiet", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let err = stderr_of(&assert);
    assert!(
        err.contains("start on different dates") && err.contains("2017Q1"),
        "{err}"
    );
    // The same start: no such warning.
    let assert = simulate()
        .arg("compare")
        .arg(&a)
        .arg(&a)
        .args(["-n", "50", "--quiet", "--out"])
        .arg(dir.path().join("same"))
        .assert()
        .success();
    assert!(!stderr_of(&assert).contains("different dates"));
}
