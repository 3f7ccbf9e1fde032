#!/usr/bin/env bash
# The sanitizer stage of CI (docs/RELIABILITY.md): builds and runs
#   build-asan  AddressSanitizer + UndefinedBehaviorSanitizer, the whole test suite
#   build-tsan  ThreadSanitizer, the suites that drive the worker thread
# Any report fails the stage (halt_on_error). Idempotent like scripts/studio.sh.
#   bash scripts/sanitize.sh [asan|tsan|all]     (default: all)
# Environment: ATTENT_JOBS (build jobs, default 2); ATTENT_ASAN_EXCLUDE (a ctest -E regex).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-all}"
jobs="${ATTENT_JOBS:-2}"

configure() {  # build dir, sanitizers
  if [ ! -f "$1/CMakeCache.txt" ]; then
    cmake -S "$here" -B "$1" -DCMAKE_BUILD_TYPE=Release -DATTENT_SANITIZE="$2" >/dev/null
  fi
}

# Suites run under each sanitizer; ctest names = target names.
tsan_suites=(test_worker test_views test_controller_stress)

run_asan() {
  local b="$here/build-asan"
  configure "$b" address,undefined
  cmake --build "$b" -j"$jobs"
  # detect_leaks: LeakSanitizer too; suppressions only for third-party libraries.
  export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=1:strict_init_order=1:detect_stack_use_after_return=0"
  export LSAN_OPTIONS="suppressions=$here/scripts/sanitizer/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  (cd "$b" && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j1 --timeout 1500 \
    ${ATTENT_ASAN_EXCLUDE:+-E "$ATTENT_ASAN_EXCLUDE"})
}

run_tsan() {
  local b="$here/build-tsan"
  configure "$b" thread
  cmake --build "$b" -j"$jobs" --target "${tsan_suites[@]}"
  # libgomp is not built with TSan: its barriers are invisible to it and every OpenMP region
  # would be reported. One OpenMP thread leaves only the worker/UI threads, which is what
  # these suites check. Qt's own locks are likewise uninstrumented: see tsan.supp.
  export OMP_NUM_THREADS=1
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$here/scripts/sanitizer/tsan.supp"
  # Run the executables directly: CTest would set OMP_NUM_THREADS=2 (tests/CMakeLists.txt).
  local t exe
  for t in "${tsan_suites[@]}"; do
    exe="$(find "$b/tests" -type f -name "$t" -perm -u+x | head -n1)"
    echo "== TSan: $t"
    (cd "$(dirname "$exe")" && QT_QPA_PLATFORM=offscreen timeout 1500 "$exe")
  done
}

case "$mode" in
  asan) run_asan ;;
  tsan) run_tsan ;;
  all) run_asan && run_tsan ;;
  *)
    echo "usage: scripts/sanitize.sh [asan|tsan|all]" >&2
    exit 2
    ;;
esac
