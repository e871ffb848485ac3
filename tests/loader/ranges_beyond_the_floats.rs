//! Ranges whose arithmetic leaves the floats: an effect amount's range was only required to
//! be finite, but `high - low` of `Uniform(-1e308, 1e308)` is infinite. Every such range is
//! refused at its line, within the limit of an amount (`model::AMOUNT_LIMIT`), before any
//! work.

use crate::common::{refused_not_hung, simulate, write};

/// A yearly world with one event whose effect's amount is `amount`.
fn with_amount(amount: &str) -> String {
    format!(
        r#"Scenario(
    name: "wide",
    step: "year",
    steps: 8,
    background: None,
    channels: ["arms"],
    states: [State(name: "A"), State(name: "B")],
    stances: [("A", "B", 0.3), ("B", "A", 0.3)],
    events: [Event(name: "shock", at: 2, effects: [Stance("A", "B", {amount})])],
    outcomes: [Outcome(name: "warm", at_end: Above(Stance("A", "B"), 0.0))],
)
"#
    )
}

/// Runs `simulate ARGS FILE` on `text` (a run when ARGS is empty, into a temporary
/// folder), which must be refused with exit 2: its stderr.
fn refused(args: &[&str], text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "wide.ron", text);
    let mut command = simulate();
    command.args(args).arg(&file);
    if args.is_empty() {
        command
            .args(["-n", "4", "--quiet", "--out"])
            .arg(dir.path().join("out"));
    }
    refused_not_hung(&mut command)
}

/// Defect: `Add(Uniform(-1e308, 1e308))` passed `check`, and every trajectory drew +inf
/// (the width overflows), so `Add` and `Scale` gave the same bytes and a sensitivity gave
/// the factor an index of 0.
#[test]
fn an_effect_amount_range_as_wide_as_the_floats_is_refused_not_drawn_as_infinity() {
    for amount in [
        "Add(Uniform(-1e308, 1e308))",
        "Scale(Triangular(-1e308, 0, 1e308))",
    ] {
        let err = refused(&["check"], &with_amount(amount));
        assert!(
            err.contains("range `event.shock.effect.1`")
                && err.contains("needs -1000000000 <= low"),
            "{amount}: {err}"
        );
    }
}

/// Defect: a run of `Add(Guess(-1e308, 0, 1e308))` never ended: the Guess's Beta shapes
/// were NaN (`4 (likely - low)` overflows) and the Gamma draw looped for ever, before the
/// first trajectory, where Ctrl-C is not heard.
#[test]
fn a_guess_as_wide_as_the_floats_on_an_effect_is_refused_not_a_run_that_never_ends() {
    let err = refused(&[], &with_amount("Add(Guess(-1e308, 0, 1e308))"));
    assert!(err.contains("wide.ron:9:"), "{err}");
    assert!(err.contains("Guess(-1e308"), "{err}");
}
