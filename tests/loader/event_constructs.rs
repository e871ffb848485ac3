//! Bad uses of the constructs of events (docs/src/reference/events.md): each refused with
//! exit 2 at its line and column, before any work.

use crate::common;

use common::{exits, write};

/// A file whose events are `events` (written from line 7 on).
fn with_events(events: &str) -> String {
    format!(
        "Scenario(\n    name: \"bad\",\n    steps: 10,\n    background: None,\n    \
         states: [State(name: \"A\"), State(name: \"B\")],\n    events: [\n{events}\n    ],\n)\n"
    )
}

/// `simulate check` of `events` exits 2 with a problem at `line:column` that says `says`.
fn refused_at(events: &str, line: usize, column: usize, says: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad.ron", &with_events(events));
    let stderr = exits(2, &[&"check", &path]);
    let at = format!("bad.ron:{line}:{column}: ");
    let found = stderr.lines().find(|l| l.contains(&at));
    let line_of = found.unwrap_or_else(|| panic!("no problem at {at}:\n{stderr}"));
    assert!(line_of.contains(says), "{line_of}\nwanted: {says}");
}

#[test]
fn weights_of_random_directions_that_do_not_add_up_to_a_positive_number_are_refused() {
    let sets = r#"[Mutual("A", "B", Add(0.3))]"#;
    for weights in [(0.0, 0.0), (0.5, -0.1)] {
        refused_at(
            &format!(
                "        Event(name: \"coup\", at: 3,\n            one_of: [({}, {sets}), ({}, {sets})]),",
                weights.0, weights.1
            ),
            8,
            13,
            "the weights of `one_of`",
        );
    }
    refused_at(
        &format!("        Event(name: \"coup\", at: 3, one_of: [(1.0, {sets})]),"),
        7,
        36,
        "lists one set of effects",
    );
}

#[test]
fn a_case_whose_condition_names_an_unknown_state_channel_or_event_is_refused_at_the_name() {
    refused_at(
        "        Event(name: \"break\", hazard: 0.01,\n            cases: [(Above(Stance(\"A\", \"Bx\"), 0.2), 0.3)]),",
        8,
        40,
        "unknown state \"Bx\" — did you mean \"B\"?",
    );
    refused_at(
        "        Event(name: \"break\", hazard: 0.01, cases: [(Above(Share(\"A\", \"B\", \"arms\"), 0.2), 0.3)]),",
        7,
        75,
        "unknown channel \"arms\"",
    );
    refused_at(
        "        Event(name: \"break\", hazard: 0.01, cases: [(After(\"wor\"), 0.3)]),",
        7,
        59,
        "unknown event \"wor\"",
    );
    refused_at(
        "        Event(name: \"break\", at: 2, cases: [(After(\"break\"), 0.3)]),",
        7,
        37,
        "needs `hazard: <probability per step>`",
    );
    refused_at(
        "        Event(name: \"break\", hazard: 0.1, cases: [(After(\"break\"), 1.3)]),",
        7,
        43,
        "parameter `event.break.hazard.case.1`: must be a number in [0, 1], got 1.3",
    );
}

#[test]
fn a_lag_of_zero_or_beyond_the_horizon_is_refused_at_its_word() {
    let effect = r#"Affinity("A", "B", Add(0.1))"#;
    let event = |lag: &str| format!("        Event(name: \"slow\", at: 2, effects: [{lag}]),");
    refused_at(
        &event(&format!("Delay(0, {effect})")),
        7,
        46,
        "Delay(0, ...) must be from 1 to 9 steps",
    );
    refused_at(
        &event(&format!("Over(11, {effect})")),
        7,
        46,
        "Over(11, ...) must be from 2 to 10 steps",
    );
    refused_at(
        &event(&format!("Delay(5, Over(6, {effect}))")),
        7,
        55,
        "a delay of 5 and 6 parts end after step 11",
    );
    refused_at(
        &event(r#"Over(3, Affinity("A", "B", Scale(0.0)))"#),
        7,
        46,
        "so x must be above 0",
    );
}

#[test]
fn a_choice_group_of_one_event_is_refused_with_the_group_meant() {
    refused_at(
        "        Event(name: \"us\", hazard: 0.1, choice: \"fighters\"),\n        \
         Event(name: \"france\", hazard: 0.1, choice: \"fighters\"),\n        \
         Event(name: \"sweden\", hazard: 0.1, choice: \"fightres\"),",
        9,
        44,
        "choice group \"fightres\" has one event, \"sweden\": a choice needs two or more \
         events that name it — did you mean \"fighters\"?",
    );
    refused_at(
        "        Event(name: \"us\", hazard: 0.1, choice: \"f\", repeat: true),\n        \
         Event(name: \"france\", hazard: 0.1, choice: \"f\"),",
        7,
        53,
        "remove `repeat: true`",
    );
}

/// A range is refused when any of its draws would be: a lag's steps or a weight.
#[test]
fn a_range_of_lag_steps_or_weights_that_can_draw_a_bad_value_is_refused_at_its_word() {
    let effect = r#"Affinity("A", "B", Add(0.1))"#;
    let event = |lag: &str| format!("        Event(name: \"slow\", at: 2, effects: [{lag}]),");
    refused_at(
        &event(&format!("Delay(Uniform(0.0, 3.0), {effect})")),
        7,
        46,
        "range `event.slow.effect.1.delay`: Uniform(0, 3) needs 0.5 <= low",
    );
    refused_at(
        &event(&format!("Over(Uniform(2.0, 13.0), {effect})")),
        7,
        46,
        "range `event.slow.effect.1.over`: Uniform(2, 13) needs 1.5 <= low <= high <= 10.5",
    );
    refused_at(
        &event(&format!(
            "Delay(Uniform(1.0, 3.0), Over(Uniform(2.0, 9.0), {effect}))"
        )),
        7,
        71,
        "a delay of 3 and 9 parts end after step 12",
    );
    let sets = r#"[Mutual("A", "B", Add(0.3))]"#;
    refused_at(
        &format!(
            "        Event(name: \"coup\", at: 2, one_of: [(Uniform(0.0, 1.0), {sets}), (0.0, {sets})]),"
        ),
        7,
        36,
        "the weights of `one_of` (at their lowest 0, 0)",
    );
}

/// Every RON example of docs/src/reference/events.md (each marked `ron,fragment`, a part of
/// an `events` list, which the book's own test skips) passes `simulate check` in the world
/// its introduction names (states Buyer, USA, France, Russia, Sweden; the channel arms).
#[test]
fn the_examples_of_the_events_reference_pass_check() {
    let doc = std::fs::read_to_string(common::root().join("docs/src/reference/events.md"))
        .expect("the reference of events");
    let examples: Vec<&str> = doc
        .split("```ron,fragment\n")
        .skip(1)
        .map(|after| after.split("```").next().unwrap())
        .collect();
    assert_eq!(examples.len(), 5, "one example per construct");
    let dir = tempfile::tempdir().unwrap();
    for (i, example) in examples.iter().enumerate() {
        let text = format!(
            "Scenario(\n    name: \"doc\",\n    steps: 20,\n    channels: [\"arms\"],\n    \
             states: [State(name: \"Buyer\"), State(name: \"USA\"), State(name: \"France\"), \
             State(name: \"Russia\"), State(name: \"Sweden\")],\n    events: [\n{example}\n    ],\n)\n"
        );
        let path = write(dir.path(), &format!("example{i}.ron"), &text);
        common::simulate()
            .arg("check")
            .arg(&path)
            .assert()
            .success();
    }
}

/// Defect (s25 hostile trial): a range of steps ending on a half step (the book's way to
/// give whole steps the same chance, `Uniform(1.5, 9.5)`: steps 2 to 9) was taken to reach
/// the step above it, which no draw does. `Delay(Uniform(1.5, 9.5), ...)` in 10 steps, the
/// very range the check of its bounds suggests ("from 1.5 to 9.5"), was refused as "a delay
/// of 10 ... end after step 11"; a window `(Uniform(0.5, 2.5), 3)` as a first "as late as 3";
/// and an `at: Uniform(4.5, 6.5)` (steps 5 and 6) was kept beside a window from step 7 on,
/// where it can never fire.
#[test]
fn a_range_of_steps_ending_on_a_half_step_reaches_one_step_too_far() {
    let dir = tempfile::tempdir().unwrap();
    let effect = r#"MutualAffinity("A", "B", Add(0.1))"#;
    for event in [
        format!("        Event(name: \"e\", at: 1, effects: [Delay(Uniform(1.5, 9.5), {effect})]),"),
        format!("        Event(name: \"e\", at: 1, effects: [Over(Guess(2.0, 3.0, 10.5), {effect})]),"),
        format!("        Event(name: \"e\", every: 1, window: (Uniform(0.5, 2.5), 3), effects: [{effect}]),"),
    ] {
        let path = write(dir.path(), "good.ron", &with_events(&event));
        exits(0, &[&"check", &path]);
    }
    refused_at(
        &format!("        Event(name: \"e\", at: Uniform(4.5, 6.5), window: (7, 10), effects: [{effect}]),"),
        7,
        26,
        "`at` (drawn at steps 5 to 6) is outside its window (7 to 10)",
    );
}

/// Defect (s25 hostile trial): `choice: ""` on one event got two lines at its `choice`, "a
/// choice group needs a name" and "choice group \"\" has one event": one now, the first.
#[test]
fn a_nameless_choice_group_gets_two_lines_at_one_place() {
    let dir = tempfile::tempdir().unwrap();
    let events = "        Event(name: \"us\", hazard: 0.1, choice: \"\"),\n        \
                  Event(name: \"france\", hazard: 0.1, choice: \"fighters\"),\n        \
                  Event(name: \"sweden\", hazard: 0.1, choice: \"fighters\"),";
    let path = write(dir.path(), "bad.ron", &with_events(events));
    let stderr = exits(2, &[&"check", &path]);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "error: {}:7:40: a choice group needs a name",
            path.display()
        ),
    );
}
