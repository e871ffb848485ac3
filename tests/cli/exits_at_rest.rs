//! A supplier that leaves its market (the background's exits) has a share of exactly 0, as
//! an outcome or a band at 0 reads it.

use crate::common::{json, run_into, write};

/// A's arms from B (0.3) and from C (`c`), exits at their highest rate and nothing else of
/// the background; the outcome `gone` is that B's share is exactly 0 at the end.
fn world(c: &str) -> String {
    format!(
        r#"Scenario(name: "min", steps: 40, step: "quarter", channels: ["arms"],
    states: [State(name: "A"), State(name: "B"), State(name: "C")],
    ties: [Tie(from: "A", to: "B", channel: "arms", share: 0.3),
           Tie(from: "A", to: "C", channel: "arms", share: {c})],
    background: Background(exit_rate: 2, supplier_rate: 0, jump_rate: 0),
    params: Params(sigma: 0.0),
    outcomes: [Outcome(name: "gone", at_end: Below(Share("A", "B", "arms"), 1e-300)),
               Outcome(name: "below_1e-9", at_end: Below(Share("A", "B", "arms"), 1e-9))])
"#
    )
}

/// The probabilities of `gone` and `below_1e-9` in the world with C's share `c`.
fn gone(dir: &std::path::Path, c: &str) -> (f64, f64) {
    let file = write(dir, "min.ron", &world(c));
    let out = run_into(&dir.join(format!("out_{c}")), &[&file, &"-n", &"300"]);
    let summary = json(&out.join("summary.json"));
    let p = |k: usize| summary["outcomes"][k]["probability"].as_f64().unwrap();
    (p(0), p(1))
}

/// Defect (hostile pass 34, fixed in `Lanes::share_row`): a row the loader accepts at a
/// total a hair over 1 (0.3 + 0.7000000009, within its tolerance of 1e-9) never has a
/// share of exactly 0 after an exit when the world is at rest (the default): B's share
/// ends between 1e-12 and 1e-9 in 90% of trajectories, and in none at 0, so an outcome or
/// a band at 0 misses every exit. At a total of 1, or with `at_rest: false`, 90% end at
/// exactly 0. The rest's residual, measured while B still had its share, was added back
/// at every step; it now goes only to a share above 0.
#[test]
fn a_supplier_that_left_a_row_just_over_1_keeps_a_share_of_1e_10_not_0() {
    let dir = tempfile::tempdir().unwrap();
    let (at_one, _) = gone(dir.path(), "0.7");
    assert!(at_one > 0.8, "{at_one}");
    let (over, below) = gone(dir.path(), "0.7000000009");
    assert!(below > 0.8, "{below}");
    assert!(over > 0.8, "gone at exactly 0: {over}, below 1e-9: {below}");
}
