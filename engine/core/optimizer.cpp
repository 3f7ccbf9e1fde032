#include "engine/core/optimizer.h"

#include <cmath>

namespace attent {

double LrSchedule::factor(long step) const {
  if (kind == LrScheduleKind::Constant) return 1.0;
  if (step < warmupSteps) return double(step + 1) / double(warmupSteps);
  const long span = std::max(1L, totalSteps - warmupSteps);
  const double progress = std::min(1.0, double(step - warmupSteps) / double(span));
  return minFactor + (1.0 - minFactor) * 0.5 * (1.0 + std::cos(M_PI * progress));
}

template <class T>
double gradientNorm(const Parameters<T>& p) {
  double sum = 0;
  for (const auto& v : p.views()) {
    if (!v.trainable) continue;
    const T* g = p.grads().data() + v.offset;
    for (std::size_t i = 0; i < v.size; ++i) sum += double(g[i]) * double(g[i]);
  }
  return std::sqrt(sum);
}

template <class T>
double clipGradients(Parameters<T>& p, double maxNorm) {
  const double norm = gradientNorm(p);
  if (maxNorm > 0 && norm > maxNorm) {
    const T scale = T(maxNorm / norm);
    for (auto& g : p.grads()) g *= scale;
  }
  return norm;
}

namespace {
// Below this many values one thread is faster than waking a team.
constexpr std::size_t kParallelUpdate = 1 << 15;
}  // namespace

// Every update is element-wise, so splitting each view across the threads changes no result.
// All threads walk the views in the same order and share out each one (nowait: the views
// are disjoint).
template <class T>
void optimizerStep(Parameters<T>& p, const OptimizerSettings& s, long step, double lrFactor, int group) {
  const T lr = T(s.lr * lrFactor);
  const T b1 = T(s.beta1), b2 = T(s.beta2), eps = T(s.eps), mu = T(s.momentum);
  const T c1 = T(1.0 / (1.0 - std::pow(s.beta1, double(step))));
  const T c2 = T(1.0 / (1.0 - std::pow(s.beta2, double(step))));
#pragma omp parallel if (p.size() >= kParallelUpdate)
  for (const auto& v : p.views()) {
    if (!v.trainable || (group >= 0 && v.group != group)) continue;
    T* w = p.values().data() + v.offset;
    const T* g = p.grads().data() + v.offset;
    T* m = p.moments1().data() + v.offset;
    T* r = p.moments2().data() + v.offset;
    const long n = long(v.size);
    switch (s.kind) {
      case OptimizerKind::Sgd:
#pragma omp for simd schedule(static) nowait
        for (long i = 0; i < n; ++i) w[i] -= lr * g[i];
        break;
      case OptimizerKind::Momentum:
#pragma omp for simd schedule(static) nowait
        for (long i = 0; i < n; ++i) {
          m[i] = mu * m[i] + g[i];
          w[i] -= lr * m[i];
        }
        break;
      case OptimizerKind::AdamW: {
        const T decay = v.decay ? T(s.weightDecay) : T(0);
#pragma omp for simd schedule(static) nowait
        for (long i = 0; i < n; ++i) {
          m[i] = b1 * m[i] + (T(1) - b1) * g[i];
          r[i] = b2 * r[i] + (T(1) - b2) * g[i] * g[i];
          const T mhat = m[i] * c1, rhat = r[i] * c2;
          w[i] -= lr * (mhat / (std::sqrt(rhat) + eps) + decay * w[i]);
        }
        break;
      }
    }
  }
}

template double gradientNorm(const Parameters<float>&);
template double gradientNorm(const Parameters<double>&);
template double clipGradients(Parameters<float>&, double);
template double clipGradients(Parameters<double>&, double);
template void optimizerStep(Parameters<float>&, const OptimizerSettings&, long, double, int);
template void optimizerStep(Parameters<double>&, const OptimizerSettings&, long, double, int);

}  // namespace attent
