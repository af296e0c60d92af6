#!/usr/bin/env bash
# Start a real single-node SLURM cluster on this machine (controller and node on 127.0.0.1),
# for the launcher tests in tests/test_cluster_launchers.py.
#
# Installs the Debian packages slurm-wlm and munge if they are missing, writes a minimal
# slurm.conf that works without systemd or cgroups (inside a container or VM as root),
# creates the munge key, starts munged, slurmctld and slurmd directly, then waits until
# `sinfo` shows the node idle and a job runs through both `srun` and `sbatch --wait`.
# Safe to run twice: an already healthy cluster is left alone.
#
# Usage (as root):  bash .ci/slurm.sh            start (or check) the cluster
#                   bash .ci/slurm.sh --stop     stop the daemons this script started
set -euo pipefail

CONF_DIR=/etc/slurm
CONF="$CONF_DIR/slurm.conf"
STATE=/var/lib/slurm
LOGS=/var/log/slurm
RUN=/run/slurm
PARTITION=debug
NODE="$(hostname -s)"
WAIT_S=${SLURM_CI_WAIT_S:-90}

say() { echo "slurm.sh: $*"; }
die() {
  echo "slurm.sh: ERROR: $*" >&2
  for f in "$LOGS/slurmctld.log" "$LOGS/slurmd.log" /var/log/munge/munged.log; do
    if [ -s "$f" ]; then
      echo "--- last lines of $f ---" >&2
      tail -n 25 "$f" >&2
    fi
  done
  exit 1
}

[ "$(id -u)" -eq 0 ] || die "must run as root (it installs packages and starts system daemons)"

pid_alive() {  # $1: pid file
  [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

stop_daemons() {
  local f pid
  for f in "$RUN/slurmd.pid" "$RUN/slurmctld.pid"; do
    if pid_alive "$f"; then
      pid=$(cat "$f")
      say "stopping $(basename "$f" .pid) (pid $pid)"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
}

if [ "${1:-}" = "--stop" ]; then
  stop_daemons
  exit 0
fi

node_state() {  # prints the node's state as sinfo reports it (idle, mix, alloc, down*, drain, ...)
  sinfo -h -N -n "$NODE" -o '%t' 2>/dev/null | head -n 1
}

job_runs() {  # a job goes through the queue, interactively and in batch
  timeout 60 srun -N1 -n1 -p "$PARTITION" true >/dev/null 2>&1 &&
    timeout 60 sbatch --wait -p "$PARTITION" -o /dev/null --wrap true >/dev/null 2>&1
}

# ---------------------------------------------------------------- already up?
if command -v sinfo >/dev/null && pid_alive "$RUN/slurmctld.pid" && pid_alive "$RUN/slurmd.pid" &&
  [[ "$(node_state)" =~ ^(idle|mix|alloc) ]] && job_runs; then
  say "already running: node $NODE, partition $PARTITION"
  sinfo
  exit 0
fi

# ---------------------------------------------------------------- packages
missing=()
for cmd in slurmctld slurmd sinfo munged; do
  command -v "$cmd" >/dev/null || missing+=("$cmd")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing slurm-wlm and munge (missing: ${missing[*]})"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null ||
    die "apt-get install slurm-wlm munge failed"
fi

# ---------------------------------------------------------------- munge
if ! id munge >/dev/null 2>&1; then
  die "the munge user does not exist (the munge package did not install cleanly)"
fi
mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  say "creating the munge key"
  if command -v mungekey >/dev/null; then
    mungekey --create --keyfile=/etc/munge/munge.key --force
  else
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
  fi
fi
chown -R munge:munge /etc/munge /var/lib/munge /var/log/munge /run/munge
chmod 0700 /etc/munge /var/lib/munge /var/log/munge
chmod 0755 /run/munge
chmod 0400 /etc/munge/munge.key
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  say "starting munged"
  rm -f /run/munge/munge.socket.2 /run/munge/munge.socket.2.lock
  runuser -u munge -- /usr/sbin/munged || die "munged did not start"
  for _ in $(seq 1 25); do
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
    sleep 0.2
  done
  munge -n | unmunge >/dev/null || die "munge does not work (munge -n | unmunge failed)"
fi

# ---------------------------------------------------------------- slurm.conf
ip=$(getent ahostsv4 "$NODE" | awk 'NR == 1 { print $1 }')
if [ "$ip" != "127.0.0.1" ]; then
  say "note: host name $NODE resolves to '${ip:-nothing}', not 127.0.0.1; the node is addressed as 127.0.0.1 anyway"
fi
cpus=$(nproc)
mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
# leave room for the system: 10% of the memory, at least 512 MB
real_mb=$((mem_mb - (mem_mb / 10 > 512 ? mem_mb / 10 : 512)))
[ "$real_mb" -gt 256 ] || die "too little memory for a SLURM node: ${mem_mb} MB"

mkdir -p "$CONF_DIR" "$STATE/slurmctld" "$STATE/slurmd" "$LOGS" "$RUN"
new_conf=$(mktemp)
cat >"$new_conf" <<EOF
# Single-node SLURM for CI, written by .ci/slurm.sh: controller and node on 127.0.0.1.
# No cgroups and no systemd (works in a container as root).
ClusterName=laborshift-ci
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=1024
ReturnToService=2
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$STATE/slurmctld
SlurmdSpoolDir=$STATE/slurmd
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
SlurmctldTimeout=60
SlurmdTimeout=60
InactiveLimit=0
MinJobAge=300
KillWait=10
Waittime=0
NodeName=$NODE NodeAddr=127.0.0.1 NodeHostname=$NODE CPUs=$cpus RealMemory=$real_mb State=UNKNOWN
PartitionName=$PARTITION Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
if [ -f "$CONF" ] && cmp -s "$new_conf" "$CONF"; then
  rm -f "$new_conf"
else
  say "writing $CONF ($cpus CPUs, RealMemory=${real_mb} MB, partition $PARTITION)"
  stop_daemons  # they must re-read the new configuration
  mv "$new_conf" "$CONF"
  chmod 0644 "$CONF"
fi

# ---------------------------------------------------------------- daemons
if ! pid_alive "$RUN/slurmctld.pid"; then
  say "starting slurmctld"
  /usr/sbin/slurmctld -f "$CONF" || die "slurmctld did not start"
fi
for _ in $(seq 1 50); do scontrol ping 2>/dev/null | grep -q 'is UP' && break; sleep 0.2; done
scontrol ping 2>/dev/null | grep -q 'is UP' || die "slurmctld does not answer (scontrol ping)"
if ! pid_alive "$RUN/slurmd.pid"; then
  say "starting slurmd"
  /usr/sbin/slurmd -f "$CONF" || die "slurmd did not start"
fi

# ---------------------------------------------------------------- wait for the node
state=""
for i in $(seq 1 "$WAIT_S"); do
  state=$(node_state)
  case "$state" in
    idle | mix | alloc) break ;;
    down* | drain* | drng* | fail*)
      # a node left down by an earlier run: bring it back
      [ $((i % 5)) -eq 1 ] && scontrol update NodeName="$NODE" State=RESUME >/dev/null 2>&1 || true ;;
  esac
  sleep 1
done
[[ "$state" =~ ^(idle|mix|alloc) ]] || die "node $NODE is not idle after ${WAIT_S} s (state: '${state:-unknown}')"
timeout 60 srun -N1 -n1 -p "$PARTITION" true || die "a test job did not run (srun -N1 true)"
timeout 60 sbatch --wait -p "$PARTITION" -o /dev/null --wrap true >/dev/null ||
  die "a test batch job did not run (sbatch --wait --wrap true)"
say "up: node $NODE ($cpus CPUs, ${real_mb} MB), partition $PARTITION"
sinfo
