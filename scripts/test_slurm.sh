#!/usr/bin/env bash
# make test-slurm: deploy/slurm as written, on a one-node Slurm cluster started here (Debian's slurm-wlm
# and munge): the array of workers and the merge step after it, once with a shared PostgreSQL and once
# with shards. Every daemon is started in a temporary folder and stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
began=$(date +%s)
"$SWIFT" build --product precis
PRECIS_BIN="$(pwd)/$("$SWIFT" build --show-bin-path | sed "s|^$(pwd)/||")/precis"
[ -x "$PRECIS_BIN" ] || PRECIS_BIN="$("$SWIFT" build --show-bin-path)/precis"

work=$(mktemp -d /tmp/precis-slurm.XXXXXX)
chmod 755 "$work"
pids=()
source scripts/postgres.sh
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  pg_stop
  rm -rf "$work"
}
trap cleanup EXIT

# munge: the key Debian's package made, a socket of our own.
mkdir -p "$work/munge"
chown munge "$work/munge" 2>/dev/null || true
runuser -u munge -- /usr/sbin/munged --foreground --socket="$work/munge/munge.socket" --pid-file="$work/munge/munged.pid" \
  --log-file="$work/munge/munged.log" --seed-file="$work/munge/seed" -f > "$work/munge/out.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do [ -S "$work/munge/munge.socket" ] && break; sleep 0.1; done

host=$(hostname -s)
read -r ctld_port d_port < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))')
mkdir -p "$work/state" "$work/spool"
cat > "$work/slurm.conf" <<CONF
ClusterName=precis-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$(( $(free -m | awk "/Mem:/{print \$2}") * 9 / 10 )) State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
export SLURM_CONF="$work/slurm.conf"
/usr/sbin/slurmctld -D -i -f "$SLURM_CONF" > "$work/slurmctld.out" 2>&1 &
pids+=($!)
/usr/sbin/slurmd -D -f "$SLURM_CONF" > "$work/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do sinfo -h -o %t 2>/dev/null | grep -qE "idle|mix" && break; sleep 0.2; done
if ! sinfo -h -o %t | grep -qE "idle|mix"; then
  echo "test-slurm: the one-node cluster did not come up:" >&2; tail -20 "$work/slurmctld.log" "$work/slurmd.log" >&2; exit 1
fi
echo "test-slurm: Slurm $(sinfo -V | awk '{print $2}') on $host (slurmctld PID ${pids[1]}, slurmd PID ${pids[2]})"

status=0
run_array() { # NAME: submits deploy/slurm/submit.sh over the samples and waits for both jobs
  local name=$1 out="$work/out-$1" start
  start=$(date +%s)
  cp -r samples "$work/in-$name"
  (cd "$work" && PRECIS="$PRECIS_BIN" PRECIS_PIPELINE=default bash "$OLDPWD/deploy/slurm/submit.sh" "$work/in-$name" "$out" 3) | tee "$work/submit-$name.log"
  for _ in $(seq 1 600); do [ -z "$(squeue -h)" ] && break; sleep 0.5; done
  local files
  files=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sum(f["status"] in ("ok","skipped") for f in r["files"]))' "$out/report.json" 2>/dev/null || echo 0)
  if [ "$files" = 4 ] && [ -f "$out/index.md" ] && ls "$work"/precis-merge-*.log > /dev/null 2>&1; then
    echo "test-slurm: $name: a 3-task array and its merge step summarized 4 of 4 files in $(( $(date +%s) - start )) s"
  else
    echo "test-slurm: $name: FAILED ($files of 4 files in the merged report)" >&2
    tail -5 "$work"/precis-*.log >&2 || true
    status=1
  fi
  rm -f "$work"/precis-*.log
}

run_array shards
if [ -n "$(pg_bin)" ]; then
  pg_start "$work/pg" > /dev/null
  PRECIS_STORE=$PRECIS_TEST_PG run_array postgres
else
  echo "test-slurm: no PostgreSQL server installed, so only the sharded array ran" >&2
  status=1
fi
echo "test-slurm: $(( $(date +%s) - began )) s in all"
exit "$status"
