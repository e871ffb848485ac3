//! Shared by the cluster tests (`slurm`, `parallel`, `slurm_script`): the commands they run
//! come from docs/src/howto/cluster.md itself, so the doc cannot drift from what is tested, and their
//! result is compared file for file with one local run.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::common::{read, root};

/// Two clusters at once would share this node's name and so its job cgroups: one at a time,
/// across every module of this binary that starts one (`slurm`, `slurm_script`).
pub static ONE_CLUSTER: Mutex<()> = Mutex::new(());

/// The scenario, trajectory count and seed the doc's trial sizes run, and the single local
/// run the merged folder must equal.
pub const TRAJECTORIES: &str = "100000";
pub const SEED: &str = "2018";

/// The ```bash blocks of the section of docs/src/howto/cluster.md under `## {heading}`, in order.
pub fn doc_blocks(heading: &str) -> (String, Vec<String>) {
    let doc = String::from_utf8(read(&root().join("docs/src/howto/cluster.md"))).unwrap();
    let title = format!("## {heading}\n");
    let start = doc
        .find(&title)
        .unwrap_or_else(|| panic!("docs/src/howto/cluster.md has no section `## {heading}`"));
    let rest = &doc[start + title.len()..];
    let section = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in section.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```bash") => current = Some(String::new()),
            (Some(_), "```") => blocks.push(current.take().unwrap()),
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    assert!(
        current.is_none(),
        "an unclosed ```bash block under `## {heading}`"
    );
    (section.to_string(), blocks)
}

/// A working folder laid out as the doc assumes: `scenarios/` (the shipped ones, through a
/// symlink so the bytes are the repository's) in the current folder.
pub fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(root().join("scenarios"), dir.path().join("scenarios")).unwrap();
    dir
}

/// `PATH` with the tested `simulate` first, as a user who installed it has it.
pub fn path_with_simulate() -> String {
    let binary = assert_cmd::cargo::cargo_bin("simulate");
    let dir = binary.parent().unwrap().display().to_string();
    match std::env::var("PATH") {
        Ok(path) => format!("{dir}:{path}:/usr/sbin:/sbin"),
        Err(_) => format!("{dir}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"),
    }
}

/// One local `simulate scenarios/putin_visit.ron --trajectories 100000 --seed 2018` in `dir`.
pub fn single_run(dir: &Path) -> PathBuf {
    let out = dir.join("single");
    crate::common::simulate()
        .current_dir(dir)
        .args([
            "scenarios/putin_visit.ron",
            "--trajectories",
            TRAJECTORIES,
            "--seed",
            SEED,
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    out
}

/// Every file under `dir` (hidden ones and `plots/` included) by relative path, with its
/// bytes.
pub fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(top: &Path, dir: &Path, into: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(top, &path, into);
            } else {
                into.insert(path.strip_prefix(top).unwrap().to_path_buf(), read(&path));
            }
        }
    }
    let mut all = BTreeMap::new();
    walk(dir, dir, &mut all);
    all
}

/// Panics naming every file that is missing, extra or different between the two folders.
pub fn assert_same_folder(expected: &Path, actual: &Path) {
    let (a, b) = (files(expected), files(actual));
    assert!(!a.is_empty(), "{} is empty", expected.display());
    let mut problems = Vec::new();
    for (name, bytes) in &a {
        match b.get(name) {
            None => problems.push(format!("{} is missing", name.display())),
            Some(other) if other != bytes => problems.push(format!("{} differs", name.display())),
            Some(_) => {}
        }
    }
    for name in b.keys().filter(|n| !a.contains_key(*n)) {
        problems.push(format!("{} is extra", name.display()));
    }
    assert!(
        problems.is_empty(),
        "{} against {}: {}",
        actual.display(),
        expected.display(),
        problems.join(", ")
    );
}

/// Whether this run must not skip a test for a missing tool (CI installs them).
pub fn under_ci() -> bool {
    super::common::under_ci()
}

/// scripts/slurm-cluster.sh, which starts and stops the one-node cluster.
pub fn script() -> PathBuf {
    root().join("scripts/slurm-cluster.sh")
}

/// A port nobody listens on now, so the test's cluster does not meet a real one.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
