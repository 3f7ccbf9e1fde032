#include "ui/stall_meter.h"

namespace attent::ui {

StallMeter::StallMeter(QObject* parent) : QObject(parent) {
  timer_.setTimerType(Qt::PreciseTimer);
  timer_.setInterval(5);
  connect(&timer_, &QTimer::timeout, this, [this] {
    const qint64 now = clock_.nsecsElapsed();
    largestNs_ = std::max(largestNs_, now - last_ - 5'000'000);  // gap beyond the interval
    last_ = now;
  });
  restart();
  timer_.start();
}

void StallMeter::restart() {
  clock_.start();
  last_ = 0;
  largestNs_ = 0;
}

}  // namespace attent::ui
