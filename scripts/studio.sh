#!/usr/bin/env bash
# The README's quick start: install what is missing (Debian 12), build, then open the
# app or run the whole test suite. Idempotent: a second call only rebuilds what changed.
#   bash scripts/studio.sh open    build and open the window
#   bash scripts/studio.sh test    build and run every test headless through CTest
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTENT_BUILD_DIR:-$here/build}"
mode="${1:-open}"
# Phase timings, read by scripts/fresh-root-check.sh.
phase() { echo "studio.sh: $1 ($SECONDS s)"; SECONDS=0; }

packages=(g++ make cmake qt6-base-dev libqt6opengl6-dev qt6-charts-dev qt6-svg-dev libqt6svg6 libeigen3-dev
          libgl-dev zlib1g-dev libgomp1 libopenblas-dev fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing missing packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
phase "packages ready"

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release ${ATTENT_CMAKE_ARGS:-}
fi
cmake --build "$build" -j"${ATTENT_JOBS:-2}"
phase "build ready"

case "$mode" in
  open)
    shift || true
    exec "$build/attent-studio" "$@"
    ;;
  test)
    cd "$build"
    QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j1 --timeout 1500
    phase "tests done"
    ;;
  *)
    echo "usage: scripts/studio.sh open|test" >&2
    exit 2
    ;;
esac
