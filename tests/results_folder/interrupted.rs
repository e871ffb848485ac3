//! An interrupted run leaves the previous result intact and nothing beside it; two runs
//! into the same folder leave one whole result.
//!
//! The signals are sent with `kill`, to a `simulate` started on a run far too long to end
//! by itself, once it has installed its handler (read from /proc on Linux).
#![cfg(unix)]

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{data, names, snapshot, staging_folders, wait_while_running};

/// How long a stopped run may take to exit; it checks for Ctrl-C at every step, well under
/// a second even for the largest worlds. Generous, for loaded CI machines.
const EXIT_DEADLINE: Duration = Duration::from_secs(20);

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_simulate"))
}

fn quick_run(out: &Path, seed: &str) {
    common::simulate()
        .arg(data("small.ron"))
        .args(["--trajectories", "300", "--seed", seed, "--quiet", "--out"])
        .arg(out)
        .assert()
        .success();
}

/// Whether `pid` catches `signal` (has installed its handler) within `patience`, as /proc
/// tells; without /proc, waits 2 s and says yes.
fn catches_within(pid: u32, signal: u32, patience: Duration) -> bool {
    let status = PathBuf::from(format!("/proc/{pid}/status"));
    if !status.exists() {
        std::thread::sleep(Duration::from_secs(2)); // no /proc: give it time to start
        return true;
    }
    let start = Instant::now();
    while start.elapsed() < patience {
        let text = std::fs::read_to_string(&status).unwrap_or_default();
        let caught = text
            .lines()
            .find_map(|l| l.strip_prefix("SigCgt:"))
            .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
            .unwrap_or(0);
        if caught & (1 << (signal - 1)) != 0 {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// Waits until `pid` runs at least `threads` threads (main, the signal handler's thread and
/// the workers), i.e. the run itself has started; without /proc, waits 2 s.
fn wait_for_threads(pid: u32, threads: usize) {
    let status = PathBuf::from(format!("/proc/{pid}/status"));
    let start = Instant::now();
    while status.exists() && start.elapsed() < EXIT_DEADLINE {
        let text = std::fs::read_to_string(&status).unwrap_or_default();
        let running = text
            .lines()
            .find_map(|l| l.strip_prefix("Threads:"))
            .and_then(|n| n.trim().parse::<usize>().ok())
            .unwrap_or(0);
        if running >= threads {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_secs(2));
}

fn send(child: &Child, signal: &str) {
    let sent = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status();
    assert!(sent.unwrap().success(), "kill -{signal} failed");
}

fn stderr_of(child: &mut Child) -> String {
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    stderr
}

/// Waits (within the deadline) for `child` to end: its exit code and stderr.
fn outcome_of(mut child: Child) -> (Option<i32>, String) {
    let code = wait_with_deadline(&mut child);
    (code, stderr_of(&mut child))
}

fn wait_with_deadline(child: &mut Child) -> Option<i32> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        if start.elapsed() > EXIT_DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("simulate did not stop within {EXIT_DEADLINE:?} of the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts a run of a billion trajectories into `out` and returns once it is working.
fn start_endless_run(out: &Path) -> Child {
    let trajectories = ["--trajectories", "1000000000"].map(Path::new);
    start_run(&[&data("small.ron"), trajectories[0], trajectories[1]], out)
}

/// A run into a folder `results` that holds a previous result: `start` begins it (given the
/// temporary folder and `results`), `stop` interrupts it. The run must exit 130 without a
/// panic and leave the previous result as it was. Returns the temporary folder, for what
/// else may or may not stand in it, and the run's stderr; `what` names the case in messages.
fn interrupt_over_a_previous_result(
    what: &str,
    start: impl FnOnce(&Path, &Path) -> Child,
    stop: impl FnOnce(&Child),
) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    quick_run(&out, "1");
    let before = snapshot(&out);

    let child = start(dir.path(), &out);
    stop(&child);
    let (code, stderr) = outcome_of(child);
    assert_eq!(code, Some(130), "{what} should exit 130; stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert_eq!(
        snapshot(&out),
        before,
        "{what}: the previous result changed"
    );
    (dir, stderr)
}

fn an_interrupted_run_keeps_the_previous_result(signal: (&str, u32)) {
    let (dir, stderr) = interrupt_over_a_previous_result(
        &format!("SIG{}", signal.0),
        |_, out| start_endless_run(out),
        |child| send(child, signal.0),
    );
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(
        names(dir.path()),
        ["results"],
        "a temporary folder was left beside it"
    );
}

#[test]
fn ctrl_c_exits_130_and_keeps_the_previous_result() {
    an_interrupted_run_keeps_the_previous_result(("INT", 2));
}

#[test]
fn sigterm_exits_130_and_keeps_the_previous_result() {
    an_interrupted_run_keeps_the_previous_result(("TERM", 15));
}

#[test]
fn an_interrupted_first_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let child = start_endless_run(&dir.path().join("results"));
    send(&child, "INT");
    let (code, stderr) = outcome_of(child);
    assert_eq!(code, Some(130), "{stderr}");
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
}

#[test]
fn two_runs_into_the_same_folder_leave_one_whole_result() {
    let dir = tempfile::tempdir().unwrap();
    let references: Vec<_> = ["1", "2"]
        .iter()
        .map(|seed| {
            let out = dir.path().join(format!("alone_{seed}"));
            quick_run(&out, seed);
            snapshot(&out)
        })
        .collect();
    assert_ne!(references[0], references[1]);

    let shared = dir.path().join("shared");
    for round in 0..3 {
        let children: Vec<Child> = ["1", "2"]
            .iter()
            .map(|seed| {
                Command::new(binary())
                    .arg(data("small.ron"))
                    .args(["--trajectories", "300", "--seed", seed, "--quiet", "--out"])
                    .arg(&shared)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut child in children {
            assert_eq!(wait_with_deadline(&mut child), Some(0), "round {round}");
        }
        let result = snapshot(&shared);
        assert!(
            references.contains(&result),
            "round {round}: a mixed folder"
        );
    }
    assert_eq!(names(dir.path()), ["alone_1", "alone_2", "shared"]);
}

/// A world of 120 states and 3,000 steps with a million trajectories: one block of its
/// trajectories takes tens of seconds, one chunk of 256 many minutes.
fn large_world(dir: &Path) -> PathBuf {
    let n = 120;
    let states: Vec<String> = (0..n).map(|i| format!("State(name: \"S{i}\")")).collect();
    let ties: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "Tie(from: \"S{i}\", to: \"S{}\", channel: \"trade\", share: 0.5)",
                (i + 1) % n
            )
        })
        .collect();
    let text = format!(
        "Scenario(name: \"large\", steps: 3000, trajectories: 1000000, seed: 1, \
         channels: [\"trade\", \"arms\", \"aid\", \"talks\"], states: [{}], ties: [{}], \
         metrics: [Partnership(\"S0\", \"S1\")])",
        states.join(", "),
        ties.join(", ")
    );
    let path = dir.join("large.ron");
    std::fs::write(&path, text).unwrap();
    path
}

/// Starts `simulate ARGS --threads 2 --quiet --out OUT` and waits until its workers run.
fn start_run(args: &[&Path], out: &Path) -> Child {
    let child = Command::new(binary())
        .args(args)
        .args(["--threads", "2", "--quiet", "--out"])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // main, the signal handler's thread and two workers.
    wait_for_threads(child.id(), 4);
    std::thread::sleep(Duration::from_millis(300));
    child
}

#[test]
fn ctrl_c_stops_a_large_world_within_a_step() {
    // Before, the workers read the flag only between chunks of 256 trajectories: a world of
    // 120 states and 3,000 steps ran on for many minutes after Ctrl-C. Now they read it at
    // every step: the run ends with 130 well within the deadline, the previous result intact
    // and nothing left beside it.
    let (dir, stderr) = interrupt_over_a_previous_result(
        "Ctrl-C in a large world",
        |dir, out| start_run(&[&large_world(dir)], out),
        |child| send(child, "INT"),
    );
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(names(dir.path()), ["large.ron", "results"]);
}

/// A world that runs in a moment but takes a second or more to write: 30 states and 150
/// tracked metrics, each with its plots.
fn wide_world(dir: &Path) -> PathBuf {
    let n = 30;
    let states: Vec<String> = (0..n).map(|i| format!("State(name: \"S{i}\")")).collect();
    let metrics: Vec<String> = (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| format!("Partnership(\"S{i}\", \"S{j}\")")))
        .take(150)
        .collect();
    let text = format!(
        "Scenario(name: \"wide\", steps: 40, trajectories: 8, seed: 1, channels: [\"trade\"], \
         states: [{}], metrics: [{}])",
        states.join(", "),
        metrics.join(", ")
    );
    let path = dir.join("wide.ron");
    std::fs::write(&path, text).unwrap();
    path
}

/// Starts a run of `world` into `out` and returns once it has begun writing its result (its
/// staging folder has appeared beside `out`).
fn start_writing(world: &Path, out: &Path) -> Child {
    let mut child = Command::new(binary())
        .arg(world)
        .args(["--threads", "1", "--quiet", "--out"])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let writing = || !staging_folders(out).is_empty();
    wait_while_running(&mut child, EXIT_DEADLINE, "it writing its result", writing);
    child
}

#[test]
fn ctrl_c_during_the_final_write_keeps_the_previous_result() {
    // Before, Ctrl-C while the result was being written was ignored: the run put its new
    // result in place and exited 0. Now the write stops before the rename: exit 130, the
    // previous result intact and the staging folder removed.
    let (dir, _) = interrupt_over_a_previous_result(
        "Ctrl-C during the final write",
        |dir, out| start_writing(&wide_world(dir), out),
        |child| send(child, "INT"),
    );
    assert_eq!(names(dir.path()), ["results", "wide.ron"]);
}

#[test]
fn a_second_ctrl_c_ends_the_process_at_once() {
    // Before, a second Ctrl-C did nothing more than the first: the process went on to the
    // end of what it was doing (here: writing a result, which it then put in place). Now the
    // second one ends the process at once with 130, and the first already stops the write
    // at its next file (`ctrl_c_while_plotting_stops_at_the_next_plot`): whichever ends it,
    // no finished result is put in place or left beside it.
    let (dir, _) = interrupt_over_a_previous_result(
        "a second Ctrl-C during the final write",
        |dir, out| start_writing(&wide_world(dir), out),
        |child| {
            send(child, "INT");
            // Two signals sent at the same instant may reach the process as one (a pending
            // signal is not queued twice), as a person's two presses of Ctrl-C never would.
            std::thread::sleep(Duration::from_millis(200));
            send(child, "INT");
        },
    );
    // Ended in the middle of the write, it leaves an unfinished staging folder (no marker),
    // which the next run into the same place removes; stopped by the first, none.
    let staging: Vec<String> = names(dir.path())
        .into_iter()
        .filter(|n| n.starts_with(".results.partial-"))
        .collect();
    assert!(staging.len() <= 1, "{staging:?}");
    for left in &staging {
        let marker = dir.path().join(left).join(".entente-results");
        assert!(!marker.exists(), "the write ran to its end");
    }
}

#[cfg(target_os = "linux")]
fn fifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success(), "mkfifo failed");
}

/// Starts `simulate` with `args`, to block reading a FIFO, and sends it `signal` once it is
/// waiting there (or, if it never installs a handler, after a while).
#[cfg(target_os = "linux")]
fn interrupt_blocked(args: &[&Path], signal: (&str, u32)) -> (Option<i32>, String) {
    let child = Command::new(binary())
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    catches_within(child.id(), signal.1, Duration::from_secs(3));
    std::thread::sleep(Duration::from_millis(300));
    send(&child, signal.0);
    outcome_of(child)
}

#[cfg(target_os = "linux")]
#[test]
fn sigterm_while_loading_exits_130() {
    // Before, the handler was installed only when the workers started, so SIGTERM while a
    // scenario loaded (here: a FIFO nobody writes to, where loading waits for ever) killed
    // the process without exit 130 or a message. Now the handler is installed first thing
    // and a signal outside a run ends the process at once: 130, nothing written.
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("slow.ron");
    fifo(&scenario);
    let out = dir.path().join("results");
    let (code, stderr) = interrupt_blocked(&[&scenario, Path::new("--out"), &out], ("TERM", 15));
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(names(dir.path()), ["slow.ron"]);
}

#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_during_merge_exits_130_and_writes_nothing() {
    // Before, `merge` never installed a handler: Ctrl-C while it read the parts killed it
    // without exit 130. Now it exits 130 and writes no folder. A shard of the wide world
    // (150 metrics x 41 steps of histograms, about 24 MB) keeps merge busy reading,
    // checking and writing for over a second, and the signal comes 0.3 s after the handler
    // is in place. (A FIFO in place of a part's file no longer holds merge: it is refused.)
    let dir = tempfile::tempdir().unwrap();
    let world = wide_world(dir.path());
    let part = dir.path().join("part");
    Command::new(binary())
        .arg(&world)
        .args(["--shard", "1/1", "--quiet", "--out"])
        .arg(&part)
        .status()
        .unwrap();
    assert!(
        part.join("manifest.json").is_file(),
        "the shard was written"
    );
    let out = dir.path().join("merged");
    let args = [Path::new("merge"), &part, Path::new("--out"), &out];
    let (code, stderr) = interrupt_blocked(&args, ("INT", 2));
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(names(dir.path()), ["part", "wide.ron"]);
}

/// The plots in the staging folder of the run writing into `out`, 0 once it is gone.
fn plots_being_written(out: &Path) -> usize {
    (staging_folders(out).iter())
        .map(|s| std::fs::read_dir(s.join("plots")).map_or(0, |d| d.count()))
        .sum()
}

#[test]
fn ctrl_c_while_plotting_stops_at_the_next_plot() {
    // Before, Ctrl-C while the plots were drawn raised the flag but every remaining plot
    // (hundreds, seconds of work) was still drawn before the run gave up. Now no file is
    // begun after it: the run ends with 130 after at most the plot in hand (counted, not
    // timed), the previous result intact and the staging folder removed.
    let mut after_signal = 0;
    let mut at_signal = 0;
    let written = std::cell::RefCell::new(PathBuf::new());
    let (dir, stderr) = interrupt_over_a_previous_result(
        "Ctrl-C while plotting",
        |dir, out| {
            written.replace(out.to_path_buf());
            let child = start_writing(&wide_world(dir), out);
            let start = Instant::now();
            while plots_being_written(out) < 10 && start.elapsed() < EXIT_DEADLINE {
                std::thread::sleep(Duration::from_millis(1));
            }
            child
        },
        |child| {
            let out = written.borrow().clone();
            at_signal = plots_being_written(&out);
            send(child, "INT");
            let start = Instant::now();
            loop {
                let now = plots_being_written(&out);
                if now == 0 || start.elapsed() > EXIT_DEADLINE {
                    break;
                }
                after_signal = after_signal.max(now);
            }
        },
    );
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(
        at_signal >= 10,
        "the run was not plotting yet ({at_signal} plots)"
    );
    // A figure is a PNG and an SVG; one in hand, and one begun as the signal came.
    assert!(
        after_signal <= at_signal + 4,
        "{} plots were begun after Ctrl-C",
        after_signal - at_signal
    );
    assert_eq!(names(dir.path()), ["results", "wide.ron"]);
}
