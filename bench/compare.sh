#!/usr/bin/env bash
# Side by side in one sitting: `attent-studio bench` (out of the box: no environment variable
# set) alternated with the PyTorch peer (bench/peers/torch_peer.py) at its best - OpenMP
# OpenBLAS with the kernel set the CPU supports - and the median of each, with the ratio.
#   bash bench/compare.sh [--rounds N] [--threads N] [--steps N] [MODEL...]
# Needs Debian's python3-torch and libopenblas0-openmp (installed when missing, as root).
# ATTENT_BIN: the executable (default build/attent-studio); ATTENT_PYTHON (default /usr/bin/python3).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${ATTENT_BIN:-$here/build/attent-studio}"
# Debian's python3-torch lives with the system Python, whatever python3 is first on PATH.
python="${ATTENT_PYTHON:-/usr/bin/python3}"
rounds=3 threads=2 steps=30
models=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    tiny|small|medium) models+=("$1"); shift ;;
    *) echo "compare.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ ${#models[@]} -gt 0 ] || models=(tiny small medium)
[ -x "$bin" ] || { echo "compare.sh: $bin is not built (bash scripts/studio.sh test builds it)" >&2; exit 2; }

need=()
for p in python3-torch libopenblas0-openmp; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "compare.sh: install ${need[*]} first (as root)" >&2; exit 2; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# The peer at its best: the OpenMP build of OpenBLAS, with the kernels the engine would pick.
omp_blas="$(ls /usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas*.so.0 2>/dev/null | head -n1 || true)"
omp_cblas="$(ls /usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3 2>/dev/null | head -n1 || true)"
core="$("$bin" --version | sed -n 's/.*matrix products: OpenBLAS[^,]*, \([A-Za-z0-9]*\) .*/\1/p')"
peer_env=(env OMP_NUM_THREADS="$threads" ${core:+OPENBLAS_CORETYPE=$core}
  ${omp_blas:+LD_PRELOAD=$omp_blas${omp_cblas:+:$omp_cblas}})

echo "ours: $bin (no environment set)"
env -u OPENBLAS_CORETYPE -u OMP_NUM_THREADS "$bin" --version | sed 's/^/  /'
echo "peer: $python bench/peers/torch_peer.py, ${peer_env[*]:1}"
echo "one sitting, $rounds rounds alternating, $threads threads, $steps steps"

declare -A ours peer
for ((r = 1; r <= rounds; r++)); do
  for m in "${models[@]}"; do
    o="$(env -u OPENBLAS_CORETYPE -u OMP_NUM_THREADS "$bin" bench --model "$m" --threads "$threads" --steps "$steps" |
      awk -v m="$m" '$1 == m { for (i = 1; i <= NF; i++) if ($(i + 1) == "seq/s") print $i }')"
    p="$("${peer_env[@]}" "$python" "$here/bench/peers/torch_peer.py" "$m" --threads "$threads" --steps "$steps" |
      awk '{ for (i = 1; i <= NF; i++) if ($(i + 1) == "seq/s") print $i }')"
    ours[$m]+="$o "
    peer[$m]+="$p "
    echo "  round $r $m: ours $o seq/s, peer $p seq/s"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '\n%-8s %14s %14s %8s\n' model "ours seq/s" "peer seq/s" ratio
for m in "${models[@]}"; do
  mo="$(echo "${ours[$m]}" | median)"
  mp="$(echo "${peer[$m]}" | median)"
  printf '%-8s %14.1f %14.1f %7.2fx\n' "$m" "$mo" "$mp" "$(awk -v a="$mo" -v b="$mp" 'BEGIN { print a / b }')"
done
