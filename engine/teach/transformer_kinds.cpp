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
#include "engine/tasks/digits.h"
#include "engine/tasks/digits_task.h"
#include "engine/tasks/generated_language.h"
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
  return {{"random", make, config, "random", RunRole::Baseline},
          {"attent", make, config, "attent", RunRole::AtteNT, "random-subset"}};
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

// What the settings say about a task before it is built: the model's task-given fields, the
// training pool and the memory the data takes while the task is built.
struct TaskShape {
  nn::TransformerConfig model;
  double pool = 1, dataBytes = 0;
  std::string dataDrivers;
};

// Characters and distinct characters of a text task's source: the file's (scanned once), or
// the generated language's, extrapolated from its first 200 sentences.
struct TextGuess {
  double characters = 0;
  int distinct = 0;
  std::string drivers;
};
TextGuess guessText(const TextSource& source, std::uint64_t seed) {
  TextGuess g;
  if (source.file) {
    const auto shape = scanTextFile(source.path);
    g.characters = shape ? double(shape->characters) : 0;
    g.distinct = shape ? shape->distinct : 254;
    g.drivers = source.pathKey + "=" + source.path;
    return g;
  }
  LanguageConfig lc;
  lc.sentences = int(std::min(200L, source.sentences));
  lc.maxDepth = source.maxDepth;
  lc.clauseProbability = source.clauseProbability;
  lc.seed = seed;
  const GeneratedText sample = generateLanguage(lc);
  std::vector<bool> seen(256, false);
  for (unsigned char c : sample.text)
    if (!seen[c]) seen[c] = true, ++g.distinct;
  g.characters = double(sample.text.size()) * double(source.sentences) / lc.sentences;
  g.drivers = source.sentencesKey + "=" + std::to_string(source.sentences);
  return g;
}

// A text task's memory while it is built: the UTF-8 text, its code points, the pool and
// held-out copies and the token streams (4 bytes each) - about 14 bytes a character.
double textBytes(double characters) { return 14 * characters; }

TaskShape textShape(const Settings& s, double characters, int distinct, const std::string& drivers) {
  TaskShape t;
  const TextLmTask::Config c = TextLmTask::Config::from(s);
  const double seq = c.sequenceLength, stride = c.stride > 0 ? double(c.stride) : seq;
  t.model.input = nn::InputKind::Tokens;
  t.model.head = nn::HeadKind::CausalLM;
  t.model.seq = c.sequenceLength;
  t.model.vocab = distinct + 2;  // <pad> and <unk>
  t.pool = std::max(1.0, std::floor((characters * (1 - c.heldoutFraction) - seq - 1) / stride) + 1);
  t.dataBytes = textBytes(characters);
  t.dataDrivers = drivers;
  return t;
}

// The shared shape of the four kinds: task settings, model.* and train.*, and a pair
// "random" (the baseline) and "attent" from identical weights.
class TransformerKind : public ExperimentKind {
 public:
  Lesson lesson() const override { return Lesson::TeacherAgainstRandom; }
  // The model the settings describe (heads dividing the width, no class token under a causal
  // mask, a causal LM), before any data is read.
  void check(const Settings& given) const override {
    TransformerLearner::configFor(given, shape(withFileSource(given)).model);
    checkEpochPlan(given);
  }
  MemoryEstimate estimateMemory(const Settings& given, const MemoryContext& context) const override {
    const Settings s = withFileSource(given);
    const TaskShape t = shape(s);
    nn::TransformerConfig c = t.model;
    try {
      c = TransformerLearner::configFor(s, t.model);
    } catch (const SettingsError&) {  // sized as given; check() says what is wrong
    }
    const int batch = trainConfig(s).batchSize;
    const bool epochs = epochProtocol(s);
    MemoryEstimate e;
    e.runs = epochs ? 4 : runsWith(s, 2, true);
    addTransformerTerms(e, c, batch, e.runs, memoryThreads(context),
                        c.input == nn::InputKind::Patches ? "vit.patch_size" : "data.seq_len", "train.batch");
    e.add("data", t.dataDrivers, t.dataBytes);
    e.add("teacher scoring buffers", "a pool of " + std::to_string(long(t.pool)) + " examples",
          e.runs * 20 * t.pool + 12 * double(s.integer("teacher.chunk")));
    if (epochs) e.totalSteps = long(s.integer("epochs.count") * std::ceil(t.pool / std::max(1, batch)));
    return e;
  }
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
    return buildPair(s, seededModel(s, seed), trainConfig(s).batchSize, seed, options);
  }

 protected:
  virtual std::vector<SettingSpec> taskSpecs() const = 0;
  virtual TaskShape shape(const Settings& s) const = 0;
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
  TaskShape shape(const Settings& s) const override {
    TaskShape t;
    const int p = std::stoi(s.text("vit.patch_size"));
    t.model.input = nn::InputKind::Patches;
    t.model.head = nn::HeadKind::Classify;
    t.model.seq = (8 / p) * (8 / p);
    t.model.patchDim = p * p;
    t.model.classes = 10;
    const double images = double(optdigits().size());
    t.pool = images - std::round(images * s.real("data.heldout_fraction"));
    t.dataBytes = images * 64 * 4 * 2;  // the images' pixels and their patches
    t.dataDrivers = "1,797 images";
    return t;
  }
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
  TaskShape shape(const Settings& s) const override {
    const TextGuess g = guessText(TextSource::fromSettings(s), std::uint64_t(s.integer("data.seed")));
    return textShape(s, g.characters, g.distinct, g.drivers);
  }
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
  TaskShape shape(const Settings& s) const override {
    TaskShape t;
    const auto file = scanTextFile(s.text("data.path"));
    const double rows = file ? std::max(1L, file->lines - 1) : 1, seq = double(s.integer("data.seq_len"));
    t.model.input = nn::InputKind::Tokens;
    t.model.head = nn::HeadKind::Classify;
    t.model.seq = int(seq);
    t.model.vocab = (file ? file->distinct : 254) + 2;
    t.model.classes = int(std::clamp<double>(rows, 2, double(s.integer("csv.max_labels"))));
    t.pool = std::max(1.0, rows * (1 - s.real("data.heldout_fraction")));
    // Each row's text and label, its code points while encoded, and seq_len token ids.
    t.dataBytes = file ? 6.0 * double(file->characters) + rows * (4 * seq + 160) : 0;
    t.dataDrivers = "data.path=" + s.text("data.path") + " x data.seq_len=" + std::to_string(long(seq));
    return t;
  }
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
  TaskShape shape(const Settings& s) const override {
    const auto seed = std::uint64_t(s.integer("data.seed"));
    const TextGuess pre = guessText(TextSource::pretrainingFrom(s), seed + 7919);
    const TextGuess fine = guessText(TextSource::fromSettings(s), seed);
    TaskShape t = textShape(s, fine.characters, std::max(pre.distinct, fine.distinct),
                            pre.drivers + " and " + fine.drivers);
    t.dataBytes += textBytes(pre.characters);
    return t;
  }
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
