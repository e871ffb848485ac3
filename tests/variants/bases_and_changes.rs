//! A hostile analyst against variants and N-way `compare` (issue 12): each test is named
//! after a defect found by trying, and fails without its fix.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::assert::Assert;
use common::{json, scenario, simulate};

/// Writes a copy of baseline.ron into `dir` and beside it `NAME.ron`, a variant of that copy
/// named NAME with `changes` (the lines inside `changes: [...]`, the first on line 5):
/// the copy and the variant.
fn variant_of_baseline(dir: &Path, name: &str, changes: &str) -> (PathBuf, PathBuf) {
    let base = dir.join("baseline.ron");
    std::fs::copy(scenario("baseline.ron"), &base).unwrap();
    let variant = dir.join(format!("{name}.ron"));
    std::fs::write(
        &variant,
        format!(
            "Variant(\n  base: \"baseline.ron\",\n  name: \"{name}\",\n  changes: [\n{changes}\n  ],\n)\n"
        ),
    )
    .unwrap();
    (base, variant)
}

fn stderr_of(assert: &Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// A variant whose base is a FIFO: the loader opened it and waited for a writer forever
/// (`simulate check` never answered; the same under the robustness test's parse deadline).
/// Now a base that is not a regular file is refused at once, naming it.
#[cfg(target_os = "linux")]
#[test]
fn a_base_that_is_a_fifo_hangs_the_loader() {
    let dir = tempfile::tempdir().unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe.ron"))
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo failed");
    let variant = dir.path().join("v.ron");
    std::fs::write(
        &variant,
        "Variant(\n  base: \"pipe.ron\",\n  name: \"v\",\n  changes: [SetSeed(3)],\n)",
    )
    .unwrap();
    let assert = simulate()
        .arg("check")
        .arg(&variant)
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2);
    let err = stderr_of(&assert);
    assert!(
        err.contains("v.ron:2:9:")
            && err.contains("pipe.ron")
            && err.contains("not a regular file"),
        "{err}"
    );
    // A folder as the base is refused the same way, naming it.
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(
        &variant,
        "Variant(\n  base: \"sub\",\n  name: \"v\",\n  changes: [SetSeed(3)],\n)",
    )
    .unwrap();
    let assert = simulate().arg("check").arg(&variant).assert().code(2);
    let err = stderr_of(&assert);
    assert!(
        err.contains("\"sub\"") && err.contains("not a regular file"),
        "{err}"
    );
}

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

/// Writes `changes` as a variant of a copy of baseline.ron and checks it: exit 2, stderr.
fn refused_variant(changes: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let (_, variant) = variant_of_baseline(dir.path(), "v", changes);
    stderr_of(&simulate().arg("check").arg(&variant).assert().code(2))
}

/// A value out of range in a change was reported with the variant's name only ("v.ron:
/// `steps` must be between 1 and 10000, got 0"): compiling looks for a full file's fields,
/// which a variant does not have. Now each is located at the change that brings it.
#[test]
fn a_value_out_of_range_in_a_change_has_no_line_and_column() {
    for (change, says) in [
        ("SetSteps(0)", "`steps` must be between"),
        ("SetTrajectories(0)", "`trajectories` must be between"),
        ("SetSeed(-1)", "`seed` must be 0 or more"),
        ("SetStance(\"Pakistan\", \"Russia\", 5.0)", "stances entry"),
        (
            "SetAffinity(\"Pakistan\", \"Russia\", -7.0)",
            "affinities entry",
        ),
        (
            "SetTie(\"Pakistan\", \"Russia\", \"arms\", 2.0)",
            "share of tie",
        ),
        ("SetParam(\"eta\", -1.0)", "parameter `eta`"),
        (
            "SetParam(\"event.putin_visit.hazard\", 2.0)",
            "parameter `event.putin_visit.hazard`",
        ),
    ] {
        // The faulty change is the second of three, on line 6.
        let err = refused_variant(&format!(
            "    SetWeight(\"China\", 2.0),\n    {change},\n    SetWeight(\"India\", 2.5),"
        ));
        let first = err.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error: ") && first.contains("v.ron:6:5: ") && first.contains(says),
            "{change}: {err}"
        );
    }
}

/// Removing an event that other events of the base still name (`After("putin_visit")` in
/// energy_megadeal and arms_deal) is reported as `unknown event "putin_visit"` at the
/// RemoveEvent itself, as if the name were misspelt: it does not say who names it. It
/// should name the events (or outcomes) that still refer to it. Now `variant::apply`
/// checks every removed event once all changes are applied (a later ReplaceEvent may drop
/// the reference) and names who still refers to it.
#[test]
fn removing_an_event_others_name_says_unknown_event() {
    let err = refused_variant("    RemoveEvent(\"putin_visit\"),");
    assert!(
        err.contains("energy_megadeal") && err.contains("arms_deal"),
        "{err}"
    );
}

/// A base whose file name holds a `:` (legal on Unix) loaded, ran and sharded, then
/// `simulate merge` refused it as "outside the scenario's folder": merge resolved the
/// stored chain with Windows path rules. Now the merge gives the bytes of one run.
#[cfg(unix)]
#[test]
fn a_base_named_with_a_colon_shards_but_does_not_merge() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(scenario("baseline.ron"), dir.path().join("base:2018.ron")).unwrap();
    let variant = dir.path().join("v.ron");
    std::fs::write(
        &variant,
        "Variant(base: \"base:2018.ron\", name: \"v\", changes: [SetSeed(3)])",
    )
    .unwrap();
    let run = |extra: &[&str], out: &str| {
        simulate()
            .arg(&variant)
            .args(["--trajectories", "600", "--quiet"])
            .args(extra)
            .arg("--out")
            .arg(dir.path().join(out))
            .assert()
            .success();
    };
    run(&["--shard", "1/2"], "p1");
    run(&["--shard", "2/2"], "p2");
    run(&[], "whole");
    let parts = [dir.path().join("p1"), dir.path().join("p2")];
    common::merge_into(&dir.path().join("merged"), &parts);
    let summary = |d: &str| common::read(&dir.path().join(d).join("summary.json"));
    assert_eq!(summary("merged"), summary("whole"));
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

/// The other side of the check above: an event may be removed once nothing names it any
/// more, its dependants removed in the same variant (in any order).
#[test]
fn an_event_removed_with_everything_that_names_it_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let (_, variant) = variant_of_baseline(
        dir.path(),
        "v",
        "    RemoveEvent(\"putin_visit\"),\n    RemoveEvent(\"energy_megadeal\"),\n    \
         RemoveEvent(\"arms_deal\"),",
    );
    simulate().arg("check").arg(&variant).assert().success();
    let err = refused_variant("    RemoveEvent(\"putin_visit\"),\n    RemoveEvent(\"arms_deal\"),");
    assert!(
        err.contains("v.ron:5:"),
        "located at the first RemoveEvent: {err}"
    );
    assert!(
        err.contains("event \"energy_megadeal\" still names it")
            && !err.contains("arms_deal\" still"),
        "{err}"
    );
}
