// The AtteNT comparisons on the transformer: digits-vit, text-lm, text-lm-finetune, csv-classify.
#include "engine/core/input_error.h"
#include "engine/teach/experiment_kinds.h"

namespace attent {

bool transformerKind(const std::string& kind) {
  return kind == "digits-vit" || kind == "text-lm" || kind == "text-lm-finetune" || kind == "csv-classify";
}

std::vector<SettingSpec> transformerKindSpecs(const std::string&) { return {}; }

std::unique_ptr<Experiment> buildTransformerKind(const std::string& kind, const Settings&, std::uint64_t) {
  throw SettingsError("the " + kind +
                      " experiment is not available in this build (the transformer learner has not landed)");
}

}  // namespace attent
