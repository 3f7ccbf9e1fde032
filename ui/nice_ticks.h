#pragma once
// Axis ticks a reader can say aloud: steps of 1, 2 or 5 x 10^k, the first tick a multiple of
// the step, and labels with just the decimals the step needs (0.2, 0.4 - never 0.6033; 150,
// never 150.0). Pure arithmetic, so the charts and their tests agree on what "nice" means.
#include <QString>

namespace attent::ui {

struct NiceTicks {
  double step = 1;   // 1, 2 or 5 x 10^k
  double first = 0;  // the smallest multiple of step >= lo
  int count = 0;     // ticks in [lo, hi]
  int decimals = 0;  // digits after the point that tell two neighbouring ticks apart
};

// The smallest nice step that puts at most maxTicks ticks in [lo, hi] (lo < hi, maxTicks >= 2;
// an empty or reversed range is widened to one unit).
NiceTicks niceTicks(double lo, double hi, int maxTicks);
// An axis that ends on ticks: niceTicks(lo, hi, maxTicks), its range widened outwards to whole
// steps, keeping that step (choosing again over the wider range could pick a coarser step that
// leaves a single label: 2.96..3.02 holds 4 ticks of 0.02 where 3 were asked). At least 2 ticks.
struct NiceRange {
  double lo = 0, hi = 1;
  NiceTicks ticks;  // ticks.first == lo
};
NiceRange niceRange(double lo, double hi, int maxTicks);
// The smallest tick of niceTicks(0, v, maxTicks) at or above v > 0: a colour scale's top
// (0.999 -> 1, 0.37 -> 0.4); 1 for v <= 0.
double niceCeiling(double v, int maxTicks = 5);
// The tick's label: `value` with ticks.decimals decimals, "0" for a rounding -0.
QString tickLabel(double value, const NiceTicks& ticks);
// A printf format for Qt Charts' labelFormat with the same decimals ("%.1f").
QString tickFormat(const NiceTicks& ticks);

}  // namespace attent::ui
