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
  void check(const Settings& s) const override {
    const Settings r = research::resolve(mosaicSettingSpecs(), s);
    MosaicConfig::from(r);
    FocusMosaicConfig::from(r);
  }
  MemoryEstimate estimateMemory(const Settings& given, const MemoryContext&) const override {
    const Settings s = research::resolve(mosaicSettingSpecs(), given);
    const bool digits = s.text("mosaic.data") == "digits";
    const double m = double(s.integer(digits ? "mosaic.digit_segments" : "mosaic.segments"));
    const double C = digits ? 3 : double(s.integer("mosaic.classes")), D = digits ? 64 : C + 1;
    const double n = double(s.integer("mosaic.samples") + s.integer("mosaic.heldout"));
    const double B = double(s.integer("mosaic.batch"));
    const double Hf = s.text("mosaic.focus") == "mlp" ? double(s.integer("mosaic.focus_hidden")) : 0;
    const double Hc =
        s.text("mosaic.classifier") == "mlp" ? double(s.integer("mosaic.classifier_hidden")) : 0;
    MemoryEstimate e;
    e.runs = runsWith(given, 4, false);
    e.add("data", "(mosaic.samples + mosaic.heldout) x segments x segment dim", n * (4 * m * D + 8));
    // Each example's cache of the last training forward: weights, hidden layers, probabilities.
    e.add("activations kept for backward", "mosaic.batch x segments x (hidden widths, classes)",
          e.runs * B * (8 * (m * (3 + Hf + Hc + C) + D) + 200));
    const double params = D * (std::max(1.0, Hf) + 1) + (Hc > 0 ? D * Hc + Hc * C : D * C) + 2 * C;
    e.add("parameters, gradients and optimiser moments", "segment dim x hidden widths", e.runs * 16 * params);
    e.add("teacher scoring buffers", "mosaic.samples", e.runs * 20 * double(s.integer("mosaic.samples")));
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
