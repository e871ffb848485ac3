//! Defects found by using the issue-11 features (`at_rest`, `Between`, `--against`,
//! read-back warnings) as a careless or hostile analyst would. Each test is named after the
//! defect it pins.

use crate::common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use common::simulate;

/// A three-state world at rest whose structure is sampled, with one aid tie. Holding
/// B's stances still needs affinities that pass the limit of 5 once gamma passes about 10
/// or lambda passes about 13, so the file's own ranges (up to 2) run, and wider ones are
/// refused.
const REST3: &str = r#"Scenario(
    name: "rest3",
    steps: 20,
    trajectories: 100,
    seed: 1,
    at_rest: true,
    channels: ["aid"],
    states: [State(name: "A"), State(name: "B"), State(name: "C")],
    stances: [("A","B",0.8),("B","A",0.8),("A","C",-0.8),("C","A",-0.8),("B","C",-0.7),("C","B",-0.7)],
    ties: [Tie(from: "B", to: "A", channel: "aid", share: 0.5)],
    params: Params(sigma: 0.0, gamma: Uniform(0.0, 2.0), lambda: Uniform(0.0, 2.0)),
    outcomes: [Outcome(name: "warm", at_end: Above(Partnership("A", "C"), -0.5)), Outcome(name: "ab", at_end: Between("A"))],
    metrics: [Partnership("A","B"), Partnership("A","C"), Share("B","A","aid")],
)
"#;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    file
}

/// Runs `simulate ARGS`, which must exit with `code`: its stderr.
fn exits(code: i32, args: &[&dyn AsRef<OsStr>]) -> String {
    let out = simulate().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(code), "{err}");
    err
}

#[test]
fn blocs_of_a_world_at_rest_read_its_departures_as_if_they_were_affinities() {
    // Was: `simulate blocs scenarios/putin_visit.ron` (at rest, `affinities: []`) printed a
    // landscape of an all-zero matrix, every configuration a "minimum" of energy 0, with exit
    // 0. At rest the file's affinities are departures from rest, not the affinities, so the
    // affinity landscape is refused, pointing at the partnerships the rest holds.
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "rest3.ron", REST3);
    let err = exits(
        2,
        &[&"blocs", &file, &"-q", &"--out", &dir.path().join("b")],
    );
    assert!(err.contains("rest3.ron"), "{err}");
    assert!(err.contains("at_rest"), "{err}");
    assert!(err.contains("--from partnership"), "{err}");
    assert!(!dir.path().join("b").exists());
    // The partnerships are what a world at rest holds: that landscape is still given.
    let p = dir.path().join("p");
    exits(
        0,
        &[
            &"blocs",
            &file,
            &"-q",
            &"--from",
            &"partnership",
            &"--out",
            &p,
        ],
    );
}

#[test]
fn a_sweep_point_that_cannot_be_held_at_rest_is_refused_without_naming_the_point() {
    // Was: "trajectory 0 draws lambda = 0.839, gamma = 10.000 ... Narrow the ranges of those
    // parameters": nothing said a sweep point was at fault, and the file's ranges are fine.
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "rest3.ron", REST3);
    let s = dir.path().join("s");
    let err = exits(
        2,
        &[
            &"sweep",
            &file,
            &"--param",
            &"gamma=0:20:3",
            &"-q",
            &"--out",
            &s,
        ],
    );
    assert!(err.contains("sweep point gamma = 10"), "{err}");
    assert!(!dir.path().join("s").exists());
}

#[test]
fn a_sensitivity_design_point_that_cannot_be_held_at_rest_is_refused_without_naming_the_point() {
    // Was: "trajectory 0 draws lambda = 1.788, gamma = 11.271 ...": in a design the factors
    // are not drawn per trajectory, they are set by the design point, which was not named.
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "wide.ron",
        &REST3.replace("gamma: Uniform(0.0, 2.0)", "gamma: Uniform(0.0, 12.0)"),
    );
    let s = dir.path().join("s");
    let design: [&dyn AsRef<OsStr>; 9] = [
        &"sensitivity",
        &file,
        &"--samples",
        &"16",
        &"--trajectories",
        &"20",
        &"-q",
        &"--out",
        &s,
    ];
    let err = exits(2, &design);
    assert!(err.contains("design point"), "{err}");
    assert!(err.contains("gamma = 11."), "{err}");
    assert!(!dir.path().join("s").exists());
}

#[test]
fn check_passes_a_world_at_rest_that_every_run_refuses() {
    // Was: a stance of 0.9999999999999999 (atanh 18.7) at rest: `simulate check` said "ok",
    // and every run of the file then stopped with exit 2. `check` now tries the file's own
    // draws (its trajectories and seed), as a run would, before saying ok.
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "near.ron",
        &REST3.replace("(\"A\",\"B\",0.8)", "(\"A\",\"B\",0.9999999999999999)"),
    );
    let err = exits(2, &[&"check", &file]);
    assert!(err.contains("Stance(\"A\", \"B\")"), "{err}");
    // The file a run accepts, check accepts.
    let file = write(dir.path(), "rest3.ron", REST3);
    exits(0, &[&"check", &file]);
}

#[test]
fn an_outcome_that_wraps_one_after_in_all_or_a_double_not_escapes_the_read_back_warning() {
    // `All([After("e")])`, `Any([After("e")])` and `Not(Not(After("e")))` ask exactly what
    // `After("e")` asks: they read back the event's firing just the same.
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "rb.ron",
        r#"Scenario(
    name: "rb", steps: 10, trajectories: 50, seed: 5,
    states: [State(name: "A"), State(name: "B"), State(name: "C")],
    events: [Event(name: "e", hazard: 0.1, effects: [Mutual("A","B",Add(0.3))])],
    outcomes: [
        Outcome(name: "o_all", at_end: All([After("e")])),
        Outcome(name: "o_any", ever: Any([After("e")])),
        Outcome(name: "o_notnot", at_end: Not(Not(After("e")))),
        Outcome(name: "asks", at_end: All([After("e"), Above(Partnership("A", "B"), 0.2)])),
    ],
)
"#,
    );
    let err = exits(0, &[&"check", &file]);
    for name in ["o_all", "o_any", "o_notnot"] {
        assert!(
            err.contains(&format!("outcome \"{name}\" only reads back")),
            "{err}"
        );
    }
    assert!(!err.contains("\"asks\""), "{err}");
}

#[test]
fn a_normal_far_wider_than_its_range_collapses_silently_to_its_mean() {
    // Was: `hazard: Normal(0.0, 1e300)` (meant as "anything in [0, 1]") ran with exit 0 and
    // the event never fired: every rejection try fell outside [0, 1] and the draw fell back
    // to the mean, 0. With sd 100, 1.8% of the draws did. Refused now, at its position.
    let dir = tempfile::tempdir().unwrap();
    for sd in ["1e300", "100.0"] {
        let file = write(
            dir.path(),
            "flat.ron",
            &format!(
                r#"Scenario(
    name: "flat", steps: 1, trajectories: 100, seed: 1,
    states: [State(name: "A"), State(name: "B")],
    events: [Event(name: "e", hazard: Normal(0.0, {sd}), effects: [Mutual("A", "B", Add(0.1))])],
    outcomes: [Outcome(name: "warm", ever: Above(Partnership("A", "B"), 0.05))],
)
"#
            ),
        );
        let err = exits(2, &[&"check", &file]);
        assert!(err.contains("flat.ron:4:"), "{err}");
        assert!(err.contains("Uniform(0, 1)"), "{err}");
    }
    // A wide but honest Normal is still accepted.
    let file = write(
        dir.path(),
        "wide.ron",
        &REST3.replace("gamma: Uniform(0.0, 2.0)", "gamma: Normal(1.0, 0.5)"),
    );
    exits(0, &[&"check", &file]);
}

#[test]
fn against_a_file_of_another_horizon_reads_two_times_as_one_effect() {
    // Was: `sensitivity B.ron --against A.ron` with B at 37 steps and A at 20 ran with exit
    // 0 and called P_B(step 37) - P_A(step 20) the effect of the change. Refused now, naming
    // both files and both horizons.
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.ron", REST3);
    let b = write(
        dir.path(),
        "b.ron",
        &REST3.replace("steps: 20,", "steps: 37,"),
    );
    let s = dir.path().join("s");
    let against: [&dyn AsRef<OsStr>; 11] = [
        &"sensitivity",
        &b,
        &"--against",
        &a,
        &"--samples",
        &"4",
        &"--trajectories",
        &"4",
        &"-q",
        &"--out",
        &s,
    ];
    let err = exits(2, &against);
    assert!(err.contains("a.ron") && err.contains("b.ron"), "{err}");
    assert!(err.contains("37") && err.contains("20"), "{err}");
    assert!(!dir.path().join("s").exists());
}
