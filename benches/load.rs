//! Criterion benchmarks of loading a scenario as `simulate check` does (read, parse, check
//! every name and range, compile to a world) for reference worlds of N = 30, 100 and 200
//! states (0.35, 3.9 and 15.9 MB). The files are generated at the start into a temporary
//! folder from the formulas of benches/README.md (benches/reference_world.rs); throughput is bytes of
//! scenario text per second.
//!
//!     cargo bench --bench load                  # load/*, refused/*, variant/*
//!     cargo bench --bench load -- load/n200
//!     cargo bench --bench load -- refused       # files with many problems
//!     cargo bench --bench load -- variant       # variants of 10,000 and 40,000 changes

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

#[path = "reference_world.rs"]
mod reference_world;
use reference_world::reference_text;

fn load(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut group = c.benchmark_group("load");
    // A 200-state load takes most of a second: ten samples are enough to see a regression
    // back to quadratic (a minute), and keep the benchmark short on a shared machine.
    group.sample_size(10);
    for n in [30, 100, 200] {
        let text = reference_text(n, 4, 40);
        let path = dir.path().join(format!("reference_n{n}.ron"));
        std::fs::write(&path, &text).expect("the generated world is written");
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("n{n}"), |b| {
            b.iter(|| {
                let s = entente::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(s.world.states.len(), n);
                s
            })
        });
    }
    group.finish();
}

/// Files with many problems, which `check` must refuse as quickly as it loads valid ones:
/// both took tens of seconds before a hostile review.
/// - `misspelt_1000`: 200 states with 200-character names, and 1,000 stances that each
///   name a different unknown 200-character state (a "did you mean" was measured for every
///   one against every state, in both compile passes: 16.9 s).
/// - `events_after_4mb`: 1,000 events with `at: 0`, written after a 4 MB description of
///   "atat..." and named first by an outcome (each event was located from that outcome and
///   its `at` searched for to the end of the file: 28 s).
/// - `variant_1000`: a variant of a 200-state base (`misspelt_names(0)`) whose 1,000 changes
///   each set the stance of an unknown 200-character state (every problem was listed and a
///   suggestion measured for each: 1,000 lines in 4.7 s).
fn refused(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut group = c.benchmark_group("refused");
    group.sample_size(10);
    // A variant's base is read from beside it.
    std::fs::write(dir.path().join("base200.ron"), misspelt_names(0))
        .expect("the generated base is written");
    for (name, text) in [
        ("misspelt_1000", misspelt_names(1000)),
        (
            "events_after_4mb",
            events_after_a_long_description(1000, 2_000_000),
        ),
        ("variant_1000", variant_of_unknown_states(1000)),
    ] {
        let path = dir.path().join(format!("{name}.ron"));
        std::fs::write(&path, &text).expect("the generated file is written");
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| entente::scenario::load(&path).expect_err("the file has problems"))
        });
    }
    group.finish();
}

/// Variants of a 200-state base whose changes each set a different stance or affinity:
/// applying them must stay linear in the changes, so `changes_40000` takes about four times
/// `changes_10000` (each change scanned every stance listed before it: quadratic). And
/// `outcomes_50000`, 50,000 `AddOutcome` changes, refused at the one past the limit of
/// 1,000 outcomes (it took over a minute, refused at its last change).
fn variant(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut group = c.benchmark_group("variant");
    group.sample_size(10);
    std::fs::write(dir.path().join("base.ron"), short_names(200))
        .expect("the generated base is written");
    for (name, text, valid) in [
        ("changes_10000", pairs_set(10_000), true),
        ("changes_40000", pairs_set(40_000), true),
        ("outcomes_50000", outcomes_added(50_000), false),
    ] {
        let path = dir.path().join(format!("{name}.ron"));
        std::fs::write(&path, &text).expect("the generated variant is written");
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let loaded = entente::scenario::load(&path);
                assert_eq!(loaded.is_ok(), valid, "{name}");
                loaded
            })
        });
    }
    group.finish();
}

/// A scenario of `n` states called S0, S1, ..., one channel, one event and one outcome
/// (one that asks about a stance, not only whether the event fired, which would be warned
/// about at every load).
fn short_names(n: usize) -> String {
    let states: Vec<String> = (0..n).map(|i| format!("State(name: \"S{i}\")")).collect();
    format!(
        "Scenario(\n    name: \"base\", steps: 10, channels: [\"aid\"],\n    states: [{}],\n    \
         events: [Event(name: \"e\", hazard: 0.1)],\n    \
         outcomes: [Outcome(name: \"o\", ever: Above(Stance(\"S0\", \"S1\"), 0.5))],\n)\n",
        states.join(", ")
    )
}

/// A variant of `short_names(200)` setting `changes` different stances and affinities,
/// half each (200 x 199 pairs of each).
fn pairs_set(changes: usize) -> String {
    let lines: Vec<String> = (0..changes)
        .map(|k| {
            let (pair, kind) = (k / 2, ["SetStance", "SetAffinity"][k % 2]);
            let (from, to) = (pair / 199, pair % 199);
            let to = if to >= from { to + 1 } else { to };
            format!("    {kind}(\"S{from}\", \"S{to}\", 0.5),")
        })
        .collect();
    format!(
        "Variant(base: \"base.ron\", name: \"v\", changes: [\n{}\n])\n",
        lines.join("\n")
    )
}

/// A variant of `short_names(200)` adding `changes` outcomes.
fn outcomes_added(changes: usize) -> String {
    let lines: Vec<String> = (0..changes)
        .map(|k| format!("    AddOutcome(Outcome(name: \"o{k}\", ever: After(\"e\"))),"))
        .collect();
    format!(
        "Variant(base: \"base.ron\", name: \"v\", changes: [\n{}\n])\n",
        lines.join("\n")
    )
}

fn variant_of_unknown_states(changes: usize) -> String {
    // The base's first state, drawn as `misspelt_names` draws it.
    let known = long_name("S0_".into(), 200, &mut 1);
    let mut seed = 7;
    let changes: Vec<String> = (0..changes)
        .map(|i| {
            let name = long_name(format!("U{i}_"), 200, &mut seed);
            format!("SetStance(\"{name}\", \"{known}\", 0.1)")
        })
        .collect();
    format!(
        "Variant(base: \"base200.ron\", name: \"v\", changes: [\n{}\n])\n",
        changes.join(",\n")
    )
}

/// A name of `len` characters: `prefix`, then letters from a fixed sequence (the same file
/// every time, and names that differ all along their length).
fn long_name(prefix: String, len: usize, state: &mut u64) -> String {
    let mut name = prefix;
    while name.len() < len {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        name.push(char::from(b'a' + ((*state >> 33) % 10) as u8));
    }
    name
}

fn misspelt_names(unknown: usize) -> String {
    let mut seed = 1;
    let states: Vec<String> = (0..200)
        .map(|i| long_name(format!("S{i}_"), 200, &mut seed))
        .collect();
    let stances: Vec<String> = (0..unknown)
        .map(|i| {
            let name = long_name(format!("U{i}_"), 200, &mut seed);
            format!("(\"{name}\", \"{}\", 0.1)", states[i % states.len()])
        })
        .collect();
    let states: Vec<String> = states
        .iter()
        .map(|s| format!("State(name: \"{s}\")"))
        .collect();
    format!(
        "Scenario(\n    name: \"misspelt\", steps: 10,\n    states: [{}],\n    stances: [\n{}\n    ],\n)\n",
        states.join(", "),
        stances.join(",\n")
    )
}

fn events_after_a_long_description(events: usize, repeats: usize) -> String {
    let refs: Vec<String> = (0..events).map(|i| format!("After(\"e{i}\")")).collect();
    let list: String = (0..events)
        .map(|i| format!("        Event(name: \"e{i}\", at: 0),\n"))
        .collect();
    format!(
        "Scenario(\n    name: \"atscan\", steps: 10,\n    states: [State(name: \"A\"), State(name: \"B\")],\n    \
         outcomes: [Outcome(name: \"o\", ever: Any([{}]))],\n    description: \"{}\",\n    \
         events: [\n{list}    ],\n)\n",
        refs.join(", "),
        "at".repeat(repeats)
    )
}

criterion_group!(benches, load, refused, variant);
criterion_main!(benches);
