#pragma once
// Building blocks the experiment kinds share (experiments.cpp, transformer_kinds.cpp,
// mosaic_kind.cpp): the teacher.* settings, teachers from settings, and assembly of
// named variants into a lockstep experiment.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/settings.h"
#include "engine/teach/experiment.h"
#include "engine/teach/lockstep_experiment.h"
#include "engine/teach/run.h"
#include "engine/teach/teacher.h"

namespace attent {

// One run of an experiment before it is built.
struct Variant {
  std::string name;
  std::function<std::unique_ptr<Learner>()> makeLearner;
  RunConfig config;
  std::string teacher = "random";  // "random", "random-subset", "attent"
};

std::vector<SettingSpec> teacherSettingSpecs();
AtteNTConfig atteNTConfig(const Settings& settings, long totalSteps);
std::unique_ptr<Teacher> makeTeacher(const std::string& kind, const Settings& settings, int poolSize,
                                     std::uint64_t dataSeed, long totalSteps);
LockstepOptions lockstepOptions(const Settings& settings);
// Applies experiment.compare and teacher.random_subset, builds the runs (identical
// data-order seed) and the lockstep experiment. `keepAlive` owns the tasks.
std::unique_ptr<Experiment> assembleExperiment(const Settings& settings, std::vector<Variant> variants,
                                               std::uint64_t seed, std::shared_ptr<const void> keepAlive,
                                               LockstepOptions options);

// digits-vit, text-lm, text-lm-finetune, csv-classify (transformer_kinds.cpp).
bool transformerKind(const std::string& kind);
std::vector<SettingSpec> transformerKindSpecs(const std::string& kind);
std::unique_ptr<Experiment> buildTransformerKind(const std::string& kind, const Settings& settings,
                                                 std::uint64_t seed);
// mosaic: SA / HA / LVML / hybrid side by side (mosaic_kind.cpp).
std::vector<SettingSpec> mosaicKindSpecs();
std::unique_ptr<Experiment> buildMosaic(const Settings& settings, std::uint64_t seed);

}  // namespace attent
