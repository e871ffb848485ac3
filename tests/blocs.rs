//! `simulate blocs` on constructed worlds whose landscapes are worked out by hand.

mod common;

use common::simulate;

/// A scenario with four states and the given symmetric affinities.
fn world(affinities: &[(&str, &str, f64)]) -> String {
    let mut pairs = String::new();
    for (a, b, x) in affinities {
        pairs.push_str(&format!(
            "(\"{a}\", \"{b}\", {x}), (\"{b}\", \"{a}\", {x}),\n"
        ));
    }
    format!(
        "(name: \"constructed\", steps: 1,
          states: [(name: \"A\"), (name: \"B\"), (name: \"P\"), (name: \"Q\")],
          affinities: [{pairs}])"
    )
}

fn run(text: &str) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("world.ron");
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    simulate()
        .arg("blocs")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .assert()
        .success();
    let mut reader = csv::Reader::from_path(out.join("blocs.csv")).unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn two_camps_are_the_only_minimum() {
    // {A, P} against {B, Q}: friends +1 inside, foes -1 across. Energy counts each ordered
    // cross pair: 4 pairs x 2 directions x (-1) = -8.
    let rows = run(&world(&[
        ("A", "P", 1.0),
        ("B", "Q", 1.0),
        ("A", "B", -1.0),
        ("A", "Q", -1.0),
        ("P", "B", -1.0),
        ("P", "Q", -1.0),
    ]));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][1], "global");
    assert_eq!(rows[0][2].parse::<f64>().unwrap(), -8.0);
    assert_eq!(rows[0][3], "A; P");
    assert_eq!(rows[0][4], "B; Q");
}

#[test]
fn a_tight_pair_makes_a_second_local_minimum() {
    // A and B are foes (-1); P and Q are inseparable (+2) and mildly like both A (+0.3) and
    // B (+0.4). Best: the pair joins B, E = 2 (-1 + 0.3 + 0.3) = -0.8. The pair with A,
    // E = 2 (-1 + 0.4 + 0.4) = -0.4, is worse, but no single state can improve it: P or Q
    // alone would break the pair (+2), and B joining everyone gives 0.
    let rows = run(&world(&[
        ("A", "B", -1.0),
        ("P", "Q", 2.0),
        ("A", "P", 0.3),
        ("A", "Q", 0.3),
        ("B", "P", 0.4),
        ("B", "Q", 0.4),
    ]));
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (
            rows[0][1].as_str(),
            rows[0][3].as_str(),
            rows[0][4].as_str()
        ),
        ("global", "A", "B; P; Q")
    );
    assert!((rows[0][2].parse::<f64>().unwrap() + 0.8).abs() < 1e-12);
    assert_eq!(
        (
            rows[1][1].as_str(),
            rows[1][3].as_str(),
            rows[1][4].as_str()
        ),
        ("local", "A; P; Q", "B")
    );
    assert!((rows[1][2].parse::<f64>().unwrap() + 0.4).abs() < 1e-12);
}

#[test]
fn a_state_needs_a_name_the_file_knows() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("world.ron");
    std::fs::write(&file, world(&[("A", "Pp", 1.0)])).unwrap();
    simulate()
        .arg("blocs")
        .arg(&file)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean \"P\""));
}
