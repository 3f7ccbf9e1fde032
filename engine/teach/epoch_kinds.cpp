// The epoch-budget protocol as settings, teacher kinds and the four arms of a comparison
// (docs/SCIENCE.md section 1): full, attent, random-subset and short-full, from identical
// initial weights and data-order seeds.
#include <cmath>
#include <map>

#include "engine/teach/epoch_teacher.h"
#include "engine/teach/experiment_kinds.h"
#include "engine/teach/kind_registry.h"

namespace attent {

using S = SettingSpec;

// Defaults: 21 epochs in 4 cycles of 5 (3 on the subset, 2 on the pool), the ratio rising
// 0.2 -> 0.8: the plan trains on 15 of 21 epochs' examples.
std::vector<SettingSpec> epochSettingSpecs(const std::string& protocol, const std::string& form) {
  return {
      S::choice("experiment.protocol", protocol, {"epochs", "steps"},
                "epochs: every arm gets the same number of epochs, the teacher's subset epochs are shorter "
                "(the paper's measure); steps: the same steps for AtteNT and random, time to a target loss."),
      S::choice("epochs.form", form, {"vit", "llm"},
                "vit: cycles that score the pool and train some epochs on a subset; llm: epoch 1 on the "
                "pool, then the highest-loss fraction for the rest."),
      S::integer("epochs.count", 21, 2, 100000, "Epochs of every arm (epoch 1 always on the whole pool)."),
      S::integer("epochs.cycles", 4, 1, 100000, "Cycles the remaining epochs are split into (vit form)."),
      S::real("epochs.ratio_start", 0.2, 0.001, 1.0, "Fraction of the pool kept in the first cycle."),
      S::real("epochs.ratio_end", 0.8, 0.001, 1.0, "Fraction of the pool kept in the last cycle."),
      S::choice("epochs.ratio_shape", "linear", {"linear", "cosine"},
                "How the kept fraction rises over cycles."),
      S::integer("epochs.interval", 3, 1, 100000,
                 "Epochs on the subset at the start of each cycle (vit form)."),
      S::choice("epochs.interval_kind", "fixed", {"fixed", "incremental"},
                "fixed: epochs.interval every cycle; incremental: rising to epochs.max_interval."),
      S::integer("epochs.max_interval", 3, 1, 100000, "Subset epochs of the last cycle (incremental)."),
      S::real("epochs.keep", 0.7, 0.001, 1.0, "Fraction kept after epoch 1 (llm form)."),
      S::choice("epochs.selection", "hard", {"hard", "soft"},
                "hard: the highest scores; soft: Gumbel-top-k of softmax(score / teacher.tau)."),
      S::integer("epochs.stop_step", 0, 0, 1000000000,
                 "Stop every arm at this step, before the plan ends (0: the whole plan). A quick look: the "
                 "schedules stay those of the whole plan, so the arms compared are unfinished."),
  };
}

EpochPlanConfig epochPlanConfig(const Settings& s) {
  EpochPlanConfig c;
  c.form = choiceOf<EpochForm>(s, "epochs.form", {{"vit", EpochForm::Vit}, {"llm", EpochForm::Llm}});
  c.epochs = int(s.integer("epochs.count"));
  c.cycles = int(s.integer("epochs.cycles"));
  c.ratioStart = s.real("epochs.ratio_start");
  c.ratioEnd = s.real("epochs.ratio_end");
  c.shape = choiceOf<RatioShape>(s, "epochs.ratio_shape",
                                 {{"linear", RatioShape::Linear}, {"cosine", RatioShape::Cosine}});
  c.interval = int(s.integer("epochs.interval"));
  c.incremental = choiceOf<bool>(s, "epochs.interval_kind", {{"fixed", false}, {"incremental", true}});
  c.maxInterval = int(s.integer("epochs.max_interval"));
  c.keep = s.real("epochs.keep");
  c.pick =
      choiceOf<SubsetPick>(s, "epochs.selection", {{"hard", SubsetPick::Hard}, {"soft", SubsetPick::Soft}});
  c.validate();
  return c;
}

std::string settingIgnoredBecause(const Settings& s, const std::string& key) {
  // The settings `s` makes ineffective, each with the reason shown next to it.
  std::map<std::string, std::string> ignored;
  if (epochProtocol(s))
    ignored["experiment.steps"] =
        "Under the epoch budget the plan's epochs (Epochs of every arm) set the length; the step count "
        "applies to the equal-steps comparison.";
  const auto it = ignored.find(key);
  return it == ignored.end() ? std::string() : it->second;
}

void checkEpochPlan(const Settings& s) {
  if (epochProtocol(s)) epochPlanConfig(s);
}

std::vector<Variant> epochArms(const Settings& s, RunConfig config, int poolSize,
                               std::function<std::unique_ptr<Learner>()> make, LockstepOptions& options) {
  const EpochPlanConfig plan = epochPlanConfig(s);
  const long fullSteps =
      long(plan.epochs) * long(std::ceil(double(poolSize) / std::max(1, config.batchSize)));
  // One learning-rate schedule over epoch progress, fully decayed at every arm's end.
  config.lr.kind = LrScheduleKind::WarmupCosine;
  config.lr.minFactor = 0.0;
  config.lr.totalSteps = fullSteps;
  options.totalSteps = fullSteps;  // the longest arm (full); the others end sooner
  options.stopStep = s.integer("epochs.stop_step");
  options.baselineRun = 0;
  return {{"full", make, config, "epoch-full", RunRole::Baseline, {}},
          {"attent", make, config, "epoch-attent", RunRole::AtteNT, {}},
          {"random-subset", make, config, "epoch-random-subset", RunRole::RandomSubset, {}},
          {"short-full", make, config, "epoch-short-full", RunRole::ShortFull, {}}};
}

namespace {

template <EpochArm arm, const char* kindName>
class EpochTeacherKind : public TeacherKind {
 public:
  std::string name() const override { return kindName; }
  std::unique_ptr<Teacher> make(const TeacherSetup& t) const override {
    // random-subset walks the attent arm's plan (same subset epochs and selections), picking at random.
    const EpochPlanConfig plan = epochPlanConfig(t.settings);
    if (arm == EpochArm::Attent || arm == EpochArm::RandomSubset) {  // the arms with subset epochs
      if (plan.form == EpochForm::Llm)
        requireSubsetHoldsABatch(t, plan.keep, "epochs.keep");
      else if (plan.ratioStart <= plan.ratioEnd)
        requireSubsetHoldsABatch(t, plan.ratioStart, "epochs.ratio_start");
      else
        requireSubsetHoldsABatch(t, plan.ratioEnd, "epochs.ratio_end");
    }
    return std::make_unique<EpochTeacher>(arm, plan, atteNTConfig(t.settings, t.totalSteps), t.poolSize,
                                          t.dataSeed);
  }
};

constexpr char kFull[] = "epoch-full", kAttent[] = "epoch-attent", kRandom[] = "epoch-random-subset",
               kShort[] = "epoch-short-full";

}  // namespace

std::unique_ptr<TeacherKind> epochFullTeacherKind() {
  return std::make_unique<EpochTeacherKind<EpochArm::Full, kFull>>();
}
std::unique_ptr<TeacherKind> epochAttentTeacherKind() {
  return std::make_unique<EpochTeacherKind<EpochArm::Attent, kAttent>>();
}
std::unique_ptr<TeacherKind> epochRandomSubsetTeacherKind() {
  return std::make_unique<EpochTeacherKind<EpochArm::RandomSubset, kRandom>>();
}
std::unique_ptr<TeacherKind> epochShortFullTeacherKind() {
  return std::make_unique<EpochTeacherKind<EpochArm::ShortFull, kShort>>();
}

}  // namespace attent
