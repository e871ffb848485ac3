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
    market(2.0, at, 0.0)
}

/// The same market with the supplier rate `rate` a year until event `calm` at step `at`
/// sets it to `then`.
fn market(rate: f64, at: u32, then: f64) -> String {
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
    background: Background(jump_rate: 0, supplier_rate: {rate:?}, supplier_size: 0.5, exit_rate: 0),
    params: Params(sigma: 0.0),
    events: [Event(name: "calm", at: {at}, effects: [Param("background.supplier_rate", Set({then:?}))])],
    outcomes: [Outcome(name: "untouched", at_end: All([
        Above(Share("A", "B", "arms"), 0.2499), Below(Share("A", "B", "arms"), 0.2501),
    ]))],
)
"#
    )
}

/// The probability of `untouched` with the supplier rate set to 0 at step `at`.
fn untouched(dir: &std::path::Path, at: u32) -> f64 {
    untouched_in(dir, &format!("calm_{at}"), &calm_at(at))
}

/// The probability of `untouched` in the world `text`, run in `dir` as `name`.
fn untouched_in(dir: &std::path::Path, name: &str, text: &str) -> f64 {
    let file = write(dir, &format!("{name}.ron"), text);
    let out = run_into(&dir.join(format!("out_{name}")), &[&file]);
    let summary = json(&out.join("summary.json"));
    summary["outcomes"][0]["probability"].as_f64().unwrap()
}

/// The defect: the background worked out its rates and a contract's shape once, at a
/// trajectory's first step (`Background::start`), so an event that set
/// `background.supplier_rate` (or `jump_rate`, or `supplier_size`) at step 2 or later was
/// accepted and changed no output byte: the contracts went on at 2 a year. At step 1 it
/// worked (the event comes before the clock starts). Now a change rules from the start of
/// the step the event fires in, as the step's other parameters do: with the rate 0 from
/// step 2 a trajectory keeps its start if no contract came in its first step, e^-0.5 = 61%
/// of them (0.5 expected a step); with the event ignored, e^-5 = 0.7% of them.
#[test]
fn an_event_that_stops_the_supplier_changes_after_the_first_step_stopped_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // The event at step 1 does stop them: the outcome can be read, and is certain.
    assert_eq!(untouched(dir.path(), 1), 1.0);
    let after_step_one = untouched(dir.path(), 2);
    assert!(
        (after_step_one - (-0.5f64).exp()).abs() < 0.05,
        "with the supplier rate set to 0 at step 2, {after_step_one} of the trajectories \
         keep their start (about 0.61 expected; 0.007 if the event is ignored)"
    );
}

/// The other way: a market without contracts (rate 0) until an event at step 2 opens it at
/// 2 a year. Its clock could not fire before, so it draws a wait anew: a trajectory keeps
/// its start only if no contract came in steps 2 to 10, e^-4.5 = 1.1% of them (all of them
/// if the event were ignored).
#[test]
fn an_event_that_opens_a_market_without_contracts_starts_them() {
    let dir = tempfile::tempdir().unwrap();
    let opened = untouched_in(dir.path(), "opened", &market(0.0, 2, 2.0));
    assert!(
        (opened - (-4.5f64).exp()).abs() < 0.01,
        "{opened} of the trajectories keep their start (about 0.011 expected)"
    );
}
