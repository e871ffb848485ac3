//! Defects a hostile or careless user found in `scripts/slurm-cluster.sh` (issue 13, item 1):
//! each test is named after the defect it guards against. Like tests/outside_tools/slurm.rs, the tests that
//! need a running cluster are skipped with a notice when Slurm cannot start here, and fail
//! under `CI=true`.

use crate::cluster;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use cluster::{free_port, script, ONE_CLUSTER};

/// `scripts/slurm-cluster.sh ACTION DIR` with `env`, on two free ports unless `env` says.
fn cluster(action: &str, dir: &Path, env: &[(&str, String)]) -> Output {
    let mut cmd = Command::new(script());
    cmd.arg(action)
        .arg(dir)
        .env("SLURMCTLD_PORT", free_port().to_string())
        .env("SLURMD_PORT", free_port().to_string());
    for (name, value) in env {
        cmd.env(name, value);
    }
    cmd.output().expect("bash runs scripts/slurm-cluster.sh")
}

/// Stops the cluster in `dir` when dropped, pass or fail.
struct Stop<'a>(&'a Path);

impl Drop for Stop<'_> {
    fn drop(&mut self) {
        let _ = Command::new(script()).arg("stop").arg(self.0).status();
    }
}

/// Starts a cluster in `dir`; `false` (after a notice) when Slurm cannot run here and this is
/// not CI.
fn start(dir: &Path, env: &[(&str, String)]) -> bool {
    let output = cluster("start", dir, env);
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        Some(0) => true,
        Some(77) if !cluster::under_ci() => {
            eprintln!("NOTICE: skipping a Slurm test: {}", stderr.trim());
            false
        }
        _ => panic!("the cluster did not start ({}):\n{stderr}", output.status),
    }
}

/// Whether process `pid` runs (a zombie no longer does).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let state = stat.rsplit_once(')')?.1.trim_start().chars().next()?;
            Some(!matches!(state, 'Z' | 'X'))
        })
        .unwrap_or(false)
}

/// The daemons' PIDs, by the pid files the script keeps.
fn daemons(dir: &Path) -> Vec<(String, u32)> {
    ["munged", "slurmctld", "slurmd"]
        .iter()
        .filter_map(|name| {
            let text = std::fs::read_to_string(dir.join(format!("run/{name}.pid"))).ok()?;
            Some((name.to_string(), text.trim().parse().ok()?))
        })
        .collect()
}

/// Every running process whose command line or environment names `dir`: a daemon of the
/// cluster in it (munged names its key there; slurmctld and slurmd have SLURM_CONF there).
fn processes_of(dir: &Path) -> Vec<u32> {
    let needle = dir.display().to_string();
    let own = std::process::id();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pid != own && alive(pid))
        .filter(|pid| {
            ["cmdline", "environ"].iter().any(|file| {
                std::fs::read(format!("/proc/{pid}/{file}"))
                    .is_ok_and(|bytes| String::from_utf8_lossy(&bytes).contains(&needle))
            })
        })
        .collect()
}

/// Waits (at most a minute) until none of `pids` runs; returns those still running.
fn wait_until_gone(pids: &[u32]) -> Vec<u32> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let left: Vec<u32> = pids.iter().copied().filter(|&p| alive(p)).collect();
        if left.is_empty() || Instant::now() > deadline {
            return left;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Defect: `stop` killed whatever process had the PID of a pid file, though a daemon that
/// died leaves its pid file behind and its PID may since belong to another process. Now it
/// signals a PID only while it is still the daemon the file is named after.
#[test]
fn stop_kills_no_process_that_a_stale_pid_file_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("run")).unwrap();
    let mut bystander = Command::new("sleep").arg("60").spawn().unwrap();
    for name in ["slurmd", "slurmctld", "munged"] {
        std::fs::write(
            dir.path().join(format!("run/{name}.pid")),
            format!("{}\n", bystander.id()),
        )
        .unwrap();
    }
    let stopped = cluster("stop", dir.path(), &[]);
    let survived = bystander.try_wait().unwrap().is_none();
    let _ = bystander.kill();
    let _ = bystander.wait();
    assert!(stopped.status.success(), "{stopped:?}");
    assert!(survived, "stop killed a process that is not its daemon");
    assert!(daemons(dir.path()).is_empty(), "stale pid files are left");
}

/// Defect: a second `start` in the folder of a running cluster overwrote its munge key and
/// pid files: the first cluster's munged ran on with no pid file to stop it by. Now the
/// second start is refused (exit 1, naming the folder) and the running cluster is untouched.
#[test]
fn a_second_start_in_the_folder_of_a_running_cluster_is_refused_and_orphans_no_daemon() {
    let _one = ONE_CLUSTER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    if !start(dir.path(), &[]) {
        return;
    }
    let _stop = Stop(dir.path());
    let first = daemons(dir.path());
    assert_eq!(first.len(), 3, "{first:?}");
    let second = cluster("start", dir.path(), &[]);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("already running") && stderr.contains(&dir.path().display().to_string()),
        "{stderr}"
    );
    assert_eq!(
        daemons(dir.path()),
        first,
        "the running cluster's pid files changed"
    );
    assert!(first.iter().all(|(_, pid)| alive(*pid)), "{first:?}");
    let stopped = cluster("stop", dir.path(), &[]);
    assert!(stopped.status.success(), "{stopped:?}");
    assert_eq!(
        wait_until_gone(&processes_of(dir.path())),
        Vec::<u32>::new()
    );
}

/// Defect: a Slurm test killed by a signal (a timeout, Ctrl-C) runs no destructor, so the
/// daemons it started (and their jobs) ran on for ever. With SLURM_CLUSTER_OWNER, the script
/// leaves a watcher that stops the cluster when its owner ends, however it ends.
#[test]
fn the_daemons_stop_when_the_process_that_started_them_is_killed() {
    let _one = ONE_CLUSTER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let mut owner = Command::new("sleep").arg("600").spawn().unwrap();
    let started = start(
        dir.path(),
        &[("SLURM_CLUSTER_OWNER", owner.id().to_string())],
    );
    let _stop = Stop(dir.path());
    let pids: Vec<u32> = daemons(dir.path()).into_iter().map(|(_, p)| p).collect();
    owner.kill().unwrap();
    owner.wait().unwrap();
    if !started {
        return;
    }
    assert_eq!(pids.len(), 3);
    assert_eq!(
        wait_until_gone(&pids),
        Vec::<u32>::new(),
        "daemons still running a minute after their owner was killed"
    );
}

/// Defect: a daemon that could not bind its port (another cluster on it) exited at once,
/// but the start waited its full minute for the node and then blamed the node's state. Now
/// it fails naming the daemon and the ports, and leaves no daemon behind.
#[test]
fn a_start_on_a_port_in_use_fails_naming_the_daemon_and_leaves_no_daemon() {
    let _one = ONE_CLUSTER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("0.0.0.0:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = cluster("start", dir.path(), &[("SLURMCTLD_PORT", port.clone())]);
    let _stop = Stop(dir.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    match output.status.code() {
        Some(77) if !cluster::under_ci() => {
            eprintln!("NOTICE: skipping a Slurm test: {}", stderr.trim());
            return;
        }
        code => assert_eq!(code, Some(1), "{stderr}"),
    }
    assert!(
        stderr.contains("slurmctld exited while starting") && stderr.contains(&port),
        "{stderr}"
    );
    assert_eq!(
        wait_until_gone(&processes_of(dir.path())),
        Vec::<u32>::new()
    );
}
