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
  const int batch = int(r.integer("mosaic.batch"));
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
    FocusMosaicConfig lc = FocusMosaicConfig::from(r);
    lc.loss = loss;
    RunConfig c;
    c.batchSize = batch;
    c.optimizers = optimizers(loss == MosaicLoss::HA ? r.real("mosaic.lr_ha") : r.real("mosaic.lr"));
    if (loss == MosaicLoss::Hybrid) {
      const long perEpoch = (task->size(Split::Pool) + batch - 1) / batch;
      c.switchStep = r.integer("mosaic.hybrid_epochs") * perEpoch;
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
