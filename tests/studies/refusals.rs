//! Studies refused before any work for what their points or their pairing cannot give: a
//! sweep point or a design point that a world at rest cannot hold, `--against` a file of
//! another horizon. Found by using the issue-11 features as a careless or hostile analyst
//! would; each test is named after the defect it pins.

use crate::common;

use std::ffi::OsStr;

use common::{exits, write, REST3};

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

/// A new user swept `event.karabakh_war.effect.2`, an effect written `Add(-0.3)`, and was
/// told "unknown parameter path ... did you mean event.karabakh_war.hazard?" with a list of
/// parameter paths only: nothing said that an effect's amount has a path only when written
/// as a range, nor that stances and shares sweep too. Now the message says both.
#[test]
fn sweeping_a_written_effect_amount_says_it_needs_a_range() {
    let dir = tempfile::tempdir().unwrap();
    let visit = common::scenario("putin_visit.ron");
    // us_arms_india's share pair is written as numbers (baseline.ron).
    let err = exits(
        2,
        &[
            &"sweep",
            &visit,
            &"--param",
            &"event.us_arms_india.effect.1=0:0.1:3",
            &"-q",
            &"--out",
            &dir.path().join("s"),
        ],
    );
    assert!(
        err.contains("only when the file writes it as a range") && err.contains("stance.A.B"),
        "{err}"
    );
    assert!(!dir.path().join("s").exists());
}
