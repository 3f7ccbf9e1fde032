// mosaic: soft, hard, marginal-likelihood and hybrid attention side by side (docs/SCIENCE.md 4).
// Focus model (group 0) and classifier (group 1) each get their own momentum-SGD optimiser;
// HA trains at mosaic.lr_ha, and the hybrid switches to it together with its loss.
#include <algorithm>

#include "engine/core/input_error.h"
#include "engine/research/common.h"
#include "engine/research/mosaic/mosaic.h"
#include "engine/research/mosaic/mosaic_claims.h"
#include "engine/teach/experiment_kinds.h"
#include "engine/teach/kind_registry.h"

namespace attent {

namespace {

std::unique_ptr<Experiment> buildMosaic(const Settings& s, std::uint64_t seed) {
  const Settings r = research::resolve(mosaicSettingSpecs(), s);
  auto task = std::make_shared<const MosaicTask>(r, seed);
  const FocusMosaicConfig learner = FocusMosaicConfig::from(r);
  const int batch = learner.batch;
  auto optimizers = [&](double lr) {
    OptimizerSettings o;
    o.kind = OptimizerKind::Momentum;
    o.lr = lr;
    o.momentum = r.real("mosaic.momentum");
    return std::vector<OptimizerSettings>{o, o};  // focus (group 0), classifier (group 1)
  };
  std::vector<Variant> variants;
  for (auto [name, loss] : {std::pair{"SA", MosaicLoss::SA}, std::pair{"HA", MosaicLoss::HA},
                            std::pair{"LVML", MosaicLoss::LVML}, std::pair{"hybrid", MosaicLoss::Hybrid}}) {
    FocusMosaicConfig lc = learner;
    lc.loss = loss;
    RunConfig c;
    c.batchSize = batch;
    c.optimizers = optimizers(loss == MosaicLoss::HA ? r.real("mosaic.lr_ha") : r.real("mosaic.lr"));
    if (loss == MosaicLoss::Hybrid) {
      const long perEpoch = (task->size(Split::Pool) + batch - 1) / batch;
      c.switchStep = long(learner.hybridEpochs) * perEpoch;
      c.optimizersAfterSwitch = optimizers(r.real("mosaic.lr_ha"));
    }
    variants.push_back(
        {name, [task, lc, seed] { return std::make_unique<FocusMosaic>(task, lc, seed); }, c, "random"});
  }
  return assembleExperiment(s, variants, seed, task, lockstepOptions(s));
}

class MosaicKind : public ExperimentKind {
 public:
  std::string name() const override { return "mosaic"; }
  Lesson lesson() const override { return Lesson::PaperFigure; }
  void check(const Settings& s) const override {
    const Settings r = research::resolve(mosaicSettingSpecs(), s);
    MosaicConfig::from(r);
    FocusMosaicConfig::from(r);
  }
  MemoryEstimate estimateMemory(const Settings& given, const MemoryContext&) const override {
    const Settings s = research::resolve(mosaicSettingSpecs(), given);
    const MosaicConfig task = MosaicConfig::from(s);
    const FocusMosaicConfig learner = FocusMosaicConfig::from(s);
    const bool digits = task.data == MosaicConfig::Data::Digits;
    const double m = digits ? task.digitSegments : task.segments;
    const double C = digits ? 3 : task.classes, D = digits ? 64 : C + 1;
    const double n = double(task.samples) + task.heldOut;
    const double B = learner.batch;
    const double Hf = learner.focusMlp ? learner.focusHidden : 0;
    const double Hc = learner.classifierMlp ? learner.classifierHidden : 0;
    MemoryEstimate e;
    e.runs = runsWith(given, 4, false);
    e.add("data", "(mosaic.samples + mosaic.heldout) x segments x segment dim", n * (4 * m * D + 8));
    // Each example's cache of the last training forward: weights, hidden layers, probabilities.
    e.add("activations kept for backward", "mosaic.batch x segments x (hidden widths, classes)",
          e.runs * B * (8 * (m * (3 + Hf + Hc + C) + D) + 200));
    const double params = D * (std::max(1.0, Hf) + 1) + (Hc > 0 ? D * Hc + Hc * C : D * C) + 2 * C;
    e.add("parameters, gradients and optimiser moments", "segment dim x hidden widths", e.runs * 16 * params);
    e.add("teacher scoring buffers", "mosaic.samples", e.runs * 20 * double(task.samples));
    e.snapshotBytes = e.runs * (8 * m + 8192);
    // The scalars, the signature and the closed-form toy's curves, copied into every record.
    e.diagnosticsBytes = 12 * m + 27000;
    return e;
  }
  std::vector<Claim> claims(const Experiment& e) const override { return mosaicClaims(e); }
  std::vector<SettingSpec> settingSpecs() const override {
    return concat(experimentSpecs(2000, 100, true),
                  without(mosaicSettingSpecs(), {"mosaic.epochs", "mosaic.loss"}));
  }
  std::unique_ptr<Experiment> build(const Settings& s, std::uint64_t seed) const override {
    return buildMosaic(s, seed);
  }
};

}  // namespace

std::unique_ptr<ExperimentKind> mosaicKind() { return std::make_unique<MosaicKind>(); }

}  // namespace attent
