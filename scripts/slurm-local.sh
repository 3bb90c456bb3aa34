#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the Slurm executor's tests: munge, slurmctld and
# slurmd started by hand (no systemd), as root. `start` installs nothing; CI installs slurm-wlm and
# munge first. Usage: scripts/slurm-local.sh start|stop|status
set -euo pipefail
cmd="${1:-status}"
conf_dir=/etc/slurm
state=/var/spool/optbench-slurm
node="$(hostname -s)"

wait_for() {   # wait_for SECONDS DESCRIPTION COMMAND...
  local limit=$1 what=$2
  shift 2
  for _ in $(seq 1 $((limit * 5))); do
    if "$@" > /dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "slurm-local: $what did not come up within ${limit}s" >&2
  return 1
}

start() {
  if [ "$(id -u)" != 0 ]; then echo "slurm-local: run as root" >&2; exit 2; fi
  command -v slurmctld > /dev/null || { echo "slurm-local: install slurm-wlm and munge first" >&2; exit 2; }
  mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge "$state/ctld" "$state/d" "$conf_dir"
  [ -s /etc/munge/munge.key ] || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
  chmod 0700 /etc/munge /var/lib/munge /var/log/munge
  chmod 0400 /etc/munge/munge.key
  chmod 0755 /run/munge
  if ! pgrep -x munged > /dev/null; then
    runuser -u munge -- /usr/sbin/munged
  fi
  wait_for 10 munged munge -n
  cpus="$(nproc)"
  mem="$(awk '/MemTotal/ {print int($2 / 1024 * 0.8)}' /proc/meminfo)"
  cat > "$conf_dir/slurm.conf" <<CONF
ClusterName=optbench
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=100000
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1024
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MinJobAge=3600
KillWait=5
InactiveLimit=0
NodeName=$node CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
  pgrep -x slurmctld > /dev/null || slurmctld
  wait_for 30 slurmctld scontrol ping
  pgrep -x slurmd > /dev/null || slurmd
  wait_for 30 "the node" sh -c "sinfo -h -N -o %T | grep -Eq '^(idle|mixed|allocated)'"
  echo "slurm-local: one-node cluster up (node $node, $cpus CPUs, partition debug)" >&2
}

stop() {
  scancel --full --quiet --user=root 2> /dev/null || true
  for d in slurmd slurmctld munged; do
    pkill -x "$d" 2> /dev/null || true
  done
  for _ in $(seq 1 50); do
    pgrep -x slurmd > /dev/null || pgrep -x slurmctld > /dev/null || break
    sleep 0.2
  done
  echo "slurm-local: stopped" >&2
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) sinfo ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
