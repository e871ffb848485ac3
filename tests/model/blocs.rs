//! `simulate blocs` on constructed worlds whose landscapes are worked out by hand.

use crate::common;

use common::{simulate, write};

/// A scenario with four states and the given symmetric affinities.
fn world(affinities: &[(&str, &str, f64)]) -> String {
    let mut pairs = String::new();
    for (a, b, x) in affinities {
        pairs.push_str(&format!(
            "(\"{a}\", \"{b}\", {x}), (\"{b}\", \"{a}\", {x}),\n"
        ));
    }
    format!(
        "(name: \"constructed\", steps: 1, at_rest: false,
          states: [(name: \"A\"), (name: \"B\"), (name: \"P\"), (name: \"Q\")],
          affinities: [{pairs}])"
    )
}

fn run(text: &str) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("world.ron");
    std::fs::write(&file, text).unwrap();
    let out = common::run_into(&dir.path().join("out"), &[&"blocs", &file]);
    let mut reader = csv::Reader::from_path(out.join("blocs.csv")).unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn two_camps_are_the_only_minimum() {
    // {A, P} against {B, Q}: friends +1 inside, foes -1 across. Energy counts each ordered
    // cross pair: 4 pairs x 2 directions x (-1) = -8.
    let rows = run(&world(&[
        ("A", "P", 1.0),
        ("B", "Q", 1.0),
        ("A", "B", -1.0),
        ("A", "Q", -1.0),
        ("P", "B", -1.0),
        ("P", "Q", -1.0),
    ]));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][1], "global");
    assert_eq!(rows[0][2].parse::<f64>().unwrap(), -8.0);
    assert_eq!(rows[0][3], "A; P");
    assert_eq!(rows[0][4], "B; Q");
}

#[test]
fn a_tight_pair_makes_a_second_local_minimum() {
    // A and B are foes (-1); P and Q are inseparable (+2) and mildly like both A (+0.3) and
    // B (+0.4). Best: the pair joins B, E = 2 (-1 + 0.3 + 0.3) = -0.8. The pair with A,
    // E = 2 (-1 + 0.4 + 0.4) = -0.4, is worse, but no single state can improve it: P or Q
    // alone would break the pair (+2), and B joining everyone gives 0.
    let rows = run(&world(&[
        ("A", "B", -1.0),
        ("P", "Q", 2.0),
        ("A", "P", 0.3),
        ("A", "Q", 0.3),
        ("B", "P", 0.4),
        ("B", "Q", 0.4),
    ]));
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (
            rows[0][1].as_str(),
            rows[0][3].as_str(),
            rows[0][4].as_str()
        ),
        ("global", "A", "B; P; Q")
    );
    assert!((rows[0][2].parse::<f64>().unwrap() + 0.8).abs() < 1e-12);
    assert_eq!(
        (
            rows[1][1].as_str(),
            rows[1][3].as_str(),
            rows[1][4].as_str()
        ),
        ("local", "A; P; Q", "B")
    );
    assert!((rows[1][2].parse::<f64>().unwrap() + 0.4).abs() < 1e-12);
}

#[test]
fn a_state_needs_a_name_the_file_knows() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("world.ron");
    std::fs::write(&file, world(&[("A", "Pp", 1.0)])).unwrap();
    simulate()
        .arg("blocs")
        .arg(&file)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean \"P\""));
}

/// Runs `tests/data/camps30.ron` (two camps of 15, West15 loosely held) into `out`, whole or
/// as shard `i/3`.
fn camps30(out: &std::path::Path, shard: Option<u32>) {
    let mut cmd = simulate();
    cmd.arg(common::data("camps30.ron"))
        .args(["--seed", "11", "--quiet", "--out"])
        .arg(out);
    if let Some(i) = shard {
        cmd.args(["--shard", &format!("{i}/3")]);
    }
    cmd.assert().success();
}

fn names(prefix: &str) -> Vec<serde_json::Value> {
    (1..=15).map(|i| format!("{prefix}{i:02}").into()).collect()
}

/// Defect (issue 11, item 6): bloc configurations were counted in a dense table of
/// 2^(N-1) counters kept only up to 16 states, so `summary.json` listed none for a world of
/// 30. Now they are counted sparsely for any number of states: the two camps come first,
/// and West15's defection (it is only loosely held) is a second configuration.
#[test]
fn bloc_configurations_are_reported_past_16_states() {
    let dir = tempfile::tempdir().unwrap();
    camps30(dir.path(), None);
    let summary = common::json(&dir.path().join("summary.json"));
    let blocs = summary["blocs"].as_array().unwrap();
    assert!(blocs.len() >= 2, "{blocs:?}");
    assert_eq!(blocs[0]["with_first"].as_array().unwrap(), &names("East"));
    assert_eq!(blocs[0]["other"].as_array().unwrap(), &names("West"));
    let mut east_and_west15 = names("East");
    east_and_west15.push("West15".into());
    assert_eq!(blocs[1]["with_first"].as_array().unwrap(), &east_and_west15);
    let counts: u64 = blocs.iter().map(|b| b["count"].as_u64().unwrap()).sum();
    assert!(counts <= 600 && blocs[0]["count"].as_u64() >= blocs[1]["count"].as_u64());
}

/// The sparse bloc counts travel through partial results: three shards of the 30-state
/// world merged give the bytes of one run, bloc configurations included.
#[test]
fn shards_of_a_30_state_world_merge_to_the_bytes_of_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let single = dir.path().join("single");
    camps30(&single, None);
    let parts: Vec<_> = (1..=3u32)
        .map(|i| {
            let part = dir.path().join(format!("part{i}"));
            camps30(&part, Some(i));
            part
        })
        .collect();
    let merged = dir.path().join("merged");
    common::merge_into(&merged, [&parts[1], &parts[2], &parts[0]]);
    // Issue 14, item 3: the partnership matrix and the network selection are drawn from
    // the aggregates, so a merge writes them byte for byte too.
    let files = [
        "summary.json",
        "plots/partnerships.png",
        "plots/partnerships.svg",
        "plots/network.png",
        "plots/network.svg",
    ];
    common::assert_same_files(&single, &merged, &files, "after the merge");
    let blocs = &common::json(&merged.join("summary.json"))["blocs"];
    assert!(blocs.as_array().unwrap().len() >= 2, "{blocs}");
}

/// Runs `tests/data/between.ron` into `out` with extra arguments.
fn between(out: &std::path::Path, args: &[&str]) {
    simulate()
        .arg(common::data("between.ron"))
        .args(["--quiet", "--out"])
        .arg(out)
        .args(args)
        .assert()
        .success();
}

/// The per-state standing in `summary.json`: (in the first bloc, other, between) counts.
fn standing(summary: &serde_json::Value, state: &str) -> [u64; 3] {
    let states = summary["bloc_standing"]["states"].as_array().unwrap();
    let s = states.iter().find(|s| s["state"] == state).unwrap();
    ["with_first", "other", "between"].map(|k| s[k]["count"].as_u64().unwrap())
}

/// Issue 11, item 6: a third reading beside the two-bloc split. In a hand-built world
/// Hinge keeps a friend in each camp and reads between in nearly every trajectory; the camps'
/// cores (friends on their own side only) almost never do; and the friend of Hinge on the
/// side away from it reads between too (a friendship across the line has two ends), so
/// West1's and East1's shares of "between" add up to Hinge's. Every state's three readings
/// count each trajectory once, and `Between("Hinge")` as an outcome counts the same
/// trajectories as the standing does.
#[test]
fn a_state_with_friends_in_both_camps_reads_between() {
    let dir = tempfile::tempdir().unwrap();
    between(dir.path(), &[]);
    let summary = common::json(&dir.path().join("summary.json"));
    let trajectories = summary["trajectories"].as_u64().unwrap();
    assert_eq!(summary["bloc_standing"]["between_partnership"], 0.1);
    for state in ["West1", "West2", "East1", "East2", "Hinge"] {
        let counts = standing(&summary, state);
        assert_eq!(counts.iter().sum::<u64>(), trajectories, "{state}");
    }
    let hinge = standing(&summary, "Hinge")[2];
    assert!(hinge as f64 > 0.95 * trajectories as f64, "{hinge}");
    for core in ["West2", "East2"] {
        let b = standing(&summary, core)[2];
        assert!((b as f64) < 0.1 * trajectories as f64, "{core}: {b}");
    }
    let friends = standing(&summary, "West1")[2] + standing(&summary, "East1")[2];
    assert!(friends.abs_diff(hinge) as f64 <= 0.05 * trajectories as f64);
    // The first state is never in "the other bloc".
    assert_eq!(standing(&summary, "West1")[1], 0);
    let outcome = &summary["outcomes"][0];
    assert_eq!(outcome["name"], "hinge_between");
    assert_eq!(outcome["count"].as_u64().unwrap(), hinge);
    let interval = &summary["bloc_standing"]["states"][4]["between"];
    assert!(interval["ci_low"].as_f64() <= interval["probability"].as_f64());

    // The report shows the standings as a table and rings Hinge in the network picture.
    let report = String::from_utf8(common::read(&dir.path().join("report.html"))).unwrap();
    assert!(
        report.contains("<tr data-state=\"Hinge\">"),
        "standing table"
    );
    let network = String::from_utf8(common::read(&dir.path().join("plots/network.svg"))).unwrap();
    assert!(
        network.contains("between the blocs in &gt; 50% of trajectories")
            || network.contains("between the blocs in > 50% of trajectories")
    );
}

/// Standings are the same bytes for any thread count, and shards merged give one run's
/// bytes (the counts travel in the partial results, format 4).
#[test]
fn standings_are_reproducible_across_threads_and_shards() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    between(&one, &["--threads", "1", "-n", "700"]);
    between(&two, &["--threads", "2", "-n", "700"]);
    let files = ["summary.json", "report.html", "plots/network.svg"];
    common::assert_same_files(&one, &two, &files, "between 1 and 2 threads");
    let parts: Vec<_> = (1..=3u32)
        .map(|i| {
            let part = dir.path().join(format!("part{i}"));
            between(&part, &["-n", "700", "--shard", &format!("{i}/3")]);
            part
        })
        .collect();
    let merged = dir.path().join("merged");
    common::merge_into(&merged, [&parts[2], &parts[0], &parts[1]]);
    let files = ["summary.json", "report.html"];
    common::assert_same_files(&one, &merged, &files, "after the merge");
}

/// A copy of `between.ron` with `from` replaced by `to`, written into `dir`.
fn edited(dir: &std::path::Path, from: &str, to: &str) -> std::path::PathBuf {
    let text = String::from_utf8(common::read(&common::data("between.ron"))).unwrap();
    assert!(text.contains(from));
    let file = dir.join("edited.ron");
    std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
    file
}

/// `Between` names a state the file knows (exit 2 with its line, column and a
/// suggestion), and the threshold is a partnership in [0, 1) (exit 2, located).
#[test]
fn an_unknown_state_in_between_or_a_bad_threshold_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = edited(dir.path(), "Between(\"Hinge\")", "Between(\"Hinj\")");
    simulate()
        .arg("check")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("edited.ron:48:"))
        .stderr(predicates::str::contains(
            "unknown state \"Hinj\" — did you mean \"Hinge\"?",
        ));
    let file = edited(
        dir.path(),
        "between_partnership: 0.1",
        "between_partnership: 1.5",
    );
    simulate()
        .arg("check")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("edited.ron:15:"))
        .stderr(predicates::str::contains(
            "`between_partnership` must be at least 0 and below 1",
        ));
}

/// Issue 11, item 4 (report part): an outcome that only asks whether an event fired is
/// legal, but `simulate` warns at load, naming it, and the report flags it where it is
/// shown, pointing to the Events table; other outcomes are not flagged.
#[test]
fn an_outcome_that_reads_back_an_event_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let file = edited(
        dir.path(),
        "    outcomes: [",
        "    events: [Event(name: \"summit\", hazard: 0.1)],
    outcomes: [
        Outcome(name: \"summit_held\", at_end: Not(After(\"summit\"))),",
    );
    let out = dir.path().join("out");
    let run = simulate()
        .arg(&file)
        .args(["--quiet", "-n", "50", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    // Once, and the only line but the world's own drift (camps30.ron is not at rest).
    let reads_back = stderr.lines().filter(|l| !l.contains("drifts by itself"));
    assert_eq!(reads_back.count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("warning: ")
            && stderr
                .contains("outcome \"summit_held\" only reads back whether event \"summit\" fired"),
        "{stderr}"
    );
    let report = String::from_utf8(common::read(&out.join("report.html"))).unwrap();
    assert!(report.contains("data-reads-back=\"summit\">(reads back event summit's firing: see"));
    assert_eq!(report.matches("data-reads-back=").count(), 1);
    let summary = common::json(&out.join("summary.json"));
    assert_eq!(summary["outcomes"][0]["reads_back"], "summit");
    assert!(summary["outcomes"][1].get("reads_back").is_none());
}

/// Issue 14, item 4: `simulate blocs` refused worlds above 20 states. Now it searches them
/// heuristically and says so on the terminal and in every row of `blocs.csv`: the 30-state
/// world of two camps of fifteen has its camps as the lowest configuration found, and the
/// same file gives the same bytes.
#[test]
fn worlds_above_20_states_get_a_heuristic_search_labelled_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for run in ["first", "second"] {
        let out = dir.path().join(run);
        let done = simulate()
            .arg("blocs")
            .arg(common::data("camps30.ron"))
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let said = String::from_utf8_lossy(&done.get_output().stdout).to_string();
        assert!(said.contains("heuristic, not exhaustive"), "{said}");
        assert!(said.contains("lowest found"), "{said}");
        outputs.push(common::read(&out.join("blocs.csv")));
    }
    assert!(
        outputs[0] == outputs[1],
        "the same file gives the same minima"
    );
    let mut reader = csv::Reader::from_reader(outputs[0].as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    assert_eq!(&rows[0][1], "lowest found");
    let members = |list: &str| list.split("; ").map(str::to_string).collect::<Vec<_>>();
    let names = |prefix: &str| {
        (1..=15)
            .map(|i| format!("{prefix}{i:02}"))
            .collect::<Vec<_>>()
    };
    assert_eq!(members(&rows[0][3]), names("East"));
    assert_eq!(members(&rows[0][4]), names("West"));
    for row in &rows {
        assert_eq!(&row[6], "heuristic, not exhaustive");
        assert!(row[7].parse::<u64>().unwrap() >= 1);
    }
}

/// Issue 14, item 3: the partnership matrix of the 30-state world has the same bytes for one
/// thread and for two.
#[test]
fn the_partnership_matrix_is_the_same_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let pictures: Vec<Vec<Vec<u8>>> = ["1", "2"]
        .iter()
        .map(|threads| {
            let out = dir.path().join(threads);
            simulate()
                .arg(common::data("camps30.ron"))
                .args(["-n", "200", "--seed", "4", "--quiet", "--threads", threads])
                .arg("--out")
                .arg(&out)
                .assert()
                .success();
            ["png", "svg"]
                .iter()
                .map(|ext| common::read(&out.join(format!("plots/partnerships.{ext}"))))
                .collect()
        })
        .collect();
    assert!(pictures[0] == pictures[1], "the same run, the same picture");
    let svg = String::from_utf8(pictures[0][1].clone()).unwrap();
    assert!(
        svg.contains("East01") && svg.contains("West15"),
        "30 states: all named"
    );
}

/// `simulate blocs` of a 20-state file with no affinities (the default `--from affinity`
/// of a file that writes only stances): every configuration has energy 0, so every one is
/// a local minimum, and the exact search listed all 524,288 (63 MB of CSV, 700 MB of
/// memory, as many lines on the terminal) where 21 states list the lowest 50. It lists the
/// lowest 50 too, and says how many there are.
#[test]
fn a_flat_landscape_of_20_states_listed_every_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let states: Vec<String> = (0..20).map(|i| format!("(name: \"s{i}\")")).collect();
    let text = format!(
        "(name: \"flat\", steps: 1, at_rest: false, states: [{}], \
         stances: [(\"s0\", \"s1\", 0.5)])",
        states.join(", ")
    );
    let file = write(dir.path(), "flat.ron", &text);
    let out = dir.path().join("out");
    let run = simulate()
        .arg("blocs")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    let said =
        String::from_utf8_lossy(&run.stdout).to_string() + &String::from_utf8_lossy(&run.stderr);
    assert!(
        said.contains("524288 local minima, the lowest 50 listed"),
        "{said}"
    );
    let rows = std::fs::read_to_string(out.join("blocs.csv"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(rows, 1 + 50);
}
