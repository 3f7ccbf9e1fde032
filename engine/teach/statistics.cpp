#include "engine/teach/statistics.h"

#include <algorithm>
#include <cmath>

#include "engine/core/rng.h"

namespace attent {

double median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double mean(const std::vector<double>& v) {
  if (v.empty()) return NAN;
  double s = 0;
  for (double x : v) s += x;
  return s / double(v.size());
}

namespace {

template <class Stat>
Interval bootstrap(const std::vector<double>& x, int resamples, std::uint64_t seed, Stat stat) {
  if (x.empty()) return {NAN, NAN, NAN};
  Interval out{stat(x), 0, 0};
  Rng rng(seed);
  std::vector<double> draw(x.size()), stats(std::size_t(std::max(1, resamples)));
  for (double& s : stats) {
    for (double& d : draw) d = x[rng.below(x.size())];
    s = stat(draw);
  }
  std::sort(stats.begin(), stats.end());
  const auto at = [&](double q) { return stats[std::size_t(std::lround(q * double(stats.size() - 1)))]; };
  out.low = at(0.025);
  out.high = at(0.975);
  return out;
}

}  // namespace

Interval bootstrapMedian(const std::vector<double>& x, int resamples, std::uint64_t seed) {
  return bootstrap(x, resamples, seed, median);
}

Interval bootstrapMean(const std::vector<double>& x, int resamples, std::uint64_t seed) {
  return bootstrap(x, resamples, seed, mean);
}

}  // namespace attent
