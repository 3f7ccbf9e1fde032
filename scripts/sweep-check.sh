#!/usr/bin/env bash
# Runs the two sweeps of docs/SWEEPS.md for real on this machine and checks that each, once
# collected, equals one unsharded run of the same seeds:
#   1. a single-node Slurm (Debian's slurm-wlm and munge, configured here for localhost in a
#      temporary folder, stopped afterwards) runs scripts/sweep/slurm-array.sbatch;
#   2. the documented GNU parallel line.
# Installs slurm-wlm, munge and parallel when missing (as root). Exit 0 when both agree.
#   bash scripts/sweep-check.sh            (ATTENT_BIN: the executable, default build/attent-studio)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$(realpath "${ATTENT_BIN:-$here/build/attent-studio}")"
[ -x "$bin" ] || { echo "sweep-check: $bin is not built (bash scripts/studio.sh test builds it)" >&2; exit 2; }
need=()
for p in slurm-wlm munge parallel; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "sweep-check: install ${need[*]} first (as root)" >&2; exit 2; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

work="$(mktemp -d /tmp/attent-sweep.XXXXXX)"
# A small epoch-budget sweep: four arms per seed, so the verdict's seeds are collected too.
preset=digits-vit seeds=1-4
sets="--set epochs.count=3 --set epochs.cycles=1 --set epochs.interval=1"
# shellcheck disable=SC2086
"$bin" run --preset "$preset" --seeds "$seeds" --threads 1 --out "$work/whole" $sets >"$work/whole.log"

compare() {  # collected folder: equal to $work/whole in everything but timings
  /usr/bin/python3 - "$1" "$work/whole" <<'EOF'
import csv, json, sys
a, b = (json.load(open(d + "/summary.json")) for d in sys.argv[1:3])
def runs(s):
    return [(r["name"], r["seed"], r["final_eval_loss"], r["final_eval_accuracy"], r["steps_to_target"]) for r in s["runs"]]
def arms(s):
    return [(e["seed"], x["name"], x["trained_examples"], x["scored_examples"], x["final_eval_loss"],
             x["final_eval_accuracy"]) for e in s.get("epoch_seeds", []) for x in e["arms"]]
def rows(d):
    return [r[:4] + r[5:] for r in csv.reader(open(d + "/metrics.csv"))]
checks = {"seeds": a["seeds"] == b["seeds"], "settings": a["settings"] == b["settings"],
          "runs": runs(a) == runs(b), "epoch arms": arms(a) == arms(b) and arms(a),
          "metrics.csv": rows(sys.argv[1]) == rows(sys.argv[2]),
          "accuracy verdict": a["epoch_verdict"]["accuracy_attent_minus_full"] == b["epoch_verdict"]["accuracy_attent_minus_full"]}
bad = [k for k, ok in checks.items() if not ok]
print("  collected == unsharded:", "yes" if not bad else "NO, differs in " + ", ".join(bad))
sys.exit(1 if bad else 0)
EOF
}

slurm_up() {
  local host conf="$work/slurm/slurm.conf"
  host="$(hostname -s)"
  mkdir -p "$work/slurm/state" "$work/slurm/spool"
  cat >"$conf" <<EOF
ClusterName=attent-check
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=26817
SlurmdPort=26818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$work/slurm/state
SlurmdSpoolDir=$work/slurm/spool
SlurmctldPidFile=$work/slurm/slurmctld.pid
SlurmdPidFile=$work/slurm/slurmd.pid
SlurmctldLogFile=$work/slurm/slurmctld.log
SlurmdLogFile=$work/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=check Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$conf"
  if ! pgrep -x munged >/dev/null; then
    [ -f /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
    mkdir -p /run/munge && munged --force
    started_munge=1
  fi
  slurmctld && slurmd
  for _ in $(seq 60); do
    sinfo -h -o %T 2>/dev/null | grep -qE '^idle' && return 0
    sleep 1
  done
  echo "sweep-check: the local Slurm did not come up; its logs:" >&2
  tail -n 20 "$work/slurm/"*.log >&2
  return 1
}
slurm_down() {
  [ -n "${SLURM_CONF:-}" ] || return 0
  scontrol shutdown >/dev/null 2>&1 || true
  sleep 1
  pkill -f "slurmd" 2>/dev/null || true
  [ -n "${started_munge:-}" ] && pkill -x munged 2>/dev/null || true
}
trap slurm_down EXIT

echo "== Slurm job array (scripts/sweep/slurm-array.sbatch), slices of seeds $seeds"
slurm_up
(cd "$work" && sbatch --wait --array=1-2 --export="ALL,ATTENT_STUDIO=$bin,PRESET=$preset,SEEDS=$seeds,OUT=$work/slurm-sweep,SETS=$sets" \
  "$here/scripts/sweep/slurm-array.sbatch")
"$bin" collect "$work/slurm-sweep" --out "$work/slurm-collected" | tail -n 3
compare "$work/slurm-collected"
slurm_down
unset SLURM_CONF

echo "== GNU parallel, slices of seeds $seeds"
# The line of docs/SWEEPS.md, with this check's settings.
# shellcheck disable=SC2086
parallel -j2 "$bin" run --preset "$preset" --seeds "$seeds" --threads 1 --shard {}/2 --out "$work/parallel-sweep" $sets \
  ::: 1 2 >"$work/parallel.log" 2>&1 || { cat "$work/parallel.log" >&2; exit 1; }
"$bin" collect "$work/parallel-sweep" --out "$work/parallel-collected" | tail -n 3
compare "$work/parallel-collected"
rm -rf "$work"
echo "sweep-check: both sweeps equal the unsharded run"
