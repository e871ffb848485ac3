//! Variant files (README, "Variants"): a variant gives the bytes of the full file it stands
//! for; names resolve against the base, with positions in the variant; a change that does
//! nothing, a loop, a missing base and a base outside the folder tree are exit 2; provenance
//! and partial results keep every file of the chain; the shipped futures run.

use crate::common;

use std::path::{Path, PathBuf};

use common::{data, json, read, scenario, simulate};

fn variant_data(name: &str) -> PathBuf {
    data("variants").join(name)
}

/// Runs `file` into `out` with a fixed seed and trajectory count.
fn run(file: &Path, out: &Path, trajectories: &str) {
    simulate()
        .arg(file)
        .args([
            "--trajectories",
            trajectories,
            "--seed",
            "7",
            "--quiet",
            "--out",
        ])
        .arg(out)
        .assert()
        .success();
}

/// Every file of a results folder but the folder's own manifest, by relative path.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().unwrap() == ".entente-results" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    found.sort();
    found
}

/// A file's bytes without provenance: the scenario's sha256 and chain, which name the
/// files run rather than what they compile to.
fn without_provenance(path: &Path) -> Vec<u8> {
    if path.extension().is_some_and(|e| e == "json") {
        let mut value = json(path);
        if let Some(fields) = value.as_object_mut() {
            fields.remove("scenario_sha256");
            fields.remove("scenario_chain");
        }
        return serde_json::to_vec_pretty(&value).unwrap();
    }
    let text = String::from_utf8_lossy(&read(path)).into_owned();
    text.lines()
        .filter(|l| !l.contains("sha256"))
        .collect::<Vec<_>>()
        .join("\n")
        .into_bytes()
}

fn assert_same_results(a: &Path, b: &Path) {
    let (fa, fb) = (files(a), files(b));
    assert_eq!(fa, fb, "the two runs wrote different files");
    assert!(fa.len() > 5, "{fa:?}");
    for rel in fa {
        assert!(
            without_provenance(&a.join(&rel)) == without_provenance(&b.join(&rel)),
            "{} differs between {} and {}",
            rel.display(),
            a.display(),
            b.display()
        );
    }
}

#[test]
fn putin_visit_as_a_variant_gives_the_bytes_of_the_full_file_it_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let (v, f) = (dir.path().join("variant"), dir.path().join("full"));
    run(&scenario("putin_visit.ron"), &v, "600");
    run(&data("putin_visit_full.ron"), &f, "600");
    assert_same_results(&v, &f);
    // Only provenance differs: the CSVs are byte for byte the same.
    assert_eq!(
        read(&v.join("timeseries.csv")),
        read(&f.join("timeseries.csv"))
    );
}

#[test]
fn every_kind_of_change_gives_the_bytes_of_the_full_file_written_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let (v, f) = (dir.path().join("variant"), dir.path().join("full"));
    run(&variant_data("many.ron"), &v, "300");
    run(&variant_data("many_full.ron"), &f, "300");
    assert_same_results(&v, &f);
}

#[test]
fn summary_json_records_every_file_of_the_chain_base_last() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("more");
    run(&variant_data("more.ron"), &out, "50");
    let summary = json(&out.join("summary.json"));
    let chain = summary["scenario_chain"].as_array().unwrap();
    let names: Vec<&str> = chain
        .iter()
        .map(|l| l["path"].as_str().unwrap().rsplit('/').next().unwrap())
        .collect();
    assert_eq!(names, ["more.ron", "many.ron", "base.ron"]);
    for (link, name) in chain.iter().zip(["more.ron", "many.ron", "base.ron"]) {
        let bytes = read(&variant_data(name));
        let hex: String = sha256(&bytes);
        assert_eq!(link["sha256"], hex.as_str());
    }
    assert_eq!(summary["scenario_sha256"], chain[0]["sha256"]);
    assert_eq!(summary["scenario"], "more");
    // `check` lists each variant's changes under its file, in the order they apply.
    let out = simulate()
        .arg("check")
        .arg(variant_data("more.ron"))
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let many = text.find("many.ron:\n").expect(&text);
    let more = text.find("more.ron:\n").expect(&text);
    assert!(many < more, "{text}");
    assert!(
        text[more..].contains("    stance of A toward B: 0.5 -> 0.6"),
        "{text}"
    );
    assert!(text[many..more].contains("    seed: 7 -> 11"), "{text}");
    // A full scenario's summary has no chain: its one file is scenario_sha256.
    let full = dir.path().join("full");
    run(&variant_data("base.ron"), &full, "50");
    assert!(json(&full.join("summary.json"))
        .get("scenario_chain")
        .is_none());
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn check_lists_what_a_variant_changes_in_words() {
    let out = simulate()
        .args(["check"])
        .arg(scenario("putin_visit.ron"))
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("a variant of"), "{text}");
    assert!(text.contains("baseline.ron"), "{text}");
    assert!(
        text.contains(
            "event putin_visit: with a hazard of Guess(0.005, 0.015, 0.03) per step -> at step \
             Guess(1.5, 2, 4.5)"
        ),
        "{text}"
    );
    assert_eq!(text.lines().count(), 3, "{text}");
}

/// Writes `files` (name, text) into a fresh folder and runs `simulate check` on the first.
fn check_files(files: &[(&str, &str)]) -> (tempfile::TempDir, assert_cmd::assert::Assert) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let assert = simulate()
        .arg("check")
        .arg(dir.path().join(files[0].0))
        .assert();
    (dir, assert)
}

fn base_text() -> String {
    String::from_utf8(read(&variant_data("base.ron"))).unwrap()
}

fn stderr_of(assert: assert_cmd::assert::Assert) -> String {
    let assert = assert.code(2);
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

#[test]
fn a_misspelt_name_is_located_in_the_variant_with_a_suggestion() {
    let variant = "Variant(\n    base: \"base.ron\",\n    name: \"v\",\n    changes: [\n        SetStance(\"A\", \"Bb\", 0.5),\n    ],\n)\n";
    let (_dir, assert) = check_files(&[("v.ron", variant), ("base.ron", &base_text())]);
    let err = stderr_of(assert);
    assert!(err.contains("v.ron:5:24: unknown state \"Bb\""), "{err}");
    assert!(err.contains("did you mean \"B\"?"), "{err}");

    let variant = variant.replace("SetStance(\"A\", \"Bb\", 0.5)", "RemoveEvent(\"sumit\")");
    let (_dir, assert) = check_files(&[("v.ron", &variant), ("base.ron", &base_text())]);
    let err = stderr_of(assert);
    assert!(err.contains("v.ron:5:21: unknown event \"sumit\""), "{err}");
    assert!(err.contains("did you mean \"summit\"?"), "{err}");

    let variant = variant.replace("RemoveEvent(\"sumit\")", "SetParam(\"lamda\", 0.5)");
    let (_dir, assert) = check_files(&[("v.ron", &variant), ("base.ron", &base_text())]);
    let err = stderr_of(assert);
    assert!(
        err.contains("v.ron:5:18:") && err.contains("lambda"),
        "{err}"
    );
}

#[test]
fn a_problem_an_added_event_brings_is_located_in_the_variant() {
    let variant = "Variant(\n    base: \"base.ron\",\n    name: \"v\",\n    changes: [\n        AddEvent(Event(name: \"x\", at: 1, effects: [Stance(\"A\", \"Cc\", Add(0.1))])),\n    ],\n)\n";
    let (_dir, assert) = check_files(&[("v.ron", variant), ("base.ron", &base_text())]);
    let err = stderr_of(assert);
    assert!(err.contains("v.ron:5:"), "{err}");
    assert!(
        err.contains("unknown state \"Cc\" — did you mean \"C\"?"),
        "{err}"
    );
}

#[test]
fn a_problem_of_the_base_is_located_in_the_base() {
    let variant = "Variant(base: \"base.ron\", name: \"v\", changes: [SetSeed(3)])";
    let broken = base_text().replace("(\"C\", \"B\", 0.9)", "(\"C\", \"Bx\", 0.9)");
    let (_dir, assert) = check_files(&[("v.ron", variant), ("base.ron", &broken)]);
    let err = stderr_of(assert);
    let line = broken.lines().position(|l| l.contains("\"Bx\"")).unwrap() + 1;
    assert!(
        err.contains(&format!("base.ron:{line}:")) && err.contains("unknown state \"Bx\""),
        "{err}"
    );
}

#[test]
fn a_change_that_does_nothing_is_refused_by_name() {
    for (change, words) in [
        ("SetStance(\"A\", \"B\", 0.3)", "SetStance"),
        ("SetStance(\"B\", \"C\", 0.0)", "unlisted"),
        ("SetTie(\"A\", \"B\", \"aid\", 0.25)", "SetTie"),
        ("SetWeight(\"B\", 2.5)", "SetWeight"),
        ("SetParam(\"kappa.aid\", 0.5)", "kappa.aid is 0.5"),
        ("SetParam(\"rho.aid\", 0.05)", "rho.aid is 0.05"),
        ("SetParam(\"eta.B\", 0.3)", "eta.B is 0.3"),
        ("SetTiming(\"summit\", At(2))", "fires at step 2"),
        ("ReplaceEvent(Event(name: \"marker\", at: 12))", "marker"),
        ("SetSteps(12)", "`steps` is 12"),
        ("AddMetric(Stance(\"C\", \"A\"))", "is tracked"),
    ] {
        let variant = format!(
            "Variant(\n    base: \"base.ron\",\n    name: \"v\",\n    changes: [\n        {change},\n    ],\n)\n"
        );
        let (_dir, assert) = check_files(&[("v.ron", &variant), ("base.ron", &base_text())]);
        let err = stderr_of(assert);
        assert!(err.contains("v.ron:5:9:"), "{change}: {err}");
        assert!(
            err.contains("does nothing") && err.contains(words),
            "{change}: {err}"
        );
    }
    // No change at all, or the base's own name, is the base again.
    let (_dir, assert) = check_files(&[
        (
            "v.ron",
            "Variant(base: \"base.ron\", name: \"small\", changes: [])",
        ),
        ("base.ron", &base_text()),
    ]);
    let err = stderr_of(assert);
    assert!(
        err.contains("lists no changes") && err.contains("name of its own"),
        "{err}"
    );
}

#[test]
fn adding_what_exists_or_removing_what_does_not_is_refused() {
    for (change, words) in [
        (
            "AddEvent(Event(name: \"summit\", at: 1))",
            "use ReplaceEvent",
        ),
        (
            "AddOutcome(Outcome(name: \"close\", ever: After(\"summit\")))",
            "use ReplaceOutcome",
        ),
        ("RemoveOutcome(\"clos\")", "did you mean \"close\"?"),
        (
            "RemoveMetric(Stance(\"A\", \"C\"))",
            "did you mean Stance(\"C\", \"A\")?",
        ),
        ("SetParam(\"beta\", 1.0)", "set one channel at a time"),
    ] {
        let variant = format!("Variant(base: \"base.ron\", name: \"v\", changes: [{change}])");
        let (_dir, assert) = check_files(&[("v.ron", &variant), ("base.ron", &base_text())]);
        let err = stderr_of(assert);
        assert!(err.contains(words), "{change}: {err}");
    }
}

#[test]
fn loops_missing_bases_and_bases_outside_the_folder_are_refused() {
    let to = |base: &str| {
        format!("Variant(\n  base: \"{base}\",\n  name: \"v\",\n  changes: [SetSeed(3)],\n)")
    };
    // A loop of two.
    let (_dir, assert) = check_files(&[("a.ron", &to("b.ron")), ("b.ron", &to("a.ron"))]);
    let err = stderr_of(assert);
    assert!(err.contains("b.ron:2:9:") && err.contains("loop"), "{err}");
    // A variant of itself.
    let (_dir, assert) = check_files(&[("a.ron", &to("./a.ron"))]);
    assert!(stderr_of(assert).contains("loop"));
    // A missing base.
    let (_dir, assert) = check_files(&[("a.ron", &to("nowhere.ron"))]);
    let err = stderr_of(assert);
    assert!(
        err.contains("a.ron:2:9:") && err.contains("cannot read the base file \"nowhere.ron\""),
        "{err}"
    );
    // `..` out of the folder, even to a file that exists.
    let (_dir, assert) = check_files(&[
        ("sub/a.ron", &to("../base.ron")),
        ("base.ron", &base_text()),
    ]);
    let err = stderr_of(assert);
    assert!(err.contains("outside"), "{err}");
    // `..` that stays inside is fine.
    let (_dir, assert) = check_files(&[
        ("a.ron", &to("sub/../base.ron")),
        ("base.ron", &base_text()),
        ("sub/x", ""),
    ]);
    assert.success();
    // An absolute path elsewhere.
    let elsewhere = variant_data("base.ron");
    let (_dir, assert) = check_files(&[("a.ron", &to(elsewhere.to_str().unwrap()))]);
    assert!(stderr_of(assert).contains("outside"));
}

#[cfg(unix)]
#[test]
fn a_symlink_that_leaves_the_folder_is_refused() {
    let (dir, _) = check_files(&[(
        "a.ron",
        "Variant(base: \"link.ron\", name: \"v\", changes: [SetSeed(3)])",
    )]);
    std::os::unix::fs::symlink(variant_data("base.ron"), dir.path().join("link.ron")).unwrap();
    let err = stderr_of(
        simulate()
            .arg("check")
            .arg(dir.path().join("a.ron"))
            .assert(),
    );
    assert!(err.contains("outside") && err.contains("link.ron"), "{err}");
}

#[test]
fn a_chain_longer_than_sixteen_files_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("v0.ron"), base_text()).unwrap();
    for i in 1..=16 {
        let text = format!(
            "Variant(base: \"v{}.ron\", name: \"v{i}\", changes: [SetSeed({})])",
            i - 1,
            100 + i
        );
        std::fs::write(dir.path().join(format!("v{i}.ron")), text).unwrap();
    }
    // Fifteen variants and the base: sixteen files, the most a chain may have.
    simulate()
        .arg("check")
        .arg(dir.path().join("v15.ron"))
        .assert()
        .success();
    let err = stderr_of(
        simulate()
            .arg("check")
            .arg(dir.path().join("v16.ron"))
            .assert(),
    );
    assert!(err.contains("longer than 16 files"), "{err}");
}

#[test]
fn every_file_of_a_chain_is_held_to_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.ron"),
        "Variant(base: \"big.ron\", name: \"v\", changes: [SetSeed(3)])",
    )
    .unwrap();
    let big = std::fs::File::create(dir.path().join("big.ron")).unwrap();
    big.set_len(17 << 20).unwrap();
    let err = stderr_of(
        simulate()
            .arg("check")
            .arg(dir.path().join("a.ron"))
            .assert(),
    );
    assert!(err.contains("larger than 16 MB"), "{err}");
}

/// A merge resolves the variant from the files its shards kept, not from the disk: the
/// base edited between the shards and the merge changes nothing.
#[test]
fn shards_of_a_variant_merge_into_the_bytes_of_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("scenarios");
    std::fs::create_dir(&src).unwrap();
    for name in ["base.ron", "many.ron", "more.ron"] {
        std::fs::copy(variant_data(name), src.join(name)).unwrap();
    }
    let file = src.join("more.ron");
    let one = dir.path().join("one");
    run(&file, &one, "600");
    let mut parts = Vec::new();
    for i in 1..=2 {
        let out = dir.path().join(format!("part{i}"));
        simulate()
            .arg(&file)
            .args(["--trajectories", "600", "--seed", "7", "--quiet"])
            .args(["--shard", &format!("{i}/2"), "--out"])
            .arg(&out)
            .assert()
            .success();
        parts.push(out);
    }
    assert!(parts[0].join("base-2.ron").is_file());
    std::fs::write(src.join("base.ron"), "not a scenario any more").unwrap();
    let merged = dir.path().join("merged");
    simulate()
        .arg("merge")
        .args(&parts)
        .arg("--out")
        .arg(&merged)
        .arg("--quiet")
        .assert()
        .success();
    for rel in files(&one) {
        assert_eq!(
            read(&one.join(&rel)),
            read(&merged.join(&rel)),
            "{}",
            rel.display()
        );
    }
}

#[test]
fn the_shipped_futures_check_and_run() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "putin_visit.ron",
        "visit_without_deals.ron",
        "official_aid.ron",
        "us_aid_ends.ron",
        "india_presses_russia.ron",
    ] {
        let out = simulate()
            .arg("check")
            .arg(scenario(name))
            .assert()
            .success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(
            text.contains("a variant of") && text.contains("baseline.ron"),
            "{text}"
        );
        let results = dir.path().join(name);
        run(&scenario(name), &results, "100");
        let summary = json(&results.join("summary.json"));
        assert_eq!(summary["scenario"], name.trim_end_matches(".ron"));
    }
}

/// Writes a variant of base.ron with `changes`, one a line from line 5, and checks it.
fn check_changes(changes: &[&str]) -> assert_cmd::assert::Assert {
    let variant = format!(
        "Variant(\n    base: \"base.ron\",\n    name: \"v\",\n    changes: [\n{}    ],\n)\n",
        changes
            .iter()
            .map(|c| format!("        {c},\n"))
            .collect::<String>()
    );
    let (_dir, assert) = check_files(&[("v.ron", &variant), ("base.ron", &base_text())]);
    assert
}

/// The turn a check may take before it counts as hung: no duration is asserted, the
/// timeout only turns a hang (or minutes of superlinear work) into a failure.
const HANG: std::time::Duration = std::time::Duration::from_secs(60);

/// Writes `text` as v.ron beside base.ron and checks it, failing on a hang.
fn check_generated(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("v.ron"), text).unwrap();
    std::fs::write(dir.path().join("base.ron"), base_text()).unwrap();
    stderr_of(
        simulate()
            .arg("check")
            .arg(dir.path().join("v.ron"))
            .timeout(HANG)
            .assert(),
    )
}

/// Defect (issue 19, 5): a variant of 50,000 `AddOutcome` changes took over a minute to
/// check (20,000: 6.6 s), every change scanning every outcome, and was then refused at its
/// last change; a plain file of as many outcomes is refused in 0.2 s. The limit is applied
/// as changes apply: refused at the change that passes it, and the rest are not applied.
#[test]
fn a_variant_of_fifty_thousand_added_outcomes_is_refused_at_the_change_past_the_limit() {
    let changes: String = (0..50_000)
        .map(|i| format!("AddOutcome(Outcome(name: \"o{i}\", ever: After(\"summit\"))),\n"))
        .collect();
    let err = check_generated(&format!(
        "Variant(base: \"base.ron\", name: \"v\", changes: [\n{changes}])\n"
    ));
    // The base has 2 outcomes: the 999th AddOutcome, on line 1 + 999, makes 1,001.
    assert!(
        err.contains("v.ron:1000:1: AddOutcome: at most 1000 outcomes are allowed, got 1001"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// Defect: refusals past the fiftieth, which are only counted, were each located: a
/// position counts the characters before it on its line, so 100,000 refused changes on one
/// line took 3.6 s (quadratic: a million, the 16 MB a file may hold, would take minutes).
#[test]
fn a_million_refused_changes_on_one_line_are_counted_without_being_located() {
    let changes = vec!["SetSeed(7)"; 1_000_000].join(", ");
    let err = check_generated(&format!(
        "Variant(base: \"base.ron\", name: \"v\", changes: [{changes}])\n"
    ));
    assert!(err.contains("v.ron:1:48: SetSeed:"), "{err}");
    assert!(
        err.contains("... and 999950 more problems; fix the ones above first"),
        "{err}"
    );
}

/// Defect (issue 19, 10): a change that repeats an earlier change of the variant was
/// refused as "already in the base", naming the earlier change's value as the base's (two
/// `SetParam("eta.B", 0.5)`: "eta.B is 0.5 already in the base", the base's being 0.3), and
/// one with another value was accepted although the earlier change then does nothing. Each
/// is refused at the repeat, naming the change it repeats.
#[test]
fn a_repeated_change_names_the_change_it_repeats_not_the_base() {
    for (first, second) in [
        (
            "SetStance(\"A\", \"B\", 0.6)",
            "SetStance(\"A\", \"B\", 0.6)",
        ),
        (
            "SetStance(\"A\", \"B\", 0.6)",
            "SetStance(\"A\", \"B\", 0.7)",
        ),
        (
            "SetStance(\"B\", \"C\", 0.6)",
            "SetStance(\"B\", \"C\", 0.6)",
        ),
        (
            "SetAffinity(\"A\", \"B\", 0.6)",
            "SetAffinity(\"A\", \"B\", 0.6)",
        ),
        (
            "SetTie(\"A\", \"B\", \"aid\", 0.3)",
            "SetTie(\"A\", \"B\", \"aid\", 0.3)",
        ),
        ("SetWeight(\"B\", 3.0)", "SetWeight(\"B\", 3.0)"),
        ("SetParam(\"eta.B\", 0.5)", "SetParam(\"eta.B\", 0.5)"),
        ("SetParam(\"eta\", 0.5)", "SetParam(\"eta\", 0.6)"),
        (
            "SetParam(\"kappa.arms\", 0.5)",
            "SetParam(\"kappa.arms\", 0.5)",
        ),
        (
            "SetParam(\"event.deal.hazard\", 0.5)",
            "SetParam(\"event.deal.hazard\", 0.5)",
        ),
        (
            "SetParam(\"event.deal.hazard\", 0.5)",
            "SetTiming(\"deal\", Hazard(0.5))",
        ),
        (
            "SetTiming(\"deal\", At(3))",
            "SetParam(\"event.deal.hazard\", 0.5)",
        ),
        (
            "SetTiming(\"summit\", At(3))",
            "SetTiming(\"summit\", At(3))",
        ),
        (
            "AddEvent(Event(name: \"x\", at: 1))",
            "AddEvent(Event(name: \"x\", at: 2))",
        ),
        (
            "ReplaceEvent(Event(name: \"marker\", at: 3))",
            "ReplaceEvent(Event(name: \"marker\", at: 3))",
        ),
        ("RemoveEvent(\"marker\")", "RemoveEvent(\"marker\")"),
        (
            "AddOutcome(Outcome(name: \"x\", ever: After(\"summit\")))",
            "AddOutcome(Outcome(name: \"x\", ever: After(\"summit\")))",
        ),
        (
            "AddOutcome(Outcome(name: \"x\", ever: After(\"summit\")))",
            "ReplaceOutcome(Outcome(name: \"x\", ever: After(\"deal\")))",
        ),
        (
            "ReplaceOutcome(Outcome(name: \"close\", ever: After(\"summit\")))",
            "ReplaceOutcome(Outcome(name: \"close\", ever: After(\"summit\")))",
        ),
        ("RemoveOutcome(\"close\")", "RemoveOutcome(\"close\")"),
        (
            "AddMetric(Stance(\"A\", \"B\"))",
            "AddMetric(Stance(\"A\", \"B\"))",
        ),
        (
            "RemoveMetric(Stance(\"C\", \"A\"))",
            "RemoveMetric(Stance(\"C\", \"A\"))",
        ),
        ("SetSteps(20)", "SetSteps(20)"),
        ("SetTrajectories(20)", "SetTrajectories(30)"),
        ("SetSeed(20)", "SetSeed(20)"),
    ] {
        let err = stderr_of(check_changes(&[first, second]));
        assert!(
            err.contains("v.ron:6:9:") && err.contains("repeats change #1 (line 5, column 9)"),
            "{first}; {second}: {err}"
        );
        assert!(!err.contains("the base"), "{first}; {second}: {err}");
        assert_eq!(err.lines().count(), 1, "{first}; {second}: {err}");
    }
}

/// A change that undoes an earlier one (removes what it added, replaces or removes what
/// it changed) leaves that one doing nothing: refused at the later change, naming the
/// earlier; and a name an earlier change removed is named as removed by it, not as
/// unknown in the base.
#[test]
fn a_change_that_undoes_an_earlier_one_names_it() {
    for (first, second, words) in [
        (
            "AddEvent(Event(name: \"x\", at: 1))",
            "RemoveEvent(\"x\")",
            "undoes change #1 (line 5, column 9)",
        ),
        (
            "SetTiming(\"summit\", At(3))",
            "ReplaceEvent(Event(name: \"summit\", at: 4))",
            "undoes change #1 (line 5, column 9)",
        ),
        (
            "SetParam(\"event.deal.hazard\", 0.5)",
            "RemoveEvent(\"deal\")",
            "undoes change #1 (line 5, column 9)",
        ),
        (
            "ReplaceOutcome(Outcome(name: \"close\", ever: After(\"summit\")))",
            "RemoveOutcome(\"close\")",
            "undoes change #1 (line 5, column 9)",
        ),
        (
            "AddMetric(Stance(\"A\", \"B\"))",
            "RemoveMetric(Stance(\"A\", \"B\"))",
            "undoes change #1 (line 5, column 9)",
        ),
        (
            "RemoveEvent(\"marker\")",
            "SetTiming(\"marker\", At(3))",
            "change #1 (line 5, column 9) removes it",
        ),
        (
            "RemoveEvent(\"marker\")",
            "ReplaceEvent(Event(name: \"marker\", at: 3))",
            "change #1 (line 5, column 9) removes it",
        ),
        (
            "RemoveEvent(\"deal\")",
            "SetParam(\"event.deal.hazard\", 0.5)",
            "change #1 (line 5, column 9) removes it",
        ),
        (
            "RemoveOutcome(\"close\")",
            "ReplaceOutcome(Outcome(name: \"close\", ever: After(\"summit\")))",
            "change #1 (line 5, column 9) removes it",
        ),
    ] {
        let err = stderr_of(check_changes(&[first, second]));
        assert!(
            err.contains("v.ron:6:") && err.contains(words),
            "{first}; {second}: {err}"
        );
        assert!(!err.contains("the base"), "{first}; {second}: {err}");
    }
    // Removed and added back is a change, as before.
    check_changes(&[
        "RemoveEvent(\"marker\")",
        "AddEvent(Event(name: \"marker\", at: 3))",
    ])
    .success();
}

/// Defect (hostile pass 34): `SetTiming("deal", Every(4))` took event "deal"'s hazard
/// away, and event "pressure", which sets `event.deal.hazard`, was refused with `unknown
/// parameter path "event.deal.hazard"` alone, as if misspelt (with an event added that has
/// a hazard, "did you mean" pointed at that one), placed at the added event rather than
/// at the SetTiming that brought it. The message names the change that took the hazard
/// away and what to do, at that change.
#[test]
fn a_hazard_set_timing_took_away_is_named_not_an_unknown_path_alone() {
    let err = stderr_of(check_changes(&["SetTiming(\"deal\", Every(4))"]));
    assert!(
        err.contains(
            "v.ron:5:9: event \"pressure\": unknown parameter path \"event.deal.hazard\": \
             change #1 (line 5, column 9), SetTiming(\"deal\", Every(4)), gives event \"deal\" \
             a schedule in place of its hazard"
        ),
        "{err}"
    );
    assert!(
        err.contains("give it a hazard again (SetTiming(\"deal\", Hazard(p)))"),
        "{err}"
    );
    // An added event with a hazard is no suggestion, and the problem stays at the
    // SetTiming that brought it.
    let err = stderr_of(check_changes(&[
        "SetTiming(\"deal\", At(3))",
        "AddEvent(Event(name: \"x\", hazard: 0.1, effects: [Param(\"event.deal.hazard\", Add(0.1))]))",
    ]));
    assert!(!err.contains("did you mean"), "{err}");
    assert!(
        err.contains(
            "v.ron:5:9: event \"pressure\": unknown parameter path \"event.deal.hazard\": \
                      change #1 (line 5, column 9), SetTiming(\"deal\", At(3))"
        ),
        "{err}"
    );
    assert!(
        err.contains("event \"x\": unknown parameter path \"event.deal.hazard\": change #1"),
        "{err}"
    );
    // A path to an event that never had a hazard is not explained as taken away.
    let err = stderr_of(check_changes(&[
        "SetTiming(\"marker\", Every(4))",
        "AddEvent(Event(name: \"x\", at: 1, effects: [Param(\"event.marker.hazard\", Add(0.1))]))",
    ]));
    assert!(
        err.contains("unknown parameter path \"event.marker.hazard\"")
            && !err.contains("change #1"),
        "{err}"
    );
}

/// Defect (issue 19, 11): a clash that `SetTiming("deal", At(3))` brings (event "pressure"
/// still sets `event.deal.hazard`) was reported at an earlier `SetParam` of that path: the
/// compiled file's problems were located by searching the variant's text for the path,
/// which found it in the wrong change. Each problem is reported at the change that brings
/// it.
#[test]
fn a_clash_set_timing_brings_is_reported_at_the_set_timing_not_an_earlier_change() {
    // The defect's own case: the SetParam alone is fine.
    let err = stderr_of(check_changes(&[
        "SetParam(\"event.deal.hazard\", 0.5)",
        "SetTiming(\"deal\", At(3))",
    ]));
    assert!(
        err.starts_with("error: ") && err.contains("v.ron:6:9:"),
        "{err}"
    );
    assert!(!err.contains("v.ron:5:"), "{err}");
    // An added event that sets the path gets the same problem from the same SetTiming.
    let err = stderr_of(check_changes(&[
        "AddEvent(Event(name: \"x\", hazard: 0.1, effects: [Param(\"event.deal.hazard\", Add(0.1))]))",
        "SetTiming(\"deal\", At(3))",
    ]));
    assert!(
        err.contains("v.ron:6:9: event \"pressure\": unknown parameter path \"event.deal.hazard\""),
        "{err}"
    );
    assert!(
        err.contains("v.ron:6:9: event \"x\": unknown parameter path \"event.deal.hazard\""),
        "{err}"
    );
    // A name an earlier change mentions is not where a later change's problem is.
    let err = stderr_of(check_changes(&[
        "AddOutcome(Outcome(name: \"o\", ever: After(\"summit\")))",
        "SetSteps(1)",
    ]));
    assert!(
        err.contains("v.ron:6:9: event \"summit\": `at` must be a step from 1 to 1, got 2"),
        "{err}"
    );
    // An event removed and added back: its problem is the AddEvent's, not the RemoveEvent's.
    let err = stderr_of(check_changes(&[
        "RemoveEvent(\"marker\")",
        "AddEvent(Event(name: \"marker\", at: 30))",
    ]));
    assert!(
        err.contains("v.ron:6:") && err.contains("`at` must be a step from 1 to 12, got 30"),
        "{err}"
    );
    // A problem compiling finds in the change that brings it keeps its exact place.
    let err = stderr_of(check_changes(&[
        "SetSeed(3)",
        "AddEvent(Event(name: \"x\", at: 1, effects: [Stance(\"A\", \"Cc\", Add(0.1))]))",
    ]));
    assert!(
        err.contains("v.ron:6:64: unknown state \"Cc\" — did you mean \"C\"?"),
        "{err}"
    );
}

/// What placing at the change that brings a problem must keep: a problem of the variant's
/// own name stays at its field, even written after the changes, and every problem of a
/// careless edit of a small world keeps its own change (40 bad events among good changes).
#[test]
fn problems_no_change_brings_and_many_problems_keep_their_places() {
    let variant = "Variant(\n    base: \"base.ron\",\n    changes: [SetSeed(3)],\n    name: \"bad\\u{7}name\",\n)\n";
    let (_dir, assert) = check_files(&[("v.ron", variant), ("base.ron", &base_text())]);
    let err = stderr_of(assert);
    assert!(err.contains("v.ron:4:5: the scenario name"), "{err}");
    let changes: Vec<String> = (0..40)
        .map(|i| {
            format!(
                "AddOutcome(Outcome(name: \"o{i}\", at_end: Above(Stance(\"A\", \"B\"), 0.1))), \
                 AddEvent(Event(name: \"x{i}\", at: 50))"
            )
        })
        .collect();
    let lines: Vec<&str> = changes.iter().map(String::as_str).collect();
    let err = stderr_of(check_changes(&lines));
    for (i, line) in err.lines().enumerate() {
        let at = format!("v.ron:{}:", i + 5);
        assert!(
            line.contains(&at) && line.contains("got 50"),
            "{line}\n{err}"
        );
    }
    assert_eq!(err.lines().count(), 40, "{err}");
}

/// A variant's `Set*` changes and `SetTiming` take ranges like the file they change: a
/// future can say "the share is between …" and "the visit comes between Q4 2018 and Q2
/// 2019", and the drawn numbers are keyed by the same paths as the base's.
#[test]
fn a_variants_set_changes_take_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let (_, variant) = common::variant_of_baseline(
        dir.path(),
        "ranged",
        "    SetTie(\"Pakistan\", \"USA\", \"aid\", Guess(0.002, 0.013, 0.027)),\n    \
         SetStance(\"Pakistan\", \"Russia\", Uniform(0.2, 0.4)),\n    \
         SetWeight(\"India\", Guess(1.0, 1.5, 2.5)),\n    \
         SetTiming(\"putin_visit\", At(Uniform(1.5, 4.5))),",
    );
    let out = dir.path().join("run");
    run(&variant, &out, "200");
    let doc = json(&out.join("summary.json"));
    let ranges = doc["ranges"].as_array().unwrap();
    let distribution = |path: &str| {
        ranges
            .iter()
            .find(|r| r["path"] == path)
            .map(|r| r["distribution"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{path} not in {ranges:?}"))
    };
    assert!(distribution("share.aid.Pakistan.USA").starts_with("Guess"));
    assert!(distribution("stance.Pakistan.Russia").starts_with("Uniform"));
    assert!(distribution("weight.India").starts_with("Guess"));
    assert!(distribution("event.putin_visit.at").starts_with("Uniform"));
}

// Defect (polish trials): a variant's `check` said `at step "2020"` for a timing written as
// a date, a step the analyst never wrote. Now the date as written, with the step it names.
#[test]
fn a_timing_set_to_a_date_is_shown_as_the_date_not_as_a_step() {
    let base = base_text().replace("step: \"year\",", "step: \"year\", start: \"2018\",");
    let variant =
        "Variant(base: \"base.ron\", name: \"v\", changes: [SetTiming(\"summit\", At(\"2020\"))])";
    let (_dir, assert) = check_files(&[("v.ron", variant), ("base.ron", &base)]);
    let out = assert.success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains("event summit: at step 2 -> at \"2020\" (step 3)"),
        "{text}"
    );
    assert!(!text.contains("at step \""), "{text}");
}

// Defect (polish trials): `SetParam("stance.A.B", …)` and `SetParam("event.drills.effect.1",
// …)` said "unknown parameter path", though sweeps take both paths. Now the change that
// sets each, written with the names and value given, at the path.
#[test]
fn setparam_of_a_stance_or_an_effect_names_the_change_that_sets_it() {
    for (path, change) in [
        ("stance.A.B", "write SetStance(\"A\", \"B\", 0.5)"),
        ("share.aid.A.B", "write SetTie(\"A\", \"B\", \"aid\", 0.5)"),
        (
            "event.drills.effect.1",
            "restate the event whole with a ReplaceEvent, 0.5 in place",
        ),
    ] {
        let variant = format!(
            "Variant(\n    base: \"base.ron\",\n    name: \"v\",\n    changes: [\n        SetParam(\"{path}\", 0.5),\n    ],\n)\n"
        );
        let (_dir, assert) = check_files(&[("v.ron", &variant), ("base.ron", &base_text())]);
        let err = stderr_of(assert);
        assert!(err.contains("v.ron:5:18:"), "{path}: {err}");
        assert!(err.contains(change), "{path}: {err}");
        assert!(!err.contains("unknown parameter path"), "{path}: {err}");
    }
}
