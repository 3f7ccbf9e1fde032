#pragma once
// Attention timeline: slim copies of snapshots (the probe example's attention maps, the
// teacher's top picks, diagnostics) kept at log-spaced steps, so early training - where
// attention changes fastest - keeps as many frames as the long tail.
//
// Memory bound: at most maxFrames frames and maxBytes bytes (defaults 64 frames, 32 MiB).
// When either is exceeded every second frame is dropped (the first and the last stay) and
// the spacing ratio is squared, so the kept steps stay log-spaced.
#include <QImage>
#include <QSize>
#include <QStringList>
#include <cstddef>
#include <vector>

#include "app/worker/training_worker.h"

namespace attent::ui {

class AttentionTimeline {
 public:
  explicit AttentionTimeline(int maxFrames = 64, std::size_t maxBytes = std::size_t(32) << 20,
                             double ratio = 1.15);
  void clear();
  // Keeps a slim copy of `snapshot` if its step is due (>= the next log-spaced step).
  // A different probe example starts the timeline again. True if kept.
  bool add(const app::SnapshotPtr& snapshot);
  const std::vector<app::SnapshotPtr>& frames() const { return frames_; }
  std::size_t bytes() const { return bytes_; }
  int maxFrames() const { return maxFrames_; }
  std::size_t maxBytes() const { return maxBytes_; }
  double ratio() const { return ratio_; }
  // The frame nearest to `step` (null when empty).
  app::SnapshotPtr frameAt(long step) const;

  // What a frame keeps of a snapshot, and its approximate size in bytes.
  static attent::Snapshot slim(const attent::Snapshot& snapshot);
  static std::size_t frameBytes(const attent::Snapshot& snapshot);

 private:
  void thin();
  int maxFrames_;
  std::size_t maxBytes_;
  double baseRatio_, ratio_;
  long nextDue_ = 0;
  int probe_ = -1;
  std::size_t bytes_ = 0;
  std::vector<app::SnapshotPtr> frames_;
};

// `k` frames spread over the timeline (always the first and the last).
std::vector<app::SnapshotPtr> chooseFrames(const std::vector<app::SnapshotPtr>& frames, int k);
// The "timeline strip" for a slide: one row per run, one column per frame, each cell the
// probe's attention (mean over heads of the last layer), step labels on top, run names on
// the left, a shared colour legend. `cell` is one map's size in logical pixels.
QImage timelineStrip(const std::vector<app::SnapshotPtr>& frames, QSize cell = {160, 160}, double scale = 2.0,
                     bool dark = false);

}  // namespace attent::ui
