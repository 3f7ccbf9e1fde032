// What every experiment kind shares: the experiment.* settings, assembly of named variants
// into a lockstep experiment, and the entry points that look kinds up in the registry.
#include <algorithm>

#include "engine/core/input_error.h"
#include "engine/teach/experiment_kinds.h"
#include "engine/teach/kind_registry.h"
#include "engine/teach/lockstep_experiment.h"
#include "engine/teach/setting_titles.h"

namespace attent {

using S = SettingSpec;

std::vector<SettingSpec> without(std::vector<SettingSpec> specs, const std::vector<std::string>& drop) {
  specs.erase(std::remove_if(specs.begin(), specs.end(),
                             [&](const SettingSpec& s) {
                               return std::find(drop.begin(), drop.end(), s.key) != drop.end();
                             }),
              specs.end());
  return specs;
}

std::vector<SettingSpec> concat(std::vector<SettingSpec> a, const std::vector<SettingSpec>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<SettingSpec> experimentSpecs(long steps, long evalEvery, bool compareSetting) {
  std::vector<SettingSpec> v = {
      S::integer("experiment.steps", steps, 1, 100000000, "Training steps of every run."),
      S::integer("experiment.eval_every", evalEvery, 1, 100000000,
                 "Held-out evaluation every this many steps."),
      S::integer("experiment.log_every", std::max(1L, evalEvery / 5), 1, 100000000,
                 "A history point (train loss averaged since the last) every this many steps."),
      S::integer("experiment.eval_examples", 0, 0, 100000000, "Held-out examples evaluated; 0 = all."),
      S::real("experiment.target_loss", 0.0, 0.0, 1e9,
              "Target eval loss for time-to-target; 0 = the random run's final eval loss."),
      S::choice(
          "experiment.eval_on", "heldout", {"heldout", "pool"},
          "Evaluate on the held-out set, or on the training pool (for tuning without touching held-out)."),
      S::choice(
          "experiment.clock", "cpu", {"cpu", "wall"},
          "Compute clock: CPU seconds of the process (robust to other programs) or wall-clock seconds."),
  };
  if (compareSetting)
    v.push_back(S::boolean("experiment.compare", false,
                           "Add an AtteNT run next to the first run (which becomes the random baseline)."));
  return v;
}

bool teacherSettingsApply(const Settings& s) {
  return !s.has("experiment.compare") || s.boolean("experiment.compare");
}

LockstepOptions lockstepOptions(const Settings& s) {
  LockstepOptions o;
  o.totalSteps = s.integer("experiment.steps");
  o.evalEvery = s.integer("experiment.eval_every");
  o.logEvery = s.integer("experiment.log_every");
  o.evalExamples = int(s.integer("experiment.eval_examples"));
  if (s.real("experiment.target_loss") > 0) o.targetEvalLoss = s.real("experiment.target_loss");
  o.evalSplit =
      choiceOf<Split>(s, "experiment.eval_on", {{"heldout", Split::HeldOut}, {"pool", Split::Pool}});
  return o;
}

namespace {
// What experiment.compare and teacher.random_subset add (keys a kind may not declare).
bool addsAtteNTRun(const Settings& s) {
  return s.has("experiment.compare") && s.boolean("experiment.compare");
}
bool addsRandomSubsetRun(const Settings& s) {
  return s.has("teacher.random_subset") && s.boolean("teacher.random_subset");
}
}  // namespace

std::unique_ptr<Experiment> assembleExperiment(const Settings& s, std::vector<Variant> variants,
                                               std::uint64_t seed, std::shared_ptr<const void> keepAlive,
                                               LockstepOptions options) {
  if (variants.empty()) throw SettingsError("an experiment needs at least one run");
  // One setting turns any preset into AtteNT vs random: the first run is the baseline.
  if (addsAtteNTRun(s)) {
    Variant a = variants[0];
    a.name += "+attent";
    a.teacher = "attent";
    a.role = RunRole::AtteNT;
    variants[0].role = RunRole::Baseline;
    variants.insert(variants.begin() + 1, a);
    if (options.baselineRun < 0) options.baselineRun = 0;
  }
  if (addsRandomSubsetRun(s)) {
    const auto control = [](const Variant& v) {
      const TeacherKind* k = teacherKindRegistry().find(v.teacher);
      return k ? k->randomSubsetControl() : std::string();
    };
    auto it =
        std::find_if(variants.begin(), variants.end(), [&](const Variant& v) { return !control(v).empty(); });
    if (it == variants.end())
      throw SettingsError(
          epochProtocol(s) ? "teacher.random_subset=true adds a random-subset run to the steps protocol, but "
                             "experiment.protocol=epochs trains its own random-subset arm already; set "
                             "teacher.random_subset=false"
                           : "teacher.random_subset=true adds a random-subset run next to an AtteNT run, but "
                             "this experiment "
                             "has none; set experiment.compare=true (an AtteNT run next to the first) or "
                             "teacher.random_subset=false");
    {
      Variant r = *it;
      r.name = it->controlName.empty() ? it->name + "+random-subset" : it->controlName;
      r.teacher = control(*it);
      r.role = RunRole::RandomSubset;
      r.controlName.clear();
      variants.push_back(r);
    }
  }
  std::vector<std::unique_ptr<Run>> runs;
  // Identical data-order seeds for every run: the teachers differ, the coin flips do not.
  const std::uint64_t dataSeed = seed * 0x9e3779b97f4a7c15ULL + 17;
  for (auto& v : variants) {
    auto learner = v.makeLearner();
    const int pool = learner->task().size(Split::Pool);
    if (pool < 1) throw SettingsError("the task's training pool is empty");
    RunConfig config = v.config;
    config.name = v.name;
    config.role = v.role;
    config.wallClock = choiceOf<bool>(s, "experiment.clock", {{"cpu", false}, {"wall", true}});
    runs.push_back(std::make_unique<Run>(
        config, std::move(learner),
        makeTeacher(v.teacher, s, pool, dataSeed, options.totalSteps, config.batchSize)));
  }
  return std::make_unique<LockstepExperiment>(s, options, std::move(runs), std::move(keepAlive));
}

int runsWith(const Settings& s, int variants, bool hasAttentRun) {
  if (addsAtteNTRun(s)) {
    ++variants;
    hasAttentRun = true;
  }
  if (hasAttentRun && addsRandomSubsetRun(s)) ++variants;
  return variants;
}

RunConfig sgdConfig(double lr, int batch) {
  RunConfig c;
  OptimizerSettings o;
  o.kind = OptimizerKind::Sgd;
  o.lr = lr;
  c.optimizers = {o};
  c.batchSize = batch;
  return c;
}

// ---- the public entry points

std::vector<std::string> experimentKinds() { return experimentKindRegistry().names(); }

Settings experimentSettings(const std::string& kind) {
  Settings s;
  s.declare(withSettingTitles(experimentKindRegistry().get(kind).settingSpecs()));
  s.declare(withSettingTitles(teacherSettingSpecs()));
  return s;
}

namespace {
// The kind's defaults with the caller's values on top, so callers may pass partial settings.
Settings withDefaults(const std::string& kind, const Settings& settings) {
  return resolveSettings(experimentSettings(kind).specs(), settings);
}
}  // namespace

void checkExperimentSettings(const std::string& kind, const Settings& settings) {
  experimentKindRegistry().get(kind).check(withDefaults(kind, settings));
}

std::unique_ptr<Experiment> buildExperiment(const std::string& kind, const Settings& settings,
                                            std::uint64_t seed) {
  const Settings s = withDefaults(kind, settings);
  const ExperimentKind& k = experimentKindRegistry().get(kind);
  k.check(s);
  return k.build(s, seed);
}

}  // namespace attent
