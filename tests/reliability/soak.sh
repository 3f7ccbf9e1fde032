#!/usr/bin/env bash
# Soak (docs/RELIABILITY.md, "Soak"): a long offscreen window run with the views live -
# `attent-studio screenshot` trains a preset file's N steps in the real window, every view
# updated from the snapshots, then saves a PNG - while its resident memory and open file
# handles are sampled from /proc about five times a second. Prints RSS after warm-up (10% of the run), at
# 90% (still training), at the end and its peak, and the file handles at warm-up and the end. Not a CTest suite:
# minutes, not seconds.
#   bash tests/reliability/soak.sh [BUILD_DIR] [KIND STEPS]
# Default: scb 200,000 steps and digits-vit 20,000 steps, one after the other, evaluated
# every 1,000 steps with a history point every 1,000 (the history itself grows ~140 bytes a point).
set -euo pipefail
build="${1:-build}"
shift || true
exe="$build/attent-studio"
[ -x "$exe" ] || { echo "soak.sh: no $exe (build first)" >&2; exit 2; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

soak() {  # kind steps
  local kind="$1" steps="$2" start rss fds pid
  printf '{"name": "soak-%s", "title": "soak", "lesson": "soak", "kind": "%s",\n "settings": {"experiment.steps": %s, "experiment.eval_every": 1000, "experiment.log_every": 1000}}\n' \
    "$kind" "$kind" "$steps" >"$out/$kind.json"
  QT_QPA_PLATFORM=offscreen "$exe" screenshot --preset "$out/$kind.json" --steps "$steps" \
    --out "$out/$kind.png" >"$out/log" 2>&1 &
  pid=$!
  start=$(date +%s%N)
  : >"$out/samples"
  while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l || true)
    # seconds since the start, from the clock: the sampling itself takes time
    [ -n "$rss" ] && echo "$((($(date +%s%N) - start) / 1000000000)) $rss $fds" >>"$out/samples"
    sleep 0.2
  done
  wait "$pid" || { echo "soak.sh: $kind failed:"; cat "$out/log"; return 1; }
  awk -v kind="$kind" -v steps="$steps" '
    { t[NR] = $1; rss[NR] = $2; fd[NR] = $3; if ($2 > peak) peak = $2 }
    END {
      w = int(NR / 10) + 1; if (w > NR) w = NR
      l = int(NR * 9 / 10); if (l < w) l = w
      printf "%s, %d steps, %d s: RSS after warm-up (%d s) %.1f MB, at %d s (still training) %.1f MB, " \
             "growth %+.1f MB; at the end (after the PNG) %.1f MB, peak %.1f MB; file handles %d at " \
             "warm-up, %d at the end\n",
             kind, steps, t[NR], t[w], rss[w] / 1024, t[l], rss[l] / 1024, (rss[l] - rss[w]) / 1024,
             rss[NR] / 1024, peak / 1024, fd[w], fd[NR]
    }' "$out/samples"
}

if [ $# -ge 2 ]; then
  soak "$1" "$2"
else
  soak scb 200000
  soak digits-vit 20000
fi
