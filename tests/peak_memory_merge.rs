//! The peak memory of `simulate merge`, measured on the merge process alone (`wait4` gives
//! the resource usage of that one child, not the largest of every child waited for, so the
//! shards run before it do not count). In a test binary of its own, as
//! `tests/peak_memory_run.rs`: a child's peak resident set includes the memory of the process
//! that started it, so this process must stay small.

mod common;

#[cfg(target_os = "linux")]
mod linux {
    use std::io::Read;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    use super::common::scenario;

    /// Long enough for any merge here; one still running then is killed and fails the test
    /// rather than hanging the suite.
    const DEADLINE: Duration = Duration::from_secs(300);

    /// What a finished child left: its exit code, its standard error and its own peak
    /// resident set in bytes.
    struct Measured {
        code: Option<i32>,
        stderr: String,
        peak: u64,
    }

    /// Runs `cmd` and measures its peak resident set (`ru_maxrss` of `wait4` on its pid).
    // The child is reaped by `wait4`, not `Child::wait`, which would not give its usage.
    #[allow(clippy::zombie_processes)]
    fn measured(cmd: &mut Command) -> Measured {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("simulate starts");
        let mut pipe = child.stderr.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        });
        let pid = child.id() as libc::pid_t;
        let started = Instant::now();
        let (mut status, mut usage): (libc::c_int, libc::rusage) =
            (0, unsafe { std::mem::zeroed() });
        loop {
            // SAFETY: wait4 only writes the status and the struct it is given.
            let waited = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
            assert!(waited >= 0, "wait4 failed");
            if waited == pid {
                break;
            }
            if started.elapsed() > DEADLINE {
                // Not reaped yet, so the pid is still this child's.
                let _ = child.kill();
                panic!("simulate ran past {DEADLINE:?}");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Measured {
            code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
            stderr: reader.join().unwrap(),
            peak: usage.ru_maxrss as u64 * 1024,
        }
    }

    /// Shard `i` of 2 of `file` (its trajectories, seed 3), in `dir/part{i}`.
    fn shard(file: &Path, dir: &Path, i: u32) -> PathBuf {
        let out = dir.join(format!("part{i}"));
        super::common::simulate()
            .arg(file)
            .args(["--seed", "3", "--quiet", "--threads", "1"])
            .args(["--shard", &format!("{i}/2"), "--out"])
            .arg(&out)
            .assert()
            .success();
        out
    }

    /// A world of 8 states tracking 5 stances over 500 steps, 1,024 trajectories: its
    /// histograms (40 MB a set of aggregates) outweigh everything else a merge holds.
    fn histogram_world(dir: &Path) -> PathBuf {
        let states: Vec<String> = (0..8).map(|i| format!("State(name: \"s{i}\")")).collect();
        let metrics: Vec<String> = (1..=5)
            .map(|j| format!("Stance(\"s0\", \"s{j}\")"))
            .collect();
        let file = dir.join("histograms.ron");
        std::fs::write(
            &file,
            format!(
                "Scenario(name: \"histograms\", steps: 500, trajectories: 1024, states: [{}], \
                 metrics: [{}], outcomes: [Outcome(name: \"close\", at_end: \
                 Above(Partnership(\"s0\", \"s1\"), 0.3))])",
                states.join(", "),
                metrics.join(", ")
            ),
        )
        .unwrap();
        file
    }

    fn merge(out: &Path) -> Command {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("simulate"));
        cmd.args(["merge", "--quiet", "--out"])
            .arg(out)
            .env_remove(entente::engine::host::IGNORE_MEMORY_CHECK)
            .env_remove("RUST_BACKTRACE");
        cmd
    }

    /// Defect (issue 19, item 4): `merge --from` read the manifest of every line it listed
    /// and held them all before it looked for a shard given twice: a list repeating two
    /// folders 100,000 times held 100,000 parts (2.6 s, 170 MB peak; a million lines, 22 s
    /// and 1.65 GB, and an abort under `ulimit -v`). Now duplicates are found from the
    /// manifests as they are read, so memory holds one manifest per shard at most and the
    /// list's text: the merge is refused at the third line, in one short line, and its peak
    /// stays a few megabytes (6 MB measured, here bounded by 40 MB).
    #[test]
    fn a_list_repeating_two_folders_100000_times_is_refused_without_holding_its_parts() {
        let dir = tempfile::tempdir().unwrap();
        let visit = scenario("putin_visit.ron");
        shard(&visit, dir.path(), 1);
        shard(&visit, dir.path(), 2);
        let list = dir.path().join("parts.txt");
        std::fs::write(&list, "part1\npart2\n".repeat(50_000)).unwrap();
        let out = dir.path().join("merged");
        let refused = measured(merge(&out).arg("--from").arg(&list));
        assert_eq!(refused.code, Some(2), "{}", refused.stderr);
        assert!(
            refused.stderr.contains("shard 1/2 is given twice"),
            "{}",
            refused.stderr
        );
        assert_eq!(refused.stderr.lines().count(), 1, "{}", refused.stderr);
        assert!(!out.exists());
        eprintln!(
            "peak resident set of the refused merge: {} bytes",
            refused.peak
        );
        assert!(
            refused.peak < 40 << 20,
            "the refused merge peaked at {} bytes",
            refused.peak
        );
    }

    /// A merge's memory estimate (`engine::estimate::merge_estimate`, checked before any
    /// aggregates are read) bounds the measured peak of a merge, by less than 3x (84 MB
    /// measured against 165 MB estimated here; a world of 20 metrics x 1,000 steps, 632 MB
    /// against 1.09 GB).
    #[test]
    fn the_merge_estimate_bounds_the_peak_memory_of_a_merge() {
        let dir = tempfile::tempdir().unwrap();
        let file = histogram_world(dir.path());
        let parts = [shard(&file, dir.path(), 1), shard(&file, dir.path(), 2)];
        let out = dir.path().join("merged");
        let merged = measured(merge(&out).args(&parts));
        assert_eq!(merged.code, Some(0), "{}", merged.stderr);
        // Loaded only now, so that it does not count in the child's peak.
        let world = entente::scenario::load(&file).unwrap().world;
        let e = entente::engine::estimate::merge_estimate(&world, world.trajectories, 2);
        eprintln!("merge: measured peak {} bytes, estimate {e:?}", merged.peak);
        let peak = merged.peak;
        assert!(e.memory_bytes >= peak, "{peak} bytes measured: {e:?}");
        assert!(e.memory_bytes < 3 * peak, "{peak} bytes measured: {e:?}");
    }
}
