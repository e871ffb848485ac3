//! Shards and merge (README, "Shards"): three shards run as separate processes and merged give the
//! same bytes as one run; an incomplete or mixed set of shards is refused with exit code 2.

use crate::common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use assert_cmd::assert::Assert;
use assert_cmd::Command;
use common::{read, scenario, simulate};

const FILES: [&str; 4] = [
    "summary.json",
    "timeseries.csv",
    "outcomes.csv",
    "exceedance.csv",
];
/// 1500 trajectories: 6 chunks of 256, the last one partial; two chunks per shard.
const TRAJECTORIES: &str = "1500";

/// Shard `i` of 3 of putin_visit.ron with `seed`, in `dir/part{i}`.
fn shard(dir: &Path, i: u32, seed: &str) -> PathBuf {
    let visit = scenario("putin_visit.ron");
    let args: [&dyn AsRef<OsStr>; 9] = [
        &visit,
        &"--trajectories",
        &TRAJECTORIES,
        &"--seed",
        &seed,
        &"--threads",
        &"1",
        &"--shard",
        &format!("{i}/3"),
    ];
    common::run_into(&dir.join(format!("part{i}")), &args)
}

/// `simulate merge --quiet --out OUT`, to be given what to merge.
fn merging(out: &Path) -> Command {
    let mut cmd = simulate();
    cmd.args(["merge", "--quiet", "--out"]).arg(out);
    cmd
}

fn merge(parts: &[&Path], out: &Path) -> Assert {
    merging(out).args(parts).assert()
}

/// The bytes of a single run of 1500 trajectories with seed 5, in `dir/single`.
fn single_run(dir: &Path) -> PathBuf {
    let visit = scenario("putin_visit.ron");
    let args: [&dyn AsRef<OsStr>; 5] = [&visit, &"--trajectories", &TRAJECTORIES, &"--seed", &"5"];
    common::run_into(&dir.join("single"), &args)
}

/// A single run in `dir/single` and its three shards in the folder `dir/parts`: the run,
/// the folder and the shards.
fn single_run_and_its_shards(dir: &Path) -> (PathBuf, PathBuf, Vec<PathBuf>) {
    let single = single_run(dir);
    let home = dir.join("parts");
    std::fs::create_dir(&home).unwrap();
    let parts = (1..=3).map(|i| shard(&home, i, "5")).collect();
    (single, home, parts)
}

/// Whether `merged` holds the bytes of `single` in every file compared.
fn same_bytes(single: &Path, merged: &Path) {
    common::assert_same_files(single, merged, &FILES, "after the merge");
}

fn stderr_of(assert: &Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

#[test]
fn three_merged_shards_give_the_bytes_of_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let (single, _, parts) = single_run_and_its_shards(dir.path());
    let merged = dir.path().join("merged");
    // In another order than the shard numbers: the order does not matter.
    merge(&[&parts[2], &parts[0], &parts[1]], &merged).success();
    same_bytes(&single, &merged);
}

#[test]
fn a_missing_duplicated_or_foreign_shard_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let parts: Vec<PathBuf> = (1..=3).map(|i| shard(dir.path(), i, "5")).collect();
    let out = dir.path().join("merged");

    let stderr = stderr_of(&merge(&[&parts[0], &parts[1]], &out).code(2));
    assert!(
        stderr.contains("3/3") && stderr.contains("missing"),
        "{stderr}"
    );

    let stderr = stderr_of(&merge(&[&parts[0], &parts[1], &parts[1]], &out).code(2));
    assert!(
        stderr.contains("2/3") && stderr.contains("twice"),
        "{stderr}"
    );

    let other_dir = dir.path().join("other");
    std::fs::create_dir(&other_dir).unwrap();
    let foreign = shard(&other_dir, 3, "6");
    let stderr = stderr_of(&merge(&[&parts[0], &parts[1], &foreign], &out).code(2));
    assert!(stderr.contains("seed"), "{stderr}");

    let stderr = stderr_of(&merge(&[&parts[0], dir.path()], &out).code(2));
    assert!(stderr.contains("not a partial result"), "{stderr}");
    assert!(
        !out.exists(),
        "no folder is written when a merge is refused"
    );
}

#[test]
fn more_shards_than_chunks_or_a_malformed_shard_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    // The last: 600 trajectories are 3 chunks, so a fourth shard would be empty.
    for bad in ["0/3", "4/3", "1", "a/b", "1/4"] {
        simulate()
            .arg(scenario("putin_visit.ron"))
            .args(["--trajectories", "600", "--quiet", "--shard", bad, "--out"])
            .arg(dir.path().join("x"))
            .assert()
            .code(2);
    }
}

/// Every file in `dir` and its bytes, to see that a folder was left as it was.
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.clone(), read(&p)))
        .collect();
    files.sort();
    files
}

#[test]
fn merge_out_onto_one_of_its_own_inputs_is_refused_and_leaves_it_intact() {
    // Defect (issue 9, item 3): `merge a b c --out a` replaced shard a by the merged result,
    // destroying it (a partial folder carries the results marker, so --out accepted it).
    // Now an --out that is, lies inside or contains any input is refused with exit 2 before
    // anything is written, however the path is spelled (symlink, `..`).
    let dir = tempfile::tempdir().unwrap();
    // The shards inside a results folder of their own, so that its parent is a folder a
    // run would otherwise be allowed to replace.
    let home = dir.path().join("results");
    std::fs::create_dir(&home).unwrap();
    std::fs::write(home.join(".entente-results"), b"").unwrap();
    let parts: Vec<PathBuf> = (1..=3).map(|i| shard(&home, i, "5")).collect();
    let before: Vec<_> = parts.iter().map(|p| contents(p)).collect();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&parts[0], &link).unwrap();

    let refusals = [
        (parts[0].clone(), "is"),
        (parts[1].join("sub"), "lies inside"),
        (parts[2].join("..").join("part3"), "is"),
        (home.clone(), "contains"),
        (link, "is"),
    ];
    for (out, relation) in refusals {
        let stderr = stderr_of(&merge(&[&parts[0], &parts[1], &parts[2]], &out).code(2));
        assert!(
            stderr.contains(relation) && stderr.contains("partial result"),
            "--out {}: {stderr}",
            out.display()
        );
    }
    let after: Vec<_> = parts.iter().map(|p| contents(p)).collect();
    assert!(before == after, "a refused merge changed a shard");
    assert!(!parts[1].join("sub").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&parts[1])
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("partial-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging left in a shard: {leftovers:?}"
    );
}

#[test]
fn a_shard_reads_its_scenario_through_the_size_cap() {
    // Defect (issue 9, item 7): `--shard` read the scenario with a plain read, so
    // `simulate /dev/zero --shard 1/1` ate memory until the machine gave out. Now it reads
    // through the one loader, which stops at 16 MB and exits 2 naming the limit.
    let dir = tempfile::tempdir().unwrap();
    let refused = simulate()
        .args(["/dev/zero", "--quiet", "--shard", "1/1", "--out"])
        .arg(dir.path().join("x"))
        .assert()
        .code(2);
    let stderr = stderr_of(&refused);
    assert!(
        stderr.contains("/dev/zero") && stderr.contains("16 MB"),
        "{stderr}"
    );
}

#[test]
fn merge_from_a_list_file_or_standard_input_gives_the_bytes_of_one_run() {
    // Issue 13, item 5: `--from FILE` lists the folders, one per line, relative to the
    // list's own folder (whatever the current folder), with blank lines and # comments;
    // combinable with folders named on the command line. `--from -` reads standard input,
    // relative to the current folder.
    let dir = tempfile::tempdir().unwrap();
    let (single, _, parts) = single_run_and_its_shards(dir.path());
    let lists = dir.path().join("lists");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::create_dir_all(&lists).unwrap();
    let list = lists.join("parts.txt");
    std::fs::write(
        &list,
        "# shards of putin_visit, seed 5\n\n  ../parts/part3  \n\t\n../parts/part1\n",
    )
    .unwrap();
    let merged = dir.path().join("from-file");
    merging(&merged)
        .current_dir(&elsewhere)
        .arg(&parts[1])
        .arg("--from")
        .arg(&list)
        .assert()
        .success();
    same_bytes(&single, &merged);

    let merged = dir.path().join("from-stdin");
    merging(&merged)
        .current_dir(dir.path())
        .args(["--from", "-"])
        .write_stdin("parts/part2\nparts/part3\n# the first one\nparts/part1\n")
        .assert()
        .success();
    same_bytes(&single, &merged);
}

#[test]
fn merge_parts_takes_every_subfolder_holding_a_manifest() {
    // Issue 13, item 5: hundreds of parts without a shell glob: `--parts DIR` takes DIR's
    // immediate subfolders that hold a manifest.json and ignores everything else in it.
    let dir = tempfile::tempdir().unwrap();
    let (single, home, parts) = single_run_and_its_shards(dir.path());
    std::fs::create_dir(home.join("logs")).unwrap();
    std::fs::write(home.join("logs").join("task-1.out"), "done\n").unwrap();
    std::fs::write(home.join("notes.txt"), "seed 5\n").unwrap();
    let merged = dir.path().join("merged");
    merging(&merged)
        .arg("--parts")
        .arg(&home)
        .assert()
        .success();
    same_bytes(&single, &merged);

    // A folder with no parts in it, or a part given as --parts, is exit 2 saying so.
    let x = dir.path().join("x");
    let empty = merging(&x).arg("--parts").arg(home.join("logs")).assert();
    let stderr = stderr_of(&empty.code(2));
    assert!(
        stderr.contains("no subfolder holds a manifest.json"),
        "{stderr}"
    );
    let stderr = stderr_of(&merging(&x).arg("--parts").arg(&parts[0]).assert().code(2));
    assert!(
        stderr.contains("itself a partial result") && stderr.contains("without --parts"),
        "{stderr}"
    );
    assert!(!dir.path().join("x").exists());
}

#[test]
fn a_list_naming_no_folder_or_an_incomplete_set_is_refused_listing_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    for i in 1..=3 {
        shard(dir.path(), i, "5");
    }
    let out = dir.path().join("merged");
    let merge_from = |list: &Path| merging(&out).arg("--from").arg(list).assert();

    // Every line naming no folder, with its line number, in one message.
    let list = dir.path().join("parts.txt");
    std::fs::write(&list, "part1\npart9\n# part2\npart3\nsingle\n").unwrap();
    let stderr = stderr_of(&merge_from(&list).code(2));
    assert!(
        stderr.contains("parts.txt:2:")
            && stderr.contains("part9")
            && stderr.contains("parts.txt:5:")
            && !stderr.contains("parts.txt:1:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("relative to the list file's folder"),
        "{stderr}"
    );

    // Every missing shard at once (the set is checked after the list is read).
    std::fs::write(&list, "part2\n").unwrap();
    let stderr = stderr_of(&merge_from(&list).code(2));
    assert!(
        stderr.contains("1/3, 3/3 missing") && stderr.contains("given: 2/3"),
        "{stderr}"
    );

    // A list of comments only, a list that is no file, and no source at all.
    std::fs::write(&list, "# nothing yet\n\n").unwrap();
    let stderr = stderr_of(&merge_from(&list).code(2));
    assert!(stderr.contains("lists no folder"), "{stderr}");
    let stderr = stderr_of(&merge_from(dir.path()).code(2));
    assert!(stderr.contains("not a regular file"), "{stderr}");
    let stderr = stderr_of(&merging(&out).assert().code(2));
    assert!(stderr.contains("--parts DIR"), "{stderr}");
    assert!(!out.exists());
}

/// A name that would clear the screen (ESC [2J) and forge a line of its own if printed raw.
const HOSTILE: &str = "evil\u{1b}[2J\nerror: forged";

/// Whether `stderr` shows no raw escape character, no forged line, and `lines` lines.
fn escaped(stderr: &str, lines: usize) -> bool {
    !stderr.contains('\u{1b}')
        && !stderr.lines().any(|l| l.starts_with("error: forged"))
        && stderr.lines().count() == lines
}

/// Defect (issue 19, item 12): merge printed the folders named on its command line, by
/// `--parts` and by the lines of `--from`, and `--out`, as they were, and a shard its
/// scenario file and `--out`: a folder named with ESC [2J cleared the terminal and one with
/// a newline forged a line of its own. Every message now shows them escaped (`\u{1b}`,
/// `\u{a}`), as the loader shows names.
#[test]
fn merge_and_shard_messages_escape_folder_names_that_would_clear_the_screen_or_forge_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let parts: Vec<PathBuf> = (1..=3).map(|i| shard(dir.path(), i, "5")).collect();
    let hostile = dir.path().join(HOSTILE);
    std::fs::create_dir(&hostile).unwrap();
    // A copy of shard 1 under the hostile name: given with shard 1, it is shard 1 twice.
    let copy = hostile.join("part1");
    std::fs::create_dir(&copy).unwrap();
    for file in std::fs::read_dir(&parts[0]).unwrap() {
        let file = file.unwrap().path();
        std::fs::copy(&file, copy.join(file.file_name().unwrap())).unwrap();
    }
    let list = dir.path().join("parts.txt");
    std::fs::write(&list, "part1\nmissing\u{1b}[2J\n").unwrap();
    let out = dir.path().join("merged");
    let no_list = hostile.join("list");
    let cases: [(Vec<&OsStr>, usize); 6] = [
        (vec![hostile.as_os_str()], 1),
        (vec![parts[0].as_os_str(), copy.as_os_str()], 1),
        (vec!["--parts".as_ref(), copy.as_os_str()], 1),
        (vec!["--from".as_ref(), list.as_os_str()], 2),
        (vec!["--from".as_ref(), hostile.as_os_str()], 1),
        (vec!["--from".as_ref(), no_list.as_os_str()], 1),
    ];
    for (args, lines) in cases {
        let stderr = stderr_of(&merging(&out).args(&args).assert().code(2));
        assert!(escaped(&stderr, lines), "{args:?}: {stderr}");
        assert!(
            stderr.contains("evil\\u{1b}[2J") || stderr.contains("missing\\u{1b}[2J"),
            "{stderr}"
        );
    }
    // An --out under the hostile name: inside a part, and an existing file.
    let inside = parts[0].join(HOSTILE);
    let file = hostile.join("file");
    std::fs::write(&file, "keep me").unwrap();
    for out in [&inside, &file] {
        let stderr = stderr_of(&merge(&[&parts[0], &parts[1], &parts[2]], out).code(2));
        assert!(escaped(&stderr, 1), "--out {out:?}: {stderr}");
    }
    // A merge that succeeds names its folder escaped too.
    let merged = simulate()
        .arg("merge")
        .args(&parts)
        .arg("--out")
        .arg(hostile.join("merged"))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&merged.get_output().stdout).into_owned();
    assert!(escaped(&stdout, 1), "{stdout}");
    assert_eq!(read(&file), b"keep me");

    // A shard's messages: a scenario file and an --out under the hostile name.
    let shard_into = |scenario: &Path, out: &Path| {
        let mut cmd = simulate();
        cmd.arg(scenario)
            .args(["--trajectories", "512", "--shard", "1/2", "--out"])
            .arg(out);
        cmd.assert()
    };
    let visit = scenario("putin_visit.ron");
    for (scenario, out) in [
        (hostile.join("s.ron"), dir.path().join("s")),
        (visit.clone(), file.clone()),
    ] {
        let stderr = stderr_of(&shard_into(&scenario, &out).code(2));
        assert!(escaped(&stderr, 1), "{scenario:?} --out {out:?}: {stderr}");
    }
    let ran = shard_into(&visit, &hostile.join("shard")).success();
    let stdout = String::from_utf8_lossy(&ran.get_output().stdout).into_owned();
    assert!(escaped(&stdout, 1), "{stdout}");
}

/// Defect (issue 19, item 13): `merge --from` of 100,000 lines naming no folder printed
/// 100,001 lines (4.9 MB), and a line of 10 MB a message of 10 MB. Now a list's problems
/// stop at 50 lines and a count of the rest, as a scenario's do, and a long line is cut.
#[test]
fn a_list_of_100000_missing_folders_or_a_10_mb_line_makes_a_short_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("merged");
    let list = dir.path().join("parts.txt");
    let missing: String = (0..100_000).map(|i| format!("nowhere{i}\n")).collect();
    std::fs::write(&list, missing).unwrap();
    let stderr = stderr_of(&merging(&out).arg("--from").arg(&list).assert().code(2));
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 52, "{stderr}");
    assert!(
        lines[49].contains("parts.txt:50: ") && lines[49].contains("nowhere49"),
        "{stderr}"
    );
    assert!(lines[50].contains("99950 more"), "{stderr}");

    std::fs::write(&list, format!("{}\n", "x".repeat(10 << 20))).unwrap();
    let stderr = stderr_of(&merging(&out).arg("--from").arg(&list).assert().code(2));
    assert!(stderr.len() < 2_000, "a message of {} bytes", stderr.len());
    assert!(
        stderr.contains("parts.txt:1: ")
            && stderr.contains("xxx… (")
            && stderr.contains("more characters"),
        "{stderr}"
    );
    assert!(!out.exists());
}

/// Defect (issue 19, item 4, found again in its second pass): each `--from` list was capped
/// at 16 MB, but every list given was held at once, so `--from BIG` given a thousand times
/// could take 16 GB. Now the lists are capped together.
#[test]
fn lists_given_many_times_are_capped_together() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("parts.txt");
    // 9 MB of lines naming the list's own folder: a valid list on its own.
    let line = format!("{}.\n", " ".repeat(1_000));
    std::fs::write(&list, line.repeat(9 << 10)).unwrap();
    let out = dir.path().join("merged");
    let stderr = stderr_of(
        &merging(&out)
            .args([OsStr::new("--from"), list.as_os_str()])
            .args([OsStr::new("--from"), list.as_os_str()])
            .assert()
            .code(2),
    );
    assert!(stderr.contains("larger than 16 MB together"), "{stderr}");
}

/// A shard of a scenario whose event fires at a drawn step (`at: Guess(1.5, 2.0, 4.5)`) was
/// refused by merge as damaged ("`first_fired` counts a step at which it cannot fire"): the
/// check knew only the written step, not the range a drawn one may take. The same for a
/// drawn period. Now the check reaches every step the distribution can round to.
#[test]
fn a_shard_of_an_event_at_a_drawn_step_merges() {
    let dir = tempfile::tempdir().unwrap();
    let (_, variant) = common::variant_of_baseline(
        dir.path(),
        "drawn",
        "    SetTiming(\"putin_visit\", At(Uniform(1.5, 12.5))),\n    \
         SetTiming(\"us_aid_cut\", Every(Guess(2.5, 4.0, 8.4))),",
    );
    let run = |out: &str, extra: &[&str]| {
        let mut args: Vec<&dyn AsRef<OsStr>> = vec![&variant, &"--trajectories", &"600"];
        args.extend(extra.iter().map(|a| a as &dyn AsRef<OsStr>));
        common::run_into(&dir.path().join(out), &args)
    };
    let single = run("single", &[]);
    let parts: Vec<PathBuf> = (1..=3)
        .map(|i| run(&format!("part{i}"), &["--shard", &format!("{i}/3")]))
        .collect();
    let merged = dir.path().join("merged");
    merge(&[&parts[0], &parts[1], &parts[2]], &merged).success();
    same_bytes(&single, &merged);
}
