//! Unit tests of the results folder: staging, replacing, cleaning up, judging `--out`.

use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::contents::*;
use super::manifest::*;
use super::names::*;
use super::replaceable::*;
use super::staging::*;
use super::stale::*;
use super::target::*;
use super::*;

#[test]
fn names_that_try_to_escape_their_folder_are_flattened() {
    assert_eq!(sanitize_name("../../escape"), "_.._escape");
    assert_eq!(sanitize_name("a/b\\c"), "a_b_c");
    assert_eq!(sanitize_name("Pākistan\n"), "P_kistan_");
    assert_eq!(sanitize_name(".."), "scenario");
    assert_eq!(sanitize_name("putin_visit"), "putin_visit");
}

#[test]
fn a_failed_fill_leaves_the_previous_result_and_no_temporary_folder() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    write_atomically(&target, |d| {
        journal::write(&d.join("summary.json"), "first")
    })
    .unwrap();
    let failed = write_atomically(&target, |d| {
        journal::write(&d.join("summary.json"), "second")?;
        Err(std::io::Error::other("disk full"))
    });
    assert!(failed.is_err());
    assert_eq!(
        fs::read_to_string(target.join("summary.json")).unwrap(),
        "first"
    );
    let entries: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "only the result folder remains");
}

/// A process id above Linux's largest (2^22): never a live process.
const DEAD: u32 = 999_999_999;

/// A staging folder as entente makes it, stamped, named `.NAME.partial-TAG` in `dir`.
fn staging_in(dir: &Path, name: &str, tag: &str) -> PathBuf {
    let path = dir.join(format!(".{name}.partial-{tag}"));
    fs::create_dir(&path).unwrap();
    fs::write(path.join(STAMP), format!("{tag}\n")).unwrap();
    made(&path, "summary.json", "{}");
    path
}

/// Notes `rel` in the journal of `staging` and writes it (a folder if `text` is empty), as
/// a run does.
fn made(staging: &Path, rel: &str, text: &str) {
    let mut journal = fs::OpenOptions::new()
        .append(true)
        .open(staging.join(STAMP))
        .unwrap();
    writeln!(journal, "{}", serde_json::to_string(rel).unwrap()).unwrap();
    match text {
        "" => fs::create_dir(staging.join(rel)).unwrap(),
        _ => fs::write(staging.join(rel), text).unwrap(),
    }
}

#[test]
fn folders_left_by_dead_runs_are_removed_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    staging_in(dir.path(), "out", &format!("{DEAD}-3"));
    // Killed after its manifest replaced the stamp.
    let finished = staging_in(dir.path(), "out", &format!("{DEAD}-4"));
    fs::remove_file(finished.join(STAMP)).unwrap();
    write_manifest(&finished).unwrap();
    // Live (this process, with a number write_atomically has not reached) or another
    // target's: left alone.
    let live = staging_in(dir.path(), "out", &format!("{}-999999", std::process::id()));
    let other = staging_in(dir.path(), "other", &format!("{DEAD}-1"));
    write_atomically(&target, |d| journal::write(&d.join("summary.json"), "new")).unwrap();
    let mut expected = [live, other, target].map(|p| {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        name
    });
    expected.sort();
    assert_eq!(names(dir.path()), expected);
}

// Defect: any folder named `.out.partial-<digits>...` of a dead process id was deleted
// whole: a user's `.out.partial-2024-drafts`, a link of that name, and (names compared
// after lossy UTF-8 conversion) `.\xfe.partial-999999` for `--out \xff`. Now only a real
// folder named exactly `.NAME.partial-PID-N`, byte for byte, holding entente's stamp is
// deleted.
#[test]
fn a_user_folder_named_like_a_staging_folder_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    let user = |name: String| {
        let path = dir.path().join(name);
        fs::create_dir(&path).unwrap();
        fs::write(path.join("ch1.tex"), "chapter one").unwrap();
        path
    };
    let mut kept = vec![
        user(".out.partial-2024-drafts".into()),
        user(format!(".out.partial-{DEAD}-0")),
        user(format!(".out.partial-{DEAD}")),
    ];
    // Stamped, but not named exactly as entente names them.
    for tag in [
        format!("+{DEAD}-2"),
        format!("{DEAD}-01"),
        format!("{DEAD}-1x"),
    ] {
        kept.push(staging_in(dir.path(), "out", &tag));
    }
    // A link named like a staging folder, to a stamped folder elsewhere.
    let elsewhere = staging_in(dir.path(), "elsewhere", "1-1");
    #[cfg(unix)]
    {
        let link = dir.path().join(format!(".out.partial-{DEAD}-5"));
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        kept.push(link);
    }
    kept.push(elsewhere);
    write_atomically(&target, |d| journal::write(&d.join("summary.json"), "new")).unwrap();
    for path in &kept {
        assert!(
            fs::symlink_metadata(path).is_ok(),
            "{} was deleted",
            path.display()
        );
    }
    assert!(kept[0].join("ch1.tex").is_file());
    assert!(dir
        .path()
        .join(".elsewhere.partial-1-1")
        .join("summary.json")
        .is_file());
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_compared_byte_for_byte() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join(OsStr::from_bytes(b"\xff"));
    let tag = format!("{DEAD}-0");
    let mut name = b".\xfe.partial-".to_vec();
    name.extend_from_slice(tag.as_bytes());
    let other = dir.path().join(OsStr::from_bytes(&name));
    fs::create_dir(&other).unwrap();
    fs::write(other.join(STAMP), &tag).unwrap();
    write_atomically(&target, |d| journal::write(&d.join("summary.json"), "new")).unwrap();
    assert!(
        other.join(STAMP).is_file(),
        "another name's folder was deleted"
    );
    // The target's own leftovers, in its own bytes, are still found.
    let mut own = b".\xff.partial-".to_vec();
    own.extend_from_slice(tag.as_bytes());
    let own = dir.path().join(OsStr::from_bytes(&own));
    fs::create_dir(&own).unwrap();
    fs::write(own.join(STAMP), &tag).unwrap();
    write_atomically(&target, |d| journal::write(&d.join("summary.json"), "new")).unwrap();
    assert!(!own.exists());
}

#[test]
fn a_previous_result_set_aside_by_a_dead_run_is_put_back() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    let old = dir.path().join(format!(".out.old-{DEAD}-0"));
    result_in(&old);
    remove_stale(dir.path(), OsStr::new("out"), &target);
    assert_eq!(
        fs::read_to_string(target.join("summary.json")).unwrap(),
        "{}"
    );
    assert!(!old.exists());
}

// Defect 1 (issue 19): the next run deleted a killed run's stamped staging folder whole,
// with any file a user had put into it. Its files have no manifest yet, so it is now
// deleted only if everything in it is what entente writes there; anything else keeps the
// whole folder, renamed to a visible `out.partial-PID-N` that later runs leave alone.
#[test]
fn a_killed_runs_staging_folder_keeps_the_users_files() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    let killed = |n: usize| {
        let staging = staging_in(dir.path(), "out", &format!("{DEAD}-{n}"));
        made(&staging, "plots", "");
        made(&staging, "plots/fan.svg", "<svg/>");
        staging
    };
    // What a user may leave in one: a file entente never writes, one of entente's
    // kinds in the wrong place, a folder of their own, a link.
    let theirs = ["notes.txt", "plots/data.json", "drafts/ch1.tex", "link"];
    for (n, rel) in theirs.iter().enumerate() {
        let staging = killed(n);
        fs::create_dir_all(staging.join(rel).parent().unwrap()).unwrap();
        if *rel == "link" {
            #[cfg(unix)]
            std::os::unix::fs::symlink("/", staging.join(rel)).unwrap();
        } else {
            fs::write(staging.join(rel), "mine").unwrap();
        }
    }
    killed(theirs.len()); // only entente's: removed
    remove_stale(dir.path(), OsStr::new("out"), &target);
    let mut expected: Vec<String> = (0..theirs.len())
        .map(|n| format!("out.partial-{DEAD}-{n}"))
        .collect();
    assert_eq!(names(dir.path()), expected);
    for (n, rel) in theirs.iter().enumerate() {
        let kept = dir.path().join(&expected[n]);
        assert!(
            fs::symlink_metadata(kept.join(rel)).is_ok(),
            "{rel} is gone"
        );
        assert!(
            !kept.join("summary.json").exists(),
            "what the run made is deleted"
        );
    }
    result_in(&target);
    expected.insert(0, "out".into());
    assert_eq!(
        names(dir.path()),
        expected,
        "the next run leaves them alone"
    );
}

// Defect 1 (issue 19), in the run itself: a run that failed removed its staging folder
// whole, with a file put into it while the run worked.
#[test]
fn a_failed_runs_staging_folder_keeps_a_file_put_into_it() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    let failed = write_atomically(&target, |d| {
        journal::write(&d.join("summary.json"), "{}")?;
        fs::write(d.join("notes.txt"), "mine")?; // the user, meanwhile
        Err(std::io::Error::other("disk full"))
    });
    assert!(failed.is_err());
    let kept = names(dir.path());
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(kept[0].starts_with("out.partial-"), "{kept:?}");
    let kept = dir.path().join(&kept[0]);
    assert_eq!(fs::read_to_string(kept.join("notes.txt")).unwrap(), "mine");
}

// Defect 8 (issue 19): a result's list of its own sub-folders knew only `a/` and `b/`,
// so a comparison of 3 or more scenarios could not be rerun into its own folder. Now
// every side `compare` writes, for as many scenarios as it takes, is entente's.
#[test]
fn a_compare_of_three_or_more_scenarios_can_be_rerun_into_its_own_folder() {
    use crate::analysis::compare::{folder, MAX_SCENARIOS};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let sides = |d: &Path| {
        for side in (0..MAX_SCENARIOS).map(folder) {
            journal::create_dir_all(&d.join(&side).join("plots"))?;
            journal::write(&d.join(&side).join("summary.json"), "{}")?;
            journal::write(&d.join(&side).join("plots").join("fan.png"), "png")?;
        }
        journal::write(&d.join("compare.json"), "{}")
    };
    write_atomically(&out, sides).unwrap();
    check_target(&out).expect("a comparison's own folder");
    write_atomically(&out, sides).expect("rerun into its own folder");
    let beyond = folder(MAX_SCENARIOS);
    for theirs in [
        format!("{beyond}/summary.json"),
        "a/plots/plots/x.png".into(),
    ] {
        assert!(!written_by_entente(&theirs), "{theirs}");
    }
}

// Defect 6 (issue 19): an `--out` past PATH_MAX, or with a part longer than a file
// name may be, passed the checks and failed after all the work. Now refused up front,
// and so is a parent that is a dangling link or a loop; the longest `--out` accepted
// still takes the deepest file a run writes.
#[test]
fn an_out_path_longer_than_path_max_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let deep = (0..21).fold(dir.path().to_path_buf(), |p, _| p.join("d".repeat(200)));
    let refused = check_target(&deep).unwrap_err();
    assert_eq!(refused.exit_code(), 2);
    assert!(
        refused.to_string().contains("bytes for a path"),
        "{refused}"
    );
    assert!(refused.to_string().len() < 1000, "a bounded message");
    for part in [256, 300] {
        for out in [
            dir.path().join("n".repeat(part)).join("out"),
            dir.path()
                .join("a")
                .join("n".repeat(part))
                .join("b")
                .join("out"),
        ] {
            let refused = check_target(&out).unwrap_err().to_string();
            assert!(refused.contains("255 bytes"), "{refused}");
        }
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/nonexistent", dir.path().join("dangling")).unwrap();
        std::os::unix::fs::symlink("loop", dir.path().join("loop")).unwrap();
        for parent in ["dangling", "loop"] {
            let out = dir.path().join(parent).join("x").join("out");
            assert_eq!(check_target(&out).unwrap_err().exit_code(), 2, "{parent}");
        }
    }
    // The longest accepted `--out` in a folder 3,600 bytes deep.
    let base = (0..16).fold(dir.path().to_path_buf(), |p, _| p.join("d".repeat(210)));
    let base = base.join("e".repeat(3600 - base.as_os_str().len()));
    let longest = (1..=MAX_OUT_NAME)
        .map(|n| base.join("n".repeat(n)))
        .take_while(|out| check_target(out).is_ok())
        .last()
        .expect("a short name is accepted");
    assert!(
        longest.as_os_str().len() < 4096 - 255,
        "{}",
        longest.display()
    );
    write_atomically(&longest, |d| {
        let plots = d.join("a").join("plots");
        fs::create_dir_all(&plots)?;
        fs::write(plots.join(format!("{}.png", "p".repeat(251))), "png")
    })
    .expect("the deepest file fits");
}

// Defect: a user's `.out.old-999999-0` (no manifest) was moved into place as `out`, or
// renamed to `out.old-999999-0` with a warning blaming the user. Now a set-aside folder
// is touched only if its name is exact and it holds a trusted manifest; else left
// alone, silently.
#[test]
fn a_user_folder_named_like_a_set_aside_result_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    let user = dir.path().join(format!(".out.old-{DEAD}-0"));
    fs::create_dir(&user).unwrap();
    fs::write(user.join("thesis.tex"), "years of work").unwrap();
    remove_stale(dir.path(), OsStr::new("out"), &target);
    assert!(!target.exists(), "moved into place");
    result_in(&target);
    remove_stale(dir.path(), OsStr::new("out"), &target);
    let mut expected = [format!(".out.old-{DEAD}-0"), "out".to_string()];
    expected.sort();
    assert_eq!(names(dir.path()), expected);
    assert_eq!(names(&user), ["thesis.tex"]);
}

// Defect: anyone can write a manifest: one listing `thesis.tex` with its real size and
// hash let a run replace the folder and delete the thesis. Now a manifest vouches only
// for files entente writes (its kinds of file, in its sub-folders).
#[test]
fn a_forged_manifest_does_not_get_a_users_file_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v");
    fs::create_dir(&v).unwrap();
    fs::write(v.join("thesis.tex"), "years of work").unwrap();
    write_manifest(&v).unwrap();
    let refused = check_target(&v).unwrap_err().to_string();
    assert!(refused.contains("never writes (thesis.tex)"), "{refused}");
    let refused = write_atomically(&v, |d| journal::write(&d.join("summary.json"), "{}"));
    assert_eq!(refused.unwrap_err().exit_code(), 2);
    assert_eq!(
        fs::read_to_string(v.join("thesis.tex")).unwrap(),
        "years of work"
    );
    // Nor does it when set aside.
    let old = dir.path().join(format!(".v.old-{DEAD}-0"));
    fs::rename(&v, &old).unwrap();
    remove_stale(dir.path(), OsStr::new("v"), &v);
    assert!(old.join("thesis.tex").is_file());
    assert!(!v.exists());
}

#[test]
fn only_what_entente_writes_can_be_vouched_for() {
    for ours in [
        "summary.json",
        "timeseries.csv",
        "report.html",
        "scenario.ron",
        "aggregates.bin",
        "plots/fan_01_x.svg",
        "plots/fan_01_x.png",
        "a/summary.json",
        "b/plots/fan.png",
    ] {
        assert!(written_by_entente(ours), "{ours}");
    }
    for theirs in [
        "thesis.tex",
        "notes.txt",
        "data.bin",
        "a/aggregates.bin",
        ".json",
        ".hidden.json",
        "plots/data.json",
        "drafts/a.json",
        "a/b/summary.json",
        "../summary.json",
        "summary",
    ] {
        assert!(!written_by_entente(theirs), "{theirs}");
    }
}

// Defect: `--out out/.` passed the checks before the work (its file name is `out`), then
// the rename onto `out/.` failed with "Device or resource busy" after all the work. Now
// a path ending in `.` or `..` is refused up front (options drop `.` parts before).
#[test]
fn an_out_ending_in_a_dot_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    for out in ["out/.", "out/./", "out/..", "."] {
        let refused = check_target(&dir.path().join(out)).unwrap_err();
        assert_eq!(refused.exit_code(), 2, "{out}");
    }
    check_target(&dir.path().join("out/./deeper")).unwrap();
    assert!(!ends_in_dot(Path::new("out.d/")));
}

#[test]
fn only_empty_folders_and_results_folders_are_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let documents = dir.path().join("documents");
    fs::create_dir(&documents).unwrap();
    fs::write(documents.join("thesis.tex"), "years of work").unwrap();
    let refused = check_target(&documents).unwrap_err().to_string();
    assert!(
        refused.contains("does not hold entente results"),
        "{refused}"
    );

    let results = dir.path().join("results");
    fs::create_dir(&results).unwrap();
    check_target(&results).unwrap();
    write_atomically(&results, |d| journal::write(&d.join("summary.json"), "1")).unwrap();
    check_target(&results).unwrap();
    assert!(results.join(MARKER).is_file());
}

/// Every name in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn result_in(target: &Path) {
    write_atomically(target, |d| {
        journal::write(&d.join("summary.json"), "{}")?;
        journal::create_dir_all(&d.join("plots"))?;
        journal::write(&d.join("plots").join("fan.svg"), "<svg/>")
    })
    .unwrap();
}

// Defect: a folder holding a `summary.json` (or an empty marker) counted as a results
// folder, so `--out` onto a folder with a thesis and a stray summary.json deleted the
// thesis. Now only a folder whose manifest lists everything in it may be replaced.
#[test]
fn a_summary_json_or_an_old_empty_marker_does_not_make_a_results_folder() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v");
    fs::create_dir(&v).unwrap();
    fs::write(v.join("thesis.tex"), "years of work").unwrap();
    fs::write(v.join("summary.json"), "{}").unwrap();
    let refused = check_target(&v).unwrap_err().to_string();
    assert!(refused.contains("thesis.tex"), "{refused}");
    assert!(refused.contains("not hold entente results"), "{refused}");
    assert!(!refused.contains("  "), "stray spaces: {refused}");
    assert!(write_atomically(&v, |d| journal::write(&d.join("summary.json"), "1")).is_err());
    assert_eq!(
        fs::read_to_string(v.join("thesis.tex")).unwrap(),
        "years of work"
    );

    fs::remove_file(v.join("thesis.tex")).unwrap();
    fs::write(v.join(MARKER), "").unwrap();
    assert!(
        check_target(&v).is_err(),
        "an old empty marker vouches for nothing"
    );
}

#[test]
fn a_result_may_be_replaced_only_while_it_holds_what_its_manifest_lists() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    result_in(&out);
    check_target(&out).unwrap();

    fs::remove_file(out.join("summary.json")).unwrap();
    check_target(&out).expect("listed files that are gone are fine");

    fs::write(out.join("plots").join("notes.txt"), "mine").unwrap();
    let refused = check_target(&out).unwrap_err().to_string();
    assert!(
        refused.contains("did not write (plots/notes.txt)"),
        "{refused}"
    );
    fs::remove_file(out.join("plots").join("notes.txt")).unwrap();

    // Same size, other bytes: only the hash tells.
    fs::write(out.join("plots").join("fan.svg"), "<svg!>").unwrap();
    let refused = check_target(&out).unwrap_err().to_string();
    assert!(
        refused.contains("changed since entente wrote them (plots/fan.svg)"),
        "{refused}"
    );
    fs::write(out.join("plots").join("fan.svg"), "<svg/>").unwrap();

    fs::create_dir(out.join("drafts")).unwrap();
    assert!(check_target(&out).is_err(), "an unlisted folder is foreign");
    for n in 0..5 {
        fs::write(out.join("drafts").join(format!("{n}.tex")), "draft").unwrap();
    }
    let refused = check_target(&out).unwrap_err().to_string();
    assert!(refused.contains("did not write (drafts)"), "{refused}");
    fs::remove_dir_all(out.join("drafts")).unwrap();

    result_in(&out);
    assert_eq!(names(&out), [MARKER, "plots", "summary.json"]);
}

#[test]
fn refusals_name_a_few_files_then_how_many_more() {
    let names: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
    assert_eq!(few(&names[..2]), "a, b");
    assert_eq!(few(&names), "a, b, c and 2 more");
}

// Defect: the target was checked only before the work, so files a user put into it
// while a run worked were deleted with the previous result. Now the rule is checked
// again just before the rename; a refusal keeps the target as it is and the finished
// result in a visible folder beside it, named in the message.
#[test]
fn files_added_to_the_target_while_a_run_works_stop_the_replacement() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    result_in(&out);
    let refused = write_atomically(&out, |d| {
        fs::write(out.join("notes.txt"), "written meanwhile")?; // the user, meanwhile
        journal::write(&d.join("summary.json"), "{\"new\": true}")
    })
    .unwrap_err();
    assert_eq!(refused.exit_code(), 2);
    let message = refused.to_string();
    assert!(message.contains("notes.txt"), "{message}");
    assert_eq!(
        fs::read_to_string(out.join("notes.txt")).unwrap(),
        "written meanwhile"
    );
    assert_eq!(fs::read_to_string(out.join("summary.json")).unwrap(), "{}");
    let kept: Vec<String> = names(dir.path())
        .into_iter()
        .filter(|n| n != "out")
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(kept[0].starts_with("out.new-"), "{kept:?}");
    let kept = dir.path().join(&kept[0]);
    assert!(message.contains(&kept.display().to_string()), "{message}");
    assert_eq!(names(&kept), [MARKER, "summary.json"]);
    check_replaceable(&kept).expect("the kept result is whole, with its manifest");
    // The next run into the same place does not take it for a dead run's leftovers.
    fs::remove_file(out.join("notes.txt")).unwrap();
    result_in(&out);
    assert!(kept.join("summary.json").is_file());
}

// Belt and braces: a file that arrives between the last check and the rename is in the
// set-aside previous result. Deleting that folder whole would lose it; only the files
// its manifest lists are deleted, and the rest is kept beside the target.
#[test]
fn a_set_aside_result_loses_only_the_files_its_manifest_lists() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let old = dir.path().join(".out.old-1-0");
    result_in(&old);
    fs::write(old.join("plots").join("notes.txt"), "mine").unwrap();
    dispose(&old, &out, OsStr::new("out.old-1-0"));
    assert!(!old.exists());
    let kept = dir.path().join("out.old-1-0");
    assert_eq!(names(&kept), [MARKER, "plots"]);
    assert_eq!(names(&kept.join("plots")), ["notes.txt"]);

    result_in(&old);
    dispose(&old, &out, OsStr::new("out.old-1-1"));
    assert_eq!(
        names(dir.path()),
        ["out.old-1-0"],
        "a clean one is gone entirely"
    );
}

#[test]
fn a_stale_set_aside_result_keeps_files_it_does_not_list() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    result_in(&target);
    let old = dir.path().join(format!(".out.old-{DEAD}-0"));
    result_in(&old);
    fs::write(old.join("notes.txt"), "mine").unwrap();
    remove_stale(dir.path(), OsStr::new("out"), &target);
    let kept = dir.path().join(format!("out.old-{DEAD}-0"));
    assert_eq!(names(&kept), [MARKER, "notes.txt"]);
    assert_eq!(names(dir.path()).len(), 2, "{:?}", names(dir.path()));
}

// Defect: names may be 200 bytes and a plot or folder name joins several, so file names
// went past 255 bytes and a run failed after all its work. Long names are shortened
// with a hash of the whole, so that distinct names stay distinct.
#[test]
fn long_names_are_shortened_and_stay_distinct() {
    let a = format!("fan_01_{}_a", "x".repeat(300));
    let b = format!("fan_01_{}_b", "x".repeat(300));
    assert_eq!(shorten(&a, 120).len(), 120);
    assert_ne!(shorten(&a, 120), shorten(&b, 120));
    assert_eq!(shorten("fan_01_short", 120), "fan_01_short");
    assert_eq!(
        shorten(&"ā".repeat(100), 120).len(),
        119,
        "cut at a character"
    );
    assert!(sanitize_name(&"n".repeat(600)).len() <= MAX_DEFAULT_NAME);
}

// Defect: an `--out` whose last part left no room for `.NAME.partial-PID-N` failed only
// after the work. Now it is refused up front.
#[test]
fn an_out_name_without_room_for_its_staging_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    check_target(&dir.path().join("n".repeat(MAX_OUT_NAME))).unwrap();
    let too_long = dir.path().join("n".repeat(MAX_OUT_NAME + 1));
    let refused = check_target(&too_long).unwrap_err().to_string();
    assert!(refused.contains("at most 214 bytes"), "{refused}");
    write_atomically(&dir.path().join("n".repeat(MAX_OUT_NAME)), |d| {
        journal::write(&d.join("summary.json"), "1")
    })
    .unwrap();
}

#[test]
fn a_target_under_a_file_or_without_a_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    fs::write(&file, "x").unwrap();
    assert!(check_target(&file).is_err());
    assert!(check_target(&file.join("sub").join("out")).is_err());
    assert!(check_target(Path::new(".")).is_err());
    assert!(check_target(Path::new("/")).is_err());
    check_target(&dir.path().join("new").join("deeper")).unwrap();
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "the probe leaves nothing"
    );
}

#[test]
fn concurrent_writers_leave_one_whole_folder() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out");
    std::thread::scope(|scope| {
        for w in 0..8 {
            let target = &target;
            scope.spawn(move || {
                for _ in 0..20 {
                    write_atomically(target, |d| {
                        for f in 0..5 {
                            journal::write(&d.join(format!("{f}.csv")), w.to_string())?;
                        }
                        Ok(())
                    })
                    .unwrap();
                }
            });
        }
    });
    let contents: Vec<String> = (0..5)
        .map(|f| fs::read_to_string(target.join(format!("{f}.csv"))).unwrap())
        .collect();
    assert!(
        contents.iter().all(|c| *c == contents[0]),
        "a mixed folder: {contents:?}"
    );
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing left beside it"
    );
}

/// The journal is what makes cleaning after a killed run safe: every file and folder the
/// exporters of a comparison (its sides, their plots) make is noted in it before the run
/// ends, or the next run would keep it as a user's, with a warning.
#[test]
fn every_file_a_comparison_writes_is_in_its_journal() {
    use crate::output::{compare_exporters, examples};
    let dir = tempfile::tempdir().unwrap();
    let comparison = examples::comparison();
    let mut unnoted = Vec::new();
    write_atomically(&dir.path().join("out"), |d| {
        for exporter in compare_exporters() {
            exporter.write(&comparison, d)?;
        }
        let made = journal::made(d);
        unnoted = walk(d)?
            .into_iter()
            .map(|(rel, _, _)| rel)
            .filter(|rel| rel != STAMP && !made.contains(rel))
            .collect();
        Ok(())
    })
    .unwrap();
    assert!(unnoted.is_empty(), "not in the journal: {unnoted:?}");
}
