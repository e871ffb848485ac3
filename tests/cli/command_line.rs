//! The command line as an analyst meets it: results where promised, and polite refusals
//! (exit 2, a message naming the place, no panic, no output folder) for every bad input.

use crate::common;

use std::path::{Path, PathBuf};

use common::{data, json, scenario, simulate};

#[test]
fn a_run_writes_summary_timeseries_and_outcomes_with_the_promised_keys() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("D");
    let file = scenario("putin_visit.ron");
    simulate()
        .arg(&file)
        .args(["--trajectories", "4000", "--seed", "11", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();

    let summary = json(&out.join("summary.json"));
    for key in [
        "scenario",
        "scenario_sha256",
        "seed",
        "trajectories",
        "steps",
        "engine_version",
        "outcomes",
        "final",
    ] {
        assert!(summary.get(key).is_some(), "summary.json lacks {key}");
    }
    assert_eq!(summary["seed"], 11);
    assert_eq!(summary["trajectories"], 4000);
    let sha = sha256_hex(&common::read(&file));
    assert_eq!(summary["scenario_sha256"], sha.as_str());

    let outcomes = summary["outcomes"].as_array().unwrap();
    assert!(
        outcomes.len() >= 3,
        "the shipped scenario asks at least three questions"
    );
    for o in outcomes {
        let (p, lo, hi) = (
            o["probability"].as_f64().unwrap(),
            o["ci_low"].as_f64().unwrap(),
            o["ci_high"].as_f64().unwrap(),
        );
        assert!(lo <= p && p <= hi, "{o}");
        assert!(o["count"].as_u64().is_some() && o["name"].as_str().is_some());
    }
    assert!(!summary["final"].as_array().unwrap().is_empty());

    let timeseries = String::from_utf8(common::read(&out.join("timeseries.csv"))).unwrap();
    assert!(timeseries.starts_with("step,metric,mean,p05,p25,p50,p75,p95\n"));
    assert!(out.join("outcomes.csv").is_file());
}

#[test]
fn the_default_output_folder_is_outputs_slash_the_file_stem() {
    let dir = tempfile::tempdir().unwrap();
    simulate()
        .current_dir(dir.path())
        .arg(data("three_states.ron"))
        .args(["--trajectories", "50", "--quiet"])
        .assert()
        .success();
    assert!(dir
        .path()
        .join("outputs/three_states/summary.json")
        .is_file());
}

#[test]
fn check_validates_without_writing_anything() {
    let dir = tempfile::tempdir().unwrap();
    simulate()
        .current_dir(dir.path())
        .arg("check")
        .arg(data("three_states.ron"))
        .assert()
        .success()
        .stdout(predicates::str::contains("ok"));
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

/// Regression (mend's trial): a file without a `step` unit was checked as "12 steps of a
/// step"; it counts plain steps.
#[test]
fn check_of_a_file_without_a_step_unit_says_steps_not_steps_of_a_step() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(data("three_states.ron")).unwrap();
    let plain = dir.path().join("plain.ron");
    std::fs::write(&plain, text.replace("    step: \"quarter\",\n", "")).unwrap();
    let out = simulate().arg("check").arg(&plain).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains(", 12 steps\n"), "{stdout}");
    assert!(!stdout.contains("of a step"), "{stdout}");
    simulate()
        .arg("check")
        .arg(data("three_states.ron"))
        .assert()
        .success()
        .stdout(predicates::str::contains("12 steps of a quarter"));
}

/// Writes `text` as a scenario file in `dir` and runs it; returns stderr after checking the
/// refusal is polite: exit 2, no panic, no output folder.
fn refused(dir: &Path, text: &[u8]) -> String {
    let file = dir.join("bad.ron");
    std::fs::write(&file, text).unwrap();
    refused_file(dir, &file)
}

fn refused_file(dir: &Path, file: &Path) -> String {
    let out = dir.join("out");
    let result = simulate()
        .arg(file)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&result.get_output().stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "no output folder may be written: {stderr}");
    assert_eq!(
        std::fs::read_dir(dir).unwrap().count(),
        usize::from(file.starts_with(dir)),
        "nothing but the scenario may be left in {}",
        dir.display()
    );
    stderr
}

fn valid() -> String {
    String::from_utf8(common::read(&data("three_states.ron"))).unwrap()
}

/// The valid test scenario with one piece of text replaced (which must be present).
fn with(from: &str, to: &str) -> Vec<u8> {
    let text = valid();
    assert!(text.contains(from), "test scenario lacks {from:?}");
    text.replacen(from, to, 1).into_bytes()
}

/// `file:line:column:` at the start of a line of stderr.
fn points_at_line(stderr: &str, line: usize) -> bool {
    stderr.contains(&format!("bad.ron:{line}:"))
}

fn line_of(text: &[u8], needle: &str) -> usize {
    let text = String::from_utf8_lossy(text);
    let at = text.find(needle).expect("needle present");
    text[..at].matches('\n').count() + 1
}

#[test]
fn an_empty_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(dir.path(), b"");
    assert!(
        err.contains("bad.ron:1:1") && err.contains("empty"),
        "{err}"
    );
}

#[test]
fn a_truncated_file_is_refused_with_a_position() {
    let dir = tempfile::tempdir().unwrap();
    let text = valid();
    let err = refused(dir.path(), &text.as_bytes()[..text.len() / 2]);
    assert!(err.contains("bad.ron:"), "{err}");
}

#[test]
fn binary_garbage_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let garbage: Vec<u8> = (0..2048u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let err = refused(dir.path(), &garbage);
    assert!(err.contains("bad.ron:"), "{err}");
}

#[test]
fn a_misspelt_state_in_a_tie_is_named_with_a_suggestion_and_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = with("Tie(from: \"Alpha\"", "Tie(from: \"Alpah\"");
    let err = refused(dir.path(), &text);
    assert!(err.contains("unknown state \"Alpah\""), "{err}");
    assert!(err.contains("did you mean \"Alpha\""), "{err}");
    assert!(points_at_line(&err, line_of(&text, "\"Alpah\"")), "{err}");
}

#[test]
fn a_misspelt_state_in_an_event_is_named_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let text = with("Mutual(\"Alpha\", \"Gamma\"", "Mutual(\"Alpha\", \"Gamam\"");
    let err = refused(dir.path(), &text);
    assert!(
        err.contains("unknown state \"Gamam\"") && err.contains("did you mean \"Gamma\""),
        "{err}"
    );
    assert!(points_at_line(&err, line_of(&text, "\"Gamam\"")), "{err}");
}

#[test]
fn a_misspelt_event_in_a_condition_is_named_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(dir.path(), &with("After(\"visit\")", "After(\"vist\")"));
    assert!(
        err.contains("unknown event \"vist\"") && err.contains("did you mean \"visit\""),
        "{err}"
    );
}

#[test]
fn a_hazard_above_one_is_refused_at_its_event() {
    let dir = tempfile::tempdir().unwrap();
    let text = with("hazard: 0.1", "hazard: 1.5");
    let err = refused(dir.path(), &text);
    assert!(
        err.contains("event.deal.hazard") && err.contains("1.5"),
        "{err}"
    );
    assert!(points_at_line(&err, line_of(&text, "hazard: 1.5")), "{err}");
}

#[test]
fn a_negative_step_count_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = with("steps: 12", "steps: -3");
    let err = refused(dir.path(), &text);
    assert!(
        err.contains("`steps` must be between 1 and") && err.contains("-3"),
        "{err}"
    );
    assert!(points_at_line(&err, line_of(&text, "steps: -3")), "{err}");
}

#[test]
fn a_share_of_nan_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = with("share: 0.2", "share: NaN");
    let err = refused(dir.path(), &text);
    assert!(err.contains("share") && err.contains("NaN"), "{err}");
    assert!(points_at_line(&err, line_of(&text, "share: NaN")), "{err}");
}

#[test]
fn a_share_of_seven_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = with("share: 0.2", "share: 7.0");
    let err = refused(dir.path(), &text);
    assert!(err.contains("[0, 1]") && err.contains('7'), "{err}");
    assert!(points_at_line(&err, line_of(&text, "share: 7.0")), "{err}");
}

#[test]
fn shares_that_add_up_to_more_than_one_are_refused_with_the_total() {
    let dir = tempfile::tempdir().unwrap();
    let text = with(
        "Tie(from: \"Alpha\", to: \"Gamma\", channel: \"arms\", share: 0.1),",
        "Tie(from: \"Alpha\", to: \"Gamma\", channel: \"aid\", share: 0.9),",
    );
    let err = refused(dir.path(), &text);
    assert!(err.contains("add up to 1.1000"), "{err}");
}

#[test]
fn an_unknown_field_is_refused_with_its_position_and_the_expected_fields() {
    let dir = tempfile::tempdir().unwrap();
    let text = with(
        "trajectories: 500,",
        "trajectories: 500,\n    colour: \"red\",",
    );
    let err = refused(dir.path(), &text);
    assert!(err.contains("colour"), "{err}");
    assert!(points_at_line(&err, line_of(&text, "colour")), "{err}");
}

#[test]
fn a_misspelt_distribution_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(
        dir.path(),
        &with("Uniform(0.02, 0.06)", "Unifrm(0.02, 0.06)"),
    );
    assert!(err.contains("Uniform(low, high)"), "{err}");
}

#[test]
fn an_impossible_distribution_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(
        dir.path(),
        &with("Uniform(0.02, 0.06)", "Uniform(0.06, 0.02)"),
    );
    assert!(
        err.contains("sigma") && err.contains("Uniform(0.06, 0.02)"),
        "{err}"
    );
}

#[test]
fn an_unknown_parameter_path_in_an_effect_lists_the_valid_ones() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(
        dir.path(),
        &with("Param(\"eta.Alpha\"", "Param(\"zeta.Alpha\""),
    );
    assert!(
        err.contains("zeta.Alpha") && err.contains("valid paths"),
        "{err}"
    );
}

#[test]
fn all_problems_of_a_file_are_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        valid()
            .replacen("hazard: 0.1", "hazard: 1.5", 1)
            .replacen("steps: 12", "steps: 0", 1);
    let err = refused(dir.path(), text.as_bytes());
    assert!(err.contains("hazard") && err.contains("`steps`"), "{err}");
}

#[test]
fn a_file_that_does_not_exist_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let missing: PathBuf = dir.path().join("nowhere.ron");
    let out = dir.path().join("out");
    let result = simulate()
        .arg(&missing)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&result.get_output().stderr).into_owned();
    assert!(
        err.contains("nowhere.ron") && err.contains("cannot read"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn bad_flags_are_usage_errors() {
    // Regression: this test passed a missing file, so every case got exit 2 from the
    // missing file whatever the flag check did. Each case now uses a valid scenario and
    // checks that the message is about the flag.
    let file = data("three_states.ron");
    for (flags, says) in [
        (&["--threads", "0"][..], "--threads must be at least 1"),
        (&["--trajectories", "-5"][..], "-5"),
        (
            &["--trajectories", "0"][..],
            "--trajectories must be between 1",
        ),
        (&["--no-such-flag"][..], "--no-such-flag"),
    ] {
        let out = simulate().arg(&file).args(flags).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flags:?}: {stderr}");
        assert!(stderr.contains(says), "{flags:?}: {stderr}");
    }
    let out = simulate().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("<SCENARIO>"));
}

#[test]
fn every_subcommand_has_help_with_an_example() {
    // The subcommands as the top-level help lists them, so a new one is covered at once.
    let top = simulate().arg("--help").assert().success();
    let top = String::from_utf8_lossy(&top.get_output().stdout).into_owned();
    let commands: Vec<&str> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 6, "{top}");
    assert!(top.contains("Example"), "{top}");
    for sub in commands {
        let result = simulate().args([sub, "--help"]).assert().success();
        let text = String::from_utf8_lossy(&result.get_output().stdout).into_owned();
        assert!(text.contains("Example"), "{sub}: {text}");
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The subcommands, each with the arguments it needs besides its flags.
const SUBCOMMANDS: [&[&str]; 8] = [
    &[],
    &["check"],
    &["compare"],
    &["explain"],
    &["merge"],
    &["sweep"],
    &["sensitivity"],
    &["blocs"],
];

/// `simulate SUB --help`.
fn help_of(sub: &[&str]) -> String {
    let done = simulate().args(sub).arg("--help").assert().success();
    String::from_utf8_lossy(&done.get_output().stdout).into_owned()
}

/// One flag as `--help` lists it: its long name, the name of its value if it takes one,
/// and the rest of its line (what it says).
struct ListedFlag {
    long: String,
    value: Option<String>,
    says: String,
}

/// The flags of the "Options:" section of a `--help` text (but --help and --version), in
/// either of clap's layouts: a flag's help on its line, or on the lines below it.
fn listed_flags(help: &str) -> Vec<ListedFlag> {
    let options = help
        .split_once("Options:\n")
        .unwrap_or_else(|| panic!("no Options section: {help}"))
        .1;
    let mut flags: Vec<ListedFlag> = Vec::new();
    for line in options.lines() {
        if !line.is_empty() && !line.starts_with(' ') {
            break; // the text after the options
        }
        let line = line.trim_start();
        if !line.starts_with('-') {
            if let Some(flag) = flags.last_mut() {
                flag.says = format!("{} {line}", flag.says).trim().to_string();
            }
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let at = words
            .iter()
            .position(|w| w.starts_with("--"))
            .unwrap_or_else(|| panic!("no long flag: {line}"));
        let long = words[at].trim_end_matches(',').to_string();
        let value = words
            .get(at + 1)
            .filter(|w| w.starts_with('<'))
            .map(|w| w.to_string());
        let skip = at + 1 + usize::from(value.is_some());
        flags.push(ListedFlag {
            long,
            value,
            says: words[skip..].join(" "),
        });
    }
    flags.retain(|f| f.long != "--help" && f.long != "--version");
    flags
}

/// A value a flag accepts, from its help (`[default: X]`) or from its value's name; `out`
/// for --out, `missing` for a file or folder to read.
fn value_for(flag: &ListedFlag, out: &Path, missing: &Path) -> std::ffi::OsString {
    if flag.long == "--out" {
        return out.into();
    }
    if let Some((_, default)) = flag.says.split_once("[default: ") {
        return default.split(']').next().unwrap().into();
    }
    let value = flag.value.as_deref().unwrap();
    match value {
        "<N>" | "<S>" => "2".into(),
        "<T>" => "1".into(),
        "<I/N>" => "1/2".into(),
        // Not eta: the sweep is given `--param eta=...` already.
        "<NAME=LO:HI:STEPS>" => "lambda=0.3:0.9:2".into(),
        // An outcome's name (explain's --outcome).
        "<NAME>" => "partnership_deepens".into(),
        "<A.ron>" | "<FILE>" | "<DIR>" => missing.into(),
        "<HOW>" => "kind".into(),
        other => panic!("{}: no value known for {other}: add one here", flag.long),
    }
}

/// Defect (issue 19, 9): `compare`, `sweep` and `sensitivity --help` listed `--shard`, and
/// each refused it ("it does not apply to this command"). Now every flag a command's help
/// lists is accepted by it: given with a valid value and a scenario file that does not
/// exist, the command goes as far as reading that file, and refuses only for it.
#[test]
fn every_flag_a_commands_help_lists_is_accepted_by_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.ron");
    let mut tried = 0;
    for sub in SUBCOMMANDS {
        let help = help_of(sub);
        let mut inputs: Vec<std::ffi::OsString> = match sub.first().copied() {
            Some("compare") => vec![missing.clone().into(), missing.clone().into()],
            _ => vec![missing.clone().into()],
        };
        if sub.first() == Some(&"sweep") {
            inputs.extend(["--param".into(), "eta=0.1:0.2:2".into()]);
        }
        for flag in listed_flags(&help) {
            let out = dir.path().join(format!("out{tried}"));
            let mut run = simulate();
            run.current_dir(dir.path())
                .args(sub)
                .args(&inputs)
                .arg(&flag.long);
            if flag.value.is_some() {
                run.arg(value_for(&flag, &out, &missing));
            }
            let done = run.output().unwrap();
            let err = String::from_utf8_lossy(&done.stderr);
            assert_eq!(done.status.code(), Some(2), "{sub:?} {}: {err}", flag.long);
            assert!(
                err.contains("nowhere.ron"),
                "{sub:?} lists {} but refuses it: {err}",
                flag.long
            );
            tried += 1;
        }
    }
    // Every command but `check` has flags, and the run has eight.
    assert!(
        tried >= 30,
        "only {tried} flags found: is the help's layout still parsed?"
    );
}

/// The folders a flag's help names as defaults (its words that start with `outputs/`), in
/// order, with the placeholders replaced by `names`.
fn stated_folders(help: &str, long: &str, names: &[(&str, &str)]) -> Vec<PathBuf> {
    let flag = listed_flags(help)
        .into_iter()
        .find(|f| f.long == long)
        .unwrap_or_else(|| panic!("no {long} in {help}"));
    let folders: Vec<PathBuf> = flag
        .says
        .split_whitespace()
        .filter(|w| w.starts_with("outputs/"))
        .map(|word| {
            let mut folder = word.trim_end_matches([',', ')', '.']).to_string();
            for (placeholder, name) in names {
                folder = folder.replace(placeholder, name);
            }
            PathBuf::from(folder)
        })
        .collect();
    assert!(
        !folders.is_empty(),
        "{long} names no default folder: {}",
        flag.says
    );
    folders
}

/// The first of them, which must have no placeholder left.
fn stated_folder(help: &str, long: &str, names: &[(&str, &str)]) -> PathBuf {
    let folder = stated_folders(help, long, names).remove(0);
    assert!(
        !folder.to_string_lossy().contains('<'),
        "a placeholder is left in {}",
        folder.display()
    );
    folder
}

/// A command, its arguments, and the names its help's placeholders stand for there.
type DefaultCase<'a> = (&'a str, Vec<std::ffi::OsString>, &'a [(&'a str, &'a str)]);

/// Defect (issue 19, 9): the help of `compare`, `sweep` and `sensitivity` gave their default
/// folder as `outputs/<scenario file name>/`, while they write `compare_A_vs_B`,
/// `NAME-sweep` and `NAME-sensitivity`. Now the folder each command's help states is the
/// one it writes when --out is left out (each run in a folder of its own).
#[test]
fn the_default_folder_a_commands_help_states_is_the_one_it_writes() {
    let dir = tempfile::tempdir().unwrap();
    let small = data("three_states.ron");
    let stem = [("<scenario>", "three_states")];
    let cases: [DefaultCase; 7] = [
        ("", vec![small.clone().into()], &stem),
        ("explain", vec![small.clone().into()], &stem),
        (
            "compare",
            vec![
                scenario("baseline.ron").into(),
                scenario("putin_visit.ron").into(),
            ],
            &[("<A>", "baseline"), ("<B>", "putin_visit")],
        ),
        (
            "sweep",
            vec![
                small.clone().into(),
                "--param".into(),
                "eta=0.1:0.2:2".into(),
            ],
            &stem,
        ),
        (
            "sensitivity",
            vec![small.clone().into(), "--samples".into(), "2".into()],
            &stem,
        ),
        ("blocs", vec![small.clone().into()], &stem),
        (
            "score",
            vec![
                data("small.ron").into(),
                "--observed".into(),
                data("small.observed.csv").into(),
            ],
            &[("<scenario>", "small")],
        ),
    ];
    for (sub, args, names) in cases {
        let sub: Vec<&str> = [sub].into_iter().filter(|s| !s.is_empty()).collect();
        let folder = stated_folder(&help_of(&sub), "--out", names);
        let work = dir.path().join(format!("work-{}", sub.join("")));
        std::fs::create_dir(&work).unwrap();
        let mut run = simulate();
        run.current_dir(&work).args(&sub).args(&args).arg("--quiet");
        if sub.first() != Some(&"blocs") {
            run.args(["--trajectories", "2"]);
        }
        run.assert().success();
        assert!(
            work.join(&folder).is_dir(),
            "{sub:?} did not write {}",
            folder.display()
        );
    }

    // The second pattern of compare (three scenarios) and of sensitivity (--against).
    let three = [
        ("<A>", "baseline"),
        ("<B>", "putin_visit"),
        ("<C>", "us_aid_ends"),
    ];
    let sens = [("<scenario>", "sens_effect"), ("<A>", "sens_level")];
    let cases: [DefaultCase; 2] = [
        (
            "compare",
            ["baseline.ron", "putin_visit.ron", "us_aid_ends.ron"]
                .map(|f| scenario(f).into())
                .to_vec(),
            &three,
        ),
        (
            "sensitivity",
            vec![
                data("sens_effect.ron").into(),
                "--against".into(),
                data("sens_level.ron").into(),
                "--samples".into(),
                "2".into(),
            ],
            &sens,
        ),
    ];
    for (sub, args, names) in cases {
        let folders = stated_folders(&help_of(&[sub]), "--out", names);
        let second = folders[1].to_string_lossy();
        assert!(!second.contains('<'), "a placeholder is left in {second}");
        let work = dir.path().join(format!("work-{sub}-second"));
        std::fs::create_dir(&work).unwrap();
        simulate()
            .current_dir(&work)
            .arg(sub)
            .args(&args)
            .args(["--quiet", "--trajectories", "2"])
            .assert()
            .success();
        assert!(
            work.join(&folders[1]).is_dir(),
            "{sub} did not write {}",
            folders[1].display()
        );
    }

    // The shards' folders, as the run's help states them, and the merge's.
    let work = dir.path().join("work-merge");
    std::fs::create_dir(&work).unwrap();
    let run_help = help_of(&[]);
    let mut parts = Vec::new();
    for i in ["1", "2"] {
        let names = [("<scenario>", "three_states"), ("<I>", i), ("<N>", "2")];
        let part = stated_folder(&run_help, "--shard", &names);
        simulate()
            .current_dir(&work)
            .arg(&small)
            .args(["--trajectories", "600", "--quiet", "--shard"])
            .arg(format!("{i}/2"))
            .assert()
            .success();
        assert!(
            work.join(&part).is_dir(),
            "no shard folder {}",
            part.display()
        );
        parts.push(part);
    }
    let merged = stated_folder(&help_of(&["merge"]), "--out", &stem);
    simulate()
        .current_dir(&work)
        .arg("merge")
        .args(&parts)
        .arg("--quiet")
        .assert()
        .success();
    assert!(
        work.join(&merged).join("summary.json").is_file(),
        "{}",
        merged.display()
    );
}

/// Defect (issue 19, 9): `sensitivity --help` said the default takes "about 35 s on 2
/// cores" (the README measured 93 s), and that --trajectories defaults to the file's (it is
/// 200 per design point). Help states costs as trajectories, which hold on any machine, and
/// no durations.
#[test]
fn help_states_costs_in_trajectories_not_in_seconds() {
    for sub in SUBCOMMANDS {
        let help = help_of(sub);
        let words: Vec<&str> = help.split_whitespace().collect();
        for pair in words.windows(2) {
            let number = pair[0]
                .trim_start_matches(['(', '~'])
                .parse::<f64>()
                .is_ok();
            let unit = pair[1].trim_end_matches([',', ')', '.', ';']);
            assert!(
                !(number
                    && ["s", "sec", "seconds", "min", "minutes", "h", "hours"].contains(&unit)),
                "{sub:?} states a duration, \"{} {}\": {help}",
                pair[0],
                pair[1]
            );
        }
    }
    let help = help_of(&["sensitivity"]);
    let samples = listed_flags(&help)
        .into_iter()
        .find(|f| f.long == "--samples")
        .unwrap();
    assert!(samples.says.contains("trajectories"), "{}", samples.says);
    let trajectories = listed_flags(&help)
        .into_iter()
        .find(|f| f.long == "--trajectories")
        .unwrap();
    assert!(
        trajectories.says.contains("200") && !trajectories.says.contains("the file's"),
        "{}",
        trajectories.says
    );
}

/// Defect (issue 19, 12, in the commands of this file's subject): `--param`, `--shard` and
/// the paths of `compare`, `sweep` and `sensitivity` went into messages as typed, so an
/// argument could clear the screen or forge a line, and a 100 KB one made a 100 KB message.
/// Now each is escaped and cut, as a scenario's names are (`scenario::spelling`).
#[test]
fn messages_escape_and_cut_what_the_user_typed() {
    let dir = tempfile::tempdir().unwrap();
    let escape = "\u{1b}[2J\nerror: forged";
    // Under the 128 KB a single argument may hold.
    let long = "x".repeat(100_000);
    let strange = dir.path().join(format!("a{escape}.ron"));
    std::fs::copy(data("three_states.ron"), &strange).unwrap();
    let other = dir.path().join("other.ron");
    std::fs::write(
        &other,
        r#"(name: "other", steps: 2, states: [(name: "P"), (name: "Q")],
            outcomes: [(name: "x", at_end: Above(Stance("P", "Q"), 0.0))])"#,
    )
    .unwrap();
    let small = data("three_states.ron");
    let cases: Vec<Vec<std::ffi::OsString>> = vec![
        vec![
            "sweep".into(),
            small.clone().into(),
            "--param".into(),
            format!("eta{escape}=0:1:2").into(),
        ],
        vec![
            "sweep".into(),
            small.clone().into(),
            "--param".into(),
            format!("eta=0:{escape}:2").into(),
        ],
        vec![
            "sweep".into(),
            small.clone().into(),
            "--param".into(),
            format!("{long}=0:1:2").into(),
        ],
        vec![
            "sweep".into(),
            strange.clone().into(),
            "--param".into(),
            "nothing=0:1:2".into(),
        ],
        vec![
            small.clone().into(),
            "--shard".into(),
            format!("1{escape}/2").into(),
        ],
        vec![
            small.clone().into(),
            "--shard".into(),
            format!("{long}/2").into(),
        ],
        vec![
            "compare".into(),
            strange.clone().into(),
            other.clone().into(),
        ],
    ];
    for args in cases {
        let done = simulate()
            .current_dir(dir.path())
            .args(&args)
            .args(["--quiet", "--trajectories", "2"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&done.stderr);
        let shown: Vec<String> = args
            .iter()
            .map(|a| a.to_string_lossy().chars().take(80).collect())
            .collect();
        assert_eq!(done.status.code(), Some(2), "{shown:?}: {err}");
        assert!(
            !err.contains('\u{1b}'),
            "{shown:?}: an escape reached the terminal: {err}"
        );
        assert!(
            !err.lines().any(|l| l.starts_with("error: forged")),
            "{shown:?}: a forged line: {err}"
        );
        assert!(
            err.len() < 2_000,
            "{shown:?}: a message of {} bytes",
            err.len()
        );
    }
}
