#pragma once
// Building blocks the experiment kinds share (experiments.cpp, teacher_kinds.cpp): the
// experiment.* and teacher.* settings, teachers from settings, and assembly of named
// variants into a lockstep experiment.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/settings.h"
#include "engine/teach/epoch_plan.h"
#include "engine/teach/experiment.h"
#include "engine/teach/lockstep_experiment.h"
#include "engine/teach/run.h"
#include "engine/teach/teacher.h"

namespace attent {

struct TeacherSetup;

// One run of an experiment before it is built.
struct Variant {
  std::string name;
  std::function<std::unique_ptr<Learner>()> makeLearner;
  RunConfig config;
  std::string teacher = "random";  // a registered teacher kind (kind_registry.h)
  RunRole role = RunRole::Other;
  // The name of the random-subset run teacher.random_subset adds next to this AtteNT run;
  // empty: this run's name + "+random-subset".
  std::string controlName;
};

// The experiment.* keys with a kind's default step count and evaluation interval;
// compareSetting adds experiment.compare.
std::vector<SettingSpec> experimentSpecs(long steps, long evalEvery, bool compareSetting);
std::vector<SettingSpec> teacherSettingSpecs();
// `specs` without the keys in `drop` (a kind replaces a paper's own step count, say).
std::vector<SettingSpec> without(std::vector<SettingSpec> specs, const std::vector<std::string>& drop);
std::vector<SettingSpec> concat(std::vector<SettingSpec> a, const std::vector<SettingSpec>& b);

AtteNTConfig atteNTConfig(const Settings& settings, long totalSteps);
// The registered teacher kind `kind` (teacher_kinds.cpp); SettingsError for an unknown one.
std::unique_ptr<Teacher> makeTeacher(const std::string& kind, const Settings& settings, int poolSize,
                                     std::uint64_t dataSeed, long totalSteps, int batchSize = 0);
// Refuses a teacher whose subset at `ratio` (the smallest of its schedule, setting `key`) keeps
// fewer examples than one batch: every batch would repeat them.
void requireSubsetHoldsABatch(const TeacherSetup& setup, double ratio, const std::string& key);
// The runs an experiment of these settings trains side by side: `variants` and what
// experiment.compare and teacher.random_subset add (assembleExperiment).
int runsWith(const Settings& settings, int variants, bool hasAttentRun);
LockstepOptions lockstepOptions(const Settings& settings);

// The epoch-budget protocol (epoch_kinds.cpp; epochProtocol(settings) in epoch_plan.h): its
// settings with a kind's default protocol ("epochs" or "steps") and form ("vit" or "llm"), and
// its four arms (full first: the baseline), which also set the options' step count.
std::vector<SettingSpec> epochSettingSpecs(const std::string& protocol, const std::string& form);
// False where no run under `settings` has a teacher to set: a kind whose AtteNT run is optional
// (experiment.compare) with it off. The settings editor then hides the teacher's settings.
bool teacherSettingsApply(const Settings& settings);
// Why `key` has no effect under `settings` (a step count under the epoch budget), or empty.
std::string settingIgnoredBecause(const Settings& settings, const std::string& key);
// Refuses an epoch plan that cannot be laid out (more cycles than epochs, ...) when the settings
// select the protocol: SettingsError naming the settings.
void checkEpochPlan(const Settings& settings);
std::vector<Variant> epochArms(const Settings& settings, RunConfig config, int poolSize,
                               std::function<std::unique_ptr<Learner>()> make, LockstepOptions& options);
RunConfig sgdConfig(double lr, int batch);
// Applies experiment.compare and teacher.random_subset, builds the runs (identical
// data-order seed) and the lockstep experiment. `keepAlive` owns the tasks.
std::unique_ptr<Experiment> assembleExperiment(const Settings& settings, std::vector<Variant> variants,
                                               std::uint64_t seed, std::shared_ptr<const void> keepAlive,
                                               LockstepOptions options);

}  // namespace attent
