//! `simulate explain` at the command line: what it prints, and its refusals.

use crate::common::{exits, scenario, simulate};

/// An outcome the scenario does not define is refused before any work (nothing is
/// written), naming the flag and suggesting the nearest outcome.
#[test]
fn explain_refuses_an_unknown_outcome_with_a_suggestion_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let visit = scenario("putin_visit.ron");
    let err = exits(
        2,
        &[
            &"explain",
            &visit,
            &"--outcome",
            &"partnership_deepen",
            &"--out",
            &out,
        ],
    );
    assert!(err.contains("--outcome \"partnership_deepen\""), "{err}");
    assert!(
        err.contains("did you mean \"partnership_deepens\"?"),
        "{err}"
    );
    assert!(!out.exists(), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    // A hostile name is escaped and cut: no terminal control, a bounded line.
    let hostile = format!("\u{1b}[2J{}", "x".repeat(100_000));
    let err = exits(
        2,
        &[&"explain", &visit, &"--outcome", &hostile, &"--out", &out],
    );
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(err.len() < 2_000, "{} bytes", err.len());
    assert!(
        err.contains("its outcomes are") || err.contains("did you mean"),
        "{err}"
    );
    assert!(!out.exists());
}

/// The printed table: each outcome asked about with its top events, and the forces; only
/// the outcome `--outcome` names.
#[test]
fn explain_prints_the_events_each_outcome_rests_on_and_the_largest_forces() {
    let dir = tempfile::tempdir().unwrap();
    let done = simulate()
        .arg("explain")
        .arg(scenario("putin_visit.ron"))
        .args(["--outcome", "russia_holds_both", "-n", "300", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let text = String::from_utf8_lossy(&done.get_output().stdout).into_owned();
    assert!(text.contains("  russia_holds_both  "), "{text}");
    assert!(!text.contains("partnership_deepens"), "{text}");
    assert!(text.contains("    without putin_visit: "), "{text}");
    assert!(text.contains("largest forces at the last step"), "{text}");
    assert!(
        text.contains("Partnership(Pakistan, Russia)  argument "),
        "{text}"
    );
    let contributions = std::fs::read_to_string(dir.path().join("out/contributions.csv")).unwrap();
    assert!(
        !contributions.contains("partnership_deepens"),
        "{contributions}"
    );
    assert!(contributions.contains("outcome,russia_holds_both,putin_visit,"));
}

/// Scenario discovery finds a planted rule: the outcome holds when the drawn amount of a
/// stance effect passes about 0.1 (the stance barely moves after it), so the chosen box of
/// discovery.csv restricts that amount, and only it, from near 0.1 up; the printed table
/// states the box as a sentence.
#[test]
fn explain_discovers_the_planted_threshold_of_a_drawn_input() {
    let dir = tempfile::tempdir().unwrap();
    let planted = crate::common::write(
        dir.path(),
        "planted.ron",
        r#"(name: "planted", steps: 2, states: [(name: "P"), (name: "Q")],
            params: Params(eta: 0.01, sigma: 0.0),
            events: [Event(name: "shock", at: 1,
                           effects: [Stance("P", "Q", Add(Uniform(-0.5, 0.5)))])],
            outcomes: [(name: "warm", at_end: Above(Stance("P", "Q"), 0.1))])"#,
    );
    let out = dir.path().join("out");
    let done = simulate()
        .arg("explain")
        .arg(&planted)
        .args(["-n", "2000", "--seed", "5", "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&done.get_output().stdout).into_owned();
    assert!(
        text.contains("    warm holds in 100% of trajectories where event.shock.effect.1 >= 0.1"),
        "{text}"
    );
    let csv = std::fs::read_to_string(out.join("discovery.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("outcome,box,chosen,pasted,coverage,density,mass,restricted,input,low,high,p_value")
    );
    let chosen: Vec<Vec<&str>> = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[2] == "true")
        .collect();
    assert_eq!(chosen.len(), 1, "{csv}");
    let row = &chosen[0];
    assert_eq!(
        (row[0], row[7], row[8]),
        ("warm", "1", "event.shock.effect.1")
    );
    let (low, high, p): (f64, f64, f64) = (
        row[9].parse().unwrap(),
        row[10].parse().unwrap(),
        row[11].parse().unwrap(),
    );
    assert!((0.08..0.16).contains(&low), "{csv}");
    assert!(high > 0.49, "{csv}");
    assert!(p < 1e-6, "{csv}");
    let density: f64 = row[5].parse().unwrap();
    assert!(density > 0.97, "{csv}");
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("<h3 id=\"discovery\">Scenario discovery</h3>"));
    assert!(report.contains("data-outcome=\"warm\">warm holds in 100% of trajectories where"));
    assert!(report.contains("plots/discovery_tradeoff.svg"));
    assert!(out.join("plots/discovery_tradeoff.png").is_file());
}
