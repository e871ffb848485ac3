//! `simulate sweep` over any number of the file (`stance.A.B`, `affinity.A.B`,
//! `share.<channel>.A.B`, `weight.A`, `event.X.at`, `event.X.effect.N`, hazards, the
//! background) and `sweep_effects.csv`: each outcome's probability and each metric's mean at
//! every point, with its difference from the first point paired on the same seeds.

use std::collections::HashMap;
use std::path::Path;

use crate::common::{self, simulate};

const FILE: &str = r#"Scenario(
    name: "swept",
    step: "year",
    steps: 6,
    trajectories: 300,
    seed: 3,
    channels: ["aid", "arms"],
    states: [State(name: "A"), State(name: "B"), State(name: "C")],
    stances: [("A", "B", 0.2), ("B", "A", 0.3), ("A", "C", -0.4)],
    affinities: [("C", "A", 0.1)],
    ties: [Tie(from: "B", to: "A", channel: "aid", share: 0.3)],
    params: Params(sigma: 0.03, gamma: 1.0, lambda: 0.5),
    background: Background(jump_rate: 0.2),
    events: [
        Event(name: "visit", at: 3, effects: [Mutual("A", "B", Add(Uniform(0.05, 0.2)))]),
        Event(name: "deal", hazard: 0.1, effects: [Share("C", "B", "arms", Set(0.2))]),
    ],
    outcomes: [Outcome(name: "close", at_end: Above(Partnership("A", "B"), 0.3))],
    metrics: [Stance("A", "B"), Partnership("A", "C")],
)
"#;

/// `simulate sweep` of FILE over `param` into `out`, which must succeed; the rows of
/// sweep_effects.csv.
fn swept(dir: &Path, param: &str, out: &str) -> Vec<HashMap<String, String>> {
    let file = common::write(dir, "swept.ron", FILE);
    let out = dir.join(out);
    simulate()
        .arg("sweep")
        .arg(&file)
        .args(["--param", param, "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    common::csv_rows(&out.join("sweep_effects.csv"))
}

fn number(r: &HashMap<String, String>, column: &str) -> f64 {
    r[column].parse().unwrap()
}

#[test]
fn a_sweep_reports_metric_means_and_their_paired_effects_against_the_first_point() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = swept(tmp.path(), "stance.A.B=0.1:0.5:3", "out");
    // 3 points x (1 outcome + 2 metrics).
    assert_eq!(rows.len(), 9, "{rows:?}");
    let stance: Vec<&HashMap<String, String>> = rows
        .iter()
        .filter(|r| r["target"] == "Stance(A, B)")
        .collect();
    assert_eq!(stance.len(), 3);
    assert!(stance.iter().all(|r| r["kind"] == "metric"));
    let first = stance[0];
    assert_eq!(
        (number(first, "effect"), number(first, "ci_low")),
        (0.0, 0.0)
    );
    for pair in stance.windows(2) {
        assert!(
            number(pair[1], "mean") > number(pair[0], "mean"),
            "{pair:?}"
        );
    }
    let last = stance[2];
    let effect = number(last, "effect");
    assert!(
        (effect - (number(last, "mean") - number(first, "mean"))).abs() < 1e-9,
        "the effect is the difference of the means: {last:?}"
    );
    // Paired on the same seeds, the difference is known far better than either mean's
    // spread: its interval lies well above 0.
    assert!(
        number(last, "ci_low") > 0.0 && number(last, "ci_high") >= effect,
        "{last:?}"
    );
    let close: Vec<&HashMap<String, String>> =
        rows.iter().filter(|r| r["target"] == "close").collect();
    assert!(close.iter().all(|r| r["kind"] == "outcome"), "{close:?}");
}

#[test]
fn a_sweep_accepts_every_path_of_a_number() {
    let tmp = tempfile::tempdir().unwrap();
    for (k, param) in [
        "stance.A.B=0.1:0.4:2",
        "affinity.C.A=-0.2:0.2:2",
        "share.aid.B.A=0.1:0.6:2",
        "weight.A=0.5:2:2",
        "event.visit.at=1:5:2",
        "event.visit.effect.1=0:0.3:2",
        "event.deal.hazard=0.05:0.3:2",
        "background.jump_rate=0:0.5:2",
    ]
    .iter()
    .enumerate()
    {
        let rows = swept(tmp.path(), param, &format!("out-{k}"));
        assert_eq!(rows.len(), 6, "{param}: {rows:?}");
    }
}

/// Points run beside the first in batches: a point's numbers must not depend on the batch
/// it ran in. 0.1, 0.3 and 0.5 of an 11-point grid (two batches) against a 3-point grid.
#[test]
fn a_points_effects_do_not_depend_on_how_many_points_the_grid_has() {
    let tmp = tempfile::tempdir().unwrap();
    let few = swept(tmp.path(), "stance.A.B=0.1:0.5:3", "few");
    let many = swept(tmp.path(), "stance.A.B=0.1:0.5:11", "many");
    assert_eq!(many.len(), 33);
    for value in ["0.1", "0.3", "0.5"] {
        let at = |rows: &[HashMap<String, String>]| -> Vec<HashMap<String, String>> {
            rows.iter()
                .filter(|r| (number(r, "stance.A.B") - value.parse::<f64>().unwrap()).abs() < 1e-9)
                .cloned()
                .collect()
        };
        let (f, m) = (at(&few), at(&many));
        assert_eq!(f.len(), 3);
        for (a, b) in f.iter().zip(&m) {
            for column in ["target", "mean", "effect", "ci_low", "ci_high"] {
                assert_eq!(a[column], b[column], "{value} {column}");
            }
        }
    }
}
