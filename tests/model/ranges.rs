//! Issue 22, item 1: any number an analyst guesses may be a range (README, "Ranges").
//! Stances, affinities, shares, weights, effect amounts and scheduled steps drawn once per
//! trajectory, each from its own stream keyed by its path.

use crate::common;

use std::path::{Path, PathBuf};

use common::{assert_same_files, json, run_into, simulate};
use entente::engine::start_of;
use entente::model::lanes::Lanes;
use entente::model::{step, Randomness, State, Timing, World};

/// A three-state world with every kind of range, `extra_stance` added to its stances; at
/// rest it has no affinities (they would be departures from rest: drift by design).
fn world_text(extra_stance: &str, at_rest: bool, sigma: f64, events: bool) -> String {
    let affinities = if at_rest {
        ""
    } else {
        r#"("C", "B", Triangular(-0.3, 0.0, 0.2))"#
    };
    let events = if events {
        r#"events: [
        Event(name: "visit", at: Guess(2, 4, 7), window: (1, 4), effects: [Mutual("A", "B", Add(Guess(0.05, 0.1, 0.3)))]),
        Event(name: "drills", every: Uniform(2.5, 4.5), window: (Uniform(0.5, 3.4), Triangular(6, 8, 10)),
              effects: [Affinity("C", "A", Scale(Normal(1.0, 0.2)))]),
        Event(name: "deal", hazard: Uniform(0.02, 0.2), effects: [Share("C", "B", "arms", Set(Uniform(0.1, 0.3)))]),
    ],
    outcomes: [Outcome(name: "dealt", ever: After("deal")),
               Outcome(name: "visited", ever: After("visit")),
               Outcome(name: "close", at_end: Above(Partnership("A", "B"), 0.3))],"#
    } else {
        ""
    };
    format!(
        r#"Scenario(
    name: "ranges",
    steps: 10,
    trajectories: 200,
    seed: 5,
    at_rest: {at_rest},
    channels: ["aid", "arms"],
    states: [State(name: "A", weight: Guess(1.0, 2.0, 4.0)), State(name: "B"), State(name: "C", weight: Uniform(0.5, 1.5))],
    stances: [("A", "B", Uniform(0.2, 0.5)), ("B", "A", 0.3),
              ("A", "C", Guess(-0.6, -0.4, -0.1)), ("C", "A", Normal(-0.2, 0.1)),
              ("B", "C", 0.4){extra_stance}],
    affinities: [{affinities}],
    ties: [
        Tie(from: "B", to: "A", channel: "aid", share: Guess(0.1, 0.3, 0.6)),
        Tie(from: "B", to: "C", channel: "aid", share: Uniform(0.3, 0.6)),
        Tie(from: "C", to: "A", channel: "arms", share: 0.5),
    ],
    params: Params(sigma: {sigma}, gamma: Uniform(0.5, 1.5), lambda: 0.5),
    {events}
    metrics: [Stance("A", "B"), Partnership("A", "C"), Share("B", "A", "aid")],
)
"#
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn load(dir: &Path, name: &str, text: &str) -> World {
    entente::scenario::load(&write(dir, name, text))
        .expect("the scenario loads")
        .world
}

/// Every drawn number of a trajectory's start, by what it is.
fn draws(state: &State) -> Vec<(String, Vec<f64>)> {
    let p = &state.params;
    let timing: Vec<f64> = state
        .timing
        .iter()
        .map(|t| match *t {
            Timing::At(x) | Timing::Every(x) => f64::from(x),
            Timing::Hazard => -1.0,
        })
        .collect();
    let window: Vec<f64> = state
        .window
        .iter()
        .flat_map(|w| [f64::from(w.0), f64::from(w.1)])
        .collect();
    vec![
        ("stance".into(), state.stance.clone()),
        ("departure".into(), state.departure.clone()),
        ("share".into(), state.share.clone()),
        ("weight".into(), state.weight.clone()),
        ("gamma".into(), p.gamma.clone()),
        ("hazard".into(), p.hazard.clone()),
        ("amount".into(), state.amount.clone()),
        ("timing".into(), timing),
        ("window".into(), window),
    ]
}

/// The keyed-streams test: a range added to one number changes no other draw, for every
/// trajectory (the draws themselves, not only the outputs).
#[test]
fn a_new_range_changes_no_other_draw() {
    let dir = tempfile::tempdir().unwrap();
    let without = load(dir.path(), "a.ron", &world_text("", false, 0.05, true));
    let with = world_text(", (\"C\", \"B\", Uniform(-0.5, 0.5))", false, 0.05, true);
    let with = load(dir.path(), "b.ron", &with);
    let cb = 2 * 3 + 1;
    let mut moved = 0;
    for r in 0..200 {
        let (a, b) = (start_of(&without, 5, r), start_of(&with, 5, r));
        for ((what, x), (_, y)) in draws(&a).iter().zip(&draws(&b)) {
            for (ij, (x, y)) in x.iter().zip(y).enumerate() {
                let the_new_one = (what == "stance" || what == "departure") && ij == cb;
                if the_new_one {
                    moved += usize::from(x != y);
                } else {
                    assert_eq!(x, y, "trajectory {r}: {what}[{ij}] changed");
                }
            }
        }
        assert!(a.weight[0] >= 1.0 && a.weight[0] <= 4.0);
    }
    assert!(moved > 150, "the new range drew only {moved} times");
}

/// Paired comparisons stay paired: a file against itself with one more range differs in no
/// trajectory for an outcome the range cannot reach (the deal's hazard has its own stream;
/// whether the visit comes within its window, by step 4, only on the draw of its step).
#[test]
fn compare_of_a_file_against_itself_with_one_range_stays_paired() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.ron", &world_text("", false, 0.05, true));
    let with = world_text(", (\"C\", \"B\", Uniform(-0.5, 0.5))", false, 0.05, true);
    let b = write(dir.path(), "b.ron", &with);
    let out = run_into(
        &dir.path().join("cmp"),
        &[&"compare", &a, &b, &"-n", &"400"],
    );
    let doc = json(&out.join("compare.json"));
    for name in ["dealt", "visited"] {
        let o = doc["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == name)
            .expect("the outcome is compared")
            .clone();
        assert_eq!(
            (o["only_a"].as_u64(), o["only_b"].as_u64()),
            (Some(0), Some(0)),
            "{o}"
        );
        let p = o["a"].as_f64().unwrap();
        assert!(p > 0.05 && p < 0.95, "{o}");
    }
}

/// No noise: the world's kernel must not move a start.
struct Still;

impl Randomness for Still {
    fn standard_normal(&mut self) -> f64 {
        0.0
    }
    fn event_uniform(&mut self, _: usize) -> f64 {
        1.0
    }
}

/// The stance targets `tanh(A + D − λL + γB)` of a state, in the textbook form (README,
/// "The model"), off the diagonal.
fn targets(state: &State) -> Vec<f64> {
    let (n, k) = (state.n, state.k);
    let (s, c, p) = (&state.stance, &state.weight, &state.params);
    let mut d = vec![0.0; n * n];
    for kk in 0..k {
        for i in 0..n {
            for j in 0..n {
                d[i * n + j] += p.beta[kk * n + i] * state.share[(kk * n + i) * n + j];
            }
        }
    }
    let total: f64 = c.iter().sum();
    let mut target = vec![0.0; n * n];
    for i in 0..n {
        for j in (0..n).filter(|&j| j != i) {
            let (mut balance, mut leverage) = (0.0, 0.0);
            for m in 0..n {
                balance += c[m] * s[i * n + m] * s[m * n + j];
                leverage += d[i * n + m] * (-s[m * n + j]).max(0.0);
            }
            let balance = balance / (total - c[i] - c[j]);
            let ij = i * n + j;
            target[ij] =
                (state.affinity[ij] + d[ij] - p.lambda[i] * leverage + p.gamma[i] * balance).tanh();
        }
    }
    target
}

/// At rest is solved per trajectory after every draw: with drawn stances, shares and
/// weights, each trajectory's solved affinities make its own start the target, and with no
/// events and sigma 0 it stays there.
#[test]
fn a_world_at_rest_stays_where_each_draw_starts() {
    let dir = tempfile::tempdir().unwrap();
    let world = load(dir.path(), "rest.ron", &world_text("", true, 0.0, false));
    assert!(world.rest.is_some());
    let mut starts = Vec::new();
    for r in 0..100 {
        let mut state = start_of(&world, 5, r);
        let (stance, share) = (state.stance.clone(), state.share.clone());
        starts.push(stance[1]);
        for (ij, (t, s)) in targets(&state).iter().zip(&stance).enumerate() {
            assert!(
                (t - s).abs() < 1e-9,
                "trajectory {r}: target {t} of {ij}, stance {s}"
            );
        }
        let mut kernel = Lanes::<1>::new(&world);
        for t in 1..=world.steps {
            step(&world, &mut kernel, &mut state, t, &mut Still);
        }
        assert_eq!(state.stance, stance, "trajectory {r} moved");
        assert_eq!(state.share, share, "trajectory {r}'s shares moved");
    }
    starts.sort_by(f64::total_cmp);
    assert!(
        starts[99] - starts[0] > 0.1,
        "the stances were drawn: {starts:?}"
    );
}

/// The same test through the binary: a run at rest with drawn starts and no noise ends, in
/// every trajectory, where it began (the spread of the last step is the spread of step 0).
#[test]
fn a_run_at_rest_with_drawn_starts_ends_where_it_began() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "rest.ron", &world_text("", true, 0.0, false));
    let out = run_into(&dir.path().join("run"), &[&file, &"-n", &"300"]);
    let csv = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().filter(|l| l.contains("Stance(A, B)")).collect();
    let first = rows.first().unwrap();
    let last = rows.last().unwrap();
    let values = |row: &str| {
        row.split(',')
            .skip(3)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(values(first), values(last), "{first}\n{last}");
    // The start is drawn: its 5% and 95% quantiles differ.
    assert_ne!(values(first)[1], values(first)[5], "{first}");
}

/// A sweep sets any number of the file by its path, a range or not, on common seeds.
#[test]
fn a_sweep_sets_a_stance_and_a_step_by_their_paths() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "r.ron", &world_text("", false, 0.05, true));
    for (param, values) in [
        ("stance.A.B=0.0:0.45:2", ["0", "0.45"]),
        ("stance.B.A=-0.5:0.5:2", ["-0.5", "0.5"]),
        ("event.visit.at=2:8:2", ["2", "8"]),
    ] {
        let out = dir.path().join(param.replace([':', '='], "_"));
        run_into(&out, &[&"sweep", &file, &"--param", &param, &"-n", &"200"]);
        let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
        let close: Vec<&str> = csv.lines().filter(|l| l.contains(",close,")).collect();
        assert_eq!(close.len(), 2, "{csv}");
        for (line, value) in close.iter().zip(values) {
            assert!(line.starts_with(&format!("{value},")), "{line}");
        }
        if param.starts_with("stance") {
            assert_ne!(
                close[0].split(',').nth(2),
                close[1].split(',').nth(2),
                "{csv}"
            );
        }
    }
}

/// Sensitivity takes every range as a factor, by its path.
#[test]
fn sensitivity_takes_every_range_as_a_factor() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "r.ron", &world_text("", false, 0.05, true));
    let out = run_into(
        &dir.path().join("sens"),
        &[&"sensitivity", &file, &"--samples", &"8", &"-n", &"20"],
    );
    let csv = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    for factor in [
        "stance.A.B",
        "share.aid.B.A",
        "weight.C",
        "event.visit.at",
        "event.drills.effect.1",
    ] {
        assert!(csv.contains(factor), "{factor} not a factor: {csv}");
    }
}

/// Out-of-range supports are refused before anything runs, exit 2, at their line and
/// column, with what to write instead.
#[test]
fn a_range_outside_its_numbers_values_exits_2_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let base = world_text("", false, 0.05, true);
    for (bad, good, what) in [
        (
            "(\"A\", \"B\", Uniform(0.2, 0.5))",
            "(\"A\", \"B\", Uniform(0.2, 1.5))",
            "stance.A.B",
        ),
        (
            "share: Uniform(0.3, 0.6)",
            "share: Uniform(0.3, 1.6)",
            "share.aid.B.C",
        ),
        (
            "weight: Uniform(0.5, 1.5)",
            "weight: Uniform(-1.0, 1.5)",
            "weight.C",
        ),
        (
            "at: Guess(2, 4, 7)",
            "at: Guess(2, 4, 17)",
            "event.visit.at",
        ),
    ] {
        let text = base.replacen(bad, good, 1);
        let line = text[..text.find(good).unwrap()].lines().count();
        let file = write(dir.path(), "bad.ron", &text);
        let output = simulate().arg("check").arg(&file).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{what}: {stderr}");
        assert!(stderr.contains(what), "{what}: {stderr}");
        assert!(
            stderr.contains(&format!("bad.ron:{line}:")),
            "{what} at line {line}: {stderr}"
        );
        assert!(
            stderr.contains("e.g. from"),
            "{what}: no suggestion in {stderr}"
        );
    }
    // A stance range reaching 1 cannot be held at rest.
    let text =
        world_text("", true, 0.0, false).replacen("Uniform(0.2, 0.5)", "Uniform(0.2, 1.0)", 1);
    let file = write(dir.path(), "bad.ron", &text);
    let output = simulate().arg("check").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot be held at rest"), "{stderr}");
    assert!(stderr.contains("e.g. from 0.2 to 0.99"), "{stderr}");
}

/// Regression (mend's trial): a range wholly past its number's values was told to write
/// "e.g. from 1 to 1", one number where a range was meant. It is now told which side it
/// lies on.
#[test]
fn a_range_wholly_outside_its_values_is_not_told_to_write_one_number() {
    let dir = tempfile::tempdir().unwrap();
    let text = world_text("", false, 0.05, true).replacen(
        "share: Uniform(0.3, 0.6)",
        "share: Uniform(1.2, 1.6)",
        1,
    );
    let file = write(dir.path(), "bad.ron", &text);
    let output = simulate().arg("check").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("e.g. from 1 to 1"), "{stderr}");
    assert!(stderr.contains("this range is at or above 1"), "{stderr}");
}

/// A range of zero width draws its number exactly: the run gives the bytes of the number
/// (so the machinery of ranges moves nothing else).
#[test]
fn a_range_of_zero_width_runs_as_its_number() {
    let dir = tempfile::tempdir().unwrap();
    let fixed = world_text("", false, 0.05, true);
    let zero = fixed.replacen(
        "(\"B\", \"A\", 0.3)",
        "(\"B\", \"A\", Uniform(0.3, 0.3))",
        1,
    );
    assert_ne!(fixed, zero);
    let a = write(dir.path(), "a.ron", &fixed);
    let b = write(dir.path(), "b.ron", &zero);
    let (x, y) = (dir.path().join("x"), dir.path().join("y"));
    run_into(&x, &[&a, &"-n", &"300"]);
    run_into(&y, &[&b, &"-n", &"300"]);
    assert_same_files(
        &x,
        &y,
        &["timeseries.csv", "outcomes.csv"],
        "with a zero-width range",
    );
}

/// Same bytes for any thread count, ranges included.
#[test]
fn a_run_with_ranges_gives_the_same_bytes_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "r.ron", &world_text("", true, 0.02, true));
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    run_into(&one, &[&file, &"-n", &"1100", &"--threads", &"1"]);
    run_into(&two, &[&file, &"-n", &"1100", &"--threads", &"2"]);
    let files = [
        "timeseries.csv",
        "outcomes.csv",
        "summary.json",
        "report.html",
    ];
    assert_same_files(&one, &two, &files, "on two threads");
}

/// summary.json lists the ranges (path and distribution) and counts the trajectories whose
/// drawn row of shares passed 1 and was scaled back (B's aid shares: 0.1..0.6 + 0.3..0.6).
#[test]
fn summary_lists_the_ranges_and_the_rows_scaled_back() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "r.ron", &world_text("", false, 0.05, true));
    let out = run_into(&dir.path().join("run"), &[&file, &"-n", &"500"]);
    let doc = json(&out.join("summary.json"));
    let paths: Vec<&str> = doc["ranges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    for path in [
        "weight.A",
        "stance.A.B",
        "affinity.C.B",
        "share.aid.B.A",
        "event.visit.at",
        "event.visit.effect.1",
        "event.drills.window.first",
        "event.deal.effect.1",
    ] {
        assert!(paths.contains(&path), "{path} not in {paths:?}");
    }
    let scaled = &doc["rows_scaled_back"];
    let count = scaled["trajectories"].as_u64().unwrap();
    assert_eq!(scaled["of"].as_u64(), Some(500));
    assert!(count > 10 && count < 490, "{count}");
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains(&format!("rows scaled back: {count} of 500 trajectories")));
}

/// A range that is not a distribution is refused at its place, saying what may be written
/// there: a step takes a whole step or a distribution over steps.
#[test]
fn a_misspelt_range_says_what_may_be_written_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    for (field, expected) in [
        (
            "at: Unifrm(1, 2)",
            "expected a whole step, a distribution over steps",
        ),
        (
            "at: 2.5",
            "expected a whole step, a distribution over steps",
        ),
        (
            "at: 2, effects: [Stance(\"A\", \"B\", Add(Gess(0.1, 0.2, 0.3)))]",
            "Triangular(low, mode, high) or Guess(low, likely, high)",
        ),
    ] {
        let text = format!(
            "Scenario(name: \"r\", steps: 4, states: [State(name: \"A\"), State(name: \"B\")],\n    \
             events: [Event(name: \"e\", {field})])\n"
        );
        let file = write(dir.path(), "bad.ron", &text);
        let output = simulate().arg("check").arg(&file).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{field}: {stderr}");
        assert!(stderr.contains("bad.ron:2:"), "{field}: {stderr}");
        assert!(stderr.contains(expected), "{field}: {stderr}");
    }
}
