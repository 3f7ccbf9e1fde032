// The AtteNT comparisons on the transformer (docs/SCIENCE.md section 5): digits-vit (a tiny ViT
// from scratch), text-lm (a causal character LM), text-lm-finetune (pretrain with random
// minibatches, then fine-tune with AtteNT vs random) and csv-classify (the user's CSV).
// Every one is the pair "random" (baseline) and "attent" from identical weights.
// Each is one registered kind (kind_registry.h).
#include <cmath>
#include <type_traits>
#include <utility>

#include "engine/core/input_error.h"
#include "engine/learners/transformer_learner.h"
#include "engine/tasks/csv_task.h"
#include "engine/tasks/digits_task.h"
#include "engine/tasks/text_lm_task.h"
#include "engine/teach/experiment_kinds.h"
#include "engine/teach/kind_registry.h"

namespace attent {

namespace {

using S = SettingSpec;

std::vector<SettingSpec> trainSpecs(double lr, int batch) {
  return {
      S::choice("train.optimizer", "adamw", {"sgd", "momentum", "adamw"}, "Optimiser of every run."),
      S::real("train.lr", lr, 1e-7, 10.0, "Base learning rate."),
      S::integer("train.batch", batch, 1, 4096, "Minibatch size (the same for every run)."),
      S::real("train.momentum", 0.9, 0.0, 0.999, "Momentum (momentum optimiser)."),
      S::real("train.weight_decay", 0.01, 0.0, 1.0, "AdamW decoupled weight decay."),
      S::real("train.clip", 1.0, 0.0, 1e6, "Clip the global gradient norm to this; 0 = off."),
      S::choice("train.lr_schedule", "constant", {"constant", "warmup-cosine"},
                "Learning-rate schedule over experiment.steps."),
      S::integer("train.warmup", 0, 0, 100000000, "Warm-up steps (warmup-cosine)."),
  };
}

RunConfig trainConfig(const Settings& s) {
  RunConfig c;
  OptimizerSettings o;
  o.kind = choiceOf<OptimizerKind>(
      s, "train.optimizer",
      {{"sgd", OptimizerKind::Sgd}, {"momentum", OptimizerKind::Momentum}, {"adamw", OptimizerKind::AdamW}});
  o.lr = s.real("train.lr");
  o.momentum = s.real("train.momentum");
  o.weightDecay = s.real("train.weight_decay");
  c.optimizers = {o};
  c.clip = s.real("train.clip");
  c.batchSize = int(s.integer("train.batch"));
  c.lr.kind = choiceOf<LrScheduleKind>(
      s, "train.lr_schedule",
      {{"constant", LrScheduleKind::Constant}, {"warmup-cosine", LrScheduleKind::WarmupCosine}});
  c.lr.warmupSteps = s.integer("train.warmup");
  c.lr.totalSteps = s.integer("experiment.steps");
  return c;
}

// Different --seeds give different initial weights; the runs of one seed share theirs.
Settings seededModel(const Settings& s, std::uint64_t seed) {
  Settings m = s;
  const long init = long((std::uint64_t(s.integer("model.init_seed")) * 1000003ULL + seed) % 2147483647ULL);
  m.set("model.init_seed", std::to_string(init));
  return m;
}

// A text kind reads the user's file whenever one is named.
Settings withFileSource(Settings s) {
  if (s.has("data.path") && !s.text("data.path").empty() && s.has("text.source"))
    s.set("text.source", "file");
  return s;
}

std::vector<Variant> attentVsRandom(const Settings& s, std::function<std::unique_ptr<Learner>()> make) {
  const RunConfig config = trainConfig(s);
  return {{"random", make, config, "random"}, {"attent", make, config, "attent"}};
}

// The arms of the protocol the settings choose: four epoch-budget arms, or random and attent.
std::unique_ptr<Experiment> compare(const Settings& s, std::function<std::unique_ptr<Learner>()> make,
                                    int pool, std::uint64_t seed, std::shared_ptr<const void> keep,
                                    LockstepOptions options) {
  if (!epochProtocol(s))
    return assembleExperiment(s, attentVsRandom(s, make), seed, std::move(keep), options);
  auto arms = epochArms(s, trainConfig(s), pool, make, options);
  return assembleExperiment(s, std::move(arms), seed, std::move(keep), options);
}

// The shared shape of the four kinds: task settings, model.* and train.*, and a pair
// "random" (the baseline) and "attent" from identical weights.
class TransformerKind : public ExperimentKind {
 public:
  std::vector<SettingSpec> settingSpecs() const override {
    std::vector<SettingSpec> v = concat(experimentSpecs(1000, 50, false), taskSpecs());
    v = concat(v, TransformerLearner::settingSpecs());
    v = concat(v, epochSettingSpecs("steps", defaultForm()));
    return concat(v, trainSpecs(defaultLr(), 32));
  }
  std::unique_ptr<Experiment> build(const Settings& given, std::uint64_t seed) const override {
    const Settings s = withFileSource(given);
    LockstepOptions options = lockstepOptions(s);
    options.baselineRun = 0;
    return buildPair(s, seededModel(s, seed), int(s.integer("train.batch")), seed, options);
  }

 protected:
  virtual std::vector<SettingSpec> taskSpecs() const = 0;
  virtual double defaultLr() const { return 1e-3; }
  virtual std::string defaultForm() const { return "vit"; }
  virtual std::unique_ptr<Experiment> buildPair(const Settings& s, const Settings& model, int batch,
                                                std::uint64_t seed, const LockstepOptions& options) const = 0;
  template <class TaskPtr>
  static std::unique_ptr<Experiment> pairOn(TaskPtr task, const Settings& s, const Settings& model, int batch,
                                            std::uint64_t seed, const LockstepOptions& options) {
    auto make = [task, model, batch] { return TransformerLearner::create(*task, model, batch); };
    return compare(s, make, task->size(Split::Pool), seed, task, options);
  }
};

class DigitsVitKind : public TransformerKind {
 public:
  std::string name() const override { return "digits-vit"; }

 protected:
  std::vector<SettingSpec> taskSpecs() const override { return DigitsPatchTask::settingSpecs(); }
  double defaultLr() const override { return 2e-3; }
  std::unique_ptr<Experiment> buildPair(const Settings& s, const Settings& model, int batch,
                                        std::uint64_t seed, const LockstepOptions& options) const override {
    std::shared_ptr<const PatchTask> task = DigitsPatchTask::fromSettings(s);
    return pairOn(task, s, model, batch, seed, options);
  }
};

class TextLmKind : public TransformerKind {
 public:
  std::string name() const override { return "text-lm"; }

 protected:
  std::vector<SettingSpec> taskSpecs() const override { return TextLmTask::settingSpecs(); }
  std::unique_ptr<Experiment> buildPair(const Settings& s, const Settings& model, int batch,
                                        std::uint64_t seed, const LockstepOptions& options) const override {
    std::shared_ptr<const TokenTask> task = TextLmTask::fromSettings(s);
    return pairOn(task, s, model, batch, seed, options);
  }
};

class CsvClassifyKind : public TransformerKind {
 public:
  std::string name() const override { return "csv-classify"; }

 protected:
  std::vector<SettingSpec> taskSpecs() const override { return CsvClassifyTask::settingSpecs(); }
  std::unique_ptr<Experiment> buildPair(const Settings& s, const Settings& model, int batch,
                                        std::uint64_t seed, const LockstepOptions& options) const override {
    if (s.text("data.path").empty())
      throw SettingsError(
          "csv-classify needs a CSV file with a header and text,label rows: set data.path "
          "(attent-studio run --preset csv-classify --data FILE)");
    std::shared_ptr<const TokenTask> task = CsvClassifyTask::fromSettings(s);
    return pairOn(task, s, model, batch, seed, options);
  }
};

// Pretrain once with random minibatches, then both runs fine-tune from those weights.
class TextLmFinetuneKind : public TransformerKind {
 public:
  std::string name() const override { return "text-lm-finetune"; }

 protected:
  std::string defaultForm() const override { return "llm"; }
  std::vector<SettingSpec> taskSpecs() const override {
    auto v = textLmFinetuneSettingSpecs();
    v.push_back(
        S::integer("pretrain.steps", 300, 0, 100000000, "Steps of pretraining (random minibatches)."));
    return v;
  }
  std::unique_ptr<Experiment> buildPair(const Settings& s, const Settings& model, int batch,
                                        std::uint64_t seed, const LockstepOptions& options) const override {
    TextLmPair pair = makeTextLmFinetune(s);
    std::shared_ptr<const TextLmTask> pre = std::move(pair.pretrain), fine = std::move(pair.finetune);
    auto pretrained = pretrain(*pre, s, model, batch, seed);
    auto make = [fine, model, batch, pretrained] {
      auto l = TransformerLearner::create(*fine, model, batch);
      if (l->parameters().values().size() != pretrained->size())
        throw SettingsError("the pretrained and fine-tuning models differ in shape");
      l->parameters().values() = *pretrained;
      return l;
    };
    auto keep =
        std::make_shared<std::pair<std::shared_ptr<const TextLmTask>, std::shared_ptr<const TextLmTask>>>(
            pre, fine);
    return compare(s, make, fine->size(Split::Pool), seed, keep, options);
  }

 private:
  // The parameter buffer's own type (whatever allocator Parameters uses).
  using Values = std::decay_t<decltype(std::declval<Parameters<float>&>().values())>;
  static std::shared_ptr<Values> pretrain(const TextLmTask& task, const Settings& s, const Settings& model,
                                          int batch, std::uint64_t seed) {
    RunConfig pc = trainConfig(s);
    pc.name = "pretrain";
    pc.lr.totalSteps = std::max(1L, s.integer("pretrain.steps"));
    Run run(pc, TransformerLearner::create(task, model, batch),
            std::make_unique<RandomTeacher>(task.size(Split::Pool), seed * 7919 + 3));
    for (long t = 0; t < s.integer("pretrain.steps") && !run.divergedAt(); ++t) run.trainStep(t);
    if (run.divergedAt()) throw SettingsError("pretraining diverged; lower train.lr");
    return std::make_shared<Values>(run.learner().parameters().values());
  }
};

}  // namespace

std::unique_ptr<ExperimentKind> digitsVitKind() { return std::make_unique<DigitsVitKind>(); }
std::unique_ptr<ExperimentKind> textLmKind() { return std::make_unique<TextLmKind>(); }
std::unique_ptr<ExperimentKind> textLmFinetuneKind() { return std::make_unique<TextLmFinetuneKind>(); }
std::unique_ptr<ExperimentKind> csvClassifyKind() { return std::make_unique<CsvClassifyKind>(); }

}  // namespace attent
