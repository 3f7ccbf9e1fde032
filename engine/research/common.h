#pragma once
// Small helpers shared by the three papers' tasks and learners.
#include <cmath>
#include <string>
#include <vector>

#include "engine/core/input_error.h"
#include "engine/core/rng.h"
#include "engine/core/settings.h"

namespace attent::research {

// The paper's settings with the caller's values applied on top: keys the caller does not
// declare keep their documented defaults, so a learner can be built from any Settings.
inline Settings resolve(const std::vector<SettingSpec>& specs, const Settings& given) {
  return resolveSettings(specs, given);
}

// Refuses an impossible combination with a message naming the valid range.
inline void require(bool ok, const std::string& message) {
  if (!ok) throw SettingsError(message);
}

// Gamma(shape, 1) by Marsaglia-Tsang (shape < 1 via the u^(1/shape) boost): Dirichlet draws.
inline double gammaSample(Rng& rng, double shape) {
  if (shape < 1) {
    double u;
    do u = rng.uniform();
    while (u <= 0);
    return gammaSample(rng, shape + 1) * std::pow(u, 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9 * d);
  for (;;) {
    double x, v;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (u > 0 && std::log(u) < 0.5 * x * x + d * (1 - v + std::log(v))) return d * v;
  }
}

// In-place softmax of n scores (max-subtracted, so large scores do not overflow).
template <class T>
void softmaxInPlace(T* x, int n) {
  T mx = x[0];
  for (int i = 1; i < n; ++i) mx = std::max(mx, x[i]);
  T sum = 0;
  for (int i = 0; i < n; ++i) sum += (x[i] = std::exp(x[i] - mx));
  for (int i = 0; i < n; ++i) x[i] /= sum;
}

// Backward of softmax: ds_i = a_i (da_i - sum_j a_j da_j).
template <class T>
void softmaxBackward(const T* a, const T* da, T* ds, int n) {
  T dot = 0;
  for (int i = 0; i < n; ++i) dot += a[i] * da[i];
  for (int i = 0; i < n; ++i) ds[i] = a[i] * (da[i] - dot);
}

// Fisher-Yates shuffle of 0..n-1 with the project's RNG (deterministic across platforms).
inline std::vector<int> permutation(Rng& rng, int n) {
  std::vector<int> p(n);
  for (int i = 0; i < n; ++i) p[i] = i;
  for (int i = n - 1; i > 0; --i) std::swap(p[i], p[rng.below(std::uint64_t(i) + 1)]);
  return p;
}

}  // namespace attent::research
