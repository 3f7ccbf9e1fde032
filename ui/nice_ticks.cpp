#include "ui/nice_ticks.h"

#include <algorithm>
#include <cmath>

namespace attent::ui {

namespace {

// Ticks of `step` in [lo, hi], with a tolerance for the rounding of lo / step.
int ticksIn(double lo, double hi, double step) {
  const double first = std::ceil(lo / step - 1e-9) * step;
  return first > hi + 1e-9 * step ? 0 : int(std::floor((hi - first) / step + 1e-9)) + 1;
}

// A range a step can be chosen for: an unusable one becomes [0, 1], an empty one one unit wide.
void makeUsable(double& lo, double& hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (hi <= lo) hi = lo + 1;
}

}  // namespace

NiceTicks niceTicks(double lo, double hi, int maxTicks) {
  makeUsable(lo, hi);
  maxTicks = std::max(2, maxTicks);
  // Start one decade below the rough step and climb 1, 2, 5, 10, 20, ... until the ticks fit.
  double decade = std::pow(10.0, std::floor(std::log10((hi - lo) / maxTicks)) - 1);
  NiceTicks t;
  for (int i = 0;; ++i) {
    const double mantissa = i % 3 == 0 ? 1 : i % 3 == 1 ? 2 : 5;
    t.step = mantissa * decade;
    if (ticksIn(lo, hi, t.step) <= maxTicks) break;
    if (i % 3 == 2) decade *= 10;
  }
  t.first = std::ceil(lo / t.step - 1e-9) * t.step;
  t.count = ticksIn(lo, hi, t.step);
  t.decimals = std::max(0, -int(std::floor(std::log10(t.step) + 1e-9)));
  return t;
}

NiceRange niceRange(double lo, double hi, int maxTicks) {
  makeUsable(lo, hi);
  NiceRange r;
  r.ticks = niceTicks(lo, hi, maxTicks);
  const double step = r.ticks.step;
  r.lo = std::floor(lo / step + 1e-9) * step;
  r.hi = std::max(r.lo + step, std::ceil(hi / step - 1e-9) * step);
  r.ticks.first = r.lo;
  r.ticks.count = ticksIn(r.lo, r.hi, step);
  return r;
}

double niceCeiling(double v, int maxTicks) {
  if (!(v > 0) || !std::isfinite(v)) return 1;
  const NiceTicks t = niceTicks(0, v, maxTicks);
  return std::ceil(v / t.step - 1e-6) * t.step;
}

QString tickLabel(double value, const NiceTicks& ticks) {
  // Values that are a tick up to rounding (0.30000000000000004) print as the tick.
  const double scale = std::pow(10.0, ticks.decimals);
  double rounded = std::round(value * scale) / scale;
  if (rounded == 0) rounded = 0;  // no "-0"
  return QString::number(rounded, 'f', ticks.decimals);
}

QString tickFormat(const NiceTicks& ticks) { return QStringLiteral("%.%1f").arg(ticks.decimals); }

}  // namespace attent::ui
