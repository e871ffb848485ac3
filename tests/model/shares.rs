//! Shifts of shares (`Gain`, `Lose`) and the rest of the world (`Others`) through the
//! binary: the arithmetic lands on the shares a trajectory holds when the effect fires, a
//! world at rest holds the rest of the world's share still, and the new numbers have paths
//! (issue 25, items 1 and 2).

use crate::common;

use std::path::Path;

use common::{read, run_into, simulate, write};

/// A's arms: B 0.3, C 0.2, D 0.1, the rest of the world 0.2, self-reliance 0.2. No noise,
/// no background, and a replicator that moves nothing (kappa and rho 0), so only the
/// events move shares. `extra` goes into the file's fields.
fn world(events: &str, extra: &str) -> String {
    format!(
        r#"Scenario(
    name: "shares",
    steps: 3,
    trajectories: 8,
    background: None,
    channels: ["arms"],
    states: [State(name: "A"), State(name: "B"), State(name: "C"), State(name: "D")],
    stances: [("A", "B", 0.3), ("B", "A", 0.2), ("A", "C", -0.1)],
    ties: [
        Tie(from: "A", to: "B", channel: "arms", share: 0.3),
        Tie(from: "A", to: "C", channel: "arms", share: 0.2),
        Tie(from: "A", to: "D", channel: "arms", share: 0.1),
        Tie(from: "A", to: "Others", channel: "arms", share: 0.2),
    ],
    params: Params(sigma: 0.0, kappa: {{"arms": 0.0}}, rho: {{"arms": 0.0}}),
    events: [{events}],
    metrics: [
        Share("A", "B", "arms"), Share("A", "C", "arms"), Share("A", "D", "arms"),
        Share("A", "Others", "arms"), Dependence("A", "arms"),
    ],
    {extra}
)
"#
    )
}

/// The mean of every metric at step `t` of a run's timeseries.csv, by label.
fn means_at(out: &Path, t: usize) -> Vec<(String, f64)> {
    let text = String::from_utf8(read(&out.join("timeseries.csv"))).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let (step, rest) = line.split_once(',')?;
            let (metric, numbers) = rest.rsplit_once("\",")?;
            let mean = numbers.split(',').next()?.parse().ok()?;
            (step.parse() == Ok(t)).then(|| (metric.trim_start_matches('"').to_string(), mean))
        })
        .collect()
}

fn run(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let file = write(dir, &format!("{name}.ron"), text);
    run_into(&dir.join(name), &[&file])
}

/// A contract won after another event moved the shares is taken from the shares as they
/// are then, not as the file wrote them: the hand-scaled form (every share times 1 − x,
/// worked out from the initial shares) was wrong exactly there.
#[test]
fn a_contract_is_taken_from_the_shares_the_trajectory_holds_when_it_lands() {
    let dir = tempfile::tempdir().unwrap();
    let events = r#"
        Event(name: "embargo", at: 1, effects: [Share("A", "B", "arms", Lose(0.15))]),
        Event(name: "deal", at: 2, effects: [Share("A", "C", "arms", Gain(0.1))]),"#;
    let out = run(dir.path(), "shift", &world(events, ""));
    // Step 1: B's 0.15 is spread over C, D and the rest of the world (0.5 in all): each
    // grows by 30%. Step 2: C gains 0.1 from B, D and the rest (0.15 + 0.13 + 0.26 = 0.54).
    let keep = 1.0 - 0.1 / 0.54;
    let want = [
        ("Share(A, B, arms)", 0.15 * keep),
        ("Share(A, C, arms)", 0.26 + 0.1),
        ("Share(A, D, arms)", 0.13 * keep),
        ("Share(A, Others, arms)", 0.26 * keep),
        // Dependence counts the states only (the rest of the world is its own share).
        ("Dependence(A, arms)", 0.15 * keep + 0.36 + 0.13 * keep),
    ];
    let got = means_at(&out, 2);
    for (label, x) in want {
        let (_, mean) = got
            .iter()
            .find(|(l, _)| l == label)
            .unwrap_or_else(|| panic!("{label}: {got:?}"));
        assert!((mean - x).abs() < 1e-8, "{label}: {mean} against {x}");
    }
    // Self-reliance took no part: A still imports 0.8 of its arms.
    let imports: f64 = got
        .iter()
        .filter(|(l, _)| l.starts_with("Share("))
        .map(|(_, x)| x)
        .sum();
    assert!((imports - 0.8).abs() < 1e-8, "{got:?}");
}

/// With self-reliance among the others, a gain is taken from it in proportion too.
#[test]
fn a_gain_with_self_reliance_takes_from_home_production_in_proportion() {
    let dir = tempfile::tempdir().unwrap();
    let events = r#"
        Event(name: "deal", at: 1, effects: [Share("A", "D", "arms", Gain(0.18, WithSelfReliance))]),"#;
    let out = run(dir.path(), "self", &world(events, ""));
    // The others and self-reliance hold 0.3 + 0.2 + 0.2 + 0.2 = 0.9 and keep 80% each.
    let got = means_at(&out, 1);
    for (label, x) in [
        ("Share(A, B, arms)", 0.24),
        ("Share(A, D, arms)", 0.28),
        ("Share(A, Others, arms)", 0.16),
        ("Dependence(A, arms)", 0.68),
    ] {
        let (_, mean) = got.iter().find(|(l, _)| l == label).unwrap();
        assert!((mean - x).abs() < 1e-8, "{label}: {mean} against {x}");
    }
}

/// At rest, the replicator's growth of the rest of the world is 1 (its attractiveness does
/// not change), and the residual correction covers its slot: nothing moves.
#[test]
fn a_world_at_rest_holds_the_rest_of_the_worlds_share_still() {
    let dir = tempfile::tempdir().unwrap();
    let text = world("", "others: Others(attractiveness: 0.5),")
        .replace("background: None,", "background: None,\n    at_rest: true,")
        .replace(
            "kappa: {\"arms\": 0.0}, rho: {\"arms\": 0.0}",
            "kappa: {\"arms\": 0.8}, rho: {\"arms\": 0.1}",
        )
        .replace("steps: 3,", "steps: 40,");
    let out = run(dir.path(), "rest", &text);
    let start = means_at(&out, 0);
    for t in [1, 20, 40] {
        assert_eq!(means_at(&out, t), start, "step {t}");
    }
}

/// Naming the rest of the world with no share (and no background to bring it in) changes
/// no number: its slot stays 0 and takes no part in any sum.
#[test]
fn naming_the_rest_of_the_world_with_no_share_changes_no_number() {
    let dir = tempfile::tempdir().unwrap();
    let without = world("", "")
        .replace(
            "        Tie(from: \"A\", to: \"Others\", channel: \"arms\", share: 0.2),\n",
            "",
        )
        .replace(
            "        Share(\"A\", \"Others\", \"arms\"), Dependence",
            "        Dependence",
        )
        .replace("kappa: {\"arms\": 0.0}", "kappa: {\"arms\": 0.7}")
        .replace("sigma: 0.0", "sigma: 0.05");
    let with = without.replace(
        "    background: None,",
        "    background: None,\n    others: Others(),",
    );
    assert_ne!(with, without);
    let a = run(dir.path(), "without", &without);
    let b = run(dir.path(), "with", &with);
    assert_eq!(
        read(&a.join("timeseries.csv")),
        read(&b.join("timeseries.csv"))
    );
}

/// The rest of the world's initial share and a gain's amount (a three-point guess, as the
/// analyst writes it) are numbers with paths: a sweep sets them, and the answer follows.
#[test]
fn the_rest_of_the_worlds_share_and_a_gains_amount_have_paths() {
    let dir = tempfile::tempdir().unwrap();
    let events = r#"
        Event(name: "deal", at: 1, effects: [Share("A", "Others", "arms", Gain(Guess(0.05, 0.1, 0.15)))]),"#;
    let outcome =
        r#"outcomes: [(name: "big", at_end: Above(Share("A", "Others", "arms"), 0.25))],"#;
    let file = write(dir.path(), "paths.ron", &world(events, outcome));
    // The rest of the world starts at 0.1 or 0.3 and gains 0.05 to 0.15; or it starts at
    // 0.2 and gains 0 or 0.2: above 0.25 at the end only with the higher value each time.
    for param in [
        "share.arms.A.Others=0.1:0.3:2",
        "event.deal.effect.1=0.0:0.2:2",
    ] {
        let out = dir.path().join(param.split('=').next().unwrap());
        let done = simulate()
            .arg("sweep")
            .arg(&file)
            .args(["--param", param, "-n", "8", "--quiet", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            done.status.success(),
            "{param}: {}",
            String::from_utf8_lossy(&done.stderr)
        );
        let table = String::from_utf8(read(&out.join("sweep.csv"))).unwrap();
        let probabilities: Vec<&str> = table
            .lines()
            .skip(1)
            .map(|line| line.split(',').nth(4).unwrap())
            .collect();
        assert_eq!(probabilities, ["0", "1"], "{param}:\n{table}");
    }
    // A sweep took a shift's amount past 1, which the file itself refuses: now the sweep
    // refuses it too, before any work (a_swept_gain_above_one_was_run).
    let out = dir.path().join("past_one");
    let done = simulate()
        .arg("sweep")
        .arg(&file)
        .args([
            "--param",
            "event.deal.effect.1=0.5:1.5:3",
            "-n",
            "8",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(done.status.code(), Some(2));
    assert!(!out.exists());
}
