#!/usr/bin/env bash
# A throw-away one-node Slurm cluster (munged, slurmctld and slurmd on this machine) living in
# one directory, to run docs/src/howto/cluster.md's job array for real (tests/outside_tools/slurm.rs):
#
#   scripts/slurm-cluster.sh start DIR       # writes DIR/etc/slurm.conf, starts the daemons,
#                                            # waits until the node is idle
#   SLURM_CONF=DIR/etc/slurm.conf sbatch ... # any Slurm client, pointed at it
#   scripts/slurm-cluster.sh stop DIR        # stops every daemon it started, by PID
#   scripts/slurm-cluster.sh run DIR CMD...  # start, run CMD with SLURM_CONF set, stop
#
# With SLURM_CLUSTER_OWNER=PID, `start` also leaves a watcher that stops the cluster (its jobs
# cancelled first) once that process has ended, however it ended: a test killed by a signal
# (a timeout, Ctrl-C) runs no cleanup of its own, and its daemons would run on unowned.
#
# Nothing outside DIR is written (no systemd, no /etc/slurm): the config, munge key and socket,
# state, spool, logs and pid files are all in DIR, so several clusters (on other ports) and a
# real installation do not see each other. Ports: SLURMCTLD_PORT and SLURMD_PORT (default
# 6817 and 6818). Memory: slurmd's task/cgroup plugin confines each job to its --mem (cgroup
# v1 or v2, whichever this machine mounts), so entente sees --mem as a cgroup limit.
#
# Exit status of `start`: 0 when the node is idle; 77 when Slurm cannot run here at all (not
# installed, not root), so that a test may skip; 1 for anything else (the logs are printed).
set -euo pipefail

usage() {
    echo "usage: scripts/slurm-cluster.sh start|stop DIR | run DIR CMD... | watch DIR PID" >&2
    exit 2
}
[ $# -ge 2 ] || usage
action=$1
dir=$(realpath -m "$2")
self=$(realpath "$0")
shift 2

# The PID in DIR/run/NAME.pid if that process is still the daemon NAME: a daemon that died
# leaves its pid file behind, and the PID may since have been given to another process,
# which must not be touched.
running() {
    local pidfile="$dir/run/$1.pid" pid
    [ -s "$pidfile" ] || return 1
    pid=$(cat "$pidfile")
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ] || return 1
    echo "$pid"
}

# Every daemon we start leaves DIR/run/NAME.pid; stopping reads them, so a daemon we did not
# start is never touched. Jobs still running are cancelled first (their steps outlive
# slurmd otherwise). SIGTERM first, SIGKILL after a grace period.
stop() {
    local pidfile pid names=(slurmd slurmctld munged) i
    if running slurmctld >/dev/null && [ -f "$dir/etc/slurm.conf" ]; then
        export SLURM_CONF="$dir/etc/slurm.conf" PATH="$PATH:/usr/sbin"
        if [ -n "$(timeout 10 squeue -h -o %i 2>/dev/null)" ]; then
            timeout 10 scancel --quiet --user="$(id -un)" 2>/dev/null || true
            for i in $(seq 1 50); do
                [ -z "$(timeout 10 squeue -h -o %i 2>/dev/null)" ] && break
                sleep 0.2
            done
        fi
    fi
    for name in "${names[@]}"; do
        pidfile="$dir/run/$name.pid"
        pid=$(running "$name") || { rm -f "$pidfile"; continue; }
        kill -TERM "$pid" 2>/dev/null || { rm -f "$pidfile"; continue; }
        for i in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        rm -f "$pidfile"
    done
}

cannot() {
    echo "slurm-cluster: $*" >&2
    exit 77
}

fail() {
    echo "slurm-cluster: $*" >&2
    for log in "$dir"/log/*.log; do
        [ -f "$log" ] || continue
        echo "--- $log (last lines)" >&2
        tail -n 30 "$log" >&2
    done
    exit 1
}

start() {
    for tool in munged slurmctld slurmd sinfo sbatch; do
        command -v "$tool" >/dev/null 2>&1 ||
            PATH="$PATH:/usr/sbin" command -v "$tool" >/dev/null 2>&1 ||
            cannot "$tool is not installed (apt-get install slurm-wlm munge)"
    done
    export PATH="$PATH:/usr/sbin"
    [ "$(id -u)" = 0 ] || cannot "a cluster needs root (slurmd runs jobs as their user)"

    # A second start in the same DIR would overwrite the running cluster's key and pid files
    # and leave its munged running with no pid file to stop it by: refuse, touching nothing.
    local name pid
    for name in munged slurmctld slurmd; do
        if pid=$(running "$name"); then
            echo "slurm-cluster: a cluster is already running in $dir ($name, pid $pid);" \
                "stop it first: scripts/slurm-cluster.sh stop $dir" >&2
            exit 1
        fi
    done
    if [ -n "${SLURM_CLUSTER_OWNER:-}" ] && ! kill -0 "$SLURM_CLUSTER_OWNER" 2>/dev/null; then
        echo "slurm-cluster: SLURM_CLUSTER_OWNER=$SLURM_CLUSTER_OWNER is no running process" >&2
        exit 1
    fi

    # If anything below fails, stop what was started before giving up.
    trap 'stop' EXIT
    mkdir -p "$dir"/{etc,run,log,state,spool,munge}
    chmod 700 "$dir" "$dir/munge"
    local ctld_port=${SLURMCTLD_PORT:-6817} d_port=${SLURMD_PORT:-6818}

    # A fresh munge key per cluster: only these daemons and clients share it.
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
    chmod 400 "$dir/munge/munge.key"
    munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
        --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" \
        --seed-file="$dir/munge/munged.seed" ||
        fail "munged did not start"

    # This machine as slurmd sees it (NodeName, CPUs, sockets, RealMemory), so that the node
    # is not drained for having less than configured.
    local node host
    node=$(slurmd -C | head -n 1)
    host=$(hostname -s)
    case "$node" in NodeName=*) ;; *) fail "slurmd -C printed no node line: $node" ;; esac

    # cgroup v1 or v2: task/cgroup then writes each job's --mem into its memory controller.
    local cgroup_plugin=cgroup/v1
    [ -d /sys/fs/cgroup/memory ] || cgroup_plugin=cgroup/v2
    cat >"$dir/etc/cgroup.conf" <<EOF
CgroupPlugin=$cgroup_plugin
CgroupMountpoint=/sys/fs/cgroup
ConstrainRAMSpace=yes
ConstrainSwapSpace=no
ConstrainCores=no
ConstrainDevices=no
EOF
    cat >"$dir/etc/slurm.conf" <<EOF
ClusterName=entente-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/cgroup
ReturnToService=2
SchedulerType=sched/builtin
SchedulerParameters=kill_invalid_depend
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MinJobAge=600
$node
PartitionName=main Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
    export SLURM_CONF="$dir/etc/slurm.conf"
    # -i: a fresh state, no jobs from an earlier cluster in this directory.
    slurmctld -i || fail "slurmctld did not start"
    slurmd || fail "slurmd did not start"

    local deadline=$((SECONDS + 60)) state=""
    while [ $SECONDS -lt $deadline ]; do
        # A daemon that exits at once (a port in use) fails the start now, not in 60 s.
        for name in slurmctld slurmd; do
            [ -s "$dir/run/$name.pid" ] && ! running "$name" >/dev/null &&
                fail "$name exited while starting (a port in use? SlurmctldPort=$ctld_port, SlurmdPort=$d_port; set SLURMCTLD_PORT and SLURMD_PORT)"
        done
        state=$(sinfo -h -N -o %T 2>/dev/null | head -n 1 || true)
        [ "$state" = idle ] && break
        sleep 0.5
    done
    [ "$state" = idle ] || fail "the node is '${state:-unknown}', not idle, after 60 s"
    if [ -n "${SLURM_CLUSTER_OWNER:-}" ]; then
        # Detached, and with no file descriptor of the caller's: a caller reading this
        # script's output to its end would otherwise wait for the watcher too.
        setsid "$self" watch "$dir" "$SLURM_CLUSTER_OWNER" </dev/null >/dev/null 2>&1 &
    fi
    trap - EXIT
}

# Stops the cluster once process $1 has ended; ends by itself once the cluster is stopped.
watch() {
    while kill -0 "$1" 2>/dev/null; do
        running slurmctld >/dev/null || running munged >/dev/null || return 0
        sleep 1
    done
    stop
}

case "$action" in
start) start ;;
stop) stop ;;
run)
    [ $# -ge 1 ] || usage
    start
    trap 'stop' EXIT
    SLURM_CONF="$dir/etc/slurm.conf" "$@"
    ;;
watch)
    [ $# -eq 1 ] || usage
    watch "$1"
    ;;
*) usage ;;
esac
