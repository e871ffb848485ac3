//! `--groups kind` puts every hazard under timing, the hazards of an event's cases too
//! (`event.<name>.hazard.case.<N>`).

use crate::common::{run_into, write};
use crate::sensitivity::rows;

/// Defect: a case's hazard drawn from a range was grouped as structure, beside gamma,
/// while the book says timing holds the hazards.
#[test]
fn a_case_hazard_is_timing_not_structure_in_groups_by_kind() {
    let text = r#"Scenario(
    name: "cases",
    step: "year",
    steps: 6,
    seed: 4,
    background: None,
    channels: ["arms"],
    states: [State(name: "A"), State(name: "B")],
    stances: [("A", "B", 0.3), ("B", "A", 0.3)],
    params: Params(gamma: Uniform(0.5, 1.5)),
    events: [
        Event(name: "summit", at: 2),
        Event(name: "deal", hazard: 0.05, cases: [(After("summit"), Uniform(0.2, 0.4))],
              effects: [Mutual("A", "B", Add(0.2))]),
    ],
    outcomes: [Outcome(name: "warm", at_end: Above(Partnership("A", "B"), 0.4))],
)
"#;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "cases.ron", text);
    let out = dir.path().join("out");
    run_into(
        &out,
        &[
            &"sensitivity",
            &file,
            &"--groups",
            &"kind",
            &"--samples",
            &"4",
            &"-n",
            &"8",
        ],
    );
    let members = |group: &str| {
        rows(&out)
            .into_iter()
            .find(|r| r["target"] == "warm" && r["parameter"] == group)
            .map(|r| r["distribution"].clone())
    };
    assert_eq!(
        members("timing").as_deref(),
        Some("event.deal.hazard.case.1 Uniform(0.2, 0.4)")
    );
    assert_eq!(
        members("structure").as_deref(),
        Some("gamma Uniform(0.5, 1.5)")
    );
}
