//! A background parameter's path (`background.exit_rate`) in a world that has no background:
//! the path is right and the world lacks what it names, which the message must say.

use crate::common::{exits, write};

/// A quarterly world whose `background` field is `field`; its event `calm` sets the exit
/// rate.
fn world(field: &str) -> String {
    format!(
        r#"Scenario(
    name: "quiet",
    steps: 8,
    step: "quarter",
    channels: ["arms"],
    states: [State(name: "A"), State(name: "B")],
    ties: [Tie(from: "A", to: "B", channel: "arms", share: 0.5)],
    {field}
    events: [Event(name: "calm", at: 2, effects: [Param("background.exit_rate", Set(0))])],
    outcomes: [Outcome(name: "held", at_end: Above(Share("A", "B", "arms"), 0.4))],
)
"#
    )
}

/// Defect (hostile pass 34): in a file with `background: None`, an event's
/// `Param("background.exit_rate", …)` and a sweep of `background.exit_rate` were refused as
/// `unknown parameter path "background.exit_rate"` with a list of valid paths without it,
/// which reads as a misspelling. The message says the world has no background and how to
/// give it one.
#[test]
fn a_background_path_in_a_world_without_one_says_there_is_no_background() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "quiet.ron", &world("background: None,"));
    let err = exits(2, &[&"check", &file]);
    assert!(
        err.contains(
            "quiet.ron:9:57: event \"calm\": parameter path \"background.exit_rate\" names a \
             parameter of the background, and this world has none"
        ),
        "{err}"
    );
    assert!(err.contains("remove `background: None`"), "{err}");
    assert!(!err.contains("valid paths"), "{err}");
    // A sweep of the path, the event taken out.
    let text = world("background: None,").replace(
        "events: [Event(name: \"calm\", at: 2, effects: [Param(\"background.exit_rate\", Set(0))])],",
        "",
    );
    let file = write(dir.path(), "quiet.ron", &text);
    let err = exits(
        2,
        &[
            &"sweep",
            &file,
            &"--param",
            &"background.exit_rate=0:2:3",
            &"-n",
            &"10",
            &"-o",
            &dir.path().join("out"),
        ],
    );
    assert!(
        err.contains("parameter path \"background.exit_rate\" names a parameter of the background"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
    // With a background, the same event loads; a misspelt background path still gets its
    // suggestion.
    let file = write(dir.path(), "quiet.ron", &world(""));
    exits(0, &[&"check", &file]);
    let text = world("").replace("background.exit_rate", "background.exit_rat");
    let file = write(dir.path(), "quiet.ron", &text);
    let err = exits(2, &[&"check", &file]);
    assert!(
        err.contains("did you mean \"background.exit_rate\"?"),
        "{err}"
    );
}
