//! A sweep's points checked as the loader checks a file, before any run: a point the file
//! could not hold is refused with exit 2, naming the point; and a path the sweep does not
//! know is answered with every path it does, the file's ranges included.

use crate::common;

use std::path::Path;

use common::{exits, write};

/// A file of 8 steps with a coup of two drawn weights (`event.coup.one_of.1` and `.2`), a
/// deal lagged by a drawn delay over drawn parts (`event.deal.effect.1.delay`, `.over`) and
/// a war whose hazard has a drawn case (`event.war.hazard.case.1`).
fn ranged(dir: &Path) -> std::path::PathBuf {
    let text = r#"Scenario(
    name: "ranged",
    steps: 8,
    trajectories: 20,
    background: None,
    channels: ["arms"],
    states: [State(name: "A"), State(name: "B"), State(name: "C")],
    stances: [("A", "B", 0.3), ("B", "A", 0.3), ("A", "C", 0.1)],
    ties: [Tie(from: "A", to: "B", channel: "arms", share: 0.4)],
    events: [
        Event(name: "coup", hazard: 0.1,
              one_of: [(Uniform(0.5, 1.0), [Affinity("A", "C", Add(0.3))]),
                       (Uniform(0.5, 1.0), [Affinity("A", "B", Add(0.3))])]),
        Event(name: "deal", at: 2,
              effects: [Delay(Uniform(1.5, 2.5), Over(Uniform(2.5, 3.5), Share("A", "C", "arms", Add(0.2))))]),
        Event(name: "war", hazard: 0.01, cases: [(After("coup"), Uniform(0.1, 0.2))]),
    ],
    outcomes: [Outcome(name: "o", at_end: Above(Partnership("A", "C"), 0.1))],
)"#;
    write(dir, "ranged.ron", text)
}

/// `simulate sweep ranged.ron --param P ...`, which must exit 2 and write nothing: stderr.
fn refused(dir: &Path, params: &[&str]) -> String {
    let file = ranged(dir);
    let out = dir.join("s");
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"sweep", &file];
    for p in params {
        args.push(&"--param");
        args.push(p);
    }
    args.extend([&"--out" as &dyn AsRef<std::ffi::OsStr>, &out]);
    let err = exits(2, &args);
    assert!(!out.exists(), "{params:?} wrote results");
    err
}

// Defect (hostile review): a sweep set both weights of a `one_of` to 0, which the file
// refuses (the weights must add up to more than 0), and ran.
#[test]
fn a_sweep_point_where_every_one_of_weight_is_0_is_refused_before_any_run() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(
        dir.path(),
        &["event.coup.one_of.1=0:1:3", "event.coup.one_of.2=0:1:2"],
    );
    assert!(
        err.contains("sweep point event.coup.one_of.1 = 0, event.coup.one_of.2 = 0"),
        "{err}"
    );
    assert!(err.contains("`one_of`"), "{err}");
    // One weight at 0 is fine: the other set always comes.
    let file = ranged(dir.path());
    common::simulate()
        .args(["sweep"])
        .arg(&file)
        .args(["--param", "event.coup.one_of.1=0:1:2", "-q", "--out"])
        .arg(dir.path().join("fine"))
        .assert()
        .success();
}

// Defect (hostile review): a sweep pushed a lag's delay and parts past the file's 8 steps
// (a delay of 6 and 3 parts, all `Uniform(2.5, 3.5)` draws, end after step 9), which the
// file refuses, and ran.
#[test]
fn a_sweep_point_whose_lag_ends_past_the_last_step_is_refused_before_any_run() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(dir.path(), &["event.deal.effect.1.delay=1:6:3"]);
    assert!(
        err.contains("sweep point event.deal.effect.1.delay = 6"),
        "{err}"
    );
    assert!(err.contains("a delay of 6 and 3 parts"), "{err}");
    let err = refused(dir.path(), &["event.deal.effect.1.over=2:8:2"]);
    assert!(
        err.contains("sweep point event.deal.effect.1.over = 8"),
        "{err}"
    );
}

// Defect (hostile review): the list of valid paths a bad path gets left out the file's
// ranges other than parameters: `event.<name>.one_of.<D>`, a lag's `.delay` and `.over`.
#[test]
fn a_bad_sweep_path_lists_the_files_range_paths() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(dir.path(), &["event.coup.oneof.1=0:1:2"]);
    for path in [
        "event.coup.one_of.1",
        "event.coup.one_of.2",
        "event.deal.effect.1.delay",
        "event.deal.effect.1.over",
        "event.war.hazard.case.1",
    ] {
        assert!(err.contains(path), "{path}: {err}");
    }
    assert!(
        err.contains("did you mean \"event.coup.one_of.1\"?"),
        "{err}"
    );
}

// Defect (polish trials): a sweep of a share that pushed its row past 1 scaled the row back
// without a word, where a run counts it (`rows_scaled_back`). Now a warning names each
// point and counts its trajectories; a point whose row fits is not named.
#[test]
fn a_swept_share_whose_row_passes_1_is_reported_per_point() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s");
    // A's aid: 0.5 from C, and the swept B at 0.25, 0.5 (a total of 1) and 0.75 (1.25).
    let done = common::simulate()
        .args(["sweep"])
        .arg(common::data("small.ron"))
        .args(["--param", "share.aid.A.B=0.25:0.75:3", "-n", "20", "--out"])
        .arg(&out)
        .assert()
        .success();
    let err = common::stderr_of(&done);
    assert!(err.contains("at 1 sweep point,"), "{err}");
    assert!(err.contains("scaled back"), "{err}");
    assert!(
        err.contains("sweep point share.aid.A.B = 0.75: in 20 of 20 trajectories"),
        "{err}"
    );
    assert!(!err.contains("= 0.5:"), "{err}");
}

// Defect (s25 hostile trial): a sweep point's lag and window were bounded with the top of
// each range rounded halves up, one step past any draw: `Delay(Uniform(1.5, 2.5), ...)`
// draws 2 steps, yet a point of 6 parts in 8 steps was refused as "a delay of 3 and 6 parts
// end after step 9". Bounded now as the loader bounds them (`scenario::drawn_steps::span`).
#[test]
fn a_sweep_point_of_a_lag_that_fits_is_refused_as_one_step_too_long() {
    let dir = tempfile::tempdir().unwrap();
    let file = ranged(dir.path());
    let out = dir.path().join("fits");
    exits(
        0,
        &[
            &"sweep",
            &file,
            &"--param",
            &"event.deal.effect.1.over=3:6:4",
            &"-n",
            &"8",
            &"-q",
            &"--out",
            &out,
        ],
    );
    assert!(out.exists());
    // One more part is past the horizon for every draw of the delay.
    let err = refused(dir.path(), &["event.deal.effect.1.over=3:7:5"]);
    assert!(
        err.contains("a delay of 2 and 7 parts end after step 9"),
        "{err}"
    );
}

/// A file of 12 steps whose deal lands a second effect after a drawn delay of 2 to 4 steps
/// (`event.deal.effect.2.delay`) and no `Over`: the lag lands in 1 part.
fn delayed(dir: &Path) -> std::path::PathBuf {
    let text = r#"Scenario(
    name: "delayed",
    steps: 12,
    trajectories: 20,
    background: None,
    states: [State(name: "A"), State(name: "B")],
    stances: [("A", "B", 0.1), ("B", "A", 0.1)],
    events: [
        Event(name: "deal", hazard: 0.1,
              effects: [Mutual("A", "B", Add(0.1)), Delay(Uniform(1.5, 4.5), Mutual("A", "B", Add(0.2)))]),
    ],
    outcomes: [Outcome(name: "close", at_end: SameBloc("A", "B"))],
)"#;
    write(dir, "delayed.ron", text)
}

// Defect (mend, hostile trial): `--param event.deal.effect.2.delay=1:11.5:2` in 12 steps was
// inside the advertised valid range [0.5, 11.5], then refused at its point as "a delay of
// 12 and 1 parts": a sweep point's 11.5 rounds halves up to 12. The range of a number of
// steps is now said and checked in whole steps (1 to 11), the values that round to them
// (0.5 to below 11.5) accepted, and 11.5 refused before any point, saying it rounds to 12.
#[test]
fn a_swept_delay_at_the_advertised_top_is_refused_as_a_delay_of_12_and_1_parts() {
    let dir = tempfile::tempdir().unwrap();
    let file = delayed(dir.path());
    let out = dir.path().join("s");
    let err = exits(
        2,
        &[
            &"sweep",
            &file,
            &"--param",
            &"event.deal.effect.2.delay=1:11.5:2",
            &"--out",
            &out,
        ],
    );
    assert!(!out.exists());
    assert!(!err.contains("1 parts"), "{err}");
    assert!(
        err.contains("a whole number of steps from 1 to 11"),
        "{err}"
    );
    assert!(err.contains("from 0.5 to below 11.5"), "{err}");
    assert!(err.contains("(11.5 rounds to step 12)"), "{err}");
    // What the refusal says is accepted runs: both ends, 0.5 (step 1) and 11.49 (step 11).
    exits(
        0,
        &[
            &"sweep",
            &file,
            &"--param",
            &"event.deal.effect.2.delay=0.5:11.49:2",
            &"-q",
            &"--out",
            &out,
        ],
    );
    assert!(out.join("sweep.csv").exists());
}

// Defect (mend, hostile trial): the sweep point's refusal of a lag that lands in one part
// said "1 parts". Now "1 part" (a point set directly, past the command's range check).
#[test]
fn a_sweep_points_lag_of_one_part_is_not_called_1_parts() {
    let dir = tempfile::tempdir().unwrap();
    let mut world = common::world_of(
        dir.path(),
        "delayed.ron",
        &std::fs::read_to_string(delayed(dir.path())).unwrap(),
    );
    let (path, _) =
        entente::analysis::sweep::check_path(&world, "event.deal.effect.2.delay").unwrap();
    entente::analysis::sweep::fix(&mut world, path, 12.0);
    let why = entente::analysis::sweep_point::holds(&world).unwrap_err();
    assert!(
        why.contains("a delay of 12 and 1 part end after step 13"),
        "{why}"
    );
}

// The other numbers of steps are bounded alike: an `Over` of 12.5 parts in 12 steps is 13
// parts, an `at` of 12.5 is step 13; both were inside the advertised [1.5, 12.5] and
// [0.5, 12.5].
#[test]
fn swept_parts_and_steps_at_the_top_half_step_are_refused_in_whole_steps() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(dir.path(), &["event.deal.effect.1.over=2:8.5:2"]);
    assert!(err.contains("from 2 to 8"), "{err}");
    assert!(err.contains("(8.5 rounds to step 9)"), "{err}");
    let err = refused(dir.path(), &["event.deal.at=1:8.5:2"]);
    assert!(err.contains("from 1 to 8"), "{err}");
    let err = refused(dir.path(), &["event.deal.at=0.4:3:2"]);
    assert!(err.contains("(0.4 is below 0.5)"), "{err}");
}
