//! docs/src/howto/cluster.md's Slurm job array on a real one-node cluster (munged, slurmctld and slurmd
//! started by scripts/slurm-cluster.sh in a temporary folder): the sbatch script and the
//! submission are read from the doc and run as written, at the trial sizes the doc shows
//! (`--array=1-4 --cpus-per-task=1` on sbatch's command line, `TRAJECTORIES=100000` in the
//! environment); the merge job's folder must equal one local run byte for byte. A job whose
//! `--mem` is too small for its run must end with entente's exit 2 naming the cgroup limit,
//! not be killed by the kernel.
//!
//! `.ci/run` installs Debian's `slurm-wlm` and `munge`. When Slurm cannot be started (not
//! installed, not root) this test fails under CI (`CI=true`) and is skipped with a notice
//! elsewhere. Every daemon started is stopped by PID when the test ends, pass or fail.

use crate::cluster;
use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use cluster::{
    assert_same_folder, doc_blocks, free_port, path_with_simulate, script, single_run, workspace,
    ONE_CLUSTER,
};

/// What the doc's submission block runs with; the test adds exactly these options, which the
/// doc gives as its small trial.
const DOC_SUBMIT: &str = "sbatch --parsable run_shards.sbatch";
const TRIAL_SUBMIT: &str = "sbatch --parsable --array=1-4 --cpus-per-task=1 run_shards.sbatch";

/// A running one-node cluster; dropping it stops its daemons by the PIDs they wrote.
struct Cluster {
    dir: tempfile::TempDir,
}

impl Cluster {
    /// `None` (after a notice) when Slurm cannot run here and this is not CI.
    fn start() -> Option<Cluster> {
        let dir = tempfile::tempdir().unwrap();
        let started = std::process::Command::new(script())
            .arg("start")
            .arg(dir.path())
            .env("SLURMCTLD_PORT", free_port().to_string())
            .env("SLURMD_PORT", free_port().to_string())
            // Killed by a signal, this test runs no `Drop`: the script's watcher then stops
            // the cluster (tests/outside_tools/slurm_script.rs).
            .env("SLURM_CLUSTER_OWNER", std::process::id().to_string())
            .output()
            .expect("bash runs scripts/slurm-cluster.sh");
        // Whatever happened, the guard now owns the pid files (the script cleans up after a
        // failed start itself; a second stop is harmless).
        let cluster = Cluster { dir };
        match started.status.code() {
            Some(0) => Some(cluster),
            Some(77) if !cluster::under_ci() => {
                eprintln!(
                    "NOTICE: skipping the Slurm test: {}",
                    String::from_utf8_lossy(&started.stderr).trim()
                );
                None
            }
            _ => panic!(
                "the one-node Slurm cluster did not start ({}); .ci/run must install slurm-wlm \
                 and munge and run as root:\n{}",
                started.status,
                String::from_utf8_lossy(&started.stderr)
            ),
        }
    }

    fn conf(&self) -> PathBuf {
        self.dir.path().join("etc/slurm.conf")
    }

    /// `bash -c TEXT` in `work` as a user of this cluster: its SLURM_CONF, the tested
    /// `simulate` on PATH, and nothing from a Slurm job this test might itself run in.
    fn bash(&self, work: &Path, text: &str, env: &[(&str, &str)]) -> Output {
        let mut cmd = assert_cmd::Command::new("bash");
        cmd.args(["-eu", "-o", "pipefail", "-c", text])
            .current_dir(work)
            .env("SLURM_CONF", self.conf())
            .env("PATH", path_with_simulate())
            .env_remove("RUST_BACKTRACE")
            .timeout(Duration::from_secs(120));
        for (name, _) in std::env::vars() {
            if name.starts_with("SBATCH_") || (name.starts_with("SLURM_") && name != "SLURM_CONF") {
                cmd.env_remove(name);
            }
        }
        cmd.envs(env.iter().copied());
        cmd.output().unwrap()
    }

    fn run(&self, work: &Path, text: &str) -> String {
        let output = self.bash(work, text, &[]);
        assert!(
            output.status.success(),
            "`{text}` failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Waits until no job is queued or running (the deadline keeps a stuck job from hanging
    /// the suite), then returns `scontrol show job` of every job, one line each.
    fn wait_for_all_jobs(&self, work: &Path) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(600);
        while !self.run(work, "squeue -h -o %i").trim().is_empty() {
            assert!(
                Instant::now() < deadline,
                "jobs still queued after 600 s:\n{}\n{}",
                self.run(work, "squeue"),
                self.logs(work)
            );
            std::thread::sleep(Duration::from_millis(500));
        }
        self.run(work, "scontrol -o show job")
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// The jobs' logs and the daemons', for a failure message.
    fn logs(&self, work: &Path) -> String {
        let mut text = String::new();
        for dir in [work.join("logs"), self.dir.path().join("log")] {
            for entry in std::fs::read_dir(&dir).into_iter().flatten() {
                let path = entry.unwrap().path();
                let body =
                    String::from_utf8_lossy(&std::fs::read(&path).unwrap_or_default()).into_owned();
                let tail: Vec<&str> = body.lines().rev().take(20).collect();
                text.push_str(&format!("--- {}\n", path.display()));
                for line in tail.into_iter().rev() {
                    text.push_str(line);
                    text.push('\n');
                }
            }
        }
        text
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = std::process::Command::new(script())
            .arg("stop")
            .arg(self.dir.path())
            .status();
    }
}

/// `Name=value` from one line of `scontrol -o show job`.
fn field<'a>(job: &'a str, name: &str) -> &'a str {
    job.split_whitespace()
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("no {name} in `{job}`"))
}

#[test]
fn the_documented_job_array_merges_to_the_bytes_of_one_run() {
    let _one = ONE_CLUSTER.lock().unwrap_or_else(|e| e.into_inner());
    let (section, blocks) = doc_blocks("Slurm job array");
    assert_eq!(blocks.len(), 2, "the sbatch script and its submission");
    let (sbatch_script, submit) = (&blocks[0], &blocks[1]);
    // The trial sizes must be the doc's own, given the way the doc gives them.
    assert!(section.contains(TRIAL_SUBMIT) && section.contains("TRAJECTORIES=100000"));
    assert!(sbatch_script.contains("$SLURM_ARRAY_TASK_COUNT"));
    assert_eq!(submit.matches(DOC_SUBMIT).count(), 1, "{submit}");
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let work = workspace();
    std::fs::write(work.path().join("run_shards.sbatch"), sbatch_script).unwrap();
    let output = cluster.bash(
        work.path(),
        &submit.replace(DOC_SUBMIT, TRIAL_SUBMIT),
        &[("TRAJECTORIES", cluster::TRAJECTORIES)],
    );
    assert!(
        output.status.success(),
        "the doc's submission failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let jobs = cluster.wait_for_all_jobs(work.path());
    // Four array tasks and the merge, every one finished with exit code 0.
    assert_eq!(jobs.len(), 5, "{jobs:#?}");
    for job in &jobs {
        assert!(
            field(job, "JobState") == "COMPLETED" && field(job, "ExitCode") == "0:0",
            "{job}\n{}",
            cluster.logs(work.path())
        );
    }
    let shards: Vec<&String> = jobs.iter().filter(|j| j.contains("ArrayTaskId=")).collect();
    assert_eq!(shards.len(), 4, "{jobs:#?}");
    let single = single_run(work.path());
    assert_same_folder(&single, &work.path().join("outputs/putin_visit"));
}

/// A world whose run needs gigabytes (50 stances over 1,000 steps: about 2.7 GB on this
/// machine's estimate), for a job given 500 MB.
fn large_world(dir: &Path) -> PathBuf {
    let states: Vec<String> = (0..11).map(|i| format!("State(name: \"s{i}\")")).collect();
    let stances: Vec<String> = (0..11)
        .flat_map(|i| (0..11).filter(move |&j| j != i).map(move |j| (i, j)))
        .take(50)
        .map(|(i, j)| format!("Stance(\"s{i}\", \"s{j}\")"))
        .collect();
    let file = dir.join("large.ron");
    std::fs::write(
        &file,
        format!(
            "Scenario(name: \"large\", steps: 1000, trajectories: 1000, states: [{}], \
             outcomes: [Outcome(name: \"close\", at_end: Above(Partnership(\"s0\", \"s1\"), 0.3))], \
             metrics: [{}])",
            states.join(", "),
            stances.join(", ")
        ),
    )
    .unwrap();
    file
}

#[test]
fn a_job_whose_mem_is_too_small_is_refused_with_exit_2_naming_the_cgroup_limit() {
    let _one = ONE_CLUSTER.lock().unwrap_or_else(|e| e.into_inner());
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let work = workspace();
    large_world(work.path());
    std::fs::create_dir(work.path().join("logs")).unwrap();
    // The wrapped command writes entente's own exit status too, beside what Slurm records.
    let jobid = cluster.run(
        work.path(),
        "sbatch --parsable --mem=500M --output=logs/large.out --wrap \
         'simulate large.ron --quiet --out outputs/large; code=$?; echo \"$code\" > large.status; exit \"$code\"'",
    );
    let jobs = cluster.wait_for_all_jobs(work.path());
    assert_eq!(jobs.len(), 1, "{jobs:#?}");
    let job = &jobs[0];
    assert_eq!(field(job, "JobId"), jobid.trim());
    let log =
        String::from_utf8_lossy(&common::read(&work.path().join("logs/large.out"))).into_owned();
    let status = String::from_utf8_lossy(&common::read(&work.path().join("large.status")))
        .trim()
        .to_string();
    // Exit 2 from entente (not 137 or an OUT_OF_MEMORY state from the kernel's OOM killer).
    assert_eq!(status, "2", "{log}");
    assert_eq!(field(job, "JobState"), "FAILED", "{job}");
    assert_eq!(field(job, "ExitCode"), "2:0", "{job}");
    // The message names the limit (500 MiB = 524 MB), where it was read, and what sets it.
    assert!(
        log.contains("the cgroup memory limit of 524 MB in /sys/fs/cgroup/")
            && log.contains(&format!("/job_{}/", jobid.trim()))
            && log.contains("a batch job's --mem sets it"),
        "{log}"
    );
    assert!(!work.path().join("outputs/large").exists());

    // The limit is real: the same job told to try anyway is killed by the kernel, which is
    // what the refusal spares the user (after the run's time, with no message from entente).
    cluster.run(
        work.path(),
        "ENTENTE_IGNORE_MEMORY_CHECK=1 sbatch --mem=500M --output=logs/anyway.out --wrap \
         'simulate large.ron --quiet --out outputs/anyway'",
    );
    let jobs = cluster.wait_for_all_jobs(work.path());
    let anyway = jobs
        .iter()
        .find(|j| j.contains("StdOut=") && j.contains("anyway.out"));
    let anyway = anyway.unwrap_or_else(|| panic!("{jobs:#?}"));
    assert_eq!(field(anyway, "JobState"), "OUT_OF_MEMORY", "{anyway}");
}
