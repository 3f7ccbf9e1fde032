#include "engine/teach/epoch_plan.h"

#include <algorithm>
#include <cmath>

#include "engine/core/input_error.h"

namespace attent {

void EpochPlanConfig::validate() const {
  if (epochs < 2)
    throw SettingsError("epochs.count must be at least 2 (epoch 1 is always on the whole pool)");
  if (form == EpochForm::Vit && cycles > epochs - 1)
    throw SettingsError("epochs.cycles (" + std::to_string(cycles) + ") must not exceed epochs.count - 1 (" +
                        std::to_string(epochs - 1) + "): every cycle needs at least one epoch");
  if (cycles < 1) throw SettingsError("epochs.cycles must be at least 1");
  if (interval < 1 || maxInterval < 1)
    throw SettingsError("epochs.interval and epochs.max_interval must be >= 1");
}

namespace {

double cycleRatio(const EpochPlanConfig& c, int cycle) {
  const double p = c.cycles > 1 ? double(cycle) / double(c.cycles - 1) : 1.0;
  const double w = c.shape == RatioShape::Cosine ? 0.5 * (1.0 - std::cos(M_PI * p)) : p;
  return c.ratioStart + (c.ratioEnd - c.ratioStart) * w;
}

int cycleInterval(const EpochPlanConfig& c, int cycle) {
  if (!c.incremental || c.cycles == 1) return c.interval;
  const double p = double(cycle) / double(c.cycles - 1);
  return int(std::lround(c.interval + (c.maxInterval - c.interval) * p));
}

}  // namespace

std::vector<EpochPhase> planEpochs(const EpochPlanConfig& c) {
  c.validate();
  std::vector<EpochPhase> plan(1);  // epoch 1: the whole pool
  if (c.form == EpochForm::Llm) {
    EpochPhase kept;
    kept.subset = true;
    kept.ratio = c.keep;
    for (int e = 1; e < c.epochs; ++e) plan.push_back(kept);
    return plan;
  }
  const int per = (c.epochs - 1) / c.cycles;
  for (int cycle = 0; cycle < c.cycles; ++cycle) {
    const int length = cycle == c.cycles - 1 ? c.epochs - 1 - per * (c.cycles - 1) : per;
    const int onSubset = std::min(length, cycleInterval(c, cycle));
    for (int e = 0; e < length; ++e) {
      EpochPhase p;
      p.cycle = cycle;
      p.subset = e < onSubset;
      p.ratio = p.subset ? cycleRatio(c, cycle) : 1.0;
      p.select = p.subset && (e == 0 || c.pick == SubsetPick::Soft);
      plan.push_back(p);
    }
  }
  return plan;
}

int subsetExamples(double ratio, int poolSize) {
  return std::clamp(int(std::ceil(ratio * poolSize - 1e-9)), 1, std::max(1, poolSize));
}

long plannedExamples(const std::vector<EpochPhase>& plan, int poolSize) {
  long n = 0;
  for (const EpochPhase& p : plan) n += p.subset ? subsetExamples(p.ratio, poolSize) : poolSize;
  return n;
}

long plannedScoredExamples(const std::vector<EpochPhase>& plan, int poolSize, SubsetPick pick) {
  if (pick == SubsetPick::Random) return 0;
  long n = 0;
  for (const EpochPhase& p : plan)
    if (p.select) n += poolSize;
  return n;
}

bool epochProtocol(const Settings& s) {
  if (!s.has("experiment.protocol")) return false;
  return choiceOf<bool>(s, "experiment.protocol", {{"epochs", true}, {"steps", false}});
}

}  // namespace attent
