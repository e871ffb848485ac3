//! `simulate sensitivity` over every range of a file: each drawn number (stances, shares,
//! weights, effects, timings, hazards, the background, the structural parameters) is a
//! factor; `--groups kind` varies the numbers of a kind together and `groups` in the file
//! names groups of its own, each row then a group's closed indices; a bad group is refused
//! at its line before any work.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::{self, simulate};
use crate::sensitivity::rows;

/// A file with a range on a number of every kind, and `groups` as given.
fn ranges(groups: &str) -> String {
    format!(
        r#"Scenario(
    name: "ranges",
    step: "year",
    steps: 8,
    seed: 5,
    channels: ["aid", "arms"],
    states: [State(name: "A", weight: Guess(1.0, 2.0, 4.0)), State(name: "B"), State(name: "C")],
    stances: [("A", "B", Uniform(0.2, 0.5)), ("B", "A", 0.3), ("A", "C", Guess(-0.6, -0.4, -0.1))],
    affinities: [("C", "A", Uniform(-0.2, 0.2))],
    ties: [
        Tie(from: "B", to: "A", channel: "aid", share: Guess(0.1, 0.3, 0.6)),
        Tie(from: "C", to: "A", channel: "arms", share: 0.5),
    ],
    params: Params(sigma: 0.03, gamma: Uniform(0.5, 1.5), lambda: 0.5),
    background: Background(jump_rate: Uniform(0.1, 0.5), jump_scale: 0.1, supplier_rate: 0.5, supplier_size: 0.1),
    events: [
        Event(name: "visit", at: Guess(2, 4, 7), effects: [Mutual("A", "B", Add(Guess(0.05, 0.1, 0.3)))]),
        Event(name: "deal", hazard: Uniform(0.02, 0.2), effects: [Share("C", "B", "arms", Set(Uniform(0.1, 0.3)))]),
    ],
    outcomes: [Outcome(name: "close", at_end: Above(Partnership("A", "B"), 0.3))],
    metrics: [Stance("A", "B")],
    {groups}
)
"#
    )
}

/// Runs `simulate sensitivity` on `text` with `args`, small, into `dir/out`; the rows.
fn analysed(
    dir: &Path,
    text: &str,
    args: &[&str],
) -> Vec<std::collections::HashMap<String, String>> {
    let file = common::write(dir, "ranges.ron", text);
    let out = dir.join("out");
    simulate()
        .arg("sensitivity")
        .arg(&file)
        .args(["--samples", "4", "-n", "8", "--quiet", "--out"])
        .arg(&out)
        .args(args)
        .assert()
        .success();
    rows(&out)
}

/// The `parameter` column of the rows of target `close`.
fn units(rows: &[std::collections::HashMap<String, String>]) -> BTreeSet<String> {
    rows.iter()
        .filter(|r| r["target"] == "close")
        .map(|r| r["parameter"].clone())
        .collect()
}

fn distribution<'a>(rows: &'a [std::collections::HashMap<String, String>], unit: &str) -> &'a str {
    &rows
        .iter()
        .find(|r| r["target"] == "close" && r["parameter"] == unit)
        .unwrap_or_else(|| panic!("no row for {unit}"))["distribution"]
}

#[test]
fn every_drawn_number_is_a_factor_of_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let got = units(&analysed(tmp.path(), &ranges(""), &[]));
    for path in [
        "gamma",
        "stance.A.B",
        "stance.A.C",
        "affinity.C.A",
        "share.aid.B.A",
        "weight.A",
        "event.visit.effect.1",
        "event.deal.effect.1",
        "event.visit.at",
        "event.deal.hazard",
        "background.jump_rate",
    ] {
        assert!(got.contains(path), "{path} is not a factor: {got:?}");
    }
    // Fixed numbers are not factors.
    for fixed in ["sigma", "stance.B.A", "background.jump_scale"] {
        assert!(!got.contains(fixed), "{fixed} is a factor: {got:?}");
    }
}

#[test]
fn groups_by_kind_vary_the_numbers_of_each_kind_together() {
    let tmp = tempfile::tempdir().unwrap();
    let rows = analysed(tmp.path(), &ranges(""), &["--groups", "kind"]);
    let want: BTreeSet<String> = [
        "structure",
        "stances",
        "ties",
        "effects",
        "timing",
        "background",
    ]
    .map(String::from)
    .into();
    assert_eq!(units(&rows), want);
    let stances = distribution(&rows, "stances");
    for member in [
        "stance.A.B Uniform(0.2, 0.5)",
        "stance.A.C Guess",
        "affinity.C.A",
    ] {
        assert!(stances.contains(member), "{stances}");
    }
    let timing = distribution(&rows, "timing");
    assert!(
        timing.contains("event.visit.at") && timing.contains("event.deal.hazard"),
        "{timing}"
    );
}

#[test]
fn the_files_groups_are_the_units_and_the_rest_stand_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let text = ranges(r#"groups: { "visit": ["event.visit.*"], "a_side": ["stance.A.*"] },"#);
    let rows = analysed(tmp.path(), &text, &[]);
    let got = units(&rows);
    assert!(got.contains("visit") && got.contains("a_side"), "{got:?}");
    for member in [
        "event.visit.at",
        "event.visit.effect.1",
        "stance.A.B",
        "stance.A.C",
    ] {
        assert!(!got.contains(member), "{member} stands alone: {got:?}");
    }
    assert!(
        got.contains("gamma") && got.contains("event.deal.hazard"),
        "{got:?}"
    );
    assert_eq!(
        distribution(&rows, "visit"),
        "event.visit.at Guess(2, 4, 7); event.visit.effect.1 Guess(0.05, 0.1, 0.3)"
    );
    // --groups none still analyses each factor alone.
    let each = units(&analysed(tmp.path(), &text, &["--groups", "none"]));
    assert!(
        each.contains("event.visit.at") && !each.contains("visit"),
        "{each:?}"
    );
}

#[test]
fn a_group_naming_no_range_is_refused_at_its_line_before_any_work() {
    let tmp = tempfile::tempdir().unwrap();
    let text = ranges(r#"groups: { "visit": ["event.vist.*"] },"#);
    let file = common::write(tmp.path(), "ranges.ron", &text);
    let out = tmp.path().join("out");
    let assert = simulate()
        .arg("sensitivity")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = common::stderr_of(&assert);
    let line = text
        .lines()
        .position(|l| l.contains("event.vist.*"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("ranges.ron:{line}:")), "{err}");
    assert!(
        err.contains("names no number the file draws from a range"),
        "{err}"
    );
    assert!(!out.exists(), "a refused analysis wrote {out:?}");
}

#[test]
fn groups_file_without_groups_in_the_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = common::write(tmp.path(), "ranges.ron", &ranges(""));
    let out = tmp.path().join("out");
    let assert = simulate()
        .arg("sensitivity")
        .arg(&file)
        .args(["--groups", "file", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    let err = common::stderr_of(&assert);
    assert!(
        err.contains("names no groups") && err.contains("--groups kind"),
        "{err}"
    );
    assert!(!out.exists());
}

// Regression (hostile pass): the refusal of `--groups file` in a file without groups gave
// the example `groups: { "pressure": ["event.us_aid_cut.*"] }`, an event of the seed's file
// only: pasted into this file, it was refused as a pattern naming no number. The example is
// now the file's own, and pasting it makes `--groups file` run.
#[test]
fn groups_file_suggested_event_us_aid_cut_in_a_file_without_it() {
    let tmp = tempfile::tempdir().unwrap();
    let file = common::write(tmp.path(), "ranges.ron", &ranges(""));
    let err = common::exits(2, &[&"sensitivity", &file, &"--groups", &"file"]);
    assert!(!err.contains("us_aid_cut"), "{err}");
    let example = err
        .split_once("e.g. `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(example, _)| example)
        .unwrap_or_else(|| panic!("no example: {err}"));
    let file = common::write(tmp.path(), "ranges.ron", &ranges(&format!("{example},")));
    common::exits(0, &[&"check", &file]);
}
