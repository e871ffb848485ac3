//! No scenario file, however broken, makes entente panic or hang.
//!
//! The shipped scenarios and a small one that uses every feature of the format are mutated
//! the way hand editing, copying and bad tools break files: bytes flipped, lines deleted or
//! duplicated, numbers replaced by extremes (0, -0, 1e308, -1e308, NaN, inf, huge
//! integers), strings emptied or made very long, deep nesting, files cut short. Every
//! mutant goes through `entente::scenario::parse` (parse, check, compile) in a thread with
//! a deadline; a sample also goes through the binary (`simulate check` and a run of 20
//! trajectories), which must exit 0 or 2 within its deadline.
//!
//! The fuzzer (fuzz/, see the README) explores the same path without a plan; this suite is
//! what CI runs.

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// A parse that takes longer than this is a hang (a release build parses the shipped
/// scenarios in about a millisecond).
const PARSE_DEADLINE: Duration = Duration::from_secs(20);
/// A check or a run of 20 trajectories of a mutant of a shipped scenario.
const BINARY_DEADLINE: Duration = Duration::from_secs(60);

/// The files mutated: the shipped scenarios and tests/data/small.ron. Every one must load:
/// a seed that stopped parsing used to be dropped silently, so the suite went on mutating
/// fewer files without saying so.
fn seeds() -> Vec<(PathBuf, String)> {
    let mut paths = vec![common::data("small.ron")];
    for name in ["baseline.ron", "putin_visit.ron"] {
        let path = common::scenario(name);
        let bytes = common::read(&path);
        if let Err(e) = entente::scenario::parse(&path, &bytes) {
            panic!("a shipped scenario no longer loads, so it cannot seed the mutants: {e}");
        }
        paths.push(path);
    }
    paths
        .into_iter()
        .map(|p| {
            let text = String::from_utf8(common::read(&p)).expect("seeds are UTF-8");
            (p, text)
        })
        .collect()
}

/// Replacements for a number: extremes, and things that are not numbers at all.
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "0.0",
    "-0.0",
    "1e308",
    "-1e308",
    "1e309",
    "NaN",
    "inf",
    "-inf",
    "5e-324",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "4294967296",
    "10000",
    "10001",
    "1000000000",
    "1000000001",
    "0x7f",
    "1_000",
    "\"1\"",
    "",
];

/// One way of breaking a file. Positions are fractions of the file (or of the list of
/// numbers, strings or lines) so that they fit any seed.
#[derive(Debug, Clone)]
enum Mutation {
    FlipByte {
        at: f64,
        mask: u8,
    },
    InsertByte {
        at: f64,
        byte: u8,
    },
    DeleteLine {
        at: f64,
    },
    DuplicateLine {
        at: f64,
        times: usize,
    },
    SwapLines {
        a: f64,
        b: f64,
    },
    Number {
        at: f64,
        replacement: &'static str,
    },
    StringText {
        at: f64,
        replacement: StringKind,
    },
    DeepNesting {
        depth: usize,
        open: &'static str,
        close: &'static str,
    },
    DeepCondition {
        depth: usize,
    },
    Truncate {
        at: f64,
    },
}

#[derive(Debug, Clone)]
enum StringKind {
    Empty,
    Long(usize),
    Text(&'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0.0..1.0f64;
    prop_oneof![
        3 => (at.clone(), 1..=255u8).prop_map(|(at, mask)| Mutation::FlipByte { at, mask }),
        1 => (at.clone(), any::<u8>()).prop_map(|(at, byte)| Mutation::InsertByte { at, byte }),
        3 => at.clone().prop_map(|at| Mutation::DeleteLine { at }),
        2 => (at.clone(), 1..4usize).prop_map(|(at, times)| Mutation::DuplicateLine { at, times }),
        1 => (at.clone(), at.clone()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
        4 => (at.clone(), proptest::sample::select(NUMBERS))
            .prop_map(|(at, replacement)| Mutation::Number { at, replacement }),
        2 => (at.clone(), string_kind())
            .prop_map(|(at, replacement)| Mutation::StringText { at, replacement }),
        1 => (1..3000usize, proptest::sample::select(&[("[", "]"), ("(", ")"), ("Not(", ")"), ("{", "}")][..]))
            .prop_map(|(depth, (open, close))| Mutation::DeepNesting { depth, open, close }),
        1 => (1..400usize).prop_map(|depth| Mutation::DeepCondition { depth }),
        1 => at.prop_map(|at| Mutation::Truncate { at }),
    ]
}

fn string_kind() -> impl Strategy<Value = StringKind> {
    prop_oneof![
        Just(StringKind::Empty),
        (200..300_000usize).prop_map(StringKind::Long),
        proptest::sample::select(
            &[
                "../../escape",
                "/etc/passwd",
                "a\\\\b",
                "\\u{0}\\n\\t",
                "Pākistan",
                "بلوچستان",
                " ",
                "..",
                "eta.Pakistan",
                "event..hazard",
                "\\\"",
            ][..]
        )
        .prop_map(StringKind::Text),
    ]
}

/// Index `at` (a fraction) into a collection of `len`.
fn pick(at: f64, len: usize) -> usize {
    ((at * len as f64) as usize).min(len.saturating_sub(1))
}

/// Byte ranges of number-like tokens (outside identifiers).
fn numbers(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let starts = text[i].is_ascii_digit()
            && (i == 0 || !(text[i - 1].is_ascii_alphanumeric() || text[i - 1] == b'_'));
        if starts {
            let start = if i > 0 && text[i - 1] == b'-' {
                i - 1
            } else {
                i
            };
            let mut end = i;
            while end < text.len()
                && (text[end].is_ascii_digit() || matches!(text[end], b'.' | b'e' | b'E' | b'_'))
            {
                end += 1;
            }
            out.push((start, end));
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// Byte ranges of the insides of double-quoted strings.
fn strings(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open = None;
    let mut i = 0;
    while i < text.len() {
        match (text[i], open) {
            (b'\\', Some(_)) => i += 1,
            (b'"', None) => open = Some(i + 1),
            (b'"', Some(start)) => {
                out.push((start, i));
                open = None;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn splice(bytes: &mut Vec<u8>, (start, end): (usize, usize), with: &[u8]) {
    bytes.splice(start..end, with.iter().copied());
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    match *m {
        Mutation::FlipByte { at, mask } => {
            if !bytes.is_empty() {
                let i = pick(at, bytes.len());
                bytes[i] ^= mask;
            }
        }
        Mutation::InsertByte { at, byte } => {
            let i = pick(at, bytes.len() + 1);
            bytes.insert(i, byte);
        }
        Mutation::DeleteLine { at } | Mutation::DuplicateLine { at, .. } => {
            let mut lines: Vec<Vec<u8>> =
                bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            let i = pick(at, lines.len());
            match *m {
                Mutation::DuplicateLine { times, .. } => {
                    for _ in 0..times {
                        lines.insert(i, lines[i].clone());
                    }
                }
                _ => {
                    lines.remove(i);
                }
            }
            *bytes = lines.join(&b'\n');
        }
        Mutation::SwapLines { a, b } => {
            let mut lines: Vec<Vec<u8>> =
                bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            let (a, b) = (pick(a, lines.len()), pick(b, lines.len()));
            lines.swap(a, b);
            *bytes = lines.join(&b'\n');
        }
        Mutation::Number { at, replacement } => {
            let found = numbers(bytes);
            if !found.is_empty() {
                splice(bytes, found[pick(at, found.len())], replacement.as_bytes());
            }
        }
        Mutation::StringText {
            at,
            ref replacement,
        } => {
            let found = strings(bytes);
            if !found.is_empty() {
                let with = match replacement {
                    StringKind::Empty => String::new(),
                    StringKind::Long(n) => "x".repeat(*n),
                    StringKind::Text(t) => t.to_string(),
                };
                splice(bytes, found[pick(at, found.len())], with.as_bytes());
            }
        }
        Mutation::DeepNesting { depth, open, close } => {
            // Nest the value of the first `metrics:` (or anything after the first colon).
            let text = String::from_utf8_lossy(bytes).into_owned();
            let at = text
                .find("metrics:")
                .map(|i| i + "metrics:".len())
                .or(text.find(':').map(|i| i + 1));
            if let Some(at) = at {
                let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
                let mut out = text[..at].to_string();
                out.push_str(&open.repeat(depth));
                out.push_str(&text[at..end]);
                out.push_str(&close.repeat(depth));
                out.push_str(&text[end..]);
                *bytes = out.into_bytes();
            }
        }
        Mutation::DeepCondition { depth } => {
            // A well-formed outcome whose condition is nested `depth` deep.
            let text = String::from_utf8_lossy(bytes).into_owned();
            if let Some(at) = text.find("outcomes: [").map(|i| i + "outcomes: [".len()) {
                let condition = format!(
                    "{}Above(Stance(\"A\", \"B\"), 0.0){}",
                    "Not(All([Any([".repeat(depth / 3),
                    "])]))".repeat(depth / 3)
                );
                let outcome = format!("Outcome(name: \"deep\", ever: {condition}),");
                *bytes = format!("{}{outcome}{}", &text[..at], &text[at..]).into_bytes();
            }
        }
        Mutation::Truncate { at } => {
            let i = pick(at, bytes.len() + 1);
            bytes.truncate(i);
        }
    }
}

/// Parses `bytes` in a thread with a deadline: Ok(accepted) if it answered, Err if it
/// panicked, hung or refused without a message.
fn parse_answers(path: &Path, bytes: Vec<u8>) -> Result<bool, String> {
    parse_within_deadline(path, bytes).map(|refusal| refusal.is_none())
}

/// Parses `bytes` in a thread with a deadline: Ok(None) if accepted, Ok(Some(message)) if
/// refused with a message, Err if it panicked, hung or refused without a message.
fn parse_within_deadline(path: &Path, bytes: Vec<u8>) -> Result<Option<String>, String> {
    let (tx, rx) = mpsc::channel();
    let path = path.to_path_buf();
    // The binary parses on its main thread, with the platform's main stack (8 MB on Linux).
    let worker = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let answer = entente::scenario::parse(&path, &bytes)
                .map(|_| ())
                .map_err(|e| e.to_string());
            let _ = tx.send(answer);
        });
    worker.map_err(|e| format!("cannot start a thread: {e}"))?;
    match rx.recv_timeout(PARSE_DEADLINE) {
        Ok(Ok(())) => Ok(None),
        Ok(Err(message)) => {
            if message.trim().is_empty() {
                Err("an error with an empty message".into())
            } else {
                Ok(Some(message))
            }
        }
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!("no answer within {PARSE_DEADLINE:?}")),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err("the parser panicked".into()),
    }
}

fn mutant() -> impl Strategy<Value = (usize, Vec<Mutation>)> {
    (0..16usize, proptest::collection::vec(mutation(), 1..4))
}

fn mutate(
    seeds: &[(PathBuf, String)],
    (which, mutations): &(usize, Vec<Mutation>),
) -> (PathBuf, Vec<u8>) {
    let (path, text) = &seeds[which % seeds.len()];
    let mut bytes = text.clone().into_bytes();
    for m in mutations {
        apply(&mut bytes, m);
    }
    (path.clone(), bytes)
}

#[test]
fn mutated_scenarios_never_panic_or_hang_the_loader() {
    let seeds = seeds();
    let mut runner = proptest::test_runner::TestRunner::new(common::proptest_config(5000));
    let (accepted, refused) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    runner
        .run(&mutant(), |case| {
            let (path, bytes) = mutate(&seeds, &case);
            let answer = parse_answers(&path, bytes).map_err(TestCaseError::fail)?;
            let count = if answer { &accepted } else { &refused };
            count.set(count.get() + 1);
            Ok(())
        })
        .unwrap();
    eprintln!(
        "mutants: {} accepted, {} refused with a message",
        accepted.get(),
        refused.get()
    );
    // Both answers must occur: a loader that refused everything (or accepted everything)
    // would pass "never panics" while being useless. Many mutations (a number replaced by
    // 0, a swapped line of ties) leave a valid file, and many (NaN, truncation) do not.
    assert!(
        accepted.get() > 0 && refused.get() > 0,
        "the mutants should be partly accepted and partly refused"
    );
}

#[test]
fn mutated_scenarios_exit_0_or_2_from_check_and_a_short_run() {
    let seeds = seeds();
    let dir = tempfile::tempdir().unwrap();
    let mut runner = proptest::test_runner::TestRunner::new(common::proptest_config(60));
    let count = std::cell::Cell::new(0);
    runner
        .run(&mutant(), |case| {
            let (_, bytes) = mutate(&seeds, &case);
            count.set(count.get() + 1);
            let count = count.get();
            let file = dir.path().join(format!("mutant_{count}.ron"));
            std::fs::write(&file, &bytes).unwrap();
            let out = dir.path().join(format!("out_{count}"));
            let runs = [
                vec!["check".into(), file.clone().into_os_string()],
                vec![
                    file.clone().into_os_string(),
                    "--trajectories".into(),
                    "20".into(),
                    "--quiet".into(),
                    "--out".into(),
                    out.into_os_string(),
                ],
            ];
            for args in runs {
                let output = common::simulate().args(&args).timeout(BINARY_DEADLINE).output().unwrap();
                let code = output.status.code();
                let stderr = String::from_utf8_lossy(&output.stderr);
                prop_assert!(
                    matches!(code, Some(0) | Some(2)),
                    "simulate {args:?} exited with {code:?} (a timeout or a signal shows as None):\n{stderr}"
                );
                prop_assert!(!stderr.contains("panicked"), "simulate {args:?} panicked:\n{stderr}");
                if code == Some(2) {
                    prop_assert!(stderr.starts_with("error: "), "no clear message:\n{stderr}");
                }
            }
            Ok(())
        })
        .unwrap();
}

/// Found by the fuzzer's author before the fuzzer: a file with more states than the limit
/// made the compiler allocate n*n stances and k*n*n shares before refusing it.
#[test]
fn too_many_states_are_refused_without_allocating_for_them() {
    let states: String = (0..50_000)
        .map(|i| format!("State(name: \"s{i}\"),"))
        .collect();
    let channels: String = (0..32).map(|i| format!("\"c{i}\",")).collect();
    let text =
        format!("Scenario(name: \"big\", steps: 4, channels: [{channels}], states: [{states}])");
    // 50,000 states and 32 channels would be 640 GB of shares.
    let answer = entente::scenario::parse(Path::new("big.ron"), text.as_bytes());
    let message = answer.expect_err("refused").to_string();
    assert!(
        message.contains("between 1 and 200 states, got 50000"),
        "{message}"
    );
}

/// Many ties used to be located with a search from the start of the file for each one.
#[test]
fn many_ties_are_checked_in_linear_time() {
    let ties: String = (0..40_000)
        .map(|i| format!("Tie(from: \"A\", to: \"B\", channel: \"c\", share: 0.{i}),\n"))
        .collect();
    let text = format!(
        "Scenario(name: \"ties\", steps: 4, channels: [\"c\"], states: [State(name: \"A\"), State(name: \"B\")], ties: [{ties}])"
    );
    let accepted = parse_answers(Path::new("ties.ron"), text.into_bytes()).unwrap();
    assert!(!accepted, "40,000 copies of one tie are refused");
}

/// Regression: each event with a problem was located from its first mention (here an
/// outcome that names all 1,000 before the events are written) and its `at` was then
/// searched for, past every "at" of a 4 MB description, to the end of the file: 28 s, and
/// every problem was put at e0's line. Each is now found at its own definition, within its
/// own item.
#[test]
fn a_thousand_bad_events_after_a_long_description_are_located_in_linear_time() {
    let refs: Vec<String> = (0..1000).map(|i| format!("After(\"e{i}\")")).collect();
    let events: String = (0..1000)
        .map(|i| format!("        Event(name: \"e{i}\", at: 0),\n"))
        .collect();
    let text = format!(
        "Scenario(\n    name: \"atscan\", steps: 10,\n    states: [State(name: \"A\"), State(name: \"B\")],\n    \
         outcomes: [Outcome(name: \"o\", ever: Any([{}]))],\n    description: \"{}\",\n    \
         events: [\n{events}    ],\n)\n",
        refs.join(", "),
        "at".repeat(2_000_000)
    );
    let message = parse_within_deadline(Path::new("atscan.ron"), text.clone().into_bytes())
        .unwrap()
        .expect("refused");
    // Each problem is at its own event's `at`, one line after another.
    let line = text.lines().position(|l| l.contains("\"e0\", at")).unwrap() + 1;
    let first: Vec<&str> = message.lines().take(2).collect();
    assert!(
        first[0].starts_with(&format!("atscan.ron:{line}:27: event \"e0\": `at`"))
            && first[1].starts_with(&format!("atscan.ron:{}:27: event \"e1\": `at`", line + 1)),
        "{first:?}"
    );
}

/// 500 tracked metrics over 10,000 steps would need hundreds of GB of histograms: the run
/// is refused with the numbers and what to change, before it starts.
#[test]
fn a_run_too_big_for_memory_is_refused_before_it_starts() {
    let states: String = (0..23).map(|i| format!("State(name: \"s{i}\"),")).collect();
    let metrics: String = (0..23)
        .flat_map(|i| {
            (0..23)
                .filter(move |&j| j != i)
                .map(move |j| format!("Stance(\"s{i}\", \"s{j}\"),"))
        })
        .take(500)
        .collect();
    let text = format!(
        "Scenario(name: \"huge\", steps: 10000, trajectories: 1, states: [{states}], metrics: [{metrics}])"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.ron");
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    let assert = common::simulate()
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .env_remove(entente::engine::host::IGNORE_MEMORY_CHECK)
        .timeout(BINARY_DEADLINE)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("GB") && stderr.contains("fewer"),
        "{stderr}"
    );
    assert!(!out.exists());
}

/// Every subcommand's `--help` ends with an example.
#[test]
fn every_help_has_an_example() {
    use clap::CommandFactory;
    let cli = entente::cli::Cli::command();
    let mut commands = vec![Vec::new()];
    commands.extend(
        cli.get_subcommands()
            .map(|c| vec![c.get_name().to_string()]),
    );
    for mut args in commands {
        args.push("--help".into());
        let output = common::simulate().args(&args).output().unwrap();
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{args:?}");
        assert!(
            help.contains("Example"),
            "simulate {args:?} has no example:\n{help}"
        );
    }
}

/// The mistakes a user makes get one or two lines: what is wrong, where, what to do.
#[test]
fn every_user_error_is_one_or_two_lines() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.into_os_string()
    };
    let small = String::from_utf8(common::read(&common::data("small.ron"))).unwrap();
    let typo = write(
        "typo.ron",
        small
            .replacen("(\"A\", \"B\", 0.3)", "(\"A\", \"Bb\", 0.3)", 1)
            .as_bytes(),
    );
    let cases: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["/nonexistent/file.ron".into()],
        vec![write("binary.ron", &[0xff, 0xfe, 0x00, 0x01])],
        vec![write("empty.ron", b"")],
        vec![write("cut.ron", &small.as_bytes()[..small.len() / 2])],
        vec!["check".into(), typo.clone()],
        vec![typo, "--quiet".into()],
        vec![
            common::data("small.ron").into(),
            "--threads".into(),
            "0".into(),
        ],
        vec![
            common::data("small.ron").into(),
            "--trajectories".into(),
            "0".into(),
        ],
        vec![
            common::data("small.ron").into(),
            "--out".into(),
            common::data("small.ron").into(),
        ],
    ];
    for args in cases {
        let output = common::simulate()
            .args(&args)
            .timeout(BINARY_DEADLINE)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(
            (1..=2).contains(&stderr.lines().count()),
            "{args:?}: {stderr}"
        );
    }
}

/// A path to an endless file is refused after reading the most a scenario may be.
#[cfg(unix)]
#[test]
fn an_endless_file_is_refused_without_reading_it_all() {
    let assert = common::simulate()
        .args(["check", "/dev/zero"])
        .timeout(BINARY_DEADLINE)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("larger than 16 MB"), "{stderr}");
}

/// Regression: a random run in CI made a channel name and one reference to it about
/// 100,000 characters long each (lengths within a third of each other); the loader
/// compared them character by character for its "did you mean" and took 20 s per parse.
#[test]
fn two_long_names_of_close_length_do_not_hang_the_loader() {
    let seeds = seeds();
    let case = (
        9,
        vec![
            Mutation::StringText {
                at: 0.330_364_363_271_109_6,
                replacement: StringKind::Long(101_722),
            },
            Mutation::StringText {
                at: 0.056_161_068_804_244_51,
                replacement: StringKind::Long(91_226),
            },
        ],
    );
    let (path, bytes) = mutate(&seeds, &case);
    assert_eq!(
        parse_answers(&path, bytes),
        Ok(false),
        "refused, with a message"
    );
}
