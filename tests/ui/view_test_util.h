#pragma once
// Helpers for the offscreen view tests: synthetic snapshots and "is this image blank?".
#include <QImage>
#include <QSet>
#include <QWidget>

#include "app/worker/training_worker.h"
#include "doubles/fake_experiment.h"

namespace attent::test {

// A snapshot of the fake experiment after `steps` steps (metric deltas for all of them).
inline app::SnapshotPtr fakeSnapshot(long steps) {
  Settings s = app::fakeSettings();
  s.set("work_us", "0");
  auto experiment = app::makeFakeExperiment(s, 1);
  for (long i = 0; i < steps; ++i) experiment->step();
  return std::make_shared<const Snapshot>(experiment->snapshot(0));
}

// Distinct colours in the image: a blank fill has 1, a rendered view many.
inline int distinctColours(const QImage& image) {
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += 2)
    for (int x = 0; x < image.width(); x += 2) colours.insert(image.pixel(x, y));
  return colours.size();
}

inline QImage render(QWidget& widget, QSize size = {640, 420}) {
  widget.resize(size);
  widget.show();
  QCoreApplication::processEvents();
  return widget.grab().toImage();
}

}  // namespace attent::test
