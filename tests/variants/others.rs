//! The rest of the world (`Others`) and shifts of shares (`Gain`, `Lose`) in a variant: a
//! change sets the rest of the world's tie and replaces a deal by a shift (issue 25).

use crate::common;

use common::{read, simulate, write, ARMS_FROM_OTHERS};

/// A's arms: B 0.3 and the rest of the world 0.2; a deal gives C a tenth.
fn base() -> String {
    format!(
        r#"Scenario(
    name: "base",
    steps: 3,
    trajectories: 8,
{ARMS_FROM_OTHERS}    params: Params(sigma: 0.0, kappa: {{"arms": 0.0}}, rho: {{"arms": 0.0}}),
    events: [Event(name: "deal", at: 1, effects: [Share("A", "C", "arms", Add(0.1))])],
    metrics: [Share("A", "B", "arms"), Share("A", "C", "arms"), Share("A", "Others", "arms")],
)
"#
    )
}

/// `SetTie(A, "Others", …)` was refused as an unknown state: the variant's index of ties
/// knew states only, so the rest of the world's share, which the base file gives, could
/// not be changed by a variant.
#[test]
fn a_variant_could_not_set_the_rest_of_the_worlds_tie() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.ron", &base());
    let variant = write(
        dir.path(),
        "v.ron",
        r#"Variant(
    base: "base.ron",
    name: "v",
    changes: [
        SetTie("A", "Others", "arms", 0.4),
        ReplaceEvent(Event(name: "deal", at: 1, effects: [Share("A", "C", "arms", Gain(0.3))])),
    ],
)
"#,
    );
    let checked = simulate().arg("check").arg(&variant).output().unwrap();
    let said = String::from_utf8_lossy(&checked.stdout);
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    assert!(
        said.contains("share of A's arms supplied by Others: 0.2 -> 0.4"),
        "{said}"
    );
    let out = dir.path().join("out");
    simulate()
        .arg(&variant)
        .args(["--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    // At step 1 C gains 0.3 from B (0.3) and the rest of the world (0.4): each keeps 4/7.
    let table = String::from_utf8(read(&out.join("timeseries.csv"))).unwrap();
    let mean = |label: &str| -> f64 {
        let line = table
            .lines()
            .find(|l| l.starts_with("1,") && l.contains(label))
            .unwrap_or_else(|| panic!("{label}:\n{table}"));
        line.rsplit_once("\",")
            .unwrap()
            .1
            .split(',')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    for (label, want) in [
        ("Share(A, B, arms)", 0.3 * 4.0 / 7.0),
        ("Share(A, C, arms)", 0.3),
        ("Share(A, Others, arms)", 0.4 * 4.0 / 7.0),
    ] {
        assert!((mean(label) - want).abs() < 1e-6, "{label}: {table}");
    }
}
