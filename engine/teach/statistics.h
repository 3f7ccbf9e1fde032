#pragma once
// The statistics behind every verdict over seeds: medians, means and their percentile
// bootstrap intervals. The AtteNT epoch verdict and the papers' claims share them.
#include <cstdint>
#include <vector>

namespace attent {

struct Interval {
  double estimate = 0, low = 0, high = 0;
};

// Of a non-empty `x` (NaN for an empty one).
double median(std::vector<double> x);
double mean(const std::vector<double>& x);

// Percentile bootstrap of the median / the mean of `x`: `resamples` draws of x.size() values
// with replacement, the 2.5% and 97.5% order statistics. One value: a point; none: NaNs.
Interval bootstrapMedian(const std::vector<double>& x, int resamples = 10000, std::uint64_t seed = 1);
Interval bootstrapMean(const std::vector<double>& x, int resamples = 10000, std::uint64_t seed = 1);

}  // namespace attent
