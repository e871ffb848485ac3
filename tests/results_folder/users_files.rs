//! A run replaces its whole `--out` folder, so it must never delete a file it did not
//! write: a folder is replaced only while everything in it is listed, unchanged, in the
//! manifest (`.entente-results`) of an entente result. Symbolic links, names too long for
//! the file system and folders that cannot be replaced are refused before any work.
#![cfg(unix)]

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{data, killed_run, names, read, scenario, simulate, DEAD};

fn quick_run(out: &Path) -> assert_cmd::assert::Assert {
    simulate()
        .arg(data("small.ron"))
        .args(["--trajectories", "50", "--quiet", "--out"])
        .arg(out)
        .assert()
}

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

// Defect: a folder holding a `summary.json` counted as a results folder, so
// `--out v` over a thesis and a stray summary.json exited 0 and deleted the thesis.
// Now it is refused with exit 2, naming the files, and the thesis keeps its bytes.
#[test]
fn a_stray_summary_json_does_not_let_a_run_delete_the_thesis_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v");
    std::fs::create_dir(&v).unwrap();
    std::fs::write(v.join("thesis.tex"), "thesis\n").unwrap();
    std::fs::write(v.join("summary.json"), "{}\n").unwrap();
    let assert = simulate()
        .arg(scenario("putin_visit.ron"))
        .args(["--trajectories", "50", "--quiet", "--out"])
        .arg(&v)
        .assert()
        .code(2);
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("thesis.tex"), "{stderr}");
    assert!(stderr.contains("--out"), "{stderr}");
    assert!(!stderr.contains("  "), "stray spaces: {stderr}");
    assert_eq!(read(&v.join("thesis.tex")), b"thesis\n");
    assert_eq!(names(&v), ["summary.json", "thesis.tex"]);
    assert_eq!(names(dir.path()), ["v"], "nothing left beside it");
}

#[test]
fn a_run_into_its_own_result_folder_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    quick_run(&out).success();
    simulate()
        .arg(data("small.ron"))
        .args(["--trajectories", "60", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(common::json(&out.join("summary.json"))["trajectories"], 60);
    assert_eq!(names(dir.path()), ["out"]);
}

// A result the user edited is no longer only entente's: replacing it would lose the edit.
#[test]
fn an_edited_result_file_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    quick_run(&out).success();
    let mut edited = read(&out.join("outcomes.csv"));
    edited.extend_from_slice(b"my note\n");
    std::fs::write(out.join("outcomes.csv"), &edited).unwrap();
    let stderr = stderr_of(&quick_run(&out).code(2));
    assert!(
        stderr.contains("changed since entente wrote them (outcomes.csv)"),
        "{stderr}"
    );
    assert_eq!(read(&out.join("outcomes.csv")), edited);

    std::fs::write(out.join("plots").join("notes.md"), "mine").unwrap();
    std::fs::write(out.join("outcomes.csv"), &edited[..edited.len() - 8]).unwrap();
    let stderr = stderr_of(&quick_run(&out).code(2));
    assert!(
        stderr.contains("did not write (plots/notes.md)"),
        "{stderr}"
    );
    assert!(out.join("plots").join("notes.md").is_file());
}

/// CPU time `pid` has used, from /proc (None once it has exited).
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) : state is field 3, utime 14.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields[11].parse::<f64>().ok()? + fields[12].parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

// Defect: the target was checked only before the work, and files a user put into it while
// a long run worked were deleted when the result was moved into place. Now the run checks
// again at that moment, exits 2, leaves the folder as it is and keeps its finished result
// in a folder beside it, whose path it prints.
#[test]
fn a_file_added_to_out_while_a_run_works_is_kept_and_so_is_the_result() {
    if !Path::new("/proc/self/stat").exists() {
        return; // the run's progress is read from /proc
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    quick_run(&out).success();
    let previous = read(&out.join("summary.json"));

    let child = Command::new(env!("CARGO_BIN_EXE_simulate"))
        .arg(data("small.ron"))
        .args([
            "--trajectories",
            "400000",
            "--threads",
            "1",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Once it has spent a third of a second computing, its checks before the work are long
    // done and its result is not yet written (the whole run needs a few CPU seconds).
    let start = Instant::now();
    while cpu_seconds(child.id()).is_some_and(|s| s < 0.35) {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the run never got going"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    std::fs::write(out.join("notes.txt"), "written during the run").unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("notes.txt"), "{stderr}");

    assert_eq!(read(&out.join("notes.txt")), b"written during the run");
    assert_eq!(
        read(&out.join("summary.json")),
        previous,
        "the previous result is intact"
    );
    let beside: Vec<String> = names(dir.path())
        .into_iter()
        .filter(|n| n != "out")
        .collect();
    assert_eq!(beside.len(), 1, "{beside:?}");
    let kept = dir.path().join(&beside[0]);
    assert!(stderr.contains(&kept.display().to_string()), "{stderr}");
    let summary = common::json(&kept.join("summary.json"));
    assert_eq!(summary["trajectories"], 400000);
    for file in [
        "outcomes.csv",
        "timeseries.csv",
        "report.html",
        ".entente-results",
    ] {
        assert!(
            kept.join(file).is_file(),
            "{file} missing from {}",
            kept.display()
        );
    }
    // The kept result is whole: a run may replace it like any result.
    quick_run(&kept).success();
}

/// A link to a folder holding a result, and a link to nothing.
fn links(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let real = dir.join("real");
    quick_run(&real).success();
    let link = dir.join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let dangling = dir.join("dangling");
    std::os::unix::fs::symlink(dir.join("nowhere"), &dangling).unwrap();
    (real, link, dangling)
}

// Defect: a symbolic link given as --out was silently replaced by a real folder (the link
// gone, its target's result left stale). Now it is refused before any work, naming where
// the link points and the path to give instead; a dangling link too.
#[test]
fn a_symlinked_or_dangling_out_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let (real, link, dangling) = links(dir.path());
    let before = read(&real.join("summary.json"));
    for (out, says) in [
        (&link, "give the folder itself"),
        (&dangling, "does not exist"),
    ] {
        let assert = simulate()
            .arg("/nonexistent/scenario.ron")
            .arg("--out")
            .arg(out)
            .assert()
            .code(2);
        let stderr = stderr_of(&assert);
        assert!(stderr.contains("symbolic link"), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert!(std::fs::symlink_metadata(out).unwrap().is_symlink());
    }
    assert_eq!(read(&real.join("summary.json")), before);
    assert_eq!(names(dir.path()), ["dangling", "link", "real"]);
}

/// small.ron with states A and B renamed to 200-byte names, the longest allowed.
fn long_named_scenario(dir: &Path) -> PathBuf {
    let text = String::from_utf8(read(&data("small.ron"))).unwrap();
    let (a, b) = ("A".repeat(200), "B".repeat(200));
    let text = text
        .replace("\"A\"", &format!("{a:?}"))
        .replace("\"B\"", &format!("{b:?}"))
        .replace("\"eta.A\"", &format!("\"eta.{a}\""))
        .replace("\"close\"", &format!("{:?}", "c".repeat(200)));
    let file = dir.join("long.ron");
    std::fs::write(&file, text).unwrap();
    file
}

/// Every `plots/...` file the report links, each of which must exist.
fn linked_plots(out: &Path) -> Vec<String> {
    let report = String::from_utf8(read(&out.join("report.html"))).unwrap();
    let links: Vec<String> = report
        .split("<code>plots/")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap().to_string())
        .collect();
    for link in &links {
        assert!(
            out.join("plots").join(link).is_file(),
            "the report links a missing {link}"
        );
    }
    links
}

// Defect: names may be 200 bytes, and plot file names join them (`fan_03_share_<A>_<B>_aid`),
// so they passed 255 bytes and the run failed after all its work. Now long file names are
// shortened with a hash, distinct names stay distinct and the report links the right files.
#[test]
fn names_of_200_bytes_give_plots_the_file_system_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let file = long_named_scenario(dir.path());
    let out = dir.path().join("out");
    simulate()
        .arg(&file)
        .args(["--trajectories", "20", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let plots = names(&out.join("plots"));
    assert!(plots.iter().all(|n| n.len() <= 255), "{plots:?}");
    let fans: Vec<_> = plots.iter().filter(|n| n.starts_with("fan_")).collect();
    assert_eq!(fans.len(), 2 * 4, "a PNG and an SVG per metric: {plots:?}");
    let links = linked_plots(&out);
    assert_eq!(links.len(), plots.len(), "{links:?}");

    let sweep = dir.path().join("sweep");
    simulate()
        .arg("sweep")
        .arg(&file)
        .args([
            "--param",
            "lambda=0.1:0.9:2",
            "--trajectories",
            "20",
            "--quiet",
            "--out",
        ])
        .arg(&sweep)
        .assert()
        .success();
    assert!(names(&sweep.join("plots")).iter().all(|n| n.len() <= 255));
}

// Defect: an --out whose last part is long failed only after the work, when the staging
// folder's name (`.NAME.partial-PID-N`) passed 255 bytes. Now it is refused up front.
#[test]
fn an_out_too_long_for_its_staging_folder_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r".repeat(230));
    let assert = simulate()
        .arg("/nonexistent/scenario.ron")
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("at most 214 bytes"), "{stderr}");
    assert!(names(dir.path()).is_empty(), "nothing created");
}

// Defect: a default folder name joins file names (`compare_<A>_vs_<B>`), each up to 255
// bytes, so it could pass 255 bytes and the run failed after its work. Now long default
// names are shortened (with a hash) to leave room for the staging folder's name.
#[test]
fn long_file_names_give_a_default_folder_the_file_system_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (
        dir.path().join(format!("{}.ron", "a".repeat(240))),
        dir.path().join(format!("{}.ron", "b".repeat(240))),
    );
    std::fs::copy(data("small.ron"), &a).unwrap();
    std::fs::copy(data("small.ron"), &b).unwrap();
    let work = dir.path().join("w");
    common::run_into_default_folder(&work, &[&"compare", &a, &b]);
    let made = names(&work.join("outputs"));
    assert_eq!(made.len(), 1, "{made:?}");
    assert!(
        made[0].starts_with("compare_aaa") && made[0].len() <= 214,
        "{made:?}"
    );
    assert!(work
        .join("outputs")
        .join(&made[0])
        .join("compare.json")
        .is_file());
}

/// A user's folder `name` in `dir` holding `ch1.tex`.
fn users_folder(dir: &Path, name: &str) -> PathBuf {
    let folder = dir.join(name);
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("ch1.tex"), "chapter one\n").unwrap();
    folder
}

// Defect: a run deleted, as a dead run's staging folder, any folder beside its --out named
// `.NAME.partial-<digits>...`: a user's `.out.partial-2024-drafts` with ch1.tex in it was
// gone. Now only a folder named exactly `.NAME.partial-PID-N` that holds entente's stamp
// is removed; a user's folder is left alone whatever its name.
#[test]
fn a_users_folder_named_like_a_staging_folder_survives_a_run() {
    let dir = tempfile::tempdir().unwrap();
    let drafts = users_folder(dir.path(), ".out.partial-2024-drafts");
    let exact = users_folder(dir.path(), &format!(".out.partial-{DEAD}-0"));
    let link = dir.path().join(format!(".out.partial-{DEAD}-1"));
    std::os::unix::fs::symlink(&drafts, &link).unwrap();
    let out = dir.path().join("out");
    quick_run(&out).success();
    for kept in [&drafts, &exact] {
        assert_eq!(read(&kept.join("ch1.tex")), b"chapter one\n");
    }
    assert!(std::fs::symlink_metadata(&link).is_ok(), "the link is gone");
    assert!(out.join("summary.json").is_file());
}

// Defect: `--out $'\xff'` deleted a folder `.\xfe.partial-999999` beside it: the names were
// compared after a lossy UTF-8 conversion, which makes both bytes the same U+FFFD.
#[test]
fn a_folder_of_another_non_utf8_name_survives_a_run() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let mut name = b".\xfe.partial-".to_vec();
    name.extend_from_slice(format!("{DEAD}-0").as_bytes());
    let other = dir.path().join(OsStr::from_bytes(&name));
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join(".entente-staging"), "stamp").unwrap();
    std::fs::write(other.join("ch1.tex"), "chapter one\n").unwrap();
    quick_run(&dir.path().join(OsStr::from_bytes(b"\xff"))).success();
    assert_eq!(read(&other.join("ch1.tex")), b"chapter one\n");
}

// Defect: a user's folder `.out.old-999999-0` (thesis.tex in it) was taken for a result a
// dead run had set aside: moved into place as `out`, or renamed to `out.old-999999-0` with
// a warning blaming the user. Now it is touched only if it holds a valid entente manifest;
// otherwise it is left alone, silently.
#[test]
fn a_users_folder_named_like_a_set_aside_result_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let name = format!(".out.old-{DEAD}-0");
    let folder = users_folder(dir.path(), &name);
    let out = dir.path().join("out");
    for _ in 0..2 {
        // First with no `out` (it was moved into place), then onto a result (renamed).
        let assert = quick_run(&out).success();
        // No warning about folders (the scenario's own load-time warning is another matter).
        let stderr = stderr_of(&assert);
        let warnings = stderr.lines().filter(|l| l.contains("warning"));
        assert_eq!(
            warnings
                .filter(|l| !l.contains("only reads back") && !l.contains("drifts by itself"))
                .count(),
            0
        );
        assert_eq!(names(&folder), ["ch1.tex"]);
        assert!(!out.join("ch1.tex").exists());
        assert_eq!(names(dir.path()), [name.clone(), "out".to_string()]);
    }
}

// Defect: a manifest anyone can write let a run delete a user's file: `.entente-results`
// listing thesis.tex with its real size and SHA-256 made `--out v` exit 0 with the thesis
// gone. Now a manifest vouches only for the kinds of file entente writes, in the folders it
// makes; the folder is refused with exit 2, naming the file, and the thesis stays.
#[test]
fn a_forged_manifest_does_not_let_a_run_delete_the_thesis() {
    use sha2::{Digest, Sha256};
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v");
    std::fs::create_dir(&v).unwrap();
    let thesis = b"years of work\n";
    std::fs::write(v.join("thesis.tex"), thesis).unwrap();
    let manifest = serde_json::json!({
        "format": "entente-results/1",
        "folders": [],
        "files": [{
            "path": "thesis.tex",
            "bytes": thesis.len(),
            "sha256": format!("{:x}", Sha256::digest(thesis)),
        }],
    });
    std::fs::write(v.join(".entente-results"), manifest.to_string()).unwrap();
    let assert = quick_run(&v).code(2);
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("thesis.tex"), "{stderr}");
    assert_eq!(read(&v.join("thesis.tex")), thesis);
    assert_eq!(names(dir.path()), ["v"]);
}

// What the rule above must still let through: every command's own result can be replaced
// by the next run of that command (their files are of the kinds and in the folders listed).
// Defect 8 (issue 19): a compare of three or more scenarios could not be (its `c/` was not
// entente's); so each command, a three-way compare and a merge are run twice here.
#[test]
fn every_commands_result_is_replaced_by_its_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let small = data("small.ron");
    let quiet = ["--trajectories", "20", "--quiet"];
    let runs: [(&str, Vec<std::ffi::OsString>); 8] = [
        ("run", vec![small.clone().into()]),
        (
            "compare",
            vec!["compare".into(), small.clone().into(), small.clone().into()],
        ),
        (
            "compare3",
            vec![
                "compare".into(),
                small.clone().into(),
                small.clone().into(),
                small.clone().into(),
            ],
        ),
        (
            "sensitivity_against",
            vec![
                "sensitivity".into(),
                small.clone().into(),
                "--against".into(),
                small.clone().into(),
                "--samples".into(),
                "2".into(),
            ],
        ),
        (
            "sweep",
            vec![
                "sweep".into(),
                small.clone().into(),
                "--param".into(),
                "lambda=0.1:0.9:2".into(),
            ],
        ),
        (
            "sensitivity",
            vec![
                "sensitivity".into(),
                small.clone().into(),
                "--samples".into(),
                "2".into(),
            ],
        ),
        ("blocs", vec!["blocs".into(), small.clone().into()]),
        (
            "shard",
            vec![small.clone().into(), "--shard".into(), "1/1".into()],
        ),
    ];
    for (what, args) in runs {
        let out = dir.path().join(what);
        for _ in 0..2 {
            let mut cmd = simulate();
            cmd.args(&args);
            if what != "blocs" {
                cmd.args(quiet);
            } else {
                cmd.arg("--quiet");
            }
            let assert = cmd.arg("--out").arg(&out).assert();
            let stderr = stderr_of(&assert);
            assert!(assert.get_output().status.success(), "{what}: {stderr}");
        }
    }
    let merged = dir.path().join("merge");
    for _ in 0..2 {
        common::merge_into(&merged, [dir.path().join("shard")]);
    }
}

// Defect 1 (issue 19): after `kill -9` during the write, a file a user had put into the
// run's staging folder `.out.partial-PID-N/` vanished at the next run, which deleted the
// stamped folder whole. Its files have no manifest yet, so a staging folder holding
// anything entente does not write there is now kept whole, under a visible name the
// warning gives; one holding only entente's files is still removed.
#[test]
fn a_killed_runs_staging_folder_keeps_the_users_files() {
    let dir = tempfile::tempdir().unwrap();
    // As a run killed during the write leaves it: the stamp and some of its files.
    std::fs::write(killed_run(dir.path(), 0).join("notes.txt"), "mine\n").unwrap();
    killed_run(dir.path(), 1);
    let out = dir.path().join("out");
    let assert = quick_run(&out).success();
    let stderr = stderr_of(&assert);
    let kept = dir.path().join(format!("out.partial-{DEAD}-0"));
    assert_eq!(read(&kept.join("notes.txt")), b"mine\n");
    assert!(
        !kept.join("summary.json").exists(),
        "what the run made is deleted"
    );
    assert!(stderr.contains(&kept.display().to_string()), "{stderr}");
    assert!(stderr.contains("notes.txt"), "{stderr}");
    assert_eq!(names(dir.path()), ["out", &format!("out.partial-{DEAD}-0")]);
    // The next run leaves the kept folder alone, without a word.
    let again = stderr_of(&quick_run(&out).success());
    assert!(!again.contains("partial"), "{again}");
    assert_eq!(read(&kept.join("notes.txt")), b"mine\n");
}

// Defect: `--out out/.` passed the checks before the work (its file name is `out`), then
// the rename onto `out/.` failed with "Device or resource busy", exit 1, after all the
// work. Now the `.` parts are dropped where the options are built: it writes `out`.
#[test]
fn an_out_ending_in_a_dot_writes_the_folder_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    for given in ["out/.", "out/./"] {
        quick_run(&dir.path().join(given)).success();
        assert!(out.join("summary.json").is_file());
        assert_eq!(names(dir.path()), ["out"], "{given}");
    }
    simulate()
        .arg("blocs")
        .arg(data("small.ron"))
        .args(["--quiet", "--out"])
        .arg(dir.path().join("blocs/."))
        .assert()
        .success();
    assert!(dir.path().join("blocs").join("blocs.csv").is_file());
}
