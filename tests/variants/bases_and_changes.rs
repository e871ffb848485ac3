//! A variant's base and its changes, as a hostile analyst tried them (issue 12): a base that
//! is a FIFO, a folder or named with a colon; a value out of range in a change; an event
//! removed while others name it. Each test is named after a defect found by trying, and
//! fails without its fix.

use crate::common;

use std::time::Duration;

use common::{scenario, simulate, stderr_of, variant_of_baseline};

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

/// Removing an event that other events of the base still name (then `After("putin_visit")` in
/// energy_megadeal and arms_deal; now putin_visit's `Param("event.energy_megadeal.hazard", …)`) is reported as `unknown event "putin_visit"` at the
/// RemoveEvent itself, as if the name were misspelt: it does not say who names it. It
/// should name the events (or outcomes) that still refer to it. Now `variant::apply`
/// checks every removed event once all changes are applied (a later ReplaceEvent may drop
/// the reference) and names who still refers to it.
#[test]
fn removing_an_event_others_name_says_unknown_event() {
    // baseline.ron's putin_visit multiplies the deals' hazards through
    // Param("event.energy_megadeal.hazard", …): a parameter path names the event too.
    let err = refused_variant("    RemoveEvent(\"energy_megadeal\"),");
    assert!(
        err.contains("RemoveEvent(\"energy_megadeal\"): event \"putin_visit\" still names it")
            && !err.contains("unknown parameter path"),
        "{err}"
    );
    // A condition names an event the same way.
    let dir = tempfile::tempdir().unwrap();
    let (_, variant) = variant_of_baseline(
        dir.path(),
        "v",
        "    AddOutcome((name: \"after_visit\", ever: After(\"putin_visit\"))),\n    \
         RemoveEvent(\"putin_visit\"),",
    );
    let err = stderr_of(&simulate().arg("check").arg(&variant).assert().code(2));
    assert!(
        err.contains("outcome \"after_visit\" still names it"),
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

/// The other side of the check above: an event may be removed once nothing names it any
/// more, its dependants removed in the same variant (in any order).
#[test]
fn an_event_removed_with_everything_that_names_it_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let (_, variant) = variant_of_baseline(
        dir.path(),
        "v",
        "    RemoveEvent(\"energy_megadeal\"),\n    RemoveEvent(\"arms_deal\"),\n    \
         RemoveEvent(\"putin_visit\"),",
    );
    simulate().arg("check").arg(&variant).assert().success();
    let err =
        refused_variant("    RemoveEvent(\"energy_megadeal\"),\n    RemoveEvent(\"arms_deal\"),");
    assert!(
        err.contains("v.ron:5:"),
        "located at the first RemoveEvent: {err}"
    );
    assert!(
        err.contains("event \"putin_visit\" still names it")
            && !err.contains("unknown parameter path"),
        "{err}"
    );
}

/// Defect (s25): `RemoveMetric`'s "(it tracks: ...)" listed every metric of the base: a base
/// of 270 stance metrics made a line of 5,800 characters, cut mid-name by the error's own
/// limit. Now the first dozen and a count, as every other list of names
/// (`spelling::shown_list`).
#[test]
fn remove_metric_lists_every_metric_a_big_base_tracks() {
    let dir = tempfile::tempdir().unwrap();
    let states: Vec<String> = (0..30).map(|i| format!("State(name: \"S{i}\")")).collect();
    let metrics: Vec<String> = (0..30)
        .flat_map(|i: i32| (0..30).map(move |j: i32| (i, j)))
        .filter(|(i, j)| i != j && (j - i).abs() < 6)
        .map(|(i, j)| format!("Stance(\"S{i}\", \"S{j}\")"))
        .collect();
    assert_eq!(metrics.len(), 270);
    let base = format!(
        "Scenario(\n  name: \"b\",\n  steps: 4,\n  background: None,\n  states: [{}],\n  \
         metrics: [{}],\n)\n",
        states.join(", "),
        metrics.join(", ")
    );
    common::write(dir.path(), "base.ron", &base);
    let variant = common::write(
        dir.path(),
        "v.ron",
        &common::variant_of_base("RemoveMetric(Dependence(\"S1\", \"aid\")),"),
    );
    let err = common::exits(2, &[&"check", &variant]);
    assert!(
        err.contains("v.ron:5:5: RemoveMetric: the base does not track"),
        "{err}"
    );
    assert!(
        err.contains("(it tracks: Stance(\"S0\", \"S1\"), "),
        "{err}"
    );
    assert!(err.contains(", and 258 more)"), "{err}");
    assert_eq!(err.matches("Stance(").count(), 12, "{err}");
    assert!(err.len() < 400, "{} characters: {err}", err.len());
}
