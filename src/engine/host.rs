//! The memory this host grants a process: free memory, `ulimit -v` and the cgroup's limit
//! (a Slurm job's `--mem`, a container's `--memory`), read from `/proc` and the cgroup file
//! system. `engine::estimate` says what a command needs; this says what it may have.

use std::path::Path;

use super::estimate::Estimate;

/// The tightest memory limit this process runs under.
#[derive(Debug, Clone, PartialEq)]
pub struct MemoryLimit {
    /// Bytes still to be had under the limit.
    pub available: u64,
    /// Which limit, in words a user can act on, with the file it was read from.
    pub source: String,
    /// Whether the limit is on address space (`ulimit -v`) rather than resident memory.
    pub address_space: bool,
}

impl MemoryLimit {
    /// Whether a command with this estimate fits under the limit.
    pub fn fits(&self, estimate: &Estimate) -> bool {
        let need = if self.address_space {
            estimate.address_space_bytes
        } else {
            estimate.memory_bytes
        };
        need <= self.available
    }
}

/// Every memory limit found (Linux): free memory, `ulimit -v` and the cgroup's limit (a
/// Slurm job's `--mem`, a container's `--memory`). Empty where none can be read.
pub fn memory_limits() -> Vec<MemoryLimit> {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let mut limits = Vec::new();
    if let Some(available) = mem_available(&read("/proc/meminfo")) {
        limits.push(MemoryLimit {
            available,
            source: "free memory, MemAvailable in /proc/meminfo".into(),
            address_space: false,
        });
    }
    if let Some(max) = address_space_limit(&read("/proc/self/limits")) {
        let used = vm_size(&read("/proc/self/status")).unwrap_or(0);
        limits.push(MemoryLimit {
            available: max.saturating_sub(used),
            source: format!(
                "the address-space limit of {}: `ulimit -v`, Max address space in /proc/self/limits",
                megabytes(max)
            ),
            address_space: true,
        });
    }
    if let Some(cgroup) = cgroup_limit(Path::new("/")) {
        limits.push(cgroup);
    }
    limits
}

fn megabytes(bytes: u64) -> String {
    format!("{} MB", bytes / 1_000_000)
}

/// `MemAvailable` from the text of `/proc/meminfo`.
pub fn mem_available(meminfo: &str) -> Option<u64> {
    kilobytes_field(meminfo, "MemAvailable:")
}

/// `VmSize` (address space in use) from the text of `/proc/self/status`.
fn vm_size(status: &str) -> Option<u64> {
    kilobytes_field(status, "VmSize:")
}

fn kilobytes_field(text: &str, name: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(name))?;
    let kb: u64 = line[name.len()..].split_whitespace().next()?.parse().ok()?;
    Some(kb.saturating_mul(1024))
}

/// The soft limit of `Max address space` from the text of `/proc/self/limits`; `None`
/// when unlimited.
pub fn address_space_limit(limits: &str) -> Option<u64> {
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max address space"))?;
    line["Max address space".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Limits from 2^60 bytes up mean "none" (cgroup v1 writes 2^63 rounded to a page).
const NO_LIMIT: u64 = 1 << 60;

/// The room left under the cgroup memory limit of this process, with the file it came
/// from, read below `root` (`/` outside tests): `proc/self/cgroup` names the group,
/// `proc/self/mountinfo` where its hierarchy is mounted. Every ancestor's limit counts,
/// so the group and its parents are walked up to the mount point. cgroup v2 reads
/// `memory.max` and `memory.current`; v1 `memory.limit_in_bytes` and
/// `memory.usage_in_bytes`.
pub fn cgroup_limit(root: &Path) -> Option<MemoryLimit> {
    let groups = std::fs::read_to_string(root.join("proc/self/cgroup")).ok()?;
    let mounts = std::fs::read_to_string(root.join("proc/self/mountinfo")).unwrap_or_default();
    let mut tightest: Option<MemoryLimit> = None;
    for line in groups.lines() {
        let mut fields = line.splitn(3, ':');
        let (_, controllers, group) = (fields.next()?, fields.next()?, fields.next()?);
        let (v2, max_file, current_file) = if controllers.is_empty() {
            (true, "memory.max", "memory.current")
        } else if controllers.split(',').any(|c| c == "memory") {
            (false, "memory.limit_in_bytes", "memory.usage_in_bytes")
        } else {
            continue;
        };
        let Some((mount_root, mount_point)) = cgroup_mount(&mounts, v2) else {
            continue;
        };
        let group = group.strip_prefix(mount_root.as_str()).unwrap_or(group);
        let top = root.join(mount_point.trim_start_matches('/'));
        let mut dir = top.join(group.trim_start_matches('/'));
        loop {
            let number = |file: &str| -> Option<u64> {
                std::fs::read_to_string(dir.join(file))
                    .ok()?
                    .trim()
                    .parse()
                    .ok()
            };
            if let Some(max) = number(max_file).filter(|&m| m < NO_LIMIT) {
                let available = max.saturating_sub(number(current_file).unwrap_or(0));
                if tightest.as_ref().is_none_or(|t| available < t.available) {
                    let file = dir.join(max_file);
                    let shown = file
                        .strip_prefix(root)
                        .map_or(file.clone(), |f| Path::new("/").join(f));
                    tightest = Some(MemoryLimit {
                        available,
                        source: format!(
                            "the cgroup memory limit of {} in {}; a batch job's --mem sets it",
                            megabytes(max),
                            shown.display()
                        ),
                        address_space: false,
                    });
                }
            }
            if dir == top || !dir.pop() || !dir.starts_with(&top) {
                break;
            }
        }
    }
    tightest
}

/// Where the cgroup hierarchy is mounted, from the text of `/proc/self/mountinfo`: the
/// mount's root within the hierarchy and its mount point. cgroup v2 falls back to
/// `/sys/fs/cgroup`.
fn cgroup_mount(mountinfo: &str, v2: bool) -> Option<(String, String)> {
    for line in mountinfo.lines() {
        let (mount, filesystem) = line.split_once(" - ")?;
        let mount: Vec<&str> = mount.split_whitespace().collect();
        let filesystem: Vec<&str> = filesystem.split_whitespace().collect();
        let (Some(root), Some(point), Some(kind)) =
            (mount.get(3), mount.get(4), filesystem.first())
        else {
            continue;
        };
        let memory = filesystem
            .get(2)
            .is_some_and(|options| options.split(',').any(|o| o == "memory"));
        if (v2 && *kind == "cgroup2") || (!v2 && *kind == "cgroup" && memory) {
            return Some((root.to_string(), point.to_string()));
        }
    }
    v2.then(|| ("/".to_string(), "/sys/fs/cgroup".to_string()))
}

/// Set this environment variable to `1` to run even when the estimate says the memory will
/// not suffice (swap may make it fit). Any other value keeps the check: `=0` reads as "do
/// not ignore".
pub const IGNORE_MEMORY_CHECK: &str = "ENTENTE_IGNORE_MEMORY_CHECK";

/// Whether the user asked to skip the memory check (`ENTENTE_IGNORE_MEMORY_CHECK=1`).
pub fn ignore_memory_check() -> bool {
    std::env::var(IGNORE_MEMORY_CHECK).is_ok_and(|v| v.trim() == "1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_memory_and_the_address_space_limit_are_read_from_proc() {
        let meminfo = "MemTotal:       24000000 kB\nMemAvailable:   1000 kB\n";
        assert_eq!(mem_available(meminfo), Some(1_024_000));
        let limits = "Limit                     Soft Limit           Hard Limit           Units\n\
                      Max stack size            8388608              unlimited            bytes\n\
                      Max address space         1048576000           unlimited            bytes\n";
        assert_eq!(address_space_limit(limits), Some(1_048_576_000));
        let unlimited = limits.replace("1048576000  ", "unlimited   ");
        assert_eq!(address_space_limit(&unlimited), None);
        assert_eq!(
            vm_size("Name: simulate\nVmSize:\t  2048 kB\n"),
            Some(2_097_152)
        );
    }

    fn write(root: &Path, path: &str, text: &str) {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }

    /// Defect: a Slurm job's `--mem` (a cgroup limit) was not seen, so a run that fit in
    /// the machine's free memory was killed. Now the tightest limit of the group and its
    /// parents counts (cgroup v2: `memory.max` less `memory.current`).
    #[test]
    fn the_cgroup_v2_limit_of_the_group_or_a_parent_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "proc/self/cgroup", "0::/job_7/step_0\n");
        write(
            root,
            "proc/self/mountinfo",
            "31 23 0:28 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n",
        );
        write(root, "sys/fs/cgroup/job_7/memory.max", "512000000\n");
        write(root, "sys/fs/cgroup/job_7/memory.current", "12000000\n");
        write(root, "sys/fs/cgroup/job_7/step_0/memory.max", "max\n");
        write(root, "sys/fs/cgroup/job_7/step_0/memory.current", "1000\n");
        write(root, "sys/fs/cgroup/memory.max", "max\n");
        let limit = cgroup_limit(root).expect("a limit");
        assert_eq!(limit.available, 500_000_000);
        assert!(!limit.address_space);
        assert!(
            limit
                .source
                .contains("512 MB in /sys/fs/cgroup/job_7/memory.max"),
            "{}",
            limit.source
        );
    }

    /// cgroup v1 (older clusters): `memory.limit_in_bytes` under the memory controller's
    /// mount; the "no limit" value (2^63 rounded to a page) is not a limit.
    #[test]
    fn the_cgroup_v1_memory_limit_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "proc/self/cgroup",
            "5:cpu:/\n4:memory:/slurm/job_9\n0::/\n",
        );
        write(
            root,
            "proc/self/mountinfo",
            "32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n\
             35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n\
             41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n",
        );
        let group = "sys/fs/cgroup/memory/slurm/job_9";
        write(
            root,
            &format!("{group}/memory.limit_in_bytes"),
            "1073741824\n",
        );
        write(
            root,
            &format!("{group}/memory.usage_in_bytes"),
            "73741824\n",
        );
        write(
            root,
            "sys/fs/cgroup/memory/memory.limit_in_bytes",
            "9223372036854771712\n",
        );
        let limit = cgroup_limit(root).expect("a limit");
        assert_eq!(limit.available, 1_000_000_000);
        assert!(limit.source.contains("memory.limit_in_bytes"));
        // Without any limit set there is nothing to report.
        write(
            root,
            &format!("{group}/memory.limit_in_bytes"),
            "9223372036854771712\n",
        );
        assert_eq!(cgroup_limit(root), None);
    }
}
