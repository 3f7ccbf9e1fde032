#pragma once
// The only way data crosses between the UI thread and the worker thread: closures queued
// under a std::mutex, then a queued call with no arguments that drains them.
//
// Why not the arguments of queued signals? Qt 6 hands those over under its own futex-based
// lock inside libQt6Core. Debian's Qt is not built with ThreadSanitizer, so that lock is
// invisible to TSan and every hand-off looks like a race. A std::mutex (pthread) is seen,
// so the worker's threading can be checked with zero suppressions of our own code.
#include <deque>
#include <functional>
#include <mutex>

namespace attent::app {

class Mailbox {
 public:
  // Any thread. When the box was empty, calls `wake` (which queues a call to drain()):
  // one wake-up per burst, however many closures it holds. `wake` runs under the lock so
  // that whatever it allocates is ordered before the reader's drain, for TSan as for us.
  template <typename Wake>
  void post(std::function<void()> closure, Wake&& wake) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(closure));
    if (queue_.size() == 1) wake();
  }
  // Drops what has not run yet (the reader is going away).
  void clear() {
    std::deque<std::function<void()>> dropped;
    std::lock_guard<std::mutex> lock(mutex_);
    dropped.swap(queue_);
  }
  // The reader's thread: runs everything posted so far, in order. Closures posted while
  // these run are left for the next drain (which their post() asked for).
  void drain() {
    std::deque<std::function<void()>> taken;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      taken.swap(queue_);
    }
    for (auto& closure : taken) closure();
  }

 private:
  std::mutex mutex_;
  std::deque<std::function<void()>> queue_;
};

}  // namespace attent::app
