//! Results are written inside the chosen output folder and nowhere else, whatever the
//! scenario's name or file name; an output folder that cannot be written is refused (exit 2)
//! before any work starts.

use crate::common;

use std::path::Path;

use common::{data, simulate};

fn small_named(name: &str) -> String {
    let text = String::from_utf8(common::read(&data("small.ron"))).unwrap();
    text.replacen("name: \"small\"", &format!("name: {name:?}"), 1)
}

/// Every path under `dir`, relative to it.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            out.push(
                path.strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_scenario_named_to_escape_writes_only_in_its_output_folder() {
    let root = tempfile::tempdir().unwrap();
    let work = root.path().join("a").join("b");
    let file = root.path().join("escape.ron");
    std::fs::write(&file, small_named("../../escape")).unwrap();
    common::run_into_default_folder(&work, &[&file]);
    // Everything new is under a/b/outputs/escape/.
    let all = tree(root.path());
    for path in &all {
        assert!(
            path == "escape.ron" || path == "a" || path == "a/b" || path.starts_with("a/b/outputs"),
            "{path} was written outside the output folder: {all:?}"
        );
    }
    assert!(
        work.join("outputs")
            .join("escape")
            .join("summary.json")
            .is_file(),
        "{all:?}"
    );
}

#[test]
fn odd_file_names_give_a_plain_folder_inside_outputs() {
    for stem in [
        "..",
        "...",
        "..\\..\\evil",
        "tab\there",
        "Pākistan–Россия",
        "bell\u{7}",
        "-rf",
        " ",
    ] {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join(format!("{stem}.ron"));
        std::fs::write(&file, small_named("odd")).unwrap();
        let work = root.path().join("w");
        common::run_into_default_folder(&work, &[&file]);
        let outputs = work.join("outputs");
        let made = tree(&outputs);
        let folder = made.iter().find(|p| !p.contains('/')).expect("one folder");
        assert!(
            folder
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
                && !folder.starts_with('.'),
            "stem {stem:?} gave the folder {folder:?}"
        );
        assert!(
            made.iter().all(|p| p.starts_with(folder.as_str())),
            "{made:?}"
        );
        assert_eq!(tree(&work), {
            let mut all: Vec<String> = made.iter().map(|p| format!("outputs/{p}")).collect();
            all.push("outputs".into());
            all.sort();
            all
        });
    }
}

#[test]
fn compare_with_odd_file_names_writes_inside_outputs() {
    let root = tempfile::tempdir().unwrap();
    let a = root.path().join("..\\a\u{1b}[31m.ron");
    let b = root.path().join("../b".replace('/', "\u{2215}") + ".ron");
    std::fs::write(&a, small_named("a")).unwrap();
    std::fs::write(&b, small_named("b")).unwrap();
    let work = root.path().join("w");
    common::run_into_default_folder(&work, &[&"compare", &a, &b]);
    let made = tree(&work);
    assert!(made.iter().all(|p| p.starts_with("outputs")), "{made:?}");
    let folders: Vec<_> = made
        .iter()
        .filter(|p| p.matches('/').count() == 1)
        .collect();
    assert_eq!(folders.len(), 1, "{made:?}");
    assert!(
        folders[0].is_ascii() && !folders[0].contains('\u{1b}'),
        "{folders:?}"
    );
}

/// Refused with exit 2 and a message naming --out, before the scenario is even read
/// (a missing scenario would be another error).
fn refused_before_work(out: &Path) -> String {
    let assert = simulate()
        .arg("/nonexistent/scenario.ron")
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("--out"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    stderr
}

#[test]
fn out_pointing_at_a_file_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "keep me").unwrap();
    let stderr = refused_before_work(&file);
    assert!(stderr.contains("existing file"), "{stderr}");
    refused_before_work(&file.join("sub"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    assert_eq!(tree(dir.path()), ["notes.txt"]);
}

#[test]
fn out_pointing_at_a_folder_of_something_else_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("thesis.tex"), "years of work").unwrap();
    let stderr = refused_before_work(dir.path());
    assert!(stderr.contains("does not hold entente results"), "{stderr}");
    assert_eq!(tree(dir.path()), ["thesis.tex"]);
}

#[cfg(target_os = "linux")]
#[test]
fn out_in_an_unwritable_place_is_refused_before_any_work() {
    // /proc refuses new folders even to root.
    let stderr = refused_before_work(Path::new("/proc/entente-results"));
    assert!(stderr.contains("cannot write"), "{stderr}");

    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root may write anyway; then there is nothing to test here.
    if std::fs::create_dir(locked.join("probe")).is_err() {
        refused_before_work(&locked.join("out"));
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
}

// Defect: a mount point given as --out passed the checks, and after all the work renaming
// the result onto it failed (EBUSY). Now it is refused before any work.
#[cfg(target_os = "linux")]
#[test]
fn a_mount_point_as_out_is_refused_before_any_work() {
    use std::os::unix::fs::MetadataExt;
    let dev = |p: &str| std::fs::metadata(p).unwrap().dev();
    if dev("/proc") == dev("/") {
        return; // /proc is not mounted here: no mount point to try
    }
    let stderr = refused_before_work(Path::new("/proc"));
    assert!(stderr.contains("mount point"), "{stderr}");
}

// Defect 6 (issue 19): an --out longer than PATH_MAX (4,096 bytes), or with a part longer
// than a file name may be anywhere in it, was accepted and failed only after the run's
// work (exit 1, a message as long as the path). Now refused first, exit 2, one short line.
#[cfg(unix)]
#[test]
fn an_out_longer_than_path_max_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let deep = (0..21).fold(dir.path().to_path_buf(), |p, _| p.join("d".repeat(200)));
    let stderr = refused_before_work(&deep);
    assert!(stderr.contains("4096 bytes for a path"), "{stderr}");
    assert!(stderr.len() < 1000, "a bounded message: {stderr}");
    let long_part = dir.path().join("x".repeat(300)).join("out");
    let stderr = refused_before_work(&long_part);
    assert!(stderr.contains("255 bytes"), "{stderr}");
    std::os::unix::fs::symlink("/nonexistent", dir.path().join("dangling")).unwrap();
    let stderr = refused_before_work(&dir.path().join("dangling").join("out"));
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert_eq!(tree(dir.path()), ["dangling"]);
}

// Also seen in issue 19: `-o "$PWD"` (an empty current folder) was accepted and the run
// renamed the user's current folder away, while `-o .` was refused. Now the current
// folder, and any folder holding it, is refused as --out however it is written.
#[test]
fn the_current_folder_or_one_holding_it_is_refused_as_out() {
    let dir = tempfile::tempdir().unwrap();
    let here = dir.path().join("here");
    std::fs::create_dir(&here).unwrap();
    for out in [here.clone(), dir.path().to_path_buf(), "../here".into()] {
        let assert = simulate()
            .current_dir(&here)
            .arg("/nonexistent/scenario.ron")
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(
            stderr.contains("current folder"),
            "{}: {stderr}",
            out.display()
        );
    }
    assert_eq!(tree(dir.path()), ["here"]);
}
