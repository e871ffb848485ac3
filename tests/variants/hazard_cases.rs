//! Issue 25, item 3: a variant changes one case of a hazard by cases by its path
//! (`SetParam("event.<name>.hazard.case.<N>", ...)`), the rest of the event kept; and the
//! hazard of a scheduled event, which has none, is refused as scheduled.

use crate::common;

use common::{exits, variant_of_base, write};

const BASE: &str = r#"Scenario(
    name: "base",
    steps: 12,
    background: None,
    states: [State(name: "India"), State(name: "Russia")],
    events: [
        Event(name: "war", at: 6),
        Event(name: "break", hazard: 0.006,
              cases: [(After("war"), 0.2), (Above(Stance("India", "Russia"), 0.5), 0.06)]),
    ],
)"#;

/// The value of each slot of the break's hazard: the default, then each case.
fn hazards(world: &entente::model::World) -> Vec<(String, Option<f64>)> {
    (world.params.iter())
        .filter(|p| p.path.starts_with("event.break.hazard"))
        .map(|p| (p.path.clone(), p.sampler.fixed()))
        .collect()
}

#[test]
fn a_variant_changes_one_case_of_a_hazard() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.ron", BASE);
    let path = write(
        dir.path(),
        "v.ron",
        &variant_of_base("SetParam(\"event.break.hazard.case.2\", Uniform(0.04, 0.08))"),
    );
    let loaded = entente::scenario::load(&path).expect("the variant loads");
    let world = &loaded.world;
    assert_eq!(
        hazards(world),
        [
            ("event.break.hazard".to_string(), Some(0.006)),
            ("event.break.hazard.case.1".to_string(), Some(0.2)),
            ("event.break.hazard.case.2".to_string(), None),
        ]
    );
    let case = (world.params.iter())
        .find(|p| p.path == "event.break.hazard.case.2")
        .unwrap();
    assert_eq!(case.sampler.support(), (0.04, 0.08));
    // The conditions are the base's: the file the variant stands for differs in one number.
    let mut file = loaded.file.clone();
    file.events[1].cases[1].1 = entente::scenario::file::Value::Fixed(0.06);
    let base = entente::scenario::load(&dir.path().join("base.ron")).unwrap();
    assert_eq!(file.events, base.file.events);
}

#[test]
fn a_case_the_event_does_not_have_is_an_unknown_path() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.ron", BASE);
    let path = write(
        dir.path(),
        "v.ron",
        &variant_of_base("SetParam(\"event.break.hazard.case.3\", 0.1)"),
    );
    let stderr = exits(2, &[&"check", &path]);
    assert!(
        stderr.contains("v.ron:5:") && stderr.contains("event.break.hazard.case.2"),
        "{stderr}"
    );
    let same = write(
        dir.path(),
        "same.ron",
        &variant_of_base("SetParam(\"event.break.hazard.case.1\", 0.2)"),
    );
    let stderr = exits(2, &[&"check", &same]);
    assert!(
        stderr.contains("event.break.hazard.case.1 is 0.2 already"),
        "{stderr}"
    );
}

/// An event named in a case's condition is named like one in `when`: removing it says
/// which event still names it, at the RemoveEvent.
#[test]
fn removing_an_event_a_case_names_says_which_event_names_it() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.ron", BASE);
    let path = write(
        dir.path(),
        "v.ron",
        &variant_of_base("RemoveEvent(\"war\")"),
    );
    let stderr = exits(2, &[&"check", &path]);
    assert!(
        stderr.contains("v.ron:5:5: RemoveEvent(\"war\"): event \"break\" still names it"),
        "{stderr}"
    );
}

/// Regression: the hazard of a scheduled event was an "unknown parameter path" that
/// suggested another event's hazard, as if the name were misspelt.
#[test]
fn a_scheduled_events_hazard_is_refused_as_scheduled_not_as_an_unknown_path() {
    let dir = tempfile::tempdir().unwrap();
    let war = "Event(name: \"war\", at: 6),";
    let drill = format!(
        "{war}\n        Event(name: \"drill\", every: 4),\n        Event(name: \"tick\", every: 1),"
    );
    write(dir.path(), "base.ron", &BASE.replace(war, &drill));
    let cases = [
        ("war", "(at step 6)", "SetTiming(\"war\", At(7))"),
        ("drill", "(every 4 steps)", "SetTiming(\"drill\", Every(5))"),
        // Regression (mend's trial): "every 1 steps".
        ("tick", "(every step)", "SetTiming(\"tick\", Every(2))"),
    ];
    for (event, fires, instead) in cases {
        let change = format!("SetParam(\"event.{event}.hazard\", 0.1)");
        let path = write(dir.path(), "v.ron", &variant_of_base(&change));
        let stderr = exits(2, &[&"check", &path]);
        // Line 5, column 14: the path the change names.
        assert!(stderr.contains("v.ron:5:14: SetParam: "), "{stderr}");
        assert!(!stderr.contains("unknown parameter path"), "{stderr}");
        assert!(
            stderr.contains(&format!("event \"{event}\" is scheduled {fires}")),
            "{stderr}"
        );
        assert!(stderr.contains("not drawn by a hazard"), "{stderr}");
        assert!(stderr.contains(instead), "{stderr}");
        assert!(
            stderr.contains(&format!("SetTiming(\"{event}\", Hazard(0.1))")),
            "{stderr}"
        );
    }
}
