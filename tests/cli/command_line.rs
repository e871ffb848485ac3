//! The command line as an analyst meets it: results where promised, and polite refusals
//! (exit 2, a message naming the place, no panic, no output folder) for every bad input.

use crate::common;

use std::path::{Path, PathBuf};

use common::{data, json, scenario, simulate};

#[test]
fn a_run_writes_summary_timeseries_and_outcomes_with_the_promised_keys() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("D");
    let file = scenario("putin_visit.ron");
    simulate()
        .arg(&file)
        .args(["--trajectories", "4000", "--seed", "11", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();

    let summary = json(&out.join("summary.json"));
    for key in [
        "scenario",
        "scenario_sha256",
        "seed",
        "trajectories",
        "steps",
        "engine_version",
        "outcomes",
        "final",
    ] {
        assert!(summary.get(key).is_some(), "summary.json lacks {key}");
    }
    assert_eq!(summary["seed"], 11);
    assert_eq!(summary["trajectories"], 4000);
    let sha = sha256_hex(&common::read(&file));
    assert_eq!(summary["scenario_sha256"], sha.as_str());

    let outcomes = summary["outcomes"].as_array().unwrap();
    assert!(
        outcomes.len() >= 3,
        "the shipped scenario asks at least three questions"
    );
    for o in outcomes {
        let (p, lo, hi) = (
            o["probability"].as_f64().unwrap(),
            o["ci_low"].as_f64().unwrap(),
            o["ci_high"].as_f64().unwrap(),
        );
        assert!(lo <= p && p <= hi, "{o}");
        assert!(o["count"].as_u64().is_some() && o["name"].as_str().is_some());
    }
    assert!(!summary["final"].as_array().unwrap().is_empty());

    let timeseries = String::from_utf8(common::read(&out.join("timeseries.csv"))).unwrap();
    assert!(timeseries.starts_with("step,metric,mean,p05,p25,p50,p75,p95\n"));
    assert!(out.join("outcomes.csv").is_file());
}

#[test]
fn the_default_output_folder_is_outputs_slash_the_file_stem() {
    let dir = tempfile::tempdir().unwrap();
    simulate()
        .current_dir(dir.path())
        .arg(data("three_states.ron"))
        .args(["--trajectories", "50", "--quiet"])
        .assert()
        .success();
    assert!(dir
        .path()
        .join("outputs/three_states/summary.json")
        .is_file());
}

#[test]
fn check_validates_without_writing_anything() {
    let dir = tempfile::tempdir().unwrap();
    simulate()
        .current_dir(dir.path())
        .arg("check")
        .arg(data("three_states.ron"))
        .assert()
        .success()
        .stdout(predicates::str::contains("ok"));
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

/// Writes `text` as a scenario file in `dir` and runs it; returns stderr after checking the
/// refusal is polite: exit 2, no panic, no output folder.
fn refused(dir: &Path, text: &[u8]) -> String {
    let file = dir.join("bad.ron");
    std::fs::write(&file, text).unwrap();
    refused_file(dir, &file)
}

fn refused_file(dir: &Path, file: &Path) -> String {
    let out = dir.join("out");
    let result = simulate()
        .arg(file)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&result.get_output().stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "no output folder may be written: {stderr}");
    assert_eq!(
        std::fs::read_dir(dir).unwrap().count(),
        usize::from(file.starts_with(dir)),
        "nothing but the scenario may be left in {}",
        dir.display()
    );
    stderr
}

fn valid() -> String {
    String::from_utf8(common::read(&data("three_states.ron"))).unwrap()
}

/// The valid test scenario with one piece of text replaced (which must be present).
fn with(from: &str, to: &str) -> Vec<u8> {
    let text = valid();
    assert!(text.contains(from), "test scenario lacks {from:?}");
    text.replacen(from, to, 1).into_bytes()
}

/// `file:line:column:` at the start of a line of stderr.
fn points_at_line(stderr: &str, line: usize) -> bool {
    stderr.contains(&format!("bad.ron:{line}:"))
}

fn line_of(text: &[u8], needle: &str) -> usize {
    let text = String::from_utf8_lossy(text);
    let at = text.find(needle).expect("needle present");
    text[..at].matches('\n').count() + 1
}

#[test]
fn an_empty_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(dir.path(), b"");
    assert!(
        err.contains("bad.ron:1:1") && err.contains("empty"),
        "{err}"
    );
}

#[test]
fn a_truncated_file_is_refused_with_a_position() {
    let dir = tempfile::tempdir().unwrap();
    let text = valid();
    let err = refused(dir.path(), &text.as_bytes()[..text.len() / 2]);
    assert!(err.contains("bad.ron:"), "{err}");
}

#[test]
fn binary_garbage_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let garbage: Vec<u8> = (0..2048u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let err = refused(dir.path(), &garbage);
    assert!(err.contains("bad.ron:"), "{err}");
}

#[test]
fn a_misspelt_state_in_a_tie_is_named_with_a_suggestion_and_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = with("Tie(from: \"Alpha\"", "Tie(from: \"Alpah\"");
    let err = refused(dir.path(), &text);
    assert!(err.contains("unknown state \"Alpah\""), "{err}");
    assert!(err.contains("did you mean \"Alpha\""), "{err}");
    assert!(points_at_line(&err, line_of(&text, "\"Alpah\"")), "{err}");
}

#[test]
fn a_misspelt_state_in_an_event_is_named_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let text = with("Mutual(\"Alpha\", \"Gamma\"", "Mutual(\"Alpha\", \"Gamam\"");
    let err = refused(dir.path(), &text);
    assert!(
        err.contains("unknown state \"Gamam\"") && err.contains("did you mean \"Gamma\""),
        "{err}"
    );
    assert!(points_at_line(&err, line_of(&text, "\"Gamam\"")), "{err}");
}

#[test]
fn a_misspelt_event_in_a_condition_is_named_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(dir.path(), &with("After(\"visit\")", "After(\"vist\")"));
    assert!(
        err.contains("unknown event \"vist\"") && err.contains("did you mean \"visit\""),
        "{err}"
    );
}

#[test]
fn a_hazard_above_one_is_refused_at_its_event() {
    let dir = tempfile::tempdir().unwrap();
    let text = with("hazard: 0.1", "hazard: 1.5");
    let err = refused(dir.path(), &text);
    assert!(
        err.contains("event.deal.hazard") && err.contains("1.5"),
        "{err}"
    );
    assert!(points_at_line(&err, line_of(&text, "hazard: 1.5")), "{err}");
}

#[test]
fn a_negative_step_count_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = with("steps: 12", "steps: -3");
    let err = refused(dir.path(), &text);
    assert!(
        err.contains("`steps` must be between 1 and") && err.contains("-3"),
        "{err}"
    );
    assert!(points_at_line(&err, line_of(&text, "steps: -3")), "{err}");
}

#[test]
fn a_share_of_nan_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = with("share: 0.2", "share: NaN");
    let err = refused(dir.path(), &text);
    assert!(err.contains("share") && err.contains("NaN"), "{err}");
    assert!(points_at_line(&err, line_of(&text, "share: NaN")), "{err}");
}

#[test]
fn a_share_of_seven_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = with("share: 0.2", "share: 7.0");
    let err = refused(dir.path(), &text);
    assert!(err.contains("[0, 1]") && err.contains('7'), "{err}");
    assert!(points_at_line(&err, line_of(&text, "share: 7.0")), "{err}");
}

#[test]
fn shares_that_add_up_to_more_than_one_are_refused_with_the_total() {
    let dir = tempfile::tempdir().unwrap();
    let text = with(
        "Tie(from: \"Alpha\", to: \"Gamma\", channel: \"arms\", share: 0.1),",
        "Tie(from: \"Alpha\", to: \"Gamma\", channel: \"aid\", share: 0.9),",
    );
    let err = refused(dir.path(), &text);
    assert!(err.contains("add up to 1.1000"), "{err}");
}

#[test]
fn an_unknown_field_is_refused_with_its_position_and_the_expected_fields() {
    let dir = tempfile::tempdir().unwrap();
    let text = with(
        "trajectories: 500,",
        "trajectories: 500,\n    colour: \"red\",",
    );
    let err = refused(dir.path(), &text);
    assert!(err.contains("colour"), "{err}");
    assert!(points_at_line(&err, line_of(&text, "colour")), "{err}");
}

#[test]
fn a_misspelt_distribution_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(
        dir.path(),
        &with("Uniform(0.02, 0.06)", "Unifrm(0.02, 0.06)"),
    );
    assert!(err.contains("Uniform(low, high)"), "{err}");
}

#[test]
fn an_impossible_distribution_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(
        dir.path(),
        &with("Uniform(0.02, 0.06)", "Uniform(0.06, 0.02)"),
    );
    assert!(
        err.contains("sigma") && err.contains("Uniform(0.06, 0.02)"),
        "{err}"
    );
}

#[test]
fn an_unknown_parameter_path_in_an_effect_lists_the_valid_ones() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(
        dir.path(),
        &with("Param(\"eta.Alpha\"", "Param(\"zeta.Alpha\""),
    );
    assert!(
        err.contains("zeta.Alpha") && err.contains("valid paths"),
        "{err}"
    );
}

#[test]
fn all_problems_of_a_file_are_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        valid()
            .replacen("hazard: 0.1", "hazard: 1.5", 1)
            .replacen("steps: 12", "steps: 0", 1);
    let err = refused(dir.path(), text.as_bytes());
    assert!(err.contains("hazard") && err.contains("`steps`"), "{err}");
}

#[test]
fn a_file_that_does_not_exist_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let missing: PathBuf = dir.path().join("nowhere.ron");
    let out = dir.path().join("out");
    let result = simulate()
        .arg(&missing)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&result.get_output().stderr).into_owned();
    assert!(
        err.contains("nowhere.ron") && err.contains("cannot read"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn bad_flags_are_usage_errors() {
    // Regression: this test passed a missing file, so every case got exit 2 from the
    // missing file whatever the flag check did. Each case now uses a valid scenario and
    // checks that the message is about the flag.
    let file = data("three_states.ron");
    for (flags, says) in [
        (&["--threads", "0"][..], "--threads must be at least 1"),
        (&["--trajectories", "-5"][..], "-5"),
        (
            &["--trajectories", "0"][..],
            "--trajectories must be between 1",
        ),
        (&["--no-such-flag"][..], "--no-such-flag"),
    ] {
        let out = simulate().arg(&file).args(flags).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flags:?}: {stderr}");
        assert!(stderr.contains(says), "{flags:?}: {stderr}");
    }
    let out = simulate().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("<SCENARIO>"));
}

#[test]
fn every_subcommand_has_help_with_an_example() {
    // The subcommands as the top-level help lists them, so a new one is covered at once.
    let top = simulate().arg("--help").assert().success();
    let top = String::from_utf8_lossy(&top.get_output().stdout).into_owned();
    let commands: Vec<&str> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 6, "{top}");
    assert!(top.contains("Example"), "{top}");
    for sub in commands {
        let result = simulate().args([sub, "--help"]).assert().success();
        let text = String::from_utf8_lossy(&result.get_output().stdout).into_owned();
        assert!(text.contains("Example"), "{sub}: {text}");
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
