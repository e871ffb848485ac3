//! The starter scenario `simulate new` writes: the analyst's states and channels in a world
//! at rest, every number they must choose marked `CHOOSE` and explained where it stands, so
//! that the file passes `simulate check` as written and reads as its own manual.

use std::fmt::Write;

use crate::model::calendar::Calendar;

/// What the starter is made of (checked options of `simulate new`).
pub struct Starter<'a> {
    /// The scenario's name: the file's stem.
    pub name: &'a str,
    /// The file as the analyst named it (`sub/ph.ron`), for the command the header shows.
    pub file: &'a std::path::Path,
    pub states: &'a [String],
    pub channels: &'a [String],
    /// What one step stands for: a unit of time the background knows.
    pub step: &'a str,
    pub calendar: Option<Calendar>,
}

/// A name as a RON string: in quotes, its quote and backslash escaped (control characters
/// are refused before this).
fn ron(name: &str) -> String {
    format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The file as the header's command names it: the path given, not only its stem (the
/// command must find the file from where `new` ran), escaped and cut as a message shows a
/// path so that no character of it ends the comment's line, and in single quotes when a
/// shell would split or expand it.
fn command_argument(file: &std::path::Path) -> String {
    let shown = super::spelling::path_shown(file);
    let plain = |c: char| c.is_alphanumeric() || "/._-+,:@%".contains(c);
    if !shown.is_empty() && shown.chars().all(plain) {
        shown
    } else {
        format!("'{}'", shown.replace('\'', "'\\''"))
    }
}

/// Steps that make about ten years of `step`s.
pub fn ten_years(step: &str) -> i64 {
    let per_year = super::file::unit_steps_per_year(step).unwrap_or(4.0);
    (per_year * 10.0)
        .round()
        .clamp(1.0, super::limits::MAX_STEPS as f64) as i64
}

/// A step written as the file's reader wants it: the date with a calendar, else the number.
fn step_text(s: &Starter, step: i64) -> String {
    match s.calendar {
        Some(c) => format!("\"{}\"", c.date(step)),
        None => step.to_string(),
    }
}

/// The text of the starter scenario.
pub fn text(s: &Starter) -> String {
    let mut out = String::new();
    header(&mut out, s);
    world(&mut out, s);
    stances(&mut out, s);
    ties(&mut out, s);
    params(&mut out);
    events(&mut out, s);
    questions(&mut out, s);
    out.push_str(")\n");
    out
}

fn header(out: &mut String, s: &Starter) {
    let _ = writeln!(
        out,
        "// A starter scenario written by `simulate new`. It passes `simulate check` as it is,\n\
         // and runs: `simulate {0}`. Every number marked CHOOSE is yours to set; each\n\
         // says what it means. A number you cannot pin down may be a range, drawn once per\n\
         // trajectory: Uniform(low, high) or Guess(low, likely, high).\n\
         //\n\
         // The world is at rest (`at_rest: true`): the stances and shares you write are where\n\
         // the model's forces balance. They move by chance (`sigma`), by the events you write\n\
         // below, and by the background of what no file lists (jumps in relations, suppliers\n\
         // that come and go, fitted to history: the book's \"The background\"); and shares\n\
         // follow partnerships at the rate `kappa` (0.3 a step by default). Write\n\
         // `background: None` to see your events alone.",
        command_argument(s.file)
    );
    out.push_str("Scenario(\n");
    let _ = writeln!(out, "    name: {},", ron(s.name));
    out.push_str("    description: \"CHOOSE: the question this file asks, in one sentence.\",\n");
}

fn world(out: &mut String, s: &Starter) {
    let steps = ten_years(s.step);
    let _ = writeln!(
        out,
        "    step: {}, // one step is one {}",
        ron(s.step),
        s.step
    );
    if let Some(c) = s.calendar {
        let _ = writeln!(
            out,
            "    start: \"{}\", // step 1 is {}: `at` and `window` may then be dates",
            c.date(1),
            c.date(1)
        );
    }
    let last = match s.calendar {
        Some(c) => format!(" (to {})", c.date(steps)),
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "    steps: {steps}, // CHOOSE: how far ahead to look, about ten years{last}"
    );
    out.push_str(
        "    trajectories: 1000, // futures simulated; more narrow the intervals (--trajectories)\n\
         \x20   seed: 1, // the same seed gives the same numbers (--seed)\n\
         \x20   at_rest: true, // the stances you write hold until an event moves them\n",
    );
    let channels: Vec<String> = s.channels.iter().map(|c| ron(c)).collect();
    let _ = writeln!(
        out,
        "    // What states depend on each other for (see `ties` below).\n    channels: [{}],",
        channels.join(", ")
    );
    out.push_str(
        "    // weight: CHOOSE each state's power as others feel it in their balance, relative\n\
         \x20   // to the others (1.0 each: equals; 3.0: three times as heavy).\n    states: [\n",
    );
    for state in s.states {
        let _ = writeln!(out, "        State(name: {}, weight: 1.0),", ron(state));
    }
    out.push_str("    ],\n");
}

fn stances(out: &mut String, s: &Starter) {
    out.push_str(
        "    // Stances (from, to, value): how `from` acts toward `to`, from -1 to +1; each side\n\
         \x20   // of a pair has its own. Anchors from the shipped scenarios (the book's page\n\
         \x20   // \"The stance scale\" gives their sources):\n\
         \x20   //   +0.8  the closest alliance: USA toward the UK, 1970s-1990s\n\
         \x20   //   +0.7  a client's only great-power backer: Israel toward the USA, 1971\n\
         \x20   //   +0.6  strategic partner, main arms supplier: Russia toward India, 2018\n\
         \x20   //   +0.3  a courted partner, ties in their infancy: Pakistan toward Russia, 2018\n\
         \x20   //    0.0  indifference\n\
         \x20   //   -0.3  a declared competitor: USA toward China, 2018\n\
         \x20   //   -0.6  sanctions: Russia and the USA, 2018\n\
         \x20   //   -0.9  at war, territory occupied: Israel and Syria, 1971\n\
         \x20   // So 0.3 against 0.7 is ties in their infancy against a client's only backer.\n\
         \x20   // CHOOSE each one (they are 0.0, indifference, until you do).\n\
         \x20   stances: [\n",
    );
    for from in s.states {
        for to in s.states.iter().filter(|to| *to != from) {
            let _ = writeln!(out, "        ({}, {}, 0.0),", ron(from), ron(to));
        }
    }
    out.push_str("    ],\n");
}

fn ties(out: &mut String, s: &Starter) {
    out.push_str(
        "    // Ties: the share of `from`'s needs in `channel` that `to` supplies, from 0 to 1;\n\
         \x20   // each state's shares in a channel total at most 1 (the rest it makes itself).\n\
         \x20   // CHOOSE: one tie per channel to start with; add a line per supplier.\n\
         \x20   ties: [\n",
    );
    if let [first, second, ..] = s.states {
        for channel in s.channels {
            let _ = writeln!(
                out,
                "        Tie(from: {}, to: {}, channel: {}, share: 0.2),",
                ron(first),
                ron(second),
                ron(channel)
            );
        }
    }
    out.push_str("    ],\n");
}

fn params(out: &mut String) {
    out.push_str(
        "    // The model's parameters, at their defaults; each may be a range.\n\
         \x20   params: Params(\n\
         \x20       eta: 0.1, // how fast stances follow their targets, per step (0 to 1)\n\
         \x20       sigma: 0.05, // how much stances wander each step by chance\n\
         \x20       gamma: 0.8, // balance: the friend of my friend pulls me toward a friend\n\
         \x20       lambda: 0.5, // leverage: what a patron's displeasure costs a client\n\
         \x20   ),\n",
    );
}

fn events(out: &mut String, s: &Starter) {
    let (Some(first), Some(second)) = (s.states.first(), s.states.get(1)) else {
        return;
    };
    let _ = writeln!(
        out,
        "    // Events: what may happen, and what it does. Timing: `at: <step>` (once),\n\
         \x20   // `every: <steps>` or `hazard: <probability per step>`, optionally within\n\
         \x20   // `window: (<first>, <last>)`{}.\n\
         \x20   // Effects: Stance(from, to, Add(0.2)) is a shock that fades as the stance returns\n\
         \x20   // to its target; Affinity(from, to, Add(0.2)) a lasting change. A change is\n\
         \x20   // Add(x), Set(x) or Scale(x).\n\
         \x20   events: [\n\
         \x20       // CHOOSE: an example to replace: a visit in the fourth step.\n\
         \x20       Event(\n\
         \x20           name: \"visit\",\n\
         \x20           at: {},\n\
         \x20           effects: [Mutual({}, {}, Add(0.2))], // CHOOSE: +0.2 on both stances\n\
         \x20       ),\n\
         \x20   ],",
        if s.calendar.is_some() {
            "; steps may be written as dates"
        } else {
            ""
        },
        step_text(s, 4),
        ron(first),
        ron(second)
    );
}

fn questions(out: &mut String, s: &Starter) {
    let (Some(first), Some(second)) = (s.states.first(), s.states.get(1)) else {
        return;
    };
    let _ = writeln!(
        out,
        "    // Outcomes: the questions asked of every trajectory; each result is the share of\n\
         \x20   // trajectories where it holds. `at_end`: at the last step; `ever`: at some step.\n\
         \x20   outcomes: [\n\
         \x20       // CHOOSE: the threshold that means \"close\" to you (0.3: cordial and more).\n\
         \x20       Outcome(name: \"close\", at_end: Above(Partnership({0}, {1}), 0.3)),\n\
         \x20   ],\n\
         \x20   // Metrics: numbers followed over time (fan charts, timeseries.csv).\n\
         \x20   metrics: [",
        ron(first),
        ron(second)
    );
    for other in s.states.iter().skip(1).take(6) {
        let _ = writeln!(out, "        Partnership({}, {}),", ron(first), ron(other));
    }
    out.push_str("    ],\n");
}
