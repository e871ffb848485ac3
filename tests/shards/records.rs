//! `--records` (docs/src/howto/records.md): `records.parquet` is the same bytes for any
//! thread count and from merged shards, and a merge refuses shards whose records are
//! missing or damaged.

use crate::common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use common::{read, scenario, simulate};

const RECORDS: &str = "records.parquet";
/// 1500 trajectories: 6 chunks of 256, the last one partial; two chunks per shard.
const TRAJECTORIES: &str = "1500";

/// putin_visit.ron, 1500 trajectories with seed 5 on `threads` threads with `extra` flags,
/// into `dir/name`.
fn visit(dir: &Path, name: &str, threads: &str, extra: &[&str]) -> PathBuf {
    let visit = scenario("putin_visit.ron");
    let mut args: Vec<&dyn AsRef<OsStr>> = vec![
        &visit,
        &"--trajectories",
        &TRAJECTORIES,
        &"--seed",
        &"5",
        &"--threads",
        &threads,
    ];
    args.extend(extra.iter().map(|x| x as &dyn AsRef<OsStr>));
    common::run_into(&dir.join(name), &args)
}

/// The three shards of `visit` with `--records` (shard `skip` without), in `dir/part{i}`.
fn shards(dir: &Path, without: Option<u32>) -> Vec<PathBuf> {
    (1..=3)
        .map(|i| {
            let shard = format!("{i}/3");
            let mut extra = vec!["--shard", shard.as_str()];
            if without != Some(i) {
                extra.push("--records");
            }
            visit(dir, &format!("part{i}"), "2", &extra)
        })
        .collect()
}

#[test]
fn records_are_the_same_bytes_for_1_2_and_7_threads_and_from_3_merged_shards() {
    let dir = tempfile::tempdir().unwrap();
    let one = visit(dir.path(), "one", "1", &["--records"]);
    let two = visit(dir.path(), "two", "2", &["--records"]);
    let seven = visit(dir.path(), "seven", "7", &["--records"]);
    let parts = shards(dir.path(), None);
    let merged = dir.path().join("merged");
    common::merge_into(&merged, &parts);
    for other in [&two, &seven, &merged] {
        common::assert_same_files(&one, other, &[RECORDS], "for the same seed");
    }
    // The rest of the folder is what a run without --records writes, which writes no
    // records.
    let plain = visit(dir.path(), "plain", "2", &[]);
    let files = [
        "summary.json",
        "timeseries.csv",
        "outcomes.csv",
        "report.html",
    ];
    common::assert_same_files(&plain, &one, &files, "with --records");
    assert!(!plain.join(RECORDS).exists());
    assert!(read(&one.join(RECORDS)).len() > 1_000);
}

#[test]
fn a_merge_of_shards_with_and_without_records_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let parts = shards(dir.path(), Some(2));
    let out = dir.path().join("merged");
    let err = simulate()
        .arg("merge")
        .args(&parts)
        .args(["--quiet", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    let message = common::stderr_of(&err);
    assert!(
        message.contains("part2") && message.contains("--records"),
        "{message}"
    );
    assert!(!out.exists());
}

#[test]
fn a_shard_whose_records_were_edited_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let parts = shards(dir.path(), None);
    let records = parts[1].join(RECORDS);
    let mut bytes = read(&records);
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(&records, bytes).unwrap();
    let out = dir.path().join("merged");
    let err = simulate()
        .arg("merge")
        .args(&parts)
        .args(["--quiet", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    let message = common::stderr_of(&err);
    assert!(
        message.contains("part2") && message.contains("records.parquet does not match"),
        "{message}"
    );
    assert!(!out.exists());
    assert_eq!(common::names(dir.path()), ["part1", "part2", "part3"]);
}
