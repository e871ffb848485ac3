//! An event's `Param("background.…", c)` (docs/src/reference/scenario.md: the background's
//! parameters are "parameters like these"): what it sets must rule the background from then
//! on, as an event's `Param("eta", …)` rules the step.

use crate::common;

use common::{json, run_into, write};

/// One market: A's arms, a quarter from B, the rest self-reliance; nothing moves it but the
/// background's contracts (no noise, no jumps, at rest), two a year. Event `calm` at step
/// `at` sets the supplier rate to 0; the outcome `untouched` is that A's share from B is
/// still its start at the end.
fn calm_at(at: u32) -> String {
    format!(
        r#"Scenario(
    name: "calm",
    step: "quarter",
    steps: 10, at_rest: true,
    trajectories: 2000,
    seed: 5,
    channels: ["arms"],
    states: [State(name: "A"), State(name: "B")],
    ties: [Tie(from: "A", to: "B", channel: "arms", share: 0.25)],
    background: Background(jump_rate: 0, supplier_rate: 2, supplier_size: 0.5),
    params: Params(sigma: 0.0),
    events: [Event(name: "calm", at: {at}, effects: [Param("background.supplier_rate", Set(0.0))])],
    outcomes: [Outcome(name: "untouched", at_end: All([
        Above(Share("A", "B", "arms"), 0.2499), Below(Share("A", "B", "arms"), 0.2501),
    ]))],
)
"#
    )
}

/// The probability of `untouched` with the supplier rate set to 0 at step `at`.
fn untouched(dir: &std::path::Path, at: u32) -> f64 {
    let file = write(dir, &format!("calm_{at}.ron"), &calm_at(at));
    let out = run_into(&dir.join(format!("out_{at}")), &[&file]);
    let summary = json(&out.join("summary.json"));
    summary["outcomes"][0]["probability"].as_f64().unwrap()
}

/// The defect: the background works out its rates and a contract's shape once, at a
/// trajectory's first step (`Background::start`), so an event that sets
/// `background.supplier_rate` (or `jump_rate`, or `supplier_size`) at step 2 or later is
/// accepted and changes no output byte: the contracts go on at 2 a year. At step 1 it
/// works (the event comes before the clock starts). With the rate 0 from step 2 a
/// trajectory keeps its start if no contract came in its first two steps, e^-1 = 37% of
/// them (0.5 expected a step); with the event ignored, e^-5 = 0.7% of them.
#[test]
#[ignore = "defect: an event's Param on background.supplier_rate after step 1 is ignored \
            (rates fixed in Background::start); the lead un-ignores it with the fix"]
fn an_event_that_stops_the_supplier_changes_after_the_first_step_stopped_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // The event at step 1 does stop them: the outcome can be read, and is certain.
    assert_eq!(untouched(dir.path(), 1), 1.0);
    let after_step_one = untouched(dir.path(), 2);
    assert!(
        after_step_one > 0.25,
        "with the supplier rate set to 0 at step 2, {after_step_one} of the trajectories \
         keep their start (about 0.37 expected; 0.007 if the event is ignored)"
    );
}
