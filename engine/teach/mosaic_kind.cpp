// mosaic: soft, hard, marginal-likelihood and hybrid attention side by side (SCIENCE.md 4).
#include "engine/core/input_error.h"
#include "engine/teach/experiment_kinds.h"

namespace attent {

std::vector<SettingSpec> mosaicKindSpecs() { return {}; }

std::unique_ptr<Experiment> buildMosaic(const Settings&, std::uint64_t) {
  throw SettingsError("the mosaic experiment is not available in this build (its learner has not landed)");
}

}  // namespace attent
