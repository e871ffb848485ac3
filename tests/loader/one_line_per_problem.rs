//! The loader's messages for inputs of the second hostile review: whatever a message
//! echoes, each problem is one line that names the file; variants list at most 50 problems;
//! each test is named after the defect it pins.

use crate::common;

use std::path::{Path, PathBuf};

use common::{data, simulate};

/// `tests/data/small.ron` with `edit` applied, written into `dir` as `name`.
fn edited(dir: &Path, name: &str, edit: impl FnOnce(String) -> String) -> PathBuf {
    let text = String::from_utf8(common::read(&data("small.ron"))).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, edit(text)).unwrap();
    path
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn check(path: &Path, args: &[&str]) -> (i32, String) {
    let out = simulate()
        .arg("check")
        .arg(path)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every line of `stderr` names `file` at its start (after "error: "), holds no escape
/// byte, and is at most about 1,000 characters.
fn one_line_each(stderr: &str, file: &Path) {
    let shown = &stderr[..stderr.len().min(400)];
    assert!(!stderr.contains('\u{1b}'), "an escape byte: {shown}");
    let file = file.display().to_string();
    for line in stderr.lines() {
        let line = line.strip_prefix("error: ").unwrap_or(line);
        assert!(line.starts_with(&file), "a line without the file: {line:?}");
        assert!(
            line.chars().count() < 1_200,
            "a line of {} characters",
            line.len()
        );
    }
}

/// Regression: an event's name was echoed raw by the message on its timing: a newline
/// split the problem over two lines, an escape sequence reached the terminal, and a name of
/// a million characters made a line of a million characters.
#[test]
fn an_event_name_echoed_raw_still_makes_one_line_per_problem() {
    let dir = tempfile::tempdir().unwrap();
    // A long name is shown cut, with its length.
    for (name, says) in [
        ("sum\\nmit".to_string(), "`at` must be"),
        ("sum\\u{1b}[31mmit".to_string(), "`at` must be"),
        ("v".repeat(1_000_000), "(1,000,000 bytes): `at` must be"),
    ] {
        let path = edited(dir.path(), "events.ron", |t| {
            t.replacen(
                "Event(name: \"summit\", at: 2,",
                &format!("Event(name: \"{name}\", at: 0,"),
                1,
            )
        });
        let (code, stderr) = check(&path, &[]);
        assert_eq!(code, 2, "{}", &stderr[..stderr.len().min(400)]);
        assert!(stderr.contains(says), "{stderr:.400}");
        one_line_each(&stderr, &path);
    }
}

/// Regression: a variant's base was echoed raw, twice (as written and inside the path it
/// resolved to): three lines and an escape sequence, or a line of 4 million characters.
#[test]
fn a_variant_base_that_cannot_be_read_is_shown_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    for base in ["nope\\n\\u{1b}[31mRED.ron".to_string(), "n".repeat(100_000)] {
        let path = write(
            dir.path(),
            "v.ron",
            &format!("Variant(\n    base: \"{base}\",\n    name: \"v\",\n    changes: [SetSteps(5)],\n)\n"),
        );
        let (code, stderr) = check(&path, &[]);
        assert_eq!(code, 2, "{stderr:.400}");
        assert!(
            stderr.contains("cannot read the base file"),
            "{stderr:.400}"
        );
        assert!(stderr.contains("v.ron:2:11:"), "{stderr:.400}");
        assert_eq!(stderr.lines().count(), 1, "{stderr:.400}");
        one_line_each(&stderr, &path);
    }
}

/// Regression: a missing base was reported at the first "base" in the file, here the
/// closing quote of the variant's name, "rebase of baseline".
#[test]
fn a_missing_base_is_reported_at_the_base_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "v.ron",
        "Variant(\n    name: \"rebase of baseline\",\n    description: \"base\",\n    \
         base: \"nope.ron\",\n    changes: [SetSteps(5)],\n)\n",
    );
    let (code, stderr) = check(&path, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!("{}:4:11: cannot read", path.display())),
        "{stderr}"
    );
}

/// Regression: an attribute before `Variant` (`#![enable(implicit_some)]`, as a full
/// scenario may start) made the file read as a scenario: "Expected struct `Scenario` but
/// found `Variant`".
#[test]
fn a_variant_may_start_with_an_attribute() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(data("small.ron"), dir.path().join("small.ron")).unwrap();
    let path = write(
        dir.path(),
        "v.ron",
        "#![enable(implicit_some)]\n// shorter\nVariant(base: \"small.ron\", name: \"v\", \
         changes: [SetSeed(99)])\n",
    );
    let (code, stderr) = check(&path, &[]);
    assert_eq!(code, 0, "{stderr}");
}

/// Regression: a variant of 1,000 misspelt names printed 1,000 problems, each with the
/// base's states listed (one of 20,000 ran past a minute). Now 50 and a count, as a
/// scenario's problems are.
#[test]
fn a_variant_lists_at_most_fifty_problems() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(data("small.ron"), dir.path().join("small.ron")).unwrap();
    let changes: Vec<String> = (0..1000)
        .map(|i| format!("SetStance(\"Nobody{i}\", \"A\", 0.1)"))
        .collect();
    let path = write(
        dir.path(),
        "v.ron",
        &format!(
            "Variant(base: \"small.ron\", name: \"v\", changes: [\n{}\n])\n",
            changes.join(",\n")
        ),
    );
    let (code, stderr) = check(&path, &[]);
    assert_eq!(code, 2, "{stderr:.400}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 51, "{stderr:.400}");
    assert!(
        lines[0].contains("unknown state \"Nobody0\""),
        "{}",
        lines[0]
    );
    assert!(
        lines[50].ends_with("... and 950 more problems; fix the ones above first"),
        "{}",
        lines[50]
    );
    one_line_each(&stderr, &path);
}

/// Regression: the valid paths after an unknown one listed 64 state names of 200 bytes
/// raw: a second line of 13,097 characters. It stays a second line, a line's worth long,
/// for a variant as for `sweep --param`.
#[test]
fn the_valid_paths_after_an_unknown_one_are_a_line_worth() {
    let dir = tempfile::tempdir().unwrap();
    let states: Vec<String> = (0..100)
        .map(|i| format!("State(name: \"S{i}_{}\")", "x".repeat(190)))
        .collect();
    write(
        dir.path(),
        "base.ron",
        &format!(
            "Scenario(name: \"base\", steps: 10, states: [{}])\n",
            states.join(", ")
        ),
    );
    let variant = write(
        dir.path(),
        "v.ron",
        "Variant(base: \"base.ron\", name: \"v\", changes: [SetParam(\"lambda.Nope\", 0.5)])",
    );
    let (code, check_err) = check(&variant, &[]);
    assert_eq!(code, 2, "{check_err}");
    let sweep = simulate()
        .arg("sweep")
        .arg(dir.path().join("base.ron"))
        .args(["--param", "lambda.Nope=0:1:2"])
        .output()
        .unwrap();
    assert_eq!(sweep.status.code(), Some(2));
    let sweep_err = String::from_utf8_lossy(&sweep.stderr).into_owned();
    for stderr in [check_err, sweep_err] {
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{stderr}");
        assert!(lines[0].contains("unknown parameter path \"lambda.Nope\""));
        assert!(lines[1].starts_with("valid paths in this scenario: "));
        assert!(lines[1].chars().count() < 1_000, "{}", lines[1]);
        assert!(lines[1].ends_with("more)"), "{}", lines[1]);
    }
}

/// Regression: states "xµ" (micro sign) and "xμ" (Greek mu), and the other Greek letters
/// with a second lowercase form, uppercase alike but were two states.
#[test]
fn names_differing_in_a_greek_letter_form_are_refused_as_case_twins() {
    let dir = tempfile::tempdir().unwrap();
    for (a, b) in [("µ", "μ"), ("ϐ", "β"), ("ϑ", "θ"), ("\\u{345}", "ι")] {
        let path = edited(dir.path(), "greek.ron", |t| {
            t.replacen(
                "State(name: \"C\")",
                &format!("State(name: \"C\"), State(name: \"x{a}\"), State(name: \"x{b}\")"),
                1,
            )
        });
        let (code, stderr) = check(&path, &[]);
        assert_eq!(code, 2, "{a} {b}: {stderr}");
        assert!(stderr.contains("only in case"), "{a} {b}: {stderr}");
    }
}
