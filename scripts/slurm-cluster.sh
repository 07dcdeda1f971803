#!/usr/bin/env bash
# A real single-node Slurm cluster on this machine, for the sweep tests and for trying
# `dlx sweep submit --launcher slurm` without a cluster. Needs root and Debian's slurm-wlm and
# munge (`apt-get install -y slurm-wlm munge`).
#
#   scripts/slurm-cluster.sh start DIR   writes DIR/slurm.conf, starts munged (unless one runs),
#                                        slurmctld and slurmd, waits until the node is idle
#   scripts/slurm-cluster.sh stop DIR    cancels the cluster's jobs, stops what `start` started, by
#                                        the pids in DIR
#
# Every Slurm client needs the configuration: `export SLURM_CONF=DIR/slurm.conf` (sbatch passes
# it on to the jobs). State, spool, logs and pid files stay in DIR; nothing under /etc/slurm is
# written. Ports: SLURMCTLD_PORT (default 6817) and SLURMD_PORT (6818), so that two clusters
# (two test runs) can live side by side.
#
# AuthInfo=cred_expire=10: a requeued job may start again cred_expire seconds after it was
# requeued (Slurm's default, 120 s, would make every pre-emption test wait minutes).
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)

stop_pid_file() {
  local f=$1
  [ -s "$f" ] || return 0
  local pid
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$f"
}

case "$cmd" in
start)
  for tool in slurmctld slurmd munged sinfo; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "$0: $tool not found; apt-get install -y slurm-wlm munge" >&2; exit 3; }
  done
  [ "$(id -u)" -eq 0 ] || { echo "$0: must run as root (slurmd starts jobs as their users)" >&2; exit 3; }
  export PATH="$PATH:/usr/sbin"
  host=$(hostname -s)
  cpus=$(nproc)
  mkdir -p "$dir/state" "$dir/spool" "$dir/log"

  # munge: a key if there is none (1024 random bytes, owner munge, mode 400), the daemon as munge.
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    chown munge:munge /etc/munge/munge.key
    chmod 400 /etc/munge/munge.key
  fi
  mkdir -p /run/munge && chown munge:munge /run/munge
  if ! munge -n >/dev/null 2>&1; then
    # munged writes its pid file as the munge user (DIR may be private to root): into /run/munge, and
    # DIR notes where, so that `stop` ends munged only when this script started it
    pidfile=/run/munge/munged-$(echo "$dir" | md5sum | cut -c1-12).pid
    runuser -u munge -- munged --pid-file="$pidfile" 2>"$dir/log/munged.err" \
      || { echo "$0: munged did not start: $(cat "$dir/log/munged.err")" >&2; exit 3; }
    echo "$pidfile" >"$dir/munged.pidfile"
    for _ in $(seq 50); do munge -n >/dev/null 2>&1 && break; sleep 0.1; done
  fi

  cat >"$dir/slurm.conf" <<EOF
ClusterName=dlxtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=${SLURMCTLD_PORT:-6817}
SlurmdPort=${SLURMD_PORT:-6818}
AuthType=auth/munge
AuthInfo=cred_expire=10
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MinJobAge=600
MaxArraySize=10001
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=8000 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -f "$SLURM_CONF" || { echo "$0: slurmctld did not start; see $dir/log/slurmctld.log" >&2; exit 3; }
  slurmd -f "$SLURM_CONF" || { echo "$0: slurmd did not start; see $dir/log/slurmd.log" >&2; exit 3; }
  deadline=$((SECONDS + 30))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if timeout 5 sinfo -h -N -o '%T' 2>/dev/null | grep -qx idle; then
      echo "slurm cluster up: export SLURM_CONF=$SLURM_CONF"
      exit 0
    fi
    sleep 0.1
  done
  echo "$0: the node did not become idle in 30 s: $(timeout 5 sinfo -N 2>&1 | tail -1); see $dir/log" >&2
  exit 3
  ;;
stop)
  # jobs first: their processes would outlive slurmd
  if [ -s "$dir/slurmctld.pid" ] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null; then
    export SLURM_CONF="$dir/slurm.conf" PATH="$PATH:/usr/sbin"
    jobs=$(timeout 10 squeue -h -o %A 2>/dev/null | sort -u)
    if [ -n "$jobs" ]; then
      scancel $jobs 2>/dev/null || true
      for _ in $(seq 100); do [ -z "$(timeout 5 squeue -h 2>/dev/null)" ] && break; sleep 0.2; done
    fi
  fi
  stop_pid_file "$dir/slurmd.pid"
  stop_pid_file "$dir/slurmctld.pid"
  # munged only when this script started it and no other cluster's daemons still need it
  if [ -s "$dir/munged.pidfile" ]; then
    if pgrep -x slurmctld >/dev/null || pgrep -x slurmd >/dev/null; then
      echo "$0: munged left running: another Slurm daemon on this machine uses it" >&2
    else
      stop_pid_file "$(cat "$dir/munged.pidfile")"
    fi
    rm -f "$dir/munged.pidfile"
  fi
  ;;
*)
  usage
  ;;
esac
