#pragma once
// A tiny local training loop for the research suites: zeroGrad, forward, backward,
// optimiser step per group, afterStep - what the experiment layer does.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <span>
#include <vector>

#include "engine/core/optimizer.h"
#include "engine/core/rng.h"
#include "engine/learners/learner.h"

namespace attent::testing {

inline void trainStep(Learner& learner, std::span<const int> batch, const OptimizerSettings& opt, long step,
                      double lrFactor = 1.0, int group = -1) {
  ForwardOutputs out;
  learner.parameters().zeroGrad();
  learner.forward(Split::Pool, batch, out, true);
  learner.backward();
  optimizerStep(learner.parameters(), opt, step, lrFactor, group);
  learner.afterStep(step, opt.lr * lrFactor);
}

inline std::vector<int> allOf(const Task& task, Split split) {
  std::vector<int> v(task.size(split));
  std::iota(v.begin(), v.end(), 0);
  return v;
}

inline double meanOf(const std::vector<float>& v) {
  double s = 0;
  for (float x : v) s += x;
  return v.empty() ? 0.0 : s / v.size();
}

// Central differences of `loss` (double precision) against the parameters' gradient after
// `backward`. Parameters are float; the step actually taken is (float)(w + h) - (float)(w - h),
// so the quotient carries no float rounding of h. Checks up to `perTensor` entries per view.
template <class LossFn>
double maxGradientError(Parameters<float>& p, LossFn loss, double h, int perTensor, Rng& rng) {
  double worst = 0;
  for (int id = 0; id < p.count(); ++id) {
    const ParamView& v = p.view(id);
    for (int t = 0; t < perTensor && t < int(v.size); ++t) {
      const std::size_t i = v.offset + (perTensor >= int(v.size) ? t : rng.below(v.size));
      const float w = p.values()[i];
      const float up = float(w + h), down = float(w - h);
      p.values()[i] = up;
      const double lu = loss();
      p.values()[i] = down;
      const double ld = loss();
      p.values()[i] = w;
      const double fd = (lu - ld) / (double(up) - double(down));
      const double g = p.grads()[i];
      const double e = std::abs(fd - g) / (1e-4 + std::abs(fd) + std::abs(g));
      if (e > worst && std::getenv("GRAD_DEBUG"))
        std::fprintf(stderr, "%s[%zu]: fd %.9g backward %.9g\n", v.name.c_str(), i - v.offset, fd, g);
      worst = std::max(worst, e);
    }
  }
  return worst;
}

}  // namespace attent::testing
