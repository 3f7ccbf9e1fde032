#pragma once
// Optional measurement (ATTENT_MEASURE_STALLS=1): a 5 ms timer on the UI thread records
// the largest gap between its ticks, i.e. the longest the event loop was busy.
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace attent::ui {

class StallMeter : public QObject {
  Q_OBJECT
 public:
  explicit StallMeter(QObject* parent = nullptr);
  double largestGapMs() const { return largestNs_ * 1e-6; }
  double seconds() const { return clock_.nsecsElapsed() * 1e-9; }
  void restart();

 private:
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 last_ = 0, largestNs_ = 0;
};

}  // namespace attent::ui
