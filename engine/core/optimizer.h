#pragma once
// Optimisers over a Parameters buffer: SGD, momentum, AdamW with decoupled weight
// decay; gradient-norm clipping; learning-rate schedules. Per-group settings let a
// learner train parts with separate optimisers (focus model vs classifier).
#include <vector>

#include "engine/core/parameters.h"

namespace attent {

enum class OptimizerKind { Sgd, Momentum, AdamW };

struct OptimizerSettings {
  OptimizerKind kind = OptimizerKind::AdamW;
  double lr = 1e-3;
  double momentum = 0.9;  // Momentum
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;  // AdamW
  double weightDecay = 0.0;                       // AdamW, decoupled
};

enum class LrScheduleKind { Constant, WarmupCosine };

struct LrSchedule {
  LrScheduleKind kind = LrScheduleKind::Constant;
  long warmupSteps = 0;
  long totalSteps = 1;
  double minFactor = 0.1;  // cosine decays to minFactor * lr
  // Multiplier of the base learning rate at 0-based step `step`.
  double factor(long step) const;
};

// Global L2 norm of the trainable gradients.
template <class T>
double gradientNorm(const Parameters<T>& p);
// Scales gradients so their global norm is at most maxNorm (no-op if maxNorm <= 0).
// Returns the norm before clipping.
template <class T>
double clipGradients(Parameters<T>& p, double maxNorm);

// One update of every trainable view in `group` (group < 0: all groups).
// `step` is 1-based (AdamW bias correction); lrFactor multiplies settings.lr.
template <class T>
void optimizerStep(Parameters<T>& p, const OptimizerSettings& s, long step, double lrFactor = 1.0,
                   int group = -1);

}  // namespace attent
