#!/usr/bin/env bash
# The sanitizer stage of CI (docs/RELIABILITY.md): builds and runs
#   build-asan  AddressSanitizer + UndefinedBehaviorSanitizer, the whole test suite
#   build-tsan-omp  ThreadSanitizer (clang, libomp + Archer), the OpenMP batch shards
#   build-tsan  ThreadSanitizer (GCC) over the worker thread and the window's suites
# Any report fails the stage (halt_on_error). Idempotent like scripts/studio.sh.
#   bash scripts/sanitize.sh [asan|tsan|tsan-qt|all]     (default: all = asan + tsan + tsan-qt)
# Environment: ATTENT_JOBS (build jobs, default 2); ATTENT_ASAN_EXCLUDE (a ctest -E regex
# of suites to leave out; default: none).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-all}"
jobs="${ATTENT_JOBS:-2}"

configure() {  # build dir, sanitizers (re-run every time: it picks up new suites)
  cmake -S "$here" -B "$1" -DCMAKE_BUILD_TYPE=Release -DATTENT_SANITIZE="$2" >/dev/null
}

# ThreadSanitizer suites. OpenMP: built with clang against LLVM's libomp, whose Archer tool
# (libarcher, OMP_TOOL_LIBRARIES) tells TSan about OpenMP's barriers and reductions, so the
# batch shards run on 2 real threads. Qt worker and window: see run_tsan_qt.
tsan_omp_suites=(test_thread_agreement test_gradients)
tsan_qt_suites=(test_mailbox test_worker test_controller_stress test_window_stress test_window_picks test_window_files
  test_window_bad_inputs)

run_asan() {
  local b="$here/build-asan"
  configure "$b" address,undefined
  cmake --build "$b" -j"$jobs"
  # detect_leaks: LeakSanitizer too; suppressions only for third-party libraries.
  # exitcode 23: never the 1 or 2 a refused input exits with.
  export ASAN_OPTIONS="halt_on_error=1:exitcode=23:detect_leaks=1:strict_init_order=1"
  export LSAN_OPTIONS="suppressions=$here/scripts/sanitizer/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=23"
  (cd "$b" && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j1 --timeout 1500 \
    ${ATTENT_ASAN_EXCLUDE:+-E "$ATTENT_ASAN_EXCLUDE"})
}

run_suites() {  # build dir, suite names...
  local b="$1" t exe
  shift
  for t in "$@"; do
    exe="$(find "$b/tests" -type f -name "$t" -perm -u+x | head -n1)"
    echo "== $(basename "$b"): $t"
    (cd "$(dirname "$exe")" && QT_QPA_PLATFORM=offscreen timeout 1500 "$exe")
  done
}

run_tsan() {
  local b="$here/build-tsan-omp" archer
  if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/libarcher.so >/dev/null 2>&1; then
    echo "Installing clang and LLVM's OpenMP runtime (libarcher) for ThreadSanitizer"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends clang libomp-dev
  fi
  archer="$(ls /usr/lib/llvm-*/lib/libarcher.so | sort -V | tail -n1)"
  if [ ! -f "$b/CMakeCache.txt" ]; then
    cmake -S "$here" -B "$b" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ -DATTENT_SANITIZE=thread >/dev/null
  fi
  cmake --build "$b" -j"$jobs" --target "${tsan_omp_suites[@]}"
  # Run directly: CTest would set OMP_NUM_THREADS itself. OpenBLAS (uninstrumented) stays
  # on the calling thread; ignore_noninstrumented_modules keeps its interceptors quiet.
  OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=1 OMP_TOOL_LIBRARIES="$archer" \
    TSAN_OPTIONS="halt_on_error=1:ignore_noninstrumented_modules=1:suppressions=$here/scripts/sanitizer/tsan.supp" \
    run_suites "$b" "${tsan_omp_suites[@]}"
}

# The worker thread and the window, built with GCC's TSan against Debian's (uninstrumented)
# Qt. That works because nothing crosses threads through Qt: the controller and the worker
# hand every command and result over in app/worker/mailbox.h under a std::mutex, which TSan
# sees (Qt's own futex-based lock it would not). ignore_noninstrumented_modules: memmove,
# free and the like called from inside Qt/GLib are not checked (Qt's locks are invisible);
# our code's accesses all are. No suppressions. OMP_NUM_THREADS=1: libgomp is not
# instrumented either; the OpenMP shards have their own stage above.
run_tsan_qt() {
  local b="$here/build-tsan"
  configure "$b" thread
  cmake --build "$b" -j"$jobs" --target "${tsan_qt_suites[@]}"
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1:suppressions=$here/scripts/sanitizer/tsan.supp" \
    run_suites "$b" "${tsan_qt_suites[@]}"
}

case "$mode" in
  asan) run_asan ;;
  tsan) run_tsan ;;
  tsan-qt) run_tsan_qt ;;
  all) run_asan && run_tsan && run_tsan_qt ;;
  *)
    echo "usage: scripts/sanitize.sh [asan|tsan|tsan-qt|all]" >&2
    exit 2
    ;;
esac
