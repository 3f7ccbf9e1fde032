#pragma once
// The epoch-budget protocol of AtteNT (docs/SCIENCE.md section 1): every arm has the same
// number of epochs, and some of the teacher's epochs run over a selected subset, so they are
// shorter. An EpochPlan lists each epoch: over the whole pool or a subset, its ratio, and
// whether the pool is scored before it.
//   ViT form: epoch 1 on the pool; the remaining E-1 epochs in C cycles of floor((E-1)/C)
//     epochs (the remainder joins the last cycle); cycle c keeps r_c * N examples for its
//     first interval_c epochs, then trains on the pool. r_c rises from ratioStart to ratioEnd
//     (linear or cosine over cycles); interval_c is fixed or grows linearly to maxInterval.
//   LLM form: epoch 1 on the pool, recording each example's training loss; the top `keep`
//     fraction for the remaining epochs.
#include <string>
#include <vector>

#include "engine/core/settings.h"
#include "engine/teach/epoch_phase.h"
#include "engine/teach/teacher.h"

namespace attent {

enum class EpochForm { Vit, Llm };
enum class SubsetPick { Hard, Soft, Random };

struct EpochPlanConfig {
  EpochForm form = EpochForm::Vit;
  int epochs = 20;  // E
  int cycles = 10;  // C (ViT form)
  double ratioStart = 0.2, ratioEnd = 0.8;
  RatioShape shape = RatioShape::Linear;  // Linear or Cosine over cycles
  int interval = 5;                       // subset epochs per cycle (ViT form)
  bool incremental = false;               // interval grows over cycles to maxInterval
  int maxInterval = 5;
  double keep = 0.7;  // LLM form: fraction kept after epoch 1
  SubsetPick pick = SubsetPick::Hard;
  // Throws SettingsError naming the setting for an impossible plan.
  void validate() const;
};

// One phase per epoch.
std::vector<EpochPhase> planEpochs(const EpochPlanConfig& config);
// Examples one epoch over `ratio` of `poolSize` covers: ceil(ratio * N), at least 1.
int subsetExamples(double ratio, int poolSize);
// Training examples of the whole plan on a pool of `poolSize` (what the attent and
// random-subset arms train on; the short-full arm trains on the same number).
long plannedExamples(const std::vector<EpochPhase>& plan, int poolSize);
// Examples scored by no-grad forwards: one pass over the pool per selection (ViT form; the
// LLM form reuses epoch 1's training losses, so 0). Soft selection re-scores before every
// subset epoch, not only the cycle's first.
long plannedScoredExamples(const std::vector<EpochPhase>& plan, int poolSize, SubsetPick pick);

// Whether `settings` select the epoch budget (experiment.protocol=epochs; false without the key).
bool epochProtocol(const Settings& settings);

}  // namespace attent
