//! A `SetParam` of the hazard of an event that is scheduled (`at` or `every`) names no
//! parameter; the analyst is told the event is scheduled and which change sets it instead.

use crate::common;

use common::{exits, write};

const BASE: &str = r#"Scenario(
    name: "base",
    steps: 12,
    background: None,
    states: [State(name: "India"), State(name: "Russia")],
    events: [
        Event(name: "war", at: 6),
        Event(name: "drill", every: 4),
        Event(name: "break", hazard: 0.006),
    ],
)"#;

fn variant(changes: &str) -> String {
    format!(
        "Variant(\n  base: \"base.ron\",\n  name: \"v\",\n  changes: [\n    {changes}\n  ],\n)\n"
    )
}

/// Regression: the hazard of a scheduled event was an "unknown parameter path" that
/// suggested another event's hazard, as if the name were misspelt.
#[test]
fn a_scheduled_events_hazard_is_refused_as_scheduled_not_as_an_unknown_path() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "base.ron", BASE);
    let cases = [
        ("war", "(at step 6)", "SetTiming(\"war\", At(<step>))"),
        (
            "drill",
            "(every 4 steps)",
            "SetTiming(\"drill\", Every(<steps>))",
        ),
    ];
    for (event, fires, instead) in cases {
        let change = format!("SetParam(\"event.{event}.hazard\", 0.1)");
        let path = write(dir.path(), "v.ron", &variant(&change));
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
